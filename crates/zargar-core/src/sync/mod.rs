//! The till's sync engine: pushes the outbox to the shop's server and pulls
//! the shop's inventory, prices, customers, settings and conflicts back.
//!
//! Exactly-once rests on three things, none of them on this code being
//! lucky: an op is in the outbox from the transaction that made it; it is
//! marked answered only in the transaction that stores the server's answer;
//! and the server recognises an op it has seen by its id. So any failure
//! (a lost answer, a killed process, a restarted server) is repaired by
//! sending the same ops again.

mod client;
pub(crate) use client::check_url;
mod engine;
mod live;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use zargar_wire::{EnrollRequest, PushRequest, SCHEMA_VERSION};

pub use engine::{SyncEngine, SyncHandle};

use crate::error::{Arg, StoreError, localize_message};
use crate::i18n::Lang;
use crate::store::{Store, SyncFault};
use client::{Answer, Client};

/// Everything sync can fail with. `is_retryable` errors are retried with
/// backoff; `stops` errors wait for a person (re-enrol, update, support).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("this till is not linked to a server yet (zargar enroll)")]
    NotEnrolled,
    #[error("server address {0:?} is not valid")]
    BadServerUrl(String),
    #[error("the server cannot be reached: {0}")]
    Offline(String),
    #[error("the server failed ({status} {code}): {message}")]
    Server { status: u16, code: String, message: String },
    #[error("the server asks to wait ({status})")]
    SlowDown { status: u16, retry_after: Option<Duration> },
    #[error("the server no longer accepts this till's token")]
    Unauthorized,
    #[error("this till was revoked by the shop")]
    Revoked,
    #[error("the server needs a newer version of the app")]
    UpgradeRequired,
    #[error("the server refused the request as malformed: {0}")]
    Malformed(String),
    #[error("the op at seq {0} is larger than the server accepts")]
    OpTooLarge(u64),
    #[error("this till's outbox disagrees with the server at seq {0}")]
    OutboxDiverged(u64),
    #[error("the enrolment code was refused ({code}): {message}")]
    EnrollRefused { code: String, message: String },
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// The stable code the UI and scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::NotEnrolled => "sync_not_enrolled",
            SyncError::BadServerUrl(_) => "sync_bad_server_url",
            SyncError::Offline(_) => "sync_offline",
            SyncError::Server { .. } => "sync_server_error",
            SyncError::SlowDown { .. } => "sync_slow_down",
            SyncError::Unauthorized => "sync_unauthorized",
            SyncError::Revoked => "sync_revoked",
            SyncError::UpgradeRequired => "sync_upgrade_required",
            SyncError::Malformed(_) => "sync_malformed",
            SyncError::OpTooLarge(_) => "sync_op_too_large",
            SyncError::OutboxDiverged(_) => "sync_outbox_diverged",
            SyncError::EnrollRefused { .. } => "sync_enroll_refused",
            SyncError::Protocol(_) => "sync_protocol",
            SyncError::Store(e) => e.code(),
        }
    }

    /// Worth trying again later by itself.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            SyncError::Offline(_)
                | SyncError::Server { .. }
                | SyncError::SlowDown { .. }
                | SyncError::Protocol(_)
                | SyncError::Malformed(_)
        ) || matches!(self, SyncError::Store(e) if !e.is_refusal())
    }

    /// Retrying cannot help; the engine stops until a person acts (and the
    /// data stays on the till, intact and exportable).
    pub fn stops(&self) -> bool {
        matches!(
            self,
            SyncError::Unauthorized
                | SyncError::Revoked
                | SyncError::UpgradeRequired
                | SyncError::OpTooLarge(_)
                | SyncError::OutboxDiverged(_)
                | SyncError::NotEnrolled
        )
    }

    /// The least the server asked us to wait.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SyncError::SlowDown { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub fn message_id(&self) -> String {
        match self {
            SyncError::Store(e) => e.message_id(),
            other => format!("error-{}", other.code().replace('_', "-")),
        }
    }

    pub fn args(&self) -> Vec<(&'static str, Arg)> {
        let num = |n: u64| Arg::Number(rust_decimal::Decimal::from(n));
        match self {
            SyncError::BadServerUrl(u) => vec![("url", Arg::Text(u.clone()))],
            SyncError::Server { status, .. } | SyncError::SlowDown { status, .. } => {
                vec![("status", num(u64::from(*status)))]
            }
            SyncError::OpTooLarge(seq) | SyncError::OutboxDiverged(seq) => vec![("seq", num(*seq))],
            SyncError::Store(e) => e.args(),
            _ => Vec::new(),
        }
    }

    /// What a person reads, in their language; the detail is for logs.
    pub fn localize(&self, lang: Lang) -> String {
        match self {
            SyncError::Store(e) => e.localize(lang),
            other => localize_message(lang, &other.message_id(), &other.args()),
        }
    }

    pub(crate) fn fault(&self, at: DateTime<Utc>) -> SyncFault {
        SyncFault { code: self.code().to_owned(), detail: self.to_string(), at }
    }
}

/// How the engine paces itself. The defaults suit a shop's till.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// A round at least this often, for the shop's prices and conflicts.
    pub interval: Duration,
    /// After a sale, wait this long for the next one before pushing.
    pub debounce: Duration,
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    /// Between rounds, ask `/healthz` this often: a server going away shows
    /// as offline within seconds, and a returning one is synced at once.
    pub probe_interval: Duration,
    /// After a change notice, wait this long for more before pulling: a
    /// burst of sales elsewhere costs one round here.
    pub notice_debounce: Duration,
    /// Hold the server's change-notice stream open.
    pub live: bool,
    /// While the stream is open, a round at least this often: the notices
    /// bring the shop's changes, so the round is only a safety net.
    pub live_interval: Duration,
    pub batch_ops: usize,
    pub pull_limit: u32,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub app_version: String,
}

impl Default for SyncConfig {
    fn default() -> SyncConfig {
        SyncConfig {
            interval: Duration::from_secs(60),
            debounce: Duration::from_millis(500),
            backoff_min: Duration::from_secs(1),
            backoff_max: Duration::from_secs(300),
            probe_interval: Duration::from_secs(5),
            notice_debounce: Duration::from_millis(150),
            live: true,
            live_interval: Duration::from_secs(300),
            batch_ops: zargar_wire::MAX_OPS_PER_PUSH,
            pull_limit: zargar_wire::MAX_PULL_LIMIT,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(60),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

zargar_wire::coded! {
    /// What the engine is doing.
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum EngineState {
        /// Not linked to a server.
        NotEnrolled = "not_enrolled",
        Idle = "idle",
        Syncing = "syncing",
        /// The last round failed; the next is scheduled (`next_attempt`).
        Retrying = "retrying",
        /// Stopped until a person acts (`last_error` says why).
        Stopped = "stopped",
    }
}

impl EngineState {
    /// The Fluent id of the state's name.
    pub fn message_id(self) -> String {
        format!("sync-engine-{}", self.code().replace('_', "-"))
    }
}

zargar_wire::coded! {
    /// Which half of a round is running.
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[cfg_attr(feature = "ts", ts(rename = "SyncPhase"))]
    pub enum Phase {
        Push = "push",
        Pull = "pull",
    }
}

/// How far the current round is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RoundProgress {
    pub phase: Phase,
    /// Ops answered so far this round, of `to_push` waiting when it began.
    pub pushed: u64,
    pub to_push: u64,
    pub pulled: u64,
    /// Ops still waiting for an answer (it drops as answers arrive).
    pub pending: u64,
}

/// The sync state as the status bar shows it; published on every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    pub state: EngineState,
    /// Whether the last contact with the server worked; unknown before the first.
    pub online: Option<bool>,
    pub shop: Option<String>,
    pub pending: u64,
    pub pending_sales: u64,
    pub oldest_pending_sale_at: Option<DateTime<Utc>>,
    pub open_conflicts: u64,
    pub rejected: u64,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<SyncFault>,
    pub next_attempt: Option<DateTime<Utc>>,
    pub progress: Option<RoundProgress>,
    /// The server's change notices are streaming in: another till's sale
    /// shows here within a second, not at the next round.
    pub live: bool,
}

impl SyncStatus {
    fn initial() -> SyncStatus {
        SyncStatus {
            state: EngineState::NotEnrolled,
            online: None,
            shop: None,
            pending: 0,
            pending_sales: 0,
            oldest_pending_sale_at: None,
            open_conflicts: 0,
            rejected: 0,
            last_success: None,
            last_error: None,
            next_attempt: None,
            progress: None,
            live: false,
        }
    }

    /// Refreshes the counts from the store.
    fn read_counts(&mut self, store: &Store, now: DateTime<Utc>) -> Result<(), StoreError> {
        let till = store.status(now)?;
        let link = store.sync_link()?;
        self.pending = till.pending;
        self.pending_sales = till.pending_sales;
        self.oldest_pending_sale_at = till.oldest_pending_sale_at;
        self.open_conflicts = till.conflicts;
        self.rejected = till.rejected;
        self.shop = link.as_ref().map(|l| l.tenant.name.clone());
        self.last_success = link.as_ref().and_then(|l| l.last_success);
        self.last_error = link.as_ref().and_then(|l| l.last_error.clone());
        if link.is_none() {
            self.state = EngineState::NotEnrolled;
        }
        Ok(())
    }
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RoundReport {
    pub pushed: u64,
    pub applied: u64,
    pub duplicates: u64,
    pub conflicts: u64,
    pub rejected: u64,
    pub pulled: u64,
    pub deferred: u64,
    pub push_requests: u64,
    pub pull_requests: u64,
    /// Batches halved after a 413, resends after a 409, cursor resets after a 410.
    pub halvings: u64,
    pub resends: u64,
    pub resets: u64,
}

/// The store shared between the engine's task and its blocking calls.
type Shared = Arc<Mutex<Store>>;

/// Runs store work off the async threads: SQLite blocks.
async fn blocking<T: Send + 'static>(
    store: &Shared,
    f: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, SyncError> {
    let store = Arc::clone(store);
    let joined = tokio::task::spawn_blocking(move || {
        let mut guard = store.lock().map_err(|_| StoreError::Corrupt("store lock poisoned".into()))?;
        f(&mut guard)
    })
    .await;
    match joined {
        Ok(r) => r.map_err(SyncError::from),
        Err(e) => Err(SyncError::Protocol(format!("store task failed: {e}"))),
    }
}

/// Links the till at `db` to a shop: exchanges the owner's one-time code for
/// the till's token and keeps it with the server's address.
pub async fn enroll(
    db: &Path,
    server_url: &str,
    code: &str,
    config: &SyncConfig,
) -> Result<zargar_wire::TenantRef, SyncError> {
    let url = client::check_url(server_url)?;
    let store = Store::open(db)?;
    let device = store.device()?.clone();
    let client = Client::new(&url, "", config)?;
    let answer = client
        .enroll(&EnrollRequest { code: code.trim().to_owned(), device_id: device.device_id, name: device.name.clone() })
        .await?;
    let shared: Shared = Arc::new(Mutex::new(store));
    let tenant = answer.tenant.clone();
    blocking(&shared, move |s| s.link_server(&url, &answer, Utc::now())).await?;
    restrict_to_owner(db);
    Ok(tenant)
}

/// The owner's view of the whole shop from its server, over Tehran days
/// `from` to `to` inclusive: for an owner's device (others get `Forbidden`).
pub async fn shop_report(
    db: &Path,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    config: &SyncConfig,
) -> Result<zargar_wire::ShopReport, SyncError> {
    owner_client(db, config)?.report(&from.to_string(), &to.to_string()).await
}

/// `shop_report` as the server's CSV.
pub async fn shop_report_csv(
    db: &Path,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    config: &SyncConfig,
) -> Result<Vec<u8>, SyncError> {
    owner_client(db, config)?.report_csv(&from.to_string(), &to.to_string()).await
}

fn owner_client(db: &Path, config: &SyncConfig) -> Result<Client, SyncError> {
    let link = Store::open(db)?.sync_link()?.ok_or(SyncError::NotEnrolled)?;
    Client::new(&link.server_url, &link.device_token, config)
}

/// The database holds the device token: readable by its user only.
fn restrict_to_owner(db: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            // Best effort: a file system without modes keeps its own rules.
            let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600));
        }
    }
}

/// One round: push until only conflicts remain, then pull to the end.
/// `progress` sees each step. Every server answer is stored in its own
/// transaction before the next request, so stopping anywhere loses nothing.
pub(crate) async fn round(
    store: &Shared,
    config: &SyncConfig,
    progress: &(dyn Fn(RoundProgress) + Send + Sync),
) -> Result<RoundReport, SyncError> {
    let link = blocking(store, |s| s.sync_link()).await?.ok_or(SyncError::NotEnrolled)?;
    let device_id = blocking(store, |s| Ok(s.device()?.device_id)).await?;
    let client = Client::new(&link.server_url, &link.device_token, config)?;
    let mut report = RoundReport::default();
    let to_push = blocking(store, |s| Ok(s.status(Utc::now())?.pending)).await?;
    let mut at = RoundProgress { phase: Phase::Push, pushed: 0, to_push, pulled: 0, pending: to_push };
    progress(at);

    let mut batch = config.batch_ops.clamp(1, zargar_wire::MAX_OPS_PER_PUSH);
    // A server that holds less than it once acknowledged (restored from a
    // backup) gets the rest again, same op ids: it re-applies each once.
    let held = client.status().await?.acked_seq;
    let mut from: Option<u64> = None;
    if held < link.acked_seq {
        tracing::warn!(held, acknowledged = link.acked_seq, "the server lost acknowledged ops; sending them again");
        from = Some(held + 1);
        report.resends += 1;
    }
    let mut resends_in_a_row = 0u32;
    loop {
        let limit = u32::try_from(batch).unwrap_or(u32::MAX);
        let ops = blocking(store, move |s| s.ops_to_push(from, limit)).await?;
        let Some(first) = ops.first().map(|o| o.seq) else { break };
        let count = ops.len() as u64;
        let req =
            PushRequest { device_id, app_version: config.app_version.clone(), schema_version: SCHEMA_VERSION, ops };
        report.push_requests += 1;
        match client.push(&req).await? {
            Answer::Ok(resp) => {
                drop(req);
                let done = blocking(store, move |s| s.apply_push(&resp)).await?;
                report.pushed += count;
                report.applied += done.applied;
                report.duplicates += done.duplicates;
                report.conflicts += done.conflicts;
                report.rejected += done.rejected;
                at.pushed += count;
                at.pending = done.pending_left;
                progress(at);
                resends_in_a_row = 0;
                if from.take().is_none() {
                    // The answer must move the queue, or we would loop.
                    let next = blocking(store, |s| s.first_pending_seq()).await?;
                    if next == Some(first) {
                        return Err(SyncError::Protocol(format!("push answered without a result for seq {first}")));
                    }
                }
            }
            Answer::TooLarge => {
                if batch == 1 {
                    return Err(SyncError::OpTooLarge(first));
                }
                batch = (batch / 2).max(1);
                report.halvings += 1;
            }
            Answer::ResendFrom(expected) => {
                resends_in_a_row += 1;
                report.resends += 1;
                // The server expecting a seq past ops it never answered means
                // it holds other ops under those numbers: this till's file was
                // restored from a backup, or copied. A person must look.
                if expected > first || resends_in_a_row > 3 {
                    return Err(SyncError::OutboxDiverged(first));
                }
                from = Some(expected);
            }
            Answer::CursorGone => return Err(SyncError::Protocol("410 on push".into())),
        }
    }

    at.phase = Phase::Pull;
    progress(at);
    let mut resets = 0u32;
    loop {
        let cursor = blocking(store, |s| Ok(s.sync_link()?.and_then(|l| l.pull_cursor))).await?;
        report.pull_requests += 1;
        match client.pull(cursor.as_deref(), config.pull_limit).await? {
            Answer::Ok(page) => {
                let more = page.has_more;
                if more && page.changes.is_empty() && cursor.as_deref() == Some(page.next_cursor.as_str()) {
                    return Err(SyncError::Protocol("pull does not advance".into()));
                }
                let done = blocking(store, move |s| s.apply_pull(&page)).await?;
                report.pulled += done.changes;
                report.deferred += done.deferred;
                at.pulled += done.changes;
                progress(at);
                if !more {
                    break;
                }
            }
            Answer::CursorGone => {
                resets += 1;
                report.resets += 1;
                if resets > 1 {
                    return Err(SyncError::Protocol("410 for a fresh cursor".into()));
                }
                blocking(store, |s| s.reset_pull()).await?;
            }
            Answer::ResendFrom(_) | Answer::TooLarge => {
                return Err(SyncError::Protocol("unexpected pull answer".into()));
            }
        }
    }
    Ok(report)
}

/// Runs one round on the till at `db` and remembers how it went: what
/// `zargar sync` does.
pub async fn sync_once(
    db: &Path,
    config: &SyncConfig,
    progress: &(dyn Fn(RoundProgress) + Send + Sync),
) -> Result<RoundReport, SyncError> {
    let shared: Shared = Arc::new(Mutex::new(Store::open(db)?));
    let result = round(&shared, config, progress).await;
    note(&shared, &result).await;
    if result.is_ok() {
        blocking(&shared, |s| s.checkpoint()).await?;
    }
    result
}

/// Stores the outcome of a round for the status bar; a failure to store it
/// is logged, never allowed to hide the round's own result.
async fn note(store: &Shared, result: &Result<RoundReport, SyncError>) {
    let now = Utc::now();
    let outcome = match result {
        Ok(_) => Ok(now),
        Err(SyncError::NotEnrolled) => return,
        Err(e) => Err((e.fault(now), e.stops())),
    };
    if let Err(e) = blocking(store, move |s| s.note_sync(outcome)).await {
        tracing::warn!(error = %e, "could not record the sync outcome");
    }
}

/// Full-jitter exponential backoff: the n-th failure in a row waits a random
/// time between `min` and `min·2ⁿ` (capped at `max`), so a hundred tills
/// coming back together do not all knock at once.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    min_ms: u64,
    max_ms: u64,
    failures: u32,
}

impl Backoff {
    pub(crate) fn new(min: Duration, max: Duration) -> Backoff {
        let min_ms = u64::try_from(min.as_millis()).unwrap_or(u64::MAX).max(1);
        let max_ms = u64::try_from(max.as_millis()).unwrap_or(u64::MAX).max(min_ms);
        Backoff { min_ms, max_ms, failures: 0 }
    }

    pub(crate) fn reset(&mut self) {
        self.failures = 0;
    }

    pub(crate) fn failures(&self) -> u32 {
        self.failures
    }

    /// The wait after one more failure.
    pub(crate) fn next(&mut self) -> Duration {
        let cap = self.min_ms.saturating_mul(1u64 << self.failures.min(32)).min(self.max_ms);
        self.failures = self.failures.saturating_add(1);
        Duration::from_millis(rand::random_range(self.min_ms..=cap))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_its_cap_with_jitter_and_stops_at_the_max() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
        let waits: Vec<Duration> = (0..12).map(|_| b.next()).collect();
        for (n, w) in waits.iter().enumerate() {
            let cap = Duration::from_secs((1u64 << n).min(300));
            assert!(*w >= Duration::from_secs(1) && *w <= cap, "wait {n} is {w:?}, cap {cap:?}");
        }
        // Over many draws the jitter spreads the waits out.
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
        for _ in 0..9 {
            b.next();
        }
        let draws: std::collections::BTreeSet<u128> = (0..50)
            .map(|_| {
                let mut c = b.clone();
                c.next().as_millis()
            })
            .collect();
        assert!(draws.len() > 10, "no jitter: {draws:?}");
        b.reset();
        assert_eq!(b.failures(), 0);
        assert!(b.next() <= Duration::from_secs(1));
    }

    #[test]
    fn errors_are_sorted_into_retry_and_stop() {
        assert!(SyncError::Offline("x".into()).is_retryable());
        assert!(SyncError::SlowDown { status: 429, retry_after: None }.is_retryable());
        assert!(SyncError::Revoked.stops() && !SyncError::Revoked.is_retryable());
        assert!(SyncError::Unauthorized.stops());
        assert!(SyncError::UpgradeRequired.stops());
        assert_eq!(
            SyncError::SlowDown { status: 503, retry_after: Some(Duration::from_secs(7)) }.retry_after(),
            Some(Duration::from_secs(7))
        );
    }
}

//! The sending queue. Each pass, per shop with invoices waiting:
//!
//! 1. Ask first. Every due invoice that was ever sent (it has a trace id,
//!    written before its first send) is asked after by that id: accepted,
//!    rejected (with the service's reasons), still in progress, or unknown.
//! 2. Send what the service does not have: new invoices, and those whose
//!    send got no answer and which the service says it never saw, under
//!    their same trace id. An invoice naming another (a return, a
//!    cancellation) waits until that one is accepted.
//! 3. A service that cannot be reached backs off, per invoice, doubling up
//!    to an hour; nothing is lost, and nothing is sent twice.
//!
//! Each change of state goes to the shop's tills at once.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;
use zargar_wire::{TaxMessage, TaxStatus};

use super::TaxError;
use super::client::{Packet, ServiceKey, TaxClient, Verdict};
use super::secret::Secret;
use super::sign::{ShopSigner, encrypt};
use crate::live::{Notice, Notices};
use crate::storage::Storage;
use crate::storage::tax::TaxInvoiceRow;

/// `[tax]` in the server's config file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxConfig {
    /// The API's base: production by default; the sandbox for a trial.
    #[serde(default = "default_url")]
    pub url: String,
    /// The file of the server's secret (see `secret.rs`); relative to the
    /// config file's folder.
    #[serde(default = "default_secret_file")]
    pub secret_file: PathBuf,
    /// Seconds between passes.
    #[serde(default = "default_every")]
    pub every_seconds: u64,
    /// Seconds a request may take before its answer is taken as lost.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// Seconds after a send before its verdict is asked for.
    #[serde(default = "default_inquire_after")]
    pub inquire_after_seconds: u64,
    /// The first wait after a failed send, in seconds; it doubles, to an hour.
    #[serde(default = "default_retry")]
    pub retry_seconds: u64,
}

fn default_url() -> String {
    super::client::PRODUCTION.to_owned()
}
fn default_secret_file() -> PathBuf {
    PathBuf::from("zargar-server.secret")
}
fn default_every() -> u64 {
    10
}
fn default_timeout() -> u64 {
    20
}
fn default_inquire_after() -> u64 {
    10
}
fn default_retry() -> u64 {
    30
}

impl Default for TaxConfig {
    fn default() -> Self {
        TaxConfig {
            url: default_url(),
            secret_file: default_secret_file(),
            every_seconds: default_every(),
            timeout_seconds: default_timeout(),
            inquire_after_seconds: default_inquire_after(),
            retry_seconds: default_retry(),
        }
    }
}

/// The most invoices one pass takes per shop.
const BATCH: u32 = 200;
/// How long the service's key is trusted before it is fetched again.
const KEY_AGE: Duration = Duration::from_secs(3600);
const MAX_WAIT: i64 = 3600;

/// What one pass did for a shop.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub failed: usize,
}

pub struct TaxQueue {
    storage: Arc<dyn Storage>,
    notices: Option<Arc<Notices>>,
    client: TaxClient,
    secret: Secret,
    config: TaxConfig,
    key: Mutex<Option<(ServiceKey, Instant)>>,
}

impl std::fmt::Debug for TaxQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaxQueue").field("config", &self.config).finish_non_exhaustive()
    }
}

impl TaxQueue {
    pub fn new(
        storage: Arc<dyn Storage>,
        notices: Option<Arc<Notices>>,
        secret: Secret,
        config: TaxConfig,
    ) -> Result<TaxQueue, TaxError> {
        let client = TaxClient::new(&config.url, Duration::from_secs(config.timeout_seconds.max(1)))?;
        Ok(TaxQueue { storage, notices, client, secret, config, key: Mutex::new(None) })
    }

    /// The queue, telling the serving process's live tills of each change.
    pub fn telling(mut self, notices: Arc<Notices>) -> TaxQueue {
        self.notices = Some(notices);
        self
    }

    fn wait(&self, attempts: u32) -> chrono::Duration {
        let base = i64::try_from(self.config.retry_seconds.max(1)).unwrap_or(MAX_WAIT);
        let doubled = base.saturating_mul(1i64 << attempts.saturating_sub(1).min(16)).min(MAX_WAIT);
        // Up to a fifth more, so that many shops do not come back at once.
        let jitter = rand::random_range(0..=doubled / 5);
        chrono::Duration::seconds(doubled + jitter)
    }

    async fn service_key(&self, signer: &ShopSigner, memory_id: &str) -> Result<ServiceKey, TaxError> {
        if let Ok(k) = self.key.lock()
            && let Some((key, at)) = k.as_ref()
            && at.elapsed() < KEY_AGE
        {
            return Ok(key.clone());
        }
        let key = self.client.service_key(signer, memory_id).await?;
        if let Ok(mut k) = self.key.lock() {
            *k = Some((key.clone(), Instant::now()));
        }
        Ok(key)
    }

    async fn save(&self, tenant: Uuid, row: &TaxInvoiceRow, tell: bool) -> Result<(), TaxError> {
        self.storage.save_tax_invoice(tenant, row, tell).await?;
        if tell && let Some(n) = &self.notices {
            n.changed(tenant, Notice { origin: None });
        }
        Ok(())
    }

    /// One pass over one shop.
    pub async fn pass(&self, tenant: Uuid, now: DateTime<Utc>) -> Result<Pass, TaxError> {
        let mut pass = Pass::default();
        let due = self.storage.due_tax_invoices(tenant, now, BATCH).await?;
        if due.is_empty() {
            return Ok(pass);
        }
        let Some(identity) = self.storage.tax_identity(tenant).await? else { return Ok(pass) };
        let key_pem = self.secret.open(&identity.sealed_key, tenant)?;
        let signer = ShopSigner::new(&key_pem, &identity.cert_pem)?;
        let memory = identity.memory_id.as_str();
        let inquire_after = chrono::Duration::seconds(i64::try_from(self.config.inquire_after_seconds).unwrap_or(10));

        // 1. Ask about everything that was ever sent.
        let asked: Vec<Uuid> = due.iter().filter_map(|r| r.uid).collect();
        let mut verdicts: HashMap<Uuid, Verdict> = HashMap::new();
        if !asked.is_empty() {
            match self.client.inquire(&signer, memory, &asked).await {
                Ok(v) => verdicts.extend(v),
                Err(e) => {
                    // Nothing is known, so nothing is sent: try again later.
                    for mut row in due {
                        row.state.attempts += 1;
                        row.next_at = now + self.wait(row.state.attempts);
                        self.save(tenant, &row, false).await?;
                    }
                    return Err(e);
                }
            }
        }

        let mut to_send = Vec::new();
        for mut row in due {
            let verdict = row.uid.map(|u| verdicts.remove(&u).unwrap_or(Verdict::NotFound));
            match verdict {
                Some(Verdict::Accepted { reference }) => {
                    row.reference = reference.or(row.reference);
                    row.state.status = TaxStatus::Accepted;
                    row.state.messages.clear();
                    row.state.updated_at = now;
                    self.save(tenant, &row, true).await?;
                    pass.accepted += 1;
                }
                Some(Verdict::Rejected { reference, errors }) => {
                    row.reference = reference.or(row.reference);
                    row.state.status = TaxStatus::Rejected;
                    row.state.messages = errors;
                    row.state.updated_at = now;
                    self.save(tenant, &row, true).await?;
                    pass.rejected += 1;
                }
                Some(Verdict::InProgress { reference }) => {
                    let tell = row.state.status != TaxStatus::Sent;
                    row.reference = reference.or(row.reference);
                    row.state.status = TaxStatus::Sent;
                    row.state.updated_at = now;
                    row.next_at = now + inquire_after;
                    self.save(tenant, &row, tell).await?;
                }
                // Taken with a reference, yet unknown: the service is behind; ask again.
                Some(Verdict::NotFound) if row.reference.is_some() => {
                    row.next_at = now + inquire_after;
                    self.save(tenant, &row, false).await?;
                }
                Some(Verdict::NotFound) | None => to_send.push(row),
            }
        }

        // 2. Send what the service does not have, once what it names stands.
        let mut ready = Vec::new();
        for mut row in to_send {
            if let Some(original) = row.state.original_tax_id.clone() {
                let stands = self.storage.tax_invoice(tenant, &original).await?.map(|o| o.state.status);
                match stands {
                    Some(TaxStatus::Accepted) => {}
                    Some(TaxStatus::Rejected) | None => {
                        row.state.status = TaxStatus::Rejected;
                        row.state.messages = vec![TaxMessage {
                            code: "original_rejected".into(),
                            message: "صورتحساب مرجع پذیرفته نشده است".into(),
                        }];
                        row.state.updated_at = now;
                        self.save(tenant, &row, true).await?;
                        pass.rejected += 1;
                        continue;
                    }
                    _ => {
                        row.next_at = now + inquire_after;
                        self.save(tenant, &row, false).await?;
                        continue;
                    }
                }
            }
            if row.uid.is_none() {
                // Written before the send: an answer lost is asked after by it.
                row.uid = Some(Uuid::now_v7());
                self.save(tenant, &row, false).await?;
            }
            ready.push(row);
        }
        if ready.is_empty() {
            return Ok(pass);
        }
        let sent = self.send(&signer, memory, &ready).await;
        match sent {
            Ok(references) => {
                for mut row in ready {
                    row.state.attempts += 1;
                    let uid = row.uid.unwrap_or_default();
                    match references.iter().find(|(u, _)| *u == uid) {
                        Some((_, reference)) => {
                            row.reference = reference.clone();
                            row.state.status = TaxStatus::Sent;
                            row.state.updated_at = now;
                            row.next_at = now + inquire_after;
                            self.save(tenant, &row, true).await?;
                            pass.sent += 1;
                        }
                        None => {
                            row.next_at = now + self.wait(row.state.attempts);
                            self.save(tenant, &row, false).await?;
                            pass.failed += 1;
                        }
                    }
                }
                Ok(pass)
            }
            Err(e) => {
                for mut row in ready {
                    row.state.attempts += 1;
                    row.next_at = now + self.wait(row.state.attempts);
                    self.save(tenant, &row, false).await?;
                }
                Err(e)
            }
        }
    }

    async fn send(
        &self,
        signer: &ShopSigner,
        memory: &str,
        rows: &[TaxInvoiceRow],
    ) -> Result<Vec<(Uuid, Option<String>)>, TaxError> {
        let key = self.service_key(signer, memory).await?;
        let now = Utc::now();
        let packets = rows
            .iter()
            .map(|r| {
                let jws = signer.sign(r.body.as_bytes(), now)?;
                Ok(Packet {
                    uid: r.uid.unwrap_or_default(),
                    fiscal_id: memory.to_owned(),
                    payload: encrypt(&jws, &key.key, &key.id)?,
                })
            })
            .collect::<Result<Vec<_>, TaxError>>()?;
        self.client.send(signer, memory, &packets).await
    }

    /// Passes over every shop with invoices waiting.
    pub async fn pass_all(&self, now: DateTime<Utc>) -> Result<Pass, TaxError> {
        let mut all = Pass::default();
        for tenant in self.storage.tax_tenants().await? {
            match self.pass(tenant, now).await {
                Ok(p) => {
                    all.sent += p.sent;
                    all.accepted += p.accepted;
                    all.rejected += p.rejected;
                    all.failed += p.failed;
                }
                Err(e) => tracing::warn!(%tenant, error = %e, "tax invoices: this pass failed; they wait"),
            }
        }
        Ok(all)
    }
}

/// Runs the queue for as long as the server runs.
pub fn start(queue: TaxQueue) {
    let every = Duration::from_secs(queue.config.every_seconds.max(1));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match queue.pass_all(Utc::now()).await {
                Ok(p) if p != Pass::default() => {
                    tracing::info!(
                        sent = p.sent,
                        accepted = p.accepted,
                        rejected = p.rejected,
                        failed = p.failed,
                        "tax invoices"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "tax invoices: the queue could not look"),
            }
        }
    });
}

//! The embedded default: one SQLite file in WAL mode.
//!
//! Every write goes through one writer thread that commits in groups: it
//! takes whatever pushes are waiting, runs each inside its own savepoint
//! (each op inside a nested one), commits once, and only then answers them
//! all. One fsync is shared by many tills' sales, and "applied" is never
//! said of anything not yet on disk. Reads use their own connections, which
//! WAL lets run beside the writer.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::oneshot;
use uuid::Uuid;
use zargar_wire::{
    Change, ChangeData, ChangeOp, ConflictState, DeviceRole, ExportRow, GoldPricePayload, ItemPayload, ItemStatus, Op,
    PriceScope, PullResponse, SCHEMA_VERSION, SalePayload, StatusResponse, TenantRef, TenantSettings, VatRate,
};

use super::sqlite_push;
use super::{AuditEntry, DeviceAuth, PullOutcome, PushOutcome, SettingsChange, Storage, StorageError};

const MIGRATIONS: &[&str] =
    &[include_str!("../../migrations/0001_init.sql"), include_str!("../../migrations/0002_shop_price_by.sql")];
/// Pushes waiting together are committed together, up to this many.
const GROUP_COMMIT_MAX: usize = 128;
const READERS_KEPT: usize = 8;

type Answer = Result<Box<dyn Any + Send>, StorageError>;

struct Job {
    run: Box<dyn FnOnce(&Connection) -> Answer + Send>,
    reply: oneshot::Sender<Answer>,
}

#[derive(Debug, Clone)]
pub struct SqliteStorage {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Option<mpsc::SyncSender<Job>>>,
    readers: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStorage").field("path", &self.path).finish()
    }
}

fn open_connection(path: &Path) -> Result<Connection, StorageError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // FULL: a result the server answered must survive a power cut, or a till
    // would drop a sale the server no longer has.
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    // Savepoints (one per push, per op, per claim) copy pages to a statement
    // journal; in memory that costs a memcpy instead of a write(2) per page.
    conn.execute_batch("PRAGMA temp_store = MEMORY;")?;
    // Keep cached plans: otherwise SQLite re-prepares every statement whose
    // plan depends on a bound value (the price-at-time lookup) on each use.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), StorageError> {
    let current: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > MIGRATIONS.len() {
        return Err(StorageError::Database(format!(
            "the database is at schema {current}, newer than this server knows ({})",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

fn writer_loop(conn: Connection, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < GROUP_COMMIT_MAX {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            let e = StorageError::from(e);
            for job in jobs {
                let _ = job.reply.send(Err(e.clone()));
            }
            continue;
        }
        let mut answers = Vec::with_capacity(jobs.len());
        for job in jobs {
            let answer = run_in_savepoint(&conn, job.run);
            answers.push((job.reply, answer));
        }
        match conn.execute_batch("COMMIT") {
            Ok(()) => {
                for (reply, answer) in answers {
                    let _ = reply.send(answer);
                }
            }
            Err(e) => {
                let e = StorageError::from(e);
                let _ = conn.execute_batch("ROLLBACK");
                for (reply, _) in answers {
                    let _ = reply.send(Err(e.clone()));
                }
            }
        }
    }
}

/// One job's writes stand or fall together, without touching the others
/// committed in the same group.
fn run_in_savepoint(conn: &Connection, run: Box<dyn FnOnce(&Connection) -> Answer + Send>) -> Answer {
    conn.execute_batch("SAVEPOINT job")?;
    let answer = catch_unwind(AssertUnwindSafe(|| run(conn)))
        .unwrap_or_else(|_| Err(StorageError::Database("a write panicked; it was rolled back".into())));
    if answer.is_err() {
        conn.execute_batch("ROLLBACK TO job")?;
    }
    conn.execute_batch("RELEASE job")?;
    answer
}

impl SqliteStorage {
    /// Opens (or creates) the database and starts its writer thread.
    pub fn open(path: &Path) -> Result<SqliteStorage, StorageError> {
        let mut conn = open_connection(path)?;
        migrate(&mut conn)?;
        let (tx, rx) = mpsc::sync_channel::<Job>(1024);
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer_loop(conn, rx))
            .map_err(|e| StorageError::Database(format!("writer thread: {e}")))?;
        Ok(SqliteStorage {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Mutex::new(Some(tx)),
                readers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// Stops taking writes; the writer finishes what it has and exits.
    pub fn close(&self) {
        if let Ok(mut w) = self.inner.writer.lock() {
            w.take();
        }
    }

    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError> {
        let (reply, answer) = oneshot::channel();
        let job = Job { run: Box::new(move |c| f(c).map(|v| Box::new(v) as Box<dyn Any + Send>)), reply };
        let sender = self
            .inner
            .writer
            .lock()
            .map_err(|_| StorageError::Database("writer lock poisoned".into()))?
            .clone()
            .ok_or_else(|| StorageError::Database("the server is shutting down".into()))?;
        // A full queue blocks: do it off the async threads.
        tokio::task::spawn_blocking(move || sender.send(job))
            .await
            .map_err(|e| StorageError::Database(e.to_string()))?
            .map_err(|_| StorageError::Database("the writer has stopped".into()))?;
        let any = answer.await.map_err(|_| StorageError::Database("the writer has stopped".into()))??;
        any.downcast::<T>().map(|b| *b).map_err(|_| StorageError::Database("writer answer of the wrong type".into()))
    }

    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = inner.readers.lock().ok().and_then(|mut r| r.pop());
            let conn = match pooled {
                Some(c) => c,
                None => open_connection(&inner.path)?,
            };
            let out = f(&conn);
            if let Ok(mut r) = inner.readers.lock()
                && r.len() < READERS_KEPT
            {
                r.push(conn);
            }
            out
        })
        .await
        .map_err(|e| StorageError::Database(e.to_string()))?
    }
}

pub(super) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub(super) fn parse_ts(s: &str) -> Result<DateTime<Utc>, StorageError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StorageError::Database(format!("stored time {s:?}: {e}")))
}

pub(super) fn parse_uuid(s: &str) -> Result<Uuid, StorageError> {
    Uuid::parse_str(s).map_err(|e| StorageError::Database(format!("stored id {s:?}: {e}")))
}

pub(super) fn role_code(r: DeviceRole) -> &'static str {
    match r {
        DeviceRole::Till => "till",
        DeviceRole::Owner => "owner",
    }
}

fn parse_role(s: &str) -> DeviceRole {
    if s == "owner" { DeviceRole::Owner } else { DeviceRole::Till }
}

pub(super) fn status_code(s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::InStock => "in_stock",
        ItemStatus::SoldPending => "sold_pending",
        ItemStatus::Sold => "sold",
        ItemStatus::Reserved => "reserved",
        ItemStatus::Repair => "repair",
        ItemStatus::Returned => "returned",
    }
}

pub(super) fn parse_status(s: &str) -> ItemStatus {
    match s {
        "sold_pending" => ItemStatus::SoldPending,
        "sold" => ItemStatus::Sold,
        "reserved" => ItemStatus::Reserved,
        "repair" => ItemStatus::Repair,
        "returned" => ItemStatus::Returned,
        _ => ItemStatus::InStock,
    }
}

/// The policy a new shop starts with: Iran's VAT schedule, 7% profit, a
/// 2% price tolerance, 5% melting loss, and card-terminal-like offline limits.
pub fn default_settings() -> TenantSettings {
    use rust_decimal::Decimal;
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    TenantSettings {
        vat: vec![
            VatRate { from: day(2020, 3, 20), percent: Decimal::from(9) },
            VatRate { from: day(2024, 3, 20), percent: Decimal::from(10) },
        ],
        profit_percent: Decimal::from(7),
        price_tolerance_percent: Decimal::from(2),
        trade_in_deduction_percent: Decimal::from(5),
        max_offline_hours: 24,
        max_offline_sale: Decimal::from(5_000_000_000u64),
        max_unsynced_total: Decimal::from(50_000_000_000u64),
    }
}

/// Appends a change for pull and gives its position.
pub(super) fn log_change(conn: &Connection, tenant: Uuid, change: &Change) -> Result<(), StorageError> {
    conn.prepare_cached("INSERT INTO changes (tenant_id, change) VALUES (?1, ?2)")?
        .execute(params![tenant.to_string(), serde_json::to_string(change)?])?;
    Ok(())
}

pub(super) fn audit(
    conn: &Connection,
    tenant: Uuid,
    now: DateTime<Utc>,
    actor: &str,
    action: &str,
    subject: &str,
    detail: serde_json::Value,
) -> Result<(), StorageError> {
    conn.prepare_cached(
        "INSERT INTO audit (tenant_id, at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![tenant.to_string(), ts(now), actor, action, subject, detail.to_string()])?;
    Ok(())
}

pub(super) fn load_settings(conn: &Connection, tenant: Uuid) -> Result<(TenantSettings, u64), StorageError> {
    let row: Option<(String, u64)> = conn
        .prepare_cached("SELECT data, version FROM tenant_settings WHERE tenant_id = ?1")?
        .query_row([tenant.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        Some((data, version)) => Ok((serde_json::from_str(&data)?, version)),
        None => Err(StorageError::TenantUnknown),
    }
}

fn tenant_ref(conn: &Connection, id: Uuid) -> Result<TenantRef, StorageError> {
    conn.prepare_cached("SELECT name FROM tenants WHERE id = ?1")?
        .query_row([id.to_string()], |r| r.get::<_, String>(0))
        .optional()?
        .map(|name| TenantRef { id, name })
        .ok_or(StorageError::TenantUnknown)
}

pub(super) fn upsert_item(
    conn: &Connection,
    tenant: Uuid,
    item: &ItemPayload,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    let current: Option<u64> = conn
        .prepare_cached("SELECT version FROM items WHERE tenant_id = ?1 AND id = ?2")?
        .query_row(params![tenant.to_string(), item.item_id.to_string()], |r| r.get(0))
        .optional()?;
    let version = current.map_or(1, |v| v + 1);
    conn.prepare_cached(
        "INSERT INTO items (tenant_id, id, tag, data, status, version, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (tenant_id, id) DO UPDATE SET tag = excluded.tag, data = excluded.data, status = excluded.status,
             version = excluded.version, updated_at = excluded.updated_at",
    )?
    .execute(params![
        tenant.to_string(),
        item.item_id.to_string(),
        item.tag,
        serde_json::to_string(item)?,
        status_code(item.status),
        version,
        ts(now)
    ])?;
    log_change(
        conn,
        tenant,
        &Change { id: item.item_id, version, op: ChangeOp::Upsert, data: ChangeData::Item(item.clone()) },
    )?;
    Ok(version)
}

/// Records a price. The shop's price (origin `server`) goes into the change
/// log for every till; a till's own price stays with that till.
fn insert_price(
    conn: &Connection,
    tenant: Uuid,
    p: &GoldPricePayload,
    origin: &str,
    device: Option<Uuid>,
) -> Result<bool, StorageError> {
    let n = conn
        .prepare_cached(
            "INSERT INTO gold_prices (tenant_id, id, per_gram_18k, mazaneh, set_at, origin, set_by, device_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![
            tenant.to_string(),
            p.price_id.to_string(),
            p.per_gram_18k.to_string(),
            p.mazaneh.map(|m| m.to_string()),
            ts(p.set_at),
            origin,
            p.set_by,
            device.map(|d| d.to_string()),
        ])?;
    if n == 1 && origin == "server" {
        log_change(
            conn,
            tenant,
            &Change { id: p.price_id, version: 1, op: ChangeOp::Upsert, data: ChangeData::GoldPrice(p.clone()) },
        )?;
    }
    Ok(n == 1)
}

/// A price a till pushed: the shop's when the owner set it there (recorded
/// with who and which till), else that till's own.
pub(super) fn add_price(
    conn: &Connection,
    tenant: Uuid,
    p: &GoldPricePayload,
    device: &DeviceAuth,
) -> Result<bool, StorageError> {
    match p.scope {
        PriceScope::Shop => {
            let shop = GoldPricePayload { set_at_till: Some(device.device_name.clone()), ..p.clone() };
            insert_price(conn, tenant, &shop, "server", Some(device.device_id))
        }
        PriceScope::Till => insert_price(conn, tenant, p, "till", Some(device.device_id)),
    }
}

const PRICE_COLUMNS: &str = "p.id, p.per_gram_18k, p.mazaneh, p.set_at, p.origin, p.set_by, d.name";
const PRICE_FROM: &str = "gold_prices p LEFT JOIN devices d ON d.id = p.device_id";

type PriceRow = (String, String, Option<String>, String, String, Option<String>, Option<String>);

fn read_price(r: &rusqlite::Row<'_>) -> rusqlite::Result<PriceRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

pub(super) fn price_from_row(row: PriceRow) -> Result<GoldPricePayload, StorageError> {
    let dec = |s: &str| {
        s.parse::<rust_decimal::Decimal>().map_err(|e| StorageError::Database(format!("stored amount {s:?}: {e}")))
    };
    Ok(GoldPricePayload {
        price_id: parse_uuid(&row.0)?,
        per_gram_18k: dec(&row.1)?,
        mazaneh: row.2.as_deref().map(dec).transpose()?,
        set_at: parse_ts(&row.3)?,
        scope: if row.4 == "server" { PriceScope::Shop } else { PriceScope::Till },
        set_by: row.5,
        set_at_till: row.6,
    })
}

/// The shop's price in force at `at`: the newest one set on the server, or
/// by the owner at a till, at or before it.
pub(super) fn server_price_at(
    conn: &Connection,
    tenant: Uuid,
    at: DateTime<Utc>,
) -> Result<Option<GoldPricePayload>, StorageError> {
    conn.prepare_cached(&format!(
        "SELECT {PRICE_COLUMNS} FROM {PRICE_FROM}
         WHERE p.tenant_id = ?1 AND p.origin = 'server' AND p.set_at <= ?2 ORDER BY p.set_at DESC LIMIT 1"
    ))?
    .query_row(params![tenant.to_string(), ts(at)], read_price)
    .optional()?
    .map(price_from_row)
    .transpose()
}

/// One of the shop's prices, by id (none when the id names a till's own price).
pub(super) fn shop_price(conn: &Connection, tenant: Uuid, id: Uuid) -> Result<Option<GoldPricePayload>, StorageError> {
    conn.prepare_cached(&format!(
        "SELECT {PRICE_COLUMNS} FROM {PRICE_FROM} WHERE p.tenant_id = ?1 AND p.id = ?2 AND p.origin = 'server'"
    ))?
    .query_row(params![tenant.to_string(), id.to_string()], read_price)
    .optional()?
    .map(price_from_row)
    .transpose()
}

#[async_trait]
impl Storage for SqliteStorage {
    async fn create_tenant(&self, name: &str, now: DateTime<Utc>) -> Result<TenantRef, StorageError> {
        let name = name.to_owned();
        self.write(move |c| {
            let t = TenantRef { id: Uuid::now_v7(), name };
            c.execute(
                "INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3)",
                params![t.id.to_string(), t.name, ts(now)],
            )?;
            let settings = default_settings();
            c.execute(
                "INSERT INTO tenant_settings (tenant_id, data, version) VALUES (?1, ?2, 1)",
                params![t.id.to_string(), serde_json::to_string(&settings)?],
            )?;
            log_change(
                c,
                t.id,
                &Change { id: t.id, version: 1, op: ChangeOp::Upsert, data: ChangeData::Settings(settings) },
            )?;
            audit(c, t.id, now, "admin", "tenant.create", &t.id.to_string(), serde_json::json!({ "name": t.name }))?;
            Ok(t)
        })
        .await
    }

    async fn tenant(&self, id: Uuid) -> Result<TenantRef, StorageError> {
        self.read(move |c| tenant_ref(c, id)).await
    }

    async fn add_enrol_code(
        &self,
        tenant: Uuid,
        role: DeviceRole,
        code_hash: [u8; 32],
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.write(move |c| {
            tenant_ref(c, tenant)?;
            c.execute(
                "INSERT INTO enrol_codes (code_hash, tenant_id, role, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![code_hash.as_slice(), tenant.to_string(), role_code(role), ts(now), ts(expires_at)],
            )?;
            audit(c, tenant, now, "admin", "device.enrol_code", role_code(role), serde_json::json!({ "expires_at": ts(expires_at) }))?;
            Ok(())
        })
        .await
    }

    async fn revoke_device(&self, tenant: Uuid, device: Uuid, now: DateTime<Utc>) -> Result<(), StorageError> {
        self.write(move |c| {
            let n = c.execute(
                "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?3) WHERE tenant_id = ?1 AND id = ?2",
                params![tenant.to_string(), device.to_string(), ts(now)],
            )?;
            if n == 0 {
                return Err(StorageError::DeviceUnknown);
            }
            audit(c, tenant, now, "admin", "device.revoke", &device.to_string(), serde_json::json!({}))?;
            Ok(())
        })
        .await
    }

    async fn devices(&self, tenant: Uuid) -> Result<Vec<DeviceAuth>, StorageError> {
        self.read(move |c| {
            let t = tenant_ref(c, tenant)?;
            let mut stmt = c.prepare(
                "SELECT id, name, role, revoked_at IS NOT NULL FROM devices WHERE tenant_id = ?1 ORDER BY enrolled_at",
            )?;
            let rows = stmt.query_map([tenant.to_string()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, bool>(3)?))
            })?;
            rows.map(|row| {
                let (id, name, role, revoked) = row?;
                Ok(DeviceAuth {
                    tenant: t.clone(),
                    device_id: parse_uuid(&id)?,
                    device_name: name,
                    role: parse_role(&role),
                    revoked,
                })
            })
            .collect()
        })
        .await
    }

    async fn import_items(
        &self,
        tenant: Uuid,
        items: Vec<ItemPayload>,
        now: DateTime<Utc>,
    ) -> Result<usize, StorageError> {
        self.write(move |c| {
            tenant_ref(c, tenant)?;
            let n = items.len();
            for mut item in items {
                // A re-import by tag updates the piece the server already knows.
                let existing: Option<(String, String)> = c
                    .prepare_cached("SELECT id, status FROM items WHERE tenant_id = ?1 AND tag = ?2")?
                    .query_row(params![tenant.to_string(), item.tag], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                if let Some((id, status)) = existing {
                    item.item_id = parse_uuid(&id)?;
                    item.status = parse_status(&status);
                }
                upsert_item(c, tenant, &item, now)?;
            }
            audit(c, tenant, now, "admin", "item.import", &format!("{n} items"), serde_json::json!({ "count": n }))?;
            Ok(n)
        })
        .await
    }

    async fn set_gold_price(&self, tenant: Uuid, price: GoldPricePayload) -> Result<(), StorageError> {
        self.write(move |c| {
            tenant_ref(c, tenant)?;
            insert_price(c, tenant, &price, "server", None)?;
            audit(
                c,
                tenant,
                price.set_at,
                "admin",
                "gold_price.set",
                &price.price_id.to_string(),
                serde_json::json!({ "per_gram_18k": price.per_gram_18k.to_string() }),
            )?;
            Ok(())
        })
        .await
    }

    async fn update_settings(
        &self,
        tenant: Uuid,
        change: SettingsChange,
        now: DateTime<Utc>,
    ) -> Result<TenantSettings, StorageError> {
        self.write(move |c| {
            let (mut s, version) = load_settings(c, tenant)?;
            if let Some(v) = change.vat.clone() {
                s.vat.retain(|r| r.from != v.from);
                s.vat.push(v);
                s.vat.sort_by_key(|r| r.from);
            }
            if let Some(v) = change.profit_percent {
                s.profit_percent = v;
            }
            if let Some(v) = change.price_tolerance_percent {
                s.price_tolerance_percent = v;
            }
            if let Some(v) = change.trade_in_deduction_percent {
                s.trade_in_deduction_percent = v;
            }
            if let Some(v) = change.max_offline_hours {
                s.max_offline_hours = v;
            }
            if let Some(v) = change.max_offline_sale {
                s.max_offline_sale = v;
            }
            if let Some(v) = change.max_unsynced_total {
                s.max_unsynced_total = v;
            }
            let version = version + 1;
            c.execute(
                "UPDATE tenant_settings SET data = ?2, version = ?3 WHERE tenant_id = ?1",
                params![tenant.to_string(), serde_json::to_string(&s)?, version],
            )?;
            log_change(
                c,
                tenant,
                &Change { id: tenant, version, op: ChangeOp::Upsert, data: ChangeData::Settings(s.clone()) },
            )?;
            audit(c, tenant, now, "admin", "settings.update", &tenant.to_string(), serde_json::to_value(&s)?)?;
            Ok(s)
        })
        .await
    }

    async fn audit_log(&self, tenant: Uuid) -> Result<Vec<AuditEntry>, StorageError> {
        self.read(move |c| {
            let mut stmt =
                c.prepare("SELECT at, actor, action, subject, detail FROM audit WHERE tenant_id = ?1 ORDER BY id")?;
            let rows = stmt.query_map([tenant.to_string()], |r| {
                Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?))
            })?;
            rows.map(|row| {
                let (at, actor, action, subject, detail) = row?;
                Ok(AuditEntry { at: parse_ts(&at)?, actor, action, subject, detail: serde_json::from_str(&detail)? })
            })
            .collect()
        })
        .await
    }

    async fn enroll(
        &self,
        code_hash: [u8; 32],
        device_id: Uuid,
        name: &str,
        token_hash: [u8; 32],
        now: DateTime<Utc>,
    ) -> Result<(TenantRef, DeviceRole), StorageError> {
        let name = name.to_owned();
        self.write(move |c| {
            let code: Option<(String, String, String, Option<String>)> = c
                .query_row(
                    "SELECT tenant_id, role, expires_at, used_at FROM enrol_codes WHERE code_hash = ?1",
                    [code_hash.as_slice()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let Some((tenant, role, expires_at, None)) = code else {
                return Err(StorageError::CodeInvalid);
            };
            if parse_ts(&expires_at)? <= now {
                return Err(StorageError::CodeInvalid);
            }
            let exists: bool = c.query_row("SELECT EXISTS (SELECT 1 FROM devices WHERE id = ?1)", [device_id.to_string()], |r| r.get(0))?;
            if exists {
                return Err(StorageError::DeviceExists);
            }
            c.execute(
                "UPDATE enrol_codes SET used_at = ?2, used_by = ?3 WHERE code_hash = ?1",
                params![code_hash.as_slice(), ts(now), device_id.to_string()],
            )?;
            c.execute(
                "INSERT INTO devices (id, tenant_id, name, role, token_hash, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![device_id.to_string(), tenant, name, role, token_hash.as_slice(), ts(now)],
            )?;
            let tenant = tenant_ref(c, parse_uuid(&tenant)?)?;
            audit(c, tenant.id, now, &name, "device.enroll", &device_id.to_string(), serde_json::json!({ "role": role }))?;
            Ok((tenant, parse_role(&role)))
        })
        .await
    }

    async fn authenticate(&self, token_hash: [u8; 32]) -> Result<Option<DeviceAuth>, StorageError> {
        self.read(move |c| {
            let row: Option<(String, String, String, String, Vec<u8>, bool, String)> = c
                .prepare_cached(
                    "SELECT d.id, d.name, d.role, d.tenant_id, d.token_hash, d.revoked_at IS NOT NULL, t.name
                     FROM devices d JOIN tenants t ON t.id = d.tenant_id WHERE d.token_hash = ?1",
                )?
                .query_row([token_hash.as_slice()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
                })
                .optional()?;
            let Some((id, name, role, tenant, stored, revoked, tenant_name)) = row else {
                return Ok(None);
            };
            // The index found the row; compare the whole hash in constant time anyway.
            if !crate::auth::same_hash(&stored, &token_hash) {
                return Ok(None);
            }
            Ok(Some(DeviceAuth {
                tenant: TenantRef { id: parse_uuid(&tenant)?, name: tenant_name },
                device_id: parse_uuid(&id)?,
                device_name: name,
                role: parse_role(&role),
                revoked,
            }))
        })
        .await
    }

    async fn push(&self, device: &DeviceAuth, ops: Vec<Op>, now: DateTime<Utc>) -> Result<PushOutcome, StorageError> {
        let device = device.clone();
        self.write(move |c| sqlite_push::push(c, &device, &ops, now)).await
    }

    async fn pull(&self, tenant: Uuid, cursor: u64, limit: u32) -> Result<PullOutcome, StorageError> {
        self.read(move |c| {
            let (floor, last): (u64, u64) = c.query_row(
                "SELECT t.change_floor, COALESCE((SELECT MAX(pos) FROM changes), 0) FROM tenants t WHERE t.id = ?1",
                [tenant.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if cursor < floor || cursor > last {
                return Ok(PullOutcome::Reset);
            }
            let mut stmt = c.prepare_cached(
                "SELECT pos, change FROM changes WHERE tenant_id = ?1 AND pos > ?2 ORDER BY pos LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![tenant.to_string(), cursor, limit + 1], |r| {
                Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?))
            })?;
            let mut changes = Vec::new();
            let mut next = cursor;
            let mut has_more = false;
            for row in rows {
                let (pos, json) = row?;
                if changes.len() == limit as usize {
                    has_more = true;
                    break;
                }
                changes.push(serde_json::from_str::<Change>(&json)?);
                next = pos;
            }
            Ok(PullOutcome::Page(PullResponse { changes, next_cursor: crate::api::encode_cursor(next), has_more }))
        })
        .await
    }

    async fn status(&self, device: &DeviceAuth, now: DateTime<Utc>) -> Result<StatusResponse, StorageError> {
        let device = device.clone();
        self.read(move |c| {
            let acked_seq: u64 =
                c.query_row("SELECT last_seq FROM devices WHERE id = ?1", [device.device_id.to_string()], |r| {
                    r.get(0)
                })?;
            let open_conflicts: u64 = c.query_row(
                "SELECT COUNT(*) FROM conflicts WHERE tenant_id = ?1 AND device_id = ?2 AND open = 1",
                params![device.tenant.id.to_string(), device.device_id.to_string()],
                |r| r.get(0),
            )?;
            Ok(StatusResponse {
                device_id: device.device_id,
                device_name: device.device_name,
                role: device.role,
                tenant: device.tenant,
                acked_seq,
                open_conflicts,
                server_time: now,
                schema_version: SCHEMA_VERSION,
            })
        })
        .await
    }

    async fn conflicts(&self, tenant: Uuid, open_only: bool) -> Result<Vec<ConflictState>, StorageError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT state FROM conflicts WHERE tenant_id = ?1 AND (?2 = 0 OR open = 1) ORDER BY created_at, id",
            )?;
            let rows = stmt.query_map(params![tenant.to_string(), open_only], |r| r.get::<_, String>(0))?;
            rows.map(|row| Ok(serde_json::from_str(&row?)?)).collect()
        })
        .await
    }

    async fn export(
        &self,
        tenant: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ExportRow>, StorageError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT s.payload, s.status, s.device_id, d.name FROM sales s JOIN devices d ON d.id = s.device_id
                 WHERE s.tenant_id = ?1 AND s.sold_at >= ?2 AND s.sold_at < ?3 ORDER BY s.sold_at, s.id",
            )?;
            let rows = stmt.query_map(params![tenant.to_string(), ts(from), ts(to)], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (payload, status, device_id, device_name) = row?;
                let sale: SalePayload = serde_json::from_str(&payload)?;
                let device_id = parse_uuid(&device_id)?;
                for (i, l) in sale.lines.iter().enumerate() {
                    out.push(ExportRow {
                        sale_id: sale.sale_id,
                        invoice_no: sale.invoice_no,
                        device_id,
                        device_name: device_name.clone(),
                        sold_at: sale.sold_at,
                        line_no: u32::try_from(i + 1).unwrap_or(u32::MAX),
                        item_id: l.item_id,
                        tag: l.tag.clone(),
                        name: l.name.clone(),
                        weight: l.weight,
                        purity: l.purity,
                        per_gram_18k: sale.gold_price.per_gram_18k,
                        gold: l.gold,
                        wage: l.wage,
                        profit: l.profit,
                        vat: l.vat,
                        stones: l.stones,
                        total: l.total,
                        sync_status: status.clone(),
                    });
                }
            }
            Ok(out)
        })
        .await
    }

    async fn gold_price(&self, tenant: Uuid) -> Result<Option<GoldPricePayload>, StorageError> {
        self.read(move |c| {
            // The shop's newest price; a till's own prices are not the shop's.
            c.prepare_cached(&format!(
                "SELECT {PRICE_COLUMNS} FROM {PRICE_FROM}
                 WHERE p.tenant_id = ?1 AND p.origin = 'server' ORDER BY p.set_at DESC LIMIT 1"
            ))?
            .query_row([tenant.to_string()], read_price)
            .optional()?
            .map(price_from_row)
            .transpose()
        })
        .await
    }

    async fn settings(&self, tenant: Uuid) -> Result<TenantSettings, StorageError> {
        self.read(move |c| load_settings(c, tenant).map(|(s, _)| s)).await
    }

    async fn ping(&self) -> Result<(), StorageError> {
        self.read(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(StorageError::from)).await
    }
}

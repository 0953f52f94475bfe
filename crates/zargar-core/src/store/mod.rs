//! The till's embedded store: one SQLite file in WAL mode with
//! `synchronous=FULL`, so a transaction that returned from COMMIT survives a
//! crash or a power cut. Every user action that writes is one transaction,
//! and "saved" is said only after it committed.

mod accounts;
mod catalog;
mod journal;
mod migrate;
mod outbox;
mod people;
mod plans;
mod policy;
mod printers;
mod report;
mod resubmit;
mod returns;
mod sale_rows;
mod sales;
mod settings;
mod shifts;
mod sync;
mod tax;
mod till;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

pub use crate::refund::ReturnRequest;
pub use catalog::ItemFilter;
pub use migrate::{MIGRATIONS, SCHEMA_VERSION, run_to as migrate_to};
pub use outbox::{PendingOp, TillStatus};
pub use people::{ManagerApproval, Person, PersonEdit, parse_discount_limit};
pub use policy::{Cleaned, OwnerApproval, ShopPolicy};
pub use printers::{Printers, PrintersInput};
pub use report::TimeSpan;
pub use report::{DayEntry, EntryKind, ExportRow, MethodTotals, OldGold, SalesReport};
pub use resubmit::{DueChange, ResubmitPreview, SaleEdit};
pub use returns::{RecordedReturn, ReturnQuote};
pub use sales::{DraftSale, RecordedSale, Warning};
pub use settings::{SettingKey, ShopSettings};
pub use shifts::{CashMove, NOTES, NoteCount, Shift, ShiftReport, ZReport};
pub use sync::{PullApplied, PushApplied, ResolutionQueued, ResolveRequest, SyncFault, SyncLink, TillConflict};
pub use till::{Owner, TillAlert};

use crate::error::StoreError;

/// This till, as set up by `init`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    pub device_id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// The till's database. Holds the one writer connection; it is `Send` but
/// not `Sync`, so a multi-threaded shell keeps it behind a mutex.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    device: Option<Device>,
    session: people::Session,
}

/// Pragmas the durability promise rests on; the benchmark's bare insert uses
/// the same ones. Statement journals (a statement's undo inside a larger
/// transaction) stay in memory: they never outlive their transaction, and
/// as files they cost a create, write and truncate per statement.
pub const PRAGMAS: &str = "PRAGMA journal_mode = WAL;
     PRAGMA synchronous = FULL;
     PRAGMA foreign_keys = ON;
     PRAGMA temp_store = MEMORY;";

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema
    /// up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)?;
        // Another process (a second `zargar`, the app) may hold the write
        // lock for a moment; wait for it rather than fail the cashier.
        conn.busy_timeout(Duration::from_secs(10))?;
        migrate::refuse_newer(&conn)?;
        conn.execute_batch(PRAGMAS)?;
        // Keep each cached statement's plan: without this SQLite 3.54
        // re-prepares statements whose plan depends on a bound value (a
        // LIMIT ?, an ORDER BY on a parameter) every time they are reused.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        migrate::run(&mut conn)?;
        let device = read_device(&conn)?;
        let mut store = Store { conn, device, session: people::Session::default() };
        store.adopt_legacy_owner()?;
        Ok(store)
    }

    /// Sets this till up once: its id and its name on invoices.
    pub fn init_device(&mut self, name: &str, now: DateTime<Utc>) -> Result<Device, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(crate::error::ValidationError::new(crate::error::Field::DeviceName, name).into());
        }
        if let Some(d) = &self.device {
            return Err(StoreError::AlreadyInitialized(d.name.clone()));
        }
        let device = Device { device_id: Uuid::now_v7(), name: name.to_owned(), created_at: now };
        self.conn.execute(
            "INSERT INTO device (singleton, device_id, name, created_at) VALUES (1, ?1, ?2, ?3)",
            params![device.device_id.to_string(), device.name, ts(now)],
        )?;
        self.device = Some(device.clone());
        Ok(device)
    }

    pub fn device(&self) -> Result<&Device, StoreError> {
        self.device.as_ref().ok_or(StoreError::NotInitialized)
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// A consistent copy of the live database (SQLite's online backup), safe
    /// while the till keeps selling.
    pub fn backup(&self, dest: &Path) -> Result<(), StoreError> {
        if dest.exists() {
            return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, dest.display().to_string()).into());
        }
        self.conn.backup(rusqlite::MAIN_DB, dest, None::<fn(rusqlite::backup::Progress)>)?;
        Ok(())
    }

    /// Copies the write-ahead log into the database file (a passive
    /// checkpoint: it never waits for, nor blocks, another connection).
    /// Call it when the till is idle: SQLite would otherwise do it inside
    /// the commit of every ~45th sale (1000 pages), adding a millisecond to
    /// that sale. Durability does not depend on it: a committed sale is
    /// already synced in the log.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    fn write_tx(&mut self) -> Result<Transaction<'_>, StoreError> {
        // IMMEDIATE takes the write lock up front: no deadlock-prone upgrade
        // from a read lock when two processes write at once.
        Ok(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// A direct handle for tests and tools that inspect the file.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

fn read_device(conn: &Connection) -> Result<Option<Device>, StoreError> {
    conn.query_row("SELECT device_id, name, created_at FROM device WHERE singleton = 1", [], |r| {
        <(String, String, String)>::try_from(r)
    })
    .optional()?
    .map(|(id, name, at)| Ok(Device { device_id: parse_uuid(&id)?, name, created_at: parse_ts(&at)? }))
    .transpose()
}

/// Takes the next value of a gapless counter inside the caller's transaction.
fn next_counter(tx: &Transaction<'_>, name: &str) -> Result<u64, StoreError> {
    let v: i64 = tx
        .prepare_cached("UPDATE counters SET value = value + 1 WHERE name = ?1 RETURNING value")?
        .query_row([name], |r| r.get(0))?;
    u64::try_from(v).map_err(|_| StoreError::Corrupt(format!("counter {name} is {v}")))
}

/// Instants are stored as fixed-width RFC 3339 UTC, so text order is time order.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("time {s:?}")))
}

pub(crate) fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|_| StoreError::Corrupt(format!("id {s:?}")))
}

pub(crate) fn parse_dec(s: &str) -> Result<Decimal, StoreError> {
    Decimal::from_str(s).map_err(|_| StoreError::Corrupt(format!("number {s:?}")))
}

pub(crate) fn rial_sql(r: zargar_rules::money::Rial) -> Result<i64, StoreError> {
    r.to_i64().ok_or(StoreError::Pricing(crate::error::PricingError::Overflow))
}

pub(crate) fn u64_sql(v: i64) -> Result<u64, StoreError> {
    u64::try_from(v).map_err(|_| StoreError::Corrupt(format!("negative count {v}")))
}

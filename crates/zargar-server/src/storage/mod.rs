//! The server's database, behind one trait so that a deployment that
//! outgrows one box can swap embedded SQLite for PostgreSQL.
//!
//! The trait speaks in the protocol's terms (push a batch, pull a page),
//! not in SQL. What a push does is written once, in `push` (and the
//! owner's writes in `shop`), against a transaction on one shop
//! (`tx::TenantTx`) that each backend implements. What an implementation
//! must guarantee is written on each method.

mod accounts;
pub mod codes;
mod conflicts;
pub mod copy;
pub mod log;
mod people;
mod plans;
pub mod postgres;
pub mod push;
pub mod shop;
pub mod sqlite;
pub mod tax;
pub mod tx;

use std::sync::Arc;

pub use self::log::{ChangePos, Pruned, PullOutcome, PullPage};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;
use zargar_wire::{
    ConflictState, DeviceRole, ExportRow, GoldPricePayload, ItemPayload, Op, PushResponse, SalePayload, StatusResponse,
    TenantRef, TenantSettings,
};

/// Where the server's data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// One SQLite file, created and migrated on open: the default.
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL URL for the server's role; `zargar-server migrate` made the schema.
    Postgres(String),
}

impl Database {
    /// Opens the database; `pool_size` is PostgreSQL's connections per process.
    pub async fn open(&self, pool_size: usize) -> Result<Arc<dyn Storage>, StorageError> {
        Ok(match self {
            Database::Sqlite(path) => Arc::new(sqlite::SqliteStorage::open(path)?),
            Database::Postgres(url) => Arc::new(postgres::PgStorage::connect(url, pool_size).await?),
        })
    }
}

/// A device as its token identifies it. The tenant in here is the only
/// tenant any request may touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceAuth {
    pub tenant: TenantRef,
    pub device_id: Uuid,
    pub device_name: String,
    pub role: DeviceRole,
    pub revoked: bool,
}

/// What went wrong below the protocol. `Unavailable` is worth retrying
/// (the database is restarting, the server is shutting down); `Backend`
/// is a fault, with its source kept for the log.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StorageError {
    #[error("no such tenant")]
    TenantUnknown,
    #[error("no such device")]
    DeviceUnknown,
    #[error("the device is revoked")]
    DeviceRevoked,
    #[error("the enrolment code is unknown, used or expired")]
    CodeInvalid,
    #[error("a device with this id is already enrolled")]
    DeviceExists,
    #[error("an item with tag {0} already exists")]
    TagTaken(String),
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// The database is not one this server may run on (its schema, its role).
    #[error("{0}")]
    Setup(String),
    #[error("the database failed")]
    Backend(#[source] Arc<dyn std::error::Error + Send + Sync>),
}

impl StorageError {
    pub fn backend(e: impl std::error::Error + Send + Sync + 'static) -> StorageError {
        StorageError::Backend(Arc::new(e))
    }

    /// The error and every error under it, for the log.
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            out.push_str(": ");
            out.push_str(&e.to_string());
            next = e.source();
        }
        out
    }

    /// A value in the database that does not read as what it should be.
    pub fn stored(what: impl Into<String>) -> StorageError {
        StorageError::backend(StoredValueError(what.into()))
    }
}

/// A stored value that does not parse: a fault of the database, not of a request.
#[derive(Debug, thiserror::Error)]
#[error("stored value: {0}")]
pub struct StoredValueError(String);

impl From<serde_json::Error> for StorageError {
    fn from(e: serde_json::Error) -> Self {
        StorageError::stored(format!("JSON: {e}"))
    }
}

/// A single-use enrolment code as stored: only its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnrolCode {
    pub tenant: Uuid,
    pub role: DeviceRole,
    /// A re-enrolment code: only this device (of the shop) may use it; it
    /// keeps its id and seq series, and its old token stops working.
    pub device: Option<Uuid>,
    pub code_hash: [u8; 32],
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A till taking a code: two hashes of the same type, so named, not placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment<'a> {
    pub code_hash: [u8; 32],
    pub device_id: Uuid,
    pub name: &'a str,
    pub token_hash: [u8; 32],
    pub now: DateTime<Utc>,
}

/// What a push came to.
#[derive(Debug, Clone, PartialEq)]
pub enum PushOutcome {
    Done(PushResponse),
    /// A gap or a rewind with an unknown op: nothing was applied.
    SeqMismatch {
        expected_seq: u64,
    },
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
}

/// A change the owner makes to the shop's settings; absent fields stay.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SettingsChange {
    pub vat: Option<zargar_wire::VatRate>,
    pub profit_percent: Option<rust_decimal::Decimal>,
    pub price_tolerance_percent: Option<rust_decimal::Decimal>,
    pub trade_in_deduction_percent: Option<rust_decimal::Decimal>,
    pub max_offline_hours: Option<u32>,
    pub max_offline_sale: Option<rust_decimal::Decimal>,
    pub max_unsynced_total: Option<rust_decimal::Decimal>,
    pub retention_days: Option<u32>,
}

#[async_trait]
pub trait Storage: Send + Sync + 'static {
    // ---- the owner's administration (the `zargar-server` subcommands)

    async fn create_tenant(&self, name: &str, now: DateTime<Utc>) -> Result<TenantRef, StorageError>;
    async fn tenant(&self, id: Uuid) -> Result<TenantRef, StorageError>;
    /// Stores the hash of a single-use code for its tenant, valid until it expires.
    async fn add_enrol_code(&self, code: EnrolCode) -> Result<(), StorageError>;
    /// Revokes a device of `tenant`; every later call with its token gets 403.
    async fn revoke_device(&self, tenant: Uuid, device: Uuid, now: DateTime<Utc>) -> Result<(), StorageError>;
    async fn devices(&self, tenant: Uuid) -> Result<Vec<DeviceAuth>, StorageError>;
    /// Adds or replaces pieces by tag, each with a change for pull. All or none.
    async fn import_items(
        &self,
        tenant: Uuid,
        items: Vec<ItemPayload>,
        now: DateTime<Utc>,
    ) -> Result<usize, StorageError>;
    async fn set_gold_price(&self, tenant: Uuid, price: GoldPricePayload) -> Result<(), StorageError>;
    async fn update_settings(
        &self,
        tenant: Uuid,
        change: SettingsChange,
        now: DateTime<Utc>,
    ) -> Result<TenantSettings, StorageError>;
    async fn audit_log(&self, tenant: Uuid) -> Result<Vec<AuditEntry>, StorageError>;
    /// After an administrator's change (an import, a price, settings):
    /// tells the shop's connected tills in every server process to pull.
    /// Only PostgreSQL reaches the serving processes from here; with SQLite
    /// they learn at their next round.
    async fn announce(&self, _tenant: Uuid) -> Result<(), StorageError> {
        Ok(())
    }

    // ---- what devices do

    /// Uses a code once (atomically: two tills racing for one code, one
    /// wins) and registers the device under the hash of its token.
    async fn enroll(&self, enrolment: Enrolment<'_>) -> Result<(TenantRef, DeviceRole), StorageError>;
    /// The device whose token hashes to `token_hash`, revoked or not.
    async fn authenticate(&self, token_hash: [u8; 32]) -> Result<Option<DeviceAuth>, StorageError>;
    /// Applies a batch of ops in seq order. Per op, atomically: a seen
    /// `op_id` answers its stored result; otherwise the seq must be the next
    /// one, the business rules decide applied/conflict/rejected, and the
    /// result and `last_seq` are stored with the op's effects. Nothing is
    /// answered before it is durable.
    async fn push(&self, device: &DeviceAuth, ops: Vec<Op>, now: DateTime<Utc>) -> Result<PushOutcome, StorageError>;
    /// Changes of the device's tenant after `cursor` (the default: from the
    /// start). A change committed later never sorts before one already given.
    async fn pull(&self, tenant: Uuid, cursor: ChangePos, limit: u32) -> Result<PullOutcome, StorageError>;
    async fn status(&self, device: &DeviceAuth, now: DateTime<Utc>) -> Result<StatusResponse, StorageError>;
    async fn conflicts(&self, tenant: Uuid, open_only: bool) -> Result<Vec<ConflictState>, StorageError>;
    /// Sale lines of the tenant sold in `[from, to)`, oldest first.
    async fn export(
        &self,
        tenant: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ExportRow>, StorageError>;
    /// The owner's view of `[from, to)`: sales and returns per Tehran day,
    /// till and person, by hour, and the tills' Z reports (`reports.rs`).
    async fn shop_report(
        &self,
        tenant: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<zargar_wire::ShopReport, StorageError>;
    async fn gold_price(&self, tenant: Uuid) -> Result<Option<GoldPricePayload>, StorageError>;
    async fn settings(&self, tenant: Uuid) -> Result<TenantSettings, StorageError>;
    /// Retention: removes the stored answers to ops received before
    /// `before`, and the changes logged before it that a later change of
    /// the same thing replaces (the newest of each thing stays, so a till
    /// pulling from the start still gets the whole shop). The floor rises
    /// past every pruned position: a cursor below it is answered 410.
    async fn prune(&self, tenant: Uuid, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<Pruned, StorageError>;
    // ---- legal invoices (`tax.rs`; sent by `crate::tax::queue`)

    /// Sets the shop's tax identity (its key already sealed) and its legal block in the settings.
    async fn set_tax_identity(
        &self,
        tenant: Uuid,
        identity: tax::StoredTaxIdentity,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError>;
    async fn tax_identity(&self, tenant: Uuid) -> Result<Option<tax::StoredTaxIdentity>, StorageError>;
    /// The shops with invoices queued or sent (only their ids).
    async fn tax_tenants(&self) -> Result<Vec<Uuid>, StorageError>;
    async fn due_tax_invoices(
        &self,
        tenant: Uuid,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<tax::TaxInvoiceRow>, StorageError>;
    async fn tax_invoice(&self, tenant: Uuid, tax_id: &str) -> Result<Option<tax::TaxInvoiceRow>, StorageError>;
    /// Stores an invoice's new state; with `tell`, every till pulls it.
    async fn save_tax_invoice(&self, tenant: Uuid, row: &tax::TaxInvoiceRow, tell: bool) -> Result<(), StorageError>;
    /// The newest first.
    async fn tax_invoices(&self, tenant: Uuid, limit: u32) -> Result<Vec<tax::TaxInvoiceRow>, StorageError>;

    /// Stops taking new work; what is under way finishes.
    fn close(&self) {}
    /// Whether the database answers; for `/healthz`.
    async fn ping(&self) -> Result<(), StorageError>;
}

/// A sale as stored: its payload, status, till (id and name) and seller
/// (`{"id", "name"}` as JSON).
pub(crate) type StoredSale = (SalePayload, String, Uuid, String, Option<String>);

/// A return as stored: its payload, till (id and name) and who gave it back.
pub(crate) type StoredReturn = (zargar_wire::ReturnPayload, Uuid, String, Option<String>);

/// A till's closed shift as stored, with the till (id and name).
pub(crate) type StoredShift = (zargar_wire::ShiftPayload, Uuid, String);

/// The name in a stored `{"id", "name"}`.
pub(crate) fn person_name(stored: Option<String>) -> Result<Option<String>, StorageError> {
    stored
        .map(|s| serde_json::from_str::<zargar_wire::PersonRef>(&s))
        .transpose()
        .map(|p| p.map(|p| p.name))
        .map_err(|e| StorageError::stored(format!("person: {e}")))
}

/// Export rows of the sales stored.
pub(crate) fn export_rows(
    sales: impl IntoIterator<Item = Result<StoredSale, StorageError>>,
) -> Result<Vec<ExportRow>, StorageError> {
    let mut out = Vec::new();
    for sale in sales {
        let (sale, status, device_id, device_name, seller) = sale?;
        let seller = person_name(seller)?;
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
                seller: seller.clone(),
                wage_discount: l.wage_discount,
                profit_discount: l.profit_discount,
            });
        }
    }
    Ok(out)
}

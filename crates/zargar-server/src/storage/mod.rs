//! The server's database, behind one trait so that a deployment that
//! outgrows one box can swap embedded SQLite for PostgreSQL.
//!
//! The trait speaks in the protocol's terms (push a batch, pull a page),
//! not in SQL: each implementation runs a push as its own transactions with
//! the same pure checks (`crate::checks`). What an implementation must
//! guarantee is written on each method.

pub mod sqlite;
mod sqlite_push;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;
use zargar_wire::{
    ConflictState, DeviceRole, ExportRow, GoldPricePayload, ItemPayload, Op, PullResponse, PushResponse,
    StatusResponse, TenantRef, TenantSettings,
};

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

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    #[error("database: {0}")]
    Database(String),
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        StorageError::Database(e.to_string())
    }
}

impl From<serde_json::Error> for StorageError {
    fn from(e: serde_json::Error) -> Self {
        StorageError::Database(format!("stored JSON: {e}"))
    }
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

/// What a pull came to.
#[derive(Debug, Clone, PartialEq)]
pub enum PullOutcome {
    Page(PullResponse),
    /// The cursor is older than what the log keeps, or from another log.
    Reset,
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
}

#[async_trait]
pub trait Storage: Send + Sync + 'static {
    // ---- the owner's administration (the `zargar-server` subcommands)

    async fn create_tenant(&self, name: &str, now: DateTime<Utc>) -> Result<TenantRef, StorageError>;
    async fn tenant(&self, id: Uuid) -> Result<TenantRef, StorageError>;
    /// Stores the hash of a single-use code for `tenant`, valid until `expires_at`.
    async fn add_enrol_code(
        &self,
        tenant: Uuid,
        role: DeviceRole,
        code_hash: [u8; 32],
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StorageError>;
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

    // ---- what devices do

    /// Uses a code once (atomically: two tills racing for one code, one
    /// wins) and registers the device under the hash of its token.
    async fn enroll(
        &self,
        code_hash: [u8; 32],
        device_id: Uuid,
        name: &str,
        token_hash: [u8; 32],
        now: DateTime<Utc>,
    ) -> Result<(TenantRef, DeviceRole), StorageError>;
    /// The device whose token hashes to `token_hash`, revoked or not.
    async fn authenticate(&self, token_hash: [u8; 32]) -> Result<Option<DeviceAuth>, StorageError>;
    /// Applies a batch of ops in seq order. Per op, atomically: a seen
    /// `op_id` answers its stored result; otherwise the seq must be the next
    /// one, the business rules decide applied/conflict/rejected, and the
    /// result and `last_seq` are stored with the op's effects. Nothing is
    /// answered before it is durable.
    async fn push(&self, device: &DeviceAuth, ops: Vec<Op>, now: DateTime<Utc>) -> Result<PushOutcome, StorageError>;
    /// Changes of the device's tenant after `cursor` (0: from the start).
    async fn pull(&self, tenant: Uuid, cursor: u64, limit: u32) -> Result<PullOutcome, StorageError>;
    async fn status(&self, device: &DeviceAuth, now: DateTime<Utc>) -> Result<StatusResponse, StorageError>;
    async fn conflicts(&self, tenant: Uuid, open_only: bool) -> Result<Vec<ConflictState>, StorageError>;
    /// Sale lines of the tenant sold in `[from, to)`, oldest first.
    async fn export(
        &self,
        tenant: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ExportRow>, StorageError>;
    async fn gold_price(&self, tenant: Uuid) -> Result<Option<GoldPricePayload>, StorageError>;
    async fn settings(&self, tenant: Uuid) -> Result<TenantSettings, StorageError>;
    /// Whether the database answers; for `/healthz`.
    async fn ping(&self) -> Result<(), StorageError>;
}

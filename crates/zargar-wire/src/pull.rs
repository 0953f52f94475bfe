//! Pull: the shop's changes after a cursor, a page at a time.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Conflict, CustomerPayload, GoldPricePayload, ItemPayload, PersonPayload, Resolution};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// Opaque: send it back as `cursor` on the next pull.
    pub next_cursor: String,
    pub has_more: bool,
}

/// Pull pages hold at most this many changes.
pub const MAX_PULL_LIMIT: u32 = 1000;

// Read by hand (`change_de.rs`), written by serde.
/// One entry of the tenant's change log.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub id: Uuid,
    pub version: u64,
    pub op: ChangeOp,
    #[serde(flatten)]
    pub data: ChangeData,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    Upsert,
    Delete,
}

/// `{"entity": "item", "data": {…}}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entity", content = "data", rename_all = "snake_case")]
pub enum ChangeData {
    Item(ItemPayload),
    GoldPrice(GoldPricePayload),
    Customer(CustomerPayload),
    Settings(TenantSettings),
    Conflict(Box<ConflictState>),
    Person(PersonPayload),
    AccountMove(Box<crate::AccountMoveChange>),
    InstallmentPlan(Box<crate::InstallmentPlanPayload>),
    Layaway(Box<crate::LayawayPayload>),
    TaxInvoice(Box<crate::TaxInvoiceState>),
}

/// The shop's policy, set by the owner on the server and sent in pull.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantSettings {
    /// VAT rates with the Tehran day each takes effect, oldest first.
    pub vat: Vec<VatRate>,
    pub profit_percent: Decimal,
    /// How far a sale's 18k price may be from the server's, in percent.
    pub price_tolerance_percent: Decimal,
    pub trade_in_deduction_percent: Decimal,
    /// Hours without a sync before the till warns.
    pub max_offline_hours: u32,
    /// The largest single sale a till may make offline, in Rial.
    pub max_offline_sale: Decimal,
    /// The most unsynced sales a till may hold, in Rial.
    pub max_unsynced_total: Decimal,
    /// Days (at least 1) the server keeps answers to ops and replaced
    /// changes, and a till its acknowledged ops.
    #[serde(default = "default_retention_days")]
    pub retention_days: u32,
    /// The seller's block of every printed invoice, once the owner set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal: Option<crate::LegalIdentity>,
}

/// How long a shop keeps what its tills no longer need, until its owner says otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 90;

fn default_retention_days() -> u32 {
    DEFAULT_RETENTION_DAYS
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatRate {
    pub from: NaiveDate,
    pub percent: Decimal,
}

/// A conflict as every till of the shop sees it, so that one resolved on
/// the owner's till clears on the others.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictState {
    pub conflict_id: Uuid,
    /// The parked op, and the till that pushed it.
    pub op_id: Uuid,
    pub device_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    pub entity_id: Uuid,
    pub op_kind: String,
    pub conflict: Conflict,
    pub open: bool,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<ResolutionRecord>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolutionRecord {
    pub resolution: Resolution,
    pub resolved_by: String,
    pub resolved_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The op that carried the resolution.
    pub op_id: Uuid,
}

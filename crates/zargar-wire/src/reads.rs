//! The other reads: conflicts, the shop's state, export.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{ConflictState, DeviceRole, GoldPricePayload, TenantRef};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusResponse {
    pub device_id: Uuid,
    pub device_name: String,
    pub role: DeviceRole,
    pub tenant: TenantRef,
    /// The device's last seq the server holds a result for.
    pub acked_seq: u64,
    /// Open conflicts of this device's ops.
    pub open_conflicts: u64,
    pub server_time: DateTime<Utc>,
    pub schema_version: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictsResponse {
    pub conflicts: Vec<ConflictState>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldPriceResponse {
    /// The shop's newest price; absent before the first is set.
    pub price: Option<GoldPricePayload>,
}

/// One exported sale line. CSV export has these columns, in this order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportRow {
    pub sale_id: Uuid,
    pub invoice_no: u64,
    pub device_id: Uuid,
    pub device_name: String,
    pub sold_at: DateTime<Utc>,
    pub line_no: u32,
    pub item_id: Uuid,
    pub tag: String,
    pub name: String,
    pub weight: Decimal,
    pub purity: Decimal,
    pub per_gram_18k: Decimal,
    pub gold: Decimal,
    pub wage: Decimal,
    pub profit: Decimal,
    pub vat: Decimal,
    pub stones: Decimal,
    pub total: Decimal,
    /// `applied`, `conflict`, `accepted` or `voided`.
    pub sync_status: String,
    /// Who made the sale, when the shop has people.
    #[serde(default)]
    pub seller: Option<String>,
    /// Taken off this line's making charge and profit (`wage` and `profit`
    /// above are what is left).
    #[serde(default)]
    pub wage_discount: Decimal,
    #[serde(default)]
    pub profit_discount: Decimal,
}

/// The columns of a priced line, in both the server's and the till's export.
pub const PRICED_LINE_COLUMNS: [&str; 11] =
    ["tag", "name", "weight", "purity", "per_gram_18k", "gold", "wage", "profit", "vat", "stones", "total"];

impl ExportRow {
    /// The CSV header: the fields above, in their order, so that an empty
    /// export still names its columns.
    pub fn csv_columns() -> impl Iterator<Item = &'static str> {
        let head = ["sale_id", "invoice_no", "device_id", "device_name", "sold_at", "line_no", "item_id"];
        head.into_iter().chain(PRICED_LINE_COLUMNS).chain(["sync_status", "seller", "wage_discount", "profit_discount"])
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportResponse {
    pub rows: Vec<ExportRow>,
}

/// Every error the server answers: a stable `code` to branch on and an
/// English `message` for logs; the till shows its own words for the code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    /// With 409: the seq the server expects next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_seq: Option<u64>,
    /// With 410: the cursor is too old; pull again from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset: Option<bool>,
    /// With 429 and 503, as the `Retry-After` header also says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}

/// Grams sold of one purity.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurityGrams {
    pub purity: Decimal,
    pub grams: Decimal,
}

/// A shop's sales and returns of one Tehran day at one till by one person
/// (none: a shop its owner runs alone). Sales the owner voided, or still
/// in conflict, are not counted, nor is the old gold taken in with them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    pub day: chrono::NaiveDate,
    pub device_id: Uuid,
    pub till: String,
    pub seller: Option<String>,
    pub sales: u64,
    pub lines: u64,
    /// Grams sold by purity, highest purity first.
    pub grams: Vec<PurityGrams>,
    pub gold: Decimal,
    pub wage: Decimal,
    pub profit: Decimal,
    pub vat: Decimal,
    pub stones: Decimal,
    pub total: Decimal,
    /// Taken off the making charge and the profit.
    pub discounts: Decimal,
    /// Credit notes given, and what they gave back.
    pub returns: u64,
    pub returns_total: Decimal,
    /// Old gold taken in, grams by purity, and what it was worth.
    pub old_gold: Vec<PurityGrams>,
    pub old_gold_value: Decimal,
}

/// Sales made in one hour of the day (Tehran time, 0–23), over the span.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HourTotal {
    pub hour: u32,
    pub sales: u64,
    pub total: Decimal,
}

/// A till's Z report, as the owner reads it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZSummary {
    pub day: chrono::NaiveDate,
    pub device_id: Uuid,
    pub till: String,
    pub z_no: u64,
    pub closed_at: DateTime<Utc>,
    pub sales_total: Decimal,
    pub returns_total: Decimal,
    pub cash_expected: Decimal,
    pub counted_total: Decimal,
    pub over_short: Decimal,
    pub grand_total: Decimal,
}

/// The owner's view of the shop over a span: per day, till and person,
/// by hour, and every till's Z reports (`GET /api/v1/reports`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopReport {
    pub rows: Vec<ReportRow>,
    pub by_hour: Vec<HourTotal>,
    pub z_reports: Vec<ZSummary>,
}

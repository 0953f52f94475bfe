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
}

/// The columns of a priced line, in both the server's and the till's export.
pub const PRICED_LINE_COLUMNS: [&str; 11] =
    ["tag", "name", "weight", "purity", "per_gram_18k", "gold", "wage", "profit", "vat", "stones", "total"];

impl ExportRow {
    /// The CSV header: the fields above, in their order, so that an empty
    /// export still names its columns.
    pub fn csv_columns() -> impl Iterator<Item = &'static str> {
        let head = ["sale_id", "invoice_no", "device_id", "device_name", "sold_at", "line_no", "item_id"];
        head.into_iter().chain(PRICED_LINE_COLUMNS).chain(["sync_status"])
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

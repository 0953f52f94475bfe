//! A till's shift, sent once when it closes: its float, the cash moved in
//! and out, the count, and its Z report, which is also an entry in the
//! till's journal chain (the link travels with it, as a sale's does).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{JournalLink, PersonRef};

/// A closed shift and its Z report; amounts in Rial.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftPayload {
    pub shift_id: Uuid,
    /// Gapless per till, from 1.
    pub z_no: u64,
    pub opened_at: DateTime<Utc>,
    pub closed_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_by: Option<PersonRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<PersonRef>,
    /// The float counted at opening; none when a sale opened the shift.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub float: Option<Decimal>,
    pub sales: u64,
    pub sales_total: Decimal,
    pub returns: u64,
    pub returns_total: Decimal,
    pub discounts: Decimal,
    pub cash_in: Decimal,
    pub cash_out: Decimal,
    pub cash_expected: Decimal,
    pub counted_total: Decimal,
    /// counted − expected: above zero over, below short.
    pub over_short: Decimal,
    /// Every sale less every return since the till's first sale.
    pub grand_total: Decimal,
    pub journal: JournalLink,
}

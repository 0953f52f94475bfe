//! The Sales screen: the day's rows (sales and credit notes, as the core
//! lists them) and its end-of-day report.

use super::*;

/// day: YYYY-MM-DD (Gregorian, Tehran day)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SalesDay {
    pub day: String,
    pub sales: Vec<DayEntry>,
    pub totals: SalesReport,
}

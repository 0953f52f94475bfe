//! The Sales screen: the day's rows and its end-of-day totals.

use super::*;

/// One row of the day: a sale, or a credit note (number: its own; total:
/// minus the refund; invoice_no: the sale it gives back from).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SaleRow {
    pub kind: EntryKind,
    #[ts(type = "number")]
    pub number: u64,
    #[ts(type = "number")]
    pub invoice_no: u64,
    pub sold_at: String,
    pub customer: Option<String>,
    #[ts(type = "number")]
    pub items: u64,
    pub weight: String,
    pub total: String,
    #[ts(type = "number")]
    pub returned_items: u64,
    pub sync: SyncState,
}

impl From<DayEntry> for SaleRow {
    fn from(s: DayEntry) -> SaleRow {
        SaleRow {
            kind: s.kind,
            number: s.number,
            invoice_no: s.invoice_no,
            sold_at: at(s.at),
            customer: s.customer,
            items: s.items,
            weight: s.weight.decimal().to_string(),
            total: s.total.decimal().to_string(),
            returned_items: s.returned_items,
            sync: s.sync,
        }
    }
}

/// Old gold taken in the day, by purity: the core's `OldGold` as it is,
/// with its karat name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OldGoldView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub old_gold: OldGold,
    /// As `ItemView.karat`.
    pub karat: Option<String>,
}

/// The end-of-day report. total: net of returns (what the rows add up to);
/// count/items/weight and the parts: net of returned pieces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DayTotals {
    #[ts(type = "number")]
    pub count: u64,
    #[ts(type = "number")]
    pub returns: u64,
    pub sales_total: String,
    pub returns_total: String,
    #[ts(type = "number")]
    pub items: i64,
    pub weight: String,
    pub gold: String,
    pub wage: String,
    pub profit: String,
    pub vat: String,
    pub total: String,
    pub old_gold: Vec<OldGoldView>,
    pub old_gold_total: String,
    pub by_method: Vec<MethodTotals>,
    pub cash_expected: String,
}

impl From<SalesReport> for DayTotals {
    fn from(r: SalesReport) -> DayTotals {
        let s = |r: zargar_core::rules::money::Rial| r.decimal().to_string();
        DayTotals {
            count: r.sales,
            returns: r.returns,
            sales_total: s(r.sales_total),
            returns_total: s(r.returns_total),
            items: r.lines,
            weight: r.grams.to_string(),
            gold: s(r.gold),
            wage: s(r.wage),
            profit: s(r.profit),
            vat: s(r.vat),
            total: s(r.net_total),
            old_gold: r
                .old_gold
                .iter()
                .map(|g| OldGoldView { old_gold: g.clone(), karat: karat_of(g.purity) })
                .collect(),
            old_gold_total: s(r.old_gold_total),
            by_method: r.by_method,
            cash_expected: s(r.cash_expected),
        }
    }
}

/// day: YYYY-MM-DD (Gregorian, Tehran day)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SalesDay {
    pub day: String,
    pub sales: Vec<SaleRow>,
    pub totals: DayTotals,
}

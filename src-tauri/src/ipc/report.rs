//! The owner's view of the whole shop, from its server: amounts and grams
//! as decimal strings, days as `YYYY-MM-DD` (Tehran), instants RFC 3339.

use super::*;
use zargar_core::wire::ShopReport;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PurityGramsView {
    pub purity: String,
    pub karat: Option<String>,
    pub grams: String,
}

/// One Tehran day at one till by one person (none: nobody signed in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReportRowView {
    pub day: String,
    pub till: String,
    pub seller: Option<String>,
    #[ts(type = "number")]
    pub sales: u64,
    #[ts(type = "number")]
    pub lines: u64,
    pub grams: Vec<PurityGramsView>,
    pub gold: String,
    pub wage: String,
    pub profit: String,
    pub vat: String,
    pub total: String,
    pub discounts: String,
    #[ts(type = "number")]
    pub returns: u64,
    pub returns_total: String,
    pub old_gold: Vec<PurityGramsView>,
    pub old_gold_value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HourView {
    pub hour: u32,
    #[ts(type = "number")]
    pub sales: u64,
    pub total: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ZSummaryView {
    pub till: String,
    #[ts(type = "number")]
    pub z_no: u64,
    pub closed_at: String,
    pub counted_total: String,
    pub over_short: String,
    pub grand_total: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ShopReportView {
    pub from: String,
    pub to: String,
    pub rows: Vec<ReportRowView>,
    pub by_hour: Vec<HourView>,
    pub z_reports: Vec<ZSummaryView>,
}

impl ShopReportView {
    pub fn new(r: ShopReport, from: chrono::NaiveDate, to: chrono::NaiveDate) -> ShopReportView {
        let purity_grams = |g: zargar_core::wire::PurityGrams| PurityGramsView {
            purity: g.purity.normalize().to_string(),
            karat: zargar_core::rules::measure::Purity::per_mille(g.purity)
                .and_then(|p| p.karat_message_id())
                .map(str::to_owned),
            grams: g.grams.to_string(),
        };
        ShopReportView {
            from: from.to_string(),
            to: to.to_string(),
            rows: r
                .rows
                .into_iter()
                .map(|row| ReportRowView {
                    day: row.day.to_string(),
                    till: row.till,
                    seller: row.seller,
                    sales: row.sales,
                    lines: row.lines,
                    grams: row.grams.into_iter().map(purity_grams).collect(),
                    old_gold: row.old_gold.into_iter().map(purity_grams).collect(),
                    returns: row.returns,
                    returns_total: row.returns_total.to_string(),
                    old_gold_value: row.old_gold_value.to_string(),
                    gold: row.gold.to_string(),
                    wage: row.wage.to_string(),
                    profit: row.profit.to_string(),
                    vat: row.vat.to_string(),
                    total: row.total.to_string(),
                    discounts: row.discounts.to_string(),
                })
                .collect(),
            by_hour: r
                .by_hour
                .into_iter()
                .map(|h| HourView { hour: h.hour, sales: h.sales, total: h.total.to_string() })
                .collect(),
            z_reports: r
                .z_reports
                .into_iter()
                .map(|z| ZSummaryView {
                    till: z.till,
                    z_no: z.z_no,
                    closed_at: at(z.closed_at),
                    counted_total: z.counted_total.to_string(),
                    over_short: z.over_short.to_string(),
                    grand_total: z.grand_total.to_string(),
                })
                .collect(),
        }
    }
}

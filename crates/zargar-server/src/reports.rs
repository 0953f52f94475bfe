//! The owner's view of the shop: the exported sale lines added up per
//! Tehran day, till and person, by hour, with every till's Z reports. One
//! rule with the export: a line counts when its sale is `applied` or
//! `accepted`; a sale in conflict or voided does not.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Timelike;
use chrono_tz::Asia::Tehran;
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_wire::{ExportRow, HourTotal, PurityGrams, ReportRow, ShiftPayload, ShopReport, ZSummary};

use crate::checks::tehran_day;

/// Whether an exported line counts in the shop's figures.
pub fn counts(row: &ExportRow) -> bool {
    matches!(row.sync_status.as_str(), "applied" | "accepted")
}

type Key = (chrono::NaiveDate, String, Uuid, Option<String>);
/// A row being added up, its sales, and its grams by purity.
type Group = (ReportRow, BTreeSet<Uuid>, BTreeMap<Decimal, Decimal>);

/// The report of these export rows and Z reports.
pub fn shop_report(rows: &[ExportRow], z: &[(ShiftPayload, Uuid, String)]) -> ShopReport {
    let mut groups: BTreeMap<Key, Group> = BTreeMap::new();
    let mut hours: BTreeMap<u32, (BTreeSet<Uuid>, Decimal)> = BTreeMap::new();
    for r in rows.iter().filter(|r| counts(r)) {
        let day = tehran_day(r.sold_at);
        let key = (day, r.device_name.clone(), r.device_id, r.seller.clone());
        let (g, sales, grams) = groups.entry(key).or_insert_with(|| {
            let row = ReportRow {
                day,
                device_id: r.device_id,
                till: r.device_name.clone(),
                seller: r.seller.clone(),
                sales: 0,
                lines: 0,
                grams: Vec::new(),
                gold: Decimal::ZERO,
                wage: Decimal::ZERO,
                profit: Decimal::ZERO,
                vat: Decimal::ZERO,
                stones: Decimal::ZERO,
                total: Decimal::ZERO,
                discounts: Decimal::ZERO,
            };
            (row, BTreeSet::new(), BTreeMap::new())
        });
        sales.insert(r.sale_id);
        g.lines += 1;
        g.gold += r.gold;
        g.wage += r.wage;
        g.profit += r.profit;
        g.vat += r.vat;
        g.stones += r.stones;
        g.total += r.total;
        g.discounts += r.wage_discount + r.profit_discount;
        *grams.entry(r.purity).or_insert(Decimal::ZERO) += r.weight;
        let (hour_sales, hour_total) =
            hours.entry(r.sold_at.with_timezone(&Tehran).hour()).or_insert((BTreeSet::new(), Decimal::ZERO));
        hour_sales.insert(r.sale_id);
        *hour_total += r.total;
    }
    let rows = groups
        .into_values()
        .map(|(mut row, sales, grams)| {
            row.sales = sales.len() as u64;
            row.grams = grams.into_iter().rev().map(|(purity, grams)| PurityGrams { purity, grams }).collect();
            row
        })
        .collect();
    let by_hour =
        hours.into_iter().map(|(hour, (sales, total))| HourTotal { hour, sales: sales.len() as u64, total }).collect();
    let z_reports = z
        .iter()
        .map(|(s, device_id, till)| ZSummary {
            day: tehran_day(s.closed_at),
            device_id: *device_id,
            till: till.clone(),
            z_no: s.z_no,
            closed_at: s.closed_at,
            sales_total: s.sales_total,
            returns_total: s.returns_total,
            cash_expected: s.cash_expected,
            counted_total: s.counted_total,
            over_short: s.over_short,
            grand_total: s.grand_total,
        })
        .collect();
    ShopReport { rows, by_hour, z_reports }
}

/// The rows as CSV: one line per day, till and person; the grams as
/// `purity=grams` pairs separated by `;`.
pub fn csv(report: &ShopReport) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "day",
        "till",
        "seller",
        "sales",
        "lines",
        "grams",
        "gold",
        "wage",
        "profit",
        "vat",
        "stones",
        "total",
        "discounts",
    ])?;
    for r in &report.rows {
        let grams: Vec<String> = r.grams.iter().map(|g| format!("{}={}", g.purity, g.grams)).collect();
        w.write_record([
            r.day.to_string(),
            r.till.clone(),
            r.seller.clone().unwrap_or_default(),
            r.sales.to_string(),
            r.lines.to_string(),
            grams.join(";"),
            r.gold.to_string(),
            r.wage.to_string(),
            r.profit.to_string(),
            r.vat.to_string(),
            r.stones.to_string(),
            r.total.to_string(),
            r.discounts.to_string(),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

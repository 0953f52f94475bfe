//! The owner's view of the shop: the exported sale lines added up per
//! Tehran day, till and person, by hour, with the old gold taken in, the
//! returns, and every till's Z reports. One rule with the export: a line
//! (and a sale's old gold) counts when its sale is `applied` or
//! `accepted`; a sale in conflict or voided does not. A return counts on
//! the day it was made, for the person who made it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Timelike;
use chrono_tz::Asia::Tehran;
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_wire::{ExportRow, HourTotal, PurityGrams, ReportRow, ShopReport, ZSummary};

use crate::checks::tehran_day;
use crate::storage::{StorageError, StoredReturn, StoredSale, StoredShift, export_rows, person_name};

/// Whether an exported line counts in the shop's figures.
pub fn counts(row: &ExportRow) -> bool {
    matches!(row.sync_status.as_str(), "applied" | "accepted")
}

type Key = (chrono::NaiveDate, String, Uuid, Option<String>);
/// A row being added up: its sales, its grams sold and old gold taken in by purity.
struct Group {
    row: ReportRow,
    sales: BTreeSet<Uuid>,
    grams: BTreeMap<Decimal, Decimal>,
    old_gold: BTreeMap<Decimal, Decimal>,
}

fn group(groups: &mut BTreeMap<Key, Group>, key: Key) -> &mut Group {
    groups.entry(key.clone()).or_insert_with(|| {
        let (day, till, device_id, seller) = key;
        Group {
            row: ReportRow {
                day,
                device_id,
                till,
                seller,
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
                returns: 0,
                returns_total: Decimal::ZERO,
                old_gold: Vec::new(),
                old_gold_value: Decimal::ZERO,
            },
            sales: BTreeSet::new(),
            grams: BTreeMap::new(),
            old_gold: BTreeMap::new(),
        }
    })
}

fn by_purity(m: BTreeMap<Decimal, Decimal>) -> Vec<PurityGrams> {
    m.into_iter().rev().map(|(purity, grams)| PurityGrams { purity, grams }).collect()
}

/// The report of the sales, returns and closed shifts of a span.
pub fn shop_report(
    sales: &[StoredSale],
    returns: &[StoredReturn],
    shifts: &[StoredShift],
) -> Result<ShopReport, StorageError> {
    let rows = export_rows(sales.iter().cloned().map(Ok))?;
    let mut groups: BTreeMap<Key, Group> = BTreeMap::new();
    let mut hours: BTreeMap<u32, (BTreeSet<Uuid>, Decimal)> = BTreeMap::new();
    for r in rows.iter().filter(|r| counts(r)) {
        let g = group(&mut groups, (tehran_day(r.sold_at), r.device_name.clone(), r.device_id, r.seller.clone()));
        g.sales.insert(r.sale_id);
        let row = &mut g.row;
        row.lines += 1;
        row.gold += r.gold;
        row.wage += r.wage;
        row.profit += r.profit;
        row.vat += r.vat;
        row.stones += r.stones;
        row.total += r.total;
        row.discounts += r.wage_discount + r.profit_discount;
        *g.grams.entry(r.purity).or_insert(Decimal::ZERO) += r.weight;
        let (hour_sales, hour_total) =
            hours.entry(r.sold_at.with_timezone(&Tehran).hour()).or_insert((BTreeSet::new(), Decimal::ZERO));
        hour_sales.insert(r.sale_id);
        *hour_total += r.total;
    }
    for (sale, status, device_id, till, seller) in sales {
        if !matches!(status.as_str(), "applied" | "accepted") || sale.trade_ins.is_empty() {
            continue;
        }
        let g = group(&mut groups, (tehran_day(sale.sold_at), till.clone(), *device_id, person_name(seller.clone())?));
        for t in &sale.trade_ins {
            *g.old_gold.entry(t.purity).or_insert(Decimal::ZERO) += t.weight;
            g.row.old_gold_value += t.value;
        }
    }
    for (ret, device_id, till, seller) in returns {
        let g =
            group(&mut groups, (tehran_day(ret.returned_at), till.clone(), *device_id, person_name(seller.clone())?));
        g.row.returns += 1;
        g.row.returns_total += ret.refund;
    }
    let rows = groups
        .into_values()
        .map(|g| ReportRow {
            sales: g.sales.len() as u64,
            grams: by_purity(g.grams),
            old_gold: by_purity(g.old_gold),
            ..g.row
        })
        .collect();
    let by_hour =
        hours.into_iter().map(|(hour, (sales, total))| HourTotal { hour, sales: sales.len() as u64, total }).collect();
    let z_reports = shifts
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
    Ok(ShopReport { rows, by_hour, z_reports })
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
        "returns",
        "returns_total",
        "old_gold",
        "old_gold_value",
    ])?;
    let pairs = |v: &[PurityGrams]| v.iter().map(|g| format!("{}={}", g.purity, g.grams)).collect::<Vec<_>>().join(";");
    for r in &report.rows {
        w.write_record([
            r.day.to_string(),
            r.till.clone(),
            r.seller.clone().unwrap_or_default(),
            r.sales.to_string(),
            r.lines.to_string(),
            pairs(&r.grams),
            r.gold.to_string(),
            r.wage.to_string(),
            r.profit.to_string(),
            r.vat.to_string(),
            r.stones.to_string(),
            r.total.to_string(),
            r.discounts.to_string(),
            r.returns.to_string(),
            r.returns_total.to_string(),
            pairs(&r.old_gold),
            r.old_gold_value.to_string(),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

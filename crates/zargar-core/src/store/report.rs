//! What a day (or any span) came to: the list of sales and credit notes,
//! the end-of-day report and the export. One rule for all three, so they
//! agree to the Rial: a sale counts on the day it was made, at its total
//! (old gold taken in is shown apart); a return counts on the day it was
//! made, as minus its refund; a sale the owner voided in a conflict counts
//! nowhere (the list shows it, marked).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use super::sale_rows::rials;
use super::{Store, parse_dec, parse_ts, parse_uuid, u64_sql};
use crate::error::{PricingError, StoreError};
use crate::sale::{PaymentMethod, SyncState, parse_payment_method};
use zargar_rules::measure::Purity;
use zargar_rules::measure::Weight;
use zargar_rules::money::Rial;

zargar_wire::coded! {
    /// Whether a row of the day is a sale or a credit note.
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum EntryKind {
        Sale = "sale",
        Return = "return",
    }
}

/// One row of the day's list: a sale, or a credit note as its own row.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayEntry {
    pub kind: EntryKind,
    /// The sale's or the credit note's id.
    pub id: Uuid,
    /// The invoice number, or the credit note's number.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub number: u64,
    /// The invoice a credit note gives back from; the sale's own otherwise.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub invoice_no: u64,
    pub at: DateTime<Utc>,
    pub customer: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub items: u64,
    pub weight: Weight,
    /// A sale's total; minus a credit note's refund.
    pub total: Rial,
    /// Of a sale: how many of its pieces have come back since.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub returned_items: u64,
    pub sync: SyncState,
}

/// Old gold taken in, of one purity.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct OldGold {
    pub purity: Purity,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub grams: Decimal,
    pub value: Rial,
    /// The karat's message id, for every screen alike.
    pub karat: Option<String>,
}

/// Money in and out by one method.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct MethodTotals {
    pub method: PaymentMethod,
    /// Taken in sales; for cash, less the change and old-gold payouts given.
    pub received: Rial,
    /// Given back on returns.
    pub refunded: Rial,
    pub net: Rial,
}

/// The end-of-day report.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SalesReport {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub sales: u64,
    pub sales_total: Rial,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub returns: u64,
    pub returns_total: Rial,
    /// `sales_total − returns_total`: what the list's rows add up to.
    pub net_total: Rial,
    /// Pieces sold less pieces returned, and their grams and price parts
    /// (below zero on a day that took back more than it sold).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub lines: i64,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub grams: Decimal,
    pub gold: Rial,
    pub wage: Rial,
    pub profit: Rial,
    pub vat: Rial,
    pub stones: Rial,
    pub old_gold: Vec<OldGold>,
    pub old_gold_total: Rial,
    /// Cash first, then card, transfer, cheque, exchange credit; a method
    /// with nothing in or out is left out.
    pub by_method: Vec<MethodTotals>,
    /// What the drawer should hold from the day's trade: cash in, less
    /// change, old-gold payouts and cash refunds.
    pub cash_expected: Rial,
}

/// One line for export: a sold line, or a returned line as minus its price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRow {
    pub kind: EntryKind,
    pub sale_id: Uuid,
    pub invoice_no: u64,
    pub return_no: Option<u64>,
    pub till: String,
    pub at: DateTime<Utc>,
    pub tag: String,
    pub name: String,
    pub weight: Weight,
    pub purity: Purity,
    pub per_gram_18k: Rial,
    pub gold: Rial,
    pub wage: Rial,
    pub profit: Rial,
    pub vat: Rial,
    pub stones: Rial,
    pub total: Rial,
    /// Of a sold line: whether it has come back since.
    pub returned: bool,
    pub sync: SyncState,
}

const METHOD_ORDER: [PaymentMethod; 6] = [
    PaymentMethod::Cash,
    PaymentMethod::Card,
    PaymentMethod::Transfer,
    PaymentMethod::Cheque,
    PaymentMethod::Account,
    PaymentMethod::ExchangeCredit,
];

fn overflow() -> StoreError {
    StoreError::Pricing(PricingError::Overflow)
}

fn neg(r: Rial) -> Rial {
    Rial::ZERO - r
}

/// A span of time `[from, to)`, either end open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeSpan {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl TimeSpan {
    /// Tehran calendar days `from` to `to`, both inclusive.
    pub fn tehran_days(from: Option<NaiveDate>, to: Option<NaiveDate>) -> TimeSpan {
        TimeSpan { from: from.map(tehran_midnight), to: to.map(|d| tehran_midnight(d.succ_opt().unwrap_or(d))) }
    }
}

/// The instant a Tehran calendar day begins. Tehran once moved its clocks
/// forward at midnight, so a day may start at 01:00; `earliest` skips the gap.
fn tehran_midnight(d: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    chrono_tz::Asia::Tehran
        .from_local_datetime(&midnight)
        .earliest()
        .or_else(|| chrono_tz::Asia::Tehran.from_local_datetime(&(midnight + chrono::Duration::hours(1))).earliest())
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

impl Store {
    /// Sales and credit notes in `[from, to)`, newest first.
    pub fn day_entries(&self, span: TimeSpan, limit: u32) -> Result<Vec<DayEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT 'sale', s.id, s.invoice_no, s.invoice_no, s.sold_at, c.name, count(l.line_no),
                    coalesce(sum(l.weight_mg), 0), s.total, coalesce(sum(l.returned), 0), o.state
             FROM sales s
             JOIN sale_lines l ON l.sale_id = s.id
             JOIN outbox o ON o.op_id = s.op_id
             LEFT JOIN customers c ON c.id = s.customer_id
             WHERE (?1 IS NULL OR s.sold_at >= ?1) AND (?2 IS NULL OR s.sold_at < ?2)
             GROUP BY s.id
             UNION ALL
             SELECT 'return', r.id, r.return_no, s.invoice_no, r.returned_at, c.name, count(l.line_no),
                    coalesce(sum(l.weight_mg), 0), -r.refund, 0, o.state
             FROM returns r
             JOIN sales s ON s.id = r.sale_id
             JOIN return_lines rl ON rl.return_id = r.id
             JOIN sale_lines l ON l.sale_id = rl.sale_id AND l.line_no = rl.line_no
             JOIN outbox o ON o.op_id = r.op_id
             LEFT JOIN customers c ON c.id = s.customer_id
             WHERE (?1 IS NULL OR r.returned_at >= ?1) AND (?2 IS NULL OR r.returned_at < ?2)
             GROUP BY r.id
             ORDER BY 5 DESC, 1 DESC
             LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![span.from.map(super::ts), span.to.map(super::ts), limit], |r| {
            Ok((
                (r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?),
                (r.get::<_, String>(4)?, r.get::<_, Option<String>>(5)?),
                (r.get::<_, i64>(6)?, r.get::<_, i64>(7)?, r.get::<_, i64>(8)?, r.get::<_, i64>(9)?),
                r.get::<_, String>(10)?,
            ))
        })?;
        rows.map(|row| {
            let ((kind, id, number, invoice_no), (at, customer), (items, mg, total, returned), state) = row?;
            let corrupt = |what: &str| StoreError::Corrupt(format!("{kind} {number}: {what}"));
            Ok(DayEntry {
                kind: if kind == "sale" { EntryKind::Sale } else { EntryKind::Return },
                id: parse_uuid(&id)?,
                number: u64_sql(number)?,
                invoice_no: u64_sql(invoice_no)?,
                at: parse_ts(&at)?,
                customer,
                items: u64_sql(items)?,
                weight: Weight::from_milligrams(mg).ok_or_else(|| corrupt("weight"))?,
                total: Rial::from_i64(total),
                returned_items: u64_sql(returned)?,
                sync: SyncState::from_code(&state).ok_or_else(|| corrupt("state"))?,
            })
        })
        .collect()
    }

    /// The end-of-day report of `[from, to)`.
    pub fn sales_report(&self, span: TimeSpan) -> Result<SalesReport, StoreError> {
        report_in(&self.conn, span, None)
    }
}

/// The report of a span, or of one shift's sales and returns (`shift`):
/// the one rule behind the day's report and the X and Z reports.
pub(super) fn report_in(
    c: &rusqlite::Connection,
    span: TimeSpan,
    shift: Option<Uuid>,
) -> Result<SalesReport, StoreError> {
    let (from, to) = (span.from.map(super::ts), span.to.map(super::ts));
    let shift = shift.map(|s| s.to_string());
    let ((sales, sold_lines, sold_mg), sold) = c
        .prepare_cached(
            "SELECT count(DISTINCT s.id), count(l.line_no), coalesce(sum(l.weight_mg), 0),
                        coalesce(sum(l.gold), 0), coalesce(sum(l.wage), 0), coalesce(sum(l.profit), 0),
                        coalesce(sum(l.vat), 0), coalesce(sum(l.stones), 0), coalesce(sum(l.total), 0)
                 FROM sales s
                 JOIN sale_lines l ON l.sale_id = s.id
                 JOIN outbox o ON o.op_id = s.op_id
                 WHERE o.state <> 'voided' AND (?1 IS NULL OR s.sold_at >= ?1) AND (?2 IS NULL OR s.sold_at < ?2)
                   AND (?3 IS NULL OR s.shift_id = ?3)",
        )?
        .query_row(params![from, to, shift], |r| {
            Ok(((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?), rials::<6>(r, 3)?))
        })?;
    let ((returns, back_lines, back_mg), back, returns_total) = c
        .prepare_cached(
            "SELECT count(DISTINCT r.id), count(l.line_no), coalesce(sum(l.weight_mg), 0),
                        coalesce(sum(l.gold), 0), coalesce(sum(l.wage), 0), coalesce(sum(l.profit), 0),
                        coalesce(sum(l.vat), 0), coalesce(sum(l.stones), 0), coalesce(sum(l.total), 0),
                        (SELECT coalesce(sum(refund), 0) FROM returns
                         WHERE (?1 IS NULL OR returned_at >= ?1) AND (?2 IS NULL OR returned_at < ?2)
                           AND (?3 IS NULL OR shift_id = ?3))
                 FROM returns r
                 JOIN return_lines rl ON rl.return_id = r.id
                 JOIN sale_lines l ON l.sale_id = rl.sale_id AND l.line_no = rl.line_no
                 WHERE (?1 IS NULL OR r.returned_at >= ?1) AND (?2 IS NULL OR r.returned_at < ?2)
                   AND (?3 IS NULL OR r.shift_id = ?3)",
        )?
        .query_row(params![from, to, shift], |r| {
            Ok((
                (r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?),
                rials::<6>(r, 3)?,
                Rial::from_i64(r.get(9)?),
            ))
        })?;
    let sub = |a: Rial, b: Rial| a.checked_sub(b).ok_or_else(overflow);
    let [gold, wage, profit, vat, stones, sales_total] = sold;
    let [b_gold, b_wage, b_profit, b_vat, b_stones, _] = back;

    let mut old_gold = Vec::new();
    {
        let mut stmt = c.prepare_cached(
            "SELECT t.purity, sum(t.weight_mg), sum(t.value)
                 FROM trade_ins t JOIN sales s ON s.id = t.sale_id JOIN outbox o ON o.op_id = s.op_id
                 WHERE o.state <> 'voided' AND (?1 IS NULL OR s.sold_at >= ?1) AND (?2 IS NULL OR s.sold_at < ?2)
                   AND (?3 IS NULL OR s.shift_id = ?3)
                 GROUP BY t.purity ORDER BY t.purity DESC",
        )?;
        let rows = stmt.query_map(params![from, to, shift], |r| <(String, i64, i64)>::try_from(r))?;
        for row in rows {
            let (purity, mg, value) = row?;
            let purity = Purity::per_mille(parse_dec(&purity)?)
                .ok_or_else(|| StoreError::Corrupt(format!("trade-in purity {purity}")))?;
            old_gold.push(OldGold {
                purity,
                grams: Decimal::new(mg, 3),
                value: Rial::from_i64(value),
                karat: purity.karat_message_id().map(str::to_owned),
            });
        }
    }
    let old_gold_total = old_gold.iter().try_fold(Rial::ZERO, |a, g| a.checked_add(g.value).ok_or_else(overflow))?;

    // Money by method: payments of the span's sales, change given on
    // them (in cash), and refunds of the span's returns.
    let mut received: BTreeMap<usize, Rial> = BTreeMap::new();
    let mut refunded: BTreeMap<usize, Rial> = BTreeMap::new();
    let slot = |m: &str| -> Result<usize, StoreError> {
        let method = parse_payment_method(m).map_err(|_| StoreError::Corrupt(format!("method {m}")))?;
        METHOD_ORDER.iter().position(|x| *x == method).ok_or_else(|| StoreError::Corrupt(format!("method {m}")))
    };
    let add = |map: &mut BTreeMap<usize, Rial>, i: usize, v: Rial| -> Result<(), StoreError> {
        let e = map.entry(i).or_insert(Rial::ZERO);
        *e = e.checked_add(v).ok_or_else(overflow)?;
        Ok(())
    };
    for (sql, into_received) in [
        (
            "SELECT p.method, sum(p.amount) FROM payments p JOIN sales s ON s.id = p.sale_id
                 JOIN outbox o ON o.op_id = s.op_id
                 WHERE o.state <> 'voided' AND (?1 IS NULL OR s.sold_at >= ?1) AND (?2 IS NULL OR s.sold_at < ?2)
                   AND (?3 IS NULL OR s.shift_id = ?3)
                 GROUP BY p.method",
            true,
        ),
        (
            "SELECT 'cash', -coalesce(sum(s.change_given), 0) FROM sales s JOIN outbox o ON o.op_id = s.op_id
                 WHERE o.state <> 'voided' AND (?1 IS NULL OR s.sold_at >= ?1) AND (?2 IS NULL OR s.sold_at < ?2)
                   AND (?3 IS NULL OR s.shift_id = ?3)",
            true,
        ),
        (
            "SELECT f.method, sum(f.amount) FROM return_refunds f JOIN returns r ON r.id = f.return_id
                 WHERE (?1 IS NULL OR r.returned_at >= ?1) AND (?2 IS NULL OR r.returned_at < ?2)
                   AND (?3 IS NULL OR r.shift_id = ?3)
                 GROUP BY f.method",
            false,
        ),
    ] {
        let mut stmt = c.prepare_cached(sql)?;
        let rows = stmt.query_map(params![from, to, shift], |r| <(String, i64)>::try_from(r))?;
        for row in rows {
            let (m, v) = row?;
            let i = slot(&m)?;
            add(if into_received { &mut received } else { &mut refunded }, i, Rial::from_i64(v))?;
        }
    }
    let mut by_method = Vec::new();
    for (i, method) in METHOD_ORDER.iter().enumerate() {
        let r_in = received.get(&i).copied().unwrap_or(Rial::ZERO);
        let r_out = refunded.get(&i).copied().unwrap_or(Rial::ZERO);
        if r_in == Rial::ZERO && r_out == Rial::ZERO && *method != PaymentMethod::Cash {
            continue;
        }
        by_method.push(MethodTotals { method: *method, received: r_in, refunded: r_out, net: sub(r_in, r_out)? });
    }
    let cash_expected = by_method.first().map_or(Rial::ZERO, |m| m.net);

    Ok(SalesReport {
        sales: u64_sql(sales)?,
        sales_total,
        returns: u64_sql(returns)?,
        returns_total,
        net_total: sub(sales_total, returns_total)?,
        lines: sold_lines - back_lines,
        grams: Decimal::new(sold_mg - back_mg, 3),
        gold: sub(gold, b_gold)?,
        wage: sub(wage, b_wage)?,
        profit: sub(profit, b_profit)?,
        vat: sub(vat, b_vat)?,
        stones: sub(stones, b_stones)?,
        old_gold,
        old_gold_total,
        by_method,
        cash_expected,
    })
}

impl Store {
    /// One row per sold line of the span's sales and per returned line of
    /// its returns (as minus its price), oldest first: what an accountant
    /// or the tax office asks for. Voided sales are left out.
    pub fn export_rows(&self, span: TimeSpan) -> Result<Vec<ExportRow>, StoreError> {
        let till = self.device()?.name.clone();
        let mut stmt = self.conn.prepare_cached(
            "SELECT 'sale', s.id, s.invoice_no, NULL, s.sold_at, l.tag, l.name, l.weight_mg, l.purity, s.per_gram_18k,
                    l.gold, l.wage, l.profit, l.vat, l.stones, l.total, l.returned, o.state, l.line_no
             FROM sales s
             JOIN sale_lines l ON l.sale_id = s.id
             JOIN outbox o ON o.op_id = s.op_id
             WHERE o.state <> 'voided' AND (?1 IS NULL OR s.sold_at >= ?1) AND (?2 IS NULL OR s.sold_at < ?2)
             UNION ALL
             SELECT 'return', s.id, s.invoice_no, r.return_no, r.returned_at, l.tag, l.name, l.weight_mg, l.purity,
                    s.per_gram_18k, l.gold, l.wage, l.profit, l.vat, l.stones, l.total, 1, o.state, l.line_no
             FROM returns r
             JOIN sales s ON s.id = r.sale_id
             JOIN return_lines rl ON rl.return_id = r.id
             JOIN sale_lines l ON l.sale_id = rl.sale_id AND l.line_no = rl.line_no
             JOIN outbox o ON o.op_id = r.op_id
             WHERE (?1 IS NULL OR r.returned_at >= ?1) AND (?2 IS NULL OR r.returned_at < ?2)
             ORDER BY 5, 3, 19",
        )?;
        let rows = stmt.query_map(params![span.from.map(super::ts), span.to.map(super::ts)], |r| {
            Ok((
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, String>(4)?,
                ),
                (r.get::<_, String>(5)?, r.get::<_, String>(6)?),
                (r.get::<_, i64>(7)?, r.get::<_, String>(8)?, r.get::<_, i64>(9)?),
                rials::<6>(r, 10)?,
                (r.get::<_, bool>(16)?, r.get::<_, String>(17)?),
            ))
        })?;
        rows.map(|row| {
            let ((kind, id, no, return_no, at), (tag, name), (mg, purity, p18), parts, (returned, state)) = row?;
            let corrupt = |what: &str| StoreError::Corrupt(format!("sale {no}: {what}"));
            let kind = if kind == "sale" { EntryKind::Sale } else { EntryKind::Return };
            let sign = |r: Rial| if kind == EntryKind::Return { neg(r) } else { r };
            let [gold, wage, profit, vat, stones, total] = parts;
            Ok(ExportRow {
                kind,
                sale_id: parse_uuid(&id)?,
                invoice_no: u64_sql(no)?,
                return_no: return_no.map(u64_sql).transpose()?,
                till: till.clone(),
                at: parse_ts(&at)?,
                tag,
                name,
                weight: Weight::from_milligrams(mg).ok_or_else(|| corrupt("weight"))?,
                purity: Purity::per_mille(parse_dec(&purity)?).ok_or_else(|| corrupt("purity"))?,
                per_gram_18k: Rial::from_i64(p18),
                gold: sign(gold),
                wage: sign(wage),
                profit: sign(profit),
                vat: sign(vat),
                stones: sign(stones),
                total: sign(total),
                returned,
                sync: SyncState::from_code(&state).ok_or_else(|| corrupt("state"))?,
            })
        })
        .collect()
    }
}

//! Shifts: the drawer's float counted at opening, cash moved in and out
//! with a reason, an X report at any time, and the close: the cash counted
//! by note, over or short, and a Z report with a gapless number and the
//! till's grand total, written as an entry in the journal's chain (as the
//! French and German till laws ask of a daily close) and sent to the server.
//!
//! A sale is never refused for want of a shift: with none open, the sale
//! opens one whose float was not counted (`ensure_open`), and its X and Z
//! reports say so.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use uuid::Uuid;
use zargar_wire::{Base, OpBody, PersonRef, ShiftPayload};

use super::report::{SalesReport, TimeSpan, report_in};
use super::sales::json;
use super::{Store, journal, next_counter, outbox, parse_ts, parse_uuid, rial_sql, ts, u64_sql};
use crate::error::{PricingError, StoreError};
use zargar_rules::money::Rial;
use zargar_rules::roles::Act;

/// A shift as it stands.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Shift {
    pub id: Uuid,
    pub opened_at: DateTime<Utc>,
    pub opened_by: Option<PersonRef>,
    /// The float counted at opening; `None` when a sale opened the shift.
    pub float: Option<Rial>,
    pub closed_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub z_no: Option<u64>,
}

/// Cash put into the drawer (above zero) or taken out (below), with why.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CashMove {
    pub at: DateTime<Utc>,
    pub amount: Rial,
    pub reason: String,
    pub by: Option<PersonRef>,
}

/// How many of one note (or coin) were counted.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct NoteCount {
    pub note: Rial,
    pub count: u32,
}

/// The Rial notes and coins in use, largest first: the rows of the count.
pub const NOTES: [i64; 8] = [2_000_000, 1_000_000, 500_000, 200_000, 100_000, 50_000, 20_000, 10_000];

/// The shift's figures so far: the X report, or the Z report's body.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ShiftReport {
    pub shift: Shift,
    /// Sales by payment method, returns, old gold in grams by purity: the
    /// day report's rule, over this shift's sales and returns.
    pub sales: SalesReport,
    /// Taken off the making charge and profit of the shift's sales.
    pub discounts: Rial,
    pub cash_in: Rial,
    pub cash_out: Rial,
    pub cash_moves: Vec<CashMove>,
    /// What the drawer should hold: the float (none when not counted), the
    /// cash the trade brought in (`sales.cash_expected`), cash in less out.
    pub cash_expected: Rial,
}

/// A closed shift's Z report, as written in the journal.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ZReport {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub z_no: u64,
    pub closed_at: DateTime<Utc>,
    pub closed_by: Option<PersonRef>,
    pub report: ShiftReport,
    pub counted: Vec<NoteCount>,
    pub counted_total: Rial,
    /// counted − expected: above zero over, below short.
    pub over_short: Rial,
    /// Every sale less every return of this till up to the close, voided
    /// sales left out (the day report's rule), since its first sale.
    pub grand_total: Rial,
}

fn overflow() -> StoreError {
    StoreError::Pricing(PricingError::Overflow)
}

pub(super) fn person_json(p: Option<&PersonRef>) -> Result<Option<String>, StoreError> {
    p.map(json).transpose()
}

pub(super) fn person_of(s: Option<String>) -> Result<Option<PersonRef>, StoreError> {
    s.map(|s| serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(format!("person: {e}")))).transpose()
}

const SHIFT_COLUMNS: &str = "id, opened_at, opened_by, float, closed_at, z_no";

type ShiftRow = (String, String, Option<String>, Option<i64>, Option<String>, Option<i64>);

fn shift_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ShiftRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
}

fn to_shift((id, opened_at, opened_by, float, closed_at, z_no): ShiftRow) -> Result<Shift, StoreError> {
    Ok(Shift {
        id: parse_uuid(&id)?,
        opened_at: parse_ts(&opened_at)?,
        opened_by: person_of(opened_by)?,
        float: float.map(Rial::from_i64),
        closed_at: closed_at.as_deref().map(parse_ts).transpose()?,
        z_no: z_no.map(u64_sql).transpose()?,
    })
}

pub(super) fn open_shift_in(conn: &Connection) -> Result<Option<Shift>, StoreError> {
    conn.prepare_cached(&format!("SELECT {SHIFT_COLUMNS} FROM shifts WHERE closed_at IS NULL"))?
        .query_row([], shift_row)
        .optional()?
        .map(to_shift)
        .transpose()
}

fn insert_shift(
    tx: &Transaction<'_>,
    by: Option<&PersonRef>,
    float: Option<Rial>,
    now: DateTime<Utc>,
) -> Result<Shift, StoreError> {
    let shift =
        Shift { id: Uuid::now_v7(), opened_at: now, opened_by: by.cloned(), float, closed_at: None, z_no: None };
    tx.prepare_cached("INSERT INTO shifts (id, opened_at, opened_by, float) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![shift.id.to_string(), ts(now), person_json(by)?, float.map(rial_sql).transpose()?,])?;
    Ok(shift)
}

/// The open shift, or one opened now with its float not counted: what a
/// sale or a return made with no shift open belongs to.
pub(super) fn ensure_open(
    tx: &Transaction<'_>,
    by: Option<&PersonRef>,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    match open_shift_in(tx)? {
        Some(s) => Ok(s.id),
        None => Ok(insert_shift(tx, by, None, now)?.id),
    }
}

/// Cash into the drawer (above zero) or out of it, with its reason, in the
/// open shift (one is opened, uncounted, when none is).
pub(super) fn insert_cash_move(
    tx: &Transaction<'_>,
    amount: Rial,
    reason: &str,
    by: Option<PersonRef>,
    now: DateTime<Utc>,
) -> Result<CashMove, StoreError> {
    let shift = ensure_open(tx, by.as_ref(), now)?;
    tx.prepare_cached("INSERT INTO cash_moves (id, shift_id, at, amount, reason, by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
        .execute(params![
            Uuid::now_v7().to_string(),
            shift.to_string(),
            ts(now),
            rial_sql(amount)?,
            reason,
            person_json(by.as_ref())?
        ])?;
    Ok(CashMove { at: now, amount, reason: reason.to_owned(), by })
}

fn cash_moves(conn: &Connection, shift: Uuid) -> Result<Vec<CashMove>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT at, amount, reason, by FROM cash_moves WHERE shift_id = ?1 ORDER BY at, id")?;
    let rows = stmt.query_map([shift.to_string()], |r| <(String, i64, String, Option<String>)>::try_from(r))?;
    rows.map(|row| {
        let (at, amount, reason, by) = row?;
        Ok(CashMove { at: parse_ts(&at)?, amount: Rial::from_i64(amount), reason, by: person_of(by)? })
    })
    .collect()
}

/// The shift's figures as they stand.
fn report_of(conn: &Connection, shift: Shift) -> Result<ShiftReport, StoreError> {
    let sales = report_in(conn, TimeSpan::default(), Some(shift.id))?;
    let discounts: i64 = conn
        .prepare_cached(
            "SELECT coalesce(sum(l.wage_discount + l.profit_discount), 0)
             FROM sales s JOIN sale_lines l ON l.sale_id = s.id JOIN outbox o ON o.op_id = s.op_id
             WHERE s.shift_id = ?1 AND o.state <> 'voided'",
        )?
        .query_row([shift.id.to_string()], |r| r.get(0))?;
    let cash_moves = cash_moves(conn, shift.id)?;
    let (mut cash_in, mut cash_out) = (Rial::ZERO, Rial::ZERO);
    for m in &cash_moves {
        if m.amount.is_negative() {
            cash_out = cash_out.checked_sub(m.amount).ok_or_else(overflow)?;
        } else {
            cash_in = cash_in.checked_add(m.amount).ok_or_else(overflow)?;
        }
    }
    let cash_expected = [shift.float.unwrap_or(Rial::ZERO), sales.cash_expected, cash_in]
        .into_iter()
        .try_fold(Rial::ZERO, |a, b| a.checked_add(b))
        .and_then(|t| t.checked_sub(cash_out))
        .ok_or_else(overflow)?;
    Ok(ShiftReport { shift, sales, discounts: Rial::from_i64(discounts), cash_in, cash_out, cash_moves, cash_expected })
}

/// What the journal holds for a Z report: the report itself, with the till.
#[derive(Serialize)]
struct JournalZ<'a> {
    kind: &'static str,
    device_id: Uuid,
    #[serde(flatten)]
    z: &'a ZReport,
}

impl Store {
    /// The shift open at this till, if any.
    pub fn current_shift(&self) -> Result<Option<Shift>, StoreError> {
        open_shift_in(&self.conn)
    }

    /// Opens a shift with the float counted in the drawer (`None`: not
    /// counted). One shift is open at a time.
    pub fn open_shift(&mut self, float: Option<Rial>, now: DateTime<Utc>) -> Result<Shift, StoreError> {
        self.require(Act::Shift)?;
        if float.is_some_and(Rial::is_negative) {
            return Err(StoreError::CashAmountInvalid);
        }
        let by = self.acting();
        let tx = self.write_tx()?;
        if open_shift_in(&tx)?.is_some() {
            return Err(StoreError::ShiftAlreadyOpen);
        }
        let shift = insert_shift(&tx, by.as_ref(), float, now)?;
        tx.commit()?;
        Ok(shift)
    }

    /// Puts cash into the drawer (`amount` above zero) or takes it out
    /// (below), with the reason; with no shift open, one opens.
    pub fn move_cash(&mut self, amount: Rial, reason: &str, now: DateTime<Utc>) -> Result<CashMove, StoreError> {
        self.require(Act::Shift)?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(StoreError::CashReasonRequired);
        }
        if amount == Rial::ZERO {
            return Err(StoreError::CashAmountInvalid);
        }
        let by = self.acting();
        let tx = self.write_tx()?;
        let moved = insert_cash_move(&tx, amount, reason, by, now)?;
        tx.commit()?;
        Ok(moved)
    }

    /// The X report: the open shift's figures, changing nothing.
    pub fn x_report(&self) -> Result<ShiftReport, StoreError> {
        self.require(Act::Shift)?;
        let shift = open_shift_in(&self.conn)?.ok_or(StoreError::NoShiftOpen)?;
        report_of(&self.conn, shift)
    }

    /// Closes the open shift with the cash counted by note: the Z report,
    /// numbered without a gap, chained into the journal and queued for the
    /// server, all in one transaction.
    pub fn close_shift(&mut self, counted: &[NoteCount], now: DateTime<Utc>) -> Result<ZReport, StoreError> {
        self.require(Act::Shift)?;
        let device_id = self.device()?.device_id;
        let by = self.acting();
        let tx = self.write_tx()?;
        let shift = open_shift_in(&tx)?.ok_or(StoreError::NoShiftOpen)?;
        let mut counted_total = Rial::ZERO;
        for n in counted {
            if n.note <= Rial::ZERO {
                return Err(StoreError::CashAmountInvalid);
            }
            let value = n.note.decimal().checked_mul(n.count.into()).and_then(Rial::whole).ok_or_else(overflow)?;
            counted_total = counted_total.checked_add(value).ok_or_else(overflow)?;
        }
        let report = report_of(&tx, shift.clone())?;
        let grand_total = report_in(&tx, TimeSpan::default(), None)?.net_total;
        let z_no = next_counter(&tx, "z_no")?;
        let over_short = counted_total.checked_sub(report.cash_expected).ok_or_else(overflow)?;
        let mut z = ZReport {
            z_no,
            closed_at: now,
            closed_by: by.clone(),
            report,
            counted: counted.iter().copied().filter(|n| n.count > 0).collect(),
            counted_total,
            over_short,
            grand_total,
        };
        z.report.shift.closed_at = Some(now);
        z.report.shift.z_no = Some(z_no);
        let content = json(&JournalZ { kind: "z_report", device_id, z: &z })?;
        let link = journal::append(&tx, "z_report", shift.id, now, &content)?;
        tx.prepare_cached(
            "UPDATE shifts SET closed_at = ?2, closed_by = ?3, z_no = ?4, z = ?5, journal_index = ?6 WHERE id = ?1",
        )?
        .execute(params![
            shift.id.to_string(),
            ts(now),
            person_json(by.as_ref())?,
            z_no as i64,
            content,
            link.index as i64
        ])?;
        let r = &z.report;
        let payload = ShiftPayload {
            shift_id: shift.id,
            z_no,
            opened_at: shift.opened_at,
            closed_at: now,
            opened_by: shift.opened_by.clone(),
            closed_by: by.clone(),
            float: shift.float.map(Rial::decimal),
            sales: r.sales.sales,
            sales_total: r.sales.sales_total.decimal(),
            returns: r.sales.returns,
            returns_total: r.sales.returns_total.decimal(),
            discounts: r.discounts.decimal(),
            cash_in: r.cash_in.decimal(),
            cash_out: r.cash_out.decimal(),
            cash_expected: r.cash_expected.decimal(),
            counted_total: counted_total.decimal(),
            over_short: over_short.decimal(),
            grand_total: grand_total.decimal(),
            journal: link,
        };
        outbox::enqueue(
            &tx,
            Uuid::now_v7(),
            now,
            shift.id,
            &Base::default(),
            by.as_ref(),
            &OpBody::ShiftClose(payload),
        )?;
        tx.commit()?;
        Ok(z)
    }

    /// The Z reports of this till, newest first: to print one again.
    pub fn z_reports(&self, limit: u32) -> Result<Vec<ZReport>, StoreError> {
        let mut stmt =
            self.conn.prepare_cached("SELECT z FROM shifts WHERE z IS NOT NULL ORDER BY z_no DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit], |r| r.get::<_, String>(0))?;
        rows.map(|z| serde_json::from_str(&z?).map_err(|e| StoreError::Corrupt(format!("z report: {e}")))).collect()
    }
}

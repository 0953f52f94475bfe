//! Returns (credit notes): pieces of an earlier sale taken back and their
//! price given back by method, each in one transaction with its journal
//! entry and outbox op. An exchange writes its return here too, in the
//! transaction of its new sale (`sales::record_sale`).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use uuid::Uuid;
use zargar_wire::{self as wire, Base, OpBody, PersonRef};

use super::sale_rows::load_sale_in;
use super::sales::json;
use super::{Store, journal, next_counter, outbox, parse_ts, parse_uuid, rial_sql, ts, u64_sql};
use crate::error::StoreError;
use crate::persian;
use crate::refund::{RefundRoom, ReturnRequest, merge};
use crate::sale::{PaymentInput, PaymentMethod, Sale, SaleLine, SyncState, parse_payment_method};
use zargar_rules::money::Rial;
use zargar_rules::roles::Act;

/// A return as recorded: what its credit note prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedReturn {
    pub id: Uuid,
    pub return_no: u64,
    pub sale_id: Uuid,
    pub invoice_no: u64,
    pub returned_at: DateTime<Utc>,
    pub lines: Vec<SaleLine>,
    pub refund: Rial,
    /// How it was given back, one entry per method.
    pub refunds: Vec<PaymentInput>,
    /// In an exchange: the invoice its value paid.
    pub exchange_invoice_no: Option<u64>,
    pub reason: Option<String>,
    pub op_id: Uuid,
    pub seq: u64,
    pub journal_index: u64,
    pub sync: SyncState,
}

/// What a return would give back, before it is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnQuote {
    pub sale: Sale,
    /// The lines that would come back.
    pub lines: Vec<SaleLine>,
    pub refund: Rial,
    /// What each method still holds for this sale.
    pub room: RefundRoom,
    /// The refund split a cashier gets unless they choose (cash first).
    pub suggested: Vec<PaymentInput>,
}

#[derive(Serialize)]
struct JournalReturn<'a> {
    kind: &'static str,
    device_id: Uuid,
    return_id: Uuid,
    return_no: u64,
    sale_id: Uuid,
    invoice_no: u64,
    returned_at: DateTime<Utc>,
    tags: Vec<&'a str>,
    refund: Rial,
    refunds: &'a [PaymentInput],
    exchange_sale_id: Option<Uuid>,
    /// Who gave it back, when the shop has people; only when there is
    /// someone, so that every other entry hashes as before.
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<&'a PersonRef>,
}

/// The lines a return takes, read in the transaction that writes it.
pub(super) struct ReturnPlan {
    pub sale: Sale,
    /// (index in the sale, line)
    pub lines: Vec<(usize, SaleLine)>,
    pub refund: Rial,
    pub room: RefundRoom,
}

pub(super) fn plan_return(conn: &Connection, invoice_no: u64, tags: &[String]) -> Result<ReturnPlan, StoreError> {
    let sale_id: String = conn
        .query_row("SELECT id FROM sales WHERE invoice_no = ?1", [invoice_no as i64], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::SaleNotFound(invoice_no.to_string()))?;
    let sale = load_sale_in(conn, parse_uuid(&sale_id)?)?;
    if sale.sync == SyncState::Voided {
        // The owner cancelled it in a conflict: there is nothing to give back.
        return Err(StoreError::NotReturnable(invoice_no.to_string()));
    }
    let wanted: Vec<String> = tags.iter().map(|t| persian::fold_digits(t.trim())).filter(|t| !t.is_empty()).collect();
    for tag in &wanted {
        if !sale.lines.iter().any(|l| !l.returned && l.tag == *tag) {
            return Err(StoreError::NotReturnable(tag.clone()));
        }
    }
    let lines: Vec<(usize, SaleLine)> = sale
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.returned && (wanted.is_empty() || wanted.contains(&l.tag)))
        .map(|(n, l)| (n, l.clone()))
        .collect();
    if lines.is_empty() {
        return Err(StoreError::NotReturnable(invoice_no.to_string()));
    }
    let refund = lines.iter().try_fold(Rial::ZERO, |a, (_, l)| {
        a.checked_add(l.price.total).ok_or(StoreError::Pricing(crate::error::PricingError::Overflow))
    })?;
    let earlier = refunds_of_sale(conn, sale.id)?;
    let room = RefundRoom::of(&sale, &earlier)?;
    Ok(ReturnPlan { sale, lines, refund, room })
}

/// Writes a return: its journal entry, rows, the pieces' status and its
/// outbox op. `split` must already be checked against the plan's room.
// One argument per part of the return; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub(super) fn insert_return(
    tx: &Transaction<'_>,
    by: Option<&PersonRef>,
    device_id: Uuid,
    plan: ReturnPlan,
    split: &[PaymentInput],
    reason: Option<&str>,
    exchange: Option<(Uuid, u64)>,
    now: DateTime<Utc>,
) -> Result<RecordedReturn, StoreError> {
    let ReturnPlan { sale, lines, refund, room } = plan;
    room.check(refund, split)?;
    let refunds = merge(split)?;
    let return_no = next_counter(tx, "return_no")?;
    let id = Uuid::now_v7();
    let op_id = Uuid::now_v7();
    let reason = reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    let content = json(&JournalReturn {
        kind: "return",
        device_id,
        return_id: id,
        return_no,
        sale_id: sale.id,
        invoice_no: sale.invoice_no,
        returned_at: now,
        tags: lines.iter().map(|(_, l)| l.tag.as_str()).collect(),
        refund,
        refunds: &refunds,
        exchange_sale_id: exchange.map(|e| e.0),
        by,
    })?;
    let link = journal::append(tx, "return", id, now, &content)?;
    let shift = super::shifts::ensure_open(tx, by, now)?;
    let main_method = refunds.iter().max_by_key(|p| p.amount).map_or(PaymentMethod::Cash, |p| p.method);
    tx.execute(
        "INSERT INTO returns (id, return_no, sale_id, returned_at, refund, refund_method, reason, op_id, journal_index,
                              exchange_sale_id, shift_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            id.to_string(),
            return_no as i64,
            sale.id.to_string(),
            ts(now),
            rial_sql(refund)?,
            main_method.code(),
            reason,
            op_id.to_string(),
            link.index as i64,
            exchange.map(|e| e.0.to_string()),
            shift.to_string(),
        ],
    )?;
    for (n, p) in refunds.iter().enumerate() {
        tx.execute(
            "INSERT INTO return_refunds (return_id, line_no, method, amount) VALUES (?1, ?2, ?3, ?4)",
            params![id.to_string(), n as i64 + 1, p.method.code(), rial_sql(p.amount)?],
        )?;
    }
    for (n, l) in &lines {
        let line_no = *n as i64 + 1;
        tx.execute(
            "INSERT INTO return_lines (return_id, sale_id, line_no) VALUES (?1, ?2, ?3)",
            params![id.to_string(), sale.id.to_string(), line_no],
        )?;
        tx.execute(
            "UPDATE sale_lines SET returned = 1 WHERE sale_id = ?1 AND line_no = ?2",
            params![sale.id.to_string(), line_no],
        )?;
        tx.execute(
            "UPDATE items SET status = 'returned', version = version + 1, updated_at = ?2 WHERE id = ?1",
            params![l.item_id.to_string(), ts(now)],
        )?;
    }
    let body = OpBody::SaleReturn(wire::ReturnPayload {
        return_id: id,
        sale_id: sale.id,
        return_no,
        returned_at: now,
        item_ids: lines.iter().map(|(_, l)| l.item_id).collect(),
        refund: refund.decimal(),
        refund_method: main_method,
        refunds: refunds.iter().map(|p| wire::Payment { method: p.method, amount: p.amount.decimal() }).collect(),
        exchange_sale_id: exchange.map(|e| e.0),
        reason: reason.clone(),
        journal: link.clone(),
    });
    let seq = outbox::enqueue(tx, op_id, now, id, &Base::default(), by, &body)?;
    if let (OpBody::SaleReturn(r), Some(customer)) = (&body, &sale.customer)
        && let Some(m) = r.account_move(customer.id)
    {
        super::accounts::insert_move(tx, &m, crate::account::MoveState::Pending, Some(op_id), None, by)?;
    }
    Ok(RecordedReturn {
        id,
        return_no,
        sale_id: sale.id,
        invoice_no: sale.invoice_no,
        returned_at: now,
        lines: lines
            .into_iter()
            .map(|(_, mut l)| {
                l.returned = true;
                l
            })
            .collect(),
        refund,
        refunds,
        exchange_invoice_no: exchange.map(|e| e.1),
        reason,
        op_id,
        seq,
        journal_index: link.index,
        sync: SyncState::Pending,
    })
}

/// Every refund already given for a sale, by method.
fn refunds_of_sale(conn: &Connection, sale_id: Uuid) -> Result<Vec<PaymentInput>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.method, f.amount FROM return_refunds f JOIN returns r ON r.id = f.return_id WHERE r.sale_id = ?1",
    )?;
    let rows = stmt.query_map([sale_id.to_string()], |r| <(String, i64)>::try_from(r))?;
    rows.map(|row| {
        let (m, a) = row?;
        let method = parse_payment_method(&m).map_err(|_| StoreError::Corrupt(format!("refund method {m}")))?;
        Ok(PaymentInput { method, amount: Rial::from_i64(a) })
    })
    .collect()
}

fn load_return_in(conn: &Connection, id: Uuid) -> Result<RecordedReturn, StoreError> {
    let (return_no, sale_id, at, refund, reason, op_id, jidx, seq, state, exchange_no) = conn
        .prepare_cached(
            "SELECT r.return_no, r.sale_id, r.returned_at, r.refund, r.reason, r.op_id, r.journal_index, o.seq,
                    o.state, x.invoice_no
             FROM returns r JOIN outbox o ON o.op_id = r.op_id LEFT JOIN sales x ON x.id = r.exchange_sale_id
             WHERE r.id = ?1",
        )?
        .query_row([id.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, Option<i64>>(9)?,
            ))
        })
        .optional()?
        .ok_or_else(|| StoreError::SaleNotFound(id.to_string()))?;
    let sale = load_sale_in(conn, parse_uuid(&sale_id)?)?;
    let line_nos: Vec<i64> = conn
        .prepare_cached("SELECT line_no FROM return_lines WHERE return_id = ?1 ORDER BY line_no")?
        .query_map([id.to_string()], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let lines =
        line_nos.iter().filter_map(|n| usize::try_from(*n - 1).ok().and_then(|i| sale.lines.get(i)).cloned()).collect();
    let mut refunds = Vec::new();
    let mut stmt =
        conn.prepare_cached("SELECT method, amount FROM return_refunds WHERE return_id = ?1 ORDER BY line_no")?;
    for row in stmt.query_map([id.to_string()], |r| <(String, i64)>::try_from(r))? {
        let (m, a) = row?;
        let method = parse_payment_method(&m).map_err(|_| StoreError::Corrupt(format!("refund method {m}")))?;
        refunds.push(PaymentInput { method, amount: Rial::from_i64(a) });
    }
    Ok(RecordedReturn {
        id,
        return_no: u64_sql(return_no)?,
        sale_id: sale.id,
        invoice_no: sale.invoice_no,
        returned_at: parse_ts(&at)?,
        lines,
        refund: Rial::from_i64(refund),
        refunds,
        exchange_invoice_no: exchange_no.map(u64_sql).transpose()?,
        reason,
        op_id: parse_uuid(&op_id)?,
        seq: u64_sql(seq)?,
        journal_index: u64_sql(jidx)?,
        sync: SyncState::from_code(&state).ok_or_else(|| StoreError::Corrupt(format!("state {state}")))?,
    })
}

impl Store {
    /// What returning these pieces of an invoice would give back, and by
    /// which methods; nothing is written.
    pub fn quote_return(&self, invoice_no: u64, tags: &[String]) -> Result<ReturnQuote, StoreError> {
        let plan = plan_return(&self.conn, invoice_no, tags)?;
        let suggested = plan.room.default_split(plan.refund);
        Ok(ReturnQuote {
            lines: plan.lines.into_iter().map(|(_, l)| l).collect(),
            sale: plan.sale,
            refund: plan.refund,
            room: plan.room,
            suggested,
        })
    }

    /// Takes pieces of an earlier sale back and refunds their price by
    /// method, in one transaction with its journal entry and outbox op.
    pub fn record_return(&mut self, req: &ReturnRequest, now: DateTime<Utc>) -> Result<RecordedReturn, StoreError> {
        let device_id = self.device()?.device_id;
        if req.refunds.iter().any(|p| p.method == PaymentMethod::ExchangeCredit) {
            return Err(StoreError::ExchangeCreditMisused);
        }
        self.require(Act::ReturnSameDay)?;
        let by = self.acting();
        let tx = self.write_tx()?;
        let plan = plan_return(&tx, req.invoice_no, &req.tags)?;
        let split = if req.refunds.is_empty() { plan.room.default_split(plan.refund) } else { req.refunds.clone() };
        let ret = insert_return(&tx, by.as_ref(), device_id, plan, &split, req.reason.as_deref(), None, now)?;
        tx.commit()?;
        Ok(ret)
    }

    /// The credit notes of a sale, oldest first.
    pub fn returns_of_sale(&self, sale_id: Uuid) -> Result<Vec<RecordedReturn>, StoreError> {
        let ids: Vec<String> = self
            .conn
            .prepare_cached("SELECT id FROM returns WHERE sale_id = ?1 ORDER BY return_no")?
            .query_map([sale_id.to_string()], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.iter().map(|id| load_return_in(&self.conn, parse_uuid(id)?)).collect()
    }

    /// A credit note by its number, as recorded.
    pub fn return_by_number(&self, return_no: u64) -> Result<RecordedReturn, StoreError> {
        let id: String = self
            .conn
            .query_row("SELECT id FROM returns WHERE return_no = ?1", [return_no as i64], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::SaleNotFound(return_no.to_string()))?;
        load_return_in(&self.conn, parse_uuid(&id)?)
    }
}

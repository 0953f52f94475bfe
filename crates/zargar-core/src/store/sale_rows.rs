//! The rows of a sale in the till's database: written when it is recorded
//! or edited for a resubmit, read back whole. The one codec of the sales,
//! sale_lines, payments and trade_ins tables.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;
use zargar_wire as wire;

use super::{parse_dec, parse_ts, parse_uuid, rial_sql, ts, u64_sql};
use crate::error::StoreError;
use crate::sale::{
    CustomerRef, PaymentInput, PriceUsed, Sale, SaleLine, SyncState, Totals, TradeInLine, parse_payment_method,
};
use zargar_rules::measure::{Purity, Weight};
use zargar_rules::money::{Percent, Rial};
use zargar_rules::pricing::WageRate;

/// A new sale's row, besides its totals.
pub(super) struct SaleHead {
    pub id: Uuid,
    pub invoice_no: u64,
    pub sold_at: DateTime<Utc>,
    pub customer: Option<Uuid>,
    pub price: PriceUsed,
    pub vat: Percent,
    pub op_id: Uuid,
    pub journal_index: u64,
    pub approval: Option<wire::Approval>,
    pub discount_approved_by: Option<wire::PersonRef>,
    pub shift: Uuid,
}

/// The totals as the sales table's ten Rial columns, in their order.
fn totals_sql(t: &Totals) -> Result<[i64; 10], StoreError> {
    let all = [t.gold, t.wage, t.profit, t.vat, t.stones, t.total, t.trade_in, t.due, t.paid, t.change];
    let mut out = [0; 10];
    for (slot, r) in out.iter_mut().zip(all) {
        *slot = rial_sql(r)?;
    }
    Ok(out)
}

pub(super) fn insert_sale_row(tx: &Connection, h: &SaleHead, t: &Totals) -> Result<(), StoreError> {
    let [gold, wage, profit, vat, stones, total, trade_in, due, paid, change] = totals_sql(t)?;
    tx.prepare_cached(
        "INSERT INTO sales (id, invoice_no, sold_at, customer_id, gold_price_id, per_gram_18k, vat_percent,
                            gold, wage, profit, vat, stones, total, trade_in, due, paid, change_given,
                            op_id, journal_index, approval, discount_approved_by, shift_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
    )?
    .execute(params![
        h.id.to_string(),
        h.invoice_no as i64,
        ts(h.sold_at),
        h.customer.map(|c| c.to_string()),
        h.price.id.to_string(),
        rial_sql(h.price.per_gram_18k)?,
        h.vat.to_string(),
        gold,
        wage,
        profit,
        vat,
        stones,
        total,
        trade_in,
        due,
        paid,
        change,
        h.op_id.to_string(),
        h.journal_index as i64,
        h.approval.as_ref().map(super::sales::json).transpose()?,
        h.discount_approved_by.as_ref().map(super::sales::json).transpose()?,
        h.shift.to_string(),
    ])?;
    Ok(())
}

/// Writes a sale's lines, payments and trade-ins.
pub(super) fn insert_parts(
    tx: &Connection,
    sale_id: Uuid,
    lines: &[SaleLine],
    payments: &[PaymentInput],
    trade_ins: &[TradeInLine],
) -> Result<(), StoreError> {
    for (n, l) in lines.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO sale_lines (sale_id, line_no, item_id, tag, name, weight_mg, purity, wage_kind, wage_value,
                                         profit_percent, gold, wage, profit, vat, stones, total,
                                         wage_discount, profit_discount)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        )?
        .execute(params![
            sale_id.to_string(),
            n as i64 + 1,
            l.item_id.to_string(),
            l.tag,
            l.name,
            l.weight.milligrams(),
            l.purity.to_string(),
            l.wage_rate.kind(),
            l.wage_rate.value().to_string(),
            l.profit_percent.to_string(),
            rial_sql(l.price.gold)?,
            rial_sql(l.price.wage)?,
            rial_sql(l.price.profit)?,
            rial_sql(l.price.vat)?,
            rial_sql(l.price.stones)?,
            rial_sql(l.price.total)?,
            rial_sql(l.discount.wage)?,
            rial_sql(l.discount.profit)?,
        ])?;
    }
    for (n, pay) in payments.iter().enumerate() {
        tx.prepare_cached("INSERT INTO payments (sale_id, line_no, method, amount) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![sale_id.to_string(), n as i64 + 1, pay.method.code(), rial_sql(pay.amount)?])?;
    }
    for (n, ti) in trade_ins.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO trade_ins (sale_id, line_no, weight_mg, purity, deduction_percent, buy_price_18k, value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            sale_id.to_string(),
            n as i64 + 1,
            ti.weight.milligrams(),
            ti.purity.to_string(),
            ti.deduction.to_string(),
            rial_sql(ti.buy_price_18k)?,
            rial_sql(ti.value)?,
        ])?;
    }
    Ok(())
}

/// Replaces an edited sale's lines, payments, trade-ins and totals (a
/// conflicted sale resubmitted). The journal keeps the sale as first made;
/// the edit travels as the resolution op and lands in the server's audit log.
pub(super) fn replace_sale_lines(tx: &Connection, sale: &Sale) -> Result<(), StoreError> {
    let id = sale.id.to_string();
    for table in ["sale_lines", "payments", "trade_ins"] {
        tx.execute(&format!("DELETE FROM {table} WHERE sale_id = ?1"), [&id])?;
    }
    insert_parts(tx, sale.id, &sale.lines, &sale.payments, &sale.trade_ins)?;
    let [gold, wage, profit, vat, stones, total, trade_in, due, paid, change] = totals_sql(&sale.totals)?;
    tx.execute(
        "UPDATE sales SET gold = ?2, wage = ?3, profit = ?4, vat = ?5, stones = ?6, total = ?7, trade_in = ?8,
                          due = ?9, paid = ?10, change_given = ?11
         WHERE id = ?1",
        params![sale.id.to_string(), gold, wage, profit, vat, stones, total, trade_in, due, paid, change],
    )?;
    Ok(())
}

/// A saved sale as its `sale.create` payload, with its journal link.
pub(super) fn sale_payload_in(conn: &Connection, sale: &Sale) -> Result<wire::SalePayload, StoreError> {
    let link = conn.query_row(
        "SELECT idx, prev_hash, content_hash, hash FROM journal WHERE idx = ?1",
        [sale.journal_index as i64],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)),
    )?;
    let link = wire::JournalLink { index: u64_sql(link.0)?, prev_hash: link.1, content_hash: link.2, hash: link.3 };
    Ok(sale.to_wire(link))
}

pub(super) fn load_sale_in(conn: &Connection, id: Uuid) -> Result<Sale, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT s.invoice_no, s.sold_at, s.customer_id, c.name, s.gold_price_id, s.per_gram_18k, s.vat_percent,
                    s.gold, s.wage, s.profit, s.vat, s.stones, s.total, s.trade_in, s.due, s.paid, s.change_given,
                    s.op_id, s.journal_index, o.seq, o.state, s.approval, o.by, s.discount_approved_by,
                    (SELECT l.id FROM layaways l WHERE l.sale_id = s.id)
             FROM sales s JOIN outbox o ON o.op_id = s.op_id LEFT JOIN customers c ON c.id = s.customer_id
             WHERE s.id = ?1",
        )?
        .query_row([id.to_string()], |r| {
            Ok((
                (
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ),
                (r.get::<_, String>(4)?, r.get::<_, i64>(5)?, r.get::<_, String>(6)?),
                rials::<10>(r, 7)?,
                (r.get::<_, String>(17)?, r.get::<_, i64>(18)?, r.get::<_, i64>(19)?, r.get::<_, String>(20)?),
                (r.get::<_, Option<String>>(21)?, r.get::<_, Option<String>>(22)?, r.get::<_, Option<String>>(23)?),
                r.get::<_, Option<String>>(24)?,
            ))
        })
        .optional()?
        .ok_or_else(|| StoreError::SaleNotFound(id.to_string()))?;
    let (
        (no, at, cid, cname),
        (pid, p18, vat),
        parts,
        (op_id, jidx, seq, state),
        (approval, seller, approved_by),
        layaway,
    ) = row;
    let corrupt = |what: &str| StoreError::Corrupt(format!("sale {no}: {what}"));
    let [gold, wage, profit, vat_amount, stones, total, trade_in, due, paid, change] = parts;

    let mut lines = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT item_id, tag, name, weight_mg, purity, wage_kind, wage_value, profit_percent,
                    gold, wage, profit, vat, stones, total, returned, wage_discount, profit_discount
             FROM sale_lines WHERE sale_id = ?1 ORDER BY line_no",
        )?;
        let rows = stmt.query_map([id.to_string()], line_from_row)?;
        for row in rows {
            lines.push(row??);
        }
    }
    let mut payments = Vec::new();
    {
        let mut stmt =
            conn.prepare_cached("SELECT method, amount FROM payments WHERE sale_id = ?1 ORDER BY line_no")?;
        let rows = stmt.query_map([id.to_string()], |r| <(String, i64)>::try_from(r))?;
        for row in rows {
            let (m, a) = row?;
            payments.push(PaymentInput {
                method: parse_payment_method(&m).map_err(|_| corrupt("payment method"))?,
                amount: Rial::from_i64(a),
            });
        }
    }
    let mut trade_ins = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT weight_mg, purity, deduction_percent, buy_price_18k, value FROM trade_ins WHERE sale_id = ?1 ORDER BY line_no",
        )?;
        let rows = stmt.query_map([id.to_string()], |r| <(i64, String, String, i64, i64)>::try_from(r))?;
        for row in rows {
            let (mg, purity, ded, buy, value) = row?;
            trade_ins.push(TradeInLine {
                weight: Weight::from_milligrams(mg).ok_or_else(|| corrupt("trade-in weight"))?,
                purity: Purity::per_mille(parse_dec(&purity)?).ok_or_else(|| corrupt("trade-in purity"))?,
                deduction: Percent::new(parse_dec(&ded)?).ok_or_else(|| corrupt("trade-in deduction"))?,
                buy_price_18k: Rial::from_i64(buy),
                value: Rial::from_i64(value),
            });
        }
    }
    Ok(Sale {
        id,
        invoice_no: u64_sql(no)?,
        sold_at: parse_ts(&at)?,
        customer: match (cid, cname) {
            (Some(cid), Some(name)) => Some(CustomerRef { id: parse_uuid(&cid)?, name }),
            _ => None,
        },
        gold_price: PriceUsed { id: parse_uuid(&pid)?, per_gram_18k: Rial::from_i64(p18) },
        vat_percent: Percent::new(parse_dec(&vat)?).ok_or_else(|| corrupt("vat"))?,
        lines,
        trade_ins,
        payments,
        totals: Totals { gold, wage, profit, vat: vat_amount, stones, total, trade_in, due, paid, change },
        op_id: parse_uuid(&op_id)?,
        seq: u64_sql(seq)?,
        journal_index: u64_sql(jidx)?,
        sync: SyncState::from_code(&state).ok_or_else(|| corrupt("state"))?,
        approval: approval
            .map(|a| serde_json::from_str(&a).map_err(|e| corrupt(&format!("approval: {e}"))))
            .transpose()?,
        seller: seller.map(|a| serde_json::from_str(&a).map_err(|e| corrupt(&format!("seller: {e}")))).transpose()?,
        discount_approved_by: approved_by
            .map(|a| serde_json::from_str(&a).map_err(|e| corrupt(&format!("discount approval: {e}"))))
            .transpose()?,
        layaway: layaway.as_deref().map(parse_uuid).transpose()?,
    })
}

fn line_from_row(r: &Row<'_>) -> rusqlite::Result<Result<SaleLine, StoreError>> {
    let item_id: String = r.get(0)?;
    let tag: String = r.get(1)?;
    let name: String = r.get(2)?;
    let mg: i64 = r.get(3)?;
    let purity: String = r.get(4)?;
    let wage_kind: String = r.get(5)?;
    let wage_value: String = r.get(6)?;
    let profit_percent: String = r.get(7)?;
    let parts = rials::<6>(r, 8)?;
    let returned: bool = r.get(14)?;
    let [wage_off, profit_off] = rials::<2>(r, 15)?;
    Ok((|| {
        let corrupt = |what: &str| StoreError::Corrupt(format!("line {tag}: {what}"));
        let [gold, wage, profit, vat, stones, total] = parts;
        Ok(SaleLine {
            item_id: parse_uuid(&item_id)?,
            name,
            weight: Weight::from_milligrams(mg).ok_or_else(|| corrupt("weight"))?,
            purity: Purity::per_mille(parse_dec(&purity)?).ok_or_else(|| corrupt("purity"))?,
            wage_rate: WageRate::from_parts(&wage_kind, parse_dec(&wage_value)?).ok_or_else(|| corrupt("wage"))?,
            profit_percent: Percent::new(parse_dec(&profit_percent)?).ok_or_else(|| corrupt("profit"))?,
            price: zargar_rules::pricing::LinePrice { gold, wage, profit, vat, stones, total },
            discount: zargar_rules::discount::Discounted { wage: wage_off, profit: profit_off },
            returned,
            tag: tag.clone(),
        })
    })())
}

/// `N` amount columns in a row, from column `first` on.
pub(super) fn rials<const N: usize>(r: &Row<'_>, first: usize) -> rusqlite::Result<[Rial; N]> {
    let mut out = [Rial::ZERO; N];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = Rial::from_i64(r.get(first + i)?);
    }
    Ok(out)
}

//! Installment plans and layaways at the till. A plan splits a sale's part
//! on account into dated installments (Jalali months apart), in Rials or in
//! grams fixed at the sale's price; a payment towards a plan in gold is
//! valued at that day's price. A layaway reserves pieces for a customer,
//! against a deposit kept on their account, until a sale completes it or
//! it is cancelled. Each is an op, and every till pulls them.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use uuid::Uuid;
use zargar_wire::{
    AccountMoveKind, AccountMovePayload, Base, Installment, InstallmentPlanPayload, LayawayPayload, OpBody, PlanUnit,
};

use super::accounts::{customer_in, write_move};
use super::catalog::{find_item_in, gold_price_history_in};
use super::sales::json;
use super::{Store, outbox, parse_ts, parse_uuid, rial_sql, ts, u64_sql};
use crate::account::{AccountMove, InstallmentLine, InstallmentState, Layaway, Plan};
use crate::error::{Field, PricingError, StoreError, ValidationError};
use crate::item::ItemStatus;
use crate::persian::{add_jalali_months, tehran_date};
use crate::sale::PaymentMethod;
use zargar_rules::account::{gold_for, split_installments};
use zargar_rules::money::Rial;
use zargar_rules::roles::Act;

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("installment plan: {what}"))
}

/// Keeps a plan, made here (`till` none) or pulled.
pub(super) fn insert_plan(tx: &Connection, p: &InstallmentPlanPayload, till: Option<&str>) -> Result<(), StoreError> {
    let price = p.per_gram_18k.and_then(Rial::whole).map(rial_sql).transpose()?;
    tx.prepare_cached(
        "INSERT INTO installment_plans (id, customer_id, sale_id, invoice_no, unit, total, per_gram_18k,
                                        installments, created_at, device_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING",
    )?
    .execute(params![
        p.plan_id.to_string(),
        p.customer_id.to_string(),
        p.sale_id.to_string(),
        i64::try_from(p.invoice_no).map_err(|_| corrupt("invoice_no"))?,
        p.unit.code(),
        p.total,
        price,
        json(&p.installments)?,
        ts(p.created_at),
        till
    ])?;
    Ok(())
}

/// Keeps a layaway's state as the server says (or as made here).
pub(super) fn put_layaway(tx: &Connection, l: &LayawayPayload, till: Option<&str>) -> Result<(), StoreError> {
    let state = if l.cancelled {
        "cancelled"
    } else if l.sale_id.is_some() {
        "completed"
    } else {
        "open"
    };
    tx.prepare_cached(
        "INSERT INTO layaways (id, customer_id, item_ids, tags, created_at, state, sale_id, device_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, sale_id = coalesce(excluded.sale_id, layaways.sale_id)",
    )?
    .execute(params![
        l.layaway_id.to_string(),
        l.customer_id.to_string(),
        json(&l.item_ids)?,
        json(&l.tags)?,
        ts(l.created_at),
        state,
        l.sale_id.map(|s| s.to_string()),
        till
    ])?;
    Ok(())
}

/// An open layaway of this customer: its id and its pieces.
pub(super) fn open_layaway(conn: &Connection, id: Uuid, customer: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let row: Option<(String, String)> = conn
        .prepare_cached("SELECT customer_id, item_ids FROM layaways WHERE id = ?1 AND state = 'open'")?
        .query_row([id.to_string()], |r| <(String, String)>::try_from(r))
        .optional()?;
    let Some((cid, items)) = row else { return Err(StoreError::LayawayNotOpen(id.to_string())) };
    if parse_uuid(&cid)? != customer {
        return Err(StoreError::LayawayNotOpen(id.to_string()));
    }
    serde_json::from_str(&items).map_err(|e| StoreError::Corrupt(format!("layaway {id}: {e}")))
}

/// A plan as stored, with what has been paid towards it.
fn plans_where(conn: &Connection, filter: &str, arg: &str, today: NaiveDate) -> Result<Vec<Plan>, StoreError> {
    let sql = format!(
        "SELECT p.id, p.customer_id, c.name, c.mobile, p.invoice_no, p.unit, p.total, p.per_gram_18k,
                p.installments, p.device_name,
                coalesce((SELECT sum(CASE WHEN p.unit = 'gold' THEN m.gold_mg ELSE m.rial END) FROM account_moves m
                          WHERE m.plan_id = p.id AND (m.state = 'pending' OR m.state = 'applied' OR m.state = 'accepted')
                            AND (m.kind = 'payment' AND p.unit = 'rial' OR m.kind = 'convert' AND m.gold_mg > 0)), 0)
         FROM installment_plans p JOIN customers c ON c.id = p.customer_id
         WHERE {filter} ORDER BY p.created_at, p.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    type Row = (String, String, String, Option<String>, i64, String, i64, Option<i64>, String, Option<String>, i64);
    let rows = stmt.query_map([arg], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
            r.get(10)?,
        ))
    })?;
    rows.map(|row| {
        let (id, cid, name, mobile, invoice, unit, total, price, parts, till, paid): Row = row?;
        let parts: Vec<Installment> = serde_json::from_str(&parts).map_err(|e| corrupt(&e.to_string()))?;
        Ok(Plan {
            id: parse_uuid(&id)?,
            customer_id: parse_uuid(&cid)?,
            customer: name,
            mobile,
            invoice_no: u64_sql(invoice)?,
            unit: PlanUnit::from_code(&unit).ok_or_else(|| corrupt("unit"))?,
            total,
            paid,
            per_gram_18k: price.map(Rial::from_i64),
            installments: standing(&parts, paid, today),
            till,
        })
    })
    .collect()
}

/// Each installment's state: what was paid goes to the oldest first.
pub fn standing(parts: &[Installment], paid: i64, today: NaiveDate) -> Vec<InstallmentLine> {
    let mut left_paid = paid.max(0);
    parts
        .iter()
        .map(|i| {
            let covered = left_paid.min(i.amount);
            left_paid -= covered;
            let left = i.amount - covered;
            let state = match (left, covered) {
                (0, _) => InstallmentState::Paid,
                _ if i.due < today => InstallmentState::Overdue,
                (_, c) if c > 0 => InstallmentState::Part,
                _ => InstallmentState::Due,
            };
            InstallmentLine { no: i.no, due: i.due, amount: i.amount, left, state }
        })
        .collect()
}

impl Store {
    /// Splits the part of sale `invoice_no` left on its customer's account
    /// into `count` installments a Jalali month apart from `first_due` (a
    /// month from today when none). In gold, the debt is fixed in grams at
    /// the sale's price: a conversion of the Rials owed into milligrams
    /// (the few Rials under a milligram stay owed in Rials).
    pub fn create_plan(
        &mut self,
        invoice_no: u64,
        count: u32,
        unit: PlanUnit,
        first_due: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<Plan, StoreError> {
        let device_id = self.device()?.device_id;
        self.require(Act::CustomerAccount)?;
        let by = self.acting();
        let sale = self.sale_by_invoice(invoice_no)?;
        let part = self.sale_account_move(sale.id)?.ok_or(StoreError::NothingOnAccount(invoice_no))?;
        let customer = sale.customer.clone().ok_or(StoreError::AccountNeedsCustomer)?;
        let owed = Rial::ZERO - part.rial;
        let price = sale.gold_price.per_gram_18k;
        let (total, fixed) = match unit {
            PlanUnit::Rial => (owed.to_i64().ok_or(PricingError::Overflow)?, None),
            PlanUnit::Gold => {
                let (gold, cost) = gold_for(owed, price)?;
                (gold.mg(), Some(cost))
            }
        };
        let amounts =
            split_installments(total, count).ok_or_else(|| ValidationError::new(Field::Amount, count.to_string()))?;
        let first = match first_due {
            Some(d) => d,
            None => add_jalali_months(tehran_date(now), 1).ok_or_else(|| corrupt("date"))?,
        };
        let installments = amounts
            .iter()
            .enumerate()
            .map(|(i, amount)| {
                let due = add_jalali_months(first, i as u32).ok_or_else(|| corrupt("date"))?;
                Ok(Installment { no: i as u32 + 1, due, amount: *amount })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let plan = InstallmentPlanPayload {
            plan_id: Uuid::now_v7(),
            customer_id: customer.id,
            sale_id: sale.id,
            invoice_no,
            unit,
            total,
            per_gram_18k: (unit == PlanUnit::Gold).then_some(price.decimal()),
            installments,
            created_at: now,
        };
        let tx = self.write_tx()?;
        let c = customer_in(&tx, &customer.id.to_string())?;
        insert_plan(&tx, &plan, None)?;
        outbox::enqueue(
            &tx,
            Uuid::now_v7(),
            now,
            plan.plan_id,
            &Base::default(),
            by.as_ref(),
            &OpBody::InstallmentPlan(plan.clone()),
        )?;
        if let Some(cost) = fixed {
            let mut m = AccountMovePayload::new(c.id, AccountMoveKind::Convert, cost.decimal(), -total, now);
            m.per_gram_18k = Some(price.decimal());
            m.plan_id = Some(plan.plan_id);
            write_move(&tx, device_id, by.as_ref(), &c, m, true)?;
        }
        let today = tehran_date(now);
        let made = plans_where(&tx, "p.id = ?1", &plan.plan_id.to_string(), today)?;
        tx.commit()?;
        made.into_iter().next().ok_or_else(|| corrupt("not saved"))
    }

    /// A payment towards a plan: the money, and for a plan in gold the
    /// grams it buys at today's price, which come off the gold owed (what is
    /// under a milligram stays as Rial credit). Paid twice at two tills,
    /// both stand: the surplus is the customer's credit.
    pub fn pay_installment(
        &mut self,
        plan: Uuid,
        method: PaymentMethod,
        amount: Rial,
        now: DateTime<Utc>,
    ) -> Result<Vec<AccountMove>, StoreError> {
        let device_id = self.device()?.device_id;
        self.require(Act::CustomerAccount)?;
        if amount <= Rial::ZERO {
            return Err(StoreError::PaymentZero);
        }
        if matches!(method, PaymentMethod::Account | PaymentMethod::ExchangeCredit) {
            return Err(ValidationError::new(Field::PaymentMethod, method.code()).into());
        }
        let by = self.acting();
        let tx = self.write_tx()?;
        let p = plans_where(&tx, "p.id = ?1", &plan.to_string(), tehran_date(now))?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::PlanNotFound(plan.to_string()))?;
        let c = customer_in(&tx, &p.customer_id.to_string())?;
        let mut pay = AccountMovePayload::new(c.id, AccountMoveKind::Payment, amount.decimal(), 0, now);
        pay.method = Some(method);
        pay.plan_id = Some(plan);
        let mut done = vec![write_move(&tx, device_id, by.as_ref(), &c, pay, false)?];
        if p.unit == PlanUnit::Gold {
            let price = gold_price_history_in(&tx, 1)?.into_iter().next().ok_or(StoreError::NoGoldPrice)?.per_gram_18k;
            let (gold, cost) = gold_for(amount, price)?;
            if gold.mg() > 0 {
                let mut m = AccountMovePayload::new(c.id, AccountMoveKind::Convert, -cost.decimal(), gold.mg(), now);
                m.per_gram_18k = Some(price.decimal());
                m.plan_id = Some(plan);
                done.push(write_move(&tx, device_id, by.as_ref(), &c, m, false)?);
            }
        }
        tx.commit()?;
        Ok(done)
    }

    /// A customer's plans, oldest first, with each installment's state today.
    pub fn plans(&self, customer: &str, now: DateTime<Utc>) -> Result<Vec<Plan>, StoreError> {
        let c = customer_in(&self.conn, customer)?;
        plans_where(&self.conn, "p.customer_id = ?1", &c.id.to_string(), tehran_date(now))
    }

    /// Every plan with an installment past its day and not paid: what the
    /// shop reminds its customers of.
    pub fn overdue(&self, now: DateTime<Utc>) -> Result<Vec<Plan>, StoreError> {
        let all = plans_where(&self.conn, "?1 = ?1", "", tehran_date(now))?;
        Ok(all.into_iter().filter(|p| p.installments.iter().any(|i| i.state == InstallmentState::Overdue)).collect())
    }

    /// Puts pieces aside for a customer: reserved here at once and on every
    /// till once sent; the deposit (if any) goes on their account as credit.
    pub fn create_layaway(
        &mut self,
        customer: &str,
        tags: &[String],
        deposit: Option<(PaymentMethod, Rial)>,
        now: DateTime<Utc>,
    ) -> Result<Layaway, StoreError> {
        let device_id = self.device()?.device_id;
        self.require(Act::CustomerAccount)?;
        let by = self.acting();
        let tx = self.write_tx()?;
        let c = customer_in(&tx, customer)?;
        if tags.is_empty() {
            return Err(StoreError::EmptySale);
        }
        let mut items = Vec::new();
        for code in tags {
            let item = find_item_in(&tx, code)?.ok_or_else(|| StoreError::ItemNotFound(code.trim().to_owned()))?;
            if item.status != ItemStatus::InStock || items.iter().any(|(id, _)| *id == item.id) {
                return Err(StoreError::ItemNotInStock {
                    tag: item.tag.clone(),
                    status: item.status.code(),
                    sold_by: item.sold_by.clone(),
                });
            }
            tx.prepare_cached(
                "UPDATE items SET status = 'reserved', version = version + 1, updated_at = ?2 WHERE id = ?1",
            )?
            .execute(params![item.id.to_string(), ts(now)])?;
            items.push((item.id, item.tag));
        }
        let l = LayawayPayload {
            layaway_id: Uuid::now_v7(),
            customer_id: c.id,
            item_ids: items.iter().map(|(id, _)| *id).collect(),
            tags: items.into_iter().map(|(_, tag)| tag).collect(),
            created_at: now,
            cancelled: false,
            sale_id: None,
        };
        put_layaway(&tx, &l, None)?;
        outbox::enqueue(
            &tx,
            Uuid::now_v7(),
            now,
            l.layaway_id,
            &Base::default(),
            by.as_ref(),
            &OpBody::Layaway(l.clone()),
        )?;
        if let Some((method, amount)) = deposit {
            if amount <= Rial::ZERO {
                return Err(StoreError::PaymentZero);
            }
            let mut m = AccountMovePayload::new(c.id, AccountMoveKind::Payment, amount.decimal(), 0, now);
            m.method = Some(method);
            m.layaway_id = Some(l.layaway_id);
            write_move(&tx, device_id, by.as_ref(), &c, m, false)?;
        }
        tx.commit()?;
        Ok(Layaway {
            id: l.layaway_id,
            customer_id: c.id,
            tags: l.tags,
            created_at: now,
            state: "open".into(),
            sale_id: None,
        })
    }

    /// Cancels an open layaway: its pieces back in stock, the deposit left
    /// on the account as credit.
    pub fn cancel_layaway(&mut self, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.device()?;
        self.require(Act::CustomerAccount)?;
        let by = self.acting();
        let tx = self.write_tx()?;
        let row: Option<(String, String, String, String)> = tx
            .prepare_cached(
                "SELECT customer_id, item_ids, tags, created_at FROM layaways WHERE id = ?1 AND state = 'open'",
            )?
            .query_row([id.to_string()], |r| <(String, String, String, String)>::try_from(r))
            .optional()?;
        let Some((cid, items, tags, at)) = row else { return Err(StoreError::LayawayNotOpen(id.to_string())) };
        let bad = |e: serde_json::Error| StoreError::Corrupt(format!("layaway {id}: {e}"));
        let item_ids: Vec<Uuid> = serde_json::from_str(&items).map_err(bad)?;
        for item in &item_ids {
            tx.prepare_cached(
                "UPDATE items SET status = 'in_stock', version = version + 1, updated_at = ?2
                 WHERE id = ?1 AND status = 'reserved'",
            )?
            .execute(params![item.to_string(), ts(now)])?;
        }
        let l = LayawayPayload {
            layaway_id: id,
            customer_id: parse_uuid(&cid)?,
            item_ids,
            tags: serde_json::from_str(&tags).map_err(bad)?,
            created_at: parse_ts(&at)?,
            cancelled: true,
            sale_id: None,
        };
        put_layaway(&tx, &l, None)?;
        outbox::enqueue(&tx, Uuid::now_v7(), now, id, &Base::default(), by.as_ref(), &OpBody::Layaway(l))?;
        tx.commit()?;
        Ok(())
    }

    /// A customer's layaways, newest first.
    pub fn layaways(&self, customer: &str) -> Result<Vec<Layaway>, StoreError> {
        let c = customer_in(&self.conn, customer)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, tags, created_at, state, sale_id FROM layaways WHERE customer_id = ?1 ORDER BY created_at DESC",
        )?;
        let rows =
            stmt.query_map([c.id.to_string()], |r| <(String, String, String, String, Option<String>)>::try_from(r))?;
        rows.map(|row| {
            let (id, tags, at, state, sale) = row?;
            Ok(Layaway {
                id: parse_uuid(&id)?,
                customer_id: c.id,
                tags: serde_json::from_str(&tags).map_err(|e| StoreError::Corrupt(format!("layaway {id}: {e}")))?,
                created_at: parse_ts(&at)?,
                state,
                sale_id: sale.as_deref().map(parse_uuid).transpose()?,
            })
        })
        .collect()
    }
}

/// Marks the layaway completed by `sale`, in the sale's transaction.
pub(super) fn complete_layaway(tx: &Transaction<'_>, id: Uuid, sale: Uuid) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE layaways SET state = 'completed', sale_id = ?2 WHERE id = ?1")?
        .execute(params![id.to_string(), sale.to_string()])?;
    Ok(())
}

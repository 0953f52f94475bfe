//! Customers' accounts on the till: a movement recorded in one transaction
//! with its journal entry, its op and (for cash) the drawer's cash move;
//! balances and statements read from `account_moves`; the server's word on
//! each movement applied as it arrives (a push answer, a pulled change).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use uuid::Uuid;
use zargar_wire::{AccountMoveChange, AccountMovePayload, Base, OpBody, PersonRef};

use super::catalog::{find_customer_in, gold_price_history_in};
use super::people::ManagerApproval;
use super::sales::json;
use super::shifts::{insert_cash_move, person_json, person_of};
use super::{Store, journal, outbox, parse_dec, parse_ts, parse_uuid, rial_sql, settings, ts, u64_sql};
use crate::account::{
    AccountMove, AccountMoveKind, Balance, GoldMg, MoveRequest, MoveState, Receivables, Statement, StatementLine,
};
use crate::customer::Customer;
use crate::error::{Field, PricingError, StoreError, ValidationError};
use crate::i18n::{Lang, messages};
use crate::sale::PaymentMethod;
use zargar_rules::account::{Short, check_move, gold_for, gold_value, short_of, takes};
use zargar_rules::measure::{Purity, Weight};
use zargar_rules::money::{Percent, Rial};
use zargar_rules::roles::{Act, may};

/// The states that make up a balance, as SQL.
const COUNTS: &str = "(state = 'pending' OR state = 'applied' OR state = 'accepted')";

const MOVE_COLUMNS: &str = "id, kind, rial, gold_mg, moved_at, state, device_name, by, method, weight, purity,
     per_gram_18k, invoice_no, note";

/// What the journal holds for a movement of its own: the payload, with the
/// till and who made it.
#[derive(Serialize)]
struct JournalMove<'a> {
    kind: &'static str,
    device_id: Uuid,
    #[serde(flatten)]
    movement: &'a AccountMovePayload,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<&'a PersonRef>,
}

pub(super) fn customer_in(conn: &Connection, key: &str) -> Result<Customer, StoreError> {
    let key = key.trim();
    find_customer_in(conn, key)?.ok_or_else(|| StoreError::CustomerNotFound(key.to_owned()))
}

/// The balances of a customer: every movement that counts, added up.
pub(super) fn balance_in(conn: &Connection, customer: Uuid) -> Result<Balance, StoreError> {
    let sql = format!(
        "SELECT coalesce(sum(rial), 0), coalesce(sum(gold_mg), 0) FROM account_moves
         WHERE customer_id = ?1 AND {COUNTS}"
    );
    let (rial, gold): (i64, i64) =
        conn.prepare_cached(&sql)?.query_row([customer.to_string()], |r| <(i64, i64)>::try_from(r))?;
    Ok(Balance { rial: Rial::from_i64(rial), gold: GoldMg::from_mg(gold) })
}

/// Refuses a movement that takes the account past its credit limit or its
/// gold below zero, as this till knows the account. `gold_debt`: the
/// movement fixes an installment plan's debt in grams.
pub(super) fn check_room(
    conn: &Connection,
    customer: &Customer,
    rial: Rial,
    gold: GoldMg,
    gold_debt: bool,
) -> Result<(), StoreError> {
    if !takes(rial, gold) {
        return Ok(());
    }
    let before = balance_in(conn, customer.id)?;
    match short_of(before, rial, gold, customer.credit_limit, gold_debt) {
        None => Ok(()),
        Some(Short::Gold) => {
            Err(StoreError::GoldCreditShort { balance: before.gold.grams(), amount: gold.grams().abs() })
        }
        Some(Short::Rial) => Err(StoreError::CreditExceeded {
            balance: before.rial,
            limit: customer.credit_limit,
            amount: Rial::ZERO - rial,
        }),
    }
}

/// The movement row, as made here (`op`) or pulled (`till`).
pub(super) fn insert_move(
    tx: &Transaction<'_>,
    m: &AccountMovePayload,
    state: MoveState,
    op: Option<Uuid>,
    till: Option<&str>,
    by: Option<&PersonRef>,
) -> Result<(), StoreError> {
    let rial = Rial::whole(m.rial).ok_or_else(|| StoreError::Corrupt(format!("movement {} rial", m.move_id)))?;
    let price = m.per_gram_18k.and_then(Rial::whole).map(rial_sql).transpose()?;
    tx.prepare_cached(
        "INSERT INTO account_moves (id, customer_id, kind, rial, gold_mg, moved_at, state, op_id, device_name, by,
                                    method, weight, purity, per_gram_18k, invoice_no, note, plan_id, layaway_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state",
    )?
    .execute(params![
        m.move_id.to_string(),
        m.customer_id.to_string(),
        m.kind.code(),
        rial_sql(rial)?,
        m.gold_mg,
        ts(m.moved_at),
        state.code(),
        op.map(|o| o.to_string()),
        till,
        person_json(by)?,
        m.method.map(|x| x.code()),
        m.weight.map(|w| w.to_string()),
        m.purity.map(|p| p.to_string()),
        price,
        m.invoice_no.map(i64::try_from).transpose().map_err(|_| StoreError::Corrupt("invoice_no".into()))?,
        m.note,
        m.plan_id.map(|p| p.to_string()),
        m.layaway_id.map(|l| l.to_string())
    ])?;
    Ok(())
}

/// The server's answer to the op that carries movements made here: applied,
/// parked, or refused (which counts as void). Only a movement still pending
/// moves; a pulled status is newer than a repeated answer.
pub(in crate::store) fn follow_op(tx: &Transaction<'_>, op_id: Uuid, state: MoveState) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE account_moves SET state = ?2 WHERE op_id = ?1 AND state = 'pending'")?
        .execute(params![op_id.to_string(), state.code()])?;
    Ok(())
}

/// A movement pulled from the server: another till's, or the server's word
/// on one of ours (accepted, voided). The server's status wins.
pub(in crate::store) fn apply_pulled(tx: &Transaction<'_>, me: Uuid, c: &AccountMoveChange) -> Result<(), StoreError> {
    let till = (c.device_id != me).then_some(c.device_name.as_str());
    insert_move(tx, &c.movement, MoveState::of_server(c.status), None, till, c.by.as_ref())
}

fn move_from_row(r: &Row<'_>) -> rusqlite::Result<Result<AccountMove, StoreError>> {
    type Cols = (String, String, i64, i64, String, String, Option<String>, Option<String>);
    let (id, kind, rial, gold, at, state, till, by): Cols =
        (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?);
    let (method, weight, purity): (Option<String>, Option<String>, Option<String>) = (r.get(8)?, r.get(9)?, r.get(10)?);
    let (price, invoice, note): (Option<i64>, Option<i64>, Option<String>) = (r.get(11)?, r.get(12)?, r.get(13)?);
    Ok((|| {
        let bad = |what: &str| StoreError::Corrupt(format!("account movement {id}: {what}"));
        Ok(AccountMove {
            id: parse_uuid(&id)?,
            kind: AccountMoveKind::from_code(&kind).ok_or_else(|| bad("kind"))?,
            rial: Rial::from_i64(rial),
            gold: GoldMg::from_mg(gold),
            moved_at: parse_ts(&at)?,
            state: MoveState::from_code(&state).ok_or_else(|| bad("state"))?,
            till,
            by: person_of(by)?,
            method: method.map(|m| PaymentMethod::from_code(&m).ok_or_else(|| bad("method"))).transpose()?,
            weight: weight.map(|w| parse_dec(&w).map(Weight::grams)).transpose()?.flatten(),
            purity: purity.map(|p| parse_dec(&p).map(Purity::per_mille)).transpose()?.flatten(),
            per_gram_18k: price.map(Rial::from_i64),
            invoice_no: invoice.map(u64_sql).transpose()?,
            note,
        })
    })())
}

/// The Rials and gold of a request, and the day's price when it needs one.
struct Amounts {
    rial: Rial,
    gold: GoldMg,
    price: Option<Rial>,
}

fn amounts_of(conn: &Connection, req: &MoveRequest) -> Result<Amounts, StoreError> {
    let day_price = || -> Result<Rial, StoreError> {
        Ok(gold_price_history_in(conn, 1)?.into_iter().next().ok_or(StoreError::NoGoldPrice)?.per_gram_18k)
    };
    let money = |method: PaymentMethod, amount: Rial| -> Result<(), StoreError> {
        if matches!(method, PaymentMethod::Account | PaymentMethod::ExchangeCredit) {
            return Err(ValidationError::new(Field::PaymentMethod, method.code()).into());
        }
        if amount <= Rial::ZERO {
            return Err(StoreError::PaymentZero);
        }
        Ok(())
    };
    let some_gold = |gold: GoldMg, weight: Weight| -> Result<GoldMg, StoreError> {
        if gold == GoldMg::ZERO {
            return Err(ValidationError::new(Field::Weight, weight.to_string()).into());
        }
        Ok(gold)
    };
    Ok(match *req {
        MoveRequest::Payment { method, amount } => {
            money(method, amount)?;
            Amounts { rial: amount, gold: GoldMg::ZERO, price: None }
        }
        MoveRequest::Payout { method, amount } => {
            money(method, amount)?;
            Amounts { rial: Rial::ZERO - amount, gold: GoldMg::ZERO, price: None }
        }
        MoveRequest::GoldIn { weight, purity, deduction } => {
            let deduction = deduction.unwrap_or(settings::load(conn)?.trade_in_deduction);
            let gold = some_gold(GoldMg::equivalent(weight, purity, deduction)?, weight)?;
            Amounts { rial: Rial::ZERO, gold, price: None }
        }
        MoveRequest::GoldOut { weight, purity } => {
            let gold = some_gold(GoldMg::equivalent(weight, purity, Percent::ZERO)?, weight)?;
            Amounts { rial: Rial::ZERO, gold: gold.checked_neg().ok_or(PricingError::Overflow)?, price: None }
        }
        MoveRequest::GoldToRial { gold } => {
            if gold.mg() <= 0 {
                return Err(ValidationError::new(Field::Weight, gold.to_string()).into());
            }
            let price = day_price()?;
            let rial = gold_value(gold, price)?;
            Amounts { rial, gold: gold.checked_neg().ok_or(PricingError::Overflow)?, price: Some(price) }
        }
        MoveRequest::RialToGold { amount } => {
            if amount <= Rial::ZERO {
                return Err(StoreError::PaymentZero);
            }
            let price = day_price()?;
            let (gold, cost) = gold_for(amount, price)?;
            if gold == GoldMg::ZERO {
                return Err(ValidationError::new(Field::Amount, amount.to_string()).into());
            }
            Amounts { rial: Rial::ZERO - cost, gold, price: Some(price) }
        }
    })
}

/// A request's weighed gold, as the wire carries it.
fn weighed(req: &MoveRequest) -> (Option<Weight>, Option<Purity>, Option<Percent>) {
    match *req {
        MoveRequest::GoldIn { weight, purity, deduction } => (Some(weight), Some(purity), deduction),
        MoveRequest::GoldOut { weight, purity } => (Some(weight), Some(purity), Some(Percent::ZERO)),
        _ => (None, None, None),
    }
}

/// Writes a movement made here, in the caller's transaction: checked (its
/// arithmetic, and what the account can take; `gold_debt` for the one that
/// fixes a plan's debt in grams), with its journal entry, its op and, for
/// cash, the drawer's cash move of the money that changed hands.
pub(super) fn write_move(
    tx: &Transaction<'_>,
    device_id: Uuid,
    by: Option<&PersonRef>,
    customer: &Customer,
    mut m: AccountMovePayload,
    gold_debt: bool,
) -> Result<AccountMove, StoreError> {
    let bad = |what: &str| StoreError::Corrupt(format!("account movement: {what}"));
    let rial = Rial::whole(m.rial).ok_or_else(|| bad("rial"))?;
    let gold = GoldMg::from_mg(m.gold_mg);
    let price = m.per_gram_18k.map(|p| Rial::whole(p).ok_or_else(|| bad("price"))).transpose()?;
    if let Some(why) = check_move(m.kind, rial, gold, price) {
        return Err(bad(why));
    }
    check_room(tx, customer, rial, gold, gold_debt)?;
    m.move_id = Uuid::now_v7();
    m.customer_id = customer.id;
    let content = json(&JournalMove { kind: "account_move", device_id, movement: &m, by })?;
    m.journal = Some(journal::append(tx, "account_move", m.move_id, m.moved_at, &content)?);
    if m.method == Some(PaymentMethod::Cash) {
        let reason = messages(Lang::Fa).format("account-cash-reason", &[("customer", customer.name.clone())]);
        insert_cash_move(tx, rial, &reason, by.cloned(), m.moved_at)?;
    }
    let op_id = Uuid::now_v7();
    outbox::enqueue(tx, op_id, m.moved_at, m.move_id, &Base::default(), by, &OpBody::AccountMove(m.clone()))?;
    insert_move(tx, &m, MoveState::Pending, Some(op_id), None, by)?;
    let sql = format!("SELECT {MOVE_COLUMNS} FROM account_moves WHERE id = ?1");
    tx.prepare_cached(&sql)?.query_row([m.move_id.to_string()], move_from_row)?
}

impl Store {
    /// Records a movement of a customer's account: checked against what the
    /// account holds and may owe, in one transaction with its journal entry,
    /// its op and, when cash changes hands, the drawer's cash move. A
    /// conversion needs a manager or the owner, signed in or by their PIN.
    pub fn record_account_move(
        &mut self,
        customer: &str,
        req: MoveRequest,
        note: Option<&str>,
        approval: Option<&ManagerApproval>,
        now: DateTime<Utc>,
    ) -> Result<AccountMove, StoreError> {
        let device_id = self.device()?.device_id;
        self.require(Act::CustomerAccount)?;
        let by = self.acting();
        let kind = req.kind();
        let approved_by = match (kind, self.signed_in()) {
            (AccountMoveKind::Convert, Some(p)) if !may(p.role, Act::ConvertGold) => {
                Some(approval.ok_or(StoreError::ConversionNeedsManager)?.by().clone())
            }
            _ => approval.map(|a| a.by().clone()),
        };
        let note = note.map(str::trim).filter(|n| !n.is_empty()).map(|n| n.chars().take(200).collect::<String>());
        let tx = self.write_tx()?;
        let customer = customer_in(&tx, customer)?;
        let a = amounts_of(&tx, &req)?;
        let (weight, purity, deduction) = weighed(&req);
        let method = match req {
            MoveRequest::Payment { method, .. } | MoveRequest::Payout { method, .. } => Some(method),
            _ => None,
        };
        let mut m = AccountMovePayload::new(customer.id, kind, a.rial.decimal(), a.gold.mg(), now);
        m.method = method;
        m.weight = weight.map(Weight::decimal);
        m.purity = purity.map(Purity::decimal);
        m.deduction_percent = deduction.map(Percent::decimal);
        m.per_gram_18k = a.price.map(Rial::decimal);
        m.approved_by = approved_by;
        m.note = note;
        let recorded = write_move(&tx, device_id, by.as_ref(), &customer, m, false)?;
        tx.commit()?;
        Ok(recorded)
    }

    /// A customer (by id, mobile or national id) and their balances.
    pub fn account_balance(&self, customer: &str) -> Result<(Customer, Balance), StoreError> {
        let c = customer_in(&self.conn, customer)?;
        let b = balance_in(&self.conn, c.id)?;
        Ok((c, b))
    }

    /// A customer's ledger, oldest first, with the balances after each
    /// movement; parked and voided movements are listed and not added.
    pub fn statement(&self, customer: &str) -> Result<Statement, StoreError> {
        let customer = customer_in(&self.conn, customer)?;
        let sql = format!("SELECT {MOVE_COLUMNS} FROM account_moves WHERE customer_id = ?1 ORDER BY moved_at, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([customer.id.to_string()], move_from_row)?;
        let mut balance = Balance::ZERO;
        let mut lines = Vec::new();
        let mut in_conflict = 0;
        for row in rows {
            let movement = row??;
            if movement.state.counts() {
                balance = balance.checked_add(movement.rial, movement.gold).ok_or(PricingError::Overflow)?;
            }
            in_conflict += u32::from(movement.state == MoveState::Conflict);
            lines.push(StatementLine { movement, balance });
        }
        let available = balance.rial.checked_add(customer.credit_limit).ok_or(PricingError::Overflow)?;
        Ok(Statement { customer, lines, balance, available, in_conflict })
    }

    /// What the shop's customers owe and are owed, as this till knows it.
    pub fn receivables(&self) -> Result<Receivables, StoreError> {
        let sql = format!("SELECT sum(rial), sum(gold_mg) FROM account_moves WHERE {COUNTS} GROUP BY customer_id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], |r| <(i64, i64)>::try_from(r))?;
        let mut t = Receivables::default();
        let overflow = || StoreError::Pricing(PricingError::Overflow);
        for row in rows {
            let (rial, gold) = row?;
            if rial < 0 {
                t.owing += 1;
                t.rial_owed = t.rial_owed.checked_add(Rial::from_i64(-rial)).ok_or_else(overflow)?;
            } else {
                t.rial_credit = t.rial_credit.checked_add(Rial::from_i64(rial)).ok_or_else(overflow)?;
            }
            if gold < 0 {
                t.gold_owed = t.gold_owed.checked_add(GoldMg::from_mg(-gold)).ok_or_else(overflow)?;
            } else {
                t.gold_held = t.gold_held.checked_add(GoldMg::from_mg(gold)).ok_or_else(overflow)?;
            }
        }
        Ok(t)
    }

    /// Sets how far a customer may owe, sent to every till as the customer's
    /// new version. A manager or the owner.
    pub fn set_credit_limit(
        &mut self,
        customer: &str,
        limit: Rial,
        now: DateTime<Utc>,
    ) -> Result<Customer, StoreError> {
        self.device()?;
        self.require(Act::CreditLimit)?;
        if limit.is_negative() {
            return Err(StoreError::CreditLimitInvalid);
        }
        let by = self.acting();
        let tx = self.write_tx()?;
        let mut c = customer_in(&tx, customer)?;
        c.credit_limit = limit;
        tx.prepare_cached("UPDATE customers SET credit_limit = ?2, version = version + 1 WHERE id = ?1")?
            .execute(params![c.id.to_string(), rial_sql(limit)?])?;
        outbox::enqueue(
            &tx,
            Uuid::now_v7(),
            now,
            c.id,
            &Base::default(),
            by.as_ref(),
            &OpBody::CustomerUpsert(c.to_wire()),
        )?;
        tx.commit()?;
        Ok(c)
    }

    /// The account movement of a sale, when part of it was paid on account:
    /// what a statement shows for it.
    pub fn sale_account_move(&self, sale_id: Uuid) -> Result<Option<AccountMove>, StoreError> {
        let sql = format!("SELECT {MOVE_COLUMNS} FROM account_moves WHERE id = ?1");
        self.conn.prepare_cached(&sql)?.query_row([sale_id.to_string()], move_from_row).optional()?.transpose()
    }
}

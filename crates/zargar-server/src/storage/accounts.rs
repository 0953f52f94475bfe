//! Customers' accounts on the server, the shop's authoritative ledger:
//! a till's own movement (`account.move`), the part of a sale or a return
//! on account, each checked against the account as the server has it, and
//! told to every till by pull. Two tills that spent the same credit offline
//! meet here: the later one is parked as `balance_overdrawn` for the owner.

use chrono::Duration;
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_rules::account::{Balance, GoldMg, check_move, short_of, takes};
use zargar_rules::money::Rial;
use zargar_rules::roles::{Act, may};
use zargar_wire::{
    AccountMoveChange, AccountMoveKind, AccountMovePayload, AccountMoveStatus, AccountSpend, AccountState, Change,
    ChangeData, ChangeOp, ConflictKind, Op, ServerState,
};

use super::push::{Ctx, Outcome, conflict, validation_failed};
use super::tx::{AuditRecord, TenantTx, TxResult};

/// How far back the other tills' spending is shown on a conflict.
const SPENT_WINDOW: Duration = Duration::hours(24);

/// The movement's arithmetic: whole Rials, the signs of its kind, a
/// conversion at its own price. The problems, in English.
pub(super) fn problems(m: &AccountMovePayload) -> Vec<String> {
    let Some(rial) = Rial::whole(m.rial) else { return vec![format!("rial: {} is not a whole number", m.rial)] };
    let price = match m.per_gram_18k.map(|p| Rial::whole(p).ok_or(p)).transpose() {
        Ok(p) => p,
        Err(p) => return vec![format!("per_gram_18k: {p} is not a whole number")],
    };
    match check_move(m.kind, rial, GoldMg::from_mg(m.gold_mg), price) {
        Some(why) => vec![format!("{}: {why}", m.kind.code())],
        None => Vec::new(),
    }
}

/// `balance_overdrawn` when the movement takes the account past its limit
/// (or its gold below zero) as the server has it; none when it fits.
pub(super) async fn overdrawn<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    m: &AccountMovePayload,
) -> TxResult<Result<Option<Outcome>, Outcome>> {
    let Some(limit) = tx.customer_credit_limit(m.customer_id).await? else {
        return Ok(Err(validation_failed(vec![format!("customer {} is not on the server", m.customer_id)])));
    };
    let (Some(rial), Some(limit_rial)) = (Rial::whole(m.rial), Rial::whole(limit)) else {
        return Ok(Err(validation_failed(problems(m))));
    };
    let gold = GoldMg::from_mg(m.gold_mg);
    if !takes(rial, gold) {
        return Ok(Ok(None));
    }
    let (b_rial, b_gold) = tx.account_balance(m.customer_id).await?;
    let before = Balance { rial: Rial::whole(b_rial).unwrap_or(Rial::ZERO), gold: GoldMg::from_mg(b_gold) };
    if short_of(before, rial, gold, limit_rial, gold_debt(tx, m).await?).is_none() {
        return Ok(Ok(None));
    }
    let spends = tx.account_spends(m.customer_id, m.moved_at - SPENT_WINDOW, ctx.device_id()).await?;
    let spent_elsewhere = spends
        .into_iter()
        .map(|s| AccountSpend {
            move_id: s.movement.move_id,
            kind: s.movement.kind,
            rial: s.movement.rial,
            gold_mg: s.movement.gold_mg,
            moved_at: s.movement.moved_at,
            device_name: s.device_name,
        })
        .collect();
    let account = AccountState {
        customer_id: m.customer_id,
        rial: b_rial,
        gold_mg: b_gold,
        credit_limit: limit,
        move_rial: m.rial,
        move_gold_mg: m.gold_mg,
        spent_elsewhere,
    };
    Ok(Ok(Some(conflict(
        ConflictKind::BalanceOverdrawn,
        ServerState { customer_id: Some(m.customer_id), account: Some(account), ..ServerState::default() },
    ))))
}

/// Whether the movement is the one that fixes an installment plan's debt in
/// grams: a conversion naming a plan in gold on record for this customer,
/// for exactly the plan's grams.
async fn gold_debt<T: TenantTx>(tx: &mut T, m: &AccountMovePayload) -> TxResult<bool> {
    let Some(plan) = m.plan_id else { return Ok(false) };
    if m.kind != AccountMoveKind::Convert || m.gold_mg >= 0 {
        return Ok(false);
    }
    Ok(tx.installment_plan(plan).await?.is_some_and(|p| {
        p.customer_id == m.customer_id && p.unit == zargar_wire::PlanUnit::Gold && p.total == -m.gold_mg
    }))
}

/// Stores a movement with its status and tells every till.
pub(super) async fn record<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    op: &Op,
    movement: AccountMovePayload,
    status: AccountMoveStatus,
) -> TxResult<()> {
    let change = AccountMoveChange {
        movement,
        status,
        device_id: ctx.device_id(),
        device_name: ctx.device.device_name.clone(),
        by: op.by.clone(),
    };
    tx.put_account_move(&change, op.op_id, ctx.now).await?;
    log(tx, change).await
}

async fn log<T: TenantTx>(tx: &mut T, change: AccountMoveChange) -> TxResult<()> {
    let id = change.movement.move_id;
    tx.log_change(&Change { id, version: 1, op: ChangeOp::Upsert, data: ChangeData::AccountMove(Box::new(change)) })
        .await
}

/// A movement's new status (the owner's decision, or its sale's), told to
/// every till; nothing when there is no such movement.
pub(super) async fn set_status<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    id: Uuid,
    status: AccountMoveStatus,
) -> TxResult<()> {
    let Some(mut change) = tx.account_move(id).await? else { return Ok(()) };
    if change.status == status {
        return Ok(());
    }
    change.status = status;
    // An update keeps the carrying op and the time first stored.
    tx.put_account_move(&change, Uuid::nil(), ctx.now).await?;
    log(tx, change).await
}

/// A till's own movement: its journal entry, its arithmetic, who allowed a
/// conversion, and whether the account can take it.
pub(super) async fn apply_move<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    op: &Op,
    m: &AccountMovePayload,
    journal: Result<(), u64>,
) -> TxResult<Outcome> {
    if tx.account_move(m.move_id).await?.is_some() {
        return Ok(Outcome::Rejected(format!("account movement {} is already recorded", m.move_id)));
    }
    if matches!(m.kind, AccountMoveKind::Sale | AccountMoveKind::Refund) {
        return Ok(Outcome::Rejected("a sale's or a return's part on account comes with the sale or return".into()));
    }
    if m.kind == AccountMoveKind::Convert && !conversion_allowed(tx, op, m).await? {
        return Ok(Outcome::Rejected("converting a customer's gold needs a manager or the owner".into()));
    }
    let outcome = if let Err(expected) = journal {
        super::push::journal_broken(expected)
    } else if let Some(p) = Some(problems(m)).filter(|p| !p.is_empty()) {
        validation_failed(p)
    } else {
        match overdrawn(tx, ctx, m).await? {
            Err(refused) | Ok(Some(refused)) => refused,
            Ok(None) => Outcome::Applied(m.move_id),
        }
    };
    let status = match outcome {
        Outcome::Applied(_) => AccountMoveStatus::Applied,
        Outcome::Conflict(_) => AccountMoveStatus::Conflict,
        Outcome::Rejected(_) => return Ok(outcome),
    };
    record(tx, ctx, op, m.clone(), status).await?;
    if let Some(by) = &m.approved_by {
        let subject = m.move_id.to_string();
        let detail = serde_json::json!({
            "customer_id": m.customer_id, "rial": m.rial, "gold_mg": m.gold_mg,
            "per_gram_18k": m.per_gram_18k, "made_by": op.by, "device": ctx.device.device_name,
        });
        tx.audit(&AuditRecord { at: ctx.now, actor: &by.name, action: "account.approval", subject: &subject, detail })
            .await?;
    }
    Ok(outcome)
}

/// A conversion made by someone who may convert, or approved by one; a
/// shop its owner runs alone sends no person and converts as it likes.
async fn conversion_allowed<T: TenantTx>(tx: &mut T, op: &Op, m: &AccountMovePayload) -> TxResult<bool> {
    let Some(by) = &op.by else { return Ok(true) };
    // A plan in gold converts at the sale's price when it is made and at the
    // day's price as it is paid: the counter's business, not a manager's.
    if let Some(plan) = m.plan_id
        && tx.installment_plan(plan).await?.is_some_and(|p| p.customer_id == m.customer_id)
    {
        return Ok(true);
    }
    let may_convert = |p: &Option<(zargar_wire::PersonPayload, u64)>| {
        p.as_ref().is_some_and(|(p, _)| p.active && may(p.role, Act::ConvertGold))
    };
    if may_convert(&tx.person(by.id).await?) {
        return Ok(true);
    }
    Ok(match &m.approved_by {
        Some(a) => may_convert(&tx.person(a.id).await?),
        None => false,
    })
}

/// Whether a customer's limit changes with this upsert: raising or setting
/// it is a manager's or the owner's.
pub(super) async fn limit_changed<T: TenantTx>(tx: &mut T, customer: Uuid, limit: Decimal) -> TxResult<bool> {
    Ok(tx.customer_credit_limit(customer).await?.unwrap_or(Decimal::ZERO) != limit)
}

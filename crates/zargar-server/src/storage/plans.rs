//! Installment plans and layaways on the server: a plan is checked against
//! the sale it splits (its part on account, in Rials or in grams at the
//! sale's price) and kept; a layaway reserves its pieces for the customer on
//! every till, and is cancelled (pieces back in stock, the deposit left as
//! credit) or completed by the customer's sale.

use uuid::Uuid;
use zargar_rules::account::{check_installments, gold_for};
use zargar_rules::money::Rial;
use zargar_wire::{
    Change, ChangeData, ChangeOp, ConflictKind, InstallmentPlanPayload, ItemStatus, LayawayPayload, Op, PlanUnit,
    SalePayload, ServerState,
};

use super::push::{Ctx, Outcome, conflict, held_by, log_item, set_item_status, validation_failed};
use super::tx::{TenantTx, TxResult};

/// What a plan must add up to: the sale's part on account, in Rials, or in
/// milligrams at the plan's price.
fn plan_total(sale: &SalePayload, p: &InstallmentPlanPayload) -> Option<i64> {
    let owed = Rial::whole(-sale.account_move()?.rial)?;
    match p.unit {
        PlanUnit::Rial => owed.to_i64(),
        PlanUnit::Gold => Some(gold_for(owed, Rial::whole(p.per_gram_18k?)?).ok()?.0.mg()),
    }
}

pub(super) async fn apply_plan<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    op: &Op,
    p: &InstallmentPlanPayload,
) -> TxResult<Outcome> {
    if tx.installment_plan(p.plan_id).await?.is_some() {
        return Ok(Outcome::Rejected(format!("installment plan {} is already recorded", p.plan_id)));
    }
    let Some((sale, _)) = tx.sale(p.sale_id).await? else {
        return Ok(validation_failed(vec![format!("sale {} is not on the server", p.sale_id)]));
    };
    let mut problems = Vec::new();
    if sale.customer_id != Some(p.customer_id) {
        problems.push("customer_id: not the sale's customer".to_owned());
    }
    match plan_total(&sale, p) {
        Some(total) if total == p.total => {}
        Some(total) => problems.push(format!("total: {} but the sale leaves {total} on account", p.total)),
        None => problems.push("the sale leaves nothing on account to split".to_owned()),
    }
    let parts: Vec<_> = p.installments.iter().map(|i| (i.due, i.amount)).collect();
    problems.extend(check_installments(p.total, &parts).map(|why| format!("installments: {why}")));
    if !problems.is_empty() {
        return Ok(validation_failed(problems));
    }
    tx.insert_installment_plan(p, op.op_id, ctx.now).await?;
    let data = ChangeData::InstallmentPlan(Box::new(p.clone()));
    tx.log_change(&Change { id: p.plan_id, version: 1, op: ChangeOp::Upsert, data }).await?;
    Ok(Outcome::Applied(p.plan_id))
}

/// Reserves a layaway's pieces (all or none), or cancels it.
pub(super) async fn apply_layaway<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    op: &Op,
    l: &LayawayPayload,
) -> TxResult<Outcome> {
    let known = tx.layaway(l.layaway_id).await?;
    if l.cancelled {
        let Some(open) = known.filter(|k| !k.cancelled && k.sale_id.is_none()) else {
            return Ok(Outcome::Rejected(format!("layaway {} is not open", l.layaway_id)));
        };
        release(tx, ctx, &open).await?;
        let cancelled = LayawayPayload { cancelled: true, ..open };
        return record(tx, ctx, op, &cancelled).await;
    }
    if known.is_some() {
        return Ok(Outcome::Rejected(format!("layaway {} is already recorded", l.layaway_id)));
    }
    if tx.customer_credit_limit(l.customer_id).await?.is_none() {
        return Ok(validation_failed(vec![format!("customer {} is not on the server", l.customer_id)]));
    }
    if l.item_ids.is_empty() {
        return Ok(validation_failed(vec!["item_ids: a layaway puts aside at least one piece".into()]));
    }
    tx.savepoint("reserve").await?;
    for id in &l.item_ids {
        let Some(item) = tx.item(*id).await? else {
            tx.rollback_to("reserve").await?;
            tx.release("reserve").await?;
            let state = ServerState { item_id: Some(*id), ..ServerState::default() };
            return Ok(conflict(ConflictKind::ItemUnknown, state));
        };
        match tx.reserve_item(*id, l.layaway_id, ctx.device_id(), ctx.now).await? {
            Some(version) => {
                log_item(tx, item.payload.clone(), ItemStatus::Reserved, version, &ctx.device.device_name).await?
            }
            None => {
                tx.rollback_to("reserve").await?;
                tx.release("reserve").await?;
                let now = tx.item(*id).await?;
                return Ok(conflict(ConflictKind::ItemAlreadySold, now.as_ref().map(held_by).unwrap_or_default()));
            }
        }
    }
    tx.release("reserve").await?;
    record(tx, ctx, op, l).await
}

async fn record<T: TenantTx>(tx: &mut T, ctx: &Ctx<'_>, op: &Op, l: &LayawayPayload) -> TxResult<Outcome> {
    tx.put_layaway(l, op.op_id, ctx.now).await?;
    let data = ChangeData::Layaway(Box::new(l.clone()));
    tx.log_change(&Change { id: l.layaway_id, version: 1, op: ChangeOp::Upsert, data }).await?;
    Ok(Outcome::Applied(l.layaway_id))
}

/// Puts back in stock the pieces the layaway still holds.
async fn release<T: TenantTx>(tx: &mut T, ctx: &Ctx<'_>, l: &LayawayPayload) -> TxResult<()> {
    for id in &l.item_ids {
        if let Some(item) = tx.item(*id).await?
            && item.payload.status == ItemStatus::Reserved
            && item.sale_id == Some(l.layaway_id)
        {
            set_item_status(tx, ctx, &item, ItemStatus::InStock, None).await?;
        }
    }
    Ok(())
}

/// Before a sale that completes a layaway claims its pieces: the layaway is
/// open and the customer's, and its pieces go back in stock for the claim.
/// Problems, in English, when it does not hold.
pub(super) async fn open_for_sale<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    sale: &SalePayload,
    layaway: Uuid,
) -> TxResult<Result<LayawayPayload, String>> {
    let Some(l) = tx.layaway(layaway).await? else { return Ok(Err(format!("layaway {layaway} is not on the server"))) };
    if l.cancelled || l.sale_id.is_some() {
        return Ok(Err(format!("layaway {layaway} is not open")));
    }
    if sale.customer_id != Some(l.customer_id) {
        return Ok(Err("the sale's customer is not the layaway's".into()));
    }
    release(tx, ctx, &l).await?;
    Ok(Ok(l))
}

/// The layaway is done: its pieces went with `sale`.
pub(super) async fn completed<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    op: &Op,
    l: LayawayPayload,
    sale: Uuid,
) -> TxResult<()> {
    let done = LayawayPayload { sale_id: Some(sale), ..l };
    record(tx, ctx, op, &done).await.map(|_| ())
}

//! A conflict parked for the owner, and the owner's resolution of it: part
//! of the one push algorithm (`push.rs`), on every backend.

use uuid::Uuid;
use zargar_wire::{
    AccountMoveStatus, Change, ChangeData, ChangeOp, Conflict, ConflictState, ItemStatus, Op, OpBody, OpResult,
    OpStatus, Resolution, ResolutionRecord, ResolvePayload,
};

use super::accounts;
use super::push::{Ctx, Outcome, apply_customer, apply_item, apply_sale, new_result, rejected, set_item_status};
use super::tx::{AuditRecord, SaleStatus, TenantTx, TxResult};

/// Parks an op with its conflict, visible to the owner and to every till.
pub(super) async fn park<T: TenantTx>(tx: &mut T, ctx: &Ctx<'_>, op: &Op, conflict: &Conflict) -> TxResult<()> {
    let state = ConflictState {
        conflict_id: Uuid::now_v7(),
        op_id: op.op_id,
        device_id: ctx.device_id(),
        device_name: Some(ctx.device.device_name.clone()),
        entity_id: op.entity_id,
        op_kind: op.body.kind().into(),
        conflict: conflict.clone(),
        open: true,
        created_at: ctx.now,
        resolution: None,
    };
    tx.insert_conflict(&state, op).await?;
    tx.log_change(&Change {
        id: state.conflict_id,
        version: 1,
        op: ChangeOp::Upsert,
        data: ChangeData::Conflict(Box::new(state)),
    })
    .await
}

pub(super) async fn save_conflict<T: TenantTx>(tx: &mut T, state: &ConflictState, op: &Op) -> TxResult<()> {
    let version = tx.update_conflict(state, op).await?;
    tx.log_change(&Change {
        id: state.conflict_id,
        version,
        op: ChangeOp::Upsert,
        data: ChangeData::Conflict(Box::new(state.clone())),
    })
    .await
}

/// The owner's decision on a parked op. Any till of the shop may carry it
/// (the owner settles conflicts in the app of whichever till is at hand);
/// who decided is in the payload and goes to the audit log with the till.
pub(super) async fn resolve<T: TenantTx>(
    tx: &mut T,
    ctx: &mut Ctx<'_>,
    op: &Op,
    r: &ResolvePayload,
) -> TxResult<OpResult> {
    let mut result = new_result(op);
    let reject = |mut result: OpResult, why: String| {
        result.status = OpStatus::Rejected;
        result.conflict = Some(rejected(why));
        Ok(result)
    };
    let Some((mut state, mut parked)) = tx.conflict_of_op(r.conflict_op_id).await? else {
        return reject(result, format!("no conflict for op {}", r.conflict_op_id));
    };
    result.server_id = Some(state.conflict_id);
    if !state.open {
        return reject(result, "the conflict is already resolved".into());
    }
    if !state.conflict.options.contains(&r.resolution) {
        return reject(result, format!("{:?} is not a resolution for {}", r.resolution, state.conflict.kind.code()));
    }
    if r.resolution == Resolution::Accept && r.reason.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return reject(result, "an override needs a reason".into());
    }
    let outcome = match (r.resolution, parked.body.clone()) {
        (Resolution::Accept, OpBody::SaleCreate(sale)) => {
            tx.set_sale_status(sale.sale_id, SaleStatus::Accepted).await?;
            accounts::set_status(tx, ctx, sale.sale_id, AccountMoveStatus::Accepted).await?;
            // The owner accepts the sale as made: claim what is still in stock.
            for line in &sale.lines {
                if let Some(item) = tx.item(line.item_id).await?
                    && item.payload.status == ItemStatus::InStock
                {
                    set_item_status(tx, ctx, &item, ItemStatus::Sold, Some(sale.sale_id)).await?;
                }
            }
            Outcome::Applied(sale.sale_id)
        }
        (Resolution::Accept, OpBody::CustomerUpsert(cu)) => apply_customer(tx, ctx, &cu, true).await?,
        (Resolution::Accept, OpBody::AccountMove(m)) => {
            accounts::set_status(tx, ctx, m.move_id, AccountMoveStatus::Accepted).await?;
            Outcome::Applied(m.move_id)
        }
        (Resolution::Accept, _) => Outcome::Applied(parked.entity_id),
        (Resolution::Void, OpBody::SaleCreate(sale)) => {
            tx.set_sale_status(sale.sale_id, SaleStatus::Voided).await?;
            super::tax::sale_voided(tx, ctx.settings.legal.is_some(), &sale, ctx.now).await?;
            accounts::set_status(tx, ctx, sale.sale_id, AccountMoveStatus::Voided).await?;
            for line in &sale.lines {
                if let Some(item) = tx.item(line.item_id).await?
                    && item.sale_id == Some(sale.sale_id)
                {
                    set_item_status(tx, ctx, &item, ItemStatus::InStock, None).await?;
                }
            }
            Outcome::Applied(sale.sale_id)
        }
        (Resolution::Void, OpBody::AccountMove(m)) => {
            accounts::set_status(tx, ctx, m.move_id, AccountMoveStatus::Voided).await?;
            Outcome::Applied(m.move_id)
        }
        (Resolution::Void, _) => Outcome::Applied(parked.entity_id),
        (Resolution::Retry, OpBody::SaleCreate(sale)) => {
            tx.delete_sale(sale.sale_id).await?;
            accounts::set_status(tx, ctx, sale.sale_id, AccountMoveStatus::Voided).await?;
            apply_sale(tx, ctx, &parked, &sale, Ok(())).await?
        }
        (Resolution::Retry, OpBody::CustomerUpsert(cu)) => apply_customer(tx, ctx, &cu, false).await?,
        (Resolution::Retry, OpBody::ItemUpsert(item)) => apply_item(tx, ctx, &item).await?,
        (Resolution::Retry, _) => Outcome::Rejected("this op cannot be retried".into()),
        (Resolution::Resubmit, OpBody::SaleCreate(old)) => {
            let Some(new) = r.replacement.as_deref() else {
                return reject(result, "a resubmit carries the edited sale".into());
            };
            if new.sale_id != old.sale_id {
                return reject(result, "the edited sale must keep the sale's id".into());
            }
            // The edited sale is a new invoice; the parked one's is cancelled.
            super::tax::sale_voided(tx, ctx.settings.legal.is_some(), &old, ctx.now).await?;
            tx.delete_sale(old.sale_id).await?;
            accounts::set_status(tx, ctx, old.sale_id, AccountMoveStatus::Voided).await?;
            parked.body = OpBody::SaleCreate(Box::new(new.clone()));
            apply_sale(tx, ctx, &parked, new, Ok(())).await?
        }
        (Resolution::Resubmit, _) => Outcome::Rejected("only a sale can be resubmitted".into()),
    };
    let actor = format!("{} @ {}", r.resolved_by, ctx.device.device_name);
    let detail = serde_json::json!({
        "resolution": r.resolution,
        "conflict_kind": state.conflict.kind.code(),
        "reason": r.reason,
        "device_id": ctx.device_id(),
        "resolve_op_id": op.op_id,
        "due_change": r.due_change,
    });
    let subject = r.conflict_op_id.to_string();
    match outcome {
        Outcome::Applied(_) => {
            state.open = false;
            state.resolution = Some(ResolutionRecord {
                resolution: r.resolution,
                resolved_by: r.resolved_by.clone(),
                resolved_at: ctx.now,
                reason: r.reason.clone(),
                op_id: op.op_id,
            });
            save_conflict(tx, &state, &parked).await?;
            let action = format!("conflict.{}", r.resolution.code());
            tx.audit(&AuditRecord { at: ctx.now, actor: &actor, action: &action, subject: &subject, detail }).await?;
        }
        Outcome::Conflict(again) => {
            // Still in conflict: the owner sees the new reason and decides again.
            state.conflict = again.clone();
            save_conflict(tx, &state, &parked).await?;
            let action = format!("conflict.{}.failed", r.resolution.code());
            tx.audit(&AuditRecord { at: ctx.now, actor: &actor, action: &action, subject: &subject, detail }).await?;
            result.status = OpStatus::Conflict;
            result.conflict = Some(again);
        }
        Outcome::Rejected(why) => return reject(result, why),
    }
    Ok(result)
}

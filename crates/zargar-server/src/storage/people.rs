//! The shop's people on the server: the owner's changes to them, and
//! whether the person named on an op may do what the op does.

use zargar_rules::roles::{Act, may};
use zargar_wire::{Change, ChangeData, ChangeOp, Op, OpBody, PersonPayload, Role};

use super::push::{Ctx, Outcome};
use super::tx::{AuditRecord, TenantTx, TxResult};

/// What an op asks of its person's role. None for a sale, a return or a
/// shift's close: they happened at the counter, and the till asked for the PIN they needed; the
/// server records them whoever made them.
fn act_of(body: &OpBody) -> Option<Act> {
    match body {
        OpBody::SaleCreate(_) | OpBody::SaleReturn(_) | OpBody::ShiftClose(_) => None,
        OpBody::CustomerUpsert(_) => Some(Act::AddCustomer),
        OpBody::ItemUpsert(_) => Some(Act::EditInventory),
        OpBody::GoldPriceSet(_) => Some(Act::SetPrice),
        OpBody::ConflictResolve(_) => Some(Act::Conflicts),
        OpBody::PersonUpsert(_) => Some(Act::People),
        OpBody::AccountMove(_) | OpBody::InstallmentPlan(_) | OpBody::Layaway(_) => Some(Act::CustomerAccount),
    }
}

/// Why the op's person may not do what it does, if they may not. An op
/// without a person comes from a shop its owner runs alone (or from a till
/// older than people) and is taken as before.
pub(super) async fn refused<T: TenantTx>(tx: &mut T, op: &Op) -> TxResult<Option<String>> {
    let (Some(act), Some(by)) = (act_of(&op.body), &op.by) else { return Ok(None) };
    let Some((person, _)) = tx.person(by.id).await? else {
        return Ok(Some(format!("{} is not one of the shop's people", by.name)));
    };
    if !person.active {
        return Ok(Some(format!("{} no longer works for the shop", person.name)));
    }
    if !may(person.role, act) {
        return Ok(Some(format!("{} is a {}, and a {} may not {act}", person.name, person.role, person.role)));
    }
    Ok(None)
}

/// The owner adds a person or changes one. The first person of a shop is
/// its owner, set up at a till before anyone signs in; after that only a
/// signed-in owner changes people (`refused` checked the role), and the
/// shop never loses its last active owner.
pub(super) async fn apply_person<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    op: &Op,
    p: &PersonPayload,
) -> TxResult<Outcome> {
    let current = tx.person(p.person_id).await?;
    if op.by.is_none() && tx.has_people().await? {
        return Ok(Outcome::Rejected("only the shop's owner, signed in, changes its people".into()));
    }
    let owner = |p: &PersonPayload| p.role == Role::Owner && p.active;
    if op.by.is_none() && !owner(p) {
        return Ok(Outcome::Rejected("the first person of a shop is its owner".into()));
    }
    if current.as_ref().is_some_and(|(c, _)| owner(c)) && !owner(p) && tx.other_active_owners(p.person_id).await? == 0 {
        return Ok(Outcome::Rejected(format!("{} is the shop's only owner", p.name)));
    }
    let version = current.map_or(1, |(_, v)| v + 1);
    tx.write_person(p, version, ctx.now).await?;
    tx.log_change(&Change { id: p.person_id, version, op: ChangeOp::Upsert, data: ChangeData::Person(p.clone()) })
        .await?;
    let actor = op.by.as_ref().map_or(ctx.device.device_name.as_str(), |b| b.name.as_str());
    let subject = p.person_id.to_string();
    let detail = serde_json::json!({
        "name": p.name, "role": p.role, "active": p.active,
        "discount_limit_percent": p.discount_limit_percent, "device": ctx.device.device_name,
    });
    tx.audit(&AuditRecord { at: ctx.now, actor, action: "person.upsert", subject: &subject, detail }).await?;
    Ok(Outcome::Applied(p.person_id))
}

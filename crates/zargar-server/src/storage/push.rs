//! A push, the same on every backend: written once against `TenantTx`.
//!
//! Per op: a seen `op_id` answers its stored result; a new op must carry
//! the next seq; its effects, its result and the new `last_seq` are written
//! in the caller's transaction, so a push is all or nothing. Business
//! conflicts are results: the op is parked with its conflict and the seq
//! still advances. Order and idempotency rest on the device's locked head
//! and the stored results, never on what one server process remembers.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_rules::journal;
use zargar_wire::{
    AccountMoveStatus, Change, ChangeData, ChangeOp, Conflict, ConflictKind, CustomerPayload, ItemPayload, ItemStatus,
    Op, OpBody, OpResult, OpStatus, PaymentMethod, PushResponse, Resolution, ReturnPayload, SalePayload, ServerState,
    ShiftPayload, TenantSettings,
};

use super::accounts;
use super::conflicts::{park, resolve};
use super::plans;
use super::tx::{AuditRecord, DeviceHead, Receipt, SaleStatus, StoredItem, TenantTx, TxResult};
use super::{DeviceAuth, PushOutcome, StorageError};
use crate::checks;
use zargar_rules::discount::{DiscountShare, Discounted};
use zargar_rules::money::{Percent, Rial};
use zargar_rules::roles::{Act, may};
use zargar_wire::PersonRef;

/// How far a till's clock may run behind the till where the owner set the
/// shop's price: a sale at that price stamped a little before it is no conflict.
const CLOCK_SKEW: chrono::Duration = chrono::Duration::minutes(15);

/// What one push needs to know besides the op.
pub(super) struct Ctx<'a> {
    pub(super) device: &'a DeviceAuth,
    pub(super) settings: TenantSettings,
    pub(super) now: DateTime<Utc>,
    /// The device's journal head: the last entry the server accepted.
    pub(super) journal: (u64, Option<String>),
}

impl Ctx<'_> {
    pub(super) fn device_id(&self) -> Uuid {
        self.device.device_id
    }
}

/// What the rules made of an op, before it is recorded.
#[allow(clippy::large_enum_variant)] // one short-lived value per op; boxing buys nothing
pub(super) enum Outcome {
    Applied(Uuid),
    Conflict(Conflict),
    Rejected(String),
}

/// What the owner may do about each kind of conflict.
pub fn resolutions(kind: ConflictKind) -> Vec<Resolution> {
    match kind {
        ConflictKind::ItemAlreadySold => vec![Resolution::Void, Resolution::Accept, Resolution::Resubmit],
        ConflictKind::ItemUnknown => vec![Resolution::Retry, Resolution::Void, Resolution::Accept],
        ConflictKind::PriceOutOfTolerance => vec![Resolution::Accept, Resolution::Void, Resolution::Resubmit],
        ConflictKind::ValidationFailed => vec![Resolution::Resubmit, Resolution::Void, Resolution::Accept],
        ConflictKind::JournalBroken => vec![Resolution::Accept, Resolution::Void],
        ConflictKind::CustomerDuplicate => vec![Resolution::Accept, Resolution::Void],
        ConflictKind::ItemTagTaken => vec![Resolution::Retry, Resolution::Void],
        ConflictKind::DiscountOverLimit => vec![Resolution::Accept, Resolution::Void],
        ConflictKind::BalanceOverdrawn => vec![Resolution::Accept, Resolution::Void],
    }
}

pub(super) fn conflict(kind: ConflictKind, server_state: ServerState) -> Outcome {
    Outcome::Conflict(Conflict {
        kind,
        message_key: format!("conflict-{}", kind.code().replace('_', "-")),
        server_state,
        options: resolutions(kind),
    })
}

pub(super) fn journal_broken(expected_index: u64) -> Outcome {
    conflict(
        ConflictKind::JournalBroken,
        ServerState { expected_journal_index: Some(expected_index), ..ServerState::default() },
    )
}

pub(super) fn validation_failed(problems: Vec<String>) -> Outcome {
    conflict(ConflictKind::ValidationFailed, ServerState { problems, ..ServerState::default() })
}

/// A rejected op carries why, in the same shape as a conflict, with no options.
pub(super) fn rejected(why: String) -> Conflict {
    Conflict {
        kind: ConflictKind::ValidationFailed,
        message_key: "conflict-rejected".into(),
        server_state: ServerState { problems: vec![why], ..ServerState::default() },
        options: Vec::new(),
    }
}

pub(super) fn new_result(op: &Op) -> OpResult {
    OpResult {
        op_id: op.op_id,
        seq: op.seq,
        status: OpStatus::Applied,
        first_status: None,
        server_id: None,
        conflict: None,
    }
}

/// Applies a batch of ops from `device` inside `tx`.
pub async fn push<T: TenantTx>(
    tx: &mut T,
    device: &DeviceAuth,
    ops: &[Op],
    now: DateTime<Utc>,
) -> Result<PushOutcome, StorageError> {
    let Some(head) = tx.device_head(device.device_id).await? else {
        return Err(StorageError::DeviceUnknown);
    };
    // Checked again inside the transaction: a revocation that raced this push wins.
    if head.revoked {
        return Err(StorageError::DeviceRevoked);
    }

    // Decide the whole batch's order before touching anything.
    let op_ids: Vec<Uuid> = ops.iter().map(|o| o.op_id).collect();
    let mut seen = tx.stored_results(device.device_id, &op_ids).await?;
    let mut stored = Vec::with_capacity(ops.len());
    let mut next = head.last_seq + 1;
    for op in ops {
        match seen.remove(&op.op_id) {
            Some(r) => stored.push(Some(r)),
            None if op.seq == next => {
                next += 1;
                stored.push(None);
            }
            None => return Ok(PushOutcome::SeqMismatch { expected_seq: head.last_seq + 1 }),
        }
    }

    let fresh: Vec<&Op> = ops.iter().zip(&stored).filter(|(_, seen)| seen.is_none()).map(|(op, _)| op).collect();
    tx.prefetch(&fresh).await?;
    let settings = tx.settings().await?.0;
    let mut ctx = Ctx { device, settings, now, journal: (head.journal_index, head.journal_hash) };
    let mut results = Vec::with_capacity(ops.len());
    for (op, seen) in ops.iter().zip(stored) {
        if let Some(first) = seen {
            results.push(OpResult { status: OpStatus::Duplicate, first_status: Some(first.status), ..first });
            continue;
        }
        // No savepoint per op: an error aborts the whole push, and the
        // caller rolls its transaction back, so no op is half done.
        let r = apply(tx, &mut ctx, op).await?;
        tx.record_result(device.device_id, op, &r, now).await?;
        results.push(r);
    }
    let acked_seq = next - 1;
    let head =
        DeviceHead { last_seq: acked_seq, journal_index: ctx.journal.0, journal_hash: ctx.journal.1, revoked: false };
    tx.set_device_head(device.device_id, &head, now).await?;
    Ok(PushOutcome::Done(PushResponse { acked_seq, server_time: now, results }))
}

pub(super) async fn apply<T: TenantTx>(tx: &mut T, ctx: &mut Ctx<'_>, op: &Op) -> TxResult<OpResult> {
    if let Some(why) = super::people::refused(tx, op).await? {
        let mut result = new_result(op);
        result.status = OpStatus::Rejected;
        result.conflict = Some(rejected(why));
        return Ok(result);
    }
    let outcome = match &op.body {
        OpBody::SaleCreate(sale) => {
            let journal = advance_journal(ctx, &sale.journal);
            apply_sale(tx, ctx, op, sale, journal).await?
        }
        OpBody::SaleReturn(ret) => {
            let journal = advance_journal(ctx, &ret.journal);
            apply_return(tx, ctx, op, ret, journal).await?
        }
        OpBody::CustomerUpsert(cu) => match limit_refused(tx, op, cu).await? {
            Some(why) => Outcome::Rejected(why),
            None => apply_customer(tx, ctx, cu, false).await?,
        },
        OpBody::ItemUpsert(item) => apply_item(tx, ctx, item).await?,
        OpBody::GoldPriceSet(p) => {
            super::shop::add_pushed_price(tx, p, ctx.device, ctx.now).await?;
            Outcome::Applied(p.price_id)
        }
        OpBody::ConflictResolve(r) => return resolve(tx, ctx, op, r).await,
        OpBody::PersonUpsert(p) => super::people::apply_person(tx, ctx, op, p).await?,
        OpBody::ShiftClose(s) => {
            let journal = advance_journal(ctx, &s.journal);
            apply_shift(tx, ctx, op, s, journal).await?
        }
        OpBody::AccountMove(m) => match &m.journal {
            Some(link) => {
                let journal = advance_journal(ctx, link);
                accounts::apply_move(tx, ctx, op, m, journal).await?
            }
            None => Outcome::Rejected("an account movement carries its journal entry".into()),
        },
        OpBody::InstallmentPlan(p) => plans::apply_plan(tx, ctx, op, p).await?,
        OpBody::Layaway(l) => plans::apply_layaway(tx, ctx, op, l).await?,
    };
    let mut result = new_result(op);
    match outcome {
        Outcome::Applied(id) => result.server_id = Some(id),
        Outcome::Conflict(conflict) => {
            park(tx, ctx, op, &conflict).await?;
            result.status = OpStatus::Conflict;
            result.server_id = Some(op.entity_id);
            result.conflict = Some(conflict);
        }
        Outcome::Rejected(why) => {
            result.status = OpStatus::Rejected;
            result.conflict = Some(rejected(why));
        }
    }
    Ok(result)
}

/// Keeps a till's closed shift and its Z report. Its journal entry is in
/// the till's chain: a break is a conflict for the owner, as for a sale,
/// and the shift is kept either way (the drawer was counted).
async fn apply_shift<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    op: &Op,
    s: &ShiftPayload,
    journal: Result<(), u64>,
) -> TxResult<Outcome> {
    if !tx.insert_shift(s, Receipt { op_id: op.op_id, device: ctx.device_id(), at: ctx.now, by: op.by.clone() }).await?
    {
        return Ok(Outcome::Rejected(format!("Z report {} of this till is already recorded", s.z_no)));
    }
    Ok(match journal {
        Ok(()) => Outcome::Applied(s.shift_id),
        Err(expected) => journal_broken(expected),
    })
}

/// Whether the entry follows the device's last one; the head moves to it
/// either way, so one break is flagged once and not on every later sale.
/// Err carries the index the server expected next.
pub(super) fn advance_journal(ctx: &mut Ctx<'_>, link: &zargar_wire::JournalLink) -> Result<(), u64> {
    let prev = ctx.journal.1.as_deref().map(|h| (ctx.journal.0, h));
    let expected = ctx.journal.0 + 1;
    let ok = journal::follows(prev, link);
    ctx.journal = (link.index, Some(link.hash.clone()));
    if ok { Ok(()) } else { Err(expected) }
}

pub(super) fn held_by(item: &StoredItem) -> ServerState {
    ServerState {
        item_id: Some(item.payload.item_id),
        tag: Some(item.payload.tag.clone()),
        item_status: Some(item.payload.status),
        sold_in_sale: item.sale_id,
        sold_by_device: item.sold_by,
        sold_by_device_name: item.sold_by_name.clone(),
        ..ServerState::default()
    }
}

/// Tells every till, through pull, of a piece's new version.
pub(super) async fn log_item<T: TenantTx>(
    tx: &mut T,
    mut payload: ItemPayload,
    status: ItemStatus,
    version: u64,
    sold_by: &str,
) -> TxResult<()> {
    payload.status = status;
    payload.sold_by = (status == ItemStatus::Sold).then(|| sold_by.to_owned());
    tx.log_change(&Change { id: payload.item_id, version, op: ChangeOp::Upsert, data: ChangeData::Item(payload) }).await
}

/// Moves a piece to `status` and tells every till through pull.
pub(super) async fn set_item_status<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    item: &StoredItem,
    status: ItemStatus,
    sale: Option<Uuid>,
) -> TxResult<()> {
    let held = sale.map(|s| (s, ctx.device_id()));
    let version = tx.set_item_status(item.payload.item_id, status, held, ctx.now).await?;
    log_item(tx, item.payload.clone(), status, version, &ctx.device.device_name).await
}

/// Checks a sale and, when it holds, claims its pieces. The sale row is
/// written either way (as `applied` or `conflict`), so export shows both.
pub(super) async fn apply_sale<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    op: &Op,
    sale: &SalePayload,
    journal: Result<(), u64>,
) -> TxResult<Outcome> {
    if tx.sale_exists(sale.sale_id).await? {
        return Ok(Outcome::Rejected(format!("sale {} is already recorded by another op", sale.sale_id)));
    }
    let outcome = judge_sale(tx, ctx, op.by.as_ref(), sale, journal).await?;
    let status = match outcome {
        Outcome::Applied(_) => SaleStatus::Applied,
        _ => SaleStatus::Conflict,
    };
    tx.insert_sale(sale, status, Receipt { op_id: op.op_id, device: ctx.device_id(), at: ctx.now, by: op.by.clone() })
        .await?;
    // Applied or parked, the sale happened at the counter: its invoice is due.
    super::tax::sale_taken(tx, ctx.settings.legal.is_some(), sale, ctx.now).await?;
    if let Some(m) = sale.account_move() {
        let counted =
            if status == SaleStatus::Applied { AccountMoveStatus::Applied } else { AccountMoveStatus::Conflict };
        accounts::record(tx, ctx, op, m, counted).await?;
    }
    if status == SaleStatus::Applied
        && let Some(id) = sale.layaway_id
        && let Some(l) = tx.layaway(id).await?
    {
        plans::completed(tx, ctx, op, l, sale.sale_id).await?;
    }
    if let Some(a) = &sale.approval {
        // The owner let it past an offline limit at the till: on the record here too.
        let subject = sale.sale_id.to_string();
        let detail = serde_json::json!({
            "reason": a.reason, "limit": a.limit, "total": sale.totals.total,
            "invoice_no": sale.invoice_no, "device": ctx.device.device_name,
        });
        tx.audit(&AuditRecord { at: ctx.now, actor: &a.by, action: "sale.owner_approval", subject: &subject, detail })
            .await?;
    }
    if let Some(a) = &sale.discount_approved_by {
        // A manager let a cashier's discount past their limit.
        let subject = sale.sale_id.to_string();
        let detail = serde_json::json!({
            "approved_by": a.id, "seller": op.by, "invoice_no": sale.invoice_no, "device": ctx.device.device_name,
            "wage_discount": sale.lines.iter().map(|l| l.wage_discount).sum::<Decimal>(),
            "profit_discount": sale.lines.iter().map(|l| l.profit_discount).sum::<Decimal>(),
        });
        tx.audit(&AuditRecord {
            at: ctx.now,
            actor: &a.name,
            action: "sale.discount_approval",
            subject: &subject,
            detail,
        })
        .await?;
    }
    Ok(outcome)
}

/// The judgement on a pushed sale: its journal link, its pieces as the
/// server knows them, its arithmetic, its price against the shop's, and
/// last, whether its pieces are still free.
pub(super) async fn judge_sale<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    by: Option<&PersonRef>,
    sale: &SalePayload,
    journal: Result<(), u64>,
) -> TxResult<Outcome> {
    if let Err(expected) = journal {
        return Ok(journal_broken(expected));
    }
    let mut items = Vec::with_capacity(sale.lines.len());
    let mut problems = Vec::new();
    for (i, line) in sale.lines.iter().enumerate() {
        if sale.lines[..i].iter().any(|l| l.item_id == line.item_id) {
            problems.push(format!("lines[{i}]: piece {} appears twice", line.tag));
        }
        let Some(item) = tx.item(line.item_id).await? else {
            return Ok(conflict(
                ConflictKind::ItemUnknown,
                ServerState { item_id: Some(line.item_id), tag: Some(line.tag.clone()), ..ServerState::default() },
            ));
        };
        // The piece is a fact: a sale of it at another weight is not this piece.
        if item.payload.weight != line.weight || item.payload.purity != line.purity {
            problems.push(format!(
                "lines[{i}]: {} is {} g at {} on the server, sold as {} g at {}",
                line.tag, item.payload.weight, item.payload.purity, line.weight, line.purity
            ));
        }
        items.push(item);
    }
    problems.extend(checks::reprice(sale, &ctx.settings));
    if sale.customer_id.is_none() && sale.payments.iter().any(|p| p.method == PaymentMethod::Account) {
        problems.push("payments: a sale on account names its customer".into());
    }
    if !problems.is_empty() {
        return Ok(validation_failed(problems));
    }
    if let Some(server) = tx.shop_price_at(sale.sold_at).await?
        && !checks::price_within(
            sale.gold_price.per_gram_18k,
            server.per_gram_18k,
            ctx.settings.price_tolerance_percent,
        )
        && !sold_at_a_shop_price(tx, sale).await?
    {
        return Ok(conflict(
            ConflictKind::PriceOutOfTolerance,
            ServerState {
                per_gram_18k: Some(server.per_gram_18k),
                tolerance_percent: Some(ctx.settings.price_tolerance_percent),
                ..ServerState::default()
            },
        ));
    }
    if let Some(over) = discount_over_limit(tx, by, sale).await? {
        return Ok(over);
    }
    if let Some(m) = sale.account_move() {
        match accounts::overdrawn(tx, ctx, &m).await? {
            Err(refused) | Ok(Some(refused)) => return Ok(refused),
            Ok(None) => {}
        }
    }
    if let Some(layaway) = sale.layaway_id
        && let Err(why) = plans::open_for_sale(tx, ctx, sale, layaway).await?
    {
        return Ok(validation_failed(vec![why]));
    }
    claim(tx, ctx, sale.sale_id, &items).await
}

/// A discount past the limit of the person who gave it, as the shop's
/// people stand on the server now, with no manager's or owner's approval.
/// A shop whose owner works alone sends sales by no one: no limit applies.
async fn discount_over_limit<T: TenantTx>(
    tx: &mut T,
    by: Option<&PersonRef>,
    sale: &SalePayload,
) -> TxResult<Option<Outcome>> {
    let Some(by) = by else { return Ok(None) };
    // The arithmetic was checked already, so every amount is a whole Rial.
    let lines = sale.lines.iter().filter_map(|l| {
        let off = Discounted { wage: Rial::whole(l.wage_discount)?, profit: Rial::whole(l.profit_discount)? };
        Some((Rial::whole(l.wage)?, Rial::whole(l.profit)?, off))
    });
    let Ok(share) = DiscountShare::of_lines(lines) else { return Ok(None) };
    if share.off == Rial::ZERO {
        return Ok(None);
    }
    let approver = |p: &Option<(zargar_wire::PersonPayload, u64)>| {
        p.as_ref().is_some_and(|(p, _)| p.active && may(p.role, Act::ApproveDiscount))
    };
    let seller = tx.person(by.id).await?;
    if approver(&seller) {
        return Ok(None);
    }
    // Someone the server does not know has no limit to give.
    let limit = seller.and_then(|(p, _)| Percent::new(p.discount_limit_percent)).unwrap_or(Percent::ZERO);
    if share.within(limit) {
        return Ok(None);
    }
    if let Some(a) = &sale.discount_approved_by
        && approver(&tx.person(a.id).await?)
    {
        return Ok(None);
    }
    Ok(Some(conflict(
        ConflictKind::DiscountOverLimit,
        ServerState {
            discount_percent: Some(share.percent()),
            discount_limit_percent: Some(limit.decimal()),
            ..ServerState::default()
        },
    )))
}

/// True when the sale was priced at one of the shop's own prices, exactly,
/// and that price was the shop's at the sale's time, give or take the skew
/// between two tills' clocks. The owner's morning price reaches the other
/// tills by pull; a sale made at it is the shop's business as usual, while
/// a sale at yesterday's price, long replaced, is still judged.
pub(super) async fn sold_at_a_shop_price<T: TenantTx>(tx: &mut T, sale: &SalePayload) -> TxResult<bool> {
    let Some(price) = tx.shop_price(sale.gold_price.id).await? else { return Ok(false) };
    if price.per_gram_18k != sale.gold_price.per_gram_18k || price.set_at > sale.sold_at + CLOCK_SKEW {
        return Ok(false);
    }
    Ok(match tx.shop_price_replaced(price.set_at).await? {
        None => true,
        Some(at) => at > sale.sold_at - CLOCK_SKEW,
    })
}

/// Claims every piece or none. One piece is one conditional update, atomic
/// by itself; several need a savepoint to give back the first ones.
pub(super) async fn claim<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    sale_id: Uuid,
    items: &[StoredItem],
) -> TxResult<Outcome> {
    let several = items.len() > 1;
    if several {
        tx.savepoint("claim").await?;
    }
    for item in items {
        match tx.claim_item(item.payload.item_id, sale_id, ctx.device_id(), ctx.now).await? {
            Some(version) => {
                log_item(tx, item.payload.clone(), ItemStatus::Sold, version, &ctx.device.device_name).await?
            }
            None => {
                if several {
                    tx.rollback_to("claim").await?;
                    tx.release("claim").await?;
                }
                let now = tx.item(item.payload.item_id).await?;
                let state = now.as_ref().map(held_by).unwrap_or_default();
                return Ok(conflict(ConflictKind::ItemAlreadySold, state));
            }
        }
    }
    if several {
        tx.release("claim").await?;
    }
    Ok(Outcome::Applied(sale_id))
}

pub(super) async fn apply_return<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    op: &Op,
    ret: &ReturnPayload,
    journal: Result<(), u64>,
) -> TxResult<Outcome> {
    if let Err(expected) = journal {
        return Ok(journal_broken(expected));
    }
    let Some((sale, status)) = tx.sale(ret.sale_id).await? else {
        return Ok(validation_failed(vec![format!("sale {} is not on the server", ret.sale_id)]));
    };
    if !status.completed() {
        return Ok(validation_failed(vec![format!("sale {} is {}, not a completed sale", ret.sale_id, status.code())]));
    }
    let mut problems = Vec::new();
    let mut refund = Decimal::ZERO;
    let mut items = Vec::new();
    for id in &ret.item_ids {
        match sale.lines.iter().find(|l| l.item_id == *id) {
            Some(line) => {
                refund = refund.checked_add(line.total).unwrap_or(Decimal::MAX);
                match tx.item(*id).await? {
                    Some(item) if item.payload.status == ItemStatus::Sold && item.sale_id == Some(ret.sale_id) => {
                        items.push(item)
                    }
                    _ => problems.push(format!("{}: not held by this sale (returned already?)", line.tag)),
                }
            }
            None => problems.push(format!("piece {id} is not in sale {}", ret.sale_id)),
        }
    }
    if problems.is_empty() && refund != ret.refund {
        problems.push(format!("refund: {} but the returned lines total {refund}", ret.refund));
    }
    let split = ret.refunds.iter().try_fold(Decimal::ZERO, |a, p| a.checked_add(p.amount));
    if !ret.refunds.is_empty() && split != Some(ret.refund) {
        problems.push(format!("refunds: the parts do not add up to {}", ret.refund));
    }
    let to_account = ret.customer_part(sale.customer_id);
    let on_account = sale.account_move().map_or(Decimal::ZERO, |m| -m.rial);
    if to_account.as_ref().is_some_and(|m| m.rial > on_account) {
        problems.push(format!("refunds: more back to the account than the sale put on it ({on_account})"));
    }
    if !problems.is_empty() {
        return Ok(validation_failed(problems));
    }
    for item in &items {
        set_item_status(tx, ctx, item, ItemStatus::Returned, None).await?;
    }
    tx.insert_return(ret, Receipt { op_id: op.op_id, device: ctx.device_id(), at: ctx.now, by: op.by.clone() }).await?;
    super::tax::return_taken(tx, ctx.settings.legal.is_some(), &sale, ret, ctx.now).await?;
    if let Some(m) = to_account {
        accounts::record(tx, ctx, op, m, AccountMoveStatus::Applied).await?;
    }
    Ok(Outcome::Applied(ret.return_id))
}

/// Why a customer's new credit limit is refused: only a manager or the
/// owner sets one (a shop run by its owner alone sends no person).
async fn limit_refused<T: TenantTx>(tx: &mut T, op: &Op, cu: &CustomerPayload) -> TxResult<Option<String>> {
    let Some(by) = &op.by else { return Ok(None) };
    if !accounts::limit_changed(tx, cu.customer_id, cu.credit_limit).await? {
        return Ok(None);
    }
    let allowed = tx.person(by.id).await?.is_some_and(|(p, _)| p.active && may(p.role, Act::CreditLimit));
    Ok((!allowed).then(|| format!("{} may not set a customer's credit limit", by.name)))
}

pub(super) async fn apply_customer<T: TenantTx>(
    tx: &mut T,
    ctx: &Ctx<'_>,
    cu: &CustomerPayload,
    accept_duplicate: bool,
) -> TxResult<Outcome> {
    let current = tx.customer_version(cu.customer_id).await?;
    if current.is_none()
        && !accept_duplicate
        && let Some(other) = tx.customer_sharing_ids(cu).await?
    {
        return Ok(conflict(
            ConflictKind::CustomerDuplicate,
            ServerState { customer_id: Some(other), ..ServerState::default() },
        ));
    }
    let version = current.map_or(1, |v| v + 1);
    tx.write_customer(cu, version, ctx.now).await?;
    tx.log_change(&Change {
        id: cu.customer_id,
        version,
        op: ChangeOp::Upsert,
        data: ChangeData::Customer(cu.clone()),
    })
    .await?;
    Ok(Outcome::Applied(cu.customer_id))
}

/// A piece tagged or changed at a till. The server keeps the status of a
/// piece it has sold; a tag already on another piece is a conflict.
pub(super) async fn apply_item<T: TenantTx>(tx: &mut T, ctx: &Ctx<'_>, item: &ItemPayload) -> TxResult<Outcome> {
    if let Some(other) = tx.item_by_tag(&item.tag).await?
        && other.payload.item_id != item.item_id
    {
        return Ok(conflict(
            ConflictKind::ItemTagTaken,
            ServerState { item_id: Some(other.payload.item_id), tag: Some(item.tag.clone()), ..ServerState::default() },
        ));
    }
    let sold = |s: ItemStatus| matches!(s, ItemStatus::Sold | ItemStatus::SoldPending);
    let mut next = item.clone();
    match tx.item(item.item_id).await? {
        Some(current) if sold(current.payload.status) => {
            if !sold(item.status) {
                return Ok(conflict(ConflictKind::ItemAlreadySold, held_by(&current)));
            }
            next.status = current.payload.status;
        }
        // Only a sale the server accepted makes a piece sold.
        _ if sold(item.status) => next.status = ItemStatus::InStock,
        _ => {}
    }
    super::shop::write_item(tx, &next, ctx.now).await?;
    Ok(Outcome::Applied(item.item_id))
}

//! A push, applied on SQLite inside the writer's transaction.
//!
//! Per op: a seen `op_id` answers its stored result; a new op must carry
//! the next seq; its effects, its result and the new `last_seq` are written
//! inside the push's savepoint, so an op is all or nothing. Business conflicts are
//! results: the op is parked with its conflict and the seq still advances.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;
use zargar_rules::journal;
use zargar_wire::{
    Change, ChangeData, ChangeOp, Conflict, ConflictKind, ConflictState, CustomerPayload, ItemPayload, ItemStatus, Op,
    OpBody, OpResult, OpStatus, PriceScope, PushResponse, Resolution, ResolutionRecord, ResolvePayload, ReturnPayload,
    SalePayload, ServerState, TenantSettings,
};

use super::sqlite::{
    add_price, audit, load_settings, log_change, parse_status, parse_uuid, server_price_at, shop_price, status_code, ts,
};
use super::{DeviceAuth, PushOutcome, StorageError};
use crate::checks;

/// What one push needs to know besides the op.
struct Ctx<'a> {
    device: &'a DeviceAuth,
    settings: TenantSettings,
    now: DateTime<Utc>,
    /// The device's journal head: the last entry the server accepted.
    journal: (u64, Option<String>),
}

impl Ctx<'_> {
    fn tenant(&self) -> String {
        self.device.tenant.id.to_string()
    }
}

/// What the rules made of an op, before it is recorded.
#[allow(clippy::large_enum_variant)] // one short-lived value per op; boxing buys nothing
enum Outcome {
    Applied(Uuid),
    Conflict(Conflict),
    Rejected(String),
}

fn conflict(kind: ConflictKind, server_state: ServerState) -> Outcome {
    let options = match kind {
        ConflictKind::ItemAlreadySold => vec![Resolution::Void, Resolution::Accept, Resolution::Resubmit],
        ConflictKind::ItemUnknown => vec![Resolution::Retry, Resolution::Void, Resolution::Accept],
        ConflictKind::PriceOutOfTolerance => vec![Resolution::Accept, Resolution::Void, Resolution::Resubmit],
        ConflictKind::ValidationFailed => vec![Resolution::Resubmit, Resolution::Void, Resolution::Accept],
        ConflictKind::JournalBroken => vec![Resolution::Accept, Resolution::Void],
        ConflictKind::CustomerDuplicate => vec![Resolution::Accept, Resolution::Void],
        ConflictKind::ItemTagTaken => vec![Resolution::Retry, Resolution::Void],
    };
    Outcome::Conflict(Conflict {
        kind,
        message_key: format!("conflict-{}", kind.code().replace('_', "-")),
        server_state,
        options,
    })
}

fn journal_broken(expected_index: u64) -> Outcome {
    conflict(
        ConflictKind::JournalBroken,
        ServerState { expected_journal_index: Some(expected_index), ..ServerState::default() },
    )
}

fn validation_failed(problems: Vec<String>) -> Outcome {
    conflict(ConflictKind::ValidationFailed, ServerState { problems, ..ServerState::default() })
}

pub(super) fn push(
    c: &Connection,
    device: &DeviceAuth,
    ops: &[Op],
    now: DateTime<Utc>,
) -> Result<PushOutcome, StorageError> {
    let tenant = device.tenant.id.to_string();
    let row: Option<(u64, u64, Option<String>, bool)> = c
        .prepare_cached(
            "SELECT last_seq, journal_index, journal_hash, revoked_at IS NOT NULL FROM devices WHERE id = ?1 AND tenant_id = ?2",
        )?
        .query_row(params![device.device_id.to_string(), tenant], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((last_seq, journal_index, journal_hash, revoked)) = row else {
        return Err(StorageError::DeviceUnknown);
    };
    // Checked again inside the transaction: a revocation that raced this push wins.
    if revoked {
        return Err(StorageError::DeviceRevoked);
    }

    // Decide the whole batch's order before touching anything.
    let mut stored = Vec::with_capacity(ops.len());
    let mut next = last_seq + 1;
    for op in ops {
        match stored_result(c, device.device_id, op.op_id)? {
            Some(r) => stored.push(Some(r)),
            None if op.seq == next => {
                next += 1;
                stored.push(None);
            }
            None => return Ok(PushOutcome::SeqMismatch { expected_seq: last_seq + 1 }),
        }
    }

    let settings = load_settings(c, device.tenant.id)?.0;
    let mut ctx = Ctx { device, settings, now, journal: (journal_index, journal_hash) };
    let mut results = Vec::with_capacity(ops.len());
    for (op, seen) in ops.iter().zip(stored) {
        if let Some(first) = seen {
            results.push(OpResult { status: OpStatus::Duplicate, first_status: Some(first.status), ..first });
            continue;
        }
        // No savepoint per op: an error aborts the whole push, and the
        // writer rolls the push's own savepoint back, so no op is half done.
        let r = apply(c, &mut ctx, op)?;
        record_result(c, &ctx, op, &r)?;
        results.push(r);
    }
    let acked_seq = next - 1;
    c.prepare_cached(
        "UPDATE devices SET last_seq = ?2, journal_index = ?3, journal_hash = ?4, last_seen_at = ?5 WHERE id = ?1",
    )?
    .execute(params![device.device_id.to_string(), acked_seq, ctx.journal.0, ctx.journal.1, ts(now)])?;
    Ok(PushOutcome::Done(PushResponse { acked_seq, server_time: now, results }))
}

fn stored_result(c: &Connection, device: Uuid, op_id: Uuid) -> Result<Option<OpResult>, StorageError> {
    let json: Option<String> = c
        .prepare_cached("SELECT result FROM op_results WHERE device_id = ?1 AND op_id = ?2")?
        .query_row(params![device.to_string(), op_id.to_string()], |r| r.get(0))
        .optional()?;
    json.map(|j| serde_json::from_str(&j).map_err(StorageError::from)).transpose()
}

fn record_result(c: &Connection, ctx: &Ctx<'_>, op: &Op, r: &OpResult) -> Result<(), StorageError> {
    c.prepare_cached(
        "INSERT INTO op_results (device_id, op_id, tenant_id, seq, kind, entity_id, result, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        ctx.device.device_id.to_string(),
        op.op_id.to_string(),
        ctx.tenant(),
        op.seq,
        op.body.kind(),
        op.entity_id.to_string(),
        serde_json::to_string(r)?,
        ts(ctx.now)
    ])?;
    Ok(())
}

fn apply(c: &Connection, ctx: &mut Ctx<'_>, op: &Op) -> Result<OpResult, StorageError> {
    let outcome = match &op.body {
        OpBody::SaleCreate(sale) => {
            let journal = advance_journal(ctx, &sale.journal);
            apply_sale(c, ctx, op, sale, journal)?
        }
        OpBody::SaleReturn(ret) => {
            let journal = advance_journal(ctx, &ret.journal);
            apply_return(c, ctx, ret, journal)?
        }
        OpBody::CustomerUpsert(cu) => apply_customer(c, ctx, cu, false)?,
        OpBody::ItemUpsert(item) => apply_item(c, ctx, item)?,
        OpBody::GoldPriceSet(p) => {
            if add_price(c, ctx.device.tenant.id, p, ctx.device)? && p.scope == PriceScope::Shop {
                audit(
                    c,
                    ctx.device.tenant.id,
                    ctx.now,
                    &format!("device:{}", ctx.device.device_id),
                    "gold_price.set",
                    &p.price_id.to_string(),
                    serde_json::json!({
                        "per_gram_18k": p.per_gram_18k.to_string(),
                        "set_by": p.set_by,
                        "till": ctx.device.device_name,
                    }),
                )?;
            }
            Outcome::Applied(p.price_id)
        }
        OpBody::ConflictResolve(r) => return resolve(c, ctx, op, r),
    };
    let mut result = OpResult {
        op_id: op.op_id,
        seq: op.seq,
        status: OpStatus::Applied,
        first_status: None,
        server_id: None,
        conflict: None,
    };
    match outcome {
        Outcome::Applied(id) => result.server_id = Some(id),
        Outcome::Conflict(conflict) => {
            park(c, ctx, op, &conflict)?;
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

/// A rejected op carries why, in the same shape as a conflict, with no options.
fn rejected(why: String) -> Conflict {
    Conflict {
        kind: ConflictKind::ValidationFailed,
        message_key: "conflict-rejected".into(),
        server_state: ServerState { problems: vec![why], ..ServerState::default() },
        options: Vec::new(),
    }
}

/// Whether the entry follows the device's last one; the head moves to it
/// either way, so one break is flagged once and not on every later sale.
/// Err carries the index the server expected next.
fn advance_journal(ctx: &mut Ctx<'_>, link: &zargar_wire::JournalLink) -> Result<(), u64> {
    let prev = ctx.journal.1.as_deref().map(|h| (ctx.journal.0, h));
    let expected = ctx.journal.0 + 1;
    let ok = journal::follows(prev, link);
    ctx.journal = (link.index, Some(link.hash.clone()));
    if ok { Ok(()) } else { Err(expected) }
}

struct StoredItem {
    payload: ItemPayload,
    status: ItemStatus,
    sale_id: Option<String>,
    sold_by: Option<String>,
    /// The name of the till in `sold_by`.
    sold_by_name: Option<String>,
}

type ItemRow = (String, String, Option<String>, Option<String>, Option<String>);

fn load_item(c: &Connection, tenant: &str, id: Uuid) -> Result<Option<StoredItem>, StorageError> {
    let row: Option<ItemRow> = c
        .prepare_cached(
            "SELECT i.data, i.status, i.sale_id, i.sold_by, d.name FROM items i LEFT JOIN devices d ON d.id = i.sold_by
             WHERE i.tenant_id = ?1 AND i.id = ?2",
        )?
        .query_row(params![tenant, id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?;
    row.map(|(data, status, sale_id, sold_by, sold_by_name)| {
        let status = parse_status(&status);
        let mut payload: ItemPayload = serde_json::from_str(&data)?;
        payload.status = status;
        Ok(StoredItem { payload, status, sale_id, sold_by, sold_by_name })
    })
    .transpose()
}

fn held_by(item: &StoredItem) -> ServerState {
    ServerState {
        item_id: Some(item.payload.item_id),
        tag: Some(item.payload.tag.clone()),
        item_status: Some(item.status),
        sold_in_sale: item.sale_id.as_deref().and_then(|s| Uuid::parse_str(s).ok()),
        sold_by_device: item.sold_by.as_deref().and_then(|s| Uuid::parse_str(s).ok()),
        sold_by_device_name: item.sold_by_name.clone(),
        ..ServerState::default()
    }
}

/// Moves a piece to `status` and tells every till through pull.
fn set_item_status(
    c: &Connection,
    ctx: &Ctx<'_>,
    item: &StoredItem,
    status: ItemStatus,
    sale: Option<Uuid>,
) -> Result<(), StorageError> {
    let version: u64 = c
        .prepare_cached(
            "UPDATE items SET status = ?3, sale_id = ?4, sold_by = ?5, version = version + 1, updated_at = ?6
             WHERE tenant_id = ?1 AND id = ?2 RETURNING version",
        )?
        .query_row(
            params![
                ctx.tenant(),
                item.payload.item_id.to_string(),
                status_code(status),
                sale.map(|s| s.to_string()),
                sale.map(|_| ctx.device.device_id.to_string()),
                ts(ctx.now)
            ],
            |r| r.get(0),
        )?;
    let mut payload = item.payload.clone();
    payload.status = status;
    log_change(
        c,
        ctx.device.tenant.id,
        &Change { id: payload.item_id, version, op: ChangeOp::Upsert, data: ChangeData::Item(payload) },
    )
}

/// Checks a sale and, when it holds, claims its pieces: a conditional
/// update per piece, so of two tills that sold the same ring, the first
/// commit wins and the second finds it taken. The sale row is written
/// either way (as `applied` or `conflict`), so export shows both.
fn apply_sale(
    c: &Connection,
    ctx: &Ctx<'_>,
    op: &Op,
    sale: &SalePayload,
    journal: Result<(), u64>,
) -> Result<Outcome, StorageError> {
    let tenant = ctx.tenant();
    let exists: bool = c
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sales WHERE tenant_id = ?1 AND id = ?2)")?
        .query_row(params![tenant, sale.sale_id.to_string()], |r| r.get(0))?;
    if exists {
        return Ok(Outcome::Rejected(format!("sale {} is already recorded by another op", sale.sale_id)));
    }
    let outcome = judge_sale(c, ctx, sale, journal)?;
    let status = match outcome {
        Outcome::Applied(_) => "applied",
        _ => "conflict",
    };
    insert_sale(c, ctx, op.op_id, sale, status)?;
    Ok(outcome)
}

fn judge_sale(
    c: &Connection,
    ctx: &Ctx<'_>,
    sale: &SalePayload,
    journal: Result<(), u64>,
) -> Result<Outcome, StorageError> {
    let tenant = ctx.tenant();
    if let Err(expected) = journal {
        return Ok(journal_broken(expected));
    }
    let mut items = Vec::with_capacity(sale.lines.len());
    let mut problems = Vec::new();
    for (i, line) in sale.lines.iter().enumerate() {
        if sale.lines[..i].iter().any(|l| l.item_id == line.item_id) {
            problems.push(format!("lines[{i}]: piece {} appears twice", line.tag));
        }
        let Some(item) = load_item(c, &tenant, line.item_id)? else {
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
    if !problems.is_empty() {
        return Ok(validation_failed(problems));
    }
    if let Some(server) = server_price_at(c, ctx.device.tenant.id, sale.sold_at)?
        && !checks::price_within(
            sale.gold_price.per_gram_18k,
            server.per_gram_18k,
            ctx.settings.price_tolerance_percent,
        )
        && !sold_at_a_shop_price(c, ctx, sale)?
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
    claim(c, ctx, sale.sale_id, &items)
}

/// How far a till's clock may run behind the till where the owner set the
/// shop's price: a sale at that price stamped a little before it is no conflict.
const CLOCK_SKEW: chrono::Duration = chrono::Duration::minutes(15);

/// True when the sale was priced at one of the shop's own prices, exactly,
/// and that price was the shop's at the sale's time, give or take the skew
/// between two tills' clocks. The owner's morning price reaches the other
/// tills by pull; a sale made at it is the shop's business as usual, while
/// a sale at yesterday's price, long replaced, is still judged.
fn sold_at_a_shop_price(c: &Connection, ctx: &Ctx<'_>, sale: &SalePayload) -> Result<bool, StorageError> {
    let tenant = ctx.device.tenant.id;
    let Some(price) = shop_price(c, tenant, sale.gold_price.id)? else { return Ok(false) };
    if price.per_gram_18k != sale.gold_price.per_gram_18k || price.set_at > sale.sold_at + CLOCK_SKEW {
        return Ok(false);
    }
    let replaced_at: Option<String> = c
        .prepare_cached(
            "SELECT min(set_at) FROM gold_prices WHERE tenant_id = ?1 AND origin = 'server' AND set_at > ?2",
        )?
        .query_row(params![tenant.to_string(), ts(price.set_at)], |r| r.get(0))?;
    Ok(match replaced_at {
        None => true,
        Some(at) => super::sqlite::parse_ts(&at)? > sale.sold_at - CLOCK_SKEW,
    })
}

/// Claims every piece or none. One piece is one conditional update, atomic
/// by itself; several need a savepoint to give back the first ones.
fn claim(c: &Connection, ctx: &Ctx<'_>, sale_id: Uuid, items: &[StoredItem]) -> Result<Outcome, StorageError> {
    let several = items.len() > 1;
    if several {
        c.execute_batch("SAVEPOINT claim")?;
    }
    for item in items {
        let taken = c
            .prepare_cached(
                "UPDATE items SET status = 'sold', sale_id = ?3, sold_by = ?4, version = version + 1, updated_at = ?5
                 WHERE tenant_id = ?1 AND id = ?2 AND status = 'in_stock' RETURNING version",
            )?
            .query_row(
                params![
                    ctx.tenant(),
                    item.payload.item_id.to_string(),
                    sale_id.to_string(),
                    ctx.device.device_id.to_string(),
                    ts(ctx.now)
                ],
                |r| r.get::<_, u64>(0),
            )
            .optional()?;
        match taken {
            Some(version) => {
                let mut payload = item.payload.clone();
                payload.status = ItemStatus::Sold;
                log_change(
                    c,
                    ctx.device.tenant.id,
                    &Change { id: payload.item_id, version, op: ChangeOp::Upsert, data: ChangeData::Item(payload) },
                )?;
            }
            None => {
                if several {
                    c.execute_batch("ROLLBACK TO claim; RELEASE claim")?;
                }
                let now = load_item(c, &ctx.tenant(), item.payload.item_id)?;
                let state = now.as_ref().map(held_by).unwrap_or_default();
                return Ok(conflict(ConflictKind::ItemAlreadySold, state));
            }
        }
    }
    if several {
        c.execute_batch("RELEASE claim")?;
    }
    Ok(Outcome::Applied(sale_id))
}

fn insert_sale(
    c: &Connection,
    ctx: &Ctx<'_>,
    op_id: Uuid,
    sale: &SalePayload,
    status: &str,
) -> Result<(), StorageError> {
    let tenant = ctx.tenant();
    let sale_id = sale.sale_id.to_string();
    c.prepare_cached(
        "INSERT INTO sales (tenant_id, id, device_id, op_id, invoice_no, sold_at, per_gram_18k, total, status, payload, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        tenant,
        sale_id,
        ctx.device.device_id.to_string(),
        op_id.to_string(),
        sale.invoice_no,
        ts(sale.sold_at),
        sale.gold_price.per_gram_18k.to_string(),
        sale.totals.total.to_string(),
        status,
        serde_json::to_string(sale)?,
        ts(ctx.now)
    ])?;
    let mut stmt = c.prepare_cached(
        "INSERT INTO sale_lines (tenant_id, sale_id, line_no, item_id, tag, name, weight, purity, gold, wage, profit, vat, stones, total)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for (i, l) in sale.lines.iter().enumerate() {
        stmt.execute(params![
            tenant,
            sale_id,
            i + 1,
            l.item_id.to_string(),
            l.tag,
            l.name,
            l.weight.to_string(),
            l.purity.to_string(),
            l.gold.to_string(),
            l.wage.to_string(),
            l.profit.to_string(),
            l.vat.to_string(),
            l.stones.to_string(),
            l.total.to_string()
        ])?;
    }
    Ok(())
}

fn delete_sale(c: &Connection, ctx: &Ctx<'_>, sale_id: Uuid) -> Result<(), StorageError> {
    c.execute(
        "DELETE FROM sale_lines WHERE tenant_id = ?1 AND sale_id = ?2",
        params![ctx.tenant(), sale_id.to_string()],
    )?;
    c.execute("DELETE FROM sales WHERE tenant_id = ?1 AND id = ?2", params![ctx.tenant(), sale_id.to_string()])?;
    Ok(())
}

fn set_sale_status(c: &Connection, ctx: &Ctx<'_>, sale_id: Uuid, status: &str) -> Result<(), StorageError> {
    c.execute(
        "UPDATE sales SET status = ?3 WHERE tenant_id = ?1 AND id = ?2",
        params![ctx.tenant(), sale_id.to_string(), status],
    )?;
    Ok(())
}

fn apply_return(
    c: &Connection,
    ctx: &Ctx<'_>,
    ret: &ReturnPayload,
    journal: Result<(), u64>,
) -> Result<Outcome, StorageError> {
    let tenant = ctx.tenant();
    if let Err(expected) = journal {
        return Ok(journal_broken(expected));
    }
    let sale: Option<(String, String)> = c
        .prepare_cached("SELECT payload, status FROM sales WHERE tenant_id = ?1 AND id = ?2")?
        .query_row(params![tenant, ret.sale_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((payload, status)) = sale else {
        return Ok(validation_failed(vec![format!("sale {} is not on the server", ret.sale_id)]));
    };
    if status != "applied" && status != "accepted" {
        return Ok(validation_failed(vec![format!("sale {} is {status}, not a completed sale", ret.sale_id)]));
    }
    let sale: SalePayload = serde_json::from_str(&payload)?;
    let mut problems = Vec::new();
    let mut refund = rust_decimal::Decimal::ZERO;
    let mut items = Vec::new();
    for id in &ret.item_ids {
        match sale.lines.iter().find(|l| l.item_id == *id) {
            Some(line) => {
                refund = refund.checked_add(line.total).unwrap_or(rust_decimal::Decimal::MAX);
                match load_item(c, &tenant, *id)? {
                    Some(item)
                        if item.status == ItemStatus::Sold
                            && item.sale_id.as_deref() == Some(&ret.sale_id.to_string()) =>
                    {
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
    let split = ret.refunds.iter().try_fold(rust_decimal::Decimal::ZERO, |a, p| a.checked_add(p.amount));
    if !ret.refunds.is_empty() && split != Some(ret.refund) {
        problems.push(format!("refunds: the parts do not add up to {}", ret.refund));
    }
    if !problems.is_empty() {
        return Ok(validation_failed(problems));
    }
    for item in &items {
        set_item_status(c, ctx, item, ItemStatus::Returned, None)?;
    }
    c.prepare_cached(
        "INSERT INTO returns (tenant_id, id, sale_id, device_id, payload, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        tenant,
        ret.return_id.to_string(),
        ret.sale_id.to_string(),
        ctx.device.device_id.to_string(),
        serde_json::to_string(ret)?,
        ts(ctx.now)
    ])?;
    Ok(Outcome::Applied(ret.return_id))
}

fn apply_customer(
    c: &Connection,
    ctx: &Ctx<'_>,
    cu: &CustomerPayload,
    accept_duplicate: bool,
) -> Result<Outcome, StorageError> {
    let tenant = ctx.tenant();
    let current: Option<u64> = c
        .prepare_cached("SELECT version FROM customers WHERE tenant_id = ?1 AND id = ?2")?
        .query_row(params![tenant, cu.customer_id.to_string()], |r| r.get(0))
        .optional()?;
    if current.is_none() && !accept_duplicate {
        let other: Option<String> = c
            .prepare_cached(
                "SELECT id FROM customers WHERE tenant_id = ?1 AND id <> ?2
                 AND ((?3 IS NOT NULL AND national_id = ?3) OR (?4 IS NOT NULL AND mobile = ?4)) LIMIT 1",
            )?
            .query_row(params![tenant, cu.customer_id.to_string(), cu.national_id, cu.mobile], |r| r.get(0))
            .optional()?;
        if let Some(other) = other {
            return Ok(conflict(
                ConflictKind::CustomerDuplicate,
                ServerState { customer_id: Some(parse_uuid(&other)?), ..ServerState::default() },
            ));
        }
    }
    let version = current.map_or(1, |v| v + 1);
    c.prepare_cached(
        "INSERT INTO customers (tenant_id, id, name, mobile, national_id, version, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, mobile = excluded.mobile,
             national_id = excluded.national_id, version = excluded.version, updated_at = excluded.updated_at",
    )?
    .execute(params![tenant, cu.customer_id.to_string(), cu.name, cu.mobile, cu.national_id, version, ts(ctx.now)])?;
    log_change(
        c,
        ctx.device.tenant.id,
        &Change { id: cu.customer_id, version, op: ChangeOp::Upsert, data: ChangeData::Customer(cu.clone()) },
    )?;
    Ok(Outcome::Applied(cu.customer_id))
}

/// A piece tagged or changed at a till. The server keeps the status of a
/// piece it has sold; a tag already on another piece is a conflict.
fn apply_item(c: &Connection, ctx: &Ctx<'_>, item: &ItemPayload) -> Result<Outcome, StorageError> {
    let tenant = ctx.tenant();
    let by_tag: Option<String> = c
        .prepare_cached("SELECT id FROM items WHERE tenant_id = ?1 AND tag = ?2")?
        .query_row(params![tenant, item.tag], |r| r.get(0))
        .optional()?;
    if let Some(other) = by_tag.map(|s| parse_uuid(&s)).transpose()?
        && other != item.item_id
    {
        return Ok(conflict(
            ConflictKind::ItemTagTaken,
            ServerState { item_id: Some(other), tag: Some(item.tag.clone()), ..ServerState::default() },
        ));
    }
    let mut next = item.clone();
    match load_item(c, &tenant, item.item_id)? {
        Some(current) if matches!(current.status, ItemStatus::Sold | ItemStatus::SoldPending) => {
            if !matches!(item.status, ItemStatus::Sold | ItemStatus::SoldPending) {
                return Ok(conflict(ConflictKind::ItemAlreadySold, held_by(&current)));
            }
            next.status = current.status;
        }
        Some(_) | None if matches!(item.status, ItemStatus::Sold | ItemStatus::SoldPending) => {
            // Only a sale the server accepted makes a piece sold.
            next.status = ItemStatus::InStock;
        }
        _ => {}
    }
    super::sqlite::upsert_item(c, ctx.device.tenant.id, &next, ctx.now)?;
    Ok(Outcome::Applied(item.item_id))
}

/// Parks an op with its conflict, visible to the owner and to every till.
fn park(c: &Connection, ctx: &Ctx<'_>, op: &Op, conflict: &Conflict) -> Result<(), StorageError> {
    let state = ConflictState {
        conflict_id: Uuid::now_v7(),
        op_id: op.op_id,
        device_id: ctx.device.device_id,
        device_name: Some(ctx.device.device_name.clone()),
        entity_id: op.entity_id,
        op_kind: op.body.kind().into(),
        conflict: conflict.clone(),
        open: true,
        created_at: ctx.now,
        resolution: None,
    };
    c.prepare_cached(
        "INSERT INTO conflicts (tenant_id, id, op_id, device_id, open, state, op, created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7)",
    )?
    .execute(params![
        ctx.tenant(),
        state.conflict_id.to_string(),
        op.op_id.to_string(),
        ctx.device.device_id.to_string(),
        serde_json::to_string(&state)?,
        serde_json::to_string(op)?,
        ts(ctx.now)
    ])?;
    log_change(
        c,
        ctx.device.tenant.id,
        &Change {
            id: state.conflict_id,
            version: 1,
            op: ChangeOp::Upsert,
            data: ChangeData::Conflict(Box::new(state)),
        },
    )
}

fn save_conflict(c: &Connection, ctx: &Ctx<'_>, state: &ConflictState, op: &Op) -> Result<(), StorageError> {
    let version: u64 = c.query_row(
        "UPDATE conflicts SET open = ?3, state = ?4, op = ?5, version = version + 1 WHERE tenant_id = ?1 AND id = ?2
         RETURNING version",
        params![
            ctx.tenant(),
            state.conflict_id.to_string(),
            state.open,
            serde_json::to_string(state)?,
            serde_json::to_string(op)?
        ],
        |r| r.get(0),
    )?;
    log_change(
        c,
        ctx.device.tenant.id,
        &Change {
            id: state.conflict_id,
            version,
            op: ChangeOp::Upsert,
            data: ChangeData::Conflict(Box::new(state.clone())),
        },
    )
}

/// The owner's decision on a parked op. Any till of the shop may carry it
/// (the owner settles conflicts in the app of whichever till is at hand);
/// who decided is in the payload and goes to the audit log with the till.
fn resolve(c: &Connection, ctx: &mut Ctx<'_>, op: &Op, r: &ResolvePayload) -> Result<OpResult, StorageError> {
    let mut result = OpResult {
        op_id: op.op_id,
        seq: op.seq,
        status: OpStatus::Applied,
        first_status: None,
        server_id: None,
        conflict: None,
    };
    let row: Option<(String, String)> = c
        .prepare_cached("SELECT state, op FROM conflicts WHERE tenant_id = ?1 AND op_id = ?2")?
        .query_row(params![ctx.tenant(), r.conflict_op_id.to_string()], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let reject = |mut result: OpResult, why: String| {
        result.status = OpStatus::Rejected;
        result.conflict = Some(rejected(why));
        Ok(result)
    };
    let Some((state, parked)) = row else {
        return reject(result, format!("no conflict for op {}", r.conflict_op_id));
    };
    let mut state: ConflictState = serde_json::from_str(&state)?;
    let mut parked: Op = serde_json::from_str(&parked)?;
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
    let outcome = match (r.resolution, &parked.body) {
        (Resolution::Accept, OpBody::SaleCreate(sale)) => {
            set_sale_status(c, ctx, sale.sale_id, "accepted")?;
            // The owner accepts the sale as made: claim what is still in stock.
            for line in &sale.lines {
                if let Some(item) = load_item(c, &ctx.tenant(), line.item_id)?
                    && item.status == ItemStatus::InStock
                {
                    set_item_status(c, ctx, &item, ItemStatus::Sold, Some(sale.sale_id))?;
                }
            }
            Outcome::Applied(sale.sale_id)
        }
        (Resolution::Accept, OpBody::CustomerUpsert(cu)) => apply_customer(c, ctx, cu, true)?,
        (Resolution::Accept, _) => Outcome::Applied(parked.entity_id),
        (Resolution::Void, OpBody::SaleCreate(sale)) => {
            set_sale_status(c, ctx, sale.sale_id, "voided")?;
            for line in &sale.lines {
                if let Some(item) = load_item(c, &ctx.tenant(), line.item_id)?
                    && item.sale_id.as_deref() == Some(&sale.sale_id.to_string())
                {
                    set_item_status(c, ctx, &item, ItemStatus::InStock, None)?;
                }
            }
            Outcome::Applied(sale.sale_id)
        }
        (Resolution::Void, _) => Outcome::Applied(parked.entity_id),
        (Resolution::Retry, OpBody::SaleCreate(sale)) => {
            let sale = sale.clone();
            delete_sale(c, ctx, sale.sale_id)?;
            apply_sale(c, ctx, &parked, &sale, Ok(()))?
        }
        (Resolution::Retry, OpBody::CustomerUpsert(cu)) => apply_customer(c, ctx, &cu.clone(), false)?,
        (Resolution::Retry, OpBody::ItemUpsert(item)) => apply_item(c, ctx, &item.clone())?,
        (Resolution::Retry, _) => Outcome::Rejected("this op cannot be retried".into()),
        (Resolution::Resubmit, OpBody::SaleCreate(old)) => {
            let Some(new) = r.replacement.as_deref() else {
                return reject(result, "a resubmit carries the edited sale".into());
            };
            if new.sale_id != old.sale_id {
                return reject(result, "the edited sale must keep the sale's id".into());
            }
            let new = new.clone();
            delete_sale(c, ctx, old.sale_id)?;
            parked.body = OpBody::SaleCreate(Box::new(new.clone()));
            apply_sale(c, ctx, &parked, &new, Ok(()))?
        }
        (Resolution::Resubmit, _) => Outcome::Rejected("only a sale can be resubmitted".into()),
    };
    let actor = format!("{} @ {}", r.resolved_by, ctx.device.device_name);
    let detail = serde_json::json!({
        "resolution": r.resolution,
        "conflict_kind": state.conflict.kind.code(),
        "reason": r.reason,
        "device_id": ctx.device.device_id,
        "resolve_op_id": op.op_id,
        "due_change": r.due_change,
    });
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
            save_conflict(c, ctx, &state, &parked)?;
            audit(
                c,
                ctx.device.tenant.id,
                ctx.now,
                &actor,
                &format!("conflict.{}", r.resolution.code()),
                &r.conflict_op_id.to_string(),
                detail,
            )?;
        }
        Outcome::Conflict(again) => {
            // Still in conflict: the owner sees the new reason and decides again.
            state.conflict = again.clone();
            save_conflict(c, ctx, &state, &parked)?;
            audit(
                c,
                ctx.device.tenant.id,
                ctx.now,
                &actor,
                &format!("conflict.{}.failed", r.resolution.code()),
                &r.conflict_op_id.to_string(),
                detail,
            )?;
            result.status = OpStatus::Conflict;
            result.conflict = Some(again);
        }
        Outcome::Rejected(why) => return reject(result, why),
    }
    Ok(result)
}

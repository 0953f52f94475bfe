//! A push answer applied: each op's result, the states of the pieces it
//! sold, and the conflicts the server parked.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use uuid::Uuid;
use zargar_wire::{
    self as wire, Conflict, ConflictKind, Op, OpBody, OpStatus, PushResponse, Resolution, ResolutionRecord,
    ResolvePayload,
};

use super::conflicts::close_conflict;
use super::pull::apply_deferred;
use super::to_json;
use crate::account::MoveState;
use crate::error::StoreError;
use crate::item::ItemStatus;
use crate::store::accounts::follow_op;
use crate::store::people::forget_refused_person;
use crate::store::{Store, outbox, parse_uuid, ts, u64_sql};

/// What one push response changed on the till.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PushApplied {
    pub applied: u64,
    /// Results the server had already given once (a resend after a lost answer).
    pub duplicates: u64,
    pub conflicts: u64,
    pub rejected: u64,
    pub acked_seq: u64,
    /// Ops still waiting for an answer after this one was applied.
    pub pending_left: u64,
}

/// An outbox row as the op it holds.
pub(in crate::store) fn outbox_row(tx: &Connection, op_id: Uuid) -> Result<Option<Op>, StoreError> {
    let seq: Option<i64> = tx
        .prepare_cached("SELECT seq FROM outbox WHERE op_id = ?1")?
        .query_row([op_id.to_string()], |r| r.get(0))
        .optional()?;
    match seq {
        None => Ok(None),
        Some(seq) => Ok(outbox::ops_in(tx, "seq = ?1", u64_sql(seq)?, 1)?.into_iter().next()),
    }
}

pub(super) fn set_op_state(
    tx: &Transaction<'_>,
    op_id: Uuid,
    state: &str,
    result: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE outbox SET state = ?2, result = ?3, acked_at = ?4 WHERE op_id = ?1")?
        .execute(params![op_id.to_string(), state, result, ts(at)])?;
    Ok(())
}

pub(super) fn unexplained_conflict() -> Conflict {
    Conflict {
        kind: ConflictKind::ValidationFailed,
        message_key: "conflict-validation-failed".into(),
        server_state: wire::ServerState::default(),
        options: vec![Resolution::Void],
    }
}

/// Pieces of a local sale.
pub(super) fn sale_items(tx: &Connection, sale_id: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let mut stmt = tx.prepare_cached("SELECT item_id FROM sale_lines WHERE sale_id = ?1 ORDER BY line_no")?;
    let ids = stmt.query_map([sale_id.to_string()], |r| r.get::<_, String>(0))?;
    ids.map(|id| parse_uuid(&id?)).collect()
}

/// Moves a piece from one status to another, only if it is still in the
/// first. A pulled change held back for the piece is older than the answer
/// that moves it, so it is dropped: the server's newer version of the piece
/// comes with the next pull.
pub(in crate::store) fn move_item(
    tx: &Connection,
    id: Uuid,
    from: ItemStatus,
    to: ItemStatus,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let moved = tx
        .prepare_cached(
            "UPDATE items SET status = ?3, version = version + 1, updated_at = ?4 WHERE id = ?1 AND status = ?2",
        )?
        .execute(params![id.to_string(), from.code(), to.code(), ts(at)])?;
    if moved > 0 {
        tx.prepare_cached("DELETE FROM pull_deferred WHERE entity = 'item' AND id = ?1")?.execute([id.to_string()])?;
    }
    Ok(())
}

/// What an answer acts on, read without the payload of a sale (its pieces
/// are found by its id, the op's entity): parsing every sale's payload again
/// was a tenth of a till's time in applying answers.
struct Answered {
    op_id: Uuid,
    kind: String,
    entity_id: Uuid,
    /// The payload of a resolution, which its answer settles.
    resolve: Option<ResolvePayload>,
}

fn answered(tx: &Connection, op_id: Uuid) -> Result<Option<Answered>, StoreError> {
    let row: Option<(String, String, Option<String>)> = tx
        .prepare_cached("SELECT kind, entity_id, CASE WHEN kind = ?2 THEN payload END FROM outbox WHERE op_id = ?1")?
        .query_row(params![op_id.to_string(), OpBody::CONFLICT_RESOLVE], |r| {
            <(String, String, Option<String>)>::try_from(r)
        })
        .optional()?;
    let Some((kind, entity, payload)) = row else { return Ok(None) };
    let resolve = match payload.map(|p| OpBody::from_parts(&kind, &p)).transpose() {
        Ok(Some(OpBody::ConflictResolve(res))) => Some(res),
        Ok(_) => None,
        Err(e) => return Err(StoreError::Corrupt(format!("outbox op {op_id}: {e}"))),
    };
    Ok(Some(Answered { op_id, kind, entity_id: parse_uuid(&entity)?, resolve }))
}

/// The server took the op: a sale's pieces are now sold for good, and a
/// resolution settles its conflict.
fn on_applied(tx: &Transaction<'_>, op: &Answered, at: DateTime<Utc>) -> Result<(), StoreError> {
    if op.kind == OpBody::SALE_CREATE {
        for id in sale_items(tx, op.entity_id)? {
            move_item(tx, id, ItemStatus::SoldPending, ItemStatus::Sold, at)?;
        }
    }
    if let Some(res) = &op.resolve {
        let record = ResolutionRecord {
            resolution: res.resolution,
            resolved_by: res.resolved_by.clone(),
            resolved_at: at,
            reason: res.reason.clone(),
            op_id: op.op_id,
        };
        close_conflict(tx, res.conflict_op_id, &record)?;
    }
    Ok(())
}

/// A piece another till sold first is sold: say so here at once, so no
/// cashier offers it again while the owner decides.
fn on_conflict(tx: &Transaction<'_>, op: &Answered, conflict: &Conflict, at: DateTime<Utc>) -> Result<(), StoreError> {
    if conflict.kind == ConflictKind::ItemAlreadySold
        && let Some(id) = conflict.server_state.item_id
        && matches!(conflict.server_state.item_status, Some(wire::ItemStatus::Sold) | None)
        && op.kind == OpBody::SALE_CREATE
    {
        move_item(tx, id, ItemStatus::SoldPending, ItemStatus::Sold, at)?;
    }
    Ok(())
}

impl Store {
    /// Applies the server's answer to a push in one transaction: each op's
    /// outcome, the pieces it sold, the conflicts it raised.
    pub fn apply_push(&mut self, response: &PushResponse) -> Result<PushApplied, StoreError> {
        let me = self.device()?.device_id;
        let tx = self.write_tx()?;
        let mut done = PushApplied::default();
        for r in &response.results {
            let Some(op) = answered(&tx, r.op_id)? else {
                // Not an op of ours: nothing to record, and nothing to trust.
                continue;
            };
            if r.status == OpStatus::Duplicate {
                done.duplicates += 1;
            }
            let status = match r.status {
                OpStatus::Duplicate => r.first_status.unwrap_or(OpStatus::Applied),
                s => s,
            };
            let result = to_json(r)?;
            if op.kind == OpBody::SALE_CREATE || op.kind == OpBody::ACCOUNT_MOVE || op.kind == "sale.return" {
                let state = match status {
                    OpStatus::Applied | OpStatus::Duplicate => MoveState::Applied,
                    OpStatus::Conflict => MoveState::Conflict,
                    OpStatus::Rejected => MoveState::Voided,
                };
                follow_op(&tx, r.op_id, state)?;
            }
            match status {
                OpStatus::Applied | OpStatus::Duplicate => {
                    done.applied += 1;
                    set_op_state(&tx, r.op_id, "acked", &result, response.server_time)?;
                    on_applied(&tx, &op, response.server_time)?;
                }
                OpStatus::Conflict => {
                    done.conflicts += 1;
                    let conflict = r.conflict.clone().unwrap_or_else(unexplained_conflict);
                    if let Some(res) = &op.resolve {
                        // The resolution was heard but the op is still in
                        // conflict (a retry that failed again): the owner decides anew.
                        set_op_state(&tx, r.op_id, "acked", &result, response.server_time)?;
                        tx.execute(
                            "UPDATE conflicts SET kind = ?2, conflict = ?3, open = 1, pending_resolution_op = NULL,
                                                  last_refusal = NULL
                             WHERE op_id = ?1",
                            params![res.conflict_op_id.to_string(), conflict.kind.code(), to_json(&conflict)?],
                        )?;
                    } else {
                        set_op_state(&tx, r.op_id, "conflict", &result, response.server_time)?;
                        tx.execute(
                            "INSERT INTO conflicts (op_id, device_id, op_kind, entity_id, kind, conflict, open, created_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7)
                             ON CONFLICT (op_id) DO NOTHING",
                            params![
                                r.op_id.to_string(),
                                me.to_string(),
                                op.kind,
                                op.entity_id.to_string(),
                                conflict.kind.code(),
                                to_json(&conflict)?,
                                ts(response.server_time)
                            ],
                        )?;
                        on_conflict(&tx, &op, &conflict, response.server_time)?;
                    }
                }
                OpStatus::Rejected => {
                    done.rejected += 1;
                    set_op_state(&tx, r.op_id, "rejected", &result, response.server_time)?;
                    if op.kind == OpBody::PERSON_UPSERT {
                        forget_refused_person(&tx, op.entity_id)?;
                    }
                    if let Some(res) = &op.resolve {
                        let why = r
                            .conflict
                            .as_ref()
                            .map(|c| c.server_state.problems.join("; "))
                            .filter(|s| !s.is_empty())
                            .unwrap_or_else(|| "refused".into());
                        tx.execute(
                            "UPDATE conflicts SET pending_resolution_op = NULL, last_refusal = ?2 WHERE op_id = ?1",
                            params![res.conflict_op_id.to_string(), why],
                        )?;
                    }
                }
            }
        }
        done.acked_seq = response.acked_seq;
        tx.execute(
            "UPDATE sync_link SET acked_seq = max(acked_seq, ?1) WHERE singleton = 1",
            [response.acked_seq as i64],
        )?;
        apply_deferred(&tx)?;
        done.pending_left =
            u64_sql(tx.query_row("SELECT count(*) FROM outbox WHERE state = 'pending'", [], |r| r.get(0))?)?;
        tx.commit()?;
        Ok(done)
    }
}

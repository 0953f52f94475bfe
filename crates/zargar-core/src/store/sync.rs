//! The till's side of sync, as store operations. Each is one transaction:
//! a push response applied (results, item states, conflicts), a pull page
//! applied (changes and the new cursor), a resolution queued as an op. The
//! network half lives in `crate::sync`; it never writes SQL.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zargar_wire::{
    self as wire, Base, Change, ChangeData, ChangeOp, Conflict, ConflictKind, ConflictState, CustomerPayload,
    DeviceRole, EnrollResponse, GoldPricePayload, ItemPayload, Op, OpBody, OpStatus, PullResponse, PushResponse,
    Resolution, ResolutionRecord, ResolvePayload, TenantRef, TenantSettings,
};

use super::catalog::item_search_key;
use super::resubmit::{self, SaleEdit};
use super::sales::{load_sale_in, sale_payload_in};
use super::{Store, outbox, parse_ts, parse_uuid, rial_sql, ts, u64_sql};
use crate::error::StoreError;
use crate::item::{ItemStatus, NewItem};
use crate::measure::{Purity, Weight};
use crate::money::Rial;
use crate::persian;
use crate::pricing::WageRate;
use crate::sale::Sale;

/// This till's link to its shop's server, made by enrolment.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SyncLink {
    pub server_url: String,
    /// The till's credential; never printed (see `Debug`), never logged.
    #[serde(skip)]
    pub device_token: String,
    pub tenant: TenantRef,
    pub role: DeviceRole,
    pub enrolled_at: DateTime<Utc>,
    pub pull_cursor: Option<String>,
    pub acked_seq: u64,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<SyncFault>,
    /// Why the engine stopped for good (re-enrol, revoked, update), if it did.
    pub stopped: Option<SyncFault>,
}

impl std::fmt::Debug for SyncLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncLink")
            .field("server_url", &self.server_url)
            .field("device_token", &"<redacted>")
            .field("tenant", &self.tenant)
            .field("role", &self.role)
            .field("pull_cursor", &self.pull_cursor)
            .field("acked_seq", &self.acked_seq)
            .field("last_success", &self.last_success)
            .field("last_error", &self.last_error)
            .field("stopped", &self.stopped)
            .finish_non_exhaustive()
    }
}

/// A sync failure as remembered by the till: a stable code (`SyncError::code`)
/// and a detail for support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncFault {
    pub code: String,
    pub detail: String,
    pub at: DateTime<Utc>,
}

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

/// What one pull page changed on the till.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PullApplied {
    pub changes: u64,
    /// Changes held back because the row has an unanswered local op.
    pub deferred: u64,
}

/// A conflict as the till shows it: the server's side, and for this till's
/// own sales the sale as the cashier made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TillConflict {
    pub op_id: Uuid,
    pub conflict_id: Option<Uuid>,
    pub device_id: Uuid,
    pub device_name: Option<String>,
    /// Made on this till (only then can the sale be edited and resubmitted).
    pub mine: bool,
    pub op_kind: String,
    pub entity_id: Uuid,
    pub conflict: Conflict,
    pub open: bool,
    pub created_at: DateTime<Utc>,
    pub resolution: Option<ResolutionRecord>,
    /// The resolution op queued here and not yet answered.
    pub pending_resolution: Option<Uuid>,
    /// Why the server refused this till's last resolution, if it did.
    pub last_refusal: Option<String>,
    pub local_sale: Option<Sale>,
}

/// The owner's decision on a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveRequest {
    pub op_id: Uuid,
    pub resolution: Resolution,
    /// Who decided: the owner's name, kept with the decision and audited.
    pub resolved_by: String,
    pub reason: Option<String>,
    /// For `resubmit`: the edited sale.
    pub edit: Option<SaleEdit>,
}

/// A resolution written to the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolutionQueued {
    pub op_id: Uuid,
    pub seq: u64,
    /// The edited sale, for a resubmit.
    pub sale: Option<Sale>,
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn to_json<T: Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| corrupt(format!("json: {e}")))
}

fn from_json<T: for<'de> Deserialize<'de>>(s: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| corrupt(format!("{what}: {e}")))
}

fn role_code(r: DeviceRole) -> &'static str {
    match r {
        DeviceRole::Till => "till",
        DeviceRole::Owner => "owner",
    }
}

impl Store {
    /// Links this till to a shop after the server accepted its enrolment
    /// code. Re-enrolling (a new token after a 401) keeps the cursor; moving
    /// to another shop is refused while anything is unsent.
    pub fn link_server(
        &mut self,
        server_url: &str,
        enrolled: &EnrollResponse,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let device = self.device()?.device_id;
        if enrolled.device_id != device {
            return Err(corrupt(format!("enrolled as {} but this till is {device}", enrolled.device_id)));
        }
        let tx = self.write_tx()?;
        let old: Option<String> =
            tx.query_row("SELECT tenant_id FROM sync_link WHERE singleton = 1", [], |r| r.get(0)).optional()?;
        let same_shop = old.as_deref() == Some(enrolled.tenant.id.to_string().as_str());
        if old.is_some() && !same_shop {
            let unsent: i64 = tx.query_row("SELECT count(*) FROM outbox WHERE state = 'pending'", [], |r| r.get(0))?;
            if unsent > 0 {
                return Err(StoreError::OtherShop { unsent: u64_sql(unsent)? });
            }
        }
        tx.execute(
            "INSERT INTO sync_link (singleton, server_url, device_token, tenant_id, tenant_name, role, enrolled_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (singleton) DO UPDATE SET
                server_url = excluded.server_url, device_token = excluded.device_token,
                tenant_id = excluded.tenant_id, tenant_name = excluded.tenant_name, role = excluded.role,
                enrolled_at = excluded.enrolled_at, last_error = NULL, stopped = NULL,
                pull_cursor = CASE WHEN ?7 THEN pull_cursor END",
            params![
                server_url.trim_end_matches('/'),
                enrolled.device_token,
                enrolled.tenant.id.to_string(),
                enrolled.tenant.name,
                role_code(enrolled.role),
                ts(now),
                same_shop
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn sync_link(&self) -> Result<Option<SyncLink>, StoreError> {
        self.conn
            .query_row(
                "SELECT server_url, device_token, tenant_id, tenant_name, role, enrolled_at, pull_cursor, acked_seq,
                        last_success, last_error, stopped
                 FROM sync_link WHERE singleton = 1",
                [],
                |r| {
                    Ok((
                        (
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                        ),
                        (r.get::<_, String>(4)?, r.get::<_, String>(5)?, r.get::<_, Option<String>>(6)?),
                        (r.get::<_, i64>(7)?, r.get::<_, Option<String>>(8)?),
                        (r.get::<_, Option<String>>(9)?, r.get::<_, Option<String>>(10)?),
                    ))
                },
            )
            .optional()?
            .map(|((url, token, tid, tname), (role, at, cursor), (acked, ok), (err, stopped))| {
                Ok(SyncLink {
                    server_url: url,
                    device_token: token,
                    tenant: TenantRef { id: parse_uuid(&tid)?, name: tname },
                    role: if role == "owner" { DeviceRole::Owner } else { DeviceRole::Till },
                    enrolled_at: parse_ts(&at)?,
                    pull_cursor: cursor,
                    acked_seq: u64_sql(acked)?,
                    last_success: ok.as_deref().map(parse_ts).transpose()?,
                    last_error: err.as_deref().map(|s| from_json(s, "last error")).transpose()?,
                    stopped: stopped.as_deref().map(|s| from_json(s, "stop")).transpose()?,
                })
            })
            .transpose()
    }

    /// Up to `limit` ops to push, in seq order: the unanswered ones, or
    /// (after the server asked to resend from `from`) every op from there on.
    pub fn ops_to_push(&self, from: Option<u64>, limit: u32) -> Result<Vec<Op>, StoreError> {
        match from {
            None => self.pending_ops(0, limit),
            Some(seq) => self.ops_from(seq, limit),
        }
    }

    /// The first seq still waiting for an answer, if any.
    pub fn first_pending_seq(&self) -> Result<Option<u64>, StoreError> {
        let v: Option<i64> =
            self.conn.query_row("SELECT min(seq) FROM outbox WHERE state = 'pending'", [], |r| r.get(0))?;
        v.map(u64_sql).transpose()
    }

    /// Remembers a finished round, or why one failed; `stop` marks a failure
    /// that retrying cannot fix (the engine waits for a person).
    pub fn note_sync(&mut self, outcome: Result<DateTime<Utc>, (SyncFault, bool)>) -> Result<(), StoreError> {
        match outcome {
            Ok(at) => self.conn.execute(
                "UPDATE sync_link SET last_success = ?1, last_error = NULL, stopped = NULL WHERE singleton = 1",
                [ts(at)],
            )?,
            Err((fault, stop)) => self.conn.execute(
                "UPDATE sync_link SET last_error = ?1, stopped = CASE WHEN ?2 THEN ?1 ELSE stopped END WHERE singleton = 1",
                params![to_json(&fault)?, stop],
            )?,
        };
        Ok(())
    }

    /// Forgets the pull position: the next pull starts from the beginning
    /// (the server answered 410, its history no longer reaches our cursor).
    pub fn reset_pull(&mut self) -> Result<(), StoreError> {
        self.conn.execute("UPDATE sync_link SET pull_cursor = NULL WHERE singleton = 1", [])?;
        Ok(())
    }

    /// Applies the server's answer to a push in one transaction: each op's
    /// outcome, the pieces it sold, the conflicts it raised.
    pub fn apply_push(&mut self, response: &PushResponse) -> Result<PushApplied, StoreError> {
        let me = self.device()?.device_id;
        let tx = self.write_tx()?;
        let mut done = PushApplied::default();
        for r in &response.results {
            let Some(op) = outbox_row(&tx, r.op_id)? else {
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
            match status {
                OpStatus::Applied | OpStatus::Duplicate => {
                    done.applied += 1;
                    set_op_state(&tx, r.op_id, "acked", &result, response.server_time)?;
                    on_applied(&tx, &op, response.server_time)?;
                }
                OpStatus::Conflict => {
                    done.conflicts += 1;
                    let conflict = r.conflict.clone().unwrap_or_else(unexplained_conflict);
                    if let OpBody::ConflictResolve(res) = &op.body {
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
                                op.body.kind(),
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
                    if let OpBody::ConflictResolve(res) = &op.body {
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

    /// Applies one pull page and moves the cursor, in one transaction.
    /// A row with an unanswered local op is not overwritten: its change is
    /// held back and applied once the op is answered.
    pub fn apply_pull(&mut self, page: &PullResponse) -> Result<PullApplied, StoreError> {
        let me = self.device()?.device_id;
        let tx = self.write_tx()?;
        let mut done = PullApplied::default();
        for change in &page.changes {
            done.changes += 1;
            if !apply_change(&tx, me, change)? {
                defer(&tx, change)?;
                done.deferred += 1;
            }
        }
        tx.execute("UPDATE sync_link SET pull_cursor = ?1 WHERE singleton = 1", [&page.next_cursor])?;
        apply_deferred(&tx)?;
        tx.commit()?;
        Ok(done)
    }

    /// Conflicts of the whole shop, newest first; only open ones unless `all`.
    pub fn conflicts(&self, all: bool) -> Result<Vec<TillConflict>, StoreError> {
        let me = self.device()?.device_id;
        let mut stmt = self.conn.prepare_cached(
            "SELECT op_id, conflict_id, device_id, device_name, op_kind, entity_id, conflict, open, created_at,
                    resolution, pending_resolution_op, last_refusal
             FROM conflicts WHERE open = 1 OR ?1 ORDER BY created_at DESC, op_id",
        )?;
        let rows = stmt.query_map([all], |r| {
            Ok((
                (r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, String>(2)?),
                (r.get::<_, Option<String>>(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?),
                (r.get::<_, String>(6)?, r.get::<_, bool>(7)?, r.get::<_, String>(8)?),
                (r.get::<_, Option<String>>(9)?, r.get::<_, Option<String>>(10)?, r.get::<_, Option<String>>(11)?),
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let ((op_id, cid, dev), (dname, kind, entity), (conflict, open, at), (res, pending, refusal)) = row?;
            let device_id = parse_uuid(&dev)?;
            let entity_id = parse_uuid(&entity)?;
            let mine = device_id == me;
            let local_sale =
                if mine && kind == "sale.create" { load_sale_in(&self.conn, entity_id).ok() } else { None };
            out.push(TillConflict {
                op_id: parse_uuid(&op_id)?,
                conflict_id: cid.as_deref().map(parse_uuid).transpose()?,
                device_id,
                device_name: dname,
                mine,
                op_kind: kind,
                entity_id,
                conflict: from_json(&conflict, "conflict")?,
                open,
                created_at: parse_ts(&at)?,
                resolution: res.as_deref().map(|s| from_json(s, "resolution")).transpose()?,
                pending_resolution: pending.as_deref().map(parse_uuid).transpose()?,
                last_refusal: refusal,
                local_sale,
            });
        }
        Ok(out)
    }

    /// Queues the owner's decision as a `conflict.resolve` op. A resubmit
    /// edits the sale here at once (same sale, same invoice number, the new
    /// pieces held for it), so the invoice can be reprinted while the
    /// server is asked.
    pub fn resolve_conflict(
        &mut self,
        req: &ResolveRequest,
        now: DateTime<Utc>,
    ) -> Result<ResolutionQueued, StoreError> {
        let me = self.device()?.device_id;
        let resolved_by = req.resolved_by.trim();
        if resolved_by.is_empty() || resolved_by.chars().count() > 100 {
            return Err(StoreError::ResolverRequired);
        }
        let reason = req.reason.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        if req.resolution == Resolution::Accept && reason.is_none() {
            return Err(StoreError::ReasonRequired);
        }
        let tx = self.write_tx()?;
        let row: Option<(String, String, String, bool, Option<String>)> = tx
            .query_row(
                "SELECT device_id, op_kind, conflict, open, pending_resolution_op FROM conflicts WHERE op_id = ?1",
                [req.op_id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((device, op_kind, conflict, open, pending)) = row else {
            return Err(StoreError::ConflictNotFound(req.op_id.to_string()));
        };
        let conflict: Conflict = from_json(&conflict, "conflict")?;
        if !open {
            return Err(StoreError::ConflictClosed);
        }
        if pending.is_some() {
            return Err(StoreError::ResolutionPending);
        }
        if !conflict.options.contains(&req.resolution) {
            return Err(StoreError::NotAnOption { resolution: req.resolution.code(), kind: conflict.kind.code() });
        }
        let mut replacement = None;
        let mut edited = None;
        let mut due_change = None;
        if req.resolution == Resolution::Resubmit {
            if parse_uuid(&device)? != me || op_kind != "sale.create" {
                return Err(StoreError::ResubmitElsewhere);
            }
            let op =
                outbox_row(&tx, req.op_id)?.ok_or_else(|| corrupt(format!("conflict op {} missing", req.op_id)))?;
            let edit = req.edit.clone().unwrap_or_default();
            let sale = resubmit::edit_sale(&tx, op.entity_id, &edit, now)?;
            due_change = edit.due_change;
            replacement = Some(Box::new(sale_payload_in(&tx, &sale)?));
            edited = Some(sale);
        }
        let op_id = Uuid::now_v7();
        let body = OpBody::ConflictResolve(ResolvePayload {
            conflict_op_id: req.op_id,
            resolution: req.resolution,
            resolved_by: resolved_by.to_owned(),
            reason,
            replacement,
            due_change,
        });
        let seq = outbox::enqueue(&tx, op_id, now, req.op_id, &Base::default(), &body)?;
        tx.execute(
            "UPDATE conflicts SET pending_resolution_op = ?2, last_refusal = NULL WHERE op_id = ?1",
            params![req.op_id.to_string(), op_id.to_string()],
        )?;
        tx.commit()?;
        Ok(ResolutionQueued { op_id, seq, sale: edited })
    }
}

/// An outbox row as the op it holds.
pub(super) fn outbox_row(tx: &Connection, op_id: Uuid) -> Result<Option<Op>, StoreError> {
    let seq: Option<i64> = tx
        .prepare_cached("SELECT seq FROM outbox WHERE op_id = ?1")?
        .query_row([op_id.to_string()], |r| r.get(0))
        .optional()?;
    match seq {
        None => Ok(None),
        Some(seq) => Ok(outbox::ops_in(tx, "seq = ?1", u64_sql(seq)?, 1)?.into_iter().next()),
    }
}

fn set_op_state(
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

fn unexplained_conflict() -> Conflict {
    Conflict {
        kind: ConflictKind::ValidationFailed,
        message_key: "conflict-validation-failed".into(),
        server_state: wire::ServerState::default(),
        options: vec![Resolution::Void],
    }
}

/// Pieces of a local sale.
fn sale_items(tx: &Connection, sale_id: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let mut stmt = tx.prepare_cached("SELECT item_id FROM sale_lines WHERE sale_id = ?1 ORDER BY line_no")?;
    let ids = stmt.query_map([sale_id.to_string()], |r| r.get::<_, String>(0))?;
    ids.map(|id| parse_uuid(&id?)).collect()
}

/// Moves a piece from one status to another, only if it is still in the
/// first. A pulled change held back for the piece is older than the answer
/// that moves it, so it is dropped: the server's newer version of the piece
/// comes with the next pull.
pub(super) fn move_item(
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

/// The server took the op: a sale's pieces are now sold for good, and a
/// resolution settles its conflict.
fn on_applied(tx: &Transaction<'_>, op: &Op, at: DateTime<Utc>) -> Result<(), StoreError> {
    match &op.body {
        OpBody::SaleCreate(sale) => {
            for id in sale_items(tx, sale.sale_id)? {
                move_item(tx, id, ItemStatus::SoldPending, ItemStatus::Sold, at)?;
            }
        }
        OpBody::ConflictResolve(res) => {
            let record = ResolutionRecord {
                resolution: res.resolution,
                resolved_by: res.resolved_by.clone(),
                resolved_at: at,
                reason: res.reason.clone(),
                op_id: op.op_id,
            };
            close_conflict(tx, res.conflict_op_id, &record)?;
        }
        _ => {}
    }
    Ok(())
}

/// A conflict is settled: record how, and carry the decision into this
/// till's own copy of the op (its sale voided or accepted, its pieces).
fn close_conflict(tx: &Transaction<'_>, op_id: Uuid, record: &ResolutionRecord) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE conflicts SET open = 0, resolution = ?2, pending_resolution_op = NULL, last_refusal = NULL
         WHERE op_id = ?1",
        params![op_id.to_string(), to_json(record)?],
    )?;
    let Some(op) = outbox_row(tx, op_id)? else { return Ok(()) };
    let state: String = tx.query_row("SELECT state FROM outbox WHERE op_id = ?1", [op_id.to_string()], |r| r.get(0))?;
    if state != "conflict" {
        return Ok(());
    }
    let void = record.resolution == Resolution::Void;
    tx.execute(
        "UPDATE outbox SET state = ?2 WHERE op_id = ?1",
        params![op_id.to_string(), if void { "voided" } else { "acked" }],
    )?;
    if let OpBody::SaleCreate(sale) = &op.body {
        let to = if void { ItemStatus::InStock } else { ItemStatus::Sold };
        for id in sale_items(tx, sale.sale_id)? {
            move_item(tx, id, ItemStatus::SoldPending, to, record.resolved_at)?;
        }
    }
    Ok(())
}

/// A piece another till sold first is sold: say so here at once, so no
/// cashier offers it again while the owner decides.
fn on_conflict(tx: &Transaction<'_>, op: &Op, conflict: &Conflict, at: DateTime<Utc>) -> Result<(), StoreError> {
    if conflict.kind == ConflictKind::ItemAlreadySold
        && let Some(id) = conflict.server_state.item_id
        && matches!(conflict.server_state.item_status, Some(wire::ItemStatus::Sold) | None)
        && matches!(op.body, OpBody::SaleCreate(_))
    {
        move_item(tx, id, ItemStatus::SoldPending, ItemStatus::Sold, at)?;
    }
    Ok(())
}

/// True when the row has a local change the server has not answered: a
/// piece this till sold (or holds for a conflicted sale), or a pending
/// upsert of the row itself.
fn blocked(tx: &Connection, entity: &str, id: Uuid) -> Result<bool, StoreError> {
    let pending_op: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM outbox WHERE entity_id = ?1 AND state = 'pending')")?
        .query_row([id.to_string()], |r| r.get(0))?;
    if pending_op {
        return Ok(true);
    }
    if entity == "item" {
        let held: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM items WHERE id = ?1 AND status = 'sold_pending')")?
            .query_row([id.to_string()], |r| r.get(0))?;
        return Ok(held);
    }
    Ok(false)
}

fn entity_of(data: &ChangeData) -> &'static str {
    match data {
        ChangeData::Item(_) => "item",
        ChangeData::GoldPrice(_) => "gold_price",
        ChangeData::Customer(_) => "customer",
        ChangeData::Settings(_) => "settings",
        ChangeData::Conflict(_) => "conflict",
    }
}

fn defer(tx: &Transaction<'_>, change: &Change) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO pull_deferred (entity, id, version, data) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (entity, id) DO UPDATE SET version = excluded.version, data = excluded.data
         WHERE excluded.version >= pull_deferred.version",
    )?
    .execute(params![entity_of(&change.data), change.id.to_string(), change.version as i64, to_json(change)?])?;
    Ok(())
}

/// Retries held-back changes whose rows are free now.
fn apply_deferred(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let me = parse_uuid(&tx.query_row("SELECT device_id FROM device", [], |r| r.get::<_, String>(0))?)?;
    let waiting: Vec<(String, String, String)> = {
        let mut stmt = tx.prepare_cached("SELECT entity, id, data FROM pull_deferred")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (entity, id, data) in waiting {
        let change: Change = from_json(&data, "deferred change")?;
        if apply_change(tx, me, &change)? {
            tx.execute("DELETE FROM pull_deferred WHERE entity = ?1 AND id = ?2", params![entity, id])?;
        }
    }
    Ok(())
}

/// Applies one pulled change; false when it must wait.
fn apply_change(tx: &Transaction<'_>, me: Uuid, change: &Change) -> Result<bool, StoreError> {
    match &change.data {
        ChangeData::Item(item) => {
            if blocked(tx, "item", change.id)? {
                return Ok(false);
            }
            upsert_item(tx, change.version, change.op, item)
        }
        ChangeData::Customer(c) => {
            if blocked(tx, "customer", change.id)? {
                return Ok(false);
            }
            upsert_customer(tx, change.version, c)
        }
        ChangeData::GoldPrice(p) => {
            insert_price(tx, p)?;
            Ok(true)
        }
        ChangeData::Settings(s) => {
            save_settings(tx, s)?;
            Ok(true)
        }
        ChangeData::Conflict(state) => {
            upsert_conflict(tx, me, state)?;
            Ok(true)
        }
    }
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation)
}

fn upsert_item(tx: &Transaction<'_>, version: u64, op: ChangeOp, p: &ItemPayload) -> Result<bool, StoreError> {
    let bad = |what: &str| corrupt(format!("pulled item {}: {what}", p.tag));
    let known: Option<i64> = tx
        .prepare_cached("SELECT server_version FROM items WHERE id = ?1")?
        .query_row([p.item_id.to_string()], |r| r.get(0))
        .optional()?;
    if known.is_some_and(|v| v >= version as i64) {
        return Ok(true);
    }
    // The server does not delete pieces it has sold; a removed piece leaves
    // the shelf here as "in repair" would, by status, so old invoices keep it.
    let status = match (op, p.status) {
        (ChangeOp::Delete, _) => ItemStatus::Repair,
        (_, wire::ItemStatus::InStock) => ItemStatus::InStock,
        (_, wire::ItemStatus::Sold | wire::ItemStatus::SoldPending) => ItemStatus::Sold,
        (_, wire::ItemStatus::Reserved) => ItemStatus::Reserved,
        (_, wire::ItemStatus::Repair) => ItemStatus::Repair,
        (_, wire::ItemStatus::Returned) => ItemStatus::Returned,
    };
    let new = NewItem {
        tag: p.tag.clone(),
        barcode: p.barcode.clone(),
        name: p.name.clone(),
        category: p.category.clone(),
        weight: Weight::grams(p.weight).ok_or_else(|| bad("weight"))?,
        purity: Purity::per_mille(p.purity).ok_or_else(|| bad("purity"))?,
        wage: WageRate::from_wire(p.wage_rate).ok_or_else(|| bad("wage"))?,
        stones: Rial::whole(p.stones).ok_or_else(|| bad("stones"))?,
    };
    let now = Utc::now();
    let written = tx
        .prepare_cached(
            "INSERT INTO items (id, tag, barcode, name, category, weight_mg, purity, wage_kind, wage_value,
                                stones, status, version, search_key, updated_at, server_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12, ?13, ?14)
             ON CONFLICT (id) DO UPDATE SET
                tag = excluded.tag, barcode = excluded.barcode, name = excluded.name, category = excluded.category,
                weight_mg = excluded.weight_mg, purity = excluded.purity, wage_kind = excluded.wage_kind,
                wage_value = excluded.wage_value, stones = excluded.stones, status = excluded.status,
                version = items.version + 1, search_key = excluded.search_key, updated_at = excluded.updated_at,
                server_version = excluded.server_version",
        )?
        .execute(params![
            p.item_id.to_string(),
            new.tag,
            new.barcode,
            new.name,
            new.category,
            new.weight.milligrams(),
            new.purity.to_string(),
            new.wage.kind(),
            new.wage.value().to_string(),
            rial_sql(new.stones)?,
            status.code(),
            item_search_key(&new),
            ts(now),
            version as i64
        ]);
    match written {
        Ok(_) => Ok(true),
        // Another local piece holds the tag or barcode (tagged here, its
        // conflict not settled yet): wait rather than lose either.
        Err(e) if is_constraint(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

fn upsert_customer(tx: &Transaction<'_>, version: u64, c: &CustomerPayload) -> Result<bool, StoreError> {
    let known: Option<i64> = tx
        .prepare_cached("SELECT server_version FROM customers WHERE id = ?1")?
        .query_row([c.customer_id.to_string()], |r| r.get(0))
        .optional()?;
    if known.is_some_and(|v| v >= version as i64) {
        return Ok(true);
    }
    let key = persian::search_key(&format!(
        "{} {} {}",
        c.name,
        c.mobile.as_deref().unwrap_or(""),
        c.national_id.as_deref().unwrap_or("")
    ));
    let written = tx
        .prepare_cached(
            "INSERT INTO customers (id, name, mobile, national_id, search_key, created_at, server_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, mobile = excluded.mobile,
                national_id = excluded.national_id, search_key = excluded.search_key,
                version = customers.version + 1, server_version = excluded.server_version",
        )?
        .execute(params![
            c.customer_id.to_string(),
            c.name,
            c.mobile,
            c.national_id,
            key,
            ts(Utc::now()),
            version as i64
        ]);
    match written {
        Ok(_) => Ok(true),
        Err(e) if is_constraint(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

fn insert_price(tx: &Transaction<'_>, p: &GoldPricePayload) -> Result<(), StoreError> {
    let per_gram = Rial::whole(p.per_gram_18k).ok_or_else(|| corrupt("pulled gold price"))?;
    let mazaneh = p.mazaneh.map(|m| Rial::whole(m).ok_or_else(|| corrupt("pulled mesghal quote"))).transpose()?;
    // A price this till entered comes back with its own id: kept as it is.
    tx.prepare_cached(
        "INSERT INTO gold_prices (id, per_gram_18k, mazaneh, set_at, origin, scope, set_by)
         VALUES (?1, ?2, ?3, ?4, 'server', ?5, ?6)
         ON CONFLICT (id) DO NOTHING",
    )?
    .execute(params![
        p.price_id.to_string(),
        rial_sql(per_gram)?,
        mazaneh.map(rial_sql).transpose()?,
        ts(p.set_at),
        p.scope.code(),
        p.set_by,
    ])?;
    Ok(())
}

/// The shop's policy from the server replaces the till's copy.
fn save_settings(tx: &Transaction<'_>, s: &TenantSettings) -> Result<(), StoreError> {
    let pairs = [
        ("profit_percent", s.profit_percent.normalize().to_string()),
        ("trade_in_deduction_percent", s.trade_in_deduction_percent.normalize().to_string()),
        ("price_tolerance_percent", s.price_tolerance_percent.normalize().to_string()),
        ("max_offline_hours", s.max_offline_hours.to_string()),
        ("max_offline_sale", s.max_offline_sale.normalize().to_string()),
        ("max_unsynced_total", s.max_unsynced_total.normalize().to_string()),
    ];
    for (key, value) in pairs {
        tx.prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![key, value])?;
    }
    if !s.vat.is_empty() {
        tx.execute("DELETE FROM vat_rates", [])?;
        for rate in &s.vat {
            tx.prepare_cached("INSERT INTO vat_rates (effective_from, percent) VALUES (?1, ?2)")?
                .execute(params![rate.from.format("%Y-%m-%d").to_string(), rate.percent.normalize().to_string()])?;
        }
    }
    Ok(())
}

fn upsert_conflict(tx: &Transaction<'_>, me: Uuid, state: &ConflictState) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO conflicts (op_id, conflict_id, device_id, device_name, op_kind, entity_id, kind, conflict, open,
                                created_at, resolution)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (op_id) DO UPDATE SET conflict_id = excluded.conflict_id, device_name = excluded.device_name,
            kind = excluded.kind, conflict = excluded.conflict, open = excluded.open,
            resolution = coalesce(excluded.resolution, conflicts.resolution),
            pending_resolution_op = CASE WHEN excluded.open THEN conflicts.pending_resolution_op END",
    )?
    .execute(params![
        state.op_id.to_string(),
        state.conflict_id.to_string(),
        state.device_id.to_string(),
        state.device_name,
        state.op_kind,
        state.entity_id.to_string(),
        state.conflict.kind.code(),
        to_json(&state.conflict)?,
        state.open,
        ts(state.created_at),
        state.resolution.as_ref().map(to_json).transpose()?
    ])?;
    // Settled at another till: carry the decision into this till's copy.
    if state.device_id == me
        && !state.open
        && let Some(record) = &state.resolution
    {
        close_conflict(tx, state.op_id, record)?;
    }
    Ok(())
}

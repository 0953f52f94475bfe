//! Conflicts as the owner sees them on this till, and a resolution queued
//! as an op.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use uuid::Uuid;
use zargar_wire::{Base, Conflict, OpBody, Resolution, ResolutionRecord, ResolvePayload};

use super::push::{move_item, outbox_row, sale_items};
use super::{corrupt, from_json, to_json};
use crate::error::StoreError;
use crate::item::ItemStatus;
use crate::sale::Sale;
use crate::store::resubmit::{self, SaleEdit};
use crate::store::sale_rows::{load_sale_in, sale_payload_in};
use crate::store::{Store, outbox, parse_ts, parse_uuid};
use zargar_rules::roles::Act;

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

/// A conflict is settled: record how, and carry the decision into this
/// till's own copy of the op (its sale voided or accepted, its pieces).
pub(super) fn close_conflict(tx: &Transaction<'_>, op_id: Uuid, record: &ResolutionRecord) -> Result<(), StoreError> {
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

impl Store {
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
        self.require(Act::Conflicts)?;
        let by = self.acting();
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
        let seq = outbox::enqueue(&tx, op_id, now, req.op_id, &Base::default(), by.as_ref(), &body)?;
        tx.execute(
            "UPDATE conflicts SET pending_resolution_op = ?2, last_refusal = NULL WHERE op_id = ?1",
            params![req.op_id.to_string(), op_id.to_string()],
        )?;
        tx.commit()?;
        Ok(ResolutionQueued { op_id, seq, sale: edited })
    }
}

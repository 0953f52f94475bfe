//! The outbox: every op the server must learn of, written in the same
//! transaction as the change it describes, with a gapless per-till `seq`.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use uuid::Uuid;
use zargar_wire::{Base, Op, OpBody, PersonRef};

use super::{Store, next_counter, parse_ts, parse_uuid, ts, u64_sql};
use crate::error::StoreError;
use crate::gold_price::GoldPrice;

/// Appends an op; returns its seq. Must run inside the transaction that makes
/// the change, so the two commit or vanish together.
pub(super) fn enqueue(
    tx: &Transaction<'_>,
    op_id: Uuid,
    device_time: DateTime<Utc>,
    entity_id: Uuid,
    base: &Base,
    by: Option<&PersonRef>,
    body: &OpBody,
) -> Result<u64, StoreError> {
    let seq = next_counter(tx, "outbox_seq")?;
    let corrupt = |what: &str, e: serde_json::Error| StoreError::Corrupt(format!("op {what}: {e}"));
    let payload = body.payload_json().map_err(|e| corrupt("payload", e))?;
    let base = serde_json::to_string(base).map_err(|e| corrupt("base", e))?;
    let by = by.map(serde_json::to_string).transpose().map_err(|e| corrupt("by", e))?;
    tx.prepare_cached(
        "INSERT INTO outbox (seq, op_id, kind, entity_id, device_time, base, by, payload)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        seq as i64,
        op_id.to_string(),
        body.kind(),
        entity_id.to_string(),
        ts(device_time),
        base,
        by,
        payload
    ])?;
    Ok(seq)
}

/// An op waiting for the server, as it will be pushed.
pub type PendingOp = Op;

/// What `zargar status` and the app's status bar show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TillStatus {
    pub device_id: Uuid,
    pub device_name: String,
    /// Ops not yet acknowledged by the server.
    pub pending: u64,
    pub pending_sales: u64,
    pub oldest_pending_sale_at: Option<DateTime<Utc>>,
    pub oldest_pending_sale_age_seconds: Option<i64>,
    /// Open conflicts of the shop (this till's and other tills'), waiting for the owner.
    pub conflicts: u64,
    /// Ops the server refused outright (shown to support; never resent).
    pub rejected: u64,
    /// The shop this till syncs with and the last round that succeeded.
    pub shop: Option<String>,
    pub last_sync: Option<DateTime<Utc>>,
    /// The last seq this till handed out.
    pub last_seq: u64,
    /// Acknowledged ops kept whole, for a server restored from a backup to
    /// ask for again; `zargar cleanup` removes those past the retention.
    pub acked_kept: u64,
    pub last_cleanup: Option<DateTime<Utc>>,
    pub sales: u64,
    pub journal_entries: u64,
    pub gold_price: Option<GoldPrice>,
    pub gold_price_age_seconds: Option<i64>,
    pub gold_price_stale: bool,
}

/// Outbox rows matching `filter` (SQL over the outbox's columns with one
/// parameter `?1`), rebuilt as wire ops, in seq order.
pub(super) fn ops_in(conn: &Connection, filter: &str, param: u64, limit: u32) -> Result<Vec<Op>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT seq, op_id, kind, entity_id, device_time, base, payload, by FROM outbox
         WHERE {filter} ORDER BY seq LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![param as i64, limit], |r| {
        <(i64, String, String, String, String, String, String, Option<String>)>::try_from(r)
    })?;
    let mut ops = Vec::new();
    for row in rows {
        let (seq, op_id, kind, entity, at, base, payload, by) = row?;
        if payload.is_empty() {
            return Err(StoreError::Corrupt(format!(
                "outbox seq {seq} was cleaned up after the shop's retention, and the server asks for it again \
                 (it was restored from an older backup): this till cannot send it"
            )));
        }
        let corrupt = |what: &str, e: serde_json::Error| StoreError::Corrupt(format!("outbox seq {seq} {what}: {e}"));
        // Read straight into the kind's type: a JSON tree in between was a
        // third of a till's time in sync_load.
        let body = OpBody::from_parts(&kind, &payload).map_err(|e| corrupt("body", e))?;
        ops.push(Op {
            op_id: parse_uuid(&op_id)?,
            seq: u64_sql(seq)?,
            entity_id: parse_uuid(&entity)?,
            device_time: parse_ts(&at)?,
            base: serde_json::from_str(&base).map_err(|e| corrupt("base", e))?,
            by: by.as_deref().map(serde_json::from_str).transpose().map_err(|e| corrupt("by", e))?,
            body,
        });
    }
    Ok(ops)
}

impl Store {
    /// Pending ops in seq order, at most `limit`, from `after_seq` on.
    pub fn pending_ops(&self, after_seq: u64, limit: u32) -> Result<Vec<PendingOp>, StoreError> {
        ops_in(&self.conn, "state = 'pending' AND seq > ?1", after_seq, limit)
    }

    /// Every op from `seq` on, answered or not: what the server asks for
    /// when it lost ops it had acknowledged (a restore from backup).
    pub fn ops_from(&self, seq: u64, limit: u32) -> Result<Vec<PendingOp>, StoreError> {
        ops_in(&self.conn, "seq >= ?1", seq, limit)
    }

    pub fn status(&self, now: DateTime<Utc>) -> Result<TillStatus, StoreError> {
        let device = self.device()?.clone();
        let count = |sql: &str| -> Result<u64, StoreError> { u64_sql(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let oldest: Option<String> = self
            .conn
            .query_row(
                "SELECT min(device_time) FROM outbox WHERE state = 'pending' AND kind = 'sale.create'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let oldest = oldest.map(|s| parse_ts(&s)).transpose()?;
        let gold_price = self.current_gold_price()?;
        let settings = self.settings()?;
        let link = self.sync_link()?;
        let price_age = gold_price.as_ref().map(|p| (now - p.set_at).num_seconds());
        Ok(TillStatus {
            device_id: device.device_id,
            device_name: device.name,
            pending: count("SELECT count(*) FROM outbox WHERE state = 'pending'")?,
            pending_sales: count("SELECT count(*) FROM outbox WHERE state = 'pending' AND kind = 'sale.create'")?,
            oldest_pending_sale_at: oldest,
            oldest_pending_sale_age_seconds: oldest.map(|t| (now - t).num_seconds()),
            conflicts: count("SELECT count(*) FROM conflicts WHERE open = 1")?,
            rejected: count("SELECT count(*) FROM outbox WHERE state = 'rejected'")?,
            shop: link.as_ref().map(|l| l.tenant.name.clone()),
            last_sync: link.and_then(|l| l.last_success),
            last_seq: count("SELECT value FROM counters WHERE name = 'outbox_seq'")?,
            acked_kept: count("SELECT count(*) FROM outbox WHERE state = 'acked' AND payload <> ''")?,
            last_cleanup: self.last_cleanup()?,
            sales: count("SELECT count(*) FROM sales")?,
            journal_entries: count("SELECT count(*) FROM journal")?,
            gold_price_stale: price_age.is_some_and(|age| age > i64::from(settings.price_max_age_hours) * 3600),
            gold_price_age_seconds: price_age,
            gold_price,
        })
    }
}

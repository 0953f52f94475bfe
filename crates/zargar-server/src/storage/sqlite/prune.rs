//! Retention on SQLite: what a shop's tills no longer need, removed in
//! small commits so that pushes wait on the one writer for a moment only.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::params;
use uuid::Uuid;

use super::rows::ts;
use super::tx::{SqliteTx, run_now};
use super::writer::Engine;
use crate::storage::tx::{AuditRecord, TenantTx};
use crate::storage::{Pruned, StorageError};

/// Rows one commit removes.
const CHUNK: usize = 2_000;

pub async fn prune(
    engine: &Arc<Engine>,
    tenant: Uuid,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Pruned, StorageError> {
    let (t, cutoff) = (tenant.to_string(), ts(before));
    // Found on a reader: a change once replaced stays replaced.
    let doomed: Vec<u64> = {
        let (t, cutoff) = (t.clone(), cutoff.clone());
        engine
            .read(move |c| {
                super::read::tenant_ref(c, tenant)?;
                let mut stmt = c.prepare(
                    "SELECT pos FROM (SELECT pos, at,
                        ROW_NUMBER() OVER (PARTITION BY retention_key ORDER BY pos DESC) AS newer
                        FROM changes WHERE tenant_id = ?1)
                     WHERE newer > 1 AND at < ?2 ORDER BY pos",
                )?;
                let rows = stmt.query_map(params![t, cutoff], |r| r.get(0))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await?
    };
    let mut pruned = Pruned::default();
    for chunk in doomed.chunks(CHUNK) {
        let (t, chunk) = (t.clone(), chunk.to_vec());
        pruned.changes += engine
            .write(move |c| {
                // The floor rises with the rows: no cursor may hold a pruned position.
                let top = chunk.last().copied().unwrap_or_default();
                c.execute(
                    "UPDATE tenants SET change_floor = MAX(change_floor, ?2) WHERE id = ?1",
                    params![t, top + 1],
                )?;
                let mut delete = c.prepare_cached("DELETE FROM changes WHERE tenant_id = ?1 AND pos = ?2")?;
                let mut n = 0;
                for pos in chunk {
                    n += delete.execute(params![t, pos])? as u64;
                }
                Ok(n)
            })
            .await?;
    }
    loop {
        let (t, cutoff) = (t.clone(), cutoff.clone());
        let n = engine
            .write(move |c| {
                Ok(c.execute(
                    "DELETE FROM op_results WHERE (device_id, op_id) IN (SELECT device_id, op_id FROM op_results
                     WHERE tenant_id = ?1 AND received_at < ?2 LIMIT ?3)",
                    params![t, cutoff, CHUNK],
                )? as u64)
            })
            .await?;
        pruned.op_results += n;
        if n < CHUNK as u64 {
            break;
        }
    }
    pruned.floor = {
        let t = t.clone();
        engine
            .read(move |c| Ok(c.query_row("SELECT change_floor FROM tenants WHERE id = ?1", [t], |r| r.get(0))?))
            .await?
    };
    // Only a run that removed something writes: a prune with nothing to do
    // leaves the database as it was.
    if pruned.changes + pruned.op_results > 0 {
        engine
            .write(move |c| {
                let detail = serde_json::json!({ "before": ts(before), "pruned": pruned });
                let record = AuditRecord { at: now, actor: "server", action: "retention.prune", subject: "", detail };
                run_now(SqliteTx::new(c, tenant).audit(&record))
            })
            .await?;
    }
    Ok(pruned)
}

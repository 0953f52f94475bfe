//! Retention on PostgreSQL: what a shop's tills no longer need, removed in
//! small transactions so that no push waits long on a lock.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::PgStorage;
use super::rows::count;
use crate::storage::tx::{AuditRecord, TenantTx};
use crate::storage::{Pruned, StorageError};

/// Rows one transaction removes.
const CHUNK: i64 = 2_000;

pub async fn prune(
    db: &PgStorage,
    tenant: Uuid,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Pruned, StorageError> {
    // A change once replaced stays replaced, so the list holds while it is worked through.
    let doomed: Vec<i64> = db
        .on_known_shop(tenant, async |tx| {
            let rows = tx
                .rows(
                    "SELECT pos FROM (SELECT pos, at,
                        row_number() OVER (PARTITION BY retention_key ORDER BY pos DESC) AS newer
                        FROM changes WHERE tenant_id = $1) r
                     WHERE newer > 1 AND at < $2 ORDER BY pos",
                    &[&tenant, &before],
                )
                .await?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
        .await?;
    let mut pruned = Pruned::default();
    for chunk in doomed.chunks(CHUNK as usize) {
        let top = chunk.last().copied().unwrap_or_default();
        pruned.changes += db
            .on_known_shop(tenant, async |tx| {
                // The floor rises with the rows: no cursor may hold a pruned position.
                tx.exec(
                    "UPDATE tenants SET change_floor = GREATEST(change_floor, $2) WHERE id = $1",
                    &[&tenant, &(top + 1)],
                )
                .await?;
                tx.exec("DELETE FROM changes WHERE tenant_id = $1 AND pos = ANY($2)", &[&tenant, &chunk]).await
            })
            .await?;
    }
    loop {
        let n = db
            .on_known_shop(tenant, async |tx| {
                tx.exec(
                    "DELETE FROM op_results WHERE ctid IN (SELECT ctid FROM op_results
                     WHERE tenant_id = $1 AND received_at < $2 LIMIT $3)",
                    &[&tenant, &before, &CHUNK],
                )
                .await
            })
            .await?;
        pruned.op_results += n;
        if n < CHUNK as u64 {
            break;
        }
    }
    db.on_known_shop(tenant, async |tx| {
        let row = tx
            .row("SELECT change_floor FROM tenants WHERE id = $1", &[&tenant])
            .await?
            .ok_or(StorageError::TenantUnknown)?;
        pruned.floor = count(row.get(0))?;
        // Only a run that removed something writes.
        if pruned.changes + pruned.op_results > 0 {
            let at = before.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            let detail = serde_json::json!({ "before": at, "pruned": pruned });
            tx.audit(&AuditRecord { at: now, actor: "server", action: "retention.prune", subject: "", detail }).await?;
        }
        Ok(pruned)
    })
    .await
}

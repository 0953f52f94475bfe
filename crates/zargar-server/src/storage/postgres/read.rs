//! What the server reads from PostgreSQL outside a push, each inside a
//! transaction set for one shop: the policies hide every other shop even
//! where a query would not.

use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use uuid::Uuid;
use zargar_wire::{
    ConflictState, DeviceRole, ExportRow, GoldPricePayload, SCHEMA_VERSION, SalePayload, StatusResponse, TenantRef,
};

use super::rows::{count, i64_of};
use super::tx::{PgTx, price_from_row};
use crate::storage::codes::read_code;
use crate::storage::log::cursor_holds;
use crate::storage::tx::TenantTx;
use crate::storage::{
    AuditEntry, ChangePos, DeviceAuth, PullOutcome, PullPage, StorageError, StoredReturn, StoredSale, StoredShift,
};

pub async fn tenant_ref(tx: &mut PgTx<'_>) -> Result<TenantRef, StorageError> {
    let id = tx.tenant();
    let row = tx.row("SELECT name FROM tenants WHERE id = $1", &[&id]).await?;
    row.map(|r| TenantRef { id, name: r.get(0) }).ok_or(StorageError::TenantUnknown)
}

pub async fn devices(tx: &mut PgTx<'_>) -> Result<Vec<DeviceAuth>, StorageError> {
    let t = tenant_ref(tx).await?;
    let rows = tx
        .rows(
            "SELECT id, name, role, revoked_at IS NOT NULL FROM devices WHERE tenant_id = $1 ORDER BY enrolled_at",
            &[&t.id],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DeviceAuth {
                tenant: t.clone(),
                device_id: r.get(0),
                device_name: r.get(1),
                role: read_code(DeviceRole::from_code, r.get(2))?,
                revoked: r.get(3),
            })
        })
        .collect()
}

pub async fn audit_log(tx: &mut PgTx<'_>) -> Result<Vec<AuditEntry>, StorageError> {
    let t = tx.tenant();
    let rows =
        tx.rows("SELECT at, actor, action, subject, detail FROM audit WHERE tenant_id = $1 ORDER BY id", &[&t]).await?;
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
                at: r.get(0),
                actor: r.get(1),
                action: r.get(2),
                subject: r.get(3),
                detail: serde_json::from_str(r.get::<_, &str>(4))?,
            })
        })
        .collect()
}

/// The shop's changes after `cursor`. Positions commit in order (see
/// `tx.rs`), so a page never skips one that commits later.
pub async fn pull(tx: &mut PgTx<'_>, cursor: ChangePos, limit: u32) -> Result<PullOutcome, StorageError> {
    let t = tx.tenant();
    let at = i64_of(cursor.seq)?;
    let Some(shop) = tx
        .row(
            "SELECT t.change_floor, COALESCE(s.last, 0),
                    (SELECT epoch FROM changes WHERE tenant_id = t.id AND pos = $2)
             FROM tenants t LEFT JOIN change_seqs s ON s.tenant_id = t.id WHERE t.id = $1",
            &[&t, &at],
        )
        .await?
    else {
        return Err(StorageError::TenantUnknown);
    };
    let (floor, last, epoch_there) = (count(shop.get(0))?, count(shop.get(1))?, shop.get::<_, Option<i64>>(2));
    if !cursor_holds(cursor, floor, last, epoch_there) {
        return Ok(PullOutcome::Reset);
    }
    let rows = tx
        .rows(
            "SELECT pos, epoch, change FROM changes WHERE tenant_id = $1 AND pos > $2 ORDER BY pos LIMIT $3",
            &[&t, &at, &(i64::from(limit) + 1)],
        )
        .await?;
    let mut changes = Vec::with_capacity(rows.len());
    let mut next = cursor;
    let mut has_more = false;
    for row in &rows {
        if changes.len() == limit as usize {
            has_more = true;
            break;
        }
        changes.push(RawValue::from_string(row.get::<_, String>(2))?);
        next = ChangePos { seq: count(row.get(0))?, epoch: row.get(1) };
    }
    Ok(PullOutcome::Page(PullPage { changes, next, has_more }))
}

pub async fn status(tx: &mut PgTx<'_>, device: DeviceAuth, now: DateTime<Utc>) -> Result<StatusResponse, StorageError> {
    let t = tx.tenant();
    let row = tx
        .one(
            "SELECT d.last_seq, (SELECT count(*) FROM conflicts c
                 WHERE c.tenant_id = d.tenant_id AND c.device_id = d.id AND c.open)
             FROM devices d WHERE d.id = $1 AND d.tenant_id = $2",
            &[&device.device_id, &t],
        )
        .await?;
    Ok(StatusResponse {
        device_id: device.device_id,
        device_name: device.device_name,
        role: device.role,
        tenant: device.tenant,
        acked_seq: count(row.get(0))?,
        open_conflicts: count(row.get(1))?,
        server_time: now,
        schema_version: SCHEMA_VERSION,
    })
}

pub async fn conflicts(tx: &mut PgTx<'_>, open_only: bool) -> Result<Vec<ConflictState>, StorageError> {
    let t = tx.tenant();
    let rows = if crate::hooks::tenant_filter_dropped() {
        tx.rows_dynamic(
            "SELECT state FROM conflicts WHERE $1::uuid IS NOT NULL AND (NOT $2 OR open) ORDER BY created_at, id",
            &[&t, &open_only],
        )
        .await?
    } else {
        tx.rows(
            "SELECT state FROM conflicts WHERE tenant_id = $1 AND (NOT $2 OR open) ORDER BY created_at, id",
            &[&t, &open_only],
        )
        .await?
    };
    rows.iter().map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).collect()
}

pub async fn export(tx: &mut PgTx<'_>, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<ExportRow>, StorageError> {
    crate::storage::export_rows(stored_sales(tx, from, to).await?.into_iter().map(Ok))
}

/// The sales made in `[from, to)` as stored, oldest first.
async fn stored_sales(
    tx: &mut PgTx<'_>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<StoredSale>, StorageError> {
    let t = tx.tenant();
    let rows = tx
        .rows(
            "SELECT s.payload, s.status, s.device_id, d.name, s.seller FROM sales s JOIN devices d ON d.id = s.device_id
             WHERE s.tenant_id = $1 AND s.sold_at >= $2 AND s.sold_at < $3 ORDER BY s.sold_at, s.id",
            &[&t, &from, &to],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let sale: SalePayload = serde_json::from_str(r.get::<_, &str>(0))?;
            Ok((sale, r.get::<_, String>(1), r.get::<_, Uuid>(2), r.get::<_, String>(3), r.get::<_, Option<String>>(4)))
        })
        .collect()
}

/// The owner's view of `[from, to)`.
pub async fn shop_report(
    tx: &mut PgTx<'_>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<zargar_wire::ShopReport, StorageError> {
    let sales = stored_sales(tx, from, to).await?;
    let t = tx.tenant();
    let rows = tx
        .rows(
            "SELECT r.payload, r.device_id, d.name, r.seller FROM returns r JOIN devices d ON d.id = r.device_id
             WHERE r.tenant_id = $1 AND r.returned_at >= $2 AND r.returned_at < $3 ORDER BY r.returned_at, r.id",
            &[&t, &from, &to],
        )
        .await?;
    let returns = rows
        .iter()
        .map(|r| {
            let ret = serde_json::from_str(r.get::<_, &str>(0))?;
            Ok((ret, r.get::<_, Uuid>(1), r.get::<_, String>(2), r.get::<_, Option<String>>(3)))
        })
        .collect::<Result<Vec<StoredReturn>, StorageError>>()?;
    let rows = tx
        .rows(
            "SELECT s.data, s.device_id, d.name FROM shifts s JOIN devices d ON d.id = s.device_id
             WHERE s.tenant_id = $1 AND s.closed_at >= $2 AND s.closed_at < $3 ORDER BY s.closed_at, s.device_id",
            &[&t, &from, &to],
        )
        .await?;
    let shifts = rows
        .iter()
        .map(|r| Ok((serde_json::from_str(r.get::<_, &str>(0))?, r.get::<_, Uuid>(1), r.get::<_, String>(2))))
        .collect::<Result<Vec<StoredShift>, StorageError>>()?;
    crate::reports::shop_report(&sales, &returns, &shifts)
}

/// The shop's newest price; a till's own prices are not the shop's.
pub async fn gold_price(tx: &mut PgTx<'_>) -> Result<Option<GoldPricePayload>, StorageError> {
    let t = tx.tenant();
    let row = tx
        .row(
            "SELECT p.id, p.per_gram_18k, p.mazaneh, p.set_at, p.origin, p.set_by, d.name
             FROM gold_prices p LEFT JOIN devices d ON d.id = p.device_id
             WHERE p.tenant_id = $1 AND p.origin = 'server' ORDER BY p.set_at DESC LIMIT 1",
            &[&t],
        )
        .await?;
    Ok(row.as_ref().map(price_from_row))
}

//! What the server reads from the SQLite file outside a push: pull pages,
//! status, conflicts, export, the shop's price and settings, devices and
//! the audit log. Each read filters on the tenant it is given.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::value::RawValue;
use uuid::Uuid;
use zargar_wire::{
    ConflictState, DeviceRole, ExportRow, GoldPricePayload, SCHEMA_VERSION, StatusResponse, TenantRef, TenantSettings,
};

use super::rows::{PRICE_COLUMNS, PRICE_FROM, parse_ts, parse_uuid, price_from_row, read_price, ts};
use crate::storage::codes::read_code;
use crate::storage::log::cursor_holds;
use crate::storage::{
    AuditEntry, ChangePos, DeviceAuth, PullOutcome, PullPage, StorageError, StoredReturn, StoredSale, StoredShift,
};

pub fn load_settings(conn: &Connection, tenant: Uuid) -> Result<(TenantSettings, u64), StorageError> {
    let row: Option<(String, u64)> = conn
        .prepare_cached("SELECT data, version FROM tenant_settings WHERE tenant_id = ?1")?
        .query_row([tenant.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        Some((data, version)) => Ok((serde_json::from_str(&data)?, version)),
        None => Err(StorageError::TenantUnknown),
    }
}

pub fn tenant_ref(conn: &Connection, id: Uuid) -> Result<TenantRef, StorageError> {
    conn.prepare_cached("SELECT name FROM tenants WHERE id = ?1")?
        .query_row([id.to_string()], |r| r.get::<_, String>(0))
        .optional()?
        .map(|name| TenantRef { id, name })
        .ok_or(StorageError::TenantUnknown)
}

pub fn devices(c: &Connection, tenant: Uuid) -> Result<Vec<DeviceAuth>, StorageError> {
    let t = tenant_ref(c, tenant)?;
    let mut stmt = c.prepare(
        "SELECT id, name, role, revoked_at IS NOT NULL FROM devices WHERE tenant_id = ?1 ORDER BY enrolled_at",
    )?;
    let rows = stmt.query_map([tenant.to_string()], |r| <(String, String, String, bool)>::try_from(r))?;
    rows.map(|row| {
        let (id, name, role, revoked) = row?;
        Ok(DeviceAuth {
            tenant: t.clone(),
            device_id: parse_uuid(&id)?,
            device_name: name,
            role: read_code(DeviceRole::from_code, &role)?,
            revoked,
        })
    })
    .collect()
}

pub fn audit_log(c: &Connection, tenant: Uuid) -> Result<Vec<AuditEntry>, StorageError> {
    let mut stmt =
        c.prepare("SELECT at, actor, action, subject, detail FROM audit WHERE tenant_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([tenant.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?))
    })?;
    rows.map(|row| {
        let (at, actor, action, subject, detail) = row?;
        Ok(AuditEntry { at: parse_ts(&at)?, actor, action, subject, detail: serde_json::from_str(&detail)? })
    })
    .collect()
}

/// A device row with its shop's name: id, name, role, tenant, token hash, revoked, shop.
type DeviceRow = (String, String, String, String, Vec<u8>, bool, String);

/// The device whose token hashes to `token_hash`, revoked or not.
pub fn authenticate(c: &Connection, token_hash: [u8; 32]) -> Result<Option<DeviceAuth>, StorageError> {
    let row: Option<DeviceRow> = c
        .prepare_cached(
            "SELECT d.id, d.name, d.role, d.tenant_id, d.token_hash, d.revoked_at IS NOT NULL, t.name
             FROM devices d JOIN tenants t ON t.id = d.tenant_id WHERE d.token_hash = ?1",
        )?
        .query_row([token_hash.as_slice()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })
        .optional()?;
    let Some((id, name, role, tenant, stored, revoked, tenant_name)) = row else {
        return Ok(None);
    };
    // The index found the row; compare the whole hash in constant time anyway.
    if !crate::auth::same_hash(&stored, &token_hash) {
        return Ok(None);
    }
    Ok(Some(DeviceAuth {
        tenant: TenantRef { id: parse_uuid(&tenant)?, name: tenant_name },
        device_id: parse_uuid(&id)?,
        device_name: name,
        role: read_code(DeviceRole::from_code, &role)?,
        revoked,
    }))
}

/// One writer commits changes in position order, so the position alone orders them.
pub fn pull(c: &Connection, tenant: Uuid, cursor: ChangePos, limit: u32) -> Result<PullOutcome, StorageError> {
    let (floor, last, epoch_there): (u64, u64, Option<i64>) = c.query_row(
        "SELECT t.change_floor, (SELECT COALESCE(MAX(pos), 0) FROM changes WHERE tenant_id = t.id),
                (SELECT epoch FROM changes WHERE tenant_id = t.id AND pos = ?2)
         FROM tenants t WHERE t.id = ?1",
        params![tenant.to_string(), cursor.seq],
        |r| <(u64, u64, Option<i64>)>::try_from(r),
    )?;
    if !cursor_holds(cursor, floor, last, epoch_there) {
        return Ok(PullOutcome::Reset);
    }
    let mut stmt = c.prepare_cached(
        "SELECT pos, epoch, change FROM changes WHERE tenant_id = ?1 AND pos > ?2 ORDER BY pos LIMIT ?3",
    )?;
    let rows =
        stmt.query_map(params![tenant.to_string(), cursor.seq, limit + 1], |r| <(u64, i64, String)>::try_from(r))?;
    let mut changes = Vec::new();
    let mut next = cursor;
    let mut has_more = false;
    for row in rows {
        let (seq, epoch, json) = row?;
        if changes.len() == limit as usize {
            has_more = true;
            break;
        }
        changes.push(RawValue::from_string(json)?);
        next = ChangePos { seq, epoch };
    }
    Ok(PullOutcome::Page(PullPage { changes, next, has_more }))
}

pub fn status(c: &Connection, device: DeviceAuth, now: DateTime<Utc>) -> Result<StatusResponse, StorageError> {
    let acked_seq: u64 = c.query_row(
        "SELECT last_seq FROM devices WHERE id = ?1 AND tenant_id = ?2",
        params![device.device_id.to_string(), device.tenant.id.to_string()],
        |r| r.get(0),
    )?;
    let open_conflicts: u64 = c.query_row(
        "SELECT COUNT(*) FROM conflicts WHERE tenant_id = ?1 AND device_id = ?2 AND open = 1",
        params![device.tenant.id.to_string(), device.device_id.to_string()],
        |r| r.get(0),
    )?;
    Ok(StatusResponse {
        device_id: device.device_id,
        device_name: device.device_name,
        role: device.role,
        tenant: device.tenant,
        acked_seq,
        open_conflicts,
        server_time: now,
        schema_version: SCHEMA_VERSION,
    })
}

pub fn conflicts(c: &Connection, tenant: Uuid, open_only: bool) -> Result<Vec<ConflictState>, StorageError> {
    let sql = if crate::hooks::tenant_filter_dropped() {
        "SELECT state FROM conflicts WHERE ?1 = ?1 AND (?2 = 0 OR open = 1) ORDER BY created_at, id"
    } else {
        "SELECT state FROM conflicts WHERE tenant_id = ?1 AND (?2 = 0 OR open = 1) ORDER BY created_at, id"
    };
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map(params![tenant.to_string(), open_only], |r| r.get::<_, String>(0))?;
    rows.map(|row| Ok(serde_json::from_str(&row?)?)).collect()
}

pub fn export(
    c: &Connection,
    tenant: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<ExportRow>, StorageError> {
    crate::storage::export_rows(stored_sales(c, tenant, from, to)?.into_iter().map(Ok))
}

/// The sales made in `[from, to)` as stored, oldest first.
fn stored_sales(
    c: &Connection,
    tenant: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<StoredSale>, StorageError> {
    let mut stmt = c.prepare_cached(
        "SELECT s.payload, s.status, s.device_id, d.name, s.seller FROM sales s JOIN devices d ON d.id = s.device_id
         WHERE s.tenant_id = ?1 AND s.sold_at >= ?2 AND s.sold_at < ?3 ORDER BY s.sold_at, s.id",
    )?;
    let rows = stmt.query_map(params![tenant.to_string(), ts(from), ts(to)], |r| {
        <(String, String, String, String, Option<String>)>::try_from(r)
    })?;
    rows.map(|row| {
        let (payload, status, device_id, device_name, seller) = row?;
        Ok((serde_json::from_str(&payload)?, status, parse_uuid(&device_id)?, device_name, seller))
    })
    .collect()
}

/// The owner's view of `[from, to)`.
pub fn shop_report(
    c: &Connection,
    tenant: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<zargar_wire::ShopReport, StorageError> {
    let sales = stored_sales(c, tenant, from, to)?;
    let mut stmt = c.prepare_cached(
        "SELECT r.payload, r.device_id, d.name, r.seller FROM returns r JOIN devices d ON d.id = r.device_id
         WHERE r.tenant_id = ?1 AND r.returned_at >= ?2 AND r.returned_at < ?3 ORDER BY r.returned_at, r.id",
    )?;
    let rows = stmt.query_map(params![tenant.to_string(), ts(from), ts(to)], |r| {
        <(String, String, String, Option<String>)>::try_from(r)
    })?;
    let returns = rows
        .map(|row| {
            let (payload, device_id, name, seller) = row?;
            Ok((serde_json::from_str(&payload)?, parse_uuid(&device_id)?, name, seller))
        })
        .collect::<Result<Vec<StoredReturn>, StorageError>>()?;
    let mut stmt = c.prepare_cached(
        "SELECT s.data, s.device_id, d.name FROM shifts s JOIN devices d ON d.id = s.device_id
         WHERE s.tenant_id = ?1 AND s.closed_at >= ?2 AND s.closed_at < ?3 ORDER BY s.closed_at, s.device_id",
    )?;
    let rows =
        stmt.query_map(params![tenant.to_string(), ts(from), ts(to)], |r| <(String, String, String)>::try_from(r))?;
    let shifts = rows
        .map(|row| {
            let (data, device_id, name) = row?;
            Ok((serde_json::from_str(&data)?, parse_uuid(&device_id)?, name))
        })
        .collect::<Result<Vec<StoredShift>, StorageError>>()?;
    crate::reports::shop_report(&sales, &returns, &shifts)
}

/// The shop's newest price; a till's own prices are not the shop's.
pub fn gold_price(c: &Connection, tenant: Uuid) -> Result<Option<GoldPricePayload>, StorageError> {
    c.prepare_cached(&format!(
        "SELECT {PRICE_COLUMNS} FROM {PRICE_FROM}
         WHERE p.tenant_id = ?1 AND p.origin = 'server' ORDER BY p.set_at DESC LIMIT 1"
    ))?
    .query_row([tenant.to_string()], read_price)
    .optional()?
    .map(price_from_row)
    .transpose()
}

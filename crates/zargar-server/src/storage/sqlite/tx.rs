//! `TenantTx` on SQLite: each method one or two cached statements on the
//! writer's connection, inside the transaction the writer opened. The
//! futures never wait (SQLite answers in the call), so the writer runs the
//! shared algorithms to completion with `run_now`.

use std::collections::HashMap;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_wire::{
    AccountMoveChange, Change, ConflictState, CustomerPayload, GoldPricePayload, ItemPayload, ItemStatus, Op, OpResult,
    PersonPayload, ReturnPayload, SalePayload, ShiftPayload, TenantSettings,
};

use super::rows::{parse_ts, parse_uuid, price_from_row, read_price, ts};
use crate::storage::StorageError;
use crate::storage::codes::read_code;
use crate::storage::log::{new_epoch, retention_key};
use crate::storage::tx::{AuditRecord, DeviceHead, PriceOrigin, Receipt, SaleStatus, StoredItem, TenantTx, TxResult};

/// Runs a future that never waits, on this thread: SQLite's `TenantTx`
/// does its IO inside each call, so one poll finishes the whole algorithm.
pub fn run_now<T>(f: impl Future<Output = Result<T, StorageError>>) -> Result<T, StorageError> {
    match pin!(f).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => Err(StorageError::stored("a SQLite transaction waited; nothing was written")),
    }
}

/// A transaction on one shop, on the writer's connection.
pub struct SqliteTx<'c> {
    c: &'c Connection,
    tenant: Uuid,
    /// The tenant as stored.
    t: String,
    /// The epoch of the changes this transaction logs (see `storage/log.rs`).
    epoch: i64,
}

impl<'c> SqliteTx<'c> {
    pub fn new(c: &'c Connection, tenant: Uuid) -> SqliteTx<'c> {
        SqliteTx { c, tenant, t: tenant.to_string(), epoch: new_epoch() }
    }

    /// For the backend's own statements beside the shared ones.
    pub fn conn(&self) -> &'c Connection {
        self.c
    }
}

type ItemRow = (String, String, Option<String>, Option<String>, Option<String>);

fn item_from_row(row: ItemRow) -> TxResult<StoredItem> {
    let (data, status, sale_id, sold_by, sold_by_name) = row;
    let mut payload: ItemPayload = serde_json::from_str(&data)?;
    payload.status = read_code(ItemStatus::from_code, &status)?;
    Ok(StoredItem {
        payload,
        sale_id: sale_id.as_deref().map(parse_uuid).transpose()?,
        sold_by: sold_by.as_deref().map(parse_uuid).transpose()?,
        sold_by_name,
    })
}

const ITEM_BY_ID: &str = "SELECT i.data, i.status, i.sale_id, i.sold_by, d.name FROM items i
     LEFT JOIN devices d ON d.id = i.sold_by WHERE i.tenant_id = ?1 AND i.id = ?2";
const ITEM_BY_TAG: &str = "SELECT i.data, i.status, i.sale_id, i.sold_by, d.name FROM items i
     LEFT JOIN devices d ON d.id = i.sold_by WHERE i.tenant_id = ?1 AND i.tag = ?2";
const ITEM_VERSION: &str = "SELECT version FROM items WHERE tenant_id = ?1 AND id = ?2";
const CONFLICT_VERSION: &str = "SELECT version FROM conflicts WHERE tenant_id = ?1 AND id = ?2";
const SHOP_PRICE_AT: &str = "SELECT p.id, p.per_gram_18k, p.mazaneh, p.set_at, p.origin, p.set_by, d.name
     FROM gold_prices p LEFT JOIN devices d ON d.id = p.device_id
     WHERE p.tenant_id = ?1 AND p.origin = 'server' AND p.set_at <= ?2 ORDER BY p.set_at DESC LIMIT 1";
const SHOP_PRICE: &str = "SELECT p.id, p.per_gram_18k, p.mazaneh, p.set_at, p.origin, p.set_by, d.name
     FROM gold_prices p LEFT JOIN devices d ON d.id = p.device_id
     WHERE p.tenant_id = ?1 AND p.origin = 'server' AND p.id = ?2";

impl SqliteTx<'_> {
    fn item_where(&self, sql: &str, key: &str) -> TxResult<Option<StoredItem>> {
        let row: Option<ItemRow> = self
            .c
            .prepare_cached(sql)?
            .query_row(params![self.t, key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .optional()?;
        row.map(item_from_row).transpose()
    }

    /// A row's version after this transaction wrote it. Not `RETURNING`:
    /// inside the writer's savepoint per job, SQLite gives a `RETURNING`
    /// statement a statement journal, and releasing it walks the whole
    /// sub-journal, so a push of 500 sales grew quadratically (3× the
    /// writer's time in `sync_load`).
    fn version_of(&self, sql: &str, id: &str) -> TxResult<u64> {
        Ok(self.c.prepare_cached(sql)?.query_row(params![self.t, id], |r| r.get(0))?)
    }

    fn price_where(&self, sql: &str, key: &str) -> TxResult<Option<GoldPricePayload>> {
        self.c
            .prepare_cached(sql)?
            .query_row(params![self.t, key], read_price)
            .optional()?
            .map(price_from_row)
            .transpose()
    }
}

impl TenantTx for SqliteTx<'_> {
    fn tenant(&self) -> Uuid {
        self.tenant
    }

    async fn device_head(&mut self, device: Uuid) -> TxResult<Option<DeviceHead>> {
        // The writer's transaction is the only one: the row needs no lock.
        Ok(self
            .c
            .prepare_cached(
                "SELECT last_seq, journal_index, journal_hash, revoked_at IS NOT NULL FROM devices
                 WHERE id = ?1 AND tenant_id = ?2",
            )?
            .query_row(params![device.to_string(), self.t], |r| {
                Ok(DeviceHead {
                    last_seq: r.get(0)?,
                    journal_index: r.get(1)?,
                    journal_hash: r.get(2)?,
                    revoked: r.get(3)?,
                })
            })
            .optional()?)
    }

    async fn set_device_head(&mut self, device: Uuid, head: &DeviceHead, now: DateTime<Utc>) -> TxResult<()> {
        self.c
            .prepare_cached(
                "UPDATE devices SET last_seq = ?3, journal_index = ?4, journal_hash = ?5, last_seen_at = ?6
                 WHERE id = ?1 AND tenant_id = ?2",
            )?
            .execute(params![
                device.to_string(),
                self.t,
                head.last_seq,
                head.journal_index,
                head.journal_hash,
                ts(now)
            ])?;
        Ok(())
    }

    async fn stored_results(&mut self, device: Uuid, op_ids: &[Uuid]) -> TxResult<HashMap<Uuid, OpResult>> {
        // One indexed lookup each: in process, that is as cheap as one query for all.
        let mut stmt = self.c.prepare_cached("SELECT result FROM op_results WHERE device_id = ?1 AND op_id = ?2")?;
        let device = device.to_string();
        let mut found = HashMap::new();
        for id in op_ids {
            let json: Option<String> = stmt.query_row(params![device, id.to_string()], |r| r.get(0)).optional()?;
            if let Some(json) = json {
                found.insert(*id, serde_json::from_str(&json)?);
            }
        }
        Ok(found)
    }

    async fn record_result(&mut self, device: Uuid, op: &Op, result: &OpResult, now: DateTime<Utc>) -> TxResult<()> {
        self.c
            .prepare_cached(
                "INSERT INTO op_results (device_id, op_id, tenant_id, seq, kind, entity_id, result, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                device.to_string(),
                op.op_id.to_string(),
                self.t,
                op.seq,
                op.body.kind(),
                op.entity_id.to_string(),
                serde_json::to_string(result)?,
                ts(now)
            ])?;
        Ok(())
    }

    async fn settings(&mut self) -> TxResult<(TenantSettings, u64)> {
        super::read::load_settings(self.c, self.tenant)
    }

    async fn save_settings(&mut self, settings: &TenantSettings, version: u64) -> TxResult<()> {
        self.c
            .prepare_cached(
                "INSERT INTO tenant_settings (tenant_id, data, version) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant_id) DO UPDATE SET data = excluded.data, version = excluded.version",
            )?
            .execute(params![self.t, serde_json::to_string(settings)?, version])?;
        Ok(())
    }

    async fn log_change(&mut self, change: &Change) -> TxResult<()> {
        // The one writer takes positions in commit order. The shop's last
        // change is never pruned (nothing replaces it), so its position is
        // the shop's highest.
        self.c
            .prepare_cached(
                "INSERT INTO changes (tenant_id, pos, epoch, retention_key, at, change)
                 VALUES (?1, (SELECT COALESCE(MAX(pos), 0) + 1 FROM changes WHERE tenant_id = ?1), ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                self.t,
                self.epoch,
                retention_key(change),
                ts(Utc::now()),
                serde_json::to_string(change)?
            ])?;
        Ok(())
    }

    async fn audit(&mut self, e: &AuditRecord<'_>) -> TxResult<()> {
        self.c
            .prepare_cached(
                "INSERT INTO audit (tenant_id, at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![self.t, ts(e.at), e.actor, e.action, e.subject, e.detail.to_string()])?;
        Ok(())
    }

    async fn item(&mut self, id: Uuid) -> TxResult<Option<StoredItem>> {
        self.item_where(ITEM_BY_ID, &id.to_string())
    }

    async fn item_by_tag(&mut self, tag: &str) -> TxResult<Option<StoredItem>> {
        self.item_where(ITEM_BY_TAG, tag)
    }

    async fn write_item(&mut self, item: &ItemPayload, now: DateTime<Utc>) -> TxResult<u64> {
        let id = item.item_id.to_string();
        self.c
            .prepare_cached(
                "INSERT INTO items (tenant_id, id, tag, data, status, version, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)
                 ON CONFLICT (tenant_id, id) DO UPDATE SET tag = excluded.tag, data = excluded.data,
                     status = excluded.status, version = items.version + 1, updated_at = excluded.updated_at",
            )?
            .execute(params![self.t, id, item.tag, serde_json::to_string(item)?, item.status.code(), ts(now)])?;
        self.version_of(ITEM_VERSION, &id)
    }

    async fn claim_item(&mut self, id: Uuid, sale: Uuid, device: Uuid, now: DateTime<Utc>) -> TxResult<Option<u64>> {
        let id = id.to_string();
        let claimed = self
            .c
            .prepare_cached(
                "UPDATE items SET status = 'sold', sale_id = ?3, sold_by = ?4, version = version + 1, updated_at = ?5
                 WHERE tenant_id = ?1 AND id = ?2 AND status = 'in_stock'",
            )?
            .execute(params![self.t, id, sale.to_string(), device.to_string(), ts(now)])?;
        if claimed == 0 {
            return Ok(None);
        }
        self.version_of(ITEM_VERSION, &id).map(Some)
    }

    async fn set_item_status(
        &mut self,
        id: Uuid,
        status: ItemStatus,
        held_by: Option<(Uuid, Uuid)>,
        now: DateTime<Utc>,
    ) -> TxResult<u64> {
        let id = id.to_string();
        self.c
            .prepare_cached(
                "UPDATE items SET status = ?3, sale_id = ?4, sold_by = ?5, version = version + 1, updated_at = ?6
                 WHERE tenant_id = ?1 AND id = ?2",
            )?
            .execute(params![
                self.t,
                id,
                status.code(),
                held_by.map(|(s, _)| s.to_string()),
                held_by.map(|(_, d)| d.to_string()),
                ts(now)
            ])?;
        self.version_of(ITEM_VERSION, &id)
    }

    async fn insert_shift(&mut self, s: &ShiftPayload, from: Receipt) -> TxResult<bool> {
        let added = self
            .c
            .prepare_cached(
                "INSERT INTO shifts (tenant_id, id, device_id, z_no, closed_at, data, op_id, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                self.t,
                s.shift_id.to_string(),
                from.device.to_string(),
                i64::try_from(s.z_no).map_err(|_| StorageError::stored("z_no"))?,
                ts(s.closed_at),
                serde_json::to_string(s)?,
                from.op_id.to_string(),
                ts(from.at)
            ])?;
        Ok(added == 1)
    }

    async fn sale_exists(&mut self, id: Uuid) -> TxResult<bool> {
        Ok(self
            .c
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM sales WHERE tenant_id = ?1 AND id = ?2)")?
            .query_row(params![self.t, id.to_string()], |r| r.get(0))?)
    }

    async fn sale(&mut self, id: Uuid) -> TxResult<Option<(SalePayload, SaleStatus)>> {
        let row: Option<(String, String)> = self
            .c
            .prepare_cached("SELECT payload, status FROM sales WHERE tenant_id = ?1 AND id = ?2")?
            .query_row(params![self.t, id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(payload, status)| Ok((serde_json::from_str(&payload)?, SaleStatus::parse(&status)?))).transpose()
    }

    async fn insert_sale(&mut self, sale: &SalePayload, status: SaleStatus, from: Receipt) -> TxResult<()> {
        let sale_id = sale.sale_id.to_string();
        self.c
            .prepare_cached(
                "INSERT INTO sales (tenant_id, id, device_id, op_id, invoice_no, sold_at, per_gram_18k, total, status,
                     payload, received_at, seller)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                self.t,
                sale_id,
                from.device.to_string(),
                from.op_id.to_string(),
                sale.invoice_no,
                ts(sale.sold_at),
                sale.gold_price.per_gram_18k.to_string(),
                sale.totals.total.to_string(),
                status.code(),
                serde_json::to_string(sale)?,
                ts(from.at),
                from.by.as_ref().map(serde_json::to_string).transpose()?
            ])?;
        let mut stmt = self.c.prepare_cached(
            "INSERT INTO sale_lines (tenant_id, sale_id, line_no, item_id, tag, name, weight, purity, gold, wage, profit,
                 vat, stones, total)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?;
        for (i, l) in sale.lines.iter().enumerate() {
            stmt.execute(params![
                self.t,
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

    async fn delete_sale(&mut self, id: Uuid) -> TxResult<()> {
        self.c
            .execute("DELETE FROM sale_lines WHERE tenant_id = ?1 AND sale_id = ?2", params![self.t, id.to_string()])?;
        self.c.execute("DELETE FROM sales WHERE tenant_id = ?1 AND id = ?2", params![self.t, id.to_string()])?;
        Ok(())
    }

    async fn set_sale_status(&mut self, id: Uuid, status: SaleStatus) -> TxResult<()> {
        self.c.execute(
            "UPDATE sales SET status = ?3 WHERE tenant_id = ?1 AND id = ?2",
            params![self.t, id.to_string(), status.code()],
        )?;
        Ok(())
    }

    async fn insert_return(&mut self, ret: &ReturnPayload, from: Receipt) -> TxResult<()> {
        self.c
            .prepare_cached(
                "INSERT INTO returns (tenant_id, id, sale_id, device_id, payload, received_at, seller, returned_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                self.t,
                ret.return_id.to_string(),
                ret.sale_id.to_string(),
                from.device.to_string(),
                serde_json::to_string(ret)?,
                ts(from.at),
                from.by.as_ref().map(serde_json::to_string).transpose()?,
                ts(ret.returned_at)
            ])?;
        Ok(())
    }

    async fn customer_version(&mut self, id: Uuid) -> TxResult<Option<u64>> {
        Ok(self
            .c
            .prepare_cached("SELECT version FROM customers WHERE tenant_id = ?1 AND id = ?2")?
            .query_row(params![self.t, id.to_string()], |r| r.get(0))
            .optional()?)
    }

    async fn customer_sharing_ids(&mut self, cu: &CustomerPayload) -> TxResult<Option<Uuid>> {
        let other: Option<String> = self
            .c
            .prepare_cached(
                "SELECT id FROM customers WHERE tenant_id = ?1 AND id <> ?2
                 AND ((?3 IS NOT NULL AND national_id = ?3) OR (?4 IS NOT NULL AND mobile = ?4)) LIMIT 1",
            )?
            .query_row(params![self.t, cu.customer_id.to_string(), cu.national_id, cu.mobile], |r| r.get(0))
            .optional()?;
        other.as_deref().map(parse_uuid).transpose()
    }

    async fn write_customer(&mut self, cu: &CustomerPayload, version: u64, now: DateTime<Utc>) -> TxResult<()> {
        self.c
            .prepare_cached(
                "INSERT INTO customers (tenant_id, id, name, mobile, national_id, version, updated_at, credit_limit,
                                        economic_code, postal_code)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, mobile = excluded.mobile,
                     national_id = excluded.national_id, version = excluded.version, updated_at = excluded.updated_at,
                     credit_limit = excluded.credit_limit, economic_code = excluded.economic_code,
                     postal_code = excluded.postal_code",
            )?
            .execute(params![
                self.t,
                cu.customer_id.to_string(),
                cu.name,
                cu.mobile,
                cu.national_id,
                version,
                ts(now),
                i64::try_from(cu.credit_limit.trunc()).map_err(|_| StorageError::stored("credit_limit"))?,
                cu.economic_code,
                cu.postal_code
            ])?;
        Ok(())
    }

    async fn customer_credit_limit(&mut self, id: Uuid) -> TxResult<Option<Decimal>> {
        let limit: Option<i64> = self
            .c
            .prepare_cached("SELECT credit_limit FROM customers WHERE tenant_id = ?1 AND id = ?2")?
            .query_row(params![self.t, id.to_string()], |r| r.get(0))
            .optional()?;
        Ok(limit.map(Decimal::from))
    }

    async fn account_move(&mut self, id: Uuid) -> TxResult<Option<AccountMoveChange>> {
        let data: Option<String> = self
            .c
            .prepare_cached("SELECT data FROM account_moves WHERE tenant_id = ?1 AND id = ?2")?
            .query_row(params![self.t, id.to_string()], |r| r.get(0))
            .optional()?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    async fn put_account_move(&mut self, m: &AccountMoveChange, op_id: Uuid, at: DateTime<Utc>) -> TxResult<()> {
        let v = &m.movement;
        let rial = i64::try_from(v.rial.trunc()).map_err(|_| StorageError::stored("rial"))?;
        self.c
            .prepare_cached(
                "INSERT INTO account_moves (tenant_id, id, customer_id, kind, rial, gold_mg, status, moved_at,
                                            device_id, op_id, received_at, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (tenant_id, id) DO UPDATE SET customer_id = excluded.customer_id, kind = excluded.kind,
                     rial = excluded.rial, gold_mg = excluded.gold_mg, status = excluded.status,
                     moved_at = excluded.moved_at, data = excluded.data",
            )?
            .execute(params![
                self.t,
                v.move_id.to_string(),
                v.customer_id.to_string(),
                v.kind.code(),
                rial,
                v.gold_mg,
                m.status.code(),
                ts(v.moved_at),
                m.device_id.to_string(),
                op_id.to_string(),
                ts(at),
                serde_json::to_string(m)?
            ])?;
        Ok(())
    }

    async fn account_balance(&mut self, customer: Uuid) -> TxResult<(Decimal, i64)> {
        let (rial, gold): (i64, i64) = self
            .c
            .prepare_cached(
                "SELECT coalesce(sum(rial), 0), coalesce(sum(gold_mg), 0) FROM account_moves
                 WHERE tenant_id = ?1 AND customer_id = ?2 AND status IN ('applied', 'accepted')",
            )?
            .query_row(params![self.t, customer.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok((Decimal::from(rial), gold))
    }

    async fn account_spends(
        &mut self,
        customer: Uuid,
        since: DateTime<Utc>,
        except: Uuid,
    ) -> TxResult<Vec<AccountMoveChange>> {
        let mut stmt = self.c.prepare_cached(
            "SELECT data FROM account_moves
             WHERE tenant_id = ?1 AND customer_id = ?2 AND moved_at >= ?3 AND device_id <> ?4
               AND status IN ('applied', 'accepted') AND (rial < 0 OR gold_mg < 0)
             ORDER BY moved_at LIMIT 20",
        )?;
        let rows = stmt.query_map(params![self.t, customer.to_string(), ts(since), except.to_string()], |r| {
            r.get::<_, String>(0)
        })?;
        rows.map(|d| Ok(serde_json::from_str(&d?)?)).collect()
    }

    async fn installment_plan(&mut self, id: Uuid) -> TxResult<Option<zargar_wire::InstallmentPlanPayload>> {
        let data: Option<String> = self
            .c
            .prepare_cached("SELECT data FROM installment_plans WHERE tenant_id = ?1 AND id = ?2")?
            .query_row(params![self.t, id.to_string()], |r| r.get(0))
            .optional()?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    async fn insert_installment_plan(
        &mut self,
        plan: &zargar_wire::InstallmentPlanPayload,
        op_id: Uuid,
        at: DateTime<Utc>,
    ) -> TxResult<bool> {
        let added = self
            .c
            .prepare_cached(
                "INSERT INTO installment_plans (tenant_id, id, customer_id, data, op_id, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                self.t,
                plan.plan_id.to_string(),
                plan.customer_id.to_string(),
                serde_json::to_string(plan)?,
                op_id.to_string(),
                ts(at)
            ])?;
        Ok(added == 1)
    }

    async fn layaway(&mut self, id: Uuid) -> TxResult<Option<zargar_wire::LayawayPayload>> {
        let data: Option<String> = self
            .c
            .prepare_cached("SELECT data FROM layaways WHERE tenant_id = ?1 AND id = ?2")?
            .query_row(params![self.t, id.to_string()], |r| r.get(0))
            .optional()?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    async fn put_layaway(&mut self, l: &zargar_wire::LayawayPayload, op_id: Uuid, at: DateTime<Utc>) -> TxResult<()> {
        self.c
            .prepare_cached(
                "INSERT INTO layaways (tenant_id, id, customer_id, data, op_id, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (tenant_id, id) DO UPDATE SET data = excluded.data",
            )?
            .execute(params![
                self.t,
                l.layaway_id.to_string(),
                l.customer_id.to_string(),
                serde_json::to_string(l)?,
                op_id.to_string(),
                ts(at)
            ])?;
        Ok(())
    }

    async fn reserve_item(
        &mut self,
        id: Uuid,
        layaway: Uuid,
        device: Uuid,
        now: DateTime<Utc>,
    ) -> TxResult<Option<u64>> {
        let id = id.to_string();
        let reserved = self
            .c
            .prepare_cached(
                "UPDATE items SET status = 'reserved', sale_id = ?3, sold_by = ?4, version = version + 1,
                                  updated_at = ?5
                 WHERE tenant_id = ?1 AND id = ?2 AND status = 'in_stock'",
            )?
            .execute(params![self.t, id, layaway.to_string(), device.to_string(), ts(now)])?;
        if reserved == 0 {
            return Ok(None);
        }
        self.version_of(ITEM_VERSION, &id).map(Some)
    }

    async fn person(&mut self, id: Uuid) -> TxResult<Option<(PersonPayload, u64)>> {
        let row: Option<(String, u64)> = self
            .c
            .prepare_cached("SELECT data, version FROM people WHERE tenant_id = ?1 AND id = ?2")?
            .query_row(params![self.t, id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(data, version)| Ok((serde_json::from_str(&data)?, version))).transpose()
    }

    async fn has_people(&mut self) -> TxResult<bool> {
        Ok(self
            .c
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM people WHERE tenant_id = ?1)")?
            .query_row(params![self.t], |r| r.get(0))?)
    }

    async fn other_active_owners(&mut self, except: Uuid) -> TxResult<u64> {
        Ok(self
            .c
            .prepare_cached(
                "SELECT count(*) FROM people WHERE tenant_id = ?1 AND id <> ?2 AND role = 'owner' AND active = 1",
            )?
            .query_row(params![self.t, except.to_string()], |r| r.get(0))?)
    }

    async fn write_person(&mut self, p: &PersonPayload, version: u64, now: DateTime<Utc>) -> TxResult<()> {
        self.c
            .prepare_cached(
                "INSERT INTO people (tenant_id, id, data, role, active, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (tenant_id, id) DO UPDATE SET data = excluded.data, role = excluded.role,
                     active = excluded.active, version = excluded.version, updated_at = excluded.updated_at",
            )?
            .execute(params![
                self.t,
                p.person_id.to_string(),
                serde_json::to_string(p)?,
                p.role.code(),
                p.active,
                version,
                ts(now)
            ])?;
        Ok(())
    }

    async fn insert_price(
        &mut self,
        p: &GoldPricePayload,
        origin: PriceOrigin,
        device: Option<Uuid>,
    ) -> TxResult<bool> {
        let n = self
            .c
            .prepare_cached(
                "INSERT INTO gold_prices (tenant_id, id, per_gram_18k, mazaneh, set_at, origin, set_by, device_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                self.t,
                p.price_id.to_string(),
                p.per_gram_18k.to_string(),
                p.mazaneh.map(|m| m.to_string()),
                ts(p.set_at),
                origin.code(),
                p.set_by,
                device.map(|d| d.to_string()),
            ])?;
        Ok(n == 1)
    }

    async fn shop_price_at(&mut self, at: DateTime<Utc>) -> TxResult<Option<GoldPricePayload>> {
        self.price_where(SHOP_PRICE_AT, &ts(at))
    }

    async fn shop_price(&mut self, id: Uuid) -> TxResult<Option<GoldPricePayload>> {
        self.price_where(SHOP_PRICE, &id.to_string())
    }

    async fn shop_price_replaced(&mut self, set_at: DateTime<Utc>) -> TxResult<Option<DateTime<Utc>>> {
        let at: Option<String> = self
            .c
            .prepare_cached(
                "SELECT min(set_at) FROM gold_prices WHERE tenant_id = ?1 AND origin = 'server' AND set_at > ?2",
            )?
            .query_row(params![self.t, ts(set_at)], |r| r.get(0))?;
        at.as_deref().map(parse_ts).transpose()
    }

    async fn conflict_of_op(&mut self, op_id: Uuid) -> TxResult<Option<(ConflictState, Op)>> {
        let row: Option<(String, String)> = self
            .c
            .prepare_cached("SELECT state, op FROM conflicts WHERE tenant_id = ?1 AND op_id = ?2")?
            .query_row(params![self.t, op_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(state, op)| Ok((serde_json::from_str(&state)?, serde_json::from_str(&op)?))).transpose()
    }

    async fn insert_conflict(&mut self, state: &ConflictState, op: &Op) -> TxResult<()> {
        self.c
            .prepare_cached(
                "INSERT INTO conflicts (tenant_id, id, op_id, device_id, open, state, op, created_at)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7)",
            )?
            .execute(params![
                self.t,
                state.conflict_id.to_string(),
                op.op_id.to_string(),
                state.device_id.to_string(),
                serde_json::to_string(state)?,
                serde_json::to_string(op)?,
                ts(state.created_at)
            ])?;
        Ok(())
    }

    async fn update_conflict(&mut self, state: &ConflictState, op: &Op) -> TxResult<u64> {
        let id = state.conflict_id.to_string();
        self.c
            .prepare_cached(
                "UPDATE conflicts SET open = ?3, state = ?4, op = ?5, version = version + 1
                 WHERE tenant_id = ?1 AND id = ?2",
            )?
            .execute(params![self.t, id, state.open, serde_json::to_string(state)?, serde_json::to_string(op)?])?;
        self.version_of(CONFLICT_VERSION, &id)
    }

    async fn customer(&mut self, id: Uuid) -> TxResult<Option<CustomerPayload>> {
        type Row = (String, Option<String>, Option<String>, Option<String>, Option<String>, i64);
        let row: Option<Row> = self
            .c
            .prepare_cached(
                "SELECT name, mobile, national_id, economic_code, postal_code, credit_limit
                 FROM customers WHERE tenant_id = ?1 AND id = ?2",
            )?
            .query_row(params![self.t, id.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })
            .optional()?;
        Ok(row.map(|(name, mobile, national_id, economic_code, postal_code, limit)| CustomerPayload {
            customer_id: id,
            name,
            mobile,
            national_id,
            economic_code,
            postal_code,
            credit_limit: Decimal::from(limit),
        }))
    }

    async fn tax_identity(&mut self) -> TxResult<Option<crate::storage::tax::StoredTaxIdentity>> {
        let data: Option<String> = self
            .c
            .prepare_cached("SELECT data FROM tax_identities WHERE tenant_id = ?1")?
            .query_row(params![self.t], |r| r.get(0))
            .optional()?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    async fn put_tax_identity(
        &mut self,
        identity: &crate::storage::tax::StoredTaxIdentity,
        now: DateTime<Utc>,
    ) -> TxResult<()> {
        self.c
            .prepare_cached(
                "INSERT INTO tax_identities (tenant_id, data, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            )?
            .execute(params![self.t, serde_json::to_string(identity)?, ts(now)])?;
        Ok(())
    }

    async fn next_tax_serial(&mut self, memory_id: &str) -> TxResult<u64> {
        Ok(self
            .c
            .prepare_cached(
                "INSERT INTO tax_serials (tenant_id, memory_id, last) VALUES (?1, ?2, 1)
                 ON CONFLICT (tenant_id, memory_id) DO UPDATE SET last = last + 1 RETURNING last",
            )?
            .query_row(params![self.t, memory_id], |r| r.get(0))?)
    }

    async fn latest_tax_invoice(
        &mut self,
        subject: zargar_wire::TaxSubject,
        id: Uuid,
    ) -> TxResult<Option<crate::storage::tax::TaxInvoiceRow>> {
        let data: Option<String> = self
            .c
            .prepare_cached(
                "SELECT data FROM tax_invoices WHERE tenant_id = ?1 AND subject = ?2 AND subject_id = ?3
                 ORDER BY serial DESC LIMIT 1",
            )?
            .query_row(params![self.t, subject.code(), id.to_string()], |r| r.get(0))
            .optional()?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    async fn tax_invoice(&mut self, tax_id: &str) -> TxResult<Option<crate::storage::tax::TaxInvoiceRow>> {
        let data: Option<String> = self
            .c
            .prepare_cached("SELECT data FROM tax_invoices WHERE tenant_id = ?1 AND tax_id = ?2")?
            .query_row(params![self.t, tax_id], |r| r.get(0))
            .optional()?;
        data.map(|d| Ok(serde_json::from_str(&d)?)).transpose()
    }

    async fn put_tax_invoice(&mut self, row: &crate::storage::tax::TaxInvoiceRow) -> TxResult<u64> {
        let s = &row.state;
        Ok(self
            .c
            .prepare_cached(
                "INSERT INTO tax_invoices (tenant_id, id, subject, subject_id, tax_id, memory_id, serial, status,
                                           version, next_at, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?10)
                 ON CONFLICT (tenant_id, id) DO UPDATE SET status = excluded.status, next_at = excluded.next_at,
                     data = excluded.data, version = version + 1
                 RETURNING version",
            )?
            .query_row(
                params![
                    self.t,
                    s.invoice_id.to_string(),
                    s.subject.code(),
                    row.subject_id().to_string(),
                    s.tax_id,
                    row.memory_id,
                    s.serial,
                    s.status.code(),
                    ts(row.next_at),
                    serde_json::to_string(row)?
                ],
                |r| r.get(0),
            )?)
    }

    async fn due_tax_invoices(
        &mut self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> TxResult<Vec<crate::storage::tax::TaxInvoiceRow>> {
        let mut st = self.c.prepare_cached(
            "SELECT data FROM tax_invoices WHERE tenant_id = ?1 AND status IN ('queued', 'sent') AND next_at <= ?2
             ORDER BY serial LIMIT ?3",
        )?;
        let rows = st.query_map(params![self.t, ts(now), limit], |r| r.get::<_, String>(0))?;
        rows.map(|d| Ok(serde_json::from_str(&d?)?)).collect()
    }

    async fn tax_invoices(&mut self, limit: u32) -> TxResult<Vec<crate::storage::tax::TaxInvoiceRow>> {
        let mut st = self
            .c
            .prepare_cached("SELECT data FROM tax_invoices WHERE tenant_id = ?1 ORDER BY serial DESC LIMIT ?2")?;
        let rows = st.query_map(params![self.t, limit], |r| r.get::<_, String>(0))?;
        rows.map(|d| Ok(serde_json::from_str(&d?)?)).collect()
    }

    async fn savepoint(&mut self, name: &'static str) -> TxResult<()> {
        Ok(self.c.execute_batch(&format!("SAVEPOINT {name}"))?)
    }

    async fn rollback_to(&mut self, name: &'static str) -> TxResult<()> {
        Ok(self.c.execute_batch(&format!("ROLLBACK TO {name}"))?)
    }

    async fn release(&mut self, name: &'static str) -> TxResult<()> {
        Ok(self.c.execute_batch(&format!("RELEASE {name}"))?)
    }
}

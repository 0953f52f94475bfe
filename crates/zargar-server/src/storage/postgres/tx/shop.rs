//! `TenantTx` on a `PgTx`: the push's reads and writes, with what was read
//! ahead and what is kept for the commit.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use tokio_postgres::Row;
use uuid::Uuid;
use zargar_wire::{
    AccountMoveChange, Change, ConflictState, CustomerPayload, GoldPricePayload, ItemPayload, ItemStatus, Op, OpBody,
    OpResult, PersonPayload, PriceScope, ReturnPayload, SalePayload, ShiftPayload, TenantSettings,
};

use super::{Batched, Kept, PendingClaim, PendingResult, PendingSale, PgTx, PriceWindow};
use crate::storage::StorageError;
use crate::storage::codes::read_code;
use crate::storage::log::retention_key;
use crate::storage::postgres::rows::{count, i64_of};
use crate::storage::tx::{AuditRecord, DeviceHead, PriceOrigin, Receipt, SaleStatus, StoredItem, TenantTx, TxResult};

const ITEM_AHEAD: &str = "SELECT i.data, i.status, i.sale_id, i.sold_by, d.name, i.version FROM items i
     LEFT JOIN devices d ON d.id = i.sold_by WHERE i.tenant_id = $1 AND i.id = ANY($2)";

const SALES_AHEAD: &str = "SELECT id FROM sales WHERE tenant_id = $1 AND id = ANY($2)";
const SETTINGS: &str = "SELECT data, version FROM tenant_settings WHERE tenant_id = $1";
/// The shop's price in force at $2 and every later one.
const PRICES_FROM: &str = "SELECT p.id, p.per_gram_18k, p.mazaneh, p.set_at, p.origin, p.set_by, d.name
     FROM gold_prices p LEFT JOIN devices d ON d.id = p.device_id
     WHERE p.tenant_id = $1 AND p.origin = 'server' AND p.set_at >= COALESCE(
         (SELECT max(set_at) FROM gold_prices WHERE tenant_id = $1 AND origin = 'server' AND set_at <= $2),
         '-infinity')
     ORDER BY p.set_at";

fn settings_from(rows: &[Row]) -> TxResult<(TenantSettings, u64)> {
    let Some(row) = rows.first() else { return Err(StorageError::TenantUnknown) };
    Ok((serde_json::from_str(row.get::<_, &str>(0))?, count(row.get(1))?))
}

const ITEM_BY_ID: &str = "SELECT i.data, i.status, i.sale_id, i.sold_by, d.name FROM items i
     LEFT JOIN devices d ON d.id = i.sold_by WHERE i.tenant_id = $1 AND i.id = $2";
const ITEM_BY_TAG: &str = "SELECT i.data, i.status, i.sale_id, i.sold_by, d.name FROM items i
     LEFT JOIN devices d ON d.id = i.sold_by WHERE i.tenant_id = $1 AND i.tag = $2";

fn item_from_row(row: &Row) -> TxResult<StoredItem> {
    let mut payload: ItemPayload = serde_json::from_str(row.get::<_, &str>(0))?;
    payload.status = read_code(ItemStatus::from_code, row.get(1))?;
    Ok(StoredItem { payload, sale_id: row.get(2), sold_by: row.get(3), sold_by_name: row.get(4) })
}

pub fn price_from_row(row: &Row) -> GoldPricePayload {
    GoldPricePayload {
        price_id: row.get(0),
        per_gram_18k: row.get(1),
        mazaneh: row.get(2),
        set_at: row.get(3),
        scope: if row.get::<_, &str>(4) == "server" { PriceScope::Shop } else { PriceScope::Till },
        set_by: row.get(5),
        set_at_till: row.get(6),
    }
}

impl TenantTx for PgTx<'_> {
    fn tenant(&self) -> Uuid {
        self.tenant
    }

    async fn prefetch(&mut self, ops: &[&Op]) -> TxResult<()> {
        let mut items = Vec::new();
        let mut sales = Vec::new();
        let mut first_sold: Option<DateTime<Utc>> = None;
        for op in ops {
            match &op.body {
                OpBody::SaleCreate(sale) => {
                    sales.push(sale.sale_id);
                    items.extend(sale.lines.iter().map(|l| l.item_id));
                    first_sold = Some(first_sold.map_or(sale.sold_at, |f| f.min(sale.sold_at)));
                }
                OpBody::SaleReturn(ret) => {
                    sales.push(ret.sale_id);
                    items.extend(&ret.item_ids);
                }
                _ => {}
            }
        }
        // The shop's settings, the pieces, the sales and the prices the batch
        // will ask for, read in one round trip.
        let t = self.tenant;
        let mut reads = vec![Batched::new(SETTINGS, vec![Box::new(t)])];
        for (wanted, sql, ids) in
            [(!items.is_empty(), ITEM_AHEAD, items), (!sales.is_empty(), SALES_AHEAD, sales.clone())]
        {
            if wanted {
                reads.push(Batched::new(sql, vec![Box::new(t), Box::new(ids)]));
            }
        }
        if let Some(at) = first_sold {
            reads.push(Batched::new(PRICES_FROM, vec![Box::new(t), Box::new(at)]));
        }
        let mut answers = self.query_together(&reads).await?.into_iter();
        let mut next = || answers.next().ok_or_else(|| StorageError::stored("a read ahead went unanswered"));
        self.settings = Some(settings_from(&next()?)?);
        if reads.iter().any(|r| r.sql == ITEM_AHEAD) {
            for row in &next()? {
                let item = item_from_row(row)?;
                self.items.insert(item.payload.item_id, (item, count(row.get(5))?));
            }
        }
        if reads.iter().any(|r| r.sql == SALES_AHEAD) {
            for id in &sales {
                self.sale_known.entry(*id).or_insert(false);
            }
            for row in &next()? {
                self.sale_known.insert(row.get(0), true);
            }
        }
        if let Some(from) = first_sold {
            self.prices = Some(PriceWindow { from, prices: next()?.iter().map(price_from_row).collect() });
        }
        Ok(())
    }

    async fn device_head(&mut self, device: Uuid) -> TxResult<Option<DeviceHead>> {
        // FOR UPDATE: a second push of this device, to any server process,
        // waits here until this one commits, then sees its head.
        let t = self.tenant;
        let row = self
            .row(
                "SELECT last_seq, journal_index, journal_hash, revoked_at IS NOT NULL FROM devices
                 WHERE id = $1 AND tenant_id = $2 FOR UPDATE",
                &[&device, &t],
            )
            .await?;
        row.map(|r| {
            Ok(DeviceHead {
                last_seq: count(r.get(0))?,
                journal_index: count(r.get(1))?,
                journal_hash: r.get(2),
                revoked: r.get(3),
            })
        })
        .transpose()
    }

    async fn set_device_head(&mut self, device: Uuid, head: &DeviceHead, now: DateTime<Utc>) -> TxResult<()> {
        // Its row is locked since `device_head`: written at commit, with the rest.
        self.head = Some((device, head.clone(), now));
        Ok(())
    }

    async fn stored_results(&mut self, device: Uuid, op_ids: &[Uuid]) -> TxResult<HashMap<Uuid, OpResult>> {
        // One round trip for the whole batch.
        let rows = self
            .rows("SELECT op_id, result FROM op_results WHERE device_id = $1 AND op_id = ANY($2)", &[&device, &op_ids])
            .await?;
        rows.iter().map(|r| Ok((r.get(0), serde_json::from_str(r.get::<_, &str>(1))?))).collect()
    }

    async fn record_result(&mut self, device: Uuid, op: &Op, result: &OpResult, now: DateTime<Utc>) -> TxResult<()> {
        self.results.push(PendingResult {
            device,
            op_id: op.op_id,
            seq: i64_of(op.seq)?,
            kind: op.body.kind(),
            entity_id: op.entity_id,
            result: serde_json::to_string(result)?,
            at: now,
        });
        Ok(())
    }

    async fn settings(&mut self) -> TxResult<(TenantSettings, u64)> {
        if let Some(known) = &self.settings {
            return Ok(known.clone());
        }
        let t = self.tenant;
        let rows = self.rows(SETTINGS, &[&t]).await?;
        let read = settings_from(&rows)?;
        self.settings = Some(read.clone());
        Ok(read)
    }

    async fn save_settings(&mut self, settings: &TenantSettings, version: u64) -> TxResult<()> {
        let t = self.tenant;
        self.exec(
            "INSERT INTO tenant_settings (tenant_id, data, version) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id) DO UPDATE SET data = excluded.data, version = excluded.version",
            &[&t, &serde_json::to_string(settings)?, &i64_of(version)?],
        )
        .await?;
        self.settings = Some((settings.clone(), version));
        Ok(())
    }

    async fn log_change(&mut self, change: &Change) -> TxResult<()> {
        self.changes.push((retention_key(change), serde_json::to_string(change)?));
        Ok(())
    }

    async fn audit(&mut self, e: &AuditRecord<'_>) -> TxResult<()> {
        let t = self.tenant;
        self.exec(
            "INSERT INTO audit (tenant_id, at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&t, &e.at, &e.actor, &e.action, &e.subject, &e.detail.to_string()],
        )
        .await?;
        Ok(())
    }

    async fn item(&mut self, id: Uuid) -> TxResult<Option<StoredItem>> {
        if let Some((item, _)) = self.items.get(&id) {
            return Ok(Some(item.clone()));
        }
        let t = self.tenant;
        self.row(ITEM_BY_ID, &[&t, &id]).await?.as_ref().map(item_from_row).transpose()
    }

    async fn item_by_tag(&mut self, tag: &str) -> TxResult<Option<StoredItem>> {
        self.write_claims().await?;
        let t = self.tenant;
        self.row(ITEM_BY_TAG, &[&t, &tag]).await?.as_ref().map(item_from_row).transpose()
    }

    async fn write_item(&mut self, item: &ItemPayload, now: DateTime<Utc>) -> TxResult<u64> {
        self.write_claims().await?;
        self.items.remove(&item.item_id);
        let t = self.tenant;
        let row = self
            .one(
                "INSERT INTO items (tenant_id, id, tag, data, status, version, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6)
                 ON CONFLICT (tenant_id, id) DO UPDATE SET tag = excluded.tag, data = excluded.data,
                     status = excluded.status, version = items.version + 1, updated_at = excluded.updated_at
                 RETURNING version",
                &[&t, &item.item_id, &item.tag, &serde_json::to_string(item)?, &item.status.code(), &now],
            )
            .await?;
        count(row.get(0))
    }

    async fn claim_item(&mut self, id: Uuid, sale: Uuid, device: Uuid, now: DateTime<Utc>) -> TxResult<Option<u64>> {
        if self.claim_in_batch
            && let Some((item, version)) = self.items.get_mut(&id)
            && item.payload.status == ItemStatus::InStock
        {
            let before = item.clone();
            item.payload.status = ItemStatus::Sold;
            item.sale_id = Some(sale);
            item.sold_by = Some(device);
            item.sold_by_name = None;
            *version += 1;
            self.claims.push(PendingClaim { id, sale, device, at: now, version: *version, before });
            return Ok(Some(*version));
        }
        // Not known to be free: ask the database, after what is claimed so far.
        self.write_claims().await?;
        self.items.remove(&id);
        let t = self.tenant;
        let row = self
            .row(
                "UPDATE items SET status = 'sold', sale_id = $3, sold_by = $4, version = version + 1, updated_at = $5
                 WHERE tenant_id = $1 AND id = $2 AND status = 'in_stock' RETURNING version",
                &[&t, &id, &sale, &device, &now],
            )
            .await?;
        row.map(|r| count(r.get(0))).transpose()
    }

    async fn set_item_status(
        &mut self,
        id: Uuid,
        status: ItemStatus,
        held_by: Option<(Uuid, Uuid)>,
        now: DateTime<Utc>,
    ) -> TxResult<u64> {
        self.write_claims().await?;
        self.items.remove(&id);
        let t = self.tenant;
        let row = self
            .one(
                "UPDATE items SET status = $3, sale_id = $4, sold_by = $5, version = version + 1, updated_at = $6
                 WHERE tenant_id = $1 AND id = $2 RETURNING version",
                &[&t, &id, &status.code(), &held_by.map(|(s, _)| s), &held_by.map(|(_, d)| d), &now],
            )
            .await?;
        count(row.get(0))
    }

    async fn insert_shift(&mut self, s: &ShiftPayload, from: Receipt) -> TxResult<bool> {
        let t = self.tenant;
        let data = serde_json::to_string(s)?;
        let added = self
            .exec(
                "INSERT INTO shifts (tenant_id, id, device_id, z_no, closed_at, data, op_id, received_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                &[&t, &s.shift_id, &from.device, &i64_of(s.z_no)?, &s.closed_at, &data, &from.op_id, &from.at],
            )
            .await?;
        Ok(added == 1)
    }

    async fn sale_exists(&mut self, id: Uuid) -> TxResult<bool> {
        if let Some(known) = self.sale_known.get(&id) {
            return Ok(*known);
        }
        let t = self.tenant;
        let row = self.one("SELECT EXISTS (SELECT 1 FROM sales WHERE tenant_id = $1 AND id = $2)", &[&t, &id]).await?;
        Ok(row.get(0))
    }

    async fn sale(&mut self, id: Uuid) -> TxResult<Option<(SalePayload, SaleStatus)>> {
        if let Some(p) = self.sales.iter().find(|p| p.sale.sale_id == id) {
            return Ok(Some((p.sale.clone(), p.status)));
        }
        let t = self.tenant;
        let row = self.row("SELECT payload, status FROM sales WHERE tenant_id = $1 AND id = $2", &[&t, &id]).await?;
        row.map(|r| Ok((serde_json::from_str(r.get::<_, &str>(0))?, SaleStatus::parse(r.get(1))?))).transpose()
    }

    async fn insert_sale(&mut self, sale: &SalePayload, status: SaleStatus, from: Receipt) -> TxResult<()> {
        self.sale_known.insert(sale.sale_id, true);
        self.sales.push(PendingSale { from, sale: sale.clone(), status });
        Ok(())
    }

    async fn delete_sale(&mut self, id: Uuid) -> TxResult<()> {
        self.sale_known.insert(id, false);
        if let Some(i) = self.sales.iter().position(|p| p.sale.sale_id == id) {
            self.sales.remove(i);
            return Ok(());
        }
        let t = self.tenant;
        self.exec("DELETE FROM sale_lines WHERE tenant_id = $1 AND sale_id = $2", &[&t, &id]).await?;
        self.exec("DELETE FROM sales WHERE tenant_id = $1 AND id = $2", &[&t, &id]).await?;
        Ok(())
    }

    async fn set_sale_status(&mut self, id: Uuid, status: SaleStatus) -> TxResult<()> {
        if let Some(p) = self.sales.iter_mut().find(|p| p.sale.sale_id == id) {
            p.status = status;
            return Ok(());
        }
        let t = self.tenant;
        self.exec("UPDATE sales SET status = $3 WHERE tenant_id = $1 AND id = $2", &[&t, &id, &status.code()]).await?;
        Ok(())
    }

    async fn insert_return(&mut self, ret: &ReturnPayload, from: Receipt) -> TxResult<()> {
        let t = self.tenant;
        let seller = from.by.as_ref().map(serde_json::to_string).transpose()?;
        self.exec(
            "INSERT INTO returns (tenant_id, id, sale_id, device_id, payload, received_at, seller, returned_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &t,
                &ret.return_id,
                &ret.sale_id,
                &from.device,
                &serde_json::to_string(ret)?,
                &from.at,
                &seller,
                &ret.returned_at,
            ],
        )
        .await?;
        Ok(())
    }

    async fn customer_version(&mut self, id: Uuid) -> TxResult<Option<u64>> {
        let t = self.tenant;
        let row = self.row("SELECT version FROM customers WHERE tenant_id = $1 AND id = $2", &[&t, &id]).await?;
        row.map(|r| count(r.get(0))).transpose()
    }

    async fn customer_sharing_ids(&mut self, cu: &CustomerPayload) -> TxResult<Option<Uuid>> {
        let t = self.tenant;
        let row = self
            .row(
                "SELECT id FROM customers WHERE tenant_id = $1 AND id <> $2
                 AND (($3::text IS NOT NULL AND national_id = $3) OR ($4::text IS NOT NULL AND mobile = $4)) LIMIT 1",
                &[&t, &cu.customer_id, &cu.national_id, &cu.mobile],
            )
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn write_customer(&mut self, cu: &CustomerPayload, version: u64, now: DateTime<Utc>) -> TxResult<()> {
        let t = self.tenant;
        let limit = i64::try_from(cu.credit_limit.trunc()).map_err(|_| StorageError::stored("credit_limit"))?;
        self.exec(
            "INSERT INTO customers (tenant_id, id, name, mobile, national_id, version, updated_at, credit_limit,
                                    economic_code, postal_code)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, mobile = excluded.mobile,
                 national_id = excluded.national_id, version = excluded.version, updated_at = excluded.updated_at,
                 credit_limit = excluded.credit_limit, economic_code = excluded.economic_code,
                 postal_code = excluded.postal_code",
            &[
                &t,
                &cu.customer_id,
                &cu.name,
                &cu.mobile,
                &cu.national_id,
                &i64_of(version)?,
                &now,
                &limit,
                &cu.economic_code,
                &cu.postal_code,
            ],
        )
        .await?;
        Ok(())
    }

    async fn customer_credit_limit(&mut self, id: Uuid) -> TxResult<Option<Decimal>> {
        let t = self.tenant;
        let row = self.row("SELECT credit_limit FROM customers WHERE tenant_id = $1 AND id = $2", &[&t, &id]).await?;
        Ok(row.map(|r| Decimal::from(r.get::<_, i64>(0))))
    }

    async fn account_move(&mut self, id: Uuid) -> TxResult<Option<AccountMoveChange>> {
        let t = self.tenant;
        let row = self.row("SELECT data FROM account_moves WHERE tenant_id = $1 AND id = $2", &[&t, &id]).await?;
        row.map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).transpose()
    }

    async fn put_account_move(&mut self, m: &AccountMoveChange, op_id: Uuid, at: DateTime<Utc>) -> TxResult<()> {
        let t = self.tenant;
        let v = &m.movement;
        let rial = i64::try_from(v.rial.trunc()).map_err(|_| StorageError::stored("rial"))?;
        let data = serde_json::to_string(m)?;
        self.exec(
            "INSERT INTO account_moves (tenant_id, id, customer_id, kind, rial, gold_mg, status, moved_at,
                                        device_id, op_id, received_at, data)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (tenant_id, id) DO UPDATE SET customer_id = excluded.customer_id, kind = excluded.kind,
                 rial = excluded.rial, gold_mg = excluded.gold_mg, status = excluded.status,
                 moved_at = excluded.moved_at, data = excluded.data",
            &[
                &t,
                &v.move_id,
                &v.customer_id,
                &v.kind.code(),
                &rial,
                &v.gold_mg,
                &m.status.code(),
                &v.moved_at,
                &m.device_id,
                &op_id,
                &at,
                &data,
            ],
        )
        .await?;
        Ok(())
    }

    async fn account_balance(&mut self, customer: Uuid) -> TxResult<(Decimal, i64)> {
        let t = self.tenant;
        let row = self
            .one(
                "SELECT coalesce(sum(rial), 0)::bigint, coalesce(sum(gold_mg), 0)::bigint FROM account_moves
                 WHERE tenant_id = $1 AND customer_id = $2 AND status IN ('applied', 'accepted')",
                &[&t, &customer],
            )
            .await?;
        Ok((Decimal::from(row.get::<_, i64>(0)), row.get(1)))
    }

    async fn account_spends(
        &mut self,
        customer: Uuid,
        since: DateTime<Utc>,
        except: Uuid,
    ) -> TxResult<Vec<AccountMoveChange>> {
        let t = self.tenant;
        let rows = self
            .rows(
                "SELECT data FROM account_moves
                 WHERE tenant_id = $1 AND customer_id = $2 AND moved_at >= $3 AND device_id <> $4
                   AND status IN ('applied', 'accepted') AND (rial < 0 OR gold_mg < 0)
                 ORDER BY moved_at LIMIT 20",
                &[&t, &customer, &since, &except],
            )
            .await?;
        rows.iter().map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).collect()
    }

    async fn installment_plan(&mut self, id: Uuid) -> TxResult<Option<zargar_wire::InstallmentPlanPayload>> {
        let t = self.tenant;
        let row = self.row("SELECT data FROM installment_plans WHERE tenant_id = $1 AND id = $2", &[&t, &id]).await?;
        row.map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).transpose()
    }

    async fn insert_installment_plan(
        &mut self,
        plan: &zargar_wire::InstallmentPlanPayload,
        op_id: Uuid,
        at: DateTime<Utc>,
    ) -> TxResult<bool> {
        let t = self.tenant;
        let data = serde_json::to_string(plan)?;
        let added = self
            .exec(
                "INSERT INTO installment_plans (tenant_id, id, customer_id, data, op_id, received_at)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[&t, &plan.plan_id, &plan.customer_id, &data, &op_id, &at],
            )
            .await?;
        Ok(added == 1)
    }

    async fn layaway(&mut self, id: Uuid) -> TxResult<Option<zargar_wire::LayawayPayload>> {
        let t = self.tenant;
        let row = self.row("SELECT data FROM layaways WHERE tenant_id = $1 AND id = $2", &[&t, &id]).await?;
        row.map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).transpose()
    }

    async fn put_layaway(&mut self, l: &zargar_wire::LayawayPayload, op_id: Uuid, at: DateTime<Utc>) -> TxResult<()> {
        let t = self.tenant;
        let data = serde_json::to_string(l)?;
        self.exec(
            "INSERT INTO layaways (tenant_id, id, customer_id, data, op_id, received_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (tenant_id, id) DO UPDATE SET data = excluded.data",
            &[&t, &l.layaway_id, &l.customer_id, &data, &op_id, &at],
        )
        .await?;
        Ok(())
    }

    async fn reserve_item(
        &mut self,
        id: Uuid,
        layaway: Uuid,
        device: Uuid,
        now: DateTime<Utc>,
    ) -> TxResult<Option<u64>> {
        // After what this push has claimed so far, as the slow path of `claim_item`.
        self.write_claims().await?;
        self.items.remove(&id);
        let t = self.tenant;
        let row = self
            .row(
                "UPDATE items SET status = 'reserved', sale_id = $3, sold_by = $4, version = version + 1,
                                  updated_at = $5
                 WHERE tenant_id = $1 AND id = $2 AND status = 'in_stock' RETURNING version",
                &[&t, &id, &layaway, &device, &now],
            )
            .await?;
        row.map(|r| count(r.get(0))).transpose()
    }

    async fn person(&mut self, id: Uuid) -> TxResult<Option<(PersonPayload, u64)>> {
        let t = self.tenant;
        let row = self.row("SELECT data, version FROM people WHERE tenant_id = $1 AND id = $2", &[&t, &id]).await?;
        row.map(|r| Ok((serde_json::from_str(r.get::<_, &str>(0))?, count(r.get(1))?))).transpose()
    }

    async fn has_people(&mut self) -> TxResult<bool> {
        let t = self.tenant;
        let row = self.row("SELECT EXISTS (SELECT 1 FROM people WHERE tenant_id = $1)", &[&t]).await?;
        Ok(row.is_some_and(|r| r.get(0)))
    }

    async fn other_active_owners(&mut self, except: Uuid) -> TxResult<u64> {
        let t = self.tenant;
        let row = self
            .row(
                "SELECT count(*) FROM people WHERE tenant_id = $1 AND id <> $2 AND role = 'owner' AND active",
                &[&t, &except],
            )
            .await?;
        row.map_or(Ok(0), |r| count(r.get(0)))
    }

    async fn write_person(&mut self, p: &PersonPayload, version: u64, now: DateTime<Utc>) -> TxResult<()> {
        let t = self.tenant;
        let data = serde_json::to_string(p)?;
        self.exec(
            "INSERT INTO people (tenant_id, id, data, role, active, version, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (tenant_id, id) DO UPDATE SET data = excluded.data, role = excluded.role,
                 active = excluded.active, version = excluded.version, updated_at = excluded.updated_at",
            &[&t, &p.person_id, &data, &p.role.code(), &p.active, &i64_of(version)?, &now],
        )
        .await?;
        Ok(())
    }

    async fn insert_price(
        &mut self,
        p: &GoldPricePayload,
        origin: PriceOrigin,
        device: Option<Uuid>,
    ) -> TxResult<bool> {
        if origin == PriceOrigin::Server {
            self.prices = None;
        }
        let t = self.tenant;
        let n = self
            .exec(
                "INSERT INTO gold_prices (tenant_id, id, per_gram_18k, mazaneh, set_at, origin, set_by, device_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT DO NOTHING",
                &[&t, &p.price_id, &p.per_gram_18k, &p.mazaneh, &p.set_at, &origin.code(), &p.set_by, &device],
            )
            .await?;
        Ok(n == 1)
    }

    async fn shop_price_at(&mut self, at: DateTime<Utc>) -> TxResult<Option<GoldPricePayload>> {
        if let Some(known) = self.prices.as_ref().and_then(|w| w.at(at)) {
            return Ok(known);
        }
        // The price in force at `at` and every later one: a batch's sales, in
        // time order, are then answered from memory.
        let t = self.tenant;
        let rows = self.rows(PRICES_FROM, &[&t, &at]).await?;
        let window = PriceWindow { from: at, prices: rows.iter().map(price_from_row).collect() };
        let found = window.at(at).flatten();
        self.prices = Some(window);
        Ok(found)
    }

    async fn shop_price(&mut self, id: Uuid) -> TxResult<Option<GoldPricePayload>> {
        if let Some(p) = self.prices.as_ref().and_then(|w| w.prices.iter().find(|p| p.price_id == id)) {
            return Ok(Some(p.clone()));
        }
        let t = self.tenant;
        let row = self
            .row(
                "SELECT p.id, p.per_gram_18k, p.mazaneh, p.set_at, p.origin, p.set_by, d.name
                 FROM gold_prices p LEFT JOIN devices d ON d.id = p.device_id
                 WHERE p.tenant_id = $1 AND p.id = $2 AND p.origin = 'server'",
                &[&t, &id],
            )
            .await?;
        Ok(row.as_ref().map(price_from_row))
    }

    async fn shop_price_replaced(&mut self, set_at: DateTime<Utc>) -> TxResult<Option<DateTime<Utc>>> {
        // The window holds every price after its first: it knows for any price in it.
        if let Some(w) = &self.prices
            && w.prices.first().is_some_and(|p| p.set_at <= set_at)
        {
            return Ok(w.prices.iter().find(|p| p.set_at > set_at).map(|p| p.set_at));
        }
        let t = self.tenant;
        let row = self
            .one(
                "SELECT min(set_at) FROM gold_prices WHERE tenant_id = $1 AND origin = 'server' AND set_at > $2",
                &[&t, &set_at],
            )
            .await?;
        Ok(row.get(0))
    }

    async fn conflict_of_op(&mut self, op_id: Uuid) -> TxResult<Option<(ConflictState, Op)>> {
        let t = self.tenant;
        let row =
            self.row("SELECT state, op FROM conflicts WHERE tenant_id = $1 AND op_id = $2", &[&t, &op_id]).await?;
        row.map(|r| Ok((serde_json::from_str(r.get::<_, &str>(0))?, serde_json::from_str(r.get::<_, &str>(1))?)))
            .transpose()
    }

    async fn insert_conflict(&mut self, state: &ConflictState, op: &Op) -> TxResult<()> {
        let t = self.tenant;
        self.exec(
            "INSERT INTO conflicts (tenant_id, id, op_id, device_id, open, state, op, created_at)
             VALUES ($1, $2, $3, $4, true, $5, $6, $7)",
            &[
                &t,
                &state.conflict_id,
                &op.op_id,
                &state.device_id,
                &serde_json::to_string(state)?,
                &serde_json::to_string(op)?,
                &state.created_at,
            ],
        )
        .await?;
        Ok(())
    }

    async fn update_conflict(&mut self, state: &ConflictState, op: &Op) -> TxResult<u64> {
        let t = self.tenant;
        let row = self
            .one(
                "UPDATE conflicts SET open = $3, state = $4, op = $5, version = version + 1
                 WHERE tenant_id = $1 AND id = $2 RETURNING version",
                &[&t, &state.conflict_id, &state.open, &serde_json::to_string(state)?, &serde_json::to_string(op)?],
            )
            .await?;
        count(row.get(0))
    }

    async fn customer(&mut self, id: Uuid) -> TxResult<Option<CustomerPayload>> {
        let t = self.tenant;
        let row = self
            .row(
                "SELECT name, mobile, national_id, economic_code, postal_code, credit_limit
                 FROM customers WHERE tenant_id = $1 AND id = $2",
                &[&t, &id],
            )
            .await?;
        Ok(row.map(|r| CustomerPayload {
            customer_id: id,
            name: r.get(0),
            mobile: r.get(1),
            national_id: r.get(2),
            economic_code: r.get(3),
            postal_code: r.get(4),
            credit_limit: Decimal::from(r.get::<_, i64>(5)),
        }))
    }

    async fn tax_identity(&mut self) -> TxResult<Option<crate::storage::tax::StoredTaxIdentity>> {
        let t = self.tenant;
        let row = self.row("SELECT data FROM tax_identities WHERE tenant_id = $1", &[&t]).await?;
        row.map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).transpose()
    }

    async fn put_tax_identity(
        &mut self,
        identity: &crate::storage::tax::StoredTaxIdentity,
        now: DateTime<Utc>,
    ) -> TxResult<()> {
        let t = self.tenant;
        let data = serde_json::to_string(identity)?;
        self.exec(
            "INSERT INTO tax_identities (tenant_id, data, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            &[&t, &data, &now],
        )
        .await?;
        Ok(())
    }

    async fn next_tax_serial(&mut self, memory_id: &str) -> TxResult<u64> {
        let t = self.tenant;
        let row = self
            .row(
                "INSERT INTO tax_serials (tenant_id, memory_id, last) VALUES ($1, $2, 1)
                 ON CONFLICT (tenant_id, memory_id) DO UPDATE SET last = tax_serials.last + 1 RETURNING last",
                &[&t, &memory_id],
            )
            .await?;
        row.map(|r| count(r.get(0))).transpose()?.ok_or_else(|| StorageError::stored("tax serial"))
    }

    async fn latest_tax_invoice(
        &mut self,
        subject: zargar_wire::TaxSubject,
        id: Uuid,
    ) -> TxResult<Option<crate::storage::tax::TaxInvoiceRow>> {
        let t = self.tenant;
        let row = self
            .row(
                "SELECT data FROM tax_invoices WHERE tenant_id = $1 AND subject = $2 AND subject_id = $3
                 ORDER BY serial DESC LIMIT 1",
                &[&t, &subject.code(), &id],
            )
            .await?;
        row.map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).transpose()
    }

    async fn tax_invoice(&mut self, tax_id: &str) -> TxResult<Option<crate::storage::tax::TaxInvoiceRow>> {
        let t = self.tenant;
        let row =
            self.row("SELECT data FROM tax_invoices WHERE tenant_id = $1 AND tax_id = $2", &[&t, &tax_id]).await?;
        row.map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).transpose()
    }

    async fn put_tax_invoice(&mut self, row: &crate::storage::tax::TaxInvoiceRow) -> TxResult<u64> {
        let t = self.tenant;
        let s = &row.state;
        let serial = i64_of(s.serial)?;
        let data = serde_json::to_string(row)?;
        let out = self
            .row(
                "INSERT INTO tax_invoices (tenant_id, id, subject, subject_id, tax_id, memory_id, serial, status,
                                           version, next_at, data)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10)
                 ON CONFLICT (tenant_id, id) DO UPDATE SET status = excluded.status, next_at = excluded.next_at,
                     data = excluded.data, version = tax_invoices.version + 1
                 RETURNING version",
                &[
                    &t,
                    &s.invoice_id,
                    &s.subject.code(),
                    &row.subject_id(),
                    &s.tax_id,
                    &row.memory_id,
                    &serial,
                    &s.status.code(),
                    &row.next_at,
                    &data,
                ],
            )
            .await?;
        out.map(|r| count(r.get(0))).transpose()?.ok_or_else(|| StorageError::stored("tax invoice version"))
    }

    async fn due_tax_invoices(
        &mut self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> TxResult<Vec<crate::storage::tax::TaxInvoiceRow>> {
        let t = self.tenant;
        let limit = i64::from(limit);
        let rows = self
            .rows(
                "SELECT data FROM tax_invoices WHERE tenant_id = $1 AND status IN ('queued', 'sent') AND next_at <= $2
                 ORDER BY serial LIMIT $3",
                &[&t, &now, &limit],
            )
            .await?;
        rows.iter().map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).collect()
    }

    async fn tax_invoices(&mut self, limit: u32) -> TxResult<Vec<crate::storage::tax::TaxInvoiceRow>> {
        let t = self.tenant;
        let limit = i64::from(limit);
        let rows = self
            .rows("SELECT data FROM tax_invoices WHERE tenant_id = $1 ORDER BY serial DESC LIMIT $2", &[&t, &limit])
            .await?;
        rows.iter().map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).collect()
    }

    async fn savepoint(&mut self, name: &'static str) -> TxResult<()> {
        let kept = Kept {
            claims: self.claims.len(),
            changes: self.changes.len(),
            sales: self.sales.len(),
            results: self.results.len(),
        };
        self.savepoints.push((name, kept));
        Ok(self.tx.batch_execute(&format!("SAVEPOINT {name}")).await?)
    }

    async fn rollback_to(&mut self, name: &'static str) -> TxResult<()> {
        // What was kept since the savepoint is given back: claims, in memory
        // or written, and the changes, sales and results not yet written.
        let kept = self.savepoints.iter().rev().find(|(n, _)| *n == name).map_or_else(Kept::default, |(_, k)| *k);
        for claim in self.claims.drain(kept.claims..).rev() {
            self.items.insert(claim.id, (claim.before, claim.version - 1));
        }
        self.claims_written = self.claims_written.min(kept.claims);
        self.changes.truncate(kept.changes);
        for sale in self.sales.drain(kept.sales..) {
            self.sale_known.insert(sale.sale.sale_id, false);
        }
        self.results.truncate(kept.results);
        Ok(self.tx.batch_execute(&format!("ROLLBACK TO SAVEPOINT {name}")).await?)
    }

    async fn release(&mut self, name: &'static str) -> TxResult<()> {
        if let Some(i) = self.savepoints.iter().rposition(|(n, _)| *n == name) {
            self.savepoints.truncate(i);
        }
        Ok(self.tx.batch_execute(&format!("RELEASE SAVEPOINT {name}")).await?)
    }
}

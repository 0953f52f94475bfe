//! The embedded default: one SQLite file in WAL mode, one writer thread
//! that commits in groups (`writer`), readers beside it (`read`), the
//! shared push and owner's writes run on `SqliteTx` (`tx`), and the
//! file's encodings (`rows`).

mod prune;
mod read;
mod rows;
mod tx;
mod writer;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;
use zargar_wire::{
    ConflictState, DeviceRole, ExportRow, GoldPricePayload, ItemPayload, Op, StatusResponse, TenantRef, TenantSettings,
};

use self::rows::{parse_ts, parse_uuid, ts};
use self::tx::{SqliteTx, run_now};
use self::writer::{Engine, open_connection};
use super::codes::read_code;
use super::tx::AuditRecord;
use super::{
    AuditEntry, ChangePos, DeviceAuth, EnrolCode, Enrolment, Pruned, PullOutcome, PushOutcome, SettingsChange, Storage,
    StorageError, push, shop,
};
use crate::storage::tx::TenantTx as _;

pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/0001_init.sql"),
    include_str!("../../../migrations/0002_shop_price_by.sql"),
    include_str!("../../../migrations/0003_reenrol.sql"),
    include_str!("../../../migrations/0004_change_log.sql"),
    include_str!("../../../migrations/0005_people.sql"),
    include_str!("../../../migrations/0006_shifts.sql"),
    include_str!("../../../migrations/0007_sale_seller.sql"),
    include_str!("../../../migrations/0008_accounts.sql"),
    include_str!("../../../migrations/0009_tax.sql"),
];

#[derive(Debug, Clone)]
pub struct SqliteStorage {
    engine: Arc<Engine>,
}

fn migrate(conn: &mut Connection) -> Result<(), StorageError> {
    let current: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > MIGRATIONS.len() {
        return Err(StorageError::Setup(format!(
            "the database is at schema {current}, newer than this server knows ({})",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

impl SqliteStorage {
    /// Opens (or creates and migrates) the database and starts its writer thread.
    pub fn open(path: &Path) -> Result<SqliteStorage, StorageError> {
        let mut conn = open_connection(path)?;
        migrate(&mut conn)?;
        Ok(SqliteStorage { engine: Arc::new(Engine::start(path, conn)?) })
    }

    /// Runs one of the shared algorithms in the writer's transaction on `tenant`'s rows.
    async fn on_shop<T: Send + 'static>(
        &self,
        tenant: Uuid,
        f: impl for<'c> FnOnce(&mut SqliteTx<'c>) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError> {
        self.engine
            .write(move |c| {
                read::tenant_ref(c, tenant)?;
                f(&mut SqliteTx::new(c, tenant))
            })
            .await
    }
}

#[async_trait]
impl Storage for SqliteStorage {
    async fn create_tenant(&self, name: &str, now: DateTime<Utc>) -> Result<TenantRef, StorageError> {
        let name = name.to_owned();
        self.engine
            .write(move |c| {
                let t = TenantRef { id: Uuid::now_v7(), name };
                c.execute(
                    "INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3)",
                    params![t.id.to_string(), t.name, ts(now)],
                )?;
                run_now(shop::open_shop(&mut SqliteTx::new(c, t.id), &t, now))?;
                Ok(t)
            })
            .await
    }

    async fn tenant(&self, id: Uuid) -> Result<TenantRef, StorageError> {
        self.engine.read(move |c| read::tenant_ref(c, id)).await
    }

    async fn add_enrol_code(&self, code: EnrolCode) -> Result<(), StorageError> {
        let EnrolCode { tenant, role, device, code_hash, now, expires_at } = code;
        self.on_shop(tenant, move |tx| {
            // A re-enrolment code takes the role its device has.
            let role = match device {
                None => role.code().to_owned(),
                Some(d) => tx
                    .conn()
                    .query_row(
                        "SELECT role FROM devices WHERE tenant_id = ?1 AND id = ?2",
                        [tenant.to_string(), d.to_string()],
                        |r| r.get(0),
                    )
                    .optional()?
                    .ok_or(StorageError::DeviceUnknown)?,
            };
            tx.conn().execute(
                "INSERT INTO enrol_codes (code_hash, tenant_id, role, created_at, expires_at, device_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    code_hash.as_slice(),
                    tenant.to_string(),
                    role,
                    ts(now),
                    ts(expires_at),
                    device.map(|d| d.to_string())
                ],
            )?;
            let detail = serde_json::json!({ "expires_at": ts(expires_at), "device": device });
            run_now(super::tx::TenantTx::audit(
                tx,
                &AuditRecord { at: now, actor: "admin", action: "device.enrol_code", subject: &role, detail },
            ))
        })
        .await
    }

    async fn revoke_device(&self, tenant: Uuid, device: Uuid, now: DateTime<Utc>) -> Result<(), StorageError> {
        self.on_shop(tenant, move |tx| {
            let n = tx.conn().execute(
                "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?3) WHERE tenant_id = ?1 AND id = ?2",
                params![tenant.to_string(), device.to_string(), ts(now)],
            )?;
            if n == 0 {
                return Err(StorageError::DeviceUnknown);
            }
            let subject = device.to_string();
            let detail = serde_json::json!({});
            run_now(super::tx::TenantTx::audit(
                tx,
                &AuditRecord { at: now, actor: "admin", action: "device.revoke", subject: &subject, detail },
            ))
        })
        .await
    }

    async fn devices(&self, tenant: Uuid) -> Result<Vec<DeviceAuth>, StorageError> {
        self.engine.read(move |c| read::devices(c, tenant)).await
    }

    async fn import_items(
        &self,
        tenant: Uuid,
        items: Vec<ItemPayload>,
        now: DateTime<Utc>,
    ) -> Result<usize, StorageError> {
        self.on_shop(tenant, move |tx| run_now(shop::import_items(tx, items, now))).await
    }

    async fn set_gold_price(&self, tenant: Uuid, price: GoldPricePayload) -> Result<(), StorageError> {
        self.on_shop(tenant, move |tx| run_now(shop::set_shop_price(tx, &price))).await
    }

    async fn update_settings(
        &self,
        tenant: Uuid,
        change: SettingsChange,
        now: DateTime<Utc>,
    ) -> Result<TenantSettings, StorageError> {
        self.on_shop(tenant, move |tx| run_now(shop::update_settings(tx, change, now))).await
    }

    async fn audit_log(&self, tenant: Uuid) -> Result<Vec<AuditEntry>, StorageError> {
        self.engine.read(move |c| read::audit_log(c, tenant)).await
    }

    async fn enroll(&self, enrolment: Enrolment<'_>) -> Result<(TenantRef, DeviceRole), StorageError> {
        let Enrolment { code_hash, device_id, name, token_hash, now } = enrolment;
        let name = name.to_owned();
        self.engine
            .write(move |c| {
                let code: Option<(String, String, String, Option<String>, Option<String>)> = c
                    .query_row(
                        "SELECT tenant_id, role, expires_at, used_at, device_id FROM enrol_codes WHERE code_hash = ?1",
                        [code_hash.as_slice()],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                    )
                    .optional()?;
                let Some((tenant, role, expires_at, None, bound)) = code else {
                    return Err(StorageError::CodeInvalid);
                };
                // A re-enrolment code is for its device only; to any other it is no code.
                let reenrol = bound.as_deref().map(parse_uuid).transpose()?;
                if parse_ts(&expires_at)? <= now || reenrol.is_some_and(|d| d != device_id) {
                    return Err(StorageError::CodeInvalid);
                }
                let exists: bool =
                    c.query_row("SELECT EXISTS (SELECT 1 FROM devices WHERE id = ?1)", [device_id.to_string()], |r| {
                        r.get(0)
                    })?;
                if exists && reenrol.is_none() {
                    return Err(StorageError::DeviceExists);
                }
                c.execute(
                    "UPDATE enrol_codes SET used_at = ?2, used_by = ?3 WHERE code_hash = ?1",
                    params![code_hash.as_slice(), ts(now), device_id.to_string()],
                )?;
                let action = if reenrol.is_some() {
                    // The same device, a new token: the old one stops working,
                    // and its seq series and journal go on.
                    c.execute(
                        "UPDATE devices SET token_hash = ?3, name = ?4, revoked_at = NULL
                         WHERE tenant_id = ?1 AND id = ?2",
                        params![tenant, device_id.to_string(), token_hash.as_slice(), name],
                    )?;
                    "device.reenroll"
                } else {
                    c.execute(
                        "INSERT INTO devices (id, tenant_id, name, role, token_hash, enrolled_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![device_id.to_string(), tenant, name, role, token_hash.as_slice(), ts(now)],
                    )?;
                    "device.enroll"
                };
                let tenant = read::tenant_ref(c, parse_uuid(&tenant)?)?;
                let subject = device_id.to_string();
                let detail = serde_json::json!({ "role": role });
                run_now(super::tx::TenantTx::audit(
                    &mut SqliteTx::new(c, tenant.id),
                    &AuditRecord { at: now, actor: &name, action, subject: &subject, detail },
                ))?;
                Ok((tenant, read_code(DeviceRole::from_code, &role)?))
            })
            .await
    }

    async fn authenticate(&self, token_hash: [u8; 32]) -> Result<Option<DeviceAuth>, StorageError> {
        self.engine.read(move |c| read::authenticate(c, token_hash)).await
    }

    async fn push(&self, device: &DeviceAuth, ops: Vec<Op>, now: DateTime<Utc>) -> Result<PushOutcome, StorageError> {
        let device = device.clone();
        self.engine
            .write(move |c| run_now(push::push(&mut SqliteTx::new(c, device.tenant.id), &device, &ops, now)))
            .await
    }

    async fn pull(&self, tenant: Uuid, cursor: ChangePos, limit: u32) -> Result<PullOutcome, StorageError> {
        self.engine.read(move |c| read::pull(c, tenant, cursor, limit)).await
    }

    async fn status(&self, device: &DeviceAuth, now: DateTime<Utc>) -> Result<StatusResponse, StorageError> {
        let device = device.clone();
        self.engine.read(move |c| read::status(c, device, now)).await
    }

    async fn conflicts(&self, tenant: Uuid, open_only: bool) -> Result<Vec<ConflictState>, StorageError> {
        self.engine.read(move |c| read::conflicts(c, tenant, open_only)).await
    }

    async fn export(
        &self,
        tenant: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ExportRow>, StorageError> {
        self.engine.read(move |c| read::export(c, tenant, from, to)).await
    }

    async fn shop_report(
        &self,
        tenant: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<zargar_wire::ShopReport, StorageError> {
        self.engine.read(move |c| read::shop_report(c, tenant, from, to)).await
    }

    async fn gold_price(&self, tenant: Uuid) -> Result<Option<GoldPricePayload>, StorageError> {
        self.engine.read(move |c| read::gold_price(c, tenant)).await
    }

    async fn settings(&self, tenant: Uuid) -> Result<TenantSettings, StorageError> {
        self.engine.read(move |c| read::load_settings(c, tenant).map(|(s, _)| s)).await
    }

    async fn prune(&self, tenant: Uuid, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<Pruned, StorageError> {
        prune::prune(&self.engine, tenant, before, now).await
    }

    fn close(&self) {
        self.engine.close();
    }

    async fn set_tax_identity(
        &self,
        tenant: Uuid,
        identity: crate::storage::tax::StoredTaxIdentity,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.on_shop(tenant, move |tx| run_now(crate::storage::tax::set_identity(tx, &identity, now))).await
    }

    async fn tax_identity(&self, tenant: Uuid) -> Result<Option<crate::storage::tax::StoredTaxIdentity>, StorageError> {
        self.on_shop(tenant, move |tx| run_now(tx.tax_identity())).await
    }

    async fn tax_tenants(&self) -> Result<Vec<Uuid>, StorageError> {
        self.engine
            .read(move |c| {
                let mut st =
                    c.prepare_cached("SELECT DISTINCT tenant_id FROM tax_invoices WHERE status IN ('queued', 'sent')")?;
                let ids = st.query_map([], |r| r.get::<_, String>(0))?;
                ids.map(|id| parse_uuid(&id?)).collect()
            })
            .await
    }

    async fn due_tax_invoices(
        &self,
        tenant: Uuid,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<crate::storage::tax::TaxInvoiceRow>, StorageError> {
        self.on_shop(tenant, move |tx| run_now(tx.due_tax_invoices(now, limit))).await
    }

    async fn tax_invoice(
        &self,
        tenant: Uuid,
        tax_id: &str,
    ) -> Result<Option<crate::storage::tax::TaxInvoiceRow>, StorageError> {
        let tax_id = tax_id.to_owned();
        self.on_shop(tenant, move |tx| run_now(tx.tax_invoice(&tax_id))).await
    }

    async fn save_tax_invoice(
        &self,
        tenant: Uuid,
        row: &crate::storage::tax::TaxInvoiceRow,
        tell: bool,
    ) -> Result<(), StorageError> {
        let row = row.clone();
        self.on_shop(tenant, move |tx| run_now(crate::storage::tax::save(tx, &row, tell))).await
    }

    async fn tax_invoices(
        &self,
        tenant: Uuid,
        limit: u32,
    ) -> Result<Vec<crate::storage::tax::TaxInvoiceRow>, StorageError> {
        self.on_shop(tenant, move |tx| run_now(tx.tax_invoices(limit))).await
    }

    async fn ping(&self) -> Result<(), StorageError> {
        self.engine.read(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(StorageError::from)).await
    }
}

//! PostgreSQL, for a provider hosting many shops on several stateless
//! server processes: a pool of connections (`deadpool-postgres`), every
//! request one short transaction set for one shop (`tx`), the wall between
//! shops in row-level security (`migrations/postgres`), and no state in
//! the process that another process would need: order and idempotency come
//! from row locks and constraints.

pub mod migrate;
pub mod notices;
mod prune;
mod read;
mod rows;
mod tx;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;
use uuid::Uuid;
use zargar_wire::{
    ConflictState, DeviceRole, ExportRow, GoldPricePayload, ItemPayload, Op, StatusResponse, TenantRef, TenantSettings,
};

pub use self::rows::retryable;
use self::rows::violates;
pub use self::tx::{ClaimRaced, PgTx, Scope, Statements};
use super::codes::read_code;
use super::tx::{AuditRecord, TenantTx};
use super::{
    AuditEntry, ChangePos, DeviceAuth, EnrolCode, Enrolment, Pruned, PullOutcome, PushOutcome, SettingsChange, Storage,
    StorageError, push, shop,
};

/// How many times a push that lost a deadlock to another is run again.
const PUSH_ATTEMPTS: usize = 4;

/// Connections one server process keeps, unless told otherwise.
pub const DEFAULT_POOL_SIZE: usize = 8;

#[derive(Clone)]
pub struct PgStorage {
    pool: Pool,
    statements: Arc<Statements>,
}

impl std::fmt::Debug for PgStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStorage").field("status", &self.pool.status()).finish()
    }
}

/// Whether `url` names a PostgreSQL database.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl PgStorage {
    /// A pool on `url`, checked: the schema is this server's, and the role
    /// is held by the row-level security.
    pub async fn connect(url: &str, pool_size: usize) -> Result<PgStorage, StorageError> {
        let config: tokio_postgres::Config = url.parse()?;
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(10)))
            .create_timeout(Some(Duration::from_secs(5)))
            .build()
            .map_err(StorageError::backend)?;
        let storage = PgStorage { pool, statements: Arc::default() };
        let mut client = storage.pool.get().await?;
        let tx = client.transaction().await?;
        migrate::check_serving(&*tx).await?;
        tx.commit().await?;
        Ok(storage)
    }

    /// Runs `f` in a transaction set for `tenant`, and commits.
    async fn on_shop<T>(
        &self,
        tenant: Uuid,
        f: impl AsyncFnOnce(&mut PgTx<'_>) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let mut client = self.pool.get().await?;
        let mut tx = PgTx::begin(&mut client, &self.statements, Scope::Shop(tenant)).await?;
        let out = f(&mut tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Like `on_shop`, for a shop that must exist.
    async fn on_known_shop<T>(
        &self,
        tenant: Uuid,
        f: impl AsyncFnOnce(&mut PgTx<'_>) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        self.on_shop(tenant, async move |tx| {
            read::tenant_ref(tx).await?;
            f(tx).await
        })
        .await
    }

    async fn push_once(
        &self,
        device: &DeviceAuth,
        ops: &[Op],
        now: DateTime<Utc>,
        claim_one_by_one: bool,
    ) -> Result<PushOutcome, StorageError> {
        let mut client = self.pool.get().await?;
        let mut tx = PgTx::begin(&mut client, &self.statements, Scope::Shop(device.tenant.id)).await?;
        if !claim_one_by_one {
            tx.claim_items_in_batch();
        }
        let outcome = push::push(&mut tx, device, ops, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }
}

#[async_trait]
impl Storage for PgStorage {
    async fn create_tenant(&self, name: &str, now: DateTime<Utc>) -> Result<TenantRef, StorageError> {
        let t = TenantRef { id: Uuid::now_v7(), name: name.to_owned() };
        self.on_shop(t.id, async |tx| {
            tx.exec("INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)", &[&t.id, &t.name, &now]).await?;
            shop::open_shop(tx, &t, now).await
        })
        .await?;
        Ok(t)
    }

    async fn tenant(&self, id: Uuid) -> Result<TenantRef, StorageError> {
        self.on_shop(id, async |tx| read::tenant_ref(tx).await).await
    }

    async fn add_enrol_code(&self, code: EnrolCode) -> Result<(), StorageError> {
        let EnrolCode { tenant, role, device, code_hash, now, expires_at } = code;
        self.on_known_shop(tenant, async |tx| {
            // A re-enrolment code takes the role its device has.
            let role: String = match device {
                None => role.code().to_owned(),
                Some(d) => tx
                    .row("SELECT role FROM devices WHERE tenant_id = $1 AND id = $2", &[&tenant, &d])
                    .await?
                    .ok_or(StorageError::DeviceUnknown)?
                    .get(0),
            };
            tx.exec(
                "INSERT INTO enrol_codes (code_hash, tenant_id, role, created_at, expires_at, device_id)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[&code_hash.as_slice(), &tenant, &role, &now, &expires_at, &device],
            )
            .await?;
            let at = expires_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            let detail = serde_json::json!({ "expires_at": at, "device": device });
            tx.audit(&AuditRecord { at: now, actor: "admin", action: "device.enrol_code", subject: &role, detail })
                .await
        })
        .await
    }

    async fn revoke_device(&self, tenant: Uuid, device: Uuid, now: DateTime<Utc>) -> Result<(), StorageError> {
        self.on_known_shop(tenant, async |tx| {
            let n = tx
                .exec(
                    "UPDATE devices SET revoked_at = COALESCE(revoked_at, $3) WHERE tenant_id = $1 AND id = $2",
                    &[&tenant, &device, &now],
                )
                .await?;
            if n == 0 {
                return Err(StorageError::DeviceUnknown);
            }
            let subject = device.to_string();
            let detail = serde_json::json!({});
            tx.audit(&AuditRecord { at: now, actor: "admin", action: "device.revoke", subject: &subject, detail }).await
        })
        .await
    }

    async fn devices(&self, tenant: Uuid) -> Result<Vec<DeviceAuth>, StorageError> {
        self.on_shop(tenant, async |tx| read::devices(tx).await).await
    }

    async fn import_items(
        &self,
        tenant: Uuid,
        items: Vec<ItemPayload>,
        now: DateTime<Utc>,
    ) -> Result<usize, StorageError> {
        self.on_known_shop(tenant, async move |tx| shop::import_items(tx, items, now).await).await
    }

    async fn set_gold_price(&self, tenant: Uuid, price: GoldPricePayload) -> Result<(), StorageError> {
        self.on_known_shop(tenant, async |tx| shop::set_shop_price(tx, &price).await).await
    }

    async fn update_settings(
        &self,
        tenant: Uuid,
        change: SettingsChange,
        now: DateTime<Utc>,
    ) -> Result<TenantSettings, StorageError> {
        self.on_known_shop(tenant, async move |tx| shop::update_settings(tx, change, now).await).await
    }

    async fn announce(&self, tenant: Uuid) -> Result<(), StorageError> {
        let client = self.pool.get().await?;
        let payload = notices::encode(tenant, crate::live::Notice { origin: None });
        client.execute("SELECT pg_notify($1, $2)", &[&notices::CHANNEL, &payload]).await?;
        Ok(())
    }

    async fn audit_log(&self, tenant: Uuid) -> Result<Vec<AuditEntry>, StorageError> {
        self.on_shop(tenant, async |tx| read::audit_log(tx).await).await
    }

    async fn enroll(&self, enrolment: Enrolment<'_>) -> Result<(TenantRef, DeviceRole), StorageError> {
        let Enrolment { code_hash, device_id, name, token_hash, now } = enrolment;
        let mut client = self.pool.get().await?;
        // The code's hash opens its own row, and nothing else, until it names the shop.
        let mut tx = PgTx::begin(&mut client, &self.statements, Scope::Code(code_hash)).await?;
        let code = tx
            .row(
                "SELECT tenant_id, role, expires_at, used_at IS NOT NULL, device_id FROM enrol_codes WHERE code_hash = $1",
                &[&code_hash.as_slice()],
            )
            .await?;
        let Some(code) = code else { return Err(StorageError::CodeInvalid) };
        let (tenant, role, expires_at, used, reenrol): (Uuid, String, DateTime<Utc>, bool, Option<Uuid>) =
            (code.get(0), code.get(1), code.get(2), code.get(3), code.get(4));
        // A re-enrolment code is for its device only; to any other it is no code.
        if used || expires_at <= now || reenrol.is_some_and(|d| d != device_id) {
            return Err(StorageError::CodeInvalid);
        }
        tx.enter(tenant).await?;
        tx.exec(
            "UPDATE enrol_codes SET used_at = $2, used_by = $3 WHERE code_hash = $1",
            &[&code_hash.as_slice(), &now, &device_id],
        )
        .await?;
        let action = if reenrol.is_some() {
            // The same device, a new token: the old one stops working, and its
            // seq series and journal go on.
            tx.exec(
                "UPDATE devices SET token_hash = $3, name = $4, revoked_at = NULL WHERE tenant_id = $1 AND id = $2",
                &[&tenant, &device_id, &token_hash.as_slice(), &name],
            )
            .await?;
            "device.reenroll"
        } else {
            let inserted = tx
                .exec(
                    "INSERT INTO devices (id, tenant_id, name, role, token_hash, enrolled_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    &[&device_id, &tenant, &name, &role, &token_hash.as_slice(), &now],
                )
                .await;
            match inserted {
                // Another shop's device with this id is hidden by the wall; the key still says it is there.
                Err(StorageError::Backend(e))
                    if e.downcast_ref::<tokio_postgres::Error>().is_some_and(|e| violates(e, "devices_pkey")) =>
                {
                    return Err(StorageError::DeviceExists);
                }
                other => other?,
            };
            "device.enroll"
        };
        let shop = read::tenant_ref(&mut tx).await?;
        let subject = device_id.to_string();
        let detail = serde_json::json!({ "role": role });
        tx.audit(&AuditRecord { at: now, actor: name, action, subject: &subject, detail }).await?;
        tx.commit().await?;
        Ok((shop, read_code(DeviceRole::from_code, &role)?))
    }

    async fn authenticate(&self, token_hash: [u8; 32]) -> Result<Option<DeviceAuth>, StorageError> {
        let mut client = self.pool.get().await?;
        // The token's hash opens its device's row; the device names the shop.
        let mut tx = PgTx::begin(&mut client, &self.statements, Scope::Token(token_hash)).await?;
        let row = tx
            .row(
                "SELECT id, name, role, tenant_id, token_hash, revoked_at IS NOT NULL FROM devices WHERE token_hash = $1",
                &[&token_hash.as_slice()],
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        // The index found the row; compare the whole hash in constant time anyway.
        if !crate::auth::same_hash(row.get::<_, &[u8]>(4), &token_hash) {
            return Ok(None);
        }
        let tenant: Uuid = row.get(3);
        tx.enter(tenant).await?;
        let shop = read::tenant_ref(&mut tx).await?;
        tx.commit().await?;
        Ok(Some(DeviceAuth {
            tenant: shop,
            device_id: row.get(0),
            device_name: row.get(1),
            role: read_code(DeviceRole::from_code, row.get(2))?,
            revoked: row.get(5),
        }))
    }

    async fn push(&self, device: &DeviceAuth, ops: Vec<Op>, now: DateTime<Utc>) -> Result<PushOutcome, StorageError> {
        let mut attempt = 1;
        let mut one_by_one = false;
        loop {
            match self.push_once(device, &ops, now, one_by_one).await {
                Err(StorageError::Backend(e)) if !one_by_one && e.is::<ClaimRaced>() => {
                    tracing::info!(device = %device.device_id, "a piece was taken meanwhile; claiming one by one");
                    one_by_one = true;
                }
                Err(e) if attempt < PUSH_ATTEMPTS && retryable(&e) => {
                    tracing::info!(device = %device.device_id, attempt, "push lost a deadlock; running it again");
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn pull(&self, tenant: Uuid, cursor: ChangePos, limit: u32) -> Result<PullOutcome, StorageError> {
        self.on_shop(tenant, async |tx| read::pull(tx, cursor, limit).await).await
    }

    async fn status(&self, device: &DeviceAuth, now: DateTime<Utc>) -> Result<StatusResponse, StorageError> {
        let device = device.clone();
        self.on_shop(device.tenant.id, async move |tx| read::status(tx, device, now).await).await
    }

    async fn conflicts(&self, tenant: Uuid, open_only: bool) -> Result<Vec<ConflictState>, StorageError> {
        self.on_shop(tenant, async |tx| read::conflicts(tx, open_only).await).await
    }

    async fn export(
        &self,
        tenant: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ExportRow>, StorageError> {
        self.on_shop(tenant, async |tx| read::export(tx, from, to).await).await
    }

    async fn shop_report(
        &self,
        tenant: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<zargar_wire::ShopReport, StorageError> {
        self.on_shop(tenant, async |tx| read::shop_report(tx, from, to).await).await
    }

    async fn gold_price(&self, tenant: Uuid) -> Result<Option<GoldPricePayload>, StorageError> {
        self.on_shop(tenant, async |tx| read::gold_price(tx).await).await
    }

    async fn settings(&self, tenant: Uuid) -> Result<TenantSettings, StorageError> {
        self.on_shop(tenant, async |tx| tx.settings().await.map(|(s, _)| s)).await
    }

    fn close(&self) {
        self.pool.close();
    }

    async fn prune(&self, tenant: Uuid, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<Pruned, StorageError> {
        prune::prune(self, tenant, before, now).await
    }

    async fn set_tax_identity(
        &self,
        tenant: Uuid,
        identity: crate::storage::tax::StoredTaxIdentity,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.on_known_shop(tenant, async move |tx| crate::storage::tax::set_identity(tx, &identity, now).await).await
    }

    async fn tax_identity(&self, tenant: Uuid) -> Result<Option<crate::storage::tax::StoredTaxIdentity>, StorageError> {
        self.on_shop(tenant, async |tx| tx.tax_identity().await).await
    }

    async fn tax_tenants(&self) -> Result<Vec<Uuid>, StorageError> {
        let client = self.pool.get().await?;
        let rows = client.query("SELECT zargar_tax_tenants()", &[]).await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn due_tax_invoices(
        &self,
        tenant: Uuid,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<crate::storage::tax::TaxInvoiceRow>, StorageError> {
        self.on_shop(tenant, async move |tx| tx.due_tax_invoices(now, limit).await).await
    }

    async fn tax_invoice(
        &self,
        tenant: Uuid,
        tax_id: &str,
    ) -> Result<Option<crate::storage::tax::TaxInvoiceRow>, StorageError> {
        self.on_shop(tenant, async move |tx| tx.tax_invoice(tax_id).await).await
    }

    async fn save_tax_invoice(
        &self,
        tenant: Uuid,
        row: &crate::storage::tax::TaxInvoiceRow,
        tell: bool,
    ) -> Result<(), StorageError> {
        self.on_shop(tenant, async move |tx| crate::storage::tax::save(tx, row, tell).await).await
    }

    async fn tax_invoices(
        &self,
        tenant: Uuid,
        limit: u32,
    ) -> Result<Vec<crate::storage::tax::TaxInvoiceRow>, StorageError> {
        self.on_shop(tenant, async move |tx| tx.tax_invoices(limit).await).await
    }

    async fn ping(&self) -> Result<(), StorageError> {
        let client = self.pool.get().await?;
        client.simple_query("SELECT 1").await?;
        Ok(())
    }
}

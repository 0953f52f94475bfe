//! The PostgreSQL schema: migrations run by the tables' owner, and the
//! rights of the role the server runs as.

use tokio_postgres::{Client, GenericClient, NoTls};

use super::rows::count;
use crate::storage::StorageError;

pub const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/postgres/0001_init.sql"),
    include_str!("../../../migrations/postgres/0002_hot_tables_without_keys.sql"),
    include_str!("../../../migrations/postgres/0003_reenrol.sql"),
    include_str!("../../../migrations/postgres/0004_change_log.sql"),
    include_str!("../../../migrations/postgres/0005_people.sql"),
    include_str!("../../../migrations/postgres/0006_shifts.sql"),
    include_str!("../../../migrations/postgres/0007_sale_seller.sql"),
    include_str!("../../../migrations/postgres/0008_accounts.sql"),
    include_str!("../../../migrations/postgres/0009_tax.sql"),
];

/// One number for "a migration is running": two `migrate` runs at once
/// take turns instead of both applying the same step.
const MIGRATION_LOCK: i64 = 0x7a61_7267_6172; // "zargar"

/// The tables the server writes and reads; `audit` is append-only for it.
const TABLES: &[&str] = &[
    "tenants",
    "tenant_settings",
    "enrol_codes",
    "devices",
    "op_results",
    "items",
    "gold_prices",
    "customers",
    "sales",
    "sale_lines",
    "returns",
    "conflicts",
    "changes",
    "change_seqs",
    "people",
    "shifts",
    "account_moves",
    "installment_plans",
    "layaways",
    "tax_identities",
    "tax_serials",
    "tax_invoices",
];

pub async fn connect(url: &str) -> Result<Client, StorageError> {
    let config: tokio_postgres::Config = url.parse()?;
    let (client, connection) = config.connect(NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!(error = %e, "database connection closed");
        }
    });
    Ok(client)
}

/// The schema version the database is at (0: none yet).
pub async fn version(client: &impl GenericClient) -> Result<u64, StorageError> {
    let exists: bool = client.query_one("SELECT to_regclass('zargar_schema') IS NOT NULL", &[]).await?.get(0);
    if !exists {
        return Ok(0);
    }
    count(client.query_one("SELECT version FROM zargar_schema", &[]).await?.get::<_, i32>(0).into())
}

/// Brings the schema up to date and grants `app_role` what the server
/// needs and no more. Refuses an app role that could see past the wall.
pub async fn migrate(client: &mut Client, app_role: &str) -> Result<u64, StorageError> {
    check_app_role(client, app_role).await?;
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS zargar_schema (
                 single  boolean PRIMARY KEY DEFAULT true CHECK (single),
                 version integer NOT NULL
             );
             INSERT INTO zargar_schema (version) VALUES (0) ON CONFLICT DO NOTHING;",
        )
        .await?;
    let mut at = 0;
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let step = i32::try_from(i + 1).unwrap_or(i32::MAX);
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
        let current: i32 = tx.query_one("SELECT version FROM zargar_schema FOR UPDATE", &[]).await?.get(0);
        if current > i32::try_from(MIGRATIONS.len()).unwrap_or(i32::MAX) {
            return Err(StorageError::Setup(format!(
                "the database is at schema {current}, newer than this server knows ({})",
                MIGRATIONS.len()
            )));
        }
        if current < step {
            tx.batch_execute(sql).await?;
            tx.execute("UPDATE zargar_schema SET version = $1", &[&step]).await?;
        }
        tx.commit().await?;
        at = count(step.into())?;
    }
    grant(client, app_role).await?;
    Ok(at)
}

async fn grant(client: &Client, app_role: &str) -> Result<(), StorageError> {
    let role = quote_ident(app_role);
    let tables = TABLES.join(", ");
    client
        .batch_execute(&format!(
            "GRANT USAGE ON SCHEMA public TO {role};
             GRANT SELECT, INSERT, UPDATE ON {tables} TO {role};
             -- A resubmitted sale replaces its rows.
             GRANT DELETE ON sales, sale_lines TO {role};
             -- Retention prunes old answers and replaced changes.
             GRANT DELETE ON op_results, changes TO {role};
             GRANT SELECT, INSERT ON audit TO {role};
             GRANT USAGE ON SEQUENCE audit_id_seq TO {role};
             GRANT SELECT ON zargar_schema TO {role};"
        ))
        .await?;
    Ok(())
}

/// The server's role must be held by the policies: no superuser, no
/// BYPASSRLS, and not the owner of the tables.
async fn check_app_role(client: &Client, app_role: &str) -> Result<(), StorageError> {
    let row = client
        .query_opt(
            "SELECT rolsuper, rolbypassrls, rolname = current_user FROM pg_roles WHERE rolname = $1",
            &[&app_role],
        )
        .await?;
    let Some(row) = row else {
        return Err(StorageError::Setup(format!(
            "role {app_role} does not exist: create it first (CREATE ROLE {app_role} LOGIN PASSWORD …)"
        )));
    };
    if row.get::<_, bool>(0) || row.get::<_, bool>(1) || row.get::<_, bool>(2) {
        return Err(StorageError::Setup(format!(
            "role {app_role} is a superuser, bypasses row-level security or is the one migrating: the server's \
             role must be held by the policies"
        )));
    }
    Ok(())
}

/// Refuses to serve as a role that the policies would not hold, or on a
/// schema this server does not match.
pub async fn check_serving(client: &impl GenericClient) -> Result<(), StorageError> {
    let at = version(client).await?;
    let want = MIGRATIONS.len() as u64;
    if at != want {
        return Err(StorageError::Setup(format!(
            "the database is at schema {at}, this server needs {want}: run `zargar-server migrate` as the tables' owner"
        )));
    }
    let row = client
        .query_one(
            "SELECT r.rolsuper, r.rolbypassrls, t.tableowner = current_user
             FROM pg_roles r, pg_tables t WHERE r.rolname = current_user AND t.tablename = 'sales'",
            &[],
        )
        .await?;
    if row.get::<_, bool>(0) || row.get::<_, bool>(1) || row.get::<_, bool>(2) {
        return Err(StorageError::Setup(
            "this role owns the tables, is a superuser or bypasses row-level security: connect the server as the \
             role `zargar-server migrate --app-role` named"
                .to_owned(),
        ));
    }
    Ok(())
}

fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

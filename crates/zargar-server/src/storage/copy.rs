//! Moving a server from its SQLite file to PostgreSQL (`zargar-server
//! migrate-to`): every row of every shop, with its ids, seqs, stored
//! results, change positions, audit and cursors as they are, so that every
//! till goes on syncing with the token and cursor it has.
//!
//! One transaction on the target: a copy that fails leaves nothing. The
//! SQLite file is only read; the server on it must be stopped first.

use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use super::StorageError;

/// How a SQLite column becomes a PostgreSQL one.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Id,
    Time,
    Amount,
    Text,
    Count,
    Small,
    Bytes,
    Flag,
}

use Kind::{Amount, Bytes, Count, Flag, Id, Small, Text, Time};

/// The tables in the order their keys need, with their columns.
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    ("tenants", &[("id", Id), ("name", Text), ("created_at", Time), ("change_floor", Count)]),
    ("tenant_settings", &[("tenant_id", Id), ("data", Text), ("version", Count)]),
    (
        "enrol_codes",
        &[
            ("code_hash", Bytes),
            ("tenant_id", Id),
            ("role", Text),
            ("created_at", Time),
            ("expires_at", Time),
            ("used_at", Time),
            ("used_by", Id),
            ("device_id", Id),
        ],
    ),
    (
        "devices",
        &[
            ("id", Id),
            ("tenant_id", Id),
            ("name", Text),
            ("role", Text),
            ("token_hash", Bytes),
            ("enrolled_at", Time),
            ("revoked_at", Time),
            ("last_seq", Count),
            ("journal_index", Count),
            ("journal_hash", Text),
            ("last_seen_at", Time),
        ],
    ),
    (
        "op_results",
        &[
            ("device_id", Id),
            ("op_id", Id),
            ("tenant_id", Id),
            ("seq", Count),
            ("kind", Text),
            ("entity_id", Id),
            ("result", Text),
            ("received_at", Time),
        ],
    ),
    (
        "items",
        &[
            ("tenant_id", Id),
            ("id", Id),
            ("tag", Text),
            ("data", Text),
            ("status", Text),
            ("version", Count),
            ("sale_id", Id),
            ("sold_by", Id),
            ("updated_at", Time),
        ],
    ),
    (
        "gold_prices",
        &[
            ("tenant_id", Id),
            ("id", Id),
            ("per_gram_18k", Amount),
            ("mazaneh", Amount),
            ("set_at", Time),
            ("origin", Text),
            ("set_by", Text),
            ("device_id", Id),
        ],
    ),
    (
        "customers",
        &[
            ("tenant_id", Id),
            ("id", Id),
            ("name", Text),
            ("mobile", Text),
            ("national_id", Text),
            ("version", Count),
            ("updated_at", Time),
            ("credit_limit", Count),
            ("economic_code", Text),
            ("postal_code", Text),
        ],
    ),
    (
        "sales",
        &[
            ("tenant_id", Id),
            ("id", Id),
            ("device_id", Id),
            ("op_id", Id),
            ("invoice_no", Count),
            ("sold_at", Time),
            ("per_gram_18k", Amount),
            ("total", Amount),
            ("status", Text),
            ("payload", Text),
            ("received_at", Time),
            ("seller", Text),
        ],
    ),
    (
        "sale_lines",
        &[
            ("tenant_id", Id),
            ("sale_id", Id),
            ("line_no", Small),
            ("item_id", Id),
            ("tag", Text),
            ("name", Text),
            ("weight", Amount),
            ("purity", Amount),
            ("gold", Amount),
            ("wage", Amount),
            ("profit", Amount),
            ("vat", Amount),
            ("stones", Amount),
            ("total", Amount),
        ],
    ),
    (
        "returns",
        &[
            ("tenant_id", Id),
            ("id", Id),
            ("sale_id", Id),
            ("device_id", Id),
            ("payload", Text),
            ("received_at", Time),
            ("seller", Text),
            ("returned_at", Time),
        ],
    ),
    (
        "conflicts",
        &[
            ("tenant_id", Id),
            ("id", Id),
            ("op_id", Id),
            ("device_id", Id),
            ("open", Flag),
            ("state", Text),
            ("op", Text),
            ("version", Count),
            ("created_at", Time),
        ],
    ),
    (
        "people",
        &[
            ("tenant_id", Id),
            ("id", Id),
            ("data", Text),
            ("role", Text),
            ("active", Flag),
            ("version", Count),
            ("updated_at", Time),
        ],
    ),
    (
        "shifts",
        &[
            ("tenant_id", Id),
            ("id", Id),
            ("device_id", Id),
            ("z_no", Count),
            ("closed_at", Time),
            ("data", Text),
            ("op_id", Id),
            ("received_at", Time),
        ],
    ),
    (
        "account_moves",
        &[
            ("tenant_id", Id),
            ("id", Id),
            ("customer_id", Id),
            ("kind", Text),
            ("rial", Count),
            ("gold_mg", Count),
            ("status", Text),
            ("moved_at", Time),
            ("device_id", Id),
            ("op_id", Id),
            ("received_at", Time),
            ("data", Text),
        ],
    ),
    (
        "installment_plans",
        &[("tenant_id", Id), ("id", Id), ("customer_id", Id), ("data", Text), ("op_id", Id), ("received_at", Time)],
    ),
    (
        "layaways",
        &[("tenant_id", Id), ("id", Id), ("customer_id", Id), ("data", Text), ("op_id", Id), ("received_at", Time)],
    ),
    // The sealed keys move as they are: the same secret file opens them.
    ("tax_identities", &[("tenant_id", Id), ("data", Text), ("updated_at", Time)]),
    ("tax_serials", &[("tenant_id", Id), ("memory_id", Text), ("last", Count)]),
    (
        "tax_invoices",
        &[
            ("tenant_id", Id),
            ("id", Id),
            ("subject", Text),
            ("subject_id", Id),
            ("tax_id", Text),
            ("memory_id", Text),
            ("serial", Count),
            ("status", Text),
            ("version", Count),
            ("next_at", Time),
            ("data", Text),
        ],
    ),
    // Positions and epochs kept: every till's cursor stays good.
    (
        "changes",
        &[("tenant_id", Id), ("pos", Count), ("epoch", Count), ("retention_key", Text), ("at", Time), ("change", Text)],
    ),
    (
        "audit",
        &[
            ("id", Count),
            ("tenant_id", Id),
            ("at", Time),
            ("actor", Text),
            ("action", Text),
            ("subject", Text),
            ("detail", Text),
        ],
    ),
];

/// What was copied: rows per table.
pub type Copied = Vec<(&'static str, u64)>;

fn stored(table: &str, column: &str, what: impl std::fmt::Display) -> StorageError {
    StorageError::stored(format!("{table}.{column}: {what}"))
}

/// One SQLite value as the PostgreSQL column wants it.
fn convert(table: &str, column: &str, kind: Kind, v: Value) -> Result<Box<dyn ToSql + Sync + Send>, StorageError> {
    let text = |v: &Value| match v {
        Value::Text(s) => Ok(s.clone()),
        other => Err(stored(table, column, format!("{other:?} is not text"))),
    };
    let null = matches!(v, Value::Null);
    Ok(match kind {
        Id if null => Box::new(None::<Uuid>),
        Id => Box::new(Some(Uuid::parse_str(&text(&v)?).map_err(|e| stored(table, column, e))?)),
        Time if null => Box::new(None::<chrono::DateTime<chrono::Utc>>),
        Time => Box::new(Some(
            chrono::DateTime::parse_from_rfc3339(&text(&v)?)
                .map_err(|e| stored(table, column, e))?
                .with_timezone(&chrono::Utc),
        )),
        Amount if null => Box::new(None::<rust_decimal::Decimal>),
        Amount => Box::new(Some(text(&v)?.parse::<rust_decimal::Decimal>().map_err(|e| stored(table, column, e))?)),
        Text if null => Box::new(None::<String>),
        Text => Box::new(Some(text(&v)?)),
        Count | Small | Flag => {
            let Value::Integer(n) = v else { return Err(stored(table, column, format!("{v:?} is not a number"))) };
            match kind {
                Small => Box::new(i32::try_from(n).map_err(|e| stored(table, column, e))?),
                Flag => Box::new(n != 0),
                _ => Box::new(n),
            }
        }
        Bytes => match v {
            Value::Blob(b) => Box::new(b),
            other => return Err(stored(table, column, format!("{other:?} is not bytes"))),
        },
    })
}

/// Reads every row of `table` for `tenant` from the SQLite file.
fn read_rows(
    src: &Connection,
    table: &str,
    columns: &[(&str, Kind)],
    tenant: &str,
) -> Result<Vec<Vec<Value>>, StorageError> {
    let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
    let key = if table == "tenants" { "id" } else { "tenant_id" };
    let mut stmt = src.prepare(&format!("SELECT {} FROM {table} WHERE {key} = ?1", names.join(", ")))?;
    let rows = stmt.query_map([tenant], |r| (0..columns.len()).map(|i| r.get::<_, Value>(i)).collect())?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Copies `source` (a SQLite server database) into the PostgreSQL database
/// the owner's `client` is connected to, migrated and empty of these shops.
pub async fn sqlite_to_postgres(source: &Path, client: &mut tokio_postgres::Client) -> Result<Copied, StorageError> {
    let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let at: u32 = src.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if at as usize != super::sqlite::MIGRATIONS.len() {
        return Err(StorageError::stored(format!(
            "{} is at schema {at}: open it once with this server (any command) before moving it",
            source.display()
        )));
    }
    let tenants: Vec<String> =
        src.prepare("SELECT id FROM tenants ORDER BY id")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let mut copied: Copied = TABLES.iter().map(|(t, _)| (*t, 0)).collect();
    let tx = client.transaction().await?;
    let mut max_audit = 0_i64;
    for tenant in &tenants {
        let mut max_pos = 0_i64;
        // The policies hold the owner too: each shop is written as itself.
        tx.execute("SELECT set_config('zargar.tenant', $1, true)", &[tenant]).await?;
        for ((table, columns), count) in TABLES.iter().zip(copied.iter_mut()) {
            let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
            let marks: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
            let sql = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), marks.join(", "));
            let stmt = tx.prepare(&sql).await?;
            for row in read_rows(&src, table, columns, tenant)? {
                if *table == "changes"
                    && let Value::Integer(p) = row[1]
                {
                    max_pos = max_pos.max(p);
                }
                if *table == "audit"
                    && let Value::Integer(id) = row[0]
                {
                    max_audit = max_audit.max(id);
                }
                let values = columns
                    .iter()
                    .zip(row)
                    .map(|((column, kind), v)| convert(table, column, *kind, v))
                    .collect::<Result<Vec<_>, _>>()?;
                let params: Vec<&(dyn ToSql + Sync)> =
                    values.iter().map(|v| v.as_ref() as &(dyn ToSql + Sync)).collect();
                tx.execute(&stmt, &params).await.map_err(|e| {
                    if e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) {
                        StorageError::Setup(format!(
                            "shop {tenant} is already in the target database ({table}): nothing was copied"
                        ))
                    } else {
                        e.into()
                    }
                })?;
                count.1 += 1;
            }
        }
        // The shop's next change follows its copied ones, so every till's cursor stays good.
        tx.execute("INSERT INTO change_seqs (tenant_id, last) VALUES ($1::text::uuid, $2)", &[tenant, &max_pos])
            .await?;
    }
    // New audit ids follow the copied ones.
    if max_audit > 0 {
        tx.execute("SELECT setval('audit_id_seq', GREATEST($1, (SELECT last_value FROM audit_id_seq)))", &[&max_audit])
            .await?;
    }
    tx.commit().await?;
    Ok(copied)
}

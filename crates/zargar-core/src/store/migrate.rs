//! Schema migrations: numbered SQL files under `migrations/`, embedded in
//! the binary and applied in order on open, each in its own transaction.
//! `PRAGMA user_version` holds how many have been applied. A shipped
//! migration is never edited; a change is a new file.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use crate::error::StoreError;

/// (file name, SQL), in order. Adding a migration is adding a line here.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init.sql", include_str!("../../../../migrations/0001_init.sql")),
    ("0002_guards.sql", include_str!("../../../../migrations/0002_guards.sql")),
    ("0003_sync.sql", include_str!("../../../../migrations/0003_sync.sql")),
    ("0004_till_prefs.sql", include_str!("../../../../migrations/0004_till_prefs.sql")),
    ("0005_price_scope.sql", include_str!("../../../../migrations/0005_price_scope.sql")),
    ("0006_refunds.sql", include_str!("../../../../migrations/0006_refunds.sql")),
    ("0007_sold_by.sql", include_str!("../../../../migrations/0007_sold_by.sql")),
    ("0008_sale_approval.sql", include_str!("../../../../migrations/0008_sale_approval.sql")),
    ("0009_checks_in_place.sql", include_str!("../../../../migrations/0009_checks_in_place.sql")),
    ("0010_people.sql", include_str!("../../../../migrations/0010_people.sql")),
    ("0011_discounts.sql", include_str!("../../../../migrations/0011_discounts.sql")),
    ("0012_shifts.sql", include_str!("../../../../migrations/0012_shifts.sql")),
    ("0013_accounts.sql", include_str!("../../../../migrations/0013_accounts.sql")),
    ("0014_tax.sql", include_str!("../../../../migrations/0014_tax.sql")),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Refuses a file a newer app wrote, before anything (even the journal-mode
/// pragma) writes to it: its data must reach the newer app intact.
pub(super) fn refuse_newer(conn: &Connection) -> Result<(), StoreError> {
    let found: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew { found, supported: SCHEMA_VERSION });
    }
    Ok(())
}

pub(super) fn run(conn: &mut Connection) -> Result<(), StoreError> {
    run_to(conn, SCHEMA_VERSION)
}

/// Applies migrations up to `target`; tests use it to build a database at
/// an older version.
pub fn run_to(conn: &mut Connection, target: u32) -> Result<(), StoreError> {
    refuse_newer(conn)?;
    let found: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found >= target.min(SCHEMA_VERSION) {
        return Ok(());
    }
    // SQLite's way to rebuild a table that others refer to: foreign keys
    // off (outside the transaction), rebuild, check them all, commit.
    let enforced: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let applied = apply(conn, found, target);
    if enforced {
        conn.execute_batch("PRAGMA foreign_keys = ON")?;
    }
    applied
}

fn apply(conn: &mut Connection, found: u32, target: u32) -> Result<(), StoreError> {
    for version in found + 1..=target.min(SCHEMA_VERSION) {
        let (name, sql) = MIGRATIONS[(version - 1) as usize];
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let now: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now >= version {
            continue;
        }
        tx.execute_batch(sql)?;
        let broken: Option<String> = tx.query_row("PRAGMA foreign_key_check", [], |r| r.get(0)).optional()?;
        if let Some(table) = broken {
            return Err(StoreError::Corrupt(format!("{name} left a row of {table} referring to nothing")));
        }
        tx.execute_batch(&format!("PRAGMA user_version = {version}"))?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_database_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("till.db");
        drop(crate::Store::open(&db).expect("open"));
        {
            let conn = Connection::open(&db).expect("raw open");
            conn.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1)).expect("bump");
            conn.execute_batch("PRAGMA journal_mode = DELETE").expect("no wal");
        }
        let before = std::fs::read(&db).expect("read");
        let err = crate::Store::open(&db).expect_err("a newer file must be refused");
        assert!(
            matches!(err, StoreError::SchemaTooNew { found, supported } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
            "{err:?}"
        );
        assert_eq!(std::fs::read(&db).expect("read"), before, "the file changed");
        assert!(!dir.path().join("till.db-wal").exists(), "a WAL was started on a newer file");
    }

    #[test]
    fn every_file_in_migrations_is_embedded_in_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("migrations dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        on_disk.sort();
        let embedded: Vec<String> = MIGRATIONS.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(on_disk, embedded);
        for (i, name) in embedded.iter().enumerate() {
            assert!(name.starts_with(&format!("{:04}_", i + 1)), "{name} out of order");
        }
    }
}

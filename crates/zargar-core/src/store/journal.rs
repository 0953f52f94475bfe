//! The sales journal's rows: appended in the transaction of the sale or
//! return they record, never updated (migration 0002 enforces it).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;
use zargar_wire::JournalLink;

use super::{Store, next_counter, ts, u64_sql};
use crate::error::StoreError;
use crate::journal::{self, GENESIS_HASH, JournalBreak, StoredEntry};

/// Appends `content` as the next entry, chained to the last one.
pub(super) fn append(
    tx: &Transaction<'_>,
    kind: &str,
    entity_id: Uuid,
    at: DateTime<Utc>,
    content: &str,
) -> Result<JournalLink, StoreError> {
    let index = next_counter(tx, "journal")?;
    let prev: Option<String> = tx
        .prepare_cached("SELECT hash FROM journal ORDER BY idx DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let link = journal::link(index, prev.as_deref().unwrap_or(GENESIS_HASH), content);
    tx.prepare_cached(
        "INSERT INTO journal (idx, kind, entity_id, recorded_at, content, content_hash, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        index as i64,
        kind,
        entity_id.to_string(),
        ts(at),
        content,
        link.content_hash,
        link.prev_hash,
        link.hash
    ])?;
    Ok(link)
}

impl Store {
    /// Walks the whole journal: `Ok(Ok(n))` when all n entries verify,
    /// `Ok(Err(break))` naming the first broken link.
    pub fn verify_journal(&self) -> Result<Result<u64, JournalBreak>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT idx, content, content_hash, prev_hash, hash FROM journal ORDER BY idx")?;
        let rows = stmt.query_map([], |r| <(i64, String, String, String, String)>::try_from(r))?;
        let mut entries = Vec::new();
        for row in rows {
            let (idx, content, content_hash, prev_hash, hash) = row?;
            let index = u64_sql(idx)?;
            entries.push(StoredEntry { index, content, link: JournalLink { index, prev_hash, content_hash, hash } });
        }
        Ok(journal::verify(entries))
    }
}

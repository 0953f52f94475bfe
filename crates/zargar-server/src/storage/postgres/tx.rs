//! `TenantTx` on PostgreSQL: one transaction with the shop set for it.
//!
//! The shop goes into `zargar.tenant` with `set_config(…, true)`, which
//! lasts only as long as the transaction: nothing is left on the
//! connection for the next user, so the server works behind a
//! transaction pooler.
//!
//! How statements reach the database, kept or unnamed behind a pooler,
//! is `statements.rs`; what is kept for the commit, `write_behind.rs`; the
//! push's reads and writes themselves, `shop.rs`.
//!
//! A round trip per read and per row would be most of a push's cost, so
//! the transaction reads ahead and writes behind: the shop's settings, the
//! pieces and sales a batch names and the prices from its first sale on are
//! read in one round trip (`prefetch`), and the rows only appended (sales
//! and their lines, op results, changes) and the device's head are kept
//! until the commit and written then, one statement per table, all sent
//! together (`exec_together`: PostgreSQL runs them in order). Every read
//! sees what this transaction wrote before it, as if each had gone to the
//! database.
//!
//! A push's claims are batched too, optimistically: a piece read ahead as
//! in stock is claimed in memory, and all of them at commit in one update
//! that checks each piece is still in stock at the version read. If another
//! till took one meanwhile, the update finds fewer rows, the transaction
//! fails with `ClaimRaced`, and the push runs again with one conditional
//! update per piece (`claim_one_by_one`): there, of two tills, the first
//! commit wins and the second is told whose the piece is.
//!
//! Changes are written last: the shop's position counter is locked from
//! then until the commit, so the shop's changes commit in position order
//! however many processes write them, and the lock is held for one
//! statement and the commit, not the whole push.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use deadpool_postgres::{Object, ObjectId, Transaction};
use tokio_postgres::SimpleQueryMessage;
use uuid::Uuid;
use zargar_wire::{GoldPricePayload, SalePayload, TenantSettings};

use super::rows::i64_of;
use crate::storage::StorageError;
use crate::storage::log::new_epoch;
use crate::storage::tx::{DeviceHead, Receipt, SaleStatus, StoredItem, TxResult};

mod shop;
mod statements;
mod write_behind;

pub use self::shop::price_from_row;
use self::statements::Batched;
pub use self::statements::Statements;

pub struct PgTx<'a> {
    tx: Transaction<'a>,
    statements: &'a Statements,
    /// Whether this transaction uses the statements kept on its connection.
    kept: bool,
    /// The pooled connection to note as marked once this transaction commits.
    marks: Option<ObjectId>,
    tenant: Uuid,
    /// Changes logged in this transaction, in order: each one's retention
    /// key and JSON.
    changes: Vec<(String, String)>,
    /// Pieces read ahead, with their versions, as this transaction has them.
    items: HashMap<Uuid, (StoredItem, u64)>,
    /// Claims made in memory (`claim_items_in_batch`), in order; those
    /// before `claims_written` are in the database.
    claims: Vec<PendingClaim>,
    claims_written: usize,
    claim_in_batch: bool,
    /// What was kept in memory at each open savepoint.
    savepoints: Vec<(&'static str, Kept)>,
    /// Whether a sale is on the server, for the ids read ahead.
    sale_known: HashMap<Uuid, bool>,
    /// Sales this transaction stored, written at commit.
    sales: Vec<PendingSale>,
    /// Op results this transaction stored, written at commit.
    results: Vec<PendingResult>,
    prices: Option<PriceWindow>,
    /// The shop's settings, once read.
    settings: Option<(TenantSettings, u64)>,
    /// The device's head as the push leaves it, written at commit.
    head: Option<(Uuid, DeviceHead, DateTime<Utc>)>,
}

/// How far each list of what is kept for the commit had grown: a rollback
/// to a savepoint gives back what came after, as the database does.
#[derive(Debug, Clone, Copy, Default)]
struct Kept {
    claims: usize,
    changes: usize,
    sales: usize,
    results: usize,
}

#[derive(Debug)]
struct PendingClaim {
    id: Uuid,
    sale: Uuid,
    device: Uuid,
    at: DateTime<Utc>,
    /// The version the claim makes; the one read is one less.
    version: u64,
    /// The piece as read, to give back on a rollback to a savepoint.
    before: StoredItem,
}

/// Another till took a piece this push had claimed in memory: run the
/// push again, claiming one piece at a time.
#[derive(Debug, thiserror::Error)]
#[error("a piece claimed in the batch was taken meanwhile")]
pub struct ClaimRaced;

#[derive(Debug)]
struct PendingSale {
    from: Receipt,
    sale: SalePayload,
    status: SaleStatus,
}

#[derive(Debug)]
struct PendingResult {
    device: Uuid,
    op_id: Uuid,
    seq: i64,
    kind: &'static str,
    entity_id: Uuid,
    result: String,
    at: DateTime<Utc>,
}

/// The shop's prices from the one in force at `from` on, oldest first.
#[derive(Debug)]
struct PriceWindow {
    from: DateTime<Utc>,
    prices: Vec<GoldPricePayload>,
}

impl PriceWindow {
    /// The newest price at or before `at`, when the window can tell.
    fn at(&self, at: DateTime<Utc>) -> Option<Option<GoldPricePayload>> {
        (at >= self.from).then(|| self.prices.iter().rev().find(|p| p.set_at <= at).cloned())
    }
}

/// Who may run as which shop: a transaction set for one shop, or for one
/// of the two doors that come before a shop is known.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Shop(Uuid),
    /// Authentication: the rows of the device holding this token hash.
    Token([u8; 32]),
    /// Enrolment: the rows of this enrolment code's hash.
    Code([u8; 32]),
}

impl std::fmt::Debug for PgTx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgTx").field("tenant", &self.tenant).field("changes", &self.changes.len()).finish()
    }
}

impl<'a> PgTx<'a> {
    pub async fn begin(client: &'a mut Object, statements: &'a Statements, scope: Scope) -> TxResult<PgTx<'a>> {
        let (key, value, tenant) = match scope {
            Scope::Shop(t) => ("zargar.tenant", t.to_string(), t),
            Scope::Token(h) => ("zargar.token_hash", hex::encode(h), Uuid::nil()),
            Scope::Code(h) => ("zargar.code_hash", hex::encode(h), Uuid::nil()),
        };
        let id = Object::id(client);
        let mut kept = !statements.pooled();
        let marked = kept && statements.is_marked(id);
        if kept && !marked {
            // What an earlier, rolled-back marking prepared may be elsewhere.
            client.statement_cache.clear();
        }
        let mark = statements.mark(id);
        // A connection marks its server connection in its first transaction,
        // and clears what others may have left prepared there, so that its own
        // names cannot collide; the mark of whoever kept them is overwritten,
        // so they never look for them here again. Sent unnamed, statements
        // leave nothing, and the types are learned under a name of this
        // process: clear the place first too, and unmark it.
        let first = match (kept, marked) {
            (true, true) => "SELECT current_setting('zargar.session', true)".to_owned(),
            (true, false) => format!("DEALLOCATE ALL; SELECT set_config('zargar.session', '{mark}', false)"),
            (false, _) => "DEALLOCATE ALL; SELECT set_config('zargar.session', '', false)".to_owned(),
        };
        let tx = client.transaction().await?;
        // The values are a UUID, hex or this process's own mark: safe inline.
        // (DEALLOCATE is not undone by a rollback, the mark is: a kept
        // statement found missing after all is `lost_statement`.)
        let answer = tx.simple_query(&format!("{first}, set_config('{key}', '{value}', true)")).await?;
        let seen = answer.iter().find_map(|m| match m {
            SimpleQueryMessage::Row(r) => r.get(0).map(str::to_owned),
            _ => None,
        });
        if kept && seen.as_deref() != Some(mark.as_str()) {
            // Not the server connection this one marked: a pooler is between.
            statements.saw_pooler();
            kept = false;
            tx.batch_execute("DEALLOCATE ALL; SELECT set_config('zargar.session', '', false)").await?;
        }
        Ok(PgTx {
            tx,
            statements,
            kept,
            marks: (kept && !marked).then_some(id),
            tenant,
            changes: Vec::new(),
            items: HashMap::new(),
            claims: Vec::new(),
            claims_written: 0,
            claim_in_batch: false,
            savepoints: Vec::new(),
            sale_known: HashMap::new(),
            sales: Vec::new(),
            results: Vec::new(),
            prices: None,
            settings: None,
            head: None,
        })
    }

    /// Sets the shop once a door has shown which it is.
    pub async fn enter(&mut self, tenant: Uuid) -> TxResult<()> {
        self.tx.batch_execute(&format!("SELECT set_config('zargar.tenant', '{tenant}', true)")).await?;
        self.tenant = tenant;
        Ok(())
    }

    /// Claims pieces read ahead in memory, written at commit (see the top).
    pub fn claim_items_in_batch(&mut self) {
        self.claim_in_batch = true;
    }

    /// Writes what was kept for the end, all in one round trip, the shop's
    /// change positions last, and commits.
    pub async fn commit(mut self) -> TxResult<()> {
        let mut writes = Vec::new();
        let claims = self.claims_write()?;
        let claimed = claims.as_ref().map(|(_, n)| *n);
        writes.extend(claims.map(|(w, _)| w));
        writes.extend(self.sales_writes()?);
        writes.extend(self.results_write()?);
        if let Some((device, head, now)) = self.head.take() {
            writes.push(Batched::new(
                "UPDATE devices SET last_seq = $3, journal_index = $4, journal_hash = $5, last_seen_at = $6
                 WHERE id = $1 AND tenant_id = $2",
                vec![
                    Box::new(device),
                    Box::new(self.tenant),
                    Box::new(i64_of(head.last_seq)?),
                    Box::new(i64_of(head.journal_index)?),
                    Box::new(head.journal_hash),
                    Box::new(now),
                ],
            ));
        }
        if !self.changes.is_empty() {
            let (keys, changes): (Vec<String>, Vec<String>) = std::mem::take(&mut self.changes).into_iter().unzip();
            let n = i64::try_from(changes.len()).unwrap_or(i64::MAX);
            // The counter's row stays locked from here to the commit.
            writes.push(Batched::new(
                "WITH seq AS (
                     INSERT INTO change_seqs (tenant_id, last) VALUES ($1, $2::bigint)
                     ON CONFLICT (tenant_id) DO UPDATE SET last = change_seqs.last + excluded.last RETURNING last)
                 INSERT INTO changes (tenant_id, pos, epoch, retention_key, at, change)
                 SELECT $1, seq.last - $2::bigint + n, $4, k, now(), c
                 FROM seq, unnest($3::text[], $5::text[]) WITH ORDINALITY AS u(c, k, n)",
                vec![Box::new(self.tenant), Box::new(n), Box::new(changes), Box::new(new_epoch()), Box::new(keys)],
            ));
        }
        let done = self.exec_together(&writes).await?;
        // The claims went first: the first answer says how many it took.
        if claimed.is_some_and(|want| done.first() != Some(&want)) {
            return Err(StorageError::backend(ClaimRaced));
        }
        self.tx.commit().await?;
        if let Some(id) = self.marks {
            self.statements.marked(id);
        }
        Ok(())
    }
}

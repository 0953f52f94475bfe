//! `TenantTx` on PostgreSQL: one transaction with the shop set for it.
//!
//! The shop goes into `zargar.tenant` with `set_config(…, true)`, which
//! lasts only as long as the transaction: nothing is left on the
//! connection for the next user, so the server works behind a
//! transaction pooler.
//!
//! Statements are kept prepared on each connection of the pool: parsing
//! and planning every statement again in every transaction was a sixth of
//! the database's work on a push. A pooler in transaction mode (PgBouncer
//! 1.18) may give each transaction another server connection, where those
//! statements are not, or where another process's statement has the same
//! name. So each pooled connection marks its server connection once, with
//! a session setting, and every transaction reads the mark back in the
//! round trip that sets the shop: when it is not there, a pooler is
//! between, and from then on this process sends its statements unnamed,
//! with their parameter types, in one round trip each, leaving nothing on
//! the server connection (`Statements`). No configuration is needed.
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

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use deadpool_postgres::{Object, ObjectId, Transaction};
use rust_decimal::Decimal;
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{SimpleQueryMessage, Statement};
use uuid::Uuid;
use zargar_wire::{
    Change, ConflictState, CustomerPayload, GoldPricePayload, ItemPayload, ItemStatus, Op, OpBody, OpResult,
    PriceScope, ReturnPayload, SalePayload, TenantSettings,
};

use super::rows::{count, i64_of};
use crate::storage::StorageError;
use crate::storage::codes::{parse_status, status_code};
use crate::storage::tx::{AuditRecord, DeviceHead, PriceOrigin, SaleStatus, StoredItem, TenantTx, TxResult};

pub struct PgTx<'a> {
    tx: Transaction<'a>,
    statements: &'a Statements,
    /// Whether this transaction uses the statements kept on its connection.
    kept: bool,
    /// The pooled connection to note as marked once this transaction commits.
    marks: Option<ObjectId>,
    tenant: Uuid,
    /// Changes logged in this transaction, as JSON, in order.
    changes: Vec<String>,
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

/// A statement and its parameters, owned, to be sent with others in one
/// round trip (`query_together`, `exec_together`).
struct Batched {
    sql: &'static str,
    params: Vec<Box<dyn ToSql + Sync + Send>>,
}

impl Batched {
    fn new(sql: &'static str, params: Vec<Box<dyn ToSql + Sync + Send>>) -> Batched {
        Batched { sql, params }
    }
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
    op_id: Uuid,
    device: Uuid,
    sale: SalePayload,
    status: SaleStatus,
    at: DateTime<Utc>,
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
            let changes = std::mem::take(&mut self.changes);
            let n = i64::try_from(changes.len()).unwrap_or(i64::MAX);
            // The counter's row stays locked from here to the commit.
            writes.push(Batched::new(
                "WITH seq AS (
                     INSERT INTO change_seqs (tenant_id, last) VALUES ($1, $2::bigint)
                     ON CONFLICT (tenant_id) DO UPDATE SET last = change_seqs.last + excluded.last RETURNING last)
                 INSERT INTO changes (tenant_id, pos, change)
                 SELECT $1, seq.last - $2::bigint + n, c FROM seq, unnest($3::text[]) WITH ORDINALITY AS u(c, n)",
                vec![Box::new(self.tenant), Box::new(n), Box::new(changes)],
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

    /// Sends `batch` at once and waits for every answer: one round trip, not
    /// one each. PostgreSQL runs them in order; the first error stops the rest.
    async fn exec_together(&mut self, batch: &[Batched]) -> TxResult<Vec<u64>> {
        let prepared = self.prepare_all(batch).await?;
        let params = params_of(batch);
        let this = &*self;
        let sent = batch.iter().zip(&prepared).zip(&params).map(|((b, p), params)| async move {
            match p {
                Prepared::Kept(s) => this.tx.execute(s, params).await,
                Prepared::Unnamed(types) => this.tx.execute_typed(b.sql, &typed(params, types)).await,
            }
        });
        futures_util::future::try_join_all(sent).await.map_err(|e| self.failed(e))
    }

    /// Like `exec_together`, for reads.
    async fn query_together(&mut self, batch: &[Batched]) -> TxResult<Vec<Vec<Row>>> {
        let prepared = self.prepare_all(batch).await?;
        let params = params_of(batch);
        let this = &*self;
        let sent = batch.iter().zip(&prepared).zip(&params).map(|((b, p), params)| async move {
            match p {
                Prepared::Kept(s) => this.tx.query(s, params).await,
                Prepared::Unnamed(types) => this.tx.query_typed(b.sql, &typed(params, types)).await,
            }
        });
        futures_util::future::try_join_all(sent).await.map_err(|e| self.failed(e))
    }

    async fn prepare_all(&mut self, batch: &[Batched]) -> TxResult<Vec<Prepared>> {
        let mut prepared = Vec::with_capacity(batch.len());
        for b in batch {
            prepared.push(self.statement(b.sql).await?);
        }
        Ok(prepared)
    }

    /// The claims made in memory and not yet written: one statement that
    /// takes each piece only if it is still in stock at the version read,
    /// with how many rows it must find.
    fn claims_write(&mut self) -> TxResult<Option<(Batched, u64)>> {
        let claims = &self.claims[self.claims_written..];
        if claims.is_empty() {
            return Ok(None);
        }
        let id: Vec<Uuid> = claims.iter().map(|c| c.id).collect();
        let sale: Vec<Uuid> = claims.iter().map(|c| c.sale).collect();
        let device: Vec<Uuid> = claims.iter().map(|c| c.device).collect();
        let version = claims.iter().map(|c| i64_of(c.version)).collect::<TxResult<Vec<i64>>>()?;
        let at: Vec<DateTime<Utc>> = claims.iter().map(|c| c.at).collect();
        let n = id.len() as u64;
        self.claims_written = self.claims.len();
        let write = Batched::new(
            "UPDATE items i SET status = 'sold', sale_id = u.s, sold_by = u.d, version = u.v, updated_at = u.a
             FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::int8[], $6::timestamptz[]) AS u(id, s, d, v, a)
             WHERE i.tenant_id = $1 AND i.id = u.id AND i.status = 'in_stock' AND i.version = u.v - 1",
            vec![
                Box::new(self.tenant),
                Box::new(id),
                Box::new(sale),
                Box::new(device),
                Box::new(version),
                Box::new(at),
            ],
        );
        Ok(Some((write, n)))
    }

    /// Writes the claims made in memory now, before a piece is written
    /// another way.
    async fn write_claims(&mut self) -> TxResult<()> {
        let Some((write, want)) = self.claims_write()? else { return Ok(()) };
        let done = self.exec_together(std::slice::from_ref(&write)).await?;
        if done.first() != Some(&want) {
            return Err(StorageError::backend(ClaimRaced));
        }
        Ok(())
    }

    /// The sales kept by `insert_sale`, and their lines: one statement each.
    fn sales_writes(&mut self) -> TxResult<Vec<Batched>> {
        let sales = std::mem::take(&mut self.sales);
        if sales.is_empty() {
            return Ok(Vec::new());
        }
        let mut r = SaleRows::default();
        for p in &sales {
            r.add(p)?;
        }
        let t = self.tenant;
        let l = r.lines;
        let [weight, purity, gold, wage, profit, vat, stones, total] = l.amounts;
        Ok(vec![
            Batched::new(
                "INSERT INTO sales (tenant_id, id, device_id, op_id, invoice_no, sold_at, per_gram_18k, total, status,
                     payload, received_at)
                 SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::int8[], $6::timestamptz[],
                     $7::numeric[], $8::numeric[], $9::text[], $10::text[], $11::timestamptz[])",
                vec![
                    Box::new(t),
                    Box::new(r.id),
                    Box::new(r.device),
                    Box::new(r.op_id),
                    Box::new(r.invoice_no),
                    Box::new(r.sold_at),
                    Box::new(r.price),
                    Box::new(r.total),
                    Box::new(r.status),
                    Box::new(r.payload),
                    Box::new(r.at),
                ],
            ),
            Batched::new(
                "INSERT INTO sale_lines (tenant_id, sale_id, line_no, item_id, tag, name, weight, purity, gold, wage,
                     profit, vat, stones, total)
                 SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::uuid[], $5::text[], $6::text[], $7::numeric[],
                     $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[], $13::numeric[],
                     $14::numeric[])",
                vec![
                    Box::new(t),
                    Box::new(l.sale_id),
                    Box::new(l.line_no),
                    Box::new(l.item_id),
                    Box::new(l.tag),
                    Box::new(l.name),
                    Box::new(weight),
                    Box::new(purity),
                    Box::new(gold),
                    Box::new(wage),
                    Box::new(profit),
                    Box::new(vat),
                    Box::new(stones),
                    Box::new(total),
                ],
            ),
        ])
    }

    /// The op results kept by `record_result`: one statement.
    fn results_write(&mut self) -> TxResult<Option<Batched>> {
        let results = std::mem::take(&mut self.results);
        if results.is_empty() {
            return Ok(None);
        }
        let device: Vec<Uuid> = results.iter().map(|r| r.device).collect();
        let op_id: Vec<Uuid> = results.iter().map(|r| r.op_id).collect();
        let seq: Vec<i64> = results.iter().map(|r| r.seq).collect();
        let kind: Vec<&'static str> = results.iter().map(|r| r.kind).collect();
        let entity: Vec<Uuid> = results.iter().map(|r| r.entity_id).collect();
        let at: Vec<DateTime<Utc>> = results.iter().map(|r| r.at).collect();
        let result: Vec<String> = results.into_iter().map(|r| r.result).collect();
        Ok(Some(Batched::new(
            "INSERT INTO op_results (device_id, op_id, tenant_id, seq, kind, entity_id, result, received_at)
             SELECT u.d, u.o, $1, u.s, u.k, u.e, u.r, u.a FROM unnest($2::uuid[], $3::uuid[], $4::int8[], $5::text[],
                 $6::uuid[], $7::text[], $8::timestamptz[]) AS u(d, o, s, k, e, r, a)",
            vec![
                Box::new(self.tenant),
                Box::new(device),
                Box::new(op_id),
                Box::new(seq),
                Box::new(kind),
                Box::new(entity),
                Box::new(result),
                Box::new(at),
            ],
        )))
    }

    /// `sql` ready to run here: kept on the connection, or to be sent
    /// unnamed with the parameter types this process learned for it.
    async fn statement(&mut self, sql: &'static str) -> TxResult<Prepared> {
        if self.kept {
            return Ok(Prepared::Kept(self.tx.prepare_cached(sql).await.map_err(|e| self.failed(e))?));
        }
        if let Some(types) = self.statements.types_of(sql) {
            return Ok(Prepared::Unnamed(types));
        }
        // Learned once per process: prepared, read, and closed again at
        // once, on this server connection, before anything else is sent.
        let learnt = self.tx.prepare(sql).await?;
        let types: Arc<[Type]> = learnt.params().into();
        drop(learnt);
        self.statements.learn(sql, types.clone());
        Ok(Prepared::Unnamed(types))
    }

    /// An error, noting on the way that a kept statement was not where it
    /// was kept: a transaction pooler the mark did not catch.
    fn failed(&self, e: tokio_postgres::Error) -> StorageError {
        if self.kept && lost_statement(&e) {
            self.statements.saw_pooler();
        }
        e.into()
    }

    pub async fn rows(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> TxResult<Vec<Row>> {
        let done = match self.statement(sql).await? {
            Prepared::Kept(s) => self.tx.query(&s, params).await,
            Prepared::Unnamed(types) => self.tx.query_typed(sql, &typed(params, &types)).await,
        };
        done.map_err(|e| self.failed(e))
    }

    pub async fn row(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> TxResult<Option<Row>> {
        let done = match self.statement(sql).await? {
            Prepared::Kept(s) => self.tx.query_opt(&s, params).await,
            Prepared::Unnamed(types) => self.tx.query_typed_opt(sql, &typed(params, &types)).await,
        };
        done.map_err(|e| self.failed(e))
    }

    pub async fn one(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> TxResult<Row> {
        let done = match self.statement(sql).await? {
            Prepared::Kept(s) => self.tx.query_one(&s, params).await,
            Prepared::Unnamed(types) => self.tx.query_typed_one(sql, &typed(params, &types)).await,
        };
        done.map_err(|e| self.failed(e))
    }

    pub async fn exec(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> TxResult<u64> {
        let done = match self.statement(sql).await? {
            Prepared::Kept(s) => self.tx.execute(&s, params).await,
            Prepared::Unnamed(types) => self.tx.execute_typed(sql, &typed(params, &types)).await,
        };
        done.map_err(|e| self.failed(e))
    }

    /// A statement the caller builds (the test hook's variant of a read),
    /// prepared for this one use and closed again.
    pub async fn rows_dynamic(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> TxResult<Vec<Row>> {
        let s = self.tx.prepare(sql).await?;
        Ok(self.tx.query(&s, params).await?)
    }
}

enum Prepared {
    Kept(Statement),
    Unnamed(Arc<[Type]>),
}

fn params_of(batch: &[Batched]) -> Vec<Vec<&(dyn ToSql + Sync)>> {
    batch.iter().map(|b| b.params.iter().map(|p| &**p as &(dyn ToSql + Sync)).collect()).collect()
}

fn typed<'p>(params: &[&'p (dyn ToSql + Sync)], types: &[Type]) -> Vec<(&'p (dyn ToSql + Sync), Type)> {
    params.iter().copied().zip(types.iter().cloned()).collect()
}

/// A kept statement missing, or its name taken by another's.
fn lost_statement(e: &tokio_postgres::Error) -> bool {
    e.code().is_some_and(|c| *c == SqlState::INVALID_SQL_STATEMENT_NAME || *c == SqlState::DUPLICATE_PSTATEMENT)
}

/// How this process's statements reach PostgreSQL (see the top).
#[derive(Debug)]
pub struct Statements {
    /// This process's part of each connection's mark.
    process: Uuid,
    /// Set once a transaction pooler has shown itself; never unset.
    pooled: AtomicBool,
    /// The pooled connections whose server connection carries their mark.
    marked: Mutex<HashSet<ObjectId>>,
    /// Parameter types per statement, for sending it unnamed.
    types: Mutex<HashMap<&'static str, Arc<[Type]>>>,
}

impl Default for Statements {
    fn default() -> Self {
        Statements {
            process: Uuid::new_v4(),
            pooled: AtomicBool::new(false),
            marked: Mutex::default(),
            types: Mutex::default(),
        }
    }
}

impl Statements {
    fn pooled(&self) -> bool {
        self.pooled.load(Ordering::Relaxed)
    }

    fn saw_pooler(&self) {
        if !self.pooled.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                "a transaction pooler is between this server and PostgreSQL: statements are sent unnamed from now on"
            );
        }
    }

    fn mark(&self, id: ObjectId) -> String {
        format!("{}.{id:?}", self.process.simple())
    }

    fn is_marked(&self, id: ObjectId) -> bool {
        self.marked.lock().unwrap_or_else(PoisonError::into_inner).contains(&id)
    }

    fn marked(&self, id: ObjectId) {
        self.marked.lock().unwrap_or_else(PoisonError::into_inner).insert(id);
    }

    fn types_of(&self, sql: &'static str) -> Option<Arc<[Type]>> {
        self.types.lock().unwrap_or_else(PoisonError::into_inner).get(sql).cloned()
    }

    fn learn(&self, sql: &'static str, types: Arc<[Type]>) {
        self.types.lock().unwrap_or_else(PoisonError::into_inner).insert(sql, types);
    }
}

/// Sales as column arrays, for one INSERT of many.
#[derive(Debug, Default)]
struct SaleRows {
    id: Vec<Uuid>,
    device: Vec<Uuid>,
    op_id: Vec<Uuid>,
    invoice_no: Vec<i64>,
    sold_at: Vec<DateTime<Utc>>,
    price: Vec<Decimal>,
    total: Vec<Decimal>,
    status: Vec<&'static str>,
    payload: Vec<String>,
    at: Vec<DateTime<Utc>>,
    lines: SaleLines,
}

impl SaleRows {
    fn add(&mut self, p: &PendingSale) -> TxResult<()> {
        self.id.push(p.sale.sale_id);
        self.device.push(p.device);
        self.op_id.push(p.op_id);
        self.invoice_no.push(i64_of(p.sale.invoice_no)?);
        self.sold_at.push(p.sale.sold_at);
        self.price.push(p.sale.gold_price.per_gram_18k);
        self.total.push(p.sale.totals.total);
        self.status.push(p.status.code());
        self.payload.push(serde_json::to_string(&p.sale)?);
        self.at.push(p.at);
        self.lines.add(&p.sale);
        Ok(())
    }
}

/// Sale lines as column arrays.
#[derive(Debug, Default)]
struct SaleLines {
    sale_id: Vec<Uuid>,
    line_no: Vec<i32>,
    item_id: Vec<Uuid>,
    tag: Vec<String>,
    name: Vec<String>,
    /// weight, purity, gold, wage, profit, vat, stones, total.
    amounts: [Vec<Decimal>; 8],
}

impl SaleLines {
    fn add(&mut self, sale: &SalePayload) {
        for (i, l) in sale.lines.iter().enumerate() {
            self.sale_id.push(sale.sale_id);
            self.line_no.push(i32::try_from(i + 1).unwrap_or(i32::MAX));
            self.item_id.push(l.item_id);
            self.tag.push(l.tag.clone());
            self.name.push(l.name.clone());
            let values = [l.weight, l.purity, l.gold, l.wage, l.profit, l.vat, l.stones, l.total];
            for (column, v) in self.amounts.iter_mut().zip(values) {
                column.push(v);
            }
        }
    }
}

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
    payload.status = parse_status(row.get(1));
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
        self.changes.push(serde_json::to_string(change)?);
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
                &[&t, &item.item_id, &item.tag, &serde_json::to_string(item)?, &status_code(item.status), &now],
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
                &[&t, &id, &status_code(status), &held_by.map(|(s, _)| s), &held_by.map(|(_, d)| d), &now],
            )
            .await?;
        count(row.get(0))
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

    async fn insert_sale(
        &mut self,
        op_id: Uuid,
        device: Uuid,
        sale: &SalePayload,
        status: SaleStatus,
        now: DateTime<Utc>,
    ) -> TxResult<()> {
        self.sale_known.insert(sale.sale_id, true);
        self.sales.push(PendingSale { op_id, device, sale: sale.clone(), status, at: now });
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

    async fn insert_return(&mut self, ret: &ReturnPayload, device: Uuid, now: DateTime<Utc>) -> TxResult<()> {
        let t = self.tenant;
        self.exec(
            "INSERT INTO returns (tenant_id, id, sale_id, device_id, payload, received_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&t, &ret.return_id, &ret.sale_id, &device, &serde_json::to_string(ret)?, &now],
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
        self.exec(
            "INSERT INTO customers (tenant_id, id, name, mobile, national_id, version, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, mobile = excluded.mobile,
                 national_id = excluded.national_id, version = excluded.version, updated_at = excluded.updated_at",
            &[&t, &cu.customer_id, &cu.name, &cu.mobile, &cu.national_id, &i64_of(version)?, &now],
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
        if origin == PriceOrigin::Shop {
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

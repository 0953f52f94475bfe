//! How a `PgTx` sends its statements.
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

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use deadpool_postgres::ObjectId;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Row, Statement};
use uuid::Uuid;

use super::PgTx;
use crate::storage::StorageError;
use crate::storage::tx::TxResult;

/// A statement and its parameters, owned, to be sent with others in one
/// round trip (`query_together`, `exec_together`).
pub(super) struct Batched {
    pub(super) sql: &'static str,
    params: Vec<Box<dyn ToSql + Sync + Send>>,
}

impl Batched {
    pub(super) fn new(sql: &'static str, params: Vec<Box<dyn ToSql + Sync + Send>>) -> Batched {
        Batched { sql, params }
    }
}

impl PgTx<'_> {
    /// Sends `batch` at once and waits for every answer: one round trip, not
    /// one each. PostgreSQL runs them in order; the first error stops the rest.
    pub(super) async fn exec_together(&mut self, batch: &[Batched]) -> TxResult<Vec<u64>> {
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
    pub(super) async fn query_together(&mut self, batch: &[Batched]) -> TxResult<Vec<Vec<Row>>> {
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
    pub(super) fn failed(&self, e: tokio_postgres::Error) -> StorageError {
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
    pub(super) fn pooled(&self) -> bool {
        self.pooled.load(Ordering::Relaxed)
    }

    pub(super) fn saw_pooler(&self) {
        if !self.pooled.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                "a transaction pooler is between this server and PostgreSQL: statements are sent unnamed from now on"
            );
        }
    }

    pub(super) fn mark(&self, id: ObjectId) -> String {
        format!("{}.{id:?}", self.process.simple())
    }

    pub(super) fn is_marked(&self, id: ObjectId) -> bool {
        self.marked.lock().unwrap_or_else(PoisonError::into_inner).contains(&id)
    }

    pub(super) fn marked(&self, id: ObjectId) {
        self.marked.lock().unwrap_or_else(PoisonError::into_inner).insert(id);
    }

    fn types_of(&self, sql: &'static str) -> Option<Arc<[Type]>> {
        self.types.lock().unwrap_or_else(PoisonError::into_inner).get(sql).cloned()
    }

    fn learn(&self, sql: &'static str, types: Arc<[Type]>) {
        self.types.lock().unwrap_or_else(PoisonError::into_inner).insert(sql, types);
    }
}

//! PostgreSQL's errors as the server's, and the few conversions native
//! types still need (counts are `bigint`; the protocol's are unsigned).

use deadpool_postgres::PoolError;
use tokio_postgres::error::SqlState;

use crate::storage::StorageError;

impl From<tokio_postgres::Error> for StorageError {
    fn from(e: tokio_postgres::Error) -> Self {
        if unavailable(&e) { StorageError::Unavailable(e.to_string()) } else { StorageError::backend(e) }
    }
}

impl From<PoolError> for StorageError {
    fn from(e: PoolError) -> Self {
        match e {
            PoolError::Backend(e) => e.into(),
            // No connection to be had (the database restarting, the pool
            // exhausted past its wait): the till comes back later.
            other => StorageError::Unavailable(other.to_string()),
        }
    }
}

/// The database is going away, restarting or full of connections: a retry
/// later may well succeed, so the till is told 503, not 500.
fn unavailable(e: &tokio_postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.code() {
        Some(code) => {
            code.code().starts_with("08")
                || [
                    SqlState::ADMIN_SHUTDOWN,
                    SqlState::CRASH_SHUTDOWN,
                    SqlState::CANNOT_CONNECT_NOW,
                    SqlState::TOO_MANY_CONNECTIONS,
                ]
                .contains(code)
        }
        // No SQL state: the socket itself failed.
        None => e.as_db_error().is_none() && std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>()),
    }
}

/// Whether running the whole transaction again may succeed: a deadlock
/// between two pushes claiming the same pieces in other orders, a
/// serialization failure, or a kept statement a transaction pooler lost
/// (the next run sends its statements unnamed).
pub fn retryable(e: &StorageError) -> bool {
    let StorageError::Backend(source) = e else { return false };
    source.downcast_ref::<tokio_postgres::Error>().and_then(tokio_postgres::Error::code).is_some_and(|c| {
        [
            SqlState::T_R_DEADLOCK_DETECTED,
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::INVALID_SQL_STATEMENT_NAME,
            SqlState::DUPLICATE_PSTATEMENT,
        ]
        .contains(c)
    })
}

/// Whether the error is a unique violation of `constraint`.
pub fn violates(e: &tokio_postgres::Error, constraint: &str) -> bool {
    e.as_db_error().is_some_and(|d| *d.code() == SqlState::UNIQUE_VIOLATION && d.constraint() == Some(constraint))
}

pub fn count(v: i64) -> Result<u64, StorageError> {
    u64::try_from(v).map_err(|_| StorageError::stored(format!("negative count {v}")))
}

pub fn i64_of(v: u64) -> Result<i64, StorageError> {
    i64::try_from(v).map_err(|_| StorageError::stored(format!("{v} is past what the database holds")))
}

//! One writer thread that commits in groups, and a small pool of readers.
//!
//! The writer runs the waiting jobs, each inside its own savepoint, for up
//! to a few milliseconds, commits once, and only then answers them all. One
//! fsync is shared by many tills' sales, and "applied" is never said of
//! anything not yet on disk. Reads use their own connections, which WAL lets run
//! beside the writer.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::storage::StorageError;

/// Jobs waiting together are committed together, up to this many.
const GROUP_COMMIT_MAX: usize = 128;
/// ... and while the group has worked less than this. Long enough that a
/// commit's fsync is a small share of the writer's time; short enough that
/// a push is answered without waiting for every push queued behind it (a
/// group of a hundred pushes of 500 sales held every till's answer for two
/// seconds, and the tills then all came back at once).
const GROUP_COMMIT_BUDGET: Duration = Duration::from_millis(10);
const READERS_KEPT: usize = 8;

type Answer = Result<Box<dyn Any + Send>, StorageError>;

struct Job {
    run: Box<dyn FnOnce(&Connection) -> Answer + Send>,
    reply: oneshot::Sender<Answer>,
}

/// The connections to one database file.
pub struct Engine {
    path: PathBuf,
    writer: Mutex<Option<mpsc::SyncSender<Job>>>,
    readers: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteEngine").field("path", &self.path).finish()
    }
}

pub fn open_connection(path: &Path) -> Result<Connection, StorageError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // FULL: a result the server answered must survive a power cut, or a till
    // would drop a sale the server no longer has.
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    // Savepoints (one per push, per op, per claim) copy pages to a statement
    // journal; in memory that costs a memcpy instead of a write(2) per page.
    conn.execute_batch("PRAGMA temp_store = MEMORY;")?;
    // Keep cached plans: otherwise SQLite re-prepares every statement whose
    // plan depends on a bound value (the price-at-time lookup) on each use.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn writer_loop(conn: Connection, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            let _ = first.reply.send(Err(StorageError::from(e)));
            continue;
        }
        let started = Instant::now();
        let mut answers = Vec::new();
        let mut next = Some(first);
        while let Some(job) = next.take() {
            let answer = run_in_savepoint(&conn, job.run);
            answers.push((job.reply, answer));
            if answers.len() < GROUP_COMMIT_MAX && started.elapsed() < GROUP_COMMIT_BUDGET {
                next = rx.try_recv().ok();
            }
        }
        match conn.execute_batch("COMMIT") {
            Ok(()) => {
                for (reply, answer) in answers {
                    let _ = reply.send(answer);
                }
            }
            Err(e) => {
                let e = StorageError::from(e);
                let _ = conn.execute_batch("ROLLBACK");
                for (reply, _) in answers {
                    let _ = reply.send(Err(e.clone()));
                }
            }
        }
    }
}

/// One job's writes stand or fall together, without touching the others
/// committed in the same group.
fn run_in_savepoint(conn: &Connection, run: Box<dyn FnOnce(&Connection) -> Answer + Send>) -> Answer {
    conn.execute_batch("SAVEPOINT job")?;
    let answer = catch_unwind(AssertUnwindSafe(|| run(conn)))
        .unwrap_or_else(|_| Err(StorageError::stored("a write panicked; it was rolled back")));
    if answer.is_err() {
        conn.execute_batch("ROLLBACK TO job")?;
    }
    conn.execute_batch("RELEASE job")?;
    answer
}

fn stopped() -> StorageError {
    StorageError::Unavailable("the server is shutting down".into())
}

impl Engine {
    /// Starts the writer thread on `conn`, which has been migrated.
    pub fn start(path: &Path, conn: Connection) -> Result<Engine, StorageError> {
        let (tx, rx) = mpsc::sync_channel::<Job>(1024);
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer_loop(conn, rx))
            .map_err(|e| StorageError::Unavailable(format!("writer thread: {e}")))?;
        Ok(Engine { path: path.to_owned(), writer: Mutex::new(Some(tx)), readers: Mutex::new(Vec::new()) })
    }

    /// Stops taking writes; the writer finishes what it has and exits.
    pub fn close(&self) {
        if let Ok(mut w) = self.writer.lock() {
            w.take();
        }
    }

    pub async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError> {
        let (reply, answer) = oneshot::channel();
        let job = Job { run: Box::new(move |c| f(c).map(|v| Box::new(v) as Box<dyn Any + Send>)), reply };
        let sender = self.writer.lock().map_err(|_| stopped())?.clone().ok_or_else(stopped)?;
        // A full queue blocks: do it off the async threads.
        tokio::task::spawn_blocking(move || sender.send(job))
            .await
            .map_err(StorageError::backend)?
            .map_err(|_| stopped())?;
        let any = answer.await.map_err(|_| stopped())??;
        any.downcast::<T>().map(|b| *b).map_err(|_| StorageError::stored("writer answer of the wrong type"))
    }

    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Connection) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError> {
        let engine = self.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = engine.readers.lock().ok().and_then(|mut r| r.pop());
            let conn = match pooled {
                Some(c) => c,
                None => open_connection(&engine.path)?,
            };
            let out = f(&conn);
            if let Ok(mut r) = engine.readers.lock()
                && r.len() < READERS_KEPT
            {
                r.push(conn);
            }
            out
        })
        .await
        .map_err(StorageError::backend)?
    }
}

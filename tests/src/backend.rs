//! The database a test server runs on: a SQLite file (the default), or, when
//! `ZARGAR_TEST_POSTGRES` is set, a PostgreSQL database of its own, made
//! fresh for each server and migrated by the server binary itself.
//!
//! The one home of this for both harnesses: the end-to-end crate's
//! (`zargar_e2e::backend`, tests/src/lib.rs) and the server crate's
//! integration tests (crates/zargar-server/tests/common/mod.rs, which
//! includes this file by `#[path]`). It uses std and rusqlite only, which
//! both crates have.
//!
//! The environment (`scripts/test-postgres` sets it inside `pg_virtualenv`):
//! - `ZARGAR_TEST_POSTGRES`: a superuser URL of a throwaway cluster,
//!   `postgres://USER:PASSWORD@HOST:PORT/DATABASE`. Unset: SQLite.
//! - `ZARGAR_TEST_PGBOUNCER`: `HOST:PORT` of a pgbouncer in transaction mode
//!   in front of that cluster. Set: the server's own connections (`serve`
//!   and the admin commands) go through it; migrations go direct.
//! - `ZARGAR_TEST_PG_RESTART`: a shell command that restarts the cluster
//!   (`restart_postgres`).
//! - `ZARGAR_TEST_PG_KEEP=1`: keep each test's database after the test, to
//!   look at it (they are dropped otherwise).
//!
//! On PostgreSQL, roles `zargar_owner` and `zargar_app` are created once
//! per cluster (LOGIN, NOSUPERUSER, NOBYPASSRLS, the test passwords below);
//! each server gets `CREATE DATABASE zt_… OWNER zargar_owner`, then
//! `zargar-server --database-url OWNER_URL migrate --app-role zargar_app`,
//! and runs with `--database-url APP_URL` (as `zargar_app`, which owns
//! nothing, so row-level security binds it). What the tests read or change
//! behind the server's back they do as the superuser, with `psql`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A superuser URL of the cluster the tests may use: PostgreSQL when set.
pub const POSTGRES_ENV: &str = "ZARGAR_TEST_POSTGRES";
/// `host:port` of a pgbouncer (transaction mode) in front of that cluster.
pub const PGBOUNCER_ENV: &str = "ZARGAR_TEST_PGBOUNCER";
/// A shell command that restarts the cluster.
pub const PG_RESTART_ENV: &str = "ZARGAR_TEST_PG_RESTART";
/// Set to 1: the tests' databases are left behind.
pub const PG_KEEP_ENV: &str = "ZARGAR_TEST_PG_KEEP";

/// The role that owns the tables and runs the migrations.
pub const OWNER_ROLE: &str = "zargar_owner";
pub const OWNER_PASSWORD: &str = "zargar-test-owner";
/// The role the server serves as: owns nothing, so row-level security binds it.
pub const APP_ROLE: &str = "zargar_app";
pub const APP_PASSWORD: &str = "zargar-test-app";

/// The server's own variables for its database: a test names its database
/// by flag only, whatever the developer's shell has set.
const SERVER_DB_VARS: [&str; 3] = ["ZARGAR_SERVER_DB", "ZARGAR_DATABASE_URL", "ZARGAR_NOTICES_DATABASE_URL"];

/// Every row of every table, rendered and sorted, by table name: two
/// snapshots are equal when the database holds the same rows.
pub type Snapshot = BTreeMap<String, Vec<String>>;

/// Spawns `command`, a `zargar-server … serve` with its arguments, and
/// reads the first line it prints, `listening on URL`: the process and that
/// URL (`http://HOST:PORT`). The process's stdout is this function's.
pub fn spawn_serving(command: &mut Command) -> (Child, String) {
    let mut child = command.stdout(Stdio::piped()).spawn().expect("spawn zargar-server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read the address");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, url)
}

/// Where a test server keeps its data.
#[derive(Debug)]
pub enum Backend {
    /// A SQLite file (it need not exist yet: the server creates it).
    Sqlite(PathBuf),
    /// A PostgreSQL database of this server's own, migrated.
    Postgres(PgDatabase),
}

/// Whether the tests run on PostgreSQL (`ZARGAR_TEST_POSTGRES` is set).
pub fn postgres_wanted() -> bool {
    std::env::var_os(POSTGRES_ENV).is_some_and(|v| !v.is_empty())
}

impl Backend {
    /// What the environment asks for: `dir/server.db`, or a fresh migrated
    /// PostgreSQL database (migrated by `server`, the zargar-server binary).
    pub fn fresh(dir: &Path, server: &Path) -> Backend {
        match PgCluster::from_env() {
            Some(cluster) => Backend::Postgres(cluster.fresh_database(server)),
            None => Backend::Sqlite(dir.join("server.db")),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Backend::Postgres(_))
    }

    /// The SQLite file, if that is the backend.
    pub fn sqlite(&self) -> Option<&Path> {
        match self {
            Backend::Sqlite(path) => Some(path),
            Backend::Postgres(_) => None,
        }
    }

    pub fn postgres(&self) -> Option<&PgDatabase> {
        match self {
            Backend::Sqlite(_) => None,
            Backend::Postgres(db) => Some(db),
        }
    }

    /// The global options that point `zargar-server` at this database.
    pub fn args(&self) -> Vec<OsString> {
        match self {
            Backend::Sqlite(path) => vec!["--db".into(), path.into()],
            Backend::Postgres(db) => vec!["--database-url".into(), db.app_url().into()],
        }
    }

    /// `server` (the zargar-server binary) on this database: the options
    /// set, the server's own database variables cleared; add the subcommand.
    pub fn command(&self, server: &Path) -> Command {
        let mut c = Command::new(server);
        for var in SERVER_DB_VARS {
            c.env_remove(var);
        }
        // The change notices need a session of their own: straight to the
        // cluster even when the rest goes through pgbouncer.
        if let Backend::Postgres(db) = self {
            c.env("ZARGAR_NOTICES_DATABASE_URL", db.direct_app_url());
        }
        c.args(self.args());
        c
    }

    /// The database's rows, read behind the server's back (as the
    /// superuser on PostgreSQL: every shop's rows).
    pub fn snapshot(&self) -> Snapshot {
        match self {
            Backend::Sqlite(path) => sqlite_snapshot(path),
            Backend::Postgres(db) => db.snapshot(),
        }
    }

    /// Runs one statement that changes rows behind the server's back; the
    /// number of rows it changed. Keep it to SQL both backends speak.
    pub fn execute(&self, sql: &str) -> u64 {
        match self {
            Backend::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).expect("open the server's database");
                conn.busy_timeout(Duration::from_secs(10)).expect("busy timeout");
                let n = conn.execute(sql, []).unwrap_or_else(|e| panic!("{sql}: {e}"));
                u64::try_from(n).expect("a row count")
            }
            Backend::Postgres(db) => db.execute(sql),
        }
    }

    /// The one number a query answers (`SELECT count(*) …`).
    pub fn count(&self, sql: &str) -> u64 {
        match self {
            Backend::Sqlite(path) => {
                let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                    .expect("open the server's database read-only");
                conn.busy_timeout(Duration::from_secs(10)).expect("busy timeout");
                let n: i64 = conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"));
                u64::try_from(n).expect("a count")
            }
            Backend::Postgres(db) => {
                let out = db.psql(sql);
                out.trim().parse().unwrap_or_else(|e| panic!("{sql}: not a count ({e}): {out:?}"))
            }
        }
    }

    /// What the database keeps on disk, as bytes, named: the SQLite file
    /// with its WAL and journal; on PostgreSQL a full `pg_dump` of the
    /// database and, after a CHECKPOINT, the files of its tables, indexes
    /// and TOAST (when this process can read the data directory, as with
    /// the local throwaway cluster). The cluster's WAL is shared by every
    /// test database and is not included.
    pub fn stored_bytes(&self) -> Vec<(String, Vec<u8>)> {
        match self {
            Backend::Sqlite(path) => sqlite_bytes(path),
            Backend::Postgres(db) => db.stored_bytes(),
        }
    }

    /// Copies the whole database into the folder `to` (a night's backup;
    /// the server is stopped first).
    pub fn backup(&self, to: &Path) {
        std::fs::create_dir_all(to).expect("backup folder");
        match self {
            Backend::Sqlite(path) => {
                for (from, name) in sqlite_files(path) {
                    if from.exists() {
                        std::fs::copy(&from, to.join(name)).expect("copy a database file");
                    }
                }
            }
            Backend::Postgres(db) => db.dump(&to.join("database.dump")),
        }
    }

    /// Puts back what `backup` copied into `from`, dropping what is there now.
    pub fn restore(&self, from: &Path) {
        match self {
            Backend::Sqlite(path) => {
                for (file, name) in sqlite_files(path) {
                    let _ = std::fs::remove_file(&file);
                    if from.join(&name).exists() {
                        std::fs::copy(from.join(&name), &file).expect("restore a database file");
                    }
                }
            }
            Backend::Postgres(db) => db.restore(&from.join("database.dump")),
        }
    }

    /// For messages: which database this is.
    pub fn describe(&self) -> String {
        match self {
            Backend::Sqlite(path) => format!("SQLite {}", path.display()),
            Backend::Postgres(db) => format!("PostgreSQL database {}", db.name),
        }
    }
}

/// Restarts the PostgreSQL cluster with the command `ZARGAR_TEST_PG_RESTART`
/// names; false (and nothing done) when it is not set.
pub fn restart_postgres() -> bool {
    let Some(cmd) = std::env::var(PG_RESTART_ENV).ok().filter(|c| !c.trim().is_empty()) else {
        return false;
    };
    let out = Command::new("sh").arg("-c").arg(&cmd).output().expect("run the restart command");
    assert!(
        out.status.success(),
        "{PG_RESTART_ENV}={cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

// ------------------------------------------------------------------ SQLite

/// The database file and the files SQLite keeps beside it, with their names.
fn sqlite_files(db: &Path) -> Vec<(PathBuf, String)> {
    let name = db.file_name().expect("a database file name").to_string_lossy().into_owned();
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let file = format!("{name}{suffix}");
            (db.with_file_name(&file), file)
        })
        .collect()
}

fn sqlite_snapshot(db: &Path) -> Snapshot {
    use rusqlite::{Connection, OpenFlags};
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .expect("open the server's database read-only");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("list tables")
        .query_map([], |r| r.get(0))
        .expect("list tables")
        .collect::<Result<_, _>>()
        .expect("table names");
    assert!(tables.iter().any(|t| t == "sales"), "not the server's schema: {tables:?}");
    let mut out = Snapshot::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).expect("select a table");
        let columns = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let values: Vec<rusqlite::types::Value> = (0..columns).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                Ok(format!("{values:?}"))
            })
            .expect("read rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        rows.sort();
        out.insert(table, rows);
    }
    out
}

fn sqlite_bytes(db: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for (path, _) in sqlite_files(db) {
        if path.exists() && !path.to_string_lossy().ends_with("-shm") {
            files.push((path.display().to_string(), std::fs::read(&path).expect("read a database file")));
        }
    }
    assert!(
        files.first().is_some_and(|(p, b)| *p == db.display().to_string() && !b.is_empty()),
        "the database file {} is missing or empty",
        db.display()
    );
    files
}

// ------------------------------------------------------------------ PostgreSQL

/// The parts of a `postgres://` URL the tests use.
#[derive(Debug, Clone)]
struct PgUrl {
    user: String,
    password: String,
    host: String,
    port: u16,
    database: String,
}

impl PgUrl {
    /// `postgres[ql]://USER[:PASSWORD]@HOST[:PORT][/DATABASE]`, no escapes.
    fn parse(url: &str) -> PgUrl {
        let bad = |why: &str| -> ! {
            panic!("{POSTGRES_ENV}={url:?}: {why}; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        };
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .unwrap_or_else(|| bad("not a postgres:// URL"));
        let rest = rest.split('?').next().unwrap_or_default();
        let (auth, rest) = rest.rsplit_once('@').unwrap_or_else(|| bad("no USER@"));
        let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
        let (hostport, database) = rest.split_once('/').unwrap_or((rest, "postgres"));
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => {
                (h, p.parse().unwrap_or_else(|_| bad("the port is not a number")))
            }
            _ => (hostport, 5432),
        };
        if user.is_empty() || host.is_empty() {
            bad("no user or no host");
        }
        PgUrl {
            user: user.into(),
            password: password.into(),
            host: host.into(),
            port,
            database: if database.is_empty() { "postgres".into() } else { database.into() },
        }
    }

    fn with(&self, user: &str, password: &str, host_port: Option<&str>, database: &str) -> String {
        let host_port = host_port.map_or_else(|| format!("{}:{}", self.host, self.port), str::to_owned);
        format!("postgres://{user}:{password}@{host_port}/{database}")
    }
}

/// The cluster the environment names.
#[derive(Debug, Clone)]
pub struct PgCluster {
    superuser: PgUrl,
    pgbouncer: Option<String>,
}

impl PgCluster {
    /// The cluster of `ZARGAR_TEST_POSTGRES` (and `ZARGAR_TEST_PGBOUNCER`),
    /// its roles made once per process; None when it is not set.
    pub fn from_env() -> Option<PgCluster> {
        static CLUSTER: OnceLock<Option<PgCluster>> = OnceLock::new();
        CLUSTER
            .get_or_init(|| {
                let url = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.trim().is_empty())?;
                let pgbouncer = std::env::var(PGBOUNCER_ENV).ok().filter(|b| !b.trim().is_empty());
                let cluster = PgCluster { superuser: PgUrl::parse(url.trim()), pgbouncer };
                cluster.ensure_roles();
                Some(cluster)
            })
            .clone()
    }

    /// The cluster at `superuser_url` (a bench's `--database-url`), its roles made.
    pub fn at(superuser_url: &str, pgbouncer: Option<String>) -> PgCluster {
        let cluster = PgCluster { superuser: PgUrl::parse(superuser_url.trim()), pgbouncer };
        cluster.ensure_roles();
        cluster
    }

    fn superuser_url(&self, database: &str) -> String {
        let s = &self.superuser;
        s.with(&s.user, &s.password, None, database)
    }

    /// Creates the owner and app roles if missing, and makes sure they are
    /// what the tests expect (LOGIN, NOSUPERUSER, NOBYPASSRLS, the password).
    /// Retried: two processes at once may trip over each other.
    fn ensure_roles(&self) {
        let mut sql = String::new();
        for (role, password) in [(OWNER_ROLE, OWNER_PASSWORD), (APP_ROLE, APP_PASSWORD)] {
            sql.push_str(&format!(
                "DO $$ BEGIN \
                   IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role}; END IF; \
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$; \
                 ALTER ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '{password}';"
            ));
        }
        let url = self.superuser_url(&self.superuser.database);
        let mut last = String::new();
        for attempt in 0..5 {
            match psql(&url, &sql, &[]) {
                Ok(_) => return,
                Err(e) => last = e,
            }
            std::thread::sleep(Duration::from_millis(200 * (attempt + 1)));
        }
        panic!("could not create the roles {OWNER_ROLE} and {APP_ROLE}: {last}");
    }

    /// A new empty database owned by `zargar_owner`, migrated by `server`.
    pub fn fresh_database(&self, server: &Path) -> PgDatabase {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
        let name = format!(
            "zt_{:x}_{:x}_{:x}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            nanos % (1 << 48)
        );
        let admin = self.superuser_url(&self.superuser.database);
        psql(&admin, &format!("CREATE DATABASE {name} OWNER {OWNER_ROLE}"), &[])
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
        let db = PgDatabase { cluster: self.clone(), name };
        let out = Command::new(server)
            .env_remove("ZARGAR_SERVER_DB")
            .env_remove("ZARGAR_DATABASE_URL")
            .args(["--database-url", &db.owner_url(), "migrate", "--app-role", APP_ROLE])
            .output()
            .expect("run zargar-server migrate");
        assert!(
            out.status.success(),
            "zargar-server --database-url {} migrate --app-role {APP_ROLE} failed: {}{}",
            db.owner_url(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        db
    }
}

/// A test server's own PostgreSQL database, dropped with it (unless
/// `ZARGAR_TEST_PG_KEEP=1`).
#[derive(Debug)]
pub struct PgDatabase {
    cluster: PgCluster,
    pub name: String,
}

impl PgDatabase {
    /// As `zargar_owner`, straight to the cluster: for `migrate`.
    pub fn owner_url(&self) -> String {
        self.cluster.superuser.with(OWNER_ROLE, OWNER_PASSWORD, None, &self.name)
    }

    /// As `zargar_app`, through pgbouncer when there is one: for `serve` and
    /// the admin commands.
    pub fn app_url(&self) -> String {
        self.cluster.superuser.with(APP_ROLE, APP_PASSWORD, self.cluster.pgbouncer.as_deref(), &self.name)
    }

    /// As the superuser, straight to the cluster: for the tests' own looks.
    pub fn superuser_url(&self) -> String {
        self.cluster.superuser_url(&self.name)
    }

    /// Whether the server's connections go through pgbouncer.
    pub fn through_pgbouncer(&self) -> bool {
        self.cluster.pgbouncer.is_some()
    }

    /// Runs `sql` as the superuser in this database; psql's unaligned,
    /// tuples-only output.
    pub fn psql(&self, sql: &str) -> String {
        psql(&self.superuser_url(), sql, &[]).unwrap_or_else(|e| panic!("{}: {sql}: {e}", self.name))
    }

    /// Runs `sql` as the server's own role (`zargar_app`, straight to the
    /// cluster, not through pgbouncer): what the server could do with a
    /// query of its own making. psql's unaligned, tuples-only output without
    /// command tags, or psql's error (the first one stops it).
    pub fn psql_as_app(&self, sql: &str) -> Result<String, String> {
        psql(&self.direct_app_url(), sql, &["--quiet"])
    }

    /// As `zargar_app`, straight to the cluster (never through pgbouncer).
    pub fn direct_app_url(&self) -> String {
        self.cluster.superuser.with(APP_ROLE, APP_PASSWORD, None, &self.name)
    }

    /// Runs one INSERT, UPDATE or DELETE as the superuser; rows changed.
    pub fn execute(&self, sql: &str) -> u64 {
        let out = psql(&self.superuser_url(), sql, &[]).unwrap_or_else(|e| panic!("{}: {sql}: {e}", self.name));
        // Without -q, psql prints the command's tag: "UPDATE 1", "INSERT 0 1".
        let tag = out.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default();
        tag.rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{sql}: no row count in {out:?}"))
    }

    fn snapshot(&self) -> Snapshot {
        let list = self.psql(
            "SELECT format('%I.%I', n.nspname, c.relname), c.relname FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition \
               AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
               AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
             ORDER BY 2, 1",
        );
        let tables: Vec<(String, String)> = list
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (q, name) = l.split_once('|').unwrap_or_else(|| panic!("a table line {l:?}"));
                (q.to_owned(), name.to_owned())
            })
            .collect();
        assert!(tables.iter().any(|(_, t)| t == "sales"), "not the server's schema: {tables:?}");
        let mut out: Snapshot = tables.iter().map(|(_, t)| (t.clone(), Vec::new())).collect();
        // One query, so every table is read in the same snapshot.
        let select = tables
            .iter()
            .map(|(q, t)| format!("SELECT '{}', r::text FROM {q} r", t.replace('\'', "''")))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let text = psql(&self.superuser_url(), &select, &["--field-separator-zero", "--record-separator-zero"])
            .unwrap_or_else(|e| panic!("{}: a snapshot: {e}", self.name));
        let fields: Vec<&str> = text.split('\0').collect();
        for pair in fields.chunks(2) {
            if let [table, row] = pair {
                out.get_mut(*table)
                    .unwrap_or_else(|| panic!("a row of an unknown table {table:?}"))
                    .push((*row).to_owned());
            }
        }
        for rows in out.values_mut() {
            rows.sort();
        }
        out
    }

    fn stored_bytes(&self) -> Vec<(String, Vec<u8>)> {
        let dump = Command::new("pg_dump")
            .args(["--no-password", "--dbname", &self.superuser_url()])
            .output()
            .expect("run pg_dump");
        assert!(dump.status.success(), "pg_dump {}: {}", self.name, String::from_utf8_lossy(&dump.stderr));
        assert!(!dump.stdout.is_empty(), "pg_dump {} wrote nothing", self.name);
        let mut files = vec![(format!("pg_dump of {}", self.name), dump.stdout)];
        // The relations' own files, written out first.
        self.psql("CHECKPOINT");
        let dir = PathBuf::from(self.psql("SHOW data_directory").trim());
        let paths = self.psql(
            "WITH t AS (SELECT c.oid, c.reltoastrelid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') \
                          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%') \
             SELECT pg_relation_filepath(oid) FROM pg_class \
             WHERE oid IN (SELECT oid FROM t UNION SELECT reltoastrelid FROM t \
                           UNION SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT reltoastrelid FROM t)) \
               AND pg_relation_filepath(oid) IS NOT NULL",
        );
        if !dir.is_dir() {
            return files;
        }
        for rel in paths.lines().filter(|l| !l.is_empty()) {
            let main = dir.join(rel);
            // A relation over 1 GB goes on in main.1, main.2, …
            for segment in 0.. {
                let path =
                    if segment == 0 { main.clone() } else { PathBuf::from(format!("{}.{segment}", main.display())) };
                match std::fs::read(&path) {
                    Ok(bytes) => files.push((path.display().to_string(), bytes)),
                    Err(_) => break,
                }
            }
        }
        files
    }

    /// `pg_dump --format=custom` of the whole database into `to`.
    fn dump(&self, to: &Path) {
        let out = Command::new("pg_dump")
            .args(["--no-password", "--format=custom", "--dbname", &self.superuser_url(), "--file"])
            .arg(to)
            .output()
            .expect("run pg_dump");
        assert!(out.status.success(), "pg_dump {}: {}", self.name, String::from_utf8_lossy(&out.stderr));
    }

    /// Drops the database, makes it again, empty, and restores `from` into it.
    fn restore(&self, from: &Path) {
        let admin = self.cluster.superuser_url(&self.cluster.superuser.database);
        for sql in [
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            format!("CREATE DATABASE {} OWNER {OWNER_ROLE}", self.name),
        ] {
            psql(&admin, &sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        let out = Command::new("pg_restore")
            .args(["--no-password", "--exit-on-error", "--dbname", &self.superuser_url()])
            .arg(from)
            .output()
            .expect("run pg_restore");
        assert!(out.status.success(), "pg_restore {}: {}", self.name, String::from_utf8_lossy(&out.stderr));
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if std::env::var(PG_KEEP_ENV).is_ok_and(|v| v == "1") {
            return;
        }
        // FORCE: pgbouncer may still hold connections to it.
        let admin = self.cluster.superuser_url(&self.cluster.superuser.database);
        let _ = psql(&admin, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name), &[]);
    }
}

/// `psql` on `url` running `sql` (one statement, or several that may share
/// a transaction), stopping at the first error; its unaligned, tuples-only
/// stdout, or its stderr.
fn psql(url: &str, sql: &str, extra: &[&str]) -> Result<String, String> {
    let out = Command::new("psql")
        .args(["--no-psqlrc", "--no-password", "--set", "ON_ERROR_STOP=1", "--no-align", "--tuples-only"])
        .args(extra)
        .args(["--dbname", url, "--command", sql])
        .env_remove("PGOPTIONS")
        .output()
        .map_err(|e| format!("cannot run psql (is postgresql-client installed?): {e}"))?;
    if out.status.success() {
        String::from_utf8(out.stdout).map_err(|e| format!("psql's output is not UTF-8: {e}"))
    } else {
        Err(format!("psql failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}

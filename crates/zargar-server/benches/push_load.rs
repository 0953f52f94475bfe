//! Load on the tenant sync server: N tills push M sales each, in batches of
//! B, all at once over loopback, against the real server process with its
//! real SQLite file. In the same run, the rate at which this machine's
//! SQLite takes the same `sales` and `sale_lines` rows, with the server's
//! schema and pragmas, in transactions of the same B sales: the ceiling the
//! server's work sits under.
//!
//! Prints a human summary on stderr and one JSON line on stdout. The targets
//! (≥ 5,000 sales/s, and ≥ a quarter of the raw rate) are reported, never
//! asserted. The run fails only when the server did not apply every sale.
//!
//! Options (after `--`): `--devices N` (100), `--sales M` per device (1000),
//! `--batch B` sales per push (100), `--items-per-sale K` (1). Every sale
//! sells its own in-stock pieces: N×M×K of them are imported first.
//!
//! `cargo test` runs this without `--bench`, in a debug build: a smoke run
//! of 4 tills × 50 sales of 2 pieces in pushes of 10 that checks behaviour
//! (every sale applied, every row on the server), not time.
//!
//! The server's files go to the system temporary directory (`TMPDIR`); the
//! raw SQLite file goes next to them, so both pay the same fsync.
//!
//! `--database-url URL` (a superuser URL of a PostgreSQL cluster) runs the
//! server on a fresh PostgreSQL database of its own in that cluster instead,
//! as `--processes P` server processes (2 by default there, 1 on SQLite;
//! till i pushes to process i mod P), `--pool-size C` connections each (as
//! many as the machine has cores unless told). The raw rate is then the
//! same `sales` and `sale_lines` rows, written by plain batched INSERTs (one
//! per table per transaction of B sales) from `RAW_PG_CONNECTIONS`
//! connections at once, into copies of those tables in the same database.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../../../tests/src/bench.rs"]
mod bench;
#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail, ensure};
use axum::body::Bytes;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior, params};
use rust_decimal::Decimal;
use serde_json::json;
use tokio::sync::Barrier;
use uuid::Uuid;
use zargar_wire::{
    ChangeData, EnrollResponse, GoldPricePayload, ItemPayload, ItemStatus, MAX_BODY_BYTES, MAX_OPS_PER_PUSH,
    MAX_PULL_LIMIT, Op, OpBody, OpStatus, PullResponse, PushRequest, PushResponse, SCHEMA_VERSION,
};

use bench::{display, fs_type, mb, nearest_rank, secs, status_kb};
use common::Server;
use common::backend::{Backend, PgCluster};
use common::ops::TillBook;

/// The server's schema, for the raw comparison.
const SCHEMA: &str = include_str!("../migrations/0001_init.sql");
/// The server's pragmas (`open_connection` in `src/storage/sqlite.rs`).
const PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";
const TARGET_SALES_PER_S: u64 = 5_000;
/// Connections writing the raw PostgreSQL rows at once.
const RAW_PG_CONNECTIONS: usize = 8;
/// The server should reach at least this many thousandths of the raw rate.
const TARGET_RATIO_PERMILLE: u64 = 250;
const PRICE_RIAL: &str = "80000000";
/// Pieces per import file (see `write_pieces`).
const PIECES_PER_FILE: usize = 10_000;
/// The kernel's clock ticks in /proc/<pid>/stat: USER_HZ, 100 on Linux.
const MS_PER_TICK: u64 = 10;

#[derive(Debug, Clone)]
struct Config {
    devices: usize,
    sales: usize,
    batch: usize,
    items_per_sale: usize,
    smoke: bool,
    /// A superuser URL of a PostgreSQL cluster: the server runs there.
    database_url: Option<String>,
    processes: usize,
    pool_size: Option<usize>,
}

impl Config {
    fn pieces(&self) -> usize {
        self.devices * self.sales * self.items_per_sale
    }
}

/// `--name N` or `--name=N`; other arguments (`--bench`, test flags) are ignored.
fn config() -> anyhow::Result<Config> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let smoke = !args.iter().any(|a| a == "--bench");
    let mut c = if smoke {
        Config {
            devices: 4,
            sales: 50,
            batch: 10,
            items_per_sale: 2,
            smoke,
            database_url: None,
            processes: 0,
            pool_size: None,
        }
    } else {
        Config {
            devices: 100,
            sales: 1000,
            batch: 100,
            items_per_sale: 1,
            smoke,
            database_url: None,
            processes: 0,
            pool_size: None,
        }
    };
    let mut pool_size = 0;
    let names = ["--database-url", "--processes", "--pool-size", "--devices", "--sales", "--batch", "--items-per-sale"];
    for (name, value) in bench::options(&args, &names).map_err(|e| anyhow!(e))? {
        let slot = match name.as_str() {
            "--database-url" => {
                c.database_url = Some(value);
                continue;
            }
            "--processes" => &mut c.processes,
            "--pool-size" => &mut pool_size,
            "--devices" => &mut c.devices,
            "--sales" => &mut c.sales,
            "--batch" => &mut c.batch,
            "--items-per-sale" => &mut c.items_per_sale,
            other => bail!("{other}: not an option of this bench"),
        };
        *slot = value.trim().parse().with_context(|| format!("{name} {value:?} is not a number"))?;
    }
    ensure!(c.devices >= 1 && c.sales >= 1, "--devices and --sales: at least 1");
    if c.processes == 0 {
        c.processes = if c.database_url.is_some() { 2 } else { 1 };
    }
    if pool_size == 0 && c.database_url.is_some() {
        // As many connections per process as this machine has cores: past
        // that, backends only wait for each other (measured: 2 per process
        // on 2 cores gave a tenth more than 4, and 8 less again).
        pool_size = std::thread::available_parallelism().map_or(2, usize::from);
    }
    c.pool_size = (pool_size > 0).then_some(pool_size);
    ensure!((1..=200).contains(&c.items_per_sale), "--items-per-sale: 1 to 200 (the server's limit per sale)");
    ensure!(
        (1..=MAX_OPS_PER_PUSH).contains(&c.batch),
        "--batch: 1 to {MAX_OPS_PER_PUSH} (the server's limit per push)"
    );
    Ok(c)
}

/// Durations of the untimed setup, for the summary.
#[derive(Debug, Default)]
struct Setup {
    csv: Duration,
    import: Duration,
    codes: Duration,
    enrol: Duration,
    pull: Duration,
    build: Duration,
    total: Duration,
    body_bytes: usize,
}

/// One push of one till: its body, and what its answer must say.
#[derive(Debug)]
struct Batch {
    body: Bytes,
    op_ids: Vec<Uuid>,
    first_seq: u64,
}

/// An enrolled till: its id, its token and its own connection.
#[derive(Debug, Clone)]
struct Device {
    id: Uuid,
    token: String,
    http: reqwest::Client,
}

/// What one till saw while pushing.
#[derive(Debug, Default)]
struct DeviceRun {
    latencies_us: Vec<u64>,
    replies: Vec<(u16, Bytes)>,
    failure: Option<String>,
}

/// CPU consumed so far, read from /proc, in ms.
#[derive(Debug, Clone, Copy, Default)]
struct Cpu {
    server_ms: u64,
    writer_ms: u64,
    client_ms: u64,
    /// Every core of the machine: busy (anything but idle and iowait), and iowait.
    machine_busy_ms: u64,
    machine_iowait_ms: u64,
}

impl Cpu {
    fn since(self, before: Cpu) -> Cpu {
        Cpu {
            server_ms: self.server_ms.saturating_sub(before.server_ms),
            writer_ms: self.writer_ms.saturating_sub(before.writer_ms),
            client_ms: self.client_ms.saturating_sub(before.client_ms),
            machine_busy_ms: self.machine_busy_ms.saturating_sub(before.machine_busy_ms),
            machine_iowait_ms: self.machine_iowait_ms.saturating_sub(before.machine_iowait_ms),
        }
    }

    /// What other processes on the machine used meanwhile.
    fn others_ms(self) -> u64 {
        self.machine_busy_ms.saturating_sub(self.server_ms + self.client_ms)
    }
}

/// The timed push phase and the checks on its answers.
#[derive(Debug)]
struct Load {
    wall: Duration,
    latencies_us: Vec<u64>,
    pushes: usize,
    applied: u64,
    failures: Vec<String>,
    cpu: Cpu,
    /// The server's own mean push handling time (its `/metrics`), in µs.
    server_push_mean_us: Option<u64>,
}

#[derive(Debug)]
struct Raw {
    sales: u64,
    lines: u64,
    transactions: usize,
    tx_ns: Vec<u64>,
    /// The whole run, when transactions ran side by side (PostgreSQL).
    wall_ns: Option<u64>,
}

fn main() -> anyhow::Result<()> {
    let cfg = config()?;
    let started = Instant::now();
    if cfg.smoke {
        eprintln!("push_load: smoke run (use `cargo bench -p zargar-server --bench push_load` for numbers)");
    }
    let pool: Vec<String> = cfg.pool_size.map(|n| vec!["--pool-size".to_owned(), n.to_string()]).unwrap_or_default();
    let pool: Vec<&str> = pool.iter().map(String::as_str).collect();
    let mut server = match &cfg.database_url {
        Some(url) => Server::start_on(
            |_| Backend::Postgres(PgCluster::at(url, None).fresh_database(Path::new(common::BIN))),
            &pool,
        ),
        None => Server::start_with(&pool),
    };
    // More processes on the same database, as behind a load balancer.
    let others: Vec<common::Process> = (1..cfg.processes).map(|_| server.another_process(&pool)).collect();
    let bases: Vec<String> =
        std::iter::once(server.base.clone()).chain(others.iter().map(|p| p.base.clone())).collect();
    let pid = server.pid().context("the server has no pid")?;
    let pids: Vec<u32> = std::iter::once(pid).chain(others.iter().map(common::Process::pid)).collect();
    let fs = fs_type(&server.dir).unwrap_or_else(|| "unknown".to_owned());
    if fs == "tmpfs" || fs == "ramfs" {
        eprintln!("warning: {} is on {fs}; fsync is free there, the numbers mean little", server.dir.display());
    }
    eprintln!(
        "push_load: {} tills × {} sales of {} piece(s), pushes of {}, on {}, {} server process(es) {pids:?}{}, files in {} ({fs})",
        cfg.devices,
        cfg.sales,
        cfg.items_per_sale,
        cfg.batch,
        server.backend.describe(),
        cfg.processes,
        cfg.pool_size.map(|n| format!(" with {n} connections each")).unwrap_or_default(),
        server.dir.display()
    );

    // ---- setup, untimed: a shop, its price, one piece per line to sell, the tills' codes.
    let mut setup = Setup::default();
    let tenant: Uuid = server.admin(&["tenant", "create", "Load"]).parse().context("tenant id")?;
    let tenant_arg = tenant.to_string();
    server.admin(&["price", "set", "--tenant", &tenant_arg, PRICE_RIAL]);
    let t = Instant::now();
    let files = write_pieces(&server.dir, cfg.pieces())?;
    setup.csv = t.elapsed();
    let t = Instant::now();
    let mut imported = 0;
    for file in &files {
        let path = file.to_str().context("the CSV path is not UTF-8")?;
        let n: usize =
            server.admin(&["item", "import", "--tenant", &tenant_arg, path]).parse().context("import count")?;
        imported += n;
    }
    ensure!(imported == cfg.pieces(), "imported {imported} pieces, expected {}", cfg.pieces());
    setup.import = t.elapsed();
    let t = Instant::now();
    let codes: Vec<String> = (0..cfg.devices)
        .map(|_| server.admin(&["device", "enroll", "--tenant", &tenant_arg, "--role", "till"]))
        .collect();
    setup.codes = t.elapsed();
    // The till chooses its id; the ops do not carry it, the push does.
    let device_ids: Vec<Uuid> = (0..cfg.devices).map(|_| Uuid::now_v7()).collect();

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let (devices, batches) = rt.block_on(prepare(&server.base, &cfg, &codes, &device_ids, &mut setup))?;
    setup.total = started.elapsed();
    eprintln!(
        "setup {}: csv {}, import {}, {} codes {}, enrol {} ‖ pull {} + build {} ({} MB of push bodies)",
        secs(setup.total),
        secs(setup.csv),
        secs(setup.import),
        cfg.devices,
        secs(setup.codes),
        secs(setup.enrol),
        secs(setup.pull),
        secs(setup.build),
        setup.body_bytes / 1_000_000
    );

    // The servers' peaks so far are the setup's (the pull); start the count again for the load.
    let setup_hwm_kb: Vec<u64> = pids.iter().map(|&p| status_kb(&p.to_string(), "VmHWM").unwrap_or(0)).collect();
    let hwm_reset = pids.iter().all(|p| std::fs::write(format!("/proc/{p}/clear_refs"), "5").is_ok());

    // ---- the timed part.
    let load = rt.block_on(push_load(&bases, &pids, &devices, &batches))?;
    let load_hwm_kb: Vec<u64> = pids.iter().map(|&p| status_kb(&p.to_string(), "VmHWM").unwrap_or(0)).collect();
    let rss_kb: Vec<u64> = pids.iter().map(|&p| status_kb(&p.to_string(), "VmRSS").unwrap_or(0)).collect();
    let peak_per_process: Vec<u64> = setup_hwm_kb.iter().zip(&load_hwm_kb).map(|(a, b)| *a.max(b)).collect();
    let peak_kb = peak_per_process.iter().copied().max().unwrap_or(0);
    let (setup_hwm_kb, load_hwm_kb) =
        (setup_hwm_kb.iter().copied().max().unwrap_or(0), load_hwm_kb.iter().copied().max().unwrap_or(0));

    // Every sale answered `applied` must be on the server's disk, its pieces sold.
    let (db_sales, db_lines, db_sold) = server_counts(&server);
    let k = cfg.items_per_sale as u64;
    let db_ok = db_sales == load.applied && db_lines == load.applied * k && db_sold == load.applied * k;

    // ---- the raw rate, with the servers stopped so they compete for nothing.
    drop(others);
    server.kill();
    let raw = match server.backend.postgres() {
        Some(db) => rt.block_on(raw_postgres(&db.superuser_url(), tenant, &device_ids, &batches))?,
        None => raw_inserts(&server.dir, tenant, &device_ids, &batches)?,
    };
    drop(rt);

    // ---- report.
    let total_sales = (cfg.devices * cfg.sales) as u64;
    let errors = total_sales - load.applied.min(total_sales);
    let sales_per_s = per_second(load.applied, nanos(load.wall));
    // Serial on SQLite (its one writer): the transactions' time; concurrent on PostgreSQL: the wall.
    let raw_tx_ns: u64 = raw.wall_ns.unwrap_or_else(|| raw.tx_ns.iter().sum());
    let raw_per_s = per_second(raw.sales, raw_tx_ns);
    let ratio_permille = sales_per_s.saturating_mul(1000) / raw_per_s.max(1);
    let mut lat = load.latencies_us.clone();
    lat.sort_unstable();
    let (p50, p99, max) = (nearest_rank(&lat, 50), nearest_rank(&lat, 99), lat.last().copied().unwrap_or(0));
    let mut raw_tx = raw.tx_ns.clone();
    raw_tx.sort_unstable();
    let wall_ms = u64::try_from(load.wall.as_millis()).unwrap_or(u64::MAX).max(1);
    let pct = |ms: u64| (ms * 100 + wall_ms / 2) / wall_ms;
    let met_rate = sales_per_s >= TARGET_SALES_PER_S;
    let met_ratio = ratio_permille >= TARGET_RATIO_PERMILLE;
    let verdict = |met: bool| match (cfg.smoke, met) {
        (true, _) => "smoke run",
        (false, true) => "met",
        (false, false) => "NOT met",
    };

    let mut s = String::new();
    let _ = writeln!(
        s,
        "server: {} of {total_sales} sales applied in {} → {sales_per_s} sales/s (target ≥ {TARGET_SALES_PER_S}: {})",
        load.applied,
        secs(load.wall),
        verdict(met_rate)
    );
    let _ = writeln!(
        s,
        "  {} pushes of ≤ {} sales: p50 {} ms, p99 {} ms, max {} ms; server-side handling mean {}; errors {errors}",
        load.pushes,
        cfg.batch,
        millis(p50),
        millis(p99),
        millis(max),
        load.server_push_mean_us.map_or_else(|| "?".to_owned(), |us| format!("{} ms", millis(us))),
    );
    let _ = writeln!(
        s,
        "  server peak RSS per process {} MB (largest setup {} MB, load {} MB{}), {} MB at the end",
        peak_per_process.iter().map(|&kb| mb(kb)).collect::<Vec<_>>().join(" / "),
        mb(setup_hwm_kb),
        mb(load_hwm_kb),
        if hwm_reset { "" } else { ", not reset: includes setup" },
        rss_kb.iter().map(|&kb| mb(kb)).collect::<Vec<_>>().join(" / ")
    );
    let c = load.cpu;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let _ = writeln!(
        s,
        "  CPU over the load, in % of one core ({cores} cores): server{} {}% (sqlite-writer thread {}%, the rest {}%), \
         bench client {}%, other processes (PostgreSQL's among them) {}%; iowait {}%",
        if pids.len() > 1 { "s together" } else { "" },
        pct(c.server_ms),
        pct(c.writer_ms),
        pct(c.server_ms.saturating_sub(c.writer_ms)),
        pct(c.client_ms),
        pct(c.others_ms()),
        pct(c.machine_iowait_ms)
    );
    let _ = writeln!(
        s,
        "  on the server's disk: {db_sales} sales, {db_lines} lines, {db_sold} pieces sold ({})",
        if db_ok { "as answered" } else { "DOES NOT MATCH the answers" }
    );
    let _ = writeln!(
        s,
        "raw {}: {} sales + {} lines in {} transactions of ≤ {} → {raw_per_s} sales/s (tx p50 {} ms, p99 {} ms)",
        if raw.wall_ns.is_some() {
            format!("PostgreSQL, {RAW_PG_CONNECTIONS} connections")
        } else {
            "SQLite".to_owned()
        },
        raw.sales,
        raw.lines,
        raw.transactions,
        cfg.batch,
        millis(nearest_rank(&raw_tx, 50) / 1000),
        millis(nearest_rank(&raw_tx, 99) / 1000)
    );
    let _ = write!(
        s,
        "server/raw {}.{:03} (target ≥ 0.{TARGET_RATIO_PERMILLE}: {})",
        ratio_permille / 1000,
        ratio_permille % 1000,
        verdict(met_ratio)
    );
    for f in load.failures.iter().take(5) {
        let _ = write!(s, "\n  failure: {f}");
    }
    eprintln!("{s}");

    let target = |met: bool| if cfg.smoke { serde_json::Value::Null } else { met.into() };
    // The brief's keys first, in its order, then the detail.
    let fields: Vec<(&str, serde_json::Value)> = vec![
        ("sales_per_s", sales_per_s.into()),
        ("p50_ms", display(p50, 1000).into()),
        ("p99_ms", display(p99, 1000).into()),
        ("errors", errors.into()),
        ("peak_rss_mb", display(peak_kb * 10 / 1024, 10).into()),
        (
            "peak_rss_mb_per_process",
            peak_per_process.iter().map(|&kb| display(kb * 10 / 1024, 10)).collect::<Vec<_>>().into(),
        ),
        ("backend", if server.backend.is_postgres() { "postgres" } else { "sqlite" }.into()),
        ("processes", cfg.processes.into()),
        ("raw_inserts_per_s", raw_per_s.into()),
        ("ratio", display(ratio_permille, 1000).into()),
        ("max_ms", display(max, 1000).into()),
        ("peak_rss_load_mb", display(load_hwm_kb * 10 / 1024, 10).into()),
        ("devices", cfg.devices.into()),
        ("sales", cfg.sales.into()),
        ("batch", cfg.batch.into()),
        ("items_per_sale", cfg.items_per_sale.into()),
        ("wall_ms", wall_ms.into()),
        ("server_cpu_pct", pct(load.cpu.server_ms).into()),
        ("writer_cpu_pct", pct(load.cpu.writer_ms).into()),
        ("client_cpu_pct", pct(load.cpu.client_ms).into()),
        ("others_cpu_pct", pct(load.cpu.others_ms()).into()),
        ("iowait_pct", pct(load.cpu.machine_iowait_ms).into()),
        ("server_push_mean_ms", load.server_push_mean_us.map(|us| display(us, 1000)).into()),
        ("setup_s", display(u64::try_from(setup.total.as_millis()).unwrap_or(u64::MAX), 1000).into()),
        ("target_sales_per_s_met", target(met_rate)),
        ("target_ratio_met", target(met_ratio)),
        ("smoke", cfg.smoke.into()),
        ("fs", fs.into()),
        ("sqlite", rusqlite::version().into()),
        ("postgres", server.backend.postgres().map(|db| db.psql("SHOW server_version").trim().to_owned()).into()),
    ];
    let mut line = String::from("{");
    for (i, (key, value)) in fields.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(line, "{sep}{}:{}", serde_json::Value::from(*key), value);
    }
    line.push('}');
    println!("{line}");

    if errors > 0 || !db_ok {
        bail!("{errors} of {total_sales} sales were not applied, or the server's rows do not match its answers");
    }
    Ok(())
}

/// Enrols the tills and, meanwhile, pulls the stock and builds every push.
/// Enrolment is limited to two a second for the whole server (a guard on an
/// unauthenticated call): with many tills it is the slowest part of the setup.
async fn prepare(
    base: &str,
    cfg: &Config,
    codes: &[String],
    device_ids: &[Uuid],
    setup: &mut Setup,
) -> anyhow::Result<(Vec<Device>, Vec<Vec<Batch>>)> {
    let t = Instant::now();
    let (Some(first_code), Some(&first_id)) = (codes.first(), device_ids.first()) else {
        bail!("no tills");
    };
    let first = enrol(base, first_code, first_id, "till 1").await?;
    let rest = async {
        let mut out = Vec::with_capacity(codes.len());
        for (i, (code, &id)) in codes.iter().zip(device_ids).enumerate().skip(1) {
            out.push(enrol(base, code, id, &format!("till {}", i + 1)).await?);
        }
        anyhow::Ok((out, t.elapsed()))
    };
    let stock = async {
        let t = Instant::now();
        let (items, price) = pull_stock(base, &first).await?;
        let pulled = t.elapsed();
        let t = Instant::now();
        let ids = device_ids.to_vec();
        let cfg = cfg.clone();
        let built = tokio::task::spawn_blocking(move || build(&cfg, &ids, &items, &price)).await??;
        anyhow::Ok((built, pulled, t.elapsed()))
    };
    let (rest, stock) = tokio::join!(rest, stock);
    let (rest, enrolled) = rest?;
    let ((batches, bytes), pulled, built) = stock?;
    setup.enrol = enrolled;
    setup.pull = pulled;
    setup.build = built;
    setup.body_bytes = bytes;
    let mut devices = vec![first];
    devices.extend(rest);
    Ok((devices, batches))
}

async fn enrol(base: &str, code: &str, id: Uuid, name: &str) -> anyhow::Result<Device> {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(120)).build()?;
    loop {
        let res = http
            .post(format!("{base}/api/v1/devices/enroll"))
            .json(&json!({ "code": code, "device_id": id, "name": name }))
            .send()
            .await?;
        let status = res.status().as_u16();
        if status == 429 {
            // One more enrolment every 500 ms; the 1 s Retry-After rounds up.
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        let body = res.bytes().await?;
        ensure!(status == 200, "enrol answered {status}: {}", String::from_utf8_lossy(&body));
        let enrolled: EnrollResponse = serde_json::from_slice(&body)?;
        return Ok(Device { id, token: enrolled.device_token, http });
    }
}

/// The shop's in-stock pieces, in tag order, and its price, from pull.
async fn pull_stock(base: &str, device: &Device) -> anyhow::Result<(Vec<ItemPayload>, GoldPricePayload)> {
    let mut items: HashMap<Uuid, ItemPayload> = HashMap::new();
    let mut price = None;
    let mut cursor = String::new();
    loop {
        let res = device
            .http
            .get(format!("{base}/api/v1/sync/pull?cursor={cursor}&limit={MAX_PULL_LIMIT}"))
            .bearer_auth(&device.token)
            .send()
            .await?;
        let status = res.status().as_u16();
        let body = res.bytes().await?;
        ensure!(status == 200, "pull answered {status}: {}", String::from_utf8_lossy(&body));
        let page: PullResponse = serde_json::from_slice(&body)?;
        for change in page.changes {
            match change.data {
                ChangeData::Item(item) => {
                    items.insert(item.item_id, item);
                }
                ChangeData::GoldPrice(p) => price = Some(p),
                _ => {}
            }
        }
        cursor = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    let mut stock: Vec<ItemPayload> = items.into_values().filter(|i| i.status == ItemStatus::InStock).collect();
    stock.sort_by(|a, b| a.tag.cmp(&b.tag));
    Ok((stock, price.context("pull gave no gold price")?))
}

/// Every till's pushes, serialized: till d sells the pieces of its own slice
/// of the stock, K to a sale, correctly priced by the till's rules.
fn build(
    cfg: &Config,
    device_ids: &[Uuid],
    stock: &[ItemPayload],
    price: &GoldPricePayload,
) -> anyhow::Result<(Vec<Vec<Batch>>, usize)> {
    let per_device = cfg.sales * cfg.items_per_sale;
    ensure!(
        stock.len() >= cfg.devices * per_device,
        "{} pieces in stock, {} needed",
        stock.len(),
        cfg.devices * per_device
    );
    let mut all = Vec::with_capacity(device_ids.len());
    let mut bytes = 0;
    for (mine, &device_id) in stock.chunks(per_device).zip(device_ids) {
        let mut book = TillBook::default();
        let mut batches = Vec::new();
        for pushed in mine.chunks(cfg.batch * cfg.items_per_sale) {
            let ops: Vec<Op> = pushed
                .chunks(cfg.items_per_sale)
                .map(|pieces| book.sale(pieces, price.price_id, price.per_gram_18k, Utc::now()))
                .collect();
            let first_seq = ops.first().map_or(0, |o| o.seq);
            let op_ids = ops.iter().map(|o| o.op_id).collect();
            let req = PushRequest { device_id, app_version: "push_load".into(), schema_version: SCHEMA_VERSION, ops };
            let body = serde_json::to_vec(&req)?;
            ensure!(
                body.len() <= MAX_BODY_BYTES,
                "a push of {} sales is {} bytes, over the server's {MAX_BODY_BYTES}: lower --batch or --items-per-sale",
                req.ops.len(),
                body.len()
            );
            bytes += body.len();
            batches.push(Batch { body: Bytes::from(body), op_ids, first_seq });
        }
        all.push(batches);
    }
    Ok((all, bytes))
}

/// All tills push all their batches at once, each till one push after the
/// other as a till does; then every answer is checked.
/// Till i pushes to server process i mod P.
async fn push_load(bases: &[String], pids: &[u32], devices: &[Device], batches: &[Vec<Batch>]) -> anyhow::Result<Load> {
    let base_of = |i: usize| &bases[i % bases.len()];
    // Each till's connection is open and its token known before the clock starts.
    for (i, d) in devices.iter().enumerate() {
        let res = d.http.get(format!("{}/api/v1/sync/status", base_of(i))).bearer_auth(&d.token).send().await?;
        let status = res.status().as_u16();
        let _ = res.bytes().await?;
        ensure!(status == 200, "status answered {status}");
    }
    let start = Arc::new(Barrier::new(devices.len() + 1));
    let mut tasks = Vec::with_capacity(devices.len());
    for (i, (device, pushes)) in devices.iter().zip(batches).enumerate() {
        let url: Arc<str> = format!("{}/api/v1/sync/push", base_of(i)).into();
        let bodies: Vec<Bytes> = pushes.iter().map(|b| b.body.clone()).collect();
        tasks.push(tokio::spawn(push_all(url, device.clone(), bodies, start.clone())));
    }
    let before = cpu(pids);
    start.wait().await;
    let t = Instant::now();
    let mut runs = Vec::with_capacity(tasks.len());
    for task in tasks {
        runs.push(task.await?);
    }
    let wall = t.elapsed();
    let after = cpu(pids);

    let mut load = Load {
        wall,
        latencies_us: Vec::new(),
        pushes: 0,
        applied: 0,
        failures: Vec::new(),
        cpu: after.since(before),
        server_push_mean_us: server_push_mean_us(bases, devices).await,
    };
    for ((run, pushes), device) in runs.into_iter().zip(batches).zip(devices) {
        load.pushes += run.replies.len();
        load.latencies_us.extend(&run.latencies_us);
        if let Some(f) = run.failure {
            load.failures.push(format!("till {}: {f}", device.id));
        }
        for (batch, (status, body)) in pushes.iter().zip(&run.replies) {
            if *status != 200 {
                continue;
            }
            let (applied, problem) = check_reply(batch, body);
            load.applied += applied;
            if let Some(p) = problem {
                load.failures.push(format!("till {}: {p}", device.id));
            }
        }
    }
    Ok(load)
}

async fn push_all(url: Arc<str>, device: Device, bodies: Vec<Bytes>, start: Arc<Barrier>) -> DeviceRun {
    let mut run = DeviceRun {
        latencies_us: Vec::with_capacity(bodies.len()),
        replies: Vec::with_capacity(bodies.len()),
        failure: None,
    };
    start.wait().await;
    for body in bodies {
        let t = Instant::now();
        let sent = device
            .http
            .post(&*url)
            .bearer_auth(&device.token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await;
        let reply = match sent {
            Ok(res) => {
                let status = res.status().as_u16();
                res.bytes().await.map(|b| (status, b))
            }
            Err(e) => Err(e),
        };
        match reply {
            Ok((status, body)) => {
                run.latencies_us.push(micros_since(t));
                if status != 200 {
                    let text = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
                    run.failure = Some(format!("push {} answered {status}: {text}", run.replies.len() + 1));
                    run.replies.push((status, body));
                    // The pushes after it would only be refused for the gap.
                    break;
                }
                run.replies.push((status, body));
            }
            Err(e) => {
                run.failure = Some(format!("push {} failed: {e}", run.replies.len() + 1));
                break;
            }
        }
    }
    run
}

/// How many of the batch's sales the answer says were applied, each with
/// its op id and seq, and the first thing that was not so.
fn check_reply(batch: &Batch, body: &[u8]) -> (u64, Option<String>) {
    let reply: PushResponse = match serde_json::from_slice(body) {
        Ok(r) => r,
        Err(e) => return (0, Some(format!("push answer: {e}"))),
    };
    let mut applied = 0;
    let mut problem = None;
    for ((result, op_id), seq) in reply.results.iter().zip(&batch.op_ids).zip(batch.first_seq..) {
        if result.status == OpStatus::Applied && result.op_id == *op_id && result.seq == seq {
            applied += 1;
        } else if problem.is_none() {
            problem = Some(format!("seq {seq}: {:?} ({:?})", result.status, result.conflict.as_ref().map(|c| c.kind)));
        }
    }
    let last = batch.first_seq + batch.op_ids.len() as u64 - 1;
    if reply.results.len() != batch.op_ids.len() || reply.acked_seq != last {
        problem.get_or_insert(format!(
            "{} results, acked {}, for seqs {}..={last}",
            reply.results.len(),
            reply.acked_seq,
            batch.first_seq
        ));
    }
    (applied, problem)
}

/// The servers' mean time in their push handler (after auth and JSON), from `/metrics`.
async fn server_push_mean_us(bases: &[String], devices: &[Device]) -> Option<u64> {
    let http = &devices.first()?.http;
    let (mut sum, mut count) = (Decimal::ZERO, Decimal::ZERO);
    for base in bases {
        let text = http.get(format!("{base}/metrics")).send().await.ok()?.text().await.ok()?;
        let value = |name: &str| -> Option<Decimal> {
            text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
        };
        sum += value("zargar_push_duration_seconds_sum")?;
        count += value("zargar_push_duration_seconds_count")?;
    }
    if count.is_zero() {
        return None;
    }
    u64::try_from((sum * Decimal::from(1_000_000) / count).trunc()).ok()
}

/// Rows the server holds after the load: applied sales, their lines, sold pieces.
fn server_counts(server: &Server) -> (u64, u64, u64) {
    let count = |sql: &str| server.backend.count(sql);
    (
        count("SELECT count(*) FROM sales WHERE status = 'applied'"),
        count("SELECT count(*) FROM sale_lines"),
        count("SELECT count(*) FROM items WHERE status = 'sold'"),
    )
}

/// One `sales` row and its `sale_lines`, as the server writes them.
#[derive(Debug)]
struct SaleRow {
    device_id: String,
    op_id: String,
    id: String,
    invoice_no: u64,
    sold_at: String,
    per_gram_18k: String,
    total: String,
    payload: String,
    received_at: String,
    lines: Vec<[String; 11]>,
}

/// The same sales into a fresh file with the server's schema and pragmas,
/// one transaction per push, round-robin over the tills as they arrived.
/// Only the transactions are timed; the rows are made before each.
fn raw_inserts(dir: &Path, tenant: Uuid, device_ids: &[Uuid], batches: &[Vec<Batch>]) -> anyhow::Result<Raw> {
    let mut conn = Connection::open(dir.join("raw.sqlite"))?;
    conn.execute_batch(PRAGMAS)?;
    conn.set_prepared_statement_cache_capacity(64);
    conn.execute_batch(SCHEMA)?;
    let now = ts(Utc::now());
    let tenant_id = tenant.to_string();
    conn.execute("INSERT INTO tenants (id, name, created_at) VALUES (?1, 'Load', ?2)", params![tenant_id, now])?;
    for id in device_ids {
        conn.execute(
            "INSERT INTO devices (id, tenant_id, name, role, token_hash, enrolled_at) VALUES (?1, ?2, ?3, 'till', ?4, ?5)",
            params![id.to_string(), tenant_id, format!("till {id}"), id.as_bytes().as_slice(), now],
        )?;
    }
    let rounds = batches.iter().map(Vec::len).max().unwrap_or(0);
    let mut raw = Raw { sales: 0, lines: 0, transactions: 0, tx_ns: Vec::new(), wall_ns: None };
    for round in 0..rounds {
        for batch in batches.iter().filter_map(|b| b.get(round)) {
            let rows = sale_rows(&batch.body)?;
            let t = Instant::now();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut sale = tx.prepare_cached(
                    "INSERT INTO sales (tenant_id, id, device_id, op_id, invoice_no, sold_at, per_gram_18k, total, status, payload, received_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'applied', ?9, ?10)",
                )?;
                let mut line = tx.prepare_cached(
                    "INSERT INTO sale_lines (tenant_id, sale_id, line_no, item_id, tag, name, weight, purity, gold, wage, profit, vat, stones, total)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                )?;
                for r in &rows {
                    sale.execute(params![
                        tenant_id,
                        r.id,
                        r.device_id,
                        r.op_id,
                        r.invoice_no,
                        r.sold_at,
                        r.per_gram_18k,
                        r.total,
                        r.payload,
                        r.received_at
                    ])?;
                    for (i, [item_id, tag, name, weight, purity, gold, wage, profit, vat, stones, total]) in
                        r.lines.iter().enumerate()
                    {
                        line.execute(params![
                            tenant_id,
                            r.id,
                            i + 1,
                            item_id,
                            tag,
                            name,
                            weight,
                            purity,
                            gold,
                            wage,
                            profit,
                            vat,
                            stones,
                            total
                        ])?;
                    }
                }
            }
            tx.commit()?;
            raw.tx_ns.push(nanos(t.elapsed()));
            raw.transactions += 1;
            raw.sales += rows.len() as u64;
            raw.lines += rows.iter().map(|r| r.lines.len() as u64).sum::<u64>();
        }
    }
    let held: u64 = conn.query_row("SELECT count(*) FROM sales", [], |r| r.get(0))?;
    ensure!(held == raw.sales, "the raw file holds {held} sales, {} were inserted", raw.sales);
    Ok(raw)
}

/// One push's sales and lines as column arrays, for one batched INSERT per table.
#[derive(Debug, Default)]
struct PgColumns {
    id: Vec<Uuid>,
    device_id: Vec<Uuid>,
    op_id: Vec<Uuid>,
    invoice_no: Vec<i64>,
    sold_at: Vec<DateTime<Utc>>,
    per_gram_18k: Vec<Decimal>,
    total: Vec<Decimal>,
    payload: Vec<String>,
    line_sale: Vec<Uuid>,
    line_no: Vec<i32>,
    item_id: Vec<Uuid>,
    tag: Vec<String>,
    name: Vec<String>,
    /// weight, purity, gold, wage, profit, vat, stones, total.
    amounts: [Vec<Decimal>; 8],
}

fn pg_columns(body: &[u8]) -> anyhow::Result<PgColumns> {
    let req: PushRequest = serde_json::from_slice(body)?;
    let mut c = PgColumns::default();
    for op in &req.ops {
        let OpBody::SaleCreate(sale) = &op.body else { bail!("op {} is not a sale", op.op_id) };
        c.id.push(sale.sale_id);
        c.device_id.push(req.device_id);
        c.op_id.push(op.op_id);
        c.invoice_no.push(i64::try_from(sale.invoice_no)?);
        c.sold_at.push(sale.sold_at);
        c.per_gram_18k.push(sale.gold_price.per_gram_18k);
        c.total.push(sale.totals.total);
        c.payload.push(serde_json::to_string(sale)?);
        for (i, l) in sale.lines.iter().enumerate() {
            c.line_sale.push(sale.sale_id);
            c.line_no.push(i32::try_from(i + 1)?);
            c.item_id.push(l.item_id);
            c.tag.push(l.tag.clone());
            c.name.push(l.name.clone());
            for (column, v) in
                c.amounts.iter_mut().zip([l.weight, l.purity, l.gold, l.wage, l.profit, l.vat, l.stones, l.total])
            {
                column.push(v);
            }
        }
    }
    Ok(c)
}

/// The same sales into copies of `sales` and `sale_lines` in the server's
/// own database (no policies, no foreign keys: the plainest write), one
/// transaction per push, from `RAW_PG_CONNECTIONS` connections at once.
/// The rows are made before the clock starts.
async fn raw_postgres(url: &str, tenant: Uuid, device_ids: &[Uuid], batches: &[Vec<Batch>]) -> anyhow::Result<Raw> {
    let connect = || async {
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
        tokio::spawn(conn);
        anyhow::Ok(client)
    };
    let setup = connect().await?;
    setup
        .batch_execute(
            "CREATE TABLE raw_sales (LIKE sales INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
             CREATE TABLE raw_sale_lines (LIKE sale_lines INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);",
        )
        .await?;
    ensure!(!device_ids.is_empty(), "no tills");
    // Round-robin over the tills, as they arrived; then dealt to the connections.
    let rounds = batches.iter().map(Vec::len).max().unwrap_or(0);
    let mut work: Vec<Vec<PgColumns>> = (0..RAW_PG_CONNECTIONS).map(|_| Vec::new()).collect();
    let mut n = 0;
    for round in 0..rounds {
        for batch in batches.iter().filter_map(|b| b.get(round)) {
            work[n % RAW_PG_CONNECTIONS].push(pg_columns(&batch.body)?);
            n += 1;
        }
    }
    let mut clients = Vec::with_capacity(RAW_PG_CONNECTIONS);
    for _ in 0..RAW_PG_CONNECTIONS {
        clients.push(connect().await?);
    }
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (mut client, mine) in clients.into_iter().zip(work) {
        tasks.push(tokio::spawn(async move {
            let mut tx_ns = Vec::with_capacity(mine.len());
            let (mut sales, mut lines) = (0_u64, 0_u64);
            for c in mine {
                let t = Instant::now();
                let tx = client.transaction().await?;
                tx.execute(
                    "INSERT INTO raw_sales (tenant_id, id, device_id, op_id, invoice_no, sold_at, per_gram_18k, total,
                         payload, status, received_at)
                     SELECT $1, u.*, 'applied', now() FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::int8[],
                         $6::timestamptz[], $7::numeric[], $8::numeric[], $9::text[]) AS u",
                    &[
                        &tenant,
                        &c.id,
                        &c.device_id,
                        &c.op_id,
                        &c.invoice_no,
                        &c.sold_at,
                        &c.per_gram_18k,
                        &c.total,
                        &c.payload,
                    ],
                )
                .await?;
                let [weight, purity, gold, wage, profit, vat, stones, total] = &c.amounts;
                tx.execute(
                    "INSERT INTO raw_sale_lines (tenant_id, sale_id, line_no, item_id, tag, name, weight, purity, gold,
                         wage, profit, vat, stones, total)
                     SELECT $1, * FROM unnest($2::uuid[], $3::int4[], $4::uuid[], $5::text[], $6::text[],
                         $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[],
                         $13::numeric[], $14::numeric[])",
                    &[
                        &tenant,
                        &c.line_sale,
                        &c.line_no,
                        &c.item_id,
                        &c.tag,
                        &c.name,
                        weight,
                        purity,
                        gold,
                        wage,
                        profit,
                        vat,
                        stones,
                        total,
                    ],
                )
                .await?;
                tx.commit().await?;
                tx_ns.push(nanos(t.elapsed()));
                sales += c.id.len() as u64;
                lines += c.line_sale.len() as u64;
            }
            anyhow::Ok((tx_ns, sales, lines))
        }));
    }
    let mut raw = Raw { sales: 0, lines: 0, transactions: 0, tx_ns: Vec::new(), wall_ns: None };
    for task in tasks {
        let (tx_ns, sales, lines) = task.await??;
        raw.transactions += tx_ns.len();
        raw.tx_ns.extend(tx_ns);
        raw.sales += sales;
        raw.lines += lines;
    }
    raw.wall_ns = Some(nanos(start.elapsed()));
    let held: i64 = setup.query_one("SELECT count(*) FROM raw_sales", &[]).await?.get(0);
    ensure!(u64::try_from(held)? == raw.sales, "the raw tables hold {held} sales, {} were inserted", raw.sales);
    Ok(raw)
}

fn sale_rows(body: &[u8]) -> anyhow::Result<Vec<SaleRow>> {
    let req: PushRequest = serde_json::from_slice(body)?;
    let received_at = ts(Utc::now());
    req.ops
        .iter()
        .map(|op| {
            let OpBody::SaleCreate(sale) = &op.body else {
                bail!("op {} is not a sale", op.op_id);
            };
            Ok(SaleRow {
                device_id: req.device_id.to_string(),
                op_id: op.op_id.to_string(),
                id: sale.sale_id.to_string(),
                invoice_no: sale.invoice_no,
                sold_at: ts(sale.sold_at),
                per_gram_18k: sale.gold_price.per_gram_18k.to_string(),
                total: sale.totals.total.to_string(),
                payload: serde_json::to_string(sale)?,
                received_at: received_at.clone(),
                lines: sale
                    .lines
                    .iter()
                    .map(|l| {
                        [
                            l.item_id.to_string(),
                            l.tag.clone(),
                            l.name.clone(),
                            l.weight.to_string(),
                            l.purity.to_string(),
                            l.gold.to_string(),
                            l.wage.to_string(),
                            l.profit.to_string(),
                            l.vat.to_string(),
                            l.stones.to_string(),
                            l.total.to_string(),
                        ]
                    })
                    .collect(),
            })
        })
        .collect()
}

/// `n` distinct pieces in the admin CLI's import format, of assorted
/// weights, purities and wages, tagged so that tag order is import order.
/// In files of `PIECES_PER_FILE`: the CLI checks a file's tags for
/// duplicates pair by pair, so one file of 100,000 takes it ~20 s, ten
/// files of 10,000 ~2 s (the database work is ~1 s either way).
fn write_pieces(dir: &Path, n: usize) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for (f, first) in (0..n).step_by(PIECES_PER_FILE).enumerate() {
        let path = dir.join(format!("pieces-{f:03}.csv"));
        write_pieces_file(&path, first..n.min(first + PIECES_PER_FILE))?;
        files.push(path);
    }
    Ok(files)
}

fn write_pieces_file(path: &Path, pieces: std::ops::Range<usize>) -> anyhow::Result<()> {
    const PURITIES: [u32; 4] = [750, 750, 705, 900];
    let mut csv = String::with_capacity(pieces.len() * 48 + 64);
    csv.push_str("tag,name,weight,purity,wage_percent,wage_per_gram,category\n");
    for i in pieces {
        let milligrams = 1_500 + (i * 137) % 12_000;
        let purity = PURITIES[i % PURITIES.len()];
        let (percent, per_gram) =
            if i % 5 == 4 { (String::new(), "3500000".to_owned()) } else { (format!("{}", 8 + i % 18), String::new()) };
        let _ = writeln!(
            csv,
            "L{i:08},ring {i},{}.{:03},{purity},{percent},{per_gram},ring",
            milligrams / 1000,
            milligrams % 1000
        );
    }
    std::fs::write(path, csv).with_context(|| format!("writing {}", path.display()))
}

/// The servers' CPU time, their SQLite writer threads', and this process's, so far.
fn cpu(pids: &[u32]) -> Cpu {
    let writer_ms = pids
        .iter()
        .flat_map(|pid| std::fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten())
        .filter(|task| std::fs::read_to_string(task.path().join("comm")).is_ok_and(|c| c.trim() == "sqlite-writer"))
        .filter_map(|task| stat_ticks(&task.path().join("stat")))
        .sum::<u64>()
        * MS_PER_TICK;
    // The first line of /proc/stat: user nice system idle iowait irq softirq steal …, in ticks.
    let machine: Vec<u64> = std::fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|s| {
            s.lines().next().map(|l| l.split_whitespace().skip(1).take(8).filter_map(|v| v.parse().ok()).collect())
        })
        .unwrap_or_default();
    let (busy, iowait) = match machine.as_slice() {
        [user, nice, system, _idle, iowait, irq, softirq, steal] => {
            (user + nice + system + irq + softirq + steal, *iowait)
        }
        _ => (0, 0),
    };
    Cpu {
        // The process's own line counts its threads that have exited too.
        server_ms: pids
            .iter()
            .map(|pid| stat_ticks(Path::new(&format!("/proc/{pid}/stat"))).unwrap_or(0) * MS_PER_TICK)
            .sum(),
        writer_ms,
        client_ms: stat_ticks(Path::new("/proc/self/stat")).unwrap_or(0) * MS_PER_TICK,
        machine_busy_ms: busy * MS_PER_TICK,
        machine_iowait_ms: iowait * MS_PER_TICK,
    }
}

/// utime + stime of a /proc stat file, in clock ticks.
fn stat_ticks(path: &Path) -> Option<u64> {
    let stat = std::fs::read_to_string(path).ok()?;
    // The name in parentheses may hold spaces; the fields after it start at field 3.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().collect();
    let field = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    Some(field(14)? + field(15)?)
}

/// The server's time format (`ts` in `src/storage/sqlite.rs`).
fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn per_second(count: u64, ns: u64) -> u64 {
    u64::try_from(u128::from(count) * 1_000_000_000 / u128::from(ns.max(1))).unwrap_or(u64::MAX)
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

fn micros_since(t: Instant) -> u64 {
    u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// Microseconds as milliseconds with one decimal.
fn millis(us: u64) -> String {
    let tenths = (us + 50) / 100;
    format!("{}.{}", tenths / 10, tenths % 10)
}

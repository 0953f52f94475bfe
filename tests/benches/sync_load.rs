//! Load on the whole sync path: N real till engines (`zargar_core`'s
//! `SyncEngine`, each on its own SQLite file) hold M offline sales each and
//! are started at once against one real `zargar-server` process over
//! loopback. Measures the time until every till's outbox is acknowledged,
//! the time until every till has converged (sees every piece of its shop as
//! sold), sales/s, engine errors, duplicates and missing sales on the
//! server, and the peak RSS of the server and of the tills.
//!
//! Target (reported, never asserted): all N×M sales exactly once, every till
//! converged, within 10 s on 2 cores. The run fails only when a sale is
//! missing, duplicated or not applied, or when the tills never converge.
//!
//! Options (after `--`): `--tills N` (100), `--sales M` per till (1000),
//! `--shops S` (20; till i belongs to shop i mod S). Till k of shop s sells
//! the pieces `S{s}-T{k}-{n}`, one per sale; the shop's stock is exactly
//! its tills' pieces, so a converged till sees all of its shop as sold.
//!
//! `--database-url URL` (a superuser URL of a PostgreSQL cluster) runs the
//! server on a fresh PostgreSQL database of its own there instead of SQLite.
//!
//! `cargo test` runs this without `--bench`, in a debug build: a smoke run
//! of 4 tills × 20 sales in 2 shops that checks behaviour, not time.
//!
//! All the engines run in this one process, on one multi-thread tokio
//! runtime (as many workers as cores) with its blocking pool for SQLite;
//! "the tills' peak RSS" is this process's, over the timed phase only.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail, ensure};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::Value;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use uuid::Uuid;
use zargar_core::sale::{PaymentInput, PaymentMethod, SaleRequest};
use zargar_core::sync::{EngineState, SyncConfig, SyncEngine, SyncHandle, SyncStatus, enroll, sync_once};
use zargar_core::{Store, StoreError};
use zargar_e2e::Server;
use zargar_e2e::bench::{self, cpu_ms, mb, status_kb};

const TARGET_MS: u64 = 10_000;
/// The run gives up (and fails) when the tills have not converged by then.
const GIVE_UP: Duration = Duration::from_secs(600);
const POLL: Duration = Duration::from_millis(100);
/// A till whose engine finished no round meanwhile is still re-checked this often.
const RECHECK: Duration = Duration::from_secs(1);
/// Enrolment is limited to 2/s for the whole server (burst 10): a refused
/// enrolment waits at least this long before the next try.
const ENROL_WAIT: Duration = Duration::from_millis(600);
const ENROL_ATTEMPTS: u32 = 100;
/// The export's range: every sale of the run, whatever the clock says.
const EXPORT_FROM: &str = "2000-01-01";
const EXPORT_TO: &str = "2999-12-31";

#[derive(Debug, Clone)]
struct Config {
    tills: usize,
    sales: usize,
    shops: usize,
    smoke: bool,
    /// A superuser URL of a PostgreSQL cluster: the server runs there.
    database_url: Option<String>,
}

/// `--name N` or `--name=N`; other arguments (`--bench`, test flags) are ignored.
fn config() -> anyhow::Result<Config> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let smoke = !args.iter().any(|a| a == "--bench");
    let mut c = if smoke {
        Config { tills: 4, sales: 20, shops: 2, smoke, database_url: None }
    } else {
        Config { tills: 100, sales: 1000, shops: 20, smoke, database_url: None }
    };
    for (name, value) in
        bench::options(&args, &["--database-url", "--tills", "--sales", "--shops"]).map_err(|e| anyhow!(e))?
    {
        let slot = match name.as_str() {
            "--database-url" => {
                c.database_url = Some(value);
                continue;
            }
            "--tills" => &mut c.tills,
            "--sales" => &mut c.sales,
            "--shops" => &mut c.shops,
            other => bail!("{other}: not an option of this bench"),
        };
        *slot = value.trim().parse().with_context(|| format!("{name} {value:?} is not a number"))?;
    }
    ensure!(c.sales >= 1, "--sales: at least 1");
    ensure!(c.shops >= 1 && c.tills >= c.shops, "--shops: at least 1, and at least one till per shop");
    Ok(c)
}

/// One till of the run.
#[derive(Debug, Clone)]
struct Till {
    shop: usize,
    db: PathBuf,
    /// The pieces it sells, one per sale.
    tags: Vec<String>,
}

/// One shop: its owner's token and how many pieces it stocks.
#[derive(Debug, Clone)]
struct Shop {
    pieces: u64,
    owner_token: String,
}

/// What the tills recorded during the setup: sale ids, per till.
#[derive(Debug)]
struct Recorded {
    device_id: Uuid,
    sale_ids: Vec<Uuid>,
}

/// Engine failures seen on the status streams.
#[derive(Debug, Default)]
struct Faults {
    /// Entries into `Retrying` (a round failed, retried after backoff).
    retrying: AtomicU64,
    /// Entries into `Stopped` (waits for a person).
    stopped: AtomicU64,
    /// Each distinct stored fault, by code.
    codes: Mutex<BTreeMap<String, u64>>,
}

/// What the timed phase saw.
#[derive(Debug)]
struct Run {
    acked: Vec<Option<Duration>>,
    converged: Vec<Option<Duration>>,
    gave_up: Option<String>,
    final_status: Vec<SyncStatus>,
    not_acked_ops: u64,
    /// This process's resident size when the engines started, and its peak.
    tills_rss_start_kb: u64,
    tills_hwm_kb: u64,
    server_hwm_kb: u64,
    /// Time the observer spent in its own queries.
    observer: Duration,
    /// CPU time over the timed phase: the server process, and this one (the
    /// engines and the observer).
    server_cpu_ms: u64,
    tills_cpu_ms: u64,
    retries: u64,
    stops: u64,
    fault_codes: BTreeMap<String, u64>,
}

/// The server's export checked against what the tills recorded.
#[derive(Debug, Default)]
struct Check {
    rows: u64,
    distinct_sales: u64,
    duplicates: u64,
    missing: u64,
    extra: u64,
    wrong_device: u64,
    statuses: BTreeMap<String, u64>,
}

fn main() -> anyhow::Result<()> {
    let cfg = config()?;
    if cfg.smoke {
        eprintln!("sync_load: smoke run (use `cargo bench -p zargar-e2e --bench sync_load` for numbers)");
    }
    // Brings the server binary up to date (a cargo build) before the clock starts.
    zargar_e2e::bin("zargar-server");
    let started = Instant::now();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let dir = tempfile::Builder::new().prefix("sync-load-").tempdir()?;
    let server = match &cfg.database_url {
        Some(url) => {
            let db = zargar_e2e::backend::PgCluster::at(url, None).fresh_database(&zargar_e2e::bin("zargar-server"));
            Server::start_on(zargar_e2e::backend::Backend::Postgres(db), None)
        }
        None => Server::start(dir.path()),
    };
    let url = server.url();
    let pid = server.pid().context("the server has no pid")?;
    eprintln!(
        "sync_load: {} tills × {} sales in {} shops, {cores} cores, server pid {pid} at {url}, files in {}",
        cfg.tills,
        cfg.sales,
        cfg.shops,
        dir.path().display()
    );

    // ---- setup, untimed.
    let tills: Vec<Till> = (0..cfg.tills)
        .map(|i| {
            let (shop, k) = (i % cfg.shops, i / cfg.shops);
            Till {
                shop,
                db: dir.path().join(format!("till-{i:03}.db")),
                tags: (0..cfg.sales).map(|n| format!("S{shop}-T{k}-{n}")).collect(),
            }
        })
        .collect();
    let t = Instant::now();
    let mut shop_ids = Vec::with_capacity(cfg.shops);
    let mut shop_pieces = Vec::with_capacity(cfg.shops);
    for s in 0..cfg.shops {
        let tags: Vec<String> = tills.iter().filter(|t| t.shop == s).flat_map(|t| t.tags.iter().cloned()).collect();
        shop_ids.push(server.shop(&format!("Shop {s}"), &tags, dir.path()));
        shop_pieces.push(tags.len() as u64);
    }
    let till_codes: Vec<String> = tills.iter().map(|t| server.enrol_code(shop_ids[t.shop], "till")).collect();
    let owner_codes: Vec<String> = shop_ids.iter().map(|&s| server.enrol_code(s, "owner")).collect();
    eprintln!("setup: {} shops with their pieces and price, {} codes in {}", cfg.shops, cfg.tills + cfg.shops, secs(t));
    for (i, till) in tills.iter().enumerate() {
        Store::open(&till.db)?.init_device(&format!("till {i}"), Utc::now())?;
    }

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(120)).build()?;
    let t = Instant::now();
    let owner_tokens = rt.block_on(async {
        let mut tokens = Vec::with_capacity(owner_codes.len());
        for code in &owner_codes {
            tokens.push(enrol_owner(&http, &url, code).await?);
        }
        anyhow::Ok(tokens)
    })?;
    eprintln!("setup: {} owners enrolled in {}", cfg.shops, secs(t));
    let shops: Vec<Shop> = shop_ids
        .iter()
        .zip(&shop_pieces)
        .zip(owner_tokens)
        .map(|((_, &pieces), owner_token)| Shop { pieces, owner_token })
        .collect();
    let recorded = rt.block_on(setup_tills(&url, &tills, &till_codes, cores))?;
    let setup_time = started.elapsed();
    eprintln!("setup: done in {}", secs(started));

    // ---- the timed part.
    let run = timed(&rt, &tills, &shops, &recorded, pid)?;

    // ---- after: what the server holds, as the owners export it.
    let t = Instant::now();
    let exports = rt.block_on(async {
        let mut out = Vec::with_capacity(shops.len());
        for shop in &shops {
            out.push(export(&http, &url, &shop.owner_token).await?);
        }
        anyhow::Ok(out)
    })?;
    let check = check(&tills, &recorded, &exports)?;
    eprintln!("export: {} rows from {} shops in {}", check.rows, shops.len(), secs(t));
    drop(server);

    report(cfg, &run, &check, setup_time, &recorded)
}

/// Enrols the tills one by one (the server allows two a second) and,
/// meanwhile, `cores` at a time: one sync round each for the stock, the
/// price and the settings, then its sales, recorded offline.
async fn setup_tills(url: &str, tills: &[Till], codes: &[String], cores: usize) -> anyhow::Result<Vec<Recorded>> {
    let t = Instant::now();
    let gate = Arc::new(Semaphore::new(cores.max(1)));
    let mut work = JoinSet::new();
    let step = (tills.len() / 10).max(1);
    let mut out: Vec<Option<Recorded>> = (0..tills.len()).map(|_| None).collect();
    let mut done = 0;
    let finished = |(i, recorded): (usize, Recorded), out: &mut Vec<Option<Recorded>>, done: &mut usize| {
        out[i] = Some(recorded);
        *done += 1;
        if done.is_multiple_of(step) || *done == tills.len() {
            eprintln!("setup: {done}/{} tills have their sales ({})", tills.len(), secs(t));
        }
    };
    for (i, (till, code)) in tills.iter().zip(codes).enumerate() {
        enrol_till(&till.db, url, code).await.with_context(|| format!("enrolling till {i}"))?;
        if (i + 1).is_multiple_of(step) || i + 1 == tills.len() {
            eprintln!("setup: {}/{} tills enrolled ({})", i + 1, tills.len(), secs(t));
        }
        while let Some(joined) = work.try_join_next() {
            finished(joined??, &mut out, &mut done);
        }
        let gate = Arc::clone(&gate);
        let (db, tags) = (till.db.clone(), till.tags.clone());
        work.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            sync_once(&db, &SyncConfig::default(), &|_| {}).await.with_context(|| format!("first sync of till {i}"))?;
            let recorded = tokio::task::spawn_blocking(move || record_sales(&db, &tags))
                .await?
                .with_context(|| format!("sales of till {i}"))?;
            anyhow::Ok((i, recorded))
        });
    }
    while let Some(joined) = work.join_next().await {
        finished(joined??, &mut out, &mut done);
    }
    out.into_iter().enumerate().map(|(i, r)| r.ok_or_else(|| anyhow!("till {i} has no sales"))).collect()
}

/// `zargar_core::sync::enroll`, again after a pause while the server says
/// to slow down.
async fn enrol_till(db: &Path, url: &str, code: &str) -> anyhow::Result<()> {
    for _ in 0..ENROL_ATTEMPTS {
        match enroll(db, url, code, &SyncConfig::default()).await {
            Ok(_) => return Ok(()),
            Err(e) if e.code() == "sync_slow_down" => {
                tokio::time::sleep(e.retry_after().unwrap_or_default().max(ENROL_WAIT)).await;
            }
            Err(e) => return Err(anyhow!(e)),
        }
    }
    bail!("still refused after {ENROL_ATTEMPTS} attempts")
}

/// The owner's device, enrolled over HTTP (as `zargar_e2e::Server::owner`,
/// but waiting out the enrolment limit instead of failing on it); its token.
async fn enrol_owner(http: &reqwest::Client, url: &str, code: &str) -> anyhow::Result<String> {
    let body = serde_json::json!({"code": code, "device_id": Uuid::now_v7(), "name": "owner's laptop"});
    for _ in 0..ENROL_ATTEMPTS {
        let res = http.post(format!("{url}/api/v1/devices/enroll")).json(&body).send().await?;
        let status = res.status();
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            tokio::time::sleep(ENROL_WAIT).await;
            continue;
        }
        let text = res.text().await?;
        ensure!(status.is_success(), "owner enrolment answered {status}: {text}");
        let v: Value = serde_json::from_str(&text)?;
        return Ok(v["device_token"].as_str().context("no device_token in the enrolment answer")?.to_owned());
    }
    bail!("owner enrolment still refused after {ENROL_ATTEMPTS} attempts")
}

/// Every sold line of the owner's shop (`/api/v1/export`, JSON).
async fn export(http: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<Vec<Value>> {
    let res = http
        .get(format!("{url}/api/v1/export?format=json&from={EXPORT_FROM}&to={EXPORT_TO}"))
        .bearer_auth(token)
        .send()
        .await?;
    let status = res.status();
    let text = res.text().await?;
    ensure!(status.is_success(), "export answered {status}: {text}");
    let mut v: Value = serde_json::from_str(&text)?;
    match v["rows"].take() {
        Value::Array(rows) => Ok(rows),
        other => bail!("export rows: {other}"),
    }
}

/// The till's sales, one piece each, paid exactly in cash, each in its own
/// transaction as at the counter; their ids.
fn record_sales(db: &Path, tags: &[String]) -> anyhow::Result<Recorded> {
    let mut store = Store::open(db)?;
    // Setup only: this connection skips the fsync of each commit so that
    // 100,000 sales do not take the setup minutes. The engines open their
    // own connections, with the store's FULL durability.
    store.connection().execute_batch("PRAGMA synchronous = OFF")?;
    let device_id = store.device()?.device_id;
    let mut sale_ids = Vec::with_capacity(tags.len());
    for tag in tags {
        let now = Utc::now();
        let ask = SaleRequest { items: vec![tag.clone()], ..Default::default() };
        let due = match store.quote_sale(&ask, now) {
            Ok(priced) => priced.totals.due,
            Err(StoreError::Settle(zargar_core::error::SettleError::PaymentsShort { due, .. })) => due,
            Err(e) => return Err(anyhow!(e).context(format!("quoting {tag}"))),
        };
        let sale = SaleRequest {
            items: vec![tag.clone()],
            payments: vec![PaymentInput { method: PaymentMethod::Cash, amount: due }],
            ..Default::default()
        };
        let recorded = store.record_sale(&sale, now).with_context(|| format!("selling {tag}"))?;
        sale_ids.push(recorded.sale.id);
    }
    Ok(Recorded { device_id, sale_ids })
}

/// Starts every engine at once and watches until every till has converged.
fn timed(
    rt: &tokio::runtime::Runtime,
    tills: &[Till],
    shops: &[Shop],
    recorded: &[Recorded],
    server_pid: u32,
) -> anyhow::Result<Run> {
    // The observer's connections, one per till, opened before the clock starts.
    let readers: Vec<Store> = tills
        .iter()
        .map(|t| {
            let s = Store::open(&t.db)?;
            s.connection().execute_batch("PRAGMA query_only = ON; PRAGMA cache_size = -256;")?;
            anyhow::Ok(s)
        })
        .collect::<Result<_, _>>()?;
    let expected_sold: Vec<u64> = tills.iter().map(|t| shops[t.shop].pieces).collect();
    for (i, (r, rec)) in readers.iter().zip(recorded).enumerate() {
        let pending = count(r, "SELECT count(*) FROM outbox WHERE state = 'pending'")?;
        ensure!(pending == rec.sale_ids.len() as u64, "till {i} has {pending} ops pending before the run");
    }

    // Peaks from here on: the setup's do not count.
    let server_setup_hwm = status_kb(&server_pid.to_string(), "VmHWM").unwrap_or(0);
    let self_reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let server_reset = std::fs::write(format!("/proc/{server_pid}/clear_refs"), "5").is_ok();
    if !self_reset || !server_reset {
        eprintln!("warning: could not reset the peak RSS counters; the peaks include the setup");
    }
    let tills_rss_start_kb = status_kb("self", "VmRSS").unwrap_or(0);

    // The engines as shipped: a round a minute, and at once on the server's
    // change notices (it was a round a second before live sync).
    let config = SyncConfig { batch_ops: 500, ..SyncConfig::default() };
    let faults = Arc::new(Faults::default());
    let cpu_before = (cpu_ms(&server_pid.to_string()), cpu_ms("self"));
    let _runtime = rt.enter();
    eprintln!("run: starting {} engines", tills.len());
    let t0 = Instant::now();
    let handles: Vec<SyncHandle> = tills
        .iter()
        .enumerate()
        .map(|(i, t)| SyncEngine::start(&t.db, config.clone()).with_context(|| format!("starting till {i}")))
        .collect::<Result<_, _>>()?;
    let started_in = t0.elapsed();
    let watchers: Vec<_> = handles.iter().map(|h| rt.spawn(watch_engine(h.subscribe(), Arc::clone(&faults)))).collect();

    let n = tills.len();
    let mut acked: Vec<Option<Duration>> = vec![None; n];
    let mut converged: Vec<Option<Duration>> = vec![None; n];
    let mut seen_success: Vec<Option<DateTime<Utc>>> = vec![None; n];
    let mut last_check: Vec<Option<Duration>> = vec![None; n];
    let mut observer = Duration::ZERO;
    let mut gave_up = None;
    let mut next_report = Duration::from_secs(5);
    loop {
        let q = Instant::now();
        for i in 0..n {
            if converged[i].is_some() {
                continue;
            }
            let now = t0.elapsed();
            let status = handles[i].status();
            // The engine publishes its pending count as answers arrive; the
            // file has the last word (the count reads 0 before the engine's
            // first look at it).
            if acked[i].is_none()
                && status.pending == 0
                && count(&readers[i], "SELECT count(*) FROM outbox WHERE state = 'pending'")? == 0
            {
                acked[i] = Some(now);
            }
            if acked[i].is_none() {
                continue;
            }
            // The sold count changes only when the engine pulls: look again
            // after each round it finished, and at least every RECHECK.
            let success = status.last_success;
            let due = success != seen_success[i] || last_check[i].is_none_or(|at| now.saturating_sub(at) >= RECHECK);
            if due {
                seen_success[i] = success;
                last_check[i] = Some(now);
                if count(&readers[i], "SELECT count(*) FROM items WHERE status = 'sold'")? == expected_sold[i] {
                    converged[i] = Some(t0.elapsed());
                }
            }
        }
        observer += q.elapsed();
        let elapsed = t0.elapsed();
        if converged.iter().all(Option::is_some) {
            break;
        }
        if let Some(i) = handles.iter().position(|h| h.status().state == EngineState::Stopped) {
            let why = handles[i].status().last_error.map_or_else(String::new, |f| format!("{}: {}", f.code, f.detail));
            gave_up = Some(format!("till {i}'s engine stopped ({why})"));
            break;
        }
        if elapsed >= GIVE_UP {
            gave_up = Some(format!("not converged after {}", bench::secs(GIVE_UP)));
            break;
        }
        if elapsed >= next_report {
            next_report += Duration::from_secs(5);
            let pending: u64 = handles.iter().map(|h| h.status().pending).sum();
            eprintln!(
                "run {}: {}/{n} tills acked, {}/{n} converged, ~{pending} ops pending, {} retries",
                bench::secs(elapsed),
                acked.iter().flatten().count(),
                converged.iter().flatten().count(),
                faults.retrying.load(Ordering::Relaxed)
            );
        }
        std::thread::sleep(POLL);
    }
    let end = t0.elapsed();
    let server_cpu_ms = cpu_ms(&server_pid.to_string()).saturating_sub(cpu_before.0);
    let tills_cpu_ms = cpu_ms("self").saturating_sub(cpu_before.1);
    let tills_hwm_kb = status_kb("self", "VmHWM").unwrap_or(0);
    let server_run_hwm = status_kb(&server_pid.to_string(), "VmHWM").unwrap_or(0);
    let server_hwm_kb = if server_reset { server_run_hwm } else { server_run_hwm.max(server_setup_hwm) };
    eprintln!(
        "run: engines started in {}, ended after {}; server peak RSS in setup {} MB",
        bench::secs(started_in),
        bench::secs(end),
        mb(server_setup_hwm)
    );

    let final_status: Vec<SyncStatus> = handles.iter().map(SyncHandle::status).collect();
    rt.block_on(async {
        let mut stopping = JoinSet::new();
        for h in handles {
            stopping.spawn(h.shutdown());
        }
        while stopping.join_next().await.is_some() {}
    });
    for w in watchers {
        w.abort();
    }
    let mut not_acked_ops = 0;
    for r in &readers {
        not_acked_ops += count(r, "SELECT count(*) FROM outbox WHERE state <> 'acked'")?;
    }
    Ok(Run {
        acked,
        converged,
        gave_up,
        final_status,
        not_acked_ops,
        tills_rss_start_kb,
        tills_hwm_kb,
        server_hwm_kb,
        observer,
        server_cpu_ms,
        tills_cpu_ms,
        retries: faults.retrying.load(Ordering::Relaxed),
        stops: faults.stopped.load(Ordering::Relaxed),
        fault_codes: faults.codes.lock().map(|c| c.clone()).unwrap_or_default(),
    })
}

/// Counts entries into `Retrying` and `Stopped`, and each fault the engine
/// stored, until the engine is gone. The watch channel keeps only the latest
/// status, but a failed round's state and fault both last until the next
/// round starts, so none is missed.
async fn watch_engine(mut rx: watch::Receiver<SyncStatus>, faults: Arc<Faults>) {
    let mut state = rx.borrow().state;
    let mut fault: Option<(String, DateTime<Utc>)> = None;
    loop {
        {
            let st = rx.borrow_and_update();
            if st.state != state {
                state = st.state;
                match state {
                    EngineState::Retrying => faults.retrying.fetch_add(1, Ordering::Relaxed),
                    EngineState::Stopped => faults.stopped.fetch_add(1, Ordering::Relaxed),
                    _ => 0,
                };
            }
            if let Some(f) = &st.last_error {
                let key = (f.code.clone(), f.at);
                if fault.as_ref() != Some(&key) {
                    if let Ok(mut codes) = faults.codes.lock() {
                        *codes.entry(f.code.clone()).or_default() += 1;
                    }
                    fault = Some(key);
                }
            }
        }
        if rx.changed().await.is_err() {
            break;
        }
    }
}

/// The export against the tills' own records: every sale once, by the till
/// that recorded it, and nothing else.
fn check(tills: &[Till], recorded: &[Recorded], exports: &[Vec<Value>]) -> anyhow::Result<Check> {
    let mut expected: HashMap<Uuid, Uuid> = HashMap::new();
    for rec in recorded {
        for &id in &rec.sale_ids {
            ensure!(expected.insert(id, rec.device_id).is_none(), "sale {id} was recorded twice on the tills");
        }
    }
    ensure!(
        expected.len() == tills.len() * tills.first().map_or(0, |t| t.tags.len()),
        "the tills recorded too few sales"
    );
    let mut c = Check::default();
    let mut lines: HashMap<(Uuid, u64), u64> = HashMap::new();
    let mut sales: HashSet<Uuid> = HashSet::new();
    for row in exports.iter().flatten() {
        c.rows += 1;
        let sale_id: Uuid = row["sale_id"].as_str().context("export row without sale_id")?.parse()?;
        let device_id: Uuid = row["device_id"].as_str().context("export row without device_id")?.parse()?;
        let line_no = row["line_no"].as_u64().context("export row without line_no")?;
        *lines.entry((sale_id, line_no)).or_default() += 1;
        sales.insert(sale_id);
        let status = row["sync_status"].as_str().map_or_else(|| row["sync_status"].to_string(), str::to_owned);
        *c.statuses.entry(status).or_default() += 1;
        match expected.get(&sale_id) {
            Some(&d) if d != device_id => c.wrong_device += 1,
            Some(_) => {}
            None => c.extra += 1,
        }
    }
    c.duplicates = lines.values().map(|n| n - 1).sum();
    c.distinct_sales = sales.len() as u64;
    c.missing = expected.keys().filter(|id| !sales.contains(id)).count() as u64;
    Ok(c)
}

fn report(cfg: Config, run: &Run, c: &Check, setup: Duration, recorded: &[Recorded]) -> anyhow::Result<()> {
    let total = recorded.iter().map(|r| r.sale_ids.len() as u64).sum::<u64>();
    let last = |v: &[Option<Duration>]| -> Option<u64> {
        v.iter().map(|d| d.map(ms)).collect::<Option<Vec<u64>>>().and_then(|v| v.into_iter().max())
    };
    let acked_ms = last(&run.acked);
    let converged_ms = last(&run.converged);
    let mut per_till: Vec<u64> = run.converged.iter().flatten().map(|d| ms(*d)).collect();
    per_till.sort_unstable();
    let converged_p50_ms = per_till.get(per_till.len() / 2).copied();
    let first_converged_ms = per_till.first().copied();
    let rate = |t: Option<u64>| t.map(|t| total * 1000 / t.max(1));
    let rejected: u64 = run.final_status.iter().map(|s| s.rejected).sum();
    let conflicts: u64 = run.final_status.iter().map(|s| s.open_conflicts).sum();
    let pending: u64 = run.final_status.iter().map(|s| s.pending).sum();
    let applied = c.statuses.get("applied").copied().unwrap_or(0);
    let exactly_once = c.missing == 0 && c.duplicates == 0 && c.extra == 0 && c.wrong_device == 0;
    let all_applied = applied == c.rows && c.rows == total;
    let target_met =
        exactly_once && all_applied && run.gave_up.is_none() && converged_ms.is_some_and(|t| t <= TARGET_MS);
    let tills = cfg.tills as u64;

    let mut s = String::new();
    let _ = writeln!(
        s,
        "sync_load: {} tills × {} sales in {} shops = {total} sales (setup {})",
        cfg.tills,
        cfg.sales,
        cfg.shops,
        bench::secs(setup)
    );
    let _ = writeln!(
        s,
        "  all acked after {}, all converged after {} (first till {}, median {}) → {} sales/s; target ≤ {} s: {}",
        opt_secs(acked_ms),
        opt_secs(converged_ms),
        opt_secs(first_converged_ms),
        opt_secs(converged_p50_ms),
        rate(converged_ms).map_or_else(|| "?".to_owned(), |r| r.to_string()),
        TARGET_MS / 1000,
        if cfg.smoke {
            "smoke run"
        } else if target_met {
            "met"
        } else {
            "NOT met"
        }
    );
    let _ = writeln!(
        s,
        "  server: {} rows, {} distinct sales, {} duplicates, {} missing, {} unknown, {} by the wrong till; sync_status {:?}",
        c.rows, c.distinct_sales, c.duplicates, c.missing, c.extra, c.wrong_device, c.statuses
    );
    let _ = writeln!(
        s,
        "  engines: {} retries, {} stops, faults {:?}; at the end {pending} ops pending ({} not acked on disk), {rejected} rejected, {conflicts} open conflicts",
        run.retries, run.stops, run.fault_codes, run.not_acked_ops
    );
    let wall = converged_ms.or(acked_ms).unwrap_or(0).max(1);
    let _ = writeln!(
        s,
        "  CPU over the run, in % of one core ({} cores): server {}%, tills {}% (observer queries {} of wall time)",
        std::thread::available_parallelism().map_or(1, usize::from),
        run.server_cpu_ms * 100 / wall,
        run.tills_cpu_ms * 100 / wall,
        bench::secs(run.observer)
    );
    let _ = write!(
        s,
        "  peak RSS: server {} MB; tills {} MB ({} MB at the start; {} MB per till, {} MB per till above the start)",
        mb(run.server_hwm_kb),
        mb(run.tills_hwm_kb),
        mb(run.tills_rss_start_kb),
        mb(run.tills_hwm_kb / tills),
        mb(run.tills_hwm_kb.saturating_sub(run.tills_rss_start_kb) / tills),
    );
    if let Some(why) = &run.gave_up {
        let _ = write!(s, "\n  GAVE UP: {why}");
    }
    eprintln!("{s}");

    let errors = run.retries + run.stops + rejected + conflicts;
    let target = if cfg.smoke { Value::Null } else { target_met.into() };
    let fields: Vec<(&str, Value)> = vec![
        ("tills", cfg.tills.into()),
        ("sales_per_till", cfg.sales.into()),
        ("shops", cfg.shops.into()),
        ("total_sales", total.into()),
        ("acked_secs", acked_ms.map(|t| dec(t, 3)).into()),
        ("converged_secs", converged_ms.map(|t| dec(t, 3)).into()),
        ("sales_per_sec", rate(converged_ms).into()),
        ("errors", errors.into()),
        ("duplicates", c.duplicates.into()),
        ("missing", c.missing.into()),
        ("server_peak_rss_mb", dec(run.server_hwm_kb * 10 / 1024, 1)),
        ("tills_peak_rss_mb", dec(run.tills_hwm_kb * 10 / 1024, 1)),
        ("target_met", target),
        // Detail.
        ("acked_ms", acked_ms.into()),
        ("converged_ms", converged_ms.into()),
        ("first_converged_ms", first_converged_ms.into()),
        ("median_converged_ms", converged_p50_ms.into()),
        ("acked_sales_per_sec", rate(acked_ms).into()),
        ("retries", run.retries.into()),
        ("stops", run.stops.into()),
        ("fault_codes", serde_json::to_value(&run.fault_codes)?),
        ("rejected", rejected.into()),
        ("open_conflicts", conflicts.into()),
        ("unknown_sales", c.extra.into()),
        ("wrong_device", c.wrong_device.into()),
        ("export_rows", c.rows.into()),
        ("distinct_sales", c.distinct_sales.into()),
        ("sync_status", serde_json::to_value(&c.statuses)?),
        ("tills_rss_at_start_mb", dec(run.tills_rss_start_kb * 10 / 1024, 1)),
        ("tills_peak_rss_per_till_mb", dec(run.tills_hwm_kb * 100 / 1024 / tills, 2)),
        ("server_cpu_ms", run.server_cpu_ms.into()),
        ("tills_cpu_ms", run.tills_cpu_ms.into()),
        ("observer_ms", ms(run.observer).into()),
        ("setup_secs", dec(ms(setup), 3)),
        ("gave_up", run.gave_up.clone().into()),
        ("smoke", cfg.smoke.into()),
    ];
    let mut line = String::from("{");
    for (i, (key, value)) in fields.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(line, "{sep}{}:{}", Value::from(*key), value);
    }
    line.push('}');
    println!("{line}");

    if let Some(why) = &run.gave_up {
        bail!("the tills did not converge: {why}");
    }
    ensure!(
        exactly_once && all_applied && run.not_acked_ops == 0,
        "not every sale is on the server exactly once and applied: {} missing, {} duplicates, {} unknown, {} by the wrong till, statuses {:?}, {} ops not acked",
        c.missing,
        c.duplicates,
        c.extra,
        c.wrong_device,
        c.statuses,
        run.not_acked_ops
    );
    Ok(())
}

fn count(store: &Store, sql: &str) -> anyhow::Result<u64> {
    let n: i64 = store.connection().query_row(sql, [], |r| r.get(0))?;
    Ok(u64::try_from(n)?)
}

/// `value / 10^scale` as a JSON number, made from its decimal text.
fn dec(value: u64, scale: u32) -> Value {
    let text = Decimal::from_i128_with_scale(i128::from(value), scale).to_string();
    serde_json::Number::from_str(&text).map_or(Value::String(text), Value::Number)
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn secs(since: Instant) -> String {
    bench::secs(since.elapsed())
}

fn opt_secs(ms: Option<u64>) -> String {
    ms.map_or_else(|| "never".to_owned(), |t| format!("{} s", Decimal::new(i64::try_from(t).unwrap_or(i64::MAX), 3)))
}

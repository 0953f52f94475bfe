//! Live sync at scale: N tills hold the server's change-notice stream on
//! one real `zargar-server` process over loopback, idle for a while; then
//! K tills of the first shop each sell a piece. Prints the server's CPU
//! (% of one core) and RSS while the tills sit idle, and the time from each
//! sale's push to the moment every other till of its shop has pulled it,
//! p50 and p99 (from the push, not its acknowledgement: the others can
//! have the sale before the seller has written the answer down).
//!
//! The idle tills are light clients that speak the protocol as the engine
//! does (enrol, pull to the head, hold `GET /api/v1/sync/events`, pull on
//! `changes`), so that a thousand of them fit in one process; the sellers
//! are real tills (`zargar_core`'s store, and `sync_once` to push).
//!
//! Targets (reported, never asserted): idle ≤ 5% of one core and ≤ 150 MB
//! for 1,000 tills; propagation p99 ≤ 1 s. The run fails only when a till
//! never learns of a sale.
//!
//! Options (after `--`): `--tills N` (1000), `--shops S` (50; till i is in
//! shop i mod S), `--sellers K` (20, at most a shop's tills), `--idle S`
//! seconds (60). `cargo test` runs it without `--bench`, in a debug build,
//! as a smoke run of 20 tills, 2 shops, 4 sellers and 2 s idle.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail, ensure};
use chrono::Utc;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use uuid::Uuid;
use zargar_core::Store;
use zargar_core::sale::{PaymentInput, PaymentMethod, SaleRequest};
use zargar_core::sync::{SyncConfig, enroll, sync_once};
use zargar_e2e::bench::{self, cpu_ms, mb, nearest_rank, status_kb};
use zargar_e2e::{Server, metrics_of};
use zargar_wire::{ChangeData, ItemStatus, PullResponse};

/// A till that never hears of a sale by then fails the run.
const GIVE_UP: Duration = Duration::from_secs(60);
/// Between two sales, so that each is its own notice.
const SALE_GAP: Duration = Duration::from_millis(200);

#[derive(Debug, Clone, Copy)]
struct Config {
    tills: usize,
    shops: usize,
    sellers: usize,
    idle: Duration,
}

fn config() -> anyhow::Result<Config> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut c = if args.iter().any(|a| a == "--bench") {
        Config { tills: 1000, shops: 50, sellers: 20, idle: Duration::from_secs(60) }
    } else {
        Config { tills: 20, shops: 2, sellers: 4, idle: Duration::from_secs(2) }
    };
    for (name, value) in
        bench::options(&args, &["--tills", "--shops", "--sellers", "--idle"]).map_err(|e| anyhow!(e))?
    {
        let n: usize = value.parse().with_context(|| format!("{name} {value}"))?;
        match name.as_str() {
            "--tills" => c.tills = n,
            "--shops" => c.shops = n,
            "--sellers" => c.sellers = n,
            _ => c.idle = Duration::from_secs(n as u64),
        }
    }
    ensure!(c.shops >= 1 && c.tills >= 2 * c.shops, "at least two tills a shop");
    ensure!((1..=c.tills / c.shops).contains(&c.sellers), "--sellers: 1 to a shop's tills");
    Ok(c)
}

/// What each light till has seen: the tags of the first shop it has pulled
/// as sold, and when.
type Seen = Arc<Mutex<HashMap<(usize, String), Instant>>>;

/// One idle till, as the server sees it.
#[derive(Debug, Clone)]
struct Light {
    index: usize,
    token: String,
}

fn main() -> anyhow::Result<()> {
    let cfg = config()?;
    raise_open_files();
    let work = tempfile::tempdir()?;
    let server = Server::start(work.path());
    let url = server.url();
    let pid = server.pid().context("server pid")?.to_string();
    let shops: Vec<Uuid> =
        (0..cfg.shops).map(|s| server.shop(&format!("shop {s}"), &tags(s, cfg.sellers), work.path())).collect();
    let codes: Vec<String> = (0..cfg.tills).map(|i| server.enrol_code(shops[i % cfg.shops], "till")).collect();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let http = reqwest::Client::builder().build()?;

    // The sellers: the first shop's first K tills, real stores.
    let sellers: Vec<usize> = (0..cfg.sellers).map(|k| k * cfg.shops).collect();
    let setup = Instant::now();
    let lights: Vec<Light> = rt.block_on(async {
        let mut out = Vec::with_capacity(cfg.tills);
        for (i, code) in codes.iter().enumerate() {
            let token = if sellers.contains(&i) {
                let db = work.path().join(format!("seller-{i}.db"));
                Store::open(&db)?.init_device(&format!("till {i}"), Utc::now())?;
                enroll(&db, &url, code, &SyncConfig::default()).await?;
                sync_once(&db, &SyncConfig::default(), &|_| {}).await?;
                Store::open(&db)?.sync_link()?.context("enrolled")?.device_token
            } else {
                enrol(&http, &url, code, i).await?
            };
            out.push(Light { index: i, token });
        }
        anyhow::Ok(out)
    })?;
    eprintln!("{} tills enrolled in {}", cfg.tills, bench::secs(setup.elapsed()));

    let seen: Seen = Arc::default();
    let (ready_tx, mut ready) = mpsc::unbounded_channel();
    let mut streams = JoinSet::new();
    rt.block_on(async {
        for l in &lights {
            let shop = l.index % cfg.shops;
            streams.spawn(hold(http.clone(), url.clone(), l.clone(), shop, Arc::clone(&seen), ready_tx.clone()));
        }
        for _ in 0..cfg.tills {
            ready.recv().await.context("a stream ended before it was ready")?;
        }
        anyhow::Ok(())
    })?;
    let open = metrics_of(&url).lines().find_map(|l| l.strip_prefix("zargar_live_streams ").map(str::to_owned));
    eprintln!("{} streams open (the server says {})", cfg.tills, open.as_deref().unwrap_or("?"));

    // Idle: nothing happens but heartbeats.
    let cpu_before = cpu_ms(&pid);
    let idle_started = Instant::now();
    std::thread::sleep(cfg.idle);
    let idle_cpu = cpu_ms(&pid).saturating_sub(cpu_before);
    let idle_ms = u64::try_from(idle_started.elapsed().as_millis()).unwrap_or(u64::MAX).max(1);
    let idle_rss_kb = status_kb(&pid, "VmRSS").unwrap_or(0);

    // The sales, one after another. The clock starts as the push leaves:
    // the other tills may pull the sale before the seller has written the
    // server's answer down, so its own acknowledgement is no fair start.
    let mut pushed: Vec<(String, usize, Instant)> = Vec::new();
    for (k, &i) in sellers.iter().enumerate() {
        let tag = tags(0, cfg.sellers)[k].clone();
        let db = work.path().join(format!("seller-{i}.db"));
        sell(&db, &tag)?;
        let pushed_at = Instant::now();
        let report = rt.block_on(sync_once(&db, &SyncConfig::default(), &|_| {}))?;
        ensure!(report.applied == 1, "the sale of {tag} was not applied: {report:?}");
        pushed.push((tag, i, pushed_at));
        std::thread::sleep(SALE_GAP);
    }

    // Every other till of the first shop must have each sale.
    let first_shop: Vec<usize> = (0..cfg.tills).filter(|i| i % cfg.shops == 0).collect();
    let wanted = pushed.len() * (first_shop.len() - 1);
    let waited = Instant::now();
    let mut samples = Vec::with_capacity(wanted);
    loop {
        samples.clear();
        let seen = seen.lock().expect("seen");
        for (tag, seller, at) in &pushed {
            for till in first_shop.iter().filter(|t| *t != seller) {
                if let Some(got) = seen.get(&(*till, tag.clone())) {
                    samples.push(u64::try_from(got.saturating_duration_since(*at).as_micros()).unwrap_or(u64::MAX));
                }
            }
        }
        drop(seen);
        if samples.len() == wanted {
            break;
        }
        if waited.elapsed() > GIVE_UP {
            bail!("only {} of {wanted} (till, sale) pairs arrived within {GIVE_UP:?}", samples.len());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    streams.abort_all();
    samples.sort_unstable();

    println!(
        "live_sync: {} tills in {} shops holding the change stream; {} idle",
        cfg.tills,
        cfg.shops,
        bench::secs(cfg.idle)
    );
    println!(
        "  server while idle: CPU {:.2}% of one core, RSS {} MB (targets: ≤ 5% and ≤ 150 MB for 1,000 tills)",
        bench::display(idle_cpu * 100 * 100 / idle_ms, 100),
        mb(idle_rss_kb)
    );
    println!(
        "  propagation, sale pushed → pulled at each other till ({} = {} sales × {} tills): \
         p50 {} ms, p99 {} ms, max {} ms (target: p99 ≤ 1 s; the push's own round trip included)",
        samples.len(),
        pushed.len(),
        first_shop.len() - 1,
        bench::display(nearest_rank(&samples, 50), 1000),
        bench::display(nearest_rank(&samples, 99), 1000),
        bench::display(*samples.last().unwrap_or(&0), 1000),
    );
    Ok(())
}

/// The pieces of shop `s` that its sellers sell, one each.
fn tags(s: usize, sellers: usize) -> Vec<String> {
    (0..sellers).map(|k| format!("S{s}-LIVE-{k}")).collect()
}

/// A light till's enrolment; its token.
async fn enrol(http: &reqwest::Client, url: &str, code: &str, i: usize) -> anyhow::Result<String> {
    let body = serde_json::json!({"code": code, "device_id": Uuid::now_v7(), "name": format!("till {i}")});
    let res = http.post(format!("{url}/api/v1/devices/enroll")).json(&body).send().await?;
    let status = res.status();
    let v: serde_json::Value = res.json().await?;
    ensure!(status.is_success(), "enrolment answered {status}: {v}");
    Ok(v["device_token"].as_str().context("no token")?.to_owned())
}

/// Holds one till's stream: pulls to the head, says it is ready, then
/// pulls on every `changes` and notes when a piece of the first shop shows
/// as sold.
async fn hold(
    http: reqwest::Client,
    url: String,
    till: Light,
    shop: usize,
    seen: Seen,
    ready: mpsc::UnboundedSender<usize>,
) -> anyhow::Result<()> {
    let mut cursor = String::new();
    pull(&http, &url, &till, shop, &mut cursor, &seen).await?;
    let mut res =
        http.get(format!("{url}/api/v1/sync/events")).bearer_auth(&till.token).send().await?.error_for_status()?;
    let mut partial = String::new();
    while let Some(chunk) = res.chunk().await? {
        partial.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = partial.find("\n\n") {
            let event: String = partial.drain(..end + 2).collect();
            if event.contains("event: ready") {
                let _ = ready.send(till.index);
            } else if event.contains("event: changes") {
                pull(&http, &url, &till, shop, &mut cursor, &seen).await?;
            }
        }
    }
    Ok(())
}

async fn pull(
    http: &reqwest::Client,
    url: &str,
    till: &Light,
    shop: usize,
    cursor: &mut String,
    seen: &Seen,
) -> anyhow::Result<()> {
    loop {
        let page: PullResponse = http
            .get(format!("{url}/api/v1/sync/pull"))
            .query(&[("cursor", cursor.as_str())])
            .bearer_auth(&till.token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let now = Instant::now();
        for c in page.changes {
            if let ChangeData::Item(item) = c.data
                && shop == 0
                && item.status == ItemStatus::Sold
            {
                seen.lock().expect("seen").entry((till.index, item.tag)).or_insert(now);
            }
        }
        *cursor = page.next_cursor;
        if !page.has_more {
            return Ok(());
        }
    }
}

/// A sale of `tag`, paid exactly in cash, recorded as at the counter.
fn sell(db: &Path, tag: &str) -> anyhow::Result<()> {
    let mut store = Store::open(db)?;
    let now = Utc::now();
    let ask = SaleRequest { items: vec![tag.to_owned()], ..Default::default() };
    let due = match store.quote_sale(&ask, now) {
        Ok(priced) => priced.totals.due,
        Err(zargar_core::StoreError::Settle(zargar_core::error::SettleError::PaymentsShort { due, .. })) => due,
        Err(e) => return Err(anyhow!(e).context(format!("quoting {tag}"))),
    };
    let sale = SaleRequest {
        items: vec![tag.to_owned()],
        payments: vec![PaymentInput { method: PaymentMethod::Cash, amount: due }],
        ..Default::default()
    };
    store.record_sale(&sale, now).with_context(|| format!("selling {tag}"))?;
    Ok(())
}

/// A thousand streams are a thousand sockets here and as many in the
/// server (which inherits the limit): raise the soft limit to the hard one.
fn raise_open_files() {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    if limit.current < limit.maximum {
        let raised = rustix::process::Rlimit { current: limit.maximum, maximum: limit.maximum };
        if let Err(e) = setrlimit(Resource::Nofile, raised) {
            eprintln!("open files stay at {:?}: {e}", limit.current);
        }
    }
}

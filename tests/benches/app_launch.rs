//! The real desktop app, measured: `zargar-pos` (release build, UI
//! embedded) in WebKitGTK under Xvfb, driven through tauri-driver and
//! WebKitWebDriver exactly as `tests/tests/app.rs` drives it.
//!
//! 1. Launch time to an interactive sale screen (`App::launch` until
//!    `[data-testid=sale-screen][data-ready=true]`, the harness's
//!    `launch_to_interactive`): N launches, each a fresh app on a fresh data
//!    folder holding an enrolled till that has pulled the shop, each followed
//!    by a warm relaunch on the same folder. Min / median / max of both.
//! 2. One session, S sales by keyboard (scan + Enter, F8, Enter = the rest
//!    in cash, F10, then Escape for the next sale), with the server
//!    reachable so the sales sync in the background as in a shop: the app's
//!    memory (`App::memory`: the app and its WebKit processes) before the
//!    first sale and after 10, 50 and S; the time per sale as the cashier
//!    sees it through WebDriver (median, p90); then how long the status
//!    bar's pending count takes to reach 0, and that the server has them all.
//!
//! Prints JSON lines on stdout and a summary on stderr; asserts nothing
//! about time. It fails only when the app does not behave (a key that does
//! not act, a sale that never reaches the server).
//!
//! Options (environment): `ZARGAR_BENCH_LAUNCHES` (5), `ZARGAR_BENCH_SALES`
//! (100), `ZARGAR_BENCH_DIR` (the folder for the data; a temporary folder).
//! `cargo test --all-targets` runs this without `--bench`, in a debug build:
//! a smoke run of 1 launch and 3 sales that checks behaviour, not time.
//!
//! Timed waits poll every 10 ms (the harness's `wait_for` polls every
//! 100 ms, too coarse for steps of a few tens of ms); each poll is a
//! WebDriver round trip, which the numbers include.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use fantoccini::Locator;
use serde_json::{Value, json};
use uuid::Uuid;
use zargar_e2e::app::{App, Display, app_binary, keys};
use zargar_e2e::{Server, Till};

/// Limit of any one wait for the app.
const LONG: Duration = Duration::from_secs(60);
/// Limit for the sync to drain after the last sale's invoice.
const DRAIN: Duration = Duration::from_secs(60);
/// How often a timed wait looks again.
const POLL: Duration = Duration::from_millis(10);
/// A quit app must be gone by then before its folder is opened again.
const EXIT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
struct Config {
    launches: usize,
    sales: usize,
    /// After how many sales the memory is measured (0 = before the first).
    checkpoints: Vec<usize>,
    smoke: bool,
    dir: Option<OsString>,
}

fn env_count(name: &str, default: usize, max: usize) -> anyhow::Result<usize> {
    let Some(v) = std::env::var_os(name) else { return Ok(default) };
    let s = v.to_str().with_context(|| format!("{name} is not UTF-8"))?;
    let n: usize = s.trim().parse().with_context(|| format!("{name}={s:?} is not a number"))?;
    ensure!((1..=max).contains(&n), "{name}: between 1 and {max}");
    Ok(n)
}

fn config() -> anyhow::Result<Config> {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` does not.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let launches = env_count("ZARGAR_BENCH_LAUNCHES", if smoke { 1 } else { 5 }, 100)?;
    let sales = env_count("ZARGAR_BENCH_SALES", if smoke { 3 } else { 100 }, 10_000)?;
    let mut checkpoints: Vec<usize> = [0, 10, 50].into_iter().filter(|&c| c < sales).collect();
    checkpoints.push(sales);
    Ok(Config { launches, sales, checkpoints, smoke, dir: std::env::var_os("ZARGAR_BENCH_DIR") })
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Bytes as megabytes (10^6) with one decimal, in integers.
fn mb(bytes: u64) -> String {
    format!("{}.{}", bytes / 1_000_000, (bytes % 1_000_000) / 100_000)
}

/// Min, median, p90 (nearest rank) and max of some durations.
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    min: Duration,
    median: Duration,
    p90: Duration,
    max: Duration,
}

impl Stats {
    fn of(samples: &[Duration]) -> Stats {
        let mut s = samples.to_vec();
        s.sort();
        let n = s.len();
        let (Some(&min), Some(&max)) = (s.first(), s.last()) else { return Stats::default() };
        let median = if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2 };
        let p90 = s[(n * 90).div_ceil(100).max(1) - 1];
        Stats { min, median, p90, max }
    }

    fn json(&self) -> Value {
        json!({
            "min_ms": ms(self.min),
            "median_ms": ms(self.median),
            "p90_ms": ms(self.p90),
            "max_ms": ms(self.max),
        })
    }
}

fn emit(kind: &str, mut v: Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert("bench".into(), "app_launch".into());
        o.insert("kind".into(), kind.into());
    }
    println!("{v}");
}

/// A data folder (XDG_DATA_HOME) whose till is set up as IT does it: the
/// headless `zargar` on the app's data folder, enrolled, the shop pulled.
fn prepare(server: &Server, shop: Uuid, home: &Path, name: &str) -> PathBuf {
    std::fs::create_dir_all(home).expect("the data folder");
    let till = Till::init(&App::data_dir(home), name);
    till.preset_owner("مالک", "1379");
    till.enroll(&server.url(), &server.enrol_code(shop, "till"));
    till.sync_until_clean();
    home.to_path_buf()
}

/// Processes of this machine whose executable satisfies `exe`: (pid, their
/// XDG_DATA_HOME if readable).
fn processes(exe: impl Fn(&Path) -> bool) -> Vec<(u32, Option<PathBuf>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        if !std::fs::read_link(entry.path().join("exe")).is_ok_and(|p| exe(&p)) {
            continue;
        }
        let home = std::fs::read(entry.path().join("environ")).ok().and_then(|env| {
            env.split(|&b| b == 0)
                .find_map(|kv| kv.strip_prefix(b"XDG_DATA_HOME="))
                .map(|v| PathBuf::from(std::ffi::OsStr::from_bytes(v)))
        });
        found.push((pid, home));
    }
    found
}

/// Every process running the app's binary.
fn app_processes() -> Vec<(u32, Option<PathBuf>)> {
    let binary = app_binary();
    processes(|p| p == binary)
}

/// The pids of the processes `exe` picks that run on the data folder `home`.
fn on_home(exe: impl Fn(&Path) -> bool, home: &Path) -> Vec<u32> {
    processes(exe).into_iter().filter(|(_, h)| h.as_deref() == Some(home)).map(|(p, _)| p).collect()
}

fn is_webkit_driver(exe: &Path) -> bool {
    exe.file_name().is_some_and(|n| n == "WebKitWebDriver")
}

/// Quits the app and waits (bounded) until none runs on its folder: a quit
/// app may take a moment, and a second one on the same folder would only
/// hand over to it. `App::quit` kills tauri-driver but not the
/// WebKitWebDriver it started, which lingers; this run's (found by their
/// XDG_DATA_HOME, this run's own folder) are ended here, by pid.
async fn quit(app: App) {
    let home = app.data_home.clone();
    app.quit().await;
    let start = Instant::now();
    loop {
        let left = on_home(|p| p == app_binary(), &home);
        if left.is_empty() {
            break;
        }
        assert!(start.elapsed() < EXIT, "the app (pids {left:?}) still runs on {} after {EXIT:?}", home.display());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let drivers = on_home(is_webkit_driver, &home);
    for pid in &drivers {
        let _ = std::process::Command::new("kill").arg(pid.to_string()).status();
    }
    let start = Instant::now();
    while !on_home(is_webkit_driver, &home).is_empty() {
        if start.elapsed() >= EXIT {
            eprintln!("warning: WebKitWebDriver {drivers:?} did not end after {EXIT:?}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for `css` to match, polling every `POLL` (bounded by `LONG`).
async fn appear(app: &App, css: &str) {
    let start = Instant::now();
    loop {
        if app.client.find(Locator::Css(css)).await.is_ok() {
            return;
        }
        assert!(start.elapsed() < LONG, "{css} did not appear within {LONG:?}");
        tokio::time::sleep(POLL).await;
    }
}

async fn focused_testid(app: &App) -> Option<String> {
    let focused = app.client.active_element().await.expect("a focused element");
    focused.attr("data-testid").await.expect("attr")
}

/// One sale's steps, as the cashier sees them.
#[derive(Debug, Clone, Copy)]
struct SaleTimes {
    /// Tag + Enter until its line shows.
    scan: Duration,
    /// F8, Enter (the rest in cash) until F10 can confirm.
    pay: Duration,
    /// F10 until the invoice shows.
    confirm: Duration,
    /// Escape until the scan field is back for the next sale.
    next: Duration,
    /// When the invoice showed: the sale is recorded.
    invoice_at: Instant,
}

impl SaleTimes {
    /// Scan to invoice.
    fn sale(&self) -> Duration {
        self.scan + self.pay + self.confirm
    }
}

/// Sells `tag` from the keyboard alone, as `sell_by_keyboard` in
/// tests/tests/app.rs does, then starts the next sale with Escape.
async fn sell_by_keyboard(app: &App, tag: &str) -> SaleTimes {
    app.wait_for("[data-testid=scan-input]", LONG).await;
    assert_eq!(focused_testid(app).await.as_deref(), Some("scan-input"), "focus starts in the scan field");

    let t = Instant::now();
    app.press(&format!("{tag}{}", keys::ENTER)).await;
    appear(app, &format!("[data-testid=sale-line][data-tag=\"{tag}\"]")).await;
    let scan = t.elapsed();

    let t = Instant::now();
    app.press(keys::F8).await;
    assert_eq!(focused_testid(app).await.as_deref(), Some("pay-amount"), "F8 goes to the payment");
    // An empty amount pays what is left, in the chosen method (cash).
    app.press(keys::ENTER).await;
    appear(app, "[data-testid=sale-screen][data-can-confirm=true]").await;
    let pay = t.elapsed();

    let t = Instant::now();
    app.press(keys::F10).await;
    appear(app, "[data-testid=invoice]").await;
    let confirm = t.elapsed();
    let invoice_at = Instant::now();

    let t = Instant::now();
    app.press(keys::ESCAPE).await;
    appear(app, "[data-testid=sale-screen][data-ready=true]").await;
    // data-ready stays "true" while the invoice is up; the scan field is
    // what says the next sale can start.
    appear(app, "[data-testid=scan-input]").await;
    let next = t.elapsed();

    SaleTimes { scan, pay, confirm, next, invoice_at }
}

/// `App::memory`, printed with `at` and how many processes of the app's
/// binary run on the machine (more than one: the figure includes another app).
fn memory(app: &App, at: Value) -> u64 {
    let bytes = app.memory();
    let apps = app_processes().len();
    emit("memory", json!({ "at": at, "bytes": bytes, "mb": mb(bytes), "app_processes": apps }));
    if apps > 1 {
        eprintln!("warning: {apps} processes run {}; the memory figure includes all of them", app_binary().display());
    }
    bytes
}

#[derive(Debug, Default)]
struct Report {
    fresh: Vec<Duration>,
    warm: Vec<Duration>,
    sales_app_launch: Duration,
    memory: Vec<(usize, u64)>,
    sales: Vec<SaleTimes>,
    /// The status bar's pending count after each sale (read untimed), and
    /// the most it showed while the sync drained.
    pending_seen_max: u64,
    pending_at_last_sale: Option<String>,
    /// From the last invoice until the bar's count last turned to 0.
    drained_in: Option<Duration>,
    server_applied: usize,
    /// From the last invoice until the server had every sale applied.
    server_all_in: Option<Duration>,
}

async fn launches(cfg: &Config, display: &Display, homes: &[PathBuf], report: &mut Report) {
    for (i, home) in homes.iter().enumerate() {
        let app = App::launch(display, home).await;
        let fresh = app.launch_to_interactive;
        quit(app).await;
        let app = App::launch(display, home).await;
        let warm = app.launch_to_interactive;
        quit(app).await;
        emit("launch", json!({ "run": i + 1, "fresh_ms": ms(fresh), "warm_ms": ms(warm) }));
        eprintln!("launch {}/{}: fresh {} ms, warm relaunch {} ms", i + 1, cfg.launches, ms(fresh), ms(warm));
        report.fresh.push(fresh);
        report.warm.push(warm);
    }
}

async fn pending(app: &App) -> Option<String> {
    app.attr("[data-testid=pending-count]", "data-count").await
}

fn count(v: Option<&str>) -> u64 {
    v.and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// How many sales the server has applied (the owner's export; it blocks).
fn applied_on_server(server: &Server, owner: &zargar_e2e::Owner) -> usize {
    tokio::task::block_in_place(|| owner.export(server).iter().filter(|r| r["sync_status"] == "applied").count())
}

async fn sales(cfg: &Config, display: &Display, server: &Server, shop: Uuid, home: &Path, report: &mut Report) {
    let owner = tokio::task::block_in_place(|| server.owner(shop));
    let app = App::launch(display, home).await;
    report.sales_app_launch = app.launch_to_interactive;
    // The engine's first round after the start, so it is not counted in the sales.
    app.wait_attr("[data-testid=last-sync]", "data-at", LONG, |v| v.is_some()).await;
    app.wait_attr("[data-testid=pending-count]", "data-count", LONG, |v| v == Some("0")).await;

    if cfg.checkpoints.first() == Some(&0) {
        report.memory.push((0, memory(&app, json!({ "after_sales": 0 }))));
    }
    let mut last_invoice = Instant::now();
    for n in 1..=cfg.sales {
        let tag = format!("RING-{n}");
        let t = sell_by_keyboard(&app, &tag).await;
        last_invoice = t.invoice_at;
        let shown = pending(&app).await;
        report.pending_seen_max = report.pending_seen_max.max(count(shown.as_deref()));
        emit(
            "sale",
            json!({
                "n": n,
                "tag": tag,
                "sale_ms": ms(t.sale()),
                "scan_ms": ms(t.scan),
                "pay_ms": ms(t.pay),
                "confirm_ms": ms(t.confirm),
                "next_ms": ms(t.next),
                "pending_shown": shown,
            }),
        );
        report.pending_at_last_sale = shown;
        report.sales.push(t);
        if cfg.checkpoints.contains(&n) {
            report.memory.push((n, memory(&app, json!({ "after_sales": n }))));
        }
    }

    // The sales sync in the background. Done when the server has them all
    // and the bar says none is pending; the bar may not have counted the
    // last sale yet when it is read, so its time is when it last turned 0.
    let mut zero_since: Option<Duration> = None;
    let mut server_checked: Option<Instant> = None;
    loop {
        let shown = pending(&app).await;
        let n = count(shown.as_deref());
        report.pending_seen_max = report.pending_seen_max.max(n);
        if shown.as_deref() == Some("0") {
            zero_since = zero_since.or(Some(last_invoice.elapsed()));
        } else {
            zero_since = None;
        }
        if report.server_all_in.is_none() && server_checked.is_none_or(|t| t.elapsed() >= Duration::from_millis(200)) {
            server_checked = Some(Instant::now());
            report.server_applied = applied_on_server(server, &owner);
            if report.server_applied >= cfg.sales {
                report.server_all_in = Some(last_invoice.elapsed());
            }
        }
        if report.server_all_in.is_some() && zero_since.is_some() {
            report.drained_in = zero_since;
            break;
        }
        if last_invoice.elapsed() >= DRAIN {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    emit(
        "sync_drain",
        json!({
            "sales": cfg.sales,
            "pending_shown_after_last_sale": report.pending_at_last_sale,
            "pending_shown_max": report.pending_seen_max,
            "drained_ms": report.drained_in.map(ms),
            "server_applied": report.server_applied,
            "server_all_applied_ms": report.server_all_in.map(ms),
        }),
    );
    if let Some(&(_, last)) = report.memory.last() {
        let after = memory(&app, json!({ "after_sales": cfg.sales, "synced": true }));
        eprintln!("memory once synced: {} MB (was {} MB after the last sale)", mb(after), mb(last));
    }
    quit(app).await;
}

fn summary(cfg: &Config, profile: &str, r: &Report) {
    let fresh = Stats::of(&r.fresh);
    let warm = Stats::of(&r.warm);
    let sale_times: Vec<Duration> = r.sales.iter().map(SaleTimes::sale).collect();
    let sale = Stats::of(&sale_times);
    let next = Stats::of(&r.sales.iter().map(|t| t.next).collect::<Vec<_>>());
    let step = |f: fn(&SaleTimes) -> Duration| Stats::of(&r.sales.iter().map(f).collect::<Vec<_>>());
    let (scan, pay, confirm) = (step(|t| t.scan), step(|t| t.pay), step(|t| t.confirm));
    let tenth = (sale_times.len() / 10).max(1);
    let first = Stats::of(sale_times.get(..tenth).unwrap_or_default());
    let last = Stats::of(sale_times.get(sale_times.len().saturating_sub(tenth)..).unwrap_or_default());
    let at = |n: usize| r.memory.iter().find(|(k, _)| *k == n).map(|&(_, b)| b);
    // Growth per sale from the 10th sale on (the first ones warm caches up).
    let base = if cfg.sales > 10 { 10 } else { 0 };
    let growth = match (at(base), at(cfg.sales)) {
        (Some(a), Some(b)) if cfg.sales > base => {
            let diff = i64::try_from(b).unwrap_or(i64::MAX) - i64::try_from(a).unwrap_or(i64::MAX);
            Some(diff / i64::try_from(cfg.sales - base).unwrap_or(1))
        }
        _ => None,
    };

    emit(
        "summary",
        json!({
            "profile": profile,
            "smoke": cfg.smoke,
            "launches": cfg.launches,
            "launch_fresh": fresh.json(),
            "launch_warm": warm.json(),
            "sales": cfg.sales,
            "sale": sale.json(),
            "sale_scan": scan.json(),
            "sale_pay": pay.json(),
            "sale_confirm": confirm.json(),
            "sale_next": next.json(),
            "sale_median_first_tenth_ms": ms(first.median),
            "sale_median_last_tenth_ms": ms(last.median),
            "memory": r.memory.iter().map(|&(n, b)| json!({ "after_sales": n, "bytes": b })).collect::<Vec<_>>(),
            "memory_growth_bytes_per_sale": growth,
            "memory_growth_from_sale": base,
            "pending_shown_max": r.pending_seen_max,
            "sync_drained_ms": r.drained_in.map(ms),
            "server_applied": r.server_applied,
            "server_all_applied_ms": r.server_all_in.map(ms),
        }),
    );

    let range = |s: &Stats| format!("min {} ms, median {} ms, max {} ms", ms(s.min), ms(s.median), ms(s.max));
    let pct = |s: &Stats| format!("median {} ms, p90 {} ms, max {} ms", ms(s.median), ms(s.p90), ms(s.max));
    eprintln!();
    eprintln!(
        "app_launch ({profile}{}): zargar-pos under Xvfb through WebDriver",
        if cfg.smoke { ", smoke" } else { "" }
    );
    eprintln!("  launch to interactive sale screen, {} launches:", cfg.launches);
    eprintln!("    fresh data folder (enrolled, shop pulled): {}", range(&fresh));
    eprintln!("    warm relaunch on the same folder:           {}", range(&warm));
    eprintln!("  {} sales by keyboard in one session (launched in {} ms):", cfg.sales, ms(r.sales_app_launch));
    eprintln!("    scan → invoice:        {}", pct(&sale));
    eprintln!("      tag+Enter → line:    {}", pct(&scan));
    eprintln!("      F8, Enter → can F10: {}", pct(&pay));
    eprintln!("      F10 → invoice:       {}", pct(&confirm));
    eprintln!("    Esc → scan field:      {}", pct(&next));
    eprintln!("    median of the first {tenth}: {} ms, of the last {tenth}: {} ms", ms(first.median), ms(last.median));
    let mem: Vec<String> = r.memory.iter().map(|&(n, b)| format!("{n}: {} MB", mb(b))).collect();
    eprintln!("  memory (app + WebKit processes) after sales {}", mem.join(", "));
    if let Some(g) = growth {
        eprintln!("    growth from sale {base} to {}: {g} bytes per sale", cfg.sales);
    }
    eprintln!(
        "  sync after the last invoice: the bar showed {} pending after the last sale (at most {}), 0 from {}; \
         server has {}/{} applied{}",
        r.pending_at_last_sale.as_deref().unwrap_or("?"),
        r.pending_seen_max,
        r.drained_in.map_or_else(|| format!("never within {} s", DRAIN.as_secs()), |d| format!("{} ms", ms(d))),
        r.server_applied,
        cfg.sales,
        r.server_all_in.map_or_else(String::new, |d| format!(" ({} ms after the last invoice)", ms(d))),
    );
}

fn main() -> anyhow::Result<()> {
    let cfg = config()?;
    if cfg.smoke {
        eprintln!("app_launch: smoke run (use `cargo bench -p zargar-e2e --bench app_launch` for numbers)");
    }
    // Builds the UI, the app, `zargar` and `zargar-server` before any clock starts.
    let binary = app_binary();
    let profile = if zargar_e2e::bin_dir().ends_with("release") { "release" } else { "debug" };
    let work = match &cfg.dir {
        Some(d) => tempfile::Builder::new().prefix("app-launch-").tempdir_in(d),
        None => tempfile::Builder::new().prefix("app-launch-").tempdir(),
    }
    .context("a folder for the run")?;
    eprintln!(
        "app_launch: {} launches, {} sales, {} in {}",
        cfg.launches,
        cfg.sales,
        binary.display(),
        work.path().display()
    );

    // ---- setup, untimed: a server with a shop, and the tills' folders.
    let server = Server::start(work.path());
    let tags: Vec<String> = (1..=cfg.sales.saturating_add(20).max(120)).map(|n| format!("RING-{n}")).collect();
    let shop = server.shop("طلافروشی سنجش", &tags, work.path());
    let homes: Vec<PathBuf> = (1..=cfg.launches)
        .map(|i| prepare(&server, shop, &work.path().join(format!("launch-{i}")), &format!("till-launch-{i}")))
        .collect();
    let sales_home = prepare(&server, shop, &work.path().join("sales"), "till-app");
    let display = Display::start();

    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let mut report = Report::default();
    rt.block_on(async {
        launches(&cfg, &display, &homes, &mut report).await;
        sales(&cfg, &display, &server, shop, &sales_home, &mut report).await;
    });
    summary(&cfg, profile, &report);

    if report.server_applied < cfg.sales {
        bail!(
            "the server has {} of the {} sales applied {} s after the last",
            report.server_applied,
            cfg.sales,
            DRAIN.as_secs()
        );
    }
    if report.drained_in.is_none() {
        bail!("the status bar still counted sales pending {} s after the last sale", DRAIN.as_secs());
    }
    Ok(())
}

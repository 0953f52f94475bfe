//! How long recording a sale takes next to the cheapest durable write the
//! same disk allows: a bare single-row INSERT+COMMIT with the same pragmas.
//!
//! Prints one JSON object on stdout and a one-line summary on stderr. The
//! target is the sale's p99 within 2× the bare insert's; it is reported,
//! never asserted: a benchmark fails only when the store is wrong.
//!
//! `ZARGAR_BENCH_N` or `--n N` sets the samples of each kind (default 2000);
//! `ZARGAR_BENCH_DIR` sets where the files go (default: under `target/`).
//! The files must be on a real disk: on tmpfs fsync costs nothing.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../../../tests/src/bench.rs"]
mod bench;

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::Utc;
use rusqlite::{Connection, TransactionBehavior};
use serde_json::json;
use zargar_core::Store;
use zargar_core::gold_price::PriceEntry;
use zargar_core::rules::money::Rial;
use zargar_core::sale::{PaymentInput, PaymentMethod, SaleRequest};
use zargar_core::store::PRAGMAS;

use bench::{display, fs_type, nearest_rank};

type BenchResult<T> = Result<T, Box<dyn Error>>;

const DEFAULT_N: usize = 2000;
/// Samples when run as a test rather than a benchmark.
const SMOKE_N: usize = 20;
/// Samples of each kind run and discarded first: caches, WAL growth.
const WARMUP: usize = 50;
/// The target: the sale's p99 at most this many times the bare insert's.
const TARGET_RATIO: u64 = 2;

fn main() -> BenchResult<()> {
    let (n, smoke) = sample_count()?;
    let total = WARMUP + n;

    let base = match std::env::var_os("ZARGAR_BENCH_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    };
    std::fs::create_dir_all(&base)?;
    // A fresh directory each run: no sales left over from the last one.
    let dir = tempfile::Builder::new().prefix("zargar-bench-").tempdir_in(&base)?;
    let dir_path = dir.path().canonicalize()?;
    let fs = fs_type(&dir_path).unwrap_or_else(|| "unknown".to_owned());
    if fs == "tmpfs" || fs == "ramfs" {
        eprintln!("warning: {} is on {fs}; fsync is free there, the numbers mean nothing", dir_path.display());
    }

    // Two phases of `total` sales each, so twice the items.
    let mut store = open_store(&dir_path.join("till.sqlite"), 2 * total)?;
    let mut bare = open_bare(&dir_path.join("bare.sqlite"))?;

    // As the till runs: the app checkpoints the log while it is idle
    // between sales (`Store::checkpoint`), so no sale pays for it. Both
    // kinds get the same untimed checkpoint.
    let idle = run_phase(&mut store, &mut bare, 0, total, true)?;
    // A burst with no idle moment: SQLite's automatic checkpoint (every
    // 1000 log pages) then lands inside some commits, ~1 in 45 sales.
    let burst = run_phase(&mut store, &mut bare, total, total, false)?;
    let total = 2 * total;

    // Correctness, not time: every sale is there and the journal chains.
    let now = Utc::now();
    let sales = store.status(now)?.sales;
    if sales != total as u64 {
        return Err(format!("store holds {sales} sales, expected {total}").into());
    }
    let entries = match store.verify_journal()? {
        Ok(entries) => entries,
        Err(broken) => return Err(format!("journal broken after the benchmark: {broken:?}").into()),
    };
    let rows: i64 = bare.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?;
    if usize::try_from(rows).ok() != Some(total) {
        return Err(format!("bare table holds {rows} rows, expected {total}").into());
    }

    let [sale, quote, insert] = idle;
    let [burst_sale, _, burst_insert] = burst;
    let ratio = ratio_hundredths(sale.p99, insert.p99);
    let met = sale.p99 <= insert.p99.saturating_mul(TARGET_RATIO);
    let out = json!({
        "n": n,
        "warmup": WARMUP,
        "dir": dir_path.display().to_string(),
        "fs": fs,
        "sqlite": rusqlite::version(),
        "record_sale_us": sale.json(),
        "bare_insert_us": insert.json(),
        "quote_sale_us": quote.json(),
        "p99_ratio": display(ratio, 100),
        "p50_ratio": display(ratio_hundredths(sale.p50, insert.p50), 100),
        "target_p99_ratio_max": TARGET_RATIO,
        // A debug-build smoke run under `cargo test` measures nothing.
        "target_met": if smoke { serde_json::Value::Null } else { met.into() },
        "smoke": smoke,
        "burst": {
            "record_sale_us": burst_sale.json(),
            "bare_insert_us": burst_insert.json(),
            "p99_ratio": display(ratio_hundredths(burst_sale.p99, burst_insert.p99), 100),
        },
        "journal_entries": entries,
    });
    println!("{}", serde_json::to_string(&out)?);
    eprintln!(
        "record_sale p50 {} µs p99 {} µs | bare insert p50 {} µs p99 {} µs | quote p50 {} µs | p99 ratio {}.{:02} (target ≤ {TARGET_RATIO}: {}) | n={n} on {fs}",
        micros(sale.p50),
        micros(sale.p99),
        micros(insert.p50),
        micros(insert.p99),
        micros(quote.p50),
        ratio / 100,
        ratio % 100,
        if smoke {
            "smoke run"
        } else if met {
            "met"
        } else {
            "NOT met"
        },
    );
    Ok(())
}

/// Interleaves `count` sales with `count` bare inserts, starting at item
/// `first`; returns the stats of the samples after the warm-up: sale,
/// quote, insert.
fn run_phase(
    store: &mut Store,
    bare: &mut Connection,
    first: usize,
    count: usize,
    idle_checkpoint: bool,
) -> BenchResult<[Stats; 3]> {
    let cash = PaymentInput { method: PaymentMethod::Cash, amount: Rial::from_i64(10_000_000_000) };
    let kept = count.saturating_sub(WARMUP);
    let (mut sale_ns, mut quote_ns, mut insert_ns) =
        (Vec::with_capacity(kept), Vec::with_capacity(kept), Vec::with_capacity(kept));
    // Interleaved, so the disk's mood over time (writeback, other tenants)
    // falls on both kinds alike.
    for i in 0..count {
        let req = SaleRequest { items: vec![tag(first + i)], payments: vec![cash], ..SaleRequest::default() };
        let now = Utc::now();

        // The read and pricing part of a sale, without the write: what the
        // sale costs before its statements and its fsync.
        let t = Instant::now();
        store.quote_sale(&req, now)?;
        let quote = elapsed_ns(t);

        let t = Instant::now();
        store.record_sale(&req, now)?;
        let sale = elapsed_ns(t);

        let payload = format!("sample {i} at {now}");
        let t = Instant::now();
        let tx = bare.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.prepare_cached("INSERT INTO t (payload) VALUES (?1)")?.execute([&payload])?;
        tx.commit()?;
        let insert = elapsed_ns(t);

        if idle_checkpoint {
            store.checkpoint()?;
            bare.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        }
        if i >= WARMUP {
            quote_ns.push(quote);
            sale_ns.push(sale);
            insert_ns.push(insert);
        }
    }
    Ok([Stats::of(sale_ns), Stats::of(quote_ns), Stats::of(insert_ns)])
}

/// `--n N` (or `--n=N`) beats `ZARGAR_BENCH_N`; other arguments, such as the
/// `--bench` cargo passes, are ignored.
fn sample_count() -> BenchResult<(usize, bool)> {
    let mut args = std::env::args().skip(1);
    let mut from_args = None;
    while let Some(a) = args.next() {
        if a == "--n" {
            from_args = args.next();
        } else if let Some(v) = a.strip_prefix("--n=") {
            from_args = Some(v.to_owned());
        }
    }
    let raw = from_args.or_else(|| std::env::var("ZARGAR_BENCH_N").ok());
    // `cargo test --all-targets` runs this without `--bench`, in a debug
    // build: a short smoke run that checks the store, not a measurement.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let n = match raw {
        Some(s) => s.trim().parse().map_err(|_| format!("sample count {s:?} is not a number"))?,
        None if smoke => SMOKE_N,
        None => DEFAULT_N,
    };
    if smoke {
        eprintln!("record_sale: smoke run of {n} (use `cargo bench` for numbers)");
    }
    if n == 0 {
        return Err("sample count must be at least 1".into());
    }
    Ok((n, smoke))
}

/// A till with a gold price and one in-stock piece per sale to come.
fn open_store(path: &Path, items: usize) -> BenchResult<Store> {
    let now = Utc::now();
    let mut store = Store::open(path)?;
    store.init_device("bench", now)?;
    store.set_gold_price(PriceEntry::PerGram18k(Rial::from_i64(80_000_000)), now)?;
    let mut csv = String::from("tag,name,weight,purity,wage_percent\n");
    for i in 0..items {
        csv.push_str(&format!("{},ring {i},5.23,750,15\n", tag(i)));
    }
    store.import_items(csv.as_bytes(), now)?;
    Ok(store)
}

fn open_bare(path: &Path) -> BenchResult<Connection> {
    let conn = Connection::open(path)?;
    conn.execute_batch(PRAGMAS)?;
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")?;
    Ok(conn)
}

fn tag(i: usize) -> String {
    format!("B{:06}", i + 1)
}

fn elapsed_ns(t: Instant) -> u64 {
    u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// Latency percentiles in nanoseconds.
#[derive(Debug, Clone, Copy)]
struct Stats {
    p50: u64,
    p99: u64,
    max: u64,
    mean: u64,
}

impl Stats {
    fn of(mut ns: Vec<u64>) -> Stats {
        ns.sort_unstable();
        let sum: u128 = ns.iter().map(|&v| u128::from(v)).sum();
        let mean = u64::try_from(sum / ns.len().max(1) as u128).unwrap_or(u64::MAX);
        Stats { p50: nearest_rank(&ns, 50), p99: nearest_rank(&ns, 99), max: ns.last().copied().unwrap_or(0), mean }
    }

    fn json(self) -> serde_json::Value {
        let us = |ns: u64| display(ns.saturating_add(50) / 100, 10);
        json!({ "p50": us(self.p50), "p99": us(self.p99), "max": us(self.max), "mean": us(self.mean) })
    }
}

fn ratio_hundredths(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * 100 / u128::from(b.max(1));
    u64::try_from(r).unwrap_or(u64::MAX)
}

fn micros(ns: u64) -> u64 {
    ns.saturating_add(500) / 1000
}

//! A regular customer's account after years at the shop: 10,000 movements
//! (payments, gold kept as credit, conversions, on-account sales' parts) on
//! a real SQLite file. Measures the balance and the whole statement (every
//! movement with the balances after it) as the till reads them, and checks
//! the statement adds up to the balance.
//!
//! Prints one JSON object on stdout and a summary on stderr. The target,
//! reported and never asserted: both within 50 ms at p99.
//!
//! `--movements N` (10,000) and `--runs N` (50). `cargo test` runs it
//! without `--bench`: 200 movements and 5 runs, a smoke run of the store.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../../../tests/src/bench.rs"]
mod bench;

use std::error::Error;
use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use serde_json::json;
use zargar_core::Store;
use zargar_core::account::{Balance, GoldMg, MoveRequest};
use zargar_core::customer::NewCustomer;
use zargar_core::gold_price::PriceEntry;
use zargar_core::rules::measure::{Purity, Weight};
use zargar_core::rules::money::{Percent, Rial};
use zargar_core::sale::PaymentMethod;

use bench::{display, nearest_rank};

type BenchResult<T> = Result<T, Box<dyn Error>>;

const TARGET_MS: u64 = 50;
const MOBILE: &str = "09121234567";

fn main() -> BenchResult<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let smoke = !args.iter().any(|a| a == "--bench");
    let (mut movements, mut runs) = if smoke { (200, 5) } else { (10_000, 50) };
    for (name, value) in bench::options(&args, &["--movements", "--runs"])? {
        let n: usize = value.trim().parse().map_err(|_| format!("{name} {value:?} is not a number"))?;
        match name.as_str() {
            "--movements" => movements = n.max(1),
            _ => runs = n.max(1),
        }
    }
    let dir = tempfile::tempdir()?;
    let start = Utc.with_ymd_and_hms(2023, 3, 21, 9, 0, 0).single().ok_or("time")?;
    let mut store = Store::open(&dir.path().join("till.db"))?;
    store.init_device("صندوق ۱", start)?;
    store.set_gold_price(PriceEntry::PerGram18k(Rial::from_i64(80_000_000)), start)?;
    store.add_customer(&NewCustomer::parse("زهرا احمدی", Some(MOBILE), None)?, start)?;
    // Setup only: no fsync per movement, so 10,000 of them take seconds.
    store.connection().pragma_update(None, "synchronous", "OFF")?;
    let t = Instant::now();
    for i in 0..movements {
        let at = start + Duration::hours(i as i64);
        let req = match i % 4 {
            0 => MoveRequest::GoldIn {
                weight: Weight::from_milligrams(1_000 + (i as i64 % 900)).ok_or("weight")?,
                purity: Purity::K18,
                deduction: Some(Percent::ZERO),
            },
            1 => MoveRequest::Payment { method: PaymentMethod::Card, amount: Rial::from_i64(5_000_000) },
            2 => MoveRequest::GoldToRial { gold: GoldMg::from_mg(500) },
            _ => MoveRequest::Payout { method: PaymentMethod::Transfer, amount: Rial::from_i64(1_000_000) },
        };
        store.record_account_move(MOBILE, req, None, None, at)?;
    }
    eprintln!("account_statement: {movements} movements recorded in {}", bench::secs(t.elapsed()));

    let (mut balance_us, mut statement_us) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    let mut last: Option<(Balance, usize)> = None;
    for _ in 0..runs {
        let t = Instant::now();
        let (_, b) = store.account_balance(MOBILE)?;
        balance_us.push(t.elapsed().as_micros() as u64);
        let t = Instant::now();
        let s = store.statement(MOBILE)?;
        statement_us.push(t.elapsed().as_micros() as u64);
        if s.balance != b || s.lines.len() != movements {
            return Err(format!(
                "the statement ({:?}, {} lines) disagrees with the balance {b:?}",
                s.balance,
                s.lines.len()
            )
            .into());
        }
        last = Some((b, s.lines.len()));
    }
    balance_us.sort_unstable();
    statement_us.sort_unstable();
    let ms = |us: u64| display(us, 1000);
    let (b50, b99) = (nearest_rank(&balance_us, 50), nearest_rank(&balance_us, 99));
    let (s50, s99) = (nearest_rank(&statement_us, 50), nearest_rank(&statement_us, 99));
    let met = b99 <= TARGET_MS * 1000 && s99 <= TARGET_MS * 1000;
    let (balance, lines) = last.ok_or("no run")?;
    eprintln!(
        "account_statement: {lines} movements; balance p50 {} ms p99 {} ms; statement p50 {} ms p99 {} ms; target ≤ {TARGET_MS} ms: {}",
        ms(b50),
        ms(b99),
        ms(s50),
        ms(s99),
        if smoke {
            "smoke run"
        } else if met {
            "met"
        } else {
            "NOT met"
        }
    );
    println!(
        "{}",
        json!({
            "movements": lines, "runs": runs,
            "balance_p50_ms": ms(b50), "balance_p99_ms": ms(b99),
            "statement_p50_ms": ms(s50), "statement_p99_ms": ms(s99),
            "balance_rial": balance.rial.to_string(), "balance_gold_mg": balance.gold.mg(),
            "target_met": if smoke { serde_json::Value::Null } else { met.into() },
        })
    );
    Ok(())
}

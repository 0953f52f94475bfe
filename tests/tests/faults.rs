//! Five tills sell and sync through a proxy that drops requests, drops
//! answers after the server committed, delays, answers 503 and 429, and
//! cuts bodies in the middle: 500 randomized sync rounds. Then every sale is
//! on the server exactly once, every payment on a customer's account counts
//! once (each till's customer's balance, seen at another till, is the sum of
//! what was paid), and every till has everything it recorded acknowledged.

#![allow(clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zargar_e2e::proxy::{FaultProxy, Faults};
use zargar_e2e::{Server, Till};

const TILLS: usize = 5;
const ROUNDS_PER_TILL: usize = 100;
const PIECES_PER_TILL: usize = 40;

#[test]
fn five_tills_through_faults_get_every_sale_on_the_server_exactly_once() {
    let seed = zargar_e2e::fault_seed();
    eprintln!("fault seed {seed} (ZARGAR_E2E_SEED={seed} replays the faults)");
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(tmp.path());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let proxy = rt.block_on(FaultProxy::start(server.addr, seed)).expect("proxy");

    let tags = |till: usize| -> Vec<String> { (0..PIECES_PER_TILL).map(|n| format!("T{till}-{n:03}")).collect() };
    let all_tags: Vec<String> = (0..TILLS).flat_map(tags).collect();
    let shop = server.shop("طلای پایدار", &all_tags, tmp.path());
    // Each till's first sync is before any fault.
    let tills: Vec<Till> = (0..TILLS)
        .map(|i| {
            Till::enrolled(&tmp.path().join(format!("till{i}")), &format!("till {i}"), &proxy.url(), &server, shop)
        })
        .collect();

    // Each till has a customer of its own who pays on account as it goes.
    let mobile = |i: usize| format!("0912000000{i}");
    for (i, t) in tills.iter().enumerate() {
        t.ok(&["customer", "add", "--name", &format!("مشتری {i}"), "--mobile", &mobile(i)]);
        t.sync_until_clean();
    }

    proxy.set_faults(Faults::chaos(150));
    let tills = Arc::new(tills);
    let workers: Vec<_> = (0..TILLS)
        .map(|i| {
            let tills = Arc::clone(&tills);
            let mut own = tags(i);
            std::thread::spawn(move || {
                let till = &tills[i];
                let mut rng = StdRng::seed_from_u64(seed.wrapping_add(i as u64));
                let mut sold = BTreeSet::new();
                let mut failures: BTreeMap<String, u64> = BTreeMap::new();
                let mut duplicates = 0u64;
                let mut paid = 0i64;
                for _ in 0..ROUNDS_PER_TILL {
                    if rng.random_range(0..3) == 0 {
                        let amount = rng.random_range(1..=1000) * 1000;
                        let customer = format!("0912000000{i}");
                        till.ok(&["account", "pay", &customer, "--amount", &amount.to_string(), "--method", "card"]);
                        paid += amount;
                    }
                    if rng.random_range(0..3) == 0 && !own.is_empty() {
                        let n = rng.random_range(1..=2).min(own.len());
                        let pieces: Vec<String> = own.drain(..n).collect();
                        let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
                        let sale = till.sell(&refs);
                        sold.insert(sale["id"].as_str().expect("sale id").to_owned());
                    }
                    // Small batches: a round is several pushes, so faults land
                    // between them as well as inside them.
                    let batch = rng.random_range(1..=4).to_string();
                    let out = till.run(&["--json", "sync", "--batch", &batch]);
                    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
                    if out.status.success() {
                        duplicates += v["round"]["duplicates"].as_u64().unwrap_or(0);
                    } else {
                        let code = v["error"]["code"].as_str().unwrap_or("unreadable").to_owned();
                        *failures.entry(code).or_default() += 1;
                    }
                }
                (sold, failures, duplicates, paid)
            })
        })
        .collect();
    let mut sold_by: Vec<BTreeSet<String>> = Vec::new();
    let mut failures: BTreeMap<String, u64> = BTreeMap::new();
    let mut duplicates = 0;
    let mut paid_at: Vec<i64> = Vec::new();
    for w in workers {
        let (sold, f, d, paid) = w.join().expect("till thread");
        sold_by.push(sold);
        paid_at.push(paid);
        for (k, v) in f {
            *failures.entry(k).or_default() += v;
        }
        duplicates += d;
    }
    let stats = proxy.stats();
    eprintln!(
        "{} rounds; failed rounds by code: {failures:?}; duplicates answered: {duplicates}",
        TILLS * ROUNDS_PER_TILL
    );
    eprintln!("proxy: {stats:?}");
    // The faults really happened, each kind of them.
    assert!(stats.dropped_requests > 0 && stats.dropped_responses > 0 && stats.delayed > 0, "{stats:?}");
    assert!(stats.unavailable > 0 && stats.too_many > 0 && stats.cut_requests > 0 && stats.cut_responses > 0);
    assert!(failures.values().sum::<u64>() > 0, "no round failed: the faults did not bite");

    // The network heals; every till finishes.
    proxy.set_faults(Faults::none());
    for t in tills.iter() {
        t.sync_until_clean();
    }

    let rows = server.owner(shop).export(&server);
    let mut lines = BTreeSet::new();
    let mut on_server: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &rows {
        let sale = r["sale_id"].as_str().expect("sale id").to_owned();
        assert!(lines.insert((sale.clone(), r["line_no"].as_u64())), "line twice on the server: {r}");
        assert_eq!(r["sync_status"], "applied", "{r}");
        on_server.entry(r["device_id"].as_str().expect("device").to_owned()).or_default().insert(sale);
    }
    let total: usize = sold_by.iter().map(BTreeSet::len).sum();
    assert!(total > 100, "the tills sold {total} times only");
    for (t, sold) in tills.iter().zip(&sold_by) {
        let status = t.status();
        let device = status["device_id"].as_str().expect("device").to_owned();
        assert_eq!(
            on_server.get(&device).cloned().unwrap_or_default(),
            *sold,
            "{}: server has exactly its sales",
            t.name
        );
        assert_eq!(status["pending"], 0, "{}: {status}", t.name);
        assert_eq!(status["conflicts"], 0, "{}", t.name);
        assert_eq!(status["rejected"], 0, "{}", t.name);
        let sales = t.sales();
        assert_eq!(sales.len(), sold.len());
        assert!(sales.iter().all(|s| s["sync"] == "acked"), "{}: every sale acknowledged", t.name);
        t.ok(&["verify-journal"]);
    }
    // Every payment counted once: seen from the next till (after one more
    // round, for what the tills after it sent), each customer's balance is
    // what was paid at their own till.
    for t in tills.iter() {
        t.sync_until_clean();
    }
    for (i, paid) in paid_at.iter().enumerate() {
        let other = &tills[(i + 1) % TILLS];
        let b = other.json(&["account", "balance", &mobile(i)]);
        let seen: i64 = b["balance"]["rial"].as_str().expect("rial").parse().expect("rials");
        assert_eq!(seen, *paid, "customer {i}'s payments, counted at {}", other.name);
    }
    eprintln!(
        "{total} sales, {} lines, each on the server once; {} Rials paid on account",
        rows.len(),
        paid_at.iter().sum::<i64>()
    );
}

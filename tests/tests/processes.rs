//! Two server processes on one database behind a load balancer (the fault
//! proxy, sending each new connection to one of them at random) that also
//! drops requests and answers, delays, and cuts bodies. Four real tills
//! sell their own pieces and sync over and over; two of them sold the same
//! pieces while offline from each other. Mid-way one server process is
//! killed (SIGKILL), taken out of the rotation, and started again: the
//! other carries on. Then every sale is on the server exactly once and each
//! piece sold twice is one applied sale and one conflict.

#![allow(clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use zargar_e2e::proxy::{FaultProxy, Faults};
use zargar_e2e::{Server, Till, wait_until};

const TILLS: usize = 4;
const ROUNDS_PER_TILL: u64 = 100;
const PIECES_PER_TILL: usize = 40;
/// Pieces tills 0 and 1 both sell, offline from each other.
const DOUBLE_SOLD: usize = 5;

fn own_tags(till: usize) -> Vec<String> {
    (0..PIECES_PER_TILL).map(|n| format!("T{till}-{n:03}")).collect()
}

fn double_tags() -> Vec<String> {
    (0..DOUBLE_SOLD).map(|n| format!("DUP-{n}")).collect()
}

/// A sale as the till saved it: its id and the tags of its lines.
type Sold = BTreeMap<String, Vec<String>>;

fn record(sold: &mut Sold, sale: &Value) {
    let id = sale["id"].as_str().expect("sale id").to_owned();
    let tags = sale["lines"].as_array().expect("lines").iter().map(|l| l["tag"].as_str().expect("tag").to_owned());
    assert!(sold.insert(id, tags.collect()).is_none(), "a sale id twice: {sale}");
}

/// What the worker threads tell the test while they run.
#[derive(Debug, Default)]
struct Progress {
    rounds: AtomicU64,
    synced: AtomicU64,
}

#[test]
fn tills_behind_a_balancer_over_two_server_processes_get_every_sale_on_the_server_once() {
    let started = Instant::now();
    let seed = zargar_e2e::fault_seed();
    eprintln!("seed {seed} (ZARGAR_E2E_SEED={seed} replays the faults and the balancing)");
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(tmp.path());
    let mut second = server.another_process();
    eprintln!("{}; processes on {} and {}", server.backend.describe(), server.addr, second.addr);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let proxy = rt.block_on(FaultProxy::start_balanced(vec![server.addr, second.addr], seed)).expect("proxy");

    let all_tags: Vec<String> = (0..TILLS).flat_map(own_tags).chain(double_tags()).collect();
    let shop = server.shop("طلای دو سرور", &all_tags, tmp.path());
    // Each till's first sync is before any fault.
    let tills: Vec<Till> = (0..TILLS)
        .map(|i| {
            Till::enrolled(&tmp.path().join(format!("till{i}")), &format!("till {i}"), &proxy.url(), &server, shop)
        })
        .collect();
    let routed = proxy.routed();
    assert!(
        routed.get(&server.addr).is_some_and(|n| *n > 0) && routed.get(&second.addr).is_some_and(|n| *n > 0),
        "the balancer used both processes: {routed:?}"
    );

    // Tills 0 and 1 each sell every DUP piece before either syncs again.
    let mut double_sales: BTreeMap<String, Vec<String>> = BTreeMap::new(); // tag -> sale ids
    let mut sold_before: Vec<Sold> = vec![Sold::new(); TILLS];
    for (t, sold) in tills[0..2].iter().zip(&mut sold_before) {
        for tag in double_tags() {
            let sale = t.sell(&[&tag]);
            double_sales.entry(tag).or_default().push(sale["id"].as_str().expect("sale id").to_owned());
            record(sold, &sale);
        }
    }

    proxy.set_faults(Faults::chaos(100));
    let tills = Arc::new(tills);
    let progress = Arc::new(Progress::default());
    let workers: Vec<_> = (0..TILLS)
        .map(|i| {
            let (tills, progress) = (Arc::clone(&tills), Arc::clone(&progress));
            let mut own = own_tags(i);
            let mut sold = sold_before[i].clone();
            std::thread::spawn(move || {
                let till = &tills[i];
                let mut rng = StdRng::seed_from_u64(seed.wrapping_add(i as u64));
                let mut failures: BTreeMap<String, u64> = BTreeMap::new();
                for _ in 0..ROUNDS_PER_TILL {
                    if rng.random_range(0..3) == 0 && !own.is_empty() {
                        let n = rng.random_range(1..=2).min(own.len());
                        let pieces: Vec<String> = own.drain(..n).collect();
                        let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
                        record(&mut sold, &till.sell(&refs));
                    }
                    let batch = rng.random_range(1..=4).to_string();
                    let out = till.run(&["--json", "sync", "--batch", &batch]);
                    if out.status.success() {
                        progress.synced.fetch_add(1, Ordering::SeqCst);
                    } else {
                        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
                        let code = v["error"]["code"].as_str().unwrap_or("unreadable").to_owned();
                        *failures.entry(code).or_default() += 1;
                    }
                    progress.rounds.fetch_add(1, Ordering::SeqCst);
                }
                (sold, failures)
            })
        })
        .collect();

    // A third of the way in, the second process dies mid-traffic.
    let total_rounds = ROUNDS_PER_TILL * TILLS as u64;
    wait_until("a third of the rounds", Duration::from_secs(600), || {
        progress.rounds.load(Ordering::SeqCst) >= total_rounds / 3
    });
    let errors_before = proxy.stats().upstream_errors;
    let dead = second.addr;
    second.kill();
    eprintln!("killed the process on {dead} after {} rounds", progress.rounds.load(Ordering::SeqCst));
    // Still in the rotation for a moment: the balancer sends tills to a dead port.
    wait_until("a connection to the dead process", Duration::from_secs(60), || {
        proxy.stats().upstream_errors > errors_before
    });
    // Its health check fails: out of the rotation. The first process alone
    // carries on: sync rounds keep succeeding.
    proxy.set_upstreams(vec![server.addr]);
    let synced_alone = progress.synced.load(Ordering::SeqCst);
    let routed_alone = proxy.routed();
    wait_until("tills syncing through the remaining process", Duration::from_secs(120), || {
        progress.synced.load(Ordering::SeqCst) >= synced_alone + 2 * TILLS as u64
    });
    assert_eq!(proxy.routed().get(&dead), routed_alone.get(&dead), "nothing was sent to the dead process");
    assert!(
        progress.rounds.load(Ordering::SeqCst) < total_rounds,
        "the tills finished before the process came back: kill it earlier"
    );
    // Started again (on a new port) and back in the rotation.
    let second = server.another_process();
    proxy.set_upstreams(vec![server.addr, second.addr]);
    eprintln!("started it again on {}", second.addr);

    let mut failures: BTreeMap<String, u64> = BTreeMap::new();
    let mut sold_by: Vec<Sold> = Vec::new();
    for w in workers {
        let (sold, f) = w.join().expect("till thread");
        sold_by.push(sold);
        for (code, n) in f {
            *failures.entry(code).or_default() += n;
        }
    }
    let stats = proxy.stats();
    eprintln!("failed rounds by code: {failures:?}");
    eprintln!("proxy: {stats:?}");
    assert!(stats.dropped_requests > 0 && stats.dropped_responses > 0, "{stats:?}");
    assert!(stats.cut_requests > 0 && stats.cut_responses > 0, "{stats:?}");
    assert!(failures.values().sum::<u64>() > 0, "no round failed: the faults did not bite");
    // Faults and a dead process make rounds fail, but neither process ever
    // answers 500: the server's own errors are not part of the weather.
    assert_eq!(failures.get("sync_server_error"), None, "the server answered 500: {failures:?}");

    // The network heals; every till finishes, then pulls what the others sold.
    proxy.set_faults(Faults::none());
    for _ in 0..2 {
        for t in tills.iter() {
            t.sync_until_clean();
        }
    }
    let routed = proxy.routed();
    eprintln!("connections by process: {routed:?}");
    for (addr, what) in [(server.addr, "the first process"), (dead, "the killed one"), (second.addr, "its restart")] {
        assert!(routed.get(&addr).is_some_and(|n| *n > 0), "{what} ({addr}) served nothing: {routed:?}");
    }

    // The server: one row per sale line, each sale of one till.
    let rows = server.owner(shop).export(&server);
    let mut lines: BTreeSet<(String, u64)> = BTreeSet::new();
    let mut device_of: BTreeMap<String, String> = BTreeMap::new();
    let mut on_server: BTreeMap<String, Sold> = BTreeMap::new(); // device -> its sales
    let mut by_tag: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for r in &rows {
        let sale = r["sale_id"].as_str().expect("sale id").to_owned();
        let device = r["device_id"].as_str().expect("device").to_owned();
        let line = r["line_no"].as_u64().expect("line number");
        let tag = r["tag"].as_str().expect("tag").to_owned();
        assert!(lines.insert((sale.clone(), line)), "a sale line twice on the server: {r}");
        let first = device_of.entry(sale.clone()).or_insert_with(|| device.clone());
        assert_eq!(*first, device, "sale {sale} on two devices");
        on_server.entry(device).or_default().entry(sale).or_default().push(tag.clone());
        by_tag.entry(tag).or_default().push(r);
    }

    let recorded_sales: usize = sold_by.iter().map(Sold::len).sum();
    let recorded_lines: usize = sold_by.iter().flat_map(Sold::values).map(Vec::len).sum();
    let mut open_conflicts = 0;
    for (t, sold) in tills.iter().zip(&sold_by) {
        let status = t.status();
        let device = status["device_id"].as_str().expect("device").to_owned();
        let mut server_side = on_server.get(&device).cloned().unwrap_or_default();
        server_side.values_mut().for_each(|tags| tags.sort());
        let mut till_side = sold.clone();
        till_side.values_mut().for_each(|tags| tags.sort());
        assert_eq!(server_side, till_side, "{}: the server has exactly its sales, with their pieces", t.name);
        // The till's own book agrees with what it handed out.
        let sales = t.sales();
        let ids: BTreeSet<&str> = sales.iter().map(|s| s["id"].as_str().expect("id")).collect();
        assert_eq!(ids.len(), sales.len(), "{}: a sale id twice on the till", t.name);
        assert_eq!(ids, sold.keys().map(String::as_str).collect(), "{}: its sales list", t.name);
        for s in &sales {
            let id = s["id"].as_str().expect("id");
            let double = sold[id].iter().any(|tag| tag.starts_with("DUP-"));
            let state = s["sync"].as_str().expect("sync");
            let allowed: &[&str] = if double { &["acked", "conflict"] } else { &["acked"] };
            assert!(allowed.contains(&state), "{}: sale {id} ({:?}) is {state}", t.name, sold[id]);
            assert_eq!(s["items"], sold[id].len(), "{}: {s}", t.name);
        }
        assert_eq!(status["pending"], 0, "{}: {status}", t.name);
        assert_eq!(status["rejected"], 0, "{}: {status}", t.name);
        open_conflicts += t.conflicts(false).into_iter().filter(|c| c["mine"] == true).count();
        t.ok(&["verify-journal"]);
    }
    assert_eq!(rows.len(), recorded_lines, "the export has one row per line the tills recorded");
    assert_eq!(device_of.len(), recorded_sales, "the export has each sale the tills recorded");
    assert!(recorded_sales > 40, "the tills sold {recorded_sales} times only");

    // Each double-sold piece: one applied sale and one conflict, the
    // conflict open on the till that lost it.
    for (tag, sales) in &double_sales {
        let on = &by_tag[tag];
        let mut statuses: Vec<&str> = on.iter().map(|r| r["sync_status"].as_str().expect("status")).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, ["applied", "conflict"], "{tag}: {on:#?}");
        let ids: BTreeSet<&str> = on.iter().map(|r| r["sale_id"].as_str().expect("sale")).collect();
        assert_eq!(ids, sales.iter().map(String::as_str).collect(), "{tag}: the two tills' sales");
    }
    assert_eq!(open_conflicts, DOUBLE_SOLD, "one open conflict per double-sold piece");
    // Every other sold piece: sold once, applied.
    for (tag, on) in &by_tag {
        if !tag.starts_with("DUP-") {
            assert_eq!(on.len(), 1, "{tag} sold {} times", on.len());
            assert_eq!(on[0]["sync_status"], "applied", "{tag}");
        }
    }
    // The server's pieces: sold exactly those.
    let items = server.owner(shop).items(&server);
    for tag in &all_tags {
        let expected = if by_tag.contains_key(tag) { "sold" } else { "in_stock" };
        assert_eq!(items[tag], expected, "{tag} on the server");
        assert_eq!(tills[0].item_status(tag), expected, "{tag} on till 0");
    }
    eprintln!(
        "{recorded_sales} sales, {} lines, each on the server once; {:?} on {}",
        rows.len(),
        started.elapsed(),
        server.backend.describe()
    );
    drop(second);
}

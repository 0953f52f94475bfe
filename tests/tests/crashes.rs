//! Processes killed in the middle of sync: the server (SIGKILL, restarted on
//! the same database) under tills running `zargar sync --watch`, and a till
//! (SIGKILL) in the middle of `zargar sync`. Afterwards every sale is on the
//! server exactly once and every till has it all acknowledged.

#![allow(clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::time::Duration;

use rand::Rng;
use zargar_e2e::proxy::{FaultProxy, Faults};
use zargar_e2e::{Owner, Server, Till, wait_until};

/// The server's sales by till, checking each line is there once and applied.
fn server_sales(owner: &Owner, server: &Server) -> BTreeMap<String, BTreeSet<String>> {
    let mut lines = BTreeSet::new();
    let mut by_till: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in owner.export(server) {
        let sale = r["sale_id"].as_str().expect("sale id").to_owned();
        assert!(lines.insert((sale.clone(), r["line_no"].as_u64())), "line twice on the server: {r}");
        assert_eq!(r["sync_status"], "applied", "{r}");
        by_till.entry(r["device_id"].as_str().expect("device").to_owned()).or_default().insert(sale);
    }
    by_till
}

fn till_sales(t: &Till) -> BTreeSet<String> {
    t.sales().iter().map(|s| s["id"].as_str().expect("id").to_owned()).collect()
}

fn assert_all_acknowledged(t: &Till) {
    let s = t.status();
    assert_eq!(s["pending"], 0, "{}: {s}", t.name);
    assert_eq!(s["conflicts"], 0, "{}: {s}", t.name);
    assert_eq!(s["rejected"], 0, "{}: {s}", t.name);
    assert!(t.sales().iter().all(|s| s["sync"] == "acked"), "{}", t.name);
    t.ok(&["verify-journal"]);
}

#[test]
fn the_server_killed_and_restarted_under_syncing_tills_loses_and_doubles_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(tmp.path());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    // The tills keep one address; the proxy follows the server to its new port.
    let proxy = rt.block_on(FaultProxy::start(server.addr, 7)).expect("proxy");
    proxy.set_faults(Faults::none());
    let shop = server.shop("گالری طلا", &["X-1".to_owned()], tmp.path());
    let tills: Vec<Till> = (0..3)
        .map(|i| {
            let t =
                Till::enrolled(&tmp.path().join(format!("till{i}")), &format!("till {i}"), &proxy.url(), &server, shop);
            // Offline sales of pieces tagged at the till: 2 ops each.
            t.ok(&["simulate", "--sales", "300", "--prefix", &format!("P{i}")]);
            t
        })
        .collect();

    let mut watchers: Vec<_> = tills
        .iter()
        .map(|t| {
            t.command()
                .args(["--json", "sync", "--watch", "--interval", "1", "--batch", "20"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("watch")
        })
        .collect();
    let mut rng = rand::rng();
    let mut kills = 0;
    let mut mid_sync_kills = 0;
    for _ in 0..4 {
        std::thread::sleep(Duration::from_millis(rng.random_range(150..600)));
        let pending: u64 = tills.iter().map(|t| t.status()["pending"].as_u64().unwrap_or(0)).sum();
        server.kill();
        kills += 1;
        if pending > 0 {
            mid_sync_kills += 1;
        }
        std::thread::sleep(Duration::from_millis(rng.random_range(100..800)));
        server.spawn();
        proxy.set_upstream(server.addr);
    }
    assert!(mid_sync_kills > 0, "every kill came after the tills had finished");
    wait_until("every till to finish syncing", Duration::from_secs(180), || {
        tills.iter().all(|t| t.status()["pending"] == 0)
    });
    // A graceful stop: SIGTERM, and the watcher exits cleanly.
    for w in &mut watchers {
        let _ = Command::new("kill").args(["-TERM", &w.id().to_string()]).status();
        let code = w.wait().expect("watcher exit");
        assert!(code.success(), "sync --watch exited with {code}");
    }
    // One more round each pulls what the others sent last.
    for t in &tills {
        t.sync_until_clean();
    }

    let on_server = server_sales(&server.owner(shop), &server);
    for t in &tills {
        let device = t.status()["device_id"].as_str().expect("device").to_owned();
        let mine = till_sales(t);
        assert_eq!(mine.len(), 300);
        assert_eq!(on_server.get(&device), Some(&mine), "{}: the server has its 300 sales, once each", t.name);
        assert_all_acknowledged(t);
    }
    eprintln!("server killed {kills} times ({mid_sync_kills} with sales in flight)");
}

#[test]
fn a_till_killed_in_the_middle_of_sync_resumes_without_losing_or_doubling() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(tmp.path());
    let shop = server.shop("طلای کاوه", &["X-1".to_owned()], tmp.path());
    let till = Till::enrolled(&tmp.path().join("till"), "till K", &server.url(), &server, shop);
    till.ok(&["simulate", "--sales", "600"]);
    let total = till.status()["pending"].as_u64().expect("pending");
    assert_eq!(total, 1200);

    let mut rng = rand::rng();
    let mut seen_partial = false;
    for _ in 0..6 {
        let mut child = till.command().args(["sync", "--batch", "10"]).spawn().expect("sync");
        std::thread::sleep(Duration::from_millis(rng.random_range(30..300)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let pending = till.status()["pending"].as_u64().expect("pending");
        seen_partial |= pending > 0 && pending < total;
        assert_eq!(till.run(&["verify-journal"]).status.code(), Some(0), "journal after a kill");
    }
    assert!(seen_partial, "no kill landed in the middle of a push");
    till.sync_until_clean();

    let on_server = server_sales(&server.owner(shop), &server);
    let device = till.status()["device_id"].as_str().expect("device").to_owned();
    let mine = till_sales(&till);
    assert_eq!(mine.len(), 600);
    assert_eq!(on_server.get(&device), Some(&mine));
    assert_all_acknowledged(&till);
}

#[test]
fn a_server_restored_from_an_older_backup_gets_the_lost_sales_again_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(tmp.path());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let proxy = rt.block_on(FaultProxy::start(server.addr, 3)).expect("proxy");
    let shop = server.shop("طلای امن", &["X-1".to_owned()], tmp.path());
    let till = Till::enrolled(&tmp.path().join("till"), "till R", &proxy.url(), &server, shop);
    till.ok(&["simulate", "--sales", "40", "--prefix", "OLD"]);
    till.sync_until_clean();

    // The night's backup, then a day of sales the backup does not have.
    server.kill();
    let backup = tmp.path().join("backup");
    server.backend.backup(&backup);
    server.spawn();
    proxy.set_upstream(server.addr);
    till.ok(&["simulate", "--sales", "40", "--prefix", "NEW"]);
    till.sync_until_clean();

    // The disk dies; the backup is restored.
    server.kill();
    server.backend.restore(&backup);
    server.spawn();
    proxy.set_upstream(server.addr);

    // The till's acknowledged ops are unknown to the restored server: it
    // answers 409 with the seq it expects, and the till sends them again.
    let round = till.sync().expect("sync against the restored server");
    assert!(round["round"]["resends"].as_u64() >= Some(1), "{round}");
    till.sync_until_clean();
    let on_server = server_sales(&server.owner(shop), &server);
    let device = till.status()["device_id"].as_str().expect("device").to_owned();
    let mine = till_sales(&till);
    assert_eq!(mine.len(), 80);
    assert_eq!(on_server.get(&device), Some(&mine), "every sale back on the server, once");
    assert_all_acknowledged(&till);
}

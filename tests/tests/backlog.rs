//! A till offline long enough to hold 10,000 pending sales syncs them all in
//! one go, in bounded memory (under 50 MB peak), exactly once.

#![allow(clippy::print_stderr)]

use std::collections::BTreeSet;

use zargar_e2e::{Server, Till};

const SALES: u64 = 10_000;

#[test]
fn ten_thousand_offline_sales_sync_in_one_round_under_50_mb() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(tmp.path());
    let shop = server.shop("طلای دیرپا", &["X-1".to_owned()], tmp.path());
    let till = Till::enrolled(&tmp.path().join("till"), "till L", &server.url(), &server, shop);

    // A long outage: every piece tagged and sold here, none sent.
    till.ok(&["simulate", "--sales", &SALES.to_string()]);
    let status = till.status();
    assert_eq!(status["pending_sales"], SALES);
    assert_eq!(status["pending"], 2 * SALES, "each sale follows its piece's tagging op");

    let round = till.sync().expect("one round sends the whole backlog");
    let peak = round["peak_rss_bytes"].as_u64().expect("peak RSS is reported on Linux");
    eprintln!("round: {}; peak RSS {} KiB", round["round"], peak / 1024);
    assert_eq!(round["round"]["applied"], 2 * SALES);
    assert_eq!(round["round"]["conflicts"], 0);
    assert!(peak < 50 * 1024 * 1024, "peak RSS {peak} bytes");
    assert_eq!(till.status()["pending"], 0);

    let rows = server.owner(shop).export(&server);
    let ids: BTreeSet<&str> = rows.iter().map(|r| r["sale_id"].as_str().expect("id")).collect();
    assert_eq!(rows.len() as u64, SALES, "one line per sale, once each");
    assert_eq!(ids.len() as u64, SALES);
    assert!(rows.iter().all(|r| r["sync_status"] == "applied"));
    let mine: BTreeSet<String> = till.sales().iter().map(|s| s["id"].as_str().expect("id").to_owned()).collect();
    assert_eq!(mine, ids.iter().map(|s| (*s).to_owned()).collect());
}

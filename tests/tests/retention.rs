//! The shop's history over months, with real tills: a server restored from
//! an older backup while the shop went on, and a till that was away longer
//! than the shop keeps its history. In both, every till ends with what the
//! server has, and nothing a till sold is lost.

use std::collections::BTreeMap;

use zargar_e2e::{Owner, Server, Till, rings};

/// Far older than any shop's retention.
const LONG_AGO: &str = "2020-01-01T00:00:00.000000Z";

/// Every piece on the till, by tag, with its status.
fn till_items(t: &Till) -> BTreeMap<String, String> {
    t.json(&["item", "list", "--limit", "100000"])
        .as_array()
        .expect("items")
        .iter()
        .map(|i| (i["tag"].as_str().expect("tag").to_owned(), i["status"].as_str().expect("status").to_owned()))
        .collect()
}

fn till_price(t: &Till) -> String {
    t.json(&["price", "show"])["price"]["per_gram_18k"].as_str().expect("price").to_owned()
}

/// The till holds exactly what the server has: every piece's status, and the price.
fn assert_has_what_the_server_has(t: &Till, owner: &Owner, server: &Server) {
    assert_eq!(till_items(t), owner.items(server), "{}: pieces", t.name);
    assert_eq!(Some(till_price(t).as_str()), owner.gold_price(server)["per_gram_18k"].as_str(), "{}: price", t.name);
}

#[test]
fn a_till_that_pulled_past_a_restored_backup_starts_again_and_misses_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(tmp.path());
    let tags = rings(30);
    let shop = server.shop("طلای امن", &tags, tmp.path());
    let owner = server.owner(shop);
    let url = server.url();
    let seller = Till::enrolled(&tmp.path().join("seller"), "till 1", &url, &server, shop);
    let watcher = Till::enrolled(&tmp.path().join("watcher"), "till 2", &url, &server, shop);
    seller.sell(&["RING-1"]);
    seller.sync_until_clean();

    // The night's backup; the next day's sales reach the watcher.
    server.kill();
    let backup = tmp.path().join("backup");
    server.backend.backup(&backup);
    server.spawn_at(server.addr);
    for tag in &tags[1..6] {
        seller.sell(&[tag]);
    }
    seller.sync_until_clean();
    watcher.sync_until_clean();
    assert_eq!(watcher.item_status("RING-6"), "sold");

    // The disk dies and the backup is restored. Before the watcher is back,
    // the owner sets a price and a third till sells: the restored server
    // writes changes the watcher never saw at places its cursor has passed.
    server.kill();
    server.backend.restore(&backup);
    server.spawn_at(server.addr);
    server.admin(&["price", "set", "--tenant", &shop.to_string(), "83000000"]);
    let third = Till::enrolled(&tmp.path().join("third"), "till 3", &url, &server, shop);
    for tag in &tags[10..20] {
        third.sell(&[tag]);
    }
    third.sync_until_clean();
    // The seller sends the day's sales the server lost, once each.
    seller.sync_until_clean();

    let round = watcher.sync().expect("sync against the restored server");
    assert!(round["round"]["resets"].as_u64() >= Some(1), "the watcher went on from its old cursor: {round}");
    watcher.sync_until_clean();
    for t in [&seller, &watcher, &third] {
        t.sync_until_clean();
        assert_has_what_the_server_has(t, &owner, &server);
    }
    assert_eq!(till_price(&watcher), "83000000");
    let sold = owner.items(&server).values().filter(|s| *s == "sold").count();
    assert_eq!(sold, 6 + 10, "every sale made, on the server");
}

#[test]
fn a_till_away_longer_than_the_shop_keeps_its_history_resyncs_in_full() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(tmp.path());
    let tags = rings(20);
    let shop = server.shop("طلای امن", &tags, tmp.path());
    let owner = server.owner(shop);
    let url = server.url();
    let seller = Till::enrolled(&tmp.path().join("seller"), "till 1", &url, &server, shop);
    let away = Till::enrolled(&tmp.path().join("away"), "till 2", &url, &server, shop);

    // The away till is switched off; the shop sells and the price moves.
    for tag in &tags[..8] {
        seller.sell(&[tag]);
    }
    seller.sync_until_clean();
    server.admin(&["price", "set", "--tenant", &shop.to_string(), "81000000"]);
    server.admin(&["price", "set", "--tenant", &shop.to_string(), "82000000"]);
    seller.sync_until_clean();

    // Four months pass (stopped first, so that no prune runs underneath).
    server.kill();
    server.backend.execute(&format!("UPDATE changes SET at = '{LONG_AGO}'"));
    server.backend.execute(&format!("UPDATE op_results SET received_at = '{LONG_AGO}'"));
    server.spawn_at(server.addr);
    // The day's first sale: the server prunes the shop after it.
    seller.sell(&[&tags[8]]);
    seller.sync_until_clean();
    zargar_e2e::wait_until("the server pruned the shop", std::time::Duration::from_secs(10), || {
        server.metrics().lines().any(|l| {
            l.strip_prefix("zargar_pruned_rows_total{table=\"changes\"} ")
                .is_some_and(|n| n.trim().parse::<u64>().is_ok_and(|n| n > 0))
        })
    });

    // Back: a reset, one full pull, and the till has the shop as it is.
    let round = away.sync().expect("sync after months away");
    assert!(round["round"]["resets"].as_u64() >= Some(1), "{round}");
    assert_has_what_the_server_has(&away, &owner, &server);
    assert_has_what_the_server_has(&seller, &owner, &server);
    assert_eq!(away.item_status("RING-8"), "sold");
    assert_eq!(till_price(&away), "82000000");

    // The seller keeps its sent sales whole for the retention; aged past
    // it, cleanup drops them and never the one not yet sent.
    let before = seller.status();
    assert_eq!(before["acked_kept"], 9, "{before}");
    let conn = rusqlite::Connection::open(seller.db()).expect("till db");
    conn.execute("UPDATE outbox SET acked_at = ?1 WHERE state = 'acked'", [LONG_AGO]).expect("age the outbox");
    drop(conn);
    seller.sell(&[&tags[9]]);
    let cleaned = seller.json(&["cleanup"]);
    assert_eq!(cleaned["compacted"], 9, "{cleaned}");
    let after = seller.status();
    assert_eq!((after["acked_kept"].as_u64(), after["pending"].as_u64()), (Some(0), Some(1)), "{after}");
    assert_eq!(seller.sales().len(), 10, "every sale still on the till");
    seller.ok(&["verify-journal"]);
    seller.sync_until_clean();
    assert_eq!(owner.items(&server)["RING-10"], "sold");
}

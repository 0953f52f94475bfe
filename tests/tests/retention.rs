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

/// A shop of `rings` on a fresh server, with its owner's view; `till`
/// enrols a till of it in a folder of its own.
struct Shop {
    tmp: tempfile::TempDir,
    server: Server,
    id: uuid::Uuid,
    owner: Owner,
    tags: Vec<String>,
}

impl Shop {
    fn open(rings_in_stock: usize) -> Shop {
        let tmp = tempfile::tempdir().expect("tempdir");
        let server = Server::start(tmp.path());
        let tags = rings(rings_in_stock);
        let id = server.shop("طلای امن", &tags, tmp.path());
        let owner = server.owner(id);
        Shop { tmp, server, id, owner, tags }
    }

    fn till(&self, folder: &str, name: &str) -> Till {
        Till::enrolled(&self.tmp.path().join(folder), name, &self.server.url(), &self.server, self.id)
    }
}

#[test]
fn a_till_that_pulled_past_a_restored_backup_starts_again_and_misses_nothing() {
    let mut s = Shop::open(30);
    let seller = s.till("seller", "till 1");
    let watcher = s.till("watcher", "till 2");
    let shop = s.id;
    seller.sell(&["RING-1"]);
    seller.sync_until_clean();

    // The night's backup; the next day's sales reach the watcher.
    s.server.kill();
    let backup = s.tmp.path().join("backup");
    s.server.backend.backup(&backup);
    s.server.spawn_at(s.server.addr);
    for tag in &s.tags[1..6] {
        seller.sell(&[tag]);
    }
    seller.sync_until_clean();
    watcher.sync_until_clean();
    assert_eq!(watcher.item_status("RING-6"), "sold");

    // The disk dies and the backup is restored. Before the watcher is back,
    // the owner sets a price and a third till sells: the restored server
    // writes changes the watcher never saw at places its cursor has passed.
    s.server.kill();
    s.server.backend.restore(&backup);
    s.server.spawn_at(s.server.addr);
    s.server.admin(&["price", "set", "--tenant", &shop.to_string(), "83000000"]);
    let third = s.till("third", "till 3");
    for tag in &s.tags[10..20] {
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
        assert_has_what_the_server_has(t, &s.owner, &s.server);
    }
    assert_eq!(till_price(&watcher), "83000000");
    let sold = s.owner.items(&s.server).values().filter(|s| *s == "sold").count();
    assert_eq!(sold, 6 + 10, "every sale made, on the server");
}

#[test]
fn a_till_away_longer_than_the_shop_keeps_its_history_resyncs_in_full() {
    let mut s = Shop::open(20);
    let seller = s.till("seller", "till 1");
    let away = s.till("away", "till 2");
    let shop = s.id;

    // The away till is switched off; the shop sells and the price moves.
    for tag in &s.tags[..8] {
        seller.sell(&[tag]);
    }
    seller.sync_until_clean();
    s.server.admin(&["price", "set", "--tenant", &shop.to_string(), "81000000"]);
    s.server.admin(&["price", "set", "--tenant", &shop.to_string(), "82000000"]);
    seller.sync_until_clean();

    // Four months pass (stopped first, so that no prune runs underneath).
    s.server.kill();
    s.server.backend.execute(&format!("UPDATE changes SET at = '{LONG_AGO}'"));
    s.server.backend.execute(&format!("UPDATE op_results SET received_at = '{LONG_AGO}'"));
    s.server.spawn_at(s.server.addr);
    // The day's first sale: the server prunes the shop after it.
    seller.sell(&[&s.tags[8]]);
    seller.sync_until_clean();
    zargar_e2e::wait_until("the server pruned the shop", std::time::Duration::from_secs(10), || {
        s.server.metrics().lines().any(|l| {
            l.strip_prefix("zargar_pruned_rows_total{table=\"changes\"} ")
                .is_some_and(|n| n.trim().parse::<u64>().is_ok_and(|n| n > 0))
        })
    });

    // Back: a reset, one full pull, and the till has the shop as it is.
    let round = away.sync().expect("sync after months away");
    assert!(round["round"]["resets"].as_u64() >= Some(1), "{round}");
    assert_has_what_the_server_has(&away, &s.owner, &s.server);
    assert_has_what_the_server_has(&seller, &s.owner, &s.server);
    assert_eq!(away.item_status("RING-8"), "sold");
    assert_eq!(till_price(&away), "82000000");

    // The seller keeps its sent sales whole for the retention; aged past
    // it, cleanup drops them and never the one not yet sent.
    let before = seller.status();
    assert_eq!(before["acked_kept"], 9, "{before}");
    let conn = rusqlite::Connection::open(seller.db()).expect("till db");
    conn.execute("UPDATE outbox SET acked_at = ?1 WHERE state = 'acked'", [LONG_AGO]).expect("age the outbox");
    drop(conn);
    seller.sell(&[&s.tags[9]]);
    let cleaned = seller.json(&["cleanup"]);
    assert_eq!(cleaned["compacted"], 9, "{cleaned}");
    let after = seller.status();
    assert_eq!((after["acked_kept"].as_u64(), after["pending"].as_u64()), (Some(0), Some(1)), "{after}");
    assert_eq!(seller.sales().len(), 10, "every sale still on the till");
    seller.ok(&["verify-journal"]);
    seller.sync_until_clean();
    assert_eq!(s.owner.items(&s.server)["RING-10"], "sold");
}

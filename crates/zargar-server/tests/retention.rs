//! The change log over time: cursors that say nothing of other shops, a
//! server restored from a backup that answers an old cursor with a reset,
//! and retention that prunes what no till needs while a till pulling from
//! the start still gets the whole shop.

mod common;

use std::collections::BTreeMap;

use common::{Server, Till};
use zargar_wire::{ChangeData, PullResponse};

/// Far older than any shop's retention.
const LONG_AGO: &str = "2020-01-01T00:00:00.000000Z";

async fn pull_page(till: &Till, cursor: &str) -> (u16, Option<PullResponse>) {
    let r = till.get(&format!("/api/v1/sync/pull?cursor={cursor}")).await;
    (r.status, (r.status == 200).then(|| serde_json::from_slice(&r.body).expect("page")))
}

/// Pulls from `cursor` to the end: every change given, and the cursor at the end.
async fn pull_from(till: &Till, cursor: &str) -> (Vec<zargar_wire::Change>, String) {
    let mut cursor = cursor.to_owned();
    let mut all = Vec::new();
    for _ in 0..1000 {
        let (status, page) = pull_page(till, &cursor).await;
        let page = page.unwrap_or_else(|| panic!("pull answered {status}"));
        all.extend(page.changes);
        cursor = page.next_cursor;
        if !page.has_more {
            return (all, cursor);
        }
    }
    panic!("pull never ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cursor_says_nothing_of_other_shops() {
    let server = Server::start();
    let (busy_shop, [mut busy]) = server.shop_with("Busy", [("counter 1", "till")]).await;
    let (_, [quiet]) = server.shop_with("Quiet", [("counter 1", "till")]).await;
    let (_, end) = pull_from(&quiet, "").await;

    // The other shop sells all day.
    let (items, price) = busy.pull_priced().await;
    for batch in busy.sales_in_batches(&items[..12], 3, &price) {
        busy.push(&batch).await.push();
    }
    server.admin(&["price", "set", "--tenant", &busy_shop.id.to_string(), "81000000"]);

    // The quiet shop's till sees the same cursor, and nothing new.
    let (status, page) = pull_page(&quiet, &end).await;
    assert_eq!(status, 200);
    let page = page.expect("page");
    assert!(page.changes.is_empty());
    assert_eq!(page.next_cursor, end, "another shop's changes moved this shop's cursor");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restored_from_a_backup_answers_a_cursor_from_after_it_with_a_reset() {
    let mut server = Server::start();
    let (shop, [mut seller, mut watcher]) =
        server.shop_with("Zarrin", [("counter 1", "till"), ("counter 2", "till")]).await;
    let (items, price) = seller.pull_priced().await;
    let op = seller.sale(&items[0..1], &price);
    seller.push(&[op]).await.push();

    // The night's backup; then a day's sales the backup does not have, which
    // the watcher pulls.
    server.kill();
    let backup = server.dir.join("backup");
    server.backend.backup(&backup);
    server.spawn(&[]);
    (seller.base, watcher.base) = (server.base.clone(), server.base.clone());
    for piece in &items[1..6] {
        let op = seller.sale(std::slice::from_ref(piece), &price);
        seller.push(&[op]).await.push();
    }
    let (_, watched) = pull_from(&watcher, "").await;

    // The disk dies; the backup is restored, and the shop goes on: the
    // owner sets a price, and another till sells other pieces, so the log
    // grows past the watcher's cursor with changes it has never seen.
    server.kill();
    server.backend.restore(&backup);
    server.spawn(&[]);
    let mut other = server.till(&shop, "counter 3", "till").await;
    server.admin(&["price", "set", "--tenant", &shop.id.to_string(), "82000000"]);
    let (_, new_price) = other.pull_priced().await;
    for piece in &items[10..20] {
        let op = other.sale(std::slice::from_ref(piece), &new_price);
        other.push(&[op]).await.push();
    }
    watcher.base = server.base.clone();

    // The watcher's cursor is from a log the server no longer has: a reset,
    // and from the start it gets everything the restored server holds.
    let (status, _) = pull_page(&watcher, &watched).await;
    assert_eq!(status, 410, "a cursor from before the restore was taken as if nothing had changed");
    let (changes, _) = pull_from(&watcher, "").await;
    let mut sold = 0;
    let mut last_price = None;
    let mut state = BTreeMap::new();
    for c in changes {
        match c.data {
            ChangeData::Item(i) => {
                state.insert(i.tag.clone(), i.status);
            }
            ChangeData::GoldPrice(p) => last_price = Some(p.per_gram_18k),
            _ => {}
        }
    }
    for i in &items {
        if state.get(&i.tag) == Some(&zargar_wire::ItemStatus::Sold) {
            sold += 1;
        }
    }
    assert_eq!(last_price, Some(common::dec("82000000")));
    assert_eq!(sold, 1 + 10, "the backup's sale and the other till's ten");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_prunes_what_no_till_needs_and_a_till_behind_it_starts_again() {
    let server = Server::start();
    let (shop, [mut seller, lagging]) =
        server.shop_with("Zarrin", [("counter 1", "till"), ("counter 2", "till")]).await;
    let tenant = shop.id.to_string();
    let (_, lagging_at) = pull_from(&lagging, "").await;

    // A month of business: sales, and the price set twice more.
    let (items, price) = seller.pull_priced().await;
    for batch in seller.sales_in_batches(&items[..6], 2, &price) {
        seller.push(&batch).await.push();
    }
    server.admin(&["price", "set", "--tenant", &tenant, "81000000"]);
    server.admin(&["price", "set", "--tenant", &tenant, "82000000"]);
    let (before, seller_at) = pull_from(&seller, "").await;

    // Young rows stay whatever the retention.
    let kept = server.admin(&["prune", "--tenant", &tenant]);
    let kept: serde_json::Value = serde_json::from_str(&kept).expect("prune JSON");
    assert_eq!((kept["changes"].as_u64(), kept["op_results"].as_u64()), (Some(0), Some(0)), "{kept}");

    // Time passes: every row is older than the shop's 90 days.
    server.backend.execute(&format!("UPDATE changes SET at = '{LONG_AGO}'"));
    server.backend.execute(&format!("UPDATE op_results SET received_at = '{LONG_AGO}'"));
    let pruned: serde_json::Value =
        serde_json::from_str(&server.admin(&["prune", "--tenant", &tenant])).expect("prune JSON");
    // Six pieces sold replace their imports; two prices replace the first.
    assert_eq!(pruned["changes"], 6 + 2, "{pruned}");
    assert_eq!(pruned["op_results"], 6, "{pruned}");
    assert!(pruned["floor"].as_u64() > Some(0), "{pruned}");

    // A till pulling from the start still gets the whole shop, once each.
    let (after, _) = pull_from(&lagging_fresh(&server, &shop).await, "").await;
    assert_eq!(after.len(), before.len() - 8);
    let latest = |changes: &[zargar_wire::Change]| {
        let mut items = BTreeMap::new();
        let mut price = None;
        let mut settings = None;
        for c in changes {
            match &c.data {
                ChangeData::Item(i) => {
                    items.insert(i.tag.clone(), i.status);
                }
                ChangeData::GoldPrice(p) => price = Some(p.per_gram_18k),
                ChangeData::Settings(s) => settings = Some(s.clone()),
                ChangeData::Customer(_)
                | ChangeData::Conflict(_)
                | ChangeData::Person(_)
                | ChangeData::AccountMove(_)
                | ChangeData::InstallmentPlan(_)
                | ChangeData::Layaway(_)
                | ChangeData::TaxInvoice(_) => {}
            }
        }
        (items, price, settings)
    };
    assert_eq!(latest(&after), latest(&before), "the state a full pull gives is the same");
    assert_eq!(latest(&after).1, Some(common::dec("82000000")));

    // The till that kept up goes on; the one that fell behind starts again.
    let (status, _) = pull_page(&seller, &seller_at).await;
    assert_eq!(status, 200, "a cursor above the floor goes on");
    let r = lagging.get(&format!("/api/v1/sync/pull?cursor={lagging_at}")).await;
    assert_eq!(r.status, 410, "{}", r.text());
    assert_eq!(r.json()["reset"], true);

    // The owner can see it happened.
    let audit = server.admin(&["audit", "--tenant", &tenant]);
    assert!(audit.contains("retention.prune"), "{audit}");
}

/// A till enrolled now, whose first pull starts from the start.
async fn lagging_fresh(server: &Server, shop: &common::Shop) -> Till {
    server.till(shop, "counter new", "till").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_serving_process_prunes_a_shop_after_its_push_and_counts_it() {
    let mut server = Server::start();
    let (_, [mut seller]) = server.shop_with("Zarrin", [("counter 1", "till")]).await;
    let (items, price) = seller.pull_priced().await;
    let op = seller.sale(&items[0..2], &price);
    seller.push(&[op]).await.push();
    // Stopped first: this process already pruned the shop after that push.
    server.kill();
    server.backend.execute(&format!("UPDATE changes SET at = '{LONG_AGO}'"));
    server.backend.execute(&format!("UPDATE op_results SET received_at = '{LONG_AGO}'"));

    // A fresh process prunes each shop after its first push of the day.
    server.spawn(&[]);
    seller.base = server.base.clone();
    let op = seller.sale(&items[2..3], &price);
    seller.push(&[op]).await.push();
    let base = server.base.clone();
    let metric = async |table: &str| -> u64 {
        let text = common::read(reqwest::get(format!("{base}/metrics")).await.expect("metrics")).await.text();
        let line = format!("zargar_pruned_rows_total{{table=\"{table}\"}} ");
        text.lines().find_map(|l| l.strip_prefix(&line)).and_then(|v| v.trim().parse().ok()).unwrap_or(0)
    };
    let mut seen = (0, 0);
    for _ in 0..100 {
        seen = (metric("changes").await, metric("op_results").await);
        if seen.0 > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // The three pieces sold replace their imports (the third's only just);
    // the first sale's answer goes, the one just given stays.
    assert_eq!(seen, (3, 1), "pruned rows by table on /metrics");
}

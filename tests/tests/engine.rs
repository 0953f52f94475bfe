//! The sync engine as the desktop app runs it (in process, on its own
//! SQLite connection) against the real server behind the fault proxy: the
//! status stream the status bar shows, what wakes it, how it waits, when it
//! stops, and that stopping mid-round loses nothing.

#![allow(clippy::print_stderr)]

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use zargar_core::Store;
use zargar_core::sale::{PaymentInput, PaymentMethod, SaleRequest};
use zargar_core::sync::{EngineState, SyncConfig, SyncEngine, SyncHandle, SyncStatus};
use zargar_e2e::proxy::{FaultProxy, Faults};
use zargar_e2e::{Server, Till};

fn config() -> SyncConfig {
    SyncConfig {
        interval: Duration::from_secs(3600),
        debounce: Duration::from_millis(100),
        backoff_min: Duration::from_millis(200),
        backoff_max: Duration::from_secs(2),
        probe_interval: Duration::from_millis(200),
        ..SyncConfig::default()
    }
}

/// Waits (bounded) for a published status that satisfies `check`.
async fn until(handle: &SyncHandle, what: &str, check: impl Fn(&SyncStatus) -> bool) -> SyncStatus {
    let mut rx = handle.subscribe();
    let wait = async {
        loop {
            let s = rx.borrow_and_update().clone();
            if check(&s) {
                return s;
            }
            if rx.changed().await.is_err() {
                panic!("engine ended while waiting for {what}");
            }
        }
    };
    match tokio::time::timeout(Duration::from_secs(30), wait).await {
        Ok(s) => s,
        Err(_) => panic!("timed out waiting for {what}; last status {:?}", handle.status()),
    }
}

/// Records a sale of `tag` on the cashier's own connection, as the app does.
fn sell(db: &Path, tag: &str) {
    let mut store = Store::open(db).expect("store");
    let due = match store.quote_sale(&SaleRequest { items: vec![tag.into()], ..SaleRequest::default() }, Utc::now()) {
        Ok(q) => q.totals.due,
        Err(zargar_core::StoreError::Settle(zargar_core::error::SettleError::PaymentsShort { due, .. })) => due,
        Err(e) => panic!("quote: {e}"),
    };
    let pay = PaymentInput { method: PaymentMethod::Cash, amount: due };
    store
        .record_sale(
            &SaleRequest { items: vec![tag.into()], payments: vec![pay], ..SaleRequest::default() },
            Utc::now(),
        )
        .expect("sale saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_stream_follows_the_network_and_the_server() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().to_owned();
    let (server, shop, till) = tokio::task::spawn_blocking(move || {
        let server = Server::start(&dir);
        let tags: Vec<String> = (0..20).map(|n| format!("E-{n}")).collect();
        let shop = server.shop("طلای روشن", &tags, &dir);
        let till = Till::init(&dir.join("till"), "till E");
        (server, shop, till)
    })
    .await
    .expect("setup");
    let proxy = FaultProxy::start(server.addr, 11).await.expect("proxy");
    let code = server.enrol_code(shop, "till");
    till.enroll(&proxy.url(), &code);
    let db = till.db();

    // Enrolled: the first round pulls the shop, and the bar says synced.
    let handle = SyncEngine::start(&db, config()).expect("engine");
    let s = until(&handle, "the first round", |s| s.state == EngineState::Idle && s.last_success.is_some()).await;
    assert_eq!(s.online, Some(true));
    assert_eq!(s.shop.as_deref(), Some("طلای روشن"));
    assert_eq!(till.item_status("E-0"), "in_stock");

    // A sale wakes the engine (debounced) and is pushed without a timer.
    let t0 = Utc::now();
    sell(&db, "E-0");
    handle.recorded();
    let s = until(&handle, "the sale pushed", |s| {
        s.pending == 0 && s.state == EngineState::Idle && s.last_success.is_some_and(|t| t > t0)
    })
    .await;
    assert!(s.last_error.is_none());
    assert_eq!(till.item_status("E-0"), "sold", "acknowledged by the server");

    // The network goes down: sales stay pending, the bar says offline with
    // the age of the oldest one, and the engine backs off.
    proxy.set_offline(true);
    sell(&db, "E-1");
    sell(&db, "E-2");
    handle.recorded();
    let s = until(&handle, "offline", |s| s.online == Some(false) && s.state == EngineState::Retrying).await;
    assert_eq!(s.pending, 2);
    assert_eq!(s.pending_sales, 2);
    assert!(s.oldest_pending_sale_at.is_some());
    assert_eq!(s.last_error.as_ref().map(|e| e.code.as_str()), Some("sync_offline"));
    assert!(s.next_attempt.is_some());

    // It comes back: the probe notices and the backlog goes out.
    proxy.set_offline(false);
    let s = until(&handle, "back online", |s| s.pending == 0 && s.state == EngineState::Idle).await;
    assert_eq!(s.online, Some(true));
    assert!(s.last_error.is_none(), "a success clears the error");

    // 429 with Retry-After: the engine waits at least that long.
    proxy.set_faults(Faults { too_many: 1, ..Faults::default() });
    sell(&db, "E-3");
    handle.recorded();
    let s = until(&handle, "slowed down", |s| s.state == EngineState::Retrying).await;
    assert_eq!(s.last_error.as_ref().map(|e| e.code.as_str()), Some("sync_slow_down"));
    let next = s.next_attempt.expect("next attempt");
    let failed_at = s.last_error.as_ref().expect("error").at;
    assert!(next - failed_at >= chrono::Duration::milliseconds(950), "Retry-After: 1 honoured: {failed_at} → {next}");
    proxy.set_faults(Faults::none());
    until(&handle, "recovered", |s| s.pending == 0 && s.state == EngineState::Idle && s.last_success > Some(failed_at))
        .await;

    // Revoked by the owner: the engine stops with a clear reason, the data stays.
    let device = Store::open(&db).expect("store").device().expect("device").device_id;
    server.admin(&["device", "revoke", "--tenant", &shop.to_string(), &device.to_string()]);
    sell(&db, "E-4");
    handle.recorded();
    let s = until(&handle, "stopped", |s| s.state == EngineState::Stopped).await;
    assert_eq!(s.last_error.as_ref().map(|e| e.code.as_str()), Some("sync_revoked"));
    assert_eq!(s.pending, 1, "the unsent sale is kept");
    // Stopped means stopped: no knocking at the server.
    let before = proxy.stats().connections;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(proxy.stats().connections, before);
    handle.shutdown().await;
    // A restarted app remembers why it stopped.
    let again = SyncEngine::start(&db, config()).expect("engine");
    let s = until(&again, "still stopped", |s| s.state == EngineState::Stopped).await;
    assert_eq!(s.last_error.as_ref().map(|e| e.code.as_str()), Some("sync_revoked"));
    again.shutdown().await;
    assert_eq!(till.sales().len(), 5, "every sale is still on the till");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutting_down_mid_round_loses_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().to_owned();
    let (server, shop, till) = tokio::task::spawn_blocking(move || {
        let server = Server::start(&dir);
        let shop = server.shop("طلای آرام", &["X-1".to_owned()], &dir);
        let till = Till::enrolled(&dir.join("till"), "till S", &server.url(), &server, shop);
        till.ok(&["simulate", "--sales", "400"]);
        (server, shop, till)
    })
    .await
    .expect("setup");
    let db = till.db();
    let proxy = FaultProxy::start(server.addr, 5).await.expect("proxy");
    // Slow answers, so the stop lands inside the round.
    proxy.set_faults(Faults { delay: 1, delay_max_ms: 40, ..Faults::default() });
    let mut stops = 0;
    for _ in 0..5 {
        // Point the till at the slow proxy for this engine only.
        let url = proxy.url();
        let db2 = db.clone();
        tokio::task::spawn_blocking(move || {
            let conn = Store::open(&db2).expect("store");
            conn.connection().execute("UPDATE sync_link SET server_url = ?1", [url]).expect("relink");
        })
        .await
        .expect("relink");
        let handle = SyncEngine::start(&db, SyncConfig { batch_ops: 10, ..config() }).expect("engine");
        let s = until(&handle, "pushing", |s| s.progress.is_some_and(|p| p.pushed > 0)).await;
        if s.pending > 0 {
            stops += 1;
        }
        handle.shutdown().await;
    }
    assert!(stops > 0, "no shutdown landed mid-round");
    let left = tokio::task::spawn_blocking(move || {
        till.sync_until_clean();
        let rows = server.owner(shop).export(&server);
        (rows, till.sales().len())
    })
    .await
    .expect("finish");
    let (rows, sales) = left;
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| r["sale_id"].as_str().expect("id")).collect();
    assert_eq!(sales, 400);
    assert_eq!(rows.len(), 400, "each sale once");
    assert_eq!(ids.len(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_the_server_does_not_know_stops_the_engine_until_someone_acts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().to_owned();
    let (server, till) = tokio::task::spawn_blocking(move || {
        let server = Server::start(&dir);
        let shop = server.shop("طلای نو", &["U-1".to_owned()], &dir);
        let till = Till::init(&dir.join("till"), "till U");
        till.enroll(&server.url(), &server.enrol_code(shop, "till"));
        (server, till)
    })
    .await
    .expect("setup");
    let db = till.db();
    // The token was lost on the server side (or tampered with here).
    Store::open(&db)
        .expect("store")
        .connection()
        .execute("UPDATE sync_link SET device_token = 'zgr_' || hex(randomblob(32))", [])
        .expect("token");
    let handle = SyncEngine::start(&db, config()).expect("engine");
    let s = until(&handle, "stopped", |s| s.state == EngineState::Stopped).await;
    assert_eq!(s.last_error.as_ref().map(|e| e.code.as_str()), Some("sync_unauthorized"));
    assert_eq!(till.status()["shop"], "طلای نو", "the link and the data stay; only syncing stops");
    // Asking again tries again (after re-enrolment, say) and stops again, with the same reason.
    handle.sync_now();
    let s = until(&handle, "stopped again", |s| s.state == EngineState::Stopped && s.next_attempt.is_none()).await;
    assert_eq!(s.last_error.as_ref().map(|e| e.code.as_str()), Some("sync_unauthorized"));
    handle.shutdown().await;
    drop(server);
}

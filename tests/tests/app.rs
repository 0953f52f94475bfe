//! The desktop app end to end: a cashier sells by keyboard alone in the
//! real app (WebKitGTK under Xvfb, through WebDriver), the sale syncs to a
//! real server, a second till (the headless `zargar`) sells the same ring,
//! and the owner settles the conflict in Settings; then English. The owner's
//! PIN is chosen at the till's first start, and Settings ask for it.
//!
//! The app reaches the server through a `FaultProxy`, which goes offline
//! so the status bar can be seen counting a sale pending, then synced.

use std::time::Duration;

use zargar_e2e::app::{App, Display, keys, persian_money};
use zargar_e2e::proxy::FaultProxy;
use zargar_e2e::{Server, Till};

const LONG: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cashier_sells_by_keyboard_and_the_owner_settles_a_conflict() {
    let work = tempfile::tempdir().expect("dir");
    let mut server = Server::start(work.path());
    let shop = server.shop("طلافروشی نمونه", &zargar_e2e::rings(6), work.path());
    let proxy = FaultProxy::start(server.addr, 1).await.expect("proxy");

    // The app's till, set up and enrolled the way IT does it: the headless
    // `zargar` on the app's own data folder, through the proxy.
    let data_home = work.path().join("app-home");
    let app_till = Till::init(&App::data_dir(&data_home), "till-app");
    app_till.enroll(&proxy.url(), &server.enrol_code(shop, "till"));
    app_till.sync_until_clean();
    let other = Till::init(&work.path().join("till-b"), "till-b");
    other.enroll(&server.url(), &server.enrol_code(shop, "till"));
    other.sync_until_clean();

    let display = Display::start();
    proxy.set_offline(true);
    let app = App::launch_to(&display, &data_home, "[data-testid=first-run]").await;
    // 0. First start: the owner chooses the PIN before anything else; no
    // function key gets past it.
    app.press(keys::F6).await;
    assert!(app.find_all("[data-testid=first-run]").await.len() == 1, "F6 does not skip the first-run setup");
    app.wait_for("[data-testid=owner-name]", LONG).await.send_keys("مریم").await.expect("name");
    app.wait_for("[data-testid=pin-new]", LONG).await.send_keys("۱۳۷۹").await.expect("pin");
    app.wait_for("[data-testid=pin-confirm]", LONG).await.send_keys("1379").await.expect("pin");
    app.screenshot("first-run").await;
    app.wait_for("[data-testid=pin-save]", LONG).await.click().await.expect("save");
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    assert_eq!(app.client.execute("return document.documentElement.dir", vec![]).await.expect("dir"), "rtl");
    assert_eq!(app.client.execute("return document.documentElement.lang", vec![]).await.expect("lang"), "fa");

    // 1. A sale by keyboard alone while the server is out of reach.
    app.sell_by_keyboard("RING-1").await;
    let invoice_no = app.text("[data-testid=invoice-no]").await;
    assert!(
        invoice_no.contains('۱') && !invoice_no.chars().any(|c| c.is_ascii_digit()),
        "invoice number in Persian digits: {invoice_no}"
    );
    let total_text = app.text("[data-testid=invoice-total]").await;
    assert!(!total_text.chars().any(|c| c.is_ascii_digit()), "total in Persian digits: {total_text}");
    app.screenshot("invoice").await;
    // The status bar counts it pending.
    app.wait_attr("[data-testid=pending-count]", "data-count", LONG, |v| v == Some("1")).await;
    assert!(app.text("[data-testid=pending-count]").await.contains('۱'), "the count in Persian digits");

    // 2. The network returns: the sale reaches the server, and the bar says synced.
    proxy.set_offline(false);
    app.wait_attr("[data-testid=pending-count]", "data-count", LONG, |v| v == Some("0")).await;
    // The harness's HTTP helpers block; keep them off the async workers.
    let exported = tokio::task::block_in_place(|| server.owner(shop).export(&server));
    // The export is one row per sold line; RING-1's sale has one line.
    let line = exported
        .iter()
        .find(|l| l["tag"] == "RING-1" && l["sync_status"] == "applied")
        .unwrap_or_else(|| panic!("RING-1's sale is on the server: {exported:?}"));
    let server_total = line["total"].as_str().expect("total").to_owned();
    assert!(
        total_text.contains(&persian_money(&server_total)),
        "the invoice total {total_text:?} is the server's {server_total} in Persian digits"
    );
    app.wait_attr("[data-testid=last-sync]", "data-at", LONG, |v| v.is_some()).await;

    // 3. Both tills sell RING-2 while the app is offline; the other till syncs first.
    app.press(keys::ESCAPE).await;
    proxy.set_offline(true);
    app.sell_by_keyboard("RING-2").await;
    app.press(keys::ESCAPE).await;
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    app.screenshot("sale").await;
    other.sell(&["RING-2"]);
    other.sync_until_clean();
    proxy.set_offline(false);
    app.wait_attr("[data-testid=conflicts-badge]", "data-count", LONG, |v| v == Some("1")).await;

    // 4. The owner opens Settings (which ask for the PIN set at first start) and voids the app's sale.
    app.press(keys::F6).await;
    app.wait_for("[data-testid=pin-input]", LONG).await.send_keys(&format!("1379{}", keys::ENTER)).await.expect("pin");
    let conflict = app.wait_for("[data-testid=conflict]", LONG).await;
    let kind = conflict.attr("data-kind").await.expect("kind");
    assert_eq!(kind.as_deref(), Some("item_already_sold"));
    let shown = conflict.text().await.expect("text");
    // The till's side (its invoice 2 with RING-2) and the server's (RING-2 sold).
    assert!(shown.contains("RING-2") && shown.contains("۲"), "the till's sale is shown: {shown}");
    let server_side = app.text("[data-testid=conflict] [data-side=server]").await;
    assert!(server_side.contains("RING-2") && server_side.contains("فروخته"), "the server's side: {server_side}");
    app.screenshot("conflicts").await;
    let void = app.wait_for("[data-testid=resolve-void]", LONG).await;
    void.click().await.expect("void");
    // The first press states the money effect; the second makes it.
    let effect = app.text("[data-testid=resolve-effect]").await;
    assert!(effect.contains("پس داده"), "voiding says the customer's money goes back: {effect}");
    app.wait_for("[data-testid=resolve-void]", LONG).await.click().await.expect("confirm void");
    // The badge clears once the server has the decision.
    app.wait_attr("[data-testid=conflicts-badge]", "data-count", LONG, |v| v.is_none() || v == Some("0")).await;
    app.wait_for("[data-testid=conflicts-empty]", LONG).await;
    other.sync_until_clean();
    assert_eq!(other.conflicts(false).len(), 0, "the other till sees it settled too");
    assert_eq!(app_till.item_status("RING-2"), "sold", "RING-2 stays sold (by till B)");

    // 5. English: the whole UI switches language and direction.
    app.wait_for("[data-testid=tab-general]", LONG).await.click().await.expect("general tab");
    app.wait_for("[data-testid=lang-en]", LONG).await.click().await.expect("English");
    app.wait_attr("html", "lang", LONG, |v| v == Some("en")).await;
    assert_eq!(app.client.execute("return document.documentElement.dir", vec![]).await.expect("dir"), "ltr");
    let nav = app.text("[data-screen=sale]").await;
    assert!(nav.contains("Sale"), "{nav}");

    let memory = app.memory();
    eprintln!("app memory (app + WebKit processes): {} MB", memory / 1_000_000);
    app.quit().await;
    server.kill();
}

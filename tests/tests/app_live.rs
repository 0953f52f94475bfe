//! Live sync at the counter, in the real app: a piece another till sells
//! while it lies in this till's cart is flagged on the sale screen ("sold
//! at صندوق ۲"), and a later scan of a piece sold there is refused in the
//! same words. The app's round comes once a minute; it learns of these
//! sales from the server's change notices, which the status bar shows as
//! live.

use std::time::Duration;

use zargar_e2e::app::{App, Display, keys, sample_shop};
use zargar_e2e::{Server, Till, wait_until};

const LONG: Duration = Duration::from_secs(60);

/// Waits (bounded) until nothing matches `css`.
async fn wait_until_gone(app: &App, css: &str) {
    for _ in 0..600 {
        if app.find_all(css).await.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} is still there after 60 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_piece_sold_at_another_till_is_flagged_in_the_cart_and_refused_at_the_scan() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let (shop, home, till) = sample_shop(&server, work.path(), 3, "1379");
    let other = Till::init(&work.path().join("till-2"), "صندوق ۲");
    other.enroll(&server.url(), &server.enrol_code(shop, "till"));
    other.sync_until_clean();

    let display = Display::start();
    let app = App::launch(&display, &home).await;
    app.wait_attr("[data-testid=sync-state]", "data-live", LONG, |v| v == Some("true")).await;
    let bar = app.text("[data-testid=sync-state]").await;
    assert!(bar.contains("زنده"), "the status bar says live: {bar}");

    // 1. RING-1 is in the cart when the other till sells it.
    app.scan("RING-1").await;
    tokio::task::block_in_place(|| {
        other.sell(&["RING-1"]);
        other.sync().expect("the other till pushes its sale");
    });
    let flagged =
        app.wait_text("[data-testid=scan-error]", LONG, |t| t.contains("RING-1") && t.contains("صندوق ۲")).await;
    assert!(flagged.contains("فروخته شده"), "the cart says where it went: {flagged}");
    for (w, h) in [(1024, 768), (1366, 768)] {
        app.resize(w, h).await;
        app.screenshot(&format!("live-sold-elsewhere-in-cart-{w}x{h}")).await;
    }

    // The cashier takes it out of the cart (↓, Delete); the warning goes with it.
    app.press(keys::ARROW_DOWN).await;
    app.press(keys::DELETE).await;
    wait_until_gone(&app, "[data-testid=sale-line][data-tag=\"RING-1\"]").await;
    wait_until_gone(&app, "[data-testid=scan-error]").await;

    // 2. RING-2, sold there first, is refused at the scan, in the same words.
    tokio::task::block_in_place(|| {
        other.sell(&["RING-2"]);
        other.sync().expect("the other till pushes its sale");
        wait_until("this till to hear of RING-2", LONG, || till.item_status("RING-2") == "sold");
    });
    app.press(&format!("RING-2{}", keys::ENTER)).await;
    let refused =
        app.wait_text("[data-testid=scan-error]", LONG, |t| t.contains("RING-2") && t.contains("صندوق ۲")).await;
    assert!(refused.contains("فروخته شده"), "the scan is refused: {refused}");
    assert!(app.find_all("[data-testid=sale-line][data-tag=\"RING-2\"]").await.is_empty(), "RING-2 is not in the cart");
    app.screenshot("live-scan-refused").await;
}

/// A sale larger than the shop lets one till make offline, made while the
/// server is away: the record step asks for the owner's PIN in its place,
/// a wrong PIN records nothing, the right one records the sale, and the
/// server's audit log names the owner once the till is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sale_over_the_offline_limit_asks_for_the_owners_pin() {
    const BACKSPACE: &str = "\u{E003}";
    let work = tempfile::tempdir().expect("dir");
    let mut server = Server::start(work.path());
    let (shop, home, till) = sample_shop(&server, work.path(), 3, "1379");
    let tenant = shop.to_string();
    server.admin(&["settings", "--tenant", &tenant, "--max-offline-sale", "100000000"]);
    till.sync_until_clean();

    // The internet goes down: the till's next round fails.
    server.kill();
    assert!(till.sync().is_err(), "the server is away");

    let display = Display::start();
    let app = App::launch(&display, &home).await;
    app.wait_for("[data-testid=scan-input]", LONG).await;
    app.scan("RING-1").await;
    app.press(keys::F8).await;
    app.press(keys::ENTER).await;
    app.wait_for("[data-testid=sale-screen][data-can-confirm=true]", LONG).await;
    app.press(keys::F10).await;
    let why = app.wait_text("[data-testid=owner-pin-why]", LONG, |t| !t.is_empty()).await;
    assert!(why.contains("رمز مالک") && why.contains("آفلاین"), "the record step asks for the owner's PIN: {why}");
    assert_eq!(app.focused().await.as_deref(), Some("sale-owner-pin"), "the PIN field has the keys");
    for (w, h) in [(1024, 768), (1366, 768)] {
        app.resize(w, h).await;
        assert!(app.placement("[data-testid=owner-pin-confirm]").await.visible_and_clickable(), "at {w}×{h}");
        app.screenshot(&format!("offline-limit-owner-pin-{w}x{h}")).await;
    }

    // A wrong PIN records nothing.
    app.press(&format!("0000{}", keys::ENTER)).await;
    let wrong = app.wait_text("[data-testid=owner-pin-error]", LONG, |t| !t.is_empty()).await;
    assert!(wrong.contains("رمز"), "{wrong}");
    assert!(app.find_all("[data-testid=invoice]").await.is_empty());
    tokio::task::block_in_place(|| assert!(till.sales().is_empty(), "nothing saved on a wrong PIN"));

    // The right one records this sale.
    app.press(&format!("{BACKSPACE}{BACKSPACE}{BACKSPACE}{BACKSPACE}1379{}", keys::ENTER)).await;
    app.wait_for("[data-testid=invoice]", LONG).await;
    let sale = tokio::task::block_in_place(|| {
        assert_eq!(till.sales().len(), 1);
        till.json(&["invoice", "1"])
    });
    assert_eq!(sale["approval"]["by"], "مریم", "{sale}");
    assert_eq!(sale["approval"]["reason"], "offline_sale_limit");

    // The server is back; the sale arrives with the owner's name on it.
    server.spawn_at(server.addr);
    tokio::task::block_in_place(|| {
        wait_until("the sale to reach the server", LONG, || till.status()["pending"] == 0);
        let audit = server.admin(&["audit", "--tenant", &tenant]);
        assert!(audit.contains("sale.owner_approval") && audit.contains("مریم"), "{audit}");
    });
}

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

//! Customers' accounts in the real app (WebKitGTK under Xvfb, through
//! WebDriver). زهرا bought a ring leaving part on her account, paid some,
//! and kept old gold as credit (at this till, with `zargar`). At the
//! counter, F7 opens the customers' accounts; her name finds her; her
//! statement shows every movement with Jalali dates and the balances after
//! it; a payment is taken by keyboard and the balance follows; a payout
//! past her credit is refused in Persian and changes nothing. Screenshots at
//! 1024×768 and 1366×768.

use std::time::Duration;

use zargar_e2e::Server;
use zargar_e2e::app::{App, Display, keys, sample_shop};

const LONG: Duration = Duration::from_secs(60);
const PIN: &str = "1379";
const MOBILE: &str = "09121234567";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customers_statement_and_a_payment_taken_by_keyboard() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let (_, home, till) = sample_shop(&server, work.path(), 3, PIN);
    till.ok(&["customer", "add", "--name", "زهرا احمدی", "--mobile", MOBILE]);
    till.ok(&["account", "limit", MOBILE, "--limit", "300000000"]);
    till.ok(&[
        "sell",
        "--item",
        "RING-1",
        "--customer",
        MOBILE,
        "--pay",
        "cash=1000000000000",
        "--pay",
        "account=150000000",
    ]);
    till.ok(&["account", "pay", MOBILE, "--amount", "50000000", "--method", "card"]);
    till.ok(&["account", "gold-in", MOBILE, "--gold", "4.250,750,0"]);
    till.ok(&["account", "plan", "--invoice", "1", "--count", "3", "--first-due", "1405/10/01"]);
    till.sync_until_clean();

    let display = Display::start();
    let app = App::launch_to(&display, &home, "[data-testid=sale-screen][data-ready=true]").await;
    app.resize(1024, 768).await;
    // On the sale screen F7 is the sale's customer; from any other screen it opens the accounts.
    app.press(keys::F4).await;
    app.press(keys::F7).await;
    app.wait_for("[data-testid=customers-screen]", LONG).await;
    assert_eq!(app.focused().await.as_deref(), Some("account-search"), "the search has the keys");
    app.press("زهرا").await;
    app.wait_for("[data-testid=account-result]", LONG).await;
    app.press(keys::ENTER).await;
    app.wait_text("[data-testid=account-name]", LONG, |t| t.contains("زهرا")).await;
    assert_eq!(app.attr("[data-testid=account-rial]", "data-value").await.as_deref(), Some("-100000000"));
    assert_eq!(app.attr("[data-testid=account-gold]", "data-value").await.as_deref(), Some("4250"));
    assert_eq!(app.find_all("[data-testid=installment]").await.len(), 3, "the plan's three installments");
    let lines = app.find_all("[data-testid=statement-line]").await;
    assert_eq!(lines.len(), 3, "the sale's part, the payment, the gold");
    let first = lines[0].text().await.expect("line");
    assert!(first.contains("۱۴۰"), "a Jalali date: {first}");
    assert!(first.contains("بدهکار"), "the balance's side in words: {first}");
    assert_eq!(app.focused().await.as_deref(), Some("account-action"), "the form has the keys");

    // A payout past what she holds: refused in Persian, nothing saved.
    app.press(&format!("{}{}", keys::ARROW_DOWN, keys::ARROW_DOWN)).await; // payment → installment → payout
    app.type_into("[data-testid=account-amount]", &format!("1000000000{}", keys::ENTER)).await;
    let refused = app.wait_text("[data-testid=account-error]", LONG, |t| !t.is_empty()).await;
    assert!(refused.contains("سقف اعتبار"), "{refused}");
    assert_eq!(app.attr("[data-testid=account-rial]", "data-value").await.as_deref(), Some("-100000000"));

    // A cash payment of 60,000,000, by keyboard.
    app.wait_for("[data-testid=account-action]", LONG).await.click().await.expect("the action");
    app.press(&format!("{}{}", keys::ARROW_UP, keys::ARROW_UP)).await; // back to payment
    app.type_into("[data-testid=account-amount]", &format!("60000000{}", keys::ENTER)).await;
    app.wait_for("[data-testid=account-saved]", LONG).await;
    assert_eq!(app.attr("[data-testid=account-rial]", "data-value").await.as_deref(), Some("-40000000"));
    assert_eq!(app.find_all("[data-testid=statement-line]").await.len(), 4);

    // The first installment of 50,000,000, paid by keyboard towards the plan.
    app.wait_for("[data-testid=account-action]", LONG).await.click().await.expect("the action");
    app.press(keys::ARROW_DOWN).await; // payment → installment
    app.wait_for("[data-testid=account-plan]", LONG).await;
    app.type_into("[data-testid=account-amount]", &format!("50000000{}", keys::ENTER)).await;
    app.wait_attr("[data-testid=account-rial]", "data-value", LONG, |v| v == Some("10000000")).await;
    app.wait_attr("[data-testid=installment]", "data-state", LONG, |v| v == Some("paid")).await;
    for (w, h) in [(1024, 768), (1366, 768)] {
        app.resize(w, h).await;
        for css in ["[data-testid=account-record]", "[data-testid=statement]", "[data-screen=customers]"] {
            assert!(app.placement(css).await.visible_and_clickable(), "{css} at {w}×{h}");
        }
        app.screenshot(&format!("customer-statement-{w}x{h}")).await;
    }
    let conn = rusqlite::Connection::open(till.db()).expect("till db");
    let queued: i64 =
        conn.query_row("SELECT count(*) FROM outbox WHERE kind = 'account.move'", [], |r| r.get(0)).expect("outbox");
    assert_eq!(queued, 4, "each movement goes to the server as its own op, the app's payments too");
    let in_drawer: i64 =
        conn.query_row("SELECT coalesce(sum(amount), 0) FROM cash_moves", [], |r| r.get(0)).expect("cash moves");
    assert_eq!(in_drawer, 110_000_000, "the cash went into the drawer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_piece_put_aside_at_another_till_is_refused_at_this_tills_scan() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let (shop, home, till) = sample_shop(&server, work.path(), 3, PIN);
    let other = zargar_e2e::Till::init(&work.path().join("till-2"), "صندوق ۲");
    other.enroll(&server.url(), &server.enrol_code(shop, "till"));
    other.sync_until_clean();
    other.ok(&["customer", "add", "--name", "زهرا احمدی", "--mobile", MOBILE]);
    other.ok(&["layaway", "add", MOBILE, "--item", "RING-2", "--deposit", "cash=50000000"]);
    other.sync_until_clean();

    let display = Display::start();
    let app = App::launch_to(&display, &home, "[data-testid=sale-screen][data-ready=true]").await;
    tokio::task::block_in_place(|| {
        zargar_e2e::wait_until("this till to hear of the layaway", LONG, || till.item_status("RING-2") == "reserved");
    });
    app.resize(1024, 768).await;
    app.press(&format!("RING-2{}", keys::ENTER)).await;
    let refused = app.wait_text("[data-testid=scan-error]", LONG, |t| t.contains("RING-2")).await;
    assert!(refused.contains("رزرو"), "the scan is refused, the piece is put aside: {refused}");
    assert!(app.find_all("[data-testid=sale-line][data-tag=\"RING-2\"]").await.is_empty(), "RING-2 is not in the cart");
    app.screenshot("layaway-scan-refused-1024x768").await;
}

//! The shop's day in the real app (WebKitGTK under Xvfb, through
//! WebDriver). Discounts: a cashier whose limit is 10% takes 5% off the
//! making charge and records it; 30% off asks for a manager's PIN in place
//! of the record button, refuses a wrong one, and records with the
//! manager's; the invoice shows the discount on its own line and the
//! seller. The drawer: a shift opened with a counted float, a sale, cash
//! taken out, the close counted by note, and the Z report with the short.
//! The owner's report: the shop's day over two tills (one headless), with
//! its charts. Screenshots at 1024×768 and 1366×768.

use std::time::Duration;

use zargar_e2e::Server;
use zargar_e2e::app::{App, Display, app_till_as, keys, sample_shop};
use zargar_e2e::{Till, rings, wait_until};

const LONG: Duration = Duration::from_secs(60);
const PIN: &str = "1379";

fn zargar(till: &zargar_e2e::Till, args: &[&str]) {
    let out = till.command().args(["--as", "مریم"]).args(args).env("ZARGAR_PIN", PIN).output().expect("zargar");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cashier_discounts_within_the_limit_and_past_it_with_a_managers_pin() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let (_, home, till) = sample_shop(&server, work.path(), 3, PIN);
    zargar(&till, &["people", "add", "--name", "علی", "--role", "cashier", "--pin", "2468", "--discount-limit", "10"]);
    zargar(&till, &["people", "add", "--name", "رضا", "--role", "manager", "--pin", "1111"]);

    let display = Display::start();
    let app = App::launch_to(&display, &home, "[data-testid=sign-in]").await;
    let mut names = Vec::new();
    for e in app.find_all("[data-testid=sign-in-person] .name").await {
        names.push(e.text().await.expect("name"));
    }
    let ali = names.iter().position(|n| n == "علی").expect("the cashier is listed");
    for _ in 0..ali {
        app.press(keys::ARROW_DOWN).await;
    }
    app.press(&format!("2468{}", keys::ENTER)).await;
    app.wait_text("[data-testid=signed-in]", LONG, |t| t.contains("علی")).await;
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;

    // 5% off the making charge: within the limit.
    app.resize(1024, 768).await;
    app.scan("RING-1").await;
    let before = app.text("[data-testid=total]").await;
    app.press(keys::F11).await;
    assert_eq!(app.focused().await.as_deref(), Some("discount-wage"), "F11 goes to the discount");
    assert!(app.placement("[data-testid=discount-wage]").await.visible_and_clickable(), "in view at 1024×768");
    app.press(&format!("5٪{}", keys::ENTER)).await;
    app.wait_for("[data-testid=total-discount]", LONG).await;
    assert_eq!(app.focused().await.as_deref(), Some("scan-input"), "back to the scan field");
    let after = app.text("[data-testid=total]").await;
    assert_ne!(before, after, "the total follows the discount");
    let share = app.text("[data-testid=discount-share]").await;
    assert!(share.contains("تخفیف"), "{share}");
    assert!(app.find_all("[data-testid=discount-over-limit]").await.is_empty(), "within the limit");
    assert!(app.placement("[data-testid=confirm-sale]").await.visible_and_clickable(), "at 1024×768");
    app.screenshot("discount-within-limit-1024x768").await;
    app.press(keys::F8).await;
    app.press(keys::ENTER).await;
    app.wait_for("[data-testid=sale-screen][data-can-confirm=true]", LONG).await;
    app.press(keys::F10).await;
    app.wait_for("[data-testid=invoice]", LONG).await;
    let seller = app.text("[data-testid=invoice-seller]").await;
    assert_eq!(seller, "علی");
    let line = app.text("[data-testid=invoice-discount]").await;
    assert!(line.starts_with('−'), "the discount on its own line: {line}");
    app.screenshot("discount-invoice-1024x768").await;

    // 30% off: past the limit. The screen says so; recording asks for a manager.
    app.resize(1366, 768).await;
    app.press(keys::ENTER).await;
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    app.scan("RING-2").await;
    app.press(keys::F11).await;
    app.press(&format!("30%{}", keys::ENTER)).await;
    app.wait_for("[data-testid=discount-over-limit]", LONG).await;
    app.press(keys::F8).await;
    app.press(keys::ENTER).await;
    app.wait_for("[data-testid=sale-screen][data-can-confirm=true]", LONG).await;
    app.press(keys::F10).await;
    app.wait_for("[data-testid=owner-pin-ask][data-whose=manager]", LONG).await;
    let why = app.text("[data-testid=owner-pin-why]").await;
    assert!(why.contains("رمز مدیر"), "{why}");
    assert_eq!(app.focused().await.as_deref(), Some("sale-owner-pin"), "the PIN field has the keys");
    app.press(&format!("2468{}", keys::ENTER)).await;
    let wrong = app.wait_text("[data-testid=owner-pin-error]", LONG, |t| !t.is_empty()).await;
    assert!(wrong.contains("رمز درست نیست"), "the cashier's own PIN approves nothing: {wrong}");
    assert!(app.find_all("[data-testid=invoice]").await.is_empty(), "nothing recorded");
    app.screenshot("discount-manager-pin-1366x768").await;
    app.resize(1024, 768).await;
    assert!(app.placement("[data-testid=owner-pin-confirm]").await.visible_and_clickable(), "at 1024×768");
    app.screenshot("discount-manager-pin-1024x768").await;
    app.type_into("[data-testid=sale-owner-pin]", &format!("1111{}", keys::ENTER)).await;
    app.wait_for("[data-testid=invoice]", LONG).await;

    let conn = rusqlite::Connection::open(till.db()).expect("till db");
    let approved: String = conn
        .query_row(
            "SELECT json_extract(discount_approved_by, '$.name') FROM sales ORDER BY invoice_no DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("the second sale");
    assert_eq!(approved, "رضا", "the manager who let it past is on the sale");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shift_is_opened_with_a_float_and_closed_with_the_cash_counted_and_its_z_report() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let (_, home, till) = sample_shop(&server, work.path(), 3, PIN);
    let display = Display::start();
    let app = App::launch_to(&display, &home, "[data-testid=sale-screen][data-ready=true]").await;
    app.resize(1024, 768).await;

    // F5: the drawer. No shift yet: the float field has the keys.
    app.press(keys::F5).await;
    app.wait_for("[data-testid=shift-open-form]", LONG).await;
    assert_eq!(app.focused().await.as_deref(), Some("shift-float-input"));
    app.press(&format!("۵۰۰۰۰۰۰{}", keys::ENTER)).await;
    app.wait_for("[data-testid=x-report]", LONG).await;
    let float = app.text("[data-testid=shift-float]").await;
    assert!(float.contains("۵٬۰۰۰٬۰۰۰") || float.contains("۵۰۰٬۰۰۰"), "the counted float: {float}");

    // A sale, then back to the drawer: cash taken out for the bank.
    app.press(keys::F1).await;
    app.sell_by_keyboard("RING-1").await;
    app.press(keys::F5).await;
    app.wait_for("[data-testid=x-report]", LONG).await;
    assert_eq!(app.focused().await.as_deref(), Some("cash-amount"), "the cash form has the keys");
    let before = app.text("[data-testid=shift-expected]").await;
    app.press(&format!("100000{}به بانک{}", keys::TAB, keys::ENTER)).await;
    app.wait_text("[data-testid=shift-expected]", LONG, |t| t != before).await;
    assert!(app.placement("[data-testid=shift-close]").await.visible_and_clickable(), "at 1024×768");
    app.screenshot("drawer-x-report-1024x768").await;

    // Close: ten of the largest note counted; the form says how far off that is.
    app.resize(1366, 768).await;
    app.press(keys::F10).await;
    app.wait_for("[data-testid=shift-count-form]", LONG).await;
    assert_eq!(app.focused().await.as_deref(), Some("count"));
    app.press("10").await;
    let short = app.wait_text("[data-testid=count-over-short]", LONG, |t| t.contains("کسری")).await;
    app.screenshot("drawer-count-1366x768").await;
    app.press(keys::ENTER).await;
    let z = app.wait_for("[data-testid=z-report]", LONG).await;
    let over_short = z.attr("data-over-short").await.expect("attr").expect("over/short");
    assert!(over_short.starts_with('-'), "short: {over_short}");
    let shown = app.text("[data-testid=z-over-short]").await;
    assert!(short.contains(&shown), "the Z report shows the short the count showed: {shown} in {short}");
    app.resize(1024, 768).await;
    app.screenshot("drawer-z-report-1024x768").await;

    let conn = rusqlite::Connection::open(till.db()).expect("till db");
    let (z_no, sales): (i64, i64) = conn
        .query_row(
            "SELECT z_no, (SELECT count(*) FROM sales WHERE shift_id = shifts.id) FROM shifts WHERE z_no IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the closed shift");
    assert_eq!((z_no, sales), (1, 1), "Z report no. 1, holding the sale");
    let queued: i64 =
        conn.query_row("SELECT count(*) FROM outbox WHERE kind = 'shift.close'", [], |r| r.get(0)).expect("outbox");
    assert_eq!(queued, 1, "the Z report goes to the server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_reads_the_whole_shops_day_over_two_tills_with_charts() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let shop = server.shop("طلافروشی نمونه", &rings(4), work.path());
    let home = work.path().join("app-home");
    // The owner's own till is the shop's owner device; counter 2 is headless.
    let app_till = app_till_as(&server, shop, &home, "owner");
    app_till.preset_owner("مریم", PIN);
    let counter2 = Till::enrolled(&work.path().join("counter2"), "صندوق ۲", &server.url(), &server, shop);
    counter2.sell(&["RING-3"]);
    counter2.sell(&["RING-4"]);
    counter2.sync_until_clean();

    let display = Display::start();
    let app = App::launch_to(&display, &home, "[data-testid=sale-screen][data-ready=true]").await;
    app.sell_by_keyboard("RING-1").await;
    // The helpers speak blocking HTTP: off the async workers.
    tokio::task::block_in_place(|| {
        let owner = server.owner(shop);
        wait_until("the app's sale reaches the server", LONG, || owner.export(&server).len() == 3);
    });

    app.press(keys::ESCAPE).await;
    app.press(keys::F6).await;
    app.wait_for("[data-testid=pin-unlock]", LONG).await;
    app.press(&format!("{PIN}{}", keys::ENTER)).await;
    app.wait_for("[data-testid=tab-reports]", LONG).await.click().await.expect("the reports tab");
    app.wait_for("[data-testid=chart-hours]", LONG).await;
    let rows = app.find_all("[data-testid=report-row]").await;
    let mut tills = Vec::new();
    for r in rows {
        tills.push(r.attr("data-till").await.expect("attr").expect("till"));
    }
    tills.sort();
    assert_eq!(tills, ["صندوق ۱", "صندوق ۲"], "the day over both tills");
    assert_eq!(app.find_all("[data-testid=person-bar]").await.len(), 1, "nobody signed in: one bar");
    for (w, h) in [(1024, 768), (1366, 768)] {
        app.resize(w, h).await;
        assert!(app.placement("[data-testid=report-csv]").await.visible_and_clickable(), "at {w}×{h}");
        app.screenshot(&format!("shop-report-{w}x{h}")).await;
    }
}

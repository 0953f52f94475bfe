//! The counter that no slip of the finger can make lose money, in the real
//! app (WebKitGTK under Xvfb, through WebDriver), each step screenshotted in
//! `test-output/`:
//! - old gold typed without its decimal point (5230 g) is refused;
//! - a card above what is due is refused as it is entered;
//! - with 10 lines, 4 payments and a trade-in, the record button, the amount
//!   due and the warnings stay in the viewport and clickable at 1024×768,
//!   1280×800 and 1366×768;
//! - a tenfold-low gold price asks for confirmation and the owner's PIN, one
//!   below the shop's floor is refused;
//! - Settings lock again when the owner leaves them;
//! - old gold worth more than the piece: the payout is shown and confirmed;
//! - a price conflict shows the till's price, the shop's and the shortfall,
//!   and a resend that changes what is due shows the difference and asks
//!   before it goes;
//! - the status bar says offline within seconds of the server going away.

use std::time::{Duration, Instant};

use zargar_e2e::app::{App, Display, keys, persian_money, sample_shop};
use zargar_e2e::{Server, rings};

const LONG: Duration = Duration::from_secs(60);
const PIN: &str = "1379";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_counter_refuses_slips_and_never_hides_the_record_button() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    // IT presets the owner and the shop's floor for the price per gram.
    let (_, home, till) = sample_shop(&server, work.path(), 12, PIN);
    till.ok(&["settings", "set", "price_floor", "5000000"]);

    let display = Display::start();
    let app = App::launch(&display, &home).await;

    // Ten pieces.
    for tag in rings(10) {
        app.scan(&tag).await;
    }

    // Old gold of "5230" grams (5.230 typed without its point): refused, not added.
    app.press(keys::F9).await;
    assert_eq!(app.focused().await.as_deref(), Some("trade-in-weight"));
    app.press(&format!("5230{}750{}", keys::TAB, keys::ENTER)).await;
    let refused = app.text("[data-testid=trade-in-error]").await;
    assert!(refused.contains("۵٬۲۳۰") || refused.contains("۵۲۳۰"), "the weight is named: {refused}");
    assert!(app.find_all("[data-testid=trade-in]").await.is_empty(), "nothing was added");
    app.screenshot("guard-trade-in-5230g-refused").await;
    app.type_into("[data-testid=trade-in-weight]", "2.5").await;
    app.wait_for("[data-testid=trade-in-add]", LONG).await.click().await.expect("add");
    app.wait_for("[data-testid=trade-in]", LONG).await;

    // A card above what is due: refused as it is entered, the list unchanged.
    app.press(keys::F8).await;
    app.press(keys::F8).await;
    let method = app.wait_for("[data-testid=pay-method]", LONG).await.prop("value").await.expect("method");
    assert_eq!(method.as_deref(), Some("card"), "F8 again moves to card");
    app.press(&format!("999999999999{}", keys::ENTER)).await;
    let pay_error = app.text("[data-testid=pay-error]").await;
    assert!(!pay_error.is_empty(), "the refusal is said");
    assert!(app.find_all("[data-testid=payment]").await.is_empty(), "the overpayment is not in the list");
    let placed = app.placement("[data-testid=pay-error]").await;
    assert!(placed.visible_and_clickable(), "the warning is in view, not under the status bar: {placed:?}");
    app.screenshot("guard-card-overpayment-refused").await;

    // Four payments: card (still chosen after the refusal), transfer, cheque,
    // then the rest in cash. After each the method is cash again, so F8
    // twice more is transfer and thrice cheque.
    for (presses, method) in [(0, "card"), (2, "transfer"), (3, "cheque")] {
        // Clearing a field takes the focus from it: the keys go to the field itself.
        let amount = app.wait_for("[data-testid=pay-amount]", LONG).await;
        amount.clear().await.expect("clear");
        amount.send_keys(&format!("{}1000000{}", keys::F8.repeat(presses), keys::ENTER)).await.expect("keys");
        app.wait_for(&format!("[data-testid=payment][data-method={method}]"), LONG).await;
        let now = app.wait_for("[data-testid=pay-method]", LONG).await.prop("value").await.expect("method");
        assert_eq!(now.as_deref(), Some("cash"), "back to cash after a {method} payment");
    }
    app.press(keys::ENTER).await;
    app.wait_for("[data-testid=sale-screen][data-can-confirm=true]", LONG).await;
    assert_eq!(app.find_all("[data-testid=payment]").await.len(), 4);
    assert_eq!(app.find_all("[data-testid=sale-line]").await.len(), 10);

    // At each size, the record button and what is due stay in view and clickable.
    for (w, h) in [(1024, 768), (1280, 800), (1366, 768)] {
        app.resize(w, h).await;
        for css in ["[data-testid=confirm-sale]", "[data-testid=total-due]", "[data-testid=balance]"] {
            let p = app.placement(css).await;
            assert!(p.visible_and_clickable(), "{css} at {w}×{h}: {p:?}");
            assert!(!p.page_scrolls, "the page itself does not scroll at {w}×{h}");
        }
        app.screenshot(&format!("guard-sale-10-lines-4-payments-{w}x{h}")).await;
    }
    app.wait_for("[data-testid=confirm-sale]", LONG).await.click().await.expect("record");
    app.wait_for("[data-testid=invoice]", LONG).await;
    app.press(keys::ESCAPE).await;
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;

    // The day's price: a tenfold-low price (8,000,000 for 80,000,000) asks
    // for confirmation, old against new, and the owner's PIN.
    app.press(keys::F3).await;
    assert_eq!(app.focused().await.as_deref(), Some("gold-amount"));
    app.press(&format!("8000000{}", keys::ENTER)).await;
    let warning = app.text("[data-testid=gold-step-warning]").await;
    assert!(warning.contains("۹۰"), "the step is named (−90%): {warning}");
    let old = app.text("[data-testid=gold-confirm-old]").await;
    assert!(old.contains(&persian_money("80000000")), "the old price per gram: {old}");
    let new = app.text("[data-testid=gold-confirm-new]").await;
    assert!(new.contains(&persian_money("8000000")), "the new price per gram: {new}");
    assert_eq!(app.focused().await.as_deref(), Some("gold-pin"), "the owner's PIN is asked");
    app.screenshot("guard-price-tenfold-low-asks").await;
    // A wrong PIN saves nothing.
    app.press(&format!("0000{}", keys::ENTER)).await;
    app.wait_for("[data-testid=gold-confirm-error]", LONG).await;
    app.press(keys::ESCAPE).await;
    let current = app.text("[data-testid=gold-current]").await;
    assert!(current.contains(&persian_money("80000000")), "the price is unchanged: {current}");
    // Below the shop's floor: refused outright.
    app.type_into("[data-testid=gold-amount]", &format!("4000000{}", keys::ENTER)).await;
    let note = app.text("[data-testid=gold-note]").await;
    assert!(note.contains(&persian_money("5000000")), "the floor is named: {note}");
    assert!(app.find_all("[data-testid=gold-confirm]").await.is_empty(), "no way to save it");
    app.screenshot("guard-price-below-floor-refused").await;
    // The morning's +3.75%: no question about the step, the PIN saves it as the shop's.
    app.type_into("[data-testid=gold-amount]", &format!("83000000{}", keys::ENTER)).await;
    app.wait_for("[data-testid=gold-confirm]", LONG).await;
    assert!(app.find_all("[data-testid=gold-step-warning]").await.is_empty(), "an ordinary move asks no question");
    app.press(&format!("{PIN}{}", keys::ENTER)).await;
    app.wait_text("[data-testid=gold-current]", LONG, |t| t.contains(&persian_money("83000000"))).await;
    let scope = app.text("[data-testid=gold-scope]").await;
    assert!(scope.contains("مریم"), "the shop's price, set by the owner: {scope}");
    app.screenshot("guard-price-set-by-owner").await;
    // The owner's screens stayed shut: the PIN was for the price only.
    app.press(keys::F6).await;
    app.wait_for("[data-testid=pin-input]", LONG).await;

    // Settings: open with the PIN, lock again on leaving.
    app.press(&format!("{PIN}{}", keys::ENTER)).await;
    app.wait_for("[data-testid=tab-general]", LONG).await;
    app.press(keys::F1).await;
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    app.press(keys::F6).await;
    app.wait_for("[data-testid=pin-input]", LONG).await;
    app.screenshot("guard-settings-locked-after-leaving").await;

    // Old gold worth more than the piece: the payout is shown large, and the
    // first F10 asks before anything is recorded.
    app.press(keys::F1).await;
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    app.scan("RING-11").await;
    app.press(keys::F9).await;
    app.press(&format!("60{}750{}", keys::TAB, keys::ENTER)).await;
    app.wait_for("[data-testid=trade-in]", LONG).await;
    let payout = app.text("[data-testid=payout-amount]").await;
    assert!(!payout.is_empty(), "the shop's payout is shown");
    app.press(keys::F10).await;
    app.wait_for("[data-testid=payout-ask]", LONG).await;
    assert!(app.find_all("[data-testid=invoice]").await.is_empty(), "nothing recorded on the first F10");
    assert!(app.placement("[data-testid=payout-confirm]").await.visible_and_clickable());
    app.screenshot("guard-old-gold-payout-asks").await;
    app.wait_for("[data-testid=payout-confirm]", LONG).await.click().await.expect("confirm the payout");
    app.wait_for("[data-testid=invoice]", LONG).await;

    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_price_conflict_shows_the_money_and_a_resend_asks_before_it_goes() {
    let work = tempfile::tempdir().expect("dir");
    let mut server = Server::start(work.path());
    let (_, home, till) = sample_shop(&server, work.path(), 6, PIN);
    // A cashier's price for this till alone, 12.5% under the shop's.
    till.ok(&["price", "set", "70000000"]);

    let display = Display::start();
    let app = App::launch(&display, &home).await;
    app.sell_by_keyboard("RING-1").await;
    app.press(keys::ESCAPE).await;
    app.wait_attr("[data-testid=conflicts-badge]", "data-count", LONG, |v| v == Some("1")).await;

    // The card: the till's price, the shop's, and the shortfall to the Rial.
    app.press(keys::F6).await;
    app.wait_for("[data-testid=pin-input]", LONG).await.send_keys(&format!("{PIN}{}", keys::ENTER)).await.expect("pin");
    let card = app.wait_for("[data-testid=conflict][data-kind=price_out_of_tolerance]", LONG).await;
    drop(card);
    let quote = |price: &str| {
        // RING-1 is 2.000 g of 750 with a 12% wage (the harness's CSV).
        let q =
            till.json(&["quote", "--gold-price", price, "--weight", "2", "--purity", "750", "--wage-percent", "12"]);
        q["total"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| q["price"]["total"].as_str().expect("total").to_owned())
    };
    let (at_till, at_shop) = (quote("70000000"), quote("80000000"));
    let shortfall = at_shop.parse::<i64>().expect("rials") - at_till.parse::<i64>().expect("rials");
    assert!(app.text("[data-testid=gap-till-price]").await.contains(&persian_money("70000000")));
    assert!(app.text("[data-testid=gap-shop-price]").await.contains(&persian_money("80000000")));
    let shown = app.text("[data-testid=gap-shortfall]").await;
    assert!(shown.contains(&persian_money(&shortfall.to_string())), "shortfall {shortfall}: {shown}");
    app.screenshot("guard-conflict-price-gap").await;

    // Resend with a heavier piece: the difference is shown, and nothing goes
    // until the second press.
    app.type_into("[data-testid=replace-RING-1]", "RING-3").await;
    app.wait_for("[data-testid=resolve-resubmit]", LONG).await.click().await.expect("resend");
    let effect = app.text("[data-testid=resolve-effect]").await;
    assert!(effect.contains("دریافت"), "a higher due is collected: {effect}");
    app.wait_for("[data-testid=due-settle-method]", LONG).await;
    assert_eq!(till.status()["pending"], 0, "nothing is queued before the second press");
    app.screenshot("guard-conflict-resend-difference").await;
    app.wait_for("[data-testid=resolve-resubmit]", LONG).await.click().await.expect("confirm resend");
    let start = Instant::now();
    let edited = loop {
        let sale = till.json(&["invoice", "1"]);
        if sale["lines"][0]["tag"] == "RING-3" {
            break sale;
        }
        assert!(start.elapsed() < LONG, "the resend was not queued: {sale}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // The difference was collected in cash: the payments now cover the new due.
    let rials = |v: &serde_json::Value| v.as_str().expect("an amount").parse::<i64>().expect("rials");
    let paid: i64 = edited["payments"].as_array().expect("payments").iter().map(|p| rials(&p["amount"])).sum();
    assert!(paid >= rials(&edited["totals"]["due"]), "{edited}");

    // The server goes away: the status bar says offline within seconds.
    app.press(keys::F1).await;
    server.kill();
    let gone = Instant::now();
    app.wait_attr("[data-testid=sync-state]", "data-online", Duration::from_secs(30), |v| v == Some("false")).await;
    eprintln!("offline shown {} ms after the server went away", gone.elapsed().as_millis());
    app.screenshot("guard-offline-within-seconds").await;
    app.quit().await;
}

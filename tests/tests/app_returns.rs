//! Returns and exchanges at the counter, in the real app (WebKitGTK under
//! Xvfb, through WebDriver), each step screenshotted in `test-output/`:
//! a two-piece sale paid by card and cash; one piece returned to cash, the
//! other exchanged for a dearer piece; the credit note shows its refund;
//! the day's list (returns as their own rows), its totals, the report by
//! method and the CSV export agree to the Rial.

use std::time::Duration;

use zargar_e2e::Server;
use zargar_e2e::app::{App, Display, keys, persian_digits, persian_money, sample_shop};

const LONG: Duration = Duration::from_secs(60);
const CARD: i64 = 150_000_000;

fn rial(s: &str) -> i64 {
    s.parse().unwrap_or_else(|_| panic!("a whole Rial amount: {s:?}"))
}

/// Moves the keyboard to invoice `n`'s row of the day's list: ↓ to the
/// list, then ↓ until that row has the focus (bounded by the rows shown).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sale_returned_and_exchanged_adds_up_in_the_list_report_and_export() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let (_, home, till) = sample_shop(&server, work.path(), 4, "1379");

    let display = Display::start();
    let app = App::launch(&display, &home).await;

    // 1. RING-1 and RING-2, paid 150,000,000 by card and the rest in cash.
    app.scan("RING-1").await;
    app.scan("RING-2").await;
    app.press(keys::F8).await;
    let amount = app.wait_for("[data-testid=pay-amount]", LONG).await;
    amount.send_keys(&format!("{}{CARD}{}", keys::F8, keys::ENTER)).await.expect("card");
    app.wait_for("[data-testid=payment][data-method=card]", LONG).await;
    app.press(keys::ENTER).await;
    app.wait_for("[data-testid=payment][data-method=cash]", LONG).await;
    app.wait_for("[data-testid=sale-screen][data-can-confirm=true]", LONG).await;
    app.press(keys::F10).await;
    app.wait_for("[data-testid=invoice]", LONG).await;
    let sale = till.json(&["invoice", "1", "--json"]);
    let lines = sale["lines"].as_array().cloned().unwrap_or_default();
    let price = |tag: &str| -> i64 {
        let line = lines.iter().find(|l| l["tag"] == tag).unwrap_or_else(|| panic!("{tag} on invoice 1: {sale}"));
        rial(line["price"]["total"].as_str().expect("total"))
    };
    let (r1, r2) = (price("RING-1"), price("RING-2"));
    let total = rial(sale["totals"]["total"].as_str().expect("total"));
    let cash_paid = total - CARD;
    assert!(r2 <= cash_paid, "RING-2 ({r2}) can go back in cash ({cash_paid} was paid in cash)");
    app.press(keys::ESCAPE).await;

    // 2. The day's list: R on invoice 1 opens the return; RING-2 alone comes
    // back, to cash (the default).
    app.press(keys::F4).await;
    app.focus_sale_row(1).await;
    app.press("r").await;
    app.wait_for("[data-testid=return-panel]", LONG).await;
    app.wait_attr("[data-testid=return-refund]", "data-amount", LONG, |v| v == Some(&(r1 + r2).to_string())).await;
    app.wait_for("[data-testid=return-piece][data-tag=\"RING-1\"]", LONG).await.click().await.expect("untick");
    app.wait_attr("[data-testid=return-refund]", "data-amount", LONG, |v| v == Some(&r2.to_string())).await;
    let cash = app.wait_for("[data-testid=refund-amount][data-method=cash]", LONG).await;
    let prefilled = cash.prop("value").await.expect("value").unwrap_or_default();
    assert_eq!(prefilled, persian_digits(&r2.to_string()), "cash by default, in Persian digits");
    for (w, h) in [(1024, 768), (1366, 768)] {
        app.resize(w, h).await;
        let p = app.placement("[data-testid=return-record]").await;
        assert!(p.visible_and_clickable(), "the record button at {w}×{h}: {p:?}");
        app.screenshot(&format!("return-panel-{w}x{h}")).await;
    }
    // More cash than was paid in cash is refused, in Persian.
    cash.clear().await.expect("clear");
    cash.send_keys(&format!("{}{}", cash_paid + 1, keys::ENTER)).await.expect("too much");
    let refused = app.text("[data-testid=return-error]").await;
    assert!(!refused.is_empty() && !refused.chars().any(|c| c.is_ascii_digit()), "refused in Persian: {refused}");
    let cash = app.wait_for("[data-testid=refund-amount][data-method=cash]", LONG).await;
    cash.clear().await.expect("clear");
    cash.send_keys(&format!("{r2}{}", keys::ENTER)).await.expect("refund");
    let note = app.wait_for("[data-testid=credit-note][data-return=\"1\"]", LONG).await;
    let shown = note.text().await.expect("text");
    assert!(shown.contains("RING-2") && shown.contains(&persian_money(&r2.to_string())), "{shown}");
    app.wait_for("[data-testid=credit-refund][data-method=cash]", LONG).await;
    app.client
        .execute("document.querySelector('[data-testid=credit-note]').scrollIntoView({block: 'end'})", vec![])
        .await
        .expect("scroll");
    app.screenshot("credit-note").await;
    app.press(keys::ESCAPE).await;

    // 3. RING-1 exchanged for the dearer RING-3: its value pays first, the
    // customer pays the rest in cash. The invoice is found by its number,
    // typed from the customer's receipt.
    app.type_into("[data-testid=return-invoice-no]", &format!("۱{}", keys::ENTER)).await;
    app.wait_attr("[data-testid=return-refund]", "data-amount", LONG, |v| v == Some(&r1.to_string())).await;
    app.wait_for("[data-testid=return-exchange]", LONG).await.click().await.expect("exchange");
    app.wait_for("[data-testid=exchange-banner]", LONG).await;
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    app.wait_for("[data-testid=scan-input]", LONG).await.click().await.expect("focus scan");
    app.scan("RING-3").await;
    let credit = app.text("[data-testid=exchange-credit]").await;
    assert!(credit.contains(&persian_money(&r1.to_string())), "the credit used: {credit}");
    app.screenshot("exchange-sale").await;
    app.press(keys::F8).await;
    app.press(keys::ENTER).await;
    app.wait_for("[data-testid=sale-screen][data-can-confirm=true]", LONG).await;
    app.press(keys::F10).await;
    app.wait_for("[data-testid=invoice]", LONG).await;
    let second = till.json(&["invoice", "2", "--json"]);
    let r3 = rial(second["totals"]["total"].as_str().expect("total"));
    let methods: Vec<&str> =
        second["payments"].as_array().expect("payments").iter().filter_map(|p| p["method"].as_str()).collect();
    assert_eq!(methods, ["exchange_credit", "cash"], "{second}");
    app.screenshot("exchange-invoice").await;
    app.press(keys::ESCAPE).await;

    // 4. The day: four rows (two sales, two credit notes) that add up to
    // the net total; the report by method; cash expected.
    app.press(keys::F4).await;
    app.wait_for("[data-testid=sales-row][data-kind=return][data-number=\"2\"]", LONG).await;
    let mut row_sum = 0;
    let rows = app.find_all("[data-testid=sales-row]").await;
    assert_eq!(rows.len(), 4);
    for r in rows {
        row_sum += rial(&r.attr("data-total").await.expect("attr").expect("data-total"));
    }
    let net = r3 + total - r1 - r2;
    assert_eq!(row_sum, net, "the rows add up to the day's net");
    let shown_net = app.text("[data-total=total]").await;
    assert!(shown_net.contains(&persian_money(&net.to_string())), "the day's net {shown_net} is {net}");
    let card_net = app.attr("[data-testid=report-method][data-method=card] [data-net]", "data-net").await;
    assert_eq!(card_net.as_deref(), Some(CARD.to_string().as_str()));
    let expected_cash = cash_paid - r2 + (r3 - r1);
    let cash_expected = app.attr("[data-testid=cash-expected]", "data-amount").await;
    assert_eq!(cash_expected.as_deref(), Some(expected_cash.to_string().as_str()));
    for (w, h) in [(1024, 768), (1366, 768)] {
        app.resize(w, h).await;
        app.screenshot(&format!("sales-day-returns-{w}x{h}")).await;
    }

    // 5. The CSV, saved where the owner chooses in the system's save dialog:
    // a BOM, Persian headers, and amounts that add up to the same net.
    let target = work.path().join("day-export.csv");
    app.wait_for("[data-testid=export-csv]", LONG).await.click().await.expect("export");
    tokio::task::block_in_place(|| display.answer_save_dialog("CSV", &target));
    let shown = app.wait_text("[data-testid=export-path]", LONG, |t| t.contains("day-export.csv")).await;
    assert!(shown.contains(target.to_str().expect("path")), "the path is shown whole: {shown}");
    app.screenshot("export-saved").await;
    let bytes = std::fs::read(&target).expect("the CSV was written where chosen");
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    assert_eq!(header[0], "نوع", "Persian headers: {header:?}");
    let total_at = header.iter().position(|h| *h == "مبلغ").expect("the amount column");
    let returned_at = header.iter().position(|h| *h == "مرجوع شده").expect("the returned column");
    let mut csv_sum = 0;
    let mut kinds = Vec::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        csv_sum += rial(cells[total_at]);
        kinds.push(cells[0].to_owned());
        assert!(["بله", "خیر"].contains(&cells[returned_at]), "yes/no in words: {line}");
    }
    assert_eq!(csv_sum, net, "the export adds up to the day's net");
    assert_eq!(kinds.iter().filter(|k| *k == "برگشت از فروش").count(), 2, "{kinds:?}");

    // 6. The CLI's report says the same.
    let report = till.json(&["sales", "report", "--json"]);
    assert_eq!(rial(report["net_total"].as_str().expect("net")), net);
    assert_eq!(rial(report["cash_expected"].as_str().expect("cash")), expected_cash);
    app.quit().await;
}

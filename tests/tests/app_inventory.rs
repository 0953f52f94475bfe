//! Inventory at the counter, in the real app (WebKitGTK under Xvfb, through
//! WebDriver), each step screenshotted in `test-output/`: a piece added in
//! the app (with the owner's PIN) reaches the server and another till; a
//! name is corrected without the PIN, a weight is not; categories show in
//! Persian; a returned piece put back in stock sells again.

use std::time::Duration;

use zargar_e2e::app::{App, Display, app_till, keys, sample_shop};
use zargar_e2e::{Server, Till, wait_until};

const LONG: Duration = Duration::from_secs(60);
const PIN: &str = "1379";

/// Chooses a piece in the list by searching its tag, and opens its form.
async fn edit_piece(app: &App, tag: &str) {
    app.type_into("[data-testid=inventory-search]", tag).await;
    app.wait_for(&format!("[data-testid=inventory-row][data-tag=\"{tag}\"]"), LONG).await;
    app.press(keys::ARROW_DOWN).await;
    app.press("e").await;
    app.wait_for("[data-testid=item-form]", LONG).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_piece_added_in_the_app_reaches_the_shop_and_a_returned_piece_sells_again() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let (shop, home, till) = sample_shop(&server, work.path(), 3, PIN);
    let other = Till::init(&work.path().join("till-b"), "till-b");
    other.enroll(&server.url(), &server.enrol_code(shop, "till"));
    other.sync_until_clean();

    let display = Display::start();
    let app = App::launch(&display, &home).await;

    // 1. Categories in Persian: the imported "ring" reads انگشتر.
    app.press(keys::F2).await;
    let row = app.wait_for("[data-testid=inventory-row][data-tag=\"RING-2\"]", LONG).await;
    let shown = row.text().await.expect("text");
    assert!(shown.contains("انگشتر") && !shown.contains("ring\t"), "the category in Persian: {shown}");

    // 2. A new piece, by keyboard: Insert, the fields, the owner's PIN, Enter.
    app.press(keys::INSERT).await;
    assert_eq!(app.focused().await.as_deref(), Some("item-tag"), "the form opens on the tag");
    app.press("NEW-1").await;
    app.type_into("[data-testid=item-barcode]", "6260000000017").await;
    app.type_into("[data-testid=item-name]", "انگشتر نگین‌دار").await;
    app.type_into("[data-testid=item-weight]", "4.250").await;
    app.type_into("[data-testid=item-wage]", "۱۲").await;
    let weight = app.wait_for("[data-testid=item-weight]", LONG).await.prop("value").await.expect("value");
    assert_eq!(weight.as_deref(), Some("۴٫۲۵۰"), "typed digits show in Persian, with the Persian decimal point");
    for (w, h) in [(1024, 768), (1366, 768)] {
        app.resize(w, h).await;
        let p = app.placement("[data-testid=item-save]").await;
        assert!(p.visible_and_clickable(), "the save button at {w}×{h}: {p:?}");
        app.screenshot(&format!("item-form-new-{w}x{h}")).await;
    }
    // Without the PIN it is refused, in Persian; nothing is added.
    app.wait_for("[data-testid=item-name]", LONG).await.send_keys(keys::ENTER).await.expect("enter");
    let refused = app.text("[data-testid=item-error]").await;
    assert!(refused.contains("رمز مالک"), "the PIN is asked for: {refused}");
    assert!(till.run(&["item", "show", "NEW-1"]).status.code() != Some(0), "nothing was added");
    app.type_into("[data-testid=item-pin]", &format!("{PIN}{}", keys::ENTER)).await;
    app.wait_for("[data-testid=inventory-saved]", LONG).await;
    let added = till.json(&["item", "show", "NEW-1", "--json"]);
    assert_eq!(added["weight"], "4.250", "{added}");
    assert_eq!(added["category"], "ring");

    // It reaches the server, and the other till.
    app.wait_attr("[data-testid=pending-count]", "data-count", LONG, |v| v == Some("0")).await;
    tokio::task::block_in_place(|| {
        wait_until("the other till to get NEW-1", LONG, || {
            other.sync_until_clean();
            other.run(&["item", "show", "NEW-1"]).status.success()
        })
    });
    assert_eq!(other.item_status("NEW-1"), "in_stock");

    // 3. A name corrected without the PIN; a new weight needs it.
    edit_piece(&app, "NEW-1").await;
    assert!(app.find_all("[data-testid=item-pin]").await.is_empty(), "no PIN for a name");
    app.type_into("[data-testid=item-name]", &format!("انگشتر زمرد{}", keys::ENTER)).await;
    app.wait_for("[data-testid=inventory-saved]", LONG).await;
    assert_eq!(till.json(&["item", "show", "NEW-1", "--json"])["name"], "انگشتر زمرد");
    edit_piece(&app, "NEW-1").await;
    app.type_into("[data-testid=item-weight]", "4.3").await;
    app.wait_for("[data-testid=item-pin]", LONG).await;
    app.screenshot("item-form-weight-needs-pin").await;
    app.press(keys::ESCAPE).await;
    assert_eq!(till.json(&["item", "show", "NEW-1", "--json"])["weight"], "4.250", "unchanged");

    // 4. RING-1 sold, returned, put back in stock, and sold again.
    app.press(keys::F1).await;
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    app.sell_by_keyboard("RING-1").await;
    app.press(keys::ESCAPE).await;
    till.ok(&["return", "--invoice", "1"]);
    app.press(keys::F2).await;
    app.type_into("[data-testid=inventory-search]", "RING-1").await;
    app.wait_for("[data-testid=inventory-row][data-tag=\"RING-1\"]", LONG).await;
    app.press(keys::ARROW_DOWN).await;
    app.press(keys::ENTER).await;
    app.wait_for("[data-testid=item-back-in-stock]", LONG).await.click().await.expect("back in stock");
    app.wait_for("[data-testid=inventory-saved]", LONG).await;
    app.screenshot("item-back-in-stock").await;
    assert_eq!(till.item_status("RING-1"), "in_stock");
    app.press(keys::F1).await;
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    app.sell_by_keyboard("RING-1").await;
    let again = till.json(&["invoice", "2", "--json"]);
    assert_eq!(again["lines"][0]["tag"], "RING-1", "{again}");
    app.quit().await;
}

/// The karat name of a purity comes from the rules, once: the Inventory row
/// and the invoice of the same piece say the same, for every purity the
/// market names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inventory_and_the_invoice_name_every_purity_alike() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let shop = server.shop("طلافروشی عیار", &[], work.path());
    let named = [
        ("583", "۱۴ عیار"),
        ("585", "۱۴ عیار"),
        ("705", "آبشده"),
        ("750", "۱۸ عیار"),
        ("875", "۲۱ عیار"),
        ("916", "۲۲ عیار"),
        ("999.9", "۲۴ عیار"),
        ("1000", "۲۴ عیار"),
    ];
    let tag = |purity: &str| format!("K-{}", purity.replace('.', "-"));
    let mut csv = String::from("tag,name,weight,purity,wage_percent,wage_per_gram,barcode,category,stones\n");
    for (purity, _) in named {
        csv.push_str(&format!("{},piece {purity},2.500,{purity},10,,,ring,0\n", tag(purity)));
    }
    let file = work.path().join("karats.csv");
    std::fs::write(&file, csv).expect("csv");
    server.admin(&["item", "import", "--tenant", &shop.to_string(), file.to_str().expect("utf-8 path")]);
    let home = work.path().join("app-home");
    let till = app_till(&server, shop, &home);
    till.preset_owner("مریم", PIN);

    let display = Display::start();
    let app = App::launch(&display, &home).await;

    // Each piece's row in Inventory.
    app.press(keys::F2).await;
    let mut in_inventory = Vec::new();
    for (purity, name) in named {
        app.type_into("[data-testid=inventory-search]", &tag(purity)).await;
        let css = format!("[data-testid=inventory-row][data-tag=\"{}\"] [data-testid=inventory-purity]", tag(purity));
        let shown = app.wait_text(&css, LONG, |t| !t.is_empty()).await;
        assert!(shown.contains(name), "{purity} in Inventory reads {shown:?}, not {name:?}");
        in_inventory.push(shown);
    }
    app.screenshot("inventory-karat-names").await;

    // The same pieces on one invoice.
    app.press(keys::F1).await;
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    for (purity, _) in named {
        app.scan(&tag(purity)).await;
    }
    app.press(keys::F8).await;
    app.press(keys::ENTER).await;
    app.wait_for("[data-testid=sale-screen][data-can-confirm=true]", LONG).await;
    app.press(keys::F10).await;
    app.wait_for("[data-testid=invoice]", LONG).await;
    for ((purity, _), shown) in named.iter().zip(&in_inventory) {
        let css = format!("[data-testid=invoice-line][data-tag=\"{}\"] [data-testid=invoice-purity]", tag(purity));
        let on_invoice = app.text(&css).await;
        assert_eq!(&on_invoice, shown, "{purity}: the invoice and Inventory disagree");
    }
    app.screenshot("invoice-karat-names").await;
    app.quit().await;
}

//! The official invoice in the real app (WebKitGTK under Xvfb, through
//! WebDriver), for a shop whose Moadian invoices go to a stand-in of the tax
//! API (`zargar_e2e::moadian`):
//! - the reprinted invoice shows the seller's and the buyer's legal blocks
//!   and the tax id the tax organisation accepted, at 1024×768 and 1366×768;
//! - P prints it on 80 mm (the stand-in ESC/POS printer decodes the raster:
//!   `test-output/tax-invoice-80mm.png`), Shift+P on A5 (a PDF, rendered to
//!   `test-output/tax-invoice-a5.png`);
//! - Settings → مودیان lists the invoices, the rejected first with the tax
//!   organisation's reason.

use std::process::Command;
use std::time::Duration;

use zargar_e2e::Server;
use zargar_e2e::app::{App, Display, keys, persian_digits, sample_shop};
use zargar_e2e::escpos::StandInPrinter;
use zargar_e2e::moadian::shop::ok;
use zargar_e2e::moadian::{TaxService, TaxedShop};

const LONG: Duration = Duration::from_secs(60);
const PIN: &str = "1379";
const MOBILE: &str = "09121234567";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_invoice_carries_both_legal_blocks_and_the_tax_id_on_screen_80mm_and_a5() {
    let work = tempfile::tempdir().expect("dir");
    let service = TaxService::start().await;
    let server = Server::start(work.path());
    let (shop, home, till) = sample_shop(&server, work.path(), 3, PIN);
    let taxed = TaxedShop::prepare(shop, &service, work.path());
    taxed.set_identity(&server);
    let out = zargar_e2e::app::repo_root().join("test-output");
    std::fs::create_dir_all(&out).expect("test-output");

    // A registered buyer with her ids; her sale is accepted by the tax organisation.
    till.ok(&[
        "customer",
        "add",
        "--name",
        "زهرا احمدی",
        "--mobile",
        MOBILE,
        "--national-id",
        "0084575948",
        "--economic-code",
        "14011223344",
        "--postal-code",
        "1458893311",
    ]);
    till.json(&["sell", "--item", "RING-1", "--customer", MOBILE, "--pay", "cash=1000000000000"]);
    till.sync_until_clean();
    ok(taxed.pass(&server));
    ok(taxed.pass(&server));
    // A second sale the service rejects.
    service.reject_with(Some(("0100504".into(), "سریال صورتحساب با الگوی مجاز مطابقت ندارد".into())));
    till.json(&["sell", "--item", "RING-2", "--pay", "cash=1000000000000"]);
    till.sync_until_clean();
    ok(taxed.pass(&server));
    ok(taxed.pass(&server));
    till.sync_until_clean();
    let tax_id = service.invoices()[0].tax_id.clone();
    assert_eq!(service.invoices()[0].status, "SUCCESS", "{:?}", service.invoices()[0].errors);

    let mut printer = StandInPrinter::start();
    let pdfs = work.path().join("pdf");
    std::fs::create_dir_all(&pdfs).expect("pdf folder");
    till.ok(&["printer", "set", "--receipt", &printer.address(), "--office", &format!("pdf:{}", pdfs.display())]);

    let display = Display::start();
    let app = App::launch(&display, &home).await;

    // 1. Invoice 1 from the day's list: both legal blocks and the tax id.
    app.press(keys::F4).await;
    app.focus_sale_row(1).await;
    app.press(keys::ENTER).await;
    app.wait_for("[data-testid=invoice]", LONG).await;
    let seller = app.text("[data-testid=legal-seller]").await;
    for part in ["طلافروشی زرین", &persian_digits("14003778990"), &persian_digits("1234567890"), "بازار بزرگ"]
    {
        assert!(seller.contains(part), "{part} missing from the seller's block: {seller}");
    }
    let buyer = app.text("[data-testid=legal-buyer]").await;
    for part in
        ["زهرا احمدی", &persian_digits("0084575948"), &persian_digits("14011223344"), &persian_digits("1458893311")]
    {
        assert!(buyer.contains(part), "{part} missing from the buyer's block: {buyer}");
    }
    let printed_id = app.text("[data-testid=invoice-tax-id]").await;
    assert!(printed_id.contains(&tax_id), "the tax id {tax_id}: {printed_id}");
    for (w, h) in [(1024, 768), (1366, 768)] {
        app.resize(w, h).await;
        for block in ["[data-testid=legal-seller]", "[data-testid=legal-buyer]", "[data-testid=invoice-tax-id]"] {
            assert!(app.placement(block).await.visible_and_clickable(), "{block} in view at {w}×{h}");
        }
        app.screenshot(&format!("tax-invoice-{w}x{h}")).await;
    }

    // 2. P: the 80 mm receipt, as the printer's head put it on paper.
    app.press("p").await;
    app.wait_attr("[data-testid=print-status]", "data-state", LONG, |v| v == Some("printed")).await;
    let jobs = printer.wait_for_jobs(1, LONG);
    jobs[0].save_png(&out.join("tax-invoice-80mm.png")).expect("save the receipt");
    assert!(jobs[0].width() <= 576 && jobs[0].black_dots() > 1000, "{:?}", jobs[0]);

    // 3. Shift+P: the A5 page, rendered as a person would see the paper.
    app.press(&format!("{}P{}", keys::SHIFT, keys::SHIFT)).await;
    let a5 = pdfs.join("invoice-1.pdf");
    zargar_e2e::wait_until("the A5 invoice", LONG, || a5.exists() && std::fs::metadata(&a5).is_ok_and(|m| m.len() > 0));
    let text = Command::new("pdftotext").arg(&a5).arg("-").output().expect("pdftotext (scripts/setup)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(&tax_id), "the tax id is on the A5 page: {text}");
    let png = work.path().join("a5");
    let rendered = Command::new("pdftoppm")
        .args(["-png", "-r", "110", "-singlefile"])
        .arg(&a5)
        .arg(&png)
        .status()
        .expect("pdftoppm (scripts/setup)");
    assert!(rendered.success());
    std::fs::copy(png.with_extension("png"), out.join("tax-invoice-a5.png")).expect("copy the A5 page");
    app.press(keys::ESCAPE).await;

    // Invoice 2 (a walk-in customer, rejected: no tax id) prints shorter by
    // the buyer's block and the tax id, on the same paper.
    app.focus_sale_row(2).await;
    app.press(keys::ENTER).await;
    app.wait_for("[data-testid=legal-seller]", LONG).await;
    assert!(app.find_all("[data-testid=legal-buyer]").await.is_empty(), "a walk-in customer has no buyer's block");
    assert!(app.find_all("[data-testid=invoice-tax-id]").await.is_empty(), "no tax id before it is accepted");
    app.press("p").await;
    let jobs = printer.wait_for_jobs(2, LONG);
    assert!(jobs[0].height > jobs[1].height + 100, "the blocks are on the paper: {:?} vs {:?}", jobs[0], jobs[1]);
    app.press(keys::ESCAPE).await;

    // 4. Settings → مودیان: the rejected first, with the reason.
    app.press(keys::F6).await;
    app.type_into("[data-testid=pin-input]", &format!("{PIN}{}", keys::ENTER)).await;
    app.wait_for("[data-testid=tab-tax]", LONG).await.click().await.expect("Moadian tab");
    app.wait_for("[data-testid=tax-invoice]", LONG).await;
    let rows = app.find_all("[data-testid=tax-invoice]").await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].attr("data-status").await.expect("attr").as_deref(), Some("rejected"));
    assert_eq!(rows[1].attr("data-status").await.expect("attr").as_deref(), Some("accepted"));
    let reason = app.text("[data-testid=tax-reason]").await;
    assert!(reason.contains("سریال صورتحساب"), "the tax organisation's reason: {reason}");
    app.resize(1024, 768).await;
    app.screenshot("tax-statuses-1024x768").await;
    printer.stop();
    app.quit().await;
}

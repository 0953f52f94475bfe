//! Printing at the counter, in the real app (WebKitGTK under Xvfb, through
//! WebDriver), against a stand-in ESC/POS printer on 127.0.0.1:9100 that
//! decodes the raster it is sent:
//! - the owner names the printers once in Settings;
//! - P sends the 80 mm receipt with no dialog: a picture that is not blank
//!   and fits 80 mm at the printer's 8 dots per mm;
//! - Shift+P puts the A5 invoice on an A5 page (the office printer here is a
//!   folder of PDFs), with no dialog;
//! - with the printer off, the app says so in Persian and the sale stays
//!   recorded; once it is back, P prints it;
//! - two pieces' tag labels print to the label printer, and the printed
//!   label's barcode decodes (zbarimg) to the piece's tag.

use std::net::SocketAddr;
use std::process::Command;
use std::time::Duration;

use zargar_e2e::Server;
use zargar_e2e::app::{App, Display, keys, sample_shop};
use zargar_e2e::escpos::StandInPrinter;

const LONG: Duration = Duration::from_secs(60);
const PIN: &str = "1379";

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e} (scripts/setup)"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p_prints_the_receipt_without_a_dialog_and_labels_scan_back() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let (_, home, till) = sample_shop(&server, work.path(), 3, PIN);
    let mut printer = StandInPrinter::bind(SocketAddr::from(([127, 0, 0, 1], 9100)))
        .expect("the stand-in printer needs 127.0.0.1:9100 free");
    let pdfs = work.path().join("pdf");
    std::fs::create_dir_all(&pdfs).expect("pdf folder");
    let out = zargar_e2e::app::repo_root().join("test-output");
    std::fs::create_dir_all(&out).expect("test-output");

    let display = Display::start();
    let app = App::launch(&display, &home).await;

    // 1. The owner names the printers once, in Settings.
    app.press(keys::F6).await;
    app.type_into("[data-testid=pin-input]", &format!("{PIN}{}", keys::ENTER)).await;
    app.wait_for("[data-testid=tab-printers]", LONG).await.click().await.expect("printers tab");
    app.type_into("[data-testid=printer-receipt]", "۱۲۷.۰.۰.۱:۹۱۰۰").await;
    app.type_into("[data-testid=printer-office]", &format!("pdf:{}", pdfs.display())).await;
    app.type_into("[data-testid=printer-label]", &format!("pdf:{}", pdfs.display())).await;
    app.screenshot("printers-settings").await;
    app.wait_for("[data-testid=printers-save]", LONG).await.click().await.expect("save");
    app.wait_for("[data-testid=printers-saved]", LONG).await;
    let saved = app.wait_for("[data-testid=printer-receipt]", LONG).await.prop("value").await.expect("value");
    assert_eq!(saved.as_deref(), Some("127.0.0.1:9100"), "stored in its plain form");

    // 2. A sale, then P: the receipt goes to the printer with no dialog.
    app.press(keys::F1).await;
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    app.sell_by_keyboard("RING-1").await;
    app.press("p").await;
    app.wait_attr("[data-testid=print-status]", "data-state", LONG, |v| v == Some("printed")).await;
    let jobs = printer.wait_for_jobs(1, LONG);
    let receipt = &jobs[0];
    receipt.save_pbm(&out.join("receipt-80mm.pbm")).expect("save the receipt");
    assert!(receipt.black_dots() > 1000, "the receipt is not blank: {receipt:?}");
    assert!(receipt.width() <= 576, "fits 80 mm paper (72 mm printable at 8 dots/mm): {receipt:?}");
    assert!(receipt.height > 400, "a whole receipt, not a sliver: {receipt:?}");
    assert!(receipt.cut, "the paper is cut after it");
    assert!(printer.errors().is_empty(), "only ESC/POS the printer knows: {:?}", printer.errors());
    app.screenshot("receipt-printed").await;

    // 3. Shift+P: the A5 invoice, on an A5 page, with no dialog.
    app.press(&format!("{}P{}", keys::SHIFT, keys::SHIFT)).await;
    let a5 = pdfs.join("invoice-1.pdf");
    zargar_e2e::wait_until("the A5 invoice", LONG, || a5.exists() && std::fs::metadata(&a5).is_ok_and(|m| m.len() > 0));
    let info = run("pdfinfo", &[a5.to_str().expect("path")]);
    assert!(info.contains("(A5)") || info.contains("419.") && info.contains("595."), "an A5 page: {info}");

    // 4. The printer switched off: said in Persian; the sale stays recorded.
    printer.stop();
    app.press("p").await;
    app.wait_attr("[data-testid=print-status]", "data-state", LONG, |v| v == Some("error")).await;
    let said = app.text("[data-testid=print-status]").await;
    assert!(said.contains("چاپگر") && !said.is_ascii(), "said in Persian: {said}");
    app.screenshot("receipt-printer-off").await;
    assert_eq!(till.json(&["invoice", "1", "--json"])["invoice_no"], 1, "the sale is recorded");
    // Back on: P prints it.
    printer.restart().expect("the printer back on 9100");
    app.press("p").await;
    app.wait_attr("[data-testid=print-status]", "data-state", LONG, |v| v == Some("printed")).await;
    assert_eq!(printer.wait_for_jobs(2, LONG).len(), 2, "the reprint arrived");
    app.press(keys::ESCAPE).await;

    // 5. Tag labels of two pieces, marked with Space, printed with L then P.
    app.press(keys::F2).await;
    app.type_into("[data-testid=inventory-search]", "RING").await;
    app.wait_for("[data-testid=inventory-row][data-tag=\"RING-3\"]", LONG).await;
    // ↓ to RING-1 (sold), ↓ to RING-2: mark it, ↓ to RING-3: mark it.
    app.press(keys::ARROW_DOWN).await;
    app.press(keys::ARROW_DOWN).await;
    app.press(" ").await;
    app.press(keys::ARROW_DOWN).await;
    app.press(" ").await;
    app.wait_for("[data-testid=inventory-row][data-marked=true][data-tag=\"RING-3\"]", LONG).await;
    app.press("l").await;
    app.wait_for("[data-testid=label][data-tag=\"RING-2\"]", LONG).await;
    app.screenshot("labels-sheet").await;
    app.press("p").await;
    app.wait_attr("[data-testid=labels-status]", "data-state", LONG, |v| v == Some("printed")).await;
    let sheet = pdfs.join("labels-2.pdf");
    assert!(sheet.exists(), "the labels went to the label printer");
    let info = run("pdfinfo", &[sheet.to_str().expect("path")]);
    assert!(info.contains("Pages:           2"), "one label a page: {info}");
    // The printed label, as a 300 dpi picture, scans back to its piece.
    let png = out.join("label-printed");
    run(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            sheet.to_str().expect("path"),
            png.to_str().expect("path"),
        ],
    );
    let decoded = run("zbarimg", &["--raw", "-q", png.with_extension("png").to_str().expect("path")]);
    assert_eq!(decoded.trim(), "RING-2", "the first label's barcode reads back to its tag");
    app.quit().await;
}

//! Receipt printing against the stand-in ESC/POS network printer: what the
//! core sends is decoded back into an image, and a printer that is off, out
//! of paper or silent is handled as a shop would need.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use zargar_core::print::{Bitmap, DOTS_PER_MM, Paper, PrintError, RECEIPT_80MM_DOTS, ReceiptPrinter, Status};
use zargar_e2e::escpos::{Job, StandInPrinter};

fn printer(p: &StandInPrinter) -> ReceiptPrinter {
    ReceiptPrinter::parse(&p.address()).expect("the stand-in's address parses")
}

/// An 80 mm receipt with a border, a header bar, a few blocks and a last
/// line, taller than one raster band.
fn receipt(height: u32) -> Bitmap {
    let mut b = Bitmap::white(RECEIPT_80MM_DOTS, height).expect("valid size");
    let w = RECEIPT_80MM_DOTS;
    b.fill_rect(0, 0, w, 3);
    b.fill_rect(0, height - 3, w, 3);
    b.fill_rect(0, 0, 3, height);
    b.fill_rect(w - 3, 0, 3, height);
    b.fill_rect(40, 20, 496, 48);
    b.fill_rect(17, 255, 101, 3); // across the first band's edge
    for i in 0..10 {
        b.fill_rect(30 + i * 50, 120 + i * 37, 29, 13 + i);
    }
    b.fill_rect(5, height - 40, 1, 1);
    b
}

/// Saves the job as PBM where a person can look at it, and names the file.
fn saved(job: &Job, name: &str) -> String {
    let path: PathBuf = std::env::temp_dir().join(format!("zargar-printing-{name}-{}.pbm", std::process::id()));
    match job.save_pbm(&path) {
        Ok(()) => format!("the printed image is in {}", path.display()),
        Err(e) => format!("could not save the printed image: {e}"),
    }
}

fn only_job(p: &StandInPrinter) -> Job {
    let jobs = p.jobs();
    assert!(p.errors().is_empty(), "the printer got bytes it does not understand: {:?}", p.errors());
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    jobs.into_iter().next().expect("one job")
}

#[test]
fn a_drawn_receipt_prints_and_decodes_back_identical() {
    let p = StandInPrinter::start();
    let bitmap = receipt(700);
    let out = printer(&p).print_raster(&bitmap).expect("printed");
    assert_eq!(out.status, Status { online: Some(true), paper: Some(Paper::Present) });
    assert!(!out.paper_near_end());

    let job = only_job(&p);
    assert_eq!((job.width(), job.height), (bitmap.width(), bitmap.height()), "{}", saved(&job, "size"));
    assert!(job.bits == bitmap.packed(), "the image differs; {}", saved(&job, "differs"));
    assert_eq!(job.black_dots(), bitmap.black_dots());
    assert_eq!(job.bands, 3, "700 rows go in bands of at most 256");
    assert!(job.cut);
    assert!(job.feed_lines > 0);
    assert_eq!(out.bytes, zargar_core::print::escpos::receipt(&bitmap, true).len());
}

#[test]
fn the_receipt_fits_80mm_paper() {
    // 80 mm paper prints 72 mm: 576 dots at 8 dots/mm.
    assert_eq!(RECEIPT_80MM_DOTS / DOTS_PER_MM, 72);
    let p = StandInPrinter::start();
    printer(&p).print_raster(&receipt(64)).expect("printed");
    let job = only_job(&p);
    assert_eq!(job.width(), RECEIPT_80MM_DOTS);
    assert!(job.width() <= 72 * DOTS_PER_MM);
    assert!(job.dot(0, 0) && job.dot(575, 63) && !job.dot(576, 0));
}

#[test]
fn out_of_paper_prints_nothing_until_a_roll_is_loaded() {
    let p = StandInPrinter::start();
    p.set_paper_out(true);
    let e = printer(&p).print_raster(&receipt(64)).expect_err("refused");
    assert!(matches!(e, PrintError::OutOfPaper { .. }), "{e}");
    assert_eq!(e.code(), "printer_out_of_paper");
    assert!(e.is_retryable());
    assert!(p.jobs().is_empty(), "no raster may reach a printer without paper");
    assert!(p.errors().is_empty(), "{:?}", p.errors());
    assert_eq!(p.status_queries(), 2);

    p.set_paper_out(false);
    printer(&p).print_raster(&receipt(64)).expect("printed after the roll was loaded");
    assert!(only_job(&p).cut);
}

#[test]
fn an_offline_printer_gets_nothing() {
    let p = StandInPrinter::start();
    p.set_offline(true);
    let e = printer(&p).print_raster(&receipt(64)).expect_err("refused");
    assert_eq!(e.code(), "printer_offline", "{e}");
    assert!(p.jobs().is_empty());
    let status = printer(&p).status().expect("status");
    assert_eq!(status, Status { online: Some(false), paper: Some(Paper::Present) });
}

#[test]
fn a_low_roll_prints_and_says_so() {
    let p = StandInPrinter::start();
    p.set_paper_low(true);
    let out = printer(&p).print_raster(&receipt(64)).expect("printed");
    assert!(out.paper_near_end());
    only_job(&p);
}

#[test]
fn a_switched_off_printer_is_unreachable_then_prints_when_back() {
    let mut p = StandInPrinter::start();
    let address = printer(&p);
    p.stop();
    let started = Instant::now();
    let e = address.print_raster(&receipt(64)).expect_err("nothing listens");
    assert!(matches!(&e, PrintError::Unreachable { printer, .. } if *printer == p.address()), "{e}");
    assert!(e.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(5), "a refused connection fails at once");
    assert_eq!(address.status().err().map(|e| e.code()), Some("printer_unreachable"));

    p.restart().expect("switched on again");
    address.print_raster(&receipt(64)).expect("the reprint");
    assert_eq!(only_job(&p).height, 64);
}

#[test]
fn a_printer_that_never_answers_status_still_prints() {
    let p = StandInPrinter::start();
    p.set_silent(true);
    let out = printer(&p).print_raster(&receipt(300)).expect("printed");
    assert_eq!(out.status, Status::default(), "nothing was reported");
    assert_eq!(p.status_queries(), 1, "not answering the first, it is not asked the second");
    assert_eq!(only_job(&p).bits, receipt(300).packed());
}

#[test]
fn asking_the_status_prints_nothing() {
    let p = StandInPrinter::start();
    let status = printer(&p).status().expect("status");
    assert_eq!(status, Status { online: Some(true), paper: Some(Paper::Present) });
    p.set_paper_out(true);
    assert_eq!(printer(&p).status().expect("status").paper, Some(Paper::Out));
    assert!(p.jobs().is_empty());
    assert!(p.errors().is_empty(), "{:?}", p.errors());
    assert_eq!(p.connections(), 2);
}

#[test]
fn one_printer_takes_receipts_one_after_another() {
    let p = StandInPrinter::start();
    let address = printer(&p);
    for h in [10, 256, 257, 513] {
        address.print_raster(&receipt(h.max(48))).expect("printed");
    }
    let jobs = p.wait_for_jobs(4, Duration::from_secs(5));
    let heights: Vec<u32> = jobs.iter().map(|j| j.height).collect();
    assert_eq!(heights, [48, 256, 257, 513]);
    let bands: Vec<u32> = jobs.iter().map(|j| j.bands).collect();
    assert_eq!(bands, [1, 1, 2, 3]);
    assert!(p.errors().is_empty(), "{:?}", p.errors());
}

//! `zargar printer`: what the app does with a receipt printer, for IT. Print
//! a test page, or ask a printer whether it is online and has paper.
//!
//! ADDRESS is what the owner types in Settings: `192.168.1.50` (port 9100),
//! `192.168.1.50:9100`, `tcp://host:port`, `/dev/usb/lp0` (or
//! `usb:/dev/usb/lp0`), `cups:NAME`. The test page is a raster drawn here
//! (no text: the printer has no Persian font, and the page must not need
//! one), so it shows what a receipt will: the printable width and the dots.

use clap::Subcommand;
use rust_decimal::Decimal;
use zargar_core::error::Arg;
use zargar_core::print::{Bitmap, DOTS_PER_MM, Paper, PrintError, RECEIPT_80MM_DOTS, ReceiptPrinter, Status};

use crate::{Ctx, Failure, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum PrinterCmd {
    /// Print a test page: a border, a millimetre ruler, a checkerboard and
    /// the width in dots as groups of bars (5, 7 and 6 bars for 576; a
    /// hollow square is a 0). Then what the printer said about itself.
    Test {
        /// 192.168.1.50[:9100], tcp://host:port, /dev/usb/lp0, cups:NAME.
        address: String,
        /// The printable width in dots: 576 for 80 mm paper, 384 for 58 mm.
        #[arg(long, default_value_t = RECEIPT_80MM_DOTS, value_parser = clap::value_parser!(u32).range(16..=832))]
        width: u32,
    },
    /// Ask a printer whether it is online and has paper; prints nothing.
    /// Exits 1 when it answers offline or out of paper.
    Status {
        /// 192.168.1.50[:9100], tcp://host:port, /dev/usb/lp0, cups:NAME.
        address: String,
    },
    /// Where this till prints, as the owner sets it in the app's Settings
    /// (an empty value: the system's print dialog).
    Set {
        /// The receipt printer: 192.168.1.50[:9100], /dev/usb/lp0, cups:NAME.
        #[arg(long, default_value = "")]
        receipt: String,
        /// The A5 invoice printer: a CUPS queue, or pdf:/folder.
        #[arg(long, default_value = "")]
        office: String,
        /// The label printer: a CUPS queue, or pdf:/folder.
        #[arg(long, default_value = "")]
        label: String,
        /// The label roll, WIDTHxHEIGHT in mm (50x30, 40x25, 60x40, 72x12).
        #[arg(long, default_value = "50x30")]
        label_size: String,
    },
    /// This till's printers.
    Show,
}

pub(crate) fn printer(ctx: &Ctx, cmd: PrinterCmd) -> Outcome {
    match cmd {
        PrinterCmd::Test { address, width } => test(ctx, &address, width),
        PrinterCmd::Status { address } => status(ctx, &address),
        PrinterCmd::Set { receipt, office, label, label_size } => {
            let mut store = ctx.store()?;
            let input = zargar_core::store::PrintersInput { receipt, office, label, label_size };
            show(ctx, &store.set_printers(&input)?);
            Ok(())
        }
        PrinterCmd::Show => {
            show(ctx, &ctx.store()?.printers()?);
            Ok(())
        }
    }
}

fn show(ctx: &Ctx, p: &zargar_core::store::Printers) {
    let text = |v: Option<String>| v.unwrap_or_default();
    let (receipt, office, label) = (
        text(p.receipt.as_ref().map(ToString::to_string)),
        text(p.office.as_ref().map(ToString::to_string)),
        text(p.label.as_ref().map(ToString::to_string)),
    );
    if ctx.json {
        ctx.print_json(&serde_json::json!({
            "receipt": receipt, "office": office, "label": label, "label_size": p.label_size.to_string(),
        }));
    } else {
        println!("receipt: {receipt}");
        println!("office: {office}");
        println!("label: {label}");
        println!("label_size: {}", p.label_size);
    }
}

fn test(ctx: &Ctx, address: &str, width: u32) -> Outcome {
    let printer = ReceiptPrinter::parse(address).map_err(|e| fail(ctx, &e))?;
    let page = test_pattern(width).map_err(|e| fail(ctx, &e))?;
    let out = printer.print_raster(&page).map_err(|e| fail(ctx, &e))?;
    let name = printer.to_string();
    if ctx.json {
        ctx.print_json(&serde_json::json!({
            "ok": true,
            "printer": name,
            "width": page.width(),
            "height": page.height(),
            "bytes": out.bytes,
            "online": out.status.online,
            "paper": out.status.paper,
        }));
    } else {
        let mm = Decimal::from(page.width()) / Decimal::from(DOTS_PER_MM);
        let args = [
            ("printer", Arg::Text(name)),
            ("width", Arg::Number(page.width().into())),
            ("mm", Arg::Number(mm.normalize())),
            ("bytes", Arg::Number(out.bytes.into())),
        ];
        println!("{}", ctx.tf("cli-printer-test-printed", &args));
        print_status(ctx, out.status);
    }
    Ok(())
}

fn status(ctx: &Ctx, address: &str) -> Outcome {
    let printer = ReceiptPrinter::parse(address).map_err(|e| fail(ctx, &e))?;
    let status = printer.status().map_err(|e| fail(ctx, &e))?;
    let ready = status.online != Some(false) && status.paper != Some(Paper::Out);
    if ctx.json {
        ctx.print_json(&serde_json::json!({
            "ok": ready,
            "printer": printer.to_string(),
            "online": status.online,
            "paper": status.paper,
        }));
    } else {
        println!("{}", ctx.tf("cli-printer-name", &[("printer", Arg::Text(printer.to_string()))]));
        print_status(ctx, status);
    }
    // Offline or without paper is a finding, reported above: exit 1 for scripts.
    if ready { Ok(()) } else { Err(Failure::Reported) }
}

fn print_status(ctx: &Ctx, status: Status) {
    let online = match status.online {
        Some(true) => "cli-printer-online",
        Some(false) => "cli-printer-offline",
        None => "cli-printer-online-unknown",
    };
    let paper = match status.paper {
        Some(Paper::Present) => "cli-printer-paper-present",
        Some(Paper::NearEnd) => "cli-printer-paper-near-end",
        Some(Paper::Out) => "cli-printer-paper-out",
        None => "cli-printer-paper-unknown",
    };
    println!("{}", ctx.t(online));
    println!("{}", ctx.t(paper));
}

/// Prints the error as `main` prints failures, with the printer's own code
/// (`printer_offline`…) for scripts.
fn fail(ctx: &Ctx, e: &PrintError) -> Failure {
    let message = e.localize(ctx.lang);
    if ctx.json {
        ctx.print_json(&serde_json::json!({"error": {"code": e.code(), "message": message}}));
    } else {
        eprintln!("{message}");
    }
    Failure::Reported
}

/// The test page, `width` dots wide: what IT looks for is that the border
/// is whole on all four sides (the width is right), the ruler's ticks are
/// 1 mm apart (8 dots/mm), and the checkerboard is crisp (no dots lost).
fn test_pattern(width: u32) -> Result<Bitmap, PrintError> {
    const HEIGHT: u32 = 200;
    let mut b = Bitmap::white(width, HEIGHT)?;
    // Border, 2 dots.
    b.fill_rect(0, 0, width, 2);
    b.fill_rect(0, HEIGHT - 2, width, 2);
    b.fill_rect(0, 0, 2, HEIGHT);
    b.fill_rect(width.saturating_sub(2), 0, 2, HEIGHT);
    // Ruler from the left edge: a tick each millimetre, longer each 5 and 10.
    let mm = DOTS_PER_MM;
    for x in (0..width).step_by(mm as usize) {
        let (len, thick) = match x / mm {
            n if n % 10 == 0 => (28, 2),
            n if n % 5 == 0 => (18, 1),
            _ => (10, 1),
        };
        b.fill_rect(x, 8, thick, len);
    }
    // Checkerboard of 1 mm squares across the inside.
    for row in 0..8 {
        for col in 0..width.saturating_sub(8) / mm {
            if (row + col) % 2 == 0 {
                b.fill_rect(4 + col * mm, 48 + row * mm, mm, mm);
            }
        }
    }
    // The width in dots, digit by digit: n bars for n, a hollow square for 0.
    let mut x = 16;
    for digit in width.to_string().bytes().map(|d| u32::from(d.saturating_sub(b'0'))) {
        if digit == 0 {
            b.fill_rect(x, 128, 24, 3);
            b.fill_rect(x, 149, 24, 3);
            b.fill_rect(x, 128, 3, 24);
            b.fill_rect(x + 21, 128, 3, 24);
            x += 24;
        } else {
            for _ in 0..digit {
                b.fill_rect(x, 128, 6, 48);
                x += 12;
            }
            x -= 6;
        }
        x += 24;
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_page_has_its_border_and_fits_the_width() {
        for width in [RECEIPT_80MM_DOTS, 384, 832, 16] {
            let page = test_pattern(width).expect("valid");
            assert_eq!(page.width(), width);
            for (x, y) in [(0, 0), (width - 1, 0), (0, 199), (width - 1, 199), (width / 2, 1), (1, 100)] {
                assert!(page.get(x, y), "{width}: the border at ({x}, {y})");
            }
            assert!(!page.get(width / 2, 120), "{width}: the inside is not all black");
        }
    }

    #[test]
    fn the_width_is_drawn_as_bars() {
        // 576: 5, 7 and 6 bars along row 170, between the groups a gap.
        let page = test_pattern(576).expect("valid");
        let mut groups = Vec::new();
        let mut bars = 0;
        let mut gap = 0;
        let mut was_black = false;
        for x in 8..570 {
            let black = page.get(x, 170);
            if black && !was_black {
                if gap > 12 && bars > 0 {
                    groups.push(bars);
                    bars = 0;
                }
                bars += 1;
                gap = 0;
            }
            if !black {
                gap += 1;
            }
            was_black = black;
        }
        groups.push(bars);
        assert_eq!(groups, [5, 7, 6]);
    }

    #[test]
    fn too_wide_is_refused_not_drawn() {
        assert_eq!(test_pattern(833).err().map(|e| e.code()), Some("print_image_bad"));
    }
}

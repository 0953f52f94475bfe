//! Printing: where this till prints, a receipt without a dialog, pages and labels.

use tauri::State;
use zargar_core::StoreError;
use zargar_core::persian;

use crate::error::{AppError, AppResult};
use crate::ipc::*;
use crate::till::Till;

#[tauri::command]
pub async fn printers(till: State<'_, Till>) -> AppResult<PrintersView> {
    till.store(|s| Ok(s.printers()?.into())).await
}

/// Owner only: where this till prints.
#[tauri::command]
pub async fn set_printers(till: State<'_, Till>, input: PrintersInput) -> AppResult<PrintersView> {
    till.require_owner()?;
    till.store(move |s| {
        let input = zargar_core::store::PrintersInput {
            receipt: input.receipt,
            office: input.office,
            label: input.label,
            label_size: input.label_size,
        };
        Ok(s.set_printers(&input)?.into())
    })
    .await
}

/// Sends a receipt the UI drew to the receipt printer, without a dialog.
/// The sale is saved whatever happens here; a printer that is off or out
/// of paper is said in the cashier's language, and P prints it again.
#[tauri::command]
pub async fn print_receipt(till: State<'_, Till>, raster: RasterInput) -> AppResult<PrintedView> {
    use base64::Engine as _;
    let printer = till.store(|s| Ok(s.printers()?.receipt)).await?.ok_or(StoreError::NoPrinter)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(raster.bits.as_bytes())
        .map_err(|_| zargar_core::print::PrintError::ImageBad {
            width: raster.width,
            height: raster.height,
            reason: "base64",
        })
        .map_err(StoreError::from)?;
    let mut bitmap =
        zargar_core::print::Bitmap::from_packed(raster.width, raster.height, bytes).map_err(StoreError::from)?;
    bitmap.trim_trailing_white();
    // Network and device IO, bounded by the printer's own timeouts: off the async workers.
    let outcome = tokio::task::spawn_blocking(move || printer.print_raster(&bitmap))
        .await
        .map_err(AppError::internal)?
        .map_err(StoreError::from)?;
    Ok(PrintedView { paper_near_end: outcome.paper_near_end() })
}

/// Prints what the window shows (the UI has put its print class on) to the
/// office or label printer, without a dialog.
#[tauri::command]
pub async fn print_page(
    window: tauri::WebviewWindow,
    till: State<'_, Till>,
    printer: PagePrinter,
    job: String,
) -> AppResult<()> {
    let printers = till.store(|s| Ok(s.printers()?)).await?;
    let (target, paper) = match printer {
        PagePrinter::Office => (printers.office, crate::page_print::Paper::A5),
        PagePrinter::Label => (
            printers.label,
            crate::page_print::Paper {
                width_mm: printers.label_size.width_mm(),
                height_mm: printers.label_size.height_mm(),
            },
        ),
    };
    let target = target.ok_or(StoreError::NoPrinter)?;
    // A job name is a file name in a PDF folder: keep it to plain characters.
    let job: String = job.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(64).collect();
    crate::page_print::print_page(&window, &target, paper, if job.is_empty() { "zargar" } else { &job }).await
}

/// Tag labels of these pieces (tags or barcodes) on the till's label roll.
#[tauri::command]
pub async fn label_sheet(till: State<'_, Till>, tags: Vec<String>) -> AppResult<LabelSheetView> {
    till.store(move |s| {
        let size = s.printers()?.label_size;
        let f = zargar_core::invoice::Formatter::new(s.language()?, s.settings()?.display_unit);
        let mut labels = Vec::new();
        for code in &tags {
            let code = persian::fold_digits(code.trim());
            let item = s.find_item(&code)?.ok_or(StoreError::ItemNotFound(code))?;
            let svg = zargar_core::label::label_svg(&item, size, f).map_err(StoreError::from)?;
            labels.push(LabelView { tag: item.tag, svg });
        }
        Ok(LabelSheetView { width_mm: size.width_mm(), height_mm: size.height_mm(), labels })
    })
    .await
}

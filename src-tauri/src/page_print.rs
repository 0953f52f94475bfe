//! Silent printing of what the window shows, through WebKitGTK and GTK's
//! print backends: to a system (CUPS) printer by name, or into a folder as
//! PDF: the A5 invoice and tag labels. No dialog: the printer was chosen
//! once in Settings. The page's own print CSS (a class the UI puts on
//! <html>) decides what is printed; the paper size is set here, so an A5
//! invoice or a 50×30 mm label never comes out on A4. (The 80 mm receipt
//! goes to its printer as dots: `commands::print_receipt`.)

use tauri::{Runtime, WebviewWindow};
use zargar_core::print::PageTarget;

use crate::error::{AppError, AppResult};

/// A sheet's size, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paper {
    pub width_mm: u32,
    pub height_mm: u32,
}

impl Paper {
    pub const A5: Paper = Paper { width_mm: 148, height_mm: 210 };
}

/// Prints the window's page on `paper` to `target`, and waits until GTK
/// has handed the job over (or failed). `job` names the job, and the PDF.
pub async fn print_page<R: Runtime>(
    window: &WebviewWindow<R>,
    target: &PageTarget,
    paper: Paper,
    job: &str,
) -> AppResult<()> {
    let (done, finished) = tokio::sync::oneshot::channel::<Result<(), String>>();
    let target = target.clone();
    let job = job.to_owned();
    window
        .with_webview(move |webview| {
            use webkit2gtk::PrintOperationExt;
            let operation = webkit2gtk::PrintOperation::new(&webview.inner());
            let settings = gtk::PrintSettings::new();
            match &target {
                PageTarget::Printer(name) => settings.set_printer(name),
                PageTarget::PdfFolder(dir) => {
                    // GTK's own "Print to File" backend: no CUPS needed.
                    settings.set_printer("Print to File");
                    settings.set(gtk::PRINT_SETTINGS_OUTPUT_FILE_FORMAT, Some("pdf"));
                    let uri = format!("file://{}", dir.join(format!("{job}.pdf")).display());
                    settings.set(gtk::PRINT_SETTINGS_OUTPUT_URI, Some(&uri));
                }
            }
            settings.set(gtk::PRINT_SETTINGS_OUTPUT_BASENAME, Some(&job));
            let size = gtk::PaperSize::new_custom(
                "zargar",
                &job,
                f64::from(paper.width_mm),
                f64::from(paper.height_mm),
                gtk::Unit::Mm,
            );
            let setup = gtk::PageSetup::new();
            setup.set_paper_size(&size);
            setup.set_top_margin(0.0, gtk::Unit::Mm);
            setup.set_bottom_margin(0.0, gtk::Unit::Mm);
            setup.set_left_margin(0.0, gtk::Unit::Mm);
            setup.set_right_margin(0.0, gtk::Unit::Mm);
            settings.set_paper_size(&size);
            operation.set_print_settings(&settings);
            operation.set_page_setup(&setup);
            // Either signal ends the wait; the first one wins.
            let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
            let on_fail = done.clone();
            operation.connect_failed(move |_, e| {
                if let Some(tx) = on_fail.borrow_mut().take() {
                    let _ = tx.send(Err(e.to_string()));
                }
            });
            operation.connect_finished(move |_| {
                if let Some(tx) = done.borrow_mut().take() {
                    let _ = tx.send(Ok(()));
                }
            });
            operation.print();
        })
        .map_err(AppError::internal)?;
    let detail = match tokio::time::timeout(std::time::Duration::from_secs(60), finished).await {
        Ok(Ok(Ok(()))) => return Ok(()),
        Ok(Ok(Err(detail))) => detail,
        Ok(Err(_)) | Err(_) => "no answer from the print backend".to_owned(),
    };
    Err(zargar_core::StoreError::from(zargar_core::print::PrintError::Page { detail }).into())
}

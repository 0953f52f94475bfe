//! `zargar-pos`: the desktop shell. Thin commands over `zargar-core`; the
//! sync engine runs beside the UI and reports through events.

pub mod commands;
pub mod error;
pub mod ipc;
pub mod page_print;
pub mod single_instance;
pub mod till;
pub mod updates;

use tauri::Manager;

use crate::error::AppError;
use crate::single_instance::Instance;
use crate::till::Till;
use crate::updates::Updates;

/// Why the till could not open (a newer app's database, a broken disk): the
/// window still comes up and says so, and nothing is written.
#[derive(Debug)]
pub struct StartFailure(pub AppError);

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ZARGAR_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();

    let app = tauri::Builder::default()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let dir = app.path().app_data_dir()?;
            let handle = app.handle().clone();
            let focus = move || {
                if let Some(w) = handle.get_webview_window("main") {
                    let _ = w.unminimize();
                    let _ = w.show();
                    let _ = w.set_focus();
                }
            };
            match single_instance::claim(&dir, focus)? {
                Instance::Second => {
                    tracing::info!("zargar-pos is already running for this data folder; brought it to the front");
                    std::process::exit(0);
                }
                Instance::First(guard) => {
                    app.manage(guard);
                }
            }
            let preset_path = zargar_core::preset::path();
            let preset = zargar_core::preset::read(&preset_path);
            let endpoint = preset.as_ref().ok().and_then(|p| p.as_ref()?.update_endpoint.clone());
            app.manage(Updates::new(app.handle(), endpoint));
            let till = match Till::open(app.handle().clone(), &dir, preset) {
                Ok(till) => till,
                Err(e) => {
                    tracing::error!(code = e.code(), dir = %dir.display(), "cannot open the till");
                    app.manage(StartFailure(e));
                    return Ok(());
                }
            };
            tracing::info!(db = %till.db.display(), "till opened");
            app.manage(till);
            let handle = app.handle().clone();
            tauri::async_runtime::block_on(async move {
                if let Err(e) = handle.state::<Till>().start_engine().await {
                    tracing::error!(code = e.code(), "sync engine did not start");
                }
            });
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move { handle.state::<Till>().enrol_from_preset().await });
            Updates::spawn_checks(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::find_item,
            commands::list_items,
            commands::quote_sale,
            commands::record_sale,
            commands::sale_by_invoice,
            commands::quote_return,
            commands::record_return,
            commands::save_item,
            commands::set_item_status,
            commands::printers,
            commands::set_printers,
            commands::print_receipt,
            commands::print_page,
            commands::label_sheet,
            commands::sales_day,
            commands::export_sales_csv,
            commands::search_customers,
            commands::add_customer,
            commands::gold_prices,
            commands::preview_gold_price,
            commands::set_gold_price,
            commands::sync_status,
            commands::sync_now,
            commands::conflicts,
            commands::preview_resubmit,
            commands::resolve_conflict,
            commands::set_owner_pin,
            commands::unlock_owner,
            commands::sign_in,
            commands::sign_out,
            commands::shift_status,
            commands::open_shift,
            commands::move_cash,
            commands::close_shift,
            commands::account,
            commands::record_account_move,
            commands::set_credit_limit,
            commands::shop_report,
            commands::tax_invoices,
            commands::people,
            commands::save_person,
            commands::save_report_csv,
            commands::lock_owner,
            commands::settings,
            commands::set_setting,
            commands::set_language,
            commands::enroll,
            commands::update_status,
            commands::check_update,
            commands::install_update,
            commands::restart_app,
        ])
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "zargar-pos could not start");
            std::process::exit(1);
        });

    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            // Let a round in flight finish its transaction before the process goes.
            if let Some(till) = handle.try_state::<Till>() {
                tauri::async_runtime::block_on(till.stop_engine());
            }
        }
    });
}

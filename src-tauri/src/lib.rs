//! `zargar-pos`: the desktop shell. Thin commands over `zargar-core`; the
//! sync engine runs beside the UI and reports through events.

pub mod commands;
pub mod error;
pub mod ipc;
pub mod single_instance;
pub mod till;

use tauri::Manager;

use crate::single_instance::Instance;
use crate::till::Till;

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ZARGAR_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();

    let app = tauri::Builder::default()
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
            let till =
                Till::open(app.handle().clone(), &dir).map_err(|e| format!("cannot open the till: {}", e.code()))?;
            tracing::info!(db = %till.db.display(), "till opened");
            app.manage(till);
            let handle = app.handle().clone();
            tauri::async_runtime::block_on(async move {
                if let Err(e) = handle.state::<Till>().start_engine().await {
                    tracing::error!(code = e.code(), "sync engine did not start");
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::find_item,
            commands::list_items,
            commands::quote_sale,
            commands::record_sale,
            commands::sale_by_invoice,
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
            commands::lock_owner,
            commands::settings,
            commands::set_setting,
            commands::set_language,
            commands::enroll,
        ])
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "zargar-pos could not start");
            std::process::exit(1);
        });

    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            // Let a round in flight finish its transaction before the process goes.
            let till = handle.state::<Till>();
            tauri::async_runtime::block_on(till.stop_engine());
        }
    });
}

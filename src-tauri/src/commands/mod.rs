//! The commands the UI calls, a file per screen: each takes the till's state, calls
//! `zargar-core`, and maps the answer to IPC types. No SQL, no HTTP, no
//! business rule lives here. The list at the bottom is checked against
//! `build.rs`, the capability file and `ui/src/lib/api.ts` by tests.

use tauri::{AppHandle, Manager};
use zargar_core::Store;

use crate::StartFailure;
use crate::error::{AppError, AppResult};
use crate::ipc::*;
use crate::till::Till;

mod accounts;
mod conflicts;
mod day;
mod inventory;
mod people;
mod prices;
mod printing;
mod report;
mod sale;
mod settings;
mod shift;
mod sync;
mod tax;

pub use accounts::*;
pub use conflicts::*;
pub use day::*;
pub use inventory::*;
pub use people::*;
pub use prices::*;
pub use printing::*;
pub use report::*;
pub use sale::*;
pub use settings::*;
pub use shift::*;
pub use sync::*;
pub use tax::*;

include!("../command_names.rs");

pub(super) fn shop_name(store: &Store) -> AppResult<Option<String>> {
    Ok(store.sync_link()?.map(|l| l.tenant.name))
}

pub(super) fn sale_view(store: &Store, sale: &zargar_core::sale::Sale) -> AppResult<SaleView> {
    let returns = store.returns_of_sale(sale.id)?;
    Ok(SaleView::new(sale, &store.device()?.name, shop_name(store)?)
        .with_returns(&returns)
        .with_legal(store.legal_blocks(sale)?))
}

/// The till as the UI starts it; when the till could not open, why.
#[tauri::command]
pub async fn app_info(app: AppHandle) -> AppResult<AppInfo> {
    match app.try_state::<Till>() {
        Some(till) => till.info().await,
        None => Err(match app.try_state::<StartFailure>() {
            Some(f) => AppError(f.0.0.clone()),
            None => AppError::internal("the till is not open"),
        }),
    }
}

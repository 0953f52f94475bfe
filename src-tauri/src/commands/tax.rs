//! The owner's view of the shop's Moadian invoices (Settings → مودیان).

use tauri::State;
use zargar_core::wire::TaxInvoiceState;

use crate::error::AppResult;
use crate::till::Till;

/// The rejected first, with the tax organisation's reasons, then the newest.
#[tauri::command]
pub async fn tax_invoices(till: State<'_, Till>) -> AppResult<Vec<TaxInvoiceState>> {
    till.require_owner()?;
    till.store(|s| Ok(s.tax_invoices(200)?)).await
}

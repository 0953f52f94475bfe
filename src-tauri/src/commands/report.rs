//! The owner's Reports (in Settings): the whole shop's day from its server,
//! and the same as CSV. An owner's device only; the server says so to any other.

use tauri::{AppHandle, Manager, State};
use zargar_core::StoreError;
use zargar_core::sync::{self, SyncConfig};

use super::day::tehran_day;
use crate::error::{AppError, AppResult};
use crate::ipc::*;
use crate::till::Till;

/// Tehran days `from` (today when absent) to `to` (`from` when absent).
fn days(from: Option<&str>, to: Option<&str>) -> AppResult<(chrono::NaiveDate, chrono::NaiveDate)> {
    let from = tehran_day(from)?;
    Ok((from, if to.is_some() { tehran_day(to)? } else { from }))
}

/// from, to: Tehran days (`YYYY-MM-DD`, Jalali or Gregorian), today when absent.
#[tauri::command]
pub async fn shop_report(till: State<'_, Till>, from: Option<String>, to: Option<String>) -> AppResult<ShopReportView> {
    till.require_owner()?;
    let (from, to) = days(from.as_deref(), to.as_deref())?;
    let report = sync::shop_report(&till.db, from, to, &SyncConfig::default()).await?;
    Ok(ShopReportView::new(report, from, to))
}

/// Saves the report as CSV where the owner chooses; the path, or none when
/// the owner cancelled.
#[tauri::command]
pub async fn save_report_csv(
    app: AppHandle,
    till: State<'_, Till>,
    from: Option<String>,
    to: Option<String>,
) -> AppResult<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    till.require_owner()?;
    let (from, to) = days(from.as_deref(), to.as_deref())?;
    let csv = sync::shop_report_csv(&till.db, from, to, &SyncConfig::default()).await?;
    let lang = till.store(|s| Ok(s.language()?)).await?;
    let messages = zargar_core::i18n::messages(lang);
    let dir = app.path().download_dir().or_else(|_| app.path().home_dir()).map_err(AppError::internal)?;
    let chosen = app
        .dialog()
        .file()
        .set_title(messages.text("report-save-title"))
        .set_directory(&dir)
        .set_file_name(format!("zargar-shop-{from}-{to}.csv"))
        .add_filter(messages.text("salesday-export-filter"), &["csv"])
        .blocking_save_file();
    let Some(chosen) = chosen else { return Ok(None) };
    let path = chosen.into_path().map_err(AppError::internal)?;
    // Written beside and renamed, so a half-written file never has the name.
    let tmp = path.with_extension("csv.part");
    std::fs::write(&tmp, csv).map_err(StoreError::Io)?;
    std::fs::rename(&tmp, &path).map_err(StoreError::Io)?;
    Ok(Some(path.display().to_string()))
}

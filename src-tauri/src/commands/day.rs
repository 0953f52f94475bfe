//! The Sales screen: the day's rows and totals, and their CSV.

use chrono::{NaiveDate, Utc};
use tauri::{AppHandle, Manager, State};
use zargar_core::StoreError;
use zargar_core::error::Field;
use zargar_core::persian;
use zargar_core::store::TimeSpan;

use crate::error::{AppError, AppResult};
use crate::ipc::*;
use crate::till::Till;

/// A day as the UI sends it (YYYY-MM-DD, Jalali or Gregorian), or today in Tehran.
pub(super) fn tehran_day(day: Option<&str>) -> AppResult<NaiveDate> {
    match day.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(persian::tehran_date(Utc::now())),
        Some(d) => persian::parse_date(d).ok_or_else(|| zargar_core::ValidationError::new(Field::Date, d).into()),
    }
}

#[tauri::command]
pub async fn sales_day(till: State<'_, Till>, day: Option<String>) -> AppResult<SalesDay> {
    let day = tehran_day(day.as_deref())?;
    till.store(move |s| {
        let span = TimeSpan::tehran_days(Some(day), Some(day));
        Ok(SalesDay {
            day: day.format("%Y-%m-%d").to_string(),
            sales: s.day_entries(span, 10_000)?,
            totals: s.sales_report(span)?,
        })
    })
    .await
}

/// The day's CSV, saved where the owner chooses in the system's save
/// dialog (Downloads offered first); the path, or null when cancelled.
#[tauri::command]
pub async fn export_sales_csv(app: AppHandle, till: State<'_, Till>, day: Option<String>) -> AppResult<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let day = tehran_day(day.as_deref())?;
    let lang = till.store(|s| Ok(s.language()?)).await?;
    let dir = app.path().download_dir().or_else(|_| app.path().home_dir()).map_err(AppError::internal)?;
    let messages = zargar_core::i18n::messages(lang);
    let chosen = app
        .dialog()
        .file()
        .set_title(messages.text("salesday-export-title"))
        .set_directory(&dir)
        .set_file_name(format!("zargar-sales-{}.csv", day.format("%Y-%m-%d")))
        .add_filter(messages.text("salesday-export-filter"), &["csv"])
        .blocking_save_file();
    let Some(chosen) = chosen else { return Ok(None) };
    let path = chosen.into_path().map_err(AppError::internal)?;
    till.store(move |s| {
        let rows = s.export_rows(TimeSpan::tehran_days(Some(day), Some(day)))?;
        // Written beside and renamed, so a half-written file never has the name.
        let tmp = path.with_extension("csv.part");
        let file = std::fs::File::create(&tmp).map_err(StoreError::Io)?;
        zargar_core::export::write_csv(&rows, s.language()?, std::io::BufWriter::new(file))?;
        std::fs::rename(&tmp, &path).map_err(StoreError::Io)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

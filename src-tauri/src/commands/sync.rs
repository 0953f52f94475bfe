//! The link to the shop's server: status, a round now, enrolment.

use tauri::State;

use crate::error::AppResult;
use crate::ipc::*;
use crate::till::Till;

#[tauri::command]
pub async fn sync_status(till: State<'_, Till>) -> AppResult<SyncView> {
    till.sync_view().await
}

#[tauri::command]
pub async fn sync_now(till: State<'_, Till>) -> AppResult<()> {
    till.sync_now().await;
    Ok(())
}

#[tauri::command]
pub async fn enroll(till: State<'_, Till>, server_url: String, code: String) -> AppResult<AppInfo> {
    till.require_owner()?;
    till.enroll(&server_url, &code).await?;
    till.info().await
}

//! The drawer screen: the open shift's X report, its float and cash moved
//! in and out, the close with the cash counted by note and its Z report.

use chrono::Utc;
use tauri::State;
use zargar_core::error::Field;
use zargar_core::rules::money::Rial;
use zargar_core::store::{NOTES, NoteCount, ZReport};

use crate::error::AppResult;
use crate::ipc::*;
use crate::till::Till;

#[tauri::command]
pub async fn shift_status(till: State<'_, Till>) -> AppResult<ShiftStatusView> {
    till.store(|s| {
        let open = match s.current_shift()? {
            Some(_) => Some(s.x_report()?),
            None => None,
        };
        Ok(ShiftStatusView {
            open,
            last_z: s.z_reports(1)?.into_iter().next(),
            notes: NOTES.iter().map(|n| Rial::from_i64(*n)).collect(),
        })
    })
    .await
}

/// float: as typed in the display unit; empty or null when not counted.
#[tauri::command]
pub async fn open_shift(till: State<'_, Till>, float: Option<String>) -> AppResult<ShiftStatusView> {
    till.store(move |s| {
        let unit = s.settings()?.display_unit;
        let float = float.as_deref().map(str::trim).filter(|f| !f.is_empty());
        let float = float.map(|f| unit.parse_amount(Field::Amount, f)).transpose()?;
        s.open_shift(float, Utc::now())?;
        Ok(())
    })
    .await?;
    shift_status(till).await
}

/// amount: as typed in the display unit; out: taken from the drawer.
#[tauri::command]
pub async fn move_cash(till: State<'_, Till>, amount: String, out: bool, reason: String) -> AppResult<ShiftStatusView> {
    till.store(move |s| {
        let unit = s.settings()?.display_unit;
        let amount = unit.parse_amount(Field::Amount, &amount)?;
        s.move_cash(if out { Rial::ZERO - amount } else { amount }, &reason, Utc::now())?;
        Ok(())
    })
    .await?;
    shift_status(till).await
}

/// counts: how many of each note (Rials, as `ShiftStatusView::notes` gives them).
#[tauri::command]
pub async fn close_shift(till: State<'_, Till>, counts: Vec<NoteCount>) -> AppResult<ZReport> {
    let z = till.store(move |s| Ok(s.close_shift(&counts, Utc::now())?)).await?;
    till.recorded().await;
    Ok(z)
}

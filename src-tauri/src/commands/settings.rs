//! Settings: the owner's PIN and lock, the shop's settings, the language, updates.

use chrono::Utc;
use tauri::{AppHandle, State};
use zargar_core::persian;

use crate::error::AppResult;
use crate::ipc::*;
use crate::till::Till;
use crate::updates::Updates;

#[tauri::command]
pub async fn set_owner_pin(
    till: State<'_, Till>,
    name: String,
    pin: String,
    current_pin: Option<String>,
) -> AppResult<AppInfo> {
    till.store(move |s| Ok(s.set_owner_pin(&name, &pin, current_pin.as_deref()).map(|_| ())?)).await?;
    // Setting the first PIN is done by the owner at the till: open for them.
    till.owner_gate()?.settle_attempt(Utc::now(), true)?;
    till.info().await
}

#[tauri::command]
pub async fn unlock_owner(till: State<'_, Till>, pin: String) -> AppResult<AppInfo> {
    // argon2 takes a moment: the hash is checked outside the gate's lock.
    till.owner_gate()?.ready(Utc::now())?;
    let right = till.store(move |s| Ok(s.check_owner_pin(&pin)?)).await?;
    till.owner_gate()?.settle_attempt(Utc::now(), right)?;
    till.info().await
}

/// Signs a person of the shop in at this till; wrong PINs slow the next
/// tries. An owner who signs in has just typed their PIN: the owner's
/// screens open for them as with the unlock; anyone else finds them shut.
#[tauri::command]
pub async fn sign_in(till: State<'_, Till>, name: String, pin: String) -> AppResult<AppInfo> {
    let person = till.store(move |s| Ok(s.sign_in(&name, &pin, Utc::now())?)).await?;
    {
        let mut gate = till.owner_gate()?;
        if person.role == zargar_core::wire::Role::Owner {
            gate.settle_attempt(Utc::now(), true)?;
        } else {
            gate.lock();
        }
    }
    till.info().await
}

/// The next person takes over: whoever was signed in is signed out, and
/// the owner's screens close.
#[tauri::command]
pub async fn sign_out(till: State<'_, Till>) -> AppResult<AppInfo> {
    till.store(|s| {
        s.sign_out();
        Ok(())
    })
    .await?;
    till.owner_gate()?.lock();
    till.info().await
}

#[tauri::command]
pub async fn lock_owner(till: State<'_, Till>) -> AppResult<AppInfo> {
    till.owner_gate()?.lock();
    till.info().await
}

#[tauri::command]
pub async fn settings(till: State<'_, Till>) -> AppResult<SettingsView> {
    till.require_owner()?;
    settings_view(&till).await
}

pub(super) async fn settings_view(till: &Till) -> AppResult<SettingsView> {
    let info = till.info().await?;
    till.store(move |s| {
        let shop = s.settings()?;
        let vat = shop.vat.rate_on(persian::tehran_date(Utc::now()));
        Ok(SettingsView::new(&shop, vat, &info))
    })
    .await
}

#[tauri::command]
pub async fn set_setting(till: State<'_, Till>, key: SettingKey, value: String) -> AppResult<SettingsView> {
    till.require_owner()?;
    till.store(move |s| Ok(s.set_setting(key, &value).map(|_| ())?)).await?;
    till.refresh_status();
    settings_view(&till).await
}

#[tauri::command]
pub async fn set_language(till: State<'_, Till>, lang: Lang) -> AppResult<AppInfo> {
    till.require_owner()?;
    till.store(move |s| Ok(s.set_language(lang)?)).await?;
    till.info().await
}

#[tauri::command]
pub fn update_status(updates: State<'_, Updates>) -> UpdateView {
    updates.view()
}

#[tauri::command]
pub async fn check_update(app: AppHandle, till: State<'_, Till>, updates: State<'_, Updates>) -> AppResult<UpdateView> {
    till.require_owner()?;
    Ok(updates.check(&app).await)
}

/// Installs the update on offer: the owner's, and only when they confirm.
#[tauri::command]
pub async fn install_update(
    app: AppHandle,
    till: State<'_, Till>,
    updates: State<'_, Updates>,
) -> AppResult<UpdateView> {
    till.require_owner()?;
    updates.install(&app, &till).await
}

/// Starts the installed version after an update.
#[tauri::command]
pub fn restart_app(app: AppHandle, till: State<'_, Till>) -> AppResult<()> {
    till.require_owner()?;
    app.restart()
}

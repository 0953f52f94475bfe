//! In-app updates, for tills IT does not keep current through apt.
//!
//! The minisign public key is built in at release (`plugins.updater.pubkey`,
//! set by `scripts/release`); the endpoint comes from the fleet preset. The
//! till checks at start and every six hours, and tells the owner in
//! Settings. Nothing installs until the owner confirms; the package is
//! verified against the built-in key before anything is written, and it is
//! installed while the till's store is held, so no sale is mid-commit.

use std::sync::Mutex;
use std::time::Duration;

use chrono::Utc;
use tauri::utils::config::BundleType;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_updater::{Error as UpdaterError, Update, UpdaterExt};

use crate::error::{AppError, AppResult};
use crate::ipc::{Localized, UpdateState, UpdateView};
use crate::till::Till;

/// The event that carries every change of the update status to the UI.
pub const UPDATE_EVENT: &str = "update-status";
const CHECK_EVERY: Duration = Duration::from_secs(6 * 60 * 60);

pub struct Updates {
    endpoint: Option<tauri::Url>,
    state: Mutex<(UpdateView, Option<Update>)>,
    /// One check or install at a time.
    busy: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Updates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Updates").field("endpoint", &self.endpoint).finish_non_exhaustive()
    }
}

/// The key `scripts/release` built into this binary; empty in a dev build.
fn built_in_key(app: &AppHandle) -> Option<String> {
    let key = app.config().plugins.0.get("updater")?.get("pubkey")?.as_str()?.trim().to_owned();
    (!key.is_empty()).then_some(key)
}

fn failure(code: &str) -> Localized {
    Localized::new(code, format!("error-{}", code.replace('_', "-")), Vec::new())
}

/// What went wrong, in the words the owner needs: a bad signature is not a
/// network hiccup.
fn classify(e: &UpdaterError) -> Localized {
    tracing::warn!(error = %e, "update failed");
    match e {
        UpdaterError::Minisign(_)
        | UpdaterError::Base64(_)
        | UpdaterError::SignatureUtf8(_)
        | UpdaterError::SignedVersionMismatch { .. }
        | UpdaterError::MissingSignedVersion => failure("update_signature_bad"),
        UpdaterError::PackageInstallFailed
        | UpdaterError::DebInstallFailed
        | UpdaterError::AuthenticationFailed
        | UpdaterError::InvalidUpdaterFormat
        | UpdaterError::TempDirNotFound => failure("update_install_failed"),
        _ => failure("update_unreachable"),
    }
}

async fn find(app: &AppHandle, endpoint: tauri::Url) -> Result<Option<Update>, UpdaterError> {
    app.updater_builder().endpoints(vec![endpoint])?.build()?.check().await
}

impl Updates {
    pub fn new(app: &AppHandle, endpoint: Option<String>) -> Updates {
        let current_version = app.package_info().version.to_string();
        let endpoint = endpoint.and_then(|e| tauri::Url::parse(&e).ok());
        let packaged = matches!(tauri::utils::platform::bundle_type(), Some(BundleType::Deb | BundleType::Rpm));
        let state = if built_in_key(app).is_none() || endpoint.is_none() {
            UpdateState::NotConfigured
        } else if !packaged {
            UpdateState::NotPackaged
        } else {
            UpdateState::Current
        };
        let view = UpdateView {
            state,
            current_version,
            version: None,
            notes: None,
            endpoint: endpoint.as_ref().map(|u| u.to_string()),
            checked_at: None,
            error: None,
        };
        Updates { endpoint, state: Mutex::new((view, None)), busy: tokio::sync::Mutex::new(()) }
    }

    pub fn view(&self) -> UpdateView {
        self.state.lock().map(|s| s.0.clone()).unwrap_or_else(|p| p.into_inner().0.clone())
    }

    fn set(&self, app: &AppHandle, f: impl FnOnce(&mut UpdateView, &mut Option<Update>)) -> UpdateView {
        let view = {
            let mut guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
            let (view, update) = &mut *guard;
            f(view, update);
            view.clone()
        };
        if let Err(e) = app.emit(UPDATE_EVENT, view.clone()) {
            tracing::warn!(error = %e, "could not send the update status");
        }
        view
    }

    fn can_check(&self) -> bool {
        !matches!(self.view().state, UpdateState::NotConfigured | UpdateState::NotPackaged | UpdateState::Installed)
    }

    /// Asks the endpoint whether a newer signed release is there.
    pub async fn check(&self, app: &AppHandle) -> UpdateView {
        let Some(endpoint) = self.endpoint.clone() else { return self.view() };
        if !self.can_check() {
            return self.view();
        }
        let _busy = self.busy.lock().await;
        self.set(app, |v, _| v.state = UpdateState::Checking);
        let found = find(app, endpoint).await;
        let checked_at = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.set(app, move |v, slot| {
            v.checked_at = Some(checked_at);
            match found {
                Ok(Some(update)) => {
                    v.state = UpdateState::Available;
                    v.version = Some(update.version.clone());
                    v.notes = update.body.clone().filter(|n| !n.trim().is_empty());
                    v.error = None;
                    *slot = Some(update);
                }
                Ok(None) => {
                    v.state = UpdateState::Current;
                    v.version = None;
                    v.notes = None;
                    v.error = None;
                    *slot = None;
                }
                Err(e) => {
                    // A failed check keeps an update already found.
                    v.state = if slot.is_some() { UpdateState::Available } else { UpdateState::Failed };
                    v.error = Some(classify(&e));
                }
            }
        })
    }

    /// Downloads the update found by the last check, verifies it against the
    /// built-in key, and installs it. A bad signature installs nothing and
    /// the running version goes on.
    pub async fn install(&self, app: &AppHandle, till: &Till) -> AppResult<UpdateView> {
        let _busy = self.busy.lock().await;
        let update = self.state.lock().ok().and_then(|s| s.1.clone());
        let Some(update) = update else {
            return Err(AppError(failure("update_none")));
        };
        self.set(app, |v, _| {
            v.state = UpdateState::Installing;
            v.error = None;
        });
        let bytes = match update.download(|_, _| {}, || {}).await {
            Ok(bytes) => bytes,
            Err(e) => {
                let why = classify(&e);
                self.set(app, |v, _| {
                    v.state = UpdateState::Available;
                    v.error = Some(why.clone());
                });
                return Err(AppError(why));
            }
        };
        let version = update.version.clone();
        // The store is held while the package installs: no sale is half-way.
        let installed = till.store(move |_store| Ok(update.install(&bytes))).await?;
        match installed {
            Ok(()) => {
                tracing::info!(%version, "update installed");
                Ok(self.set(app, |v, slot| {
                    v.state = UpdateState::Installed;
                    v.error = None;
                    *slot = None;
                }))
            }
            Err(e) => {
                let why = classify(&e);
                self.set(app, |v, _| {
                    v.state = UpdateState::Available;
                    v.error = Some(why.clone());
                });
                Err(AppError(why))
            }
        }
    }

    /// Checks soon after start, then every six hours, for the app's life.
    pub fn spawn_checks(app: AppHandle) {
        tauri::async_runtime::spawn(async move {
            loop {
                let updates = app.state::<Updates>();
                updates.check(&app).await;
                tokio::time::sleep(CHECK_EVERY).await;
            }
        });
    }
}

//! The till's state, managed once by Tauri: the cashier's store connection,
//! the sync engine (on its own connection), and the owner's unlock.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use tauri::{AppHandle, Emitter};
use tokio::sync::Notify;
use zargar_core::Store;
use zargar_core::error::StoreError;
use zargar_core::owner::OwnerGate;
use zargar_core::preset::{Preset, PresetError};
use zargar_core::store::OwnerApproval;
use zargar_core::sync::{self, SyncConfig, SyncEngine, SyncHandle, SyncStatus};

use crate::error::{AppError, AppResult};
use crate::ipc::{AppInfo, Localized, SyncView};

/// The event that carries every change of the sync status to the UI.
pub const SYNC_STATUS_EVENT: &str = "sync-status";
/// Sent when what `app_info` answers changed behind the UI's back (an
/// enrolment from the fleet preset).
pub const APP_INFO_EVENT: &str = "app-info";

pub struct Till {
    pub db: PathBuf,
    store: Arc<Mutex<Store>>,
    engine: tokio::sync::Mutex<Option<SyncHandle>>,
    owner: Mutex<OwnerGate>,
    /// Re-sends the status (with fresh alerts) after a sale or a new price.
    refresh: Arc<Notify>,
    /// The fleet preset as read at start, and what IT should be told.
    preset: Option<Preset>,
    notices: Mutex<Vec<Localized>>,
    app: AppHandle,
}

impl std::fmt::Debug for Till {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Till").field("db", &self.db).finish_non_exhaustive()
    }
}

/// The machine's name, for a till's first start: the shop can tell its
/// tills apart on the server before anyone renames them.
fn host_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "till".to_owned())
}

impl Till {
    /// Opens (creating on first start) the till's database in `dir`. A new
    /// till takes the fleet preset (its name, language, unit, server); a
    /// malformed one is reported and the till starts on its defaults.
    pub fn open(app: AppHandle, dir: &Path, preset: Result<Option<Preset>, PresetError>) -> AppResult<Till> {
        std::fs::create_dir_all(dir).map_err(|e| AppError::from(zargar_core::StoreError::Io(e)))?;
        let db = dir.join("till.db");
        let mut store = Store::open(&db)?;
        let mut notices = Vec::new();
        let preset = preset.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the fleet preset is malformed; starting on the defaults");
            notices.push(Localized::new(e.code(), e.message_id(), e.args()));
            None
        });
        if store.device().is_err() {
            let name = preset.as_ref().and_then(|p| p.till_name.clone()).unwrap_or_else(host_name);
            store.init_device(&name, Utc::now())?;
            if let Some(p) = &preset {
                store.apply_preset(p)?;
                tracing::info!("the fleet preset was applied to this new till");
            }
        }
        Ok(Till {
            db,
            store: Arc::new(Mutex::new(store)),
            engine: tokio::sync::Mutex::new(None),
            owner: Mutex::new(OwnerGate::default()),
            refresh: Arc::new(Notify::new()),
            preset,
            notices: Mutex::new(notices),
            app,
        })
    }

    /// Enrols the till with the preset's code while it is not enrolled yet
    /// (IT's fleet roll-out). A failure is told to the owner; the till sells
    /// on, and the owner can enrol by hand in Settings.
    pub async fn enrol_from_preset(&self) {
        let Some(preset) = &self.preset else { return };
        let (Some(url), Some(file)) = (&preset.server_url, &preset.enrolment_code_file) else { return };
        let enrolled = self.store(|s| Ok(s.sync_link()?.is_some())).await.unwrap_or(true);
        if enrolled {
            return;
        }
        let Some(code) = preset.enrolment_code() else {
            tracing::warn!(file = %file.display(), "the preset's enrolment code file is missing or empty");
            self.notice(Localized::new(
                "preset_code_missing",
                "error-preset-code-missing".into(),
                vec![("path", zargar_core::error::Arg::Text(file.display().to_string()))],
            ));
            return;
        };
        match self.enroll(url, &code).await {
            Ok(()) => tracing::info!("enrolled from the fleet preset"),
            Err(e) => {
                tracing::warn!(code = e.code(), "enrolment from the fleet preset failed");
                self.notice(Localized::new("preset_enrol_failed", "error-preset-enrol-failed".into(), Vec::new()));
                self.notice(e.0);
            }
        }
        match self.info().await {
            Ok(info) => {
                let _ = self.app.emit(APP_INFO_EVENT, info);
            }
            Err(e) => tracing::warn!(code = e.code(), "could not read the till after enrolment"),
        }
    }

    /// Links the till to a shop with a one-time code, then syncs. The engine
    /// holds its own connection and may be mid-round: it is stopped, and
    /// started again on the new link.
    pub async fn enroll(&self, server_url: &str, code: &str) -> AppResult<()> {
        self.stop_engine().await;
        let linked = sync::enroll(&self.db, server_url, code, &SyncConfig::default()).await;
        self.start_engine().await?;
        linked?;
        self.sync_now().await;
        Ok(())
    }

    fn notice(&self, n: Localized) {
        if let Ok(mut v) = self.notices.lock() {
            v.push(n);
        }
    }

    /// Runs `f` on the store off the async runtime: SQLite calls block.
    pub async fn store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> AppResult<T> + Send + 'static,
    ) -> AppResult<T> {
        let store = Arc::clone(&self.store);
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = store.lock().map_err(|_| AppError::internal("store lock poisoned"))?;
            f(&mut guard)
        })
        .await
        .map_err(AppError::internal)?
    }

    pub fn owner_gate(&self) -> AppResult<std::sync::MutexGuard<'_, OwnerGate>> {
        self.owner.lock().map_err(|_| AppError::internal("owner lock poisoned"))
    }

    /// The owner's PIN for one action only (a price, a piece's value, a sale
    /// past an offline limit): checked and throttled like the unlock, and
    /// the owner's screens stay shut after it.
    pub async fn owner_once(&self, pin: String) -> AppResult<OwnerApproval> {
        self.owner_gate()?.ready(Utc::now())?;
        // argon2 takes a moment: the hash is checked outside the gate's lock.
        let checked = self
            .store(move |s| match s.approve_as_owner(&pin) {
                Ok(a) => Ok(Some(a)),
                Err(StoreError::OwnerPinWrong) => Ok(None),
                Err(e) => Err(e.into()),
            })
            .await?;
        let mut gate = self.owner_gate()?;
        gate.settle_attempt(Utc::now(), checked.is_some())?;
        gate.lock();
        checked.ok_or_else(|| StoreError::OwnerPinWrong.into())
    }

    /// Refuses unless the owner has unlocked this till.
    pub fn require_owner(&self) -> AppResult<()> {
        Ok(self.owner_gate()?.require(Utc::now())?)
    }

    pub async fn info(&self) -> AppResult<AppInfo> {
        let unlocked = self.owner_gate()?.is_unlocked(Utc::now());
        let version = self.app.package_info().version.to_string();
        let notices = self.notices.lock().map(|n| n.clone()).unwrap_or_default();
        self.store(move |s| {
            let link = s.sync_link()?;
            let owner = s.owner()?;
            Ok(AppInfo {
                version,
                lang: s.language()?,
                unit: s.settings()?.display_unit,
                till_name: s.device()?.name.clone(),
                shop: link.as_ref().map(|l| l.tenant.name.clone()),
                server_url: link.as_ref().map(|l| l.server_url.clone()),
                enrolled: link.is_some(),
                owner_pin_set: owner.is_some(),
                owner_unlocked: unlocked && owner.is_some(),
                owner_name: owner.map(|o| o.name),
                suggested_server_url: s.preset_server_url()?,
                notices,
                categories: zargar_core::item::CATEGORIES.iter().map(|c| (*c).to_owned()).collect(),
                sign_in_required: s.sign_in_required()?,
                signed_in: s.signed_in().cloned(),
                people: s.people()?.into_iter().filter(|p| p.active).collect(),
            })
        })
        .await
    }

    /// (Re)starts the sync engine and forwards its status to the UI.
    pub async fn start_engine(&self) -> AppResult<()> {
        let mut slot = self.engine.lock().await;
        if let Some(old) = slot.take() {
            old.shutdown().await;
        }
        let handle = SyncEngine::start(&self.db, SyncConfig::default())?;
        self.forward(handle.subscribe());
        *slot = Some(handle);
        Ok(())
    }

    pub async fn stop_engine(&self) {
        if let Some(handle) = self.engine.lock().await.take() {
            handle.shutdown().await;
        }
    }

    /// A sale (or another op) was written: push it soon.
    pub async fn recorded(&self) {
        if let Some(h) = self.engine.lock().await.as_ref() {
            h.recorded();
        }
        self.refresh.notify_one();
    }

    pub async fn sync_now(&self) {
        if let Some(h) = self.engine.lock().await.as_ref() {
            h.sync_now();
        }
    }

    /// Something the alerts depend on changed (the gold price, a setting).
    pub fn refresh_status(&self) {
        self.refresh.notify_one();
    }

    pub async fn sync_view(&self) -> AppResult<SyncView> {
        let status = match self.engine.lock().await.as_ref() {
            Some(h) => h.status(),
            None => {
                return Err(AppError(crate::ipc::Localized::new(
                    "engine_busy",
                    "error-engine-busy".into(),
                    Vec::new(),
                )));
            }
        };
        let alerts = self.store(|s| Ok(s.alerts(Utc::now())?)).await?;
        Ok(SyncView::new(&status, &alerts))
    }

    /// One task per engine: every status change, every refresh, and every
    /// 30 s (alerts age), as an event. It ends when its engine is dropped.
    fn forward(&self, mut rx: tokio::sync::watch::Receiver<SyncStatus>) {
        let app = self.app.clone();
        let store = Arc::clone(&self.store);
        let refresh = Arc::clone(&self.refresh);
        tauri::async_runtime::spawn(async move {
            loop {
                let status = rx.borrow_and_update().clone();
                let store = Arc::clone(&store);
                let alerts = tauri::async_runtime::spawn_blocking(move || {
                    store.lock().ok().and_then(|s| s.alerts(Utc::now()).ok()).unwrap_or_default()
                })
                .await
                .unwrap_or_default();
                if let Err(e) = app.emit(SYNC_STATUS_EVENT, SyncView::new(&status, &alerts)) {
                    tracing::warn!(error = %e, "could not send the sync status");
                }
                tokio::select! {
                    changed = rx.changed() => if changed.is_err() { break },
                    () = refresh.notified() => {}
                    () = tokio::time::sleep(Duration::from_secs(30)) => {}
                }
            }
        });
    }
}

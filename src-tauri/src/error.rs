//! The one error every command rejects with: `{code, message_key, args}`.
//! The UI branches on `code` and renders `message_key` through Fluent, so no
//! English string or stack ever reaches a cashier. Failures (as opposed to
//! refusals) are logged here with their detail, which stays out of the UI.

use serde::Serialize;
use zargar_core::StoreError;
use zargar_core::sync::SyncError;

use crate::ipc::Localized;

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct AppError(pub Localized);

impl AppError {
    pub fn code(&self) -> &str {
        &self.0.code
    }

    /// Something broke that is not the user's doing (a task died, a lock was
    /// poisoned): logged, shown as the generic message.
    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        tracing::error!(%detail, "internal error");
        AppError(Localized::new(
            "internal",
            "error-unknown".into(),
            vec![("code", zargar_core::error::Arg::Text("internal".into()))],
        ))
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        if !e.is_refusal() {
            tracing::error!(error = %e, "store failed");
        }
        AppError(Localized::new(e.code(), e.message_id(), e.args()))
    }
}

impl From<SyncError> for AppError {
    fn from(e: SyncError) -> AppError {
        tracing::warn!(error = %e, "sync command failed");
        AppError(Localized::new(e.code(), e.message_id(), e.args()))
    }
}

impl From<zargar_core::ValidationError> for AppError {
    fn from(e: zargar_core::ValidationError) -> AppError {
        StoreError::Invalid(e).into()
    }
}

pub type AppResult<T> = Result<T, AppError>;

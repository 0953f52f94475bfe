//! Moadian (سامانه مودیان): the shop's legal invoices, built from its sales
//! (`invoice`), signed with its key and sealed to the tax organisation
//! (`sign`), sent and asked after (`client`) by a queue on the server that
//! never sends an invoice twice (`queue`). The shop's private key is kept
//! sealed under the server's own secret (`secret`). See `docs/tax.md`.

pub mod client;
pub mod invoice;
pub mod queue;
pub mod secret;
pub mod sign;

use crate::storage::StorageError;

/// What went wrong on the way to the tax organisation.
#[derive(Debug, Clone, thiserror::Error)]
pub enum TaxError {
    /// The shop's identity (key, certificate, memory id) is not usable.
    #[error("the shop's tax identity: {0}")]
    Identity(String),
    /// The server's secret is missing or unusable.
    #[error("the server's secret: {0}")]
    Secret(String),
    #[error("signing or sealing failed: {0}")]
    Crypto(String),
    /// The service could not be reached, or did not answer in time: the
    /// invoice may or may not have arrived.
    #[error("the tax service is unreachable: {0}")]
    Unreachable(String),
    /// The service answered, but not as it should (or refused the request).
    #[error("the tax service answered: {0}")]
    Service(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl TaxError {
    /// Worth trying again later, as it stands.
    pub fn is_retryable(&self) -> bool {
        matches!(self, TaxError::Unreachable(_) | TaxError::Service(_) | TaxError::Storage(_))
    }
}

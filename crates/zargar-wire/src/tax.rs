//! Legal invoices: the shop's legal identity, printed as the seller's block
//! on every invoice, and where each of the shop's Moadian invoices stands
//! with the tax organisation. The server builds, signs and sends the
//! invoices (the private key never leaves it); tills pull their states to
//! print the tax id and to show the owner what was rejected.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The seller's block of an official invoice, as the shop is registered
/// with the tax organisation. Set by the owner on the server.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalIdentity {
    /// The registered name (نام فروشنده).
    pub name: String,
    /// Economic code (کد اقتصادی), the seller's `tins` on a Moadian invoice.
    pub economic_code: String,
    /// National id of the person, or of the company (شناسه ملی).
    pub national_id: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
}

crate::coded! {
    /// What a Moadian invoice says about the sale it names (`ins`).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum TaxSubject {
        /// The sale itself (اصلی).
        Sale = "sale",
        /// Cancels the sale's invoice: the owner voided the sale (ابطال).
        Cancellation = "cancellation",
        /// Pieces given back (برگشت از فروش), naming the sale's invoice.
        Return = "return",
    }
}

crate::coded! {
    /// Where an invoice stands with the tax organisation.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum TaxStatus {
        /// Built and numbered; waiting its turn (or the service).
        Queued = "queued",
        /// Taken by the service; its verdict is awaited.
        Sent = "sent",
        Accepted = "accepted",
        /// Refused, with the service's reasons: the owner acts on it.
        Rejected = "rejected",
    }
}

/// One reason the tax organisation gave (its code and its words).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxMessage {
    pub code: String,
    pub message: String,
}

/// A Moadian invoice of the shop as every till sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxInvoiceState {
    pub invoice_id: Uuid,
    pub subject: TaxSubject,
    /// The sale it is about (for a return too: the sale given back).
    pub sale_id: Uuid,
    #[serde(default)]
    pub return_id: Option<Uuid>,
    /// The 22-character tax id (شماره منحصر به فرد مالیاتی).
    pub tax_id: String,
    /// The serial under the shop's memory id (`inno`), gapless.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub serial: u64,
    pub issued_at: DateTime<Utc>,
    pub status: TaxStatus,
    /// The tax id of the invoice a cancellation or a return names.
    #[serde(default)]
    pub original_tax_id: Option<String>,
    /// The service's reasons, for a rejection (and its warnings).
    #[serde(default)]
    pub messages: Vec<TaxMessage>,
    /// Times it was sent or asked after.
    pub attempts: u32,
    pub updated_at: DateTime<Utc>,
}

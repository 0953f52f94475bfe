//! Push: a till sends its ops in seq order; each gets one result, applied,
//! a duplicate, a conflict, or rejected.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{ItemStatus, Op, Resolution};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    /// Must be the device the token was issued to.
    pub device_id: Uuid,
    pub app_version: String,
    pub schema_version: u32,
    /// In `seq` order; at most [`MAX_OPS_PER_PUSH`].
    pub ops: Vec<Op>,
}

/// Ops in one push; more is answered with 413.
pub const MAX_OPS_PER_PUSH: usize = 500;
/// Bytes in one request body, after decompression; more is answered with 413.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// The device's last seq the server holds a result for.
    pub acked_seq: u64,
    pub server_time: DateTime<Utc>,
    pub results: Vec<OpResult>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpResult {
    pub op_id: Uuid,
    pub seq: u64,
    pub status: OpStatus,
    /// With `duplicate`: what the op's first push was answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_status: Option<OpStatus>,
    /// The server's id of what the op created or changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<Conflict>,
}

crate::coded! {
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum OpStatus {
        Applied = "applied",
        /// Seen before: the stored result is answered again, nothing is applied.
        Duplicate = "duplicate",
        /// Parked for the owner; the seq still advances.
        Conflict = "conflict",
        /// The op can never apply (e.g. it resolves a conflict that is not open).
        Rejected = "rejected",
    }
}

crate::coded! {
    /// Where an op recorded on a till stands with the server, as the till
    /// keeps it.
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum SyncState {
        Pending = "pending",
        Acked = "acked",
        Conflict = "conflict",
        /// The server refused the op outright.
        Rejected = "rejected",
        /// A conflicted sale the owner cancelled.
        Voided = "voided",
    }
}

/// A business conflict: a result, not an error.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub kind: ConflictKind,
    /// The Fluent id of the message that explains it (`conflict-<kind>`).
    pub message_key: String,
    /// What the server holds that disagrees with the till.
    pub server_state: ServerState,
    /// The resolutions that make sense for it.
    pub options: Vec<Resolution>,
}

crate::coded! {
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum ConflictKind {
        ItemAlreadySold = "item_already_sold",
        ItemUnknown = "item_unknown",
        PriceOutOfTolerance = "price_out_of_tolerance",
        CustomerDuplicate = "customer_duplicate",
        ItemTagTaken = "item_tag_taken",
        JournalBroken = "journal_broken",
        ValidationFailed = "validation_failed",
        /// A discount past the limit of the person who gave it, with no
        /// manager's approval.
        DiscountOverLimit = "discount_over_limit",
        /// A movement that took a customer's account past its credit limit
        /// (or its gold below zero): two tills spent the same credit offline.
        BalanceOverdrawn = "balance_overdrawn",
    }
}

/// The server's side of a conflict; only the fields that apply are set.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerState {
    /// The piece in question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_status: Option<ItemStatus>,
    /// The sale that holds the piece, and the till that made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold_in_sale: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold_by_device: Option<Uuid>,
    /// That till's name, so the owner reads "صندوق ۲", not an id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold_by_device_name: Option<String>,
    /// The server's 18k price for the time of the sale, and the tolerance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_gram_18k: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance_percent: Option<Decimal>,
    /// The customer the offline one matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<Uuid>,
    /// The journal entry the server expected next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_journal_index: Option<u64>,
    /// For `discount_over_limit`: the share of the sale's making charge and
    /// profit taken off, and the limit of the person who gave it (percent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_percent: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_limit_percent: Option<Decimal>,
    /// For `balance_overdrawn`: the account and who else spent from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<crate::AccountState>,
    /// What failed, for `validation_failed`: field and rule, in English.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

//! The shop's people: who works the counter, in which role, with which PIN.
//! The server keeps them; every till of the shop pulls them, so a person
//! signs in at any till, online or not.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

crate::coded! {
    /// A person's role. What each may do is `zargar_rules::roles`.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum Role {
        Owner = "owner",
        Manager = "manager",
        Cashier = "cashier",
    }
}

/// A person as the server keeps them and every till pulls them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonPayload {
    pub person_id: Uuid,
    pub name: String,
    pub role: Role,
    /// The PIN's argon2id hash (a PHC string). A PIN never leaves the till
    /// it was typed at; tills check it against this hash, offline too.
    pub pin_hash: String,
    /// Someone who left stays on the record (their sales name them) but
    /// can no longer sign in.
    pub active: bool,
    /// The most a cashier may take off a sale's making charge and profit,
    /// in percent of them, without a manager's PIN. Managers and owners
    /// have no limit.
    #[serde(default)]
    pub discount_limit_percent: Decimal,
}

/// Who did something, with their name as it was then: for an invoice, a
/// journal entry and the server's records.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: Uuid,
    pub name: String,
}

//! Enrolment: a till trades the owner's one-time code for its device token.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    /// The single-use code the owner created on the server.
    pub code: String,
    /// UUIDv7 chosen by the till.
    pub device_id: Uuid,
    /// The till's name, as the shop calls it ("counter 2").
    pub name: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    /// Sent as `Authorization: Bearer <device_token>` on every other call.
    /// Shown once: the server keeps only its SHA-256.
    pub device_token: String,
    pub device_id: Uuid,
    pub role: DeviceRole,
    pub tenant: TenantRef,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRef {
    pub id: Uuid,
    pub name: String,
}

crate::coded! {
    /// What a device may do. A till pushes and pulls; the owner's device may
    /// also read every till's conflicts and export the shop's sales.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum DeviceRole {
        Till = "till",
        Owner = "owner",
    }
}

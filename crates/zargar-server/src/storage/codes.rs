//! The codes both backends store for the wire's enums, so that a database
//! copied from one to the other reads the same.

use zargar_wire::{DeviceRole, ItemStatus};

pub fn role_code(r: DeviceRole) -> &'static str {
    match r {
        DeviceRole::Till => "till",
        DeviceRole::Owner => "owner",
    }
}

pub fn parse_role(s: &str) -> DeviceRole {
    if s == "owner" { DeviceRole::Owner } else { DeviceRole::Till }
}

pub fn status_code(s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::InStock => "in_stock",
        ItemStatus::SoldPending => "sold_pending",
        ItemStatus::Sold => "sold",
        ItemStatus::Reserved => "reserved",
        ItemStatus::Repair => "repair",
        ItemStatus::Returned => "returned",
    }
}

pub fn parse_status(s: &str) -> ItemStatus {
    match s {
        "sold_pending" => ItemStatus::SoldPending,
        "sold" => ItemStatus::Sold,
        "reserved" => ItemStatus::Reserved,
        "repair" => ItemStatus::Repair,
        "returned" => ItemStatus::Returned,
        _ => ItemStatus::InStock,
    }
}

//! The policy a new shop starts with, until its owner changes it: Iran's
//! VAT schedule, 7% profit, a 2% price tolerance, 5% melting loss on old
//! gold, and offline limits like a card terminal's.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use zargar_wire::{TenantSettings, VatRate};

/// The settings every new shop on the server gets.
pub fn default_shop_policy() -> TenantSettings {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    TenantSettings {
        vat: vec![
            VatRate { from: day(2020, 3, 20), percent: Decimal::from(9) },
            VatRate { from: day(2024, 3, 20), percent: Decimal::from(10) },
        ],
        profit_percent: Decimal::from(7),
        price_tolerance_percent: Decimal::from(2),
        trade_in_deduction_percent: Decimal::from(5),
        max_offline_hours: 24,
        max_offline_sale: Decimal::from(5_000_000_000u64),
        max_unsynced_total: Decimal::from(50_000_000_000u64),
        retention_days: zargar_wire::DEFAULT_RETENTION_DAYS,
        legal: None,
    }
}

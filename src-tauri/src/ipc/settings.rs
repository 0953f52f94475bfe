//! Settings: the shop's settings and this till's.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SettingsView {
    pub profit_percent: String,
    pub trade_in_deduction_percent: String,
    pub price_max_age_hours: u32,
    pub display_unit: DisplayUnit,
    pub vat_percent: String,
    pub price_step_percent: String,
    /// Rial per gram of 18k; empty when not set.
    pub price_floor: String,
    pub price_ceiling: String,
    pub old_gold_spread_percent: String,
    pub trade_in_max_grams: String,
    pub lang: Lang,
    pub server_url: Option<String>,
    pub shop: Option<String>,
    pub till_name: String,
    pub owner_name: Option<String>,
}

impl SettingsView {
    pub fn new(s: &ShopSettings, vat_today: zargar_core::rules::money::Percent, info: &AppInfo) -> SettingsView {
        SettingsView {
            profit_percent: s.profit.decimal().normalize().to_string(),
            trade_in_deduction_percent: s.trade_in_deduction.decimal().normalize().to_string(),
            price_max_age_hours: s.price_max_age_hours,
            display_unit: s.display_unit,
            vat_percent: vat_today.decimal().normalize().to_string(),
            price_step_percent: s.price_step.decimal().normalize().to_string(),
            price_floor: s.price_floor.map(|r| r.decimal().to_string()).unwrap_or_default(),
            price_ceiling: s.price_ceiling.map(|r| r.decimal().to_string()).unwrap_or_default(),
            old_gold_spread_percent: s.old_gold_spread.decimal().normalize().to_string(),
            trade_in_max_grams: s.trade_in_max.decimal().normalize().to_string(),
            lang: info.lang,
            server_url: info.server_url.clone(),
            shop: info.shop.clone(),
            till_name: info.till_name.clone(),
            owner_name: info.owner_name.clone(),
        }
    }
}

/// A person added (no id) or changed; what is null stays as it was. pin:
/// 4–8 digits; discount_limit: percent of a sale's making charge and profit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct PersonInput {
    pub id: Option<String>,
    pub name: Option<String>,
    pub role: Option<Role>,
    pub pin: Option<String>,
    pub active: Option<bool>,
    pub discount_limit: Option<String>,
}

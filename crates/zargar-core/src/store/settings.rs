//! The shop's settings on this till: profit default, trade-in deduction,
//! how old a gold price may be, display unit, the VAT schedule, and the
//! guards that stop a slip of the finger (the gold price's step and bounds,
//! the old gold's spread and largest weight).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Store, parse_dec};
use crate::display_unit::DisplayUnit;
use crate::error::{Field, StoreError, ValidationError};
use crate::persian;
use crate::typed::ParseInput;
use zargar_rules::measure::Weight;
use zargar_rules::money::Percent;
use zargar_rules::money::Rial;
use zargar_rules::pricing::VatSchedule;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShopSettings {
    /// Profit (سود فروشنده) on gold + wage, unless a sale overrides it.
    pub profit: Percent,
    /// Melting loss taken off old gold bought back.
    pub trade_in_deduction: Percent,
    /// A gold price older than this gives a warning; the till still sells.
    pub price_max_age_hours: u32,
    pub display_unit: DisplayUnit,
    pub vat: VatSchedule,
    /// A new gold price further than this from the last asks to be confirmed.
    pub price_step: Percent,
    /// The lowest and highest price per gram of 18k the shop accepts at all.
    pub price_floor: Option<Rial>,
    pub price_ceiling: Option<Rial>,
    /// Old gold is bought at the day's price less this spread.
    pub old_gold_spread: Percent,
    /// The most old gold one trade-in line may weigh.
    pub trade_in_max: Weight,
}

impl ShopSettings {
    /// What the shop pays for one gram of 18k old gold at `per_gram_18k`.
    pub fn old_gold_price(&self, per_gram_18k: Rial) -> Rial {
        let keep = (Decimal::ONE_HUNDRED - self.old_gold_spread.decimal()) / Decimal::ONE_HUNDRED;
        Rial::floor(per_gram_18k.decimal() * keep)
    }
}

zargar_wire::coded! {
    /// The settings a person may change by name.
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum SettingKey {
        ProfitPercent = "profit_percent",
        TradeInDeductionPercent = "trade_in_deduction_percent",
        PriceMaxAgeHours = "price_max_age_hours",
        DisplayUnit = "display_unit",
        PriceStepPercent = "price_step_percent",
        PriceFloor = "price_floor",
        PriceCeiling = "price_ceiling",
        OldGoldSpreadPercent = "old_gold_spread_percent",
        TradeInMaxGrams = "trade_in_max_grams",
    }
}

impl SettingKey {
    /// As typed on the command line: `profit-percent` or `profit_percent`.
    pub fn parse(s: &str) -> Result<SettingKey, ValidationError> {
        SettingKey::from_code(&s.trim().replace('-', "_")).ok_or_else(|| ValidationError::new(Field::Setting, s))
    }

    /// Checks a value and gives its stored form.
    fn normalize(self, value: &str) -> Result<String, ValidationError> {
        match self {
            SettingKey::ProfitPercent => Percent::parse(Field::ProfitPercent, value).map(|p| p.to_string()),
            SettingKey::TradeInDeductionPercent => Percent::parse(Field::DeductionPercent, value)
                .ok()
                .filter(|p| p.decimal() < Decimal::ONE_HUNDRED)
                .map(|p| p.to_string())
                .ok_or_else(|| ValidationError::new(Field::DeductionPercent, value)),
            SettingKey::PriceMaxAgeHours => persian::fold_digits(value.trim())
                .parse::<u32>()
                .ok()
                .filter(|h| (1..=24 * 365).contains(h))
                .map(|h| h.to_string())
                .ok_or_else(|| ValidationError::new(Field::Setting, value)),
            SettingKey::DisplayUnit => DisplayUnit::parse(value)
                .map(|u| u.code().to_owned())
                .ok_or_else(|| ValidationError::new(Field::Setting, value)),
            SettingKey::PriceStepPercent => Percent::parse(Field::Setting, value)
                .ok()
                .filter(|p| p.decimal() > Decimal::ZERO)
                .map(|p| p.to_string())
                .ok_or_else(|| ValidationError::new(Field::Setting, value)),
            // Rial per gram of 18k; 0 (or empty) removes the bound.
            SettingKey::PriceFloor | SettingKey::PriceCeiling if value.trim().is_empty() => Ok("0".to_owned()),
            SettingKey::PriceFloor | SettingKey::PriceCeiling => {
                Rial::parse(Field::GoldPrice, value).map(|r| r.to_string())
            }
            SettingKey::OldGoldSpreadPercent => Percent::parse(Field::Setting, value)
                .ok()
                .filter(|p| p.decimal() < Decimal::ONE_HUNDRED)
                .map(|p| p.to_string())
                .ok_or_else(|| ValidationError::new(Field::Setting, value)),
            SettingKey::TradeInMaxGrams => Weight::parse(Field::Weight, value).map(|w| w.to_string()),
        }
    }
}

impl Default for ShopSettings {
    fn default() -> ShopSettings {
        ShopSettings {
            profit: Percent::from_u32(7).expect("7 is a percent"),
            trade_in_deduction: Percent::from_u32(5).expect("5 is a percent"),
            price_max_age_hours: 24,
            display_unit: DisplayUnit::Rial,
            vat: VatSchedule::iran_default(),
            price_step: Percent::from_u32(5).expect("5 is a percent"),
            price_floor: None,
            price_ceiling: None,
            old_gold_spread: Percent::from_u32(0).expect("0 is a percent"),
            trade_in_max: Weight::grams(Decimal::ONE_THOUSAND).expect("1 kg is a weight"),
        }
    }
}

pub(super) fn load(conn: &Connection) -> Result<ShopSettings, StoreError> {
    let mut s = ShopSettings::default();
    let get = |key: SettingKey| -> Result<Option<String>, StoreError> {
        Ok(conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key.code()], |r| r.get(0))
            .optional()?)
    };
    let corrupt = |k: SettingKey| StoreError::Corrupt(format!("setting {}", k.code()));
    if let Some(v) = get(SettingKey::ProfitPercent)? {
        s.profit = Percent::new(parse_dec(&v)?).ok_or(corrupt(SettingKey::ProfitPercent))?;
    }
    if let Some(v) = get(SettingKey::TradeInDeductionPercent)? {
        s.trade_in_deduction = Percent::new(parse_dec(&v)?).ok_or(corrupt(SettingKey::TradeInDeductionPercent))?;
    }
    if let Some(v) = get(SettingKey::PriceMaxAgeHours)? {
        s.price_max_age_hours = v.parse().map_err(|_| corrupt(SettingKey::PriceMaxAgeHours))?;
    }
    if let Some(v) = get(SettingKey::DisplayUnit)? {
        s.display_unit = DisplayUnit::parse(&v).ok_or(corrupt(SettingKey::DisplayUnit))?;
    }
    if let Some(v) = get(SettingKey::PriceStepPercent)? {
        s.price_step = Percent::new(parse_dec(&v)?).ok_or(corrupt(SettingKey::PriceStepPercent))?;
    }
    let bound = |k: SettingKey| -> Result<Option<Rial>, StoreError> {
        Ok(get(k)?.map(|v| parse_dec(&v)).transpose()?.and_then(Rial::whole).filter(|r| *r > Rial::ZERO))
    };
    s.price_floor = bound(SettingKey::PriceFloor)?;
    s.price_ceiling = bound(SettingKey::PriceCeiling)?;
    if let Some(v) = get(SettingKey::OldGoldSpreadPercent)? {
        s.old_gold_spread = Percent::new(parse_dec(&v)?).ok_or(corrupt(SettingKey::OldGoldSpreadPercent))?;
    }
    if let Some(v) = get(SettingKey::TradeInMaxGrams)? {
        s.trade_in_max = Weight::grams(parse_dec(&v)?).ok_or(corrupt(SettingKey::TradeInMaxGrams))?;
    }
    let mut stmt = conn.prepare_cached("SELECT effective_from, percent FROM vat_rates")?;
    let rows = stmt.query_map([], |r| <(String, String)>::try_from(r))?;
    let mut entries = Vec::new();
    for row in rows {
        let (from, pct) = row?;
        let day = NaiveDate::parse_from_str(&from, "%Y-%m-%d")
            .map_err(|_| StoreError::Corrupt(format!("vat date {from}")))?;
        let pct = Percent::new(parse_dec(&pct)?).ok_or_else(|| StoreError::Corrupt(format!("vat {pct}")))?;
        entries.push((day, pct));
    }
    if !entries.is_empty() {
        s.vat = VatSchedule::new(entries);
    }
    Ok(s)
}

impl Store {
    pub fn settings(&self) -> Result<ShopSettings, StoreError> {
        load(&self.conn)
    }

    pub fn set_setting(&mut self, key: SettingKey, value: &str) -> Result<ShopSettings, StoreError> {
        let stored = key.normalize(value)?;
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key.code(), stored],
        )?;
        self.settings()
    }

    /// Sets the VAT rate from a day on (a change in the law, or the shop's
    /// own status). Sales already made keep the rate they were priced at.
    pub fn set_vat_rate(&mut self, from: NaiveDate, percent: Percent) -> Result<ShopSettings, StoreError> {
        self.conn.execute(
            "INSERT INTO vat_rates (effective_from, percent) VALUES (?1, ?2)
             ON CONFLICT (effective_from) DO UPDATE SET percent = excluded.percent",
            params![from.format("%Y-%m-%d").to_string(), percent.to_string()],
        )?;
        self.settings()
    }
}

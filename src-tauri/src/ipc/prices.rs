//! The gold price: as set, as typed, and as the owner confirms a change.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QuoteBasis {
    /// Rial (or Toman) per gram of 18k.
    Gram,
    /// The market's mesghal (مظنه) quote.
    Mesghal,
}

/// by: how the amount was quoted; amount in the display unit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct GoldPriceInput {
    pub by: QuoteBasis,
    pub amount: String,
}

/// The price about to be set, as the owner confirms it: per gram of 18k and
/// per mesghal, new and previous; change_percent is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PriceChangeView {
    pub per_gram_18k: String,
    pub per_mesghal: String,
    pub previous_per_gram_18k: Option<String>,
    pub previous_per_mesghal: Option<String>,
    pub change_percent: Option<String>,
    pub needs_confirmation: bool,
    pub step_percent: String,
}

impl PriceChangeView {
    pub fn new(c: &PriceChange, s: &ShopSettings) -> PriceChangeView {
        PriceChangeView {
            per_gram_18k: c.per_gram_18k.decimal().to_string(),
            per_mesghal: c.per_mesghal.decimal().to_string(),
            previous_per_gram_18k: c.previous.as_ref().map(|p| p.per_gram_18k.decimal().to_string()),
            previous_per_mesghal: c.previous_per_mesghal.map(|m| m.decimal().to_string()),
            change_percent: c.change_percent.map(|p| p.normalize().to_string()),
            needs_confirmation: c.needs_confirmation,
            step_percent: s.price_step.decimal().normalize().to_string(),
        }
    }
}

/// old_gold_per_gram_18k: what the shop pays for old gold today (the day's
/// price less the spread); floor and ceiling: the shop's bounds, if set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct GoldPrices {
    pub current: Option<GoldPrice>,
    pub stale: bool,
    pub max_age_hours: u32,
    pub history: Vec<GoldPrice>,
    pub old_gold_per_gram_18k: Option<String>,
    pub old_gold_spread_percent: String,
    pub step_percent: String,
    pub floor: Option<String>,
    pub ceiling: Option<String>,
}

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

/// The price about to be set, as the owner confirms it (new and previous,
/// per gram of 18k and per mesghal), with the shop's step it is held to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PriceChangeView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub change: PriceChange,
    pub step_percent: Percent,
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

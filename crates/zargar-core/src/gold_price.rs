//! The day's gold price: per gram of 18k, entered directly or derived from
//! the market's mesghal (مظنه) quote. The newest entry is the one in force.
//!
//! A price is the shop's when the owner sets it (with the PIN at a till, or
//! on the server): it goes to every till and the server judges sales by it.
//! A price anyone else enters stays on its till. Before a price is taken it
//! is checked against the shop's guards: a floor and a ceiling refuse the
//! absurd (a zero too few or too many), and a step away from the last price
//! larger than the shop's setting must be confirmed.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
pub use zargar_wire::{PriceOrigin, PriceScope};

use crate::error::StoreError;
use crate::store::ShopSettings;
use zargar_rules::money::Rial;
use zargar_rules::pricing::mazaneh_from_per_gram;
use zargar_rules::pricing::per_gram_from_mazaneh;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldPrice {
    pub id: Uuid,
    /// Rial per gram of 18k gold (purity 750).
    pub per_gram_18k: Rial,
    /// The mesghal quote it came from, when it did.
    pub mazaneh: Option<Rial>,
    pub set_at: DateTime<Utc>,
    pub origin: PriceOrigin,
    /// The shop's price, or this till's own.
    pub scope: PriceScope,
    /// Who set it, when known (the owner's name).
    pub set_by: Option<String>,
}

/// How a person enters the price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceEntry {
    PerGram18k(Rial),
    Mazaneh(Rial),
}

impl PriceEntry {
    /// (per gram of 18k, mazaneh if given)
    pub fn resolve(self) -> (Rial, Option<Rial>) {
        match self {
            PriceEntry::PerGram18k(p) => (p, None),
            PriceEntry::Mazaneh(m) => (per_gram_from_mazaneh(m), Some(m)),
        }
    }
}

/// A price to set: what was typed, whose it is, and whether the person has
/// confirmed a large step from the last price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPrice {
    pub entry: PriceEntry,
    pub scope: PriceScope,
    pub set_by: Option<String>,
    /// A step past the shop's setting is refused until confirmed.
    pub confirmed: bool,
}

impl NewPrice {
    /// A till's own price, as a script sets it: no question asked.
    pub fn till(entry: PriceEntry) -> NewPrice {
        NewPrice { entry, scope: PriceScope::Till, set_by: None, confirmed: true }
    }

    /// The shop's price, set by the owner.
    pub fn shop(entry: PriceEntry, owner: &str, confirmed: bool) -> NewPrice {
        NewPrice { entry, scope: PriceScope::Shop, set_by: Some(owner.to_owned()), confirmed }
    }
}

/// A price checked against the shop's guards, before it is saved: what the
/// owner is shown to confirm it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceChange {
    pub per_gram_18k: Rial,
    /// The mesghal quote typed, or the one the per-gram price stands for.
    pub per_mesghal: Rial,
    pub previous: Option<GoldPrice>,
    pub previous_per_mesghal: Option<Rial>,
    /// Signed, in percent of the previous price, to two places.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub change_percent: Option<Decimal>,
    /// The step is larger than the shop's setting.
    pub needs_confirmation: bool,
}

/// Checks a typed price: refused outside the shop's floor and ceiling (and at
/// zero); flagged for confirmation when it is further than the shop's step
/// from `previous`.
pub fn check(entry: PriceEntry, previous: Option<GoldPrice>, shop: &ShopSettings) -> Result<PriceChange, StoreError> {
    let (per_gram_18k, mazaneh) = entry.resolve();
    if per_gram_18k <= Rial::ZERO {
        let field = if mazaneh.is_some() { crate::error::Field::Mazaneh } else { crate::error::Field::GoldPrice };
        return Err(crate::error::ValidationError::new(field, per_gram_18k.to_string()).into());
    }
    if let Some(floor) = shop.price_floor
        && per_gram_18k < floor
    {
        return Err(StoreError::PriceBelowFloor { price: per_gram_18k, floor });
    }
    if let Some(ceiling) = shop.price_ceiling
        && per_gram_18k > ceiling
    {
        return Err(StoreError::PriceAboveCeiling { price: per_gram_18k, ceiling });
    }
    let change_percent = previous.as_ref().map(|p| {
        let old = p.per_gram_18k.decimal();
        ((per_gram_18k.decimal() - old) * Decimal::ONE_HUNDRED / old).round_dp(2).normalize()
    });
    let needs_confirmation = change_percent.is_some_and(|c| c.abs() > shop.price_step.decimal());
    Ok(PriceChange {
        per_gram_18k,
        per_mesghal: mazaneh.unwrap_or_else(|| mazaneh_from_per_gram(per_gram_18k)),
        previous_per_mesghal: previous
            .as_ref()
            .map(|p| p.mazaneh.unwrap_or_else(|| mazaneh_from_per_gram(p.per_gram_18k))),
        previous,
        change_percent,
        needs_confirmation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> ShopSettings {
        ShopSettings {
            price_floor: Some(Rial::from_i64(50_000_000)),
            price_ceiling: Some(Rial::from_i64(200_000_000)),
            ..ShopSettings::default()
        }
    }

    fn price(p: i64) -> GoldPrice {
        GoldPrice {
            id: Uuid::now_v7(),
            per_gram_18k: Rial::from_i64(p),
            mazaneh: None,
            set_at: Utc::now(),
            origin: PriceOrigin::Till,
            scope: PriceScope::Shop,
            set_by: None,
        }
    }

    #[test]
    fn a_zero_too_few_is_refused_below_the_floor_and_a_big_step_asks() {
        let last = Some(price(85_000_000));
        let low = check(PriceEntry::PerGram18k(Rial::from_i64(8_500_000)), last.clone(), &shop());
        assert!(matches!(low, Err(StoreError::PriceBelowFloor { .. })), "{low:?}");
        let high = check(PriceEntry::PerGram18k(Rial::from_i64(850_000_000)), last.clone(), &shop());
        assert!(matches!(high, Err(StoreError::PriceAboveCeiling { .. })), "{high:?}");
        // Without bounds, the tenfold-low price passes the check but must be confirmed.
        let open = check(PriceEntry::PerGram18k(Rial::from_i64(8_500_000)), last.clone(), &ShopSettings::default())
            .expect("no bounds set");
        assert!(open.needs_confirmation);
        assert_eq!(open.change_percent, Some(Decimal::from(-90)));
        // An ordinary morning move (+3.75%) needs no confirmation at the default 5% step.
        let daily = check(PriceEntry::PerGram18k(Rial::from_i64(88_187_500)), last, &shop()).expect("within bounds");
        assert_eq!(daily.change_percent, Some(Decimal::new(375, 2)));
        assert!(!daily.needs_confirmation);
        // The first price ever has nothing to step from.
        let first = check(PriceEntry::PerGram18k(Rial::from_i64(80_000_000)), None, &shop()).expect("first");
        assert!(!first.needs_confirmation);
    }

    #[test]
    fn the_mesghal_entry_previews_its_price_per_gram() {
        let c = check(PriceEntry::Mazaneh(Rial::from_i64(346_544_000)), None, &ShopSettings::default()).expect("ok");
        assert_eq!(c.per_gram_18k, Rial::from_i64(80_000_000));
        assert_eq!(c.per_mesghal, Rial::from_i64(346_544_000));
        let back =
            check(PriceEntry::PerGram18k(Rial::from_i64(80_000_000)), None, &ShopSettings::default()).expect("ok");
        assert_eq!(back.per_mesghal, Rial::from_i64(346_544_000));
    }
}

//! Weights and purities of gold.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// A weight in grams with three decimals, floored to the milligram: a scale
/// reading of 5.2309 g is sold as 5.230 g, never rounded up against the buyer.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Weight(Decimal);

impl Weight {
    /// Heavier than any piece a counter scale weighs; catches a mistyped unit.
    const MAX_GRAMS: Decimal = Decimal::from_parts(100_000, 0, 0, false, 0);

    /// A positive weight in grams, floored to 0.001 g.
    pub fn grams(d: Decimal) -> Option<Weight> {
        let mut w = d.round_dp_with_strategy(3, RoundingStrategy::ToZero);
        w.rescale(3);
        (w > Decimal::ZERO && w <= Self::MAX_GRAMS).then_some(Weight(w))
    }

    pub fn from_milligrams(mg: i64) -> Option<Weight> {
        Weight::grams(Decimal::new(mg, 3))
    }

    /// For storage and sums: an exact integer.
    pub fn milligrams(self) -> i64 {
        // Scale is 3 and the value is at most 1e8 mg, so the mantissa fits.
        i64::try_from(self.0.mantissa()).unwrap_or(i64::MAX)
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Fineness in parts per thousand: 750 is 18 karat. Any value from 1 to 1000
/// with at most one decimal (24k is 999.9); the karat is only a label.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Purity(Decimal);

impl Purity {
    pub const K18: Purity = Purity(Decimal::from_parts(750, 0, 0, false, 0));

    pub fn per_mille(d: Decimal) -> Option<Purity> {
        let d = d.normalize();
        (d >= Decimal::ONE && d <= Decimal::ONE_THOUSAND && d.scale() <= 1).then_some(Purity(d))
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// The Fluent id of the karat label, for the purities the market names.
    pub fn karat_message_id(self) -> Option<&'static str> {
        let tenths = (self.0 * Decimal::TEN).trunc();
        let id = match i64::try_from(tenths.mantissa()).ok()? {
            7500 => "karat-18",
            8750 => "karat-21",
            9160..=9170 => "karat-22",
            9990..=10000 => "karat-24",
            7050 => "karat-molten",
            5830 | 5850 => "karat-14",
            _ => return None,
        };
        Some(id)
    }
}

impl fmt::Display for Purity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn weight_is_floored_to_the_milligram() {
        assert_eq!(Weight::grams(dec!(5.2309)).map(|w| w.to_string()), Some("5.230".into()));
        assert_eq!(Weight::grams(dec!(5.23)).map(|w| w.milligrams()), Some(5230));
        assert!(Weight::grams(dec!(0.0009)).is_none(), "floors to zero");
        assert!(Weight::grams(dec!(0)).is_none());
        assert!(Weight::grams(dec!(-1)).is_none());
        assert_eq!(Weight::from_milligrams(5230), Weight::grams(dec!(5.230)));
    }

    #[test]
    fn purity_range_and_labels() {
        assert!(Purity::per_mille(dec!(0)).is_none());
        assert!(Purity::per_mille(dec!(1000.1)).is_none());
        assert!(Purity::per_mille(dec!(999.95)).is_none(), "one decimal at most");
        assert_eq!(Purity::per_mille(dec!(750.0)), Some(Purity::K18));
        let p = |d| Purity::per_mille(d).and_then(Purity::karat_message_id);
        assert_eq!(p(dec!(750)), Some("karat-18"));
        assert_eq!(p(dec!(999.9)), Some("karat-24"));
        assert_eq!(p(dec!(705)), Some("karat-molten"));
        assert_eq!(p(dec!(600)), None);
    }

    #[test]
    fn every_purity_the_market_names_has_its_label() {
        let p = |d| Purity::per_mille(d).and_then(Purity::karat_message_id);
        let named = [
            (dec!(583), "karat-14"),
            (dec!(585), "karat-14"),
            (dec!(705), "karat-molten"),
            (dec!(750), "karat-18"),
            (dec!(875), "karat-21"),
            (dec!(916), "karat-22"),
            (dec!(999.9), "karat-24"),
            (dec!(1000), "karat-24"),
        ];
        for (purity, id) in named {
            assert_eq!(p(purity), Some(id), "{purity}");
        }
        assert_eq!(p(dec!(916.5)), Some("karat-22"), "22k is also written 916.7");
        assert_eq!(p(dec!(740)), None);
    }
}

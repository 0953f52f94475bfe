//! Money and rates. A `Rial` is always a whole number of Rials held in a
//! `Decimal` (never a float); a `Percent` is a rate such as 7 for 7%.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A whole amount of Iranian Rials. Negative only where the domain says so
/// (a due amount the shop pays back); every stored price part is ≥ 0.
// A decimal string on the wire and in the UI's TypeScript, never a float.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rial(Decimal);

impl Rial {
    pub const ZERO: Rial = Rial(Decimal::ZERO);

    /// Floors a computed amount to a whole Rial, as the pricing rules require.
    pub fn floor(d: Decimal) -> Rial {
        Rial(d.floor().normalize_scale0())
    }

    /// `Some` when `d` is a whole number of Rials.
    pub fn whole(d: Decimal) -> Option<Rial> {
        (d.fract().is_zero()).then(|| Rial(d.normalize_scale0()))
    }

    pub fn from_i64(v: i64) -> Rial {
        Rial(Decimal::from(v))
    }

    /// For storage: every amount a till can hold fits an i64 by far.
    pub fn to_i64(self) -> Option<i64> {
        i64::try_from(self.0.mantissa()).ok()
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub fn checked_add(self, other: Rial) -> Option<Rial> {
        self.0.checked_add(other.0).map(Rial)
    }

    pub fn checked_sub(self, other: Rial) -> Option<Rial> {
        self.0.checked_sub(other.0).map(Rial)
    }

    pub fn max(self, other: Rial) -> Rial {
        if self >= other { self } else { other }
    }
}

/// Scale 0, so that `to_i64` may read the mantissa and `Display` shows no ".0".
trait Scale0 {
    fn normalize_scale0(self) -> Decimal;
}

impl Scale0 for Decimal {
    fn normalize_scale0(self) -> Decimal {
        let mut d = self;
        d.rescale(0);
        d
    }
}

impl Add for Rial {
    type Output = Rial;
    /// Panics on overflow past 7.9e28 Rials, which no till reaches; pricing
    /// itself uses the checked forms.
    fn add(self, other: Rial) -> Rial {
        Rial(self.0 + other.0)
    }
}

impl Sub for Rial {
    type Output = Rial;
    fn sub(self, other: Rial) -> Rial {
        Rial(self.0 - other.0)
    }
}

impl Sum for Rial {
    fn sum<I: Iterator<Item = Rial>>(iter: I) -> Rial {
        iter.fold(Rial::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Rial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A rate in percent: `Percent(7)` is 7%.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Percent(Decimal);

impl Percent {
    pub const ZERO: Percent = Percent(Decimal::ZERO);

    /// A rate from 0 to 100 inclusive.
    pub fn new(d: Decimal) -> Option<Percent> {
        (d >= Decimal::ZERO && d <= Decimal::ONE_HUNDRED).then_some(Percent(d.normalize()))
    }

    pub fn from_u32(v: u32) -> Option<Percent> {
        Percent::new(Decimal::from(v))
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rial_floors_and_stays_whole() {
        assert_eq!(Rial::floor(dec!(418400000.9999)), Rial::from_i64(418_400_000));
        assert_eq!(Rial::floor(dec!(5)).to_string(), "5");
        assert_eq!(Rial::floor(dec!(12.50)).to_i64(), Some(12));
        assert!(Rial::whole(dec!(1.5)).is_none());
        assert_eq!(Rial::whole(dec!(10.00)).map(|r| r.to_string()), Some("10".into()));
    }
}

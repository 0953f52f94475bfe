//! Money and rates. A `Rial` is always a whole number of Rials held in a
//! `Decimal` (never a float); a `Percent` is a rate such as 7 for 7%.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Field, ValidationError};
use crate::persian;

pub use zargar_rules::money::{Percent, Rial};

/// A value typed by a person, in any digit set, or the field it failed for.
pub trait ParseInput: Sized {
    fn parse(field: Field, s: &str) -> Result<Self, ValidationError>;
}

impl ParseInput for Rial {
    /// Whole, non-negative Rials.
    fn parse(field: Field, s: &str) -> Result<Rial, ValidationError> {
        let d = persian::parse_decimal(s).ok_or_else(|| ValidationError::new(field, s))?;
        Rial::whole(d).filter(|r| !r.is_negative()).ok_or_else(|| ValidationError::new(field, s))
    }
}

impl ParseInput for Percent {
    fn parse(field: Field, s: &str) -> Result<Percent, ValidationError> {
        let t = s.trim().trim_end_matches(['%', '٪']);
        persian::parse_decimal(t).and_then(Percent::new).ok_or_else(|| ValidationError::new(field, s))
    }
}

/// How amounts are shown. Rials are stored; the unit is a value so that the
/// coming redenomination (one new rial = 10,000 of today's) is one more row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisplayUnit {
    #[default]
    Rial,
    Toman,
}

impl DisplayUnit {
    /// How many Rials one unit is.
    pub fn rials_per_unit(self) -> Decimal {
        match self {
            DisplayUnit::Rial => Decimal::ONE,
            DisplayUnit::Toman => Decimal::TEN,
        }
    }

    /// The Fluent id of the unit's name.
    pub fn message_id(self) -> &'static str {
        match self {
            DisplayUnit::Rial => "unit-rial",
            DisplayUnit::Toman => "unit-toman",
        }
    }

    /// The amount in this unit; Toman keeps a decimal place when a Rial
    /// amount is not a multiple of ten, so nothing is hidden.
    pub fn convert(self, r: Rial) -> Decimal {
        (r.decimal() / self.rials_per_unit()).normalize()
    }

    /// An amount a person typed in this unit (any digits, separators
    /// allowed), in whole Rials: 12٬500٫5 Toman is 125,005 Rials.
    pub fn parse_amount(self, field: Field, s: &str) -> Result<Rial, ValidationError> {
        let d = persian::parse_decimal(s).ok_or_else(|| ValidationError::new(field, s))?;
        let rials = d.checked_mul(self.rials_per_unit()).ok_or_else(|| ValidationError::new(field, s))?;
        Rial::whole(rials).filter(|r| !r.is_negative()).ok_or_else(|| ValidationError::new(field, s))
    }

    pub fn parse(s: &str) -> Option<DisplayUnit> {
        match s.trim().to_ascii_lowercase().as_str() {
            "rial" => Some(DisplayUnit::Rial),
            "toman" => Some(DisplayUnit::Toman),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            DisplayUnit::Rial => "rial",
            DisplayUnit::Toman => "toman",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts_typed_in_toman_become_whole_rials() {
        let toman = DisplayUnit::Toman;
        assert_eq!(toman.parse_amount(Field::Amount, "۱۲٬۵۰۰٫۵").ok(), Some(Rial::from_i64(125_005)));
        assert_eq!(DisplayUnit::Rial.parse_amount(Field::Amount, "125,005").ok(), Some(Rial::from_i64(125_005)));
        assert!(toman.parse_amount(Field::Amount, "1.25").is_err());
        assert!(toman.parse_amount(Field::Amount, "-10").is_err());
    }

    #[test]
    fn rial_parses_any_digits_and_refuses_fractions_and_negatives() {
        assert_eq!(Rial::parse(Field::Amount, "۱۲۰٬۰۰۰").ok(), Some(Rial::from_i64(120_000)));
        assert_eq!(Rial::parse(Field::Amount, "120,000").ok(), Some(Rial::from_i64(120_000)));
        assert!(Rial::parse(Field::Amount, "12.5").is_err());
        assert!(Rial::parse(Field::Amount, "-3").is_err());
        assert!(Rial::parse(Field::Amount, "abc").is_err());
    }

    #[test]
    fn percent_is_bounded() {
        assert!(Percent::parse(Field::ProfitPercent, "7").is_ok());
        assert!(Percent::parse(Field::ProfitPercent, "۱۵٪").is_ok());
        assert!(Percent::parse(Field::ProfitPercent, "101").is_err());
        assert!(Percent::parse(Field::ProfitPercent, "-1").is_err());
    }

    #[test]
    fn toman_is_a_tenth_of_a_rial_amount() {
        assert_eq!(DisplayUnit::Toman.convert(Rial::from_i64(524_485_320)), dec!(52448532));
        assert_eq!(DisplayUnit::Toman.convert(Rial::from_i64(15)), dec!(1.5));
        assert_eq!(DisplayUnit::Rial.convert(Rial::from_i64(15)), dec!(15));
    }
}

//! What a person types: amounts, rates, weights and purities in any digit
//! set (Persian, Arabic-Indic or ASCII), read into the rules' own types or
//! refused with the field they failed for. The values and their arithmetic
//! live in `zargar-rules`.

use zargar_rules::measure::{Purity, Weight};
use zargar_rules::money::{Percent, Rial};

use crate::error::{Field, ValidationError};
use crate::persian;

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

impl ParseInput for Weight {
    fn parse(field: Field, s: &str) -> Result<Weight, ValidationError> {
        persian::parse_decimal(s).and_then(Weight::grams).ok_or_else(|| ValidationError::new(field, s))
    }
}

impl ParseInput for Purity {
    fn parse(field: Field, s: &str) -> Result<Purity, ValidationError> {
        persian::parse_decimal(s).and_then(Purity::per_mille).ok_or_else(|| ValidationError::new(field, s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::display_unit::DisplayUnit;
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

    #[test]
    fn weights_and_purities_are_typed_in_any_digits() {
        assert_eq!(Weight::parse(Field::Weight, "۵٫۲۳").ok().map(|w| w.milligrams()), Some(5230));
        assert!(Weight::parse(Field::Weight, "-1").is_err());
        assert_eq!(Purity::parse(Field::Purity, "۷۵۰").ok(), Some(Purity::K18));
        assert!(Purity::parse(Field::Purity, "0").is_err());
    }
}

//! Weights and purities of gold: the values live in `zargar-rules`; here is
//! how a person types them.

use crate::error::{Field, ValidationError};
use crate::money::ParseInput;
use crate::persian;

pub use zargar_rules::measure::{Purity, Weight};

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

    #[test]
    fn weights_and_purities_are_typed_in_any_digits() {
        assert_eq!(Weight::parse(Field::Weight, "۵٫۲۳").ok().map(|w| w.milligrams()), Some(5230));
        assert!(Weight::parse(Field::Weight, "-1").is_err());
        assert_eq!(Purity::parse(Field::Purity, "۷۵۰").ok(), Some(Purity::K18));
        assert!(Purity::parse(Field::Purity, "0").is_err());
    }
}

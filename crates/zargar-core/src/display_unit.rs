//! The unit amounts are shown and typed in (Rial or Toman); Rials are what
//! is stored.

use rust_decimal::Decimal;

use crate::error::{Field, ValidationError};
use crate::persian;

use zargar_rules::money::Rial;

zargar_wire::coded! {
    /// How amounts are shown. Rials are stored; the unit is a value so that the
    /// coming redenomination (one new rial = 10,000 of today's) is one more row.
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[derive(Default)]
    pub enum DisplayUnit {
        #[default]
        Rial = "rial",
        Toman = "toman",
    }
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

    /// As a person types it: any case, spaces around.
    pub fn parse(s: &str) -> Option<DisplayUnit> {
        DisplayUnit::from_code(&s.trim().to_ascii_lowercase())
    }
}

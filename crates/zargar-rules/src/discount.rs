//! Discounts (تخفیف) on a line's making charge and profit: a percent of the
//! part, or a Rial amount. Never on the gold value, never past the part
//! itself; the rest of the line follows from the discounted parts
//! (`pricing::price_piece_with`).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::PricingError;
use crate::money::{Percent, Rial};

/// One discount as given: `10%` of the part, or `2500000` Rials off it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Discount {
    Percent(Percent),
    Rials(Rial),
}

impl Discount {
    /// What it takes off `part`: `floor(part × d%)`, or the Rials. A Rial
    /// amount larger than the part is refused, not cut down: it is a slip.
    pub fn off(self, part: Rial) -> Result<Rial, PricingError> {
        match self {
            Discount::Percent(p) => {
                let off = part.decimal().checked_mul(p.decimal()).ok_or(PricingError::Overflow)?;
                Ok(Rial::floor(off / Decimal::ONE_HUNDRED))
            }
            Discount::Rials(r) if r.is_negative() || r > part => Err(PricingError::DiscountPastPart),
            Discount::Rials(r) => Ok(r),
        }
    }
}

/// Typed as at the counter or on the command line: `10%` (Persian digits
/// too) is a percent, a bare number Rials.
impl FromStr for Discount {
    type Err = PricingError;

    fn from_str(s: &str) -> Result<Discount, PricingError> {
        let folded: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
                '٪' => '%',
                '٫' => '.',
                c => c,
            })
            .filter(|c| *c != ',' && *c != '٬')
            .collect();
        match folded.strip_suffix('%') {
            Some(p) => p.trim().parse().ok().and_then(Percent::new).map(Discount::Percent),
            None => folded.parse().ok().and_then(Rial::whole).filter(|r| !r.is_negative()).map(Discount::Rials),
        }
        .ok_or(PricingError::DiscountPastPart)
    }
}

impl fmt::Display for Discount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Discount::Percent(p) => write!(f, "{}%", p.decimal()),
            Discount::Rials(r) => write!(f, "{}", r.decimal()),
        }
    }
}

/// The discounts given on one line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineDiscount {
    pub wage: Option<Discount>,
    pub profit: Option<Discount>,
}

/// What the discounts took off one line, each a whole Rial.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discounted {
    pub wage: Rial,
    pub profit: Rial,
}

impl Discounted {
    pub fn total(self) -> Result<Rial, PricingError> {
        self.wage.checked_add(self.profit).ok_or(PricingError::Overflow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::{Purity, Weight};
    use crate::pricing::{Piece, Rates, WageRate, price_piece, price_piece_with};
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn pct(d: Decimal) -> Percent {
        Percent::new(d).expect("percent")
    }

    fn example() -> (Piece, Rates) {
        let piece = Piece {
            weight: Weight::grams(dec!(5.230)).expect("weight"),
            purity: Purity::K18,
            wage: WageRate::Percent(pct(dec!(15))),
            stones: Rial::ZERO,
        };
        (piece, Rates { per_gram_18k: Rial::from_i64(80_000_000), profit: pct(dec!(7)), vat: pct(dec!(10)) })
    }

    #[test]
    fn the_worked_example_with_a_fifth_off_the_wage_and_a_million_off_the_profit() {
        let (piece, rates) = example();
        let given = LineDiscount {
            wage: Some("20%".parse().expect("percent")),
            profit: Some("۱٬۰۰۰٬۰۰۰".parse().expect("rials")),
        };
        let (p, off) = price_piece_with(&piece, &rates, &given).expect("price");
        // wage 62,760,000 − 12,552,000; profit floor((418,400,000 + 50,208,000) × 7%) − 1,000,000
        assert_eq!(off, Discounted { wage: Rial::from_i64(12_552_000), profit: Rial::from_i64(1_000_000) });
        assert_eq!(p.gold, Rial::from_i64(418_400_000));
        assert_eq!(p.wage, Rial::from_i64(50_208_000));
        assert_eq!(p.profit, Rial::from_i64(31_802_560));
        assert_eq!(p.vat, Rial::from_i64(8_201_056)); // floor((50,208,000 + 31,802,560) × 10%)
        assert_eq!(p.total, Rial::from_i64(508_611_616));
    }

    #[test]
    fn a_discount_past_its_part_or_not_a_discount_is_refused() {
        let (piece, rates) = example();
        let too_much = LineDiscount { wage: Some(Discount::Rials(Rial::from_i64(62_760_001))), profit: None };
        assert_eq!(price_piece_with(&piece, &rates, &too_much), Err(PricingError::DiscountPastPart));
        let all =
            LineDiscount { wage: Some("62760000".parse().expect("rials")), profit: Some("100%".parse().expect("%")) };
        let (p, _) = price_piece_with(&piece, &rates, &all).expect("all of both");
        assert_eq!((p.wage, p.profit, p.vat), (Rial::ZERO, Rial::ZERO, Rial::ZERO), "never below zero");
        for bad in ["", "-5", "101%", "ten", "2.5"] {
            assert!(bad.parse::<Discount>().is_err(), "{bad:?}");
        }
        assert_eq!("12.5%".parse::<Discount>().expect("%").to_string(), "12.5%");
    }

    proptest! {
        #[test]
        fn a_discount_never_raises_the_total_nor_touches_the_gold_and_vat_follows_the_discounted_parts(
            grams in 1u32..200_000,
            per_gram in 10_000_000i64..200_000_000,
            wage_pct in 0u32..=40,
            wage_off in 0u32..=100,
            profit_off in 0u32..=100,
            in_rials in any::<bool>(),
        ) {
            let piece = Piece {
                weight: Weight::grams(Decimal::new(i64::from(grams), 3)).expect("weight"),
                purity: Purity::K18,
                wage: WageRate::Percent(Percent::from_u32(wage_pct).expect("wage")),
                stones: Rial::ZERO,
            };
            let rates = Rates { per_gram_18k: Rial::from_i64(per_gram), profit: pct(dec!(7)), vat: pct(dec!(10)) };
            let full = price_piece(&piece, &rates).expect("full price");
            let given = if in_rials {
                // Rials: a share of the undiscounted part (what the profit is after
                // the wage discount is not known yet, so the share is of the wage).
                let share = |part: Rial, p: u32| Rial::floor(part.decimal() * Decimal::from(p) / Decimal::ONE_HUNDRED);
                LineDiscount { wage: Some(Discount::Rials(share(full.wage, wage_off))), profit: None }
            } else {
                LineDiscount {
                    wage: Some(Discount::Percent(Percent::from_u32(wage_off).expect("%"))),
                    profit: Some(Discount::Percent(Percent::from_u32(profit_off).expect("%"))),
                }
            };
            let (p, off) = price_piece_with(&piece, &rates, &given).expect("discounted");
            prop_assert_eq!(p.gold, full.gold);
            prop_assert!(p.total <= full.total);
            prop_assert!(!p.wage.is_negative() && !p.profit.is_negative());
            prop_assert_eq!(p.wage + off.wage, full.wage);
            let vat = Rial::floor((p.wage + p.profit).decimal() * dec!(10) / Decimal::ONE_HUNDRED);
            prop_assert_eq!(p.vat, vat);
            prop_assert_eq!(p.total, p.gold + p.wage + p.profit + p.vat + p.stones);
        }
    }
}

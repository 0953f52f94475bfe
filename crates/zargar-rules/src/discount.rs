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
use crate::pricing::{LinePrice, Piece, Rates, price_piece_with};

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

/// Prices a sale's pieces with a discount on the whole sale and each line's
/// own. A line with its own discount keeps it; the sale's discount goes to
/// the others: a percent to each, a Rial amount spread over them in
/// proportion to the part it comes off (`spread`). The wage comes first,
/// since the profit is taken on the discounted wage.
pub fn price_pieces_with(
    pieces: &[Piece],
    rates: &Rates,
    sale: &LineDiscount,
    own: &[Option<LineDiscount>],
) -> Result<Vec<(LinePrice, Discounted)>, PricingError> {
    let mut given: Vec<LineDiscount> =
        (0..pieces.len()).map(|i| own.get(i).copied().flatten().unwrap_or_default()).collect();
    let shared: Vec<usize> = (0..pieces.len()).filter(|i| own.get(*i).copied().flatten().is_none()).collect();
    if let Some(d) = sale.wage {
        let parts = shared
            .iter()
            .map(|&i| Ok(price_piece_with(&pieces[i], rates, &LineDiscount::default())?.0.wage))
            .collect::<Result<Vec<_>, PricingError>>()?;
        for (&i, d) in shared.iter().zip(share_out(d, &parts)?) {
            given[i].wage = Some(d);
        }
    }
    if let Some(d) = sale.profit {
        let parts = shared
            .iter()
            .map(|&i| {
                let wage_only = LineDiscount { wage: given[i].wage, profit: None };
                Ok(price_piece_with(&pieces[i], rates, &wage_only)?.0.profit)
            })
            .collect::<Result<Vec<_>, PricingError>>()?;
        for (&i, d) in shared.iter().zip(share_out(d, &parts)?) {
            given[i].profit = Some(d);
        }
    }
    pieces.iter().zip(&given).map(|(p, d)| price_piece_with(p, rates, d)).collect()
}

/// One discount for each of `parts`: a percent as it is, Rials spread.
fn share_out(d: Discount, parts: &[Rial]) -> Result<Vec<Discount>, PricingError> {
    match d {
        Discount::Percent(_) => Ok(vec![d; parts.len()]),
        Discount::Rials(r) => Ok(spread(r, parts)?.into_iter().map(Discount::Rials).collect()),
    }
}

/// Splits `total` over `parts` in proportion, each share floored to a whole
/// Rial and the Rials left over given one each to the largest remainders
/// (the first line on a tie): the shares add up to `total` exactly and none
/// passes its part. More than all the parts together is refused.
pub fn spread(total: Rial, parts: &[Rial]) -> Result<Vec<Rial>, PricingError> {
    let sum = parts.iter().try_fold(Rial::ZERO, |a, p| a.checked_add(*p)).ok_or(PricingError::Overflow)?;
    if total.is_negative() || total > sum {
        return Err(PricingError::DiscountPastPart);
    }
    if total == Rial::ZERO {
        return Ok(vec![Rial::ZERO; parts.len()]);
    }
    let mut shares = Vec::with_capacity(parts.len());
    let mut rest = Vec::with_capacity(parts.len());
    for (i, p) in parts.iter().enumerate() {
        let exact = total.decimal().checked_mul(p.decimal()).ok_or(PricingError::Overflow)? / sum.decimal();
        let share = Rial::floor(exact);
        rest.push((exact - share.decimal(), i));
        shares.push(share);
    }
    let given = shares.iter().try_fold(Rial::ZERO, |a, s| a.checked_add(*s)).ok_or(PricingError::Overflow)?;
    let mut left = (total - given).to_i64().ok_or(PricingError::Overflow)?;
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in rest {
        if left == 0 {
            break;
        }
        if shares[i] < parts[i] {
            shares[i] = shares[i] + Rial::from_i64(1);
            left -= 1;
        }
    }
    Ok(shares)
}

/// How much of a sale's making charge and profit its discounts took: what
/// a cashier's limit is a percent of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiscountShare {
    /// Taken off, wage and profit together.
    pub off: Rial,
    /// The making charge and profit before those discounts.
    pub of: Rial,
}

impl DiscountShare {
    /// From each line's discounted wage and profit and what was taken off them.
    pub fn of_lines(lines: impl IntoIterator<Item = (Rial, Rial, Discounted)>) -> Result<DiscountShare, PricingError> {
        let mut share = DiscountShare::default();
        for (wage, profit, off) in lines {
            let taken = off.total()?;
            share.off = share.off.checked_add(taken).ok_or(PricingError::Overflow)?;
            let before = [wage, profit, taken].into_iter().try_fold(Rial::ZERO, |a, p| a.checked_add(p));
            share.of = before.and_then(|b| share.of.checked_add(b)).ok_or(PricingError::Overflow)?;
        }
        Ok(share)
    }

    /// The share in percent, to two places, rounded up: what the cashier is told.
    pub fn percent(self) -> Decimal {
        if self.of == Rial::ZERO {
            return Decimal::ZERO;
        }
        let p = self.off.decimal() * Decimal::ONE_HUNDRED / self.of.decimal();
        p.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::AwayFromZero)
    }

    /// Whether the share is at most `limit`, compared exactly.
    pub fn within(self, limit: Percent) -> bool {
        match (self.off.decimal().checked_mul(Decimal::ONE_HUNDRED), self.of.decimal().checked_mul(limit.decimal())) {
            (Some(off), Some(allowed)) => off <= allowed,
            _ => false,
        }
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

    #[test]
    fn a_sale_discount_goes_to_the_lines_without_their_own_and_the_limit_is_a_share_of_wage_and_profit() {
        let (piece, rates) = example();
        let small = Piece { weight: Weight::grams(dec!(2.000)).expect("weight"), ..piece };
        let sale = LineDiscount {
            wage: Some(Discount::Rials(Rial::from_i64(10_000_001))),
            profit: Some("50%".parse().expect("%")),
        };
        let own = [None, None, Some(LineDiscount { wage: None, profit: Some(Discount::Rials(Rial::from_i64(7))) })];
        let lines = price_pieces_with(&[piece, small, piece], &rates, &sale, &own).expect("priced");
        // 10,000,001 over wages 62,760,000 and 24,000,000: 7,233,748.994… and
        // 2,766,252.005…; the Rial left over goes to the larger remainder.
        assert_eq!(lines[0].1.wage, Rial::from_i64(7_233_749));
        assert_eq!(lines[1].1.wage, Rial::from_i64(2_766_252));
        assert_eq!(lines[2].1, Discounted { wage: Rial::ZERO, profit: Rial::from_i64(7) }, "its own discount only");
        let (p0, d0) = lines[0];
        let profit_before = Rial::floor((p0.gold + p0.wage).decimal() * dec!(7) / Decimal::ONE_HUNDRED);
        assert_eq!(d0.profit, Rial::floor(profit_before.decimal() / dec!(2)));
        let share = DiscountShare::of_lines(lines.iter().map(|(p, d)| (p.wage, p.profit, *d))).expect("share");
        assert!(share.within(pct(dec!(50))) && !share.within(pct(dec!(10))), "{share:?}: {}", share.percent());
        assert_eq!(DiscountShare::default().percent(), Decimal::ZERO);
        assert_eq!(
            price_pieces_with(
                &[piece],
                &rates,
                &LineDiscount { wage: Some(Discount::Rials(Rial::from_i64(62_760_001))), profit: None },
                &[]
            ),
            Err(PricingError::DiscountPastPart)
        );
    }

    proptest! {
        #[test]
        fn a_spread_adds_up_to_its_total_and_no_share_passes_its_part(
            parts in proptest::collection::vec(0i64..1_000_000_000, 1..12),
            fraction in 0u32..=1000,
        ) {
            let parts: Vec<Rial> = parts.into_iter().map(Rial::from_i64).collect();
            let sum: Rial = parts.iter().copied().sum();
            let total = Rial::floor(sum.decimal() * Decimal::from(fraction) / dec!(1000));
            let shares = spread(total, &parts).expect("spread");
            prop_assert_eq!(shares.iter().copied().sum::<Rial>(), total);
            for (s, p) in shares.iter().zip(&parts) {
                prop_assert!(!s.is_negative() && s <= p);
            }
            prop_assert_eq!(spread(sum + Rial::from_i64(1), &parts), Err(PricingError::DiscountPastPart));
        }

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

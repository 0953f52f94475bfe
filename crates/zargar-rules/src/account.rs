//! A registered customer's account: two balances, Rials and gold in whole
//! milligrams of 750 (18k) equivalent, each the sum of its movements. Above
//! zero the shop owes the customer (credit); below, the customer owes.
//!
//! Gold is never rounded away: a movement's gold is a whole number of
//! milligrams, and the Rial value of a number of milligrams is one rule
//! (`gold_value`), so gold → Rials → gold at one price gives back every
//! milligram, and the Rials of a conversion are its gold's value exactly.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use zargar_wire::AccountMoveKind;

use crate::PricingError;
use crate::measure::{Purity, Weight};
use crate::money::{Percent, Rial};

const PURITY_18K: Decimal = Decimal::from_parts(750, 0, 0, false, 0);
const MG_PER_GRAM: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);

/// Signed milligrams of 750-equivalent gold.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GoldMg(i64);

impl GoldMg {
    pub const ZERO: GoldMg = GoldMg(0);

    pub fn from_mg(mg: i64) -> GoldMg {
        GoldMg(mg)
    }

    pub fn mg(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: GoldMg) -> Option<GoldMg> {
        self.0.checked_add(other.0).map(GoldMg)
    }

    pub fn checked_neg(self) -> Option<GoldMg> {
        self.0.checked_neg().map(GoldMg)
    }

    /// Grams with three decimals, for display and the wire's decimal fields.
    pub fn grams(self) -> Decimal {
        Decimal::new(self.0, 3)
    }

    /// Old gold as 750-equivalent after its melting loss:
    /// weight × purity / 750 × (100 − deduction) / 100, floored to the
    /// milligram (the shop credits no gold it did not receive).
    pub fn equivalent(weight: Weight, purity: Purity, deduction: Percent) -> Result<GoldMg, PricingError> {
        let kept = Decimal::ONE_HUNDRED - deduction.decimal();
        let mg = Decimal::from(weight.milligrams())
            .checked_mul(purity.decimal())
            .and_then(|x| x.checked_mul(kept))
            .ok_or(PricingError::Overflow)?
            / (PURITY_18K * Decimal::ONE_HUNDRED);
        let mg = mg.round_dp_with_strategy(0, RoundingStrategy::ToNegativeInfinity);
        i64::try_from(mg).map(GoldMg).map_err(|_| PricingError::Overflow)
    }
}

impl fmt::Display for GoldMg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.grams())
    }
}

/// The Rial value of `gold` at a price per gram of 18k: gold × price / 1000,
/// rounded up to the Rial away from zero, so that converting it back at the
/// same price gives the same milligrams (any real price is far above 1,000
/// Rials a gram, so a Rial is less than a milligram's worth).
pub fn gold_value(gold: GoldMg, per_gram_18k: Rial) -> Result<Rial, PricingError> {
    let v = Decimal::from(gold.0).checked_mul(per_gram_18k.decimal()).ok_or(PricingError::Overflow)? / MG_PER_GRAM;
    let v = v.round_dp_with_strategy(0, RoundingStrategy::AwayFromZero);
    Rial::whole(v).ok_or(PricingError::Overflow)
}

/// The most gold `rial` buys at the price (whole milligrams, toward zero),
/// and what that gold is worth by `gold_value`: never more than `rial`, so
/// the rest stays in Rials.
pub fn gold_for(rial: Rial, per_gram_18k: Rial) -> Result<(GoldMg, Rial), PricingError> {
    if per_gram_18k.decimal() <= Decimal::ZERO {
        return Err(PricingError::Overflow);
    }
    let mg = rial.decimal().checked_mul(MG_PER_GRAM).ok_or(PricingError::Overflow)? / per_gram_18k.decimal();
    let mg = i64::try_from(mg.trunc()).map_err(|_| PricingError::Overflow)?;
    let mut gold = GoldMg(mg);
    let mut value = gold_value(gold, per_gram_18k)?;
    // Rounding the value up may pass the amount by a Rial: one milligram less.
    while value.decimal().abs() > rial.decimal().abs() && gold.0 != 0 {
        gold = GoldMg(gold.0 - gold.0.signum());
        value = gold_value(gold, per_gram_18k)?;
    }
    Ok((gold, value))
}

/// A customer's two balances.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Balance {
    pub rial: Rial,
    pub gold: GoldMg,
}

impl Balance {
    pub const ZERO: Balance = Balance { rial: Rial::ZERO, gold: GoldMg::ZERO };

    pub fn checked_add(self, rial: Rial, gold: GoldMg) -> Option<Balance> {
        Some(Balance { rial: self.rial.checked_add(rial)?, gold: self.gold.checked_add(gold)? })
    }

    /// Past what the shop allows: Rials below minus the credit limit, or
    /// gold below zero (a customer owes no gold outside an installment plan).
    pub fn overdrawn(self, credit_limit: Rial) -> bool {
        self.rial.decimal() < -credit_limit.decimal() || self.gold.0 < 0
    }
}

/// Whether a movement takes from the account (and so may overdraw it).
pub fn takes(rial: Rial, gold: GoldMg) -> bool {
    rial.is_negative() || gold.0 < 0
}

/// Which balance a movement would take past what the shop allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Short {
    /// Rials below minus the credit limit.
    Rial,
    /// Gold below zero.
    Gold,
}

/// Why the account cannot take this movement, if it cannot. Each balance is
/// judged only when the movement takes from it: a customer who owes gold
/// under a plan still buys on Rial credit. `gold_debt` is true for the
/// movement that fixes a plan's debt in grams, the one way to owe gold.
pub fn short_of(before: Balance, rial: Rial, gold: GoldMg, credit_limit: Rial, gold_debt: bool) -> Option<Short> {
    let Some(after) = before.checked_add(rial, gold) else { return Some(Short::Rial) };
    if rial.is_negative() && after.rial.decimal() < -credit_limit.decimal() {
        return Some(Short::Rial);
    }
    if gold.0 < 0 && after.gold.0 < 0 && !gold_debt {
        return Some(Short::Gold);
    }
    None
}

/// The signs a movement of each kind carries, and a conversion's Rials
/// equal to its gold's value at its price. `None` when it holds, else why.
pub fn check_move(kind: AccountMoveKind, rial: Rial, gold: GoldMg, per_gram_18k: Option<Rial>) -> Option<&'static str> {
    let r = rial.decimal().cmp(&Decimal::ZERO);
    let g = gold.0.signum();
    use std::cmp::Ordering::{Equal, Greater, Less};
    let ok = match kind {
        AccountMoveKind::Sale | AccountMoveKind::Payout => r == Less && g == 0,
        AccountMoveKind::Payment | AccountMoveKind::Refund => r == Greater && g == 0,
        AccountMoveKind::GoldIn => g > 0 && r == Equal,
        AccountMoveKind::GoldOut => g < 0 && r == Equal,
        AccountMoveKind::Convert => {
            let Some(price) = per_gram_18k else { return Some("a conversion names its price") };
            if (r == Greater) == (g > 0) || g == 0 || r == Equal {
                return Some("a conversion takes from one balance and adds to the other");
            }
            let value = match gold_value(gold, price) {
                Ok(v) => v,
                Err(_) => return Some("out of range"),
            };
            if value.decimal() != -rial.decimal() {
                return Some("a conversion's Rials are its gold's value at its price");
            }
            true
        }
    };
    (!ok).then_some("the amounts do not fit the kind of movement")
}

/// Splits a plan's `total` (Rials, or milligrams) into `n` installments of
/// whole units as equal as can be: the first ones take one unit more.
pub fn split_installments(total: i64, n: u32) -> Option<Vec<i64>> {
    if n == 0 || total <= 0 || i64::from(n) > total {
        return None;
    }
    let (each, rest) = (total / i64::from(n), total % i64::from(n));
    Some((0..i64::from(n)).map(|i| each + i64::from(i < rest)).collect())
}

/// The most installments a plan may have: ten years of months.
pub const MAX_INSTALLMENTS: usize = 120;

/// Whether installments make up a plan: one to 120 of them, each above
/// zero, due in order, adding up to the total. `None` when they do.
pub fn check_installments(total: i64, parts: &[(chrono::NaiveDate, i64)]) -> Option<&'static str> {
    if parts.is_empty() || parts.len() > MAX_INSTALLMENTS {
        return Some("a plan has 1 to 120 installments");
    }
    if parts.iter().any(|(_, a)| *a <= 0) {
        return Some("each installment is above zero");
    }
    if parts.windows(2).any(|w| w[1].0 < w[0].0) {
        return Some("installments fall due in order");
    }
    let sum = parts.iter().try_fold(0_i64, |acc, (_, a)| acc.checked_add(*a));
    if sum != Some(total) {
        return Some("the installments add up to the plan's total");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    #[test]
    fn old_gold_in_750_is_floored_to_the_milligram() {
        let w = Weight::grams(dec!(10.001)).expect("w");
        let k21 = Purity::per_mille(dec!(875)).expect("p");
        // 10.001 × 875 / 750 = 11.66783… g; with 5% loss 11.08444… g.
        assert_eq!(GoldMg::equivalent(w, k21, Percent::ZERO).expect("mg").mg(), 11_667);
        assert_eq!(GoldMg::equivalent(w, k21, Percent::from_u32(5).expect("p")).expect("mg").mg(), 11_084);
    }

    #[test]
    fn a_conversion_values_gold_exactly_and_buys_whole_milligrams() {
        let price = Rial::from_i64(81_234_567);
        assert_eq!(gold_value(GoldMg::from_mg(1_000), price).expect("v"), price);
        // 3 mg × 81,234.567 = 243,703.701 → 243,704 Rials.
        assert_eq!(gold_value(GoldMg::from_mg(3), price).expect("v"), Rial::from_i64(243_704));
        assert_eq!(gold_value(GoldMg::from_mg(-3), price).expect("v"), Rial::from_i64(-243_704));
        let (mg, cost) = gold_for(Rial::from_i64(243_703), price).expect("g");
        assert_eq!((mg.mg(), cost), (2, Rial::from_i64(162_470)));
        assert_eq!(
            check_move(AccountMoveKind::Convert, Rial::ZERO - cost, mg, Some(price)),
            None,
            "Rials to gold: the Rials are the gold's value"
        );
        assert!(check_move(AccountMoveKind::Convert, Rial::ZERO - cost - Rial::from_i64(1), mg, Some(price)).is_some());
        assert!(check_move(AccountMoveKind::Payment, Rial::from_i64(-5), GoldMg::ZERO, None).is_some());
        assert!(check_move(AccountMoveKind::GoldIn, Rial::ZERO, GoldMg::from_mg(5), None).is_none());
    }

    #[test]
    fn each_balance_is_judged_when_a_movement_takes_from_it() {
        let owes_gold = Balance { rial: Rial::ZERO, gold: GoldMg::from_mg(-5_000) };
        let limit = Rial::from_i64(100);
        assert_eq!(short_of(owes_gold, Rial::from_i64(-100), GoldMg::ZERO, limit, false), None);
        assert_eq!(short_of(owes_gold, Rial::from_i64(-101), GoldMg::ZERO, limit, false), Some(Short::Rial));
        assert_eq!(short_of(Balance::ZERO, Rial::ZERO, GoldMg::from_mg(-1), limit, false), Some(Short::Gold));
        assert_eq!(short_of(Balance::ZERO, Rial::from_i64(80), GoldMg::from_mg(-1), limit, true), None);
    }

    #[test]
    fn overdrawn_past_the_limit_or_below_no_gold() {
        let b = Balance { rial: Rial::from_i64(-100), gold: GoldMg::ZERO };
        assert!(!b.overdrawn(Rial::from_i64(100)));
        assert!(b.overdrawn(Rial::from_i64(99)));
        assert!(Balance { rial: Rial::ZERO, gold: GoldMg::from_mg(-1) }.overdrawn(Rial::from_i64(1_000_000)));
    }

    #[test]
    fn installments_are_equal_but_for_a_unit_on_the_first_ones() {
        assert_eq!(split_installments(100, 3), Some(vec![34, 33, 33]));
        assert_eq!(split_installments(5, 6), None);
        assert_eq!(split_installments(0, 1), None);
    }

    proptest! {
        /// Gold → Rials → gold at one price gives back every milligram; and
        /// the gold a sum buys is the most it can, worth no more than the sum.
        #[test]
        fn conversions_never_lose_a_milligram(mg in 1i64..10_000_000, price in 1_000i64..2_000_000_000, rial in 1i64..1_000_000_000_000) {
            let price = Rial::from_i64(price);
            let value = gold_value(GoldMg::from_mg(mg), price).expect("value");
            let (back, cost) = gold_for(value, price).expect("back");
            prop_assert_eq!(back.mg(), mg);
            prop_assert_eq!(cost, value);

            let (gold, cost) = gold_for(Rial::from_i64(rial), price).expect("gold");
            prop_assert!(cost <= Rial::from_i64(rial));
            prop_assert_eq!(gold_value(gold, price).expect("v"), cost);
            let more = gold_value(GoldMg::from_mg(gold.mg() + 1), price).expect("v");
            prop_assert!(more > Rial::from_i64(rial));
            if gold.mg() > 0 {
                prop_assert_eq!(check_move(AccountMoveKind::Convert, Rial::ZERO - cost, gold, Some(price)), None);
            }
        }
    }
}

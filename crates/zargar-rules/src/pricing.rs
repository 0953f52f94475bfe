//! The price of a gold piece, exactly as `docs/pricing.md` sets it out.
//!
//! Pure functions of validated inputs. Each part is floored to a whole Rial
//! on its own, and every product is formed before any division, so the
//! till, the server and a reprint always agree to the Rial.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use zargar_wire::Wage;

use crate::PricingError;
use crate::discount::{Discounted, LineDiscount};
use crate::measure::{Purity, Weight};
use crate::money::{Percent, Rial};

/// The market's mesghal (مثقال) quote is for 4.608 g at purity 705; one gram
/// of 18k is the quote divided by this factor (4.6083 × 705 / 750).
pub const MAZANEH_DIVISOR: Decimal = Decimal::from_parts(43_318, 0, 0, false, 4);

const PURITY_18K: Decimal = Decimal::from_parts(750, 0, 0, false, 0);

/// The Rial price of one gram of 18k gold from a mesghal quote, floored.
pub fn per_gram_from_mazaneh(mazaneh: Rial) -> Rial {
    Rial::floor(mazaneh.decimal() / MAZANEH_DIVISOR)
}

/// The mesghal quote that a price per gram of 18k stands for, floored: what
/// the owner reads back to check a price typed per gram.
pub fn mazaneh_from_per_gram(per_gram_18k: Rial) -> Rial {
    Rial::floor(per_gram_18k.decimal() * MAZANEH_DIVISOR)
}

/// The making charge of a piece, as entered on its tag.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum WageRate {
    /// A percentage of the gold value.
    Percent(Percent),
    /// Rial per gram of the piece.
    PerGram(Rial),
}

impl WageRate {
    pub fn to_wire(self) -> Wage {
        match self {
            WageRate::Percent(p) => Wage::Percent(p.decimal()),
            WageRate::PerGram(r) => Wage::PerGram(r.decimal()),
        }
    }

    pub fn from_wire(w: Wage) -> Option<WageRate> {
        match w {
            Wage::Percent(p) => Percent::new(p).map(WageRate::Percent),
            Wage::PerGram(r) => Rial::whole(r).filter(|r| !r.is_negative()).map(WageRate::PerGram),
        }
    }

    /// `percent` or `per_gram`, as stored.
    pub fn kind(self) -> &'static str {
        match self {
            WageRate::Percent(_) => "percent",
            WageRate::PerGram(_) => "per_gram",
        }
    }

    pub fn value(self) -> Decimal {
        match self {
            WageRate::Percent(p) => p.decimal(),
            WageRate::PerGram(r) => r.decimal(),
        }
    }

    pub fn from_parts(kind: &str, value: Decimal) -> Option<WageRate> {
        match kind {
            "percent" => Percent::new(value).map(WageRate::Percent),
            "per_gram" => Rial::whole(value).filter(|r| !r.is_negative()).map(WageRate::PerGram),
            _ => None,
        }
    }
}

/// What is priced: one tagged piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub weight: Weight,
    pub purity: Purity,
    pub wage: WageRate,
    /// Stones and accessories, priced separately and added as they are.
    pub stones: Rial,
}

/// The rates in force for a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    /// Rial per gram of 18k gold.
    pub per_gram_18k: Rial,
    pub profit: Percent,
    pub vat: Percent,
}

/// The parts of one line, each a whole Rial.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinePrice {
    pub gold: Rial,
    pub wage: Rial,
    pub profit: Rial,
    pub vat: Rial,
    pub stones: Rial,
    pub total: Rial,
}

/// The price of one gram at this purity: shown on the invoice, not rounded.
pub fn unit_price(per_gram_18k: Rial, purity: Purity) -> Decimal {
    per_gram_18k.decimal() * purity.decimal() / PURITY_18K
}

fn percent_of(amount: Decimal, rate: Percent) -> Result<Decimal, PricingError> {
    amount.checked_mul(rate.decimal()).map(|x| x / Decimal::ONE_HUNDRED).ok_or(PricingError::Overflow)
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, PricingError> {
    a.checked_mul(b).ok_or(PricingError::Overflow)
}

fn add(a: Rial, b: Rial) -> Result<Rial, PricingError> {
    a.checked_add(b).ok_or(PricingError::Overflow)
}

/// Prices one piece.
///
/// ```text
/// gold   = floor(weight × P18 × purity / 750)
/// wage   = floor(gold × wage%)  or  floor(weight × wage_per_gram)
/// profit = floor((gold + wage) × profit%)
/// vat    = floor((wage + profit) × vat%)    never on gold, never on stones
/// total  = gold + wage + profit + vat + stones
/// ```
pub fn price_piece(piece: &Piece, rates: &Rates) -> Result<LinePrice, PricingError> {
    price_piece_with(piece, rates, &LineDiscount::default()).map(|(price, _)| price)
}

/// Prices one piece with discounts on its making charge and profit; the
/// line's `wage` and `profit` are the discounted ones, and what was taken
/// off comes beside them.
///
/// ```text
/// wage'   = wage − wage_discount          (a percent: floor(wage × d%))
/// profit  = floor((gold + wage') × profit%)
/// profit' = profit − profit_discount      (a percent: floor(profit × d%))
/// vat     = floor((wage' + profit') × vat%)
/// total   = gold + wage' + profit' + vat + stones
/// ```
pub fn price_piece_with(
    piece: &Piece,
    rates: &Rates,
    discount: &LineDiscount,
) -> Result<(LinePrice, Discounted), PricingError> {
    let weight = piece.weight.decimal();
    let gold = Rial::floor(mul(mul(weight, rates.per_gram_18k.decimal())?, piece.purity.decimal())? / PURITY_18K);
    let wage = match piece.wage {
        WageRate::Percent(p) => Rial::floor(percent_of(gold.decimal(), p)?),
        WageRate::PerGram(r) => Rial::floor(mul(weight, r.decimal())?),
    };
    let wage_off = discount.wage.map_or(Ok(Rial::ZERO), |d| d.off(wage))?;
    let wage = wage.checked_sub(wage_off).ok_or(PricingError::Overflow)?;
    let profit = Rial::floor(percent_of(add(gold, wage)?.decimal(), rates.profit)?);
    let profit_off = discount.profit.map_or(Ok(Rial::ZERO), |d| d.off(profit))?;
    let profit = profit.checked_sub(profit_off).ok_or(PricingError::Overflow)?;
    let vat = Rial::floor(percent_of(add(wage, profit)?.decimal(), rates.vat)?);
    let total = add(add(add(add(gold, wage)?, profit)?, vat)?, piece.stones)?;
    Ok((
        LinePrice { gold, wage, profit, vat, stones: piece.stones, total },
        Discounted { wage: wage_off, profit: profit_off },
    ))
}

/// Old gold bought back (طلای کهنه): no wage, profit or VAT.
/// `floor(weight × purity/750 × buy_price_18k × (1 − deduction%))`, with the
/// multiplications done first.
pub fn trade_in_value(
    weight: Weight,
    purity: Purity,
    buy_price_18k: Rial,
    deduction: Percent,
) -> Result<Rial, PricingError> {
    let kept = Decimal::ONE_HUNDRED - deduction.decimal();
    let numerator = mul(mul(mul(weight.decimal(), purity.decimal())?, buy_price_18k.decimal())?, kept)?;
    Ok(Rial::floor(numerator / (PURITY_18K * Decimal::ONE_HUNDRED)))
}

/// VAT rates with the dates they take effect (Tehran calendar days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatSchedule {
    /// Sorted by date, oldest first.
    entries: Vec<(NaiveDate, Percent)>,
}

impl VatSchedule {
    pub fn new(mut entries: Vec<(NaiveDate, Percent)>) -> VatSchedule {
        entries.sort_by_key(|(d, _)| *d);
        entries.dedup_by_key(|(d, _)| *d);
        VatSchedule { entries }
    }

    /// The law as of 1403: 9% until the end of 1402, 10% from 1403/01/01
    /// (2024-03-20). 9% has applied since 1399 (2020-03-20).
    pub fn iran_default() -> VatSchedule {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("valid constant date");
        let p = |v| Percent::from_u32(v).expect("valid constant rate");
        VatSchedule::new(vec![(d(2020, 3, 20), p(9)), (d(2024, 3, 20), p(10))])
    }

    /// The rate in force on `day`; before the first entry, the first rate.
    pub fn rate_on(&self, day: NaiveDate) -> Percent {
        self.entries
            .iter()
            .rev()
            .find(|(from, _)| *from <= day)
            .or(self.entries.first())
            .map(|(_, p)| *p)
            .unwrap_or_default()
    }

    pub fn entries(&self) -> &[(NaiveDate, Percent)] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn w(d: Decimal) -> Weight {
        Weight::grams(d).expect("weight")
    }
    fn p(d: Decimal) -> Purity {
        Purity::per_mille(d).expect("purity")
    }
    fn pct(d: Decimal) -> Percent {
        Percent::new(d).expect("percent")
    }
    fn r(v: i64) -> Rial {
        Rial::from_i64(v)
    }

    #[test]
    fn the_worked_example_to_the_rial() {
        let piece = Piece {
            weight: w(dec!(5.230)),
            purity: Purity::K18,
            wage: WageRate::Percent(pct(dec!(15))),
            stones: Rial::ZERO,
        };
        let rates = Rates { per_gram_18k: r(80_000_000), profit: pct(dec!(7)), vat: pct(dec!(10)) };
        let price = price_piece(&piece, &rates).expect("price");
        assert_eq!(price.gold, r(418_400_000));
        assert_eq!(price.wage, r(62_760_000));
        assert_eq!(price.profit, r(33_681_200));
        assert_eq!(price.vat, r(9_644_120));
        assert_eq!(price.total, r(524_485_320));
    }

    #[test]
    fn wage_per_gram_and_other_purities() {
        // 3.127 g of 21k at 80,000,000/g of 18k: 3.127 × 80e6 × 875/750 = 291,853,333.33…
        let piece = Piece {
            weight: w(dec!(3.127)),
            purity: p(dec!(875)),
            wage: WageRate::PerGram(r(2_500_000)),
            stones: r(1_000_000),
        };
        let rates = Rates { per_gram_18k: r(80_000_000), profit: pct(dec!(7)), vat: pct(dec!(10)) };
        let price = price_piece(&piece, &rates).expect("price");
        assert_eq!(price.gold, r(291_853_333));
        assert_eq!(price.wage, r(7_817_500));
        assert_eq!(price.profit, r(20_976_958)); // floor(299,670,833 × 0.07)
        assert_eq!(price.vat, r(2_879_445)); // floor(28,794,458 × 0.10)
        assert_eq!(price.total, price.gold + price.wage + price.profit + price.vat + r(1_000_000));
    }

    #[test]
    fn mazaneh_converts_to_the_18k_gram() {
        // 346,544,000 / 4.3318 = 80,000,000.0 (to the Rial)
        assert_eq!(per_gram_from_mazaneh(r(346_544_000)), r(80_000_000));
        assert_eq!(per_gram_from_mazaneh(r(346_544_003)), r(80_000_000));
    }

    #[test]
    fn trade_in_is_netted_without_wage_or_vat() {
        // 10 g of 18k at 80,000,000 with 5% melting loss: 760,000,000.
        let v = trade_in_value(w(dec!(10)), Purity::K18, r(80_000_000), pct(dec!(5))).expect("value");
        assert_eq!(v, r(760_000_000));
        // 2.345 g of 705 at 80,000,000, 7%: 2.345×705/750×80e6×0.93 = 163,999,920
        let v = trade_in_value(w(dec!(2.345)), p(dec!(705)), r(80_000_000), pct(dec!(7))).expect("value");
        assert_eq!(v, r(163_999_920));
    }

    #[test]
    fn vat_schedule_switches_on_1403_01_01() {
        let s = VatSchedule::iran_default();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert_eq!(s.rate_on(day(2024, 3, 19)), pct(dec!(9)));
        assert_eq!(s.rate_on(day(2024, 3, 20)), pct(dec!(10)));
        assert_eq!(s.rate_on(day(2026, 11, 21)), pct(dec!(10)));
        assert_eq!(s.rate_on(day(2010, 1, 1)), pct(dec!(9)));
    }

    fn arb_piece() -> impl Strategy<Value = Piece> {
        (
            1i64..2_000_000, // mg: up to 2 kg
            10i64..=10_000,  // purity in tenths of per-mille
            prop_oneof![
                (0u32..=10_000).prop_map(|bp| WageRate::Percent(pct(Decimal::new(bp.into(), 2)))),
                (0i64..50_000_000).prop_map(|v| WageRate::PerGram(r(v)))
            ],
            0i64..5_000_000_000,
        )
            .prop_map(|(mg, pur, wage, stones)| Piece {
                weight: Weight::from_milligrams(mg).expect("mg"),
                purity: p(Decimal::new(pur, 1)),
                wage,
                stones: r(stones),
            })
    }

    fn arb_rates() -> impl Strategy<Value = Rates> {
        (1i64..1_000_000_000, 0u32..=3_000, 0u32..=2_000).prop_map(|(p18, profit, vat)| Rates {
            per_gram_18k: r(p18),
            profit: pct(Decimal::new(profit.into(), 2)),
            vat: pct(Decimal::new(vat.into(), 2)),
        })
    }

    proptest! {
        #[test]
        fn total_is_the_sum_of_whole_rial_parts(piece in arb_piece(), rates in arb_rates()) {
            let price = price_piece(&piece, &rates).expect("price");
            for part in [price.gold, price.wage, price.profit, price.vat, price.stones, price.total] {
                prop_assert!(part.decimal().fract().is_zero());
                prop_assert_eq!(part.decimal().scale(), 0);
                prop_assert!(!part.is_negative());
            }
            prop_assert_eq!(price.total, price.gold + price.wage + price.profit + price.vat + price.stones);
        }

        #[test]
        fn vat_ignores_gold_value_and_stones(piece in arb_piece(), rates in arb_rates(), extra_stones in 0i64..1_000_000_000) {
            let a = price_piece(&piece, &rates).expect("price");
            let b = price_piece(&Piece { stones: piece.stones + r(extra_stones), ..piece }, &rates).expect("price");
            prop_assert_eq!(a.vat, b.vat);
            // VAT is exactly the rate on wage + profit: the gold value enters
            // only through them, never on its own.
            prop_assert_eq!(a.vat, Rial::floor((a.wage + a.profit).decimal() * rates.vat.decimal() / Decimal::ONE_HUNDRED));
        }

        #[test]
        fn vat_is_unchanged_when_the_gold_moves_but_wage_and_profit_do_not(
            mg in 1i64..2_000_000, pur in 10i64..=10_000, wage_rial in 0i64..50_000_000, rates in arb_rates(), p2 in 1i64..1_000_000_000
        ) {
            // With a per-gram wage and no profit, wage + profit do not depend
            // on the gold price, so neither may the VAT.
            let piece = Piece { weight: Weight::from_milligrams(mg).expect("mg"), purity: p(Decimal::new(pur, 1)), wage: WageRate::PerGram(r(wage_rial)), stones: Rial::ZERO };
            let no_profit = Rates { profit: Percent::default(), ..rates };
            let a = price_piece(&piece, &no_profit).expect("price");
            let b = price_piece(&piece, &Rates { per_gram_18k: r(p2), ..no_profit }).expect("price");
            prop_assert_eq!(a.vat, b.vat);
        }

        #[test]
        fn total_never_falls_as_weight_rises(piece in arb_piece(), rates in arb_rates(), more in 0i64..100_000) {
            let heavier = Weight::from_milligrams(piece.weight.milligrams() + more).expect("mg");
            let a = price_piece(&piece, &rates).expect("price");
            let b = price_piece(&Piece { weight: heavier, ..piece }, &rates).expect("price");
            prop_assert!(b.total >= a.total);
            prop_assert!(b.gold >= a.gold);
        }

        #[test]
        fn trade_in_never_exceeds_the_undeducted_gold(mg in 1i64..2_000_000, pur in 10i64..=10_000, p18 in 1i64..1_000_000_000, ded in 0u32..=10_000) {
            let weight = Weight::from_milligrams(mg).expect("mg");
            let purity = p(Decimal::new(pur, 1));
            let full = trade_in_value(weight, purity, r(p18), Percent::default()).expect("value");
            let less = trade_in_value(weight, purity, r(p18), pct(Decimal::new(ded.into(), 2))).expect("value");
            prop_assert!(less <= full);
            prop_assert!(!less.is_negative());
        }
    }
}

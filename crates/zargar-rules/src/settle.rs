//! Settling a sale: what the priced pieces add up to, what old gold takes
//! off, what was paid, and the change, which is only ever handed back in
//! cash. The till refuses a sale that does not settle; the server flags one.

use serde::{Deserialize, Serialize};
use zargar_wire::PaymentMethod;

use crate::PricingError;
use crate::money::Rial;
use crate::pricing::LinePrice;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    pub gold: Rial,
    pub wage: Rial,
    pub profit: Rial,
    pub vat: Rial,
    pub stones: Rial,
    pub total: Rial,
    pub trade_in: Rial,
    /// total − trade_in; negative when the shop pays the customer.
    pub due: Rial,
    pub paid: Rial,
    /// paid − due: handed back to the customer in cash.
    pub change: Rial,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SettleError {
    #[error(transparent)]
    Pricing(#[from] PricingError),
    #[error("payments of {paid} do not cover {due}")]
    PaymentsShort { due: Rial, paid: Rial },
    #[error("change of {change} would not come from cash ({cash} paid in cash)")]
    ChangeNotInCash { change: Rial, cash: Rial },
}

fn sum<T>(xs: &[T], f: impl Fn(&T) -> Rial) -> Result<Rial, PricingError> {
    xs.iter().try_fold(Rial::ZERO, |acc, x| acc.checked_add(f(x)).ok_or(PricingError::Overflow))
}

/// Adds up the lines, nets the old gold, and checks the payments: they must
/// cover what is due, and any change must be payable from the cash given
/// (or, when the old gold is worth more than the pieces, from the shop).
pub fn settle(
    lines: &[LinePrice],
    trade_ins: &[Rial],
    payments: &[(PaymentMethod, Rial)],
) -> Result<Totals, SettleError> {
    let t = tally(lines, trade_ins, payments)?;
    if t.change.is_negative() {
        return Err(SettleError::PaymentsShort { due: t.due, paid: t.paid });
    }
    let cash = sum(payments, |p| if p.0 == PaymentMethod::Cash { p.1 } else { Rial::ZERO })?;
    let owed_by_shop = (Rial::ZERO.checked_sub(t.due).ok_or(PricingError::Overflow)?).max(Rial::ZERO);
    let cash_room = cash.checked_add(owed_by_shop).ok_or(PricingError::Overflow)?;
    if t.change > cash_room {
        return Err(SettleError::ChangeNotInCash { change: t.change, cash });
    }
    Ok(t)
}

/// The sums of a sale still being drafted: no check of the payments, so
/// `change` is negative while they fall short of what is due.
pub fn tally(
    lines: &[LinePrice],
    trade_ins: &[Rial],
    payments: &[(PaymentMethod, Rial)],
) -> Result<Totals, PricingError> {
    let total = sum(lines, |l| l.total)?;
    let trade_in = sum(trade_ins, |t| *t)?;
    let due = total.checked_sub(trade_in).ok_or(PricingError::Overflow)?;
    let paid = sum(payments, |p| p.1)?;
    let change = paid.checked_sub(due).ok_or(PricingError::Overflow)?;
    Ok(Totals {
        gold: sum(lines, |l| l.gold)?,
        wage: sum(lines, |l| l.wage)?,
        profit: sum(lines, |l| l.profit)?,
        vat: sum(lines, |l| l.vat)?,
        stones: sum(lines, |l| l.stones)?,
        total,
        trade_in,
        due,
        paid,
        change,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(v: i64) -> Rial {
        Rial::from_i64(v)
    }

    fn line(total: i64) -> LinePrice {
        LinePrice {
            gold: r(total),
            wage: Rial::ZERO,
            profit: Rial::ZERO,
            vat: Rial::ZERO,
            stones: Rial::ZERO,
            total: r(total),
        }
    }

    #[test]
    fn change_comes_from_cash_only() {
        let t =
            settle(&[line(100)], &[], &[(PaymentMethod::Card, r(60)), (PaymentMethod::Cash, r(50))]).expect("settles");
        assert_eq!((t.due, t.paid, t.change), (r(100), r(110), r(10)));
        assert_eq!(
            settle(&[line(100)], &[], &[(PaymentMethod::Card, r(110))]),
            Err(SettleError::ChangeNotInCash { change: r(10), cash: Rial::ZERO })
        );
        assert_eq!(
            settle(&[line(100)], &[r(30)], &[(PaymentMethod::Cash, r(60))]),
            Err(SettleError::PaymentsShort { due: r(70), paid: r(60) })
        );
    }

    #[test]
    fn a_draft_is_tallied_before_it_is_paid() {
        let t = tally(&[line(100)], &[r(30)], &[(PaymentMethod::Card, r(20))]).expect("tallies");
        assert_eq!((t.due, t.paid, t.change), (r(70), r(20), r(-50)));
        assert!(settle(&[line(100)], &[r(30)], &[(PaymentMethod::Card, r(20))]).is_err());
    }

    #[test]
    fn old_gold_worth_more_than_the_piece_is_paid_back_by_the_shop() {
        let t = settle(&[line(100)], &[r(130)], &[]).expect("settles");
        assert_eq!((t.due, t.change), (r(-30), r(30)));
    }
}

//! Settling a sale: what the priced pieces add up to, what old gold takes
//! off, what was paid, and the change, which is only ever handed back in
//! cash. The till refuses a sale that does not settle; the server flags one.

use serde::{Deserialize, Serialize};
use zargar_wire::PaymentMethod;

use crate::PricingError;
use crate::money::Rial;
use crate::pricing::LinePrice;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

impl Totals {
    /// As a pushed sale carries them.
    pub fn to_wire(&self) -> zargar_wire::SaleTotals {
        zargar_wire::SaleTotals {
            gold: self.gold.decimal(),
            wage: self.wage.decimal(),
            profit: self.profit.decimal(),
            vat: self.vat.decimal(),
            stones: self.stones.decimal(),
            total: self.total.decimal(),
            trade_in: self.trade_in.decimal(),
            due: self.due.decimal(),
            paid: self.paid.decimal(),
            change: self.change.decimal(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SettleError {
    #[error(transparent)]
    Pricing(#[from] PricingError),
    #[error("payments of {paid} do not cover {due}")]
    PaymentsShort { due: Rial, paid: Rial },
    /// Card, transfer and cheque together exceed what is due: refused as
    /// the payment is entered, before it becomes change nobody can hand back.
    #[error("{non_cash} paid by {method:?} and other non-cash methods is more than the {due} due")]
    NonCashAboveDue { method: PaymentMethod, non_cash: Rial, due: Rial },
}

fn sum<T>(xs: &[T], f: impl Fn(&T) -> Rial) -> Result<Rial, PricingError> {
    xs.iter().try_fold(Rial::ZERO, |acc, x| acc.checked_add(f(x)).ok_or(PricingError::Overflow))
}

/// Adds up the lines, nets the old gold, and checks the payments: they must
/// cover what is due, and what is paid other than in cash may not exceed it,
/// so any change is handed back from the cash given (or, when the old gold
/// is worth more than the pieces, by the shop).
pub fn settle(
    lines: &[LinePrice],
    trade_ins: &[Rial],
    payments: &[(PaymentMethod, Rial)],
) -> Result<Totals, SettleError> {
    let t = tally(lines, trade_ins, payments)?;
    if t.change.is_negative() {
        return Err(SettleError::PaymentsShort { due: t.due, paid: t.paid });
    }
    non_cash_fits(&t, payments)?;
    Ok(t)
}

/// What is paid other than in cash may not exceed what is due: change is
/// only ever cash. The same rule for a sale being recorded and for a draft,
/// whose payments are checked as they are entered. `method` is the last
/// non-cash payment's, the one that went over.
pub fn non_cash_fits(t: &Totals, payments: &[(PaymentMethod, Rial)]) -> Result<(), SettleError> {
    let non_cash = sum(payments, |p| if p.0 == PaymentMethod::Cash { Rial::ZERO } else { p.1 })?;
    let due = t.due.max(Rial::ZERO);
    match payments.iter().rev().find(|p| p.0 != PaymentMethod::Cash) {
        Some(last) if non_cash > due => Err(SettleError::NonCashAboveDue { method: last.0, non_cash, due }),
        _ => Ok(()),
    }
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
            Err(SettleError::NonCashAboveDue { method: PaymentMethod::Card, non_cash: r(110), due: r(100) })
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
    fn a_card_above_what_is_due_is_refused_as_it_is_entered() {
        let pays = [(PaymentMethod::Cash, r(30)), (PaymentMethod::Card, r(80))];
        let t = tally(&[line(100)], &[], &pays).expect("tallies");
        assert_eq!(non_cash_fits(&t, &pays), Ok(()), "80 by card of 100 due is fine");
        let over = [(PaymentMethod::Transfer, r(101))];
        let t = tally(&[line(100)], &[], &over).expect("tallies");
        assert_eq!(
            non_cash_fits(&t, &over),
            Err(SettleError::NonCashAboveDue { method: PaymentMethod::Transfer, non_cash: r(101), due: r(100) })
        );
        // Old gold worth more than the piece: nothing is due, so no card at all.
        let t = tally(&[line(100)], &[r(130)], &[(PaymentMethod::Card, r(1))]).expect("tallies");
        assert!(non_cash_fits(&t, &[(PaymentMethod::Card, r(1))]).is_err());
        // Cash above what is due is change, and fine.
        let t = tally(&[line(100)], &[], &[(PaymentMethod::Cash, r(150))]).expect("tallies");
        assert_eq!(non_cash_fits(&t, &[(PaymentMethod::Cash, r(150))]), Ok(()));
    }

    #[test]
    fn old_gold_worth_more_than_the_piece_is_paid_back_by_the_shop() {
        let t = settle(&[line(100)], &[r(130)], &[]).expect("settles");
        assert_eq!((t.due, t.change), (r(-30), r(30)));
    }
}

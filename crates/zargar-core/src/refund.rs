//! How much of a sale can be given back, and by which method. Pure: the
//! store loads the sale and its earlier returns and writes the result.
//!
//! A refund never gives back more by a method than the customer paid by it:
//! a card payment goes back to a card, not into the drawer. Cash holds what
//! was paid in cash net of change plus the old gold taken in (the shop paid
//! for it in the sale, and pays it back in cash), which is the sale's total
//! less what was paid by card, transfer, cheque and on account. So the
//! methods together hold exactly the sale's total.

use serde::Serialize;

use crate::error::{PricingError, StoreError};
use crate::sale::{PaymentInput, PaymentMethod, Sale};
use zargar_rules::money::Rial;

/// Pieces of an earlier sale brought back: alone (a return) or as part of
/// a new sale (an exchange, `SaleRequest::exchange`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnRequest {
    pub invoice_no: u64,
    /// Tags to return; every line not yet returned when empty.
    pub tags: Vec<String>,
    /// How the money goes back, by method; the default split (cash first)
    /// when empty. In an exchange: only the part the new sale does not take.
    pub refunds: Vec<PaymentInput>,
    pub reason: Option<String>,
}

/// The methods money goes back by, in the order a default refund uses them:
/// what was left on the customer's account is paid off first.
const REFUND_ORDER: [PaymentMethod; 5] =
    [PaymentMethod::Account, PaymentMethod::Cash, PaymentMethod::Card, PaymentMethod::Transfer, PaymentMethod::Cheque];

/// What is left to give back by each method, after earlier returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundRoom {
    /// One entry per method that still holds money, in `REFUND_ORDER`.
    pub by_method: Vec<PaymentInput>,
}

impl RefundRoom {
    /// `earlier`: every refund already given for this sale, by method.
    pub fn of(sale: &Sale, earlier: &[PaymentInput]) -> Result<RefundRoom, StoreError> {
        let paid = |m: PaymentMethod| -> Result<Rial, StoreError> {
            sum(sale.payments.iter().filter(|p| p.method == m).map(|p| p.amount))
        };
        let non_cash = sum([
            paid(PaymentMethod::Card)?,
            paid(PaymentMethod::Transfer)?,
            paid(PaymentMethod::Cheque)?,
            paid(PaymentMethod::Account)?,
        ])?;
        let mut by_method = Vec::new();
        for m in REFUND_ORDER {
            let held = match m {
                PaymentMethod::Cash => sale.totals.total.checked_sub(non_cash).ok_or(PricingError::Overflow)?,
                other => paid(other)?,
            };
            let given = sum(earlier.iter().filter(|r| r.method == m).map(|r| r.amount))?;
            let left = held.checked_sub(given).ok_or(PricingError::Overflow)?;
            if left > Rial::ZERO {
                by_method.push(PaymentInput { method: m, amount: left });
            }
        }
        Ok(RefundRoom { by_method })
    }

    pub fn available(&self, method: PaymentMethod) -> Rial {
        self.by_method.iter().find(|p| p.method == method).map_or(Rial::ZERO, |p| p.amount)
    }

    /// The refund a cashier gets unless they choose: cash first, then the
    /// other methods the sale was paid by.
    pub fn default_split(&self, refund: Rial) -> Vec<PaymentInput> {
        let mut left = refund;
        let mut out = Vec::new();
        for room in &self.by_method {
            if left <= Rial::ZERO {
                break;
            }
            let take = left.min(room.amount);
            out.push(PaymentInput { method: room.method, amount: take });
            left = left - take;
        }
        if left > Rial::ZERO {
            // More than the sale holds: cannot happen for lines of the sale;
            // leave it to `check` to refuse.
            out.push(PaymentInput { method: PaymentMethod::Cash, amount: left });
        }
        out
    }

    /// Refuses a split that does not add up to the refund or gives back more
    /// by a method than it holds. An exchange's credit is no money going
    /// out, so it is not bounded by a method; the total bounds it.
    pub fn check(&self, refund: Rial, split: &[PaymentInput]) -> Result<(), StoreError> {
        let given = sum(split.iter().map(|p| p.amount))?;
        if given != refund {
            return Err(StoreError::RefundSplitMismatch { refund, given });
        }
        for m in REFUND_ORDER {
            let amount = sum(split.iter().filter(|p| p.method == m).map(|p| p.amount))?;
            let available = self.available(m);
            if amount > available {
                return Err(StoreError::RefundAboveMethod { method: m, amount, available });
            }
        }
        Ok(())
    }
}

/// One entry per method, in first-seen order: a split as stored and shown.
pub fn merge(split: &[PaymentInput]) -> Result<Vec<PaymentInput>, StoreError> {
    let mut out: Vec<PaymentInput> = Vec::new();
    for p in split.iter().filter(|p| p.amount > Rial::ZERO) {
        match out.iter_mut().find(|o| o.method == p.method) {
            Some(o) => o.amount = o.amount.checked_add(p.amount).ok_or(PricingError::Overflow)?,
            None => out.push(*p),
        }
    }
    Ok(out)
}

fn sum(parts: impl IntoIterator<Item = Rial>) -> Result<Rial, StoreError> {
    parts.into_iter().try_fold(Rial::ZERO, |a, b| a.checked_add(b).ok_or(StoreError::Pricing(PricingError::Overflow)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sale::{PriceUsed, SyncState, Totals};
    use chrono::Utc;
    use uuid::Uuid;

    fn r(v: i64) -> Rial {
        Rial::from_i64(v)
    }

    fn pay(m: PaymentMethod, v: i64) -> PaymentInput {
        PaymentInput { method: m, amount: r(v) }
    }

    fn sale(total: i64, trade_in: i64, payments: Vec<PaymentInput>) -> Sale {
        let due = total - trade_in;
        let paid: i64 = payments.iter().map(|p| p.amount.to_i64().unwrap_or(0)).sum();
        Sale {
            id: Uuid::now_v7(),
            invoice_no: 1,
            sold_at: Utc::now(),
            customer: None,
            gold_price: PriceUsed { id: Uuid::now_v7(), per_gram_18k: r(1) },
            vat_percent: zargar_rules::money::Percent::from_u32(0).expect("zero"),
            seller: None,
            discount_approved_by: None,
            layaway: None,
            lines: Vec::new(),
            trade_ins: Vec::new(),
            payments,
            totals: Totals {
                gold: r(total),
                wage: Rial::ZERO,
                profit: Rial::ZERO,
                vat: Rial::ZERO,
                stones: Rial::ZERO,
                total: r(total),
                trade_in: r(trade_in),
                due: r(due),
                paid: r(paid),
                change: r((paid - due).max(0)),
            },
            op_id: Uuid::now_v7(),
            seq: 1,
            journal_index: 1,
            sync: SyncState::Acked,
            approval: None,
        }
    }

    #[test]
    fn card_goes_back_to_the_card_and_cash_holds_the_rest() {
        let s = sale(150, 0, vec![pay(PaymentMethod::Card, 100), pay(PaymentMethod::Cash, 60)]);
        let room = RefundRoom::of(&s, &[]).expect("room");
        assert_eq!(room.available(PaymentMethod::Cash), r(50), "60 paid, 10 change");
        assert_eq!(room.available(PaymentMethod::Card), r(100));
        assert_eq!(room.default_split(r(120)), vec![pay(PaymentMethod::Cash, 50), pay(PaymentMethod::Card, 70)]);
        assert!(room.check(r(120), &[pay(PaymentMethod::Cash, 120)]).is_err(), "only 50 went into the drawer");
        assert!(room.check(r(120), &[pay(PaymentMethod::Cash, 50), pay(PaymentMethod::Card, 70)]).is_ok());
        assert!(room.check(r(120), &[pay(PaymentMethod::Cash, 50)]).is_err(), "does not add up");
        assert!(room.check(r(10), &[pay(PaymentMethod::Transfer, 10)]).is_err(), "nothing came by transfer");
    }

    #[test]
    fn old_gold_taken_in_is_paid_back_in_cash() {
        // 100 sold against 130 of old gold: the shop paid 30 out.
        let s = sale(100, 130, vec![]);
        let room = RefundRoom::of(&s, &[]).expect("room");
        assert_eq!(room.available(PaymentMethod::Cash), r(100));
    }

    #[test]
    fn earlier_refunds_use_up_the_room() {
        let s = sale(200, 0, vec![pay(PaymentMethod::Card, 200)]);
        let room = RefundRoom::of(&s, &[pay(PaymentMethod::Card, 120)]).expect("room");
        assert_eq!(room.available(PaymentMethod::Card), r(80));
        assert_eq!(room.available(PaymentMethod::Cash), Rial::ZERO);
        assert!(room.check(r(80), &[pay(PaymentMethod::ExchangeCredit, 80)]).is_ok(), "credit is no money out");
    }
}

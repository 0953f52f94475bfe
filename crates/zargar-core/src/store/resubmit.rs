//! Editing a conflicted sale before it is sent again: pieces swapped for
//! others and repriced on the sale's own terms. When the swap changes what
//! the customer owes, the difference is shown first (`preview_resubmit`)
//! and the owner says how it was settled at the counter: collected, or paid
//! back, in one method. It is never absorbed silently into the change.

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};
use serde::Serialize;
use uuid::Uuid;
pub use zargar_wire::DueChange;
use zargar_wire::PaymentMethod;

use super::catalog::find_item_in;
use super::sale_rows::{load_sale_in, replace_sale_lines};
use super::sync::{move_item, outbox_row};
use super::{Store, settings, ts};
use crate::error::StoreError;
use crate::item::{Item, ItemStatus};
use crate::persian;
use crate::sale::{PaymentInput, Sale, SaleDiscount, SaleTerms, TradeInInput, due_of, price_sale};
use zargar_rules::discount::{Discount, LineDiscount};
use zargar_rules::measure::Weight;
use zargar_rules::money::Rial;
use zargar_rules::pricing::Rates;

/// How a conflicted sale is edited before it is resubmitted: pieces swapped
/// for others (by tag or barcode) and, when the total changes, either new
/// payments outright or the difference settled in one method.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaleEdit {
    pub replace: Vec<(String, String)>,
    pub payments: Option<Vec<PaymentInput>>,
    /// How a change in what is due was settled: `amount` is the new due less
    /// the old (positive: collected; negative: paid back).
    pub due_change: Option<DueChange>,
}

/// What an edit would do to the money, before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResubmitPreview {
    pub old_due: Rial,
    pub new_due: Rial,
    /// new − old: positive when the customer owes more.
    pub difference: Rial,
}

/// The pieces, old gold and terms of a sale as edited.
struct Plan {
    sale: Sale,
    items: Vec<Item>,
    trade_ins: Vec<TradeInInput>,
    terms: SaleTerms,
    /// A kept piece keeps the Rials its discount took off; a piece swapped
    /// in has none (the cashier sees the difference and settles it).
    discount: SaleDiscount,
    released: Vec<Uuid>,
}

fn plan(tx: &Transaction<'_>, sale_id: Uuid, edit: &SaleEdit) -> Result<Plan, StoreError> {
    let sale = load_sale_in(tx, sale_id)?;
    let mut items: Vec<Item> = Vec::with_capacity(sale.lines.len());
    let mut released = Vec::new();
    let mut discount = SaleDiscount::default();
    for line in &sale.lines {
        let swap = edit.replace.iter().find(|(old, _)| persian::fold_digits(old.trim()) == line.tag);
        let code = match swap {
            Some((_, new)) => {
                released.push(line.item_id);
                new.clone()
            }
            None => line.tag.clone(),
        };
        let mut item = find_item_in(tx, &code)?.ok_or_else(|| StoreError::ItemNotFound(code.trim().to_owned()))?;
        if item.id == line.item_id {
            // A piece the sale keeps: priced as it is, whatever its hold.
            item.status = ItemStatus::InStock;
            discount.lines.push(Some(LineDiscount {
                wage: Some(Discount::Rials(line.discount.wage)),
                profit: Some(Discount::Rials(line.discount.profit)),
            }));
        } else {
            discount.lines.push(None);
        }
        items.push(item);
    }
    for (old, _) in &edit.replace {
        let old = persian::fold_digits(old.trim());
        if !sale.lines.iter().any(|l| l.tag == old) {
            return Err(StoreError::NotReturnable(old));
        }
    }
    let profit = sale.lines.first().map(|l| l.profit_percent).ok_or(StoreError::EmptySale)?;
    // The old gold was weighed and taken when the sale was made: a bound set
    // since then does not refuse it now.
    let shop = settings::load(tx)?;
    let trade_in_max = sale.trade_ins.iter().map(|t| t.weight).fold(shop.trade_in_max, Weight::max);
    // The same terms `price_sale` prices a new sale by, taken from the sale
    // itself where it fixed them (its price, VAT, profit, buy-back price).
    let terms = SaleTerms {
        rates: Rates { per_gram_18k: sale.gold_price.per_gram_18k, profit, vat: sale.vat_percent },
        buy_price_18k: sale.trade_ins.first().map_or(sale.gold_price.per_gram_18k, |t| t.buy_price_18k),
        // Unused here (every carried-over trade-in names its own deduction),
        // but the shop's default rather than a stand-in.
        trade_in_deduction: shop.trade_in_deduction,
        trade_in_max,
    };
    let trade_ins = sale
        .trade_ins
        .iter()
        .map(|t| TradeInInput { weight: t.weight, purity: t.purity, deduction: Some(t.deduction) })
        .collect();
    Ok(Plan { sale, items, trade_ins, terms, discount, released })
}

/// The payments after a change in what is due was settled in one method.
fn settle_difference(
    mut payments: Vec<PaymentInput>,
    difference: Rial,
    change: DueChange,
) -> Result<Vec<PaymentInput>, StoreError> {
    let settled =
        Rial::whole(change.amount).ok_or(StoreError::DueChangeMismatch { difference, settled: Rial::ZERO })?;
    if settled != difference {
        return Err(StoreError::DueChangeMismatch { difference, settled });
    }
    if !difference.is_negative() {
        payments.push(PaymentInput { method: change.method, amount: difference });
        return Ok(payments);
    }
    // Paid back: taken off what was paid in that method, newest first.
    let mut refund =
        Rial::ZERO.checked_sub(difference).ok_or(StoreError::Pricing(crate::error::PricingError::Overflow))?;
    for p in payments.iter_mut().rev().filter(|p| p.method == change.method) {
        let take = if p.amount < refund { p.amount } else { refund };
        p.amount = p.amount.checked_sub(take).unwrap_or(Rial::ZERO);
        refund = refund.checked_sub(take).unwrap_or(Rial::ZERO);
    }
    if refund > Rial::ZERO {
        // More back than was paid that way: the rest is change, in cash only.
        if change.method != PaymentMethod::Cash {
            return Err(StoreError::DueChangeMismatch { difference, settled });
        }
    }
    payments.retain(|p| p.amount > Rial::ZERO);
    Ok(payments)
}

/// Edits a conflicted sale for resubmission: pieces swapped, repriced on the
/// sale's own terms (its gold price, VAT and profit). The payments stay
/// unless new ones are given or the difference is settled; a difference
/// left unsettled is refused. The new pieces are held (`sold_pending`); the
/// old ones go back on the shelf unless another till sold them.
pub(super) fn edit_sale(
    tx: &Transaction<'_>,
    sale_id: Uuid,
    edit: &SaleEdit,
    now: DateTime<Utc>,
) -> Result<Sale, StoreError> {
    let Plan { mut sale, items, trade_ins, terms, discount, released } = plan(tx, sale_id, edit)?;
    let payments = match &edit.payments {
        Some(given) => given.clone(),
        None => {
            let new_due = due_of(&items, &trade_ins, &terms, &discount)?;
            let difference = new_due
                .checked_sub(sale.totals.due)
                .ok_or(StoreError::Pricing(crate::error::PricingError::Overflow))?;
            match edit.due_change {
                _ if difference == Rial::ZERO => sale.payments.clone(),
                None => return Err(StoreError::DueChangeUnsettled { difference }),
                Some(change) => settle_difference(sale.payments.clone(), difference, change)?,
            }
        }
    };
    let priced = price_sale(&items, &trade_ins, &payments, &terms, &discount)?;
    for id in released {
        move_item(tx, id, ItemStatus::SoldPending, ItemStatus::InStock, now)?;
    }
    for item in &items {
        tx.prepare_cached(
            "UPDATE items SET status = 'sold_pending', version = version + 1, updated_at = ?2
             WHERE id = ?1 AND status IN ('in_stock', 'sold_pending')",
        )?
        .execute(params![item.id.to_string(), ts(now)])?;
    }
    sale.lines = priced.lines;
    sale.payments = priced.payments;
    sale.trade_ins = priced.trade_ins;
    sale.totals = priced.totals;
    replace_sale_lines(tx, &sale)?;
    Ok(sale)
}

impl Store {
    /// What resubmitting a conflicted sale with these pieces swapped would
    /// do to what the customer owes. Nothing is written.
    pub fn preview_resubmit(
        &mut self,
        op_id: Uuid,
        replace: &[(String, String)],
    ) -> Result<ResubmitPreview, StoreError> {
        let tx = self.write_tx()?;
        let op = outbox_row(&tx, op_id)?.ok_or_else(|| StoreError::ConflictNotFound(op_id.to_string()))?;
        let edit = SaleEdit { replace: replace.to_vec(), ..SaleEdit::default() };
        let Plan { sale, items, trade_ins, terms, discount, .. } = plan(&tx, op.entity_id, &edit)?;
        let new_due = due_of(&items, &trade_ins, &terms, &discount)?;
        let old_due = sale.totals.due;
        let difference =
            new_due.checked_sub(old_due).ok_or(StoreError::Pricing(crate::error::PricingError::Overflow))?;
        // Dropped, so rolled back: a preview writes nothing.
        drop(tx);
        Ok(ResubmitPreview { old_due, new_due, difference })
    }
}

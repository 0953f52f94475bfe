//! Sales: lines priced from the day's gold price, old gold netted, mixed
//! payments, change. Pure: the store loads the items and writes the result.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
pub use zargar_wire::PaymentMethod;

use crate::error::{Field, PricingError, StoreError, ValidationError};
use crate::item::Item;
use crate::persian;
use crate::typed::ParseInput;
use zargar_rules::discount::{Discount, DiscountShare, Discounted, LineDiscount, price_pieces_with};
use zargar_rules::measure::Purity;
use zargar_rules::measure::Weight;
use zargar_rules::money::Percent;
use zargar_rules::money::Rial;
use zargar_rules::pricing;
use zargar_rules::pricing::LinePrice;
use zargar_rules::pricing::Rates;
use zargar_rules::pricing::WageRate;
use zargar_rules::settle::{non_cash_fits, settle, tally};

/// Accepts the codes and the words a Persian cashier types.
pub fn parse_payment_method(s: &str) -> Result<PaymentMethod, ValidationError> {
    let key = persian::search_key(s);
    let m = match key.as_str() {
        "cash" | "نقد" | "نقدی" => PaymentMethod::Cash,
        "card" | "pos" | "کارت" => PaymentMethod::Card,
        "transfer" | "انتقال" | "کارت به کارت" | "حواله" => PaymentMethod::Transfer,
        "cheque" | "check" | "چک" => PaymentMethod::Cheque,
        "account" | "حساب" | "نسیه" => PaymentMethod::Account,
        // Stored only; a plain sale refuses it (`ExchangeCreditMisused`).
        "exchange_credit" => PaymentMethod::ExchangeCredit,
        _ => return Err(ValidationError::new(Field::PaymentMethod, s)),
    };
    Ok(m)
}

/// A discount as typed: a percent with `%` (Persian digits and `٪` too),
/// else an amount in `unit`; empty is none.
pub fn parse_discount(
    unit: crate::display_unit::DisplayUnit,
    typed: &str,
) -> Result<Option<Discount>, ValidationError> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.ends_with('%') || t.ends_with('٪') {
        return t.parse().map(Some).map_err(|_| ValidationError::new(Field::Discount, typed));
    }
    Ok(Some(Discount::Rials(unit.parse_amount(Field::Discount, t)?)))
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInput {
    pub method: PaymentMethod,
    pub amount: Rial,
}

impl PaymentInput {
    /// A payment of a positive amount; zero is refused with its own message.
    pub fn new(method: PaymentMethod, amount: Rial) -> Result<PaymentInput, StoreError> {
        if amount == Rial::ZERO {
            return Err(StoreError::PaymentZero);
        }
        Ok(PaymentInput { method, amount })
    }

    /// `METHOD=AMOUNT`, as on the command line: `cash=120000000`.
    pub fn parse(s: &str) -> Result<PaymentInput, ValidationError> {
        let (m, a) = s.split_once('=').ok_or_else(|| ValidationError::new(Field::Payment, s))?;
        let method = parse_payment_method(m)?;
        let amount = Rial::parse(Field::Amount, a)?;
        if amount == Rial::ZERO {
            return Err(ValidationError::new(Field::Amount, a));
        }
        Ok(PaymentInput { method, amount })
    }
}

/// Old gold the customer brings in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeInInput {
    pub weight: Weight,
    pub purity: Purity,
    /// Melting loss; the shop's default when not given.
    pub deduction: Option<Percent>,
}

impl TradeInInput {
    /// `WEIGHT,PURITY[,DEDUCTION%]`, as on the command line: `10,750,5`.
    pub fn parse(s: &str) -> Result<TradeInInput, ValidationError> {
        let parts: Vec<&str> = s.split([',', '،']).map(str::trim).collect();
        let (w, p, d) = match parts.as_slice() {
            [w, p] => (*w, *p, None),
            [w, p, d] => (*w, *p, Some(*d)),
            _ => return Err(ValidationError::new(Field::TradeIn, s)),
        };
        TradeInInput::from_fields(w, p, d)
    }

    /// The three fields of a form, each as typed; an empty deduction is the
    /// shop's default.
    pub fn from_fields(weight: &str, purity: &str, deduction: Option<&str>) -> Result<TradeInInput, ValidationError> {
        Ok(TradeInInput {
            weight: Weight::parse(Field::Weight, weight.trim())?,
            purity: Purity::parse(Field::Purity, purity.trim())?,
            deduction: deduction
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(|d| Percent::parse(Field::DeductionPercent, d))
                .transpose()?,
        })
    }
}

/// What the cashier asks for: pieces by tag or barcode, who buys, how they pay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaleRequest {
    pub items: Vec<String>,
    /// A customer's id, mobile or national id; walk-in when absent.
    pub customer: Option<String>,
    pub payments: Vec<PaymentInput>,
    pub trade_ins: Vec<TradeInInput>,
    /// Overrides the shop's default profit for this sale.
    pub profit: Option<Percent>,
    /// An exchange: these pieces of an earlier sale come back in the same
    /// transaction, and their value pays this sale (`ExchangeCredit`).
    pub exchange: Option<crate::refund::ReturnRequest>,
    /// The owner's PIN given for a sale past the shop's offline limits.
    pub approval: Option<crate::store::OwnerApproval>,
    /// Discounts on the making charge and the profit.
    pub discount: SaleDiscount,
    /// A manager's (or the owner's) PIN given for a discount past the
    /// cashier's limit.
    pub discount_approval: Option<crate::store::ManagerApproval>,
    /// The layaway this sale completes: its pieces, reserved for this
    /// customer, are sold to them.
    pub layaway: Option<Uuid>,
}

/// The discounts of a sale: one on the whole sale, spread over its pieces,
/// and a piece's own, which that piece keeps instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaleDiscount {
    pub sale: LineDiscount,
    /// One per piece, in the order of `SaleRequest::items`; missing or
    /// `None`: the sale's discount applies.
    pub lines: Vec<Option<LineDiscount>>,
}

impl SaleDiscount {
    pub fn is_none(&self) -> bool {
        self.sale == LineDiscount::default() && self.lines.iter().all(Option::is_none)
    }
}

/// One sold piece: what it was and how it was priced.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleLine {
    pub item_id: Uuid,
    pub tag: String,
    pub name: String,
    pub weight: Weight,
    pub purity: Purity,
    pub wage_rate: WageRate,
    pub profit_percent: Percent,
    pub price: LinePrice,
    /// What discounts took off the making charge and the profit; `price`
    /// holds what is left.
    #[serde(default, skip_serializing_if = "no_discount")]
    pub discount: Discounted,
    #[serde(default)]
    pub returned: bool,
}

fn no_discount(d: &Discounted) -> bool {
    *d == Discounted::default()
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeInLine {
    pub weight: Weight,
    pub purity: Purity,
    pub deduction: Percent,
    pub buy_price_18k: Rial,
    pub value: Rial,
}

pub use zargar_rules::settle::Totals;

/// A sale priced and validated, not yet saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedSale {
    pub lines: Vec<SaleLine>,
    pub trade_ins: Vec<TradeInLine>,
    pub payments: Vec<PaymentInput>,
    pub totals: Totals,
}

/// The shop's rules a sale is priced under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleTerms {
    pub rates: Rates,
    /// The buy-back price of one gram of 18k for trade-ins.
    pub buy_price_18k: Rial,
    pub trade_in_deduction: Percent,
    /// The most one trade-in line may weigh: a weight typed without its
    /// decimal point (5230 for 5.230 g) must not make the shop owe a fortune.
    pub trade_in_max: Weight,
}

/// Prices the pieces and checks the payments. Refuses an empty sale, a
/// piece twice, pieces not in stock, payments that do not cover what is
/// due, and change that would have to come from a card or a cheque.
pub fn price_sale(
    items: &[Item],
    trade_ins: &[TradeInInput],
    payments: &[PaymentInput],
    terms: &SaleTerms,
    discount: &SaleDiscount,
) -> Result<PricedSale, StoreError> {
    let parts = Parts::priced(items, trade_ins, payments, terms, discount)?;
    let totals = settle(&parts.prices, &parts.values, &parts.paid)?;
    Ok(parts.with(payments, totals))
}

/// Prices a sale the cashier is still putting together: the pieces are
/// checked as `price_sale` checks them, the payments are only added up
/// (`change` is negative while they fall short).
pub fn draft_sale(
    items: &[Item],
    trade_ins: &[TradeInInput],
    payments: &[PaymentInput],
    terms: &SaleTerms,
    discount: &SaleDiscount,
) -> Result<PricedSale, StoreError> {
    let parts = Parts::priced(items, trade_ins, payments, terms, discount)?;
    let totals = tally(&parts.prices, &parts.values, &parts.paid)?;
    non_cash_fits(&totals, &parts.paid)?;
    Ok(parts.with(payments, totals))
}

/// What the customer owes for these pieces and this old gold, before any
/// payment: a sale edited for resubmission is compared by it.
pub fn due_of(
    items: &[Item],
    trade_ins: &[TradeInInput],
    terms: &SaleTerms,
    discount: &SaleDiscount,
) -> Result<Rial, StoreError> {
    Ok(draft_sale(items, trade_ins, &[], terms, discount)?.totals.due)
}

/// The priced pieces and old gold, and the amounts the rules add up.
struct Parts {
    lines: Vec<SaleLine>,
    trade_ins: Vec<TradeInLine>,
    prices: Vec<LinePrice>,
    values: Vec<Rial>,
    paid: Vec<(PaymentMethod, Rial)>,
}

impl Parts {
    fn priced(
        items: &[Item],
        trade_ins: &[TradeInInput],
        payments: &[PaymentInput],
        terms: &SaleTerms,
        discount: &SaleDiscount,
    ) -> Result<Parts, StoreError> {
        let (lines, trade_ins) = price_parts(items, trade_ins, terms, discount)?;
        let prices = lines.iter().map(|l| l.price).collect();
        let values = trade_ins.iter().map(|t| t.value).collect();
        let paid = payments.iter().map(|p| (p.method, p.amount)).collect();
        Ok(Parts { lines, trade_ins, prices, values, paid })
    }

    fn with(self, payments: &[PaymentInput], totals: Totals) -> PricedSale {
        PricedSale { lines: self.lines, trade_ins: self.trade_ins, payments: payments.to_vec(), totals }
    }
}

fn price_parts(
    items: &[Item],
    trade_ins: &[TradeInInput],
    terms: &SaleTerms,
    discount: &SaleDiscount,
) -> Result<(Vec<SaleLine>, Vec<TradeInLine>), StoreError> {
    if items.is_empty() {
        return Err(StoreError::EmptySale);
    }
    let pieces: Vec<_> = items.iter().map(Item::piece).collect();
    let prices = price_pieces_with(&pieces, &terms.rates, &discount.sale, &discount.lines)?;
    let mut lines = Vec::with_capacity(items.len());
    for (i, (item, (price, off))) in items.iter().zip(prices).enumerate() {
        if items[..i].iter().any(|other| other.id == item.id) {
            return Err(StoreError::ItemTwiceInSale(item.tag.clone()));
        }
        if item.status != crate::item::ItemStatus::InStock {
            return Err(StoreError::ItemNotInStock {
                tag: item.tag.clone(),
                status: item.status.code(),
                sold_by: item.sold_by.clone(),
            });
        }
        lines.push(SaleLine {
            item_id: item.id,
            tag: item.tag.clone(),
            name: item.name.clone(),
            weight: item.weight,
            purity: item.purity,
            wage_rate: item.wage,
            profit_percent: terms.rates.profit,
            price,
            discount: off,
            returned: false,
        });
    }
    if let Some(t) = trade_ins.iter().find(|t| t.weight > terms.trade_in_max) {
        return Err(StoreError::TradeInTooHeavy { weight: t.weight, max: terms.trade_in_max });
    }
    let trade_ins = trade_ins
        .iter()
        .map(|t| {
            let deduction = t.deduction.unwrap_or(terms.trade_in_deduction);
            let value = pricing::trade_in_value(t.weight, t.purity, terms.buy_price_18k, deduction)?;
            Ok(TradeInLine { weight: t.weight, purity: t.purity, deduction, buy_price_18k: terms.buy_price_18k, value })
        })
        .collect::<Result<Vec<_>, PricingError>>()?;
    Ok((lines, trade_ins))
}

/// The gold price a sale was priced from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceUsed {
    pub id: Uuid,
    pub per_gram_18k: Rial,
}

/// A registered customer as named on an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRef {
    pub id: Uuid,
    pub name: String,
}

/// Where a recorded op stands with the server: the wire's, with its codes.
pub use zargar_wire::SyncState;

/// A sale as saved on the till: enough to reprint the invoice exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sale {
    pub id: Uuid,
    pub invoice_no: u64,
    pub sold_at: DateTime<Utc>,
    pub customer: Option<CustomerRef>,
    pub gold_price: PriceUsed,
    pub vat_percent: Percent,
    pub lines: Vec<SaleLine>,
    pub trade_ins: Vec<TradeInLine>,
    pub payments: Vec<PaymentInput>,
    pub totals: Totals,
    pub op_id: Uuid,
    pub seq: u64,
    pub journal_index: u64,
    pub sync: SyncState,
    /// The owner's PIN, given for a sale past an offline limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<zargar_wire::Approval>,
    /// Who made the sale, when the shop has people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<zargar_wire::PersonRef>,
    /// The manager or owner who let a discount past the seller's limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_approved_by: Option<zargar_wire::PersonRef>,
    /// The layaway this sale completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layaway: Option<Uuid>,
}

impl Sale {
    /// What the customer would owe for the same pieces at another price per
    /// gram of 18k (the old gold as it was taken): for a price conflict, the
    /// shop's price against the till's, to the Rial.
    pub fn due_at(&self, per_gram_18k: Rial) -> Result<Rial, StoreError> {
        let mut total = Rial::ZERO;
        for line in self.lines.iter().filter(|l| !l.returned) {
            let piece = pricing::Piece {
                weight: line.weight,
                purity: line.purity,
                wage: line.wage_rate,
                stones: line.price.stones,
            };
            let rates = Rates { per_gram_18k, profit: line.profit_percent, vat: self.vat_percent };
            // The same Rials off as given; at a lower price they may be past the part.
            let kept = LineDiscount {
                wage: Some(Discount::Rials(line.discount.wage)),
                profit: Some(Discount::Rials(line.discount.profit)),
            };
            let (price, _) = pricing::price_piece_with(&piece, &rates, &kept)?;
            total = total.checked_add(price.total).ok_or(PricingError::Overflow)?;
        }
        Ok(total.checked_sub(self.totals.trade_in).ok_or(PricingError::Overflow)?)
    }
}

/// What the discounts took off these lines, against what they were before.
pub fn discount_share(lines: &[SaleLine]) -> Result<DiscountShare, StoreError> {
    Ok(DiscountShare::of_lines(lines.iter().map(|l| (l.price.wage, l.price.profit, l.discount)))?)
}

/// All the discounts of these lines, on the making charge and the profit.
pub fn discount_total(lines: &[SaleLine]) -> Result<Discounted, StoreError> {
    let mut all = Discounted::default();
    for l in lines {
        all.wage = all.wage.checked_add(l.discount.wage).ok_or(PricingError::Overflow)?;
        all.profit = all.profit.checked_add(l.discount.profit).ok_or(PricingError::Overflow)?;
    }
    Ok(all)
}

impl Sale {
    /// All the discounts of the sale, on the making charge and the profit.
    pub fn discount(&self) -> Result<Discounted, StoreError> {
        discount_total(&self.lines)
    }

    /// The sale as its `sale.create` payload, with the journal entry that
    /// recorded it: the one conversion of a sale to the wire.
    pub fn to_wire(&self, link: zargar_wire::JournalLink) -> zargar_wire::SalePayload {
        let sale = self;
        zargar_wire::SalePayload {
            sale_id: sale.id,
            invoice_no: sale.invoice_no,
            sold_at: sale.sold_at,
            customer_id: sale.customer.as_ref().map(|c| c.id),
            gold_price: zargar_wire::GoldPriceRef {
                id: sale.gold_price.id,
                per_gram_18k: sale.gold_price.per_gram_18k.decimal(),
            },
            vat_percent: sale.vat_percent.decimal(),
            lines: sale
                .lines
                .iter()
                .map(|l| zargar_wire::SaleLine {
                    item_id: l.item_id,
                    tag: l.tag.clone(),
                    name: l.name.clone(),
                    weight: l.weight.decimal(),
                    purity: l.purity.decimal(),
                    wage_rate: l.wage_rate.to_wire(),
                    profit_percent: l.profit_percent.decimal(),
                    stones: l.price.stones.decimal(),
                    gold: l.price.gold.decimal(),
                    wage: l.price.wage.decimal(),
                    profit: l.price.profit.decimal(),
                    vat: l.price.vat.decimal(),
                    total: l.price.total.decimal(),
                    wage_discount: l.discount.wage.decimal(),
                    profit_discount: l.discount.profit.decimal(),
                })
                .collect(),
            trade_ins: sale
                .trade_ins
                .iter()
                .map(|t| zargar_wire::TradeIn {
                    weight: t.weight.decimal(),
                    purity: t.purity.decimal(),
                    deduction_percent: t.deduction.decimal(),
                    buy_price_18k: t.buy_price_18k.decimal(),
                    value: t.value.decimal(),
                })
                .collect(),
            payments: sale
                .payments
                .iter()
                .map(|p| zargar_wire::Payment { method: p.method, amount: p.amount.decimal() })
                .collect(),
            totals: self.totals.to_wire(),
            journal: link,
            approval: self.approval.clone(),
            discount_approved_by: self.discount_approved_by.clone(),
            layaway_id: self.layaway,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::ItemStatus;
    use rust_decimal_macros::dec;

    fn item(tag: &str, status: ItemStatus) -> Item {
        Item {
            id: Uuid::now_v7(),
            tag: tag.into(),
            barcode: None,
            name: "انگشتر".into(),
            category: None,
            weight: Weight::grams(dec!(5.230)).expect("w"),
            purity: Purity::K18,
            wage: WageRate::Percent(Percent::new(dec!(15)).expect("p")),
            stones: Rial::ZERO,
            status,
            sold_by: None,
            version: 1,
            updated_at: Utc::now(),
        }
    }

    fn terms() -> SaleTerms {
        SaleTerms {
            rates: Rates {
                per_gram_18k: Rial::from_i64(80_000_000),
                profit: Percent::new(dec!(7)).expect("p"),
                vat: Percent::new(dec!(10)).expect("p"),
            },
            buy_price_18k: Rial::from_i64(80_000_000),
            trade_in_deduction: Percent::new(dec!(5)).expect("p"),
            trade_in_max: Weight::grams(dec!(1000)).expect("w"),
        }
    }

    #[test]
    fn old_gold_typed_without_its_decimal_point_is_refused() {
        let ring = [item("R-1", ItemStatus::InStock)];
        let slip = TradeInInput::parse("5230,750").expect("a weight");
        let refused = draft_sale(&ring, &[slip], &[], &terms(), &SaleDiscount::default());
        assert!(
            matches!(refused, Err(StoreError::TradeInTooHeavy { ref weight, .. }) if weight.milligrams() == 5_230_000),
            "{refused:?}"
        );
        let right = TradeInInput::parse("5.230,750").expect("a weight");
        assert!(draft_sale(&ring, &[right], &[], &terms(), &SaleDiscount::default()).is_ok());
    }

    #[test]
    fn a_card_above_what_is_due_is_refused_in_the_draft() {
        let ring = [item("R-1", ItemStatus::InStock)];
        let due = draft_sale(&ring, &[], &[], &terms(), &SaleDiscount::default()).expect("draft").totals.due;
        let over = [pay(PaymentMethod::Card, due.to_i64().expect("fits") + 1)];
        assert!(matches!(
            draft_sale(&ring, &[], &over, &terms(), &SaleDiscount::default()),
            Err(StoreError::Settle(crate::error::SettleError::NonCashAboveDue { .. }))
        ));
        let cash_over = [pay(PaymentMethod::Cash, due.to_i64().expect("fits") + 1)];
        assert!(
            draft_sale(&ring, &[], &cash_over, &terms(), &SaleDiscount::default()).is_ok(),
            "cash above the due is change"
        );
    }

    fn pay(m: PaymentMethod, v: i64) -> PaymentInput {
        PaymentInput { method: m, amount: Rial::from_i64(v) }
    }

    #[test]
    fn mixed_payments_and_change() {
        let items = [item("A", ItemStatus::InStock)];
        let s = price_sale(
            &items,
            &[],
            &[pay(PaymentMethod::Card, 500_000_000), pay(PaymentMethod::Cash, 25_000_000)],
            &terms(),
            &SaleDiscount::default(),
        )
        .expect("sale");
        assert_eq!(s.totals.total, Rial::from_i64(524_485_320));
        assert_eq!(s.totals.change, Rial::from_i64(514_680));
    }

    #[test]
    fn trade_in_is_netted() {
        let items = [item("A", ItemStatus::InStock)];
        let t = TradeInInput::parse("10,750,5").expect("trade-in");
        // 524,485,320 − 760,000,000: the shop owes 235,514,680 and pays it out.
        let s = price_sale(&items, &[t], &[], &terms(), &SaleDiscount::default()).expect("sale");
        assert_eq!(s.totals.trade_in, Rial::from_i64(760_000_000));
        assert_eq!(s.totals.due, Rial::from_i64(-235_514_680));
        assert_eq!(s.totals.change, Rial::from_i64(235_514_680));
    }

    #[test]
    fn refusals() {
        let t = terms();
        let a = item("A", ItemStatus::InStock);
        assert!(matches!(price_sale(&[], &[], &[], &t, &SaleDiscount::default()), Err(StoreError::EmptySale)));
        assert!(matches!(
            price_sale(
                std::slice::from_ref(&a),
                &[],
                &[pay(PaymentMethod::Cash, 524_485_319)],
                &t,
                &SaleDiscount::default()
            ),
            Err(StoreError::Settle(crate::error::SettleError::PaymentsShort { .. }))
        ));
        assert!(matches!(
            price_sale(
                std::slice::from_ref(&a),
                &[],
                &[pay(PaymentMethod::Card, 600_000_000)],
                &t,
                &SaleDiscount::default()
            ),
            Err(StoreError::Settle(crate::error::SettleError::NonCashAboveDue { .. }))
        ));
        assert!(matches!(
            price_sale(
                &[a.clone(), a.clone()],
                &[],
                &[pay(PaymentMethod::Cash, 2_000_000_000)],
                &t,
                &SaleDiscount::default()
            ),
            Err(StoreError::ItemTwiceInSale(_))
        ));
        assert!(matches!(
            price_sale(
                &[item("B", ItemStatus::Reserved)],
                &[],
                &[pay(PaymentMethod::Cash, 2_000_000_000)],
                &t,
                &SaleDiscount::default()
            ),
            Err(StoreError::ItemNotInStock { status: "reserved", .. })
        ));
    }

    #[test]
    fn parses_cli_forms() {
        assert_eq!(PaymentInput::parse("نقد=۱۰۰").expect("p"), pay(PaymentMethod::Cash, 100));
        assert!(PaymentInput::parse("bitcoin=100").is_err());
        assert!(PaymentInput::parse("cash=0").is_err());
        assert!(PaymentInput::parse("cash").is_err());
        assert!(TradeInInput::parse("10,750").expect("t").deduction.is_none());
        assert!(TradeInInput::parse("10,0,5").is_err());
        assert!(TradeInInput::parse("10,750,120").is_err());
    }
}

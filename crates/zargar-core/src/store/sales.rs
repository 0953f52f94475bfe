//! Recording sales and returns: each one SQLite transaction holding the
//! sale, its lines, payments and trade-ins, the items' new status, the
//! journal entry and the outbox op. All of it, or none of it.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;
use zargar_wire::{Base, ItemVersion, OpBody};

use super::accounts;
use super::catalog::{find_customer_in, find_item_in, gold_price_history_in};
use super::people::{ManagerApproval, Person};
use super::plans;
use super::returns::{RecordedReturn, ReturnPlan, insert_return, plan_return};
use super::sale_rows::{SaleHead, insert_parts, insert_sale_row, load_sale_in};
use super::{Store, journal, next_counter, outbox, parse_uuid, policy, settings, ts};
use crate::account::{GoldMg, MoveState};
use crate::error::StoreError;
use crate::item::{Item, ItemStatus};
use crate::persian;
use crate::sale::{
    CustomerRef, PaymentInput, PaymentMethod, PriceUsed, PricedSale, Sale, SaleDiscount, SaleLine, SaleRequest,
    SaleTerms, SyncState, Totals, TradeInInput, TradeInLine, discount_share, discount_total, draft_sale, price_sale,
};
use zargar_rules::discount::Discounted;
use zargar_rules::money::Percent;
use zargar_rules::money::Rial;
use zargar_rules::pricing::Rates;
use zargar_rules::roles::Act;
use zargar_rules::roles::may;
use zargar_wire::PersonRef;

/// Something the cashier should know that did not stop the sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Warning {
    /// The gold price in force is older than the shop's limit.
    StalePrice { age_hours: i64, limit_hours: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedSale {
    pub sale: Sale,
    pub warnings: Vec<Warning>,
    /// In an exchange: the credit note of the pieces that came back.
    pub credit_note: Option<RecordedReturn>,
}

/// A sale being drafted, priced as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftSale {
    pub priced: PricedSale,
    /// In an exchange: the value of the pieces coming back (it pays the
    /// sale first, as an `ExchangeCredit` payment; any rest goes back).
    pub exchange_refund: Option<Rial>,
    pub per_gram_18k: Rial,
    pub vat_percent: Percent,
    pub warnings: Vec<Warning>,
    /// All the discounts, and their share of the making charge and profit.
    pub discount: Discounted,
    pub discount_percent: rust_decimal::Decimal,
    /// True when the discount is past the seller's limit: recording it
    /// needs a manager's PIN.
    pub discount_needs_approval: bool,
}

/// What the journal holds for a sale: the fiscal record, in a fixed field
/// order so its hash is stable.
#[derive(Serialize)]
struct JournalSale<'a> {
    kind: &'static str,
    device_id: Uuid,
    sale_id: Uuid,
    invoice_no: u64,
    sold_at: DateTime<Utc>,
    customer_id: Option<Uuid>,
    per_gram_18k: Rial,
    vat_percent: Percent,
    lines: &'a [SaleLine],
    trade_ins: &'a [TradeInLine],
    payments: &'a [PaymentInput],
    totals: &'a Totals,
    /// Only when given, so that every other sale's entry hashes as before.
    #[serde(skip_serializing_if = "Option::is_none")]
    approval: Option<&'a zargar_wire::Approval>,
    /// Who sold, when the shop has people.
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<&'a PersonRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    discount_approved_by: Option<&'a PersonRef>,
}

pub(super) fn json<T: Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(format!("json: {e}")))
}

/// Everything a sale is priced from, read inside the sale's transaction so
/// nothing moves between the check and the write.
struct Prepared {
    items: Vec<Item>,
    customer: Option<CustomerRef>,
    price: PriceUsed,
    vat: Percent,
    priced: PricedSale,
    warnings: Vec<Warning>,
    /// An exchange's return, and how much of it pays this sale.
    exchange: Option<(ReturnPlan, Rial)>,
}

type Pricer =
    fn(&[Item], &[TradeInInput], &[PaymentInput], &SaleTerms, &SaleDiscount) -> Result<PricedSale, StoreError>;

fn prepare(conn: &Connection, req: &SaleRequest, now: DateTime<Utc>, pricer: Pricer) -> Result<Prepared, StoreError> {
    let mut items = req
        .items
        .iter()
        .map(|code| find_item_in(conn, code)?.ok_or_else(|| StoreError::ItemNotFound(code.trim().to_owned())))
        .collect::<Result<Vec<_>, _>>()?;
    let customer = match req.customer.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(key) => {
            let c = find_customer_in(conn, key)?.ok_or_else(|| StoreError::CustomerNotFound(key.to_owned()))?;
            Some(CustomerRef { id: c.id, name: c.name })
        }
    };
    if let Some(layaway) = req.layaway {
        // The layaway's pieces are reserved for this customer: for this sale they are on the shelf.
        let customer = customer.as_ref().ok_or(StoreError::AccountNeedsCustomer)?;
        let held = plans::open_layaway(conn, layaway, customer.id)?;
        for item in items.iter_mut().filter(|i| held.contains(&i.id) && i.status == ItemStatus::Reserved) {
            item.status = ItemStatus::InStock;
        }
    }
    let price = gold_price_history_in(conn, 1)?.into_iter().next().ok_or(StoreError::NoGoldPrice)?;
    let shop = settings::load(conn)?;
    let vat = shop.vat.rate_on(persian::tehran_offset_datetime(now).date_naive());
    let terms = SaleTerms {
        rates: Rates { per_gram_18k: price.per_gram_18k, profit: req.profit.unwrap_or(shop.profit), vat },
        buy_price_18k: shop.old_gold_price(price.per_gram_18k),
        trade_in_deduction: shop.trade_in_deduction,
        trade_in_max: shop.trade_in_max,
    };
    if req.payments.iter().any(|p| p.method == PaymentMethod::ExchangeCredit) {
        return Err(StoreError::ExchangeCreditMisused);
    }
    if customer.is_none() && req.payments.iter().any(|p| p.method == PaymentMethod::Account) {
        return Err(StoreError::AccountNeedsCustomer);
    }
    let mut payments = req.payments.clone();
    let exchange = match &req.exchange {
        None => None,
        Some(x) => {
            let plan = plan_return(conn, x.invoice_no, &x.tags)?;
            // The returned value pays first, up to what is due; the rest goes back.
            let due = draft_sale(&items, &req.trade_ins, &[], &terms, &req.discount)?.totals.due;
            let credit = plan.refund.min(due.max(Rial::ZERO));
            if credit > Rial::ZERO {
                payments.insert(0, PaymentInput { method: PaymentMethod::ExchangeCredit, amount: credit });
            }
            Some((plan, credit))
        }
    };
    let priced = pricer(&items, &req.trade_ins, &payments, &terms, &req.discount)?;
    let age = now - price.set_at;
    let mut warnings = Vec::new();
    if age.num_seconds() > i64::from(shop.price_max_age_hours) * 3600 {
        warnings.push(Warning::StalePrice { age_hours: age.num_hours(), limit_hours: shop.price_max_age_hours });
    }
    Ok(Prepared {
        items,
        customer,
        price: PriceUsed { id: price.id, per_gram_18k: price.per_gram_18k },
        vat,
        priced,
        warnings,
        exchange,
    })
}

/// Checks a sale's discounts against the limit of the person selling: none
/// for a manager or the owner (or a shop where nobody signs in); past a
/// cashier's limit, the approval of someone who may give it.
fn check_discount_limit(
    seller: Option<&Person>,
    lines: &[SaleLine],
    approval: Option<&ManagerApproval>,
) -> Result<Option<PersonRef>, StoreError> {
    let Some(seller) = seller.filter(|p| !may(p.role, Act::ApproveDiscount)) else { return Ok(None) };
    let share = discount_share(lines)?;
    let limit = Percent::new(seller.discount_limit_percent).unwrap_or(Percent::ZERO);
    if share.off == Rial::ZERO || share.within(limit) {
        return Ok(None);
    }
    match approval {
        Some(a) => Ok(Some(a.by().clone())),
        None => Err(StoreError::DiscountOverLimit { percent: share.percent(), limit: limit.decimal() }),
    }
}

/// The part left on the customer's account must fit the account as this
/// till knows it.
fn check_account_room(conn: &Connection, p: &Prepared) -> Result<(), StoreError> {
    let on_account = p
        .priced
        .payments
        .iter()
        .filter(|x| x.method == PaymentMethod::Account)
        .try_fold(Rial::ZERO, |a, x| a.checked_add(x.amount))
        .ok_or(zargar_rules::PricingError::Overflow)?;
    if let Some(c) = p.customer.as_ref().filter(|_| on_account > Rial::ZERO) {
        let customer = accounts::customer_in(conn, &c.id.to_string())?;
        accounts::check_room(conn, &customer, Rial::ZERO - on_account, GoldMg::ZERO, false)?;
    }
    Ok(())
}

impl Store {
    /// Prices a sale as `record_sale` would, without writing anything: what
    /// the cashier sees before confirming.
    pub fn quote_sale(&self, req: &SaleRequest, now: DateTime<Utc>) -> Result<PricedSale, StoreError> {
        Ok(prepare(&self.conn, req, now, price_sale)?.priced)
    }

    /// Prices a sale still being put together: pieces checked, payments
    /// only added up. What the sale screen shows after each scan.
    pub fn draft_sale(&self, req: &SaleRequest, now: DateTime<Utc>) -> Result<DraftSale, StoreError> {
        let p = prepare(&self.conn, req, now, draft_sale)?;
        check_account_room(&self.conn, &p)?;
        let share = discount_share(&p.priced.lines)?;
        let needs = match check_discount_limit(self.signed_in(), &p.priced.lines, None) {
            Ok(_) => false,
            Err(StoreError::DiscountOverLimit { .. }) => true,
            Err(e) => return Err(e),
        };
        Ok(DraftSale {
            discount: discount_total(&p.priced.lines)?,
            discount_percent: share.percent(),
            discount_needs_approval: needs,
            exchange_refund: p.exchange.as_ref().map(|(plan, _)| plan.refund),
            priced: p.priced,
            per_gram_18k: p.price.per_gram_18k,
            vat_percent: p.vat,
            warnings: p.warnings,
        })
    }

    /// Records a sale in one transaction. When this returns `Ok`, the sale
    /// is committed to disk; on `Err`, nothing was written.
    pub fn record_sale(&mut self, req: &SaleRequest, now: DateTime<Utc>) -> Result<RecordedSale, StoreError> {
        let device_id = self.device()?.device_id;
        self.require(Act::Sell)?;
        let by = self.acting();
        let seller = self.signed_in().cloned();
        let tx = self.write_tx()?;
        let p = prepare(&tx, req, now, price_sale)?;
        let invoice_no = next_counter(&tx, "invoice_no")?;
        let sale_id = Uuid::now_v7();
        let op_id = Uuid::now_v7();
        let t = p.priced.totals;
        let approval = policy::check_offline_limits(&tx, t.total, req.approval.as_ref())?;
        let discount_approved_by =
            check_discount_limit(seller.as_ref(), &p.priced.lines, req.discount_approval.as_ref())?;
        check_account_room(&tx, &p)?;

        let content = json(&JournalSale {
            kind: "sale",
            device_id,
            sale_id,
            invoice_no,
            sold_at: now,
            customer_id: p.customer.as_ref().map(|c| c.id),
            per_gram_18k: p.price.per_gram_18k,
            vat_percent: p.vat,
            lines: &p.priced.lines,
            trade_ins: &p.priced.trade_ins,
            payments: &p.priced.payments,
            totals: &t,
            approval: approval.as_ref(),
            by: by.as_ref(),
            discount_approved_by: discount_approved_by.as_ref(),
        })?;
        let link = journal::append(&tx, "sale", sale_id, now, &content)?;

        let head = SaleHead {
            id: sale_id,
            invoice_no,
            sold_at: now,
            customer: p.customer.as_ref().map(|c| c.id),
            price: p.price,
            vat: p.vat,
            op_id,
            journal_index: link.index,
            approval: approval.clone(),
            discount_approved_by: discount_approved_by.clone(),
            shift: super::shifts::ensure_open(&tx, by.as_ref(), now)?,
        };
        insert_sale_row(&tx, &head, &t)?;
        insert_parts(&tx, sale_id, &p.priced.lines, &p.priced.payments, &p.priced.trade_ins)?;
        for l in &p.priced.lines {
            // Conditional: if another writer sold it since we read it, refuse.
            let claimed = tx
                .prepare_cached(
                    "UPDATE items SET status = 'sold_pending', version = version + 1, updated_at = ?2
                     WHERE id = ?1 AND (status = 'in_stock' OR status = 'reserved' AND ?3)",
                )?
                .execute(params![l.item_id.to_string(), ts(now), req.layaway.is_some()])?;
            if claimed != 1 {
                return Err(StoreError::ItemNotInStock { tag: l.tag.clone(), status: "sold_pending", sold_by: None });
            }
        }

        let mut sale = Sale {
            id: sale_id,
            invoice_no,
            sold_at: now,
            customer: p.customer,
            gold_price: p.price,
            vat_percent: p.vat,
            lines: p.priced.lines,
            trade_ins: p.priced.trade_ins,
            payments: p.priced.payments,
            totals: t,
            op_id,
            seq: 0,
            journal_index: link.index,
            sync: SyncState::Pending,
            approval,
            seller: by.clone(),
            discount_approved_by,
            layaway: req.layaway,
        };
        if let Some(layaway) = req.layaway {
            plans::complete_layaway(&tx, layaway, sale_id)?;
        }
        let base = Base {
            items: p.items.iter().map(|i| ItemVersion { item_id: i.id, version: i.version }).collect(),
            gold_price_id: Some(sale.gold_price.id),
        };
        let wire = sale.to_wire(link);
        let account_part = wire.account_move();
        sale.seq = outbox::enqueue(&tx, op_id, now, sale_id, &base, by.as_ref(), &OpBody::SaleCreate(Box::new(wire)))?;
        if let Some(m) = account_part {
            accounts::insert_move(&tx, &m, MoveState::Pending, Some(op_id), None, by.as_ref())?;
        }
        let credit_note = match (p.exchange, &req.exchange) {
            (Some((plan, credit)), Some(x)) => {
                if x.refunds.iter().any(|r| r.method == PaymentMethod::ExchangeCredit) {
                    return Err(StoreError::ExchangeCreditMisused);
                }
                let payout = plan.refund - credit;
                let mut split = if x.refunds.is_empty() { plan.room.default_split(payout) } else { x.refunds.clone() };
                if credit > Rial::ZERO {
                    split.insert(0, PaymentInput { method: PaymentMethod::ExchangeCredit, amount: credit });
                }
                let reason = x.reason.as_deref();
                Some(insert_return(
                    &tx,
                    by.as_ref(),
                    device_id,
                    plan,
                    &split,
                    reason,
                    Some((sale_id, invoice_no)),
                    now,
                )?)
            }
            _ => None,
        };
        tx.commit()?;
        Ok(RecordedSale { sale, warnings: p.warnings, credit_note })
    }

    /// A saved sale by its invoice number, as it was recorded.
    pub fn sale_by_invoice(&self, invoice_no: u64) -> Result<Sale, StoreError> {
        let id: Option<String> = self
            .conn
            .query_row("SELECT id FROM sales WHERE invoice_no = ?1", [invoice_no as i64], |r| r.get(0))
            .optional()?;
        let id = id.ok_or_else(|| StoreError::SaleNotFound(invoice_no.to_string()))?;
        self.sale(parse_uuid(&id)?)
    }

    pub fn sale(&self, id: Uuid) -> Result<Sale, StoreError> {
        load_sale_in(&self.conn, id)
    }
}

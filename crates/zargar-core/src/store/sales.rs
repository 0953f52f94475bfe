//! Recording sales and returns: each one SQLite transaction holding the
//! sale, its lines, payments and trade-ins, the items' new status, the
//! journal entry and the outbox op. All of it, or none of it.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use uuid::Uuid;
use zargar_wire::{self as wire, Base, ItemVersion, OpBody};

use super::catalog::{find_customer_in, find_item_in, gold_price_history_in};
use super::returns::{RecordedReturn, ReturnPlan, insert_return, plan_return};
use super::{Store, journal, next_counter, outbox, parse_dec, parse_ts, parse_uuid, rial_sql, settings, ts, u64_sql};
use crate::error::StoreError;
use crate::item::Item;
use crate::persian;
use crate::sale::{
    CustomerRef, PaymentInput, PaymentMethod, PriceUsed, PricedSale, Sale, SaleLine, SaleRequest, SaleTerms, SyncState,
    Totals, TradeInInput, TradeInLine, draft_sale, parse_payment_method, price_sale,
};
use zargar_rules::measure::Purity;
use zargar_rules::measure::Weight;
use zargar_rules::money::Percent;
use zargar_rules::money::Rial;
use zargar_rules::pricing::Rates;
use zargar_rules::pricing::WageRate;

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

type Pricer = fn(&[Item], &[TradeInInput], &[PaymentInput], &SaleTerms) -> Result<PricedSale, StoreError>;

fn prepare(conn: &Connection, req: &SaleRequest, now: DateTime<Utc>, pricer: Pricer) -> Result<Prepared, StoreError> {
    let items = req
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
    let mut payments = req.payments.clone();
    let exchange = match &req.exchange {
        None => None,
        Some(x) => {
            let plan = plan_return(conn, x.invoice_no, &x.tags)?;
            // The returned value pays first, up to what is due; the rest goes back.
            let due = draft_sale(&items, &req.trade_ins, &[], &terms)?.totals.due;
            let credit = plan.refund.min(due.max(Rial::ZERO));
            if credit > Rial::ZERO {
                payments.insert(0, PaymentInput { method: PaymentMethod::ExchangeCredit, amount: credit });
            }
            Some((plan, credit))
        }
    };
    let priced = pricer(&items, &req.trade_ins, &payments, &terms)?;
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

fn sale_payload(sale: &Sale, link: wire::JournalLink) -> wire::SalePayload {
    let t = &sale.totals;
    wire::SalePayload {
        sale_id: sale.id,
        invoice_no: sale.invoice_no,
        sold_at: sale.sold_at,
        customer_id: sale.customer.as_ref().map(|c| c.id),
        gold_price: wire::GoldPriceRef { id: sale.gold_price.id, per_gram_18k: sale.gold_price.per_gram_18k.decimal() },
        vat_percent: sale.vat_percent.decimal(),
        lines: sale
            .lines
            .iter()
            .map(|l| wire::SaleLine {
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
            })
            .collect(),
        trade_ins: sale
            .trade_ins
            .iter()
            .map(|t| wire::TradeIn {
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
            .map(|p| wire::Payment { method: p.method, amount: p.amount.decimal() })
            .collect(),
        totals: wire::SaleTotals {
            gold: t.gold.decimal(),
            wage: t.wage.decimal(),
            profit: t.profit.decimal(),
            vat: t.vat.decimal(),
            stones: t.stones.decimal(),
            total: t.total.decimal(),
            trade_in: t.trade_in.decimal(),
            due: t.due.decimal(),
            paid: t.paid.decimal(),
            change: t.change.decimal(),
        },
        journal: link,
    }
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
        Ok(DraftSale {
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
        let tx = self.write_tx()?;
        let p = prepare(&tx, req, now, price_sale)?;
        let invoice_no = next_counter(&tx, "invoice_no")?;
        let sale_id = Uuid::now_v7();
        let op_id = Uuid::now_v7();
        let t = p.priced.totals;

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
        })?;
        let link = journal::append(&tx, "sale", sale_id, now, &content)?;

        tx.prepare_cached(
            "INSERT INTO sales (id, invoice_no, sold_at, customer_id, gold_price_id, per_gram_18k, vat_percent,
                                gold, wage, profit, vat, stones, total, trade_in, due, paid, change_given,
                                op_id, journal_index)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        )?
        .execute(params![
            sale_id.to_string(),
            invoice_no as i64,
            ts(now),
            p.customer.as_ref().map(|c| c.id.to_string()),
            p.price.id.to_string(),
            rial_sql(p.price.per_gram_18k)?,
            p.vat.to_string(),
            rial_sql(t.gold)?,
            rial_sql(t.wage)?,
            rial_sql(t.profit)?,
            rial_sql(t.vat)?,
            rial_sql(t.stones)?,
            rial_sql(t.total)?,
            rial_sql(t.trade_in)?,
            rial_sql(t.due)?,
            rial_sql(t.paid)?,
            rial_sql(t.change)?,
            op_id.to_string(),
            link.index as i64,
        ])?;
        insert_parts(&tx, sale_id, &p.priced.lines, &p.priced.payments, &p.priced.trade_ins)?;
        for l in &p.priced.lines {
            // Conditional: if another writer sold it since we read it, refuse.
            let claimed = tx
                .prepare_cached(
                    "UPDATE items SET status = 'sold_pending', version = version + 1, updated_at = ?2
                     WHERE id = ?1 AND status = 'in_stock'",
                )?
                .execute(params![l.item_id.to_string(), ts(now)])?;
            if claimed != 1 {
                return Err(StoreError::ItemNotInStock { tag: l.tag.clone(), status: "sold_pending" });
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
        };
        let base = Base {
            items: p.items.iter().map(|i| ItemVersion { item_id: i.id, version: i.version }).collect(),
            gold_price_id: Some(sale.gold_price.id),
        };
        sale.seq =
            outbox::enqueue(&tx, op_id, now, sale_id, &base, &OpBody::SaleCreate(Box::new(sale_payload(&sale, link))))?;
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
                Some(insert_return(&tx, device_id, plan, &split, reason, Some((sale_id, invoice_no)), now)?)
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

/// A span of time `[from, to)`, either end open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeSpan {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl TimeSpan {
    /// Tehran calendar days `from` to `to`, both inclusive.
    pub fn tehran_days(from: Option<NaiveDate>, to: Option<NaiveDate>) -> TimeSpan {
        TimeSpan { from: from.map(tehran_midnight), to: to.map(|d| tehran_midnight(d.succ_opt().unwrap_or(d))) }
    }
}

/// The instant a Tehran calendar day begins. Tehran once moved its clocks
/// forward at midnight, so a day may start at 01:00; `earliest` skips the gap.
fn tehran_midnight(d: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    chrono_tz::Asia::Tehran
        .from_local_datetime(&midnight)
        .earliest()
        .or_else(|| chrono_tz::Asia::Tehran.from_local_datetime(&(midnight + chrono::Duration::hours(1))).earliest())
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// Writes a sale's lines, payments and trade-ins.
fn insert_parts(
    tx: &Connection,
    sale_id: Uuid,
    lines: &[SaleLine],
    payments: &[PaymentInput],
    trade_ins: &[TradeInLine],
) -> Result<(), StoreError> {
    for (n, l) in lines.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO sale_lines (sale_id, line_no, item_id, tag, name, weight_mg, purity, wage_kind, wage_value,
                                         profit_percent, gold, wage, profit, vat, stones, total)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?
        .execute(params![
            sale_id.to_string(),
            n as i64 + 1,
            l.item_id.to_string(),
            l.tag,
            l.name,
            l.weight.milligrams(),
            l.purity.to_string(),
            l.wage_rate.kind(),
            l.wage_rate.value().to_string(),
            l.profit_percent.to_string(),
            rial_sql(l.price.gold)?,
            rial_sql(l.price.wage)?,
            rial_sql(l.price.profit)?,
            rial_sql(l.price.vat)?,
            rial_sql(l.price.stones)?,
            rial_sql(l.price.total)?,
        ])?;
    }
    for (n, pay) in payments.iter().enumerate() {
        tx.prepare_cached("INSERT INTO payments (sale_id, line_no, method, amount) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![sale_id.to_string(), n as i64 + 1, pay.method.code(), rial_sql(pay.amount)?])?;
    }
    for (n, ti) in trade_ins.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO trade_ins (sale_id, line_no, weight_mg, purity, deduction_percent, buy_price_18k, value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            sale_id.to_string(),
            n as i64 + 1,
            ti.weight.milligrams(),
            ti.purity.to_string(),
            ti.deduction.to_string(),
            rial_sql(ti.buy_price_18k)?,
            rial_sql(ti.value)?,
        ])?;
    }
    Ok(())
}

/// Replaces an edited sale's lines, payments, trade-ins and totals (a
/// conflicted sale resubmitted). The journal keeps the sale as first made;
/// the edit travels as the resolution op and lands in the server's audit log.
pub(super) fn replace_sale_lines(tx: &Connection, sale: &Sale) -> Result<(), StoreError> {
    let id = sale.id.to_string();
    for table in ["sale_lines", "payments", "trade_ins"] {
        tx.execute(&format!("DELETE FROM {table} WHERE sale_id = ?1"), [&id])?;
    }
    insert_parts(tx, sale.id, &sale.lines, &sale.payments, &sale.trade_ins)?;
    let t = &sale.totals;
    tx.execute(
        "UPDATE sales SET gold = ?2, wage = ?3, profit = ?4, vat = ?5, stones = ?6, total = ?7, trade_in = ?8,
                          due = ?9, paid = ?10, change_given = ?11
         WHERE id = ?1",
        params![
            id,
            rial_sql(t.gold)?,
            rial_sql(t.wage)?,
            rial_sql(t.profit)?,
            rial_sql(t.vat)?,
            rial_sql(t.stones)?,
            rial_sql(t.total)?,
            rial_sql(t.trade_in)?,
            rial_sql(t.due)?,
            rial_sql(t.paid)?,
            rial_sql(t.change)?
        ],
    )?;
    Ok(())
}

/// A saved sale as its `sale.create` payload, with its journal link.
pub(super) fn sale_payload_in(conn: &Connection, sale: &Sale) -> Result<wire::SalePayload, StoreError> {
    let link = conn.query_row(
        "SELECT idx, prev_hash, content_hash, hash FROM journal WHERE idx = ?1",
        [sale.journal_index as i64],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)),
    )?;
    let link = wire::JournalLink { index: u64_sql(link.0)?, prev_hash: link.1, content_hash: link.2, hash: link.3 };
    Ok(sale_payload(sale, link))
}

pub(super) fn load_sale_in(conn: &Connection, id: Uuid) -> Result<Sale, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT s.invoice_no, s.sold_at, s.customer_id, c.name, s.gold_price_id, s.per_gram_18k, s.vat_percent,
                    s.gold, s.wage, s.profit, s.vat, s.stones, s.total, s.trade_in, s.due, s.paid, s.change_given,
                    s.op_id, s.journal_index, o.seq, o.state
             FROM sales s JOIN outbox o ON o.op_id = s.op_id LEFT JOIN customers c ON c.id = s.customer_id
             WHERE s.id = ?1",
        )?
        .query_row([id.to_string()], |r| {
            Ok((
                (
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ),
                (r.get::<_, String>(4)?, r.get::<_, i64>(5)?, r.get::<_, String>(6)?),
                rials::<10>(r, 7)?,
                (r.get::<_, String>(17)?, r.get::<_, i64>(18)?, r.get::<_, i64>(19)?, r.get::<_, String>(20)?),
            ))
        })
        .optional()?
        .ok_or_else(|| StoreError::SaleNotFound(id.to_string()))?;
    let ((no, at, cid, cname), (pid, p18, vat), parts, (op_id, jidx, seq, state)) = row;
    let corrupt = |what: &str| StoreError::Corrupt(format!("sale {no}: {what}"));
    let [gold, wage, profit, vat_amount, stones, total, trade_in, due, paid, change] = parts;

    let mut lines = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT item_id, tag, name, weight_mg, purity, wage_kind, wage_value, profit_percent,
                    gold, wage, profit, vat, stones, total, returned
             FROM sale_lines WHERE sale_id = ?1 ORDER BY line_no",
        )?;
        let rows = stmt.query_map([id.to_string()], line_from_row)?;
        for row in rows {
            lines.push(row??);
        }
    }
    let mut payments = Vec::new();
    {
        let mut stmt =
            conn.prepare_cached("SELECT method, amount FROM payments WHERE sale_id = ?1 ORDER BY line_no")?;
        let rows = stmt.query_map([id.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (m, a) = row?;
            payments.push(PaymentInput {
                method: parse_payment_method(&m).map_err(|_| corrupt("payment method"))?,
                amount: Rial::from_i64(a),
            });
        }
    }
    let mut trade_ins = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT weight_mg, purity, deduction_percent, buy_price_18k, value FROM trade_ins WHERE sale_id = ?1 ORDER BY line_no",
        )?;
        let rows = stmt.query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (mg, purity, ded, buy, value) = row?;
            trade_ins.push(TradeInLine {
                weight: Weight::from_milligrams(mg).ok_or_else(|| corrupt("trade-in weight"))?,
                purity: Purity::per_mille(parse_dec(&purity)?).ok_or_else(|| corrupt("trade-in purity"))?,
                deduction: Percent::new(parse_dec(&ded)?).ok_or_else(|| corrupt("trade-in deduction"))?,
                buy_price_18k: Rial::from_i64(buy),
                value: Rial::from_i64(value),
            });
        }
    }
    Ok(Sale {
        id,
        invoice_no: u64_sql(no)?,
        sold_at: parse_ts(&at)?,
        customer: match (cid, cname) {
            (Some(cid), Some(name)) => Some(CustomerRef { id: parse_uuid(&cid)?, name }),
            _ => None,
        },
        gold_price: PriceUsed { id: parse_uuid(&pid)?, per_gram_18k: Rial::from_i64(p18) },
        vat_percent: Percent::new(parse_dec(&vat)?).ok_or_else(|| corrupt("vat"))?,
        lines,
        trade_ins,
        payments,
        totals: Totals { gold, wage, profit, vat: vat_amount, stones, total, trade_in, due, paid, change },
        op_id: parse_uuid(&op_id)?,
        seq: u64_sql(seq)?,
        journal_index: u64_sql(jidx)?,
        sync: SyncState::from_code(&state).ok_or_else(|| corrupt("state"))?,
    })
}

fn line_from_row(r: &Row<'_>) -> rusqlite::Result<Result<SaleLine, StoreError>> {
    let item_id: String = r.get(0)?;
    let tag: String = r.get(1)?;
    let name: String = r.get(2)?;
    let mg: i64 = r.get(3)?;
    let purity: String = r.get(4)?;
    let wage_kind: String = r.get(5)?;
    let wage_value: String = r.get(6)?;
    let profit_percent: String = r.get(7)?;
    let parts = rials::<6>(r, 8)?;
    let returned: bool = r.get(14)?;
    Ok((|| {
        let corrupt = |what: &str| StoreError::Corrupt(format!("line {tag}: {what}"));
        let [gold, wage, profit, vat, stones, total] = parts;
        Ok(SaleLine {
            item_id: parse_uuid(&item_id)?,
            name,
            weight: Weight::from_milligrams(mg).ok_or_else(|| corrupt("weight"))?,
            purity: Purity::per_mille(parse_dec(&purity)?).ok_or_else(|| corrupt("purity"))?,
            wage_rate: WageRate::from_parts(&wage_kind, parse_dec(&wage_value)?).ok_or_else(|| corrupt("wage"))?,
            profit_percent: Percent::new(parse_dec(&profit_percent)?).ok_or_else(|| corrupt("profit"))?,
            price: zargar_rules::pricing::LinePrice { gold, wage, profit, vat, stones, total },
            returned,
            tag: tag.clone(),
        })
    })())
}

/// `N` amount columns in a row, from column `first` on.
pub(super) fn rials<const N: usize>(r: &Row<'_>, first: usize) -> rusqlite::Result<[Rial; N]> {
    let mut out = [Rial::ZERO; N];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = Rial::from_i64(r.get(first + i)?);
    }
    Ok(out)
}

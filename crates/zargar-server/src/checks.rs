//! What the server checks in a pushed op before it touches the database.
//!
//! Two kinds of trouble, kept apart on purpose:
//! - a malformed op (a negative weight, purity 0, a fraction of a Rial) is a
//!   bug in the sender: the whole push is answered 422 and nothing is applied;
//! - a well-formed sale whose numbers do not add up under the shop's rules
//!   is a business conflict (`validation_failed`): it is parked for the owner
//!   and the queue behind it goes on.
//!
//! The numbers are re-derived with `zargar-rules`, the same code the till
//! priced them with, so an honest till never disagrees with the server.

use std::fmt::Display;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Tehran;
use rust_decimal::Decimal;
use zargar_rules::discount::{Discount, LineDiscount};
use zargar_rules::pricing::{Piece, Rates, VatSchedule, WageRate, price_piece_with, trade_in_value};
use zargar_rules::settle::{SettleError, settle};
use zargar_rules::{Percent, Purity, Rial, Weight};
use zargar_wire::{
    CustomerPayload, GoldPricePayload, ItemPayload, Op, OpBody, PersonPayload, ResolvePayload, ReturnPayload,
    SalePayload, ShiftPayload, TenantSettings,
};

/// The first malformed field of an op, named for the sender's log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("op seq {seq}: {field}: {rule}")]
pub struct Malformed {
    pub seq: u64,
    pub field: String,
    pub rule: &'static str,
}

/// Counters (seq, invoice and credit-note numbers, journal indexes) are
/// stored as SQL integers: signed 64-bit.
const MAX_COUNTER: u64 = i64::MAX as u64;

/// Names longer than this are refused: no shop names a piece in a page.
const MAX_TEXT: usize = 200;
const MAX_LINES: usize = 200;

struct Check {
    seq: u64,
}

/// A field of a list's element (`payload.lines[2].weight`), put into words
/// only for an error: a sale has dozens of fields, and a push thousands.
struct Element<'a> {
    at: &'a str,
    list: &'static str,
    index: usize,
    name: &'static str,
}

impl Display for Element<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}[{}].{}", self.at, self.list, self.index, self.name)
    }
}

impl Check {
    fn bad(&self, field: impl Display, rule: &'static str) -> Malformed {
        Malformed { seq: self.seq, field: field.to_string(), rule }
    }
    fn weight(&self, field: impl Display, d: Decimal) -> Result<Weight, Malformed> {
        // A weight is sent floored already; one that is not was not made by a till.
        Weight::grams(d)
            .filter(|w| w.decimal() == d)
            .ok_or_else(|| self.bad(field, "a weight in grams, > 0, ≤ 100 kg, 3 decimals"))
    }
    fn purity(&self, field: impl Display, d: Decimal) -> Result<Purity, Malformed> {
        Purity::per_mille(d).ok_or_else(|| self.bad(field, "a purity from 1 to 1000 per mille"))
    }
    fn percent(&self, field: impl Display, d: Decimal) -> Result<Percent, Malformed> {
        Percent::new(d).ok_or_else(|| self.bad(field, "a percentage from 0 to 100"))
    }
    fn rial(&self, field: impl Display, d: Decimal) -> Result<Rial, Malformed> {
        Rial::whole(d)
            .filter(|r| !r.is_negative())
            .ok_or_else(|| self.bad(field, "a whole, non-negative number of Rials"))
    }
    fn signed_rial(&self, field: impl Display, d: Decimal) -> Result<Rial, Malformed> {
        Rial::whole(d).ok_or_else(|| self.bad(field, "a whole number of Rials"))
    }
    fn text(&self, field: impl Display, s: &str, required: bool) -> Result<(), Malformed> {
        if required && s.trim().is_empty() {
            return Err(self.bad(field, "must not be empty"));
        }
        if s.chars().count() > MAX_TEXT || s.chars().any(char::is_control) {
            return Err(self.bad(field, "at most 200 characters, no control characters"));
        }
        Ok(())
    }
    fn wage(&self, field: impl Display, w: zargar_wire::Wage) -> Result<WageRate, Malformed> {
        WageRate::from_wire(w).ok_or_else(|| self.bad(field, "a percentage from 0 to 100, or whole Rials per gram"))
    }
}

/// More gold than any shop holds for one customer: a slip of the unit.
const MAX_GOLD_MG: u64 = 100_000_000;

/// Refuses an op whose fields no till could have written.
pub fn well_formed(op: &Op) -> Result<(), Malformed> {
    let c = Check { seq: op.seq };
    if op.seq == 0 || op.seq > MAX_COUNTER {
        return Err(c.bad("seq", "from 1 to 2^63 − 1"));
    }
    if let Some(by) = &op.by {
        c.text("by.name", &by.name, true)?;
    }
    match &op.body {
        OpBody::SaleCreate(s) => sale_well_formed(&c, s, "payload"),
        OpBody::SaleReturn(r) => return_well_formed(&c, r),
        OpBody::CustomerUpsert(cu) => customer_well_formed(&c, cu),
        OpBody::ItemUpsert(i) => item_well_formed(&c, i),
        OpBody::GoldPriceSet(g) => price_well_formed(&c, g),
        OpBody::ConflictResolve(r) => resolve_well_formed(&c, r),
        OpBody::PersonUpsert(p) => person_well_formed(&c, p),
        OpBody::ShiftClose(s) => shift_well_formed(&c, s),
        OpBody::AccountMove(m) => account_well_formed(&c, m),
        OpBody::InstallmentPlan(p) => {
            if p.installments.len() > zargar_rules::account::MAX_INSTALLMENTS {
                return Err(c.bad("payload.installments", "at most 120"));
            }
            match p.per_gram_18k {
                Some(price) => c.rial("payload.per_gram_18k", price).map(|_| ()),
                None => Ok(()),
            }
        }
        OpBody::Layaway(l) => {
            if l.item_ids.len() > MAX_LINES || l.tags.len() > MAX_LINES {
                return Err(c.bad("payload.item_ids", "from 1 to 200 pieces"));
            }
            l.tags.iter().try_for_each(|t| c.text("payload.tags", t, true))
        }
    }
}

fn account_well_formed(c: &Check, m: &zargar_wire::AccountMovePayload) -> Result<(), Malformed> {
    c.signed_rial("payload.rial", m.rial)?;
    if m.gold_mg.unsigned_abs() > MAX_GOLD_MG {
        return Err(c.bad("payload.gold_mg", "at most 100 kg of gold"));
    }
    if let Some(w) = m.weight {
        c.weight("payload.weight", w)?;
    }
    if let Some(p) = m.purity {
        c.purity("payload.purity", p)?;
    }
    if let Some(d) = m.deduction_percent {
        c.percent("payload.deduction_percent", d)?;
    }
    if let Some(p) = m.per_gram_18k {
        c.rial("payload.per_gram_18k", p)?;
    }
    if let Some(n) = &m.note {
        c.text("payload.note", n, false)?;
    }
    if let Some(a) = &m.approved_by {
        c.text("payload.approved_by.name", &a.name, true)?;
    }
    match &m.journal {
        Some(j) if j.index == 0 || j.index > MAX_COUNTER => Err(c.bad("payload.journal.index", "from 1 to 2^63 − 1")),
        _ => Ok(()),
    }
}

fn shift_well_formed(c: &Check, s: &ShiftPayload) -> Result<(), Malformed> {
    if s.z_no == 0 || s.z_no > MAX_COUNTER {
        return Err(c.bad("payload.z_no", "from 1 to 2^63 − 1"));
    }
    if s.journal.index == 0 || s.journal.index > MAX_COUNTER {
        return Err(c.bad("payload.journal.index", "from 1 to 2^63 − 1"));
    }
    if s.closed_at < s.opened_at {
        return Err(c.bad("payload.closed_at", "not before opened_at"));
    }
    if let Some(f) = s.float {
        c.rial("payload.float", f)?;
    }
    for (name, v) in [
        ("sales_total", s.sales_total),
        ("returns_total", s.returns_total),
        ("discounts", s.discounts),
        ("cash_in", s.cash_in),
        ("cash_out", s.cash_out),
        ("counted_total", s.counted_total),
    ] {
        c.rial(format_args!("payload.{name}"), v)?;
    }
    for (name, v) in [("cash_expected", s.cash_expected), ("over_short", s.over_short), ("grand_total", s.grand_total)]
    {
        c.signed_rial(format_args!("payload.{name}"), v)?;
    }
    Ok(())
}

fn person_well_formed(c: &Check, p: &PersonPayload) -> Result<(), Malformed> {
    c.text("payload.name", &p.name, true)?;
    // Only the hash travels; a PIN sent in its place must never be stored.
    if !p.pin_hash.starts_with("$argon2id$") || p.pin_hash.len() > 200 {
        return Err(c.bad("payload.pin_hash", "an argon2id hash (PHC string), never the PIN"));
    }
    c.percent("payload.discount_limit_percent", p.discount_limit_percent)?;
    Ok(())
}

fn sale_well_formed(c: &Check, s: &SalePayload, at: &str) -> Result<(), Malformed> {
    if s.invoice_no == 0 || s.invoice_no > MAX_COUNTER {
        return Err(c.bad(format!("{at}.invoice_no"), "from 1 to 2^63 − 1"));
    }
    if s.journal.index == 0 || s.journal.index > MAX_COUNTER {
        return Err(c.bad(format!("{at}.journal.index"), "from 1 to 2^63 − 1"));
    }
    if s.lines.is_empty() || s.lines.len() > MAX_LINES {
        return Err(c.bad(format!("{at}.lines"), "from 1 to 200 lines"));
    }
    c.rial(format_args!("{at}.gold_price.per_gram_18k"), s.gold_price.per_gram_18k)?;
    c.percent(format_args!("{at}.vat_percent"), s.vat_percent)?;
    for (i, l) in s.lines.iter().enumerate() {
        let f = |name| Element { at, list: "lines", index: i, name };
        c.text(f("tag"), &l.tag, true)?;
        c.text(f("name"), &l.name, false)?;
        c.weight(f("weight"), l.weight)?;
        c.purity(f("purity"), l.purity)?;
        c.wage(f("wage_rate"), l.wage_rate)?;
        c.percent(f("profit_percent"), l.profit_percent)?;
        for (name, v) in [
            ("stones", l.stones),
            ("gold", l.gold),
            ("wage", l.wage),
            ("profit", l.profit),
            ("vat", l.vat),
            ("total", l.total),
            ("wage_discount", l.wage_discount),
            ("profit_discount", l.profit_discount),
        ] {
            c.rial(f(name), v)?;
        }
    }
    for (i, t) in s.trade_ins.iter().enumerate() {
        let f = |name| Element { at, list: "trade_ins", index: i, name };
        c.weight(f("weight"), t.weight)?;
        c.purity(f("purity"), t.purity)?;
        c.percent(f("deduction_percent"), t.deduction_percent)?;
        c.rial(f("buy_price_18k"), t.buy_price_18k)?;
        c.rial(f("value"), t.value)?;
    }
    for (i, p) in s.payments.iter().enumerate() {
        let amount = c.rial(Element { at, list: "payments", index: i, name: "amount" }, p.amount)?;
        if amount == Rial::ZERO {
            return Err(c.bad(format!("{at}.payments[{i}].amount"), "a payment of more than zero"));
        }
    }
    let t = &s.totals;
    for (name, v) in [
        ("gold", t.gold),
        ("wage", t.wage),
        ("profit", t.profit),
        ("vat", t.vat),
        ("stones", t.stones),
        ("total", t.total),
        ("trade_in", t.trade_in),
        ("paid", t.paid),
        ("change", t.change),
    ] {
        c.rial(format_args!("{at}.totals.{name}"), v)?;
    }
    c.signed_rial(format_args!("{at}.totals.due"), t.due)?;
    Ok(())
}

fn return_well_formed(c: &Check, r: &ReturnPayload) -> Result<(), Malformed> {
    if r.return_no == 0 || r.return_no > MAX_COUNTER {
        return Err(c.bad("payload.return_no", "from 1 to 2^63 − 1"));
    }
    if r.journal.index == 0 || r.journal.index > MAX_COUNTER {
        return Err(c.bad("payload.journal.index", "from 1 to 2^63 − 1"));
    }
    if r.item_ids.is_empty() || r.item_ids.len() > MAX_LINES {
        return Err(c.bad("payload.item_ids", "from 1 to 200 pieces"));
    }
    c.rial("payload.refund", r.refund)?;
    if r.refunds.len() > 8 {
        return Err(c.bad("payload.refunds", "at most 8 parts"));
    }
    for p in &r.refunds {
        c.rial("payload.refunds.amount", p.amount)?;
    }
    if let Some(reason) = &r.reason {
        c.text("payload.reason", reason, false)?;
    }
    Ok(())
}

fn customer_well_formed(c: &Check, cu: &CustomerPayload) -> Result<(), Malformed> {
    c.text("payload.name", &cu.name, true)?;
    for (field, v) in [("payload.mobile", &cu.mobile), ("payload.national_id", &cu.national_id)] {
        if let Some(v) = v {
            c.text(field, v, true)?;
        }
    }
    Ok(())
}

fn item_well_formed(c: &Check, i: &ItemPayload) -> Result<(), Malformed> {
    c.text("payload.tag", &i.tag, true)?;
    c.text("payload.name", &i.name, true)?;
    for (field, v) in [("payload.barcode", &i.barcode), ("payload.category", &i.category)] {
        if let Some(v) = v {
            c.text(field, v, false)?;
        }
    }
    c.weight("payload.weight", i.weight)?;
    c.purity("payload.purity", i.purity)?;
    c.wage("payload.wage_rate", i.wage_rate)?;
    c.rial("payload.stones", i.stones)?;
    Ok(())
}

fn price_well_formed(c: &Check, g: &GoldPricePayload) -> Result<(), Malformed> {
    let p = c.rial("payload.per_gram_18k", g.per_gram_18k)?;
    if p == Rial::ZERO {
        return Err(c.bad("payload.per_gram_18k", "a price of more than zero"));
    }
    if let Some(m) = g.mazaneh {
        c.rial("payload.mazaneh", m)?;
    }
    Ok(())
}

fn resolve_well_formed(c: &Check, r: &ResolvePayload) -> Result<(), Malformed> {
    c.text("payload.resolved_by", &r.resolved_by, true)?;
    if let Some(reason) = &r.reason {
        c.text("payload.reason", reason, false)?;
    }
    match (&r.resolution, &r.replacement) {
        (zargar_wire::Resolution::Resubmit, Some(s)) => sale_well_formed(c, s, "payload.replacement"),
        (zargar_wire::Resolution::Resubmit, None) => {
            Err(c.bad("payload.replacement", "a resubmit carries the edited sale"))
        }
        (_, Some(_)) => Err(c.bad("payload.replacement", "only a resubmit carries a sale")),
        (_, None) => Ok(()),
    }
}

/// The Tehran calendar day of an instant: VAT changes at Tehran midnight.
pub fn tehran_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Tehran).date_naive()
}

/// The shop's VAT schedule in the rules' own terms (rates out of range left
/// out); none when the shop has set no rate.
pub fn vat_schedule(settings: &TenantSettings) -> Option<VatSchedule> {
    let entries: Vec<_> = settings.vat.iter().filter_map(|r| Some((r.from, Percent::new(r.percent)?))).collect();
    (!entries.is_empty()).then(|| VatSchedule::new(entries))
}

/// Re-prices a well-formed sale from its inputs with the shop's rules and
/// lists every number that does not agree. Empty: the sale holds.
pub fn reprice(sale: &SalePayload, settings: &TenantSettings) -> Vec<String> {
    let mut problems = Vec::new();
    // Well-formedness was checked first, so these conversions hold.
    let (Some(per_gram_18k), Some(vat)) = (Rial::whole(sale.gold_price.per_gram_18k), Percent::new(sale.vat_percent))
    else {
        return vec!["gold price or VAT rate out of range".into()];
    };
    let day = tehran_day(sale.sold_at);
    if let Some(expected) = vat_schedule(settings).map(|s| s.rate_on(day).decimal())
        && expected != sale.vat_percent
    {
        problems.push(format!("vat_percent: {} but the shop's rate on {day} is {expected}", sale.vat_percent));
    }
    let mut prices = Vec::with_capacity(sale.lines.len());
    for (i, l) in sale.lines.iter().enumerate() {
        let (Some(weight), Some(purity), Some(wage), Some(profit), Some(stones), Some(wage_off), Some(profit_off)) = (
            Weight::grams(l.weight),
            Purity::per_mille(l.purity),
            WageRate::from_wire(l.wage_rate),
            Percent::new(l.profit_percent),
            Rial::whole(l.stones),
            Rial::whole(l.wage_discount),
            Rial::whole(l.profit_discount),
        ) else {
            problems.push(format!("lines[{i}]: inputs out of range"));
            continue;
        };
        let rates = Rates { per_gram_18k, profit, vat };
        // The Rials the till took off, as given: the rules say what is left.
        let given = LineDiscount { wage: Some(Discount::Rials(wage_off)), profit: Some(Discount::Rials(profit_off)) };
        match price_piece_with(&Piece { weight, purity, wage, stones }, &rates, &given) {
            Ok((p, _)) => {
                let sent =
                    [("gold", l.gold), ("wage", l.wage), ("profit", l.profit), ("vat", l.vat), ("total", l.total)];
                let ours = [p.gold, p.wage, p.profit, p.vat, p.total];
                for ((name, theirs), ours) in sent.iter().zip(ours) {
                    if ours.decimal() != *theirs {
                        problems.push(format!("lines[{i}].{name}: {theirs} but the rules give {ours}"));
                    }
                }
                prices.push(p);
            }
            Err(e) => problems.push(format!("lines[{i}]: {e}")),
        }
    }
    let mut values = Vec::with_capacity(sale.trade_ins.len());
    for (i, t) in sale.trade_ins.iter().enumerate() {
        let (Some(weight), Some(purity), Some(buy), Some(deduction)) = (
            Weight::grams(t.weight),
            Purity::per_mille(t.purity),
            Rial::whole(t.buy_price_18k),
            Percent::new(t.deduction_percent),
        ) else {
            problems.push(format!("trade_ins[{i}]: inputs out of range"));
            continue;
        };
        match trade_in_value(weight, purity, buy, deduction) {
            Ok(v) if v.decimal() == t.value => values.push(v),
            Ok(v) => {
                problems.push(format!("trade_ins[{i}].value: {} but the rules give {v}", t.value));
                values.push(v);
            }
            Err(e) => problems.push(format!("trade_ins[{i}]: {e}")),
        }
    }
    if !problems.is_empty() {
        return problems;
    }
    let payments: Vec<_> = sale.payments.iter().filter_map(|p| Rial::whole(p.amount).map(|a| (p.method, a))).collect();
    match settle(&prices, &values, &payments) {
        Ok(t) => {
            let s = &sale.totals;
            let pairs = [
                ("gold", s.gold, t.gold),
                ("wage", s.wage, t.wage),
                ("profit", s.profit, t.profit),
                ("vat", s.vat, t.vat),
                ("stones", s.stones, t.stones),
                ("total", s.total, t.total),
                ("trade_in", s.trade_in, t.trade_in),
                ("due", s.due, t.due),
                ("paid", s.paid, t.paid),
                ("change", s.change, t.change),
            ];
            for (name, theirs, ours) in pairs {
                if ours.decimal() != theirs {
                    problems.push(format!("totals.{name}: {theirs} but the rules give {ours}"));
                }
            }
        }
        Err(SettleError::PaymentsShort { due, paid }) => {
            problems.push(format!("payments: {paid} paid does not cover {due} due"));
        }
        Err(SettleError::NonCashAboveDue { non_cash, due, .. }) => {
            problems.push(format!("payments: {non_cash} paid other than in cash is more than the {due} due"));
        }
        Err(SettleError::Pricing(e)) => problems.push(format!("totals: {e}")),
    }
    problems
}

/// Whether a sale's 18k price is within the shop's tolerance of the server's.
/// A difference too large to compute is out of tolerance.
pub fn price_within(sale_price: Decimal, server_price: Decimal, tolerance_percent: Decimal) -> bool {
    let diff = sale_price.checked_sub(server_price).map(|d| d.abs());
    let lhs = diff.and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED));
    let rhs = server_price.checked_mul(tolerance_percent);
    matches!((lhs, rhs), (Some(l), Some(r)) if l <= r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_is_a_percentage_of_the_servers_price_and_never_overflows() {
        let p = |s: &str| s.parse::<Decimal>().expect("decimal");
        assert!(price_within(p("81600000"), p("80000000"), p("2")));
        assert!(!price_within(p("81600001"), p("80000000"), p("2")));
        assert!(price_within(p("78400000"), p("80000000"), p("2")));
        assert!(!price_within(Decimal::MAX, p("80000000"), p("2")));
        assert!(!price_within(p("1"), Decimal::MAX, p("100")), "an overflow is out of tolerance, not a panic");
    }

    #[test]
    fn the_vat_of_a_sale_is_the_shops_rate_on_its_tehran_day() {
        let policy = zargar_rules::policy::default_shop_policy();
        let schedule = vat_schedule(&policy).expect("the default policy has rates");
        // 1403/01/01 began at Tehran midnight, 2024-03-19 20:30 UTC.
        let at = |s: &str| tehran_day(s.parse::<DateTime<Utc>>().expect("instant"));
        assert_eq!(schedule.rate_on(at("2024-03-19T20:29:59Z")).decimal(), Decimal::from(9));
        assert_eq!(schedule.rate_on(at("2024-03-19T20:30:00Z")).decimal(), Decimal::from(10));
        assert_eq!(
            schedule.rate_on(at("2019-01-01T00:00:00Z")).decimal(),
            Decimal::from(9),
            "before the first: the first"
        );
        let none = TenantSettings { vat: Vec::new(), ..policy };
        assert!(vat_schedule(&none).is_none(), "no rate set: nothing to hold a sale to");
    }
}

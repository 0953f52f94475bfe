//! The printed invoice: gold, wage, profit and VAT on separate lines as the
//! law requires, the Jalali date, Persian digits, weight and purity per
//! line, and the 18k price used. Plain text for terminals and receipt
//! printers, with no bidi control characters.

use std::fmt::Write;

use crate::display_unit::DisplayUnit;
use crate::i18n::{Lang, messages};
use crate::message_id::MessageId;
use crate::persian;
use crate::sale::Sale;
use crate::store::RecordedReturn;
use zargar_rules::measure::Purity;
use zargar_rules::money::Percent;
use zargar_rules::money::Rial;
use zargar_rules::pricing::WageRate;

/// Formats amounts, weights and rates in one language and display unit.
#[derive(Debug, Clone, Copy)]
pub struct Formatter {
    pub lang: Lang,
    pub unit: DisplayUnit,
}

impl Formatter {
    pub fn new(lang: Lang, unit: DisplayUnit) -> Formatter {
        Formatter { lang, unit }
    }

    /// "۴۱۸٬۴۰۰٬۰۰۰ ریال"
    pub fn money(&self, r: Rial) -> String {
        let unit = messages(self.lang).text(self.unit.message_id());
        format!("{} {unit}", persian::format_decimal(self.unit.convert(r), self.lang))
    }

    pub fn number(&self, d: rust_decimal::Decimal) -> String {
        persian::format_decimal(d, self.lang)
    }

    pub fn percent(&self, p: Percent) -> String {
        let sign = if self.lang == Lang::Fa { "٪" } else { "%" };
        format!("{}{sign}", persian::format_decimal(p.decimal(), self.lang))
    }

    /// "۷۵۰ (۱۸ عیار)", or the per-mille alone where the market has no name.
    pub fn purity(&self, p: Purity) -> String {
        let n = persian::format_decimal(p.decimal(), self.lang);
        match p.karat_message_id() {
            Some(id) => format!("{n} ({})", messages(self.lang).text(id)),
            None => n,
        }
    }

    pub fn wage_rate(&self, w: WageRate) -> String {
        match w {
            WageRate::Percent(p) => self.percent(p),
            WageRate::PerGram(r) => messages(self.lang).format("invoice-per-gram", &[("amount", self.money(r))]),
        }
    }

    fn text(&self, id: &str) -> String {
        messages(self.lang).text(id)
    }

    fn line(&self, out: &mut String, label_id: &str, value: String) {
        let _ = writeln!(out, "  {}: {value}", self.text(label_id));
    }
}

const RULE: &str = "----------------------------------------";

/// The legal blocks of an official invoice: the seller as the shop is
/// registered (set by the owner on the server), the registered buyer's ids,
/// and the Moadian tax id once the tax organisation accepted the invoice.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LegalBlocks {
    pub seller: Option<zargar_wire::LegalIdentity>,
    pub buyer: Option<BuyerBlock>,
    pub tax_id: Option<String>,
}

/// A registered customer as the invoice names them.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BuyerBlock {
    pub name: String,
    pub national_id: Option<String>,
    pub economic_code: Option<String>,
    pub postal_code: Option<String>,
}

/// The seller's and buyer's blocks and the tax id, as text.
fn render_legal(out: &mut String, legal: &LegalBlocks, f: Formatter) {
    let m = messages(f.lang);
    let digits = |s: &str| if f.lang == Lang::Fa { persian::to_persian_digits(s) } else { s.to_owned() };
    if let Some(s) = &legal.seller {
        let _ = writeln!(out, "{}", m.text("invoice-legal-seller"));
        f.line(out, "legal-name", s.name.clone());
        f.line(out, "legal-economic-code", digits(&s.economic_code));
        f.line(out, "legal-national-id", digits(&s.national_id));
        f.line(out, "legal-postal-code", digits(&s.postal_code));
        f.line(out, "legal-address", s.address.clone());
        f.line(out, "legal-phone", digits(&s.phone));
    }
    if let Some(b) = &legal.buyer {
        let _ = writeln!(out, "{}", m.text("invoice-legal-buyer"));
        f.line(out, "legal-name", b.name.clone());
        for (id, v) in [
            ("legal-national-id", &b.national_id),
            ("legal-economic-code", &b.economic_code),
            ("legal-postal-code", &b.postal_code),
        ] {
            if let Some(v) = v {
                f.line(out, id, digits(v));
            }
        }
    }
    if let Some(t) = &legal.tax_id {
        let _ = writeln!(out, "{}", m.format("invoice-tax-id", &[("id", t.clone())]));
    }
    if legal.seller.is_some() || legal.buyer.is_some() || legal.tax_id.is_some() {
        let _ = writeln!(out, "{RULE}");
    }
}

/// The whole invoice of a sale.
pub fn render_invoice(sale: &Sale, legal: &LegalBlocks, till: &str, f: Formatter) -> String {
    let m = messages(f.lang);
    let mut out = String::new();
    render_legal(&mut out, legal, f);
    let no = f.number(sale.invoice_no.into());
    let _ = writeln!(out, "{}", m.format("invoice-title", &[("number", no), ("till", till.to_owned())]));
    let _ = writeln!(
        out,
        "{}",
        m.format(
            "invoice-date",
            &[
                ("date", persian::format_date_short(sale.sold_at, f.lang)),
                ("time", persian::format_time(sale.sold_at, f.lang))
            ]
        )
    );
    let customer = sale.customer.as_ref().map_or_else(|| m.text("walk-in-customer"), |c| c.name.clone());
    let _ = writeln!(out, "{}", m.format("invoice-customer", &[("name", customer)]));
    if let Some(seller) = &sale.seller {
        let _ = writeln!(out, "{}", m.format("invoice-seller", &[("name", seller.name.clone())]));
    }
    let _ = writeln!(out, "{}", m.format("invoice-gold-price", &[("price", f.money(sale.gold_price.per_gram_18k))]));
    let _ = writeln!(out, "{RULE}");
    for (i, l) in sale.lines.iter().enumerate() {
        let _ = writeln!(out, "{}. {} [{}]", f.number((i as u64 + 1).into()), l.name, l.tag);
        f.line(&mut out, "invoice-weight", m.format("invoice-grams", &[("weight", f.number(l.weight.decimal()))]));
        f.line(&mut out, "invoice-purity", f.purity(l.purity));
        f.line(&mut out, "invoice-gold", f.money(l.price.gold));
        f.line(&mut out, "invoice-wage", format!("{} ({})", f.money(l.price.wage), f.wage_rate(l.wage_rate)));
        if l.discount.wage > Rial::ZERO {
            f.line(&mut out, "invoice-wage-discount", format!("−{}", f.money(l.discount.wage)));
        }
        f.line(&mut out, "invoice-profit", format!("{} ({})", f.money(l.price.profit), f.percent(l.profit_percent)));
        if l.discount.profit > Rial::ZERO {
            f.line(&mut out, "invoice-profit-discount", format!("−{}", f.money(l.discount.profit)));
        }
        f.line(&mut out, "invoice-vat", format!("{} ({})", f.money(l.price.vat), f.percent(sale.vat_percent)));
        if l.price.stones > Rial::ZERO {
            f.line(&mut out, "invoice-stones", f.money(l.price.stones));
        }
        f.line(&mut out, "invoice-line-total", f.money(l.price.total));
        if l.returned {
            let _ = writeln!(out, "  ({})", m.text("invoice-returned"));
        }
    }
    let _ = writeln!(out, "{RULE}");
    let t = &sale.totals;
    // What the sale's wage and profit were before their discounts.
    let off = sale.discount().unwrap_or_default();
    let mut total = |id: &str, r: Rial| {
        let _ = writeln!(out, "{}: {}", m.text(id), f.money(r));
    };
    total("invoice-sum-gold", t.gold);
    total("invoice-sum-wage", t.wage);
    total("invoice-sum-profit", t.profit);
    let discount = off.total().unwrap_or(Rial::ZERO);
    if discount > Rial::ZERO {
        total("invoice-sum-discount", Rial::ZERO - discount);
    }
    total("invoice-sum-vat", t.vat);
    if t.stones > Rial::ZERO {
        total("invoice-sum-stones", t.stones);
    }
    total("invoice-total", t.total);
    for ti in &sale.trade_ins {
        let _ = writeln!(
            out,
            "{}",
            m.format(
                "invoice-trade-in",
                &[
                    ("weight", f.number(ti.weight.decimal())),
                    ("purity", f.purity(ti.purity)),
                    ("buy_price", f.money(ti.buy_price_18k)),
                    ("deduction", f.percent(ti.deduction)),
                    ("value", f.money(ti.value)),
                ]
            )
        );
    }
    if t.trade_in > Rial::ZERO {
        let _ = writeln!(out, "{}: {}", m.text("invoice-due"), f.money(t.due));
    }
    for p in &sale.payments {
        let method = m.text(&p.method.message_id());
        let _ = writeln!(out, "{}", m.format("invoice-payment", &[("method", method), ("amount", f.money(p.amount))]));
    }
    if t.change > Rial::ZERO {
        let _ = writeln!(out, "{}: {}", m.text("invoice-change"), f.money(t.change));
    }
    out
}

/// The credit note of a return.
pub fn render_return(ret: &RecordedReturn, till: &str, f: Formatter) -> String {
    let m = messages(f.lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        m.format(
            "return-title",
            &[
                ("number", f.number(ret.return_no.into())),
                ("invoice", f.number(ret.invoice_no.into())),
                ("till", till.to_owned())
            ]
        )
    );
    let _ = writeln!(
        out,
        "{}",
        m.format(
            "invoice-date",
            &[
                ("date", persian::format_date_short(ret.returned_at, f.lang)),
                ("time", persian::format_time(ret.returned_at, f.lang))
            ]
        )
    );
    for l in &ret.lines {
        let _ = writeln!(out, "  {} [{}]: {}", l.name, l.tag, f.money(l.price.total));
    }
    let _ = writeln!(out, "{}", m.format("return-total", &[("amount", f.money(ret.refund))]));
    for p in &ret.refunds {
        let method = m.text(&p.method.message_id());
        let _ = writeln!(out, "{}", m.format("return-refund", &[("amount", f.money(p.amount)), ("method", method)]));
    }
    if let Some(no) = ret.exchange_invoice_no {
        let _ = writeln!(out, "{}", m.format("return-exchange", &[("invoice", f.number(no.into()))]));
    }
    out
}

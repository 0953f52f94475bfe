//! A sale as the tax organisation's pattern-3 (gold, jewelry, platinum)
//! invoice, in the public specification's field names (RC_IITP; see
//! `docs/tax.md`). Every amount is the till's own, to the Rial: the gold is
//! `prdis`, the making charge `consfee` and the profit `spro` after their
//! discounts (our discounts never touch the gold value, so `dis` is zero
//! and the service's VAT, 10% of `tcpbs`, is the VAT we charged), and a
//! piece's stones are a line of their own with no VAT, as we price them.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use zargar_rules::tax_id::{TaxId, serial_hex};
use zargar_wire::{CustomerPayload, LegalIdentity, PaymentMethod, SaleLine, SalePayload, TaxSubject};

/// The unit codes (RC_UMGS): a gram, and a piece.
const GRAM: &str = "1622";
const PIECE: &str = "1627";

/// The whole invoice, signed as it is: `{header, body, payments}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invoice {
    pub header: Header,
    pub body: Vec<Line>,
    pub payments: Vec<serde_json::Value>,
}

/// The header; absent fields are left out, as the service wants.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub taxid: String,
    /// Issue time, milliseconds since the epoch.
    pub indatim: i64,
    /// 1: the buyer is identified; 2: a final consumer not named.
    pub inty: u8,
    pub inno: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub irtaxid: Option<String>,
    /// 3: gold, jewelry and platinum.
    pub inp: u8,
    /// 1 original, 3 cancellation, 4 sales return.
    pub ins: u8,
    pub tins: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tob: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tinb: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bpc: Option<String>,
    #[serde(serialize_with = "number")]
    pub tprdis: Decimal,
    #[serde(serialize_with = "number")]
    pub tdis: Decimal,
    #[serde(serialize_with = "number")]
    pub tadis: Decimal,
    #[serde(serialize_with = "number")]
    pub tvam: Decimal,
    #[serde(serialize_with = "number")]
    pub todam: Decimal,
    #[serde(serialize_with = "number")]
    pub tbill: Decimal,
    /// 1 paid, 2 on credit, 3 both (not for type 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setm: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "some_number")]
    pub cap: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "some_number")]
    pub insp: Option<Decimal>,
}

/// One line: a piece's gold with its making charge and profit, or its stones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub sstid: String,
    pub sstt: String,
    pub mu: &'static str,
    #[serde(serialize_with = "number")]
    pub am: Decimal,
    #[serde(serialize_with = "number")]
    pub fee: Decimal,
    /// Purity in per-mille (عیار).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "some_number")]
    pub cui: Option<Decimal>,
    #[serde(serialize_with = "number")]
    pub prdis: Decimal,
    #[serde(serialize_with = "number")]
    pub dis: Decimal,
    #[serde(serialize_with = "number")]
    pub adis: Decimal,
    #[serde(serialize_with = "number")]
    pub vra: Decimal,
    #[serde(serialize_with = "number")]
    pub vam: Decimal,
    #[serde(serialize_with = "number")]
    pub tsstam: Decimal,
    #[serde(serialize_with = "number")]
    pub consfee: Decimal,
    #[serde(serialize_with = "number")]
    pub spro: Decimal,
    #[serde(serialize_with = "number")]
    pub bros: Decimal,
    #[serde(serialize_with = "number")]
    pub tcpbs: Decimal,
}

/// A decimal as a JSON number, written exactly (never through a float).
fn number<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    let raw = serde_json::value::RawValue::from_string(d.normalize().to_string()).map_err(serde::ser::Error::custom)?;
    raw.serialize(s)
}

fn some_number<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => number(d, s),
        None => s.serialize_none(),
    }
}

/// The specification's code (`ins`) of what an invoice says about its sale.
fn ins(subject: TaxSubject) -> u8 {
    match subject {
        TaxSubject::Sale => 1,
        TaxSubject::Cancellation => 3,
        TaxSubject::Return => 4,
    }
}

/// The goods codes (شناسه کالا) the shop's invoices carry: its own choice
/// from the tax organisation's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct GoodsCodes {
    pub gold: String,
    pub stones: String,
}

/// Everything an invoice is built from.
#[derive(Debug)]
pub struct Draft<'a> {
    pub tax_id: &'a TaxId,
    pub issued_at: DateTime<Utc>,
    pub subject: TaxSubject,
    /// The invoice a cancellation or a return names.
    pub original: Option<&'a str>,
    pub seller: &'a LegalIdentity,
    pub buyer: Option<&'a CustomerPayload>,
    pub codes: &'a GoodsCodes,
    /// The lines it is about (a return's: only those given back).
    pub lines: Vec<&'a SaleLine>,
    /// The part of the sale left on the customer's account.
    pub on_account: Decimal,
}

/// The invoice of a draft.
pub fn build(d: &Draft<'_>) -> Invoice {
    let body: Vec<Line> = d.lines.iter().flat_map(|l| lines_of(l, d.codes)).collect();
    let sum = |f: fn(&Line) -> Decimal| body.iter().map(f).sum::<Decimal>();
    let (tprdis, tdis, tadis, tvam, tbill) =
        (sum(|l| l.prdis), sum(|l| l.dis), sum(|l| l.adis), sum(|l| l.vam), sum(|l| l.tsstam));
    let buyer = d.buyer.and_then(buyer_ids);
    let inty = if buyer.is_some() { 1 } else { 2 };
    // What was not left on account was paid at the counter (cash, card,
    // transfer, old gold); a return or a cancellation settles as its sale.
    let on_account = if d.subject == TaxSubject::Sale { d.on_account.min(tbill) } else { Decimal::ZERO };
    let (setm, cap, insp) = match (inty, on_account) {
        (2, _) => (None, None, None),
        (_, a) if a.is_zero() => (Some(1), None, None),
        (_, a) if a == tbill => (Some(2), None, None),
        // The specification's rule: cap = tbill − todam − tvam − insp.
        (_, a) => (Some(3), Some(tbill - tvam - a), Some(a)),
    };
    let (tob, bid, tinb, bpc) = buyer.unwrap_or_default();
    Invoice {
        header: Header {
            taxid: d.tax_id.to_string(),
            indatim: d.issued_at.timestamp_millis(),
            inty,
            inno: serial_hex(d.tax_id.serial()),
            irtaxid: d.original.map(str::to_owned),
            inp: 3,
            ins: ins(d.subject),
            tins: d.seller.economic_code.clone(),
            tob,
            bid,
            tinb,
            bpc,
            tprdis,
            tdis,
            tadis,
            tvam,
            todam: Decimal::ZERO,
            tbill,
            setm,
            cap,
            insp,
        },
        body,
        payments: Vec::new(),
    }
}

/// The part of a sale paid "on account".
pub fn on_account(sale: &SalePayload) -> Decimal {
    sale.payments.iter().filter(|p| p.method == PaymentMethod::Account).map(|p| p.amount).sum()
}

type BuyerIds = (Option<u8>, Option<String>, Option<String>, Option<String>);

/// A registered customer with a national id (10 digits: a person; 11: a
/// company) or an economic code is an identified buyer; anyone else is a
/// final consumer (type 2).
fn buyer_ids(c: &CustomerPayload) -> Option<BuyerIds> {
    let digits = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let national = digits(&c.national_id);
    let economic = digits(&c.economic_code);
    if national.is_none() && economic.is_none() {
        return None;
    }
    let company = national.as_deref().map(str::len) == Some(11)
        || (national.is_none() && economic.as_deref().map(str::len) != Some(10));
    Some((Some(if company { 2 } else { 1 }), national, economic, digits(&c.postal_code)))
}

/// A piece: its gold, making charge and profit; and its stones, if any.
fn lines_of(l: &SaleLine, codes: &GoodsCodes) -> Vec<Line> {
    let tcpbs = l.wage + l.profit;
    let adis = l.gold + tcpbs;
    let mut out = vec![Line {
        sstid: codes.gold.clone(),
        sstt: l.name.clone(),
        mu: GRAM,
        am: l.weight.normalize(),
        fee: fee_per_gram(l.gold, l.weight),
        cui: Some(l.purity.normalize()),
        prdis: l.gold,
        dis: Decimal::ZERO,
        adis,
        // The gold itself is exempt; the VAT is on the making charge and profit.
        vra: Decimal::ZERO,
        vam: l.vat,
        tsstam: adis + l.vat,
        consfee: l.wage,
        spro: l.profit,
        bros: Decimal::ZERO,
        tcpbs,
    }];
    if l.stones > Decimal::ZERO {
        out.push(Line {
            sstid: codes.stones.clone(),
            sstt: format!("سنگ {}", l.name),
            mu: PIECE,
            am: Decimal::ONE,
            fee: l.stones,
            cui: None,
            prdis: l.stones,
            dis: Decimal::ZERO,
            adis: l.stones,
            vra: Decimal::ZERO,
            vam: Decimal::ZERO,
            tsstam: l.stones,
            consfee: Decimal::ZERO,
            spro: Decimal::ZERO,
            bros: Decimal::ZERO,
            tcpbs: Decimal::ZERO,
        });
    }
    out
}

/// The price of a gram such that the service's `floor(am × fee)` is our
/// gold value exactly: the fewest decimals (up to 8) that land in
/// `[gold, gold + 1)` once multiplied by the weight.
pub fn fee_per_gram(gold: Decimal, weight: Decimal) -> Decimal {
    if weight <= Decimal::ZERO {
        return gold;
    }
    for dp in 0..=8 {
        let Some(exact) = gold.checked_div(weight) else { return gold };
        let fee = exact.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::ToPositiveInfinity);
        if (weight * fee).floor() == gold {
            return fee.normalize();
        }
    }
    (gold / weight).round_dp(8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;
    use zargar_rules::tax_id::MemoryId;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    fn line(weight: Decimal, gold: Decimal, wage: Decimal, profit: Decimal, vat: Decimal, stones: Decimal) -> SaleLine {
        SaleLine {
            item_id: Uuid::nil(),
            tag: "R-1".into(),
            name: "انگشتر".into(),
            weight,
            purity: d("750"),
            wage_rate: zargar_wire::Wage::Percent(d("15")),
            profit_percent: d("7"),
            stones,
            gold,
            wage,
            profit,
            vat,
            total: gold + wage + profit + vat + stones,
            wage_discount: Decimal::ZERO,
            profit_discount: Decimal::ZERO,
        }
    }

    #[test]
    fn the_fee_times_the_weight_floors_to_the_gold() {
        for (gold, weight) in [(d("418400000"), d("5.23")), (d("1"), d("3")), (d("999999937"), d("12.347"))] {
            let fee = fee_per_gram(gold, weight);
            assert_eq!((fee * weight).floor(), gold, "{gold} / {weight} → {fee}");
            assert!(fee.scale() <= 8);
        }
    }

    /// pricing.md's worked example, with 1,000,000 of stones: the service's
    /// rules (truncated; VAT 10% of tcpbs) give back our VAT and total.
    #[test]
    fn the_worked_example_agrees_with_the_services_arithmetic() {
        let l = line(d("5.230"), d("418400000"), d("62760000"), d("33681200"), d("9644120"), d("1000000"));
        let codes = GoodsCodes { gold: "2710000044666".into(), stones: "2710000138624".into() };
        let m = MemoryId::parse("A11216").expect("memory id");
        let at = Utc::now();
        let id = TaxId::new(&m, at, 7).expect("tax id");
        let seller = LegalIdentity { economic_code: "14003778990".into(), ..LegalIdentity::default() };
        let lines = [l.clone()];
        let draft = Draft {
            tax_id: &id,
            issued_at: at,
            subject: TaxSubject::Sale,
            original: None,
            seller: &seller,
            buyer: None,
            codes: &codes,
            lines: lines.iter().collect(),
            on_account: Decimal::ZERO,
        };
        let inv = build(&draft);
        let gold = &inv.body[0];
        assert_eq!((gold.am * gold.fee).floor(), gold.prdis);
        assert_eq!(gold.tcpbs, gold.consfee + gold.spro + gold.bros);
        assert_eq!(gold.adis, gold.prdis + gold.tcpbs - gold.dis);
        assert_eq!(((gold.tcpbs * d("10") + gold.prdis * gold.vra) / d("100")).floor(), gold.vam);
        assert_eq!(gold.vam, d("9644120"));
        assert_eq!(inv.header.tbill, l.total);
        assert_eq!(inv.body[1].tsstam, d("1000000"));
        assert_eq!((inv.header.inty, inv.header.setm, inv.header.inno.len()), (2, None, 10));
        let json = serde_json::to_string(&inv).expect("json");
        assert!(json.contains("\"am\":5.23,") && json.contains("\"tbill\":525485320"), "{json}");
        assert!(!json.contains("null") && !json.contains("\"nw\""), "{json}");
    }
}

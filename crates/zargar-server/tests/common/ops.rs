//! Building the ops a till would push, priced with the same rules the till
//! uses (`zargar-rules`), so the server has nothing to object to unless a
//! test makes it so. Shared by the integration tests and the load bench.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_rules::discount::LineDiscount;
use zargar_rules::journal;
use zargar_rules::pricing::{Piece, Rates, WageRate, price_piece_with};
use zargar_rules::settle::settle;
use zargar_rules::{Percent, Purity, Rial, Weight};
use zargar_wire::{
    Base, GoldPriceRef, ItemPayload, ItemVersion, JournalLink, Op, OpBody, Payment, PaymentMethod, PersonPayload,
    PersonRef, Role, SaleLine, SalePayload,
};

/// What a till keeps between ops: its seq, invoice numbers and journal head.
#[derive(Debug, Clone, Default)]
pub struct TillBook {
    pub seq: u64,
    pub invoice_no: u64,
    pub journal: Option<JournalLink>,
}

/// The VAT the default shop settings give for today (10% since 1403).
pub fn vat_today() -> Decimal {
    Decimal::from(10)
}

impl TillBook {
    pub fn next_link(&mut self, content: &str) -> JournalLink {
        let (index, prev) = match &self.journal {
            Some(l) => (l.index + 1, l.hash.clone()),
            None => (1, journal::GENESIS_HASH.to_owned()),
        };
        let link = journal::link(index, &prev, content);
        self.journal = Some(link.clone());
        link
    }

    /// A correctly priced cash sale of `items` at `per_gram_18k`, paid exactly.
    pub fn sale(&mut self, items: &[ItemPayload], price_id: Uuid, per_gram_18k: Decimal, at: DateTime<Utc>) -> Op {
        self.discounted_sale(items, price_id, per_gram_18k, at, &LineDiscount::default())
    }

    /// A sale with `discount` on each of its pieces, priced as the till would.
    pub fn discounted_sale(
        &mut self,
        items: &[ItemPayload],
        price_id: Uuid,
        per_gram_18k: Decimal,
        at: DateTime<Utc>,
        discount: &LineDiscount,
    ) -> Op {
        let sale = priced_sale_with(items, price_id, per_gram_18k, vat_today(), at, self, discount);
        self.op(OpBody::SaleCreate(Box::new(sale)), items, Some(price_id), at)
    }

    pub fn op(&mut self, body: OpBody, items: &[ItemPayload], price: Option<Uuid>, at: DateTime<Utc>) -> Op {
        self.seq += 1;
        let entity_id = match &body {
            OpBody::SaleCreate(s) => s.sale_id,
            OpBody::SaleReturn(r) => r.return_id,
            OpBody::CustomerUpsert(c) => c.customer_id,
            OpBody::ItemUpsert(i) => i.item_id,
            OpBody::GoldPriceSet(p) => p.price_id,
            OpBody::ConflictResolve(r) => r.conflict_op_id,
            OpBody::PersonUpsert(p) => p.person_id,
            OpBody::ShiftClose(s) => s.shift_id,
            OpBody::AccountMove(m) => m.move_id,
            OpBody::InstallmentPlan(p) => p.plan_id,
            OpBody::Layaway(l) => l.layaway_id,
        };
        Op {
            op_id: Uuid::now_v7(),
            seq: self.seq,
            entity_id,
            device_time: at,
            base: Base {
                items: items.iter().map(|i| ItemVersion { item_id: i.item_id, version: 1 }).collect(),
                gold_price_id: price,
            },
            by: None,
            body,
        }
    }
}

pub fn priced_sale(
    items: &[ItemPayload],
    price_id: Uuid,
    per_gram_18k: Decimal,
    vat: Decimal,
    at: DateTime<Utc>,
    book: &mut TillBook,
) -> SalePayload {
    priced_sale_with(items, price_id, per_gram_18k, vat, at, book, &LineDiscount::default())
}

pub fn priced_sale_with(
    items: &[ItemPayload],
    price_id: Uuid,
    per_gram_18k: Decimal,
    vat: Decimal,
    at: DateTime<Utc>,
    book: &mut TillBook,
    discount: &LineDiscount,
) -> SalePayload {
    let p18 = Rial::whole(per_gram_18k).expect("whole price");
    let rates = Rates {
        per_gram_18k: p18,
        profit: Percent::new(Decimal::from(7)).expect("7%"),
        vat: Percent::new(vat).expect("vat"),
    };
    let mut lines = Vec::new();
    let mut prices = Vec::new();
    for item in items {
        let piece = Piece {
            weight: Weight::grams(item.weight).expect("weight"),
            purity: Purity::per_mille(item.purity).expect("purity"),
            wage: WageRate::from_wire(item.wage_rate).expect("wage"),
            stones: Rial::whole(item.stones).expect("stones"),
        };
        let (p, off) = price_piece_with(&piece, &rates, discount).expect("price");
        prices.push(p);
        lines.push(SaleLine {
            item_id: item.item_id,
            tag: item.tag.clone(),
            name: item.name.clone(),
            weight: item.weight,
            purity: item.purity,
            wage_rate: item.wage_rate,
            profit_percent: Decimal::from(7),
            stones: item.stones,
            gold: p.gold.decimal(),
            wage: p.wage.decimal(),
            profit: p.profit.decimal(),
            vat: p.vat.decimal(),
            total: p.total.decimal(),
            wage_discount: off.wage.decimal(),
            profit_discount: off.profit.decimal(),
        });
    }
    let due: Rial = prices.iter().map(|p| p.total).sum();
    let payments = vec![(PaymentMethod::Cash, due)];
    let t = settle(&prices, &[], &payments).expect("settles");
    book.invoice_no += 1;
    let sale_id = Uuid::now_v7();
    let link = book.next_link(&format!("sale {sale_id} {}", t.total));
    SalePayload {
        sale_id,
        invoice_no: book.invoice_no,
        sold_at: at,
        customer_id: None,
        gold_price: GoldPriceRef { id: price_id, per_gram_18k },
        vat_percent: vat,
        lines,
        trade_ins: Vec::new(),
        payments: vec![Payment { method: PaymentMethod::Cash, amount: due.decimal() }],
        totals: t.to_wire(),
        journal: link,
        approval: None,
        discount_approved_by: None,
        layaway_id: None,
    }
}

/// A person as the owner adds them. Any argon2id PHC string will do: the
/// server keeps the hash and never checks a PIN.
pub fn person(name: &str, role: Role, discount_limit_percent: u32) -> PersonPayload {
    PersonPayload {
        person_id: Uuid::now_v7(),
        name: name.into(),
        role,
        pin_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ${name}"),
        active: true,
        discount_limit_percent: Decimal::from(discount_limit_percent),
    }
}

/// The person named on an op they make.
pub fn by(p: &PersonPayload) -> Option<PersonRef> {
    Some(PersonRef { id: p.person_id, name: p.name.clone() })
}

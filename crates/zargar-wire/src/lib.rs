//! The sync protocol's wire types (see `docs/` and the design's
//! `sync-protocol.md`). Serde only: no IO, no storage, no HTTP.
//!
//! Amounts, weights, purities and rates are decimal strings (never JSON
//! numbers, which readers may turn into floats); ids are UUIDs; unknown
//! fields are ignored on read so that a newer peer can add fields.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The version of these types; the server answers 426 to one it cannot read.
pub const SCHEMA_VERSION: u32 = 1;

/// One operation recorded on a till, in its outbox, to be pushed once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    /// UUIDv7, the idempotency key.
    pub op_id: Uuid,
    /// Gapless per-device counter, 1, 2, 3…
    pub seq: u64,
    /// The sale, item, customer or price the op is about.
    pub entity_id: Uuid,
    /// The till's clock: for display only, never for ordering.
    pub device_time: DateTime<Utc>,
    /// What the till believed when it recorded the op.
    #[serde(default)]
    pub base: Base,
    #[serde(flatten)]
    pub body: OpBody,
}

/// The kind of an op and its payload: `{"kind": "sale.create", "payload": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload")]
pub enum OpBody {
    #[serde(rename = "sale.create")]
    SaleCreate(Box<SalePayload>),
    #[serde(rename = "sale.return")]
    SaleReturn(ReturnPayload),
    #[serde(rename = "customer.upsert")]
    CustomerUpsert(CustomerPayload),
    #[serde(rename = "item.upsert")]
    ItemUpsert(ItemPayload),
    #[serde(rename = "gold_price.set")]
    GoldPriceSet(GoldPricePayload),
}

impl OpBody {
    /// The kind as it stands on the wire and in the outbox.
    pub fn kind(&self) -> &'static str {
        match self {
            OpBody::SaleCreate(_) => "sale.create",
            OpBody::SaleReturn(_) => "sale.return",
            OpBody::CustomerUpsert(_) => "customer.upsert",
            OpBody::ItemUpsert(_) => "item.upsert",
            OpBody::GoldPriceSet(_) => "gold_price.set",
        }
    }
}

/// What the till believed: lets the server tell a stale view from a conflict.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Base {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemVersion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gold_price_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemVersion {
    pub item_id: Uuid,
    pub version: u64,
}

/// How the making charge (اجرت ساخت) of a piece is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Wage {
    /// A percentage of the gold value.
    Percent(Decimal),
    /// Rial per gram of the piece.
    PerGram(Decimal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    Card,
    Transfer,
    Cheque,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    InStock,
    SoldPending,
    Sold,
    Reserved,
    Repair,
    Returned,
}

/// The gold price a sale was priced from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldPriceRef {
    pub id: Uuid,
    /// Rial per gram of 18k (purity 750).
    pub per_gram_18k: Decimal,
}

/// The tamper-evident journal entry that recorded an op on the till.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalLink {
    pub index: u64,
    /// Hex SHA-256 of the previous entry (zeros for the first).
    pub prev_hash: String,
    /// Hex SHA-256 of this entry's content.
    pub content_hash: String,
    /// Hex SHA-256 of this entry (index, prev_hash, content_hash).
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalePayload {
    pub sale_id: Uuid,
    /// Gapless per till.
    pub invoice_no: u64,
    pub sold_at: DateTime<Utc>,
    #[serde(default)]
    pub customer_id: Option<Uuid>,
    pub gold_price: GoldPriceRef,
    pub vat_percent: Decimal,
    pub lines: Vec<SaleLine>,
    #[serde(default)]
    pub trade_ins: Vec<TradeIn>,
    #[serde(default)]
    pub payments: Vec<Payment>,
    pub totals: SaleTotals,
    pub journal: JournalLink,
}

/// One piece sold, with the inputs it was priced from and the parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleLine {
    pub item_id: Uuid,
    pub tag: String,
    pub name: String,
    pub weight: Decimal,
    pub purity: Decimal,
    pub wage_rate: Wage,
    pub profit_percent: Decimal,
    pub stones: Decimal,
    pub gold: Decimal,
    pub wage: Decimal,
    pub profit: Decimal,
    pub vat: Decimal,
    pub total: Decimal,
}

/// Old gold bought back and netted on the invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeIn {
    pub weight: Decimal,
    pub purity: Decimal,
    pub deduction_percent: Decimal,
    pub buy_price_18k: Decimal,
    pub value: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    pub method: PaymentMethod,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleTotals {
    pub gold: Decimal,
    pub wage: Decimal,
    pub profit: Decimal,
    pub vat: Decimal,
    pub stones: Decimal,
    pub total: Decimal,
    pub trade_in: Decimal,
    /// total − trade_in: what the customer owes (negative: the shop pays).
    pub due: Decimal,
    pub paid: Decimal,
    pub change: Decimal,
}

/// A return (credit note) of some lines of an earlier sale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnPayload {
    pub return_id: Uuid,
    pub sale_id: Uuid,
    /// The credit note's number, gapless per till.
    pub return_no: u64,
    pub returned_at: DateTime<Utc>,
    pub item_ids: Vec<Uuid>,
    pub refund: Decimal,
    pub refund_method: PaymentMethod,
    #[serde(default)]
    pub reason: Option<String>,
    pub journal: JournalLink,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerPayload {
    pub customer_id: Uuid,
    pub name: String,
    #[serde(default)]
    pub mobile: Option<String>,
    #[serde(default)]
    pub national_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemPayload {
    pub item_id: Uuid,
    pub tag: String,
    #[serde(default)]
    pub barcode: Option<String>,
    pub name: String,
    #[serde(default)]
    pub category: Option<String>,
    pub weight: Decimal,
    pub purity: Decimal,
    pub wage_rate: Wage,
    pub stones: Decimal,
    pub status: ItemStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldPricePayload {
    pub price_id: Uuid,
    pub per_gram_18k: Decimal,
    /// The mesghal quote the price was derived from, when it was.
    #[serde(default)]
    pub mazaneh: Option<Decimal>,
    pub set_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).expect("test decimal")
    }

    #[test]
    fn op_round_trips_with_kind_and_payload_and_decimal_strings() {
        let op = Op {
            op_id: Uuid::now_v7(),
            seq: 7,
            entity_id: Uuid::now_v7(),
            device_time: Utc::now(),
            base: Base::default(),
            body: OpBody::GoldPriceSet(GoldPricePayload {
                price_id: Uuid::now_v7(),
                per_gram_18k: dec("80000000"),
                mazaneh: None,
                set_at: Utc::now(),
            }),
        };
        let json = serde_json::to_value(&op).expect("serialize");
        assert_eq!(json["kind"], "gold_price.set");
        assert_eq!(json["payload"]["per_gram_18k"], "80000000");
        let back: Op = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, op);
    }

    #[test]
    fn unknown_fields_are_tolerated_and_numbers_refused_for_amounts() {
        let id = Uuid::now_v7();
        let ok = serde_json::json!({
            "price_id": id, "per_gram_18k": "1000", "set_at": "2025-03-21T00:00:00Z",
            "from_the_future": true
        });
        assert!(serde_json::from_value::<GoldPricePayload>(ok).is_ok());
        let float = serde_json::json!({
            "price_id": id, "per_gram_18k": 1000.5, "set_at": "2025-03-21T00:00:00Z"
        });
        assert!(serde_json::from_value::<GoldPricePayload>(float).is_err());
    }

    #[test]
    fn wage_is_tagged() {
        let json = serde_json::to_value(Wage::PerGram(dec("1500000"))).expect("serialize");
        assert_eq!(json, serde_json::json!({"kind": "per_gram", "value": "1500000"}));
    }
}

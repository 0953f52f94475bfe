//! An op recorded on a till, and its payloads: a sale, a return, a customer,
//! a piece, a gold price, a resolution.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{PersonPayload, PersonRef};

/// One operation recorded on a till, in its outbox, to be pushed once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// The person signed in at the till, when the shop has people: the
    /// server checks their role and records them. Absent for a shop run by
    /// its owner alone, as before people existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<PersonRef>,
    #[serde(flatten)]
    pub body: OpBody,
}

/// The kind of an op and its payload: `{"kind": "sale.create", "payload": {…}}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    #[serde(rename = "conflict.resolve")]
    ConflictResolve(ResolvePayload),
    /// The owner adds a person or changes one (role, PIN, limit, leaving).
    #[serde(rename = "person.upsert")]
    PersonUpsert(PersonPayload),
    /// A shift closed at the till, with its Z report.
    #[serde(rename = "shift.close")]
    ShiftClose(crate::ShiftPayload),
    /// A movement of a customer's account made at the till (not a sale's).
    #[serde(rename = "account.move")]
    AccountMove(crate::AccountMovePayload),
    /// A sale's part on account split into installments.
    #[serde(rename = "installment.plan")]
    InstallmentPlan(crate::InstallmentPlanPayload),
    /// Pieces put aside for a customer, or the cancelling of it.
    #[serde(rename = "layaway.set")]
    Layaway(crate::LayawayPayload),
}

impl OpBody {
    pub const SALE_CREATE: &'static str = "sale.create";
    pub const CONFLICT_RESOLVE: &'static str = "conflict.resolve";
    pub const PERSON_UPSERT: &'static str = "person.upsert";
    pub const SHIFT_CLOSE: &'static str = "shift.close";
    pub const ACCOUNT_MOVE: &'static str = "account.move";
    pub const INSTALLMENT_PLAN: &'static str = "installment.plan";
    pub const LAYAWAY: &'static str = "layaway.set";

    /// The kind as it stands on the wire and in the outbox.
    pub fn kind(&self) -> &'static str {
        match self {
            OpBody::SaleCreate(_) => Self::SALE_CREATE,
            OpBody::SaleReturn(_) => "sale.return",
            OpBody::CustomerUpsert(_) => "customer.upsert",
            OpBody::ItemUpsert(_) => "item.upsert",
            OpBody::GoldPriceSet(_) => "gold_price.set",
            OpBody::ConflictResolve(_) => Self::CONFLICT_RESOLVE,
            OpBody::PersonUpsert(_) => Self::PERSON_UPSERT,
            OpBody::ShiftClose(_) => Self::SHIFT_CLOSE,
            OpBody::AccountMove(_) => Self::ACCOUNT_MOVE,
            OpBody::InstallmentPlan(_) => Self::INSTALLMENT_PLAN,
            OpBody::Layaway(_) => Self::LAYAWAY,
        }
    }

    /// The payload alone as JSON text, as a till's outbox keeps it beside
    /// the kind (`from_parts` reads it back).
    pub fn payload_json(&self) -> serde_json::Result<String> {
        match self {
            OpBody::SaleCreate(p) => serde_json::to_string(p),
            OpBody::SaleReturn(p) => serde_json::to_string(p),
            OpBody::CustomerUpsert(p) => serde_json::to_string(p),
            OpBody::ItemUpsert(p) => serde_json::to_string(p),
            OpBody::GoldPriceSet(p) => serde_json::to_string(p),
            OpBody::ConflictResolve(p) => serde_json::to_string(p),
            OpBody::PersonUpsert(p) => serde_json::to_string(p),
            OpBody::ShiftClose(p) => serde_json::to_string(p),
            OpBody::AccountMove(p) => serde_json::to_string(p),
            OpBody::InstallmentPlan(p) => serde_json::to_string(p),
            OpBody::Layaway(p) => serde_json::to_string(p),
        }
    }
}

/// What the till believed: lets the server tell a stale view from a conflict.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Base {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemVersion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gold_price_id: Option<Uuid>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemVersion {
    pub item_id: Uuid,
    pub version: u64,
}

/// How the making charge (اجرت ساخت) of a piece is set.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Wage {
    /// A percentage of the gold value.
    Percent(Decimal),
    /// Rial per gram of the piece.
    PerGram(Decimal),
}

crate::coded! {
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum PaymentMethod {
        Cash = "cash",
        Card = "card",
        Transfer = "transfer",
        Cheque = "cheque",
        /// Left on the customer's account: taken from their credit, or owed.
        Account = "account",
        /// The value of pieces returned in an exchange, carried to the new sale
        /// of the same exchange: no money moves, so it nets to zero in the day.
        ExchangeCredit = "exchange_credit",
    }
}

crate::coded! {
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum ItemStatus {
        InStock = "in_stock",
        /// Sold on a till, not yet acknowledged by the server.
        SoldPending = "sold_pending",
        Sold = "sold",
        Reserved = "reserved",
        Repair = "repair",
        Returned = "returned",
    }
}

/// The gold price a sale was priced from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldPriceRef {
    pub id: Uuid,
    /// Rial per gram of 18k (purity 750).
    pub per_gram_18k: Decimal,
}

/// The tamper-evident journal entry that recorded an op on the till.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The owner's PIN, given at the till for a sale over one of the shop's
    /// offline limits; the server audits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// The manager or owner whose PIN let a cashier's discount past their
    /// limit; the server checks the discount against the shop's people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_approved_by: Option<crate::PersonRef>,
    /// The layaway this sale completes: its pieces, reserved for the
    /// customer, are sold to them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layaway_id: Option<Uuid>,
}

crate::coded! {
    /// Which of the shop's limits a sale went past, with the owner's PIN.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum ApprovalReason {
        /// One sale larger than the shop's largest offline sale, made offline.
        OfflineSale = "offline_sale_limit",
        /// The till's unsent sales past the shop's maximum.
        UnsentTotal = "unsent_total_limit",
    }
}

/// Who let a sale past a limit, and which limit.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// The owner's name as the till knows it.
    pub by: String,
    pub reason: ApprovalReason,
    /// The limit passed, in Rial.
    pub limit: Decimal,
}

/// One piece sold, with the inputs it was priced from and the parts.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Taken off the making charge and the profit (Rials); `wage` and
    /// `profit` above are what is left.
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub wage_discount: Decimal,
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub profit_discount: Decimal,
}

/// Old gold bought back and netted on the invoice.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeIn {
    pub weight: Decimal,
    pub purity: Decimal,
    pub deduction_percent: Decimal,
    pub buy_price_18k: Decimal,
    pub value: Decimal,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    pub method: PaymentMethod,
    pub amount: Decimal,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnPayload {
    pub return_id: Uuid,
    pub sale_id: Uuid,
    /// The credit note's number, gapless per till.
    pub return_no: u64,
    pub returned_at: DateTime<Utc>,
    pub item_ids: Vec<Uuid>,
    pub refund: Decimal,
    /// The largest part of the refund's split (what older readers show).
    pub refund_method: PaymentMethod,
    /// How the refund was given back, by method; sums to `refund`.
    #[serde(default)]
    pub refunds: Vec<Payment>,
    /// In an exchange: the new sale the returned value went to.
    #[serde(default)]
    pub exchange_sale_id: Option<Uuid>,
    #[serde(default)]
    pub reason: Option<String>,
    pub journal: JournalLink,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerPayload {
    pub customer_id: Uuid,
    pub name: String,
    #[serde(default)]
    pub mobile: Option<String>,
    #[serde(default)]
    pub national_id: Option<String>,
    /// A buyer's economic code (14 digits), for a business that buys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub economic_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// How far the customer's Rial balance may go below zero; set by a
    /// manager or the owner. Zero: no debt.
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub credit_limit: Decimal,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// While sold: the name of the till that sold it, for "sold at …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold_by: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldPricePayload {
    pub price_id: Uuid,
    pub per_gram_18k: Decimal,
    /// The mesghal quote the price was derived from, when it was.
    #[serde(default)]
    pub mazaneh: Option<Decimal>,
    pub set_at: DateTime<Utc>,
    /// Whose price it is: the shop's (sales are judged against it) or one
    /// till's own. A till that sends no scope sent its own, as before.
    #[serde(default)]
    pub scope: PriceScope,
    /// Who set it: the owner's name as the till knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_by: Option<String>,
    /// The till it was set at, by name; filled in by the server, absent for
    /// a price set on the server itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_at_till: Option<String>,
}

crate::coded! {
    /// Whose gold price: the shop's, which every till sells at and the server
    /// judges sales against, or a price one till entered for itself.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[derive(Default)]
    pub enum PriceScope {
        /// Set by the owner (at a till, with the owner's PIN, or on the server).
        Shop = "shop",
        /// Entered at one till by someone else: it stays on that till.
        #[default]
        Till = "till",
    }
}

crate::coded! {
    /// Where a stored price came from: entered at a till, or set for the
    /// shop on its server (pulled by the tills).
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum PriceOrigin {
        Till = "till",
        Server = "server",
    }
}

/// The owner's decision on a conflict, sent as a `conflict.resolve` op that
/// names the op it settles. Every resolution lands in the server's audit log.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolvePayload {
    /// The op that was parked as a conflict.
    pub conflict_op_id: Uuid,
    pub resolution: Resolution,
    /// Who decided: the owner's name as the till knows it.
    pub resolved_by: String,
    #[serde(default)]
    pub reason: Option<String>,
    /// For `resubmit`: the edited sale that replaces the parked one.
    #[serde(default)]
    pub replacement: Option<Box<SalePayload>>,
    /// For a resubmit that changed what the customer owes: how the
    /// difference was settled at the counter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_change: Option<DueChange>,
}

/// A change in what the customer owes, settled in one method: `amount` is
/// positive when more was collected, negative when the shop paid back.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueChange {
    pub amount: Decimal,
    pub method: PaymentMethod,
}

crate::coded! {
    /// Its code stands in audit entries and message ids (`resolution-<code>`).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum Resolution {
        /// The owner overrides the check, with a reason; the sale stands.
        Accept = "accept",
        /// The sale is cancelled on both sides; its pieces are released.
        Void = "void",
        /// An edited sale replaces the parked one.
        Resubmit = "resubmit",
        /// Check the same op again (after something was fixed on the server).
        Retry = "retry",
    }
}

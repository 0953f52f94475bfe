//! The sync protocol's wire types (see `docs/` and the design's
//! `sync-protocol.md`). Serde only: no IO, no storage, no HTTP.
//!
//! Amounts, weights, purities and rates are decimal strings (never JSON
//! numbers, which readers may turn into floats); ids are UUIDs; unknown
//! fields are ignored on read so that a newer peer can add fields.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The version of these types; the server answers 426 to one it cannot read.
pub const SCHEMA_VERSION: u32 = 1;

// Ops are read by hand (`op_de.rs`), written by serde.
mod op_de;
// The `coded!` macro: enums with one code per variant.
mod coded;

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
            OpBody::ConflictResolve(_) => "conflict.resolve",
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

coded! {
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum PaymentMethod {
        Cash = "cash",
        Card = "card",
        Transfer = "transfer",
        Cheque = "cheque",
        /// The value of pieces returned in an exchange, carried to the new sale
        /// of the same exchange: no money moves, so it nets to zero in the day.
        ExchangeCredit = "exchange_credit",
    }
}

coded! {
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

coded! {
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

coded! {
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

coded! {
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

// ---------------------------------------------------------------- enrolment

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    /// The single-use code the owner created on the server.
    pub code: String,
    /// UUIDv7 chosen by the till.
    pub device_id: Uuid,
    /// The till's name, as the shop calls it ("counter 2").
    pub name: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    /// Sent as `Authorization: Bearer <device_token>` on every other call.
    /// Shown once: the server keeps only its SHA-256.
    pub device_token: String,
    pub device_id: Uuid,
    pub role: DeviceRole,
    pub tenant: TenantRef,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRef {
    pub id: Uuid,
    pub name: String,
}

coded! {
    /// What a device may do. A till pushes and pulls; the owner's device may
    /// also read every till's conflicts and export the shop's sales.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum DeviceRole {
        Till = "till",
        Owner = "owner",
    }
}

// ---------------------------------------------------------------- push

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    /// Must be the device the token was issued to.
    pub device_id: Uuid,
    pub app_version: String,
    pub schema_version: u32,
    /// In `seq` order; at most [`MAX_OPS_PER_PUSH`].
    pub ops: Vec<Op>,
}

/// Ops in one push; more is answered with 413.
pub const MAX_OPS_PER_PUSH: usize = 500;
/// Bytes in one request body, after decompression; more is answered with 413.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// The device's last seq the server holds a result for.
    pub acked_seq: u64,
    pub server_time: DateTime<Utc>,
    pub results: Vec<OpResult>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpResult {
    pub op_id: Uuid,
    pub seq: u64,
    pub status: OpStatus,
    /// With `duplicate`: what the op's first push was answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_status: Option<OpStatus>,
    /// The server's id of what the op created or changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<Conflict>,
}

coded! {
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum OpStatus {
        Applied = "applied",
        /// Seen before: the stored result is answered again, nothing is applied.
        Duplicate = "duplicate",
        /// Parked for the owner; the seq still advances.
        Conflict = "conflict",
        /// The op can never apply (e.g. it resolves a conflict that is not open).
        Rejected = "rejected",
    }
}

coded! {
    /// Where an op recorded on a till stands with the server, as the till
    /// keeps it.
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum SyncState {
        Pending = "pending",
        Acked = "acked",
        Conflict = "conflict",
        /// The server refused the op outright.
        Rejected = "rejected",
        /// A conflicted sale the owner cancelled.
        Voided = "voided",
    }
}

/// A business conflict: a result, not an error.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub kind: ConflictKind,
    /// The Fluent id of the message that explains it (`conflict-<kind>`).
    pub message_key: String,
    /// What the server holds that disagrees with the till.
    pub server_state: ServerState,
    /// The resolutions that make sense for it.
    pub options: Vec<Resolution>,
}

coded! {
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum ConflictKind {
        ItemAlreadySold = "item_already_sold",
        ItemUnknown = "item_unknown",
        PriceOutOfTolerance = "price_out_of_tolerance",
        CustomerDuplicate = "customer_duplicate",
        ItemTagTaken = "item_tag_taken",
        JournalBroken = "journal_broken",
        ValidationFailed = "validation_failed",
    }
}

/// The server's side of a conflict; only the fields that apply are set.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerState {
    /// The piece in question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_status: Option<ItemStatus>,
    /// The sale that holds the piece, and the till that made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold_in_sale: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold_by_device: Option<Uuid>,
    /// That till's name, so the owner reads "صندوق ۲", not an id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold_by_device_name: Option<String>,
    /// The server's 18k price for the time of the sale, and the tolerance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_gram_18k: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance_percent: Option<Decimal>,
    /// The customer the offline one matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<Uuid>,
    /// The journal entry the server expected next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_journal_index: Option<u64>,
    /// What failed, for `validation_failed`: field and rule, in English.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

// ---------------------------------------------------------------- pull

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// Opaque: send it back as `cursor` on the next pull.
    pub next_cursor: String,
    pub has_more: bool,
}

/// Pull pages hold at most this many changes.
pub const MAX_PULL_LIMIT: u32 = 1000;

/// One entry of the tenant's change log.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub id: Uuid,
    pub version: u64,
    pub op: ChangeOp,
    #[serde(flatten)]
    pub data: ChangeData,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    Upsert,
    Delete,
}

/// `{"entity": "item", "data": {…}}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entity", content = "data", rename_all = "snake_case")]
pub enum ChangeData {
    Item(ItemPayload),
    GoldPrice(GoldPricePayload),
    Customer(CustomerPayload),
    Settings(TenantSettings),
    Conflict(Box<ConflictState>),
}

/// The shop's policy, set by the owner on the server and sent in pull.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantSettings {
    /// VAT rates with the Tehran day each takes effect, oldest first.
    pub vat: Vec<VatRate>,
    pub profit_percent: Decimal,
    /// How far a sale's 18k price may be from the server's, in percent.
    pub price_tolerance_percent: Decimal,
    pub trade_in_deduction_percent: Decimal,
    /// Hours without a sync before the till warns.
    pub max_offline_hours: u32,
    /// The largest single sale a till may make offline, in Rial.
    pub max_offline_sale: Decimal,
    /// The most unsynced sales a till may hold, in Rial.
    pub max_unsynced_total: Decimal,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatRate {
    pub from: NaiveDate,
    pub percent: Decimal,
}

/// A conflict as every till of the shop sees it, so that one resolved on
/// the owner's till clears on the others.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictState {
    pub conflict_id: Uuid,
    /// The parked op, and the till that pushed it.
    pub op_id: Uuid,
    pub device_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    pub entity_id: Uuid,
    pub op_kind: String,
    pub conflict: Conflict,
    pub open: bool,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<ResolutionRecord>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolutionRecord {
    pub resolution: Resolution,
    pub resolved_by: String,
    pub resolved_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The op that carried the resolution.
    pub op_id: Uuid,
}

// ---------------------------------------------------------------- other reads

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusResponse {
    pub device_id: Uuid,
    pub device_name: String,
    pub role: DeviceRole,
    pub tenant: TenantRef,
    /// The device's last seq the server holds a result for.
    pub acked_seq: u64,
    /// Open conflicts of this device's ops.
    pub open_conflicts: u64,
    pub server_time: DateTime<Utc>,
    pub schema_version: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictsResponse {
    pub conflicts: Vec<ConflictState>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldPriceResponse {
    /// The shop's newest price; absent before the first is set.
    pub price: Option<GoldPricePayload>,
}

/// One exported sale line. CSV export has these columns, in this order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportRow {
    pub sale_id: Uuid,
    pub invoice_no: u64,
    pub device_id: Uuid,
    pub device_name: String,
    pub sold_at: DateTime<Utc>,
    pub line_no: u32,
    pub item_id: Uuid,
    pub tag: String,
    pub name: String,
    pub weight: Decimal,
    pub purity: Decimal,
    pub per_gram_18k: Decimal,
    pub gold: Decimal,
    pub wage: Decimal,
    pub profit: Decimal,
    pub vat: Decimal,
    pub stones: Decimal,
    pub total: Decimal,
    /// `applied`, `conflict`, `accepted` or `voided`.
    pub sync_status: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportResponse {
    pub rows: Vec<ExportRow>,
}

/// Every error the server answers: a stable `code` to branch on and an
/// English `message` for logs; the till shows its own words for the code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    /// With 409: the seq the server expects next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_seq: Option<u64>,
    /// With 410: the cursor is too old; pull again from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset: Option<bool>,
    /// With 429 and 503, as the `Retry-After` header also says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
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
                scope: PriceScope::Till,
                set_by: None,
                set_at_till: None,
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

    #[test]
    fn a_change_is_flat_with_its_entity_and_data() {
        let id = Uuid::now_v7();
        let change = Change {
            id,
            version: 3,
            op: ChangeOp::Upsert,
            data: ChangeData::GoldPrice(GoldPricePayload {
                price_id: id,
                per_gram_18k: dec("80000000"),
                mazaneh: None,
                set_at: Utc::now(),
                scope: PriceScope::Till,
                set_by: None,
                set_at_till: None,
            }),
        };
        let json = serde_json::to_value(&change).expect("serialize");
        assert_eq!(json["entity"], "gold_price");
        assert_eq!(json["op"], "upsert");
        assert_eq!(json["version"], 3);
        assert_eq!(json["data"]["per_gram_18k"], "80000000");
        assert_eq!(serde_json::from_value::<Change>(json).expect("deserialize"), change);
    }

    #[test]
    fn conflict_kinds_round_trip_through_their_codes() {
        for kind in [ConflictKind::ItemAlreadySold, ConflictKind::JournalBroken, ConflictKind::ValidationFailed] {
            let json = serde_json::to_value(kind).expect("serialize");
            assert_eq!(json, kind.code());
            assert_eq!(ConflictKind::from_code(kind.code()), Some(kind));
        }
    }
}

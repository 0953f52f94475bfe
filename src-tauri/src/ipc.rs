//! The types that cross the IPC boundary, and their TypeScript twins.
//!
//! The UI gets plain shapes: money, weights and percents as decimal
//! strings (a float would lose Rials), instants as RFC 3339. `bindings()`
//! renders every type as TypeScript; a test fails when
//! `ui/src/lib/bindings.ts` no longer matches.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zargar_core::error::Arg;
use zargar_core::gold_price::{GoldPrice, PriceChange, PriceOrigin as CorePriceOrigin, PriceScope as CorePriceScope};
use zargar_core::item::{Item, ItemStatus as CoreItemStatus};
use zargar_core::pricing::{LinePrice, WageRate};
use zargar_core::sale::{
    PaymentInput, PaymentMethod as CorePaymentMethod, Sale, SaleLine, SyncState as CoreSyncState, Totals, TradeInLine,
};
use zargar_core::store::{
    DayEntry, DraftSale, EntryKind as CoreEntryKind, RecordedReturn, SalesReport, ShopSettings, TillAlert, TillConflict,
};
use zargar_core::sync::{EngineState as CoreEngineState, Phase, SyncStatus};
use zargar_core::wire::Resolution as CoreResolution;
use zargar_core::{Lang as CoreLang, money::DisplayUnit as CoreDisplayUnit};

fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    Fa,
    En,
}

impl From<CoreLang> for Lang {
    fn from(l: CoreLang) -> Lang {
        match l {
            CoreLang::Fa => Lang::Fa,
            CoreLang::En => Lang::En,
        }
    }
}

impl From<Lang> for CoreLang {
    fn from(l: Lang) -> CoreLang {
        match l {
            Lang::Fa => CoreLang::Fa,
            Lang::En => CoreLang::En,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DisplayUnit {
    Rial,
    Toman,
}

impl From<CoreDisplayUnit> for DisplayUnit {
    fn from(u: CoreDisplayUnit) -> DisplayUnit {
        match u {
            CoreDisplayUnit::Rial => DisplayUnit::Rial,
            CoreDisplayUnit::Toman => DisplayUnit::Toman,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ArgKind {
    Text,
    Money,
    Number,
    Message,
}

/// One argument of a localized message. money: Rials as a decimal string;
/// number: a decimal string; message: a Fluent id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MessageArg {
    pub name: String,
    pub kind: ArgKind,
    pub value: String,
}

/// A message the UI renders through Fluent: errors, warnings, alerts.
/// `code` is stable, for branching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Localized {
    pub code: String,
    pub message_key: String,
    pub args: Vec<MessageArg>,
}

impl Localized {
    pub fn new(code: &str, message_key: String, args: Vec<(&'static str, Arg)>) -> Localized {
        let args = args
            .into_iter()
            .map(|(name, arg)| {
                let (kind, value) = match arg {
                    Arg::Text(t) => (ArgKind::Text, t),
                    Arg::Money(r) => (ArgKind::Money, r.decimal().to_string()),
                    Arg::Number(d) => (ArgKind::Number, d.normalize().to_string()),
                    Arg::Message(id) => (ArgKind::Message, id),
                };
                MessageArg { name: name.to_owned(), kind, value }
            })
            .collect();
        Localized { code: code.to_owned(), message_key, args }
    }
}

impl From<&TillAlert> for Localized {
    fn from(a: &TillAlert) -> Localized {
        Localized::new(a.code(), a.message_id(), a.args())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub lang: Lang,
    pub unit: DisplayUnit,
    pub till_name: String,
    pub shop: Option<String>,
    pub server_url: Option<String>,
    pub enrolled: bool,
    pub owner_pin_set: bool,
    pub owner_unlocked: bool,
    pub owner_name: Option<String>,
    /// The shop's server named by the fleet preset, for the enrolment form.
    pub suggested_server_url: Option<String>,
    /// What IT should know at start: a malformed preset (with its line), an
    /// enrolment from the preset that failed.
    pub notices: Vec<Localized>,
    /// The kinds of piece, by code (shown as `category-<code>`).
    pub categories: Vec<String>,
}

/// Where the in-app updater stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UpdateState {
    /// This build has no update key, or the preset names no endpoint.
    NotConfigured,
    /// Not installed from a .deb or .rpm: IT updates this copy another way.
    NotPackaged,
    Checking,
    Current,
    Available,
    Installing,
    /// Installed; the new version runs from the next start.
    Installed,
    /// The last check failed (see `error`); the running version goes on.
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UpdateView {
    pub state: UpdateState,
    pub current_version: String,
    /// The version on offer (or just installed).
    pub version: Option<String>,
    pub notes: Option<String>,
    pub endpoint: Option<String>,
    pub checked_at: Option<String>,
    pub error: Option<Localized>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    InStock,
    SoldPending,
    Sold,
    Reserved,
    Repair,
    Returned,
}

impl From<CoreItemStatus> for ItemStatus {
    fn from(s: CoreItemStatus) -> ItemStatus {
        match s {
            CoreItemStatus::InStock => ItemStatus::InStock,
            CoreItemStatus::SoldPending => ItemStatus::SoldPending,
            CoreItemStatus::Sold => ItemStatus::Sold,
            CoreItemStatus::Reserved => ItemStatus::Reserved,
            CoreItemStatus::Repair => ItemStatus::Repair,
            CoreItemStatus::Returned => ItemStatus::Returned,
        }
    }
}

impl From<zargar_core::wire::ItemStatus> for ItemStatus {
    fn from(s: zargar_core::wire::ItemStatus) -> ItemStatus {
        use zargar_core::wire::ItemStatus as W;
        match s {
            W::InStock => ItemStatus::InStock,
            W::SoldPending => ItemStatus::SoldPending,
            W::Sold => ItemStatus::Sold,
            W::Reserved => ItemStatus::Reserved,
            W::Repair => ItemStatus::Repair,
            W::Returned => ItemStatus::Returned,
        }
    }
}

impl From<ItemStatus> for CoreItemStatus {
    fn from(s: ItemStatus) -> CoreItemStatus {
        match s {
            ItemStatus::InStock => CoreItemStatus::InStock,
            ItemStatus::SoldPending => CoreItemStatus::SoldPending,
            ItemStatus::Sold => CoreItemStatus::Sold,
            ItemStatus::Reserved => CoreItemStatus::Reserved,
            ItemStatus::Repair => CoreItemStatus::Repair,
            ItemStatus::Returned => CoreItemStatus::Returned,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WageKind {
    Percent,
    PerGram,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WageView {
    pub kind: WageKind,
    pub value: String,
}

impl From<WageRate> for WageView {
    fn from(w: WageRate) -> WageView {
        match w {
            WageRate::Percent(p) => WageView { kind: WageKind::Percent, value: p.decimal().normalize().to_string() },
            WageRate::PerGram(r) => WageView { kind: WageKind::PerGram, value: r.decimal().to_string() },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ItemView {
    pub id: String,
    pub tag: String,
    pub barcode: Option<String>,
    pub name: String,
    pub category: Option<String>,
    pub weight: String,
    pub purity: String,
    pub wage: WageView,
    pub stones: String,
    pub status: ItemStatus,
    pub updated_at: String,
}

impl From<Item> for ItemView {
    fn from(i: Item) -> ItemView {
        ItemView {
            id: i.id.to_string(),
            tag: i.tag,
            barcode: i.barcode,
            name: i.name,
            category: i.category,
            weight: i.weight.decimal().to_string(),
            purity: i.purity.decimal().normalize().to_string(),
            wage: i.wage.into(),
            stones: i.stones.decimal().to_string(),
            status: i.status.into(),
            updated_at: at(i.updated_at),
        }
    }
}

/// Where this till prints. receipt_kind: how the receipt printer is reached
/// (null: none set, the system's dialog is used); label_size: the roll's
/// WIDTHxHEIGHT in mm, label_sizes: the common rolls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PrintersView {
    pub receipt: Option<String>,
    pub receipt_kind: Option<ReceiptKind>,
    pub office: Option<String>,
    pub label: Option<String>,
    pub label_size: String,
    pub label_sizes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptKind {
    Network,
    Usb,
    Cups,
}

impl From<zargar_core::store::Printers> for PrintersView {
    fn from(p: zargar_core::store::Printers) -> PrintersView {
        use zargar_core::print::ReceiptPrinter;
        PrintersView {
            receipt_kind: p.receipt.as_ref().map(|r| match r {
                ReceiptPrinter::Network { .. } => ReceiptKind::Network,
                ReceiptPrinter::Usb { .. } => ReceiptKind::Usb,
                ReceiptPrinter::Cups { .. } => ReceiptKind::Cups,
            }),
            receipt: p.receipt.map(|r| r.to_string()),
            office: p.office.map(|t| t.to_string()),
            label: p.label.map(|t| t.to_string()),
            label_size: p.label_size.to_string(),
            label_sizes: zargar_core::label::LabelSize::PRESETS.iter().map(ToString::to_string).collect(),
        }
    }
}

/// The printers as typed in Settings; an empty field means none.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct PrintersInput {
    pub receipt: String,
    pub office: String,
    pub label: String,
    pub label_size: String,
}

/// A receipt drawn by the UI: width × height dots, rows packed 1 bit per
/// dot (MSB first, 1 = black), base64.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct RasterInput {
    pub width: u32,
    pub height: u32,
    pub bits: String,
}

/// A receipt that printed; paper_near_end: the printer said its roll is nearly done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PrintedView {
    pub paper_near_end: bool,
}

/// Where a page goes: the office printer (A5 invoices) or the label printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PagePrinter {
    Office,
    Label,
}

/// Tag labels for printing: each an SVG of width_mm × height_mm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LabelSheetView {
    pub width_mm: u32,
    pub height_mm: u32,
    pub labels: Vec<LabelView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LabelView {
    pub tag: String,
    pub svg: String,
}

/// A piece as typed in the inventory form. original: the tag of the piece
/// being edited, null for a new one; wage_value: a percent or, per gram, an
/// amount in the display unit; stones: in the display unit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ItemInput {
    pub original: Option<String>,
    pub tag: String,
    pub barcode: Option<String>,
    pub name: String,
    pub category: Option<String>,
    pub weight: String,
    pub purity: String,
    pub wage_kind: WageKind,
    pub wage_value: String,
    pub stones: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ItemQuery {
    pub search: Option<String>,
    pub status: Option<ItemStatus>,
    #[ts(type = "number | null")]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    Card,
    Transfer,
    Cheque,
    /// Shown, never chosen: the returned pieces' value paying an exchange.
    ExchangeCredit,
}

impl From<CorePaymentMethod> for PaymentMethod {
    fn from(m: CorePaymentMethod) -> PaymentMethod {
        match m {
            CorePaymentMethod::Cash => PaymentMethod::Cash,
            CorePaymentMethod::Card => PaymentMethod::Card,
            CorePaymentMethod::Transfer => PaymentMethod::Transfer,
            CorePaymentMethod::Cheque => PaymentMethod::Cheque,
            CorePaymentMethod::ExchangeCredit => PaymentMethod::ExchangeCredit,
        }
    }
}

impl From<PaymentMethod> for CorePaymentMethod {
    fn from(m: PaymentMethod) -> CorePaymentMethod {
        match m {
            PaymentMethod::Cash => CorePaymentMethod::Cash,
            PaymentMethod::Card => CorePaymentMethod::Card,
            PaymentMethod::Transfer => CorePaymentMethod::Transfer,
            PaymentMethod::Cheque => CorePaymentMethod::Cheque,
            PaymentMethod::ExchangeCredit => CorePaymentMethod::ExchangeCredit,
        }
    }
}

/// amount as typed, in the till's display unit (Rial or Toman), Persian or ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct PaymentDraft {
    pub method: PaymentMethod,
    pub amount: String,
}

/// weight in grams, purity in thousandths (750), deduction percent or null for the shop's default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct TradeInDraft {
    pub weight: String,
    pub purity: String,
    pub deduction: Option<String>,
}

/// items: tags or barcodes as scanned; customer: id, mobile or national id, null for walk-in.
/// exchange: pieces of an earlier invoice coming back in this sale.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct SaleDraft {
    pub items: Vec<String>,
    pub customer: Option<String>,
    pub payments: Vec<PaymentDraft>,
    pub trade_ins: Vec<TradeInDraft>,
    #[serde(default)]
    pub exchange: Option<ExchangeDraft>,
}

/// tags: of the invoice, all its pieces not yet returned when empty.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ExchangeDraft {
    #[ts(type = "number")]
    pub invoice_no: u64,
    pub tags: Vec<String>,
}

/// refunds: amounts in the display unit by method; the default split (cash
/// first, never more by a method than was paid by it) when empty.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ReturnInput {
    #[ts(type = "number")]
    pub invoice_no: u64,
    pub tags: Vec<String>,
    pub refunds: Vec<PaymentDraft>,
    pub reason: Option<String>,
}

/// What a return would give back: room = what each method still holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReturnQuoteView {
    pub sale: SaleView,
    pub lines: Vec<LineView>,
    pub refund: String,
    pub room: Vec<PaymentView>,
    pub suggested: Vec<PaymentView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PriceView {
    pub gold: String,
    pub wage: String,
    pub profit: String,
    pub vat: String,
    pub stones: String,
    pub total: String,
}

impl From<LinePrice> for PriceView {
    fn from(p: LinePrice) -> PriceView {
        PriceView {
            gold: p.gold.decimal().to_string(),
            wage: p.wage.decimal().to_string(),
            profit: p.profit.decimal().to_string(),
            vat: p.vat.decimal().to_string(),
            stones: p.stones.decimal().to_string(),
            total: p.total.decimal().to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LineView {
    pub tag: String,
    pub name: String,
    pub weight: String,
    pub purity: String,
    pub wage_rate: WageView,
    pub profit_percent: String,
    pub price: PriceView,
    pub returned: bool,
}

impl From<&SaleLine> for LineView {
    fn from(l: &SaleLine) -> LineView {
        LineView {
            tag: l.tag.clone(),
            name: l.name.clone(),
            weight: l.weight.decimal().to_string(),
            purity: l.purity.decimal().normalize().to_string(),
            wage_rate: l.wage_rate.into(),
            profit_percent: l.profit_percent.decimal().normalize().to_string(),
            price: l.price.into(),
            returned: l.returned,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TradeInView {
    pub weight: String,
    pub purity: String,
    pub deduction: String,
    pub buy_price_18k: String,
    pub value: String,
}

impl From<&TradeInLine> for TradeInView {
    fn from(t: &TradeInLine) -> TradeInView {
        TradeInView {
            weight: t.weight.decimal().to_string(),
            purity: t.purity.decimal().normalize().to_string(),
            deduction: t.deduction.decimal().normalize().to_string(),
            buy_price_18k: t.buy_price_18k.decimal().to_string(),
            value: t.value.decimal().to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PaymentView {
    pub method: PaymentMethod,
    pub amount: String,
}

impl From<&PaymentInput> for PaymentView {
    fn from(p: &PaymentInput) -> PaymentView {
        PaymentView { method: p.method.into(), amount: p.amount.decimal().to_string() }
    }
}

/// change = paid − due; while drafting it is negative until the payments cover what is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TotalsView {
    pub gold: String,
    pub wage: String,
    pub profit: String,
    pub vat: String,
    pub stones: String,
    pub total: String,
    pub trade_in: String,
    pub due: String,
    pub paid: String,
    pub change: String,
}

impl From<&Totals> for TotalsView {
    fn from(t: &Totals) -> TotalsView {
        let s = |r: zargar_core::money::Rial| r.decimal().to_string();
        TotalsView {
            gold: s(t.gold),
            wage: s(t.wage),
            profit: s(t.profit),
            vat: s(t.vat),
            stones: s(t.stones),
            total: s(t.total),
            trade_in: s(t.trade_in),
            due: s(t.due),
            paid: s(t.paid),
            change: s(t.change),
        }
    }
}

/// A sale priced as it stands, not saved. remaining = what the payments
/// still lack (0 when covered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Quote {
    /// In an exchange: the value of the pieces coming back, and the part of
    /// it that pays this sale (it is not among `payments`, which are the
    /// cashier's own); the rest goes back to the customer.
    pub exchange_refund: Option<String>,
    pub exchange_credit: Option<String>,
    pub lines: Vec<LineView>,
    pub trade_ins: Vec<TradeInView>,
    pub payments: Vec<PaymentView>,
    pub totals: TotalsView,
    pub remaining: String,
    pub per_gram_18k: String,
    pub vat_percent: String,
    pub alerts: Vec<Localized>,
}

impl From<DraftSale> for Quote {
    fn from(d: DraftSale) -> Quote {
        let t = d.priced.totals;
        let remaining = if t.change.is_negative() { -t.change.decimal() } else { rust_decimal::Decimal::ZERO };
        Quote {
            exchange_refund: d.exchange_refund.map(|r| r.decimal().to_string()),
            exchange_credit: d
                .priced
                .payments
                .iter()
                .find(|p| p.method == CorePaymentMethod::ExchangeCredit)
                .map(|p| p.amount.decimal().to_string()),
            lines: d.priced.lines.iter().map(LineView::from).collect(),
            trade_ins: d.priced.trade_ins.iter().map(TradeInView::from).collect(),
            payments: d
                .priced
                .payments
                .iter()
                .filter(|p| p.method != CorePaymentMethod::ExchangeCredit)
                .map(PaymentView::from)
                .collect(),
            totals: (&t).into(),
            remaining: remaining.to_string(),
            per_gram_18k: d.per_gram_18k.decimal().to_string(),
            vat_percent: d.vat_percent.decimal().normalize().to_string(),
            alerts: d
                .warnings
                .iter()
                .map(|w| match w {
                    zargar_core::store::Warning::StalePrice { age_hours, limit_hours } => {
                        Localized::from(&TillAlert::StalePrice { age_hours: *age_hours, limit_hours: *limit_hours })
                    }
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    Pending,
    Acked,
    Conflict,
    Rejected,
    Voided,
}

impl From<CoreSyncState> for SyncState {
    fn from(s: CoreSyncState) -> SyncState {
        match s {
            CoreSyncState::Pending => SyncState::Pending,
            CoreSyncState::Acked => SyncState::Acked,
            CoreSyncState::Conflict => SyncState::Conflict,
            CoreSyncState::Rejected => SyncState::Rejected,
            CoreSyncState::Voided => SyncState::Voided,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SaleView {
    pub id: String,
    #[ts(type = "number")]
    pub invoice_no: u64,
    pub sold_at: String,
    pub till: String,
    pub shop: Option<String>,
    pub customer: Option<String>,
    pub per_gram_18k: String,
    pub vat_percent: String,
    pub lines: Vec<LineView>,
    pub trade_ins: Vec<TradeInView>,
    pub payments: Vec<PaymentView>,
    pub totals: TotalsView,
    pub sync: SyncState,
    /// Its credit notes, oldest first: what came back and how it was paid back.
    pub returns: Vec<CreditNoteView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CreditNoteView {
    #[ts(type = "number")]
    pub return_no: u64,
    pub returned_at: String,
    pub lines: Vec<LineView>,
    pub refund: String,
    pub refunds: Vec<PaymentView>,
    #[ts(type = "number | null")]
    pub exchange_invoice_no: Option<u64>,
}

impl From<&RecordedReturn> for CreditNoteView {
    fn from(r: &RecordedReturn) -> CreditNoteView {
        CreditNoteView {
            return_no: r.return_no,
            returned_at: at(r.returned_at),
            lines: r.lines.iter().map(LineView::from).collect(),
            refund: r.refund.decimal().to_string(),
            refunds: r.refunds.iter().map(PaymentView::from).collect(),
            exchange_invoice_no: r.exchange_invoice_no,
        }
    }
}

impl SaleView {
    pub fn with_returns(mut self, returns: &[RecordedReturn]) -> SaleView {
        self.returns = returns.iter().map(CreditNoteView::from).collect();
        self
    }

    pub fn new(s: &Sale, till: &str, shop: Option<String>) -> SaleView {
        SaleView {
            id: s.id.to_string(),
            invoice_no: s.invoice_no,
            sold_at: at(s.sold_at),
            till: till.to_owned(),
            shop,
            customer: s.customer.as_ref().map(|c| c.name.clone()),
            per_gram_18k: s.gold_price.per_gram_18k.decimal().to_string(),
            vat_percent: s.vat_percent.decimal().normalize().to_string(),
            lines: s.lines.iter().map(LineView::from).collect(),
            trade_ins: s.trade_ins.iter().map(TradeInView::from).collect(),
            payments: s.payments.iter().map(PaymentView::from).collect(),
            totals: (&s.totals).into(),
            sync: s.sync.into(),
            returns: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Sale,
    Return,
}

/// One row of the day: a sale, or a credit note (number: its own; total:
/// minus the refund; invoice_no: the sale it gives back from).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SaleRow {
    pub kind: EntryKind,
    #[ts(type = "number")]
    pub number: u64,
    #[ts(type = "number")]
    pub invoice_no: u64,
    pub sold_at: String,
    pub customer: Option<String>,
    #[ts(type = "number")]
    pub items: u64,
    pub weight: String,
    pub total: String,
    #[ts(type = "number")]
    pub returned_items: u64,
    pub sync: SyncState,
}

impl From<DayEntry> for SaleRow {
    fn from(s: DayEntry) -> SaleRow {
        SaleRow {
            kind: match s.kind {
                CoreEntryKind::Sale => EntryKind::Sale,
                CoreEntryKind::Return => EntryKind::Return,
            },
            number: s.number,
            invoice_no: s.invoice_no,
            sold_at: at(s.at),
            customer: s.customer,
            items: s.items,
            weight: s.weight.decimal().to_string(),
            total: s.total.decimal().to_string(),
            returned_items: s.returned_items,
            sync: s.sync.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MethodTotalsView {
    pub method: PaymentMethod,
    pub received: String,
    pub refunded: String,
    pub net: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OldGoldView {
    pub purity: String,
    pub grams: String,
    pub value: String,
}

/// The end-of-day report. total: net of returns (what the rows add up to);
/// count/items/weight and the parts: net of returned pieces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DayTotals {
    #[ts(type = "number")]
    pub count: u64,
    #[ts(type = "number")]
    pub returns: u64,
    pub sales_total: String,
    pub returns_total: String,
    #[ts(type = "number")]
    pub items: i64,
    pub weight: String,
    pub gold: String,
    pub wage: String,
    pub profit: String,
    pub vat: String,
    pub total: String,
    pub old_gold: Vec<OldGoldView>,
    pub old_gold_total: String,
    pub by_method: Vec<MethodTotalsView>,
    pub cash_expected: String,
}

impl From<SalesReport> for DayTotals {
    fn from(r: SalesReport) -> DayTotals {
        let s = |r: zargar_core::money::Rial| r.decimal().to_string();
        DayTotals {
            count: r.sales,
            returns: r.returns,
            sales_total: s(r.sales_total),
            returns_total: s(r.returns_total),
            items: r.lines,
            weight: r.grams.to_string(),
            gold: s(r.gold),
            wage: s(r.wage),
            profit: s(r.profit),
            vat: s(r.vat),
            total: s(r.net_total),
            old_gold: r
                .old_gold
                .iter()
                .map(|g| OldGoldView {
                    purity: g.purity.decimal().normalize().to_string(),
                    grams: g.grams.to_string(),
                    value: s(g.value),
                })
                .collect(),
            old_gold_total: s(r.old_gold_total),
            by_method: r
                .by_method
                .iter()
                .map(|m| MethodTotalsView {
                    method: m.method.into(),
                    received: s(m.received),
                    refunded: s(m.refunded),
                    net: s(m.net),
                })
                .collect(),
            cash_expected: s(r.cash_expected),
        }
    }
}

/// day: YYYY-MM-DD (Gregorian, Tehran day)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SalesDay {
    pub day: String,
    pub sales: Vec<SaleRow>,
    pub totals: DayTotals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CustomerView {
    pub id: String,
    pub name: String,
    pub mobile: Option<String>,
    pub national_id: Option<String>,
}

impl From<zargar_core::customer::Customer> for CustomerView {
    fn from(c: zargar_core::customer::Customer) -> CustomerView {
        CustomerView {
            id: c.id.to_string(),
            name: c.name,
            mobile: c.mobile.map(|m| m.as_str().to_owned()),
            national_id: c.national_id.map(|n| n.as_str().to_owned()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct NewCustomerInput {
    pub name: String,
    pub mobile: Option<String>,
    pub national_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PriceOrigin {
    Till,
    Server,
}

/// shop: the owner's price, every till's; till: this till's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PriceScope {
    Shop,
    Till,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct GoldPriceView {
    pub per_gram_18k: String,
    pub mazaneh: Option<String>,
    pub set_at: String,
    pub origin: PriceOrigin,
    pub scope: PriceScope,
    pub set_by: Option<String>,
}

impl From<GoldPrice> for GoldPriceView {
    fn from(p: GoldPrice) -> GoldPriceView {
        GoldPriceView {
            per_gram_18k: p.per_gram_18k.decimal().to_string(),
            mazaneh: p.mazaneh.map(|m| m.decimal().to_string()),
            set_at: at(p.set_at),
            origin: match p.origin {
                CorePriceOrigin::Till => PriceOrigin::Till,
                CorePriceOrigin::Server => PriceOrigin::Server,
            },
            scope: match p.scope {
                CorePriceScope::Shop => PriceScope::Shop,
                CorePriceScope::Till => PriceScope::Till,
            },
            set_by: p.set_by,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QuoteBasis {
    /// Rial (or Toman) per gram of 18k.
    Gram,
    /// The market's mesghal (مظنه) quote.
    Mesghal,
}

/// by: how the amount was quoted; amount in the display unit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct GoldPriceInput {
    pub by: QuoteBasis,
    pub amount: String,
}

/// The price about to be set, as the owner confirms it: per gram of 18k and
/// per mesghal, new and previous; change_percent is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PriceChangeView {
    pub per_gram_18k: String,
    pub per_mesghal: String,
    pub previous_per_gram_18k: Option<String>,
    pub previous_per_mesghal: Option<String>,
    pub change_percent: Option<String>,
    pub needs_confirmation: bool,
    pub step_percent: String,
}

impl PriceChangeView {
    pub fn new(c: &PriceChange, s: &ShopSettings) -> PriceChangeView {
        PriceChangeView {
            per_gram_18k: c.per_gram_18k.decimal().to_string(),
            per_mesghal: c.per_mesghal.decimal().to_string(),
            previous_per_gram_18k: c.previous.as_ref().map(|p| p.per_gram_18k.decimal().to_string()),
            previous_per_mesghal: c.previous_per_mesghal.map(|m| m.decimal().to_string()),
            change_percent: c.change_percent.map(|p| p.normalize().to_string()),
            needs_confirmation: c.needs_confirmation,
            step_percent: s.price_step.decimal().normalize().to_string(),
        }
    }
}

/// old_gold_per_gram_18k: what the shop pays for old gold today (the day's
/// price less the spread); floor and ceiling: the shop's bounds, if set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct GoldPrices {
    pub current: Option<GoldPriceView>,
    pub stale: bool,
    pub max_age_hours: u32,
    pub history: Vec<GoldPriceView>,
    pub old_gold_per_gram_18k: Option<String>,
    pub old_gold_spread_percent: String,
    pub step_percent: String,
    pub floor: Option<String>,
    pub ceiling: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EngineState {
    NotEnrolled,
    Idle,
    Syncing,
    Retrying,
    Stopped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    Push,
    Pull,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProgressView {
    pub phase: SyncPhase,
    #[ts(type = "number")]
    pub pushed: u64,
    #[ts(type = "number")]
    pub to_push: u64,
    #[ts(type = "number")]
    pub pulled: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncView {
    pub state: EngineState,
    pub online: bool,
    pub shop: Option<String>,
    #[ts(type = "number")]
    pub pending: u64,
    #[ts(type = "number")]
    pub pending_sales: u64,
    pub oldest_pending_sale_at: Option<String>,
    #[ts(type = "number")]
    pub open_conflicts: u64,
    #[ts(type = "number")]
    pub rejected: u64,
    pub last_success: Option<String>,
    pub last_error: Option<Localized>,
    pub next_attempt: Option<String>,
    pub progress: Option<ProgressView>,
    pub alerts: Vec<Localized>,
}

impl SyncView {
    pub fn new(s: &SyncStatus, alerts: &[TillAlert]) -> SyncView {
        SyncView {
            state: match s.state {
                CoreEngineState::NotEnrolled => EngineState::NotEnrolled,
                CoreEngineState::Idle => EngineState::Idle,
                CoreEngineState::Syncing => EngineState::Syncing,
                CoreEngineState::Retrying => EngineState::Retrying,
                CoreEngineState::Stopped => EngineState::Stopped,
            },
            online: s.online.unwrap_or(false),
            shop: s.shop.clone(),
            pending: s.pending,
            pending_sales: s.pending_sales,
            oldest_pending_sale_at: s.oldest_pending_sale_at.map(at),
            open_conflicts: s.open_conflicts,
            rejected: s.rejected,
            last_success: s.last_success.map(at),
            last_error: s
                .last_error
                .as_ref()
                .map(|f| Localized::new(&f.code, format!("error-{}", f.code.replace('_', "-")), Vec::new())),
            next_attempt: s.next_attempt.map(at),
            progress: s.progress.map(|p| ProgressView {
                phase: match p.phase {
                    Phase::Push => SyncPhase::Push,
                    Phase::Pull => SyncPhase::Pull,
                },
                pushed: p.pushed,
                to_push: p.to_push,
                pulled: p.pulled,
            }),
            alerts: alerts.iter().map(Localized::from).collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    Accept,
    Void,
    Resubmit,
    Retry,
}

impl From<CoreResolution> for Resolution {
    fn from(r: CoreResolution) -> Resolution {
        match r {
            CoreResolution::Accept => Resolution::Accept,
            CoreResolution::Void => Resolution::Void,
            CoreResolution::Resubmit => Resolution::Resubmit,
            CoreResolution::Retry => Resolution::Retry,
        }
    }
}

impl From<Resolution> for CoreResolution {
    fn from(r: Resolution) -> CoreResolution {
        match r {
            Resolution::Accept => CoreResolution::Accept,
            Resolution::Void => CoreResolution::Void,
            Resolution::Resubmit => CoreResolution::Resubmit,
            Resolution::Retry => CoreResolution::Retry,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ResolutionView {
    pub resolution: Resolution,
    pub resolved_by: String,
    pub reason: Option<String>,
    pub at: String,
}

/// The server's side: what it holds that disagrees with the till.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ServerSide {
    pub tag: Option<String>,
    pub item_status: Option<ItemStatus>,
    pub sold_by_till: Option<String>,
    pub per_gram_18k: Option<String>,
    pub tolerance_percent: Option<String>,
}

/// A price conflict in money: the till's price and the shop's per gram of
/// 18k, what the sale came to and what it comes to at the shop's price, and
/// the shortfall (positive: the sale was priced that much too low).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PriceGap {
    pub till_per_gram_18k: String,
    pub shop_per_gram_18k: String,
    pub sale_due: String,
    pub due_at_shop_price: String,
    pub shortfall: String,
}

/// A resolution this till cannot make, and the message id that says why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DisabledOption {
    pub resolution: Resolution,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConflictView {
    pub op_id: String,
    pub kind: String,
    pub message_key: String,
    pub till: Option<String>,
    pub mine: bool,
    pub open: bool,
    pub pending: bool,
    pub created_at: String,
    /// What can be settled from this till.
    pub options: Vec<Resolution>,
    /// What the server offers but this till cannot do, with why.
    pub disabled: Vec<DisabledOption>,
    pub server: ServerSide,
    pub price_gap: Option<PriceGap>,
    pub sale: Option<SaleView>,
    pub resolution: Option<ResolutionView>,
    pub last_refusal: Option<String>,
}

impl ConflictView {
    /// `till_names` names the shop's tills by device id, for "sold by".
    pub fn new(
        c: &TillConflict,
        this_till: &str,
        shop: Option<String>,
        till_name: impl Fn(uuid::Uuid) -> Option<String>,
    ) -> ConflictView {
        let s = &c.conflict.server_state;
        let all: Vec<Resolution> = c.conflict.options.iter().map(|r| Resolution::from(*r)).collect();
        // Only the till that made a sale holds it whole: edits happen there.
        let here = |r: &Resolution| c.mine || *r != Resolution::Resubmit;
        let price_gap = match (&c.local_sale, s.per_gram_18k.and_then(zargar_core::money::Rial::whole)) {
            (Some(sale), Some(shop)) if c.conflict.kind == zargar_core::wire::ConflictKind::PriceOutOfTolerance => {
                sale.due_at(shop).ok().map(|at_shop| PriceGap {
                    till_per_gram_18k: sale.gold_price.per_gram_18k.decimal().to_string(),
                    shop_per_gram_18k: shop.decimal().to_string(),
                    sale_due: sale.totals.due.decimal().to_string(),
                    due_at_shop_price: at_shop.decimal().to_string(),
                    shortfall: (at_shop.decimal() - sale.totals.due.decimal()).to_string(),
                })
            }
            _ => None,
        };
        ConflictView {
            op_id: c.op_id.to_string(),
            kind: c.conflict.kind.code().to_owned(),
            message_key: c.conflict.message_key.clone(),
            till: c.device_name.clone(),
            mine: c.mine,
            open: c.open,
            pending: c.pending_resolution.is_some(),
            created_at: at(c.created_at),
            options: all.iter().copied().filter(here).collect(),
            disabled: all
                .iter()
                .filter(|r| !here(r))
                .map(|r| DisabledOption { resolution: *r, why: "conflicts-why-resubmit-elsewhere".into() })
                .collect(),
            price_gap,
            server: ServerSide {
                tag: s.tag.clone(),
                item_status: s.item_status.map(ItemStatus::from),
                sold_by_till: s.sold_by_device_name.clone().or_else(|| s.sold_by_device.and_then(&till_name)),
                per_gram_18k: s.per_gram_18k.map(|p| p.to_string()),
                tolerance_percent: s.tolerance_percent.map(|p| p.normalize().to_string()),
            },
            sale: c.local_sale.as_ref().map(|sale| SaleView::new(sale, this_till, shop)),
            resolution: c.resolution.as_ref().map(|r| ResolutionView {
                resolution: r.resolution.into(),
                resolved_by: r.resolved_by.clone(),
                reason: r.reason.clone(),
                at: at(r.resolved_at),
            }),
            last_refusal: c.last_refusal.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ReplacePiece {
    pub old: String,
    pub new: String,
}

/// How a change in what is due was settled: amount in Rials, the new due
/// less the old (positive: collected; negative: paid back).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct DueChangeInput {
    pub amount: String,
    pub method: PaymentMethod,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ResolveInput {
    pub op_id: String,
    pub resolution: Resolution,
    pub reason: Option<String>,
    pub replace: Vec<ReplacePiece>,
    pub payments: Option<Vec<PaymentDraft>>,
    pub due_change: Option<DueChangeInput>,
}

/// A resubmit's effect on what is due, in Rials (difference = new − old).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ResubmitPreviewView {
    pub old_due: String,
    pub new_due: String,
    pub difference: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SettingKey {
    ProfitPercent,
    TradeInDeductionPercent,
    PriceMaxAgeHours,
    DisplayUnit,
    PriceStepPercent,
    PriceFloor,
    PriceCeiling,
    OldGoldSpreadPercent,
    TradeInMaxGrams,
}

impl From<SettingKey> for zargar_core::store::SettingKey {
    fn from(k: SettingKey) -> zargar_core::store::SettingKey {
        use zargar_core::store::SettingKey as K;
        match k {
            SettingKey::ProfitPercent => K::ProfitPercent,
            SettingKey::TradeInDeductionPercent => K::TradeInDeductionPercent,
            SettingKey::PriceMaxAgeHours => K::PriceMaxAgeHours,
            SettingKey::DisplayUnit => K::DisplayUnit,
            SettingKey::PriceStepPercent => K::PriceStepPercent,
            SettingKey::PriceFloor => K::PriceFloor,
            SettingKey::PriceCeiling => K::PriceCeiling,
            SettingKey::OldGoldSpreadPercent => K::OldGoldSpreadPercent,
            SettingKey::TradeInMaxGrams => K::TradeInMaxGrams,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SettingsView {
    pub profit_percent: String,
    pub trade_in_deduction_percent: String,
    pub price_max_age_hours: u32,
    pub display_unit: DisplayUnit,
    pub vat_percent: String,
    pub price_step_percent: String,
    /// Rial per gram of 18k; empty when not set.
    pub price_floor: String,
    pub price_ceiling: String,
    pub old_gold_spread_percent: String,
    pub trade_in_max_grams: String,
    pub lang: Lang,
    pub server_url: Option<String>,
    pub shop: Option<String>,
    pub till_name: String,
    pub owner_name: Option<String>,
}

impl SettingsView {
    pub fn new(s: &ShopSettings, vat_today: zargar_core::money::Percent, info: &AppInfo) -> SettingsView {
        SettingsView {
            profit_percent: s.profit.decimal().normalize().to_string(),
            trade_in_deduction_percent: s.trade_in_deduction.decimal().normalize().to_string(),
            price_max_age_hours: s.price_max_age_hours,
            display_unit: s.display_unit.into(),
            vat_percent: vat_today.decimal().normalize().to_string(),
            price_step_percent: s.price_step.decimal().normalize().to_string(),
            price_floor: s.price_floor.map(|r| r.decimal().to_string()).unwrap_or_default(),
            price_ceiling: s.price_ceiling.map(|r| r.decimal().to_string()).unwrap_or_default(),
            old_gold_spread_percent: s.old_gold_spread.decimal().normalize().to_string(),
            trade_in_max_grams: s.trade_in_max.decimal().normalize().to_string(),
            lang: info.lang,
            server_url: info.server_url.clone(),
            shop: info.shop.clone(),
            till_name: info.till_name.clone(),
            owner_name: info.owner_name.clone(),
        }
    }
}

/// Every IPC type as TypeScript, in one file's text.
pub fn bindings() -> String {
    let decls = [
        Lang::decl(),
        DisplayUnit::decl(),
        ArgKind::decl(),
        MessageArg::decl(),
        Localized::decl(),
        AppInfo::decl(),
        UpdateState::decl(),
        UpdateView::decl(),
        ItemStatus::decl(),
        WageKind::decl(),
        WageView::decl(),
        ItemView::decl(),
        ItemQuery::decl(),
        ItemInput::decl(),
        PrintersView::decl(),
        ReceiptKind::decl(),
        PrintersInput::decl(),
        RasterInput::decl(),
        PrintedView::decl(),
        PagePrinter::decl(),
        LabelSheetView::decl(),
        LabelView::decl(),
        PaymentMethod::decl(),
        PaymentDraft::decl(),
        TradeInDraft::decl(),
        SaleDraft::decl(),
        PriceView::decl(),
        LineView::decl(),
        TradeInView::decl(),
        PaymentView::decl(),
        TotalsView::decl(),
        Quote::decl(),
        SyncState::decl(),
        SaleView::decl(),
        ExchangeDraft::decl(),
        ReturnInput::decl(),
        ReturnQuoteView::decl(),
        CreditNoteView::decl(),
        EntryKind::decl(),
        SaleRow::decl(),
        MethodTotalsView::decl(),
        OldGoldView::decl(),
        DayTotals::decl(),
        SalesDay::decl(),
        CustomerView::decl(),
        NewCustomerInput::decl(),
        PriceOrigin::decl(),
        PriceScope::decl(),
        GoldPriceView::decl(),
        QuoteBasis::decl(),
        GoldPriceInput::decl(),
        PriceChangeView::decl(),
        GoldPrices::decl(),
        EngineState::decl(),
        SyncPhase::decl(),
        ProgressView::decl(),
        SyncView::decl(),
        Resolution::decl(),
        ResolutionView::decl(),
        ServerSide::decl(),
        PriceGap::decl(),
        DisabledOption::decl(),
        ConflictView::decl(),
        ReplacePiece::decl(),
        DueChangeInput::decl(),
        ResolveInput::decl(),
        ResubmitPreviewView::decl(),
        SettingKey::decl(),
        SettingsView::decl(),
    ];
    let mut out = String::from(
        "// Generated from src-tauri/src/ipc.rs by ts-rs; do not edit.\n\
         // Regenerate: ZARGAR_BLESS=1 cargo test -p zargar-pos bindings\n\
         // Money and quantities are decimal strings (Rials, grams, percents), never floats;\n\
         // instants are RFC 3339 strings (UTC).\n\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.push_str("/** Every failed command rejects with this. */\nexport type AppError = Localized;\n");
    out
}

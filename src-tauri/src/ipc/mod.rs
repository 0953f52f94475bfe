//! The types that cross the IPC boundary, and their TypeScript twins, by
//! screen. What the core and the wire already declare (statuses, methods,
//! states, settings) crosses as it is, with its TypeScript derived there
//! (the `ts` feature); only the app's own shapes are declared here.
//!
//! The UI gets plain shapes: money, weights and percents as decimal
//! strings (a float would lose Rials), instants as RFC 3339. `bindings()`
//! renders every type as TypeScript; a test fails when
//! `ui/src/lib/bindings.ts` no longer matches.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zargar_core::customer::{Customer, Mobile, NationalId};
use zargar_core::error::Arg;
use zargar_core::gold_price::{GoldPrice, PriceChange};
use zargar_core::item::Item;
use zargar_core::rules::discount::Discounted;
use zargar_core::rules::measure::{Purity, Weight};
use zargar_core::rules::money::{Percent, Rial};
use zargar_core::rules::pricing::LinePrice;
use zargar_core::rules::pricing::WageRate;
use zargar_core::sale::{PaymentInput, Sale, SaleLine, Totals, TradeInLine};
use zargar_core::store::{
    CashMove, DayEntry, DraftSale, MethodTotals, NoteCount, OldGold, Person, RecordedReturn, SalesReport, Shift,
    ShiftReport, ShopSettings, TillAlert, TillConflict, ZReport,
};
use zargar_core::sync::SyncStatus;
use zargar_core::wire::PersonRef;
use zargar_core::wire::Role;

pub use zargar_core::Lang;
pub use zargar_core::account::{
    AccountMove, AccountMoveKind, Balance, GoldMg, InstallmentLine, InstallmentState, MoveState, Plan, PlanUnit,
    Statement, StatementLine,
};
pub use zargar_core::display_unit::DisplayUnit;
pub use zargar_core::gold_price::{PriceOrigin, PriceScope};
pub use zargar_core::item::ItemStatus;
pub use zargar_core::sale::{PaymentMethod, SyncState};
pub use zargar_core::store::{EntryKind, SettingKey};
pub use zargar_core::sync::{EngineState, Phase as SyncPhase};
pub use zargar_core::wire::{ConflictKind, Resolution};

mod accounts;
mod conflicts;
mod day;
mod inventory;
mod prices;
mod printing;
mod report;
mod sale;
mod settings;
mod shift;
mod sync;

pub use accounts::*;
pub use conflicts::*;
pub use day::*;
pub use inventory::*;
pub use prices::*;
pub use printing::*;
pub use report::*;
pub use sale::*;
pub use settings::*;
pub use shift::*;
pub use sync::*;

/// The Fluent id of a purity's karat name, as every view carries it.
fn karat_of(p: zargar_core::rules::measure::Purity) -> Option<String> {
    p.karat_message_id().map(str::to_owned)
}

fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
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
    /// Once the owner has added people: someone signs in before acting.
    pub sign_in_required: bool,
    /// Who is signed in at this till.
    pub signed_in: Option<Person>,
    /// The shop's people who may sign in, to pick a name from.
    pub people: Vec<Person>,
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

/// Every IPC type as TypeScript, in one file's text.
pub fn bindings() -> String {
    let decls = [
        Lang::decl(),
        DisplayUnit::decl(),
        ArgKind::decl(),
        MessageArg::decl(),
        Localized::decl(),
        Role::decl(),
        Person::decl(),
        AppInfo::decl(),
        UpdateState::decl(),
        UpdateView::decl(),
        ItemStatus::decl(),
        WageKind::decl(),
        Rial::decl(),
        Percent::decl(),
        Weight::decl(),
        Purity::decl(),
        WageRate::decl(),
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
        LinePrice::decl(),
        Discounted::decl(),
        LineView::decl(),
        TradeInView::decl(),
        PaymentInput::decl(),
        Totals::decl(),
        Quote::decl(),
        SyncState::decl(),
        zargar_core::wire::LegalIdentity::decl(),
        zargar_core::wire::TaxSubject::decl(),
        zargar_core::wire::TaxStatus::decl(),
        zargar_core::wire::TaxMessage::decl(),
        zargar_core::wire::TaxInvoiceState::decl(),
        zargar_core::invoice::BuyerBlock::decl(),
        zargar_core::invoice::LegalBlocks::decl(),
        SaleView::decl(),
        ExchangeDraft::decl(),
        ReturnInput::decl(),
        ReturnQuoteView::decl(),
        CreditNoteView::decl(),
        EntryKind::decl(),
        DayEntry::decl(),
        MethodTotals::decl(),
        OldGold::decl(),
        SalesReport::decl(),
        SalesDay::decl(),
        PersonRef::decl(),
        Shift::decl(),
        CashMove::decl(),
        NoteCount::decl(),
        ShiftReport::decl(),
        ZReport::decl(),
        ShiftStatusView::decl(),
        PurityGramsView::decl(),
        ReportRowView::decl(),
        HourView::decl(),
        ZSummaryView::decl(),
        ShopReportView::decl(),
        Mobile::decl(),
        NationalId::decl(),
        Customer::decl(),
        NewCustomerInput::decl(),
        PriceOrigin::decl(),
        PriceScope::decl(),
        GoldPrice::decl(),
        QuoteBasis::decl(),
        GoldPriceInput::decl(),
        PriceChangeView::decl(),
        GoldPrices::decl(),
        EngineState::decl(),
        SyncPhase::decl(),
        ProgressView::decl(),
        SyncView::decl(),
        ConflictKind::decl(),
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
        PersonInput::decl(),
        AccountMoveKind::decl(),
        PlanUnit::decl(),
        InstallmentState::decl(),
        InstallmentLine::decl(),
        Plan::decl(),
        MoveState::decl(),
        GoldMg::decl(),
        Balance::decl(),
        AccountMove::decl(),
        StatementLine::decl(),
        Statement::decl(),
        AccountView::decl(),
        AccountAction::decl(),
        AccountMoveInput::decl(),
        AccountSide::decl(),
        SpentView::decl(),
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

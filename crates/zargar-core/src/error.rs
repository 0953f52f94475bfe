//! Errors of the core, one enum per boundary.
//!
//! Policy: every error a person can cause has a stable snake_case `code()`
//! and a Fluent message `error-<code>` in `locales/*/errors.ftl`, with typed
//! arguments (`args()`), so the CLI, the app and the server show it in the
//! chosen language. `Display` is English for logs only. Internal failures
//! (SQLite, IO) are `code() == "internal"`, and their detail goes to logs,
//! never into a message a cashier reads.

use rust_decimal::Decimal;

use crate::display_unit::DisplayUnit;
use crate::i18n::{Lang, messages};
use crate::message_id::MessageId;
use crate::persian;
use zargar_rules::money::Rial;

zargar_wire::coded! {
    /// The input field a validation error is about; its code names its
    /// message (`error-invalid-<code>`).
    pub enum Field {
        Tag = "tag",
        Barcode = "barcode",
        Name = "name",
        Category = "category",
        Weight = "weight",
        Purity = "purity",
        WagePercent = "wage_percent",
        WagePerGram = "wage_per_gram",
        Stones = "stones",
        Amount = "amount",
        GoldPrice = "gold_price",
        Mazaneh = "mazaneh",
        ProfitPercent = "profit_percent",
        VatPercent = "vat_percent",
        DeductionPercent = "deduction_percent",
        Mobile = "mobile",
        NationalId = "national_id",
        PaymentMethod = "payment_method",
        Payment = "payment",
        TradeIn = "trade_in",
        Date = "date",
        DeviceName = "device_name",
        Setting = "setting",
        ItemStatus = "item_status",
        DiscountLimit = "discount_limit",
        Discount = "discount",
        EconomicCode = "economic_code",
        PostalCode = "postal_code",
    }
}

/// A value a person typed that the domain does not accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {}: {value:?}", field.code())]
pub struct ValidationError {
    pub field: Field,
    pub value: String,
}

impl ValidationError {
    pub fn new(field: Field, value: impl Into<String>) -> ValidationError {
        ValidationError { field, value: value.into() }
    }
}

pub use zargar_rules::PricingError;
pub use zargar_rules::settle::SettleError;

/// An argument of a localized message, formatted per language at the edge.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Money(Rial),
    Number(Decimal),
    /// Another message's text, such as the name of an item status.
    Message(String),
}

/// Everything the till's store can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("this till is not set up yet (run init)")]
    NotInitialized,
    #[error("this till is already set up as {0:?}")]
    AlreadyInitialized(String),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Pricing(#[from] PricingError),
    #[error("no item with tag or barcode {0:?}")]
    ItemNotFound(String),
    /// `sold_by`: the other till that sold it, when the server said so.
    #[error("item {tag} is not in stock ({status})")]
    ItemNotInStock { tag: String, status: &'static str, sold_by: Option<String> },
    #[error("item {0} is twice in one sale")]
    ItemTwiceInSale(String),
    #[error("tag {0:?} is already used")]
    TagTaken(String),
    #[error("barcode {0:?} is already used")]
    BarcodeTaken(String),
    #[error("a sale needs at least one item")]
    EmptySale,
    #[error("no customer {0:?}")]
    CustomerNotFound(String),
    #[error("a customer with this {field} exists already")]
    CustomerExists { field: &'static str },
    #[error("no gold price has been set")]
    NoGoldPrice,
    /// The payments do not settle the sale: short, or more than is due
    /// paid other than in cash. The rules' own error, wrapped.
    #[error(transparent)]
    Settle(SettleError),
    #[error("a payment of zero")]
    PaymentZero,
    #[error("old gold of {weight} g is more than the {max} g one trade-in may weigh")]
    TradeInTooHeavy { weight: zargar_rules::measure::Weight, max: zargar_rules::measure::Weight },
    #[error("a gold price of {price} is below the shop's floor of {floor}")]
    PriceBelowFloor { price: Rial, floor: Rial },
    #[error("a gold price of {price} is above the shop's ceiling of {ceiling}")]
    PriceAboveCeiling { price: Rial, ceiling: Rial },
    #[error("a gold price of {price} is {change}% from the last ({previous}); confirm it")]
    PriceStepUnconfirmed { previous: Rial, price: Rial, change: Decimal },
    #[error("the edited sale changes what is due by {difference}; say how it was settled")]
    DueChangeUnsettled { difference: Rial },
    #[error("the edited sale changes what is due by {difference}, not {settled}")]
    DueChangeMismatch { difference: Rial, settled: Rial },
    #[error("no sale {0:?}")]
    SaleNotFound(String),
    #[error("item {0} is not on that sale or was returned already")]
    NotReturnable(String),
    #[error("{amount} back by {method:?} is more than the {available} that method holds")]
    RefundAboveMethod { method: zargar_wire::PaymentMethod, amount: Rial, available: Rial },
    #[error("the refund's parts add up to {given}, not {refund}")]
    RefundSplitMismatch { refund: Rial, given: Rial },
    #[error("exchange credit pays only the new sale of an exchange")]
    ExchangeCreditMisused,
    #[error("line {line}: {source}")]
    ImportRow {
        line: u64,
        #[source]
        source: Box<StoreError>,
    },
    #[error("the database is at version {found}, newer than this app ({supported})")]
    SchemaTooNew { found: u32, supported: u32 },
    #[error("this till holds {unsent} unsent ops for its shop; sync them before moving it to another shop")]
    OtherShop { unsent: u64 },
    #[error("name who decides the conflict")]
    ResolverRequired,
    #[error("accepting a conflicted op needs a reason")]
    ReasonRequired,
    #[error("no conflict for op {0}")]
    ConflictNotFound(String),
    #[error("the conflict is already settled")]
    ConflictClosed,
    #[error("a resolution of this conflict is waiting for the server")]
    ResolutionPending,
    #[error("{resolution} is not an option for a {kind} conflict")]
    NotAnOption { resolution: &'static str, kind: &'static str },
    #[error("only the till that made a sale can edit and resubmit it")]
    ResubmitElsewhere,
    #[error("the owner's PIN must be 4 to 8 digits")]
    OwnerPinWeak,
    #[error("no owner PIN has been set")]
    OwnerPinMissing,
    #[error("the owner's name is required")]
    OwnerNameRequired,
    #[error("wrong owner PIN")]
    OwnerPinWrong,
    #[error("too many wrong PINs; wait {seconds} s")]
    OwnerPinThrottled { seconds: u64 },
    #[error("owner only; unlock with the owner's PIN")]
    OwnerLocked,
    #[error("this changes what the piece sells for; the owner's PIN is needed")]
    OwnerPinNeeded,
    #[error("a PIN is 4 to 8 digits")]
    PinWeak,
    #[error("wrong PIN")]
    PinWrong,
    #[error("too many wrong PINs; wait {seconds} s")]
    PinThrottled { seconds: u64 },
    #[error("no one of the shop is called {0}")]
    PersonUnknown(String),
    #[error("more than one of the shop's people is called {0}")]
    PersonAmbiguous(String),
    #[error("a person needs a name")]
    PersonNameRequired,
    #[error("the first person of a shop is its owner")]
    FirstPersonIsOwner,
    #[error("the shop's only owner stays its owner")]
    LastOwner,
    #[error("a discount limit is from 0 to 100 percent")]
    DiscountLimitOutOfRange,
    #[error("someone must sign in first")]
    SignInNeeded,
    #[error("a {role} may not {act}")]
    NotPermitted { act: zargar_rules::roles::Act, role: zargar_wire::Role },
    #[error(
        "a discount of {percent}% of the making charge and profit is past the cashier's {limit}%; a manager's PIN is needed"
    )]
    DiscountOverLimit { percent: Decimal, limit: Decimal },
    #[error("a shift is already open at this till")]
    ShiftAlreadyOpen,
    #[error("no shift is open at this till")]
    NoShiftOpen,
    #[error("no Z report {0} at this till")]
    ZReportNotFound(String),
    #[error("cash moved in or out needs a reason")]
    CashReasonRequired,
    #[error("an amount of cash is a whole number of Rials above zero")]
    CashAmountInvalid,
    #[error("a sale paid on account needs a registered customer")]
    AccountNeedsCustomer,
    #[error("the account holds {balance} Rials and may go to minus {limit}: {amount} more is past its credit limit")]
    CreditExceeded { balance: Rial, limit: Rial, amount: Rial },
    #[error("the account holds {balance} g of gold; {amount} g cannot be taken from it")]
    GoldCreditShort { balance: Decimal, amount: Decimal },
    #[error("converting a customer's gold needs a manager's or the owner's PIN")]
    ConversionNeedsManager,
    #[error("a credit limit is a whole number of Rials, zero or more")]
    CreditLimitInvalid,
    #[error("sale {0} left nothing on account to split into installments")]
    NothingOnAccount(u64),
    #[error("no installment plan {0}")]
    PlanNotFound(String),
    #[error("layaway {0} is not open for this customer")]
    LayawayNotOpen(String),
    #[error("past the shop's {} ; the owner's PIN is needed", limit.code())]
    OfflineLimit { limit: zargar_wire::ApprovalReason, total: Rial, max: Rial },
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Label(#[from] crate::label::LabelError),
    #[error(transparent)]
    Print(#[from] crate::print::PrintError),
    #[error("no printer is set for this")]
    NoPrinter,
}

impl From<SettleError> for StoreError {
    /// Arithmetic out of range is the same refusal wherever it arises.
    fn from(e: SettleError) -> StoreError {
        match e {
            SettleError::Pricing(e) => StoreError::Pricing(e),
            other => StoreError::Settle(other),
        }
    }
}

impl StoreError {
    /// The stable code the UI and scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotInitialized => "not_initialized",
            StoreError::AlreadyInitialized(_) => "already_initialized",
            StoreError::Invalid(_) => "invalid_input",
            StoreError::Pricing(PricingError::DiscountPastPart) => "discount_past_part",
            StoreError::Pricing(_) | StoreError::Settle(SettleError::Pricing(_)) => "amount_out_of_range",
            StoreError::ItemNotFound(_) => "item_not_found",
            StoreError::ItemNotInStock { .. } => "item_not_in_stock",
            StoreError::ItemTwiceInSale(_) => "item_twice_in_sale",
            StoreError::TagTaken(_) => "tag_taken",
            StoreError::BarcodeTaken(_) => "barcode_taken",
            StoreError::EmptySale => "empty_sale",
            StoreError::CustomerNotFound(_) => "customer_not_found",
            StoreError::CustomerExists { .. } => "customer_exists",
            StoreError::NoGoldPrice => "no_gold_price",
            StoreError::Settle(SettleError::PaymentsShort { .. }) => "payments_short",
            StoreError::Settle(SettleError::NonCashAboveDue { .. }) => "payment_above_due",
            StoreError::PaymentZero => "payment_zero",
            StoreError::TradeInTooHeavy { .. } => "trade_in_too_heavy",
            StoreError::PriceBelowFloor { .. } => "price_below_floor",
            StoreError::PriceAboveCeiling { .. } => "price_above_ceiling",
            StoreError::PriceStepUnconfirmed { .. } => "price_step_unconfirmed",
            StoreError::DueChangeUnsettled { .. } => "due_change_unsettled",
            StoreError::DueChangeMismatch { .. } => "due_change_mismatch",
            StoreError::SaleNotFound(_) => "sale_not_found",
            StoreError::NotReturnable(_) => "not_returnable",
            StoreError::RefundAboveMethod { .. } => "refund_above_method",
            StoreError::RefundSplitMismatch { .. } => "refund_split_mismatch",
            StoreError::ExchangeCreditMisused => "exchange_credit_misused",
            StoreError::ImportRow { .. } => "import_row",
            StoreError::SchemaTooNew { .. } => "schema_too_new",
            StoreError::OtherShop { .. } => "other_shop",
            StoreError::ResolverRequired => "resolver_required",
            StoreError::ReasonRequired => "reason_required",
            StoreError::ConflictNotFound(_) => "conflict_not_found",
            StoreError::ConflictClosed => "conflict_closed",
            StoreError::ResolutionPending => "resolution_pending",
            StoreError::NotAnOption { .. } => "not_an_option",
            StoreError::ResubmitElsewhere => "resubmit_elsewhere",
            StoreError::OwnerPinWeak => "owner_pin_weak",
            StoreError::OwnerPinMissing => "owner_pin_missing",
            StoreError::OwnerNameRequired => "owner_name_required",
            StoreError::OwnerPinWrong => "owner_pin_wrong",
            StoreError::OwnerPinThrottled { .. } => "owner_pin_throttled",
            StoreError::OwnerLocked => "owner_locked",
            StoreError::OwnerPinNeeded => "owner_pin_needed",
            StoreError::PinWeak => "pin_weak",
            StoreError::PinWrong => "pin_wrong",
            StoreError::PinThrottled { .. } => "pin_throttled",
            StoreError::PersonUnknown(_) => "person_unknown",
            StoreError::PersonAmbiguous(_) => "person_ambiguous",
            StoreError::PersonNameRequired => "person_name_required",
            StoreError::FirstPersonIsOwner => "first_person_is_owner",
            StoreError::LastOwner => "last_owner",
            StoreError::DiscountLimitOutOfRange => "discount_limit_out_of_range",
            StoreError::SignInNeeded => "sign_in_needed",
            StoreError::NotPermitted { .. } => "not_permitted",
            StoreError::DiscountOverLimit { .. } => "discount_over_limit",
            StoreError::ShiftAlreadyOpen => "shift_already_open",
            StoreError::NoShiftOpen => "no_shift_open",
            StoreError::ZReportNotFound(_) => "z_report_not_found",
            StoreError::CashReasonRequired => "cash_reason_required",
            StoreError::CashAmountInvalid => "cash_amount_invalid",
            StoreError::AccountNeedsCustomer => "account_needs_customer",
            StoreError::CreditExceeded { .. } => "credit_exceeded",
            StoreError::GoldCreditShort { .. } => "gold_credit_short",
            StoreError::ConversionNeedsManager => "conversion_needs_manager",
            StoreError::CreditLimitInvalid => "credit_limit_invalid",
            StoreError::NothingOnAccount(_) => "nothing_on_account",
            StoreError::PlanNotFound(_) => "plan_not_found",
            StoreError::LayawayNotOpen(_) => "layaway_not_open",
            StoreError::OfflineLimit { limit, .. } => limit.code(),
            StoreError::Corrupt(_) => "corrupt",
            StoreError::Sqlite(_) | StoreError::Io(_) => "internal",
            StoreError::Csv(_) => "csv",
            StoreError::Label(e) => e.code(),
            StoreError::Print(e) => e.code(),
            StoreError::NoPrinter => "no_printer",
        }
    }

    /// True when the store refused the request on its merits, as opposed to
    /// failing; a refused request wrote nothing.
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            StoreError::Sqlite(_) | StoreError::Io(_) | StoreError::Corrupt(_) | StoreError::SchemaTooNew { .. }
        )
    }

    /// The Fluent id of the message, `error-<code with dashes>`; invalid
    /// input gets one message per field.
    pub fn message_id(&self) -> String {
        match self {
            StoreError::Invalid(v) => format!("error-invalid-{}", v.field.code().replace('_', "-")),
            StoreError::ItemNotInStock { sold_by: Some(_), .. } => "error-item-sold-at".to_owned(),
            other => format!("error-{}", other.code().replace('_', "-")),
        }
    }

    pub fn args(&self) -> Vec<(&'static str, Arg)> {
        let text = |s: &str| Arg::Text(s.to_owned());
        match self {
            StoreError::AlreadyInitialized(name) => vec![("name", text(name))],
            StoreError::Invalid(v) => vec![("value", text(&v.value))],
            StoreError::ItemNotFound(t)
            | StoreError::ItemTwiceInSale(t)
            | StoreError::TagTaken(t)
            | StoreError::NotReturnable(t) => vec![("tag", text(t))],
            StoreError::BarcodeTaken(b) => vec![("barcode", text(b))],
            StoreError::ItemNotInStock { tag, status, sold_by } => {
                let mut args = vec![("tag", text(tag)), ("status", Arg::Message(format!("item-status-{status}")))];
                args.extend(sold_by.as_deref().map(|till| ("till", text(till))));
                args
            }
            StoreError::CustomerNotFound(c) => vec![("customer", text(c))],
            StoreError::CustomerExists { field } => vec![("field", text(field))],
            StoreError::Settle(SettleError::PaymentsShort { due, paid }) => {
                vec![("due", Arg::Money(*due)), ("paid", Arg::Money(*paid)), ("short", Arg::Money(*due - *paid))]
            }
            StoreError::Settle(SettleError::NonCashAboveDue { method, non_cash, due }) => vec![
                ("method", Arg::Message(method.message_id())),
                ("amount", Arg::Money(*non_cash)),
                ("due", Arg::Money(*due)),
            ],
            StoreError::RefundAboveMethod { method, amount, available } => vec![
                ("method", Arg::Message(method.message_id())),
                ("amount", Arg::Money(*amount)),
                ("available", Arg::Money(*available)),
            ],
            StoreError::RefundSplitMismatch { refund, given } => {
                vec![("refund", Arg::Money(*refund)), ("given", Arg::Money(*given))]
            }
            StoreError::TradeInTooHeavy { weight, max } => {
                vec![("weight", Arg::Number(weight.decimal())), ("max", Arg::Number(max.decimal()))]
            }
            StoreError::PriceBelowFloor { price, floor } => {
                vec![("price", Arg::Money(*price)), ("floor", Arg::Money(*floor))]
            }
            StoreError::PriceAboveCeiling { price, ceiling } => {
                vec![("price", Arg::Money(*price)), ("ceiling", Arg::Money(*ceiling))]
            }
            StoreError::PriceStepUnconfirmed { previous, price, change } => vec![
                ("previous", Arg::Money(*previous)),
                ("price", Arg::Money(*price)),
                ("change", Arg::Number(*change)),
            ],
            StoreError::DueChangeUnsettled { difference } => vec![("difference", Arg::Money(*difference))],
            StoreError::DueChangeMismatch { difference, settled } => {
                vec![("difference", Arg::Money(*difference)), ("settled", Arg::Money(*settled))]
            }
            StoreError::SaleNotFound(s) => vec![("sale", text(s))],
            StoreError::OtherShop { unsent } => vec![("unsent", Arg::Number(Decimal::from(*unsent)))],
            StoreError::ConflictNotFound(op) => vec![("op", text(op))],
            StoreError::OwnerPinThrottled { seconds } | StoreError::PinThrottled { seconds } => {
                vec![("seconds", Arg::Number(Decimal::from(*seconds)))]
            }
            StoreError::PersonUnknown(name) | StoreError::PersonAmbiguous(name) => vec![("name", text(name))],
            StoreError::ZReportNotFound(no) => vec![("number", text(no))],
            StoreError::NothingOnAccount(no) => vec![("invoice", Arg::Number(Decimal::from(*no)))],
            StoreError::PlanNotFound(id) | StoreError::LayawayNotOpen(id) => vec![("id", text(id))],
            StoreError::NotPermitted { act, role } => vec![
                ("act", Arg::Message(format!("act-{}", act.code().replace('_', "-")))),
                ("role", Arg::Message(format!("role-{}", role.code()))),
            ],
            StoreError::DiscountOverLimit { percent, limit } => {
                vec![("percent", Arg::Number(*percent)), ("limit", Arg::Number(*limit))]
            }
            StoreError::CreditExceeded { balance, limit, amount } => {
                vec![("balance", Arg::Money(*balance)), ("limit", Arg::Money(*limit)), ("amount", Arg::Money(*amount))]
            }
            StoreError::GoldCreditShort { balance, amount } => {
                vec![("balance", Arg::Number(*balance)), ("amount", Arg::Number(*amount))]
            }
            StoreError::OfflineLimit { total, max, .. } => {
                vec![("total", Arg::Money(*total)), ("limit", Arg::Money(*max))]
            }
            StoreError::NotAnOption { resolution, kind } => vec![
                ("resolution", Arg::Message(format!("resolution-{resolution}"))),
                ("kind", Arg::Message(format!("conflict-{}", kind.replace('_', "-")))),
            ],
            StoreError::ImportRow { line, .. } => vec![("line", Arg::Number(Decimal::from(*line)))],
            StoreError::Label(e) => e.args(),
            StoreError::Print(e) => e.args(),
            StoreError::SchemaTooNew { found, supported } => vec![
                ("found", Arg::Number(Decimal::from(*found))),
                ("supported", Arg::Number(Decimal::from(*supported))),
            ],
            _ => Vec::new(),
        }
    }

    /// The message a person reads, in their language. An import error names
    /// the line and then the row's own reason.
    pub fn localize(&self, lang: Lang) -> String {
        let own = localize_message(lang, &self.message_id(), &self.args());
        match self {
            StoreError::ImportRow { source, .. } => format!("{own} {}", source.localize(lang)),
            _ => own,
        }
    }
}

/// Formats `id` with typed args: numbers and money in the language's digits.
pub fn localize_message(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let formatted: Vec<(&str, String)> = args
        .iter()
        .map(|(k, v)| {
            let s = match v {
                Arg::Text(t) => t.clone(),
                Arg::Money(r) => persian::format_decimal(DisplayUnit::Rial.convert(*r), lang),
                Arg::Number(d) => persian::format_decimal(*d, lang),
                Arg::Message(id) => messages(lang).text(id),
            };
            (*k, s)
        })
        .collect();
    messages(lang).format(id, &formatted)
}

//! A registered customer's account at the till: what a cashier asks for
//! (a payment, old gold kept as credit, credit handed back, a conversion at
//! the day's price), and the statement: every movement with the balances
//! after it. The arithmetic is the rules' (`zargar_rules::account`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::customer::Customer;
use crate::sale::PaymentMethod;
pub use zargar_rules::account::{Balance, GoldMg};
use zargar_rules::measure::{Purity, Weight};
use zargar_rules::money::{Percent, Rial};
use zargar_wire::PersonRef;
pub use zargar_wire::{AccountMoveKind, AccountMoveStatus};

/// A movement a cashier records by itself (a sale's part is recorded with
/// the sale, as a payment `on account`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveRequest {
    /// Money received against the account.
    Payment { method: PaymentMethod, amount: Rial },
    /// Rial credit paid back to the customer.
    Payout { method: PaymentMethod, amount: Rial },
    /// Old gold kept as credit, as 750-equivalent after its melting loss
    /// (the shop's trade-in deduction when none is given).
    GoldIn { weight: Weight, purity: Purity, deduction: Option<Percent> },
    /// Gold credit handed back, weighed at the counter.
    GoldOut { weight: Weight, purity: Purity },
    /// Gold credit sold to the shop at the day's price: Rials in its place.
    GoldToRial { gold: GoldMg },
    /// Rial credit turned into gold at the day's price (whole milligrams;
    /// what is left stays in Rials).
    RialToGold { amount: Rial },
}

impl MoveRequest {
    pub fn kind(&self) -> AccountMoveKind {
        match self {
            MoveRequest::Payment { .. } => AccountMoveKind::Payment,
            MoveRequest::Payout { .. } => AccountMoveKind::Payout,
            MoveRequest::GoldIn { .. } => AccountMoveKind::GoldIn,
            MoveRequest::GoldOut { .. } => AccountMoveKind::GoldOut,
            MoveRequest::GoldToRial { .. } | MoveRequest::RialToGold { .. } => AccountMoveKind::Convert,
        }
    }
}

/// Where a movement stands as this till knows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveState {
    /// Made here, not yet on the server: it counts.
    Pending,
    Applied,
    /// Parked for the owner: it does not count until accepted.
    Conflict,
    Accepted,
    Voided,
}

impl MoveState {
    pub fn code(self) -> &'static str {
        match self {
            MoveState::Pending => "pending",
            MoveState::Applied => "applied",
            MoveState::Conflict => "conflict",
            MoveState::Accepted => "accepted",
            MoveState::Voided => "voided",
        }
    }

    pub fn from_code(s: &str) -> Option<MoveState> {
        Some(match s {
            "pending" => MoveState::Pending,
            "applied" => MoveState::Applied,
            "conflict" => MoveState::Conflict,
            "accepted" => MoveState::Accepted,
            "voided" => MoveState::Voided,
            _ => return None,
        })
    }

    pub fn of_server(s: AccountMoveStatus) -> MoveState {
        match s {
            AccountMoveStatus::Applied => MoveState::Applied,
            AccountMoveStatus::Conflict => MoveState::Conflict,
            AccountMoveStatus::Accepted => MoveState::Accepted,
            AccountMoveStatus::Voided => MoveState::Voided,
        }
    }

    /// Part of the balance.
    pub fn counts(self) -> bool {
        matches!(self, MoveState::Pending | MoveState::Applied | MoveState::Accepted)
    }
}

/// One movement of an account, as a statement lists it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountMove {
    pub id: Uuid,
    pub kind: AccountMoveKind,
    pub rial: Rial,
    pub gold: GoldMg,
    pub moved_at: DateTime<Utc>,
    pub state: MoveState,
    /// The till it was made at; none: this one.
    pub till: Option<String>,
    pub by: Option<PersonRef>,
    pub method: Option<PaymentMethod>,
    /// The old gold weighed, for gold in and out.
    pub weight: Option<Weight>,
    pub purity: Option<Purity>,
    /// The day's price of a conversion.
    pub per_gram_18k: Option<Rial>,
    /// The sale's invoice number at its till, for a sale's part.
    pub invoice_no: Option<u64>,
    pub note: Option<String>,
}

/// A movement and the balances after it (counting only what counts).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub movement: AccountMove,
    pub balance: Balance,
}

/// A customer's ledger, oldest first, and where it stands.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub customer: Customer,
    pub lines: Vec<StatementLine>,
    pub balance: Balance,
    /// How much more may go on the account in Rials: balance + limit.
    pub available: Rial,
    /// Movements parked for the owner (not in the balance).
    pub in_conflict: u32,
}

/// What the shop's customers owe it and what it owes them, in total.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Receivables {
    /// Customers whose Rial balance is below zero, and what they owe.
    pub owing: u64,
    pub rial_owed: Rial,
    /// Rial credit the shop holds for customers.
    pub rial_credit: Rial,
    /// Gold the shop holds for customers (750-equivalent).
    pub gold_held: GoldMg,
    /// Gold customers owe the shop.
    pub gold_owed: GoldMg,
}

pub use zargar_wire::PlanUnit;

/// Where one installment stands, from what has been paid towards its plan.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstallmentState {
    Paid,
    /// Partly paid (the rest is due on its day).
    Part,
    Due,
    /// Its day has passed and it is not paid.
    Overdue,
}

/// One installment of a plan, as a customer's plans list it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallmentLine {
    pub no: u32,
    pub due: chrono::NaiveDate,
    /// Rials, or milligrams of 750 (numbers far below 2^53).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub amount: i64,
    /// What is still to pay of it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub left: i64,
    pub state: InstallmentState,
}

/// An installment plan and how far it is paid.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub customer: String,
    pub mobile: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub invoice_no: u64,
    pub unit: PlanUnit,
    /// Rials, or milligrams of 750.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub paid: i64,
    pub per_gram_18k: Option<Rial>,
    pub installments: Vec<InstallmentLine>,
    /// The till it was made at; none: this one.
    pub till: Option<String>,
}

/// Pieces put aside for a customer.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layaway {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// open, cancelled or completed.
    pub state: String,
    pub sale_id: Option<Uuid>,
}

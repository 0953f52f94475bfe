//! The customers screen: a customer's account (the statement, each line in
//! words), and what the cashier records on it.

use super::*;
use zargar_core::account::{Plan, Statement};

/// A customer's account as the screen shows it: the statement, and each
/// line's movement in words (kind, invoice, method, gold, till), in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AccountView {
    pub statement: Statement,
    pub described: Vec<String>,
    /// The customer's installment plans, each installment's state today.
    pub plans: Vec<Plan>,
}

/// What the cashier does on an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AccountAction {
    Payment,
    Payout,
    GoldIn,
    GoldOut,
    GoldToRial,
    RialToGold,
    /// Money towards an installment plan (`plan`), valued at today's price
    /// for a plan in gold.
    PayInstallment,
}

/// A movement as typed: `amount` in the display unit (payment, payout,
/// Rials to gold); `weight` in grams and `purity` per mille (gold in and
/// out; grams of 18k to convert to Rials); `deduction` a percent, the
/// shop's melting loss when empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AccountMoveInput {
    pub customer: String,
    pub action: AccountAction,
    pub amount: Option<String>,
    pub method: Option<PaymentMethod>,
    pub weight: Option<String>,
    pub purity: Option<String>,
    pub deduction: Option<String>,
    pub note: Option<String>,
    /// The plan paid towards.
    pub plan: Option<String>,
}

//! A registered customer's account: movements of Rials and of gold (whole
//! milligrams of 750-equivalent), each an op of its own or the part of a
//! sale paid "on account". The server keeps the ledger; every till pulls it.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{JournalLink, PaymentMethod, PersonRef};

crate::coded! {
    /// What a movement is. The signs it may carry are the rules' (`zargar_rules::account`).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum AccountMoveKind {
        /// The part of a sale paid on account: Rials out of the balance.
        Sale = "sale",
        /// The part of a return's refund given back to the account.
        Refund = "refund",
        /// Money received against the account (cash, card, transfer, cheque).
        Payment = "payment",
        /// Rial credit paid back to the customer.
        Payout = "payout",
        /// Old gold kept as the customer's credit, in grams of 750.
        GoldIn = "gold_in",
        /// Gold credit handed back.
        GoldOut = "gold_out",
        /// Gold to Rials or Rials to gold at the day's price, with a manager's PIN.
        Convert = "convert",
    }
}

crate::coded! {
    /// Where a movement stands on the server. Only `applied` and `accepted`
    /// count in a balance.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum AccountMoveStatus {
        Applied = "applied",
        /// Parked for the owner (`balance_overdrawn`, or its sale's conflict).
        Conflict = "conflict",
        /// The owner let it stand.
        Accepted = "accepted",
        /// Cancelled, with its sale when it had one.
        Voided = "voided",
    }
}

impl AccountMoveStatus {
    /// Whether it is part of the balance.
    pub fn counts(self) -> bool {
        matches!(self, AccountMoveStatus::Applied | AccountMoveStatus::Accepted)
    }
}

/// One movement of a customer's account. `rial` and `gold_mg` are signed:
/// above zero the shop owes the customer more (or is owed less).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountMovePayload {
    /// A sale's movement has the sale's id.
    pub move_id: Uuid,
    pub customer_id: Uuid,
    pub kind: AccountMoveKind,
    pub rial: Decimal,
    pub gold_mg: i64,
    pub moved_at: DateTime<Utc>,
    /// How the money came in or went out (payment, payout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<PaymentMethod>,
    /// The old gold weighed (gold in or out): grams, per mille, melting loss.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purity: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deduction_percent: Option<Decimal>,
    /// The day's price a conversion used (Rial per gram of 18k).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_gram_18k: Option<Decimal>,
    /// The sale (or return) it is part of, with its invoice (or credit
    /// note) number at its till.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_no: Option<u64>,
    /// The installment plan it finances or pays (a conversion or a payment),
    /// or the layaway a deposit is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layaway_id: Option<Uuid>,
    /// The manager or owner whose PIN allowed a conversion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<PersonRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The till's journal entry for a movement of its own (`account.move`);
    /// none on a sale's part, which the sale's entry covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<JournalLink>,
}

/// A movement as every till pulls it: where it stands, and at which till it
/// was made.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountMoveChange {
    #[serde(flatten)]
    pub movement: AccountMovePayload,
    pub status: AccountMoveStatus,
    pub device_id: Uuid,
    pub device_name: String,
    /// Who made it, when the shop has people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<PersonRef>,
}

/// For `balance_overdrawn`: the account as the server had it, the movement
/// that went past the limit, and what the other tills spent meanwhile.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountState {
    pub customer_id: Uuid,
    /// The balances before this movement (counted movements only).
    pub rial: Decimal,
    pub gold_mg: i64,
    /// How far the Rial balance may go below zero.
    pub credit_limit: Decimal,
    /// This movement.
    pub move_rial: Decimal,
    pub move_gold_mg: i64,
    /// Other tills' movements that took from the account in the day before.
    #[serde(default)]
    pub spent_elsewhere: Vec<AccountSpend>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSpend {
    pub move_id: Uuid,
    pub kind: AccountMoveKind,
    pub rial: Decimal,
    pub gold_mg: i64,
    pub moved_at: DateTime<Utc>,
    pub device_name: String,
}

impl AccountMovePayload {
    /// The bare movement: the fields every kind has.
    pub fn new(customer_id: Uuid, kind: AccountMoveKind, rial: Decimal, gold_mg: i64, at: DateTime<Utc>) -> Self {
        AccountMovePayload {
            move_id: Uuid::nil(),
            customer_id,
            kind,
            rial,
            gold_mg,
            moved_at: at,
            method: None,
            weight: None,
            purity: None,
            deduction_percent: None,
            per_gram_18k: None,
            sale_id: None,
            invoice_no: None,
            plan_id: None,
            layaway_id: None,
            approved_by: None,
            note: None,
            journal: None,
        }
    }
}

/// The sum paid by one method, when there is any.
fn paid_by(payments: &[crate::Payment], method: PaymentMethod) -> Option<Decimal> {
    let parts = payments.iter().filter(|p| p.method == method);
    let sum = parts.clone().try_fold(Decimal::ZERO, |a, p| a.checked_add(p.amount))?;
    (parts.count() > 0).then_some(sum)
}

impl crate::SalePayload {
    /// The part paid on account, as the customer's movement: the till
    /// records it with the sale and the server derives it from the sale,
    /// so both hold the same. Its id is the sale's.
    pub fn account_move(&self) -> Option<AccountMovePayload> {
        let amount = paid_by(&self.payments, PaymentMethod::Account)?;
        let customer = self.customer_id?;
        let mut m = AccountMovePayload::new(customer, AccountMoveKind::Sale, -amount, 0, self.sold_at);
        m.move_id = self.sale_id;
        m.sale_id = Some(self.sale_id);
        m.invoice_no = Some(self.invoice_no);
        Some(m)
    }
}

impl crate::ReturnPayload {
    /// The part refunded to the account of the sale's customer, when the
    /// sale names one.
    pub fn customer_part(&self, customer: Option<Uuid>) -> Option<AccountMovePayload> {
        self.account_move(customer?)
    }

    /// The part refunded to the account of `customer` (the sale's), as a
    /// movement whose id is the return's.
    pub fn account_move(&self, customer: Uuid) -> Option<AccountMovePayload> {
        let amount = paid_by(&self.refunds, PaymentMethod::Account)?;
        let mut m = AccountMovePayload::new(customer, AccountMoveKind::Refund, amount, 0, self.returned_at);
        m.move_id = self.return_id;
        m.sale_id = Some(self.sale_id);
        m.invoice_no = Some(self.return_no);
        Some(m)
    }
}

crate::coded! {
    /// What an installment plan's debt is fixed in.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    pub enum PlanUnit {
        Rial = "rial",
        /// Grams of 750: each payment is valued at that day's price.
        Gold = "gold",
    }
}

/// One installment: when it falls due and how much (Rials, or milligrams of 750).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installment {
    pub no: u32,
    pub due: chrono::NaiveDate,
    pub amount: i64,
}

/// A sale's part on account split into installments. A plan in gold turns
/// the Rial debt into grams at the sale's price (its `convert` movement
/// names the plan).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstallmentPlanPayload {
    pub plan_id: Uuid,
    pub customer_id: Uuid,
    pub sale_id: Uuid,
    pub invoice_no: u64,
    pub unit: PlanUnit,
    /// Rials, or milligrams of 750 for a plan in gold.
    pub total: i64,
    /// The price a plan in gold was fixed at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_gram_18k: Option<Decimal>,
    pub installments: Vec<Installment>,
    pub created_at: DateTime<Utc>,
}

/// Pieces put aside for a customer against a deposit: reserved on every
/// till until the sale completes it or it is cancelled (the deposit stays
/// on the account as credit).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayawayPayload {
    pub layaway_id: Uuid,
    pub customer_id: Uuid,
    pub item_ids: Vec<Uuid>,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// True on the op that cancels it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cancelled: bool,
    /// The sale that completed it, once the server has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_id: Option<Uuid>,
}

//! The customers screen: a customer's account, money and gold taken against
//! it or handed back, conversions at the day's price, the credit limit.

use chrono::Utc;
use tauri::State;
use zargar_core::Store;
use zargar_core::account::{GoldMg, MoveRequest};
use zargar_core::account_statement::describe;
use zargar_core::error::Field;
use zargar_core::invoice::Formatter;
use zargar_core::rules::measure::{Purity, Weight};
use zargar_core::rules::money::Percent;
use zargar_core::rules::roles::Act;
use zargar_core::{ParseInput, StoreError};

use crate::error::AppResult;
use crate::ipc::*;
use crate::till::Till;

fn view(s: &Store, customer: &str) -> AppResult<AccountView> {
    let f = Formatter::new(s.language()?, s.settings()?.display_unit);
    let statement = s.statement(customer)?;
    let described = statement.lines.iter().map(|l| describe(&l.movement, f)).collect();
    let plans = s.plans(customer, Utc::now())?;
    Ok(AccountView { statement, described, plans })
}

fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn request(s: &Store, input: &AccountMoveInput) -> AppResult<MoveRequest> {
    let unit = s.settings()?.display_unit;
    let amount = || unit.parse_amount(Field::Amount, text(&input.amount).unwrap_or(""));
    let weight = || Weight::parse(Field::Weight, text(&input.weight).unwrap_or(""));
    let purity = || Purity::parse(Field::Purity, text(&input.purity).unwrap_or("750"));
    let method = input.method.unwrap_or(PaymentMethod::Cash);
    Ok(match input.action {
        AccountAction::Payment => MoveRequest::Payment { method, amount: amount()? },
        AccountAction::Payout => MoveRequest::Payout { method, amount: amount()? },
        AccountAction::GoldIn => MoveRequest::GoldIn {
            weight: weight()?,
            purity: purity()?,
            deduction: text(&input.deduction).map(|d| Percent::parse(Field::DeductionPercent, d)).transpose()?,
        },
        AccountAction::GoldOut => MoveRequest::GoldOut { weight: weight()?, purity: purity()? },
        AccountAction::GoldToRial => MoveRequest::GoldToRial { gold: GoldMg::from_mg(weight()?.milligrams()) },
        AccountAction::RialToGold => MoveRequest::RialToGold { amount: amount()? },
        // Recorded by `pay_installment`, not as a movement of its own.
        AccountAction::PayInstallment => return Err(StoreError::PlanNotFound(String::new()).into()),
    })
}

/// The account of a customer (id, mobile or national id).
#[tauri::command]
pub async fn account(till: State<'_, Till>, customer: String) -> AppResult<AccountView> {
    till.store(move |s| view(s, &customer)).await
}

/// Records a movement; `manager_pin`: a manager's or the owner's, for a
/// conversion by a cashier. The account as it then stands.
#[tauri::command]
pub async fn record_account_move(
    till: State<'_, Till>,
    input: AccountMoveInput,
    manager_pin: Option<String>,
) -> AppResult<AccountView> {
    let customer = input.customer.clone();
    till.store(move |s| {
        if input.action == AccountAction::PayInstallment {
            let typed = text(&input.plan).unwrap_or("");
            let plan = uuid::Uuid::parse_str(typed).map_err(|_| StoreError::PlanNotFound(typed.to_owned()))?;
            let unit = s.settings()?.display_unit;
            let amount = unit.parse_amount(Field::Amount, text(&input.amount).unwrap_or(""))?;
            s.pay_installment(plan, input.method.unwrap_or(PaymentMethod::Cash), amount, Utc::now())?;
            return Ok(());
        }
        let req = request(s, &input)?;
        let pin = manager_pin.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let approval = pin.map(|p| s.manager_approval(p, Act::ConvertGold, Utc::now())).transpose()?;
        s.record_account_move(&input.customer, req, text(&input.note), approval.as_ref(), Utc::now())?;
        Ok(())
    })
    .await?;
    till.recorded().await;
    till.store(move |s| view(s, &customer)).await
}

/// How far the customer may owe, as typed in the display unit (a manager or the owner).
#[tauri::command]
pub async fn set_credit_limit(till: State<'_, Till>, customer: String, limit: String) -> AppResult<AccountView> {
    let key = customer.clone();
    till.store(move |s| {
        let unit = s.settings()?.display_unit;
        let limit = unit.parse_amount(Field::Amount, limit.trim()).map_err(|_| StoreError::CreditLimitInvalid)?;
        s.set_credit_limit(&customer, limit, Utc::now())?;
        Ok(())
    })
    .await?;
    till.recorded().await;
    till.store(move |s| view(s, &key)).await
}

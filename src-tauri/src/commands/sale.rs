//! The sale screen: quote and record a sale, a return, find or add the customer.

use chrono::Utc;
use tauri::State;
use zargar_core::Store;
use zargar_core::customer::{Customer, NewCustomer};
use zargar_core::error::Field;
use zargar_core::persian;
use zargar_core::rules::discount::LineDiscount;
use zargar_core::rules::roles::Act;
use zargar_core::sale::{PaymentInput, SaleDiscount, SaleRequest, TradeInInput, parse_discount};
use zargar_core::store::ReturnRequest;

use super::sale_view;
use crate::error::{AppError, AppResult};
use crate::ipc::*;
use crate::till::Till;

pub(super) fn payments(store: &Store, drafts: &[PaymentDraft]) -> AppResult<Vec<PaymentInput>> {
    let unit = store.settings()?.display_unit;
    drafts.iter().map(|p| Ok(PaymentInput::new(p.method, unit.parse_amount(Field::Amount, &p.amount)?)?)).collect()
}

pub(super) fn sale_request(store: &Store, d: &SaleDraft) -> AppResult<SaleRequest> {
    let trade_ins = d
        .trade_ins
        .iter()
        .map(|t| TradeInInput::from_fields(&t.weight, &t.purity, t.deduction.as_deref()).map_err(AppError::from))
        .collect::<AppResult<Vec<_>>>()?;
    let unit = store.settings()?.display_unit;
    let discount = |typed: &Option<String>| -> AppResult<_> {
        Ok(typed.as_deref().map(|t| parse_discount(unit, t)).transpose()?.flatten())
    };
    let discount = SaleDiscount {
        sale: LineDiscount { wage: discount(&d.wage_discount)?, profit: discount(&d.profit_discount)? },
        lines: Vec::new(),
    };
    Ok(SaleRequest {
        items: d.items.iter().map(|c| persian::fold_digits(c.trim())).collect(),
        customer: d.customer.clone(),
        payments: payments(store, &d.payments)?,
        trade_ins,
        profit: None,
        approval: None,
        discount,
        discount_approval: None,
        // Completing a layaway is done headless for now (`zargar sell --layaway`).
        layaway: None,
        exchange: d.exchange.as_ref().map(|x| ReturnRequest {
            invoice_no: x.invoice_no,
            tags: x.tags.iter().map(|t| persian::fold_digits(t.trim())).collect(),
            ..ReturnRequest::default()
        }),
    })
}

#[tauri::command]
pub async fn quote_sale(till: State<'_, Till>, draft: SaleDraft) -> AppResult<Quote> {
    till.store(move |s| {
        let req = sale_request(s, &draft)?;
        Ok(s.draft_sale(&req, Utc::now())?.into())
    })
    .await
}

/// Records the sale. `pin`: the owner's, when the sale was refused for
/// passing one of the shop's offline limits; `manager_pin`: a manager's or
/// the owner's, for a discount past the cashier's limit. Each lets this
/// sale past only.
#[tauri::command]
pub async fn record_sale(
    till: State<'_, Till>,
    draft: SaleDraft,
    pin: Option<String>,
    manager_pin: Option<String>,
) -> AppResult<SaleView> {
    let approval = match pin.filter(|p| !p.trim().is_empty()) {
        Some(pin) => Some(till.owner_once(pin).await?),
        None => None,
    };
    let view = till
        .store(move |s| {
            let discount_approval = match manager_pin.as_deref().filter(|p| !p.trim().is_empty()) {
                Some(pin) => Some(s.manager_approval(pin, Act::ApproveDiscount, Utc::now())?),
                None => None,
            };
            let req = SaleRequest { approval, discount_approval, ..sale_request(s, &draft)? };
            let recorded = s.record_sale(&req, Utc::now())?;
            sale_view(s, &recorded.sale)
        })
        .await?;
    till.recorded().await;
    Ok(view)
}

#[tauri::command]
pub async fn sale_by_invoice(till: State<'_, Till>, invoice_no: u64) -> AppResult<SaleView> {
    till.store(move |s| sale_view(s, &s.sale_by_invoice(invoice_no)?)).await
}

#[tauri::command]
pub async fn quote_return(till: State<'_, Till>, invoice_no: u64, tags: Vec<String>) -> AppResult<ReturnQuoteView> {
    till.store(move |s| {
        let q = s.quote_return(invoice_no, &tags)?;
        Ok(ReturnQuoteView {
            sale: sale_view(s, &q.sale)?,
            lines: q.lines.iter().map(LineView::from).collect(),
            refund: q.refund.decimal().to_string(),
            room: q.room.by_method.to_vec(),
            suggested: q.suggested.to_vec(),
        })
    })
    .await
}

#[tauri::command]
pub async fn record_return(till: State<'_, Till>, input: ReturnInput) -> AppResult<SaleView> {
    let view = till
        .store(move |s| {
            let req = ReturnRequest {
                invoice_no: input.invoice_no,
                tags: input.tags.iter().map(|t| persian::fold_digits(t.trim())).collect(),
                refunds: payments(s, &input.refunds)?,
                reason: input.reason.clone(),
            };
            let ret = s.record_return(&req, Utc::now())?;
            sale_view(s, &s.sale(ret.sale_id)?)
        })
        .await?;
    till.recorded().await;
    Ok(view)
}

#[tauri::command]
pub async fn search_customers(till: State<'_, Till>, query: String) -> AppResult<Vec<Customer>> {
    till.store(move |s| Ok(s.search_customers(&query, 20)?)).await
}

#[tauri::command]
pub async fn add_customer(till: State<'_, Till>, customer: NewCustomerInput) -> AppResult<Customer> {
    let view = till
        .store(move |s| {
            let new = NewCustomer::parse(&customer.name, customer.mobile.as_deref(), customer.national_id.as_deref())?;
            Ok(s.add_customer(&new, Utc::now())?)
        })
        .await?;
    till.recorded().await;
    Ok(view)
}

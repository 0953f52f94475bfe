//! Installment plans on paper: a customer's plans with each installment's
//! state, the overdue list as CSV for a spreadsheet, and reminders as text
//! ready to send (SMS, a messenger).

use std::fmt::Write;

use rust_decimal::Decimal;

use crate::account::{GoldMg, InstallmentState, Plan, PlanUnit};
use crate::i18n::messages;
use crate::invoice::Formatter;
use crate::persian;
use zargar_rules::money::Rial;

fn amount(p: &Plan, v: i64, f: Formatter) -> String {
    match p.unit {
        PlanUnit::Rial => f.money(Rial::from_i64(v)),
        PlanUnit::Gold => messages(f.lang).format("weight-gram", &[("weight", f.number(GoldMg::from_mg(v).grams()))]),
    }
}

fn state_text(s: InstallmentState, f: Formatter) -> String {
    let id = match s {
        InstallmentState::Paid => "installment-paid",
        InstallmentState::Part => "installment-part",
        InstallmentState::Due => "installment-due",
        InstallmentState::Overdue => "installment-overdue",
    };
    messages(f.lang).text(id)
}

/// A customer's plans, each installment on a line.
pub fn render_plans(plans: &[Plan], f: Formatter) -> String {
    let m = messages(f.lang);
    let mut out = String::new();
    for p in plans {
        let title = [("invoice", f.number(p.invoice_no.into())), ("customer", p.customer.clone())];
        let unit = m.text(&format!("plan-unit-{}", p.unit.code()));
        let _ = writeln!(out, "{} ({unit})", m.format("plan-title", &title));
        for i in &p.installments {
            let args = [
                ("no", f.number(i.no.into())),
                ("due", persian::format_day_short(i.due, f.lang)),
                ("amount", amount(p, i.amount, f)),
                ("state", state_text(i.state, f)),
            ];
            let _ = writeln!(out, "  {}", m.format("plan-line", &args));
        }
        let paid = [("paid", amount(p, p.paid, f)), ("total", amount(p, p.total, f))];
        let _ = writeln!(out, "  {}", m.format("plan-paid", &paid));
    }
    out
}

/// One row per overdue installment: customer, mobile, invoice, number,
/// due day (Jalali), unit, what is left of it, days late.
pub fn overdue_csv(plans: &[Plan], today: chrono::NaiveDate) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["customer", "mobile", "invoice_no", "installment", "due", "unit", "left", "days_late"])?;
    for p in plans {
        for i in p.installments.iter().filter(|i| i.state == InstallmentState::Overdue) {
            let left = match p.unit {
                PlanUnit::Rial => i.left.to_string(),
                PlanUnit::Gold => Decimal::new(i.left, 3).to_string(),
            };
            w.write_record([
                p.customer.clone(),
                p.mobile.clone().unwrap_or_default(),
                p.invoice_no.to_string(),
                i.no.to_string(),
                persian::to_jalali(i.due).to_string(),
                p.unit.code().to_owned(),
                left,
                (today - i.due).num_days().to_string(),
            ])?;
        }
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A reminder per overdue installment, in the shop's words.
pub fn reminders(plans: &[Plan], shop: &str, f: Formatter) -> Vec<String> {
    let m = messages(f.lang);
    let mut out = Vec::new();
    for p in plans {
        for i in p.installments.iter().filter(|i| i.state == InstallmentState::Overdue) {
            let args = [
                ("customer", p.customer.clone()),
                ("no", f.number(i.no.into())),
                ("invoice", f.number(p.invoice_no.into())),
                ("amount", amount(p, i.left, f)),
                ("due", persian::format_day_short(i.due, f.lang)),
                ("shop", shop.to_owned()),
            ];
            out.push(m.format("reminder-text", &args));
        }
    }
    out
}

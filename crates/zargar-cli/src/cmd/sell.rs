//! Record a sale and print its invoice (`zargar sell`).

use std::io::Write;

use clap::Args;
use zargar_core::Field;
use zargar_core::ParseInput;
use zargar_core::ValidationError;
use zargar_core::display_unit::DisplayUnit;
use zargar_core::error::Arg;
use zargar_core::invoice::{self};
use zargar_core::rules::discount::LineDiscount;
use zargar_core::rules::money::Percent;
use zargar_core::rules::roles::Act;
use zargar_core::sale::{PaymentInput, SaleDiscount, SaleRequest, TradeInInput, parse_discount};
use zargar_core::store::ReturnRequest;

use crate::{Ctx, Outcome, parse_count};

#[derive(Debug, Args)]
pub(crate) struct SellArgs {
    /// Tag or barcode; repeat for several pieces.
    #[arg(long = "item", required = true)]
    items: Vec<String>,
    /// Customer id, mobile or national id; walk-in when absent.
    #[arg(long)]
    customer: Option<String>,
    /// METHOD=AMOUNT (cash, card, transfer, cheque); repeat to mix.
    #[arg(long = "pay")]
    payments: Vec<String>,
    /// WEIGHT,PURITY[,DEDUCTION%]: old gold netted on the invoice.
    #[arg(long = "trade-in")]
    trade_ins: Vec<String>,
    /// Overrides the shop's profit percentage for this sale.
    #[arg(long)]
    profit_percent: Option<String>,
    /// An exchange: the invoice whose pieces come back in this sale; their
    /// value pays it first.
    #[arg(long)]
    exchange_invoice: Option<String>,
    /// Tags of that invoice coming back; all its pieces when absent.
    #[arg(long = "exchange-item", requires = "exchange_invoice")]
    exchange_items: Vec<String>,
    /// When the pieces coming back are worth more: METHOD=AMOUNT given back
    /// (cash first, then how the invoice was paid, when absent).
    #[arg(long = "refund", requires = "exchange_invoice")]
    refunds: Vec<String>,
    /// The owner's PIN, for a sale past the shop's offline limits (the
    /// variable keeps it out of the process list).
    #[arg(long, env = "ZARGAR_OWNER_PIN", hide_env_values = true)]
    owner_pin: Option<String>,
    /// Off the whole sale's making charge: a percent with `%` (10%), else
    /// Rials spread over the pieces.
    #[arg(long)]
    wage_discount: Option<String>,
    /// Off the whole sale's profit: a percent with `%`, else Rials.
    #[arg(long)]
    profit_discount: Option<String>,
    /// TAG=DISCOUNT off one piece's making charge (that piece takes no share
    /// of the sale's discount); repeat for several.
    #[arg(long = "line-wage-discount")]
    line_wage_discounts: Vec<String>,
    /// TAG=DISCOUNT off one piece's profit.
    #[arg(long = "line-profit-discount")]
    line_profit_discounts: Vec<String>,
    /// A manager's (or the owner's) PIN, for a discount past the cashier's
    /// limit.
    #[arg(long, env = "ZARGAR_MANAGER_PIN", hide_env_values = true)]
    manager_pin: Option<String>,
    /// The layaway this sale completes (its id): its pieces, reserved for
    /// the customer, are sold to them; --pay account=… spends the deposit.
    #[arg(long, requires = "customer")]
    layaway: Option<String>,
}

/// The sale's discounts as typed on the command line, in Rials.
fn discounts(a: &SellArgs) -> Result<SaleDiscount, ValidationError> {
    let one = |typed: Option<&String>| Ok(typed.map(|s| parse_discount(DisplayUnit::Rial, s)).transpose()?.flatten());
    let mut d = SaleDiscount {
        sale: LineDiscount { wage: one(a.wage_discount.as_ref())?, profit: one(a.profit_discount.as_ref())? },
        lines: vec![None; a.items.len()],
    };
    for (typed, wage) in
        a.line_wage_discounts.iter().map(|t| (t, true)).chain(a.line_profit_discounts.iter().map(|t| (t, false)))
    {
        let (tag, amount) = typed.split_once('=').ok_or_else(|| ValidationError::new(Field::Discount, typed))?;
        let i = a
            .items
            .iter()
            .position(|code| code.trim() == tag.trim())
            .ok_or_else(|| ValidationError::new(Field::Discount, typed))?;
        let line = d.lines[i].get_or_insert_with(LineDiscount::default);
        let given = parse_discount(DisplayUnit::Rial, amount)?;
        if wage {
            line.wage = given;
        } else {
            line.profit = given;
        }
    }
    Ok(d)
}

pub(crate) fn sell(ctx: &Ctx, a: &SellArgs) -> Outcome {
    let mut store = ctx.store()?;
    let req = SaleRequest {
        items: a.items.clone(),
        customer: a.customer.clone(),
        payments: a.payments.iter().map(|p| PaymentInput::parse(p)).collect::<Result<_, _>>()?,
        trade_ins: a.trade_ins.iter().map(|t| TradeInInput::parse(t)).collect::<Result<_, _>>()?,
        profit: a.profit_percent.as_deref().map(|p| Percent::parse(Field::ProfitPercent, p)).transpose()?,
        exchange: match &a.exchange_invoice {
            None => None,
            Some(no) => Some(ReturnRequest {
                invoice_no: parse_count(Field::Amount, no)?,
                tags: a.exchange_items.clone(),
                refunds: a.refunds.iter().map(|p| PaymentInput::parse(p)).collect::<Result<_, _>>()?,
                reason: None,
            }),
        },
        approval: a.owner_pin.as_deref().map(|pin| store.approve_as_owner(pin)).transpose()?,
        discount: discounts(a)?,
        discount_approval: a
            .manager_pin
            .as_deref()
            .map(|pin| store.manager_approval(pin, Act::ApproveDiscount, ctx.now))
            .transpose()?,
        layaway: a
            .layaway
            .as_deref()
            .map(|l| uuid::Uuid::parse_str(l.trim()).map_err(|_| zargar_core::StoreError::LayawayNotOpen(l.to_owned())))
            .transpose()?,
    };
    let recorded = store.record_sale(&req, ctx.now)?;
    // Only now, after COMMIT, is the sale reported.
    for w in &recorded.warnings {
        ctx.warn(w);
    }
    if ctx.json {
        ctx.print_json(&serde_json::json!({
            "saved": true, "sale": recorded.sale, "warnings": recorded.warnings, "credit_note": recorded.credit_note
        }));
    } else {
        if let Some(note) = &recorded.credit_note {
            print!("{}", invoice::render_return(note, &store.device()?.name, ctx.formatter(&store)?));
        }
        print!(
            "{}",
            invoice::render_invoice(
                &recorded.sale,
                &store.legal_blocks(&recorded.sale)?,
                &store.device()?.name,
                ctx.formatter(&store)?,
            )
        );
        println!("{}", ctx.tf("cli-sale-saved", &[("number", Arg::Number(recorded.sale.invoice_no.into()))]));
    }
    let _ = std::io::stdout().flush();
    Ok(())
}

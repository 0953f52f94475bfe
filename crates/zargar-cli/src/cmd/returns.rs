//! Take pieces of a sale back (`zargar return`).

use clap::Args;
use zargar_core::Field;
use zargar_core::invoice::{self};
use zargar_core::sale::{PaymentInput, parse_payment_method};
use zargar_core::store::ReturnRequest;

use crate::{Ctx, Outcome, parse_count};

#[derive(Debug, Args)]
pub(crate) struct ReturnArgs {
    #[arg(long)]
    invoice: String,
    /// Tags to return; all pieces of the invoice when absent.
    #[arg(long = "item")]
    items: Vec<String>,
    /// METHOD=AMOUNT given back; repeat to split. A bare METHOD gives it
    /// all back that way. Default: cash, then how the invoice was paid,
    /// never more by a method than was paid by it.
    #[arg(long = "refund")]
    refunds: Vec<String>,
    #[arg(long)]
    reason: Option<String>,
}

pub(crate) fn return_cmd(ctx: &Ctx, a: &ReturnArgs) -> Outcome {
    let invoice_no = parse_count(Field::Amount, &a.invoice)?;
    let mut store = ctx.store()?;
    let refunds = match a.refunds.as_slice() {
        [one] if !one.contains('=') => {
            let refund = store.quote_return(invoice_no, &a.items)?.refund;
            vec![PaymentInput::new(parse_payment_method(one)?, refund)?]
        }
        many => many.iter().map(|p| PaymentInput::parse(p)).collect::<Result<_, _>>()?,
    };
    let req = ReturnRequest { invoice_no, tags: a.items.clone(), refunds, reason: a.reason.clone() };
    let ret = store.record_return(&req, ctx.now)?;
    if ctx.json {
        ctx.print_json(&serde_json::json!({"saved": true, "return": ret}));
    } else {
        print!("{}", invoice::render_return(&ret, &store.device()?.name, ctx.formatter(&store)?));
    }
    Ok(())
}

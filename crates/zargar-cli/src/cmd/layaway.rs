//! Layaways (`zargar layaway`): pieces put aside for a customer against a
//! deposit, reserved on every till; cancelled (the deposit stays as credit)
//! or completed by `zargar sell --layaway ID`.

use clap::Subcommand;
use zargar_core::error::Arg;
use zargar_core::sale::PaymentInput;

use crate::{Ctx, Outcome, report};

#[derive(Debug, Subcommand)]
pub(crate) enum LayawayCmd {
    /// Put pieces aside (tag or barcode, repeat --item) for a customer (id,
    /// mobile or national id), with a deposit METHOD=AMOUNT.
    Add {
        customer: String,
        #[arg(long = "item", required = true)]
        items: Vec<String>,
        #[arg(long)]
        deposit: Option<String>,
    },
    /// Cancel layaway ID: its pieces back in stock, the deposit left on the
    /// customer's account.
    Cancel { id: String },
    /// A customer's layaways, newest first.
    List { customer: String },
}

pub(crate) fn layaway(ctx: &Ctx, cmd: LayawayCmd) -> Outcome {
    let mut store = ctx.store()?;
    match cmd {
        LayawayCmd::Add { customer, items, deposit } => {
            let deposit = deposit.as_deref().map(PaymentInput::parse).transpose()?.map(|p| (p.method, p.amount));
            let l = store.create_layaway(&customer, &items, deposit, ctx.now)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "saved": true, "layaway": l }));
            } else {
                let (c, _) = store.account_balance(&customer)?;
                report(
                    ctx,
                    "cli-layaway-made",
                    &[("count", Arg::Number(l.tags.len().into())), ("customer", Arg::Text(c.name))],
                );
                println!("{}", l.id);
            }
        }
        LayawayCmd::Cancel { id } => {
            let parsed =
                uuid::Uuid::parse_str(id.trim()).map_err(|_| zargar_core::StoreError::LayawayNotOpen(id.clone()))?;
            store.cancel_layaway(parsed, ctx.now)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "saved": true }));
            } else {
                report(ctx, "cli-layaway-cancelled", &[]);
            }
        }
        LayawayCmd::List { customer } => {
            let all = store.layaways(&customer)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "layaways": all }));
            } else {
                for l in all {
                    println!("{}  {}  {}", l.id, l.state, l.tags.join(", "));
                }
            }
        }
    }
    Ok(())
}

//! `zargar tax`: where the shop's Moadian invoices stand with the tax
//! organisation, as the server told this till (the rejected first, with the
//! service's reasons), and the tax id of a sale's invoice.

use clap::Subcommand;

use crate::{Ctx, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum TaxCmd {
    /// The shop's invoices: the rejected first, then the newest.
    Invoices {
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
}

pub(crate) fn tax(ctx: &Ctx, cmd: TaxCmd) -> Outcome {
    let store = ctx.store()?;
    match cmd {
        TaxCmd::Invoices { limit } => {
            let all = store.tax_invoices(limit)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "invoices": all, "seller": store.legal_identity()? }));
            } else {
                for i in all {
                    let reasons: Vec<String> =
                        i.messages.iter().map(|m| format!("{}: {}", m.code, m.message)).collect();
                    println!("{}\t{}\t{}\t{}", i.tax_id, i.subject.code(), i.status.code(), reasons.join("; "));
                }
            }
        }
    }
    Ok(())
}

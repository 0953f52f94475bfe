//! Registered customers (`zargar customer`).

use clap::Subcommand;
use zargar_core::customer;
use zargar_core::error::Arg;

use crate::{Ctx, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum CustomerCmd {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        mobile: Option<String>,
        #[arg(long)]
        national_id: Option<String>,
        /// A business buyer's economic code (11 to 14 digits), for the invoice.
        #[arg(long)]
        economic_code: Option<String>,
        /// The postal code (10 digits), for the invoice.
        #[arg(long)]
        postal_code: Option<String>,
    },
    List {
        #[arg(long, default_value = "")]
        search: String,
    },
}

pub(crate) fn customer_cmd(ctx: &Ctx, cmd: CustomerCmd) -> Outcome {
    let mut store = ctx.store()?;
    match cmd {
        CustomerCmd::Add { name, mobile, national_id, economic_code, postal_code } => {
            let new = customer::NewCustomer::parse(&name, mobile.as_deref(), national_id.as_deref())?
                .with_tax_ids(economic_code.as_deref(), postal_code.as_deref())?;
            let c = store.add_customer(&new, ctx.now)?;
            if ctx.json {
                ctx.print_json(&c);
            } else {
                println!(
                    "{}",
                    ctx.tf("cli-customer-added", &[("name", Arg::Text(c.name)), ("id", Arg::Text(c.id.to_string()))])
                );
            }
        }
        CustomerCmd::List { search } => {
            let list = store.search_customers(&search, 200)?;
            if ctx.json {
                ctx.print_json(&list);
            } else {
                for c in list {
                    let mobile = c.mobile.map(|m| m.to_string()).unwrap_or_default();
                    println!("{}\t{}\t{}", c.id, c.name, mobile);
                }
            }
        }
    }
    Ok(())
}

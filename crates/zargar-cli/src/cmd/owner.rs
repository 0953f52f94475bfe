//! The owner of this till: name and PIN (`zargar owner`).

use clap::Subcommand;
use zargar_core::error::Arg;

use crate::{Ctx, Outcome, report};

#[derive(Debug, Subcommand)]
pub(crate) enum OwnerCmd {
    /// Set the owner's name and PIN (4–8 digits); changing it needs the current PIN.
    Set {
        #[arg(long)]
        name: String,
        #[arg(long)]
        pin: String,
        #[arg(long)]
        current_pin: Option<String>,
    },
    Show,
}

pub(crate) fn owner_cmd(ctx: &Ctx, cmd: OwnerCmd) -> Outcome {
    let mut store = ctx.store()?;
    match cmd {
        OwnerCmd::Set { name, pin, current_pin } => {
            let owner = store.set_owner_pin(&name, &pin, current_pin.as_deref())?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "owner": owner.name }));
            } else {
                report(ctx, "cli-owner-set", &[("name", Arg::Text(owner.name))]);
            }
        }
        OwnerCmd::Show => {
            let owner = store.owner()?.map(|o| o.name);
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "owner": owner }));
            } else {
                match owner {
                    Some(name) => report(ctx, "cli-owner-show", &[("name", Arg::Text(name))]),
                    None => println!("{}", ctx.t("cli-owner-none")),
                }
            }
        }
    }
    Ok(())
}

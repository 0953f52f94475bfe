//! The shop's people (`zargar people`): who works the counter, in which
//! role, with which PIN. Adding or changing someone is the owner's: sign in
//! with `--as NAME` and `ZARGAR_PIN`.

use clap::Subcommand;
use zargar_core::error::Arg;
use zargar_core::store::{Person, PersonEdit, parse_discount_limit};
use zargar_core::wire::Role;

use crate::{Ctx, Outcome, report};

#[derive(Debug, Subcommand)]
pub(crate) enum PeopleCmd {
    /// Everyone on record, active first.
    List,
    /// Add a person: owner, manager or cashier, with their PIN (4–8 digits).
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["owner", "manager", "cashier"])]
        role: String,
        #[arg(long)]
        pin: String,
        /// What a cashier may take off a sale's making charge and profit, in percent.
        #[arg(long, default_value = "0")]
        discount_limit: String,
    },
    /// Change someone: a new role, PIN or limit, or `--active false` when they leave.
    Set {
        name: String,
        #[arg(long)]
        new_name: Option<String>,
        #[arg(long, value_parser = ["owner", "manager", "cashier"])]
        role: Option<String>,
        #[arg(long)]
        pin: Option<String>,
        #[arg(long)]
        discount_limit: Option<String>,
        #[arg(long)]
        active: Option<bool>,
    },
}

fn role(code: &str) -> Role {
    Role::from_code(code).unwrap_or(Role::Cashier)
}

fn show(ctx: &Ctx, p: &Person) {
    let role = ctx.t(&format!("role-{}", p.role.code()));
    let state = if p.active { String::new() } else { format!(" ({})", ctx.t("cli-people-left")) };
    println!("{}\t{role}\t{}%{state}", p.name, p.discount_limit_percent);
}

pub(crate) fn people(ctx: &Ctx, cmd: PeopleCmd) -> Outcome {
    let mut store = ctx.store()?;
    match cmd {
        PeopleCmd::List => {
            let people = store.people()?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "people": people }));
            } else {
                people.iter().for_each(|p| show(ctx, p));
            }
            return Ok(());
        }
        PeopleCmd::Add { name, role: r, pin, discount_limit } => {
            let edit = PersonEdit {
                name: Some(name),
                role: Some(role(&r)),
                pin: Some(pin),
                discount_limit_percent: Some(parse_discount_limit(&discount_limit)?),
                ..PersonEdit::default()
            };
            let saved = store.save_person(&edit, ctx.now)?;
            done(ctx, &saved);
        }
        PeopleCmd::Set { name, new_name, role: r, pin, discount_limit, active } => {
            let id = store
                .people()?
                .into_iter()
                .find(|p| p.name == name.trim())
                .map(|p| p.id)
                .ok_or_else(|| zargar_core::StoreError::PersonUnknown(name.clone()))?;
            let edit = PersonEdit {
                id: Some(id),
                name: new_name,
                role: r.as_deref().map(role),
                pin,
                active,
                discount_limit_percent: discount_limit.as_deref().map(parse_discount_limit).transpose()?,
            };
            let saved = store.save_person(&edit, ctx.now)?;
            done(ctx, &saved);
        }
    }
    Ok(())
}

fn done(ctx: &Ctx, p: &Person) {
    if ctx.json {
        ctx.print_json(&serde_json::json!({ "person": p }));
    } else {
        report(ctx, "cli-people-saved", &[("name", Arg::Text(p.name.clone()))]);
    }
}

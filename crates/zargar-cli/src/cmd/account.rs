//! Customers' accounts (`zargar account`): balances and statements, money
//! and old gold taken against an account or handed back, conversions at the
//! day's price, credit limits, and the shop's receivables.

use clap::Subcommand;
use zargar_core::account::{GoldMg, MoveRequest, PlanUnit};
use zargar_core::account_statement::{render_receivables, render_statement};
use zargar_core::error::Arg;
use zargar_core::installments::{overdue_csv, reminders, render_plans};
use zargar_core::message_id::MessageId;
use zargar_core::persian::parse_date;
use zargar_core::rules::measure::{Purity, Weight};
use zargar_core::rules::money::Rial;
use zargar_core::rules::roles::Act;
use zargar_core::sale::{PaymentMethod, TradeInInput, parse_payment_method};
use zargar_core::{Field, ParseInput};

use crate::{Ctx, Outcome, parse_count, report};

#[derive(Debug, Subcommand)]
pub(crate) enum AccountCmd {
    /// A customer's Rial and gold balances (by id, mobile or national id).
    Balance { customer: String },
    /// A customer's ledger: every movement with the balances after it.
    Statement { customer: String },
    /// Money received against the account.
    Pay {
        customer: String,
        #[arg(long)]
        amount: String,
        #[arg(long, default_value = "cash")]
        method: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Rial credit paid back to the customer.
    Payout {
        customer: String,
        #[arg(long)]
        amount: String,
        #[arg(long, default_value = "cash")]
        method: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Old gold kept as the customer's credit: WEIGHT,PURITY[,DEDUCTION%]
    /// (the shop's melting loss when none is given).
    GoldIn {
        customer: String,
        #[arg(long)]
        gold: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Gold credit handed back, as weighed: WEIGHT,PURITY.
    GoldOut {
        customer: String,
        #[arg(long)]
        gold: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Gold credit (grams of 18k) to Rials, or Rials to gold, at the day's
    /// price; a cashier gives a manager's PIN.
    Convert {
        customer: String,
        #[arg(long, conflicts_with = "rial_to_gold", required_unless_present = "rial_to_gold")]
        gold_to_rial: Option<String>,
        #[arg(long)]
        rial_to_gold: Option<String>,
        #[arg(long)]
        manager_pin: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// How far the customer may owe, in Rials (a manager or the owner).
    Limit {
        customer: String,
        #[arg(long)]
        limit: String,
    },
    /// What the shop's customers owe and are owed, in total.
    Receivables,
    /// Split what sale INVOICE left on account into COUNT installments a
    /// month apart (from --first-due, Jalali or Gregorian; a month from
    /// today when absent); --gold fixes the debt in grams at the sale's price.
    Plan {
        #[arg(long)]
        invoice: String,
        #[arg(long)]
        count: String,
        #[arg(long)]
        gold: bool,
        #[arg(long)]
        first_due: Option<String>,
    },
    /// A customer's plans, each installment with its state.
    Plans { customer: String },
    /// Pay towards plan ID: money, valued at today's price for a plan in gold.
    PayInstallment {
        #[arg(long)]
        plan: String,
        #[arg(long)]
        amount: String,
        #[arg(long, default_value = "cash")]
        method: String,
    },
    /// Every overdue installment: --csv for a spreadsheet, --text for
    /// reminders ready to send.
    Overdue {
        #[arg(long, conflicts_with = "text")]
        csv: bool,
        #[arg(long)]
        text: bool,
    },
}

fn money_method(s: &str) -> Result<PaymentMethod, zargar_core::ValidationError> {
    parse_payment_method(s)
}

pub(crate) fn account(ctx: &Ctx, cmd: AccountCmd) -> Outcome {
    let mut store = ctx.store()?;
    let (customer, req, note, pin) = match cmd {
        AccountCmd::Balance { customer } => {
            let (c, b) = store.account_balance(&customer)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "customer": c, "balance": b }));
            } else {
                let s = store.statement(&c.id.to_string())?;
                let text = render_statement(&s, ctx.now, ctx.formatter(&store)?);
                // The closing lines: the balances and what is left.
                let tail: Vec<&str> = text.lines().rev().take_while(|l| !l.starts_with("---")).collect();
                for l in tail.into_iter().rev() {
                    println!("{l}");
                }
            }
            return Ok(());
        }
        AccountCmd::Statement { customer } => {
            let s = store.statement(&customer)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "statement": s }));
            } else {
                print!("{}", render_statement(&s, ctx.now, ctx.formatter(&store)?));
            }
            return Ok(());
        }
        AccountCmd::Receivables => {
            let r = store.receivables()?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "receivables": r }));
            } else {
                print!("{}", render_receivables(&r, ctx.formatter(&store)?));
            }
            return Ok(());
        }
        AccountCmd::Limit { customer, limit } => {
            let limit = Rial::parse(Field::Amount, &limit)?;
            let c = store.set_credit_limit(&customer, limit, ctx.now)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "saved": true, "customer": c }));
            } else {
                report(ctx, "cli-credit-limit-set", &[("customer", Arg::Text(c.name)), ("limit", Arg::Money(limit))]);
            }
            return Ok(());
        }
        AccountCmd::Plan { invoice, count, gold, first_due } => {
            let invoice = parse_count(Field::Amount, &invoice)?;
            let count = u32::try_from(parse_count(Field::Amount, &count)?)
                .map_err(|_| zargar_core::ValidationError::new(Field::Amount, &count))?;
            let first = first_due
                .as_deref()
                .map(|d| parse_date(d).ok_or_else(|| zargar_core::ValidationError::new(Field::Date, d)))
                .transpose()?;
            let unit = if gold { PlanUnit::Gold } else { PlanUnit::Rial };
            let plan = store.create_plan(invoice, count, unit, first, ctx.now)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "saved": true, "plan": plan }));
            } else {
                report(ctx, "cli-plan-made", &[("count", Arg::Number(count.into()))]);
                print!("{}", render_plans(std::slice::from_ref(&plan), ctx.formatter(&store)?));
            }
            return Ok(());
        }
        AccountCmd::Plans { customer } => {
            let plans = store.plans(&customer, ctx.now)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "plans": plans }));
            } else {
                print!("{}", render_plans(&plans, ctx.formatter(&store)?));
            }
            return Ok(());
        }
        AccountCmd::PayInstallment { plan, amount, method } => {
            let id =
                uuid::Uuid::parse_str(plan.trim()).map_err(|_| zargar_core::StoreError::PlanNotFound(plan.clone()))?;
            let moves =
                store.pay_installment(id, money_method(&method)?, Rial::parse(Field::Amount, &amount)?, ctx.now)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "saved": true, "movements": moves }));
            } else {
                let kind = Arg::Message(zargar_core::account::AccountMoveKind::Payment.message_id());
                report(ctx, "cli-account-recorded", &[("kind", kind), ("customer", Arg::Text(String::new()))]);
            }
            return Ok(());
        }
        AccountCmd::Overdue { csv, text } => {
            let plans = store.overdue(ctx.now)?;
            if csv {
                let today = zargar_core::persian::tehran_date(ctx.now);
                print!("{}", overdue_csv(&plans, today).map_err(zargar_core::StoreError::from)?);
            } else if text {
                let shop = store
                    .sync_link()?
                    .map_or_else(|| store.device().map(|d| d.name.clone()).unwrap_or_default(), |l| l.tenant.name);
                for r in reminders(&plans, &shop, ctx.formatter(&store)?) {
                    println!("{r}\n");
                }
            } else if ctx.json {
                ctx.print_json(&serde_json::json!({ "overdue": plans }));
            } else {
                print!("{}", render_plans(&plans, ctx.formatter(&store)?));
            }
            return Ok(());
        }
        AccountCmd::Pay { customer, amount, method, note } => {
            let req =
                MoveRequest::Payment { method: money_method(&method)?, amount: Rial::parse(Field::Amount, &amount)? };
            (customer, req, note, None)
        }
        AccountCmd::Payout { customer, amount, method, note } => {
            let req =
                MoveRequest::Payout { method: money_method(&method)?, amount: Rial::parse(Field::Amount, &amount)? };
            (customer, req, note, None)
        }
        AccountCmd::GoldIn { customer, gold, note } => {
            let g = TradeInInput::parse(&gold)?;
            (customer, MoveRequest::GoldIn { weight: g.weight, purity: g.purity, deduction: g.deduction }, note, None)
        }
        AccountCmd::GoldOut { customer, gold, note } => {
            let (w, p) =
                gold.split_once([',', '،']).ok_or_else(|| zargar_core::ValidationError::new(Field::TradeIn, &gold))?;
            let req = MoveRequest::GoldOut {
                weight: Weight::parse(Field::Weight, w)?,
                purity: Purity::parse(Field::Purity, p)?,
            };
            (customer, req, note, None)
        }
        AccountCmd::Convert { customer, gold_to_rial, rial_to_gold, manager_pin, note } => {
            let req = match (gold_to_rial, rial_to_gold) {
                (Some(g), _) => {
                    MoveRequest::GoldToRial { gold: GoldMg::from_mg(Weight::parse(Field::Weight, &g)?.milligrams()) }
                }
                (None, Some(r)) => MoveRequest::RialToGold { amount: Rial::parse(Field::Amount, &r)? },
                (None, None) => unreachable!("clap requires one"),
            };
            (customer, req, note, manager_pin)
        }
    };
    let approval = pin.as_deref().map(|p| store.manager_approval(p, Act::ConvertGold, ctx.now)).transpose()?;
    let recorded = store.record_account_move(&customer, req, note.as_deref(), approval.as_ref(), ctx.now)?;
    let (c, balance) = store.account_balance(&customer)?;
    if ctx.json {
        ctx.print_json(&serde_json::json!({ "saved": true, "movement": recorded, "balance": balance }));
    } else {
        let kind = Arg::Message(recorded.kind.message_id());
        report(ctx, "cli-account-recorded", &[("kind", kind), ("customer", Arg::Text(c.name))]);
    }
    Ok(())
}

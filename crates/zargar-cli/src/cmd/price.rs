//! The day's gold price (`zargar price`).

use clap::Subcommand;
use zargar_core::ParseInput;
use zargar_core::error::Arg;
use zargar_core::gold_price::{NewPrice, PriceEntry};
use zargar_core::rules::money::Rial;
use zargar_core::store::Warning;
use zargar_core::{Field, StoreError, ValidationError, persian};

use crate::{Ctx, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum PriceCmd {
    /// Set today's price: Rial per gram of 18k, or the mesghal quote.
    #[command(allow_negative_numbers = true)]
    Set {
        #[arg(required_unless_present = "mazaneh", conflicts_with = "mazaneh")]
        rial: Option<String>,
        #[arg(long)]
        mazaneh: Option<String>,
        /// The shop's price: sent to every till, and the server judges sales
        /// by it (as when the owner sets it in the app). Without it the price
        /// is this till's own.
        #[arg(long)]
        shop: bool,
        /// Who sets it (with --shop); the till's owner by default.
        #[arg(long, requires = "shop")]
        by: Option<String>,
    },
    Show,
    History {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
}

pub(crate) fn price(ctx: &Ctx, cmd: PriceCmd) -> Outcome {
    let mut store = ctx.store()?;
    let f = ctx.formatter(&store)?;
    match cmd {
        PriceCmd::Set { rial, mazaneh, shop, by } => {
            let entry = match (rial, mazaneh) {
                (_, Some(m)) => PriceEntry::Mazaneh(Rial::parse(Field::Mazaneh, &m)?),
                (Some(r), None) => PriceEntry::PerGram18k(Rial::parse(Field::GoldPrice, &r)?),
                (None, None) => return Err(ValidationError::new(Field::GoldPrice, "").into()),
            };
            // A script asks no question: the shop's bounds still refuse the absurd.
            let new = if shop {
                let by = match by {
                    Some(b) => b,
                    None => store.owner()?.map(|o| o.name).unwrap_or_else(|| "IT".to_owned()),
                };
                NewPrice::shop(entry, &by, true)
            } else {
                NewPrice::till(entry)
            };
            let p = store.set_price(&new, ctx.now)?;
            if ctx.json {
                ctx.print_json(&p);
            } else {
                println!("{}", ctx.tf("cli-price-set", &[("price", Arg::Text(f.money(p.per_gram_18k)))]));
            }
        }
        PriceCmd::Show => {
            let status = store.status(ctx.now)?;
            let Some(p) = status.gold_price.clone() else {
                return Err(StoreError::NoGoldPrice.into());
            };
            if ctx.json {
                ctx.print_json(&serde_json::json!({
                    "price": p, "age_seconds": status.gold_price_age_seconds, "stale": status.gold_price_stale
                }));
            } else {
                println!(
                    "{}",
                    ctx.tf(
                        "cli-price-show",
                        &[
                            ("price", Arg::Text(f.money(p.per_gram_18k))),
                            ("date", Arg::Text(persian::format_date_short(p.set_at, ctx.lang))),
                            ("time", Arg::Text(persian::format_time(p.set_at, ctx.lang))),
                        ]
                    )
                );
                if let Some(m) = p.mazaneh {
                    println!("{}", ctx.tf("cli-price-mazaneh", &[("mazaneh", Arg::Text(f.money(m)))]));
                }
                if status.gold_price_stale {
                    let hours = status.gold_price_age_seconds.unwrap_or(0) / 3600;
                    let limit = store.settings()?.price_max_age_hours;
                    ctx.warn(&Warning::StalePrice { age_hours: hours, limit_hours: limit });
                }
            }
        }
        PriceCmd::History { limit } => {
            let history = store.gold_price_history(limit)?;
            if ctx.json {
                ctx.print_json(&history);
            } else {
                for p in history {
                    println!(
                        "{} {}  {}",
                        persian::format_date_short(p.set_at, ctx.lang),
                        persian::format_time(p.set_at, ctx.lang),
                        f.money(p.per_gram_18k)
                    );
                }
            }
        }
    }
    Ok(())
}

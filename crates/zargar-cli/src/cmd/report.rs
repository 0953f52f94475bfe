//! `zargar report`: the owner's view of the whole shop, read from its
//! server (an owner's device only): per Tehran day, till and person, and
//! every till's Z reports.

use clap::Args;
use zargar_core::error::Arg;
use zargar_core::persian;
use zargar_core::rules::money::Rial;
use zargar_core::sync::{self, SyncConfig};
use zargar_core::{Field, ValidationError};

use crate::{Ctx, Outcome};

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// The first Tehran day (Jalali 1405/09/10 or Gregorian); today when absent.
    #[arg(long)]
    from: Option<String>,
    /// The last day, inclusive; `--from` when absent.
    #[arg(long)]
    to: Option<String>,
}

pub(crate) fn report_cmd(ctx: &Ctx, a: &ReportArgs) -> Outcome {
    ctx.store()?;
    let day = |s: &str| persian::parse_date(s).ok_or_else(|| ValidationError::new(Field::Date, s));
    let today = persian::tehran_offset_datetime(ctx.now).date_naive();
    let from = a.from.as_deref().map(day).transpose()?.unwrap_or(today);
    let to = a.to.as_deref().map(day).transpose()?.unwrap_or(from);
    let rt = super::sync::runtime()?;
    let report = rt.block_on(sync::shop_report(&ctx.db_path(), from, to, &SyncConfig::default()))?;
    if ctx.json {
        ctx.print_json(&serde_json::json!({ "report": report }));
        return Ok(());
    }
    let money = |d: rust_decimal::Decimal| Arg::Money(Rial::floor(d));
    for r in &report.rows {
        let grams: Vec<String> = r.grams.iter().map(|g| format!("{}: {}", g.purity, g.grams)).collect();
        println!(
            "{}",
            ctx.tf(
                "cli-report-row",
                &[
                    ("day", Arg::Text(persian::format_day_short(r.day, ctx.lang))),
                    ("till", Arg::Text(r.till.clone())),
                    ("seller", Arg::Text(r.seller.clone().unwrap_or_default())),
                    ("sales", Arg::Number(r.sales.into())),
                    ("total", money(r.total)),
                    ("discounts", money(r.discounts)),
                    ("grams", Arg::Text(grams.join(", "))),
                ],
            )
        );
    }
    for z in &report.z_reports {
        println!(
            "{}",
            ctx.tf(
                "cli-report-z",
                &[
                    ("till", Arg::Text(z.till.clone())),
                    ("number", Arg::Number(z.z_no.into())),
                    ("over_short", money(z.over_short)),
                    ("grand_total", money(z.grand_total)),
                ],
            )
        );
    }
    Ok(())
}

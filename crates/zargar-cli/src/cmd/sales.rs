//! Recorded sales: the list and the report (`zargar sales`).

use clap::Subcommand;
use zargar_core::error::Arg;
use zargar_core::i18n::messages;
use zargar_core::message_id::MessageId;
use zargar_core::persian;
use zargar_core::store::{EntryKind, TimeSpan};

use crate::{Ctx, Outcome, days};

#[derive(Debug, Subcommand)]
pub(crate) enum SalesCmd {
    List {
        /// First day (Jalali 1404/08/30 or Gregorian 2025-11-21), Tehran time.
        #[arg(long)]
        from: Option<String>,
        /// Last day, inclusive.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// The end-of-day report: sales and returns apart, money by method,
    /// old gold taken in, cash expected in the drawer (default: today).
    Report {
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
}

pub(crate) fn sales_list(ctx: &Ctx, from: Option<String>, to: Option<String>, limit: u32) -> Outcome {
    let store = ctx.store()?;
    let f = ctx.formatter(&store)?;
    let entries = store.day_entries(days(from.as_deref(), to.as_deref())?, limit)?;
    if ctx.json {
        ctx.print_json(&entries);
        return Ok(());
    }
    for s in &entries {
        let kind = match s.kind {
            EntryKind::Sale => "export-kind-sale",
            EntryKind::Return => "export-kind-return",
        };
        println!(
            "{} {}\t{} {}\t{}\t{}\t{}",
            ctx.t(kind),
            f.number(s.number.into()),
            persian::format_date_short(s.at, ctx.lang),
            persian::format_time(s.at, ctx.lang),
            messages(ctx.lang).format("weight-gram", &[("weight", f.number(s.weight.decimal()))]),
            f.money(s.total),
            ctx.t(&format!("sync-state-{}", s.sync.code())),
        );
    }
    Ok(())
}

pub(crate) fn sales_report(ctx: &Ctx, from: Option<String>, to: Option<String>) -> Outcome {
    let store = ctx.store()?;
    let span = match (from, to) {
        (None, None) => {
            let today = persian::tehran_offset_datetime(ctx.now).date_naive();
            TimeSpan::tehran_days(Some(today), Some(today))
        }
        (from, to) => days(from.as_deref(), to.as_deref())?,
    };
    let r = store.sales_report(span)?;
    if ctx.json {
        ctx.print_json(&r);
        return Ok(());
    }
    let f = ctx.formatter(&store)?;
    let count = |n: u64| ctx.tf("report-count", &[("count", Arg::Number(n.into()))]);
    println!("{}", ctx.t("report-title"));
    println!("{}: {}\t{}", ctx.t("report-sales"), count(r.sales), f.money(r.sales_total));
    println!("{}: {}\t{}", ctx.t("report-returns"), count(r.returns), f.money(r.returns_total));
    println!("{}: {}", ctx.t("report-net"), f.money(r.net_total));
    println!("{}:", ctx.t("report-old-gold"));
    if r.old_gold.is_empty() {
        println!("  {}", ctx.t("report-old-gold-none"));
    }
    for g in &r.old_gold {
        let grams = ctx.tf("report-grams", &[("grams", Arg::Number(g.grams))]);
        println!("  {}\t{grams}\t{}", f.purity(g.purity), f.money(g.value));
    }
    println!("{}:", ctx.t("report-by-method"));
    for m in &r.by_method {
        println!(
            "  {}\t{}: {}\t{}: {}\t{}: {}",
            ctx.t(&m.method.message_id()),
            ctx.t("report-received"),
            f.money(m.received),
            ctx.t("report-refunded"),
            f.money(m.refunded),
            ctx.t("report-method-net"),
            f.money(m.net),
        );
    }
    println!("{}: {}", ctx.t("report-cash-expected"), f.money(r.cash_expected));
    Ok(())
}

//! Pending outbox, oldest pending sale, gold price age (`zargar status`).

use zargar_core::error::Arg;
use zargar_core::store::Warning;

use crate::{Ctx, Outcome};

pub(crate) fn status(ctx: &Ctx) -> Outcome {
    let store = ctx.store()?;
    let s = store.status(ctx.now)?;
    if ctx.json {
        ctx.print_json(&s);
        return Ok(());
    }
    let f = ctx.formatter(&store)?;
    println!("{}", ctx.tf("cli-status-till", &[("name", Arg::Text(s.device_name.clone()))]));
    println!(
        "{}",
        ctx.tf(
            "cli-status-pending",
            &[("count", Arg::Number(s.pending.into())), ("sales", Arg::Number(s.pending_sales.into()))]
        )
    );
    if let Some(age) = s.oldest_pending_sale_age_seconds {
        println!("{}", ctx.tf("cli-status-oldest", &[("minutes", Arg::Number((age / 60).into()))]));
    }
    if s.conflicts > 0 {
        println!("{}", ctx.tf("cli-status-conflicts", &[("count", Arg::Number(s.conflicts.into()))]));
    }
    match (&s.shop, s.last_sync) {
        (Some(shop), Some(at)) => println!(
            "{}",
            ctx.tf(
                "cli-status-shop",
                &[("shop", Arg::Text(shop.clone())), ("minutes", Arg::Number(((ctx.now - at).num_minutes()).into()))]
            )
        ),
        (Some(shop), None) => println!("{}", ctx.tf("cli-status-shop-never", &[("shop", Arg::Text(shop.clone()))])),
        (None, _) => println!("{}", ctx.t("error-sync-not-enrolled")),
    }
    println!("{}", ctx.tf("cli-status-sales", &[("count", Arg::Number(s.sales.into()))]));
    match &s.gold_price {
        Some(p) => println!("{}", ctx.tf("cli-status-price", &[("price", Arg::Text(f.money(p.per_gram_18k)))])),
        None => println!("{}", ctx.t("error-no-gold-price")),
    }
    if s.gold_price_stale {
        ctx.warn(&Warning::StalePrice {
            age_hours: s.gold_price_age_seconds.unwrap_or(0) / 3600,
            limit_hours: store.settings()?.price_max_age_hours,
        });
    }
    Ok(())
}

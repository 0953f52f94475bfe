//! The shop's settings on this till (`zargar settings`).

use clap::Subcommand;
use zargar_core::ParseInput;
use zargar_core::invoice::Formatter;
use zargar_core::rules::money::Percent;
use zargar_core::rules::money::Rial;
use zargar_core::store::SettingKey;
use zargar_core::{Field, ValidationError, persian};

use crate::{Ctx, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum SettingsCmd {
    Show,
    /// profit_percent, trade_in_deduction_percent, price_max_age_hours, display_unit (rial|toman),
    /// price_step_percent, price_floor, price_ceiling, old_gold_spread_percent, trade_in_max_grams
    Set {
        key: String,
        value: String,
    },
    /// A VAT rate from a day on.
    Vat {
        #[arg(long)]
        percent: String,
        #[arg(long)]
        from: String,
    },
}

pub(crate) fn settings(ctx: &Ctx, cmd: SettingsCmd) -> Outcome {
    let mut store = ctx.store()?;
    let s = match cmd {
        SettingsCmd::Show => store.settings()?,
        SettingsCmd::Set { key, value } => store.set_setting(SettingKey::parse(&key)?, &value)?,
        SettingsCmd::Vat { percent, from } => {
            let p = Percent::parse(Field::VatPercent, &percent)?;
            let day = persian::parse_date(&from).ok_or_else(|| ValidationError::new(Field::Date, &from))?;
            store.set_vat_rate(day, p)?
        }
    };
    if ctx.json {
        ctx.print_json(&s);
    } else {
        let f = Formatter::new(ctx.lang, s.display_unit);
        println!("profit_percent: {}", f.percent(s.profit));
        println!("trade_in_deduction_percent: {}", f.percent(s.trade_in_deduction));
        println!("price_max_age_hours: {}", f.number(s.price_max_age_hours.into()));
        println!("display_unit: {}", ctx.t(s.display_unit.message_id()));
        println!("price_step_percent: {}", f.percent(s.price_step));
        let bound = |b: Option<Rial>| b.map_or_else(|| "-".to_owned(), |r| f.money(r));
        println!("price_floor: {}", bound(s.price_floor));
        println!("price_ceiling: {}", bound(s.price_ceiling));
        println!("old_gold_spread_percent: {}", f.percent(s.old_gold_spread));
        println!("trade_in_max_grams: {}", f.number(s.trade_in_max.decimal().normalize()));
        for (day, p) in s.vat.entries() {
            println!("vat: {} {}", persian::format_day_short(*day, ctx.lang), f.percent(*p));
        }
    }
    Ok(())
}

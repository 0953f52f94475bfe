//! Price a piece without a store (`zargar quote`).

use clap::Args;
use zargar_core::ParseInput;
use zargar_core::invoice::Formatter;
use zargar_core::rules::measure;
use zargar_core::rules::money::Percent;
use zargar_core::rules::money::Rial;
use zargar_core::rules::pricing;
use zargar_core::rules::pricing::Piece;
use zargar_core::rules::pricing::Rates;
use zargar_core::rules::pricing::WageRate;
use zargar_core::{Field, StoreError, ValidationError};

use crate::{Ctx, Outcome, WageArgs};

#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub(crate) struct QuoteArgs {
    #[arg(long)]
    gold_price: String,
    #[arg(long)]
    weight: String,
    #[arg(long)]
    purity: String,
    #[command(flatten)]
    wage: WageArgs,
    #[arg(long, default_value = "7")]
    profit_percent: String,
    #[arg(long, default_value = "10")]
    vat_percent: String,
    #[arg(long)]
    stones: Option<String>,
}

pub(crate) fn quote(ctx: &Ctx, a: &QuoteArgs) -> Outcome {
    let wage = match (&a.wage.wage_percent, &a.wage.wage_per_gram) {
        (Some(p), _) => WageRate::Percent(Percent::parse(Field::WagePercent, p)?),
        (None, Some(r)) => WageRate::PerGram(Rial::parse(Field::WagePerGram, r)?),
        (None, None) => return Err(ValidationError::new(Field::WagePercent, "").into()),
    };
    let piece = Piece {
        weight: measure::Weight::parse(Field::Weight, &a.weight)?,
        purity: measure::Purity::parse(Field::Purity, &a.purity)?,
        wage,
        stones: a.stones.as_deref().map(|s| Rial::parse(Field::Stones, s)).transpose()?.unwrap_or(Rial::ZERO),
    };
    let per_gram_18k = Rial::parse(Field::GoldPrice, &a.gold_price)?;
    if per_gram_18k == Rial::ZERO {
        return Err(ValidationError::new(Field::GoldPrice, &a.gold_price).into());
    }
    let rates = Rates {
        per_gram_18k,
        profit: Percent::parse(Field::ProfitPercent, &a.profit_percent)?,
        vat: Percent::parse(Field::VatPercent, &a.vat_percent)?,
    };
    let p = pricing::price_piece(&piece, &rates).map_err(StoreError::from)?;
    if ctx.json {
        ctx.print_json(&p);
    } else {
        let f = Formatter::new(ctx.lang, zargar_core::display_unit::DisplayUnit::Rial);
        for (id, v) in [
            ("invoice-gold", p.gold),
            ("invoice-wage", p.wage),
            ("invoice-profit", p.profit),
            ("invoice-vat", p.vat),
            ("invoice-stones", p.stones),
            ("invoice-line-total", p.total),
        ] {
            println!("{}: {}", ctx.t(id), f.money(v));
        }
    }
    Ok(())
}

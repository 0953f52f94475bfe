//! Price a piece without a store (`zargar quote`).

use clap::Args;
use zargar_core::ParseInput;
use zargar_core::invoice::Formatter;
use zargar_core::rules::money::Percent;
use zargar_core::rules::money::Rial;
use zargar_core::rules::pricing;
use zargar_core::rules::pricing::Rates;
use zargar_core::{Field, StoreError, ValidationError};

use crate::cmd::piece::PieceArgs;
use crate::{Ctx, Outcome};

#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub(crate) struct QuoteArgs {
    #[arg(long)]
    gold_price: String,
    #[command(flatten)]
    piece: PieceArgs,
    #[arg(long, default_value = "7")]
    profit_percent: String,
    #[arg(long, default_value = "10")]
    vat_percent: String,
}

pub(crate) fn quote(ctx: &Ctx, a: &QuoteArgs) -> Outcome {
    let piece = a.piece.input().parse()?;
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

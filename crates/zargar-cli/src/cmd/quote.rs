//! Price a piece without a store (`zargar quote`).

use clap::Args;
use zargar_core::ParseInput;
use zargar_core::display_unit::DisplayUnit;
use zargar_core::invoice::Formatter;
use zargar_core::rules::discount::{Discount, LineDiscount};
use zargar_core::rules::money::Percent;
use zargar_core::rules::money::Rial;
use zargar_core::rules::pricing;
use zargar_core::rules::pricing::Rates;
use zargar_core::sale::parse_discount;
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
    /// Off the making charge: a percent with `%` (10%), else Rials.
    #[arg(long)]
    wage_discount: Option<String>,
    /// Off the seller's profit: a percent with `%`, else Rials.
    #[arg(long)]
    profit_discount: Option<String>,
}

fn discount(typed: Option<&String>) -> Result<Option<Discount>, ValidationError> {
    Ok(typed.map(|s| parse_discount(DisplayUnit::Rial, s)).transpose()?.flatten())
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
    let given =
        LineDiscount { wage: discount(a.wage_discount.as_ref())?, profit: discount(a.profit_discount.as_ref())? };
    let (p, off) = pricing::price_piece_with(&piece, &rates, &given).map_err(StoreError::from)?;
    if ctx.json {
        let mut v = serde_json::to_value(p).unwrap_or_default();
        v["wage_discount"] = serde_json::to_value(off.wage).unwrap_or_default();
        v["profit_discount"] = serde_json::to_value(off.profit).unwrap_or_default();
        ctx.print_json(&v);
    } else {
        let f = Formatter::new(ctx.lang, zargar_core::display_unit::DisplayUnit::Rial);
        // A discount on its own line, under the part it came off.
        for (id, v) in [
            ("invoice-gold", p.gold),
            ("invoice-wage", p.wage),
            ("invoice-wage-discount", off.wage),
            ("invoice-profit", p.profit),
            ("invoice-profit-discount", off.profit),
            ("invoice-vat", p.vat),
            ("invoice-stones", p.stones),
            ("invoice-line-total", p.total),
        ]
        .into_iter()
        .filter(|(id, v)| !id.ends_with("-discount") || *v != Rial::ZERO)
        {
            println!("{}: {}", ctx.t(id), f.money(v));
        }
    }
    Ok(())
}

//! The arguments that price a piece, shared by `item add` and `quote`.

use clap::Args;
use zargar_core::item::PieceInput;

#[derive(Debug, Args)]
pub(crate) struct PieceArgs {
    #[arg(long)]
    pub weight: String,
    #[arg(long)]
    pub purity: String,
    #[command(flatten)]
    pub wage: WageArgs,
    #[arg(long)]
    pub stones: Option<String>,
}

/// Exactly one way of charging the making charge.
#[derive(Debug, Args)]
#[group(id = "wage", required = true, multiple = false)]
pub(crate) struct WageArgs {
    #[arg(long, group = "wage")]
    pub wage_percent: Option<String>,
    #[arg(long, group = "wage")]
    pub wage_per_gram: Option<String>,
}

impl PieceArgs {
    pub fn input(&self) -> PieceInput<'_> {
        PieceInput {
            weight: &self.weight,
            purity: &self.purity,
            wage_percent: self.wage.wage_percent.as_deref(),
            wage_per_gram: self.wage.wage_per_gram.as_deref(),
            stones: self.stones.as_deref(),
        }
    }
}

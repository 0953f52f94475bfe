//! Pieces imported from a CSV file (`zargar-server item import`).

use std::path::Path;

use anyhow::{Context, anyhow, bail};
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_rules::pricing::WageRate;
use zargar_rules::{Percent, Purity, Rial, Weight};
use zargar_wire::{ItemPayload, ItemStatus};

#[derive(Debug, serde::Deserialize)]
struct ItemRow {
    tag: String,
    name: String,
    weight: Decimal,
    purity: Decimal,
    #[serde(default)]
    wage_percent: Option<Decimal>,
    #[serde(default)]
    wage_per_gram: Option<Decimal>,
    #[serde(default)]
    barcode: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    stones: Option<Decimal>,
}

/// Reads the whole file before anything is stored: one bad row refuses the import.
pub fn read_items(path: &Path) -> anyhow::Result<Vec<ItemPayload>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .with_context(|| format!("reading {}", path.display()))?;
    let mut items = Vec::new();
    let mut tags = std::collections::HashSet::new();
    for (i, row) in reader.deserialize::<ItemRow>().enumerate() {
        let line = i + 2;
        let row = row.with_context(|| format!("line {line}"))?;
        let weight = Weight::grams(row.weight)
            .ok_or_else(|| anyhow!("line {line}: weight {} is not a weight in grams", row.weight))?;
        let purity = Purity::per_mille(row.purity)
            .ok_or_else(|| anyhow!("line {line}: purity {} is not from 1 to 1000", row.purity))?;
        let wage = match (row.wage_percent, row.wage_per_gram) {
            (Some(p), None) => Percent::new(p).map(WageRate::Percent),
            (None, Some(r)) => Rial::whole(r).filter(|r| !r.is_negative()).map(WageRate::PerGram),
            _ => None,
        }
        .ok_or_else(|| anyhow!("line {line}: give one of wage_percent (0–100) or wage_per_gram (whole Rials)"))?;
        let stones = row.stones.unwrap_or_default();
        let stones = Rial::whole(stones)
            .filter(|r| !r.is_negative())
            .ok_or_else(|| anyhow!("line {line}: stones in whole Rials"))?;
        if row.tag.is_empty() || row.name.is_empty() {
            bail!("line {line}: tag and name are required");
        }
        if !tags.insert(row.tag.clone()) {
            bail!("line {line}: tag {} appears twice", row.tag);
        }
        items.push(ItemPayload {
            item_id: Uuid::now_v7(),
            tag: row.tag,
            barcode: row.barcode.filter(|b| !b.is_empty()),
            name: row.name,
            category: row.category.filter(|c| !c.is_empty()),
            weight: weight.decimal(),
            purity: purity.decimal(),
            wage_rate: wage.to_wire(),
            stones: stones.decimal(),
            status: ItemStatus::InStock,
            sold_by: None,
        });
    }
    Ok(items)
}

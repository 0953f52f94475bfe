//! The Inventory screen: a piece as shown and as typed.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WageKind {
    Percent,
    PerGram,
}

/// A piece as Inventory shows it: the core's `Item` as it is, with its karat name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ItemView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub item: Item,
    /// The Fluent id of the purity's karat name (`karat-18`), from the rules;
    /// null where the market has none.
    pub karat: Option<String>,
}

/// A piece as typed in the inventory form. original: the tag of the piece
/// being edited, null for a new one; wage_value: a percent or, per gram, an
/// amount in the display unit; stones: in the display unit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ItemInput {
    pub original: Option<String>,
    pub tag: String,
    pub barcode: Option<String>,
    pub name: String,
    pub category: Option<String>,
    pub weight: String,
    pub purity: String,
    pub wage_kind: WageKind,
    pub wage_value: String,
    pub stones: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ItemQuery {
    pub search: Option<String>,
    pub status: Option<ItemStatus>,
    #[ts(type = "number | null")]
    pub limit: Option<u32>,
}

impl From<Item> for ItemView {
    fn from(item: Item) -> ItemView {
        ItemView { karat: karat_of(item.purity), item }
    }
}

//! Unique tagged pieces of the shop's inventory.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Field, ValidationError};
use crate::persian;
use crate::typed::ParseInput;
use zargar_rules::measure::Purity;
use zargar_rules::measure::Weight;
use zargar_rules::money::Percent;
use zargar_rules::money::Rial;
use zargar_rules::pricing::Piece;
use zargar_rules::pricing::WageRate;

/// An item's status is the wire's, with its codes.
pub use zargar_wire::ItemStatus;

/// The kinds of piece a gold shop keeps, stored by code and shown by name
/// (`category-<code>`); a category outside the list is kept as typed.
pub const CATEGORIES: [&str; 12] =
    ["ring", "necklace", "bracelet", "bangle", "earring", "pendant", "chain", "set", "anklet", "coin", "bar", "other"];

/// The stored form of a category as typed or imported: a known code, from
/// the code itself or its Persian or English name; anything else as typed.
pub fn category_code(typed: &str) -> String {
    let key = persian::search_key(typed);
    let known = CATEGORIES.iter().find(|code| {
        **code == key
            || [crate::i18n::Lang::Fa, crate::i18n::Lang::En]
                .into_iter()
                .any(|lang| persian::search_key(&crate::i18n::messages(lang).text(&format!("category-{code}"))) == key)
    });
    known.map_or_else(|| persian::normalize_letters(typed.trim()), |c| (*c).to_owned())
}

/// A piece as the till holds it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: Uuid,
    pub tag: String,
    pub barcode: Option<String>,
    pub name: String,
    pub category: Option<String>,
    pub weight: Weight,
    pub purity: Purity,
    pub wage: WageRate,
    pub stones: Rial,
    pub status: ItemStatus,
    /// Sold at another till: its name ("sold at صندوق ۲").
    #[serde(default)]
    pub sold_by: Option<String>,
    /// Bumped on every change, so the server can tell what the till saw.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub version: u64,
    pub updated_at: DateTime<Utc>,
}

impl Item {
    pub fn piece(&self) -> Piece {
        Piece { weight: self.weight, purity: self.purity, wage: self.wage, stones: self.stones }
    }

    /// This piece as `new` describes it: its next version, at `now`.
    pub fn edited(&self, new: &NewItem, now: DateTime<Utc>) -> Item {
        new.to_item(self.id, self.status, self.version + 1, now)
    }

    /// Whether an edit changes what the piece sells for (weight, purity,
    /// wage or stones): such a change needs the owner.
    pub fn value_changes(&self, to: &NewItem) -> bool {
        self.piece() != Piece { weight: to.weight, purity: to.purity, wage: to.wage, stones: to.stones }
    }
}

/// What a person enters to tag a new piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub tag: String,
    pub barcode: Option<String>,
    pub name: String,
    pub category: Option<String>,
    pub weight: Weight,
    pub purity: Purity,
    pub wage: WageRate,
    pub stones: Rial,
}

impl NewItem {
    /// The piece these fields describe, as the till holds it.
    pub fn to_item(&self, id: Uuid, status: ItemStatus, version: u64, now: DateTime<Utc>) -> Item {
        Item {
            id,
            tag: self.tag.clone(),
            barcode: self.barcode.clone(),
            name: self.name.clone(),
            category: self.category.clone(),
            weight: self.weight,
            purity: self.purity,
            wage: self.wage,
            stones: self.stones,
            status,
            sold_by: None,
            version,
            updated_at: now,
        }
    }
}

/// The raw text of a new piece, as typed or read from a CSV row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct NewItemInput {
    pub tag: String,
    pub name: String,
    pub weight: String,
    pub purity: String,
    #[serde(default)]
    pub wage_percent: Option<String>,
    #[serde(default)]
    pub wage_per_gram: Option<String>,
    #[serde(default)]
    pub barcode: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub stones: Option<String>,
}

/// Tags and barcodes are codes: ASCII digits whatever the keyboard typed,
/// printable, no spaces, of a length a label holds.
pub fn normalize_code(field: Field, s: &str) -> Result<String, ValidationError> {
    let code = persian::fold_digits(s.trim());
    let ok =
        !code.is_empty() && code.chars().count() <= 64 && code.chars().all(|c| !c.is_whitespace() && !c.is_control());
    if ok { Ok(code) } else { Err(ValidationError::new(field, s)) }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|v| !v.is_empty())
}

/// What prices a piece, as typed: for a new piece and for a quote alike.
#[derive(Debug, Clone, Copy, Default)]
pub struct PieceInput<'a> {
    pub weight: &'a str,
    pub purity: &'a str,
    pub wage_percent: Option<&'a str>,
    pub wage_per_gram: Option<&'a str>,
    pub stones: Option<&'a str>,
}

impl PieceInput<'_> {
    pub fn parse(&self) -> Result<Piece, ValidationError> {
        let weight = Weight::parse(Field::Weight, self.weight)?;
        let purity = Purity::parse(Field::Purity, self.purity)?;
        let wage = match (non_empty(self.wage_percent), non_empty(self.wage_per_gram)) {
            (Some(p), None) => WageRate::Percent(Percent::parse(Field::WagePercent, p)?),
            (None, Some(r)) => WageRate::PerGram(Rial::parse(Field::WagePerGram, r)?),
            // Exactly one way of charging the wage: both or neither is a typo.
            (Some(p), Some(_)) => return Err(ValidationError::new(Field::WagePercent, p)),
            (None, None) => return Err(ValidationError::new(Field::WagePercent, "")),
        };
        Ok(Piece {
            weight,
            purity,
            wage,
            stones: non_empty(self.stones).map(|s| Rial::parse(Field::Stones, s)).transpose()?.unwrap_or(Rial::ZERO),
        })
    }
}

impl NewItemInput {
    pub fn parse(&self) -> Result<NewItem, ValidationError> {
        let tag = normalize_code(Field::Tag, &self.tag)?;
        let barcode = non_empty(self.barcode.as_deref()).map(|b| normalize_code(Field::Barcode, b)).transpose()?;
        let name = persian::normalize_letters(self.name.trim());
        if name.is_empty() || name.chars().count() > 200 {
            return Err(ValidationError::new(Field::Name, &self.name));
        }
        let category = non_empty(self.category.as_deref()).map(category_code);
        let piece = PieceInput {
            weight: &self.weight,
            purity: &self.purity,
            wage_percent: self.wage_percent.as_deref(),
            wage_per_gram: self.wage_per_gram.as_deref(),
            stones: self.stones.as_deref(),
        }
        .parse()?;
        let Piece { weight, purity, wage, stones } = piece;
        Ok(NewItem { tag, barcode, name, category, weight, purity, wage, stones })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> NewItemInput {
        NewItemInput {
            tag: "R-۱۰۲".into(),
            name: "انگشتر زنانه".into(),
            weight: "۵٫۲۳".into(),
            purity: "750".into(),
            wage_percent: Some("15".into()),
            ..NewItemInput::default()
        }
    }

    #[test]
    fn parses_and_normalizes() {
        let item = input().parse().expect("valid");
        assert_eq!(item.tag, "R-102");
        assert_eq!(item.weight.milligrams(), 5230);
        assert_eq!(item.wage.kind(), "percent");
        assert_eq!(item.stones, Rial::ZERO);
    }

    #[test]
    fn refuses_bad_fields() {
        let field = |i: NewItemInput| i.parse().expect_err("must refuse").field;
        assert_eq!(field(NewItemInput { weight: "-1".into(), ..input() }), Field::Weight);
        assert_eq!(field(NewItemInput { purity: "0".into(), ..input() }), Field::Purity);
        assert_eq!(field(NewItemInput { purity: "1001".into(), ..input() }), Field::Purity);
        assert_eq!(field(NewItemInput { tag: " ".into(), ..input() }), Field::Tag);
        assert_eq!(field(NewItemInput { wage_per_gram: Some("100".into()), ..input() }), Field::WagePercent);
        assert_eq!(field(NewItemInput { wage_percent: None, ..input() }), Field::WagePercent);
        assert_eq!(field(NewItemInput { stones: Some("1.5".into()), ..input() }), Field::Stones);
    }
}

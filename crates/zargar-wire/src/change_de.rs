//! Reading a `Change` straight into its data's type.
//!
//! serde's derive with `flatten` copies each change into a generic tree and
//! reads the tree again: a till pulling a busy shop spent a tenth of its
//! time there. As for ops (`op_de.rs`), the data is read once, as what
//! `entity` says it is; only data sent before its entity is held as a JSON
//! value until the entity is known. Unknown fields are ignored.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::{
    Change, ChangeData, ConflictState, CustomerPayload, GoldPricePayload, ItemPayload, PersonPayload, TenantSettings,
};

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Id,
    Version,
    Op,
    Entity,
    Data,
    #[serde(other)]
    Other,
}

/// `ChangeData`'s tags, as its derive writes them.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Entity {
    Item,
    GoldPrice,
    Customer,
    Settings,
    Conflict,
    Person,
    AccountMove,
    InstallmentPlan,
    Layaway,
    TaxInvoice,
}

/// Reads data as that of its entity.
struct DataOf(Entity);

impl<'de> DeserializeSeed<'de> for DataOf {
    type Value = ChangeData;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ChangeData, D::Error> {
        Ok(match self.0 {
            Entity::Item => ChangeData::Item(ItemPayload::deserialize(d)?),
            Entity::GoldPrice => ChangeData::GoldPrice(GoldPricePayload::deserialize(d)?),
            Entity::Customer => ChangeData::Customer(CustomerPayload::deserialize(d)?),
            Entity::Settings => ChangeData::Settings(TenantSettings::deserialize(d)?),
            Entity::Conflict => ChangeData::Conflict(Box::new(ConflictState::deserialize(d)?)),
            Entity::Person => ChangeData::Person(PersonPayload::deserialize(d)?),
            Entity::AccountMove => ChangeData::AccountMove(Box::new(crate::AccountMoveChange::deserialize(d)?)),
            Entity::InstallmentPlan => {
                ChangeData::InstallmentPlan(Box::new(crate::InstallmentPlanPayload::deserialize(d)?))
            }
            Entity::Layaway => ChangeData::Layaway(Box::new(crate::LayawayPayload::deserialize(d)?)),
            Entity::TaxInvoice => ChangeData::TaxInvoice(Box::new(crate::TaxInvoiceState::deserialize(d)?)),
        })
    }
}

impl<'de> Deserialize<'de> for Change {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Change, D::Error> {
        const FIELDS: &[&str] = &["id", "version", "op", "entity", "data"];
        d.deserialize_struct("Change", FIELDS, ChangeVisitor)
    }
}

struct ChangeVisitor;

impl<'de> Visitor<'de> for ChangeVisitor {
    type Value = Change;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a change: id, version, op, entity and data")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Change, A::Error> {
        let (mut id, mut version, mut op) = (None, None, None);
        let mut entity = None;
        let mut data = None;
        let mut early: Option<serde_json::Value> = None;
        while let Some(field) = map.next_key()? {
            match field {
                Field::Id => id = Some(map.next_value()?),
                Field::Version => version = Some(map.next_value()?),
                Field::Op => op = Some(map.next_value()?),
                Field::Entity => entity = Some(map.next_value::<Entity>()?),
                Field::Data => match entity {
                    Some(e) => data = Some(map.next_value_seed(DataOf(e))?),
                    None => early = Some(map.next_value()?),
                },
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let entity = entity.ok_or_else(|| de::Error::missing_field("entity"))?;
        let data = match (data, early) {
            (Some(data), _) => data,
            (None, Some(value)) => DataOf(entity).deserialize(value).map_err(de::Error::custom)?,
            (None, None) => return Err(de::Error::missing_field("data")),
        };
        Ok(Change {
            id: id.ok_or_else(|| de::Error::missing_field("id"))?,
            version: version.ok_or_else(|| de::Error::missing_field("version"))?,
            op: op.ok_or_else(|| de::Error::missing_field("op"))?,
            data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChangeOp, ItemStatus};

    const ITEM: &str = r#"{"item_id": "0192f0a0-0000-7000-8000-000000000001", "tag": "R-1", "name": "انگشتر",
        "weight": "3.250", "purity": "0.750", "wage_rate": {"kind": "percent", "value": "7"}, "stones": "0",
        "status": "sold", "sold_by": "صندوق ۲"}"#;

    fn change(fields: &str) -> Result<Change, serde_json::Error> {
        serde_json::from_str(&format!(
            r#"{{"id": "0192f0a0-0000-7000-8000-000000000001", "version": 4, "op": "upsert", {fields}}}"#
        ))
    }

    #[test]
    fn data_before_its_entity_reads_as_after_it_and_a_written_change_reads_back() {
        let after = change(&format!(r#""entity": "item", "data": {ITEM}"#)).expect("entity first");
        let before = change(&format!(r#""data": {ITEM}, "from_a_newer_server": [1], "entity": "item""#))
            .expect("data first, and an unknown field");
        assert_eq!(after, before);
        assert_eq!((after.version, after.op), (4, ChangeOp::Upsert));
        match &after.data {
            ChangeData::Item(item) => {
                assert_eq!((item.tag.as_str(), item.status), ("R-1", ItemStatus::Sold));
                assert_eq!(item.sold_by.as_deref(), Some("صندوق ۲"));
            }
            other => panic!("read as {other:?}"),
        }
        let again: Change = serde_json::from_str(&serde_json::to_string(&after).expect("written")).expect("read");
        assert_eq!(again, after);
    }

    #[test]
    fn a_missing_or_unknown_entity_or_data_is_refused_by_name() {
        let no_entity = change(&format!(r#""data": {ITEM}"#)).expect_err("no entity");
        assert!(no_entity.to_string().contains("missing field `entity`"), "{no_entity}");
        let no_data = change(r#""entity": "item""#).expect_err("no data");
        assert!(no_data.to_string().contains("missing field `data`"), "{no_data}");
        let unknown = change(&format!(r#""entity": "ingot", "data": {ITEM}"#)).expect_err("unknown entity");
        assert!(unknown.to_string().contains("ingot"), "{unknown}");
        let wrong = change(&format!(r#""entity": "settings", "data": {ITEM}"#)).expect_err("a piece is no settings");
        assert!(wrong.to_string().contains("missing field"), "{wrong}");
        assert!(change(&format!(r#""entity": "item", "data": {ITEM}, "version": -1"#)).is_err(), "a bad version");
    }
}

//! Reading an `Op` straight into its payload's type.
//!
//! serde's derive with `flatten` first copies each op into a generic tree
//! and then reads the tree again: on the server that was a fifth of the
//! work of a push. Here the payload is read once, as what `kind` says it
//! is. Only a payload sent before its kind (JSON does not fix the order of
//! keys) is held as a JSON value until the kind is known. What is read is
//! what the derive read: unknown fields are ignored, `base` may be left out.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::{
    CustomerPayload, GoldPricePayload, ItemPayload, Op, OpBody, PersonPayload, ResolvePayload, ReturnPayload,
    SalePayload,
};

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    OpId,
    Seq,
    EntityId,
    DeviceTime,
    Base,
    By,
    Kind,
    Payload,
    #[serde(other)]
    Other,
}

/// `OpBody`'s tags, as `OpBody::kind` writes them.
#[derive(Debug, Clone, Copy, Deserialize)]
enum Kind {
    #[serde(rename = "sale.create")]
    SaleCreate,
    #[serde(rename = "sale.return")]
    SaleReturn,
    #[serde(rename = "customer.upsert")]
    CustomerUpsert,
    #[serde(rename = "item.upsert")]
    ItemUpsert,
    #[serde(rename = "gold_price.set")]
    GoldPriceSet,
    #[serde(rename = "conflict.resolve")]
    ConflictResolve,
    #[serde(rename = "person.upsert")]
    PersonUpsert,
    #[serde(rename = "shift.close")]
    ShiftClose,
    #[serde(rename = "account.move")]
    AccountMove,
    #[serde(rename = "installment.plan")]
    InstallmentPlan,
    #[serde(rename = "layaway.set")]
    Layaway,
}

/// Reads a payload as the body of its kind.
struct PayloadOf(Kind);

impl<'de> DeserializeSeed<'de> for PayloadOf {
    type Value = OpBody;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<OpBody, D::Error> {
        Ok(match self.0 {
            Kind::SaleCreate => OpBody::SaleCreate(Box::new(SalePayload::deserialize(d)?)),
            Kind::SaleReturn => OpBody::SaleReturn(ReturnPayload::deserialize(d)?),
            Kind::CustomerUpsert => OpBody::CustomerUpsert(CustomerPayload::deserialize(d)?),
            Kind::ItemUpsert => OpBody::ItemUpsert(ItemPayload::deserialize(d)?),
            Kind::GoldPriceSet => OpBody::GoldPriceSet(GoldPricePayload::deserialize(d)?),
            Kind::ConflictResolve => OpBody::ConflictResolve(ResolvePayload::deserialize(d)?),
            Kind::PersonUpsert => OpBody::PersonUpsert(PersonPayload::deserialize(d)?),
            Kind::ShiftClose => OpBody::ShiftClose(crate::ShiftPayload::deserialize(d)?),
            Kind::AccountMove => OpBody::AccountMove(crate::AccountMovePayload::deserialize(d)?),
            Kind::InstallmentPlan => OpBody::InstallmentPlan(crate::InstallmentPlanPayload::deserialize(d)?),
            Kind::Layaway => OpBody::Layaway(crate::LayawayPayload::deserialize(d)?),
        })
    }
}

impl OpBody {
    /// The body of an op of `kind` whose payload is the JSON text `payload`,
    /// as a till's outbox keeps them: read once, as what `kind` says.
    pub fn from_parts(kind: &str, payload: &str) -> Result<OpBody, serde_json::Error> {
        let kind = Kind::deserialize(de::value::StrDeserializer::<serde_json::Error>::new(kind))?;
        let mut payload = serde_json::Deserializer::from_str(payload);
        let body = PayloadOf(kind).deserialize(&mut payload)?;
        payload.end()?;
        Ok(body)
    }
}

impl<'de> Deserialize<'de> for Op {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Op, D::Error> {
        const FIELDS: &[&str] = &["op_id", "seq", "entity_id", "device_time", "base", "by", "kind", "payload"];
        d.deserialize_struct("Op", FIELDS, OpVisitor)
    }
}

struct OpVisitor;

impl<'de> Visitor<'de> for OpVisitor {
    type Value = Op;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an op: op_id, seq, entity_id, device_time, kind and payload")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Op, A::Error> {
        let (mut op_id, mut seq, mut entity_id, mut device_time, mut base) = (None, None, None, None, None);
        let mut by = None;
        let mut kind = None;
        let mut body = None;
        let mut early: Option<serde_json::Value> = None;
        while let Some(field) = map.next_key()? {
            match field {
                Field::OpId => op_id = Some(map.next_value()?),
                Field::Seq => seq = Some(map.next_value()?),
                Field::EntityId => entity_id = Some(map.next_value()?),
                Field::DeviceTime => device_time = Some(map.next_value()?),
                Field::Base => base = Some(map.next_value()?),
                Field::By => by = map.next_value()?,
                Field::Kind => kind = Some(map.next_value::<Kind>()?),
                Field::Payload => match kind {
                    Some(k) => body = Some(map.next_value_seed(PayloadOf(k))?),
                    None => early = Some(map.next_value()?),
                },
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let kind = kind.ok_or_else(|| de::Error::missing_field("kind"))?;
        let body = match (body, early) {
            (Some(body), _) => body,
            (None, Some(value)) => PayloadOf(kind).deserialize(value).map_err(de::Error::custom)?,
            (None, None) => return Err(de::Error::missing_field("payload")),
        };
        Ok(Op {
            op_id: op_id.ok_or_else(|| de::Error::missing_field("op_id"))?,
            seq: seq.ok_or_else(|| de::Error::missing_field("seq"))?,
            entity_id: entity_id.ok_or_else(|| de::Error::missing_field("entity_id"))?,
            device_time: device_time.ok_or_else(|| de::Error::missing_field("device_time"))?,
            base: base.unwrap_or_default(),
            by,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PriceScope;

    const PRICE: &str = r#"{"price_id": "0192f0a0-0000-7000-8000-000000000001", "per_gram_18k": "80000000",
        "set_at": "2026-11-30T08:00:00Z"}"#;

    fn op(fields: &str) -> Result<Op, serde_json::Error> {
        serde_json::from_str(&format!(
            r#"{{"op_id": "0192f0a0-0000-7000-8000-000000000002", "seq": 3,
                "entity_id": "0192f0a0-0000-7000-8000-000000000001", "device_time": "2026-11-30T08:00:01Z", {fields}}}"#
        ))
    }

    fn price_of(op: &Op) -> &GoldPricePayload {
        match &op.body {
            OpBody::GoldPriceSet(p) => p,
            other => panic!("read as {}", other.kind()),
        }
    }

    #[test]
    fn a_payload_before_its_kind_reads_as_after_it() {
        let after = op(&format!(r#""kind": "gold_price.set", "payload": {PRICE}"#)).expect("kind first");
        let before = op(&format!(r#""payload": {PRICE}, "kind": "gold_price.set""#)).expect("payload first");
        assert_eq!(after, before);
        assert_eq!(price_of(&before).per_gram_18k.to_string(), "80000000");
        assert_eq!(price_of(&before).scope, PriceScope::Till);
        assert_eq!(before.seq, 3);
        assert_eq!(before.base, crate::Base::default());
    }

    #[test]
    fn unknown_fields_are_ignored_and_a_written_op_reads_back() {
        let read =
            op(&format!(r#""kind": "gold_price.set", "from_a_newer_till": [1, {{"x": 2}}], "payload": {PRICE}"#))
                .expect("an unknown field is ignored");
        let again: Op = serde_json::from_str(&serde_json::to_string(&read).expect("written")).expect("read back");
        assert_eq!(again, read);
    }

    #[test]
    fn a_body_from_its_parts_is_the_body_of_the_op() {
        let whole = op(&format!(r#""kind": "gold_price.set", "payload": {PRICE}"#)).expect("op");
        assert_eq!(OpBody::from_parts("gold_price.set", PRICE).expect("parts"), whole.body);
        let unknown = OpBody::from_parts("gold.melt", PRICE).expect_err("unknown kind");
        assert!(unknown.to_string().contains("gold.melt"), "{unknown}");
        assert!(OpBody::from_parts("gold_price.set", &format!("{PRICE} x")).is_err(), "trailing text");
        assert!(OpBody::from_parts("sale.create", PRICE).is_err(), "a price is not a sale");
        let kept = whole.body.payload_json().expect("payload");
        assert_eq!(OpBody::from_parts(whole.body.kind(), &kept).expect("read back"), whole.body);
    }

    #[test]
    fn a_missing_or_unknown_kind_or_payload_is_refused_by_name() {
        let no_kind = op(&format!(r#""payload": {PRICE}"#)).expect_err("no kind");
        assert!(no_kind.to_string().contains("missing field `kind`"), "{no_kind}");
        let no_payload = op(r#""kind": "gold_price.set""#).expect_err("no payload");
        assert!(no_payload.to_string().contains("missing field `payload`"), "{no_payload}");
        let unknown = op(&format!(r#""kind": "gold.melt", "payload": {PRICE}"#)).expect_err("unknown kind");
        assert!(unknown.to_string().contains("gold.melt"), "{unknown}");
        let wrong = op(r#""payload": {"price_id": 5}, "kind": "gold_price.set""#).expect_err("a bad payload");
        assert!(wrong.to_string().contains("price_id") || wrong.to_string().contains("invalid type"), "{wrong}");
    }
}

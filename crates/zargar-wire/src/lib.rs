//! The sync protocol's wire types (see `docs/` and the design's
//! `sync-protocol.md`). Serde only: no IO, no storage, no HTTP.
//!
//! Amounts, weights, purities and rates are decimal strings (never JSON
//! numbers, which readers may turn into floats); ids are UUIDs; unknown
//! fields are ignored on read so that a newer peer can add fields.

/// The version of these types; the server answers 426 to one it cannot read.
pub const SCHEMA_VERSION: u32 = 1;

// Ops and changes are read by hand (`op_de.rs`, `change_de.rs`), written by serde.
mod change_de;
mod op_de;
// The `coded!` macro: enums with one code per variant.
mod accounts;
mod coded;
mod enrol;
mod ops;
mod people;
mod pull;
mod push;
mod reads;
mod shifts;
mod tax;

pub use accounts::*;
pub use enrol::*;
pub use ops::*;
pub use people::*;
pub use pull::*;
pub use push::*;
pub use reads::*;
pub use shifts::*;
pub use tax::*;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use rust_decimal::Decimal;
    use std::str::FromStr;
    use uuid::Uuid;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).expect("test decimal")
    }

    /// A till's own price of 80,000,000 Rials per gram of 18k, set now.
    fn till_price(price_id: Uuid) -> GoldPricePayload {
        GoldPricePayload {
            price_id,
            per_gram_18k: dec("80000000"),
            mazaneh: None,
            set_at: Utc::now(),
            scope: PriceScope::Till,
            set_by: None,
            set_at_till: None,
        }
    }

    #[test]
    fn op_round_trips_with_kind_and_payload_and_decimal_strings() {
        let op = Op {
            op_id: Uuid::now_v7(),
            seq: 7,
            entity_id: Uuid::now_v7(),
            device_time: Utc::now(),
            base: Base::default(),
            by: None,
            body: OpBody::GoldPriceSet(till_price(Uuid::now_v7())),
        };
        let json = serde_json::to_value(&op).expect("serialize");
        assert_eq!(json["kind"], "gold_price.set");
        assert_eq!(json["payload"]["per_gram_18k"], "80000000");
        assert!(json.get("by").is_none(), "a shop without people sends no `by`, as before");
        let back: Op = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, op);

        let by = PersonRef { id: Uuid::now_v7(), name: "مریم".into() };
        let signed = Op { by: Some(by.clone()), ..op };
        let json = serde_json::to_value(&signed).expect("serialize");
        assert_eq!(json["by"]["name"], "مریم");
        let back: Op = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back.by, Some(by));
    }

    #[test]
    fn unknown_fields_are_tolerated_and_numbers_refused_for_amounts() {
        let id = Uuid::now_v7();
        let ok = serde_json::json!({
            "price_id": id, "per_gram_18k": "1000", "set_at": "2025-03-21T00:00:00Z",
            "from_the_future": true
        });
        assert!(serde_json::from_value::<GoldPricePayload>(ok).is_ok());
        let float = serde_json::json!({
            "price_id": id, "per_gram_18k": 1000.5, "set_at": "2025-03-21T00:00:00Z"
        });
        assert!(serde_json::from_value::<GoldPricePayload>(float).is_err());
    }

    #[test]
    fn wage_is_tagged() {
        let json = serde_json::to_value(Wage::PerGram(dec("1500000"))).expect("serialize");
        assert_eq!(json, serde_json::json!({"kind": "per_gram", "value": "1500000"}));
    }

    #[test]
    fn a_change_is_flat_with_its_entity_and_data() {
        let id = Uuid::now_v7();
        let change = Change { id, version: 3, op: ChangeOp::Upsert, data: ChangeData::GoldPrice(till_price(id)) };
        let json = serde_json::to_value(&change).expect("serialize");
        assert_eq!(json["entity"], "gold_price");
        assert_eq!(json["op"], "upsert");
        assert_eq!(json["version"], 3);
        assert_eq!(json["data"]["per_gram_18k"], "80000000");
        assert_eq!(serde_json::from_value::<Change>(json).expect("deserialize"), change);
    }

    #[test]
    fn conflict_kinds_round_trip_through_their_codes() {
        for kind in [ConflictKind::ItemAlreadySold, ConflictKind::JournalBroken, ConflictKind::ValidationFailed] {
            let json = serde_json::to_value(kind).expect("serialize");
            assert_eq!(json, kind.code());
            assert_eq!(ConflictKind::from_code(kind.code()), Some(kind));
        }
    }
}

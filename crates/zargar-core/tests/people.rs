//! The shop's people at one till, on a real SQLite file: the owner first,
//! then the people the owner adds; signing in by PIN; each action held to
//! the role of whoever is signed in, and recorded with their name.

mod common;

use chrono::{Duration, TimeZone, Utc};
use rust_decimal::Decimal;
use zargar_core::gold_price::{NewPrice, PriceEntry};
use zargar_core::rules::money::Rial;
use zargar_core::rules::roles::Act;
use zargar_core::sale::{PaymentInput, PaymentMethod, SaleRequest};
use zargar_core::store::PersonEdit;
use zargar_core::{Store, StoreError};
use zargar_wire::Role;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).single().expect("time")
}

fn till() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let rings = ["R-1", "R-2", "R-3"].map(|tag| common::ring(tag, "انگشتر", "5"));
    let store = common::stocked_till(&dir.path().join("till.db"), now(), &rings);
    (dir, store)
}

fn sale(tag: &str) -> SaleRequest {
    SaleRequest {
        items: vec![tag.into()],
        payments: vec![PaymentInput { method: PaymentMethod::Cash, amount: Rial::from_i64(1_000_000_000) }],
        ..SaleRequest::default()
    }
}

fn person(name: &str, role: Role, pin: &str) -> PersonEdit {
    PersonEdit {
        name: Some(name.into()),
        role: Some(role),
        pin: Some(pin.into()),
        discount_limit_percent: Some(Decimal::from(10)),
        ..PersonEdit::default()
    }
}

/// The person recorded on the till's last op, as it goes to the server.
fn last_op_by(store: &Store) -> Option<String> {
    store
        .connection()
        .query_row("SELECT json_extract(by, '$.name') FROM outbox ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .expect("last op")
}

#[test]
fn a_shop_run_by_its_owner_alone_works_as_before() {
    let (_dir, mut store) = till();
    assert!(matches!(
        store.save_person(&person("علی", Role::Cashier, "2468"), now()),
        Err(StoreError::FirstPersonIsOwner)
    ));
    store.set_owner_pin("مریم", "1379", None).expect("owner");
    assert!(!store.sign_in_required().expect("required"));
    store.record_sale(&sale("R-1"), now()).expect("a sale with no one signed in");
    assert_eq!(last_op_by(&store), None, "no person on the op");
}

#[test]
fn once_the_owner_adds_a_cashier_each_action_needs_someone_signed_in_whose_role_allows_it() {
    let (_dir, mut store) = till();
    store.set_owner_pin("مریم", "1379", None).expect("owner");
    // Adding people is the owner's, signed in.
    assert!(matches!(store.save_person(&person("علی", Role::Cashier, "2468"), now()), Err(StoreError::SignInNeeded)));
    assert!(matches!(store.sign_in("مریم", "0000", now()), Err(StoreError::PinWrong)));
    store.sign_in("مریم", "۱۳۷۹", now()).expect("owner signs in, Persian digits");
    let ali = store.save_person(&person("علی", Role::Cashier, "2468"), now()).expect("cashier");
    assert_eq!((ali.role, ali.active, ali.discount_limit_percent), (Role::Cashier, true, Decimal::from(10)));
    assert_eq!(last_op_by(&store).as_deref(), Some("مریم"), "the owner is recorded on the person's op");
    assert!(store.sign_in_required().expect("required"));

    store.sign_out();
    assert!(matches!(store.record_sale(&sale("R-1"), now()), Err(StoreError::SignInNeeded)));
    store.sign_in(" علی ", "2468", now()).expect("cashier signs in");
    let recorded = store.record_sale(&sale("R-1"), now()).expect("a cashier sells");
    assert_eq!(last_op_by(&store).as_deref(), Some("علی"), "the sale names its cashier");
    assert_eq!(recorded.sale.lines.len(), 1);

    let price = NewPrice::till(PriceEntry::PerGram18k(Rial::from_i64(81_000_000)));
    let refused = store.set_price(&price, now()).expect_err("a cashier sets no price");
    assert!(matches!(refused, StoreError::NotPermitted { act: Act::SetPrice, role: Role::Cashier }), "{refused:?}");
    assert_eq!(refused.code(), "not_permitted");
    assert!(matches!(
        store.save_person(&person("رضا", Role::Manager, "1111"), now()),
        Err(StoreError::NotPermitted { act: Act::People, role: Role::Cashier })
    ));
    assert!(store.require(Act::Shift).is_ok() && store.require(Act::AddCustomer).is_ok());
}

#[test]
fn the_last_owner_stays_one_names_are_distinct_and_someone_who_left_cannot_sign_in() {
    let (_dir, mut store) = till();
    let owner = store.set_owner_pin("مریم", "1379", None).expect("owner");
    store.sign_in(&owner.name, "1379", now()).expect("sign in");
    let me = store.signed_in().expect("signed in").clone();
    let demote = PersonEdit { id: Some(me.id), role: Some(Role::Manager), ..PersonEdit::default() };
    assert!(matches!(store.save_person(&demote, now()), Err(StoreError::LastOwner)));
    let leave = PersonEdit { id: Some(me.id), active: Some(false), ..PersonEdit::default() };
    assert!(matches!(store.save_person(&leave, now()), Err(StoreError::LastOwner)));

    let ali = store.save_person(&person("علی", Role::Cashier, "2468"), now()).expect("cashier");
    assert!(matches!(
        store.save_person(&person("علی", Role::Manager, "1111"), now()),
        Err(StoreError::PersonAmbiguous(_))
    ));
    assert!(matches!(store.save_person(&person("رضا", Role::Cashier, "12"), now()), Err(StoreError::PinWeak)));
    store
        .save_person(&PersonEdit { id: Some(ali.id), active: Some(false), ..PersonEdit::default() }, now())
        .expect("left");
    assert!(matches!(store.sign_in("علی", "2468", now()), Err(StoreError::PersonUnknown(_))));
    assert_eq!(store.people().expect("people").iter().filter(|p| p.active).count(), 1);
    assert!(!store.sign_in_required().expect("only the owner again"));
}

#[test]
fn wrong_pins_make_the_next_sign_in_wait() {
    let (_dir, mut store) = till();
    store.set_owner_pin("مریم", "1379", None).expect("owner");
    for _ in 0..4 {
        assert!(matches!(store.sign_in("مریم", "0000", now()), Err(StoreError::PinWrong)));
    }
    let waiting = store.sign_in("مریم", "1379", now() + Duration::seconds(1)).expect_err("throttled");
    assert!(matches!(waiting, StoreError::PinThrottled { seconds: 4 }), "{waiting:?}");
    store.sign_in("مریم", "1379", now() + Duration::seconds(6)).expect("after the wait");
}

#[test]
fn the_owners_pin_typed_with_a_change_adds_a_person_whoever_is_signed_in() {
    let (_dir, mut store) = till();
    store.set_owner_pin("مریم", "1379", None).expect("owner");
    let ali = person("علی", Role::Cashier, "2468");
    assert!(matches!(store.save_person_with_owner_pin(&ali, "0000", now()), Err(StoreError::OwnerPinWrong)));
    assert_eq!(store.people().expect("people").len(), 1, "no one added");
    let saved = store.save_person_with_owner_pin(&ali, "۱۳۷۹", now()).expect("the owner's PIN");
    assert_eq!(saved.role, Role::Cashier);
    assert_eq!(last_op_by(&store).as_deref(), Some("مریم"), "the owner is recorded on the change");
    assert!(store.signed_in().is_none(), "nobody was signed in by it");
}

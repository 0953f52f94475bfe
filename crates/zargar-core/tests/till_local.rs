//! What the desktop app asks of the store beyond selling: a sale priced as
//! it is drafted, the day's totals, the owner's PIN, and the status bar's
//! alerts, on a real SQLite file.

mod common;

use chrono::{Duration, TimeZone, Utc};
use uuid::Uuid;
use zargar_core::rules::money::Rial;
use zargar_core::sale::{PaymentInput, PaymentMethod, SaleRequest};
use zargar_core::store::{TillAlert, TimeSpan};
use zargar_core::{Lang, Store, StoreError};
use zargar_wire::{DeviceRole, EnrollResponse, TenantRef};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).single().expect("time")
}

fn till() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let rings = ["R-1", "R-2", "R-3"].map(|tag| common::ring(tag, "انگشتر", "5"));
    let store = common::stocked_till(&dir.path().join("till.db"), now(), &rings);
    (dir, store)
}

fn cash(rials: i64) -> PaymentInput {
    PaymentInput { method: PaymentMethod::Cash, amount: Rial::from_i64(rials) }
}

#[test]
fn a_draft_is_priced_before_it_is_paid_and_its_pieces_are_checked() {
    let (_dir, mut store) = till();
    let req = SaleRequest { items: vec!["R-1".into()], payments: vec![cash(100_000_000)], ..SaleRequest::default() };
    let draft = store.draft_sale(&req, now()).expect("draft");
    let t = draft.priced.totals;
    assert_eq!(draft.per_gram_18k, Rial::from_i64(80_000_000));
    assert_eq!(t.paid, Rial::from_i64(100_000_000));
    assert!(t.change.is_negative(), "short payments show as what is left: {t:?}");
    // The same request is refused when recorded, and nothing is written.
    assert!(matches!(
        store.record_sale(&req, now()),
        Err(StoreError::Settle(zargar_core::error::SettleError::PaymentsShort { .. }))
    ));
    assert_eq!(store.status(now()).expect("status").sales, 0);
    // A piece sold already is refused while drafting too.
    store
        .record_sale(
            &SaleRequest { items: vec!["R-1".into()], payments: vec![cash(1_000_000_000)], ..SaleRequest::default() },
            now(),
        )
        .expect("sale");
    assert!(matches!(store.draft_sale(&req, now()), Err(StoreError::ItemNotInStock { .. })));
}

#[test]
fn the_days_totals_add_up_its_sales() {
    let (_dir, mut store) = till();
    let mut expected = Rial::ZERO;
    for tag in ["R-1", "R-2"] {
        let sale = store
            .record_sale(
                &SaleRequest { items: vec![tag.into()], payments: vec![cash(1_000_000_000)], ..SaleRequest::default() },
                now(),
            )
            .expect("sale")
            .sale;
        expected = expected.checked_add(sale.totals.total).expect("sum");
    }
    let today = zargar_core::persian::tehran_date(now());
    let report = store.sales_report(TimeSpan::tehran_days(Some(today), Some(today))).expect("report");
    assert_eq!((report.sales, report.lines), (2, 2));
    assert_eq!(report.net_total, expected);
    assert_eq!(report.grams.to_string(), "10.000");
    let yesterday = today.pred_opt().expect("day");
    assert_eq!(store.sales_report(TimeSpan::tehran_days(Some(yesterday), Some(yesterday))).expect("report").sales, 0);
}

#[test]
fn the_owner_pin_is_hashed_checked_in_any_digits_and_changed_only_with_the_old_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("till.db");
    let mut store = Store::open(&db).expect("open");
    store.init_device("صندوق ۱", now()).expect("init");
    assert!(store.owner().expect("owner").is_none());
    assert!(matches!(store.check_owner_pin("1234"), Err(StoreError::OwnerPinMissing)));
    assert!(matches!(store.set_owner_pin("مریم", "12", None), Err(StoreError::OwnerPinWeak)));
    assert!(matches!(store.set_owner_pin(" ", "1234", None), Err(StoreError::OwnerNameRequired)));
    store.set_owner_pin("مریم", "۱۳۷۹", None).expect("set");
    assert!(store.check_owner_pin("1379").expect("check"));
    assert!(store.check_owner_pin("۱۳۷۹").expect("check"));
    assert!(!store.check_owner_pin("1380").expect("check"));
    assert!(matches!(store.set_owner_pin("مریم", "4321", Some("0000")), Err(StoreError::OwnerPinWrong)));
    store.set_owner_pin("مریم", "4321", Some("1379")).expect("change");
    assert!(store.check_owner_pin("4321").expect("check"));
    store.set_language(Lang::En).expect("lang");
    drop(store);
    // At rest: an argon2 hash, not the PIN, kept as the shop's owner.
    let conn = rusqlite::Connection::open(&db).expect("sqlite");
    let stored: String =
        conn.query_row("SELECT pin_hash FROM people WHERE role = 'owner'", [], |r| r.get(0)).expect("row");
    assert!(stored.starts_with("$argon2id$") && !stored.contains("4321"), "{stored}");
    let store = Store::open(&db).expect("reopen");
    assert_eq!(store.language().expect("lang"), Lang::En);
    assert_eq!(store.owner().expect("owner").map(|o| o.name).as_deref(), Some("مریم"));
    // Both the first PIN and the change went to the server as the owner.
    let sent: Vec<String> = conn
        .prepare("SELECT kind FROM outbox ORDER BY seq")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("outbox");
    assert_eq!(sent, ["person.upsert", "person.upsert"]);
}

#[test]
fn an_owner_pin_kept_by_a_till_from_before_people_becomes_the_shops_owner() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The argon2 hash of 1379, as any till makes it.
    let hash = {
        let mut store = Store::open(&dir.path().join("other.db")).expect("open");
        store.set_owner_pin("مریم", "1379", None).expect("set");
        store.connection().query_row("SELECT pin_hash FROM people", [], |r| r.get::<_, String>(0)).expect("hash")
    };
    let db = dir.path().join("till.db");
    Store::open(&db).expect("open").init_device("صندوق ۱", now()).expect("init");
    // As an older till kept it: the hash in its own preferences, no people.
    let conn = rusqlite::Connection::open(&db).expect("sqlite");
    conn.execute_batch(&format!(
        "INSERT INTO till_prefs (key, value) VALUES ('owner_name', 'مریم'), ('owner_pin_argon2', '{hash}');"
    ))
    .expect("old till");
    let store = Store::open(&db).expect("reopen");
    assert_eq!(store.owner().expect("owner").map(|o| o.name).as_deref(), Some("مریم"));
    assert!(store.check_owner_pin("۱۳۷۹").expect("check"), "the same PIN still opens");
    let left: i64 =
        conn.query_row("SELECT count(*) FROM till_prefs WHERE key LIKE 'owner%'", [], |r| r.get(0)).expect("n");
    assert_eq!(left, 0, "the PIN is kept once, with the owner");
    let pending: i64 = conn
        .query_row("SELECT count(*) FROM outbox WHERE kind = 'person.upsert' AND state = 'pending'", [], |r| r.get(0))
        .expect("op");
    assert_eq!(pending, 1, "the owner goes to the server as the shop's first person");
    drop(store);
    Store::open(&db).expect("open again");
    let people: i64 = conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0)).expect("n");
    assert_eq!(people, 1, "adopted once");
}

#[test]
fn alerts_warn_of_a_stale_price_and_of_a_till_long_offline() {
    let (_dir, mut store) = till();
    assert!(store.alerts(now()).expect("alerts").is_empty());
    let later = now() + Duration::hours(30);
    assert_eq!(store.alerts(later).expect("alerts"), vec![TillAlert::StalePrice { age_hours: 30, limit_hours: 24 }]);

    // Enrolled, a sale waiting, no sync for longer than the shop allows.
    let device = store.device().expect("device").device_id;
    let enrolled = EnrollResponse {
        device_token: "zgr_test".into(),
        device_id: device,
        role: DeviceRole::Till,
        tenant: TenantRef { id: Uuid::now_v7(), name: "shop".into() },
    };
    store.link_server("http://127.0.0.1:1", &enrolled, now()).expect("link");
    store
        .connection()
        .execute("INSERT INTO settings (key, value) VALUES ('max_offline_hours', '12')", [])
        .expect("limit");
    let sale = store
        .record_sale(
            &SaleRequest { items: vec!["R-1".into()], payments: vec![cash(1_000_000_000)], ..SaleRequest::default() },
            now(),
        )
        .expect("sale")
        .sale;
    store
        .connection()
        .execute("INSERT INTO settings (key, value) VALUES ('max_unsynced_total', '1000')", [])
        .expect("limit");
    let alerts = store.alerts(now() + Duration::hours(13)).expect("alerts");
    assert!(alerts.contains(&TillAlert::OfflineTooLong { hours: 13, limit_hours: 12 }), "{alerts:?}");
    assert!(
        alerts.contains(&TillAlert::UnsyncedOverLimit { total: sale.totals.total, limit: Rial::from_i64(1000) }),
        "{alerts:?}"
    );
    assert_eq!(TillAlert::NoGoldPrice.message_id(), "alert-no-gold-price");
}

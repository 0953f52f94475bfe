//! The till's store against real SQLite files.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rusqlite::Connection;
use zargar_core::customer::NewCustomer;
use zargar_core::error::StoreError;
use zargar_core::gold_price::PriceEntry;
use zargar_core::item::{ItemStatus, NewItemInput};
use zargar_core::journal::JournalBreak;
use zargar_core::rules::money::{Percent, Rial};
use zargar_core::sale::{PaymentInput, PaymentMethod, SaleRequest, SyncState, TradeInInput};
use zargar_core::store::{ItemFilter, MIGRATIONS, ReturnRequest, SCHEMA_VERSION, SettingKey, TimeSpan, Warning};
use zargar_core::{Lang, Store};
use zargar_wire::OpBody;

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().expect("valid time")
}

fn now() -> DateTime<Utc> {
    at(2025, 11, 21, 8)
}

fn item(tag: &str, weight: &str) -> NewItemInput {
    common::ring(tag, "انگشتر زنانه", weight)
}

struct Till {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
}

fn till() -> Till {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("till.db");
    let stock = [("R-102", "5.230"), ("R-103", "3.127"), ("N-1", "10")].map(|(tag, w)| item(tag, w));
    let store = common::stocked_till(&path, now(), &stock);
    Till { _dir: dir, path, store }
}

fn cash(v: i64) -> PaymentInput {
    PaymentInput { method: PaymentMethod::Cash, amount: Rial::from_i64(v) }
}

fn sale(items: &[&str], pay: Vec<PaymentInput>) -> SaleRequest {
    SaleRequest { items: items.iter().map(|s| s.to_string()).collect(), payments: pay, ..SaleRequest::default() }
}

/// Row counts of every table: what "nothing was written" is checked against.
fn snapshot(conn: &Connection) -> Vec<(String, i64)> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    let mut out: Vec<(String, i64)> = tables
        .into_iter()
        .map(|t| {
            let n = conn.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0)).expect("count");
            (t, n)
        })
        .collect();
    let statuses: String = conn
        .query_row("SELECT group_concat(tag || ':' || status || ':' || version, ',') FROM items", [], |r| r.get(0))
        .expect("statuses");
    let counters: String = conn
        .query_row("SELECT group_concat(name || '=' || value, ',') FROM counters", [], |r| r.get(0))
        .expect("counters");
    out.push((statuses, 0));
    out.push((counters, 0));
    out
}

#[test]
fn a_sale_is_one_transaction_with_its_outbox_row_and_journal_entry() {
    let mut t = till();
    let recorded = t.store.record_sale(&sale(&["R-102"], vec![cash(524_485_320)]), now()).expect("sale");
    let s = &recorded.sale;
    assert_eq!(s.invoice_no, 1);
    assert_eq!(s.totals.total, Rial::from_i64(524_485_320));
    assert_eq!(s.totals.vat, Rial::from_i64(9_644_120));
    assert_eq!(s.totals.change, Rial::ZERO);
    assert!(recorded.warnings.is_empty());

    // Read back from a second connection: everything is committed.
    let other = Store::open(&t.path).expect("reopen");
    let back = other.sale_by_invoice(1).expect("saved sale");
    assert_eq!(&back, s);
    assert_eq!(back.sync, SyncState::Pending);
    assert_eq!(other.find_item("R-102").expect("find").expect("item").status, ItemStatus::SoldPending);

    // The outbox op carries the sale and its journal link.
    let ops = other.pending_ops(0, 100).expect("ops");
    let op = ops.iter().find(|o| o.op_id == s.op_id).expect("op");
    assert_eq!(op.seq, s.seq);
    match &op.body {
        OpBody::SaleCreate(p) => {
            assert_eq!(p.sale_id, s.id);
            assert_eq!(p.totals.total.to_string(), "524485320");
            assert_eq!(p.journal.index, s.journal_index);
            assert_eq!(op.base.gold_price_id, Some(s.gold_price.id));
            assert_eq!(op.base.items.len(), 1);
        }
        other => panic!("expected sale.create, got {other:?}"),
    }
    assert_eq!(other.verify_journal().expect("verify"), Ok(1));
    assert_eq!(other.integrity_check().expect("check"), "ok");
}

#[test]
fn a_refused_sale_writes_nothing() {
    let mut t = till();
    t.store.record_sale(&sale(&["N-1"], vec![cash(2_000_000_000)]), now()).expect("first sale");
    let before = snapshot(t.store.connection());
    let refusals: Vec<(SaleRequest, &str)> = vec![
        (sale(&["R-102"], vec![cash(1)]), "payments_short"),
        (sale(&["N-1"], vec![cash(2_000_000_000)]), "item_not_in_stock"),
        (sale(&["NOPE"], vec![cash(1)]), "item_not_found"),
        (sale(&[], vec![]), "empty_sale"),
        (sale(&["R-102", "R-102"], vec![cash(2_000_000_000)]), "item_twice_in_sale"),
        (
            sale(&["R-102"], vec![PaymentInput { method: PaymentMethod::Card, amount: Rial::from_i64(600_000_000) }]),
            "payment_above_due",
        ),
        (
            SaleRequest { customer: Some("09120000000".into()), ..sale(&["R-102"], vec![cash(600_000_000)]) },
            "customer_not_found",
        ),
        // The second piece fails after the first was priced: still nothing.
        (sale(&["R-102", "N-1"], vec![cash(2_000_000_000)]), "item_not_in_stock"),
    ];
    for (req, code) in refusals {
        let err = t.store.record_sale(&req, now()).expect_err("must refuse");
        assert_eq!(err.code(), code, "{req:?}");
        assert!(err.is_refusal());
        assert!(!err.localize(Lang::Fa).is_empty());
        assert_eq!(snapshot(t.store.connection()), before, "{code} changed the database");
    }
}

#[test]
fn no_gold_price_refuses_and_a_stale_one_warns_but_sells() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("till.db")).expect("open");
    store.init_device("T", now()).expect("init");
    store.add_item(&item("A", "1").parse().expect("item"), now()).expect("add");
    let err = store.record_sale(&sale(&["A"], vec![cash(1_000_000_000)]), now()).expect_err("no price");
    assert_eq!(err.code(), "no_gold_price");

    store.set_gold_price(PriceEntry::Mazaneh(Rial::from_i64(346_544_000)), now()).expect("price");
    let later = now() + Duration::hours(30);
    let r = store.record_sale(&sale(&["A"], vec![cash(1_000_000_000)]), later).expect("sells anyway");
    assert_eq!(r.sale.gold_price.per_gram_18k, Rial::from_i64(80_000_000));
    assert_eq!(r.warnings, vec![Warning::StalePrice { age_hours: 30, limit_hours: 24 }]);
}

#[test]
fn the_newest_price_and_the_vat_of_the_day_apply() {
    let mut t = till();
    t.store
        .set_gold_price(PriceEntry::PerGram18k(Rial::from_i64(90_000_000)), now() + Duration::minutes(5))
        .expect("price");
    // 2024-03-19 is 1402/12/29: 9%. Prices entered "later" still count by time.
    let before = at(2024, 3, 19, 12);
    let mut early = till();
    early.store.set_gold_price(PriceEntry::PerGram18k(Rial::from_i64(80_000_000)), before).expect("price");
    let r = early.store.record_sale(&sale(&["R-102"], vec![cash(600_000_000)]), before).expect("sale");
    assert_eq!(r.sale.vat_percent, Percent::from_u32(9).expect("9"));
    assert_eq!(
        r.sale.totals.vat,
        Rial::floor((r.sale.totals.wage + r.sale.totals.profit).decimal() * rust_decimal::Decimal::new(9, 2))
    );

    let r =
        t.store.record_sale(&sale(&["R-102"], vec![cash(700_000_000)]), now() + Duration::minutes(6)).expect("sale");
    assert_eq!(r.sale.gold_price.per_gram_18k, Rial::from_i64(90_000_000));
    assert_eq!(r.sale.vat_percent, Percent::from_u32(10).expect("10"));

    // The shop changes VAT from a day on; earlier sales keep theirs.
    let day = zargar_core::persian::parse_date("1404/09/01").expect("date");
    t.store.set_vat_rate(day, Percent::from_u32(12).expect("12")).expect("vat");
    let r2 = t.store.record_sale(&sale(&["R-103"], vec![cash(700_000_000)]), at(2025, 11, 23, 8)).expect("sale");
    assert_eq!(r2.sale.vat_percent, Percent::from_u32(12).expect("12"));
    assert_eq!(t.store.sale_by_invoice(1).expect("first").vat_percent, Percent::from_u32(10).expect("10"));
}

#[test]
fn seqs_invoice_numbers_and_journal_are_gapless_across_refusals() {
    let mut t = till();
    for i in 0..20 {
        let tag = format!("X{i}");
        t.store.add_item(&item(&tag, "1.5").parse().expect("item"), now()).expect("add");
        // Every other attempt is refused first.
        assert!(t.store.record_sale(&sale(&[&tag], vec![cash(1)]), now()).is_err());
        t.store.record_sale(&sale(&[&tag], vec![cash(1_000_000_000)]), now()).expect("sale");
    }
    let conn = t.store.connection();
    let check = |sql: &str| -> (i64, i64, i64) {
        conn.query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).expect("query")
    };
    let (n, lo, hi) = check("SELECT count(*), min(seq), max(seq) FROM outbox");
    assert_eq!((lo, hi), (1, n));
    let (n, lo, hi) = check("SELECT count(*), min(invoice_no), max(invoice_no) FROM sales");
    assert_eq!((n, lo, hi), (20, 1, 20));
    let (n, lo, hi) = check("SELECT count(*), min(idx), max(idx) FROM journal");
    assert_eq!((n, lo, hi), (20, 1, 20));
    assert_eq!(t.store.verify_journal().expect("verify"), Ok(20));
}

#[test]
fn trade_in_and_mixed_payments_are_saved_and_reprinted_exactly() {
    let mut t = till();
    let req = SaleRequest {
        items: vec!["R-102".into(), "R-103".into()],
        payments: vec![
            PaymentInput { method: PaymentMethod::Card, amount: Rial::from_i64(300_000_000) },
            PaymentInput { method: PaymentMethod::Transfer, amount: Rial::from_i64(100_000_000) },
            cash(300_000_000),
        ],
        trade_ins: vec![TradeInInput::parse("2.345,705,7").expect("trade-in")],
        ..SaleRequest::default()
    };
    let r = t.store.record_sale(&req, now()).expect("sale");
    let s = r.sale;
    assert_eq!(s.trade_ins[0].value, Rial::from_i64(163_999_920));
    assert_eq!(s.totals.due, s.totals.total - s.totals.trade_in);
    assert_eq!(s.totals.change, s.totals.paid - s.totals.due);
    assert_eq!(t.store.sale(s.id).expect("reload"), s);
    let text = zargar_core::invoice::render_invoice(
        &s,
        &t.store.legal_blocks(&s).expect("legal blocks"),
        "صندوق ۱",
        zargar_core::invoice::Formatter::new(Lang::Fa, zargar_core::display_unit::DisplayUnit::Rial),
    );
    assert!(text.contains("۱۶۳٬۹۹۹٬۹۲۰ ریال"), "{text}");
    assert!(!text.chars().any(|c| c.is_ascii_digit() && !"R-102R-103".contains(c)), "ASCII digits leaked: {text}");
}

#[test]
fn import_is_all_or_nothing_and_names_the_bad_line() {
    let mut t = till();
    let before = snapshot(t.store.connection());
    let bad = "tag,name,weight,purity,wage_percent,wage_per_gram,barcode,category,stones\n\
               A1,گوشواره,2.5,750,12,,111,gushvare,\n\
               A2,النگو,abc,750,12,,,,\n";
    let err = t.store.import_items(bad.as_bytes(), now()).expect_err("bad row");
    match &err {
        StoreError::ImportRow { line, source } => {
            assert_eq!(*line, 3);
            assert_eq!(source.code(), "invalid_input");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.localize(Lang::Fa).contains('۳'), "{}", err.localize(Lang::Fa));
    assert_eq!(snapshot(t.store.connection()), before);

    let dup = "tag,name,weight,purity,wage_percent\nB1,x,1,750,10\nR-102,y,1,750,10\n";
    assert!(matches!(t.store.import_items(dup.as_bytes(), now()), Err(StoreError::ImportRow { line: 3, .. })));
    assert_eq!(snapshot(t.store.connection()), before);

    let good = "tag,name,weight,purity,wage_percent,wage_per_gram,barcode,category,stones\n\
                A1,گوشواره,2.5,750,12,,6260000000011,earring,0\n\
                A2,النگو ٢,12.75,750,,3500000,,bangle,5000000\n";
    let items = t.store.import_items(good.as_bytes(), now()).expect("import");
    assert_eq!(items.len(), 2);
    assert_eq!(t.store.find_item("۶۲۶۰۰۰۰۰۰۰۰۱۱").expect("find").map(|i| i.tag), Some("A1".into()));
}

#[test]
fn search_folds_arabic_letters_and_all_digit_sets() {
    let mut t = till();
    let input = NewItemInput { name: "النگو ٢".into(), ..item("BG-7", "12.750") };
    t.store.add_item(&input.parse().expect("item"), now()).expect("add");
    for q in ["النگو ۲", "النگو 2", "النگو ٢", "bg-7", "BG-۷"] {
        let found = t.store.list_items(&ItemFilter { search: Some(q.into()), ..ItemFilter::default() }).expect("list");
        assert_eq!(found.iter().map(|i| i.tag.as_str()).collect::<Vec<_>>(), vec!["BG-7"], "query {q}");
    }
    // Arabic yeh and kaf in the stored name still match Persian ones typed.
    let input = NewItemInput { name: "انگشتر كريمي".into(), ..item("K-1", "1") };
    t.store.add_item(&input.parse().expect("item"), now()).expect("add");
    let found =
        t.store.list_items(&ItemFilter { search: Some("کریمی".into()), ..ItemFilter::default() }).expect("list");
    assert_eq!(found.len(), 1);
    let none = t.store.list_items(&ItemFilter { search: Some("%".into()), ..ItemFilter::default() }).expect("list");
    assert!(none.is_empty(), "LIKE wildcards are text");
}

#[test]
fn customers_are_validated_unique_and_attached_to_sales() {
    let mut t = till();
    let c = t
        .store
        .add_customer(
            &NewCustomer::parse("مریم احمدی", Some("0912 123 4567"), Some("0499370899")).expect("valid"),
            now(),
        )
        .expect("add");
    let again = NewCustomer::parse("دیگری", Some("09121234567"), None).expect("valid");
    assert_eq!(t.store.add_customer(&again, now()).expect_err("dup").code(), "customer_exists");
    let req =
        SaleRequest { customer: Some("۰۹۱۲۱۲۳۴۵۶۷".into()), ..sale(&["R-102"], vec![cash(600_000_000)]) };
    let s = t.store.record_sale(&req, now()).expect("sale").sale;
    assert_eq!(s.customer.map(|c| c.id), Some(c.id));
}

#[test]
fn a_return_releases_the_item_and_is_journaled() {
    let mut t = till();
    t.store.record_sale(&sale(&["R-102", "R-103"], vec![cash(900_000_000)]), now()).expect("sale");
    let req = ReturnRequest { invoice_no: 1, tags: vec!["R-103".into()], ..ReturnRequest::default() };
    let r = t.store.record_return(&req, now()).expect("return");
    assert_eq!(r.lines.len(), 1);
    assert_eq!(r.refund, t.store.sale_by_invoice(1).expect("sale").lines[1].price.total);
    assert_eq!(t.store.find_item("R-103").expect("find").expect("item").status, ItemStatus::Returned);
    assert_eq!(t.store.record_return(&req, now()).expect_err("twice").code(), "not_returnable");
    assert_eq!(t.store.verify_journal().expect("verify"), Ok(2));
    assert!(t.store.sale_by_invoice(1).expect("sale").lines[1].returned);
}

#[test]
fn the_journal_names_the_first_tampered_entry() {
    let mut t = till();
    for tag in ["R-102", "R-103", "N-1"] {
        t.store.record_sale(&sale(&[tag], vec![cash(2_000_000_000)]), now()).expect("sale");
    }
    let conn = Connection::open(&t.path).expect("raw");
    // The guard refuses an edit outright…
    let refused = conn.execute("UPDATE journal SET content = 'x' WHERE idx = 2", []);
    assert!(refused.is_err());
    // …and someone who removes the guard is caught by the hash chain.
    conn.execute_batch("DROP TRIGGER journal_no_update").expect("drop");
    conn.execute(
        "UPDATE journal SET content = replace(content, '\"invoice_no\":2', '\"invoice_no\":9') WHERE idx = 2",
        [],
    )
    .expect("tamper");
    assert_eq!(t.store.verify_journal().expect("verify"), Err(JournalBreak::ContentChanged { index: 2 }));
}

#[test]
fn a_pending_outbox_op_cannot_be_deleted() {
    let t = till();
    let conn = Connection::open(&t.path).expect("raw");
    assert!(conn.execute("DELETE FROM outbox", []).is_err());
    assert_eq!(t.store.status(now()).expect("status").pending, 4);
}

#[test]
fn migrations_run_on_an_empty_database_and_on_the_previous_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Empty file → current version.
    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh).expect("open"));
    let v: u32 = Connection::open(&fresh).expect("raw").query_row("PRAGMA user_version", [], |r| r.get(0)).expect("v");
    assert_eq!(v, SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION as usize, MIGRATIONS.len());

    // A database at version 8 with data in it: from there every migration
    // since runs over it, the table rebuilds of version 9 included.
    let old = dir.path().join("old.db");
    {
        let mut conn = Connection::open(&old).expect("raw");
        zargar_core::store::migrate_to(&mut conn, 8).expect("old schema");
        conn.execute_batch(
            "INSERT INTO device VALUES (1, '01900000-0000-7000-8000-000000000001', 'قدیمی', '2025-01-01T00:00:00.000000Z');
             INSERT INTO journal VALUES (1, 'sale', 'x', '2025-01-01T00:00:00.000000Z', '{}', 'c', 'p', 'h');
             INSERT INTO outbox (seq, op_id, kind, entity_id, device_time, base, payload)
                 VALUES (1, 'op-1', 'sale.create', 'x', '2025-01-01T00:00:00.000000Z', '{}', '{}');
             INSERT INTO gold_prices (id, per_gram_18k, set_at, origin) VALUES ('p', 1, '2025-01-01', 'till');
             INSERT INTO items (id, tag, name, weight_mg, purity, wage_kind, wage_value, status, search_key,
                                updated_at, server_version, sold_by)
                 VALUES ('piece', 'R-1', 'انگشتر', 1000, '0.750', 'percent', '7', 'sold_pending', 'r-1', 'now', 4, NULL);
             INSERT INTO sales VALUES ('x', 1, 'now', NULL, 'p', 1, '0.09', 1, 1, 1, 1, 0, 4, 0, 4, 4, 0, 'op-1', 1, NULL);
             INSERT INTO sale_lines VALUES ('x', 1, 'piece', 'R-1', 'انگشتر', 1000, '0.750', 'percent', '7', '0.07',
                                            1, 1, 1, 1, 0, 4, 0);
             INSERT INTO payments VALUES ('x', 1, 'cash', 4);",
        )
        .expect("data");
    }
    let store = Store::open(&old).expect("migrate");
    assert_eq!(store.device().expect("device").name, "قدیمی");
    let conn = Connection::open(&old).expect("raw");
    let v: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("v");
    assert_eq!(v, SCHEMA_VERSION);
    assert!(conn.execute("DELETE FROM journal", []).is_err(), "version 2's guard is in place");
    // Version 3 rebuilt the outbox: the unsent op is there, still guarded.
    let kept: String =
        conn.query_row("SELECT op_id FROM outbox WHERE state = 'pending'", [], |r| r.get(0)).expect("op");
    assert_eq!(kept, "op-1");
    assert!(conn.execute("DELETE FROM outbox", []).is_err(), "a pending op cannot be deleted");
    // Version 9 rebuilt the pieces, the outbox and the payments with their
    // checks written out: the rows are kept and the checks still hold.
    let piece: (String, i64, String) = conn
        .query_row(
            "SELECT i.status, i.server_version, l.tag FROM items i JOIN sale_lines l ON l.item_id = i.id",
            [],
            |r| <(String, i64, String)>::try_from(r),
        )
        .expect("the piece and its sale line");
    assert_eq!(piece, ("sold_pending".to_owned(), 4, "R-1".to_owned()));
    let paid: i64 = conn.query_row("SELECT amount FROM payments WHERE sale_id = 'x'", [], |r| r.get(0)).expect("paid");
    assert_eq!(paid, 4);
    assert!(conn.execute("UPDATE items SET status = 'lost'", []).is_err(), "an unknown status is refused");
    assert!(conn.execute("UPDATE outbox SET state = 'gone'", []).is_err(), "an unknown op state is refused");
    assert!(conn.execute("UPDATE payments SET method = 'gold'", []).is_err(), "an unknown method is refused");
    conn.execute_batch("PRAGMA foreign_keys = ON").expect("fk");
    assert!(conn.execute("DELETE FROM items", []).is_err(), "the sale line still refers to its piece");
    assert!(
        store.connection().execute("DELETE FROM items", []).is_err(),
        "the store's own connection enforces foreign keys again after migrating"
    );

    // A database from a newer app is refused, not written.
    conn.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1)).expect("bump");
    let err = Store::open(&old).expect_err("newer");
    assert_eq!(err.code(), "schema_too_new");
}

#[test]
fn settings_are_validated() {
    let mut t = till();
    assert_eq!(
        t.store.set_setting(SettingKey::ProfitPercent, "۸").expect("set").profit,
        Percent::from_u32(8).expect("8")
    );
    assert!(t.store.set_setting(SettingKey::ProfitPercent, "120").is_err());
    assert!(t.store.set_setting(SettingKey::DisplayUnit, "dollar").is_err());
    assert!(t.store.set_setting(SettingKey::TradeInDeductionPercent, "100").is_err());
    let s = t.store.set_setting(SettingKey::DisplayUnit, "toman").expect("set");
    assert_eq!(s.display_unit, zargar_core::display_unit::DisplayUnit::Toman);
    let r = t.store.record_sale(&sale(&["R-102"], vec![cash(600_000_000)]), now()).expect("sale");
    assert_eq!(r.sale.lines[0].profit_percent, Percent::from_u32(8).expect("8"));
}

#[test]
fn backup_is_a_consistent_copy_and_export_has_a_row_per_line() {
    let mut t = till();
    t.store.record_sale(&sale(&["R-102", "R-103"], vec![cash(900_000_000)]), now()).expect("sale");
    let copy = t._dir.path().join("copy.db");
    t.store.backup(&copy).expect("backup");
    assert!(t.store.backup(&copy).is_err(), "never overwrites");
    let restored = Store::open(&copy).expect("open copy");
    assert_eq!(restored.sale_by_invoice(1).expect("sale"), t.store.sale_by_invoice(1).expect("sale"));

    let rows = t.store.export_rows(TimeSpan::default()).expect("rows");
    assert_eq!(rows.len(), 2);
    let mut csv = Vec::new();
    zargar_core::export::write_csv(&rows, zargar_core::Lang::En, &mut csv).expect("csv");
    let text = String::from_utf8(csv).expect("utf8");
    assert_eq!(text.lines().count(), 3);
    assert!(text.starts_with("\u{feff}kind,sale_id,"), "a BOM, then the English header");
    assert!(text.lines().nth(1).expect("row").contains(",R-102,"));
    let today = Some(now().date_naive());
    assert_eq!(t.store.export_rows(TimeSpan::tehran_days(today, today)).expect("rows").len(), 2);
    let tomorrow = today.and_then(|d| d.succ_opt());
    assert!(t.store.export_rows(TimeSpan::tehran_days(tomorrow, None)).expect("rows").is_empty());
    assert_eq!(t.store.export_rows(TimeSpan::tehran_days(None, today)).expect("rows").len(), 2);
}

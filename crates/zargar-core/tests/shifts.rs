//! Shifts at one till, on a real SQLite file: a counted float, cash in and
//! out, the X report, the close with the cash counted by note, and the Z
//! report: numbered without a gap, its grand total all sales less returns
//! since the first sale, and an entry that verifies in the journal's chain.

mod common;

use chrono::{Duration, TimeZone, Utc};
use zargar_core::rules::money::Rial;
use zargar_core::sale::{PaymentInput, PaymentMethod, SaleRequest};
use zargar_core::store::{NoteCount, ReturnRequest, TimeSpan};
use zargar_core::{Store, StoreError};
use zargar_wire::OpBody;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).single().expect("time")
}

fn r(v: i64) -> Rial {
    Rial::from_i64(v)
}

fn till() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let rings: Vec<_> = (1..=6).map(|i| common::ring(&format!("R-{i}"), "انگشتر", "2")).collect();
    let store = common::stocked_till(&dir.path().join("till.db"), now(), &rings);
    (dir, store)
}

/// Sells `tag` for cash and card: `cash` in notes, the rest by card.
fn sell(store: &mut Store, tag: &str, cash: i64, at: chrono::DateTime<Utc>) -> Rial {
    let req = SaleRequest { items: vec![tag.into()], ..SaleRequest::default() };
    let due = store.draft_sale(&req, at).expect("draft").priced.totals.due;
    let payments = [(PaymentMethod::Cash, r(cash)), (PaymentMethod::Card, due - r(cash))]
        .into_iter()
        .filter(|(_, amount)| *amount > Rial::ZERO)
        .map(|(method, amount)| PaymentInput { method, amount })
        .collect();
    store.record_sale(&SaleRequest { payments, ..req }, at).expect("sale").sale.totals.total
}

fn notes(counts: &[(i64, u32)]) -> Vec<NoteCount> {
    counts.iter().map(|(note, count)| NoteCount { note: r(*note), count: *count }).collect()
}

#[test]
fn a_shift_from_float_to_z_report_with_the_cash_counted_by_note() {
    let (_dir, mut store) = till();
    let shift = store.open_shift(Some(r(10_000_000)), now()).expect("open");
    assert!(matches!(store.open_shift(None, now()), Err(StoreError::ShiftAlreadyOpen)));
    assert_eq!(store.current_shift().expect("current").map(|s| s.id), Some(shift.id));

    let t = now() + Duration::minutes(5);
    let total1 = sell(&mut store, "R-1", 50_000_000, t);
    let total2 = sell(&mut store, "R-2", 20_000_000, t + Duration::minutes(1));
    store.move_cash(r(-30_000_000), "به بانک", t + Duration::minutes(2)).expect("out");
    store.move_cash(r(1_000_000), "پول خرد", t + Duration::minutes(3)).expect("in");
    assert!(matches!(store.move_cash(r(5), " ", t), Err(StoreError::CashReasonRequired)));
    let back = store
        .record_return(
            &ReturnRequest {
                invoice_no: 2,
                tags: vec!["R-2".into()],
                // Cash first, never more by a method than it paid: 20,000,000 in cash.
                refunds: Vec::new(),
                reason: None,
            },
            t + Duration::minutes(4),
        )
        .expect("return");
    assert_eq!(back.refund, total2);

    let x = store.x_report().expect("X");
    assert_eq!((x.sales.sales, x.sales.returns), (2, 1));
    assert_eq!(x.sales.sales_total, total1 + total2);
    assert_eq!(x.sales.returns_total, total2);
    assert_eq!((x.cash_in, x.cash_out), (r(1_000_000), r(30_000_000)));
    // float + cash taken − cash refunded + in − out
    let expected = r(10_000_000) + r(70_000_000) - r(20_000_000) + r(1_000_000) - r(30_000_000);
    assert_eq!(x.cash_expected, expected);
    assert_eq!(x.shift.float, Some(r(10_000_000)));

    // Counted 1,000,000 short of what is expected, whatever that comes to.
    let counted = expected - r(1_000_000);
    let twos = counted.to_i64().expect("i64") / 2_000_000;
    let rest = counted.to_i64().expect("i64") - twos * 2_000_000;
    assert_eq!(rest % 10_000, 0, "the test's prices count in notes");
    let count = notes(&[(2_000_000, twos as u32), (10_000, (rest / 10_000) as u32)]);
    let z = store.close_shift(&count, t + Duration::minutes(10)).expect("close");
    assert_eq!(z.z_no, 1);
    assert_eq!(z.counted_total, counted);
    assert_eq!(z.over_short, r(-1_000_000), "short by a million");
    assert_eq!(z.grand_total, total1, "every sale less every return since the first");
    assert_eq!(z.report.cash_expected, expected);
    assert!(store.current_shift().expect("current").is_none());
    assert!(matches!(store.x_report(), Err(StoreError::NoShiftOpen)));

    // The Z report is in the chain, and on its way to the server.
    assert!(store.verify_journal().expect("verify").is_ok());
    let kinds: Vec<String> = store
        .connection()
        .prepare("SELECT kind FROM journal ORDER BY idx")
        .expect("journal")
        .query_map([], |row| row.get(0))
        .expect("rows")
        .map(|k| k.expect("kind"))
        .collect();
    assert_eq!(kinds.last().map(String::as_str), Some("z_report"));
    let ops = store.pending_ops(0, 100).expect("ops");
    let OpBody::ShiftClose(sent) = &ops.last().expect("an op").body else { panic!("the close goes last") };
    assert_eq!((sent.z_no, sent.over_short, sent.grand_total), (1, r(-1_000_000).decimal(), total1.decimal()));
    assert_eq!(store.z_reports(10).expect("z reports"), std::slice::from_ref(&z), "kept as printed");

    // A closed shift stays as it was.
    let changed = store.connection().execute("UPDATE shifts SET float = 0", []);
    assert!(changed.is_err(), "a closed shift is history");
}

#[test]
fn a_sale_with_no_shift_open_opens_one_uncounted_and_z_numbers_never_skip() {
    let (_dir, mut store) = till();
    assert!(store.current_shift().expect("current").is_none());
    let mut sold = Rial::ZERO;
    for (i, tag) in ["R-1", "R-2", "R-3", "R-4"].iter().enumerate() {
        let at = now() + Duration::hours(i as i64);
        sold = sold + sell(&mut store, tag, 0, at);
        let x = store.x_report().expect("a sale opened the shift");
        assert_eq!(x.shift.float, None, "its float was not counted");
        assert_eq!(x.sales.sales, 1);
        let z = store.close_shift(&[], at + Duration::minutes(1)).expect("close");
        assert_eq!(z.z_no, i as u64 + 1, "gapless");
        assert_eq!(z.grand_total, sold);
        assert_eq!(z.over_short, Rial::ZERO - z.report.cash_expected);
    }
    let all = store.sales_report(TimeSpan::default()).expect("report");
    assert_eq!(store.z_reports(1).expect("last")[0].grand_total, all.net_total);
    assert!(matches!(store.close_shift(&[], now() + Duration::days(1)), Err(StoreError::NoShiftOpen)));
    assert!(store.verify_journal().expect("verify").is_ok());
}

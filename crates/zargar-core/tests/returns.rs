//! Returns by method, exchanges, and a day whose list, report and export
//! agree to the Rial, against a real SQLite file.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use zargar_core::rules::money::Rial;
use zargar_core::sale::{PaymentInput, PaymentMethod, SaleRequest, TradeInInput};
use zargar_core::store::{EntryKind, ReturnRequest, TimeSpan};
use zargar_core::{Lang, Store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 11, 21, 8, 0, 0).single().expect("valid time")
}

fn pay(m: PaymentMethod, v: Rial) -> PaymentInput {
    PaymentInput { method: m, amount: v }
}

fn till(dir: &tempfile::TempDir) -> Store {
    let rings = [("R-1", "5.230"), ("R-2", "3.127"), ("R-3", "9.480"), ("R-4", "2.000")]
        .map(|(tag, w)| common::ring(tag, "انگشتر", w));
    common::stocked_till(&dir.path().join("till.db"), now(), &rings)
}

fn due_of(store: &Store, items: &[&str]) -> Rial {
    let req = SaleRequest { items: items.iter().map(|s| s.to_string()).collect(), ..SaleRequest::default() };
    store.quote_sale(&req, now()).map(|q| q.totals.due).unwrap_or_else(|e| match e {
        zargar_core::StoreError::Settle(zargar_core::error::SettleError::PaymentsShort { due, .. }) => due,
        other => panic!("{other:?}"),
    })
}

#[test]
fn a_card_and_cash_sale_returned_to_cash_and_exchanged_for_a_dearer_piece_adds_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = till(&dir);
    let total = due_of(&store, &["R-1", "R-2"]);
    let card = Rial::from_i64(500_000_000);
    let cash = total - card;
    let first = store
        .record_sale(
            &SaleRequest {
                items: vec!["R-1".into(), "R-2".into()],
                payments: vec![pay(PaymentMethod::Card, card), pay(PaymentMethod::Cash, cash)],
                ..SaleRequest::default()
            },
            now(),
        )
        .expect("sale")
        .sale;
    let r2 = first.lines[1].price.total;
    let r1 = first.lines[0].price.total;

    // More cash than went into the drawer is refused, and nothing changes.
    let quote = store.quote_return(1, &["R-1".into()]).expect("quote");
    assert_eq!(quote.room.available(PaymentMethod::Cash), cash);
    let too_much = ReturnRequest {
        invoice_no: 1,
        tags: vec!["R-1".into()],
        refunds: vec![pay(PaymentMethod::Cash, r1)],
        reason: None,
    };
    assert!(r1 > cash, "the test needs R-1 dearer than the cash paid");
    let refused = store.record_return(&too_much, now()).expect_err("cash above what was paid in cash");
    assert_eq!(refused.code(), "refund_above_method");
    assert!(!store.sale_by_invoice(1).expect("sale").lines[0].returned);

    // R-2 back to cash (the default): it fits in what was paid in cash.
    assert!(r2 <= cash);
    let back = store
        .record_return(&ReturnRequest { invoice_no: 1, tags: vec!["R-2".into()], ..ReturnRequest::default() }, now())
        .expect("return");
    assert_eq!(back.refunds, vec![pay(PaymentMethod::Cash, r2)]);

    // R-1 exchanged for the dearer R-3: its value pays first, the customer
    // pays the difference by card.
    let r3 = due_of(&store, &["R-3"]);
    assert!(r3 > r1);
    let difference = r3 - r1;
    let exchange = store
        .record_sale(
            &SaleRequest {
                items: vec!["R-3".into()],
                payments: vec![pay(PaymentMethod::Card, difference)],
                exchange: Some(ReturnRequest { invoice_no: 1, tags: vec!["R-1".into()], ..ReturnRequest::default() }),
                ..SaleRequest::default()
            },
            now(),
        )
        .expect("exchange");
    let note = exchange.credit_note.expect("a credit note");
    assert_eq!(note.refunds, vec![pay(PaymentMethod::ExchangeCredit, r1)]);
    assert_eq!(note.exchange_invoice_no, Some(2));
    assert_eq!(exchange.sale.payments[0], pay(PaymentMethod::ExchangeCredit, r1));
    assert_eq!(exchange.sale.totals.change, Rial::ZERO);

    // Exchange credit cannot be typed into a plain sale.
    let misuse = SaleRequest {
        items: vec!["R-4".into()],
        payments: vec![pay(PaymentMethod::ExchangeCredit, Rial::from_i64(1))],
        ..SaleRequest::default()
    };
    assert_eq!(store.record_sale(&misuse, now()).expect_err("misuse").code(), "exchange_credit_misused");

    // The day: list, report and export agree to the Rial.
    let day = TimeSpan::default();
    let entries = store.day_entries(day, 100).expect("list");
    assert_eq!(entries.iter().filter(|e| e.kind == EntryKind::Return).count(), 2, "returns are their own rows");
    let list_sum: Rial = entries.iter().map(|e| e.total).sum();
    let report = store.sales_report(day).expect("report");
    assert_eq!(report.sales_total, total + r3);
    assert_eq!(report.returns_total, r1 + r2);
    assert_eq!(report.net_total, list_sum);
    assert_eq!(report.net_total, r3);
    let rows = store.export_rows(day).expect("export");
    let export_sum: Rial = rows.iter().map(|r| r.total).sum();
    assert_eq!(export_sum, list_sum);
    let method = |m: PaymentMethod| report.by_method.iter().find(|x| x.method == m).cloned().expect("method row");
    assert_eq!(method(PaymentMethod::Card).net, card + difference);
    assert_eq!(method(PaymentMethod::Cash).net, cash - r2);
    assert_eq!(report.cash_expected, cash - r2);
    let credit = method(PaymentMethod::ExchangeCredit);
    assert_eq!((credit.received, credit.refunded, credit.net), (r1, r1, Rial::ZERO));
    assert_eq!(report.lines, 1, "R-3 is the one piece that stayed sold");

    // The CSV: a BOM, Persian headers and words.
    let mut csv = Vec::new();
    zargar_core::export::write_csv(&rows, Lang::Fa, &mut csv).expect("csv");
    let text = String::from_utf8(csv).expect("utf8");
    assert!(text.starts_with("\u{feff}نوع,"), "{}", &text[..40.min(text.len())]);
    assert!(text.contains("برگشت از فروش"));
    assert!(!text.contains("true") && !text.contains("false"));
    assert_eq!(store.verify_journal().expect("verify"), Ok(4));
}

#[test]
fn old_gold_is_reported_apart_and_paid_back_in_cash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = till(&dir);
    let total = due_of(&store, &["R-4"]);
    let trade_in = TradeInInput::parse("1.000,750").expect("trade-in");
    let sale = store
        .record_sale(
            &SaleRequest {
                items: vec!["R-4".into()],
                trade_ins: vec![trade_in],
                payments: vec![pay(PaymentMethod::Cash, total)],
                ..SaleRequest::default()
            },
            now(),
        )
        .expect("sale")
        .sale;
    let report = store.sales_report(TimeSpan::default()).expect("report");
    assert_eq!(report.sales_total, total, "the sale at its total…");
    assert_eq!(report.old_gold.len(), 1);
    assert_eq!(report.old_gold[0].grams.to_string(), "1.000");
    assert_eq!(report.old_gold_total, sale.totals.trade_in, "…and the old gold apart");
    assert_eq!(report.cash_expected, sale.totals.due, "cash in less the change");
    // Returned: the whole price goes back in cash (the old gold was paid for).
    let back = store.record_return(&ReturnRequest { invoice_no: 1, ..ReturnRequest::default() }, now()).expect("ret");
    assert_eq!(back.refunds, vec![pay(PaymentMethod::Cash, total)]);
}

#[test]
fn an_exchange_for_a_cheaper_piece_gives_the_difference_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = till(&dir);
    let r3 = due_of(&store, &["R-3"]);
    let card = Rial::from_i64(100_000_000);
    store
        .record_sale(
            &SaleRequest {
                items: vec!["R-3".into()],
                payments: vec![pay(PaymentMethod::Card, card), pay(PaymentMethod::Cash, r3 - card)],
                ..SaleRequest::default()
            },
            now(),
        )
        .expect("sale");
    let r4 = due_of(&store, &["R-4"]);
    assert!(r4 < r3);
    let exchange = store
        .record_sale(
            &SaleRequest {
                items: vec!["R-4".into()],
                exchange: Some(ReturnRequest { invoice_no: 1, ..ReturnRequest::default() }),
                ..SaleRequest::default()
            },
            now(),
        )
        .expect("an exchange the returned value pays in full");
    let note = exchange.credit_note.expect("a credit note");
    // The new piece takes r4 of the credit; the rest goes back, cash first.
    assert_eq!(note.refunds, vec![pay(PaymentMethod::ExchangeCredit, r4), pay(PaymentMethod::Cash, r3 - r4)]);
    assert_eq!(exchange.sale.payments, vec![pay(PaymentMethod::ExchangeCredit, r4)]);
    let report = store.sales_report(TimeSpan::default()).expect("report");
    assert_eq!(report.cash_expected, (r3 - card) - (r3 - r4));
    assert_eq!(report.net_total, r4);
}

#[test]
fn a_return_counts_on_its_own_day() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = till(&dir);
    let total = due_of(&store, &["R-1"]);
    store
        .record_sale(
            &SaleRequest {
                items: vec!["R-1".into()],
                payments: vec![pay(PaymentMethod::Cash, total)],
                ..SaleRequest::default()
            },
            now(),
        )
        .expect("sale");
    let next_day = now() + chrono::Duration::days(1);
    store.record_return(&ReturnRequest { invoice_no: 1, ..ReturnRequest::default() }, next_day).expect("return");
    let day = |d: DateTime<Utc>| {
        let date = zargar_core::persian::tehran_date(d);
        TimeSpan::tehran_days(Some(date), Some(date))
    };
    let first = store.sales_report(day(now())).expect("the sale's day");
    assert_eq!((first.net_total, first.lines, first.returns), (total, 1, 0), "the sale's day keeps its sale");
    let second = store.sales_report(day(next_day)).expect("the return's day");
    assert_eq!((second.net_total, second.lines, second.sales), (Rial::ZERO - total, -1, 0));
    assert_eq!(second.cash_expected, Rial::ZERO - total, "the drawer paid it back that day");
    let rows = store.day_entries(day(next_day), 10).expect("list");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].total, Rial::ZERO - total);
}

//! Discounts at the sale, on a real SQLite file: off the making charge and
//! the profit, never the gold; within a cashier's limit they record, past
//! it only with a manager's PIN; the invoice, the journal and the wire
//! carry them and who gave them.

mod common;

use chrono::{TimeZone, Utc};
use rust_decimal::Decimal;
use zargar_core::display_unit::DisplayUnit;
use zargar_core::invoice::{Formatter, render_invoice};
use zargar_core::rules::discount::{Discount, LineDiscount};
use zargar_core::rules::money::{Percent, Rial};
use zargar_core::rules::roles::Act;
use zargar_core::sale::{PaymentInput, PaymentMethod, SaleDiscount, SaleRequest, parse_discount};
use zargar_core::store::{PersonEdit, ReturnRequest};
use zargar_core::{Lang, Store, StoreError};
use zargar_wire::{OpBody, Role};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).single().expect("time")
}

/// A till with three 5 g rings at 15% wage, its owner مریم (1379), the
/// cashier علی (2468, limit 10%) and the manager رضا (1111); علی signed in.
fn till() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let rings = ["R-1", "R-2", "R-3"].map(|tag| common::ring(tag, "انگشتر", "5"));
    let mut store = common::stocked_till(&dir.path().join("till.db"), now(), &rings);
    store.set_owner_pin("مریم", "1379", None).expect("owner");
    store.sign_in("مریم", "1379", now()).expect("owner signs in");
    for (name, role, pin) in [("علی", Role::Cashier, "2468"), ("رضا", Role::Manager, "1111")] {
        let edit = PersonEdit {
            name: Some(name.into()),
            role: Some(role),
            pin: Some(pin.into()),
            discount_limit_percent: Some(Decimal::from(10)),
            ..PersonEdit::default()
        };
        store.save_person(&edit, now()).expect("person");
    }
    store.sign_in("علی", "2468", now()).expect("cashier signs in");
    (dir, store)
}

fn sale(tags: &[&str], wage: &str, profit: &str) -> SaleRequest {
    let off = |s: &str| parse_discount(DisplayUnit::Rial, s).expect("discount");
    SaleRequest {
        items: tags.iter().map(|t| t.to_string()).collect(),
        payments: vec![PaymentInput { method: PaymentMethod::Cash, amount: Rial::from_i64(2_000_000_000) }],
        discount: SaleDiscount { sale: LineDiscount { wage: off(wage), profit: off(profit) }, lines: Vec::new() },
        ..SaleRequest::default()
    }
}

fn in_stock(store: &Store, tag: &str) -> bool {
    store.find_item(tag).expect("find").expect("item").status.code() == "in_stock"
}

#[test]
fn a_cashier_gives_a_discount_within_the_limit_and_the_invoice_journal_and_wire_carry_it() {
    let (_dir, mut store) = till();
    let full = store.quote_sale(&sale(&["R-1"], "", ""), now()).expect("full price");
    let recorded = store.record_sale(&sale(&["R-1"], "10%", ""), now()).expect("within the limit");
    let s = &recorded.sale;
    let (line, before) = (&s.lines[0], &full.lines[0]);
    // 10% of the 60,000,000 wage; the gold untouched; the profit on the discounted wage.
    assert_eq!(line.discount.wage, Rial::from_i64(6_000_000));
    assert_eq!(line.price.gold, before.price.gold);
    assert_eq!(line.price.wage, Rial::from_i64(54_000_000));
    let profit = Rial::floor((line.price.gold + line.price.wage).decimal() * Decimal::from(7) / Decimal::ONE_HUNDRED);
    assert_eq!(line.price.profit, profit);
    assert_eq!(line.price.vat, Rial::floor((line.price.wage + line.price.profit).decimal() / Decimal::TEN));
    assert!(s.totals.total < full.totals.total);
    assert_eq!(s.seller.as_ref().map(|p| p.name.as_str()), Some("علی"));
    assert_eq!(s.discount_approved_by, None);

    let again = store.sale_by_invoice(s.invoice_no).expect("reread");
    assert_eq!(again.lines[0].discount, line.discount, "kept on the till as recorded");
    assert_eq!(again.seller, s.seller);
    let text = render_invoice(&again, &Default::default(), "صندوق ۱", Formatter::new(Lang::Fa, DisplayUnit::Rial));
    assert!(text.contains("فروشنده: علی"), "{text}");
    assert!(text.contains("تخفیف اجرت و سود (کسرشده)"), "the discount on its own line: {text}");
    assert!(store.verify_journal().expect("verify").is_ok(), "the entry with its discount is in the chain");

    let ops = store.pending_ops(0, 100).expect("ops");
    let op = ops.iter().find(|o| o.entity_id == s.id).expect("the sale's op");
    let OpBody::SaleCreate(wire) = &op.body else { panic!("a sale op") };
    assert_eq!(wire.lines[0].wage_discount, Decimal::from(6_000_000));
    assert_eq!(op.by.as_ref().map(|p| p.name.as_str()), Some("علی"));

    // The same day the piece comes back: the return's entry names علی too.
    let back = ReturnRequest { invoice_no: s.invoice_no, tags: Vec::new(), refunds: Vec::new(), reason: None };
    store.record_return(&back, now()).expect("a cashier takes a piece back the same day");
    let entries: Vec<(String, String)> = store
        .connection()
        .prepare("SELECT kind, content FROM journal ORDER BY idx")
        .expect("journal")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .map(|e| e.expect("entry"))
        .collect();
    for (kind, content) in &entries {
        let v: serde_json::Value = serde_json::from_str(content).expect("json");
        assert_eq!(v["by"]["name"], "علی", "the {kind} entry names who did it");
    }
    assert!(store.verify_journal().expect("verify").is_ok());
}

#[test]
fn past_the_limit_nothing_is_saved_until_a_manager_gives_their_pin() {
    let (_dir, mut store) = till();
    let req = sale(&["R-1", "R-2"], "20%", "5000000");
    let draft = store.draft_sale(&req, now()).expect("draft");
    assert!(draft.discount_needs_approval, "the sale screen says so before recording");
    assert!(draft.discount_percent > Decimal::from(10));
    let refused = store.record_sale(&req, now()).expect_err("past the limit");
    assert!(matches!(refused, StoreError::DiscountOverLimit { .. }), "{refused:?}");
    assert_eq!(refused.code(), "discount_over_limit");
    assert!(in_stock(&store, "R-1") && in_stock(&store, "R-2"), "nothing saved");

    // The cashier's own PIN approves nothing; a wrong one neither.
    assert!(matches!(store.manager_approval("2468", Act::ApproveDiscount, now()), Err(StoreError::PinWrong)));
    assert!(matches!(store.manager_approval("0000", Act::ApproveDiscount, now()), Err(StoreError::PinWrong)));
    let yes = store.manager_approval("۱۱۱۱", Act::ApproveDiscount, now()).expect("the manager's PIN");
    let recorded = store.record_sale(&SaleRequest { discount_approval: Some(yes), ..req }, now()).expect("approved");
    let s = &recorded.sale;
    assert_eq!(s.discount_approved_by.as_ref().map(|p| p.name.as_str()), Some("رضا"));
    // 5,000,000 off the profit, spread over the two rings to the Rial.
    assert_eq!(s.discount().expect("discount").profit, Rial::from_i64(5_000_000));
    assert_eq!(s.lines[0].discount.wage, Rial::from_i64(12_000_000));
    assert!(store.verify_journal().expect("verify").is_ok());
    let ops = store.pending_ops(0, 100).expect("ops");
    let OpBody::SaleCreate(wire) = &ops.iter().find(|o| o.entity_id == s.id).expect("op").body else {
        panic!("a sale op")
    };
    assert_eq!(wire.discount_approved_by.as_ref().map(|p| p.name.as_str()), Some("رضا"));
}

#[test]
fn a_manager_has_no_limit_and_a_discount_never_passes_its_part() {
    let (_dir, mut store) = till();
    store.sign_in("رضا", "1111", now()).expect("manager");
    store.record_sale(&sale(&["R-1"], "50%", "100%"), now()).expect("a manager gives what they choose");
    let past = store.record_sale(&sale(&["R-2"], "60000001", ""), now()).expect_err("more than the wage");
    assert_eq!(past.code(), "discount_past_part");
    assert!(in_stock(&store, "R-2"));
    assert!(parse_discount(DisplayUnit::Rial, "ten").is_err());
    assert_eq!(parse_discount(DisplayUnit::Toman, "۱۰۰").expect("toman"), Some(Discount::Rials(Rial::from_i64(1_000))));
    assert_eq!(
        parse_discount(DisplayUnit::Rial, "۱۰٪").expect("percent"),
        Some(Discount::Percent(Percent::from_u32(10).expect("10")))
    );
}

#[test]
fn a_line_keeps_its_own_discount_and_the_sale_discount_goes_to_the_others() {
    let (_dir, mut store) = till();
    let mut req = sale(&["R-1", "R-2"], "4000000", "");
    req.discount.lines =
        vec![None, Some(LineDiscount { wage: Some(Discount::Rials(Rial::from_i64(1_000_000))), profit: None })];
    let s = store.record_sale(&req, now()).expect("within the limit").sale;
    assert_eq!(s.lines[0].discount.wage, Rial::from_i64(4_000_000), "all the sale's discount on the other ring");
    assert_eq!(s.lines[1].discount.wage, Rial::from_i64(1_000_000));
}

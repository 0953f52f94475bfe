//! Customers' accounts on a real SQLite file: a sale left on account, money
//! and old gold taken against it, a conversion with a manager's PIN, a
//! return paying the account off first; refusals that change nothing; the
//! statement's running balances; and, as a property, a balance is always
//! the sum of its movements.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use zargar_core::account::{AccountMoveKind, Balance, GoldMg, MoveRequest, MoveState};
use zargar_core::account_statement::render_statement;
use zargar_core::customer::NewCustomer;
use zargar_core::display_unit::DisplayUnit;
use zargar_core::invoice::Formatter;
use zargar_core::rules::measure::{Purity, Weight};
use zargar_core::rules::money::{Percent, Rial};
use zargar_core::rules::roles::Act;
use zargar_core::sale::{PaymentInput, PaymentMethod, SaleRequest};
use zargar_core::store::{PersonEdit, ReturnRequest};
use zargar_core::{Lang, Store, StoreError};
use zargar_wire::{OpBody, Role};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).single().expect("time")
}

fn r(v: i64) -> Rial {
    Rial::from_i64(v)
}

fn grams(s: &str) -> Weight {
    Weight::grams(s.parse().expect("decimal")).expect("weight")
}

const MOBILE: &str = "09121234567";

/// A till with three 5 g rings and the customer زهرا.
fn till() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let rings = ["R-1", "R-2", "R-3"].map(|tag| common::ring(tag, "انگشتر", "5"));
    let mut store = common::stocked_till(&dir.path().join("till.db"), now(), &rings);
    let zahra = NewCustomer::parse("زهرا احمدی", Some(MOBILE), None).expect("customer");
    store.add_customer(&zahra, now()).expect("add customer");
    (dir, store)
}

fn sale_on_account(tag: &str, cash: Rial, on_account: Rial) -> SaleRequest {
    let mut payments = vec![PaymentInput { method: PaymentMethod::Account, amount: on_account }];
    if cash > Rial::ZERO {
        payments.insert(0, PaymentInput { method: PaymentMethod::Cash, amount: cash });
    }
    SaleRequest { items: vec![tag.into()], customer: Some(MOBILE.into()), payments, ..SaleRequest::default() }
}

/// What a piece costs, paid in cash.
fn due_of(store: &Store, tag: &str) -> Rial {
    let cash = vec![PaymentInput { method: PaymentMethod::Cash, amount: r(2_000_000_000) }];
    let req = SaleRequest { items: vec![tag.into()], payments: cash, ..SaleRequest::default() };
    store.quote_sale(&req, now()).expect("quote").totals.due
}

fn balance(store: &Store) -> Balance {
    store.account_balance(MOBILE).expect("balance").1
}

fn ops_of_kind(store: &Store, kind: &str) -> usize {
    store.pending_ops(0, 1000).expect("outbox").iter().filter(|o| o.body.kind() == kind).count()
}

#[test]
fn a_sale_on_account_within_the_limit_then_paid_off_in_cash_and_gold() {
    let (_dir, mut store) = till();
    let due = due_of(&store, "R-1");
    // Nothing on account without a limit: the sale is refused, and nothing is saved.
    let refused = store.record_sale(&sale_on_account("R-1", due - r(100_000_000), r(100_000_000)), now());
    assert!(
        matches!(refused, Err(StoreError::CreditExceeded { ref limit, ref amount, .. }) if *limit == Rial::ZERO && *amount == r(100_000_000)),
        "{refused:?}"
    );
    assert_eq!(balance(&store), Balance::ZERO);
    assert_eq!(store.find_item("R-1").expect("find").expect("ring").status.code(), "in_stock");

    store.set_credit_limit(MOBILE, r(150_000_000), now()).expect("limit");
    assert!(
        store
            .pending_ops(0, 1000)
            .expect("outbox")
            .iter()
            .any(|o| matches!(&o.body, OpBody::CustomerUpsert(c) if c.credit_limit == Decimal::from(150_000_000))),
        "the new limit goes to the server as the customer's new version"
    );
    let sold = store.record_sale(&sale_on_account("R-1", due - r(100_000_000), r(100_000_000)), now()).expect("sale");
    assert_eq!(balance(&store).rial, r(-100_000_000));
    let part = store.sale_account_move(sold.sale.id).expect("read").expect("the sale's movement");
    assert_eq!((part.kind, part.rial, part.invoice_no), (AccountMoveKind::Sale, r(-100_000_000), Some(1)));
    assert_eq!(part.state, MoveState::Pending);

    // 60,000,000 more would pass the 150,000,000 limit: refused, nothing written.
    let past = store.record_sale(&sale_on_account("R-2", due - r(60_000_000), r(60_000_000)), now());
    assert!(matches!(past, Err(StoreError::CreditExceeded { .. })), "{past:?}");
    assert_eq!(balance(&store).rial, r(-100_000_000));

    let later = now() + Duration::minutes(5);
    let pay = MoveRequest::Payment { method: PaymentMethod::Cash, amount: r(40_000_000) };
    store.record_account_move(MOBILE, pay, Some("قسط اول"), None, later).expect("payment");
    assert_eq!(balance(&store).rial, r(-60_000_000));
    let x = store.x_report().expect("x report");
    assert_eq!(x.cash_in, r(40_000_000), "the cash went into the drawer");

    // 10.001 g of 21k kept as credit: 11.667 g of 18k less the shop's 5% loss, floored.
    let gold = MoveRequest::GoldIn {
        weight: grams("10.001"),
        purity: Purity::per_mille(Decimal::from(875)).expect("21k"),
        deduction: Some(Percent::from_u32(5).expect("5%")),
    };
    let kept = store.record_account_move(MOBILE, gold, None, None, later).expect("gold in");
    assert_eq!(kept.gold, GoldMg::from_mg(11_084));
    assert_eq!(balance(&store), Balance { rial: r(-60_000_000), gold: GoldMg::from_mg(11_084) });

    // Handing back more gold than the account holds is refused.
    let too_much = MoveRequest::GoldOut { weight: grams("12"), purity: Purity::K18 };
    let short = store.record_account_move(MOBILE, too_much, None, None, later);
    assert!(matches!(short, Err(StoreError::GoldCreditShort { .. })), "{short:?}");

    // 1 g of the gold to Rials at 80,000,000 a gram: exactly 80,000,000.
    let convert = MoveRequest::GoldToRial { gold: GoldMg::from_mg(1_000) };
    let c = store.record_account_move(MOBILE, convert, None, None, later).expect("convert");
    assert_eq!((c.rial, c.gold, c.per_gram_18k), (r(80_000_000), GoldMg::from_mg(-1_000), Some(r(80_000_000))));
    assert_eq!(balance(&store), Balance { rial: r(20_000_000), gold: GoldMg::from_mg(10_084) });
    assert_eq!(ops_of_kind(&store, OpBody::ACCOUNT_MOVE), 3, "each movement is an op of its own");
    assert!(store.verify_journal().expect("journal").is_ok(), "each movement is in the journal chain");

    let s = store.statement(MOBILE).expect("statement");
    assert_eq!(s.lines.len(), 4);
    let running: Vec<Rial> = s.lines.iter().map(|l| l.balance.rial).collect();
    assert_eq!(running, [r(-100_000_000), r(-60_000_000), r(-60_000_000), r(20_000_000)]);
    assert_eq!(s.available, r(170_000_000));
    let text = render_statement(&s, later, Formatter::new(Lang::Fa, DisplayUnit::Rial));
    assert!(text.contains("صورت‌حساب زهرا احمدی"), "{text}");
    assert!(text.contains("۱۴۰۵/۰۹/۱۰"), "Jalali dates: {text}");
    assert!(text.contains("بستانکار"), "the balance side in words: {text}");
}

#[test]
fn a_return_of_a_piece_bought_on_account_pays_the_account_off_first() {
    let (_dir, mut store) = till();
    store.set_credit_limit(MOBILE, r(1_000_000_000), now()).expect("limit");
    let due = due_of(&store, "R-1");
    let cash = r(200_000_000);
    let sold = store.record_sale(&sale_on_account("R-1", cash, due - cash), now()).expect("sale");
    assert_eq!(balance(&store).rial, Rial::ZERO - (due - cash));
    let back = store
        .record_return(&ReturnRequest { invoice_no: sold.sale.invoice_no, ..ReturnRequest::default() }, now())
        .expect("return");
    assert_eq!(back.refunds[0], PaymentInput { method: PaymentMethod::Account, amount: due - cash });
    assert_eq!(back.refunds[1], PaymentInput { method: PaymentMethod::Cash, amount: cash });
    assert_eq!(balance(&store), Balance::ZERO, "the debt is gone, and only the cash paid goes back");
    let s = store.statement(MOBILE).expect("statement");
    assert_eq!(
        s.lines.iter().map(|l| l.movement.kind).collect::<Vec<_>>(),
        [AccountMoveKind::Sale, AccountMoveKind::Refund]
    );
}

#[test]
fn a_cashier_converts_only_with_a_managers_pin_and_a_walk_in_buys_nothing_on_account() {
    let (_dir, mut store) = till();
    store.set_owner_pin("مریم", "1379", None).expect("owner");
    store.sign_in("مریم", "1379", now()).expect("owner signs in");
    for (name, role, pin) in [("علی", Role::Cashier, "2468"), ("رضا", Role::Manager, "1111")] {
        let edit =
            PersonEdit { name: Some(name.into()), role: Some(role), pin: Some(pin.into()), ..PersonEdit::default() };
        store.save_person(&edit, now()).expect("person");
    }
    store.sign_in("علی", "2468", now()).expect("cashier");
    let limit = store.set_credit_limit(MOBILE, r(1), now());
    assert!(matches!(limit, Err(StoreError::NotPermitted { .. })), "{limit:?}");
    let gold = MoveRequest::GoldIn { weight: grams("2"), purity: Purity::K18, deduction: Some(Percent::ZERO) };
    store.record_account_move(MOBILE, gold, None, None, now()).expect("a cashier takes gold as credit");
    let convert = MoveRequest::GoldToRial { gold: GoldMg::from_mg(500) };
    let refused = store.record_account_move(MOBILE, convert, None, None, now());
    assert!(matches!(refused, Err(StoreError::ConversionNeedsManager)), "{refused:?}");
    assert!(matches!(store.manager_approval("2468", Act::ConvertGold, now()), Err(StoreError::PinWrong)));
    let yes = store.manager_approval("1111", Act::ConvertGold, now()).expect("the manager's PIN");
    let done = store.record_account_move(MOBILE, convert, None, Some(&yes), now()).expect("approved");
    assert_eq!(done.gold, GoldMg::from_mg(-500));
    let wire = store.pending_ops(0, 1000).expect("outbox");
    let approved = wire.iter().find_map(|o| match &o.body {
        OpBody::AccountMove(m) if m.kind == AccountMoveKind::Convert => m.approved_by.clone(),
        _ => None,
    });
    assert_eq!(approved.map(|p| p.name), Some("رضا".to_owned()));

    let walk_in = SaleRequest {
        items: vec!["R-1".into()],
        payments: vec![PaymentInput { method: PaymentMethod::Account, amount: r(1) }],
        ..SaleRequest::default()
    };
    assert!(matches!(store.record_sale(&walk_in, now()), Err(StoreError::AccountNeedsCustomer)));
}

/// One movement a cashier might try; some are refused, which must change nothing.
#[derive(Debug, Clone)]
enum Step {
    Pay(i64),
    Payout(i64),
    GoldIn(i64, u16),
    GoldOut(i64),
    ToRial(i64),
    ToGold(i64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1i64..50_000_000).prop_map(Step::Pay),
        (1i64..50_000_000).prop_map(Step::Payout),
        (1i64..20_000, prop_oneof![Just(750u16), Just(875), Just(999)]).prop_map(|(mg, p)| Step::GoldIn(mg, p)),
        (1i64..10_000).prop_map(Step::GoldOut),
        (1i64..10_000).prop_map(Step::ToRial),
        (1i64..100_000_000).prop_map(Step::ToGold),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever is accepted or refused, the balance is the sum of the
    /// movements on the statement, each line's balance is the sum up to it,
    /// and the account never passes its limit nor holds less than no gold.
    #[test]
    fn a_balance_is_always_the_sum_of_its_movements(steps in prop::collection::vec(step(), 1..25)) {
        let (_dir, mut store) = till();
        store.set_credit_limit(MOBILE, r(30_000_000), now()).expect("limit");
        for (i, s) in steps.iter().enumerate() {
            let at = now() + Duration::seconds(i as i64);
            let req = match *s {
                Step::Pay(a) => MoveRequest::Payment { method: PaymentMethod::Card, amount: r(a) },
                Step::Payout(a) => MoveRequest::Payout { method: PaymentMethod::Transfer, amount: r(a) },
                Step::GoldIn(mg, p) => MoveRequest::GoldIn {
                    weight: Weight::from_milligrams(mg).expect("w"),
                    purity: Purity::per_mille(Decimal::from(p)).expect("p"),
                    deduction: Some(Percent::ZERO),
                },
                Step::GoldOut(mg) => MoveRequest::GoldOut { weight: Weight::from_milligrams(mg).expect("w"), purity: Purity::K18 },
                Step::ToRial(mg) => MoveRequest::GoldToRial { gold: GoldMg::from_mg(mg) },
                Step::ToGold(a) => MoveRequest::RialToGold { amount: r(a) },
            };
            let before = balance(&store);
            match store.record_account_move(MOBILE, req, None, None, at) {
                Ok(m) => prop_assert_eq!(balance(&store), before.checked_add(m.rial, m.gold).expect("sum")),
                Err(e) => {
                    prop_assert!(e.is_refusal(), "{e:?}");
                    prop_assert_eq!(balance(&store), before, "a refusal changes nothing");
                }
            }
            let b = balance(&store);
            prop_assert!(!b.overdrawn(r(30_000_000)), "{b:?}");
        }
        let s = store.statement(MOBILE).expect("statement");
        let mut sum = Balance::ZERO;
        for line in &s.lines {
            sum = sum.checked_add(line.movement.rial, line.movement.gold).expect("sum");
            prop_assert_eq!(line.balance, sum);
        }
        prop_assert_eq!(s.balance, sum);
        prop_assert_eq!(balance(&store), sum);
    }
}

#[test]
fn a_plan_in_grams_is_paid_at_each_days_price_and_a_late_installment_is_reminded() {
    let (_dir, mut store) = till();
    store.set_credit_limit(MOBILE, r(1_000_000_000), now()).expect("limit");
    let due = due_of(&store, "R-1");
    let on_account = r(400_000_000);
    let sold = store.record_sale(&sale_on_account("R-1", due - on_account, on_account), now()).expect("sale");
    let first = zargar_core::persian::from_jalali(1405, 10, 1).expect("day");
    let plan = store
        .create_plan(sold.sale.invoice_no, 4, zargar_core::account::PlanUnit::Gold, Some(first), now())
        .expect("plan");
    // 400,000,000 at 80,000,000 a gram is exactly 5 g: four installments of 1.250 g.
    assert_eq!(plan.total, 5_000);
    assert_eq!(plan.installments.iter().map(|i| i.amount).collect::<Vec<_>>(), [1_250; 4]);
    let dues: Vec<String> =
        plan.installments.iter().map(|i| zargar_core::persian::to_jalali(i.due).to_string()).collect();
    assert_eq!(dues, ["1405/10/01", "1405/11/01", "1405/12/01", "1406/01/01"]);
    assert_eq!(balance(&store), Balance { rial: Rial::ZERO, gold: GoldMg::from_mg(-5_000) }, "the debt is in grams");

    // The price rises to 100,000,000: 125,000,000 Rials buy exactly 1.250 g.
    let later = now() + Duration::days(40);
    store.set_gold_price(zargar_core::gold_price::PriceEntry::PerGram18k(r(100_000_000)), later).expect("new price");
    let paid = store.pay_installment(plan.id, PaymentMethod::Cash, r(125_000_000), later).expect("pay");
    assert_eq!(paid.len(), 2, "the money, and the grams it bought");
    assert_eq!(balance(&store), Balance { rial: Rial::ZERO, gold: GoldMg::from_mg(-3_750) });
    // A cashier buying on Rial credit is not stopped by the gold owed.
    let more = store.record_sale(&sale_on_account("R-2", due_of(&store, "R-2") - r(1_000), r(1_000)), later);
    assert!(more.is_ok(), "{more:?}");

    // Two months on, the second installment is late; the third is not yet due.
    let late = zargar_core::persian::from_jalali(1405, 12, 5).expect("day").and_hms_opt(9, 0, 0).expect("t").and_utc();
    let plans = store.plans(MOBILE, late).expect("plans");
    let states: Vec<_> = plans[0].installments.iter().map(|i| i.state).collect();
    use zargar_core::account::InstallmentState::{Due, Overdue, Paid};
    assert_eq!(states, [Paid, Overdue, Overdue, Due]);
    let overdue = store.overdue(late).expect("overdue");
    let csv = zargar_core::installments::overdue_csv(&overdue, zargar_core::persian::tehran_date(late)).expect("csv");
    assert!(csv.contains("زهرا احمدی,09121234567,1,2,1405/11/01,gold,1.250,34"), "{csv}");
    let texts = zargar_core::installments::reminders(&overdue, "طلای نو", Formatter::new(Lang::Fa, DisplayUnit::Rial));
    assert_eq!(texts.len(), 2);
    assert!(texts[0].contains("۱٫۲۵۰ گرم"), "{}", texts[0]);
    assert!(texts[0].contains("۱۴۰۵/۱۱/۰۱"), "{}", texts[0]);

    // Paid off, and once more: the surplus is her gold credit, and nothing is overdue.
    store.pay_installment(plan.id, PaymentMethod::Card, r(375_000_000), late).expect("the rest");
    store.pay_installment(plan.id, PaymentMethod::Card, r(100_000_000), late).expect("once more");
    assert_eq!(balance(&store).gold, GoldMg::from_mg(1_000));
    assert!(store.overdue(late).expect("overdue").is_empty());
}

#[test]
fn a_layaway_reserves_its_piece_until_the_customers_sale_completes_it() {
    let (_dir, mut store) = till();
    let l = store
        .create_layaway(MOBILE, &["R-1".to_owned()], Some((PaymentMethod::Cash, r(100_000_000))), now())
        .expect("layaway");
    assert_eq!(store.find_item("R-1").expect("find").expect("ring").status.code(), "reserved");
    assert_eq!(balance(&store).rial, r(100_000_000), "the deposit is her credit");
    // Nobody else buys it.
    let other = SaleRequest {
        items: vec!["R-1".into()],
        payments: vec![PaymentInput { method: PaymentMethod::Cash, amount: r(2_000_000_000) }],
        ..SaleRequest::default()
    };
    assert!(matches!(store.record_sale(&other, now()), Err(StoreError::ItemNotInStock { status: "reserved", .. })));
    // She does: the deposit pays part of it.
    let due = {
        let mut q = other.clone();
        q.customer = Some(MOBILE.into());
        q.layaway = Some(l.id);
        store.quote_sale(&q, now()).expect("quote").totals.due
    };
    let mine = SaleRequest { layaway: Some(l.id), ..sale_on_account("R-1", due - r(100_000_000), r(100_000_000)) };
    let sold = store.record_sale(&mine, now()).expect("completes the layaway");
    assert_eq!(sold.sale.layaway, Some(l.id));
    assert_eq!(balance(&store).rial, Rial::ZERO);
    assert_eq!(store.layaways(MOBILE).expect("list")[0].state, "completed");

    // Another, cancelled: the piece is back, the deposit stays as credit.
    let l2 =
        store.create_layaway(MOBILE, &["R-2".to_owned()], Some((PaymentMethod::Card, r(5_000_000))), now()).expect("2");
    store.cancel_layaway(l2.id, now()).expect("cancel");
    assert_eq!(store.find_item("R-2").expect("find").expect("ring").status.code(), "in_stock");
    assert_eq!(balance(&store).rial, r(5_000_000));
    assert!(matches!(store.cancel_layaway(l2.id, now()), Err(StoreError::LayawayNotOpen(_))));
}

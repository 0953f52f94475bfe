//! Customers' accounts on the real server: the ledger it keeps from the
//! tills' movements and the parts of sales on account; two tills that spent
//! one customer's credit offline meet as `balance_overdrawn`, with both
//! sides shown, and the owner settles it; movements are sent once whatever
//! is resent; every till pulls the ledger with the till that made each one.

mod common;

use chrono::Utc;
use common::{Server, Till};
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_wire::{
    AccountMoveChange, AccountMoveKind, AccountMovePayload, AccountMoveStatus, ChangeData, ConflictKind,
    CustomerPayload, ItemPayload, Op, OpBody, OpStatus, Payment, PaymentMethod, PullResponse, Resolution,
    ResolvePayload,
};

fn d(v: i64) -> Decimal {
    Decimal::from(v)
}

fn customer(limit: i64) -> CustomerPayload {
    CustomerPayload {
        customer_id: Uuid::now_v7(),
        name: "زهرا احمدی".into(),
        mobile: Some("09121234567".into()),
        national_id: None,
        economic_code: None,
        postal_code: None,
        credit_limit: d(limit),
    }
}

/// A cash sale of `items` with `on_account` Rials of it left on the
/// customer's account instead.
fn sale_on_account(
    till: &mut Till,
    items: &[ItemPayload],
    price: &zargar_wire::GoldPricePayload,
    c: Uuid,
    on_account: i64,
) -> Op {
    let mut op = till.sale(items, price);
    if let OpBody::SaleCreate(s) = &mut op.body {
        s.customer_id = Some(c);
        let cash = s.payments[0].amount - d(on_account);
        s.payments = vec![
            Payment { method: PaymentMethod::Cash, amount: cash },
            Payment { method: PaymentMethod::Account, amount: d(on_account) },
        ];
    }
    op
}

/// A movement of the till's own, linked into its journal.
fn movement(till: &mut Till, c: Uuid, kind: AccountMoveKind, rial: i64, gold_mg: i64) -> Op {
    let mut m = AccountMovePayload::new(c, kind, d(rial), gold_mg, Utc::now());
    m.move_id = Uuid::now_v7();
    if matches!(kind, AccountMoveKind::Payment | AccountMoveKind::Payout) {
        m.method = Some(PaymentMethod::Cash);
    }
    m.journal = Some(till.book.next_link(&m.move_id.to_string()));
    till.book.op(OpBody::AccountMove(m), &[], None, Utc::now())
}

/// Every account movement the till pulls, latest status of each.
async fn ledger(till: &Till) -> Vec<AccountMoveChange> {
    let mut cursor = String::new();
    let mut out: Vec<AccountMoveChange> = Vec::new();
    for _ in 0..100 {
        let r = till.get(&format!("/api/v1/sync/pull?cursor={cursor}")).await;
        assert_eq!(r.status, 200, "pull: {}", r.text());
        let page: PullResponse = serde_json::from_slice(&r.body).expect("pull body");
        for c in page.changes {
            if let ChangeData::AccountMove(m) = c.data {
                out.retain(|x| x.movement.move_id != m.movement.move_id);
                out.push(*m);
            }
        }
        cursor = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    out
}

/// The balance as a till rebuilds it from what it pulled: Rials and mg.
fn balance_of(ledger: &[AccountMoveChange]) -> (Decimal, i64) {
    ledger
        .iter()
        .filter(|m| m.status.counts())
        .fold((Decimal::ZERO, 0), |(r, g), m| (r + m.movement.rial, g + m.movement.gold_mg))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tills_spend_one_credit_offline_and_the_owner_settles_it() {
    let server = Server::start();
    let (_shop, [mut a, mut b]) = server.shop_with("Zarrin", [("counter A", "till"), ("counter B", "till")]).await;
    let (items, price) = a.pull_priced().await;
    let zahra = customer(100_000_000);
    let add = a.book.op(OpBody::CustomerUpsert(zahra.clone()), &[], None, Utc::now());
    assert_eq!(a.push(&[add]).await.push().results[0].status, OpStatus::Applied);
    let c = zahra.customer_id;

    // Both tills offline, each sure of the 100,000,000 of credit: 80,000,000 each.
    let at_a = sale_on_account(&mut a, &items[..1], &price, c, 80_000_000);
    let at_b = sale_on_account(&mut b, &items[1..2], &price, c, 80_000_000);
    let first = a.push(std::slice::from_ref(&at_a)).await.push();
    assert_eq!(first.results[0].status, OpStatus::Applied, "{:?}", first.results);
    let second = b.push(std::slice::from_ref(&at_b)).await.push();
    let r = &second.results[0];
    assert_eq!(r.status, OpStatus::Conflict, "{r:?}");
    let conflict = r.conflict.as_ref().expect("the conflict");
    assert_eq!(conflict.kind, ConflictKind::BalanceOverdrawn);
    assert_eq!(conflict.options, [Resolution::Accept, Resolution::Void]);
    let account = conflict.server_state.account.as_ref().expect("both sides");
    assert_eq!(
        (account.rial, account.credit_limit, account.move_rial),
        (d(-80_000_000), d(100_000_000), d(-80_000_000))
    );
    let spent = &account.spent_elsewhere;
    assert_eq!(spent.len(), 1, "{spent:?}");
    assert_eq!((spent[0].device_name.as_str(), spent[0].rial), ("counter A", d(-80_000_000)));

    // The second sale's piece was not taken from stock; the ledger counts only the first.
    let (now_items, _) = b.pull_all().await;
    let second_piece = now_items.iter().find(|i| i.item_id == items[1].item_id).expect("piece");
    assert_eq!(second_piece.status, zargar_wire::ItemStatus::InStock);
    let seen = ledger(&b).await;
    assert_eq!(balance_of(&seen), (d(-80_000_000), 0));
    let parked = seen.iter().find(|m| m.movement.sale_id == Some(sale_id(&at_b))).expect("the parked movement");
    assert_eq!((parked.status, parked.device_name.as_str()), (AccountMoveStatus::Conflict, "counter B"));

    // Resent (the answer was lost): nothing counts twice.
    let again = b.push(std::slice::from_ref(&at_b)).await.push();
    assert_eq!(again.results[0].status, OpStatus::Duplicate);
    assert_eq!(balance_of(&ledger(&a).await), (d(-80_000_000), 0));

    // The owner knows زهرا and lets the sale stand: she owes 160,000,000.
    let accept = ResolvePayload {
        conflict_op_id: at_b.op_id,
        resolution: Resolution::Accept,
        resolved_by: "مریم".into(),
        reason: Some("مشتری قدیمی؛ تا آخر ماه می‌پردازد".into()),
        replacement: None,
        due_change: None,
    };
    let op = a.book.op(OpBody::ConflictResolve(accept), &[], None, Utc::now());
    assert_eq!(a.push(&[op]).await.push().results[0].status, OpStatus::Applied);
    let after = ledger(&b).await;
    assert_eq!(balance_of(&after), (d(-160_000_000), 0));
    let settled = after.iter().find(|m| m.movement.sale_id == Some(sale_id(&at_b))).expect("movement");
    assert_eq!(settled.status, AccountMoveStatus::Accepted);

    // She pays 100,000,000 in cash at counter B: the server's ledger and both tills' agree.
    let pay = movement(&mut b, c, AccountMoveKind::Payment, 100_000_000, 0);
    assert_eq!(b.push(&[pay]).await.push().results[0].status, OpStatus::Applied);
    assert_eq!(balance_of(&ledger(&a).await), (d(-60_000_000), 0));
    assert_eq!(balance_of(&ledger(&b).await), (d(-60_000_000), 0));
}

fn sale_id(op: &Op) -> Uuid {
    match &op.body {
        OpBody::SaleCreate(s) => s.sale_id,
        _ => panic!("not a sale"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gold_credit_taken_twice_is_parked_and_voided_and_bad_movements_are_refused() {
    let server = Server::start();
    let (_shop, [mut a, mut b]) = server.shop_with("Zarrin", [("counter A", "till"), ("counter B", "till")]).await;
    let zahra = customer(0);
    let c = zahra.customer_id;
    let add = a.book.op(OpBody::CustomerUpsert(zahra), &[], None, Utc::now());
    let gold_in = movement(&mut a, c, AccountMoveKind::GoldIn, 0, 10_000);
    let reply = a.push(&[add, gold_in]).await.push();
    assert!(reply.results.iter().all(|r| r.status == OpStatus::Applied), "{:?}", reply.results);

    // 6 g handed back at each till, offline: the second leaves her 2 g short.
    let out_a = movement(&mut a, c, AccountMoveKind::GoldOut, 0, -6_000);
    let out_b = movement(&mut b, c, AccountMoveKind::GoldOut, 0, -6_000);
    assert_eq!(a.push(&[out_a]).await.push().results[0].status, OpStatus::Applied);
    let parked = b.push(std::slice::from_ref(&out_b)).await.push();
    let conflict = parked.results[0].conflict.clone().expect("conflict");
    assert_eq!(conflict.kind, ConflictKind::BalanceOverdrawn);
    assert_eq!(conflict.server_state.account.as_ref().map(|s| s.gold_mg), Some(4_000));
    let void = ResolvePayload {
        conflict_op_id: out_b.op_id,
        resolution: Resolution::Void,
        resolved_by: "مریم".into(),
        reason: None,
        replacement: None,
        due_change: None,
    };
    let op = b.book.op(OpBody::ConflictResolve(void), &[], None, Utc::now());
    assert_eq!(b.push(&[op]).await.push().results[0].status, OpStatus::Applied);
    let seen = ledger(&a).await;
    assert_eq!(balance_of(&seen), (Decimal::ZERO, 4_000));
    assert!(seen.iter().any(|m| m.status == AccountMoveStatus::Voided && m.device_name == "counter B"));

    // Numbers no till writes: a payment taken out, a conversion off its price.
    let backwards = movement(&mut a, c, AccountMoveKind::Payment, -5, 0);
    let mut convert = movement(&mut a, c, AccountMoveKind::Convert, 80_000_001, -1_000);
    if let OpBody::AccountMove(m) = &mut convert.body {
        m.per_gram_18k = Some(d(80_000_000));
    }
    let reply = a.push(&[backwards, convert]).await.push();
    for r in &reply.results {
        assert_eq!(r.status, OpStatus::Conflict, "{r:?}");
        assert_eq!(r.conflict.as_ref().map(|c| c.kind), Some(ConflictKind::ValidationFailed));
    }
    assert_eq!(balance_of(&ledger(&a).await), (Decimal::ZERO, 4_000), "nothing refused counts");

    // A sale left on account names its customer.
    let (items, price) = a.pull_priced().await;
    let mut nameless = sale_on_account(&mut a, &items[..1], &price, c, 1_000);
    if let OpBody::SaleCreate(s) = &mut nameless.body {
        s.customer_id = None;
    }
    let reply = a.push(&[nameless]).await.push();
    let problems = reply.results[0].conflict.as_ref().map(|c| c.server_state.problems.join("; ")).unwrap_or_default();
    assert!(problems.contains("names its customer"), "{problems}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_must_split_what_the_sale_left_on_account_and_a_layaway_reserves_only_free_pieces() {
    use zargar_wire::{Installment, InstallmentPlanPayload, ItemStatus, LayawayPayload, PlanUnit};
    let server = Server::start();
    let (_shop, [mut a, mut b]) = server.shop_with("Zarrin", [("counter A", "till"), ("counter B", "till")]).await;
    let (items, price) = a.pull_priced().await;
    let zahra = customer(500_000_000);
    let c = zahra.customer_id;
    let add = a.book.op(OpBody::CustomerUpsert(zahra), &[], None, Utc::now());
    let sale = sale_on_account(&mut a, &items[..1], &price, c, 300_000_000);
    let sale_id = sale_id(&sale);
    assert!(a.push(&[add, sale]).await.push().results.iter().all(|r| r.status == OpStatus::Applied));

    let day = |m: u32| chrono::NaiveDate::from_ymd_opt(2027, m, 1).expect("day");
    let plan = |total: i64, parts: &[i64]| InstallmentPlanPayload {
        plan_id: Uuid::now_v7(),
        customer_id: c,
        sale_id,
        invoice_no: 1,
        unit: PlanUnit::Rial,
        total,
        per_gram_18k: None,
        installments: parts
            .iter()
            .enumerate()
            .map(|(i, amount)| Installment { no: i as u32 + 1, due: day(i as u32 + 1), amount: *amount })
            .collect(),
        created_at: Utc::now(),
    };
    let short =
        a.book.op(OpBody::InstallmentPlan(plan(300_000_000, &[100_000_000, 100_000_000])), &[], None, Utc::now());
    let wrong_total = a.book.op(OpBody::InstallmentPlan(plan(250_000_000, &[250_000_000])), &[], None, Utc::now());
    let good = a.book.op(OpBody::InstallmentPlan(plan(300_000_000, &[100_000_000; 3])), &[], None, Utc::now());
    let reply = a.push(&[short, wrong_total, good]).await.push();
    let statuses: Vec<OpStatus> = reply.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [OpStatus::Conflict, OpStatus::Conflict, OpStatus::Applied], "{:?}", reply.results);
    let why = reply.results[0].conflict.as_ref().map(|c| c.server_state.problems.join("; ")).unwrap_or_default();
    assert!(why.contains("add up"), "{why}");

    // A piece sold at A cannot be put aside at B; a free one is reserved for every till.
    let layaway = |ids: Vec<Uuid>| LayawayPayload {
        layaway_id: Uuid::now_v7(),
        customer_id: c,
        item_ids: ids,
        tags: Vec::new(),
        created_at: Utc::now(),
        cancelled: false,
        sale_id: None,
    };
    let taken = b.book.op(OpBody::Layaway(layaway(vec![items[0].item_id, items[1].item_id])), &[], None, Utc::now());
    let free = layaway(vec![items[1].item_id]);
    let put_aside = b.book.op(OpBody::Layaway(free.clone()), &[], None, Utc::now());
    let reply = b.push(&[taken, put_aside]).await.push();
    assert_eq!(reply.results[0].conflict.as_ref().map(|c| c.kind), Some(ConflictKind::ItemAlreadySold));
    assert_eq!(reply.results[1].status, OpStatus::Applied, "{:?}", reply.results[1]);
    let (seen, _) = a.pull_all().await;
    let status = |id: Uuid| seen.iter().find(|i| i.item_id == id).map(|i| i.status);
    assert_eq!(status(items[1].item_id), Some(ItemStatus::Reserved), "A sees it put aside");
    // Someone else's sale of it at A is a conflict; cancelled, it is back.
    let other = a.sale(&items[1..2], &price);
    assert_eq!(
        a.push(&[other]).await.push().results[0].conflict.as_ref().map(|c| c.kind),
        Some(ConflictKind::ItemAlreadySold)
    );
    let cancel = b.book.op(OpBody::Layaway(LayawayPayload { cancelled: true, ..free }), &[], None, Utc::now());
    assert_eq!(b.push(&[cancel]).await.push().results[0].status, OpStatus::Applied);
    let (seen, _) = a.pull_all().await;
    assert_eq!(seen.iter().find(|i| i.item_id == items[1].item_id).map(|i| i.status), Some(ItemStatus::InStock));
}

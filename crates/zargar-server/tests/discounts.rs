//! Discounts against the shop's policy on the server: a cashier's discount
//! within their limit is taken; past it, without a manager's or the owner's
//! approval, the sale is a `discount_over_limit` conflict for the owner;
//! and the discounted numbers must follow from the rules.

mod common;

use chrono::Utc;
use common::ops::{by, person};
use common::{Server, Till};
use rust_decimal::Decimal;
use zargar_rules::discount::{Discount, LineDiscount};
use zargar_rules::{Percent, Rial};
use zargar_wire::{
    ConflictKind, GoldPricePayload, ItemPayload, Op, OpBody, OpResult, OpStatus, PersonPayload, Resolution, Role,
};

async fn push_one(till: &mut Till, op: Op) -> OpResult {
    till.push(&[op]).await.push().results.remove(0)
}

fn percent_off(wage: u32, profit: u32) -> LineDiscount {
    let p = |v| (v > 0).then(|| Discount::Percent(Percent::from_u32(v).expect("percent")));
    LineDiscount { wage: p(wage), profit: p(profit) }
}

fn sale(till: &mut Till, item: &ItemPayload, price: &GoldPricePayload, d: &LineDiscount, who: &PersonPayload) -> Op {
    let mut op =
        till.book.discounted_sale(std::slice::from_ref(item), price.price_id, price.per_gram_18k, Utc::now(), d);
    op.by = by(who);
    op
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discount_past_the_sellers_limit_without_a_managers_approval_is_a_conflict_for_the_owner() {
    let server = Server::start();
    let (shop, [mut till]) = server.shop_with("Zarrin", [("counter A", "till")]).await;
    let owner = person("Maryam", Role::Owner, 0);
    let cashier = person("Ali", Role::Cashier, 10);
    let manager = person("Reza", Role::Manager, 0);
    let mut op = till.book.op(OpBody::PersonUpsert(owner.clone()), &[], None, Utc::now());
    assert_eq!(push_one(&mut till, op).await.status, OpStatus::Applied);
    for p in [&cashier, &manager] {
        op = till.book.op(OpBody::PersonUpsert(p.clone()), &[], None, Utc::now());
        op.by = by(&owner);
        assert_eq!(push_one(&mut till, op).await.status, OpStatus::Applied);
    }
    let (items, price) = till.pull_priced().await;
    assert!(items.len() >= 5, "the demo stock");

    // Within the cashier's 10%: taken.
    let within = sale(&mut till, &items[0], &price, &percent_off(10, 0), &cashier);
    let r = push_one(&mut till, within).await;
    assert_eq!(r.status, OpStatus::Applied, "{r:?}");

    // Past it: a conflict that says by how much, and what the owner may do.
    let over = sale(&mut till, &items[1], &price, &percent_off(30, 20), &cashier);
    let over_id = over.op_id;
    let r = push_one(&mut till, over).await;
    assert_eq!(r.status, OpStatus::Conflict, "{r:?}");
    let c = r.conflict.expect("conflict");
    assert_eq!(c.kind, ConflictKind::DiscountOverLimit);
    assert_eq!(c.message_key, "conflict-discount-over-limit");
    assert_eq!(c.server_state.discount_limit_percent, Some(Decimal::from(10)));
    assert!(c.server_state.discount_percent.is_some_and(|p| p > Decimal::from(10)), "{:?}", c.server_state);
    assert_eq!(c.options, [Resolution::Accept, Resolution::Void]);

    // The same discount approved by the manager is taken, and audited.
    let mut approved = sale(&mut till, &items[2], &price, &percent_off(30, 20), &cashier);
    if let OpBody::SaleCreate(s) = &mut approved.body {
        s.discount_approved_by = by(&manager);
    }
    let r = push_one(&mut till, approved).await;
    assert_eq!(r.status, OpStatus::Applied, "{r:?}");
    let audit = server.admin(&["audit", "--tenant", &shop.id.to_string()]);
    assert!(
        audit.lines().any(|l| l.contains("sale.discount_approval") && l.contains("Reza")),
        "the manager's approval is on record: {audit}"
    );

    // A cashier cannot approve their own; a manager needs no approval.
    let mut self_approved = sale(&mut till, &items[3], &price, &percent_off(30, 0), &cashier);
    if let OpBody::SaleCreate(s) = &mut self_approved.body {
        s.discount_approved_by = by(&cashier);
    }
    assert_eq!(push_one(&mut till, self_approved).await.status, OpStatus::Conflict);
    let by_manager = sale(&mut till, &items[4], &price, &percent_off(50, 50), &manager);
    assert_eq!(push_one(&mut till, by_manager).await.status, OpStatus::Applied);

    // The owner accepts the conflicted sale with a reason: its piece is sold.
    let resolve = zargar_wire::ResolvePayload {
        conflict_op_id: over_id,
        resolution: Resolution::Accept,
        reason: Some("a regular customer".into()),
        resolved_by: owner.name.clone(),
        replacement: None,
        due_change: None,
    };
    let mut op = till.book.op(OpBody::ConflictResolve(resolve), &[], None, Utc::now());
    op.by = by(&owner);
    let r = push_one(&mut till, op).await;
    assert_eq!(r.status, OpStatus::Applied, "{r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discounted_numbers_that_do_not_follow_from_the_rules_are_refused() {
    let server = Server::start();
    let (_shop, [mut till]) = server.shop_with("Zarrin", [("counter A", "till")]).await;
    let (items, price) = till.pull_priced().await;
    // A shop whose owner works alone: no person, no limit, but the rules hold.
    let mut op = till.book.discounted_sale(
        &items[..1],
        price.price_id,
        price.per_gram_18k,
        Utc::now(),
        &LineDiscount { wage: Some(Discount::Rials(Rial::from_i64(1_000_000))), profit: None },
    );
    if let OpBody::SaleCreate(s) = &mut op.body {
        // Claims a larger discount than the wage it left.
        s.lines[0].wage_discount += Decimal::from(5);
    }
    let r = push_one(&mut till, op).await;
    assert_eq!(r.status, OpStatus::Conflict, "{r:?}");
    let c = r.conflict.expect("conflict");
    assert_eq!(c.kind, ConflictKind::ValidationFailed);
    assert!(c.server_state.problems.iter().any(|p| p.contains("lines[0]")), "{:?}", c.server_state.problems);
    let good = till.book.discounted_sale(
        &items[1..2],
        price.price_id,
        price.per_gram_18k,
        Utc::now(),
        &LineDiscount { wage: Some(Discount::Rials(Rial::from_i64(1_000_000))), profit: None },
    );
    let r = push_one(&mut till, good).await;
    assert_eq!(r.status, OpStatus::Applied, "the same discount as the rules give it: {r:?}");
}

//! The owner's price, set at a till, is the shop's price: recorded with who
//! set it and at which till, sent to the other tills, and sales are judged
//! against it. A till's own price stays with that till. A sale at a shop
//! price is no conflict while that price was the shop's (give or take two
//! tills' clocks), and is judged again once it has long been replaced.

mod common;

use chrono::{Duration, Utc};
use common::{Server, dec};
use uuid::Uuid;
use zargar_wire::{ChangeData, ConflictKind, GoldPricePayload, OpBody, OpStatus, PriceScope, PullResponse};

fn price(per_gram: &str, scope: PriceScope, by: Option<&str>) -> GoldPricePayload {
    GoldPricePayload {
        price_id: Uuid::now_v7(),
        per_gram_18k: dec(per_gram),
        mazaneh: None,
        set_at: Utc::now(),
        scope,
        set_by: by.map(str::to_owned),
        set_at_till: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owners_price_at_a_till_is_the_shops_and_sales_are_judged_by_it() {
    let server = Server::start();
    let (shop, [mut a, mut b, owner]) =
        server.shop_with("Zarrin", [("counter A", "till"), ("counter B", "till"), ("owner", "owner")]).await;
    let (items, morning) = b.pull_priced().await;

    // The owner sets 83,000,000 at counter A (3.75% above the morning's 80M).
    let today = price("83000000", PriceScope::Shop, Some("Maryam"));
    let op = a.book.op(OpBody::GoldPriceSet(today.clone()), &[], None, today.set_at);
    assert_eq!(a.push(&[op]).await.push().results[0].status, OpStatus::Applied);
    let served: serde_json::Value = owner.get("/api/v1/gold-price").await.json();
    assert_eq!(served["price"]["per_gram_18k"], "83000000");
    assert_eq!(served["price"]["scope"], "shop");
    assert_eq!(served["price"]["set_by"], "Maryam");
    assert_eq!(served["price"]["set_at_till"], "counter A");
    let audit = server.admin(&["audit", "--tenant", &shop.id.to_string()]);
    let entry: serde_json::Value = audit
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|e| e["action"] == "gold_price.set" && e["subject"] == today.price_id.to_string())
        .unwrap_or_else(|| panic!("the price is audited: {audit}"));
    assert_eq!(entry["detail"]["set_by"], "Maryam");
    assert_eq!(entry["detail"]["till"], "counter A");

    // Counter B pulls it, named with who and where.
    let page: PullResponse = serde_json::from_slice(&b.get("/api/v1/sync/pull?limit=1000").await.body).expect("pull");
    let pulled = page
        .changes
        .iter()
        .find_map(|c| match &c.data {
            ChangeData::GoldPrice(p) if p.price_id == today.price_id => Some(p.clone()),
            _ => None,
        })
        .expect("the shop's price is pulled");
    assert_eq!((pulled.scope, pulled.set_at_till.as_deref()), (PriceScope::Shop, Some("counter A")));

    // B sells at it, its clock two minutes behind A's: no conflict.
    let sale = b.book.sale(&items[0..1], today.price_id, today.per_gram_18k, today.set_at - Duration::minutes(2));
    let r = b.push(&[sale]).await.push();
    assert_eq!(r.results[0].status, OpStatus::Applied, "{:?}", r.results[0]);

    // A sale an hour later at the morning's price, long replaced: judged.
    let late = b.book.sale(&items[1..2], morning.price_id, morning.per_gram_18k, today.set_at + Duration::hours(1));
    let r = b.push(&[late]).await.push();
    let conflict = r.results[0].conflict.clone().unwrap_or_else(|| panic!("a conflict: {:?}", r.results[0]));
    assert_eq!(conflict.kind, ConflictKind::PriceOutOfTolerance);
    assert_eq!(conflict.server_state.per_gram_18k, Some(dec("83000000")));

    // A cashier's price at counter B stays B's: not served, not pulled, and a sale at it is judged.
    let own = price("86000000", PriceScope::Till, None);
    let op = b.book.op(OpBody::GoldPriceSet(own.clone()), &[], None, own.set_at);
    assert_eq!(b.push(&[op]).await.push().results[0].status, OpStatus::Applied);
    let served: serde_json::Value = owner.get("/api/v1/gold-price").await.json();
    assert_eq!(served["price"]["per_gram_18k"], "83000000", "a till's own price is not the shop's");
    let page: PullResponse = serde_json::from_slice(&a.get("/api/v1/sync/pull?limit=1000").await.body).expect("pull");
    assert!(
        !page.changes.iter().any(|c| matches!(&c.data, ChangeData::GoldPrice(p) if p.price_id == own.price_id)),
        "a till's own price is not sent to the others"
    );
    let at_own = b.book.sale(&items[2..3], own.price_id, own.per_gram_18k, Utc::now());
    let r = b.push(&[at_own]).await.push();
    assert_eq!(r.results[0].conflict.as_ref().map(|c| c.kind), Some(ConflictKind::PriceOutOfTolerance));
}

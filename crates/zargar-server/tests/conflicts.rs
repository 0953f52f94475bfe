//! Business conflicts are results: parked for the owner, the queue goes on,
//! and the owner's resolution is applied and written to the audit log.

mod common;

use chrono::Utc;
use common::{Server, Till, dec};
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_wire::{
    ChangeData, ConflictKind, CustomerPayload, ItemPayload, ItemStatus, Op, OpBody, OpStatus, PullResponse, Resolution,
    ResolvePayload, SalePayload,
};

fn sale_of(op: &Op) -> SalePayload {
    match &op.body {
        OpBody::SaleCreate(s) => (**s).clone(),
        other => panic!("not a sale: {other:?}"),
    }
}

fn resolve(
    till: &mut Till,
    parked: &Op,
    resolution: Resolution,
    reason: Option<&str>,
    replacement: Option<SalePayload>,
) -> Op {
    let body = OpBody::ConflictResolve(ResolvePayload {
        conflict_op_id: parked.op_id,
        resolution,
        resolved_by: "Maryam (owner)".into(),
        reason: reason.map(str::to_owned),
        replacement: replacement.map(Box::new),
        due_change: None,
    });
    till.book.op(body, &[], None, Utc::now())
}

async fn export_status(owner: &Till, sale_id: Uuid) -> String {
    let rows = owner.get("/api/v1/export?from=2000-01-01&to=2100-01-01&format=json").await.json();
    let rows = rows["rows"].as_array().expect("rows").clone();
    let row = rows.iter().find(|r| r["sale_id"] == sale_id.to_string()).expect("the sale is exported");
    row["sync_status"].as_str().expect("status").to_owned()
}

fn item<'a>(items: &'a [ItemPayload], tag: &str) -> &'a ItemPayload {
    items.iter().find(|i| i.tag == tag).unwrap_or_else(|| panic!("no {tag}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sale_that_does_not_add_up_is_parked_and_the_queue_goes_on_until_the_owner_resubmits() {
    let server = Server::start();
    let (_, [mut till, owner]) = server.shop_with("Zarrin", [("counter 1", "till"), ("owner", "owner")]).await;
    let (items, price) = till.pull_priced().await;

    let mut bad = till.sale(&items[0..1], &price);
    let mut sale = sale_of(&bad);
    let honest = sale.clone();
    sale.lines[0].wage += dec("1000000"); // a wage the rules do not give
    sale.lines[0].total += dec("1000000");
    sale.totals.wage += dec("1000000");
    sale.totals.total += dec("1000000");
    sale.totals.due += dec("1000000");
    sale.totals.paid += dec("1000000");
    sale.payments[0].amount += dec("1000000");
    bad.body = OpBody::SaleCreate(Box::new(sale));
    let good = till.sale(&items[1..2], &price);

    let r = till.push(&[bad.clone(), good]).await.push();
    assert_eq!(r.acked_seq, 2, "the conflict does not block the seq");
    assert_eq!(r.results[0].status, OpStatus::Conflict);
    let conflict = r.results[0].conflict.as_ref().expect("conflict");
    assert_eq!(conflict.kind, ConflictKind::ValidationFailed);
    assert!(conflict.server_state.problems.iter().any(|p| p.contains("lines[0].wage")), "{conflict:?}");
    assert!(conflict.options.contains(&Resolution::Resubmit));
    assert_eq!(r.results[1].status, OpStatus::Applied);
    assert_eq!(export_status(&owner, honest.sale_id).await, "conflict");
    let (now, _) = till.pull_all().await;
    assert_eq!(item(&now, &items[0].tag).status, ItemStatus::InStock, "a parked sale holds no piece");

    // The owner resubmits the sale as the rules price it.
    let fix = resolve(&mut till, &bad, Resolution::Resubmit, Some("wage typo"), Some(honest.clone()));
    let r = till.push(&[fix]).await.push();
    assert_eq!(r.results[0].status, OpStatus::Applied, "{:?}", r.results[0]);
    assert_eq!(export_status(&owner, honest.sale_id).await, "applied");
    let (now, _) = till.pull_all().await;
    assert_eq!(item(&now, &items[0].tag).status, ItemStatus::Sold);
    let open = till.get("/api/v1/conflicts").await.json();
    assert_eq!(open["conflicts"].as_array().expect("list").len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_price_out_of_tolerance_is_accepted_by_the_owner_with_a_reason_and_audited() {
    let server = Server::start();
    let (shop, [mut till, owner]) = server.shop_with("Zarrin", [("counter 1", "till"), ("owner", "owner")]).await;
    let (items, price) = till.pull_priced().await;

    // The till priced at 90,000,000 while the shop's price is 80,000,000 (12.5% off; tolerance 2%).
    let op = till.book.sale(&items[2..3], price.price_id, dec("90000000"), Utc::now());
    let r = till.push(std::slice::from_ref(&op)).await.push();
    let conflict = r.results[0].conflict.clone().expect("conflict");
    assert_eq!(conflict.kind, ConflictKind::PriceOutOfTolerance);
    assert_eq!(conflict.server_state.per_gram_18k, Some(dec("80000000")));
    assert_eq!(conflict.message_key, "conflict-price-out-of-tolerance");

    // An override without a reason is refused; with one it stands.
    let no_reason = resolve(&mut till, &op, Resolution::Accept, None, None);
    let r = till.push(&[no_reason]).await.push();
    assert_eq!(r.results[0].status, OpStatus::Rejected);
    let accept = resolve(&mut till, &op, Resolution::Accept, Some("customer agreed yesterday's price"), None);
    let r = till.push(std::slice::from_ref(&accept)).await.push();
    assert_eq!(r.results[0].status, OpStatus::Applied, "{:?}", r.results[0]);
    // Twice is refused: the conflict is closed.
    let twice = resolve(&mut till, &op, Resolution::Void, None, None);
    assert_eq!(till.push(&[twice]).await.push().results[0].status, OpStatus::Rejected);

    assert_eq!(export_status(&owner, sale_of(&op).sale_id).await, "accepted");
    let (now, _) = till.pull_all().await;
    assert_eq!(item(&now, &items[2].tag).status, ItemStatus::Sold);

    // Who, when, what.
    let audit = server.admin(&["audit", "--tenant", &shop.id.to_string()]);
    let line = audit.lines().find(|l| l.contains("\"conflict.accept\"")).expect("the override is audited");
    let entry: serde_json::Value = serde_json::from_str(line).expect("json");
    assert_eq!(entry["actor"], "Maryam (owner) @ counter 1");
    assert_eq!(entry["subject"], op.op_id.to_string());
    assert_eq!(entry["detail"]["reason"], "customer agreed yesterday's price");
    assert_eq!(entry["detail"]["conflict_kind"], "price_out_of_tolerance");
    assert!(entry["at"].as_str().is_some());

    // Every till learns the resolution through pull.
    let r = owner.get("/api/v1/sync/pull?limit=1000").await;
    let page: PullResponse = serde_json::from_slice(&r.body).expect("pull");
    let last = page
        .changes
        .iter()
        .rev()
        .find_map(|c| match &c.data {
            ChangeData::Conflict(s) if s.op_id == op.op_id => Some(s.clone()),
            _ => None,
        })
        .expect("the conflict is in pull");
    assert!(!last.open);
    assert_eq!(last.resolution.expect("resolution").resolution, Resolution::Accept);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_losing_sale_is_voided_and_frees_nothing_the_winner_holds() {
    let server = Server::start();
    let (_, [mut a, mut b, owner]) =
        server.shop_with("Zarrin", [("counter 1", "till"), ("counter 2", "till"), ("owner", "owner")]).await;
    let (items, price) = a.pull_priced().await;
    let ring = &items[4..5];
    let won = a.sale(ring, &price);
    let lost = b.sale(ring, &price);
    assert_eq!(a.push(std::slice::from_ref(&won)).await.push().results[0].status, OpStatus::Applied);
    let r = b.push(std::slice::from_ref(&lost)).await.push();
    let conflict = r.results[0].conflict.clone().expect("conflict");
    assert_eq!(conflict.kind, ConflictKind::ItemAlreadySold);
    assert_eq!(conflict.server_state.sold_by_device, Some(a.device_id));
    assert_eq!(conflict.server_state.sold_by_device_name.as_deref(), Some("counter 1"), "the conflict names the till");
    assert_eq!(conflict.server_state.sold_in_sale, Some(sale_of(&won).sale_id));
    // The other tills hear who sold it, with the piece itself.
    let (seen, _) = owner.pull_all().await;
    assert_eq!(item(&seen, &ring[0].tag).sold_by.as_deref(), Some("counter 1"), "sold at counter 1");

    let void = resolve(&mut b, &lost, Resolution::Void, Some("second ring was a display copy"), None);
    assert_eq!(b.push(&[void]).await.push().results[0].status, OpStatus::Applied);
    assert_eq!(export_status(&owner, sale_of(&lost).sale_id).await, "voided");
    assert_eq!(export_status(&owner, sale_of(&won).sale_id).await, "applied");
    let (now, _) = owner.pull_all().await;
    assert_eq!(item(&now, &ring[0].tag).status, ItemStatus::Sold, "the winner keeps the ring");
}

/// A sale of a chain and a ring whose ring another till sold first: the
/// whole sale is a conflict, and the chain it claimed on the way is given
/// back, in the database and in what every till pulls.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sale_of_several_pieces_one_taken_leaves_the_others_in_stock_everywhere() {
    let server = Server::start();
    let (shop, [mut a, mut b]) = server.shop_with("Zarrin", [("counter 1", "till"), ("counter 2", "till")]).await;
    let (items, price) = a.pull_priced().await;
    let (chain, ring) = (&items[3], &items[4]);
    let won = a.sale(std::slice::from_ref(ring), &price);
    assert_eq!(a.push(std::slice::from_ref(&won)).await.push().results[0].status, OpStatus::Applied);
    let (_, _) = b.pull_all().await;
    let both = b.sale(&[chain.clone(), ring.clone()], &price);
    let r = b.push(std::slice::from_ref(&both)).await.push();
    assert_eq!(r.results[0].conflict.as_ref().expect("conflict").kind, ConflictKind::ItemAlreadySold);

    let fresh = server.till(&shop, "counter 3", "till").await;
    let (now, _) = fresh.pull_all().await;
    assert_eq!(item(&now, &chain.tag).status, ItemStatus::InStock, "the chain is still for sale");
    assert_eq!(item(&now, &ring.tag).status, ItemStatus::Sold, "the ring is the first till's");
    let again = b.sale(std::slice::from_ref(chain), &price);
    assert_eq!(b.push(std::slice::from_ref(&again)).await.push().results[0].status, OpStatus::Applied);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_journal_chain_is_flagged_once_and_the_chain_goes_on_from_there() {
    let server = Server::start();
    let (_, [mut till]) = server.shop_with("Zarrin", [("counter 1", "till")]).await;
    let (items, price) = till.pull_priced().await;
    let first = till.sale(&items[0..1], &price);
    // An entry went missing: the till's chain skips one index.
    till.book.next_link("a sale that was deleted from the till");
    let second = till.sale(&items[1..2], &price);
    let third = till.sale(&items[2..3], &price);
    let r = till.push(&[first, second, third]).await.push();
    let statuses: Vec<_> = r.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [OpStatus::Applied, OpStatus::Conflict, OpStatus::Applied]);
    let conflict = r.results[1].conflict.as_ref().expect("conflict");
    assert_eq!(conflict.kind, ConflictKind::JournalBroken);
    assert_eq!(conflict.server_state.expected_journal_index, Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pieces_duplicate_customers_and_taken_tags_are_conflicts() {
    let server = Server::start();
    let (_, [mut a, mut b]) = server.shop_with("Zarrin", [("counter 1", "till"), ("counter 2", "till")]).await;
    let (items, price) = a.pull_priced().await;

    let mut ghost = items[0].clone();
    ghost.item_id = Uuid::now_v7();
    ghost.tag = "GHOST-1".into();
    let sale = a.sale(std::slice::from_ref(&ghost), &price);
    let r = a.push(std::slice::from_ref(&sale)).await.push();
    assert_eq!(r.results[0].conflict.as_ref().map(|c| c.kind), Some(ConflictKind::ItemUnknown));

    // The piece reaches the server (tagged at the till); retry now applies.
    let tag_op = a.book.op(OpBody::ItemUpsert(ghost.clone()), &[], None, Utc::now());
    let retry = resolve(&mut a, &sale, Resolution::Retry, None, None);
    let r = a.push(&[tag_op, retry]).await.push();
    assert_eq!(r.results[0].status, OpStatus::Applied);
    assert_eq!(r.results[1].status, OpStatus::Applied, "{:?}", r.results[1]);

    // Another piece under a tag the server has.
    let mut copy = items[1].clone();
    copy.item_id = Uuid::now_v7();
    let op = b.book.op(OpBody::ItemUpsert(copy), &[], None, Utc::now());
    let r = b.push(&[op]).await.push();
    let c = r.results[0].conflict.clone().expect("conflict");
    assert_eq!(c.kind, ConflictKind::ItemTagTaken);
    assert_eq!(c.server_state.item_id, Some(items[1].item_id));

    // The same customer registered offline at two tills.
    let customer = |name: &str| CustomerPayload {
        customer_id: Uuid::now_v7(),
        name: name.into(),
        mobile: Some("09121234567".into()),
        national_id: None,
        economic_code: None,
        postal_code: None,
        credit_limit: Decimal::ZERO,
    };
    let first = customer("Sara Ahmadi");
    let op_a = a.book.op(OpBody::CustomerUpsert(first.clone()), &[], None, Utc::now());
    let op_b = b.book.op(OpBody::CustomerUpsert(customer("S. Ahmadi")), &[], None, Utc::now());
    assert_eq!(a.push(&[op_a]).await.push().results[0].status, OpStatus::Applied);
    let r = b.push(&[op_b]).await.push();
    let c = r.results[0].conflict.clone().expect("conflict");
    assert_eq!(c.kind, ConflictKind::CustomerDuplicate);
    assert_eq!(c.server_state.customer_id, Some(first.customer_id));
}

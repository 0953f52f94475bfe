//! The shop's people on the server: the first is its owner, set up at a
//! till; after that only the signed-in owner changes people; every till
//! pulls them; and an op names its person, whose role must allow it.

mod common;

use chrono::Utc;
use common::ops::{by, person};
use common::{Server, Till};
use zargar_wire::{ChangeData, ItemStatus, Op, OpBody, OpStatus, PersonPayload, PersonRef, PullResponse, Role};

/// Pushes one op of `body` by `who`; its status and, when refused, why.
async fn push(till: &mut Till, body: OpBody, who: Option<PersonRef>) -> (OpStatus, String) {
    let mut op: Op = till.book.op(body, &[], None, Utc::now());
    op.by = who;
    let reply = till.push(&[op]).await.push();
    let r = &reply.results[0];
    let why = r.conflict.as_ref().map(|c| c.server_state.problems.join("; ")).unwrap_or_default();
    (r.status, why)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_are_the_owners_to_change_every_till_pulls_them_and_roles_hold_at_the_door() {
    let server = Server::start();
    let (shop, [mut a, mut b]) = server.shop_with("Zarrin", [("counter A", "till"), ("counter B", "till")]).await;
    let owner = person("Maryam", Role::Owner, 10);
    let cashier = person("Ali", Role::Cashier, 10);

    // The first person of a shop is its owner.
    let (status, why) = push(&mut a, OpBody::PersonUpsert(cashier.clone()), None).await;
    assert_eq!(status, OpStatus::Rejected, "{why}");
    assert!(why.contains("first person"), "{why}");
    let (status, why) = push(&mut a, OpBody::PersonUpsert(owner.clone()), None).await;
    assert_eq!(status, OpStatus::Applied, "{why}");

    // From then on, only the owner signed in changes people.
    let (status, why) = push(&mut a, OpBody::PersonUpsert(cashier.clone()), None).await;
    assert_eq!(status, OpStatus::Rejected, "{why}");
    let (status, why) = push(&mut a, OpBody::PersonUpsert(cashier.clone()), by(&owner)).await;
    assert_eq!(status, OpStatus::Applied, "{why}");

    // Counter B pulls both, PIN hashes and limits included.
    let page: PullResponse = serde_json::from_slice(&b.get("/api/v1/sync/pull?limit=1000").await.body).expect("pull");
    let pulled: Vec<PersonPayload> = page
        .changes
        .iter()
        .filter_map(|c| match &c.data {
            ChangeData::Person(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(pulled, [owner.clone(), cashier.clone()]);

    // A cashier may not edit the inventory nor make themselves the owner; a
    // stranger may do nothing; the server says why.
    let (items, price) = b.pull_priced().await;
    let edited = zargar_wire::ItemPayload { name: "renamed".into(), status: ItemStatus::InStock, ..items[0].clone() };
    let (status, why) = push(&mut b, OpBody::ItemUpsert(edited.clone()), by(&cashier)).await;
    assert_eq!(status, OpStatus::Rejected, "{why}");
    assert!(why.contains("Ali is a cashier") && why.contains("edit_inventory"), "{why}");
    let promoted = PersonPayload { role: Role::Owner, ..cashier.clone() };
    let (status, why) = push(&mut b, OpBody::PersonUpsert(promoted), by(&cashier)).await;
    assert_eq!(status, OpStatus::Rejected, "{why}");
    let stranger = person("Reza", Role::Owner, 10);
    let (status, why) = push(&mut b, OpBody::ItemUpsert(edited), by(&stranger)).await;
    assert_eq!(status, OpStatus::Rejected, "{why}");
    assert!(why.contains("not one of the shop's people"), "{why}");

    // The shop keeps its last owner.
    let demoted = PersonPayload { role: Role::Manager, ..owner.clone() };
    let (status, why) = push(&mut a, OpBody::PersonUpsert(demoted), by(&owner)).await;
    assert_eq!(status, OpStatus::Rejected, "{why}");
    assert!(why.contains("only owner"), "{why}");

    // The cashier's sale is taken: the till asked for the PIN it needed.
    let mut sale = b.sale(&items[..1], &price);
    sale.by = by(&cashier);
    let reply = b.push(&[sale]).await.push();
    assert_eq!(reply.results[0].status, OpStatus::Applied, "{:?}", reply.results[0]);

    // The owner's changes are in the audit log under the owner's name.
    let audit = server.admin(&["audit", "--tenant", &shop.id.to_string()]);
    let added = audit
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|e| e["action"] == "person.upsert" && e["subject"] == cashier.person_id.to_string())
        .unwrap_or_else(|| panic!("the cashier's addition is audited: {audit}"));
    assert_eq!(added["actor"], "Maryam");
    assert_eq!(added["detail"]["role"], "cashier");
}

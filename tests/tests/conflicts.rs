//! Two tills offline sell the same rings; after sync one sale of each ring
//! is applied and the other till shows `item_already_sold`. The owner
//! settles one by void, one by resubmitting with another piece, one by
//! accepting; then the server and both tills agree, and the audit log names
//! the owner.

use std::collections::BTreeMap;

use serde_json::Value;
use zargar_e2e::{Server, Till};

fn by_invoice(sales: &[Value]) -> BTreeMap<u64, Value> {
    sales.iter().map(|s| (s["invoice_no"].as_u64().expect("invoice no"), s.clone())).collect()
}

#[test]
fn two_tills_sell_one_ring_and_the_owner_settles_it_three_ways() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(tmp.path());
    let tags: Vec<String> = ["RING-1", "RING-2", "RING-3", "RING-4", "SPARE"].map(String::from).to_vec();
    let shop = server.shop("زرگری نمونه", &tags, tmp.path());
    let a = Till::init(&tmp.path().join("a"), "till A");
    let b = Till::init(&tmp.path().join("b"), "till B");
    for t in [&a, &b] {
        t.enroll(&server.url(), &server.enrol_code(shop, "till"));
        t.sync().expect("first sync");
        assert_eq!(t.item_status("RING-1"), "in_stock", "{} pulled the inventory", t.name);
    }

    // Offline (no sync): both sell rings 1 to 3, one sale each.
    for t in [&a, &b] {
        for ring in ["RING-1", "RING-2", "RING-3"] {
            t.sell(&[ring]);
        }
        assert_eq!(t.status()["pending_sales"], 3);
    }
    let a_round = a.sync().expect("A syncs first");
    assert_eq!(a_round["round"]["applied"], 3);
    let b_round = b.sync().expect("B syncs second");
    assert_eq!(b_round["round"]["conflicts"], 3, "{b_round}");

    // B sees three conflicts, each with its own sale and the server's side.
    let open = b.conflicts(false);
    assert_eq!(open.len(), 3, "{open:#?}");
    let mut by_ring: BTreeMap<String, Value> = BTreeMap::new();
    for c in &open {
        assert_eq!(c["conflict"]["kind"], "item_already_sold");
        assert_eq!(c["mine"], true);
        let tag = c["local_sale"]["lines"][0]["tag"].as_str().expect("local line").to_owned();
        assert_eq!(c["conflict"]["server_state"]["tag"], tag.as_str());
        by_ring.insert(tag, c.clone());
    }
    assert_eq!(b.status()["conflicts"], 3, "the badge counts them");
    // The ring another till sold is shown as sold here at once.
    assert_eq!(b.item_status("RING-1"), "sold");
    let op = |ring: &str| by_ring[ring]["op_id"].as_str().expect("op id").to_owned();

    // Refusals come before anything is written.
    let refused = b.run(&["--json", "conflicts", "resolve", &op("RING-3"), "--resolution", "accept", "--by", "Owner"]);
    assert!(!refused.status.success());
    let err: Value = serde_json::from_slice(&refused.stdout).expect("json error");
    assert_eq!(err["error"]["code"], "reason_required");
    let refused = b.run(&["--json", "conflicts", "resolve", &op("RING-1"), "--resolution", "retry", "--by", "Owner"]);
    let err: Value = serde_json::from_slice(&refused.stdout).expect("json error");
    assert_eq!(err["error"]["code"], "not_an_option");
    assert_eq!(b.status()["pending"], 0, "a refused decision writes nothing");

    let owner = "Maryam Zargar (owner)";
    b.ok(&["conflicts", "resolve", &op("RING-1"), "--resolution", "void", "--by", owner]);
    // RING-4 is heavier: the edit raises what is due, shown first, and the
    // resubmit must say how the difference was collected.
    let preview = b.json(&["conflicts", "preview", &op("RING-2"), "--replace", "RING-2=RING-4"]);
    let difference: i64 = preview["difference"].as_str().expect("difference").parse().expect("rials");
    assert!(difference > 0, "{preview}");
    let resubmit = ["conflicts", "resolve", &op("RING-2"), "--resolution", "resubmit", "--by", owner];
    let unsettled = b.run(&[&["--json"][..], &resubmit[..], &["--replace", "RING-2=RING-4"]].concat());
    let err: Value = serde_json::from_slice(&unsettled.stdout).expect("json error");
    assert_eq!(err["error"]["code"], "due_change_unsettled");
    let refund =
        b.run(&[&["--json"][..], &resubmit[..], &["--replace", "RING-2=RING-4", "--settle", "refunded=cash"]].concat());
    assert!(!refund.status.success(), "a rise is collected, not refunded");
    assert_eq!(b.status()["pending"], 1, "refused decisions write nothing (the void is queued)");
    let resubmitted = b.json(&[&resubmit[..], &["--replace", "RING-2=RING-4", "--settle", "collected=card"]].concat());
    let collected = resubmitted["sale"]["payments"].as_array().expect("payments").last().cloned().expect("a payment");
    assert_eq!(
        (collected["method"].as_str(), collected["amount"].as_str()),
        (Some("card"), Some(&*difference.to_string()))
    );
    assert_eq!(resubmitted["sale"]["lines"][0]["tag"], "RING-4");
    assert_eq!(b.item_status("RING-4"), "sold_pending", "the new piece is held for the edited sale");
    b.ok(&[
        "conflicts",
        "resolve",
        &op("RING-3"),
        "--resolution",
        "accept",
        "--by",
        owner,
        "--reason",
        "customer paid, piece sent from stock",
    ]);
    assert_eq!(b.status()["pending"], 3, "three decisions queued as ops");
    b.sync().expect("B sends the decisions");
    a.sync().expect("A pulls the outcome");
    b.sync().expect("B pulls the outcome");

    // Both tills: no open conflicts, each settled with its owner's name.
    for t in [&a, &b] {
        assert!(t.conflicts(false).is_empty(), "{} still shows conflicts", t.name);
        assert_eq!(t.status()["conflicts"], 0, "{}: the badge clears", t.name);
        let all = t.conflicts(true);
        assert_eq!(all.len(), 3, "{}", t.name);
        for c in &all {
            assert_eq!(c["open"], false);
            assert_eq!(c["resolution"]["resolved_by"], owner);
        }
        assert_eq!(t.status()["pending"], 0);
    }

    // The server: A's three sales applied; B's first voided, second applied
    // with RING-4, third accepted.
    let rows = server.owner(shop).export(&server);
    let a_id = a.status()["device_id"].clone();
    let b_id = b.status()["device_id"].clone();
    let of = |dev: &Value, tag: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r["device_id"] == *dev && r["tag"] == tag)
            .map(|r| r["sync_status"].as_str().expect("status").to_owned())
            .collect()
    };
    for ring in ["RING-1", "RING-2", "RING-3"] {
        assert_eq!(of(&a_id, ring), ["applied"], "A's {ring}");
    }
    assert_eq!(of(&b_id, "RING-1"), ["voided"]);
    assert!(of(&b_id, "RING-2").is_empty(), "the edited sale no longer holds RING-2");
    assert_eq!(of(&b_id, "RING-4"), ["applied"]);
    assert_eq!(of(&b_id, "RING-3"), ["accepted"]);
    assert_eq!(rows.len(), 6, "{rows:#?}");

    // Every piece: the same status on the server and on both tills.
    let on_server = server.owner(shop).items(&server);
    for tag in &tags {
        let expected = if tag == "SPARE" { "in_stock" } else { "sold" };
        assert_eq!(on_server[tag], expected, "server: {tag}");
        assert_eq!(a.item_status(tag), expected, "till A: {tag}");
        assert_eq!(b.item_status(tag), expected, "till B: {tag}");
    }

    // B's own sales say what became of them; the invoice numbers stay.
    let b_sales = by_invoice(&b.sales());
    let states: Vec<&str> = b_sales.values().map(|s| s["sync"].as_str().expect("sync")).collect();
    assert_eq!(states, ["voided", "acked", "acked"]);
    let reprinted = b.json(&["invoice", "2"]);
    assert_eq!(reprinted["lines"][0]["tag"], "RING-4", "the resubmitted invoice shows the new piece");
    b.ok(&["verify-journal"]);

    // The audit log names the owner, the till and the decision.
    let audit = server.admin(&["audit", "--tenant", &shop.to_string()]);
    let settled = audit.lines().find(|l| l.contains("conflict.resubmit")).expect("the resubmit is audited");
    assert!(
        settled.contains("\"due_change\"") && settled.contains("card"),
        "how the difference was settled: {settled}"
    );
    for decision in ["conflict.void", "conflict.resubmit", "conflict.accept"] {
        let line = audit
            .lines()
            .find(|l| l.contains(decision))
            .unwrap_or_else(|| panic!("no {decision} in the audit log:\n{audit}"));
        assert!(line.contains(owner) && line.contains("till B"), "{line}");
    }
}

//! Customers' accounts across two real tills (`zargar`) and the real
//! server. The owner gives زهرا 100,000,000 Rials of credit; both tills,
//! offline, sell her a ring leaving 80,000,000 on her account. The first to
//! sync is applied; the second is `balance_overdrawn`, with what the other
//! till spent named. The owner accepts it at the other till; then she pays
//! at the second till, and both tills show the same balance and statement.

use serde_json::Value;
use zargar_e2e::{Server, Till, rings};

const MOBILE: &str = "09121234567";

fn rial(v: &Value) -> i64 {
    v.as_str().unwrap_or_else(|| panic!("not an amount: {v}")).parse().expect("rials")
}

fn balance(t: &Till) -> (i64, i64) {
    let b = t.json(&["account", "balance", MOBILE]);
    (rial(&b["balance"]["rial"]), b["balance"]["gold"].as_i64().expect("gold mg"))
}

fn sell_on_account(t: &Till, tag: &str, on_account: i64) -> Value {
    let account = format!("account={on_account}");
    let sold = t.json(&["sell", "--item", tag, "--customer", MOBILE, "--pay", "cash=1000000000000", "--pay", &account]);
    sold["sale"].clone()
}

#[test]
fn two_tills_spend_one_credit_offline_and_the_owner_settles_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(tmp.path());
    let shop = server.shop("طلای نو", &rings(4), tmp.path());
    let a = Till::enrolled(&tmp.path().join("a"), "صندوق ۱", &server.url(), &server, shop);
    let b = Till::enrolled(&tmp.path().join("b"), "صندوق ۲", &server.url(), &server, shop);
    a.ok(&["customer", "add", "--name", "زهرا احمدی", "--mobile", MOBILE]);
    a.ok(&["account", "limit", MOBILE, "--limit", "100000000"]);
    a.sync_until_clean();
    b.sync_until_clean();
    assert_eq!(balance(&b), (0, 0), "B knows her, with nothing owed");

    // Offline, each till sure of the whole credit.
    sell_on_account(&a, "RING-1", 80_000_000);
    sell_on_account(&b, "RING-2", 80_000_000);
    let refused = b.run(&["sell", "--item", "RING-3", "--customer", MOBILE, "--pay", "account=30000000"]);
    assert!(!refused.status.success(), "past what B knows of her limit");
    assert_eq!(balance(&a), (-80_000_000, 0));
    assert_eq!(balance(&b), (-80_000_000, 0));

    a.sync_until_clean();
    let round = b.sync().expect("B syncs");
    assert_eq!(round["round"]["conflicts"], 1, "{round}");
    let open = b.conflicts(false);
    assert_eq!(open.len(), 1, "{open:#?}");
    let c = &open[0];
    assert_eq!(c["conflict"]["kind"], "balance_overdrawn");
    let account = &c["conflict"]["server_state"]["account"];
    assert_eq!(rial(&account["credit_limit"]), 100_000_000);
    assert_eq!(account["spent_elsewhere"][0]["device_name"], "صندوق ۱");
    assert_eq!(rial(&account["spent_elsewhere"][0]["rial"]), -80_000_000);
    // Parked, B's sale no longer counts: B now agrees with A and the server.
    assert_eq!(balance(&b), (-80_000_000, 0));
    a.sync().expect("A pulls");
    assert_eq!(balance(&a), (-80_000_000, 0));

    // The owner settles it at A (any till carries the decision).
    let op = c["op_id"].as_str().expect("op id");
    a.sync().expect("A pulls the conflict");
    a.ok(&["conflicts", "resolve", op, "--resolution", "accept", "--by", "مریم", "--reason", "مشتری قدیمی"]);
    a.sync_until_clean();
    b.sync_until_clean();
    assert_eq!(balance(&a), (-160_000_000, 0));
    assert_eq!(balance(&b), (-160_000_000, 0));

    // She pays 100,000,000 in cash at B; both tills' statements agree.
    b.ok(&["account", "pay", MOBILE, "--amount", "100000000"]);
    b.sync_until_clean();
    a.sync_until_clean();
    assert_eq!(balance(&a), (-60_000_000, 0));
    let lines = |t: &Till| -> Vec<(String, i64, String)> {
        let s = t.json(&["account", "statement", MOBILE]);
        s["statement"]["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| {
                (
                    l["kind"].as_str().unwrap_or("").to_owned(),
                    rial(&l["rial"]),
                    l["state"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    let (at_a, at_b) = (lines(&a), lines(&b));
    assert_eq!(at_a.len(), 3, "{at_a:?}");
    let kinds_amounts = |v: &[(String, i64, String)]| v.iter().map(|(k, r, _)| (k.clone(), *r)).collect::<Vec<_>>();
    assert_eq!(kinds_amounts(&at_a), kinds_amounts(&at_b));
    assert!(at_a.iter().all(|(_, _, s)| s == "applied" || s == "accepted"), "{at_a:?}");
    let printed = b.ok(&["account", "statement", MOBILE]);
    assert!(printed.contains("Statement of"), "{printed}");
}

#[test]
fn a_plan_in_grams_sold_at_one_till_is_paid_at_another_offline_after_the_price_moved() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(tmp.path());
    let shop = server.shop("طلای نو", &rings(4), tmp.path());
    let a = Till::enrolled(&tmp.path().join("a"), "صندوق ۱", &server.url(), &server, shop);
    let b = Till::enrolled(&tmp.path().join("b"), "صندوق ۲", &server.url(), &server, shop);
    a.ok(&["customer", "add", "--name", "زهرا احمدی", "--mobile", MOBILE]);
    a.ok(&["account", "limit", MOBILE, "--limit", "500000000"]);
    // 160,000,000 left on account at 80,000,000 a gram: 2 g owed, in four installments.
    let sold = sell_on_account(&a, "RING-1", 160_000_000);
    let invoice = sold["invoice_no"].as_u64().expect("invoice").to_string();
    let plan =
        a.json(&["account", "plan", "--invoice", &invoice, "--count", "4", "--gold", "--first-due", "1405/10/01"]);
    assert_eq!(plan["plan"]["total"], 2_000);
    let plan_id = plan["plan"]["id"].as_str().expect("plan id").to_owned();
    assert_eq!(balance(&a), (0, -2_000));
    a.sync_until_clean();

    // The owner's price moves to 100,000,000; B has it, then the line goes down.
    server.admin(&["price", "set", "--tenant", &shop.to_string(), "100000000"]);
    b.sync_until_clean();
    assert_eq!(balance(&b), (0, -2_000), "B knows the plan and the debt in grams");
    server.kill();
    // 50,000,000 at 100,000,000 a gram is 0.5 g off the debt.
    b.ok(&["account", "pay-installment", "--plan", &plan_id, "--amount", "50000000"]);
    assert_eq!(balance(&b), (0, -1_500));
    let plans = b.json(&["account", "plans", MOBILE]);
    assert_eq!(plans["plans"][0]["paid"], 500);

    // A, offline too, takes the same installment again: both payments stand.
    a.ok(&["account", "pay-installment", "--plan", &plan_id, "--amount", "40000000"]);
    assert_eq!(balance(&a), (0, -1_500), "A still had the old price: 40,000,000 is 0.5 g at 80,000,000");

    server.spawn_at(server.addr);
    b.sync_until_clean();
    a.sync_until_clean();
    b.sync_until_clean();
    assert_eq!(balance(&a), (0, -1_000));
    assert_eq!(balance(&b), (0, -1_000));
    // A till enrolled now knows only what the server holds: the same, to the Rial and the milligram.
    let c = Till::enrolled(&tmp.path().join("c"), "صندوق ۳", &server.url(), &server, shop);
    c.sync_until_clean();
    assert_eq!(balance(&c), (0, -1_000));
    let at_c = c.json(&["account", "plans", MOBILE]);
    assert_eq!(at_c["plans"][0]["paid"], 1_000);
    assert_eq!(at_c["plans"][0]["installments"][1]["left"], 0, "the second payment went to the next installment");
}

#[test]
fn a_layaway_at_one_till_is_refused_at_the_others_scan_and_completed_by_the_customer() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(tmp.path());
    let shop = server.shop("طلای نو", &rings(4), tmp.path());
    let a = Till::enrolled(&tmp.path().join("a"), "صندوق ۱", &server.url(), &server, shop);
    let b = Till::enrolled(&tmp.path().join("b"), "صندوق ۲", &server.url(), &server, shop);
    a.ok(&["customer", "add", "--name", "زهرا احمدی", "--mobile", MOBILE]);
    let made = a.json(&["layaway", "add", MOBILE, "--item", "RING-2", "--deposit", "cash=50000000"]);
    let id = made["layaway"]["id"].as_str().expect("id").to_owned();
    a.sync_until_clean();
    b.sync_until_clean();
    assert_eq!(b.item_status("RING-2"), "reserved");
    let refused = b.run(&["sell", "--item", "RING-2", "--pay", "cash=1000000000000"]);
    assert!(!refused.status.success(), "a reserved piece is not sold to someone else");
    assert_eq!(balance(&b), (50_000_000, 0), "her deposit is credit at every till");
    // She comes back to B and takes it; the deposit pays part.
    let sold = b.json(&[
        "sell",
        "--item",
        "RING-2",
        "--customer",
        MOBILE,
        "--layaway",
        &id,
        "--pay",
        "account=50000000",
        "--pay",
        "cash=1000000000000",
    ]);
    assert_eq!(sold["sale"]["layaway"], id.as_str());
    b.sync_until_clean();
    a.sync_until_clean();
    assert!(b.conflicts(true).is_empty(), "{:?}", b.conflicts(true));
    assert_eq!(a.item_status("RING-2"), "sold");
    assert_eq!(balance(&a), (0, 0));
    let listed = a.json(&["layaway", "list", MOBILE]);
    assert_eq!(listed["layaways"][0]["state"], "completed");
}

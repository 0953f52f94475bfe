//! The shop's people across real tills (`zargar`) and the real server: the
//! owner set up at one till adds a cashier there; the other till pulls them
//! both; the cashier signs in at that till, offline too, and sells; what a
//! cashier may not do is refused with the reason, and nothing is saved.

use std::process::Output;

use serde_json::Value;
use zargar_e2e::{Server, Till, rings};

/// `zargar --as NAME` with the PIN in the environment, as a script signs in.
fn as_person(till: &Till, name: &str, pin: &str, args: &[&str]) -> Output {
    let mut c = till.command();
    c.args(["--json", "--as", name]).args(args).env("ZARGAR_PIN", pin);
    c.output().expect("zargar")
}

fn ok(out: &Output) -> Value {
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn refused(out: &Output) -> String {
    assert!(!out.status.success(), "it went through: {}", String::from_utf8_lossy(&out.stdout));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    v["error"]["code"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn a_cashier_added_at_one_till_signs_in_and_sells_at_another_even_offline() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(tmp.path());
    let shop = server.shop("طلای نو", &rings(4), tmp.path());
    let a = Till::enrolled(&tmp.path().join("a"), "صندوق ۱", &server.url(), &server, shop);
    let b = Till::enrolled(&tmp.path().join("b"), "صندوق ۲", &server.url(), &server, shop);

    // The owner, set up at counter 1, adds a cashier there.
    a.preset_owner("مریم", "1379");
    let add = ["people", "add", "--name", "علی", "--role", "cashier", "--pin", "2468", "--discount-limit", "10%"];
    assert_eq!(refused(&a.run(&[&["--json"][..], &add[..]].concat())), "sign_in_needed");
    assert_eq!(refused(&as_person(&a, "مریم", "0000", &add)), "pin_wrong");
    let added = ok(&as_person(&a, "مریم", "۱۳۷۹", &add));
    assert_eq!(added["person"]["role"], "cashier");
    a.sync_until_clean();

    // Counter 2 pulls both, and from then on asks who is selling.
    b.sync_until_clean();
    let people = b.json(&["people", "list"]);
    let names: Vec<(&str, &str)> = people["people"]
        .as_array()
        .expect("people")
        .iter()
        .map(|p| (p["name"].as_str().unwrap_or_default(), p["role"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(names, [("علی", "cashier"), ("مریم", "owner")]);
    let sell = ["sell", "--item", "RING-1", "--pay", "cash=1000000000000"];
    assert_eq!(refused(&b.run(&[&["--json"][..], &sell[..]].concat())), "sign_in_needed");

    // Offline, the cashier signs in with the PIN set at the other till and sells.
    server.kill();
    let sold = ok(&as_person(&b, "علی", "2468", &sell));
    assert_eq!(sold["sale"]["lines"][0]["tag"], "RING-1");
    // A cashier sets no price, and adds no one; nothing of it is saved.
    let price = ["price", "set", "81000000"];
    assert_eq!(refused(&as_person(&b, "علی", "2468", &price)), "not_permitted");
    assert_eq!(refused(&as_person(&b, "علی", "2468", &add)), "not_permitted");
    assert_eq!(b.sales().len(), 1);

    // Back online, the sale reaches the server with the owner's people intact.
    server.spawn_at(server.addr);
    b.sync_until_clean();
    assert_eq!(b.status()["rejected"], 0);
    let audit = server.admin(&["audit", "--tenant", &shop.to_string()]);
    assert!(audit.lines().any(|l| l.contains("person.upsert") && l.contains("مریم")), "{audit}");
    a.sync_until_clean();
    assert_eq!(a.item_status("RING-1"), "sold", "counter 1 sees the cashier's sale");
}

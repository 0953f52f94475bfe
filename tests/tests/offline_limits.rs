//! The shop's offline limits at a headless till (`zargar sell`): past them
//! a sale needs the owner's PIN, a refused sale saves nothing, and the
//! owner's approval reaches the server's audit log with the sale.

use std::process::Output;

use serde_json::Value;
use zargar_e2e::{Server, Till, rings};

fn sell(till: &Till, tag: &str, pin: Option<&str>) -> Output {
    let mut c = till.command();
    c.args(["--json", "sell", "--item", tag, "--pay", "cash=1000000000000"]);
    if let Some(pin) = pin {
        c.env("ZARGAR_OWNER_PIN", pin);
    }
    c.output().expect("zargar sell")
}

fn error_code(out: &Output) -> String {
    assert!(!out.status.success(), "the sale was saved: {}", String::from_utf8_lossy(&out.stdout));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    v["error"]["code"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn past_the_offline_limits_a_sale_needs_the_owners_pin_and_the_server_audits_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(tmp.path());
    let shop = server.shop("طلای امن", &rings(6), tmp.path());
    let tenant = shop.to_string();
    let till = Till::enrolled(&tmp.path().join("till"), "till 1", &server.url(), &server, shop);
    till.preset_owner("مریم", "1379");

    // Online, nothing unsent: the first sale sets the scale.
    let first = till.sell(&["RING-1"]);
    let total: i64 = first["totals"]["total"].as_str().expect("total").parse().expect("rials");
    till.sync_until_clean();

    // One sale offline at most a tenth of it; unsent at most three times it
    // (RING-2 and RING-3 weigh about 1.6 and 2.1 times RING-1).
    let args = ["settings", "--tenant", &tenant, "--max-offline-sale", &(total / 10).to_string()];
    server.admin(&[&args[..], &["--max-unsynced-total", &(total * 3).to_string()]].concat());
    till.sync_until_clean();

    // Online (the last round went through): only the unsent total counts.
    server.kill();
    let second = sell(&till, "RING-2", None);
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stdout));
    let over = sell(&till, "RING-3", None);
    assert_eq!(error_code(&over), "unsent_total_limit");

    // Offline (a round failed): one sale past its own limit, refused even
    // with room in the total; a wrong PIN saves nothing.
    assert!(till.sync().is_err());
    assert_eq!(error_code(&sell(&till, "RING-3", None)), "offline_sale_limit");
    assert_eq!(error_code(&sell(&till, "RING-3", Some("0000"))), "owner_pin_wrong");
    assert_eq!(till.sales().len(), 2, "no refused sale was saved");
    assert_eq!(till.item_status("RING-3"), "in_stock");

    let approved = sell(&till, "RING-3", Some("1379"));
    assert!(approved.status.success(), "{}", String::from_utf8_lossy(&approved.stderr));
    let sale: Value = serde_json::from_slice(&approved.stdout).expect("sale JSON");
    assert_eq!(sale["sale"]["approval"]["by"], "مریم", "{sale}");
    assert_eq!(sale["sale"]["approval"]["reason"], "offline_sale_limit");
    till.ok(&["verify-journal"]);

    // Back online: the sales arrive, and the server's audit log names the owner.
    server.spawn_at(server.addr);
    till.sync_until_clean();
    let audit = server.admin(&["audit", "--tenant", &tenant]);
    let approvals = audit.lines().filter(|l| l.contains("sale.owner_approval")).count();
    assert_eq!(approvals, 1, "{audit}");
    assert!(audit.contains("مریم"), "{audit}");
}

//! Moadian invoices end to end: a real till, the real server, and a stand-in
//! of the tax organisation's API on 127.0.0.1 (`zargar_e2e::moadian`) that
//! decrypts with its test key, verifies the shop's signature and judges the
//! fields as the real service does. The queue runs as IT runs it by hand
//! (`zargar-server tax send`: one pass of the serving queue, the same code).
//!
//! A sale → queued → sent → accepted → its tax id at the till; a return →
//! a sales-return invoice naming the sale's; the service down, then slow
//! past the timeout → retries that ask before resending, and the service
//! records each invoice once; a rejection → the reason at the till.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use serde_json::Value;
use zargar_e2e::moadian::{TaxService, TestSigner};
use zargar_e2e::{Server, Till, rings};

const MEMORY_ID: &str = "A11216";
const NATIONAL_ID: &str = "0084575948";

fn tax(server: &Server, config: &Path, args: &[&str]) -> Output {
    server.command().arg("--config").arg(config).arg("tax").args(args).output().expect("zargar-server tax")
}

fn pass(server: &Server, config: &Path, shop: &str) -> Output {
    tax(server, config, &["send", "--tenant", shop])
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The till's view of the shop's invoices, after a sync.
fn till_invoices(t: &Till) -> Vec<Value> {
    t.sync_until_clean();
    t.json(&["tax", "invoices"])["invoices"].as_array().expect("invoices").clone()
}

fn num(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not a whole number: {v}"))
}

#[test]
fn sales_and_returns_reach_the_tax_service_once_through_outages_and_rejections() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let service = rt.block_on(TaxService::start());
    let signer = TestSigner::new("14003778990");
    service.register(MEMORY_ID, &signer.cert_pem);

    let server = Server::start(tmp.path());
    let shop = server.shop("زرین", &rings(6), tmp.path());
    let shop_id = shop.to_string();
    let (key, cert, config) =
        (tmp.path().join("shop.key"), tmp.path().join("shop.crt"), tmp.path().join("server.toml"));
    std::fs::write(&key, &signer.key_pem).expect("key");
    std::fs::write(&cert, &signer.cert_pem).expect("cert");
    std::fs::write(
        &config,
        format!(
            "[tax]\nurl = \"{}\"\nsecret_file = \"server.secret\"\ntimeout_seconds = 2\ninquire_after_seconds = 0\nretry_seconds = 1\n",
            service.base_url()
        ),
    )
    .expect("config");

    // A bad memory id is refused, naming it; then the identity is set.
    let bad = tax(
        &server,
        &config,
        &[
            "identity",
            "--tenant",
            &shop_id,
            "--name",
            "x",
            "--economic-code",
            "14003778990",
            "--national-id",
            "14003778990",
            "--postal-code",
            "1234567890",
            "--address",
            "x",
            "--phone",
            "021",
            "--memory-id",
            "A1",
            "--key",
            key.to_str().expect("path"),
            "--cert",
            cert.to_str().expect("path"),
        ],
    );
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("memory id"));
    ok(tax(
        &server,
        &config,
        &[
            "identity",
            "--tenant",
            &shop_id,
            "--name",
            "طلافروشی زرین",
            "--economic-code",
            "14003778990",
            "--national-id",
            "14003778990",
            "--postal-code",
            "1234567890",
            "--address",
            "تهران، بازار بزرگ",
            "--phone",
            "02155555555",
            "--memory-id",
            MEMORY_ID,
            "--key",
            key.to_str().expect("path"),
            "--cert",
            cert.to_str().expect("path"),
        ],
    ));
    // The key is kept sealed: nowhere in the database in clear.
    for (table, bytes) in server.backend.stored_bytes() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("PRIVATE KEY") && !text.contains(&signer.key_pem[40..80]),
            "the key in clear in {table}"
        );
    }

    let till = Till::enrolled(&tmp.path().join("a"), "صندوق ۱", &server.url(), &server, shop);
    till.sync_until_clean();
    let seller = till.json(&["tax", "invoices"])["seller"].clone();
    assert_eq!(seller["name"], "طلافروشی زرین", "the seller's block reaches the till: {seller}");

    // 1. A sale to a registered customer: queued, sent, accepted.
    till.ok(&["customer", "add", "--name", "زهرا احمدی", "--mobile", "09121234567", "--national-id", NATIONAL_ID]);
    let sold = till.json(&[
        "sell",
        "--item",
        "RING-1",
        "--item",
        "RING-2",
        "--customer",
        "09121234567",
        "--pay",
        "cash=1000000000000",
    ]);
    let total: i64 = sold["sale"]["totals"]["total"].as_str().expect("total").parse().expect("rials");
    let queued = till_invoices(&till);
    assert_eq!(queued.len(), 1, "{queued:#?}");
    assert_eq!((queued[0]["status"].as_str(), queued[0]["subject"].as_str()), (Some("queued"), Some("sale")));
    ok(pass(&server, &config, &shop_id));
    ok(pass(&server, &config, &shop_id));
    let got = service.invoices();
    assert_eq!(got.len(), 1);
    let sale_invoice = &got[0];
    assert_eq!(sale_invoice.status, "SUCCESS", "{:?}", sale_invoice.errors);
    let h = &sale_invoice.invoice["header"];
    assert_eq!((num(&h["inp"]), num(&h["ins"]), num(&h["inty"]), num(&h["tob"])), (3, 1, 1, 1));
    assert_eq!((h["tins"].as_str(), h["bid"].as_str()), (Some("14003778990"), Some(NATIONAL_ID)));
    assert_eq!(num(&h["tbill"]), total, "the invoice's total is the sale's, to the Rial");
    let lines = sale_invoice.invoice["body"].as_array().expect("body");
    assert_eq!(lines.len(), 2);
    for (line, sold_line) in lines.iter().zip(sold["sale"]["lines"].as_array().expect("lines")) {
        let rial = |v: &Value| -> i64 { v.as_str().expect("amount").parse().expect("rials") };
        assert_eq!(num(&line["prdis"]), rial(&sold_line["price"]["gold"]));
        assert_eq!(num(&line["consfee"]), rial(&sold_line["price"]["wage"]));
        assert_eq!(num(&line["spro"]), rial(&sold_line["price"]["profit"]));
        assert_eq!(num(&line["vam"]), rial(&sold_line["price"]["vat"]));
        assert_eq!(line["mu"], "1622", "in grams");
    }
    let accepted = till_invoices(&till);
    assert_eq!(accepted[0]["status"], "accepted", "{accepted:#?}");
    assert_eq!(accepted[0]["tax_id"].as_str(), Some(sale_invoice.tax_id.as_str()));

    // 2. RING-2 comes back: a sales-return invoice naming the sale's.
    till.ok(&["return", "--invoice", "1", "--item", "RING-2"]);
    till.sync_until_clean();
    ok(pass(&server, &config, &shop_id));
    ok(pass(&server, &config, &shop_id));
    let got = service.invoices();
    assert_eq!(got.len(), 2);
    let ret = &got[1].invoice;
    assert_eq!(got[1].status, "SUCCESS", "{:?}", got[1].errors);
    assert_eq!(
        (num(&ret["header"]["ins"]), ret["header"]["irtaxid"].as_str()),
        (4, Some(sale_invoice.tax_id.as_str()))
    );
    assert_eq!(ret["body"].as_array().map(Vec::len), Some(1), "only the piece given back");

    // 3. The service is down: the pass fails and nothing is lost.
    rt.block_on(service.stop());
    till.json(&["sell", "--item", "RING-3", "--pay", "cash=1000000000000"]);
    till.sync_until_clean();
    assert!(!pass(&server, &config, &shop_id).status.success(), "unreachable");
    // Back, but slower than the queue waits: the invoice arrives, its answer is lost.
    rt.block_on(service.restart());
    service.delay_answers(Duration::from_secs(3));
    let sent_before = service.hits("invoice");
    std::thread::sleep(Duration::from_millis(1300));
    assert!(!pass(&server, &config, &shop_id).status.success(), "timed out");
    assert_eq!(service.invoices().len(), 3, "it arrived");
    // Fast again: the queue asks before resending, and finds it.
    service.delay_answers(Duration::ZERO);
    zargar_e2e::wait_until("the retry's turn", Duration::from_secs(10), || {
        pass(&server, &config, &shop_id).status.success()
            && till_invoices(&till).iter().filter(|i| i["status"] == "accepted").count() == 3
    });
    assert_eq!(service.hits("invoice") - sent_before, 1, "sent once, never again");
    assert_eq!(service.duplicates(), 0);

    // 4. A rejection: the owner sees the service's reason at the till.
    service.reject_with(Some(("012802".into(), "مقدار وارد شده در فیلد «روش تسویه» جز مقادیر مجاز نیست".into())));
    till.json(&["sell", "--item", "RING-4", "--pay", "cash=1000000000000"]);
    till.sync_until_clean();
    ok(pass(&server, &config, &shop_id));
    ok(pass(&server, &config, &shop_id));
    let all = till_invoices(&till);
    let rejected = &all[0];
    assert_eq!(rejected["status"], "rejected", "the rejected come first: {all:#?}");
    assert_eq!(rejected["messages"][0]["code"], "012802");
    assert!(rejected["messages"][0]["message"].as_str().is_some_and(|m| m.contains("روش تسویه")));
    let serials: Vec<i64> = all.iter().map(|i| num(&i["serial"])).collect();
    let mut sorted = serials.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (1..=4).collect::<Vec<_>>(), "gapless serials: {serials:?}");
    assert_eq!(service.duplicates(), 0, "no invoice was sent twice");
}

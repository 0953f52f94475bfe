//! Moadian invoices end to end: a real till, the real server, and a stand-in
//! of the tax organisation's API on 127.0.0.1 (`zargar_e2e::moadian`) that
//! decrypts with its test key, verifies the shop's signature and judges the
//! fields as the real service does. The queue runs as IT runs it by hand
//! (`zargar-server tax send`: one pass of the serving queue, the same code).
//!
//! A sale → queued → sent → accepted → its tax id at the till; a return →
//! a sales-return invoice naming the sale's; the service down, then slow
//! past the timeout → retries that ask before resending, and the service
//! records each invoice once; a rejection → the reason at the till; the
//! serving process's own queue; a parked sale voided → its cancellation.

use std::time::Duration;

use serde_json::Value;
use zargar_e2e::moadian::shop::{MEMORY_ID, ok};
use zargar_e2e::moadian::{TaxService, TaxedShop};
use zargar_e2e::{Server, Till, rings};

const NATIONAL_ID: &str = "0084575948";

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

    let server = Server::start(tmp.path());
    let shop = server.shop("زرین", &rings(6), tmp.path());
    let taxed = TaxedShop::prepare(shop, &service, tmp.path());
    let pass = || taxed.pass(&server);

    // A bad memory id is refused, naming it; then the identity is set.
    let bad = taxed.identity(&server, "A1");
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("memory id"));
    taxed.set_identity(&server);
    // The key is kept sealed: nowhere in the database in clear.
    for (table, bytes) in server.backend.stored_bytes() {
        let text = String::from_utf8_lossy(&bytes);
        let key = &taxed.signer.key_pem;
        assert!(!text.contains("PRIVATE KEY") && !text.contains(&key[40..80]), "the key in clear in {table}");
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
    ok(pass());
    ok(pass());
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
    assert!(sale_invoice.tax_id.starts_with(MEMORY_ID));
    // The reprinted invoice carries both legal blocks and the tax id (in
    // the till's language: ids in its digits).
    let printed = till.ok(&["invoice", "1"]);
    let shown = |part: &str| printed.contains(part) || printed.contains(&zargar_e2e::app::persian_digits(part));
    for part in ["طلافروشی زرین", "زهرا احمدی", NATIONAL_ID, "14003778990", "1234567890", &sale_invoice.tax_id]
    {
        assert!(shown(part), "{part} missing from the invoice:\n{printed}");
    }

    // 2. RING-2 comes back: a sales-return invoice naming the sale's.
    till.ok(&["return", "--invoice", "1", "--item", "RING-2"]);
    till.sync_until_clean();
    ok(pass());
    ok(pass());
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
    assert!(!pass().status.success(), "unreachable");
    // Back, but slower than the queue waits: the invoice arrives, its answer is lost.
    rt.block_on(service.restart());
    service.delay_answers(Duration::from_secs(3));
    let sent_before = service.hits("invoice");
    std::thread::sleep(Duration::from_millis(1300));
    assert!(!pass().status.success(), "timed out");
    assert_eq!(service.invoices().len(), 3, "it arrived");
    // Fast again: the queue asks before resending, and finds it.
    service.delay_answers(Duration::ZERO);
    zargar_e2e::wait_until("the retry's turn", Duration::from_secs(10), || {
        pass().status.success() && till_invoices(&till).iter().filter(|i| i["status"] == "accepted").count() == 3
    });
    assert_eq!(service.hits("invoice") - sent_before, 1, "sent once, never again");
    assert_eq!(service.duplicates(), 0);

    // 4. A rejection: the owner sees the service's reason at the till.
    service.reject_with(Some(("012802".into(), "مقدار وارد شده در فیلد «روش تسویه» جز مقادیر مجاز نیست".into())));
    till.json(&["sell", "--item", "RING-4", "--pay", "cash=1000000000000"]);
    till.sync_until_clean();
    ok(pass());
    ok(pass());
    let all = till_invoices(&till);
    let rejected = &all[0];
    assert_eq!(rejected["status"], "rejected", "the rejected come first: {all:#?}");
    assert_eq!(rejected["messages"][0]["code"], "012802");
    assert!(rejected["messages"][0]["message"].as_str().is_some_and(|m| m.contains("روش تسویه")));
    let serials: Vec<i64> = all.iter().map(|i| num(&i["serial"])).collect();
    let mut sorted = serials.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (1..=4).collect::<Vec<_>>(), "gapless serials: {serials:?}");

    // 5. The serving process runs the queue itself, as a shop's server does.
    service.reject_with(None);
    let (mut serving, _) = zargar_e2e::backend::spawn_serving(
        server
            .command()
            .arg("--config")
            .arg(&taxed.config)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "warn"),
    );
    till.json(&["sell", "--item", "RING-5", "--pay", "cash=1000000000000"]);
    till.sync_until_clean();
    zargar_e2e::wait_until("the serving queue's verdict", Duration::from_secs(30), || {
        till_invoices(&till).iter().any(|i| i["serial"] == 5 && i["status"] == "accepted")
    });
    let _ = serving.kill();
    let _ = serving.wait();

    // 6. Two tills sell RING-6 offline: the second sale is parked, yet it
    // happened at the counter, so it has its invoice; the owner voids it and
    // that invoice is cancelled, naming it.
    let other = Till::enrolled(&tmp.path().join("b"), "صندوق ۲", &server.url(), &server, shop);
    till.sell(&["RING-6"]);
    other.sell(&["RING-6"]);
    till.sync_until_clean();
    let round = other.sync().expect("the second till syncs");
    assert_eq!(round["round"]["conflicts"], 1, "{round}");
    ok(pass());
    ok(pass());
    let parked = service.invoices().last().cloned().expect("the parked sale's invoice");
    assert_eq!((num(&parked.invoice["header"]["ins"]), parked.status.as_str()), (1, "SUCCESS"));
    let op = other.conflicts(false)[0]["op_id"].as_str().expect("op id").to_owned();
    other.ok(&["conflicts", "resolve", &op, "--resolution", "void", "--by", "مریم"]);
    other.sync_until_clean();
    ok(pass());
    ok(pass());
    let cancel = service.invoices().last().cloned().expect("the cancellation");
    assert_eq!(cancel.status, "SUCCESS", "{:?}", cancel.errors);
    let h = &cancel.invoice["header"];
    assert_eq!((num(&h["ins"]), h["irtaxid"].as_str()), (3, Some(parked.tax_id.as_str())));
    assert_eq!(num(&h["tbill"]), num(&parked.invoice["header"]["tbill"]), "the whole sale is cancelled");
    let at_till = till_invoices(&other);
    assert!(at_till.iter().any(|i| i["subject"] == "cancellation" && i["status"] == "accepted"), "{at_till:#?}");
    assert_eq!(service.duplicates(), 0, "no invoice was sent twice");
}

//! Pull pages through the shop's change log; the OpenAPI document describes it all.

mod common;

use common::Server;
use zargar_wire::{ChangeData, PullResponse};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_pages_through_the_shops_changes_and_resets_an_unknown_cursor() {
    let server = Server::start();
    let shop = server.shop("Zarrin");
    let till = server.till(&shop, "counter 1", "till").await;

    // Settings, 36 pieces and a price, 10 at a time.
    let mut cursor = String::new();
    let mut seen = Vec::new();
    for _ in 0..10 {
        let r = till.get(&format!("/api/v1/sync/pull?limit=10&cursor={cursor}")).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let page: PullResponse = serde_json::from_slice(&r.body).expect("page");
        assert!(page.changes.len() <= 10);
        seen.extend(page.changes);
        cursor = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    assert_eq!(seen.len(), 1 + 36 + 1);
    assert!(matches!(seen[0].data, ChangeData::Settings(_)));
    assert_eq!(seen.iter().filter(|c| matches!(c.data, ChangeData::Item(_))).count(), 36);
    let price = seen.iter().find_map(|c| match &c.data {
        ChangeData::GoldPrice(p) => Some(p.per_gram_18k),
        _ => None,
    });
    assert_eq!(price, Some(common::dec("80000000")));

    // At the end: an empty page that keeps the cursor.
    let r = till.get(&format!("/api/v1/sync/pull?cursor={cursor}")).await;
    let page: PullResponse = serde_json::from_slice(&r.body).expect("page");
    assert!(page.changes.is_empty() && !page.has_more);
    assert_eq!(page.next_cursor, cursor);

    // A new price shows up after the cursor.
    server.admin(&["price", "set", "--tenant", &shop.id.to_string(), "81000000"]);
    let r = till.get(&format!("/api/v1/sync/pull?cursor={cursor}")).await;
    let page: PullResponse = serde_json::from_slice(&r.body).expect("page");
    assert_eq!(page.changes.len(), 1);

    // A cursor from another log (a restored server, say): 410 with reset.
    let r = till.get("/api/v1/sync/pull?cursor=v1.999999").await;
    assert_eq!(r.status, 410);
    assert_eq!(r.json()["reset"], true);
    for bad in ["cursor=abc", "limit=0", "limit=1001", "limit=-1"] {
        let r = till.get(&format!("/api/v1/sync/pull?{bad}")).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text());
        assert_eq!(r.json()["code"], "malformed");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_is_served_and_describes_every_endpoint_and_type() {
    let server = Server::start();
    let r = common::read(reqwest::get(format!("{}/api/v1/openapi.json", server.base)).await.expect("get")).await;
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    for path in [
        "/api/v1/devices/enroll",
        "/api/v1/sync/push",
        "/api/v1/sync/pull",
        "/api/v1/sync/events",
        "/api/v1/sync/status",
        "/api/v1/conflicts",
        "/api/v1/export",
        "/api/v1/gold-price",
        "/healthz",
        "/metrics",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    let schemas = &doc["components"]["schemas"];
    for ty in [
        "PushRequest",
        "PushResponse",
        "Op",
        "OpBody",
        "SalePayload",
        "Conflict",
        "PullResponse",
        "Change",
        "ErrorBody",
    ] {
        assert!(schemas[ty].is_object(), "{ty} has a schema");
    }
    // Amounts are decimal strings on the wire, and the schema says so.
    assert_eq!(schemas["SaleLine"]["properties"]["weight"]["type"], "string");
    assert_eq!(doc["paths"]["/api/v1/sync/pull"]["get"]["parameters"][0]["in"], "query");

    let metrics = common::read(reqwest::get(format!("{}/metrics", server.base)).await.expect("get")).await;
    assert!(metrics.text().contains("zargar_ops_total{status=\"applied\"}"));
}

#[test]
fn docs_openapi_json_is_the_document_the_code_generates() {
    let generated = common::run(&["--db", "unused.db", "openapi"]);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed.trim() == generated.trim(),
        "docs/openapi.json is stale: run `cargo run -p zargar-server -- openapi > docs/openapi.json`"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_carry_request_ids_and_never_a_token_and_export_is_csv_per_sale_line() {
    let server = Server::start_logging();
    let (_, [mut till, owner]) = server.shop_with("Zarrin", [("counter 1", "till"), ("owner", "owner")]).await;
    let (items, price) = till.pull_priced().await;
    let op = till.sale(&items[0..2], &price);
    till.push(&[op]).await.push();
    let r = owner.get("/api/v1/export?from=2000-01-01&to=2100-01-01").await;
    assert_eq!(r.status, 200);
    assert!(r.headers["content-type"].to_str().expect("ascii").starts_with("text/csv"));
    let csv = r.text();
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    for col in [
        "sale_id",
        "invoice_no",
        "device_name",
        "sold_at",
        "tag",
        "weight",
        "purity",
        "gold",
        "wage",
        "profit",
        "vat",
        "total",
        "sync_status",
        "seller",
        "wage_discount",
        "profit_discount",
    ] {
        assert!(header.split(',').any(|h| h == col), "{col} in {header}");
    }
    let rows: Vec<_> = lines.collect();
    assert_eq!(rows.len(), 2, "one row per sale line");
    // No one signed in, no discount: the last three columns are empty and zero.
    assert!(rows.iter().all(|r| r.ends_with(",applied,,0,0") && r.contains("counter 1")), "{rows:?}");

    // A request id comes back to the caller and is in the log; tokens are not.
    let r = till.get("/api/v1/sync/status").await;
    let id = r.headers["x-request-id"].to_str().expect("ascii").to_owned();
    assert!(!id.is_empty());
    let log = server.log_text();
    assert!(log.contains(&id), "the request id is logged");
    for token in [&till.token, &owner.token] {
        assert!(!log.contains(token.as_str()), "a token leaked into the log");
        assert!(!log.contains(&token[4..20]), "part of a token leaked into the log");
    }
}

//! Security against the real server process: one shop never sees or
//! touches another's data, a token is checked on every endpoint and never
//! stored, malformed input is refused with a JSON error and changes nothing,
//! and a device that floods the server is slowed down alone.

mod common;

use std::io::Write as _;
use std::time::Duration;

use chrono::Utc;
use common::backend::Snapshot;
use common::{Reply, Server, Shop, Till, read};
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use uuid::Uuid;
use zargar_wire::{
    ConflictKind, CustomerPayload, GoldPricePayload, ItemPayload, ItemStatus, Op, OpBody, OpStatus, PushResponse,
    Resolution, ResolvePayload, Wage,
};

// ------------------------------------------------------------------ helpers

/// One request with an optional bearer token and an optional JSON body.
async fn call(
    http: &reqwest::Client,
    base: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Reply {
    let mut req = http.request(method.clone(), format!("{base}{path}"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    read(req.send().await.unwrap_or_else(|e| panic!("{method} {path}: no answer: {e}"))).await
}

/// Every endpoint a device token opens; `push` is the body sent to push.
fn endpoints(push: &Value) -> Vec<(Method, &'static str, Option<Value>)> {
    vec![
        (Method::POST, "/api/v1/sync/push", Some(push.clone())),
        (Method::GET, "/api/v1/sync/pull", None),
        (Method::GET, "/api/v1/sync/pull?cursor=v1.0&limit=5", None),
        (Method::GET, "/api/v1/sync/status", None),
        (Method::GET, "/api/v1/conflicts", None),
        (Method::GET, "/api/v1/conflicts?open=false", None),
        (Method::GET, "/api/v1/export?from=2000-01-01&to=2100-01-01&format=csv", None),
        (Method::GET, "/api/v1/export?from=2000-01-01&to=2100-01-01&format=json", None),
        (Method::GET, "/api/v1/gold-price", None),
    ]
}

/// The `{code, message}` of an error answer, or what is wrong with it.
fn error_body(r: &Reply) -> Result<(String, String), String> {
    let ct = r.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ct.starts_with("application/json") {
        return Err(format!("content-type {ct:?}, body {:?}", r.text()));
    }
    let v: Value = serde_json::from_slice(&r.body).map_err(|e| format!("not JSON ({e}): {:?}", r.text()))?;
    let code = v["code"].as_str().ok_or_else(|| format!("no string `code` in {v}"))?;
    let message = v["message"].as_str().ok_or_else(|| format!("no string `message` in {v}"))?;
    if code.is_empty() || message.is_empty() {
        return Err(format!("empty code or message in {v}"));
    }
    Ok((code.to_owned(), message.to_owned()))
}

/// Asserts an error answer: its status and a JSON body with `code`.
fn assert_error(r: &Reply, status: u16, code: &str, what: &str) {
    assert_eq!(r.status, status, "{what}: answered {} {}", r.status, r.text());
    match error_body(r) {
        Ok((c, _)) => assert_eq!(c, code, "{what}: {}", r.text()),
        Err(e) => panic!("{what}: not a JSON error body: {e}"),
    }
}

/// On a connection of its own: a body refused from its declared length
/// leaves the connection it came on closed, and the pool may not know yet.
async fn healthz(base: &str) -> u16 {
    let fresh = reqwest::Client::builder().pool_max_idle_per_host(0).build().expect("client");
    match fresh.get(format!("{base}/healthz")).send().await {
        Ok(r) => r.status().as_u16(),
        Err(_) => 0,
    }
}

/// Every row of every table of the server's database, rendered and sorted:
/// two snapshots are equal when the database holds the same rows (on
/// PostgreSQL, read as the superuser: every shop's rows).
fn snapshot(server: &Server) -> Snapshot {
    server.backend.snapshot()
}

/// The tables in which two snapshots differ.
fn changed_tables(a: &Snapshot, b: &Snapshot) -> Vec<String> {
    a.keys()
        .chain(b.keys())
        .filter(|t| a.get(*t) != b.get(*t))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn push_body(till: &Till, ops: Vec<Op>) -> Value {
    serde_json::to_value(till.push_request(ops)).expect("push request as JSON")
}

fn customer(name: &str, mobile: &str) -> OpBody {
    OpBody::CustomerUpsert(CustomerPayload {
        customer_id: Uuid::now_v7(),
        name: name.into(),
        mobile: Some(mobile.into()),
        national_id: None,
        economic_code: None,
        postal_code: None,
        credit_limit: Decimal::ZERO,
    })
}

// ------------------------------------------------------------------ two shops

/// Two shops A and B on one server, each with a till that sold something;
/// A also has an open conflict and a customer. `markers_a` are strings that
/// only A's data contains (both shops import the same demo inventory, so
/// tags are no marker; ids and names are).
struct World {
    server: Server,
    shop_a: Shop,
    shop_b: Shop,
    till_a: Till,
    owner_a: Till,
    till_b: Till,
    owner_b: Till,
    items_a: Vec<ItemPayload>,
    items_b: Vec<ItemPayload>,
    price_b: GoldPricePayload,
    sale_a: Op,
    conflict_op_a: Uuid,
    customer_mobile_a: String,
    markers_a: Vec<(String, String)>,
}

const SHOP_A: &str = "Alpha Zarrin Gallery";
const SHOP_B: &str = "Beta Talaa House";

async fn two_shops() -> World {
    let server = Server::start();
    let shop_a = server.shop(SHOP_A);
    let shop_b = server.shop(SHOP_B);
    let mut till_a = server.till(&shop_a, "alpha counter", "till").await;
    let owner_a = server.till(&shop_a, "alpha owner", "owner").await;
    let mut till_b = server.till(&shop_b, "beta counter", "till").await;
    let owner_b = server.till(&shop_b, "beta owner", "owner").await;
    let (items_a, price_a) = till_a.pull_all().await;
    let (items_b, price_b) = till_b.pull_all().await;
    let (price_a, price_b) = (price_a.expect("A's price"), price_b.expect("B's price"));
    assert_eq!(items_a.len(), 36);
    assert_eq!(items_b.len(), 36);
    assert!(items_a.iter().all(|a| items_b.iter().all(|b| a.item_id != b.item_id)), "the two shops share item ids");

    // A: a sale, the same ring sold again (a conflict), and a customer.
    let sale_a = till_a.sale(&items_a[0..2], &price_a);
    let again = till_a.sale(&items_a[0..1], &price_a);
    let customer_mobile_a = "09121110001".to_owned();
    let cust = customer("Alpha Customer Parvaneh", &customer_mobile_a);
    let cust_op = till_a.book.op(cust.clone(), &[], None, Utc::now());
    let r = till_a.push(&[sale_a.clone(), again.clone(), cust_op.clone()]).await.push();
    let statuses: Vec<_> = r.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [OpStatus::Applied, OpStatus::Conflict, OpStatus::Applied], "{r:?}");

    // B: a sale of its own.
    let sale_b = till_b.sale(&items_b[0..1], &price_b);
    let r = till_b.push(&[sale_b]).await.push();
    assert_eq!(r.results[0].status, OpStatus::Applied, "{r:?}");

    let conflicts = owner_a.get("/api/v1/conflicts").await.json();
    let conflict_id = conflicts["conflicts"][0]["conflict_id"].as_str().expect("A's conflict").to_owned();

    let mut markers_a: Vec<(String, String)> = vec![
        ("A's tenant id".into(), shop_a.id.to_string()),
        ("A's shop name".into(), SHOP_A.into()),
        ("A's till id".into(), till_a.device_id.to_string()),
        ("A's owner device id".into(), owner_a.device_id.to_string()),
        ("A's till name".into(), "alpha counter".into()),
        ("A's owner device name".into(), "alpha owner".into()),
        ("A's gold price id".into(), price_a.price_id.to_string()),
        ("A's sale id".into(), sale_id(&sale_a).to_string()),
        ("A's conflicted sale id".into(), sale_id(&again).to_string()),
        ("A's sale op id".into(), sale_a.op_id.to_string()),
        ("A's conflicted op id".into(), again.op_id.to_string()),
        ("A's customer op id".into(), cust_op.op_id.to_string()),
        ("A's customer id".into(), cust_op.entity_id.to_string()),
        ("A's customer name".into(), "Alpha Customer Parvaneh".into()),
        ("A's customer mobile".into(), customer_mobile_a.clone()),
        ("A's conflict id".into(), conflict_id),
    ];
    for i in &items_a {
        markers_a.push((format!("A's item {} id", i.tag), i.item_id.to_string()));
    }
    World {
        server,
        shop_a,
        shop_b,
        till_a,
        owner_a,
        till_b,
        owner_b,
        items_a,
        items_b,
        price_b,
        sale_a,
        conflict_op_a: again.op_id,
        customer_mobile_a,
        markers_a,
    }
}

fn sale_id(op: &Op) -> Uuid {
    match &op.body {
        OpBody::SaleCreate(s) => s.sale_id,
        _ => panic!("not a sale"),
    }
}

/// The markers of `markers` found in `body`, leaving out `except`.
fn leaked<'a>(body: &[u8], markers: &'a [(String, String)], except: &[String]) -> Vec<&'a str> {
    markers
        .iter()
        .filter(|(_, needle)| !except.contains(needle) && contains(body, needle.as_bytes()))
        .map(|(label, _)| label.as_str())
        .collect()
}

/// Everything A's owner device sees of A, byte for byte: the export, every
/// conflict, the whole change log and the price.
async fn view_of_a(w: &World) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for path in [
        "/api/v1/export?from=2000-01-01&to=2100-01-01&format=json",
        "/api/v1/export?from=2000-01-01&to=2100-01-01&format=csv",
        "/api/v1/conflicts?open=false",
        "/api/v1/gold-price",
    ] {
        let r = w.owner_a.get(path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        out.push((path.to_owned(), r.text()));
    }
    let mut cursor = String::new();
    for page in 0..100 {
        let r = w.owner_a.get(&format!("/api/v1/sync/pull?cursor={cursor}&limit=50")).await;
        assert_eq!(r.status, 200, "pull: {}", r.text());
        let v = r.json();
        out.push((format!("pull page {page}"), r.text()));
        cursor = v["next_cursor"].as_str().expect("next_cursor").to_owned();
        if v["has_more"] != json!(true) {
            break;
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_shops_devices_never_read_a_byte_of_this_shops_data() {
    let mut w = two_shops().await;

    // B's till and B's owner on every endpoint: answered, and nothing of A.
    let mut bodies = Vec::new();
    for i in 0..2 {
        let device = if i == 0 { &mut w.till_b } else { &mut w.owner_b };
        let op = device.book.op(customer("Beta Customer Kian", &format!("0935000000{i}")), &[], None, Utc::now());
        bodies.push(push_body(device, vec![op]));
    }
    for (device, push, role) in [(&w.till_b, &bodies[0], "B's till"), (&w.owner_b, &bodies[1], "B's owner")] {
        for (method, path, body) in endpoints(push) {
            let r = call(&device.http, &w.server.base, method.clone(), path, Some(&device.token), body.as_ref()).await;
            let expected = if path.starts_with("/api/v1/export") && role == "B's till" { 403 } else { 200 };
            assert_eq!(r.status, expected, "{role} {method} {path}: {}", r.text());
            let found = leaked(&r.body, &w.markers_a, &[]);
            assert!(found.is_empty(), "{role} {method} {path} answered A's data ({found:?}): {}", r.text());
        }
    }
    // B's owner sees B's sale in the export: the check above looked at real rows.
    let export_b = w.owner_b.get("/api/v1/export?from=2000-01-01&to=2100-01-01&format=json").await.json();
    let rows_b = export_b["rows"].as_array().expect("rows");
    assert_eq!(rows_b.len(), 1, "{export_b}");
    assert_eq!(rows_b[0]["item_id"], json!(w.items_b[0].item_id));
    let gold_b = w.owner_b.get("/api/v1/gold-price").await.json();
    assert_eq!(gold_b["price"]["price_id"], json!(w.price_b.price_id));
    let status_b = w.till_b.get("/api/v1/sync/status").await.json();
    assert_eq!(status_b["tenant"]["id"], json!(w.shop_b.id));

    // The same calls by A's devices find A's data: the markers are real.
    let repush_a = push_body(&w.till_a, vec![w.sale_a.clone()]);
    for (method, path, body) in endpoints(&repush_a) {
        let device = if path.ends_with("/push") { &w.till_a } else { &w.owner_a };
        let r = call(&device.http, &w.server.base, method.clone(), path, Some(&device.token), body.as_ref()).await;
        assert_eq!(r.status, 200, "A {method} {path}: {}", r.text());
        assert!(!leaked(&r.body, &w.markers_a, &[]).is_empty(), "A {method} {path} shows nothing of A: {}", r.text());
    }

    // B pulling with a cursor taken from A's log still gets only B's changes.
    let a_page = w.owner_a.get("/api/v1/sync/pull?limit=3").await.json();
    let a_cursor = a_page["next_cursor"].as_str().expect("cursor").to_owned();
    let r = w.till_b.get(&format!("/api/v1/sync/pull?cursor={a_cursor}")).await;
    assert!(r.status == 200 || r.status == 410, "{}", r.text());
    let found = leaked(&r.body, &w.markers_a, &[]);
    assert!(found.is_empty(), "B's pull from A's cursor answered A's data ({found:?})");
    w.server.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_shops_pushes_cannot_reach_this_shops_data() {
    let mut w = two_shops().await;
    let before = view_of_a(&w).await;
    let base = w.server.base.clone();

    // B's tokens with A's till in the body: 403, for B's till and B's owner.
    for device in [&w.till_b, &w.owner_b] {
        let mut body = push_body(device, vec![]);
        body["device_id"] = json!(w.till_a.device_id);
        let r = call(&device.http, &base, Method::POST, "/api/v1/sync/push", Some(&device.token), Some(&body)).await;
        assert_error(&r, 403, "forbidden", "B's token, A's device_id");
        let found = leaked(&r.body, &w.markers_a, &[w.till_a.device_id.to_string()]);
        assert!(found.is_empty(), "{found:?}");
    }
    // ... and a whole A-built push (A's device, A's ops) with B's token: 403.
    let mut book_a = w.till_a.book.clone();
    let op_a = book_a.op(customer("smuggled", "09000000000"), &[], None, Utc::now());
    let body = push_body(&w.till_a, vec![op_a]);
    let r = call(&w.till_b.http, &base, Method::POST, "/api/v1/sync/push", Some(&w.till_b.token), Some(&body)).await;
    assert_error(&r, 403, "forbidden", "an A push with B's token");

    // B sells a ring A has sold: B does not know the piece; nothing of A's sale is told.
    let op = w.till_b.book.sale(&w.items_a[0..1], w.price_b.price_id, w.price_b.per_gram_18k, Utc::now());
    let r = w.till_b.push(&[op]).await.push();
    let result = &r.results[0];
    assert_eq!(result.status, OpStatus::Conflict, "{r:?}");
    let conflict = result.conflict.as_ref().expect("a conflict");
    assert_eq!(conflict.kind, ConflictKind::ItemUnknown, "B's sale of A's piece: {conflict:?}");
    let text = serde_json::to_vec(&r).expect("json");
    let found = leaked(&text, &w.markers_a, &[w.items_a[0].item_id.to_string()]);
    assert!(found.is_empty(), "B's push answered A's data: {found:?}");

    // B "resolves" A's conflict: rejected, and A's conflict stays open.
    let resolve = OpBody::ConflictResolve(ResolvePayload {
        conflict_op_id: w.conflict_op_a,
        resolution: Resolution::Void,
        resolved_by: "beta owner".into(),
        reason: Some("not yours".into()),
        replacement: None,
        due_change: None,
    });
    let op = w.till_b.book.op(resolve, &[], None, Utc::now());
    let r = w.till_b.push(&[op]).await.push();
    assert_eq!(r.results[0].status, OpStatus::Rejected, "B resolving A's conflict: {r:?}");
    let text = serde_json::to_vec(&r).expect("json");
    let found = leaked(&text, &w.markers_a, &[w.conflict_op_a.to_string()]);
    assert!(found.is_empty(), "{found:?}");

    // B upserts a piece under A's item id, a customer with A's customer's
    // mobile, and a price under A's price id: each lands in B only.
    let mut piece = w.items_a[3].clone();
    piece.tag = "B-PROBE-1".into();
    piece.name = "overwritten by beta".into();
    piece.wage_rate = Wage::Percent(0.into());
    let piece_op = w.till_b.book.op(OpBody::ItemUpsert(piece), &[], None, Utc::now());
    let cust_op = w.till_b.book.op(customer("Beta twin", &w.customer_mobile_a.clone()), &[], None, Utc::now());
    let price_a_id: Uuid =
        w.markers_a.iter().find(|(l, _)| l == "A's gold price id").expect("marker").1.parse().expect("uuid");
    let price_op = w.till_b.book.op(
        OpBody::GoldPriceSet(GoldPricePayload {
            price_id: price_a_id,
            per_gram_18k: 1.into(),
            mazaneh: None,
            set_at: Utc::now(),
            scope: zargar_wire::PriceScope::Till,
            set_by: None,
            set_at_till: None,
        }),
        &[],
        None,
        Utc::now(),
    );
    let r: PushResponse = w.till_b.push(&[piece_op, cust_op, price_op]).await.push();
    let statuses: Vec<_> = r.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [OpStatus::Applied, OpStatus::Applied, OpStatus::Applied], "{r:?}");
    let text = serde_json::to_vec(&r).expect("json");
    let sent = [w.items_a[3].item_id.to_string(), price_a_id.to_string(), w.customer_mobile_a.clone()];
    let found = leaked(&text, &w.markers_a, &sent);
    assert!(found.is_empty(), "a duplicate-customer check across shops? {found:?}");

    // A sees exactly what it saw before, byte for byte.
    let after = view_of_a(&w).await;
    assert_eq!(before.len(), after.len(), "A's change log grew");
    for ((what, a), (_, b)) in before.iter().zip(&after) {
        assert_eq!(a, b, "A's {what} changed after B's pushes");
    }
    let (items, price) = w.owner_a.pull_priced().await;
    assert_eq!(price.price_id, price_a_id);
    assert_eq!(price.per_gram_18k, common::dec("80000000"));
    let sold: Vec<_> = items.iter().filter(|i| i.status == ItemStatus::Sold).map(|i| i.item_id).collect();
    assert_eq!(sold.len(), 2, "A's sold pieces: {sold:?}");
    assert!(sold.contains(&w.items_a[0].item_id) && sold.contains(&w.items_a[1].item_id), "A's sold pieces: {sold:?}");
    assert!(items.iter().all(|i| i.name != "overwritten by beta"));
    w.server.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_or_a_wrong_token_gets_401_with_a_json_body_on_every_endpoint() {
    let mut w = two_shops().await;
    let base = w.server.base.clone();
    let http = reqwest::Client::new();
    let before = snapshot(&w.server);
    // The body is A's next sale (the price does not matter: it is never read).
    let push = push_body(&w.till_a, vec![w.till_a.clone().sale(&w.items_a[5..6], &w.price_b)]);
    let mut flipped = w.till_a.token.clone();
    let last = flipped.pop().expect("a token");
    flipped.push(if last == '0' { '1' } else { '0' });
    let long = format!("zgr_{}", "a".repeat(5000));
    let zeros = format!("zgr_{}", "0".repeat(64));
    let tokens: Vec<(&str, Option<&str>)> = vec![
        ("no token", None),
        ("garbage", Some("garbage")),
        ("zeros", Some(zeros.as_str())),
        ("A's token with one character changed", Some(flipped.as_str())),
        ("a 5000-character token", Some(long.as_str())),
        ("A's token with its prefix cut", Some(&w.till_a.token[4..])),
    ];
    for (what, token) in &tokens {
        for (method, path, body) in endpoints(&push) {
            let r = call(&http, &base, method.clone(), path, *token, body.as_ref()).await;
            assert_error(&r, 401, "unauthorized", &format!("{what}: {method} {path}"));
            let found = leaked(&r.body, &w.markers_a, &[]);
            assert!(found.is_empty(), "{what}: {path}: {found:?}");
        }
    }
    // Another scheme, or the token without a scheme, is no token either.
    for header in [format!("Basic {}", w.till_a.token), w.till_a.token.clone(), format!("Token {}", w.till_a.token)] {
        let r = read(
            http.get(format!("{base}/api/v1/sync/status"))
                .header("authorization", header.as_str())
                .send()
                .await
                .expect("status"),
        )
        .await;
        assert_error(&r, 401, "unauthorized", &format!("Authorization: {}…", &header[..8]));
    }
    assert_eq!(
        changed_tables(&before, &snapshot(&w.server)),
        Vec::<String>::new(),
        "a refused request changed the database"
    );
    assert_eq!(healthz(&base).await, 200);
    w.server.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_owners_device_may_export() {
    let mut w = two_shops().await;
    for format in ["csv", "json"] {
        let path = format!("/api/v1/export?from=2000-01-01&to=2100-01-01&format={format}");
        let r = w.till_a.get(&path).await;
        assert_error(&r, 403, "forbidden", &format!("a till's export ({format})"));
        assert!(!contains(&r.body, sale_id(&w.sale_a).to_string().as_bytes()), "the 403 carries the sale");
        let r = w.owner_a.get(&path).await;
        assert_eq!(r.status, 200, "the owner's export ({format}): {}", r.text());
        assert!(contains(&r.body, sale_id(&w.sale_a).to_string().as_bytes()), "the owner's export lacks the sale");
    }
    let csv = w.owner_a.get("/api/v1/export?from=2000-01-01&to=2100-01-01").await;
    let ct = csv.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(ct.starts_with("text/csv"), "csv is the default: {ct}");
    w.server.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_till_gets_403_everywhere_and_its_sales_stay_in_the_export() {
    let mut w = two_shops().await;
    let base = w.server.base.clone();

    // Revoking A's till under B's tenant fails and changes nothing.
    let out = w.server.admin_output(&[
        "device",
        "revoke",
        "--tenant",
        &w.shop_b.id.to_string(),
        &w.till_a.device_id.to_string(),
    ]);
    assert!(!out.status.success(), "B's tenant revoked A's till");
    assert_eq!(w.till_a.get("/api/v1/sync/status").await.status, 200, "A's till was revoked through B");

    w.server.admin(&["device", "revoke", "--tenant", &w.shop_a.id.to_string(), &w.till_a.device_id.to_string()]);
    let list = w.server.admin(&["device", "list", "--tenant", &w.shop_a.id.to_string()]);
    assert!(list.lines().any(|l| l.starts_with(&w.till_a.device_id.to_string()) && l.ends_with("revoked")), "{list}");

    let before = snapshot(&w.server);
    let mut till = w.till_a.clone();
    let next = till.sale(&w.items_a[7..8], &w.price_b);
    let push = push_body(&till, vec![next]);
    for (method, path, body) in endpoints(&push) {
        let r = call(&till.http, &base, method.clone(), path, Some(&till.token), body.as_ref()).await;
        assert_error(&r, 403, "device_revoked", &format!("revoked till: {method} {path}"));
    }
    assert_eq!(
        changed_tables(&before, &snapshot(&w.server)),
        Vec::<String>::new(),
        "a revoked till changed the database"
    );

    // The owner still sees the revoked till's sale and its conflict.
    let sale = sale_id(&w.sale_a).to_string();
    let export = w.owner_a.get("/api/v1/export?from=2000-01-01&to=2100-01-01&format=json").await;
    assert_eq!(export.status, 200, "{}", export.text());
    let rows = export.json()["rows"].as_array().expect("rows").clone();
    let of_sale: Vec<_> = rows.iter().filter(|r| r["sale_id"] == json!(sale)).collect();
    assert_eq!(of_sale.len(), 2, "the revoked till's sale has two lines: {rows:?}");
    assert!(of_sale.iter().all(|r| r["device_id"] == json!(w.till_a.device_id) && r["sync_status"] == "applied"));
    let csv = w.owner_a.get("/api/v1/export?from=2000-01-01&to=2100-01-01&format=csv").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.text().lines().filter(|l| l.starts_with(&sale)).count(), 2, "{}", csv.text());
    let conflicts = w.owner_a.get("/api/v1/conflicts").await.json();
    assert_eq!(conflicts["conflicts"][0]["op_id"], json!(w.conflict_op_a));
    // Other devices go on.
    assert_eq!(w.owner_a.get("/api/v1/sync/status").await.status, 200);
    assert_eq!(w.till_b.get("/api/v1/sync/status").await.status, 200);
    w.server.kill();
}

async fn enrol(http: &reqwest::Client, base: &str, code: &str, device_id: Uuid, name: &str) -> Reply {
    let body = json!({ "code": code, "device_id": device_id, "name": name });
    call(http, base, Method::POST, "/api/v1/devices/enroll", None, Some(&body)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enrolment_code_works_once_and_unknown_or_expired_codes_get_401() {
    let mut server = Server::start();
    let shop = server.shop(SHOP_A);
    let http = reqwest::Client::new();
    let base = server.base.clone();

    let code = server.enrol_code(&shop, "till");
    let first = Uuid::now_v7();
    let r = enrol(&http, &base, &code, first, "counter 1").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let token = r.json()["device_token"].as_str().expect("a token").to_owned();

    let r = enrol(&http, &base, &code, Uuid::now_v7(), "counter 2").await;
    assert_error(&r, 401, "enrol_code_invalid", "a used code");
    let r = enrol(&http, &base, &code.to_lowercase(), Uuid::now_v7(), "counter 2").await;
    assert_error(&r, 401, "enrol_code_invalid", "a used code, typed in lower case");
    let r = enrol(&http, &base, "ABCDE-FGHJK", Uuid::now_v7(), "counter 3").await;
    assert_error(&r, 401, "enrol_code_invalid", "an unknown code");
    let r = enrol(&http, &base, "", Uuid::now_v7(), "counter 3").await;
    assert_error(&r, 401, "enrol_code_invalid", "an empty code");

    // A code past its 15 minutes: the test moves its expiry into the past.
    let stale = server.enrol_code(&shop, "owner");
    let n = server
        .backend
        .execute("UPDATE enrol_codes SET expires_at = '2000-01-01T00:00:00.000000Z' WHERE used_at IS NULL");
    assert_eq!(n, 1, "expire the code");
    let r = enrol(&http, &base, &stale, Uuid::now_v7(), "owner phone").await;
    assert_error(&r, 401, "enrol_code_invalid", "an expired code");

    // One device came of it all, and it works.
    let list = server.admin(&["device", "list", "--tenant", &shop.id.to_string()]);
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(list.starts_with(&first.to_string()), "{list}");
    let r = call(&http, &base, Method::GET, "/api/v1/sync/status", Some(&token), None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    server.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_and_enrolment_codes_are_never_stored_in_the_database() {
    let mut w = two_shops().await;
    let http = reqwest::Client::new();
    let code = w.server.enrol_code(&w.shop_a, "till");
    let r = enrol(&http, &w.server.base, &code, Uuid::now_v7(), "counter 9").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let token = r.json()["device_token"].as_str().expect("token").to_owned();
    // The new till syncs once, so its device row has been written again.
    let mut nine = w.till_a.clone();
    nine.token = token.clone();
    nine.device_id = r.json()["device_id"].as_str().expect("id").parse().expect("uuid");
    nine.book = common::ops::TillBook::default();
    let op = nine.book.op(customer("Nine", "09120009999"), &[], None, Utc::now());
    assert_eq!(nine.push(&[op]).await.push().acked_seq, 1);

    let files = w.server.backend.stored_bytes();
    let tokens = [&w.till_a.token, &w.owner_a.token, &w.till_b.token, &w.owner_b.token, &token];
    for t in tokens {
        let secret = t.strip_prefix("zgr_").expect("a zgr_ token");
        let raw = hex::decode(secret).expect("hex");
        for (path, bytes) in &files {
            assert!(!contains(bytes, t.as_bytes()), "a token is in {path}");
            assert!(!contains(bytes, secret.as_bytes()), "a token's hex is in {path}");
            assert!(!contains(bytes, secret.to_uppercase().as_bytes()), "a token's hex is in {path}");
            assert!(!contains(bytes, &raw), "a token's bytes are in {path}");
        }
    }
    let plain: String = code.chars().filter(char::is_ascii_alphanumeric).collect();
    for (path, bytes) in &files {
        assert!(!contains(bytes, code.as_bytes()), "the enrolment code is in {path}");
        assert!(!contains(bytes, plain.as_bytes()), "the enrolment code is in {path}");
    }
    // The check can fail: what the server does store is found.
    assert!(files.iter().any(|(_, b)| contains(b, w.till_a.device_id.to_string().as_bytes())));
    w.server.kill();
}

// ------------------------------------------------------------------ malformed input

/// A request of the malformed-input table.
enum Req {
    /// A push body sent as JSON.
    Json(Value),
    /// A push body as bytes, with the content type and encoding given.
    Raw { body: Vec<u8>, content_type: Option<&'static str>, encoding: Option<&'static str> },
    /// A JSON push body written over a plain socket with its Content-Length
    /// (see `post_over_socket`).
    Socket(Vec<u8>),
    /// A GET of this path.
    Get(String),
}

/// POSTs `body` as JSON over a plain socket, with its Content-Length,
/// writing on one thread and reading on this one: an answer the server
/// gives before it has read the whole body is seen even when the server
/// then closes the connection, which an HTTP client that first writes the
/// whole body reports as a failed send. `Err` when no answer came.
fn post_over_socket(base: &str, path: &str, token: &str, body: Vec<u8>) -> Result<Reply, String> {
    use std::io::Read as _;
    use std::net::{Shutdown, TcpStream};
    let addr = base.strip_prefix("http://").ok_or("not an http:// base")?.to_owned();
    let stream = TcpStream::connect(&addr).map_err(|e| format!("connect: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
    stream.set_write_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let writing = std::thread::spawn(move || {
        if writer.write_all(head.as_bytes()).is_err() {
            return;
        }
        for chunk in body.chunks(64 * 1024) {
            if writer.write_all(chunk).is_err() {
                return;
            }
        }
    });
    let mut reader = stream;
    let mut answer = Vec::new();
    let mut buf = [0u8; 8192];
    // Ends at the end of the answer, EOF, an error, the read timeout, or 1 MiB.
    while answer.len() < 1024 * 1024 {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                if parse_answer(&answer).is_some() {
                    break;
                }
            }
        }
    }
    let _ = reader.shutdown(Shutdown::Both);
    let _ = writing.join();
    parse_answer(&answer).ok_or_else(|| format!("no complete answer: {:?}", String::from_utf8_lossy(&answer)))
}

/// A complete HTTP/1.1 answer (with a Content-Length) in `bytes`, skipping a `100 Continue`.
fn parse_answer(mut bytes: &[u8]) -> Option<Reply> {
    loop {
        let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = std::str::from_utf8(&bytes[..end]).ok()?;
        let mut lines = head.split("\r\n");
        let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
        if status == 100 {
            bytes = &bytes[end + 4..];
            continue;
        }
        let mut headers = reqwest::header::HeaderMap::new();
        for line in lines {
            let (name, value) = line.split_once(':')?;
            let name = reqwest::header::HeaderName::from_bytes(name.trim().as_bytes()).ok()?;
            headers.append(name, reqwest::header::HeaderValue::from_str(value.trim()).ok()?);
        }
        let length: usize = headers.get("content-length")?.to_str().ok()?.parse().ok()?;
        let body = bytes.get(end + 4..end + 4 + length)?.to_vec();
        return Some(Reply { status, headers, body });
    }
}

struct Case {
    name: &'static str,
    req: Req,
    status: u16,
    code: &'static str,
}

impl Case {
    fn new(name: &'static str, req: Req, status: u16, code: &'static str) -> Case {
        Case { name, req, status, code }
    }

    /// Refused as malformed: 422 with the code `malformed`.
    fn malformed(name: &'static str, req: Req) -> Case {
        Case::new(name, req, 422, "malformed")
    }
}

async fn answer(req: reqwest::RequestBuilder) -> Result<Reply, String> {
    match req.send().await {
        Ok(res) => Ok(read(res).await),
        Err(e) => Err(e.to_string()),
    }
}

fn with(base: &Value, pointer: &str, value: Value) -> Value {
    let mut v = base.clone();
    *v.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer} in the push")) = value;
    v
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

fn many_customers(device_id: Uuid, n: u64) -> Value {
    let ops: Vec<Value> = (1..=n)
        .map(|seq| {
            json!({
                "op_id": Uuid::now_v7(), "seq": seq, "entity_id": Uuid::now_v7(), "device_time": "2025-03-21T10:00:00Z",
                "kind": "customer.upsert", "payload": { "customer_id": Uuid::now_v7(), "name": format!("c{seq}") }
            })
        })
        .collect();
    json!({ "device_id": device_id, "app_version": "test", "schema_version": 1, "ops": ops })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_input_gets_its_status_and_a_json_error_and_changes_nothing() {
    let mut server = Server::start();
    let (_, [mut till, owner]) = server.shop_with(SHOP_A, [("counter 1", "till"), ("owner", "owner")]).await;
    let (items, price) = till.pull_priced().await;
    let first = till.sale(&items[0..1], &price);
    assert_eq!(till.push(&[first]).await.push().results[0].status, OpStatus::Applied);

    // The next op, valid: each case breaks one thing of it.
    let good = till.sale(&items[1..2], &price);
    let base = push_body(&till, vec![good]);
    let line = "/ops/0/payload/lines/0";
    let total = base.pointer(&format!("{line}/total")).and_then(Value::as_str).expect("total").to_owned();
    let big_app_version = |n: usize| {
        let mut v = base.clone();
        v["app_version"] = json!("a".repeat(n));
        serde_json::to_vec(&v).expect("json")
    };
    let fifty_mb = big_app_version(50 * 1024 * 1024);
    let inflates = gzip(&big_app_version(3 * 1024 * 1024));
    assert!(inflates.len() < 100_000, "the gzip body is small on the wire: {}", inflates.len());
    let json_ct = Some("application/json");
    let raw = |body: &[u8], content_type, encoding| Req::Raw { body: body.to_vec(), content_type, encoding };
    let mut seq_zero = base.clone();
    seq_zero["ops"][0]["seq"] = json!(0);
    let mut no_ops = base.clone();
    no_ops.as_object_mut().expect("object").remove("ops");
    let body = serde_json::to_vec(&base).expect("json");
    let set = |pointer: &str, value: Value| Req::Json(with(&base, pointer, value));
    let get = |path: &str| Req::Get(path.to_owned());

    let cases = vec![
        Case::malformed("truncated JSON", raw(b"{\"device_id\": ", json_ct, None)),
        Case::malformed("an empty body", raw(b"", json_ct, None)),
        Case::malformed("JSON null", raw(b"null", json_ct, None)),
        Case::malformed("trailing garbage", raw(&[body.as_slice(), b"}}"].concat(), json_ct, None)),
        Case::malformed("not UTF-8", raw(b"{\"device_id\": \"\xff\xfe\"}", json_ct, None)),
        Case::malformed("weight 5.2 as a JSON number", set(&format!("{line}/weight"), json!(5.2))),
        Case::malformed(
            "the 18k price as a JSON number",
            set("/ops/0/payload/gold_price/per_gram_18k", json!(80000000)),
        ),
        Case::malformed("seq as a string", set("/ops/0/seq", json!("2"))),
        Case::malformed("device_id not a UUID", set("/device_id", json!("till-1"))),
        Case::malformed("ops missing", Req::Json(no_ops)),
        Case::malformed("an unknown op kind", set("/ops/0/kind", json!("sale.delete"))),
        Case::new("no content type", raw(&body, None, None), 415, "unsupported_media_type"),
        Case::new("content type text/plain", raw(&body, Some("text/plain"), None), 415, "unsupported_media_type"),
        Case::new("a 50 MB body", Req::Socket(fifty_mb), 413, "too_large"),
        Case::new("gzip that inflates past 2 MiB", raw(&inflates, json_ct, Some("gzip")), 413, "too_large"),
        Case::malformed("a body claiming gzip that is not", raw(&body, json_ct, Some("gzip"))),
        Case::malformed("a negative weight", set(&format!("{line}/weight"), json!("-5.901"))),
        Case::malformed("weight 0", set(&format!("{line}/weight"), json!("0"))),
        Case::malformed("a weight of 4 decimals", set(&format!("{line}/weight"), json!("5.9011"))),
        Case::malformed("purity 0", set(&format!("{line}/purity"), json!("0"))),
        Case::malformed("purity 1000.1", set(&format!("{line}/purity"), json!("1000.1"))),
        Case::malformed(
            "a fraction of a Rial in a line total",
            set(&format!("{line}/total"), json!(format!("{total}.5"))),
        ),
        Case::malformed(
            "a fraction of a Rial in the 18k price",
            set("/ops/0/payload/gold_price/per_gram_18k", json!("80000000.5")),
        ),
        Case::malformed("a negative payment", set("/ops/0/payload/payments/0/amount", json!(format!("-{total}")))),
        Case::malformed("a control character in a tag", set(&format!("{line}/tag"), json!("R-1\u{0}01"))),
        Case::malformed("seq 0", Req::Json(seq_zero)),
        Case::new("10,000 ops in one push", Req::Json(many_customers(till.device_id, 10_000)), 413, "too_large"),
        Case::new("501 ops in one push", Req::Json(many_customers(till.device_id, 501)), 413, "too_large"),
        Case::new("schema_version 2", set("/schema_version", json!(2)), 426, "schema_unsupported"),
        Case::malformed("pull limit 0", get("/api/v1/sync/pull?limit=0")),
        Case::malformed("pull limit 1001", get("/api/v1/sync/pull?limit=1001")),
        Case::malformed("pull limit -1", get("/api/v1/sync/pull?limit=-1")),
        Case::malformed("pull limit abc", get("/api/v1/sync/pull?limit=abc")),
        Case::malformed("a cursor this server never gave", get("/api/v1/sync/pull?cursor=zzz")),
        Case::new("a cursor past the log", get("/api/v1/sync/pull?cursor=v1.999999999"), 410, "cursor_reset"),
        Case::malformed("conflicts open=maybe", get("/api/v1/conflicts?open=maybe")),
        Case::malformed("export with no dates", get("/api/v1/export")),
        Case::malformed("export from garbage", get("/api/v1/export?from=yesterday&to=2100-01-01")),
        Case::malformed("export to before from", get("/api/v1/export?from=2025-01-02&to=2024-01-01")),
        Case::malformed("export as xml", get("/api/v1/export?from=2000-01-01&to=2100-01-01&format=xml")),
    ];

    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client");
    let url = format!("{}/api/v1/sync/push", server.base);
    let before = snapshot(&server);
    let mut failures = Vec::new();
    for case in &cases {
        let sent: Result<Reply, String> = match &case.req {
            Req::Json(v) => answer(http.post(&url).bearer_auth(&till.token).json(v)).await,
            Req::Raw { body, content_type, encoding } => {
                let mut r = http.post(&url).bearer_auth(&till.token).body(body.clone());
                if let Some(ct) = content_type {
                    r = r.header("content-type", *ct);
                }
                if let Some(enc) = encoding {
                    r = r.header("content-encoding", *enc);
                }
                answer(r).await
            }
            Req::Socket(body) => {
                let (base, token, body) = (server.base.clone(), till.token.clone(), body.clone());
                tokio::task::spawn_blocking(move || post_over_socket(&base, "/api/v1/sync/push", &token, body))
                    .await
                    .expect("the socket thread")
            }
            // Exports need the owner's device to get past the role check.
            Req::Get(path) => answer(http.get(format!("{}{path}", server.base)).bearer_auth(&owner.token)).await,
        };
        match sent {
            Ok(r) if r.status != case.status => {
                failures.push(format!("{}: expected {}, got {} {}", case.name, case.status, r.status, r.text()))
            }
            Ok(r) => match error_body(&r) {
                Ok((code, _)) if code == case.code => {}
                Ok((code, _)) => failures.push(format!("{}: code {code:?}, expected {:?}", case.name, case.code)),
                Err(e) => failures.push(format!("{}: {e}", case.name)),
            },
            // A server may answer 413 and close before reading a huge body;
            // that is only fine if it still serves (checked right below).
            Err(e) if case.status == 413 => {
                eprintln!("{}: no answer ({e}); checking the server still serves", case.name)
            }
            Err(e) => failures.push(format!("{}: no answer: {e}", case.name)),
        }
        let health = healthz(&server.base).await;
        if health != 200 {
            failures.push(format!("{}: /healthz answered {health} afterwards", case.name));
            break;
        }
        let changed = changed_tables(&before, &snapshot(&server));
        if !changed.is_empty() {
            failures.push(format!("{}: the database changed: {changed:?}", case.name));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases went wrong:\n{}", failures.len(), cases.len(), failures.join("\n"));

    // The valid op still goes through, and the snapshot sees that.
    let r = read(http.post(&url).bearer_auth(&till.token).json(&base).send().await.expect("push")).await;
    assert_eq!(r.push().results[0].status, OpStatus::Applied);
    assert!(changed_tables(&before, &snapshot(&server)).contains(&"sales".to_owned()));
    server.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_the_framework_answers_are_json_too() {
    let mut server = Server::start();
    let shop = server.shop(SHOP_A);
    let till = server.till(&shop, "counter 1", "till").await;
    let http = reqwest::Client::new();
    let base = server.base.clone();
    let body = serde_json::to_vec(&push_body(&till, vec![])).expect("json");
    let mut failures = Vec::new();
    let answers = [
        (
            "an unknown path",
            read(http.get(format!("{base}/api/v1/nothing")).bearer_auth(&till.token).send().await.expect("get")).await,
            404,
        ),
        (
            "GET on push",
            read(http.get(format!("{base}/api/v1/sync/push")).bearer_auth(&till.token).send().await.expect("get"))
                .await,
            405,
        ),
        (
            "an encoding the server does not speak (br)",
            read(
                http.post(format!("{base}/api/v1/sync/push"))
                    .bearer_auth(&till.token)
                    .header("content-type", "application/json")
                    .header("content-encoding", "br")
                    .body(body.clone())
                    .send()
                    .await
                    .expect("post"),
            )
            .await,
            415,
        ),
    ];
    for (what, r, status) in answers {
        if r.status != status {
            failures.push(format!("{what}: expected {status}, got {}", r.status));
        } else if let Err(e) = error_body(&r) {
            failures.push(format!("{what}: {status} without a JSON error body: {e}"));
        }
    }
    assert_eq!(healthz(&base).await, 200);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    server.kill();
}

// ------------------------------------------------------------------ rate limit

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_that_floods_gets_429_with_retry_after_and_others_are_served() {
    let mut server = Server::start();
    let shop = server.shop(SHOP_A);
    server.kill();
    let limited = server.another_process(&["--rate-per-second", "1", "--rate-burst", "2"]);
    server.base = limited.base.clone();
    let flooder = server.till(&shop, "counter 1", "till").await;
    let other = server.till(&shop, "counter 2", "till").await;

    let mut limited_reply = None;
    let mut served = 0;
    for _ in 0..20 {
        let r = flooder.get("/api/v1/sync/status").await;
        if r.status == 429 {
            limited_reply = Some(r);
            break;
        }
        assert_eq!(r.status, 200, "{}", r.text());
        served += 1;
    }
    let r = limited_reply.expect("20 requests at once, and never a 429");
    assert!(served >= 2, "the burst of 2 was not served: {served}");
    assert_error(&r, 429, "rate_limited", "a flood");
    let retry: u64 = r
        .headers
        .get("retry-after")
        .expect("a Retry-After header")
        .to_str()
        .expect("ASCII")
        .parse()
        .expect("Retry-After in whole seconds");
    assert!(retry >= 1, "Retry-After {retry}");
    assert_eq!(r.json()["retry_after_seconds"], json!(retry), "the body says what the header says");

    // Another device of the same shop has its own allowance.
    let r = other.get("/api/v1/sync/status").await;
    assert_eq!(r.status, 200, "{}", r.text());
    // Waiting as told is enough.
    tokio::time::sleep(Duration::from_secs(retry) + Duration::from_millis(100)).await;
    let r = flooder.get("/api/v1/sync/status").await;
    assert_eq!(r.status, 200, "after Retry-After: {}", r.text());
    drop(limited);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolment_guesses_are_limited_per_client_address() {
    let server = Server::start();
    let limited = server.another_process(&["--enrol-per-second", "1"]);
    let guess = |from: [u8; 4]| {
        let http = reqwest::Client::builder().local_address(std::net::IpAddr::from(from)).build().expect("client");
        let url = format!("{}/api/v1/devices/enroll", limited.base);
        async move {
            let body = json!({ "code": "WRONG-GUESS", "device_id": Uuid::now_v7(), "name": "guesser" });
            read(http.post(url).json(&body).send().await.expect("enrol")).await
        }
    };
    // One address guesses until it is slowed down; each guess before is refused as a guess.
    let mut refused = None;
    for _ in 0..20 {
        let r = guess([127, 0, 0, 1]).await;
        if r.status == 429 {
            refused = Some(r);
            break;
        }
        assert_error(&r, 401, "enrol_code_invalid", "a wrong code");
    }
    let r = refused.expect("twenty guesses from one address and never a 429");
    assert_error(&r, 429, "rate_limited", "guessing codes");
    assert!(r.headers.contains_key("retry-after"));
    // Another address is not held back by it.
    assert_error(&guess([127, 0, 0, 2]).await, 401, "enrol_code_invalid", "another address");
    let metrics = read(reqwest::get(format!("{}/metrics", limited.base)).await.expect("metrics")).await.text();
    assert!(metrics.lines().any(|l| l.starts_with("zargar_rate_limited_total ") && !l.ends_with(" 0")), "{metrics}");
}

// ------------------------------------------------------------------ row-level security

/// With the test hook that drops the tenant filter from the conflicts read
/// (`ZARGAR_TEST_DROP_TENANT_FILTER`), another shop's conflicts are one bad
/// query away. On PostgreSQL, row-level security still hides them; on SQLite,
/// which has no such wall, the same request shows them, which proves that
/// the hook took effect.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row_level_security_hides_another_shop_when_a_query_forgets_the_tenant() {
    if !cfg!(feature = "test-hooks") {
        eprintln!("skipped: built without the test-hooks feature (--features zargar-server/test-hooks)");
        return;
    }
    let mut server = Server::start_with_env(&[], &[("ZARGAR_TEST_DROP_TENANT_FILTER", "1")]);
    let mut owners = Vec::new();
    let mut conflicted = Vec::new();
    for name in [SHOP_A, SHOP_B] {
        let (_, [mut till, owner]) = server.shop_with(name, [("counter", "till"), ("owner", "owner")]).await;
        owners.push(owner);
        let (items, price) = till.pull_priced().await;
        let first = till.sale(&items[0..1], &price);
        let again = till.sale(&items[0..1], &price);
        let r = till.push(&[first, again.clone()]).await.push();
        let statuses: Vec<_> = r.results.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [OpStatus::Applied, OpStatus::Conflict], "{name}: {r:?}");
        conflicted.push(json!(again.op_id));
    }
    for (i, owner) in owners.iter().enumerate() {
        let (own, other) = (&conflicted[i], &conflicted[1 - i]);
        let r = owner.get("/api/v1/conflicts?open=false").await;
        assert_eq!(r.status, 200, "{}", r.text());
        let seen: Vec<Value> =
            r.json()["conflicts"].as_array().expect("conflicts").iter().map(|c| c["op_id"].clone()).collect();
        assert!(seen.contains(own), "shop {i} misses its own conflict: {}", r.text());
        if server.backend.is_postgres() {
            assert!(!seen.contains(other), "row-level security let shop {i} see the other's conflict: {}", r.text());
        } else {
            assert!(seen.contains(other), "the hook did not drop the filter on SQLite: {}", r.text());
        }
    }
    server.kill();
}

/// Runs `sql` as the server's role, in a transaction with `tenant` set as
/// the server sets it, or none; the last line it printed (the answer of its
/// last statement; empty for none), or psql's error.
fn as_app(db: &common::backend::PgDatabase, tenant: Option<Uuid>, sql: &str) -> Result<String, String> {
    let script = match tenant {
        Some(t) => format!("BEGIN; SELECT set_config('zargar.tenant', '{t}', true); {sql}; COMMIT;"),
        None => format!("{sql};"),
    };
    let out = db.psql_as_app(&script)?;
    let mut lines = out.lines();
    if let Some(t) = tenant {
        // set_config's own answer comes first.
        assert_eq!(lines.next(), Some(t.to_string().as_str()), "{out:?}");
    }
    Ok(lines.rfind(|l| !l.is_empty()).unwrap_or_default().to_owned())
}

/// The server's own role (`zargar_app`), by hand with psql, as someone who
/// got hold of its password, or a query the server got wrong, would use it:
/// without a shop set it sees no row; with one, that shop's rows only; it
/// cannot turn row-level security off, move a row to another shop, forge
/// another shop's audit entry, disable the policies or delete the audit log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_own_role_sees_one_shop_at_a_time_and_cannot_lift_the_wall() {
    if !common::on_postgres() {
        eprintln!("skipped: row-level security is PostgreSQL's (set ZARGAR_TEST_POSTGRES: scripts/test-postgres)");
        return;
    }
    let w = two_shops().await;
    let db = w.server.backend.postgres().expect("a PostgreSQL backend");
    let (a, b) = (w.shop_a.id, w.shop_b.id);
    let tables = ["sales", "sale_lines", "items", "devices", "changes", "audit", "conflicts", "op_results"];
    // What is really there, read as the superuser.
    let real = |table: &str, tenant: Uuid| -> u64 {
        db.psql(&format!("SELECT count(*) FROM {table} WHERE tenant_id = '{tenant}'")).trim().parse().expect("a count")
    };
    let count = |tenant: Option<Uuid>, sql: &str| -> u64 {
        let out = as_app(db, tenant, sql).unwrap_or_else(|e| panic!("as {}: {sql}: {e}", common::backend::APP_ROLE));
        out.parse().unwrap_or_else(|_| panic!("{sql}: not a count: {out:?}"))
    };
    for table in tables {
        let (in_a, in_b) = (real(table, a), real(table, b));
        // (Only A has a conflict.)
        assert!(in_a > 0 && (in_b > 0 || table == "conflicts"), "{table}: the shops' rows ({in_a}, {in_b})");
        // No shop set: nothing, not even with a filter that names one.
        assert_eq!(count(None, &format!("SELECT count(*) FROM {table}")), 0, "{table} without a tenant");
        assert_eq!(count(None, &format!("SELECT count(*) FROM {table} WHERE tenant_id = '{a}'")), 0, "{table}");
        // A set: A's rows, all of them, and none of B's even when asked for.
        assert_eq!(count(Some(a), &format!("SELECT count(*) FROM {table}")), in_a, "{table} as shop A");
        assert_eq!(count(Some(a), &format!("SELECT count(*) FROM {table} WHERE tenant_id = '{b}'")), 0, "{table}");
        assert_eq!(count(Some(b), &format!("SELECT count(*) FROM {table}")), in_b, "{table} as shop B");
    }
    assert_eq!(count(None, "SELECT count(*) FROM tenants"), 0, "the shops' list without a tenant");
    assert_eq!(count(Some(a), "SELECT count(*) FROM tenants"), 1, "the shops' list as shop A");

    // Turning the wall off is an error, not a way through.
    for tenant in [None, Some(a)] {
        let r = as_app(db, tenant, "SET row_security = off; SELECT count(*) FROM sales");
        let e = r.expect_err("row_security = off let a query through");
        assert!(e.contains("row-level security"), "{e}");
    }

    let sale_a = sale_id(&w.sale_a);
    let before = w.server.backend.snapshot();
    // Moving one of A's sales to B: the new row fails the policy's check.
    let moved = format!("UPDATE sales SET tenant_id = '{b}' WHERE id = '{sale_a}'");
    let e = as_app(db, Some(a), &moved).expect_err("a sale moved to another shop");
    assert!(e.contains("new row violates row-level security policy"), "{e}");
    // As B, or as nobody, A's sale is not there to move.
    assert_eq!(as_app(db, Some(b), &format!("{moved} RETURNING id")), Ok(String::new()));
    assert_eq!(as_app(db, None, &format!("{moved} RETURNING id")), Ok(String::new()));
    // Forging an audit entry in B's log while A is set.
    let forged = format!(
        "INSERT INTO audit (tenant_id, at, actor, action, subject, detail) \
         VALUES ('{b}', now(), 'intruder', 'price.set', 'x', '{{}}')"
    );
    let e = as_app(db, Some(a), &forged).expect_err("an audit entry forged in another shop");
    assert!(e.contains("new row violates row-level security policy"), "{e}");
    // The policies and the audit log are the owner's.
    for (sql, error) in [
        ("ALTER TABLE sales DISABLE ROW LEVEL SECURITY", "must be owner of table sales"),
        ("ALTER TABLE sales NO FORCE ROW LEVEL SECURITY", "must be owner of table sales"),
        ("DROP POLICY shop_wall ON audit", "must be owner of"),
        ("DELETE FROM audit", "permission denied for table audit"),
        ("UPDATE audit SET actor = 'nobody'", "permission denied for table audit"),
    ] {
        for tenant in [None, Some(a)] {
            let e = as_app(db, tenant, sql).expect_err(sql);
            assert!(e.contains(error), "{sql}: {e}");
        }
    }
    let after = w.server.backend.snapshot();
    assert!(changed_tables(&before, &after).is_empty(), "changed: {:?}", changed_tables(&before, &after));
    assert!(real("audit", a) > 0 && real("sales", a) > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_body_over_the_limit_is_refused_before_it_is_sent() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = Server::start();
    let (_, [till]) = server.shop_with("Zarrin", [("counter 1", "till")]).await;
    let addr = server.base.strip_prefix("http://").expect("http");
    let mut socket = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /api/v1/sync/push HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        till.token,
        50 * 1024 * 1024
    );
    socket.write_all(head.as_bytes()).await.expect("head");
    // Not a byte of the body is sent: the answer must come without it.
    let mut answer = vec![0; 4096];
    let n = tokio::time::timeout(Duration::from_secs(30), socket.read(&mut answer))
        .await
        .expect("answered without waiting for the body")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("too_large"), "{answer}");
}

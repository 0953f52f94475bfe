//! Random and hostile input against the real server process: whatever a
//! request carries, the answer is never a 5xx, never tells of a panic, and
//! the server goes on serving (and accepting valid pushes) afterwards.

mod common;

use std::cell::RefCell;
use std::str::FromStr;

use chrono::Utc;
use common::{Reply, Server, Till, read};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use uuid::Uuid;
use zargar_wire::{
    CustomerPayload, GoldPricePayload, ItemPayload, ItemStatus, JournalLink, Op, OpBody, OpStatus, PaymentMethod,
    PushResponse, Resolution, ResolvePayload, ReturnPayload, Wage,
};

/// Cases per property.
const CASES: u32 = 200;

// ------------------------------------------------------------------ checks

/// What every answer must be: an answer, below 500, with no panic in it,
/// and for a 4xx the JSON `{code, message}` the API promises.
async fn answered(what: &str, sent: Result<reqwest::Response, reqwest::Error>) -> Result<Reply, String> {
    let res = sent.map_err(|e| format!("{what}: no answer (did the server die?): {e}"))?;
    let r = read(res).await;
    if r.status >= 500 {
        return Err(format!("{what}: answered {} {}", r.status, clip(&r.text())));
    }
    if r.text().to_lowercase().contains("panicked") {
        return Err(format!("{what}: the answer tells of a panic: {}", clip(&r.text())));
    }
    if r.status >= 400 {
        let v: Value = serde_json::from_slice(&r.body)
            .map_err(|_| format!("{what}: {} without a JSON body: {:?}", r.status, clip(&r.text())))?;
        if !v["code"].is_string() || !v["message"].is_string() {
            return Err(format!("{what}: {} without code and message: {v}", r.status));
        }
    }
    Ok(r)
}

fn clip(s: &str) -> String {
    if s.chars().count() > 600 { format!("{}…", s.chars().take(600).collect::<String>()) } else { s.to_owned() }
}

/// Whether the server process is still running (not exited, not a zombie).
fn alive(server: &Server) -> bool {
    let Some(pid) = server.pid() else { return false };
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
    // "pid (comm) S …": the state follows the last ')'.
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.trim_start().chars().next())
        .is_some_and(|state| state != 'Z' && state != 'X')
}

async fn healthz(server: &Server) -> u16 {
    let http = reqwest::Client::new();
    match http.get(format!("{}/healthz", server.base)).send().await {
        Ok(r) => r.status().as_u16(),
        Err(_) => 0,
    }
}

fn run_property<S: Strategy>(
    name: &str,
    strategy: S,
    failures: &mut Vec<String>,
    test: impl Fn(S::Value) -> Result<(), String>,
) where
    S::Value: std::fmt::Debug,
{
    run_property_n(name, CASES, strategy, failures, test);
}

/// Runs `test` on `cases` values of `strategy`; a failure is written down
/// with the smallest input proptest shrank it to, and the next property runs.
fn run_property_n<S: Strategy>(
    name: &str,
    cases: u32,
    strategy: S,
    failures: &mut Vec<String>,
    test: impl Fn(S::Value) -> Result<(), String>,
) where
    S::Value: std::fmt::Debug,
{
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 100,
        max_shrink_time: 10_000,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    match runner.run(&strategy, |v| test(v).map_err(TestCaseError::fail)) {
        Ok(()) => {}
        Err(TestError::Fail(reason, value)) => {
            failures.push(format!("{name}: {reason}\n  minimal input: {}", clip(&format!("{value:?}"))))
        }
        Err(TestError::Abort(reason)) => failures.push(format!("{name}: aborted: {reason}")),
    }
}

// ------------------------------------------------------------------ JSON mutations

/// One change to a request: keep the type but change the value, put a
/// value of another type in its place, drop it, or wrap it in an array.
/// `usize` picks the place among all of them.
#[derive(Debug, Clone)]
enum Mutation {
    Tweak(usize, Tweak),
    Set(usize, Replacement),
    Drop(usize),
    Wrap(usize),
}

/// A value of the same JSON type as the one it replaces, mostly one a
/// parser takes: a string for a string (a decimal, an id, a time, a name),
/// a number for a number.
#[derive(Debug, Clone)]
struct Tweak {
    text: String,
    number: Value,
}

fn tweak() -> impl Strategy<Value = Tweak> {
    let decimals = prop_oneof![
        prop::sample::select(vec![
            "0",
            "-1",
            "-5.901",
            "0.001",
            "0.0001",
            "1",
            "1000",
            "1000.1",
            "999.9",
            "100",
            "100.01",
            "-0",
            "80000000.5",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "1e5",
            "5.9010",
            "05.901",
            "18446744073709551616",
        ])
        .prop_map(str::to_owned),
        (any::<i64>(), 0u32..=28).prop_map(|(m, scale)| Decimal::new(m, scale).to_string()),
        (any::<i32>(), 0u32..=3).prop_map(|(m, scale)| Decimal::new(i64::from(m), scale).to_string()),
    ];
    let words = prop::sample::select(vec![
        "sale.create",
        "sale.return",
        "customer.upsert",
        "item.upsert",
        "gold_price.set",
        "conflict.resolve",
        "percent",
        "per_gram",
        "cash",
        "card",
        "cheque",
        "sold",
        "in_stock",
        "sold_pending",
        "returned",
        "accept",
        "void",
        "resubmit",
        "retry",
        "R-101",
        "FZ-1",
        "",
    ])
    .prop_map(str::to_owned);
    let texts = prop_oneof![
        3 => decimals,
        1 => any::<u128>().prop_map(|n| Uuid::from_u128(n).to_string()),
        1 => Just(Uuid::nil().to_string()),
        1 => (-62_135_596_800i64..253_402_300_799).prop_map(|s| chrono::DateTime::from_timestamp(s, 0).map(|t| t.to_rfc3339()).unwrap_or_default()),
        1 => prop::sample::select(vec!["1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2025-03-20T20:30:00Z", "2025-03-20T20:29:59.999999Z"]).prop_map(str::to_owned),
        1 => "[0-9a-f]{64}",
        2 => words,
        1 => any::<String>(),
        1 => "\\PC{0,200}",
    ];
    let numbers = prop_oneof![
        prop::sample::select(vec![
            json!(u64::MAX),
            json!(1u64 << 63),
            json!(i64::MAX),
            json!(0),
            json!(1),
            json!(2),
            json!(-1),
            json!(i64::MIN)
        ]),
        any::<u64>().prop_map(|n| json!(n)),
        (0u64..10).prop_map(|n| json!(n)),
        prop::sample::select(vec![1e300, -1e300, 5.2, -0.0, 0.5]).prop_map(Value::from),
    ];
    (texts, numbers).prop_map(|(text, number)| Tweak { text, number })
}

#[derive(Debug, Clone)]
enum Replacement {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Text(String),
    /// One character, this many times.
    Long(char, usize),
    /// Arrays nested this deep.
    Deep(usize),
    EmptyArray,
    EmptyObject,
}

impl Replacement {
    fn value(&self) -> Value {
        match self {
            Replacement::Null => Value::Null,
            Replacement::Bool(b) => json!(b),
            Replacement::Int(i) => json!(i),
            Replacement::Uint(u) => json!(u),
            Replacement::Float(f) => Value::from(*f),
            Replacement::Text(s) => json!(s),
            Replacement::Long(c, n) => json!(std::iter::repeat_n(*c, *n).collect::<String>()),
            Replacement::Deep(n) => {
                let text = format!("{}{}", "[".repeat(*n), "]".repeat(*n));
                // serde_json stops at 128 levels: deeper goes as the raw text.
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            }
            Replacement::EmptyArray => json!([]),
            Replacement::EmptyObject => json!({}),
        }
    }
}

fn replacement() -> impl Strategy<Value = Replacement> {
    let texts = prop_oneof![
        Just("79228162514264337593543950335".to_owned()),
        Just("-79228162514264337593543950335".to_owned()),
        Just("79228162514264337593543950336".to_owned()),
        Just("0.0000000000000000000000000001".to_owned()),
        Just("1e28".to_owned()),
        Just("-0".to_owned()),
        Just("NaN".to_owned()),
        Just("".to_owned()),
        Just(" ".to_owned()),
        Just("۵.۲".to_owned()),
        Just("5,2".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("00000000-0000-0000-0000-000000000000".to_owned()),
        Just("1970-01-01T00:00:00Z".to_owned()),
        Just("9999-12-31T23:59:59.999999999Z".to_owned()),
        Just("sale.create".to_owned()),
        Just("percent".to_owned()),
        Just("per_gram".to_owned()),
        Just("\u{202e}\u{200b}\u{0}\u{7f}".to_owned()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| format!("{n}.{}", n.unsigned_abs() % 1000)),
        any::<String>(),
        "\\PC{0,60}",
    ];
    prop_oneof![
        Just(Replacement::Null),
        any::<bool>().prop_map(Replacement::Bool),
        any::<i64>().prop_map(Replacement::Int),
        prop_oneof![Just(u64::MAX), Just(1u64 << 63), Just((1u64 << 63) - 1), Just(0u64), Just(1u64), any::<u64>()]
            .prop_map(Replacement::Uint),
        prop_oneof![Just(1e300), Just(-1e300), Just(5.2), Just(-0.0), Just(f64::MIN_POSITIVE), any::<f64>()]
            .prop_map(Replacement::Float),
        texts.prop_map(Replacement::Text),
        (prop_oneof![Just('a'), Just('۱'), Just('😀'), Just('\u{202e}')], 201usize..300_000)
            .prop_map(|(c, n)| Replacement::Long(c, n)),
        (1usize..400).prop_map(Replacement::Deep),
        Just(Replacement::EmptyArray),
        Just(Replacement::EmptyObject),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => (any::<usize>(), tweak()).prop_map(|(i, t)| Mutation::Tweak(i, t)),
        2 => (any::<usize>(), replacement()).prop_map(|(i, r)| Mutation::Set(i, r)),
        2 => any::<usize>().prop_map(Mutation::Drop),
        1 => any::<usize>().prop_map(Mutation::Wrap),
    ]
}

/// Every JSON pointer in `v`, the root ("") first.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                pointers(child, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Applies `m` to `v` and says what it did, for the failure message.
fn mutate(v: &mut Value, m: &Mutation) -> String {
    let mut all = Vec::new();
    pointers(v, String::new(), &mut all);
    let pick = |i: usize| all[i % all.len()].clone();
    let shown = |v: &Value| clip(&v.to_string()).chars().take(80).collect::<String>();
    match m {
        Mutation::Drop(i) => {
            let p = pick(*i);
            let Some((parent, last)) = p.rsplit_once('/') else { return "drop nothing".into() };
            let key = last.replace("~1", "/").replace("~0", "~");
            match v.pointer_mut(parent) {
                Some(Value::Object(o)) => {
                    o.remove(&key);
                }
                Some(Value::Array(a)) => {
                    if let Ok(i) = key.parse::<usize>()
                        && i < a.len()
                    {
                        a.remove(i);
                    }
                }
                _ => {}
            }
            format!("drop {p}")
        }
        Mutation::Tweak(i, t) => {
            let p = pick(*i);
            let Some(slot) = v.pointer_mut(&p) else { return "tweak nothing".into() };
            match slot {
                Value::String(s) => *s = t.text.clone(),
                Value::Number(_) => *slot = t.number.clone(),
                Value::Bool(b) => *b = !*b,
                Value::Array(a) => {
                    if let Some(first) = a.first().cloned() {
                        a.push(first);
                    }
                }
                Value::Object(_) | Value::Null => {}
            }
            format!("{p} = {}", shown(slot))
        }
        Mutation::Set(i, r) => {
            let p = pick(*i);
            let Some(slot) = v.pointer_mut(&p) else { return "set nothing".into() };
            *slot = r.value();
            format!("{p} = {}", shown(slot))
        }
        Mutation::Wrap(i) => {
            let p = pick(*i);
            let Some(slot) = v.pointer_mut(&p) else { return "wrap nothing".into() };
            let inner = slot.take();
            *slot = json!([inner.clone(), inner]);
            format!("wrap {p}")
        }
    }
}

// ------------------------------------------------------------------ the shop under fuzz

/// What the fuzzing till knows between cases: its book (seq, journal), and
/// what the server holds that ops can refer to.
struct Fuzzed {
    shop: common::Shop,
    till: Till,
    owner: Till,
    items: Vec<ItemPayload>,
    price: GoldPricePayload,
    /// An applied sale of `items[0..2]` and the total of its second line.
    sold: (Uuid, Decimal),
    conflict_op: Uuid,
    counter: u64,
}

impl Fuzzed {
    async fn new(server: &Server) -> Fuzzed {
        let (shop, [mut till, owner]) =
            server.shop_with("Fuzz Gallery", [("fuzz counter", "till"), ("fuzz owner", "owner")]).await;
        let (items, price) = till.pull_priced().await;
        let sale = till.sale(&items[0..2], &price);
        let again = till.sale(&items[0..1], &price);
        let r = till.push(&[sale.clone(), again.clone()]).await.push();
        assert_eq!(r.results.iter().map(|r| r.status).collect::<Vec<_>>(), [OpStatus::Applied, OpStatus::Conflict]);
        let OpBody::SaleCreate(s) = &sale.body else { unreachable!("a sale") };
        let sold = (s.sale_id, s.lines[1].total);
        Fuzzed { shop, till, owner, items, price, sold, conflict_op: again.op_id, counter: 0 }
    }

    /// A valid push of one kind (or two ops for kind 6), from the next seq.
    fn base(&mut self, kind: u8) -> Value {
        self.counter += 1;
        let n = self.counter;
        let now = Utc::now();
        let book = &mut self.till.book;
        let ops: Vec<Op> = match kind % 7 {
            0 => vec![book.sale(&self.items[0..2], self.price.price_id, self.price.per_gram_18k, now)],
            1 => {
                let journal = book.next_link(&format!("return {n}"));
                let ret = ReturnPayload {
                    return_id: Uuid::now_v7(),
                    sale_id: self.sold.0,
                    return_no: n,
                    returned_at: now,
                    item_ids: vec![self.items[1].item_id],
                    refund: self.sold.1,
                    refund_method: PaymentMethod::Cash,
                    refunds: Vec::new(),
                    exchange_sale_id: None,
                    reason: Some("too small".into()),
                    journal,
                };
                vec![book.op(OpBody::SaleReturn(ret), &self.items[1..2], None, now)]
            }
            2 => vec![book.op(customer(n), &[], None, now)],
            3 => {
                let item = ItemPayload {
                    item_id: Uuid::now_v7(),
                    tag: format!("FZ-{n}"),
                    barcode: Some(format!("626{n:010}")),
                    name: "انگشتر".into(),
                    category: Some("ring".into()),
                    weight: common::dec("3.141"),
                    purity: common::dec("750"),
                    wage_rate: Wage::PerGram(common::dec("1500000")),
                    stones: Decimal::ZERO,
                    status: ItemStatus::InStock,
                    sold_by: None,
                };
                vec![book.op(OpBody::ItemUpsert(item), &[], None, now)]
            }
            4 => {
                let p = GoldPricePayload {
                    price_id: Uuid::now_v7(),
                    per_gram_18k: common::dec("81000000"),
                    mazaneh: Some(common::dec("351000000")),
                    set_at: now,
                    scope: zargar_wire::PriceScope::Till,
                    set_by: None,
                    set_at_till: None,
                };
                vec![book.op(OpBody::GoldPriceSet(p), &[], Some(self.price.price_id), now)]
            }
            5 => {
                let r = ResolvePayload {
                    conflict_op_id: self.conflict_op,
                    resolution: Resolution::Accept,
                    resolved_by: "owner".into(),
                    reason: Some("the customer paid".into()),
                    replacement: None,
                    due_change: None,
                };
                vec![book.op(OpBody::ConflictResolve(r), &[], None, now)]
            }
            _ => vec![
                book.op(customer(n), &[], None, now),
                book.sale(&self.items[2..3], self.price.price_id, self.price.per_gram_18k, now),
            ],
        };
        serde_json::to_value(self.till.push_request(ops)).expect("push request as JSON")
    }

    /// Brings the book in line with what the server answered to `sent`: the
    /// seq it holds, and the journal entry it saw last.
    fn learn(&mut self, sent: &Value, reply: &Reply, before: &common::ops::TillBook) {
        self.till.book = before.clone();
        if reply.status == 409
            && let Some(expected) =
                serde_json::from_slice::<Value>(&reply.body).ok().and_then(|v| v["expected_seq"].as_u64())
        {
            self.till.book.seq = expected.saturating_sub(1);
            return;
        }
        if reply.status != 200 {
            return;
        }
        let Ok(r) = serde_json::from_slice::<PushResponse>(&reply.body) else { return };
        self.till.book.seq = r.acked_seq;
        for result in r.results.iter().filter(|r| r.status != OpStatus::Duplicate) {
            let op = sent["ops"].as_array().and_then(|ops| ops.iter().find(|o| o["op_id"] == json!(result.op_id)));
            if let Some(op) = op
                && (op["kind"] == "sale.create" || op["kind"] == "sale.return")
                && let Ok(link) = serde_json::from_value::<JournalLink>(op["payload"]["journal"].clone())
            {
                self.till.book.journal = Some(link);
            }
        }
    }
}

fn customer(n: u64) -> OpBody {
    OpBody::CustomerUpsert(CustomerPayload {
        customer_id: Uuid::now_v7(),
        name: format!("مشتری {n}"),
        mobile: Some(format!("0912{n:07}")),
        national_id: None,
        economic_code: None,
        postal_code: None,
        credit_limit: Decimal::ZERO,
    })
}

fn encode_query_bytes(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"=&.-_~".contains(b) {
                char::from(*b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn form(s: &str) -> String {
    encode_query_bytes(s.as_bytes()).replace('&', "%26").replace('=', "%3D")
}

// ------------------------------------------------------------------ properties

#[test]
fn random_requests_never_get_a_5xx_and_the_server_stays_up() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let mut server = Server::start();
    let shop = RefCell::new(rt.block_on(Fuzzed::new(&server)));
    // A till that takes no part in the fuzzing, for the check at the end.
    let spare = rt.block_on(server.till(&shop.borrow().shop, "spare", "till"));
    let push_url = format!("{}/api/v1/sync/push", server.base);
    let mut failures = Vec::new();

    // 1. Random bytes as the push body, some claiming to be gzip, some
    //    starting like a real push.
    let (device_id, token, http) = {
        let s = shop.borrow();
        (s.till.device_id, s.till.token.clone(), s.till.http.clone())
    };
    let prefix = format!("{{\"device_id\":\"{device_id}\",\"app_version\":\"x\",\"schema_version\":1,\"ops\":[");
    let bodies = (prop::collection::vec(any::<u8>(), 0..2048), any::<bool>(), any::<bool>());
    run_property("random bytes as the push body", bodies, &mut failures, |(bytes, gzip, like_push)| {
        let body = if like_push { [prefix.as_bytes(), &bytes].concat() } else { bytes };
        rt.block_on(async {
            let mut req =
                http.post(&push_url).bearer_auth(&token).header("content-type", "application/json").body(body);
            if gzip {
                req = req.header("content-encoding", "gzip");
            }
            let r = answered("push of random bytes", req.send().await).await?;
            if r.status == 200 {
                Err(format!("random bytes were accepted as a push: {}", clip(&r.text())))
            } else {
                Ok(())
            }
        })
    });

    // 2. Random query strings for pull, conflicts and export.
    let owner_token = shop.borrow().owner.token.clone();
    let param = prop_oneof![
        any::<String>(),
        "v1\\.[0-9]{0,25}",
        any::<u64>().prop_map(|n| format!("v1.{n}")),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u32>().prop_map(|n| n.to_string()),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        Just("true".to_owned()),
        Just("json".to_owned()),
    ];
    let queries = (
        0u8..4,
        prop::option::of(param.clone()),
        prop::option::of(param.clone()),
        prop::option::of(param),
        prop::collection::vec(any::<u8>(), 0..64),
    );
    run_property("random query strings", queries, &mut failures, |(endpoint, a, b, c, raw)| {
        let (path, names) = match endpoint {
            0 => ("/api/v1/sync/pull", ["cursor", "limit", "cursor"]),
            1 => ("/api/v1/conflicts", ["open", "open", "x"]),
            2 => ("/api/v1/export", ["from", "to", "format"]),
            _ => ("/api/v1/sync/pull", ["limit", "limit", "cursor"]),
        };
        let mut query: Vec<String> =
            [a, b, c].iter().zip(names).filter_map(|(v, n)| v.as_ref().map(|v| format!("{n}={}", form(v)))).collect();
        if !raw.is_empty() {
            query.push(encode_query_bytes(&raw));
        }
        let url = format!("{}{path}?{}", server.base, query.join("&"));
        rt.block_on(async {
            answered(&format!("GET {path}?{}", query.join("&")), http.get(&url).bearer_auth(&owner_token).send().await)
                .await
                .map(|_| ())
        })
    });

    // 3. Real pushes of every kind, mutated: fields dropped, types changed,
    //    huge and negative numbers, long and odd strings.
    let pushes = (0u8..7, prop::collection::vec(mutation(), 0..4));
    let seen = RefCell::new(std::collections::BTreeMap::<u16, u32>::new());
    run_property_n("mutated pushes", 3 * CASES, pushes, &mut failures, |(kind, mutations)| {
        let mut s = shop.borrow_mut();
        let before = s.till.book.clone();
        let mut body = s.base(kind);
        let done: Vec<String> = mutations.iter().map(|m| mutate(&mut body, m)).collect();
        let bytes = serde_json::to_vec(&body).expect("json");
        let reply = rt.block_on(async {
            let sent = http
                .post(&push_url)
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body(bytes)
                .send()
                .await;
            answered(&format!("a push of kind {} with [{}]", kind % 7, done.join("; ")), sent).await
        })?;
        *seen.borrow_mut().entry(reply.status).or_default() += 1;
        s.learn(&body, &reply, &before);
        Ok(())
    });
    // The mutations reached the database (some pushes were taken) and the
    // checks (some were refused): the property did not only test the parser.
    let seen = seen.into_inner();
    eprintln!("mutated pushes answered (status: count): {seen:?}");
    if failures.is_empty() {
        assert!(seen.get(&200).is_some_and(|n| *n >= 5), "too few mutated pushes were taken: {seen:?}");
        assert!(seen.get(&422).is_some_and(|n| *n >= 5), "too few mutated pushes were refused: {seen:?}");
    }

    let mut s = shop.into_inner();
    rt.block_on(async {
        assert!(alive(&server), "the server process has exited");
        assert_eq!(healthz(&server).await, 200, "/healthz after the fuzzing");
        // Valid pushes still work: the fuzzing till's own next op (from the
        // seq the server holds), and a sale by a till that took no part.
        let status = s.till.get("/api/v1/sync/status").await;
        s.till.book.seq = status.json()["acked_seq"].as_u64().expect("acked_seq");
        let op = s.till.book.op(customer(999_999), &[], None, Utc::now());
        let r = s.till.push(&[op]).await;
        assert_eq!(r.push().results[0].status, OpStatus::Applied, "the fuzzing till's next op");
        let (items, _) = spare.pull_all().await;
        let piece = items.iter().find(|i| i.tag == s.items[10].tag).expect("a piece no fuzz case sells").clone();
        assert_eq!(piece.status, ItemStatus::InStock);
        let mut spare = spare.clone();
        let op = spare.sale(&[piece], &s.price);
        let r = spare.push(&[op]).await.push();
        assert_eq!(r.results[0].status, OpStatus::Applied, "a valid sale after the fuzzing: {r:?}");
    });
    assert!(alive(&server), "the server process has exited");
    server.kill();
    assert!(failures.is_empty(), "{} properties failed:\n{}", failures.len(), failures.join("\n\n"));
}

// ------------------------------------------------------------------ chosen hostile values

/// A fresh till of `shop`, with its book at zero.
async fn fresh_till(server: &Server, shop: &common::Shop, name: &str) -> Till {
    server.till(shop, name, "till").await
}

fn set(v: &mut Value, pointer: &str, value: Value) {
    *v.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) = value;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_too_big_for_the_database_or_the_arithmetic_never_get_a_5xx() {
    let mut server = Server::start();
    let shop = server.shop("Big Numbers");
    // A piece light enough that an absurd gold price still prices without overflow.
    let csv = server.dir.join("tiny.csv");
    std::fs::write(&csv, "tag,name,weight,purity,wage_percent,wage_per_gram,barcode,category,stones\nTINY-1,پلاک,0.1,750,18,,,pendant,0\n")
        .expect("csv");
    server.admin(&["item", "import", "--tenant", &shop.id.to_string(), csv.to_str().expect("path")]);
    let probe = fresh_till(&server, &shop, "probe").await;
    let (items, price) = probe.pull_priced().await;
    let http = reqwest::Client::new();
    let mut failures = Vec::new();

    // Each case: a fresh till, one push built by `make` from a valid sale.
    type Make = fn(&mut Value);
    let cases: Vec<(&str, usize, Option<&str>, Make)> = vec![
        ("invoice_no u64::MAX", 0, None, |v| set(v, "/ops/0/payload/invoice_no", json!(u64::MAX))),
        ("invoice_no 2^63", 1, None, |v| set(v, "/ops/0/payload/invoice_no", json!(1u64 << 63))),
        ("journal index u64::MAX", 2, None, |v| set(v, "/ops/0/payload/journal/index", json!(u64::MAX))),
        ("base item version u64::MAX", 3, None, |v| set(v, "/ops/0/base/items/0/version", json!(u64::MAX))),
        ("seq u64::MAX", 4, None, |v| set(v, "/ops/0/seq", json!(u64::MAX))),
        ("sold in the year 9999", 5, None, |v| set(v, "/ops/0/payload/sold_at", json!("9999-12-31T23:59:59Z"))),
        ("a consistent sale at 8e26 Rial a gram", 6, Some("800000000000000000000000000"), |_| {}),
    ];
    for (name, piece, per_gram, make) in cases {
        let mut till = fresh_till(&server, &shop, name).await;
        let tiny = items.iter().find(|i| i.tag == "TINY-1").expect("the tiny piece");
        let (piece, p18) = match per_gram {
            Some(p) => (tiny.clone(), Decimal::from_str(p).expect("price")),
            None => (items[piece].clone(), price.per_gram_18k),
        };
        let op = till.book.sale(&[piece], price.price_id, p18, Utc::now());
        let mut body = serde_json::to_value(till.push_request(vec![op])).expect("json");
        make(&mut body);
        let sent =
            http.post(format!("{}/api/v1/sync/push", server.base)).bearer_auth(&till.token).json(&body).send().await;
        match answered(name, sent).await {
            Ok(r) => {
                if r.status == 200 {
                    let p: PushResponse = serde_json::from_slice(&r.body).expect("a push response");
                    if p.results.len() != 1 {
                        failures.push(format!("{name}: {} results", p.results.len()));
                    }
                }
            }
            Err(e) => failures.push(e),
        }
        if healthz(&server).await != 200 || !alive(&server) {
            failures.push(format!("{name}: the server stopped serving"));
            break;
        }
        // The till that sent it can still sync, from the seq the server holds.
        let mut next = till.clone();
        next.book.seq = next.get("/api/v1/sync/status").await.json()["acked_seq"].as_u64().expect("acked_seq");
        let op = next.book.op(customer(1), &[], None, Utc::now());
        let r = next.push(&[op]).await;
        if r.status != 200 {
            failures.push(format!("{name}: the till's next push answered {} {}", r.status, clip(&r.text())));
        }
    }

    // Queries at the edges of their types.
    let owner = server.till(&shop, "owner", "owner").await;
    for path in [
        "/api/v1/sync/pull?cursor=v1.18446744073709551615",
        "/api/v1/sync/pull?cursor=v1.9223372036854775808",
        "/api/v1/sync/pull?cursor=v1.18446744073709551616",
        "/api/v1/sync/pull?cursor=v2.9223372036854775807.ffffffffffffffff",
        "/api/v1/sync/pull?cursor=v2.18446744073709551615.1",
        "/api/v1/sync/pull?cursor=v2.1.10000000000000000",
        "/api/v1/sync/pull?limit=4294967295",
        "/api/v1/sync/pull?limit=4294967296",
        "/api/v1/export?from=0001-01-01&to=9999-12-31",
        "/api/v1/export?from=-262143-01-01&to=262142-12-31",
        "/api/v1/export?from=2025-01-01&to=262143-12-31",
        "/api/v1/export?from=0000-01-01T00:00:00Z&to=9999-12-31T23:59:59%2B23:59",
    ] {
        let sent = http.get(format!("{}{path}", server.base)).bearer_auth(&owner.token).send().await;
        if let Err(e) = answered(path, sent).await {
            failures.push(e);
        }
    }
    assert!(alive(&server), "the server process has exited");
    assert_eq!(healthz(&server).await, 200);
    server.kill();
    assert!(failures.is_empty(), "{} cases went wrong:\n{}", failures.len(), failures.join("\n"));
}

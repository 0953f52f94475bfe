//! The day's price from a live feed, against the real server and a local
//! HTTP source on 127.0.0.1 that changes its price, fails, answers garbage
//! and jumps absurdly: a quote within the shop's bounds is stored as the
//! shop's price (set by "feed", audited) and every till pulls it with the
//! time it was set; anything else is ignored and the last price stays.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use common::{Server, Till};
use rust_decimal::Decimal;

/// A price source: answers every GET with what the test last set, and
/// counts the polls.
#[derive(Clone)]
struct Source {
    answer: Arc<Mutex<(StatusCode, String)>>,
    polls: Arc<AtomicUsize>,
}

impl Source {
    async fn start() -> (Source, String) {
        let source = Source {
            answer: Arc::new(Mutex::new((StatusCode::OK, String::new()))),
            polls: Arc::new(AtomicUsize::new(0)),
        };
        let s = source.clone();
        let app = axum::Router::new().fallback(move || {
            let s = s.clone();
            async move {
                s.polls.fetch_add(1, Ordering::SeqCst);
                let (status, body) = s.answer.lock().expect("answer").clone();
                (status, body).into_response()
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/api/gold", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        (source, url)
    }

    fn answer(&self, status: StatusCode, body: &str) {
        *self.answer.lock().expect("answer") = (status, body.to_owned());
    }

    /// Waits until the server has polled `n` more times (bounded).
    async fn polled(&self, n: usize) {
        let start = self.polls.load(Ordering::SeqCst);
        for _ in 0..300 {
            if self.polls.load(Ordering::SeqCst) >= start + n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not poll the feed {n} more times");
    }
}

/// The shop's price as a till pulls it: per gram of 18k, and who set it.
async fn shop_price(till: &Till) -> (Decimal, Option<String>, chrono::DateTime<chrono::Utc>) {
    let (_, price) = till.pull_all().await;
    let p = price.expect("a price");
    (p.per_gram_18k, p.set_by, p.set_at)
}

async fn price_becomes(till: &Till, want: i64) -> (Option<String>, chrono::DateTime<chrono::Utc>) {
    for _ in 0..300 {
        let (p, by, at) = shop_price(till).await;
        if p == Decimal::from(want) {
            return (by, at);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the shop's price never became {want}: {:?}", shop_price(till).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_price_is_stored_within_bounds_and_ignored_when_it_fails_lies_or_jumps() {
    let (source, url) = Source::start().await;
    source.answer(StatusCode::OK, r#"{"data": {"gold18": "۸۱٬۰۰۰٬۰۰۰", "updated": "now"}}"#);
    let mut server = Server::start();
    let (shop, [mut till]) = server.shop_with("Zarrin", [("counter A", "till")]).await;
    let config = server.dir.join("feed.toml");
    std::fs::write(
        &config,
        format!(
            "[[price_feed]]\ntenant = \"{}\"\nurl = \"{url}\"\npointer = \"/data/gold18\"\nquote = \"gram_18k\"\n\
             every_seconds = 1\nmax_change_percent = 5\nfloor = 50_000_000\nceiling = 150_000_000\n",
            shop.id
        ),
    )
    .expect("config");
    server.kill();
    server.spawn(&["--config", config.to_str().expect("path")]);
    till.base = server.base.clone();

    // A good quote: the shop's price, set by the feed, pulled with its time.
    let (by, at) = price_becomes(&till, 81_000_000).await;
    assert_eq!(by.as_deref(), Some("feed"));
    let age = chrono::Utc::now() - at;
    assert!(
        age >= chrono::Duration::zero() && age < chrono::Duration::minutes(5),
        "the till sees how old it is: {age}"
    );

    // The feed fails, answers garbage, quotes nothing, jumps past the step
    // or the ceiling: each polled twice, none stored.
    for (status, body) in [
        (StatusCode::INTERNAL_SERVER_ERROR, r#"{"data": {"gold18": 82000000}}"#),
        (StatusCode::OK, "<html>maintenance</html>"),
        (StatusCode::OK, r#"{"data": {"gold18": "به‌زودی"}}"#),
        (StatusCode::OK, r#"{"data": {}}"#),
        (StatusCode::OK, r#"{"data": {"gold18": 86000000}}"#),
        (StatusCode::OK, r#"{"data": {"gold18": 810000000}}"#),
    ] {
        source.answer(status, body);
        source.polled(2).await;
        assert_eq!(shop_price(&till).await.0, Decimal::from(81_000_000), "ignored: {status} {body}");
    }

    // A step within 5%: stored.
    source.answer(StatusCode::OK, r#"{"data": {"gold18": 83000000}}"#);
    price_becomes(&till, 83_000_000).await;

    // Each stored quote is in the audit log, by the feed; nothing else is.
    let audit = server.admin(&["audit", "--tenant", &shop.id.to_string()]);
    let by_feed: Vec<serde_json::Value> = audit
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|e| e["action"] == "gold_price.set" && e["actor"] == "feed")
        .collect();
    let prices: Vec<&str> = by_feed.iter().filter_map(|e| e["detail"]["per_gram_18k"].as_str()).collect();
    assert_eq!(prices, ["81000000", "83000000"], "{audit}");
    assert!(by_feed.iter().all(|e| e["detail"]["origin"] == "feed"));

    // The owner can always set it by hand, and the feed keeps to its step from there.
    server.admin(&["price", "set", "--tenant", &shop.id.to_string(), "90000000"]);
    price_becomes(&till, 90_000_000).await;
}

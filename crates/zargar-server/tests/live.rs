//! The change-notice stream (`GET /api/v1/sync/events`), against the real
//! server: who is told, who is not, and that a stream never holds up a
//! shutdown.

mod common;

use std::time::{Duration, Instant};

use common::{Server, Till};

/// An open event stream, read event by event.
struct Stream {
    res: reqwest::Response,
    partial: String,
}

impl Stream {
    async fn open(till: &Till) -> Stream {
        let res = till
            .http
            .get(format!("{}/api/v1/sync/events", till.base))
            .bearer_auth(&till.token)
            .send()
            .await
            .expect("events");
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "text/event-stream");
        assert_eq!(res.headers()["x-accel-buffering"], "no", "a proxy in front is asked not to buffer it");
        Stream { res, partial: String::new() }
    }

    /// The next event's name, or `None` when none comes within `wait` or
    /// the stream ends (a heartbeat comment is not an event).
    async fn next(&mut self, wait: Duration) -> Option<String> {
        let until = Instant::now() + wait;
        loop {
            if let Some(end) = self.partial.find("\n\n") {
                let block: String = self.partial.drain(..end + 2).collect();
                if let Some(name) = block.lines().find_map(|l| l.strip_prefix("event: ")) {
                    return Some(name.to_owned());
                }
                continue;
            }
            let left = until.checked_duration_since(Instant::now())?;
            // The stream's end (or a cut) is no event either.
            let chunk = tokio::time::timeout(left, self.res.chunk()).await.ok()?.ok()??;
            self.partial.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_tells_the_other_tills_of_its_shop_and_no_one_else() {
    let server = Server::start();
    let (shop, [mut seller, other, owner]) =
        server.shop_with("Zarrin", [("counter 1", "till"), ("counter 2", "till"), ("owner", "owner")]).await;
    let (_, [stranger]) = server.shop_with("Another shop", [("their till", "till")]).await;
    let pieces = server.stock(&shop, &seller, "LIVE", 2).await;
    let (_, price) = seller.pull_priced().await;

    let mut own = Stream::open(&seller).await;
    let mut others = [Stream::open(&other).await, Stream::open(&owner).await];
    let mut theirs = Stream::open(&stranger).await;
    for s in std::iter::once(&mut own).chain(others.iter_mut()).chain([&mut theirs]) {
        assert_eq!(s.next(Duration::from_secs(5)).await.as_deref(), Some("ready"), "a stream opens with `ready`");
    }

    let sale = seller.sale(&pieces[..1], &price);
    seller.push(std::slice::from_ref(&sale)).await.push();
    for s in &mut others {
        assert_eq!(s.next(Duration::from_secs(5)).await.as_deref(), Some("changes"), "the shop's other tills are told");
    }
    assert_eq!(own.next(Duration::from_millis(500)).await, None, "the seller is not told of its own push");
    assert_eq!(theirs.next(Duration::from_millis(500)).await, None, "another shop's till hears nothing");

    // The same op again changes nothing: no one is told.
    seller.push(std::slice::from_ref(&sale)).await.push();
    for s in &mut others {
        assert_eq!(s.next(Duration::from_millis(500)).await, None, "a duplicate is no news");
    }
    let metrics = common::read(reqwest::get(format!("{}/metrics", server.base)).await.expect("metrics")).await.text();
    assert!(metrics.contains("zargar_live_streams 4"), "{metrics}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_needs_a_token_and_ends_when_the_server_stops() {
    let mut server = Server::start();
    let (_, [till]) = server.shop_with("Zarrin", [("counter 1", "till")]).await;
    let anonymous = reqwest::get(format!("{}/api/v1/sync/events", server.base)).await.expect("events");
    assert_eq!(anonymous.status(), 401);

    let mut stream = Stream::open(&till).await;
    assert_eq!(stream.next(Duration::from_secs(5)).await.as_deref(), Some("ready"));
    // Bounded: a shutdown that waited for the stream would wait forever.
    let stopped =
        tokio::time::timeout(Duration::from_secs(60), tokio::task::spawn_blocking(move || server.terminate()));
    let status = stopped.await.expect("the server stops with a stream open").expect("terminate");
    assert!(status.success(), "stopped cleanly: {status}");
    assert_eq!(stream.next(Duration::from_secs(5)).await, None, "the stream ended with the server");
}

//! The till's end of the live notices: it holds the server's event stream
//! (`GET /api/v1/sync/events`) open and asks the engine for a round when
//! the shop has changes, so a piece sold at another till shows as sold
//! here within a second instead of at the next periodic round.
//!
//! Nothing depends on the stream: when it cannot be held (no network, a
//! proxy that cuts it, an older server) the periodic round goes on as
//! before, and the stream is tried again with jittered backoff.

use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, sleep, timeout};

use super::client::Client;
use super::{Backoff, Shared, SyncConfig, blocking};

/// What the stream tells the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Heard {
    /// The stream is open: the server is reachable and will say when to pull.
    Open,
    /// The shop has changes (or the stream has just opened): pull now.
    Changes,
    /// The stream is gone; until it is back, the periodic round and the
    /// health probe stand in.
    Closed,
}

/// The server sends a comment at least this often (its `HEARTBEAT` is
/// 15 s); a stream silent for longer is dead, whatever TCP believes.
const SILENCE: Duration = Duration::from_secs(45);

/// A stream that lasted this long was a good one: the next loss starts the
/// backoff from the bottom again. A proxy that cuts every stream at once
/// keeps backing off instead of being hammered.
const HEALTHY: Duration = Duration::from_secs(30);

/// Up to this much more before reconnecting after a lost stream.
const RESPREAD_MS: u64 = 5_000;

/// Runs until `stop`: opens the stream whenever this till is enrolled and
/// not stopped, and reports what it hears.
pub(crate) async fn listen(
    store: Shared,
    config: SyncConfig,
    heard: mpsc::UnboundedSender<Heard>,
    mut stop: watch::Receiver<bool>,
) {
    let mut backoff = Backoff::new(config.backoff_min, Duration::from_secs(60));
    loop {
        let opened = Instant::now();
        let wait = match open(&store, &config).await {
            None => config.probe_interval,
            Some(Err(e)) => {
                tracing::debug!(error = %e, "no live stream");
                backoff.next()
            }
            Some(Ok(stream)) => {
                tokio::select! {
                    _ = stop.wait_for(|s| *s) => return,
                    () = follow(stream, &heard) => {}
                }
                let _ = heard.send(Heard::Closed);
                if opened.elapsed() >= HEALTHY {
                    backoff.reset();
                }
                // Spread out: when a server restarts, its tills must not all
                // come back (and pull) in the same second.
                backoff.next() + Duration::from_millis(rand::random_range(0..=RESPREAD_MS))
            }
        };
        tokio::select! {
            _ = stop.wait_for(|s| *s) => return,
            () = sleep(wait) => {}
        }
    }
}

/// The stream, when this till has a server to listen to (`None`: not
/// enrolled, or stopped until a person acts).
async fn open(store: &Shared, config: &SyncConfig) -> Option<Result<reqwest::Response, super::SyncError>> {
    let link = blocking(store, |s| s.sync_link()).await.ok().flatten()?;
    if link.stopped.is_some() {
        return None;
    }
    let client = match Client::streaming(&link.server_url, &link.device_token, config) {
        Ok(c) => c,
        Err(e) => return Some(Err(e)),
    };
    // The answer's head comes at once from a server that streams; a proxy
    // that buffers the whole answer would hold it forever.
    Some(match timeout(SILENCE, client.events()).await {
        Ok(r) => r,
        Err(_) => Err(super::SyncError::Offline("no answer to the event stream".into())),
    })
}

/// Reads events until the stream ends, breaks or falls silent.
async fn follow(mut stream: reqwest::Response, heard: &mpsc::UnboundedSender<Heard>) {
    let _ = heard.send(Heard::Open);
    let mut lines = EventLines::default();
    while let Ok(Ok(Some(chunk))) = timeout(SILENCE, stream.chunk()).await {
        for event in lines.feed(&chunk) {
            if matches!(event.as_str(), "ready" | "changes") {
                let _ = heard.send(Heard::Changes);
            }
        }
    }
}

/// Splits a Server-Sent Events byte stream into the names of its events.
#[derive(Debug, Default)]
struct EventLines {
    partial: Vec<u8>,
    name: Option<String>,
}

impl EventLines {
    /// The events completed by this chunk, by name (`message` when unnamed).
    fn feed(&mut self, chunk: &[u8]) -> Vec<String> {
        let mut done = Vec::new();
        self.partial.extend_from_slice(chunk);
        while let Some(end) = self.partial.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                // A blank line ends an event; a block of comments alone is none.
                if let Some(name) = self.name.take() {
                    done.push(name);
                }
            } else if let Some(name) = line.strip_prefix("event:") {
                self.name = Some(name.trim().to_owned());
            } else if line.starts_with("data:") {
                self.name.get_or_insert_with(|| "message".to_owned());
            }
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_named_across_chunk_boundaries_and_comments_are_not_events() {
        let mut l = EventLines::default();
        assert_eq!(l.feed(b":\n\nevent: rea"), Vec::<String>::new());
        assert_eq!(l.feed(b"dy\ndata: {}\n\nevent: changes\r\ndata: {}\r\n\r\n"), ["ready", "changes"]);
        assert_eq!(l.feed(b"data: x\n"), Vec::<String>::new());
        assert_eq!(l.feed(b"\n"), ["message"]);
    }
}

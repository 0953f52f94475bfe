//! Live change notices: each connected till holds one Server-Sent Events
//! stream and is told "your shop has changes, pull" the moment a push from
//! another till of its shop commits. A notice carries no data (the till
//! pulls as always), so a stream leaks nothing and a missed notice costs
//! only time: the till still runs its periodic round.
//!
//! Why SSE and not a long-poll: an idle till costs one open connection and
//! a heartbeat line every `HEARTBEAT`, not a request every few seconds; it
//! is plain HTTP that proxies pass, and axum and any HTTP client speak it.
//!
//! In one process the notices fan out in memory. Several processes on one
//! PostgreSQL database hear each other through `LISTEN/NOTIFY`
//! (`storage::postgres::listen`), which feeds the same fan-out.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use tokio::sync::{broadcast, mpsc, watch};
use uuid::Uuid;

use crate::api::{ApiError, AppState, Device};

/// A comment line this often keeps proxies from closing an idle stream and
/// lets the till tell a dead stream from a quiet one.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// How many notices a slow stream may fall behind before it is told to
/// pull anyway (it misses nothing: one pull catches up on all of them).
const BACKLOG: usize = 16;

/// A shop has new changes; `origin` is the till whose push made them (its
/// own stream is not told: a till does not pull back its own echo).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    pub origin: Option<Uuid>,
}

/// The fan-out: one channel per shop with a connected till.
#[derive(Debug)]
pub struct Notices {
    shops: Mutex<HashMap<Uuid, broadcast::Sender<Notice>>>,
    /// Where a change is announced when other processes must hear it too
    /// (PostgreSQL's `NOTIFY`, whose `LISTEN` side calls `publish`).
    relay: OnceLock<mpsc::UnboundedSender<(Uuid, Notice)>>,
    streams: Gauge,
    published: Counter,
    /// Set when the server shuts down: every stream ends, so that a
    /// graceful shutdown does not wait for tills that never hang up.
    closing: watch::Sender<bool>,
}

impl Notices {
    /// Counted in `streams` and `published` (the server's metrics).
    pub fn new(streams: Gauge, published: Counter) -> Notices {
        Notices {
            shops: Mutex::default(),
            relay: OnceLock::new(),
            streams,
            published,
            closing: watch::Sender::new(false),
        }
    }

    /// A push committed changes for `tenant`: its tills in every process
    /// (through the relay, when there is one) are told to pull.
    pub fn changed(&self, tenant: Uuid, notice: Notice) {
        match self.relay.get() {
            Some(relay) if relay.send((tenant, notice)).is_ok() => {}
            _ => self.publish(tenant, notice),
        }
    }

    /// Sends every change through `relay` from now on.
    pub fn relay_through(&self, relay: mpsc::UnboundedSender<(Uuid, Notice)>) {
        let _ = self.relay.set(relay);
    }

    /// Tells the shop's connected tills (in this process) to pull.
    pub fn publish(&self, tenant: Uuid, notice: Notice) {
        self.published.inc();
        let mut shops = self.shops.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = shops.get(&tenant)
            && tx.send(notice).is_err()
        {
            // Nobody listens any more: forget the shop until a till connects.
            shops.remove(&tenant);
        }
    }

    fn subscribe(&self, tenant: Uuid) -> broadcast::Receiver<Notice> {
        let mut shops = self.shops.lock().unwrap_or_else(|p| p.into_inner());
        shops.entry(tenant).or_insert_with(|| broadcast::channel(BACKLOG).0).subscribe()
    }

    /// Ends every stream (the server is stopping).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}

/// What a stream waits on: its shop's notices and the server's closing.
/// It is counted in `streams` from its making to its drop (the till hung up,
/// or the server closes).
struct Listener {
    device: Uuid,
    notices: broadcast::Receiver<Notice>,
    closing: watch::Receiver<bool>,
    state: AppState,
    greeted: bool,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.state.notices.streams.dec();
    }
}

impl Listener {
    /// The next event to send, or `None` when the stream ends.
    async fn next(&mut self) -> Option<Event> {
        if !self.greeted {
            // On every (re)connection: pull once, for what came while away.
            self.greeted = true;
            return Some(Event::default().event("ready").data("{}"));
        }
        loop {
            tokio::select! {
                _ = self.closing.wait_for(|c| *c) => return None,
                n = self.notices.recv() => match n {
                    Ok(n) if n.origin == Some(self.device) => continue,
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        return Some(Event::default().event("changes").data("{}"));
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            }
        }
    }
}

/// `GET /api/v1/sync/events`: the shop's change notices, as Server-Sent
/// Events: `ready` when connected, then `changes` whenever another till's
/// push has committed; a comment every `HEARTBEAT` in between.
#[utoipa::path(get, path = "/api/v1/sync/events", security(("device_token" = [])),
    responses((status = 200, description = "text/event-stream: `ready`, then `changes` whenever the shop has new changes to pull"),
        (status = 401, body = zargar_wire::ErrorBody), (status = 403, body = zargar_wire::ErrorBody)))]
pub async fn events(State(state): State<AppState>, Device(device): Device) -> Result<impl IntoResponse, ApiError> {
    let notices = state.notices.subscribe(device.tenant.id);
    let closing = state.notices.closing.subscribe();
    state.notices.streams.inc();
    let listener = Listener { device: device.device_id, notices, closing, state, greeted: false };
    let stream = stream::unfold(listener, |mut l| async move {
        let event = l.next().await?;
        Some((Ok::<_, Infallible>(event), l))
    });
    // nginx, the usual TLS proxy in front, would buffer the stream and hold
    // every notice back; this header asks it not to.
    let unbuffered = [(HeaderName::from_static("x-accel-buffering"), HeaderValue::from_static("no"))];
    Ok((unbuffered, Sse::new(stream).keep_alive(KeepAlive::new().interval(HEARTBEAT))))
}

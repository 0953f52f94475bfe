//! `FaultProxy`: a fault-injecting HTTP/1.1 reverse proxy for end-to-end tests.
//!
//! It sits between the tills (reqwest clients) and the sync server, both on
//! 127.0.0.1. Each client connection carries exactly one request; the proxy
//! draws one [`Faults`] outcome for it from a seeded RNG, so a run can be
//! replayed from its seed. The upstream address can change at runtime because
//! tests kill the server and restart it on a new port while the tills keep
//! the proxy's URL.
//!
//! With several upstreams ([`FaultProxy::start_balanced`]) it is also a load
//! balancer: each new connection goes to one of them, drawn from the same
//! seeded RNG, and [`FaultProxy::routed`] counts where they went.
//!
//! Every connection ends up in exactly one [`ProxyStats`] bucket: one of the
//! fault counters, `upstream_errors` (the fault needed the upstream and it
//! failed), `offline_refused`, or none at all when the client itself sent
//! something unusable (malformed, chunked, too large) or went away.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::timeout;

/// Upper bound for each socket phase (read a request, talk to the upstream,
/// write a response), so a stuck peer can never hang a test.
const IO_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest request head accepted from a client.
const MAX_HEAD: usize = 64 * 1024;
/// Largest request body or upstream response the proxy buffers.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Relative weights of the outcomes the proxy draws for each connection.
///
/// The chance of each outcome is its weight divided by the sum of all
/// weights (`delay_max_ms` is a parameter, not a weight). All zero means
/// every request passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Faults {
    /// Forward the request and relay the response.
    pub pass: u32,
    /// Read the whole request, never forward it, close the client connection.
    pub drop_request: u32,
    /// Forward the request, read the whole response (the server committed),
    /// then close the client connection without sending anything.
    pub drop_response: u32,
    /// Sleep a random `1..=delay_max_ms` milliseconds, then pass.
    pub delay: u32,
    /// Longest injected delay, in milliseconds.
    pub delay_max_ms: u32,
    /// Answer 503 with `Retry-After: 1`; never forward.
    pub unavailable: u32,
    /// Answer 429 with `Retry-After: 1`; never forward.
    pub too_many: u32,
    /// Forward the head and the first half of the body, then close both sides.
    pub cut_request: u32,
    /// Forward the request, send the client the response head and the first
    /// half of the body, then close.
    pub cut_response: u32,
}

impl Faults {
    /// Every request passes untouched.
    pub fn none() -> Faults {
        Faults { pass: 1, ..Faults::default() }
    }

    /// Half the requests pass; the rest are spread evenly over every fault.
    pub fn chaos(delay_max_ms: u32) -> Faults {
        Faults {
            pass: 50,
            drop_request: 7,
            drop_response: 7,
            delay: 7,
            delay_max_ms,
            unavailable: 7,
            too_many: 7,
            cut_request: 7,
            cut_response: 7,
        }
    }

    /// Draws one outcome. The delay length is drawn from the same RNG so the
    /// whole sequence is a function of the seed.
    fn draw(&self, rng: &mut StdRng) -> Fault {
        let table = [
            (self.pass, Fault::Pass),
            (self.drop_request, Fault::DropRequest),
            (self.drop_response, Fault::DropResponse),
            (self.delay, Fault::Delay(0)),
            (self.unavailable, Fault::Unavailable),
            (self.too_many, Fault::TooMany),
            (self.cut_request, Fault::CutRequest),
            (self.cut_response, Fault::CutResponse),
        ];
        let total: u64 = table.iter().map(|(w, _)| u64::from(*w)).sum();
        if total == 0 {
            return Fault::Pass;
        }
        let mut ticket = rng.random_range(0..total);
        for (weight, fault) in table {
            let weight = u64::from(weight);
            if ticket < weight {
                return match fault {
                    Fault::Delay(_) => Fault::Delay(u64::from(rng.random_range(1..=self.delay_max_ms.max(1)))),
                    other => other,
                };
            }
            ticket -= weight;
        }
        Fault::Pass
    }
}

/// Counts of what the proxy actually did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProxyStats {
    /// Every accepted client connection, offline ones included.
    pub connections: u64,
    pub passed: u64,
    pub dropped_requests: u64,
    pub dropped_responses: u64,
    /// Delayed and then passed (not also counted in `passed`).
    pub delayed: u64,
    pub unavailable: u64,
    pub too_many: u64,
    pub cut_requests: u64,
    pub cut_responses: u64,
    /// The drawn fault needed the upstream and it could not be reached or
    /// gave no usable response; the client got no response.
    pub upstream_errors: u64,
    /// Connections closed unread because the proxy was offline.
    pub offline_refused: u64,
}

/// One drawn outcome; `Delay` carries its length in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Pass,
    DropRequest,
    DropResponse,
    Delay(u64),
    Unavailable,
    TooMany,
    CutRequest,
    CutResponse,
}

#[derive(Debug, Default)]
struct Counters {
    connections: AtomicU64,
    passed: AtomicU64,
    dropped_requests: AtomicU64,
    dropped_responses: AtomicU64,
    delayed: AtomicU64,
    unavailable: AtomicU64,
    too_many: AtomicU64,
    cut_requests: AtomicU64,
    cut_responses: AtomicU64,
    upstream_errors: AtomicU64,
    offline_refused: AtomicU64,
}

/// Increments a counter. SeqCst so a test that observes the effect on a
/// socket and then reads the stats sees the increment.
fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::SeqCst);
}

fn read(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::SeqCst)
}

/// State shared between the handle and the accept loop.
#[derive(Debug)]
struct Shared {
    /// Each new connection goes to one of these (never empty).
    upstreams: Mutex<Vec<SocketAddr>>,
    /// Connections sent (or tried) to each upstream.
    routed: Mutex<BTreeMap<SocketAddr, u64>>,
    faults: Mutex<Faults>,
    rng: Mutex<StdRng>,
    offline: AtomicBool,
    counters: Counters,
}

/// A poisoned lock only means another test thread panicked; the data inside
/// (an address, weights, an RNG) is still sound.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running proxy. Dropping it stops accepting and aborts connections in
/// flight.
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept_task: JoinHandle<()>,
}

impl fmt::Debug for FaultProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaultProxy")
            .field("addr", &self.addr)
            .field("upstreams", &*lock(&self.shared.upstreams))
            .field("faults", &*lock(&self.shared.faults))
            .field("offline", &self.shared.offline.load(Ordering::SeqCst))
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        // The accept task owns the JoinSet of connection tasks, so aborting
        // it aborts them too.
        self.accept_task.abort();
    }
}

fn ensure_loopback(upstream: SocketAddr) -> io::Result<()> {
    if upstream.ip().is_loopback() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("FaultProxy only forwards to loopback addresses, not {upstream}"),
        ))
    }
}

/// At least one upstream, each on loopback.
fn ensure_upstreams(upstreams: &[SocketAddr]) -> io::Result<()> {
    if upstreams.is_empty() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "FaultProxy needs an upstream"));
    }
    upstreams.iter().try_for_each(|u| ensure_loopback(*u))
}

impl FaultProxy {
    /// Binds 127.0.0.1:0 and starts forwarding to `upstream` with no faults.
    /// Must be called inside a tokio runtime.
    pub async fn start(upstream: SocketAddr, seed: u64) -> io::Result<FaultProxy> {
        FaultProxy::start_balanced(vec![upstream], seed).await
    }

    /// Binds 127.0.0.1:0 and sends each new connection to one of
    /// `upstreams`, drawn at random (from the seed), with no faults: two
    /// server processes behind one load balancer. Must be called inside a
    /// tokio runtime.
    pub async fn start_balanced(upstreams: Vec<SocketAddr>, seed: u64) -> io::Result<FaultProxy> {
        ensure_upstreams(&upstreams)?;
        let listener = TcpListener::bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstreams: Mutex::new(upstreams),
            routed: Mutex::new(BTreeMap::new()),
            faults: Mutex::new(Faults::none()),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            offline: AtomicBool::new(false),
            counters: Counters::default(),
        });
        let accept_task = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(FaultProxy { addr, shared, accept_task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL tills should use, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Points new connections at another upstream (e.g. a restarted server).
    ///
    /// # Panics
    /// If `upstream` is not a loopback address: these tests never leave the
    /// machine.
    pub fn set_upstream(&self, upstream: SocketAddr) {
        self.set_upstreams(vec![upstream]);
    }

    /// Balances new connections over `upstreams` from now on (a process
    /// taken out of the rotation, or put back on a new port).
    ///
    /// # Panics
    /// If `upstreams` is empty or not all on loopback.
    pub fn set_upstreams(&self, upstreams: Vec<SocketAddr>) {
        if let Err(e) = ensure_upstreams(&upstreams) {
            panic!("{e}");
        }
        *lock(&self.shared.upstreams) = upstreams;
    }

    /// How many connections went (or were sent, if it was down) to each
    /// upstream, over the proxy's life.
    pub fn routed(&self) -> BTreeMap<SocketAddr, u64> {
        lock(&self.shared.routed).clone()
    }

    /// Applies to connections accepted from now on.
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.shared.faults) = faults;
    }

    /// While offline, every connection is closed as soon as it is accepted,
    /// without reading: the till sees the network as down.
    pub fn set_offline(&self, offline: bool) {
        self.shared.offline.store(offline, Ordering::SeqCst);
    }

    pub fn stats(&self) -> ProxyStats {
        let c = &self.shared.counters;
        ProxyStats {
            connections: read(&c.connections),
            passed: read(&c.passed),
            dropped_requests: read(&c.dropped_requests),
            dropped_responses: read(&c.dropped_responses),
            delayed: read(&c.delayed),
            unavailable: read(&c.unavailable),
            too_many: read(&c.too_many),
            cut_requests: read(&c.cut_requests),
            cut_responses: read(&c.cut_responses),
            upstream_errors: read(&c.upstream_errors),
            offline_refused: read(&c.offline_refused),
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        let client = match listener.accept().await {
            Ok((client, _peer)) => client,
            Err(e) => {
                // Usually transient (e.g. out of file descriptors): back off
                // instead of spinning.
                eprintln!("fault proxy: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        // Reap finished tasks so the set does not grow for the whole test.
        while connections.try_join_next().is_some() {}

        bump(&shared.counters.connections);
        if shared.offline.load(Ordering::SeqCst) {
            bump(&shared.counters.offline_refused);
            drop(client);
            continue;
        }
        // Drawn here, in accept order, rather than in the connection task,
        // so sequential requests replay exactly from the seed. With one
        // upstream nothing more is drawn: the faults replay as before.
        let (fault, upstream) = {
            let faults = *lock(&shared.faults);
            let upstreams = lock(&shared.upstreams);
            let mut rng = lock(&shared.rng);
            let fault = faults.draw(&mut rng);
            let pick = if upstreams.len() > 1 { rng.random_range(0..upstreams.len()) } else { 0 };
            (fault, upstreams[pick])
        };
        *lock(&shared.routed).entry(upstream).or_default() += 1;
        connections.spawn(serve(client, upstream, fault, Arc::clone(&shared)));
    }
}

/// A request as read from the client, head already rewritten for the upstream.
#[derive(Debug)]
struct Request {
    head: Vec<u8>,
    body: Vec<u8>,
}

/// Why a client's request could not be read.
#[derive(Debug)]
enum ReadError {
    /// The client went away or was too slow; nobody to answer.
    Io,
    /// Something we can answer with an HTTP error before closing.
    Reject(&'static str),
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> Self {
        ReadError::Io
    }
}

async fn serve(mut client: TcpStream, upstream: SocketAddr, fault: Fault, shared: Arc<Shared>) {
    let counters = &shared.counters;
    let request = match timeout(IO_TIMEOUT, read_request(&mut client)).await {
        Ok(Ok(request)) => request,
        Ok(Err(ReadError::Reject(status))) => {
            let _ = write_and_close(&mut client, &canned(status, None, "")).await;
            // The client may still be sending a body we did not read; drain
            // it briefly so the close is a FIN and the answer is not lost to
            // an RST.
            drain(&mut client).await;
            return;
        }
        Ok(Err(ReadError::Io)) | Err(_) => return,
    };

    match fault {
        Fault::DropRequest => bump(&counters.dropped_requests),
        Fault::Unavailable => {
            bump(&counters.unavailable);
            let body = r#"{"code":"unavailable","message":"injected"}"#;
            let answer = canned("503 Service Unavailable", Some("1"), body);
            let _ = write_and_close(&mut client, &answer).await;
        }
        Fault::TooMany => {
            bump(&counters.too_many);
            let body = r#"{"code":"rate_limited","message":"injected"}"#;
            let answer = canned("429 Too Many Requests", Some("1"), body);
            let _ = write_and_close(&mut client, &answer).await;
        }
        Fault::CutRequest => match cut_request(upstream, &request).await {
            Ok(()) => bump(&counters.cut_requests),
            Err(_) => bump(&counters.upstream_errors),
        },
        Fault::Pass | Fault::Delay(_) | Fault::DropResponse | Fault::CutResponse => {
            if let Fault::Delay(ms) = fault {
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            let Some((head, body)) = exchange(upstream, &request).await else {
                bump(&counters.upstream_errors);
                return;
            };
            // Counted before writing: a client that reads by Content-Length
            // may check the stats before we close.
            let answer = match fault {
                Fault::DropResponse => {
                    bump(&counters.dropped_responses);
                    return;
                }
                Fault::CutResponse => {
                    bump(&counters.cut_responses);
                    cut_response(head, body)
                }
                Fault::Delay(_) => {
                    bump(&counters.delayed);
                    [head, body].concat()
                }
                _ => {
                    bump(&counters.passed);
                    [head, body].concat()
                }
            };
            let _ = write_and_close(&mut client, &answer).await;
        }
    }
    // Returning drops `client`, which closes the connection.
}

/// Reads one request: head up to the blank line, then exactly
/// `Content-Length` body bytes.
async fn read_request(client: &mut TcpStream) -> Result<Request, ReadError> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = find_head_end(&buf) {
            break end;
        }
        if buf.len() > MAX_HEAD {
            return Err(ReadError::Reject("431 Request Header Fields Too Large"));
        }
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Err(ReadError::Io);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    if head_end > MAX_HEAD {
        return Err(ReadError::Reject("431 Request Header Fields Too Large"));
    }
    let mut body = buf.split_off(head_end);
    let head = std::str::from_utf8(&buf).map_err(|_| ReadError::Reject("400 Bad Request"))?;
    let (start_line, headers) = split_head(head).ok_or(ReadError::Reject("400 Bad Request"))?;

    let mut content_length: Option<usize> = None;
    for (name, value) in &headers {
        if name.eq_ignore_ascii_case("transfer-encoding") {
            // Only `chunked` is legal as a request's final coding and tills
            // never send it; we do not decode it.
            return Err(ReadError::Reject("501 Not Implemented"));
        }
        if name.eq_ignore_ascii_case("content-length") {
            let len: usize = value.parse().map_err(|_| ReadError::Reject("400 Bad Request"))?;
            if content_length.is_some_and(|prev| prev != len) {
                return Err(ReadError::Reject("400 Bad Request"));
            }
            content_length = Some(len);
        }
    }
    let content_length = content_length.unwrap_or(0);
    if content_length > MAX_BODY {
        return Err(ReadError::Reject("413 Content Too Large"));
    }

    // Anything past the body would be a pipelined request: one per connection.
    body.truncate(content_length);
    while body.len() < content_length {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Err(ReadError::Io);
        }
        let wanted = (content_length - body.len()).min(n);
        body.extend_from_slice(&chunk[..wanted]);
    }

    Ok(Request { head: with_connection_close(start_line, &headers), body })
}

/// Index just past the `\r\n\r\n` that ends an HTTP head.
fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

/// Splits a head (including its final blank line) into the start line and
/// `(name, value)` pairs.
fn split_head(head: &str) -> Option<(&str, Vec<(&str, &str)>)> {
    let mut lines = head.strip_suffix("\r\n\r\n")?.split("\r\n");
    let start_line = lines.next()?;
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim(), value.trim()));
    }
    Some((start_line, headers))
}

/// Rebuilds a head with the hop-by-hop connection headers replaced by
/// `Connection: close`, so each side closes after one exchange and the proxy
/// can read the upstream's response to EOF.
fn with_connection_close(start_line: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = String::with_capacity(256);
    out.push_str(start_line);
    out.push_str("\r\n");
    for (name, value) in headers {
        let hop_by_hop = ["connection", "keep-alive", "proxy-connection"].iter().any(|h| name.eq_ignore_ascii_case(h));
        if !hop_by_hop {
            out.push_str(name);
            out.push_str(": ");
            out.push_str(value);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    out.into_bytes()
}

async fn connect(upstream: SocketAddr) -> io::Result<TcpStream> {
    match timeout(IO_TIMEOUT, TcpStream::connect(upstream)).await {
        Ok(result) => result,
        Err(_) => Err(io::ErrorKind::TimedOut.into()),
    }
}

/// Forwards the request and reads the whole response. Returns the rewritten
/// response head and the raw body, or `None` if the upstream was down, too
/// slow, or did not answer with a well-formed head.
async fn exchange(upstream: SocketAddr, request: &Request) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut server = connect(upstream).await.ok()?;
    let raw = timeout(IO_TIMEOUT, async {
        server.write_all(&request.head).await?;
        server.write_all(&request.body).await?;
        // No shutdown of our write half: hyper treats a half-close as the
        // client going away and may abort the handler.
        let mut raw = Vec::new();
        let mut chunk = [0u8; 16384];
        loop {
            let n = server.read(&mut chunk).await?;
            if n == 0 {
                return Ok::<_, io::Error>(raw);
            }
            if raw.len() + n > MAX_BODY {
                return Err(io::Error::other("upstream response too large"));
            }
            raw.extend_from_slice(&chunk[..n]);
        }
    })
    .await
    .ok()?
    .ok()?;

    let head_end = find_head_end(&raw)?;
    let head = std::str::from_utf8(&raw[..head_end]).ok()?;
    let (status_line, headers) = split_head(head)?;
    let head = with_connection_close(status_line, &headers);
    Some((head, raw[head_end..].to_vec()))
}

/// Sends the head and half the body, then closes, so the upstream sees a
/// request that never completes.
async fn cut_request(upstream: SocketAddr, request: &Request) -> io::Result<()> {
    let mut server = connect(upstream).await?;
    let partial = if request.body.is_empty() {
        // With no body the full head would be a complete request; cut the
        // head instead so the fault still means "never arrived".
        request.head[..request.head.len() / 2].to_vec()
    } else {
        [&request.head[..], &request.body[..request.body.len() / 2]].concat()
    };
    match timeout(IO_TIMEOUT, server.write_all(&partial)).await {
        Ok(result) => result,
        Err(_) => Err(io::ErrorKind::TimedOut.into()),
    }
}

/// The response head plus half the body. With an empty body the head alone
/// would be a complete response, so half the head is sent instead.
fn cut_response(head: Vec<u8>, body: Vec<u8>) -> Vec<u8> {
    if body.is_empty() {
        let half = head.len() / 2;
        let mut head = head;
        head.truncate(half);
        head
    } else {
        [&head[..], &body[..body.len() / 2]].concat()
    }
}

/// A complete response made up by the proxy itself.
fn canned(status: &str, retry_after: Option<&str>, json_body: &str) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    if let Some(secs) = retry_after {
        out.push_str(&format!("Retry-After: {secs}\r\n"));
    }
    if !json_body.is_empty() {
        out.push_str("Content-Type: application/json\r\n");
    }
    out.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n{json_body}", json_body.len()));
    out.into_bytes()
}

async fn write_and_close(client: &mut TcpStream, bytes: &[u8]) -> io::Result<()> {
    let sent = timeout(IO_TIMEOUT, async {
        client.write_all(bytes).await?;
        client.shutdown().await
    })
    .await;
    match sent {
        Ok(result) => result,
        Err(_) => Err(io::ErrorKind::TimedOut.into()),
    }
}

/// Reads and discards whatever the client still sends, for a short while.
async fn drain(client: &mut TcpStream) {
    let _ = timeout(Duration::from_secs(2), async {
        let mut sink = [0u8; 8192];
        while matches!(client.read(&mut sink).await, Ok(n) if n > 0) {}
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bound for every client-side wait in these tests.
    const TEST_TIMEOUT: Duration = Duration::from_secs(5);

    /// A one-request-per-connection echo server. `complete` counts requests
    /// whose body fully arrived; `partial` counts ones that ended early.
    #[derive(Debug)]
    struct Upstream {
        addr: SocketAddr,
        complete: Arc<AtomicU64>,
        partial: Arc<AtomicU64>,
        task: JoinHandle<()>,
    }

    impl Drop for Upstream {
        fn drop(&mut self) {
            self.task.abort();
        }
    }

    impl Upstream {
        async fn start(name: &'static str) -> Upstream {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind upstream");
            let addr = listener.local_addr().expect("upstream addr");
            let complete = Arc::new(AtomicU64::new(0));
            let partial = Arc::new(AtomicU64::new(0));
            let (c, p) = (Arc::clone(&complete), Arc::clone(&partial));
            let task = tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(echo(stream, name, Arc::clone(&c), Arc::clone(&p)));
                }
            });
            Upstream { addr, complete, partial, task }
        }

        fn complete(&self) -> u64 {
            self.complete.load(Ordering::SeqCst)
        }
    }

    async fn echo(mut stream: TcpStream, name: &str, complete: Arc<AtomicU64>, partial: Arc<AtomicU64>) {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let served = timeout(TEST_TIMEOUT, async {
            let head_end = loop {
                if let Some(end) = find_head_end(&buf) {
                    break end;
                }
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            };
            let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
            assert!(head.contains("connection: close\r\n"), "proxy must ask for close: {head}");
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().expect("content-length"));
            let mut body = buf.split_off(head_end);
            while body.len() < len {
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                body.extend_from_slice(&chunk[..n]);
            }
            Some(body)
        })
        .await
        .ok()
        .flatten();
        let Some(body) = served else {
            partial.fetch_add(1, Ordering::SeqCst);
            return;
        };
        complete.fetch_add(1, Ordering::SeqCst);
        let head = format!(
            "HTTP/1.1 200 OK\r\nX-Upstream: {name}\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(&[head.as_bytes(), &body].concat()).await;
        let _ = stream.shutdown().await;
    }

    /// Sends one POST over a raw socket and reads until EOF. Any transport
    /// error (reset, refused) is reported as "no bytes".
    async fn send(addr: SocketAddr, body: &str) -> Vec<u8> {
        let exchange = async {
            let mut stream = TcpStream::connect(addr).await?;
            let request = format!(
                "POST /sync HTTP/1.1\r\nHost: {addr}\r\nConnection: keep-alive\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(request.as_bytes()).await?;
            let mut out = Vec::new();
            stream.read_to_end(&mut out).await?;
            Ok::<_, io::Error>(out)
        };
        match timeout(TEST_TIMEOUT, exchange).await {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(_)) => Vec::new(),
            Err(_) => panic!("request through the proxy hung"),
        }
    }

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    fn only(fault: fn(&mut Faults)) -> Faults {
        let mut faults = Faults::default();
        fault(&mut faults);
        faults
    }

    /// An upstream "a" and a proxy in front of it (seed 1) that injects `faults`.
    async fn proxied(faults: Faults) -> (Upstream, FaultProxy) {
        let upstream = Upstream::start("a").await;
        let proxy = FaultProxy::start(upstream.addr, 1).await.expect("start proxy");
        proxy.set_faults(faults);
        (upstream, proxy)
    }

    #[tokio::test]
    async fn pass_forwards_body_and_answer_intact() {
        let (upstream, proxy) = proxied(Faults::none()).await;
        let answer = text(&send(proxy.addr(), "{\"sale\":42}").await);
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert!(answer.contains("X-Upstream: a\r\n"), "{answer}");
        assert!(answer.contains("Connection: close\r\n"), "{answer}");
        assert!(!answer.contains("keep-alive"), "{answer}");
        assert!(answer.ends_with("\r\n\r\n{\"sale\":42}"), "{answer}");
        assert_eq!(upstream.complete(), 1);
        let stats = proxy.stats();
        assert_eq!((stats.connections, stats.passed), (1, 1));
    }

    #[tokio::test]
    async fn reqwest_client_works_through_the_proxy() {
        let (_upstream, proxy) = proxied(Faults::none()).await;
        let client = reqwest::Client::new();
        for i in 0..3 {
            let response = client
                .post(format!("{}/sync", proxy.url()))
                .body(format!("payload {i}"))
                .timeout(TEST_TIMEOUT)
                .send()
                .await
                .expect("send through proxy");
            assert_eq!(response.status(), 200);
            assert_eq!(response.text().await.expect("body"), format!("payload {i}"));
        }
        proxy.set_faults(only(|f| f.unavailable = 1));
        let response = client
            .get(format!("{}/health", proxy.url()))
            .timeout(TEST_TIMEOUT)
            .send()
            .await
            .expect("send through proxy");
        assert_eq!(response.status(), 503);
        let stats = proxy.stats();
        assert_eq!((stats.connections, stats.passed, stats.unavailable), (4, 3, 1));
    }

    #[tokio::test]
    async fn drop_request_never_reaches_upstream() {
        let (upstream, proxy) = proxied(only(|f| f.drop_request = 1)).await;
        assert!(send(proxy.addr(), "hello").await.is_empty());
        assert_eq!(upstream.complete(), 0);
        assert_eq!(proxy.stats().dropped_requests, 1);
    }

    #[tokio::test]
    async fn drop_response_commits_upstream_but_client_gets_nothing() {
        let (upstream, proxy) = proxied(only(|f| f.drop_response = 1)).await;
        assert!(send(proxy.addr(), "hello").await.is_empty());
        assert_eq!(upstream.complete(), 1);
        assert_eq!(proxy.stats().dropped_responses, 1);
    }

    #[tokio::test]
    async fn unavailable_and_too_many_answer_without_forwarding() {
        let (upstream, proxy) = proxied(only(|f| f.unavailable = 1)).await;
        let answer = text(&send(proxy.addr(), "hello").await);
        assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
        assert!(answer.contains("Retry-After: 1\r\n"), "{answer}");
        assert!(answer.ends_with(r#"{"code":"unavailable","message":"injected"}"#), "{answer}");

        proxy.set_faults(only(|f| f.too_many = 1));
        let answer = text(&send(proxy.addr(), "hello").await);
        assert!(answer.starts_with("HTTP/1.1 429 "), "{answer}");
        assert!(answer.contains("Retry-After: 1\r\n"), "{answer}");
        assert!(answer.ends_with(r#"{"code":"rate_limited","message":"injected"}"#), "{answer}");

        assert_eq!(upstream.complete(), 0);
        let stats = proxy.stats();
        assert_eq!((stats.unavailable, stats.too_many), (1, 1));
    }

    #[tokio::test]
    async fn cut_response_truncates_the_body() {
        let (upstream, proxy) = proxied(only(|f| f.cut_response = 1)).await;
        let answer = text(&send(proxy.addr(), "0123456789").await);
        assert!(answer.contains("Content-Length: 10\r\n"), "{answer}");
        assert!(answer.ends_with("\r\n\r\n01234"), "{answer}");
        assert_eq!(upstream.complete(), 1);
        assert_eq!(proxy.stats().cut_responses, 1);
    }

    #[tokio::test]
    async fn cut_request_leaves_upstream_with_a_partial_body() {
        let (upstream, proxy) = proxied(only(|f| f.cut_request = 1)).await;
        assert!(send(proxy.addr(), "0123456789").await.is_empty());
        // The upstream notices the early close on its own schedule.
        let waited = timeout(TEST_TIMEOUT, async {
            while upstream.partial.load(Ordering::SeqCst) == 0 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await;
        assert!(waited.is_ok(), "upstream never saw the cut request");
        assert_eq!(upstream.complete(), 0);
        assert_eq!(proxy.stats().cut_requests, 1);
    }

    #[tokio::test]
    async fn set_upstream_switches_and_dead_upstream_is_a_transport_error() {
        let a = Upstream::start("a").await;
        let b = Upstream::start("b").await;
        let proxy = FaultProxy::start(a.addr, 1).await.expect("start proxy");
        assert!(text(&send(proxy.addr(), "x").await).contains("X-Upstream: a\r\n"));
        proxy.set_upstream(b.addr);
        assert!(text(&send(proxy.addr(), "x").await).contains("X-Upstream: b\r\n"));
        assert_eq!((a.complete(), b.complete()), (1, 1));

        // A port nobody listens on: the server is down.
        let dead = {
            let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            l.local_addr().expect("addr")
        };
        proxy.set_upstream(dead);
        assert!(send(proxy.addr(), "x").await.is_empty());
        let stats = proxy.stats();
        assert_eq!((stats.passed, stats.upstream_errors), (2, 1));
    }

    #[tokio::test]
    async fn balanced_spreads_connections_over_every_upstream_and_can_drop_one() {
        let a = Upstream::start("a").await;
        let b = Upstream::start("b").await;
        let proxy = FaultProxy::start_balanced(vec![a.addr, b.addr], 9).await.expect("start proxy");
        let mut seen = BTreeMap::new();
        for _ in 0..40 {
            let answer = text(&send(proxy.addr(), "x").await);
            let name = if answer.contains("X-Upstream: a\r\n") { "a" } else { "b" };
            assert!(answer.contains(&format!("X-Upstream: {name}\r\n")), "{answer}");
            *seen.entry(name).or_insert(0u64) += 1;
        }
        assert!(seen.get("a").is_some_and(|n| *n > 5) && seen.get("b").is_some_and(|n| *n > 5), "{seen:?}");
        assert_eq!(proxy.routed(), BTreeMap::from([(a.addr, seen["a"]), (b.addr, seen["b"])]));
        assert_eq!((a.complete(), b.complete()), (seen["a"], seen["b"]));

        // b taken out of the rotation: everything goes to a.
        proxy.set_upstreams(vec![a.addr]);
        for _ in 0..5 {
            assert!(text(&send(proxy.addr(), "x").await).contains("X-Upstream: a\r\n"));
        }
        assert_eq!(b.complete(), seen["b"]);
        assert_eq!(proxy.stats().passed, 45);
    }

    #[tokio::test]
    async fn offline_refuses_then_recovers() {
        let (upstream, proxy) = proxied(Faults::none()).await;
        proxy.set_offline(true);
        assert!(send(proxy.addr(), "x").await.is_empty());
        assert_eq!(upstream.complete(), 0);
        proxy.set_offline(false);
        assert!(text(&send(proxy.addr(), "x").await).starts_with("HTTP/1.1 200 OK"));
        let stats = proxy.stats();
        assert_eq!((stats.connections, stats.offline_refused, stats.passed), (2, 1, 1));
    }

    #[tokio::test]
    async fn chunked_requests_are_rejected() {
        let (upstream, proxy) = proxied(Faults::none()).await;
        let mut stream = TcpStream::connect(proxy.addr()).await.expect("connect");
        let request = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut answer = Vec::new();
        timeout(TEST_TIMEOUT, stream.read_to_end(&mut answer)).await.expect("answer in time").expect("read answer");
        assert!(text(&answer).starts_with("HTTP/1.1 501 "), "{}", text(&answer));
        assert_eq!(upstream.complete(), 0);
    }

    /// Sequential requests under chaos: every connection lands in exactly one
    /// bucket, and the same seed gives the same buckets.
    #[tokio::test]
    async fn chaos_is_accounted_for_and_reproducible() {
        async fn run(seed: u64) -> ProxyStats {
            let upstream = Upstream::start("a").await;
            let proxy = FaultProxy::start(upstream.addr, seed).await.expect("start proxy");
            proxy.set_faults(Faults::chaos(3));
            for i in 0..40 {
                send(proxy.addr(), &format!("request number {i}")).await;
            }
            proxy.stats()
        }
        let first = run(7).await;
        let s = first;
        let buckets = s.passed
            + s.dropped_requests
            + s.dropped_responses
            + s.delayed
            + s.unavailable
            + s.too_many
            + s.cut_requests
            + s.cut_responses
            + s.upstream_errors
            + s.offline_refused;
        assert_eq!(s.connections, 40);
        assert_eq!(buckets, 40, "{s:?}");
        assert_eq!(s.upstream_errors, 0, "{s:?}");
        assert!(s.passed > 0 && s.passed < 40, "{s:?}");
        assert_eq!(run(7).await, first);
    }

    #[test]
    fn draw_respects_weights() {
        let mut rng = StdRng::seed_from_u64(3);
        assert_eq!(Faults::default().draw(&mut rng), Fault::Pass);
        assert_eq!(Faults::none().draw(&mut rng), Fault::Pass);
        let delays = Faults { delay: 1, delay_max_ms: 4, ..Faults::default() };
        for _ in 0..50 {
            match delays.draw(&mut rng) {
                Fault::Delay(ms) => assert!((1..=4).contains(&ms)),
                other => panic!("drew {other:?}"),
            }
        }
    }
}

//! `TaxService`: a local stand-in for the tax organisation's Moadian API v2
//! (`/requestsmanager/api/v2`), so end-to-end tests can watch what our
//! server sends it. It answers as the real service does (RC_TICS; see
//! `docs/tax.md`): single-use nonces, per-request signed tokens, invoices as
//! JWS inside JWE, judged synchronously (an inquiry never says IN_PROGRESS),
//! and inquiries by uid or reference number. What the real service trusts
//! through its CAs, this one trusts by `register`.

mod crypto;
mod judge;
pub mod shop;

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};
use uuid::Uuid;

pub use crypto::TestSigner;
use crypto::{Fault, OrgKey};
pub use shop::TaxedShop;

/// Where the real service's API lives on its host.
const BASE_PATH: &str = "/requestsmanager/api/v2";
/// The most packets one `POST /invoice` may carry.
const MAX_PACKETS: usize = 1000;

/// The stand-in service: an HTTP server on 127.0.0.1 and what it recorded.
pub struct TaxService {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: Mutex<Option<Serving>>,
}

/// An invoice as the service recorded it.
#[derive(Debug, Clone)]
pub struct ReceivedInvoice {
    /// `header.taxid` ("" when the packet could not be opened).
    pub tax_id: String,
    /// The packet's requestTraceId.
    pub uid: String,
    pub reference_number: String,
    /// The decrypted, verified invoice `{header, body, payments}` (Null when
    /// the packet could not be decrypted or verified).
    pub invoice: Value,
    /// "SUCCESS" or "FAILED".
    pub status: String,
    /// (code, message) of each error.
    pub errors: Vec<(String, String)>,
}

/// The accept loop while the service listens.
struct Serving {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// What the handlers share with the test.
struct Shared {
    key: OrgKey,
    state: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Nonce → (expiry, used).
    nonces: HashMap<String, (Instant, bool)>,
    /// Memory id → the DER of the certificate trusted to sign as it.
    certs: HashMap<String, Vec<u8>>,
    records: Vec<Record>,
    duplicates: usize,
    hits: HashMap<String, usize>,
    delay: Option<Duration>,
    reject: Option<Fault>,
}

struct Record {
    invoice: ReceivedInvoice,
    fiscal_id: String,
    /// The requestTraceIds of the packets that carried it (resends too), so
    /// an inquiry by a resend's uid finds it.
    uids: Vec<String>,
}

impl fmt::Debug for TaxService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaxService").field("addr", &self.addr).field("key_id", &self.shared.key.key_id).finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking handler must not hide what was recorded from the test.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl TaxService {
    /// Starts on 127.0.0.1:0 with a fresh RSA-2048 key pair of "the tax
    /// organisation" and a random key id. Inside a tokio runtime.
    pub async fn start() -> TaxService {
        let key = OrgKey::new(Uuid::now_v7().to_string());
        let listener = bind(SocketAddr::from(([127, 0, 0, 1], 0)));
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared { key, state: Mutex::default() });
        let service = TaxService { shared, addr, server: Mutex::new(None) };
        *lock(&service.server) = Some(service.serve(listener));
        service
    }

    /// e.g. "http://127.0.0.1:PORT/requestsmanager/api/v2" (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}{BASE_PATH}", self.addr)
    }

    /// Trusts `cert_pem` (an X.509 certificate in PEM) for signing as
    /// `memory_id` (the real service only trusts certificates its CAs issued;
    /// we register). Replaces an earlier one.
    pub fn register(&self, memory_id: &str, cert_pem: &str) {
        lock(&self.shared.state).certs.insert(memory_id.to_owned(), crypto::cert_der(cert_pem));
    }

    /// Stops answering: the listener is closed, so connections are refused,
    /// and open connections (a request waiting out `delay_answers` too) are
    /// cut without an answer.
    pub async fn stop(&self) {
        let serving = lock(&self.server).take();
        if let Some(s) = serving {
            let _ = s.stop.send(());
            let _ = s.task.await;
        }
    }

    /// Listens again on the same port (no-op when listening).
    pub async fn restart(&self) {
        if lock(&self.server).is_some() {
            return;
        }
        let serving = self.serve(bind(self.addr));
        *lock(&self.server) = Some(serving);
    }

    /// From now on, POST /invoice records and judges the packets, then waits
    /// `d` before answering (a client with a shorter timeout never sees the
    /// answer, though the invoice arrived).
    pub fn delay_answers(&self, d: Duration) {
        lock(&self.shared.state).delay = Some(d).filter(|d| !d.is_zero());
    }

    /// From now on, every invoice received is judged FAILED with this error
    /// (code, Persian message) in addition to any field errors; None: back
    /// to judging by the fields only.
    pub fn reject_with(&self, error: Option<(String, String)>) {
        lock(&self.shared.state).reject = error;
    }

    /// Every distinct invoice recorded, in arrival order (packets that could
    /// not be opened too, FAILED with a Null invoice).
    pub fn invoices(&self) -> Vec<ReceivedInvoice> {
        lock(&self.shared.state).records.iter().map(|r| r.invoice.clone()).collect()
    }

    /// How many packets carried a tax id already recorded (a resend): the
    /// tests assert 0.
    pub fn duplicates(&self) -> usize {
        lock(&self.shared.state).duplicates
    }

    /// Requests received per path under the base ("invoice",
    /// "inquiry-by-uid", "nonce", ...), answered or refused, for tests that
    /// check that a client asked before resending.
    pub fn hits(&self, path: &str) -> usize {
        lock(&self.shared.state).hits.get(path.trim_matches('/')).copied().unwrap_or(0)
    }

    /// The accept loop on `listener`. Our own loop rather than `axum::serve`
    /// because stopping must also cut kept-alive connections, which axum
    /// would leave running in tasks of their own.
    fn serve(&self, listener: TcpListener) -> Serving {
        let router =
            Router::new().fallback(dispatch).with_state(Arc::clone(&self.shared)).layer(DefaultBodyLimit::disable());
        let (stop, mut stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    // Also when the TaxService is dropped.
                    _ = &mut stopped => break,
                    accepted = listener.accept() => {
                        while connections.try_join_next().is_some() {}
                        let Ok((stream, _)) = accepted else {
                            // Out of file descriptors, say: let some close.
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            continue;
                        };
                        let service = hyper_util::service::TowerToHyperService::new(router.clone());
                        connections.spawn(async move {
                            let io = hyper_util::rt::TokioIo::new(stream);
                            let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
                        });
                    }
                }
            }
            drop(listener);
            connections.shutdown().await;
        });
        Serving { stop, task }
    }
}

/// A listening socket on `addr`; SO_REUSEADDR, so a restart gets its port
/// back while the old connections linger in TIME_WAIT.
fn bind(addr: SocketAddr) -> TcpListener {
    let socket = TcpSocket::new_v4().expect("socket");
    socket.set_reuseaddr(true).expect("SO_REUSEADDR");
    socket.bind(addr).unwrap_or_else(|e| panic!("bind {addr}: {e}"));
    socket.listen(1024).expect("listen")
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn answer(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// The service's error envelope.
fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    let errors = json!([{"code": code, "message": message}]);
    answer(status, json!({"timestamp": now_ms(), "requestTraceId": null, "errors": errors}))
}

/// The values of every `key` in a query string (repeated keys are lists).
fn query_all(query: &str, key: &str) -> Vec<String> {
    form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k == key).map(|(_, v)| v.into_owned()).collect()
}

async fn dispatch(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(name) = uri.path().strip_prefix(BASE_PATH).map(|p| p.trim_matches('/')) else {
        *lock(&shared.state).hits.entry(uri.path().to_owned()).or_default() += 1;
        return refuse(StatusCode::NOT_FOUND, "NOT_FOUND", "مسیر یافت نشد");
    };
    *lock(&shared.state).hits.entry(name.to_owned()).or_default() += 1;
    let query = uri.query().unwrap_or("");
    if (&method, name) == (&Method::GET, "nonce") {
        return shared.nonce(query);
    }
    let known = ["server-information", "invoice", "inquiry-by-uid", "inquiry-by-reference-id"];
    if !known.contains(&name) || method != if name == "invoice" { Method::POST } else { Method::GET } {
        return refuse(StatusCode::NOT_FOUND, "NOT_FOUND", "مسیر یافت نشد");
    }
    let client = match shared.authenticate(&headers) {
        Ok(c) => c,
        Err((code, message)) => return refuse(StatusCode::UNAUTHORIZED, &code, &message),
    };
    match name {
        "server-information" => {
            let key = openssl::base64::encode_block(&shared.key.public_der);
            let keys = json!([{"key": key, "id": shared.key.key_id, "algorithm": "RSA", "purpose": 1}]);
            answer(StatusCode::OK, json!({"serverTime": now_ms(), "publicKeys": keys}))
        }
        "invoice" => {
            let (response, delay) = shared.receive(&client, &body);
            if let Some(d) = delay {
                tokio::time::sleep(d).await;
            }
            response
        }
        "inquiry-by-uid" => {
            let fiscal = query_all(query, "fiscalId").pop().unwrap_or_else(|| client.clone());
            shared.inquire(&client, &fiscal, query_all(query, "uidList"), true)
        }
        _ => shared.inquire(&client, &client, query_all(query, "referenceIds"), false),
    }
}

impl Shared {
    /// GET nonce: a single-use nonce living `timeToLive` seconds (10..=200, default 30).
    fn nonce(&self, query: &str) -> Response {
        let ttl = match query_all(query, "timeToLive").pop().map(|t| t.parse::<u64>()) {
            None => 30,
            Some(Ok(t)) if (10..=200).contains(&t) => t,
            Some(_) => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "INVALID_TIME_TO_LIVE",
                    "timeToLive باید بین ۱۰ تا ۲۰۰ ثانیه باشد",
                );
            }
        };
        let nonce = Uuid::now_v7().to_string();
        let now = Instant::now();
        let mut state = lock(&self.state);
        // Forget long-dead nonces; a late token is refused either way.
        state.nonces.retain(|_, (expiry, _)| *expiry + Duration::from_secs(600) > now);
        state.nonces.insert(nonce.clone(), (now + Duration::from_secs(ttl), false));
        let exp =
            (Utc::now() + chrono::Duration::seconds(ttl as i64)).to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
        answer(StatusCode::OK, json!({"nonce": nonce, "expDate": exp}))
    }

    /// The caller's clientId, from `Authorization: Bearer <JWS of {nonce, clientId}>`
    /// signed by the certificate registered for that clientId; uses up the nonce.
    fn authenticate(&self, headers: &HeaderMap) -> Result<String, Fault> {
        let fault = |code: &str, message: &str| (code.to_owned(), message.to_owned());
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| fault("AUTH_TOKEN_MISSING", "توکن (Authorization: Bearer) ارسال نشده است"))?;
        let (payload, cert) = crypto::verify_jws(token.trim(), "TOKEN")?;
        let claims: Value =
            serde_json::from_slice(&payload).map_err(|_| fault("TOKEN_INVALID_FORMAT", "محتوای توکن JSON نیست"))?;
        let (Some(nonce), Some(client)) = (claims["nonce"].as_str(), claims["clientId"].as_str()) else {
            return Err(fault("TOKEN_INVALID_FORMAT", "توکن باید nonce و clientId داشته باشد"));
        };
        let mut state = lock(&self.state);
        if state.certs.get(client) != Some(&cert) {
            return Err(fault("CERTIFICATE_INVALID_ISSUER", "گواهی امضا برای این clientId معتبر نیست"));
        }
        if !crypto::cert_current(&cert) {
            return Err(fault("CERTIFICATE_EXPIRED", "گواهی امضا منقضی شده است"));
        }
        match state.nonces.get_mut(nonce) {
            Some((expiry, used)) if !*used && *expiry > Instant::now() => *used = true,
            _ => return Err(fault("AUTH_INVALID_NONCE", "nonce نامعتبر، منقضی یا تکراری است")),
        }
        Ok(client.to_owned())
    }

    /// POST invoice: opens, judges and records each packet; the answer and
    /// how long to hold it back.
    fn receive(&self, client: &str, body: &[u8]) -> (Response, Option<Duration>) {
        let bad = |code: &str, message: &str| (refuse(StatusCode::BAD_REQUEST, code, message), None);
        let Ok(Value::Array(packets)) = serde_json::from_slice::<Value>(body) else {
            return bad("4100", "بدنه درخواست باید آرایه‌ای از بسته‌ها باشد");
        };
        if packets.is_empty() || packets.len() > MAX_PACKETS {
            return bad("4143", "تعداد بسته‌ها باید بین ۱ تا ۱۰۰۰ باشد");
        }
        let mut seen = std::collections::HashSet::new();
        let mut parsed = Vec::with_capacity(packets.len());
        for p in &packets {
            let h = &p["header"];
            let (Some(uid), Some(fiscal), Some(payload)) =
                (h["requestTraceId"].as_str(), h["fiscalId"].as_str(), p["payload"].as_str())
            else {
                return bad("4100", "هر بسته باید header.requestTraceId، header.fiscalId و payload داشته باشد");
            };
            if !seen.insert(uid) {
                return bad("4144", "شناسه requestTraceId در درخواست تکراری است");
            }
            parsed.push((uid, fiscal, payload));
        }
        // Decrypting is the slow part: done before taking the lock.
        let opened: Vec<_> = parsed.iter().map(|&(_, fiscal, payload)| self.open(client, fiscal, payload)).collect();
        let mut state = lock(&self.state);
        let mut result = Vec::with_capacity(parsed.len());
        for (&(uid, fiscal, _), opened) in parsed.iter().zip(opened) {
            let reference = state.record(uid, fiscal, opened);
            result.push(json!({"uid": uid, "packetType": null, "referenceNumber": reference, "data": null}));
        }
        (answer(StatusCode::OK, json!({"timestamp": now_ms(), "result": result})), state.delay)
    }

    /// The invoice inside a packet: decrypted, its signature by the
    /// certificate registered for `fiscal` verified, parsed.
    fn open(&self, client: &str, fiscal: &str, payload: &str) -> Result<Value, Fault> {
        let fault = |code: &str, message: &str| (code.to_owned(), message.to_owned());
        if fiscal != client {
            return Err(fault("0100105", "fiscalId بسته با clientId توکن یکی نیست"));
        }
        let jws = self.key.decrypt(payload)?;
        let (invoice, cert) =
            crypto::verify_jws(&jws, "INVOICE").map_err(|(_, m)| fault("0100102", &format!("امضای صورتحساب: {m}")))?;
        if lock(&self.state).certs.get(fiscal) != Some(&cert) || !crypto::cert_current(&cert) {
            return Err(fault("0100103", "گواهی امضای صورتحساب برای این حافظه مالیاتی معتبر نیست"));
        }
        match serde_json::from_slice::<Value>(&invoice) {
            Ok(v) if v.is_object() => Ok(v),
            _ => Err(fault("0100104", "صورتحساب JSON معتبر نیست")),
        }
    }

    /// GET inquiry-by-uid / inquiry-by-reference-id: one element per id
    /// asked, among the invoices of `client` sent as `fiscal`.
    fn inquire(&self, client: &str, fiscal: &str, ids: Vec<String>, by_uid: bool) -> Response {
        let state = lock(&self.state);
        let items: Vec<Value> = ids
            .into_iter()
            .map(|id| {
                let found = state.records.iter().find(|r| {
                    r.fiscal_id == client
                        && r.fiscal_id == fiscal
                        && if by_uid { r.uids.contains(&id) } else { r.invoice.reference_number == id }
                });
                let Some(r) = found else {
                    let (reference, uid) = if by_uid { (Value::Null, json!(id)) } else { (json!(id), Value::Null) };
                    return json!({"referenceNumber": reference, "uid": uid, "status": "NOT_FOUND", "data": {},
                        "packetType": "receive_invoice_confirm", "fiscalId": fiscal, "sign": ""});
                };
                let inv = &r.invoice;
                let errors: Vec<Value> =
                    inv.errors.iter().map(|(c, m)| json!({"code": c, "message": m, "errorType": "ERROR"})).collect();
                let data = json!({"error": errors, "warning": [], "success": inv.status == "SUCCESS"});
                let uid = if by_uid { id } else { inv.uid.clone() };
                json!({"referenceNumber": inv.reference_number, "uid": uid, "status": inv.status, "data": data,
                    "packetType": "receive_invoice_confirm", "fiscalId": r.fiscal_id, "sign": ""})
            })
            .collect();
        answer(StatusCode::OK, Value::Array(items))
    }
}

impl Inner {
    /// Records one packet (a resend of a recorded tax id only counts); its referenceNumber.
    fn record(&mut self, uid: &str, fiscal: &str, opened: Result<Value, Fault>) -> String {
        let tax_id = opened.as_ref().ok().and_then(|v| v["header"]["taxid"].as_str()).unwrap_or("").to_owned();
        if !tax_id.is_empty()
            && let Some(r) = self.records.iter_mut().find(|r| r.invoice.tax_id == tax_id)
        {
            self.duplicates += 1;
            r.uids.push(uid.to_owned());
            return r.invoice.reference_number.clone();
        }
        let (invoice, mut errors) = match opened {
            Ok(v) => {
                let records = &self.records;
                let referable = |irtaxid: &str| {
                    records
                        .iter()
                        .any(|r| r.fiscal_id == fiscal && r.invoice.tax_id == irtaxid && r.invoice.status == "SUCCESS")
                };
                let errors = judge::judge(&v, fiscal, referable);
                (v, errors)
            }
            Err(e) => (Value::Null, vec![e]),
        };
        errors.extend(self.reject.clone());
        let status = if errors.is_empty() { "SUCCESS" } else { "FAILED" };
        let reference = Uuid::now_v7().to_string();
        let invoice = ReceivedInvoice {
            tax_id,
            uid: uid.to_owned(),
            reference_number: reference.clone(),
            invoice,
            status: status.to_owned(),
            errors,
        };
        self.records.push(Record { invoice, fiscal_id: fiscal.to_owned(), uids: vec![uid.to_owned()] });
        reference
    }
}

#[cfg(test)]
mod selftest;

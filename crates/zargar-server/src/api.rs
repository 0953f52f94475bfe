//! The HTTP API: routes, extractors and the one error type they answer with.
//!
//! Error policy: every error is one JSON body `{code, message}` with the
//! status the protocol gives it. 4xx say what was wrong with the request;
//! 5xx are logged with the request id and say nothing of the internals.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa::OpenApi;
use uuid::Uuid;
use zargar_wire::{
    ConflictsResponse, DeviceRole, EnrollRequest, EnrollResponse, ErrorBody, ExportResponse, ExportRow,
    GoldPriceResponse, MAX_BODY_BYTES, MAX_OPS_PER_PUSH, MAX_PULL_LIMIT, OpStatus, PullResponse, PushRequest,
    PushResponse, SCHEMA_VERSION, ShopReport, StatusResponse,
};

use crate::auth;
use crate::checks;
use crate::limit::{RateLimit, RateLimiter};
use crate::live::{self, Notice, Notices};
use crate::metrics::Metrics;
use crate::retention::Retention;
use crate::storage::{ChangePos, DeviceAuth, Enrolment, PullOutcome, PushOutcome, Storage, StorageError};

/// Everything a request handler may reach.
#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    pub metrics: Arc<Metrics>,
    pub notices: Arc<Notices>,
    retention: Arc<Retention>,
    limiter: Arc<RateLimiter<Uuid>>,
    enrol_limiter: Arc<RateLimiter<IpAddr>>,
    request_timeout: Duration,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("request_timeout", &self.request_timeout).finish_non_exhaustive()
    }
}

impl AppState {
    /// `rate`: each device's; `enrol`: enrolments for the whole server
    /// (unauthenticated, so few guesses a second for everyone together).
    pub fn new(storage: Arc<dyn Storage>, rate: RateLimit, enrol: RateLimit, request_timeout: Duration) -> AppState {
        let metrics = Arc::new(Metrics::default());
        AppState {
            storage,
            notices: Arc::new(Notices::new(metrics.live_streams.clone(), metrics.live_notices.clone())),
            metrics,
            retention: Arc::default(),
            limiter: Arc::new(RateLimiter::new(rate)),
            enrol_limiter: Arc::new(RateLimiter::new(enrol)),
            request_timeout,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("a device token is required (Authorization: Bearer …)")]
    Unauthorized,
    #[error("this device has been revoked; its data stays on the till")]
    Revoked,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("the enrolment code is unknown, used or expired")]
    CodeInvalid,
    #[error("a device with this id is already enrolled; enrol with a new id")]
    DeviceExists,
    #[error("ops must continue from seq {expected_seq}")]
    SeqMismatch { expected_seq: u64 },
    #[error("the cursor is too old or unknown; pull again from the start")]
    CursorReset,
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    Malformed(String),
    #[error("Content-Type must be application/json")]
    UnsupportedMediaType,
    #[error("schema_version {0} is not supported; this server speaks {SCHEMA_VERSION}")]
    SchemaUnsupported(u32),
    #[error("too many requests from this device")]
    RateLimited(Duration),
    #[error("not found")]
    NotFound,
    #[error("the server is busy or shutting down")]
    Unavailable,
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized | ApiError::CodeInvalid => StatusCode::UNAUTHORIZED,
            ApiError::Revoked | ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::DeviceExists | ApiError::SeqMismatch { .. } => StatusCode::CONFLICT,
            ApiError::CursorReset => StatusCode::GONE,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Malformed(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::SchemaUnsupported(_) => StatusCode::UPGRADE_REQUIRED,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::Revoked => "device_revoked",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::CodeInvalid => "enrol_code_invalid",
            ApiError::DeviceExists => "device_exists",
            ApiError::SeqMismatch { .. } => "seq_mismatch",
            ApiError::CursorReset => "cursor_reset",
            ApiError::TooLarge(_) => "too_large",
            ApiError::Malformed(_) => "malformed",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::SchemaUnsupported(_) => "schema_unsupported",
            ApiError::RateLimited(_) => "rate_limited",
            ApiError::NotFound => "not_found",
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::DeviceRevoked => ApiError::Revoked,
            StorageError::CodeInvalid => ApiError::CodeInvalid,
            StorageError::DeviceExists => ApiError::DeviceExists,
            // A device's own tenant or device vanishing is not the caller's fault.
            StorageError::TenantUnknown | StorageError::DeviceUnknown => ApiError::Unauthorized,
            StorageError::TagTaken(t) => ApiError::Malformed(format!("tag {t} is taken")),
            StorageError::Unavailable(why) => {
                tracing::warn!(%why, "database unavailable");
                ApiError::Unavailable
            }
            e @ (StorageError::Backend(_) | StorageError::Setup(_)) => ApiError::Internal(e.chain()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let mut body = ErrorBody {
            code: self.code().into(),
            message: self.to_string(),
            expected_seq: None,
            reset: None,
            retry_after_seconds: None,
        };
        let mut headers = HeaderMap::new();
        match &self {
            ApiError::SeqMismatch { expected_seq } => body.expected_seq = Some(*expected_seq),
            ApiError::CursorReset => body.reset = Some(true),
            ApiError::RateLimited(wait) => {
                let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                body.retry_after_seconds = Some(secs.max(1));
                headers.insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
            }
            ApiError::Unavailable => {
                body.retry_after_seconds = Some(5);
                headers.insert(header::RETRY_AFTER, HeaderValue::from(5u64));
            }
            _ => {}
        }
        (status, headers, Json(body)).into_response()
    }
}

/// A JSON body: 415 without the JSON content type, 413 past the size
/// limit, 422 for anything serde refuses (syntax, types, missing fields).
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json =
            req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
                v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge(format!("the body is over {MAX_BODY_BYTES} bytes"))
            } else {
                ApiError::Malformed(format!("the body could not be read: {e}"))
            }
        })?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| ApiError::Malformed(format!("invalid JSON: {e}")))
    }
}

/// The device a request comes from, known by its token and nothing else.
#[derive(Debug, Clone)]
pub struct Device(pub DeviceAuth);

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let fail = |e: ApiError| {
            state.metrics.auth_failed();
            e
        };
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 200)
            .ok_or_else(|| fail(ApiError::Unauthorized))?;
        let device =
            state.storage.authenticate(auth::hash(token)).await?.ok_or_else(|| fail(ApiError::Unauthorized))?;
        if device.revoked {
            return Err(fail(ApiError::Revoked));
        }
        if let Err(wait) = state.limiter.check(&device.device_id) {
            state.metrics.rate_limited();
            return Err(ApiError::RateLimited(wait));
        }
        tracing::Span::current().record("device", tracing::field::display(device.device_id));
        Ok(Device(device))
    }
}

#[utoipa::path(post, path = "/api/v1/devices/enroll", request_body = EnrollRequest,
    responses((status = 200, body = EnrollResponse), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn enroll(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    JsonBody(req): JsonBody<EnrollRequest>,
) -> Result<Json<EnrollResponse>, ApiError> {
    // No token yet: the client's address is what is limited. Behind a reverse
    // proxy every till has the proxy's address, and the limit is the server's.
    let from = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |Extension(ConnectInfo(a))| a.ip());
    if let Err(wait) = state.enrol_limiter.check(&from) {
        state.metrics.rate_limited();
        return Err(ApiError::RateLimited(wait));
    }
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::Malformed("name: 1 to 100 characters, no control characters".into()));
    }
    let token = auth::new_token();
    let enrolment = Enrolment {
        code_hash: auth::hash(&auth::normalize_code(&req.code)),
        device_id: req.device_id,
        name,
        token_hash: auth::hash(&token),
        now: Utc::now(),
    };
    let (tenant, role) = state.storage.enroll(enrolment).await?;
    tracing::info!(device = %req.device_id, tenant = %tenant.id, "device enrolled");
    Ok(Json(EnrollResponse { device_token: token, device_id: req.device_id, role, tenant }))
}

#[utoipa::path(post, path = "/api/v1/sync/push", request_body = PushRequest, security(("device_token" = [])),
    responses((status = 200, body = PushResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 426, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn push(
    State(state): State<AppState>,
    Device(device): Device,
    JsonBody(req): JsonBody<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    let started = Instant::now();
    if req.device_id != device.device_id {
        return Err(ApiError::Forbidden("device_id is not the device this token was issued to"));
    }
    if req.schema_version != SCHEMA_VERSION {
        return Err(ApiError::SchemaUnsupported(req.schema_version));
    }
    if req.ops.len() > MAX_OPS_PER_PUSH {
        return Err(ApiError::TooLarge(format!("{} ops in one push; at most {MAX_OPS_PER_PUSH}", req.ops.len())));
    }
    for (i, op) in req.ops.iter().enumerate() {
        checks::well_formed(op).map_err(|e| ApiError::Malformed(e.to_string()))?;
        if req.ops[..i].iter().any(|o| o.op_id == op.op_id) {
            return Err(ApiError::Malformed(format!("op {} appears twice in the push", op.op_id)));
        }
    }
    let outcome = state.storage.push(&device, req.ops, Utc::now()).await?;
    state.metrics.push_took(started.elapsed());
    match outcome {
        PushOutcome::Done(response) => {
            for r in &response.results {
                state.metrics.op(r.status);
            }
            // Anything but a duplicate may have changed what the shop's other tills hold.
            if response.results.iter().any(|r| r.status != OpStatus::Duplicate) {
                state.notices.changed(device.tenant.id, Notice { origin: Some(device.device_id) });
            }
            state.retention.after_push(&state.storage, &state.metrics, device.tenant.id);
            Ok(Json(response))
        }
        PushOutcome::SeqMismatch { expected_seq } => Err(ApiError::SeqMismatch { expected_seq }),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct PullQuery {
    /// From the previous page's `next_cursor`; absent or empty for the start.
    cursor: Option<String>,
    /// At most 1000.
    limit: Option<u32>,
}

/// `PullResponse` as sent: the changes as they were logged (`PullPage`).
/// Same fields, same order; every pull test reads it back as `PullResponse`.
#[derive(Debug, Serialize)]
struct PullBody {
    changes: Vec<Box<RawValue>>,
    next_cursor: String,
    has_more: bool,
}

#[utoipa::path(get, path = "/api/v1/sync/pull", params(PullQuery), security(("device_token" = [])),
    responses((status = 200, body = PullResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 410, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn pull(
    State(state): State<AppState>,
    Device(device): Device,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PullBody>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::Malformed(e.body_text()))?;
    let cursor = ChangePos::from_cursor(q.cursor.as_deref().unwrap_or_default())
        .ok_or_else(|| ApiError::Malformed("cursor: not a cursor this server gave".into()))?;
    let limit = q.limit.unwrap_or(MAX_PULL_LIMIT);
    if !(1..=MAX_PULL_LIMIT).contains(&limit) {
        return Err(ApiError::Malformed(format!("limit: from 1 to {MAX_PULL_LIMIT}")));
    }
    state.metrics.pulled();
    match state.storage.pull(device.tenant.id, cursor, limit).await? {
        PullOutcome::Page(page) => {
            Ok(Json(PullBody { changes: page.changes, next_cursor: page.next.to_cursor(), has_more: page.has_more }))
        }
        PullOutcome::Reset => Err(ApiError::CursorReset),
    }
}

#[utoipa::path(get, path = "/api/v1/sync/status", security(("device_token" = [])),
    responses((status = 200, body = StatusResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn status(State(state): State<AppState>, Device(device): Device) -> Result<Json<StatusResponse>, ApiError> {
    Ok(Json(state.storage.status(&device, Utc::now()).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ConflictsQuery {
    /// Only the open ones (default), or all.
    open: Option<bool>,
}

/// The shop's conflicts. Every till of the shop may read them: the owner
/// settles conflicts on whichever till is at hand.
#[utoipa::path(get, path = "/api/v1/conflicts", params(ConflictsQuery), security(("device_token" = [])),
    responses((status = 200, body = ConflictsResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn conflicts(
    State(state): State<AppState>,
    Device(device): Device,
    query: Result<Query<ConflictsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<ConflictsResponse>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::Malformed(e.body_text()))?;
    let conflicts = state.storage.conflicts(device.tenant.id, q.open.unwrap_or(true)).await?;
    Ok(Json(ConflictsResponse { conflicts }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ExportQuery {
    /// First day (YYYY-MM-DD, UTC midnight) or instant (RFC 3339), inclusive.
    from: String,
    /// Last day, inclusive, or instant, exclusive.
    to: String,
    /// `csv` (default) or `json`.
    format: Option<String>,
}

fn parse_bound(s: &str, end: bool) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let day = if end { day.succ_opt()? } else { day };
    Some(day.and_hms_opt(0, 0, 0)?.and_utc())
}

/// A report's bound: an instant, or a day of the shop's calendar (Tehran),
/// which starts at Tehran's midnight; the day after it for an end. The
/// report's rows are Tehran days: a UTC day would leave out the sales made
/// between midnight and 03:30 in the shop.
fn tehran_bound(s: &str, end: bool) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let day = if end { day.succ_opt()? } else { day };
    let midnight = day.and_hms_opt(0, 0, 0)?.and_local_timezone(chrono_tz::Asia::Tehran).earliest()?;
    Some(midnight.with_timezone(&Utc))
}

/// One row per sale line. Only the owner's device may export: a till sees
/// its own sales on the till.
#[utoipa::path(get, path = "/api/v1/export", params(ExportQuery), security(("device_token" = [])),
    responses((status = 200, description = "CSV (text/csv) or JSON", body = ExportResponse),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn export(
    State(state): State<AppState>,
    Device(device): Device,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    if device.role != DeviceRole::Owner {
        return Err(ApiError::Forbidden("only the owner's device may export the shop's sales"));
    }
    let Query(q) = query.map_err(|e| ApiError::Malformed(e.body_text()))?;
    let from = parse_bound(&q.from, false).ok_or_else(|| ApiError::Malformed("from: YYYY-MM-DD or RFC 3339".into()))?;
    let to = parse_bound(&q.to, true).ok_or_else(|| ApiError::Malformed("to: YYYY-MM-DD or RFC 3339".into()))?;
    if to <= from {
        return Err(ApiError::Malformed("to must be after from".into()));
    }
    let rows = state.storage.export(device.tenant.id, from, to).await?;
    match q.format.as_deref().unwrap_or("csv") {
        "json" => Ok(Json(ExportResponse { rows }).into_response()),
        "csv" => {
            let csv = export_csv(&rows).map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response())
        }
        _ => Err(ApiError::Malformed("format: csv or json".into())),
    }
}

#[utoipa::path(get, path = "/api/v1/reports", security(("device_token" = [])), params(ExportQuery),
    responses((status = 200, description = "CSV (text/csv) or JSON", body = ShopReport),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn reports(
    State(state): State<AppState>,
    Device(device): Device,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    if device.role != DeviceRole::Owner {
        return Err(ApiError::Forbidden("only the owner's device may read the shop's reports"));
    }
    let Query(q) = query.map_err(|e| ApiError::Malformed(e.body_text()))?;
    let from =
        tehran_bound(&q.from, false).ok_or_else(|| ApiError::Malformed("from: YYYY-MM-DD or RFC 3339".into()))?;
    let to = tehran_bound(&q.to, true).ok_or_else(|| ApiError::Malformed("to: YYYY-MM-DD or RFC 3339".into()))?;
    if to <= from {
        return Err(ApiError::Malformed("to must be after from".into()));
    }
    let report = state.storage.shop_report(device.tenant.id, from, to).await?;
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(report).into_response()),
        "csv" => {
            let csv = crate::reports::csv(&report).map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response())
        }
        _ => Err(ApiError::Malformed("format: csv or json".into())),
    }
}

fn export_csv(rows: &[ExportRow]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row)?;
    }
    if rows.is_empty() {
        // An empty export still names its columns.
        w.write_record(ExportRow::csv_columns())?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[utoipa::path(get, path = "/api/v1/gold-price", security(("device_token" = [])),
    responses((status = 200, body = GoldPriceResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn gold_price(
    State(state): State<AppState>,
    Device(device): Device,
) -> Result<Json<GoldPriceResponse>, ApiError> {
    Ok(Json(GoldPriceResponse { price: state.storage.gold_price(device.tenant.id).await? }))
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "The server and its database answer"), (status = 503, body = ErrorBody)))]
async fn healthz(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    state.storage.ping().await.map_err(|_| ApiError::Unavailable)?;
    Ok(Json(serde_json::json!({ "status": "ok", "schema_version": SCHEMA_VERSION })))
}

#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus text format")))]
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    ([(header::CONTENT_TYPE, content_type)], state.metrics.render())
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "device_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The device token from enrolment"))
                    .build(),
            ),
        );
    }
}

#[derive(Debug, OpenApi)]
#[openapi(
    info(title = "Zargar POS tenant sync server", description = "The sync protocol between Zargar tills and their shop's server."),
    paths(enroll, push, pull, live::events, status, conflicts, export, reports, gold_price, healthz, metrics),
    modifiers(&SecurityAddon)
)]
pub struct ApiDoc;

/// A body declared larger than any request may be is refused at once, from
/// its `Content-Length`, before a byte of it is read.
async fn refuse_declared_oversize(req: Request, next: Next) -> Response {
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    match declared {
        Some(n) if n > MAX_BODY_BYTES as u64 => {
            // The unread body makes the connection unusable: say so, or the
            // client's pool would send its next request down a dead line.
            let refused = ApiError::TooLarge(format!("a body of {n} bytes; at most {MAX_BODY_BYTES}"));
            ([(header::CONNECTION, "close")], refused).into_response()
        }
        _ => next.run(req).await,
    }
}

/// Counts error responses for `/metrics`, and gives the errors the layers
/// answer by themselves (405, 408, an unknown content encoding) the same
/// JSON body as ours.
async fn errors_as_json(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    if status.is_client_error() {
        state.metrics.error("4xx");
    } else if status.is_server_error() {
        state.metrics.error("5xx");
    }
    if !(status.is_client_error() || status.is_server_error()) || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    let code = match status {
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message = status.canonical_reason().unwrap_or("error").to_owned();
    let (mut parts, _) = response.into_parts();
    let body = ErrorBody { code: code.into(), message, expected_seq: None, reset: None, retry_after_seconds: None };
    let mut json = (status, Json(body)).into_response();
    // Keep what the layer said (Allow, say), with our body.
    for (name, value) in parts.headers.drain().filter_map(|(n, v)| n.map(|n| (n, v))) {
        json.headers_mut().entry(name).or_insert(value);
    }
    json
}

/// The whole API. Logs carry the request id and the device, never a token.
pub fn router(state: AppState) -> Router {
    let timeout = state.request_timeout;
    Router::new()
        .route("/api/v1/devices/enroll", post(enroll))
        .route("/api/v1/sync/push", post(push))
        .route("/api/v1/sync/pull", get(pull))
        .route("/api/v1/sync/events", get(live::events))
        .route("/api/v1/sync/status", get(status))
        .route("/api/v1/conflicts", get(conflicts))
        .route("/api/v1/export", get(export))
        .route("/api/v1/reports", get(reports))
        .route("/api/v1/gold-price", get(gold_price))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestDecompressionLayer::new())
        .layer(middleware::from_fn(refuse_declared_oversize))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(middleware::from_fn_with_state(state.clone(), errors_as_json))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().on_response(DefaultOnResponse::new().level(tracing::Level::INFO)).make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            // The path only: a query never carries a secret here, but the
            // headers carry the token and are not logged.
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id, device = tracing::field::Empty)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::tehran_bound;

    #[test]
    fn a_report_day_is_the_shops_day_from_tehrans_midnight() {
        let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().expect("instant");
        // A sale at 00:10 in Tehran on 2 December belongs to that day, not to the UTC day before.
        assert_eq!(tehran_bound("2026-12-02", false), Some(at("2026-12-01T20:30:00Z")));
        assert_eq!(tehran_bound("2026-12-02", true), Some(at("2026-12-02T20:30:00Z")));
        assert_eq!(tehran_bound("2026-12-02T10:00:00Z", false), Some(at("2026-12-02T10:00:00Z")));
        assert_eq!(tehran_bound("yesterday", false), None);
    }
}

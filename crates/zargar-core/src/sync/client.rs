//! The HTTP half of sync: the protocol's calls, and every status code the
//! server can answer mapped to what the till does about it.

use std::io::Write;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;
use zargar_wire::{EnrollRequest, EnrollResponse, ErrorBody, PullResponse, PushRequest, PushResponse, StatusResponse};

use super::{SyncConfig, SyncError};

/// Bodies above this are sent gzipped: a day's backlog of sales shrinks
/// about tenfold, which matters on a shop's slow uplink.
const GZIP_ABOVE: usize = 16 * 1024;

/// An answer the round handles itself rather than as an error.
#[derive(Debug)]
pub(crate) enum Answer<T> {
    Ok(T),
    /// 409: the server has every op below this seq; resend from it.
    ResendFrom(u64),
    /// 413: the batch is too large; halve it.
    TooLarge,
    /// 410: the pull cursor is older than the server's history.
    CursorGone,
}

#[derive(Debug, Clone)]
pub(crate) struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

pub(crate) fn check_url(url: &str) -> Result<String, SyncError> {
    let url = url.trim().trim_end_matches('/');
    let ok = reqwest::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some() && u.query().is_none());
    match ok {
        Some(_) => Ok(url.to_owned()),
        None => Err(SyncError::BadServerUrl(url.to_owned())),
    }
}

impl Client {
    pub(crate) fn new(base: &str, token: &str, config: &SyncConfig) -> Result<Client, SyncError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(format!("zargar-till/{}", config.app_version))
            .build()
            .map_err(|e| SyncError::Protocol(format!("http client: {e}")))?;
        Ok(Client { http, base: check_url(base)?, token: token.to_owned() })
    }

    /// A client for the live stream: no overall timeout (the stream is
    /// meant to stay open; `live` watches for silence itself).
    pub(crate) fn streaming(base: &str, token: &str, config: &SyncConfig) -> Result<Client, SyncError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .user_agent(format!("zargar-till/{}", config.app_version))
            .build()
            .map_err(|e| SyncError::Protocol(format!("http client: {e}")))?;
        Ok(Client { http, base: check_url(base)?, token: token.to_owned() })
    }

    /// Opens the shop's change notices (Server-Sent Events).
    pub(crate) async fn events(&self) -> Result<Response, SyncError> {
        let res = self
            .http
            .get(format!("{}/api/v1/sync/events", self.base))
            .header(AUTHORIZATION, format!("Bearer {}", self.token))
            .header(ACCEPT, "text/event-stream")
            .send()
            .await
            .map_err(transport)?;
        match res.status() {
            s if s.is_success() => Ok(res),
            _ => Err(failure(res).await),
        }
    }

    /// Exchanges a one-time enrolment code for this till's token.
    pub(crate) async fn enroll(&self, req: &EnrollRequest) -> Result<EnrollResponse, SyncError> {
        let res =
            self.http.post(format!("{}/api/v1/devices/enroll", self.base)).json(req).send().await.map_err(transport)?;
        match res.status() {
            s if s.is_success() => body(res).await,
            StatusCode::UNAUTHORIZED | StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY => {
                let e = error_body(res).await;
                Err(SyncError::EnrollRefused { code: e.code, message: e.message })
            }
            _ => Err(failure(res).await),
        }
    }

    pub(crate) async fn push(&self, req: &PushRequest) -> Result<Answer<PushResponse>, SyncError> {
        let json = serde_json::to_vec(req).map_err(|e| SyncError::Protocol(format!("encode push: {e}")))?;
        let mut call = self
            .http
            .post(format!("{}/api/v1/sync/push", self.base))
            .header(AUTHORIZATION, format!("Bearer {}", self.token))
            .header(CONTENT_TYPE, "application/json");
        call = if json.len() > GZIP_ABOVE {
            call.header(CONTENT_ENCODING, "gzip").body(gzip(&json)?)
        } else {
            call.body(json)
        };
        let res = call.send().await.map_err(transport)?;
        match res.status() {
            s if s.is_success() => Ok(Answer::Ok(body(res).await?)),
            StatusCode::PAYLOAD_TOO_LARGE => Ok(Answer::TooLarge),
            StatusCode::CONFLICT => {
                let e = error_body(res).await;
                match e.expected_seq {
                    Some(seq) if seq > 0 => Ok(Answer::ResendFrom(seq)),
                    _ => Err(SyncError::Protocol(format!("409 without expected_seq: {}", e.message))),
                }
            }
            _ => Err(failure(res).await),
        }
    }

    pub(crate) async fn pull(&self, cursor: Option<&str>, limit: u32) -> Result<Answer<PullResponse>, SyncError> {
        let mut query: Vec<(&str, String)> = vec![("limit", limit.to_string())];
        if let Some(c) = cursor {
            query.push(("cursor", c.to_owned()));
        }
        let res = self
            .http
            .get(format!("{}/api/v1/sync/pull", self.base))
            .header(AUTHORIZATION, format!("Bearer {}", self.token))
            .query(&query)
            .send()
            .await
            .map_err(transport)?;
        match res.status() {
            s if s.is_success() => Ok(Answer::Ok(body(res).await?)),
            StatusCode::GONE => Ok(Answer::CursorGone),
            _ => Err(failure(res).await),
        }
    }

    /// What the server holds of this till: its acknowledged seq above all.
    pub(crate) async fn status(&self) -> Result<StatusResponse, SyncError> {
        let res = self
            .http
            .get(format!("{}/api/v1/sync/status", self.base))
            .header(AUTHORIZATION, format!("Bearer {}", self.token))
            .send()
            .await
            .map_err(transport)?;
        match res.status() {
            s if s.is_success() => body(res).await,
            _ => Err(failure(res).await),
        }
    }

    /// The owner's view of the shop over Tehran days `from` to `to`
    /// (`YYYY-MM-DD`, both inclusive); the server answers 403 to a device
    /// that is not the owner's.
    pub(crate) async fn report(&self, from: &str, to: &str) -> Result<zargar_wire::ShopReport, SyncError> {
        body(self.report_as(from, to, "json").await?).await
    }

    /// The same report as the server's CSV, a row per day, till and person.
    pub(crate) async fn report_csv(&self, from: &str, to: &str) -> Result<Vec<u8>, SyncError> {
        let res = self.report_as(from, to, "csv").await?;
        Ok(res.bytes().await.map_err(transport)?.to_vec())
    }

    async fn report_as(&self, from: &str, to: &str, format: &str) -> Result<Response, SyncError> {
        let res = self
            .http
            .get(format!("{}/api/v1/reports", self.base))
            .query(&[("from", from), ("to", to), ("format", format)])
            .header(AUTHORIZATION, format!("Bearer {}", self.token))
            .send()
            .await
            .map_err(transport)?;
        match res.status() {
            s if s.is_success() => Ok(res),
            _ => Err(failure(res).await),
        }
    }

    /// True when the server answers at all: how the engine notices that the
    /// network is back without spending its backoff.
    pub(crate) async fn reachable(&self) -> bool {
        let probe = self.http.get(format!("{}/healthz", self.base)).timeout(Duration::from_secs(3)).send();
        matches!(probe.await, Ok(r) if r.status().is_success())
    }
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>, SyncError> {
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 8), flate2::Compression::fast());
    enc.write_all(bytes).and_then(|_| enc.finish()).map_err(|e| SyncError::Protocol(format!("gzip: {e}")))
}

/// A request that never got a whole answer: no connection, a timeout, a
/// connection cut mid-answer. The op may or may not have been applied;
/// resending the same op ids makes that safe.
fn transport(e: reqwest::Error) -> SyncError {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        "connection lost"
    };
    SyncError::Offline(format!("{what}: {}", root_cause(&e)))
}

fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

async fn body<T: DeserializeOwned>(res: Response) -> Result<T, SyncError> {
    // A body cut in the middle is a lost answer, not a server bug.
    let bytes = res.bytes().await.map_err(transport)?;
    serde_json::from_slice(&bytes).map_err(|e| {
        if e.is_eof() {
            SyncError::Offline(format!("answer cut short: {e}"))
        } else {
            SyncError::Protocol(format!("unreadable answer: {e}"))
        }
    })
}

async fn error_body(res: Response) -> ErrorBody {
    let status = res.status();
    let retry = retry_after(res.headers());
    let fallback = ErrorBody {
        code: status.as_u16().to_string(),
        message: status.canonical_reason().unwrap_or("error").to_owned(),
        expected_seq: None,
        reset: None,
        retry_after_seconds: retry.map(|d| d.as_secs()),
    };
    match res.bytes().await {
        Ok(b) => serde_json::from_slice(&b).unwrap_or(fallback),
        Err(_) => fallback,
    }
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?;
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Every other status, as the design's table says.
async fn failure(res: Response) -> SyncError {
    let status = res.status();
    let header_wait = retry_after(res.headers());
    let e = error_body(res).await;
    match status {
        StatusCode::UNAUTHORIZED => SyncError::Unauthorized,
        StatusCode::FORBIDDEN => SyncError::Revoked,
        StatusCode::UPGRADE_REQUIRED => SyncError::UpgradeRequired,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => SyncError::SlowDown {
            status: status.as_u16(),
            retry_after: header_wait.or(e.retry_after_seconds.map(Duration::from_secs)),
        },
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            SyncError::Malformed(format!("{}: {}", e.code, e.message))
        }
        s => SyncError::Server { status: s.as_u16(), code: e.code, message: e.message },
    }
}

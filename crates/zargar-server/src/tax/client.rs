//! The tax organisation's API (v2), as its public SDKs speak it: a fresh
//! nonce and a signed single-use token for every request, the service's
//! public key from its server information, invoices sent in packets, and
//! the verdicts asked after by the packets' trace ids.

use std::time::Duration;

use chrono::Utc;
use serde::Deserialize;
use uuid::Uuid;
use zargar_wire::TaxMessage;

use super::TaxError;
use super::sign::ShopSigner;

/// Production; the sandbox is `https://sandboxrc.tax.gov.ir/requestsmanager/api/v2`.
pub const PRODUCTION: &str = "https://tp.tax.gov.ir/requestsmanager/api/v2";

/// The most of an answer read.
const MAX_ANSWER: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct TaxClient {
    http: reqwest::Client,
    base: String,
}

/// The key invoices are sealed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceKey {
    pub key: String,
    pub id: String,
}

/// One packet: an invoice sealed, under its trace id.
#[derive(Debug, Clone)]
pub struct Packet {
    pub uid: Uuid,
    pub fiscal_id: String,
    pub payload: String,
}

/// What the service knows of a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It has not seen the packet.
    NotFound,
    /// Taken, not yet judged.
    InProgress {
        reference: Option<String>,
    },
    Accepted {
        reference: Option<String>,
    },
    Rejected {
        reference: Option<String>,
        errors: Vec<TaxMessage>,
    },
}

#[derive(Deserialize)]
struct Nonce {
    nonce: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServerInformation {
    public_keys: Vec<PublicKey>,
}

#[derive(Deserialize)]
struct PublicKey {
    key: String,
    id: String,
    #[serde(default)]
    algorithm: Option<String>,
}

#[derive(Deserialize)]
struct SendAnswer {
    result: Vec<SendResult>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SendResult {
    uid: String,
    reference_number: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Inquiry {
    uid: Option<String>,
    reference_number: Option<String>,
    status: String,
    #[serde(default)]
    data: Option<InquiryData>,
}

#[derive(Deserialize, Default)]
struct InquiryData {
    #[serde(default)]
    error: Vec<ServiceMessage>,
}

#[derive(Deserialize)]
struct ServiceMessage {
    code: serde_json::Value,
    message: String,
}

impl TaxClient {
    pub fn new(base: &str, timeout: Duration) -> Result<TaxClient, TaxError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| TaxError::Unreachable(e.to_string()))?;
        Ok(TaxClient { http, base: base.trim_end_matches('/').to_owned() })
    }

    async fn read(answer: reqwest::Response) -> Result<Vec<u8>, TaxError> {
        let status = answer.status();
        let mut answer = answer;
        let mut body = Vec::new();
        while let Some(chunk) = answer.chunk().await.map_err(|e| TaxError::Unreachable(format!("cut off: {e}")))? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_ANSWER {
                return Err(TaxError::Service(format!("an answer of more than {MAX_ANSWER} bytes")));
            }
        }
        if status.is_server_error() {
            return Err(TaxError::Unreachable(format!("answered {status}")));
        }
        if !status.is_success() {
            return Err(TaxError::Service(format!("answered {status}: {}", String::from_utf8_lossy(&body))));
        }
        Ok(body)
    }

    fn unreachable(e: reqwest::Error) -> TaxError {
        TaxError::Unreachable(e.to_string())
    }

    /// A single-use token: the service's nonce, signed as `memory_id`.
    async fn token(&self, signer: &ShopSigner, memory_id: &str) -> Result<String, TaxError> {
        let answer = self
            .http
            .get(format!("{}/nonce", self.base))
            .query(&[("timeToLive", "30")])
            .send()
            .await
            .map_err(Self::unreachable)?;
        let nonce: Nonce =
            serde_json::from_slice(&Self::read(answer).await?).map_err(|e| TaxError::Service(format!("nonce: {e}")))?;
        let claims = serde_json::json!({ "nonce": nonce.nonce, "clientId": memory_id });
        Ok(format!("Bearer {}", signer.sign(claims.to_string().as_bytes(), Utc::now())?))
    }

    async fn get(
        &self,
        signer: &ShopSigner,
        memory_id: &str,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Vec<u8>, TaxError> {
        let token = self.token(signer, memory_id).await?;
        let answer = self
            .http
            .get(format!("{}/{path}", self.base))
            .query(query)
            .header("Authorization", token)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(Self::unreachable)?;
        Self::read(answer).await
    }

    /// The key (and its id) invoices are sealed to.
    pub async fn service_key(&self, signer: &ShopSigner, memory_id: &str) -> Result<ServiceKey, TaxError> {
        let body = self.get(signer, memory_id, "server-information", &[]).await?;
        let info: ServerInformation =
            serde_json::from_slice(&body).map_err(|e| TaxError::Service(format!("server information: {e}")))?;
        let key = info
            .public_keys
            .into_iter()
            .find(|k| k.algorithm.as_deref().is_none_or(|a| a.eq_ignore_ascii_case("RSA")))
            .ok_or_else(|| TaxError::Service("server information names no RSA key".into()))?;
        Ok(ServiceKey { key: key.key, id: key.id })
    }

    /// Sends packets; gives each trace id the service's reference.
    pub async fn send(
        &self,
        signer: &ShopSigner,
        memory_id: &str,
        packets: &[Packet],
    ) -> Result<Vec<(Uuid, Option<String>)>, TaxError> {
        let token = self.token(signer, memory_id).await?;
        let body: Vec<serde_json::Value> = packets
            .iter()
            .map(|p| {
                serde_json::json!({
                    "header": { "requestTraceId": p.uid.to_string(), "fiscalId": p.fiscal_id },
                    "payload": p.payload,
                })
            })
            .collect();
        let answer = self
            .http
            .post(format!("{}/invoice", self.base))
            .header("Authorization", token)
            .json(&body)
            .send()
            .await
            .map_err(Self::unreachable)?;
        let answer: SendAnswer = serde_json::from_slice(&Self::read(answer).await?)
            .map_err(|e| TaxError::Service(format!("the answer to a send: {e}")))?;
        Ok(answer
            .result
            .into_iter()
            .filter_map(|r| Some((Uuid::parse_str(&r.uid).ok()?, r.reference_number)))
            .collect())
    }

    /// What the service knows of each trace id.
    pub async fn inquire(
        &self,
        signer: &ShopSigner,
        memory_id: &str,
        uids: &[Uuid],
    ) -> Result<Vec<(Uuid, Verdict)>, TaxError> {
        let uids_text: Vec<String> = uids.iter().map(Uuid::to_string).collect();
        let mut query: Vec<(&str, &str)> = uids_text.iter().map(|u| ("uidList", u.as_str())).collect();
        query.push(("fiscalId", memory_id));
        let body = self.get(signer, memory_id, "inquiry-by-uid", &query).await?;
        let answers: Vec<Inquiry> =
            serde_json::from_slice(&body).map_err(|e| TaxError::Service(format!("an inquiry's answer: {e}")))?;
        Ok(answers
            .into_iter()
            .filter_map(|a| {
                let uid = Uuid::parse_str(a.uid.as_deref()?).ok()?;
                let reference = a.reference_number;
                let verdict = match a.status.as_str() {
                    "SUCCESS" => Verdict::Accepted { reference },
                    "FAILED" => Verdict::Rejected {
                        reference,
                        errors: a
                            .data
                            .unwrap_or_default()
                            .error
                            .into_iter()
                            .map(|m| TaxMessage {
                                code: m.code.as_str().map_or_else(|| m.code.to_string(), str::to_owned),
                                message: m.message,
                            })
                            .collect(),
                    },
                    "NOT_FOUND" => Verdict::NotFound,
                    // IN_PROGRESS, PENDING, TIMEOUT, or a status new to us.
                    _ => Verdict::InProgress { reference },
                };
                Some((uid, verdict))
            })
            .collect())
    }
}

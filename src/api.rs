//! The one place that talks to the petition API (docs/api.md), and the in-browser demo
//! backend that imitates it when no `api_base_url` is configured.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use gloo_net::http::{Request, RequestBuilder};
use gloo_timers::future::TimeoutFuture;
use petitie_core::contract::{
    ErrorBody, Field, Petition, PetitionStatus, SignResponse, SignatureRequest,
};
use petitie_core::retry::parse_retry_after;
use petitie_core::FieldError;
use thiserror::Error;
use web_sys::{AbortSignal, RequestCredentials};

/// How long one request may take before it counts as failed.
const REQUEST_TIMEOUT_MS: u32 = 15_000;

/// What went wrong talking to the API.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    #[error("no answer (network or timeout)")]
    NoAnswer,
    #[error("server error {0}")]
    Server(u16),
    #[error("rate limited")]
    RateLimited { retry_after_s: Option<u32> },
    #[error("petition closed")]
    Closed,
    #[error("invalid fields")]
    Invalid(Vec<(Field, FieldError)>),
    #[error("rejected with {0}")]
    Rejected(u16),
    #[error("unreadable answer")]
    Malformed,
}

impl ApiError {
    /// Failures worth retrying with the same idempotency key.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::NoAnswer | ApiError::Server(_) | ApiError::Malformed
        )
    }
}

/// A designer's preview state, forced with `?demo=…` in demo mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoMode {
    Slow,
    Fail,
    RateLimited,
    Closed,
    InvalidEmail,
}

impl DemoMode {
    pub fn from_query(query: &str) -> Option<DemoMode> {
        let value = petitie_core::attribution::query_pairs(query)
            .into_iter()
            .find(|(k, _)| k == "demo")
            .map(|(_, v)| v)?;
        match value.as_str() {
            "slow" => Some(DemoMode::Slow),
            "fail" => Some(DemoMode::Fail),
            "rate_limited" => Some(DemoMode::RateLimited),
            "closed" => Some(DemoMode::Closed),
            "invalid_email" => Some(DemoMode::InvalidEmail),
            _ => None,
        }
    }
}

/// The demo backend's memory: who signed, which keys were used and what they were answered.
/// A handful of entries in one browser tab.
#[derive(Debug, Default)]
pub struct DemoStore {
    emails: Vec<String>,
    answers: Vec<(String, u64)>,
}

/// Either the real HTTP API or the demo; both answer the same calls.
#[derive(Debug, Clone)]
pub enum Backend {
    Http {
        base_url: String,
        petition_id: String,
    },
    Demo {
        mode: Option<DemoMode>,
        count: Arc<AtomicU64>,
        store: Arc<Mutex<DemoStore>>,
    },
}

impl Backend {
    pub fn http(base_url: String, petition_id: String) -> Backend {
        Backend::Http {
            base_url,
            petition_id,
        }
    }

    pub fn demo(mode: Option<DemoMode>, seed: u64) -> Backend {
        Backend::Demo {
            mode,
            count: Arc::new(AtomicU64::new(38_000 + seed % 3_000)),
            store: Arc::new(Mutex::new(DemoStore::default())),
        }
    }

    pub fn is_demo(&self) -> bool {
        matches!(self, Backend::Demo { .. })
    }

    /// `GET /petitions/{id}`.
    pub async fn petition(&self) -> Result<Petition, ApiError> {
        match self {
            Backend::Http {
                base_url,
                petition_id,
            } => {
                let url = format!("{base_url}/petitions/{petition_id}");
                let request = Request::get(&url)
                    .credentials(RequestCredentials::Omit)
                    .header("Accept", "application/json");
                let response =
                    send(timed(request).build().map_err(|_| ApiError::Malformed)?).await?;
                match response.status {
                    200 => serde_json::from_str(&response.text).map_err(|_| ApiError::Malformed),
                    _ => Err(error_from(&response)),
                }
            }
            Backend::Demo { mode, count, .. } => {
                demo_latency(*mode).await;
                Ok(Petition {
                    id: "demo".into(),
                    count: count.load(Ordering::Relaxed),
                    status: if *mode == Some(DemoMode::Closed) {
                        PetitionStatus::Closed
                    } else {
                        PetitionStatus::Open
                    },
                })
            }
        }
    }

    /// `POST /petitions/{id}/signatures`; the new count on success.
    pub async fn sign(
        &self,
        idempotency_key: &str,
        body: &SignatureRequest,
    ) -> Result<u64, ApiError> {
        match self {
            Backend::Http {
                base_url,
                petition_id,
            } => {
                let url = format!("{base_url}/petitions/{petition_id}/signatures");
                let request = Request::post(&url)
                    .credentials(RequestCredentials::Omit)
                    .header("Accept", "application/json")
                    .header("Idempotency-Key", idempotency_key);
                // Sets Content-Type: application/json.
                let request = timed(request).json(body).map_err(|_| ApiError::Malformed)?;
                let response = send(request).await?;
                match response.status {
                    200 | 201 => serde_json::from_str::<SignResponse>(&response.text)
                        .map(|r| r.count)
                        .map_err(|_| ApiError::Malformed),
                    _ => Err(error_from(&response)),
                }
            }
            Backend::Demo { mode, count, store } => {
                demo_latency(*mode).await;
                match mode {
                    Some(DemoMode::Fail) => return Err(ApiError::Server(503)),
                    Some(DemoMode::RateLimited) => {
                        return Err(ApiError::RateLimited {
                            retry_after_s: Some(30),
                        })
                    }
                    Some(DemoMode::Closed) => return Err(ApiError::Closed),
                    Some(DemoMode::InvalidEmail) => {
                        return Err(ApiError::Invalid(vec![(Field::Email, FieldError::Invalid)]))
                    }
                    _ => {}
                }
                let mut store = store.lock().map_err(|_| ApiError::Server(500))?;
                if let Some((_, answer)) =
                    store.answers.iter().find(|(key, _)| key == idempotency_key)
                {
                    return Ok(*answer);
                }
                let email = petitie_core::email::lowercase(&body.email);
                let new_count = if store.emails.contains(&email) {
                    count.load(Ordering::Relaxed)
                } else {
                    store.emails.push(email);
                    count.fetch_add(1, Ordering::Relaxed) + 1
                };
                store.answers.push((idempotency_key.to_string(), new_count));
                Ok(new_count)
            }
        }
    }
}

async fn demo_latency(mode: Option<DemoMode>) {
    let ms = match mode {
        Some(DemoMode::Slow) => 4_000,
        _ => 300 + (crate::dom::random_unit() * 500.0) as u32,
    };
    TimeoutFuture::new(ms).await;
}

/// An HTTP answer, read whole (the API's answers are a few bytes).
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    pub text: String,
}

/// A request that is aborted when it has taken longer than the timeout, reading the answer
/// included.
pub fn timed(request: RequestBuilder) -> RequestBuilder {
    request.abort_signal(Some(&AbortSignal::timeout_with_u32(REQUEST_TIMEOUT_MS)))
}

/// Sends one request (see [`timed`]) and reads its answer. `Err` when no answer arrived.
pub async fn send(request: Request) -> Result<Answer, ApiError> {
    let response = request.send().await.map_err(|_| ApiError::NoAnswer)?;
    let text = response.text().await.map_err(|_| ApiError::NoAnswer)?;
    Ok(Answer {
        status: response.status(),
        retry_after: response.headers().get("Retry-After"),
        text,
    })
}

/// Maps an error answer to an [`ApiError`].
fn error_from(response: &Answer) -> ApiError {
    let status = response.status;
    match status {
        409 => ApiError::Closed,
        429 => ApiError::RateLimited {
            retry_after_s: response.retry_after.as_deref().and_then(parse_retry_after),
        },
        422 => {
            let fields = serde_json::from_str::<ErrorBody>(&response.text)
                .ok()
                .and_then(|b| b.fields)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(k, code)| {
                    Field::from_key(&k).map(|f| (f, FieldError::from_code(&code)))
                })
                .collect::<Vec<_>>();
            if fields.is_empty() {
                ApiError::Rejected(422)
            } else {
                ApiError::Invalid(fields)
            }
        }
        500..=599 => ApiError::Server(status),
        _ => ApiError::Rejected(status),
    }
}

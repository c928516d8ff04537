//! The one place that talks to the petition API (docs/api.md), and the one type the app
//! calls, [`Backend`]: that API, or the in-browser demo (`crate::demo`) when no
//! `api_base_url` is configured.

use gloo_net::http::{Request, RequestBuilder};
use petitie_core::contract::{
    ConfirmationRequest, ConfirmedResponse, ErrorBody, Field, Petition, SignAnswer, SignResponse,
    SignatureRequest, TokenRequest,
};
use petitie_core::retry::parse_retry_after;
use petitie_core::FieldError;
use thiserror::Error;
use web_sys::{AbortSignal, RequestCredentials};

use crate::demo::Demo;
pub use crate::demo::DemoMode;

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
    /// A confirmation link's token is unknown, expired or withdrawn (`410`).
    #[error("link expired")]
    Expired,
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

/// Either the real HTTP API or the demo; both answer the same calls.
#[derive(Debug, Clone)]
pub enum Backend {
    Http {
        base_url: String,
        petition_id: String,
    },
    Demo(Demo),
}

impl Backend {
    pub fn http(base_url: String, petition_id: String) -> Backend {
        Backend::Http {
            base_url,
            petition_id,
        }
    }

    pub fn demo(mode: Option<DemoMode>, seed: u64) -> Backend {
        Backend::Demo(Demo::new(mode, seed))
    }

    pub fn is_demo(&self) -> bool {
        matches!(self, Backend::Demo(_))
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
            Backend::Demo(demo) => demo.petition().await,
        }
    }

    /// `POST /petitions/{id}/signatures`: the count, and whether the signature waits for
    /// its confirmation by e-mail.
    pub async fn sign(
        &self,
        idempotency_key: &str,
        body: &SignatureRequest,
    ) -> Result<SignAnswer, ApiError> {
        match self {
            Backend::Http { .. } => {
                let answer = self.post("signatures", body, Some(idempotency_key)).await?;
                match answer.status {
                    200..=202 => read(&answer),
                    _ => Err(error_from(&answer)),
                }
            }
            Backend::Demo(demo) => demo.sign(idempotency_key, body).await,
        }
    }

    /// `POST /petitions/{id}/confirmations`: the count with the signature, and its first name.
    pub async fn confirm(&self, token: &str) -> Result<ConfirmedResponse, ApiError> {
        let body = TokenRequest {
            token: token.to_string(),
        };
        match self {
            Backend::Http { .. } => read_ok(&self.post("confirmations", &body, None).await?),
            Backend::Demo(demo) => demo.confirm(token).await,
        }
    }

    /// `POST /petitions/{id}/withdrawals`: the count without the signature.
    pub async fn withdraw(&self, token: &str) -> Result<u64, ApiError> {
        let body = TokenRequest {
            token: token.to_string(),
        };
        match self {
            Backend::Http { .. } => {
                read_ok::<SignResponse>(&self.post("withdrawals", &body, None).await?)
                    .map(|r| r.count)
            }
            Backend::Demo(demo) => demo.withdraw(token).await,
        }
    }

    /// `POST /petitions/{id}/confirmation-requests`: a new link for this address, if it
    /// signed (the answer is the same either way).
    pub async fn request_confirmation(&self, email: &str) -> Result<(), ApiError> {
        let body = ConfirmationRequest {
            email: email.to_string(),
        };
        match self {
            Backend::Http { .. } => {
                let answer = self.post("confirmation-requests", &body, None).await?;
                match answer.status {
                    200..=299 => Ok(()),
                    _ => Err(error_from(&answer)),
                }
            }
            Backend::Demo(_) => Ok(()),
        }
    }

    /// `POST {api}/petitions/{id}/{what}` with a JSON body (and an idempotency key).
    async fn post(
        &self,
        what: &str,
        body: &impl serde::Serialize,
        idempotency_key: Option<&str>,
    ) -> Result<Answer, ApiError> {
        let Backend::Http {
            base_url,
            petition_id,
        } = self
        else {
            return Err(ApiError::NoAnswer);
        };
        let url = format!("{base_url}/petitions/{petition_id}/{what}");
        let mut request = Request::post(&url)
            .credentials(RequestCredentials::Omit)
            .header("Accept", "application/json");
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        // Sets Content-Type: application/json.
        send(timed(request).json(body).map_err(|_| ApiError::Malformed)?).await
    }
}

/// An answer's JSON body.
fn read<T: serde::de::DeserializeOwned>(answer: &Answer) -> Result<T, ApiError> {
    serde_json::from_str(&answer.text).map_err(|_| ApiError::Malformed)
}

/// A `200` answer's JSON body, or the error the answer says.
fn read_ok<T: serde::de::DeserializeOwned>(answer: &Answer) -> Result<T, ApiError> {
    match answer.status {
        200 => read(answer),
        _ => Err(error_from(answer)),
    }
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
        410 => ApiError::Expired,
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

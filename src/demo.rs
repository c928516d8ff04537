//! The in-browser demo backend: answers the app's calls as the API would (docs/api.md), in
//! memory, when no `api_base_url` is configured, so a designer sees every state without a
//! server. Labelled on the page ("Demo: er wordt niets verstuurd").

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use gloo_timers::future::TimeoutFuture;
use petitie_core::contract::{
    Confirmation, ConfirmedResponse, Field, Petition, PetitionStatus, SignAnswer, SignatureRequest,
    PENDING_CONFIRMATION,
};
use petitie_core::email::address_key;
use petitie_core::uuid::uuid_v4;
use petitie_core::FieldError;

use crate::api::ApiError;

/// A designer's preview state, forced with `?demo=…` in demo mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoMode {
    Slow,
    Fail,
    RateLimited,
    Closed,
    InvalidEmail,
    /// A backend that confirms by e-mail: signing waits for the link, which the pending step
    /// shows (there is no mail).
    Confirm,
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
            "confirm" => Some(DemoMode::Confirm),
            _ => None,
        }
    }
}

/// The demo's memory: who signed, which keys were used and what they were answered. A
/// handful of entries in one browser tab.
#[derive(Debug, Default)]
struct Store {
    emails: Vec<String>,
    answers: Vec<(String, SignAnswer)>,
    /// With `?demo=confirm`: each mail's token, with its address, first name and whether it
    /// was confirmed.
    links: Vec<Link>,
}

#[derive(Debug, Clone)]
struct Link {
    token: String,
    email: String,
    first_name: String,
    confirmed: bool,
}

/// The demo: a count that starts somewhere plausible, and what was signed in this tab.
#[derive(Debug, Clone)]
pub struct Demo {
    mode: Option<DemoMode>,
    count: Arc<AtomicU64>,
    store: Arc<Mutex<Store>>,
}

impl Demo {
    pub fn new(mode: Option<DemoMode>, seed: u64) -> Demo {
        Demo {
            mode,
            count: Arc::new(AtomicU64::new(38_000 + seed % 3_000)),
            store: Arc::default(),
        }
    }

    /// As `GET /petitions/{id}`.
    pub async fn petition(&self) -> Result<Petition, ApiError> {
        latency(self.mode).await;
        Ok(Petition {
            id: "demo".into(),
            count: self.count.load(Ordering::Relaxed),
            status: if self.mode == Some(DemoMode::Closed) {
                PetitionStatus::Closed
            } else {
                PetitionStatus::Open
            },
            confirmation: if self.mode == Some(DemoMode::Confirm) {
                Confirmation::Email
            } else {
                Confirmation::None
            },
        })
    }

    /// As `POST /petitions/{id}/signatures`: one count per address, the same answer for a
    /// key used before. With `?demo=confirm` the signature waits for its link.
    pub async fn sign(
        &self,
        idempotency_key: &str,
        body: &SignatureRequest,
    ) -> Result<SignAnswer, ApiError> {
        latency(self.mode).await;
        match self.mode {
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
        let mut store = self.store.lock().map_err(|_| ApiError::Server(500))?;
        if let Some((_, answer)) = store.answers.iter().find(|(key, _)| key == idempotency_key) {
            return Ok(answer.clone());
        }
        let email = address_key(&body.email);
        let known = store.emails.contains(&email);
        let answer = if self.mode == Some(DemoMode::Confirm) {
            if !known {
                store.emails.push(email.clone());
                let token = uuid_v4(crate::dom::random_bytes());
                store.links.push(Link {
                    token,
                    email,
                    first_name: body.first_name.clone(),
                    confirmed: false,
                });
            }
            SignAnswer {
                count: self.count.load(Ordering::Relaxed),
                status: Some(PENDING_CONFIRMATION.into()),
            }
        } else {
            let count = if known {
                self.count.load(Ordering::Relaxed)
            } else {
                store.emails.push(email);
                self.count.fetch_add(1, Ordering::Relaxed) + 1
            };
            SignAnswer {
                count,
                status: None,
            }
        };
        store
            .answers
            .push((idempotency_key.to_string(), answer.clone()));
        Ok(answer)
    }

    /// The token of the last mail the demo "sent" (`?demo=confirm`), for its pending step.
    pub fn last_token(&self) -> Option<String> {
        let store = self.store.lock().ok()?;
        store.links.last().map(|link| link.token.clone())
    }

    /// As `POST /petitions/{id}/confirmations`.
    pub async fn confirm(&self, token: &str) -> Result<ConfirmedResponse, ApiError> {
        latency(self.mode).await;
        let mut store = self.store.lock().map_err(|_| ApiError::Server(500))?;
        let link = store
            .links
            .iter_mut()
            .find(|link| link.token == token)
            .ok_or(ApiError::Expired)?;
        if !link.confirmed {
            link.confirmed = true;
            self.count.fetch_add(1, Ordering::Relaxed);
        }
        Ok(ConfirmedResponse {
            count: self.count.load(Ordering::Relaxed),
            first_name: link.first_name.clone(),
        })
    }

    /// As `POST /petitions/{id}/withdrawals`.
    pub async fn withdraw(&self, token: &str) -> Result<u64, ApiError> {
        latency(self.mode).await;
        let mut store = self.store.lock().map_err(|_| ApiError::Server(500))?;
        let at = store
            .links
            .iter()
            .position(|link| link.token == token)
            .ok_or(ApiError::Expired)?;
        let link = store.links.remove(at);
        store.emails.retain(|email| *email != link.email);
        if link.confirmed {
            self.count.fetch_sub(1, Ordering::Relaxed);
        }
        Ok(self.count.load(Ordering::Relaxed))
    }
}

/// A network's delay: a few hundred milliseconds, or four seconds with `?demo=slow`.
async fn latency(mode: Option<DemoMode>) {
    let ms = match mode {
        Some(DemoMode::Slow) => 4_000,
        _ => 300 + (crate::dom::random_unit() * 500.0) as u32,
    };
    TimeoutFuture::new(ms).await;
}

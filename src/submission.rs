//! Sending one signature attempt until the server records it or refuses it, by the rules of
//! `petitie_core::submission`: retries with backoff under the attempt's key, waiting for the
//! connection while offline, waiting out the server's rate limit. `status` says where it
//! stands, for the form's button and status line.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use petitie_core::contract::SignAnswer;
use petitie_core::submission::{after, Attempt, Failure, Next};

use crate::api::{ApiError, Backend};
use crate::dom;

/// Where a submission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Idle,
    Sending,
    /// Sending again after a try without an answer.
    Retrying,
    /// The retries are used up: the form offers to try again.
    Failed,
    /// Waiting for the connection to come back.
    Offline,
    /// Waiting out the server's limit of this many seconds: the button is disabled.
    RateLimited {
        seconds: u32,
    },
    /// The limit is over: the supporter may send again.
    LimitOver,
    /// The server refused the signature for a reason the form cannot show at a field.
    Rejected,
}

impl Status {
    /// Whether a signature is on its way (the button says so).
    pub fn busy(self) -> bool {
        matches!(self, Status::Sending | Status::Retrying | Status::Offline)
    }

    /// Whether a signature is on its way or waiting out a limit: a submit now does nothing.
    pub fn waiting(self) -> bool {
        self.busy() || matches!(self, Status::RateLimited { .. })
    }
}

/// Sends `attempt` with `backend`: the server's answer once it took it, or the answer that ends
/// it (refused fields, closed, rejected, or the rate limit after waiting it out, or no answer
/// after the last retry). `status` follows each step; it is `Sending` while the last try runs.
pub async fn send(
    backend: &Backend,
    attempt: &Attempt,
    status: RwSignal<Status>,
) -> Result<SignAnswer, ApiError> {
    let _ = status.try_set(Status::Sending);
    let mut retries = 0;
    loop {
        let error = match backend.sign(&attempt.key, &attempt.body).await {
            Ok(answer) => return Ok(answer),
            Err(error) => error,
        };
        let failure = match error {
            ApiError::RateLimited { retry_after_s } => Failure::RateLimited { retry_after_s },
            ref transient if transient.is_transient() => Failure::NoAnswer,
            refused => return Err(refused),
        };
        match after(failure, retries, dom::online()) {
            Next::RetryIn(ms) => {
                retries += 1;
                let _ = status.try_set(Status::Retrying);
                TimeoutFuture::new(ms).await;
            }
            Next::WaitForConnection => {
                let _ = status.try_set(Status::Offline);
                dom::until_online().await;
                let _ = status.try_set(Status::Sending);
            }
            Next::WaitOutLimit(seconds) => {
                let _ = status.try_set(Status::RateLimited { seconds });
                TimeoutFuture::new(seconds * 1000).await;
                let _ = status.try_set(Status::LimitOver);
                return Err(error);
            }
            Next::GiveUp => {
                let _ = status.try_set(Status::Failed);
                return Err(error);
            }
        }
    }
}

//! The API's handlers: reading a petition and signing it (docs/api.md).

use std::net::SocketAddr;

use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use petitie_core::attribution::sanitise;
use petitie_core::contract::{
    Confirmation, ConfirmationRequest, ConfirmedResponse, ErrorBody, Petition, PetitionStatus,
    SignResponse, SignatureRequest, TokenRequest,
};
use petitie_core::email::validate_email;
use petitie_core::signature::{validate_signature, SignatureInput};
use petitie_core::token::is_token;

use crate::db::NewSignature;
use crate::writer::{Attempt, Outcome, Request};
use crate::Shared;

/// Request bodies above this are refused with 413.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// The longest `Idempotency-Key` accepted.
const MAX_KEY_CHARS: usize = 200;

/// `{"error": code}` with the status.
pub fn error(status: StatusCode, code: &str) -> Response {
    (
        status,
        axum::Json(ErrorBody {
            error: code.to_string(),
            fields: None,
        }),
    )
        .into_response()
}

pub fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

pub async fn read_petition(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    match state.petitions.get(&id) {
        Some(row) => {
            let count = row.count + state.settings.count_offset;
            let mut response = axum::Json(Petition {
                id,
                count,
                status: row.status,
                confirmation: if state.settings.confirmation.is_some() {
                    Confirmation::Email
                } else {
                    Confirmation::None
                },
            })
            .into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=5, stale-while-revalidate=30"),
            );
            response
        }
        None => error(StatusCode::NOT_FOUND, "not_found"),
    }
}

pub async fn sign(
    State(state): State<Shared>,
    Path(id): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    };
    let key = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(k)) if !k.is_empty() && k.len() <= MAX_KEY_CHARS => Some(k.to_string()),
        Some(_) => return error(StatusCode::BAD_REQUEST, "bad_request"),
    };
    let Ok(request) = serde_json::from_slice::<SignatureRequest>(&bytes) else {
        return error(StatusCode::BAD_REQUEST, "bad_request");
    };

    // Before validation, as the contract orders it (the writer checks again).
    match state.petitions.get(&id) {
        Some(row) if row.status == PetitionStatus::Open => {}
        Some(_) => return error(StatusCode::CONFLICT, "closed"),
        None => return error(StatusCode::NOT_FOUND, "not_found"),
    }

    // The same rules as the form, from petitie-core.
    let valid = match validate_signature(SignatureInput {
        first_name: &request.first_name,
        last_name: &request.last_name,
        email: &request.email,
        phone: request.phone.as_deref().unwrap_or(""),
    }) {
        Ok(valid) => valid,
        Err(errors) => {
            let fields = errors
                .into_iter()
                .map(|(f, e)| (f.key().to_string(), e.code().to_string()))
                .collect();
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                axum::Json(ErrorBody {
                    error: "invalid".into(),
                    fields: Some(fields),
                }),
            )
                .into_response();
        }
    };
    let attribution = sanitise(&request.attribution);
    let locale: String = request
        .locale
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(16)
        .collect();
    // What a retry of the same attempt must repeat (elapsed_ms may differ between tries).
    let canonical = json!({
        "first_name": valid.first_name, "last_name": valid.last_name, "email": valid.email,
        "phone": valid.phone, "attribution": attribution, "website": request.website,
    })
    .to_string();

    let flagged = !request.website.is_empty() || request.elapsed_ms < state.settings.min_elapsed_ms;
    let attempt = Attempt {
        signature: NewSignature {
            petition_id: id,
            first_name: valid.first_name,
            last_name: valid.last_name,
            email: valid.email,
            phone: valid.phone,
            locale,
            attribution_json: serde_json::to_string(&attribution).unwrap_or_else(|_| "{}".into()),
            website: request.website,
            elapsed_ms: request.elapsed_ms,
            flagged,
        },
        key,
        canonical,
        client: state.settings.trusted_proxies.client(peer.ip(), &headers),
    };
    match state.writer.sign(Box::new(attempt)).await {
        Ok(Outcome::Created(body)) => json_response(StatusCode::CREATED, body),
        Ok(Outcome::Pending(body)) => json_response(StatusCode::ACCEPTED, body),
        Ok(Outcome::Replay(body)) => json_response(StatusCode::OK, body),
        Ok(Outcome::KeyReused) => error(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused"),
        Ok(Outcome::RateLimited(retry_after)) => rate_limited(retry_after),
        Ok(Outcome::Closed) => error(StatusCode::CONFLICT, "closed"),
        Ok(Outcome::NotFound) => error(StatusCode::NOT_FOUND, "not_found"),
        // Logged by the writer; nothing was recorded, so a retry with the same key is safe.
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        Ok(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

/// `429` with the seconds to wait in `Retry-After`.
fn rate_limited(retry_after: u64) -> Response {
    let mut response = error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// The answer to a confirmation call instead of taking it: when this server does not
/// confirm, or the petition is unknown or closed.
fn refusal(state: &Shared, id: &str) -> Option<Response> {
    if state.settings.confirmation.is_none() {
        return Some(error(StatusCode::NOT_FOUND, "not_found"));
    }
    match state.petitions.get(id) {
        Some(row) if row.status == PetitionStatus::Open => None,
        Some(_) => Some(error(StatusCode::CONFLICT, "closed")),
        None => Some(error(StatusCode::NOT_FOUND, "not_found")),
    }
}

/// A small JSON body of type `T`, or the `400` to answer.
async fn read_json<T: serde::de::DeserializeOwned>(body: Body) -> Result<T, Response> {
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return Err(error(StatusCode::PAYLOAD_TOO_LARGE, "too_large"));
    };
    serde_json::from_slice(&bytes).map_err(|_| error(StatusCode::BAD_REQUEST, "bad_request"))
}

/// The writer's answer to a token's request.
fn token_answer(outcome: Result<Outcome, crate::writer::WriteError>) -> Response {
    match outcome {
        Ok(Outcome::Confirmed(count, first_name)) => {
            axum::Json(ConfirmedResponse { count, first_name }).into_response()
        }
        Ok(Outcome::Withdrawn(count)) => axum::Json(SignResponse { count }).into_response(),
        Ok(_) => error(StatusCode::GONE, "expired"),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

/// A token's request (`confirmations`, `withdrawals`) as the writer takes it.
async fn token_request(
    state: &Shared,
    id: &str,
    body: Body,
    request: impl FnOnce(String, String) -> Request,
) -> Response {
    if let Some(answer) = refusal(state, id) {
        return answer;
    }
    let body = match read_json::<TokenRequest>(body).await {
        Ok(body) => body,
        Err(answer) => return answer,
    };
    // Not shaped like a token: unknown, without a look-up.
    if !is_token(&body.token) {
        return error(StatusCode::GONE, "expired");
    }
    token_answer(state.writer.ask(request(id.to_string(), body.token)).await)
}

/// `POST /petitions/{id}/confirmations` `{"token": …}`.
pub async fn confirm(State(state): State<Shared>, Path(id): Path<String>, body: Body) -> Response {
    token_request(&state, &id, body, |petition_id, token| Request::Confirm {
        petition_id,
        token,
    })
    .await
}

/// `POST /petitions/{id}/withdrawals` `{"token": …}`.
pub async fn withdraw(State(state): State<Shared>, Path(id): Path<String>, body: Body) -> Response {
    token_request(&state, &id, body, |petition_id, token| Request::Withdraw {
        petition_id,
        token,
    })
    .await
}

/// `POST /petitions/{id}/confirmation-requests` `{"email": …}`: `202 {}` for any valid
/// address, whether or not it signed.
pub async fn request_confirmation(
    State(state): State<Shared>,
    Path(id): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Some(answer) = refusal(&state, &id) {
        return answer;
    }
    let request = match read_json::<ConfirmationRequest>(body).await {
        Ok(request) => request,
        Err(answer) => return answer,
    };
    let email = match validate_email(&request.email) {
        Ok(email) => email,
        Err(e) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                axum::Json(ErrorBody {
                    error: "invalid".into(),
                    fields: Some([("email".to_string(), e.code().to_string())].into()),
                }),
            )
                .into_response()
        }
    };
    let client = state.settings.trusted_proxies.client(peer.ip(), &headers);
    match state
        .writer
        .ask(Request::RequestAgain {
            petition_id: id,
            email,
            client,
        })
        .await
    {
        Ok(Outcome::Requested) => (StatusCode::ACCEPTED, axum::Json(json!({}))).into_response(),
        Ok(Outcome::RateLimited(retry_after)) => rate_limited(retry_after),
        _ => error(StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

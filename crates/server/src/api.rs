//! The API's handlers: reading a petition and signing it (docs/api.md).

use std::net::SocketAddr;

use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use petitie_core::attribution::sanitise;
use petitie_core::contract::{Confirmation, ErrorBody, Petition, PetitionStatus, SignatureRequest};
use petitie_core::signature::{validate_signature, SignatureInput};

use crate::db::NewSignature;
use crate::writer::{Attempt, Outcome};
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
                confirmation: Confirmation::None,
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
    match state.writer.sign(attempt).await {
        Ok(Outcome::Created(body)) => json_response(StatusCode::CREATED, body),
        Ok(Outcome::Replay(body)) => json_response(StatusCode::OK, body),
        Ok(Outcome::KeyReused) => error(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused"),
        Ok(Outcome::RateLimited(retry_after)) => {
            let mut response = error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            response
        }
        Ok(Outcome::Closed) => error(StatusCode::CONFLICT, "closed"),
        Ok(Outcome::NotFound) => error(StatusCode::NOT_FOUND, "not_found"),
        // Logged by the writer; nothing was recorded, so a retry with the same key is safe.
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

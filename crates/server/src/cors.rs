//! Cross-origin calls to the API: only the configured origins, no credentials, the contract's
//! two request headers, `Retry-After` readable by the page (tower-http's `CorsLayer`).
//!
//! A preflight from an origin not on the list is answered without
//! `Access-Control-Allow-Origin`, so the browser refuses the call (`200` with no CORS headers;
//! before `CorsLayer` it was a `403`).

use axum::http::{header, HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long a browser may keep a preflight's answer, in seconds.
const PREFLIGHT_MAX_AGE_S: u64 = 600;

/// The API's CORS layer for these origins (`https://www.hetvergetenkind.nl`).
pub fn layer(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(PREFLIGHT_MAX_AGE_S))
}

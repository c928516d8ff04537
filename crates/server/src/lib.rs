//! petitie-server: the reference implementation of the petition API contract
//! (docs/api.md), on axum and SQLite. Used by `make dev`, the end-to-end suite, and charities
//! without a backend of their own.
//!
//! Handlers never touch SQLite on the async runtime: counts are read from memory kept in step
//! by the writer and a refresher (`petitions.rs`), and writes go to the writer thread, which
//! commits signatures that arrive together in one transaction (`writer.rs`).

pub mod client_ip;
pub mod db;
pub mod export;
pub mod log;
pub mod petitions;
pub mod rate_limit;
pub mod writer;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, MatchedPath, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::json;
use tower_http::services::{ServeDir, ServeFile};

use petitie_core::attribution::sanitise;
use petitie_core::contract::{ErrorBody, Petition, PetitionStatus, SignatureRequest};
use petitie_core::lang::Lang;
use petitie_core::signature::{validate_signature, SignatureInput};

use client_ip::TrustedProxies;
use db::{NewSignature, Store};
use petitions::Petitions;
use rate_limit::RateLimiter;
use writer::{Attempt, Outcome, Writer};

/// Request bodies above this are refused with 413.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// The longest `Idempotency-Key` accepted.
const MAX_KEY_CHARS: usize = 200;

/// How the server runs (from the command line).
#[derive(Debug, Clone)]
pub struct Settings {
    pub allowed_origins: Vec<String>,
    pub rate_limit_per_minute: u32,
    /// Signatures submitted faster than this after the form appeared are flagged, not counted.
    pub min_elapsed_ms: u64,
    /// Also serve the built app from here, with `index.html` for every unknown path
    /// (`en/index.html` below `/en`).
    pub static_dir: Option<PathBuf>,
    /// Host origins put into the served `config.json` as `embed.allowed_origins` (when not empty).
    pub embed_origins: Vec<String>,
    /// Origins that may frame the app without being on the embed allow-list (for testing the
    /// app's own check); added to the policy's `frame-ancestors`.
    pub extra_frame_ancestors: Vec<String>,
    /// Signatures gathered elsewhere (on paper, on an earlier platform), added to every count.
    pub count_offset: u64,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` name the client (see `client_ip.rs`).
    pub trusted_proxies: TrustedProxies,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            allowed_origins: Vec::new(),
            rate_limit_per_minute: 5,
            min_elapsed_ms: 1500,
            static_dir: None,
            embed_origins: Vec::new(),
            extra_frame_ancestors: Vec::new(),
            count_offset: 0,
            trusted_proxies: TrustedProxies::default(),
        }
    }
}

/// Why the service could not be put together.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

struct AppState {
    petitions: Arc<Petitions>,
    writer: Writer,
    settings: Settings,
}

type Shared = Arc<AppState>;

/// The whole service: the API under `/api/v1`, `/healthz`, and optionally the app. `store` is
/// handed to the writer thread; the read connections open the same file.
pub fn app(store: Store, settings: Settings) -> Result<Router, StartError> {
    let path = store
        .path()
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| StartError("the database must be a file".into()))?;
    let start = |what: &str, e: &dyn std::fmt::Display| StartError(format!("{what}: {e}"));
    let petitions = Arc::new(Petitions::new(
        store
            .petitions()
            .map_err(|e| start("cannot read the petitions", &e))?,
    ));
    let reader = petitions::read_connection(&path)
        .map_err(|e| start("cannot open a read connection", &e))?;
    petitions::spawn_refresher(reader, Arc::downgrade(&petitions))
        .map_err(|e| start("cannot start the refresher", &e))?;
    store
        .leave_checkpoints()
        .map_err(|e| start("cannot configure the database", &e))?;
    let checkpoints = db::connect(&path).map_err(|e| start("cannot open the database", &e))?;
    db::spawn_checkpointer(checkpoints, Arc::downgrade(&petitions))
        .map_err(|e| start("cannot start the checkpointer", &e))?;
    let writer = Writer::spawn(
        store,
        petitions.clone(),
        RateLimiter::new(settings.rate_limit_per_minute),
        settings.count_offset,
    )
    .map_err(|e| start("cannot start the writer", &e))?;
    let state = Arc::new(AppState {
        petitions,
        writer,
        settings,
    });
    let api = Router::new()
        .route("/petitions/{id}", get(read_petition))
        .route("/petitions/{id}/signatures", axum::routing::post(sign))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not_found") })
        .layer(middleware::from_fn_with_state(state.clone(), cors));
    let mut router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .nest("/api/v1", api);
    if let Some(dir) = state.settings.static_dir.clone() {
        let index = dir.join("index.html");
        let headers = Arc::new(static_headers(&dir, &state.settings));
        let mut app = Router::new().route("/config.json", get(static_config));
        // The English pages have their own index.html, for every unknown path below /en.
        let english = dir.join(Lang::En.prefix().trim_start_matches('/'));
        if english.join("index.html").is_file() {
            let index = english.join("index.html");
            app = app.nest_service(
                Lang::En.prefix(),
                ServeDir::new(&english).fallback(ServeFile::new(index)),
            );
        }
        let app = app
            .fallback_service(ServeDir::new(&dir).fallback(ServeFile::new(index)))
            .layer(middleware::from_fn(move |request: Request, next: Next| {
                let headers = headers.clone();
                let cache = cache_control(request.uri().path());
                async move {
                    let mut response = next.run(request).await;
                    for (name, value) in headers.iter() {
                        response.headers_mut().insert(name.clone(), value.clone());
                    }
                    response
                        .headers_mut()
                        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
                    response
                }
            }));
        router = router.merge(app);
    }
    Ok(router
        .layer(middleware::from_fn(log_request))
        .with_state(state))
}

/// Files whose name carries a content hash (`petitie-1a2b3c4d5e6f7a8b_bg.wasm`) never change:
/// cache them for a year. Everything else (index.html, config.json, embed.js) is revalidated.
fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end_matches("_bg");
    let hashed = stem
        .rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 12 && hash.chars().all(|c| c.is_ascii_hexdigit()));
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// The security headers the build wrote for every path (`_headers`, see scripts/csp.mjs), as
/// this server must send them: the API is on this origin, and the embedders are the ones it
/// was started with (when any).
fn static_headers(
    dir: &std::path::Path,
    settings: &Settings,
) -> Vec<(header::HeaderName, HeaderValue)> {
    let Ok(text) = std::fs::read_to_string(dir.join("_headers")) else {
        return Vec::new();
    };
    let embedders: Vec<&str> = settings
        .embed_origins
        .iter()
        .chain(&settings.extra_frame_ancestors)
        .map(String::as_str)
        .collect();
    text.lines()
        .filter(|line| line.starts_with(char::is_whitespace))
        .filter_map(|line| line.trim().split_once(':'))
        .filter_map(|(name, value)| {
            let mut value = value.trim().to_string();
            if name.eq_ignore_ascii_case("content-security-policy") {
                value = value
                    .split(';')
                    .map(str::trim)
                    .map(|directive| match directive.split_whitespace().next() {
                        Some("connect-src") => "connect-src 'self'".to_string(),
                        Some("frame-ancestors") if !embedders.is_empty() => {
                            format!("frame-ancestors 'self' {}", embedders.join(" "))
                        }
                        _ => directive.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
            }
            Some((
                header::HeaderName::from_bytes(name.trim().as_bytes()).ok()?,
                HeaderValue::from_str(&value).ok()?,
            ))
        })
        .collect()
}

/// `{"error": code}` with the status.
fn error(status: StatusCode, code: &str) -> Response {
    (
        status,
        axum::Json(ErrorBody {
            error: code.to_string(),
            fields: None,
        }),
    )
        .into_response()
}

fn json_response(status: StatusCode, body: String) -> Response {
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

async fn read_petition(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    match state.petitions.get(&id) {
        Some(row) => {
            let count = row.count + state.settings.count_offset;
            let mut response = axum::Json(Petition {
                id,
                count,
                status: row.status,
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

async fn sign(
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

/// `config.json` of the served app, pointed at this server's own API (and, with
/// `--embed-origin`, at the given host pages).
async fn static_config(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let Some(dir) = &state.settings.static_dir else {
        return error(StatusCode::NOT_FOUND, "not_found");
    };
    let Ok(text) = tokio::fs::read_to_string(dir.join("config.json")).await else {
        return error(StatusCode::NOT_FOUND, "not_found");
    };
    let Ok(mut config) = serde_json::from_str::<serde_json::Value>(&text) else {
        return json_response(StatusCode::OK, text);
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    if let Some(obj) = config.as_object_mut() {
        obj.insert(
            "api_base_url".into(),
            format!("http://{host}/api/v1").into(),
        );
        if !state.settings.embed_origins.is_empty() {
            obj.insert(
                "embed".into(),
                serde_json::json!({ "allowed_origins": state.settings.embed_origins }),
            );
        }
    }
    json_response(StatusCode::OK, config.to_string())
}

/// Strict CORS: only the configured origins, no credentials; preflights answered here.
async fn cors(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_string);
    let allowed = origin
        .as_ref()
        .filter(|o| state.settings.allowed_origins.iter().any(|a| a == *o))
        .cloned();
    if request.method() == Method::OPTIONS {
        let Some(origin) = allowed else {
            return StatusCode::FORBIDDEN.into_response();
        };
        let mut response = StatusCode::NO_CONTENT.into_response();
        let h = response.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_str(&origin).expect("checked origin"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type, idempotency-key"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
        return response;
    }
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = allowed {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_str(&origin).expect("checked origin"),
        );
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("retry-after"),
        );
    }
    response
}

/// One line per request: method, route pattern, status, time. Never the path as sent (it may
/// carry anything), a query string, a body or the client's address; requests no route matched
/// (the app's files, unknown paths) are logged as `*`.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "*".into());
    let response = next.run(request).await;
    log::line(format!(
        "{method} {route} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    ));
    response
}

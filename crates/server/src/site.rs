//! Serving the built app beside the API (`--static`): its files with their cache rules, the
//! security headers made for exactly these pages (`petitie_core::headers`), the English
//! pages' own `index.html` below `/en`, and `config.json` pointed at this server's API.

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use petitie_core::config::{parse_config, Config};
use petitie_core::headers::{build_files, embedders_of, security_headers, Sources, PAGES};
use petitie_core::lang::Lang;

use crate::api::{error, json_response};
use crate::{Settings, Shared, StartError};

/// The app in `dir`, with `index.html` (`en/index.html` below `/en`) for every unknown path.
pub(crate) fn router(dir: &Path, settings: &Settings) -> Result<Router<Shared>, StartError> {
    let index = dir.join("index.html");
    let headers = Arc::new(page_headers(dir, settings)?);
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
    Ok(app
        .fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
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
        })))
}

/// A build's pages and configuration, from its folder.
fn read_build(dir: &Path) -> Result<(Vec<String>, Config), String> {
    let pages = PAGES
        .iter()
        .filter_map(|page| std::fs::read_to_string(dir.join(page)).ok())
        .collect();
    let config = dir.join("config.json");
    let text = std::fs::read_to_string(&config)
        .map_err(|e| format!("cannot read {}: {e}", config.display()))?;
    let parsed = parse_config(&text).map_err(|e| format!("{}: {e}", config.display()))?;
    Ok((pages, parsed.config))
}

/// `petitie-server headers DIR`: writes `_headers` and `headers.nginx.conf` for the build in
/// `dir` as it is deployed (after its `config.json` was edited), as the build step does.
pub fn write_headers(dir: &Path) -> Result<(), String> {
    let (pages, config) = read_build(dir)?;
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    for (name, text) in build_files(&pages, &config)? {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The security headers of the pages in `dir`, as this server must send them: the API is on
/// this origin, and the embedders are the ones it was started with, else those of the
/// build's `config.json`.
fn page_headers(
    dir: &Path,
    settings: &Settings,
) -> Result<Vec<(HeaderName, HeaderValue)>, StartError> {
    let (pages, config) = read_build(dir).map_err(StartError)?;
    let built = embedders_of(&config);
    let started_with = settings
        .embed_origins
        .iter()
        .chain(&settings.extra_frame_ancestors);
    let embedders: Vec<String> = if settings.embed_origins.is_empty() {
        started_with.chain(&built).cloned().collect()
    } else {
        started_with.cloned().collect()
    };
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    let headers = security_headers(
        &pages,
        &Sources {
            api_origin: None,
            embedders: &embedders,
        },
    )
    .map_err(StartError)?;
    Ok(headers
        .into_iter()
        .filter_map(|(name, value)| {
            Some((
                HeaderName::from_static(lowercase_name(name)?),
                HeaderValue::from_str(&value).ok()?,
            ))
        })
        .collect())
}

/// A header name as `HeaderName::from_static` takes it (lower case).
fn lowercase_name(name: &str) -> Option<&'static str> {
    Some(match name {
        "Content-Security-Policy" => "content-security-policy",
        "X-Content-Type-Options" => "x-content-type-options",
        "Referrer-Policy" => "referrer-policy",
        "Permissions-Policy" => "permissions-policy",
        _ => return None,
    })
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

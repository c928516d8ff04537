//! petitie-server: the reference implementation of the petition API contract
//! (docs/api.md), on axum with SQLite (the default) or PostgreSQL (several instances on one
//! database, `pg.rs`). Used by `make dev`, the end-to-end suite, and charities without a
//! backend of their own.
//!
//! Counts are read from memory kept in step by the writer and a refresher (`petitions.rs`).
//! On SQLite, handlers never touch the database on the async runtime: writes go to the writer
//! thread, which commits signatures that arrive together in one transaction (`writer.rs`). On
//! PostgreSQL each write is a transaction of its own on a pooled connection.

mod api;
pub mod client_ip;
pub mod confirmation;
mod cors;
pub mod db;
pub mod export;
pub mod log;
pub mod mail;
pub mod petitions;
pub mod pg;
pub mod rate_limit;
pub mod site;
pub mod writer;

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;

use client_ip::TrustedProxies;
use db::Store;
use petitions::Petitions;
use rate_limit::RateLimiter;
use writer::Writer;

pub use api::MAX_BODY_BYTES;

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
    /// Count a signature only once its address is confirmed by e-mail (`--confirm-by-email`).
    pub confirmation: Option<mail::ConfirmSettings>,
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
            confirmation: None,
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

pub(crate) struct AppState {
    pub(crate) petitions: Arc<Petitions>,
    pub(crate) writer: Writer,
    pub(crate) settings: Settings,
}

pub(crate) type Shared = Arc<AppState>;

fn is_postgres_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

/// Where the data lives: a SQLite file, or a PostgreSQL database (`postgres://…`).
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Database {
    pub fn parse(text: &str) -> Result<Database, String> {
        if is_postgres_url(text) {
            text.parse::<tokio_postgres::Config>()
                .map_err(|e| format!("not a PostgreSQL URL: {e}"))?;
            Ok(Database::Postgres(text.to_string()))
        } else if text.is_empty() {
            Err("the database is empty".into())
        } else {
            Ok(Database::Sqlite(text.into()))
        }
    }
}

/// Names the database without its password.
impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => {
                let config: Result<tokio_postgres::Config, _> = url.parse();
                let Ok(config) = config else {
                    return f.write_str("PostgreSQL");
                };
                let db = config.get_dbname().unwrap_or("");
                write!(f, "PostgreSQL database `{db}`")
            }
        }
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// The database the service runs on.
pub enum Backend {
    Sqlite(Store),
    Postgres(pg::Store),
}

impl From<Store> for Backend {
    fn from(store: Store) -> Self {
        Backend::Sqlite(store)
    }
}

impl From<pg::Store> for Backend {
    fn from(store: pg::Store) -> Self {
        Backend::Postgres(store)
    }
}

/// The whole service: the API under `/api/v1`, `/healthz`, and optionally the app. A SQLite
/// `store` is handed to the writer thread, and the read connections open the same file. Runs
/// on a Tokio runtime (PostgreSQL's refresher is a task of it).
pub async fn app(store: impl Into<Backend>, settings: Settings) -> Result<Router, StartError> {
    let (petitions, writer) = match store.into() {
        Backend::Sqlite(store) => on_sqlite(store, &settings)?,
        Backend::Postgres(store) => on_postgres(store, &settings).await?,
    };
    let state = Arc::new(AppState {
        petitions,
        writer,
        settings,
    });
    let api = Router::new()
        .route("/petitions/{id}", get(api::read_petition))
        .route("/petitions/{id}/signatures", post(api::sign))
        .route("/petitions/{id}/confirmations", post(api::confirm))
        .route("/petitions/{id}/withdrawals", post(api::withdraw))
        .route(
            "/petitions/{id}/confirmation-requests",
            post(api::request_confirmation),
        )
        .fallback(|| async { api::error(StatusCode::NOT_FOUND, "not_found") })
        .layer(cors::layer(&state.settings.allowed_origins));
    let mut router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .nest("/api/v1", api);
    if let Some(dir) = &state.settings.static_dir {
        router = router.merge(site::router(dir, &state.settings)?);
    }
    Ok(router
        .layer(middleware::from_fn(log::log_request))
        .with_state(state))
}

fn start_error(what: &str, e: &dyn std::fmt::Display) -> StartError {
    StartError(format!("{what}: {e}"))
}

/// The counts, the refresher and the mail sender on PostgreSQL.
async fn on_postgres(
    store: pg::Store,
    settings: &Settings,
) -> Result<(Arc<Petitions>, Writer), StartError> {
    let rows = store
        .petitions()
        .await
        .map_err(|e| start_error("cannot read the petitions", &e))?;
    let petitions = Arc::new(Petitions::new(rows));
    store.spawn_refresher(Arc::downgrade(&petitions));
    if let Some(confirm) = &settings.confirmation {
        let jobs = pg::Jobs {
            store: store.clone(),
            handle: tokio::runtime::Handle::current(),
        };
        mail::spawn_sender(Box::new(jobs), confirm).map_err(StartError)?;
    }
    let writer = Writer::postgres(pg::Writer {
        store,
        petitions: petitions.clone(),
        rules: pg::Rules {
            per_minute: settings.rate_limit_per_minute,
            offset: settings.count_offset,
            confirming: settings.confirmation.is_some(),
        },
    });
    Ok((petitions, writer))
}

/// The counts, the refresher, the checkpointer, the writer thread and the mail sender on a
/// SQLite file.
fn on_sqlite(store: Store, settings: &Settings) -> Result<(Arc<Petitions>, Writer), StartError> {
    let path = store
        .path()
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| StartError("the database must be a file".into()))?;
    let start = start_error;
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
        settings.confirmation.is_some(),
    )
    .map_err(|e| start("cannot start the writer", &e))?;
    if let Some(confirm) = &settings.confirmation {
        let jobs = mail::SqliteJobs::open(&path).map_err(StartError)?;
        mail::spawn_sender(Box::new(jobs), confirm).map_err(StartError)?;
    }
    Ok((petitions, writer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_a_postgresql_url_from_a_file() {
        let table: &[(&str, Option<&str>)] = &[
            ("petitie.db", Some("petitie.db")),
            (
                "/var/lib/petitie/db.sqlite",
                Some("/var/lib/petitie/db.sqlite"),
            ),
            (
                "postgres://petitie@127.0.0.1/petitie",
                Some("PostgreSQL database `petitie`"),
            ),
            (
                "postgresql://petitie:geheim@db.example.nl:5432/campagne",
                Some("PostgreSQL database `campagne`"),
            ),
            ("postgres://[", None),
            ("", None),
        ];
        for (text, shown) in table {
            let parsed = Database::parse(text).ok().map(|db| db.to_string());
            assert_eq!(parsed.as_deref(), *shown, "{text}");
        }
    }
}

//! `petitie-server`: serves the API (and optionally the built app); `export`, `erase` and
//! `count` are the operator's commands on the same database. `petitie-server --help` lists
//! every flag; each can also be set through the environment variable it names.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use ipnet::IpNet;

use petitie_core::contract::PetitionStatus;
use petitie_server::client_ip::{parse_range, TrustedProxies};
use petitie_server::db::{Erased, ExportError, Include, PetitionRow, Store};
use petitie_server::mail::ConfirmSettings;
use petitie_server::pg;
use petitie_server::{app, export, Backend, Database, Settings};

/// The reference server of the petition API: axum with SQLite in one process, or several
/// processes on one PostgreSQL database.
#[derive(Parser, Debug)]
#[command(
    name = "petitie-server",
    version,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: Serve,
}

/// Serving (what runs without a subcommand).
#[derive(Args, Debug)]
struct Serve {
    /// Address and port to listen on.
    #[arg(
        value_name = "ADDR",
        long,
        env = "PETITIE_LISTEN",
        default_value = "127.0.0.1:8787"
    )]
    listen: SocketAddr,
    /// The SQLite file (created when missing), or a PostgreSQL database's URL
    /// (postgres://user:password@host/db), which several instances of the server can share.
    #[arg(
        value_name = "PATH|URL",
        long,
        env = "PETITIE_DB",
        default_value = "petitie.db",
        hide_env_values = true,
        value_parser = Database::parse
    )]
    db: Database,
    /// An origin whose pages may call the API (CORS), e.g. https://www.hetvergetenkind.nl.
    /// Repeatable; comma-separated in the environment.
    #[arg(
        value_name = "ORIGIN",
        long = "allow-origin",
        env = "PETITIE_ALLOW_ORIGIN",
        value_delimiter = ','
    )]
    allow_origins: Vec<String>,
    /// A petition to serve, `ID` or `ID:closed`. Repeatable; gezinshulp-eerst when none given.
    #[arg(value_name = "ID[:closed]", long = "petition", env = "PETITIE_PETITION", value_delimiter = ',', value_parser = parse_petition)]
    petitions: Vec<(String, PetitionStatus)>,
    /// Also serve the built app from this folder, with its config.json pointed at this server.
    #[arg(value_name = "DIR", long = "static", env = "PETITIE_STATIC")]
    static_dir: Option<PathBuf>,
    /// A host page origin allowed to embed the app (written into the served config.json).
    #[arg(
        value_name = "ORIGIN",
        long = "embed-origin",
        env = "PETITIE_EMBED_ORIGIN",
        value_delimiter = ','
    )]
    embed_origins: Vec<String>,
    /// An origin allowed to frame the app without being on the embed list (for testing).
    #[arg(
        value_name = "ORIGIN",
        long = "frame-ancestor",
        env = "PETITIE_FRAME_ANCESTOR",
        value_delimiter = ','
    )]
    frame_ancestors: Vec<String>,
    /// Signatures accepted per client address per minute.
    #[arg(
        value_name = "N",
        long,
        env = "PETITIE_RATE_LIMIT_PER_MINUTE",
        default_value_t = 5
    )]
    rate_limit_per_minute: u32,
    /// Signatures sent sooner than this after the form appeared are stored flagged, not counted.
    #[arg(
        value_name = "MS",
        long,
        env = "PETITIE_MIN_ELAPSED_MS",
        default_value_t = 1500
    )]
    min_elapsed_ms: u64,
    /// Signatures gathered elsewhere (on paper, an earlier platform), added to every count.
    #[arg(
        value_name = "N",
        long,
        env = "PETITIE_COUNT_OFFSET",
        default_value_t = 0
    )]
    count_offset: u64,
    /// A reverse proxy or CDN range (CIDR or one address) whose Forwarded / X-Forwarded-For
    /// headers name the client. Repeatable; comma-separated in the environment.
    #[arg(value_name = "CIDR", long = "trusted-proxy", env = "PETITIE_TRUSTED_PROXY", value_delimiter = ',', value_parser = parse_range)]
    trusted_proxies: Vec<IpNet>,
    #[command(flatten)]
    confirm: Confirm,
}

/// Confirmation by e-mail: a signature counts once its address is confirmed.
#[derive(Args, Debug)]
struct Confirm {
    /// Count a signature only once its address is confirmed through a mailed link (needs
    /// --smtp-url, --mail-from and --public-url).
    #[arg(long, env = "PETITIE_CONFIRM_BY_EMAIL", requires_all = ["smtp_url", "mail_from", "public_url"])]
    confirm_by_email: bool,
    /// The mail server: smtp://host:port, or smtps://user:password@host:465.
    #[arg(
        value_name = "URL",
        long,
        env = "PETITIE_SMTP_URL",
        hide_env_values = true
    )]
    smtp_url: Option<String>,
    /// The mails' sender, e.g. "Het Vergeten Kind <petitie@hetvergetenkind.nl>".
    #[arg(value_name = "MAILBOX", long, env = "PETITIE_MAIL_FROM")]
    mail_from: Option<lettre::message::Mailbox>,
    /// The app's public address, which the mails' links point below, e.g.
    /// https://www.hetvergetenkind.nl/gezinshulp-eerst/.
    #[arg(value_name = "URL", long, env = "PETITIE_PUBLIC_URL")]
    public_url: Option<String>,
    /// One reminder this long after signing, while still unconfirmed and open (90s, 48h, 14d).
    #[arg(value_name = "DURATION", long, env = "PETITIE_REMIND_AFTER", default_value = "48h", value_parser = duration)]
    remind_after: std::time::Duration,
    /// Unconfirmed signatures older than this are deleted, with their links.
    #[arg(value_name = "DURATION", long, env = "PETITIE_PENDING_TTL", default_value = "14d", value_parser = duration)]
    pending_ttl: std::time::Duration,
}

fn duration(text: &str) -> Result<std::time::Duration, String> {
    petitie_core::duration::parse_duration(text)
        .ok_or_else(|| format!("`{text}` is not a duration like 90s, 48h or 14d"))
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Write a petition's signatures to standard output as CSV (UTF-8 with BOM, safe to open
    /// in a spreadsheet). Flagged signatures are left out unless asked for.
    Export {
        /// The server's SQLite file or PostgreSQL URL.
        #[arg(long, env = "PETITIE_DB", value_name = "PATH|URL", hide_env_values = true, value_parser = Database::parse)]
        db: Database,
        /// The petition's id, e.g. gezinshulp-eerst.
        #[arg(long, value_name = "ID")]
        petition: String,
        /// Only signatures made at or after this RFC 3339 time, e.g. 2026-12-01T00:00:00+01:00.
        #[arg(value_name = "RFC3339", long, value_parser = export::parse_since)]
        since: Option<String>,
        /// Also the signatures held back as automated (honeypot, too fast).
        #[arg(long)]
        include_flagged: bool,
        /// Also the signatures still waiting for their address to be confirmed (an empty
        /// confirmed_at).
        #[arg(long)]
        include_pending: bool,
    },
    /// Remove a person's signatures from every petition, with the stored answers that hold
    /// them; prints how many were removed. The address matches as duplicates do (any case).
    Erase {
        /// The server's SQLite file or PostgreSQL URL.
        #[arg(long, env = "PETITIE_DB", value_name = "PATH|URL", hide_env_values = true, value_parser = Database::parse)]
        db: Database,
        /// The person's e-mail address.
        #[arg(long, value_name = "ADDRESS")]
        email: String,
    },
    /// Write the security headers (`_headers`, `headers.nginx.conf`) for the built app in DIR
    /// as it is deployed: run it after editing DIR/config.json (the API or embedders).
    Headers {
        /// The built app's folder (with index.html and config.json).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Print a petition's count of counted signatures (without --count-offset).
    Count {
        /// The server's SQLite file or PostgreSQL URL.
        #[arg(long, env = "PETITIE_DB", value_name = "PATH|URL", hide_env_values = true, value_parser = Database::parse)]
        db: Database,
        /// The petition's id, e.g. gezinshulp-eerst.
        #[arg(long, value_name = "ID")]
        petition: String,
    },
}

fn parse_petition(text: &str) -> Result<(String, PetitionStatus), String> {
    let (id, status) = match text.split_once(':') {
        Some((id, "closed")) => (id, PetitionStatus::Closed),
        Some((id, "open")) => (id, PetitionStatus::Open),
        Some(_) => return Err("use ID or ID:closed".into()),
        None => (text, PetitionStatus::Open),
    };
    if id.is_empty() {
        return Err("the petition id is empty".into());
    }
    Ok((id.to_string(), status))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => serve(cli.serve),
        Some(Command::Export {
            db,
            petition,
            since,
            include_flagged,
            include_pending,
        }) => operate(&db, |store| {
            store.petition(&petition)?;
            let include = Include {
                flagged: include_flagged,
                pending: include_pending,
            };
            let n = store
                .export(
                    &petition,
                    since.as_deref(),
                    include,
                    std::io::stdout().lock(),
                )
                .map_err(|e| e.to_string())?;
            eprintln!("{n} signatures exported");
            Ok(())
        }),
        Some(Command::Erase { db, email }) => operate(&db, |store| {
            let erased = store.erase(&email).map_err(|e| e.to_string())?;
            println!(
                "{} signatures removed ({} stored answers)",
                erased.signatures, erased.stored_answers
            );
            Ok(())
        }),
        Some(Command::Headers { dir }) => match petitie_server::site::write_headers(&dir) {
            Ok(()) => {
                eprintln!("security headers written into {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("{message}");
                ExitCode::FAILURE
            }
        },
        Some(Command::Count { db, petition }) => operate(&db, |store| {
            println!("{}", store.petition(&petition)?.count);
            Ok(())
        }),
    }
}

/// The database an operator's command works on.
enum Operator {
    Sqlite(Store),
    Postgres(tokio::runtime::Runtime, pg::Store),
}

impl Operator {
    /// An existing SQLite file (never creating one: a mistyped path is an error), or a
    /// PostgreSQL database; either is migrated.
    fn open(db: &Database) -> Result<Operator, String> {
        match db {
            Database::Sqlite(path) => Store::open_existing(path)
                .map(Operator::Sqlite)
                .map_err(|e| e.to_string()),
            Database::Postgres(url) => {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| e.to_string())?;
                let store = runtime
                    .block_on(pg::Store::open(url))
                    .map_err(|e| e.to_string())?;
                Ok(Operator::Postgres(runtime, store))
            }
        }
    }

    fn petition(&self, id: &str) -> Result<PetitionRow, String> {
        let row = match self {
            Operator::Sqlite(store) => store.petition(id).map_err(|e| e.to_string())?,
            Operator::Postgres(runtime, store) => runtime
                .block_on(store.petition(id))
                .map_err(|e| e.to_string())?,
        };
        row.ok_or_else(|| format!("there is no petition `{id}` in this database"))
    }

    fn erase(&mut self, email: &str) -> Result<Erased, String> {
        match self {
            Operator::Sqlite(store) => store.erase(email).map_err(|e| e.to_string()),
            Operator::Postgres(runtime, store) => runtime
                .block_on(store.erase(email))
                .map_err(|e| e.to_string()),
        }
    }

    fn export(
        &self,
        petition: &str,
        since: Option<&str>,
        include: Include,
        out: impl std::io::Write,
    ) -> Result<usize, ExportError> {
        export::write(
            |each| match self {
                Operator::Sqlite(store) => store.export(petition, since, include, each),
                Operator::Postgres(runtime, store) => {
                    runtime.block_on(store.export(petition, since, include, each))
                }
            },
            out,
        )
    }
}

/// Runs an operator command on an existing database.
fn operate(db: &Database, command: impl FnOnce(&mut Operator) -> Result<(), String>) -> ExitCode {
    let mut store = match Operator::open(db) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("cannot open database {db}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match command(&mut store) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: Serve) -> ExitCode {
    // Held to the end: dropping it writes out the log lines still queued.
    let _log = petitie_server::log::init();
    let origin = |o: String| o.trim_end_matches('/').to_string();
    let settings = Settings {
        allowed_origins: args.allow_origins.into_iter().map(origin).collect(),
        rate_limit_per_minute: args.rate_limit_per_minute,
        min_elapsed_ms: args.min_elapsed_ms,
        static_dir: args.static_dir,
        embed_origins: args.embed_origins.into_iter().map(origin).collect(),
        extra_frame_ancestors: args.frame_ancestors.into_iter().map(origin).collect(),
        count_offset: args.count_offset,
        trusted_proxies: TrustedProxies(args.trusted_proxies),
        confirmation: match args.confirm {
            Confirm {
                confirm_by_email: true,
                smtp_url: Some(smtp_url),
                mail_from: Some(mail_from),
                public_url: Some(public_url),
                remind_after,
                pending_ttl,
            } => Some(ConfirmSettings {
                smtp_url,
                mail_from,
                public_url,
                remind_after,
                pending_ttl,
            }),
            _ => None,
        },
    };
    let mut petitions = args.petitions;
    if petitions.is_empty() {
        petitions.push(("gezinshulp-eerst".to_string(), PetitionStatus::Open));
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let db = args.db;
    runtime.block_on(async move {
        let store = match open(&db, &petitions).await {
            Ok(store) => store,
            Err(e) => {
                eprintln!("cannot open database {db}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let router = match app(store, settings).await {
            Ok(router) => router,
            Err(e) => {
                eprintln!("cannot open database {db}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let listener = match tokio::net::TcpListener::bind(args.listen).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("cannot listen on {}: {e}", args.listen);
                return ExitCode::FAILURE;
            }
        };
        let local = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        // The line tests and scripts wait for.
        eprintln!("petitie-server listening on http://{local}");
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await;
        match served {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("server error: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

/// Opens (creating or migrating) the database and registers the petitions.
async fn open(db: &Database, petitions: &[(String, PetitionStatus)]) -> Result<Backend, String> {
    match db {
        Database::Sqlite(path) => {
            let store = Store::open(path).map_err(|e| e.to_string())?;
            for (id, status) in petitions {
                store
                    .upsert_petition(id, *status)
                    .map_err(|e| format!("cannot register petition {id}: {e}"))?;
            }
            Ok(store.into())
        }
        Database::Postgres(url) => {
            let store = pg::Store::open(url).await.map_err(|e| e.to_string())?;
            for (id, status) in petitions {
                store
                    .upsert_petition(id, *status)
                    .await
                    .map_err(|e| format!("cannot register petition {id}: {e}"))?;
            }
            Ok(store.into())
        }
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("signal handler");
        tokio::select! { _ = interrupt => {}, _ = terminate.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn reads_petitions_as_id_or_id_with_status() {
        let table: &[(&str, Option<(&str, PetitionStatus)>)] = &[
            (
                "gezinshulp-eerst",
                Some(("gezinshulp-eerst", PetitionStatus::Open)),
            ),
            ("oud:closed", Some(("oud", PetitionStatus::Closed))),
            ("nieuw:open", Some(("nieuw", PetitionStatus::Open))),
            ("x:dicht", None),
            (":closed", None),
        ];
        for (text, expected) in table {
            let parsed = parse_petition(text).ok();
            let expected = expected.map(|(id, status)| (id.to_string(), status));
            assert_eq!(parsed, expected, "{text}");
        }
    }
}

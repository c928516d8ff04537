//! `petitie-server --listen 127.0.0.1:8787 --db petitie.db [--allow-origin ORIGIN]...
//!  [--petition ID[:closed]]... [--static DIR] [--embed-origin ORIGIN]... [--frame-ancestor ORIGIN]...
//!  [--rate-limit-per-minute N] [--min-elapsed-ms N] [--count-offset N]`

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use petitie_core::contract::PetitionStatus;
use petitie_server::db::Store;
use petitie_server::{app, Settings};

const USAGE: &str = "usage: petitie-server [--listen ADDR] [--db PATH] [--allow-origin ORIGIN]... \
[--petition ID[:closed]]... [--static DIR] [--embed-origin ORIGIN]... [--frame-ancestor ORIGIN]... [--rate-limit-per-minute N] \
[--min-elapsed-ms N] [--count-offset N]";

struct Args {
    listen: SocketAddr,
    db: PathBuf,
    petitions: Vec<(String, PetitionStatus)>,
    settings: Settings,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        listen: "127.0.0.1:8787".parse().expect("literal address"),
        db: PathBuf::from("petitie.db"),
        petitions: Vec::new(),
        settings: Settings::default(),
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => parsed.listen = value()?.parse().map_err(|e| format!("--listen: {e}"))?,
            "--db" => parsed.db = PathBuf::from(value()?),
            "--allow-origin" => parsed
                .settings
                .allowed_origins
                .push(value()?.trim_end_matches('/').to_string()),
            "--petition" => {
                let v = value()?;
                let (id, status) = match v.split_once(':') {
                    Some((id, "closed")) => (id.to_string(), PetitionStatus::Closed),
                    Some((id, "open")) => (id.to_string(), PetitionStatus::Open),
                    Some(_) => return Err(format!("--petition {v}: use ID or ID:closed")),
                    None => (v, PetitionStatus::Open),
                };
                parsed.petitions.push((id, status));
            }
            "--static" => parsed.settings.static_dir = Some(PathBuf::from(value()?)),
            "--embed-origin" => parsed
                .settings
                .embed_origins
                .push(value()?.trim_end_matches('/').to_string()),
            "--frame-ancestor" => parsed
                .settings
                .extra_frame_ancestors
                .push(value()?.trim_end_matches('/').to_string()),
            "--rate-limit-per-minute" => {
                parsed.settings.rate_limit_per_minute = value()?
                    .parse()
                    .map_err(|e| format!("--rate-limit-per-minute: {e}"))?
            }
            "--count-offset" => {
                parsed.settings.count_offset = value()?
                    .parse()
                    .map_err(|e| format!("--count-offset: {e}"))?
            }
            "--min-elapsed-ms" => {
                parsed.settings.min_elapsed_ms = value()?
                    .parse()
                    .map_err(|e| format!("--min-elapsed-ms: {e}"))?
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if parsed.petitions.is_empty() {
        parsed
            .petitions
            .push(("gezinshulp-eerst".to_string(), PetitionStatus::Open));
    }
    Ok(parsed)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let store = match Store::open(&args.db) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("cannot open database {}: {e}", args.db.display());
            return ExitCode::FAILURE;
        }
    };
    for (id, status) in &args.petitions {
        if let Err(e) = store.upsert_petition(id, *status) {
            eprintln!("cannot register petition {id}: {e}");
            return ExitCode::FAILURE;
        }
    }
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
    let service = app(store, args.settings).into_make_service_with_connect_info::<SocketAddr>();
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

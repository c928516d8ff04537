//! The server's log, through `tracing`: one line per request (method, route pattern, status,
//! time) and storage errors, written to standard error by `tracing-appender`'s non-blocking
//! writer. Writing to a file or a pipe can block (a busy disk, a slow log collector); done in
//! a handler it would hold up one of the runtime's few threads. The writer's thread falls
//! behind by at most its buffer; past that, lines are dropped (and counted by it).

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tracing_appender::non_blocking::WorkerGuard;

/// Sends the log to standard error, as plain lines: the message alone, without time, level or
/// colour (a process supervisor adds its own time). Keep the guard until the process ends:
/// dropping it writes out what is still queued. `None` when a log was set up already (tests
/// that start several servers in one process).
pub fn init() -> Option<WorkerGuard> {
    let (writer, guard) = tracing_appender::non_blocking(std::io::stderr());
    tracing_subscriber::fmt()
        .with_writer(writer)
        .without_time()
        .with_level(false)
        .with_target(false)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

/// One line per request: method, route pattern, status, time. Never the path as sent (it may
/// carry anything), a query string, a body or the client's address; requests no route matched
/// (the app's files, unknown paths) are logged as `*`.
pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "*".into());
    let response = next.run(request).await;
    tracing::info!(
        "{method} {route} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

//! The request log: one line per request, written to standard error by a thread of its own.
//!
//! Writing to a file or a pipe can block (a busy disk, a slow log collector); done in a
//! handler it would hold up one of the runtime's few threads and every request queued on it.
//! Handlers hand their line over without waiting; when the log thread falls more than
//! `BACKLOG` lines behind, lines are dropped and counted, and the count is logged.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, OnceLock};

const BACKLOG: usize = 16_384;

struct Log {
    lines: SyncSender<String>,
    dropped: Arc<AtomicU64>,
}

static LOG: OnceLock<Option<Log>> = OnceLock::new();

/// Logs `line` (without its newline) to standard error, without blocking.
pub fn line(line: String) {
    let log = LOG.get_or_init(start);
    match log {
        Some(log) => {
            if let Err(TrySendError::Full(_)) = log.lines.try_send(line) {
                log.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
        // No thread could be started: write it here rather than lose it.
        None => eprintln!("{line}"),
    }
}

fn start() -> Option<Log> {
    let (lines, queue) = sync_channel(BACKLOG);
    let dropped = Arc::new(AtomicU64::new(0));
    let counted = dropped.clone();
    std::thread::Builder::new()
        .name("petitie-log".into())
        .spawn(move || write_all(&queue, &counted))
        .ok()?;
    Some(Log { lines, dropped })
}

fn write_all(queue: &Receiver<String>, dropped: &AtomicU64) {
    // Not locked for good: other threads write to standard error too (storage errors).
    let mut out = std::io::BufWriter::new(std::io::stderr());
    while let Ok(first) = queue.recv() {
        let _ = writeln!(out, "{first}");
        // Everything already waiting goes out in the same write.
        for line in queue.try_iter() {
            let _ = writeln!(out, "{line}");
        }
        let lost = dropped.swap(0, Ordering::Relaxed);
        if lost > 0 {
            let _ = writeln!(out, "log: {lost} lines dropped (the log could not keep up)");
        }
        let _ = out.flush();
    }
}

//! An acknowledged signature survives the server process being killed (SIGKILL) right after.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use common::*;

/// Runs the real binary on a free port and waits for its "listening" line.
fn spawn(db: &std::path::Path) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_petitie-server"))
        .args(["--listen", "127.0.0.1:0", "--db"])
        .arg(db)
        .args(["--min-elapsed-ms", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start server");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .unwrap();
        if let Some(url) = line.strip_prefix("petitie-server listening on http://") {
            break url.parse().unwrap();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
}

#[test]
fn keeps_an_acknowledged_signature_after_kill_9() {
    let db = temp_db();
    let (mut server, addr) = spawn(&db);
    let reply = sign(addr, "k1", &anna());
    assert_eq!(reply.status, 201);
    server.kill().expect("SIGKILL");
    server.wait().unwrap();

    let (mut server, addr) = spawn(&db);
    let reply = get(addr, "/api/v1/petitions/gezinshulp-eerst");
    assert_eq!(reply.json()["count"], 1);
    // The idempotency record survived too: a late retry is a replay, not a new row.
    assert_eq!(sign(addr, "k1", &anna()).status, 200);
    assert_eq!(rows(&db).len(), 1);
    server.kill().unwrap();
    server.wait().unwrap();
}

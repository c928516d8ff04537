//! An acknowledged signature survives the server process being killed (SIGKILL) right after.

mod common;

use common::*;

#[test]
fn keeps_an_acknowledged_signature_after_kill_9() {
    let db = test_db();
    let mut server = spawn(&db, &["--min-elapsed-ms", "0"]);
    let reply = sign(server.addr, "k1", &anna());
    assert_eq!(reply.status, 201);
    server.child.kill().expect("SIGKILL");
    server.child.wait().unwrap();

    let server = spawn(&db, &["--min-elapsed-ms", "0"]);
    let addr = server.addr;
    let reply = get(addr, "/api/v1/petitions/gezinshulp-eerst");
    assert_eq!(reply.json()["count"], 1);
    // The idempotency record survived too: a late retry is a replay, not a new row.
    assert_eq!(sign(addr, "k1", &anna()).status, 200);
    assert_eq!(rows(&db).len(), 1);
}

//! Several instances on one PostgreSQL database, exact as one: the same key on two instances
//! at once, the rate limit across them, the count on every instance, each mail sent once,
//! the operator's commands, and `kill -9` of one instance behind nginx while supporters sign.
//!
//! They need the throwaway cluster of `scripts/with-postgres.sh` (`make unit` runs them in
//! it, one test at a time); without one they say so and stop.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

const PETITION: &str = "/api/v1/petitions/gezinshulp-eerst";
const SIGN: &str = "/api/v1/petitions/gezinshulp-eerst/signatures";

/// A new database in the cluster, or `None` (and a note) without one.
fn postgres_db() -> Option<TestDb> {
    if postgres_cluster().is_none() {
        eprintln!("skipped: no PostgreSQL cluster (run it with scripts/with-postgres.sh)");
        return None;
    }
    Some(test_db())
}

/// Two instances of the real binary on `db`.
fn two(db: &TestDb, args: &[&str]) -> [Binary; 2] {
    [spawn(db, args), spawn(db, args)]
}

fn count(addr: std::net::SocketAddr) -> u64 {
    get(addr, PETITION).json()["count"].as_u64().unwrap()
}

/// A signature of supporter `n`, from client address `client`.
fn sign_from(addr: std::net::SocketAddr, key: &str, n: usize, client: &str) -> Reply {
    try_sign_from(addr, key, n, client).expect("an answer")
}

fn try_sign_from(
    addr: std::net::SocketAddr,
    key: &str,
    n: usize,
    client: &str,
) -> std::io::Result<Reply> {
    let mut body = anna();
    body["email"] = json!(format!("supporter{n}@example.nl"));
    try_request(
        addr,
        "POST",
        SIGN,
        &[
            ("Content-Type", "application/json"),
            ("Idempotency-Key", key),
            ("X-Forwarded-For", client),
        ],
        &body.to_string(),
    )
}

#[test]
fn one_key_sent_to_two_instances_at_once_is_one_row_and_one_answer() {
    let Some(db) = postgres_db() else { return };
    let [a, b] = two(
        &db,
        &["--min-elapsed-ms", "0", "--trusted-proxy", "127.0.0.1"],
    );
    let (a, b) = (a.addr, b.addr);
    for round in 0..10 {
        let key = format!("attempt-{round}");
        let replies = at_once(8, move |i| {
            let addr = if i % 2 == 0 { a } else { b };
            sign_from(addr, &key, round, &format!("198.51.100.{round}"))
        });
        let bodies: Vec<_> = replies.iter().map(|r| r.json()).collect();
        assert!(bodies.iter().all(|body| *body == bodies[0]), "{bodies:?}");
        let mut statuses: Vec<_> = replies.iter().map(|r| r.status).collect();
        statuses.sort();
        assert_eq!(statuses, [vec![200; 7], vec![201]].concat(), "{round}");
    }
    assert_eq!(rows(&db).len(), 10);
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM idempotency"), 10);
}

#[test]
fn the_rate_limit_holds_across_instances() {
    let Some(db) = postgres_db() else { return };
    let [a, b] = two(
        &db,
        &["--min-elapsed-ms", "0", "--trusted-proxy", "127.0.0.1"],
    );
    let (a, b) = (a.addr, b.addr);
    // One client, twenty signatures at once, half of them to each instance (limit: 5).
    let replies = at_once(20, move |i| {
        let addr = if i % 2 == 0 { a } else { b };
        sign_from(addr, &format!("key-{i}"), i, "203.0.113.7")
    });
    let created = replies.iter().filter(|r| r.status == 201).count();
    let limited: Vec<_> = replies.iter().filter(|r| r.status == 429).collect();
    assert_eq!((created, limited.len()), (5, 15));
    assert!(limited.iter().all(|r| r
        .header("Retry-After")
        .is_some_and(|s| s.parse::<u64>().unwrap() >= 1)));
    // Another client is not held back by it, on either instance.
    assert_eq!(sign_from(a, "other-1", 100, "203.0.113.8").status, 201);
    assert_eq!(sign_from(b, "other-2", 101, "203.0.113.8").status, 201);
    assert_eq!(rows(&db).len(), 7);
}

#[test]
fn every_instance_answers_a_commit_within_a_second() {
    let Some(db) = postgres_db() else { return };
    let [a, b] = two(
        &db,
        &["--min-elapsed-ms", "0", "--trusted-proxy", "127.0.0.1"],
    );
    let mut slowest = Duration::ZERO;
    for n in 1..=5u64 {
        let (signer, other) = if n % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let reply = sign_from(signer.addr, &format!("k{n}"), n as usize, "192.0.2.1");
        assert_eq!(reply.status, 201);
        let answered = Instant::now();
        // The signer's instance answers it at once; the other from its next reread.
        assert_eq!(count(signer.addr), n);
        while count(other.addr) < n {
            assert!(
                answered.elapsed() < Duration::from_secs(1),
                "instance {} still answers {} a second after the commit",
                other.addr,
                count(other.addr)
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        slowest = slowest.max(answered.elapsed());
    }
    eprintln!("the other instance answered each new count within {slowest:?}");
    // An operator's erase lowers it on every instance too.
    let (code, _, err) = run(
        &[
            "erase",
            "--db",
            db.arg(),
            "--email",
            "supporter1@example.nl",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(eventually(|| count(a.addr) == 4 && count(b.addr) == 4));
}

#[test]
fn each_mail_is_sent_by_one_instance() {
    let Some(db) = postgres_db() else { return };
    let sink = Sink::start(0);
    let smtp = sink.url();
    let args = [
        "--min-elapsed-ms",
        "0",
        "--trusted-proxy",
        "127.0.0.1",
        "--confirm-by-email",
        "--smtp-url",
        &smtp,
        "--mail-from",
        "petitie@hetvergetenkind.nl",
        "--public-url",
        "https://www.hetvergetenkind.nl/",
    ];
    let [a, b] = two(&db, &args);
    let (a, b) = (a.addr, b.addr);
    let replies = at_once(60, move |i| {
        let addr = if i % 2 == 0 { a } else { b };
        sign_from(addr, &format!("k{i}"), i, &format!("192.0.2.{i}"))
    });
    assert!(replies.iter().all(|r| r.status == 202), "{replies:?}");
    assert!(eventually(
        || scalar(&db, "SELECT COUNT(*) FROM mail_jobs") == 0
    ));
    let mails = sink.mails();
    let mut to: Vec<String> = mails
        .iter()
        .map(|m| m["envelopeTo"][0].as_str().unwrap().to_string())
        .collect();
    to.sort();
    to.dedup();
    assert_eq!((mails.len(), to.len()), (60, 60), "one mail each");
    // Confirming through the other instance counts it on both.
    let token = token_in(&mails[0], "bevestigen");
    let confirmed = request(
        b,
        "POST",
        &format!("{PETITION}/confirmations"),
        &[("Content-Type", "application/json")],
        &json!({ "token": token }).to_string(),
    );
    assert_eq!(confirmed.json()["count"], 1);
    assert!(eventually(|| count(a) == 1 && count(b) == 1));
}

#[test]
fn the_operators_commands_work_on_postgresql() {
    let Some(db) = postgres_db() else { return };
    let server = spawn(&db, &["--min-elapsed-ms", "0"]);
    for (n, key) in [(1, "k1"), (2, "k2")] {
        assert_eq!(sign_from(server.addr, key, n, "192.0.2.9").status, 201);
    }
    let operate = |args: &[&str]| {
        let (code, out, err) = run(args, &[("PETITIE_DB", db.arg())]);
        assert_eq!(code, 0, "{err}");
        (String::from_utf8(out).unwrap(), err)
    };
    let count = ["count", "--petition", "gezinshulp-eerst"];
    assert_eq!(operate(&count).0.trim(), "2");
    let (csv, err) = operate(&["export", "--petition", "gezinshulp-eerst"]);
    assert!(err.contains("2 signatures exported"), "{err}");
    let lines: Vec<_> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines[1].starts_with("Anna,van der Berg,supporter1@example.nl,'+31612345678,20"),
        "{csv}"
    );
    // created_at and confirmed_at as RFC 3339 in UTC with milliseconds, as on SQLite.
    let created = lines[1].split(',').nth(4).unwrap();
    assert!(
        petitie_core::time::parse_rfc3339_ms(created).is_some() && created.ends_with('Z'),
        "{created}"
    );
    let (later, _) = operate(&[
        "export",
        "--petition",
        "gezinshulp-eerst",
        "--since",
        "2999-01-01T00:00:00Z",
    ]);
    assert_eq!(later.lines().count(), 1);
    let (erased, _) = operate(&["erase", "--email", "SUPPORTER2@example.nl"]);
    assert_eq!(erased.trim(), "1 signatures removed (1 stored answers)");
    assert_eq!(operate(&count).0.trim(), "1");
    let (code, _, err) = run(
        &["count", "--db", db.arg(), "--petition", "bestaat-niet"],
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("no petition `bestaat-niet`"), "{err}");
    // A wrong password or database is named without the password.
    let wrong = db.arg().replace("postgres@", "postgres:geheim@") + "_niet";
    let (code, _, err) = run(&["count", "--db", &wrong, "--petition", "x"], &[]);
    assert_eq!(code, 1);
    assert!(!err.contains("geheim"), "{err}");
    // Without TLS, a URL that asks for it is refused, not sent in clear.
    let tls = format!("{}?sslmode=require", db.arg());
    let (code, _, err) = run(
        &["count", "--db", &tls, "--petition", "gezinshulp-eerst"],
        &[],
    );
    assert_eq!(code, 1, "{err}");
}

/// What the supporters of the fail-over test saw.
#[derive(Default)]
struct Seen {
    /// Acknowledged: key -> e-mail address.
    acknowledged: HashMap<String, String>,
    /// Answers that were not 200 or 201 (or no answer), with when they came.
    failures: Vec<Instant>,
    /// From a signature's first try to its acknowledgement.
    waits: Vec<Duration>,
}

#[test]
fn kill_9_of_one_instance_behind_nginx_loses_and_doubles_nothing() {
    let Some(db) = postgres_db() else { return };
    let args = ["--min-elapsed-ms", "0", "--trusted-proxy", "127.0.0.1"];
    let [mut a, b] = two(&db, &args);
    let a_addr = a.addr;
    let proxy = Nginx::start([a.addr, b.addr]);
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Seen::default()));
    // Supporters signing through nginx, each retrying with the same key, as the app does.
    let supporters: Vec<_> = (0..8)
        .map(|_| {
            let (stop, next, seen) = (stop.clone(), next.clone(), seen.clone());
            let addr = proxy.addr;
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    let key = format!("supporter-{n}");
                    let client = format!("10.{}.{}.{}", n >> 16 & 255, n >> 8 & 255, n & 255);
                    let first = Instant::now();
                    loop {
                        let reply = try_sign_from(addr, &key, n, &client);
                        let ok = reply.as_ref().is_ok_and(|r| matches!(r.status, 200 | 201));
                        let mut seen = seen.lock().unwrap();
                        if ok {
                            seen.acknowledged
                                .insert(key.clone(), format!("supporter{n}@example.nl"));
                            seen.waits.push(first.elapsed());
                            break;
                        }
                        seen.failures.push(Instant::now());
                        drop(seen);
                        assert!(
                            first.elapsed() < Duration::from_secs(30),
                            "{key} never went in"
                        );
                        // The app's first backoff step.
                        std::thread::sleep(Duration::from_millis(250));
                    }
                }
            })
        })
        .collect();
    let acknowledged = || seen.lock().unwrap().acknowledged.len();
    let wait_for = |n: usize| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while acknowledged() < n {
            assert!(
                Instant::now() < deadline,
                "signing stalled at {}",
                acknowledged()
            );
            std::thread::yield_now();
        }
    };
    wait_for(200);
    a.child.kill().expect("SIGKILL");
    a.child.wait().unwrap();
    let killed = Instant::now();
    let at_kill = acknowledged();
    wait_for(at_kill + 200);
    let restarted = spawn_on(&a_addr.to_string(), &db, &args, &[]);
    let at_restart = acknowledged();
    wait_for(at_restart + 200);
    stop.store(true, Ordering::SeqCst);
    for supporter in supporters {
        supporter.join().unwrap();
    }

    let seen = seen.lock().unwrap();
    let rows = rows(&db);
    let emails: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
    let mut unique = emails.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), emails.len(), "no signature twice");
    for email in seen.acknowledged.values() {
        assert!(
            emails.contains(&email.as_str()),
            "{email} acknowledged but lost"
        );
    }
    assert_eq!(
        rows.len(),
        seen.acknowledged.len(),
        "nothing unacknowledged kept"
    );
    assert!(eventually(|| count(proxy.addr) == rows.len() as u64));
    assert!(eventually(|| count(restarted.addr) == rows.len() as u64));

    let mut waits = seen.waits.clone();
    waits.sort();
    let p99 = waits[waits.len() * 99 / 100];
    let after_kill = seen
        .failures
        .iter()
        .map(|t| t.saturating_duration_since(killed))
        .max();
    let failures = match after_kill {
        None => "no answer was other than 200/201".to_string(),
        Some(last) => format!(
            "{} answers were other than 200/201, the last {last:?} after the kill",
            seen.failures.len()
        ),
    };
    // nginx saw the instance go: requests it had (cut off) or was about to have (refused),
    // which it sent to the other one.
    let log = proxy.error_log();
    let cut = log.matches("prematurely closed").count() + log.matches("reset by peer").count();
    let refused = log.matches("Connection refused").count();
    eprintln!(
        "fail-over: {} signatures through nginx, {at_kill} acknowledged at the kill -9; \
         {failures}; nginx passed on {cut} requests cut off by the kill and {refused} refused \
         while it was down; a signature's longest wait from its first try {:?}, p99 {p99:?}",
        rows.len(),
        waits.last().unwrap(),
    );
    assert!(cut + refused > 0, "the kill hit no request: {log}");
}

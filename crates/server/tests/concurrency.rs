//! Requests arriving at once: decided one after another by the writer, committed together.

mod common;

use common::*;
use petitie_server::client_ip::{parse_range, TrustedProxies};
use petitie_server::Settings;
use serde_json::json;

const SIGN: &str = "/api/v1/petitions/gezinshulp-eerst/signatures";

#[test]
fn twenty_identical_requests_with_one_key_store_one_row_and_get_identical_answers() {
    // The default limit of 5 a minute: replays must not use it up.
    let server = start(Settings {
        rate_limit_per_minute: 5,
        ..settings()
    });
    let addr = server.addr;
    let replies = at_once(20, move |_| sign(addr, "one-attempt", &anna()));
    let bodies: Vec<_> = replies.iter().map(|r| r.json()).collect();
    assert!(
        bodies.iter().all(|b| *b == json!({"count": 1})),
        "{bodies:?}"
    );
    let mut statuses: Vec<_> = replies.iter().map(|r| r.status).collect();
    statuses.sort();
    // The first decided is recorded (201); the others are replays of it (200, same body).
    assert_eq!(statuses, [vec![200; 19], vec![201]].concat());
    assert_eq!(rows(&server.db).len(), 1);
}

#[test]
fn the_rate_limit_is_exact_when_one_address_sends_twenty_at_once() {
    let server = start(Settings {
        rate_limit_per_minute: 5,
        ..settings()
    });
    let addr = server.addr;
    let replies = at_once(20, move |i| {
        let mut body = anna();
        body["email"] = json!(format!("person{i}@example.nl"));
        sign(addr, &format!("key-{i}"), &body)
    });
    let created = replies.iter().filter(|r| r.status == 201).count();
    let limited = replies.iter().filter(|r| r.status == 429).count();
    assert_eq!((created, limited), (5, 15));
    assert_eq!(rows(&server.db).len(), 5);
}

#[test]
fn forty_supporters_at_once_are_all_counted_each_with_a_count_of_their_own() {
    // On SQLite one writer decides them in turn, so each answer is a count of its own. On
    // PostgreSQL each is a transaction of its own: one committing at the same moment as
    // another may be answered the same count (the contract's "current count"), never a count
    // that leaves out its own signature.
    let server = start(Settings {
        trusted_proxies: TrustedProxies(vec![parse_range("127.0.0.1").unwrap()]),
        ..settings()
    });
    let addr = server.addr;
    let replies = at_once(40, move |i| {
        let mut body = anna();
        body["email"] = json!(format!("person{i}@example.nl"));
        let key = format!("key-{i}");
        let client = format!("203.0.113.{i}");
        request(
            addr,
            "POST",
            SIGN,
            &[
                ("Content-Type", "application/json"),
                ("Idempotency-Key", &key),
                ("X-Forwarded-For", &client),
            ],
            &body.to_string(),
        )
    });
    assert!(replies.iter().all(|r| r.status == 201), "{replies:?}");
    let mut counts: Vec<u64> = replies
        .iter()
        .map(|r| r.json()["count"].as_u64().unwrap())
        .collect();
    counts.sort();
    if server.db.is_postgres() {
        assert!(counts.iter().all(|c| (1..=40).contains(c)), "{counts:?}");
    } else {
        assert_eq!(counts, (1..=40).collect::<Vec<_>>());
    }
    assert!(eventually(|| get(
        addr,
        "/api/v1/petitions/gezinshulp-eerst"
    )
    .json()["count"]
        == 40));
    assert_eq!(rows(&server.db).len(), 40);
}

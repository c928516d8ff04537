//! The contract (docs/api.md) over real HTTP against a real SQLite file.

mod common;

use common::*;
use serde_json::json;

#[test]
fn reads_the_petition_with_its_count_status_and_cache_header() {
    let server = start(settings());
    let reply = get(server.addr, "/api/v1/petitions/gezinshulp-eerst");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({"id": "gezinshulp-eerst", "count": 0, "status": "open"})
    );
    assert_eq!(
        reply.header("cache-control"),
        Some("public, max-age=5, stale-while-revalidate=30")
    );
    let closed = get(server.addr, "/api/v1/petitions/gesloten");
    assert_eq!(closed.json()["status"], "closed");
}

#[test]
fn answers_404_for_an_unknown_petition() {
    let server = start(settings());
    let reply = get(server.addr, "/api/v1/petitions/bestaat-niet");
    assert_eq!(
        (reply.status, reply.json()),
        (404, json!({"error": "not_found"}))
    );
}

#[test]
fn records_a_signature_normalised_with_only_the_contracts_attribution_keys() {
    let server = start(settings());
    let reply = sign(server.addr, "k1", &anna());
    assert_eq!((reply.status, reply.json()), (201, json!({"count": 1})));
    let rows = rows(&server.db);
    assert_eq!(rows.len(), 1);
    let (first, last, email, phone, attribution, flagged) = &rows[0];
    assert_eq!(
        (first.as_str(), last.as_str(), email.as_str()),
        ("Anna", "van der Berg", "Anna@example.nl")
    );
    assert_eq!(phone.as_deref(), Some("+31612345678"));
    assert_eq!(
        attribution,
        r#"{"sfc":"701P400000kF7Q7IAK","utm_source":"pr"}"#
    );
    assert!(!flagged);
    assert_eq!(
        get(server.addr, "/api/v1/petitions/gezinshulp-eerst").json()["count"],
        1
    );
}

#[test]
fn answers_a_second_signature_with_the_same_email_like_a_new_one_without_counting_it() {
    let server = start(settings());
    assert_eq!(sign(server.addr, "k1", &anna()).status, 201);
    let mut again = anna();
    again["email"] = json!("anna@example.nl");
    again["first_name"] = json!("Annie");
    let reply = sign(server.addr, "k2", &again);
    assert_eq!((reply.status, reply.json()), (201, json!({"count": 1})));
    assert_eq!(rows(&server.db).len(), 1);
}

#[test]
fn replays_the_stored_answer_for_a_reused_idempotency_key() {
    let server = start(settings());
    assert_eq!(
        sign(server.addr, "same-key", &anna()).json(),
        json!({"count": 1})
    );
    let mut bob = anna();
    bob["email"] = json!("bob@example.nl");
    assert_eq!(sign(server.addr, "other", &bob).json(), json!({"count": 2}));
    // A retry of Anna's attempt, with a later elapsed_ms, gets the original answer.
    let mut retry = anna();
    retry["elapsed_ms"] = json!(12000);
    let reply = sign(server.addr, "same-key", &retry);
    assert_eq!((reply.status, reply.json()), (200, json!({"count": 1})));
    assert_eq!(rows(&server.db).len(), 2);
}

#[test]
fn refuses_a_reused_idempotency_key_with_a_different_body() {
    let server = start(settings());
    sign(server.addr, "same-key", &anna());
    let mut other = anna();
    other["email"] = json!("iemand@example.nl");
    let reply = sign(server.addr, "same-key", &other);
    assert_eq!(
        (reply.status, reply.json()),
        (422, json!({"error": "idempotency_key_reused"}))
    );
    assert_eq!(rows(&server.db).len(), 1);
}

#[test]
fn answers_422_with_the_same_field_codes_as_the_form() {
    let server = start(settings());
    let body = json!({"first_name": " ", "last_name": "=HYPERLINK(1)", "email": "anna@@example", "phone": "06-abc",
                      "locale": "nl", "attribution": {}, "website": "", "elapsed_ms": 5000});
    let reply = sign(server.addr, "k", &body);
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.json(),
        json!({"error": "invalid", "fields": {"first_name": "required", "last_name": "invalid", "email": "invalid", "phone": "invalid"}})
    );
    let long = json!({"first_name": "A".repeat(101), "last_name": "B", "email": "a@example.nl"});
    assert_eq!(
        sign(server.addr, "k2", &long).json()["fields"],
        json!({"first_name": "too_long"})
    );
    assert!(rows(&server.db).is_empty());
}

#[test]
fn answers_400_to_a_body_that_is_not_json_or_the_wrong_shape() {
    let server = start(settings());
    let path = "/api/v1/petitions/gezinshulp-eerst/signatures";
    let json_type = [("Content-Type", "application/json")];
    for body in ["{not json", r#"{"first_name": 3}"#, "[]"] {
        let reply = request(server.addr, "POST", path, &json_type, body);
        assert_eq!(
            (reply.status, reply.json()),
            (400, json!({"error": "bad_request"})),
            "{body}"
        );
    }
}

#[test]
fn refuses_bodies_over_16_kilobytes() {
    let server = start(settings());
    let mut huge = anna();
    huge["website"] = json!("x".repeat(20_000));
    assert_eq!(sign(server.addr, "k", &huge).status, 413);
}

#[test]
fn answers_409_for_a_closed_petition() {
    let server = start(settings());
    let reply = request(
        server.addr,
        "POST",
        "/api/v1/petitions/gesloten/signatures",
        &[("Content-Type", "application/json")],
        &anna().to_string(),
    );
    assert_eq!(
        (reply.status, reply.json()),
        (409, json!({"error": "closed"}))
    );
}

#[test]
fn rate_limits_signatures_per_address_with_retry_after() {
    let server = start(petitie_server::Settings {
        rate_limit_per_minute: 2,
        ..settings()
    });
    for (i, email) in ["a@example.nl", "b@example.nl"].iter().enumerate() {
        let mut body = anna();
        body["email"] = json!(email);
        assert_eq!(sign(server.addr, &format!("k{i}"), &body).status, 201);
    }
    let mut third = anna();
    third["email"] = json!("c@example.nl");
    let reply = sign(server.addr, "k3", &third);
    assert_eq!(
        (reply.status, reply.json()),
        (429, json!({"error": "rate_limited"}))
    );
    let wait: u64 = reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    // A retry of an accepted attempt is not a new signature and is not limited.
    let mut first = anna();
    first["email"] = json!("a@example.nl");
    assert_eq!(sign(server.addr, "k0", &first).status, 200);
}

#[test]
fn records_but_does_not_count_a_filled_honeypot_or_an_inhumanly_fast_submit() {
    let server = start(petitie_server::Settings {
        min_elapsed_ms: 1500,
        ..settings()
    });
    let mut bot = anna();
    bot["website"] = json!("http://spam.example");
    assert_eq!(sign(server.addr, "k1", &bot).json(), json!({"count": 0}));
    let mut fast = anna();
    fast["email"] = json!("snel@example.nl");
    fast["elapsed_ms"] = json!(200);
    assert_eq!(sign(server.addr, "k2", &fast).status, 201);
    let rows = rows(&server.db);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.5));
    // The real Anna still counts.
    assert_eq!(sign(server.addr, "k3", &anna()).json(), json!({"count": 1}));
}

#[test]
fn answers_preflights_only_for_allowed_origins_and_never_allows_credentials() {
    let server = start(settings());
    let path = "/api/v1/petitions/gezinshulp-eerst/signatures";
    let preflight = |origin: &str| {
        request(
            server.addr,
            "OPTIONS",
            path,
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "content-type, idempotency-key",
                ),
            ],
            "",
        )
    };
    let ok = preflight("http://127.0.0.1:8080");
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("http://127.0.0.1:8080")
    );
    assert_eq!(
        ok.header("access-control-allow-headers"),
        Some("content-type,idempotency-key")
    );
    assert_eq!(ok.header("access-control-allow-credentials"), None);
    // Refused: answered, but without the header that lets the browser make the call.
    let evil = preflight("https://evil.example");
    assert_eq!(evil.header("access-control-allow-origin"), None);

    let read = request(
        server.addr,
        "GET",
        "/api/v1/petitions/gezinshulp-eerst",
        &[("Origin", "http://127.0.0.1:8080")],
        "",
    );
    assert_eq!(
        read.header("access-control-allow-origin"),
        Some("http://127.0.0.1:8080")
    );
    assert_eq!(
        read.header("access-control-expose-headers"),
        Some("retry-after")
    );
    let read = request(
        server.addr,
        "GET",
        "/api/v1/petitions/gezinshulp-eerst",
        &[("Origin", "https://evil.example")],
        "",
    );
    assert_eq!(read.header("access-control-allow-origin"), None);
}

#[test]
fn answers_health_checks() {
    let server = start(settings());
    let reply = get(server.addr, "/healthz");
    assert_eq!((reply.status, reply.body.as_str()), (200, "ok"));
}

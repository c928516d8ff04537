//! The rate limit counts the client's address: the TCP peer, or behind a trusted proxy the
//! address the proxy reports. Real HTTP over loopback (the peer is 127.0.0.1).

mod common;

use common::*;
use petitie_server::client_ip::{parse_range, TrustedProxies};
use petitie_server::Settings;
use serde_json::json;

const SIGN: &str = "/api/v1/petitions/gezinshulp-eerst/signatures";

fn limited_to_one(trusted: &[&str]) -> Settings {
    Settings {
        rate_limit_per_minute: 1,
        trusted_proxies: TrustedProxies(trusted.iter().map(|r| parse_range(r).unwrap()).collect()),
        ..settings()
    }
}

/// A new supporter's signature, sent with `forwarding` headers.
fn sign_as(addr: std::net::SocketAddr, n: u32, forwarding: &[(&str, &str)]) -> u16 {
    let mut body = anna();
    body["email"] = json!(format!("supporter{n}@example.nl"));
    let key = format!("key-{n}");
    let mut headers = vec![
        ("Content-Type", "application/json"),
        ("Idempotency-Key", key.as_str()),
    ];
    headers.extend_from_slice(forwarding);
    request(addr, "POST", SIGN, &headers, &body.to_string()).status
}

#[test]
fn a_forwarding_header_from_an_untrusted_peer_changes_nothing() {
    // Trusted: a range the loopback peer is not in.
    let server = start(limited_to_one(&["10.0.0.0/8"]));
    assert_eq!(
        sign_as(server.addr, 1, &[("X-Forwarded-For", "203.0.113.1")]),
        201
    );
    // Another claimed address, from the same peer: the same (spent) allowance.
    assert_eq!(
        sign_as(server.addr, 2, &[("X-Forwarded-For", "203.0.113.2")]),
        429
    );
    assert_eq!(
        sign_as(server.addr, 3, &[("Forwarded", "for=203.0.113.3")]),
        429
    );
    assert_eq!(rows(&server.db).len(), 1);
}

#[test]
fn two_clients_behind_one_trusted_proxy_get_a_limit_each() {
    let server = start(limited_to_one(&["127.0.0.1/32"]));
    assert_eq!(
        sign_as(server.addr, 1, &[("X-Forwarded-For", "203.0.113.1")]),
        201
    );
    assert_eq!(
        sign_as(server.addr, 2, &[("X-Forwarded-For", "203.0.113.2")]),
        201
    );
    assert_eq!(
        sign_as(
            server.addr,
            3,
            &[("Forwarded", "for=\"[2001:db8::7]:4711\"")]
        ),
        201
    );
    // The first client again, its own address forged at the left of the list: the proxy's
    // entry (right-most) counts, and that allowance is spent.
    assert_eq!(
        sign_as(
            server.addr,
            4,
            &[("X-Forwarded-For", "198.51.100.99, 203.0.113.1")]
        ),
        429
    );
    assert_eq!(
        sign_as(server.addr, 5, &[("Forwarded", "for=203.0.113.2")]),
        429
    );
    assert_eq!(rows(&server.db).len(), 3);
}

//! Fills a database with N made-up signatures (and their stored idempotent answers) for
//! `make load`: `cargo run --release -p petitie-server --example seed -- PATH N [PETITION]`.

use std::path::PathBuf;

use petitie_core::contract::PetitionStatus;
use petitie_server::db::Store;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(n)) = (args.next().map(PathBuf::from), args.next()) else {
        eprintln!("usage: seed PATH N [PETITION]");
        std::process::exit(2);
    };
    let n: u64 = n.parse().expect("N is a whole number");
    let petition = args.next().unwrap_or_else(|| "gezinshulp-eerst".into());
    let store = Store::open(&path).expect("open the database");
    store
        .upsert_petition(&petition, PetitionStatus::Open)
        .expect("register the petition");
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("open the database");
    conn.execute_batch("PRAGMA synchronous = OFF; BEGIN;")
        .expect("begin");
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO signatures (petition_id, first_name, last_name, email, email_key, phone,
                                 locale, attribution, website, elapsed_ms, flagged, confirmed_at)
         SELECT ?2, 'Voorbeeld', 'Ondertekenaar', 'seed-' || i || '@example.nl',
                'seed-' || i || '@example.nl', '+316' || (10000000 + i), 'nl',
                '{\"utm_source\":\"seed\"}', '', 8000, 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         FROM n",
        rusqlite::params![n, petition],
    )
    .expect("insert signatures");
    conn.execute(
        "INSERT INTO idempotency (key, petition_id, request, status, response, email_key)
         SELECT 'seed-' || id, petition_id, '{}', 201, '{\"count\":' || id || '}', email_key
         FROM signatures WHERE email_key LIKE 'seed-%'",
        [],
    )
    .expect("insert stored answers");
    conn.execute_batch("COMMIT;").expect("commit");
    let count: u64 = conn
        .query_row(
            "SELECT signature_count FROM petitions WHERE id = ?1",
            [&petition],
            |r| r.get(0),
        )
        .expect("read the count");
    println!("{count}");
}

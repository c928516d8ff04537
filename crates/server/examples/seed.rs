//! Fills a database with N made-up signatures (and their stored idempotent answers) for
//! `make load`: `cargo run --release -p petitie-server --example seed -- DB N [PETITION]`,
//! DB a SQLite file or a PostgreSQL URL.

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
    let text = path.to_string_lossy().into_owned();
    if text.starts_with("postgres://") {
        println!("{}", seed_postgres(&text, n, &petition));
        return;
    }
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

/// The same on PostgreSQL: the schema made by the server's migrations, the rows in one
/// statement with the count's trigger set aside, then the shards' counts from them.
fn seed_postgres(url: &str, n: u64, petition: &str) -> i64 {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let store = petitie_server::pg::Store::open(url)
            .await
            .expect("open the database");
        store
            .upsert_petition(petition, PetitionStatus::Open)
            .await
            .expect("register the petition");
    });
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    let mut tx = client.transaction().expect("begin");
    tx.batch_execute("ALTER TABLE signatures DISABLE TRIGGER signatures_count")
        .expect("set the trigger aside");
    tx.execute(
        "INSERT INTO signatures (petition_id, first_name, last_name, email, email_key, phone,
                                 locale, attribution, website, elapsed_ms, flagged, confirmed_at)
         SELECT $2, 'Voorbeeld', 'Ondertekenaar', 'seed-' || i || '@example.nl',
                'seed-' || i || '@example.nl', '+316' || (10000000 + i), 'nl',
                '{\"utm_source\":\"seed\"}', '', 8000, false, clock_timestamp()
         FROM generate_series(1, $1::bigint) AS i",
        &[&(n as i64), &petition],
    )
    .expect("insert signatures");
    tx.batch_execute(&format!(
        "ALTER TABLE signatures ENABLE TRIGGER signatures_count;
         INSERT INTO signature_counts (petition_id, shard, count)
         SELECT petition_id, id % {shards}, COUNT(*) FROM signatures
         WHERE NOT flagged AND confirmed_at IS NOT NULL GROUP BY 1, 2
         ON CONFLICT (petition_id, shard) DO UPDATE SET count = excluded.count;
         INSERT INTO idempotency (key, petition_id, request, status, response, email_key)
         SELECT 'seed-' || id, petition_id, '{{}}', 201, '{{\"count\":' || id || '}}', email_key
         FROM signatures WHERE email_key LIKE 'seed-%';",
        shards = petitie_server::pg::SHARDS
    ))
    .expect("count and store answers");
    tx.commit().expect("commit");
    client.batch_execute("VACUUM ANALYZE").expect("vacuum");
    client
        .query_one(
            "SELECT COALESCE(SUM(count), 0)::bigint FROM signature_counts WHERE petition_id = $1",
            &[&petition],
        )
        .expect("read the count")
        .get(0)
}

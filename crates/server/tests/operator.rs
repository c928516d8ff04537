//! The operator's side of the binary: `export`, `erase`, `count`, the command line and the
//! log, on databases filled through the API of the real server process.

mod common;

use common::*;
use serde_json::json;

const PETITION: &str = "/api/v1/petitions/gezinshulp-eerst";

fn db_arg(db: &std::path::Path) -> &str {
    db.to_str().unwrap()
}

fn sign_to(
    addr: std::net::SocketAddr,
    petition: &str,
    key: &str,
    body: &serde_json::Value,
) -> Reply {
    request(
        addr,
        "POST",
        &format!("/api/v1/petitions/{petition}/signatures"),
        &[
            ("Content-Type", "application/json"),
            ("Idempotency-Key", key),
        ],
        &body.to_string(),
    )
}

fn supporter(first: &str, email: &str, attribution: serde_json::Value) -> serde_json::Value {
    json!({
        "first_name": first, "last_name": "de Vries", "email": email, "phone": "06 1234 5678",
        "locale": "nl", "attribution": attribution, "website": "", "elapsed_ms": 9000
    })
}

fn export(db: &std::path::Path, extra: &[&str]) -> (String, Vec<Vec<String>>) {
    let mut args = vec![
        "export",
        "--db",
        db_arg(db),
        "--petition",
        "gezinshulp-eerst",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args, &[]);
    assert_eq!(code, 0, "{err}");
    let text = String::from_utf8(out).expect("UTF-8");
    let body = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark first");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (text, records)
}

const HEADER: &str = "first_name,last_name,email,phone,created_at,confirmed_at,sfc,utm_source,utm_medium,utm_campaign,utm_content,utm_term,embed_host";

#[test]
fn export_writes_the_counted_signatures_as_spreadsheet_safe_csv() {
    let db = temp_db();
    let server = spawn(
        &db,
        &["--min-elapsed-ms", "1500", "--rate-limit-per-minute", "100"],
    );
    let anna = supporter(
        "Anna",
        "Anna@Example.nl",
        json!({"sfc": "701P400000kF7Q7IAK", "utm_source": "pr", "utm_campaign": "=HYPERLINK(\"http://x\",\"klik\")",
               "embed_host": "https://www.hetvergetenkind.nl"}),
    );
    assert_eq!(
        sign_to(server.addr, "gezinshulp-eerst", "k1", &anna).status,
        201
    );
    let zoe = supporter(
        "Zoë",
        "zoe@example.nl",
        json!({"utm_medium": "@mail", "utm_term": "-1"}),
    );
    assert_eq!(
        sign_to(server.addr, "gezinshulp-eerst", "k2", &zoe).status,
        201
    );
    // Held back as automated (the honeypot is filled in): stored, not counted, not exported.
    let mut bot = supporter("Robot", "bot@example.nl", json!({}));
    bot["website"] = json!("http://spam.example");
    assert_eq!(
        sign_to(server.addr, "gezinshulp-eerst", "k3", &bot).status,
        201
    );

    let (text, records) = export(&db, &[]);
    assert!(text.starts_with(&format!("\u{feff}{HEADER}\r\n")), "{text}");
    assert_eq!(records.len(), 3, "{records:?}");
    assert_eq!(records[0].join(","), HEADER);
    let anna_row = &records[1];
    assert_eq!(
        [&anna_row[..4], &anna_row[6..]].concat(),
        [
            "Anna",
            "de Vries",
            "Anna@example.nl",
            "'+31612345678",
            "701P400000kF7Q7IAK",
            "pr",
            "",
            "'=HYPERLINK(\"http://x\",\"klik\")",
            "",
            "",
            "https://www.hetvergetenkind.nl"
        ]
    );
    assert!(
        anna_row[4].ends_with('Z') && anna_row[4].contains('T'),
        "{}",
        anna_row[4]
    );
    // Without confirmation by e-mail a signature is confirmed when it is made.
    assert_eq!(anna_row[5], anna_row[4]);
    assert_eq!(records[2][0], "Zoë");
    assert_eq!(
        (records[2][8].as_str(), records[2][11].as_str()),
        ("'@mail", "'-1")
    );

    let (_, with_flagged) = export(&db, &["--include-flagged"]);
    assert_eq!(with_flagged.len(), 4);
    assert_eq!(with_flagged[3][0], "Robot");

    // --since compares in UTC, whatever offset it is given in.
    let (_, since_past) = export(&db, &["--since", "2020-01-01T01:00:00+01:00"]);
    assert_eq!(since_past.len(), 3);
    let (_, since_future) = export(&db, &["--since", "2999-01-01T00:00:00Z"]);
    assert_eq!(since_future.len(), 1, "only the header");
    let (_, since_zoe) = export(&db, &["--since", &records[2][4]]);
    assert_eq!(since_zoe.len(), 2, "Zoë, signed at that very moment");
}

#[test]
fn erase_removes_a_person_from_every_petition_and_the_served_count_drops() {
    let db = temp_db();
    let server = spawn(
        &db,
        &[
            "--min-elapsed-ms",
            "0",
            "--rate-limit-per-minute",
            "100",
            "--petition",
            "gezinshulp-eerst",
            "--petition",
            "jeugdzorg",
        ],
    );
    let anna = supporter("Anna", "anna.jansen@example.nl", json!({}));
    let bob = supporter("Bob", "bob@example.nl", json!({}));
    assert_eq!(
        sign_to(server.addr, "gezinshulp-eerst", "a1", &anna).status,
        201
    );
    assert_eq!(sign_to(server.addr, "jeugdzorg", "a2", &anna).status, 201);
    assert_eq!(
        sign_to(server.addr, "gezinshulp-eerst", "b1", &bob).status,
        201
    );
    assert_eq!(get(server.addr, PETITION).json()["count"], 2);

    // While the server runs; the address as typed differently.
    let (code, out, err) = run(
        &[
            "erase",
            "--db",
            db_arg(&db),
            "--email",
            " ANNA.Jansen@example.NL ",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        String::from_utf8_lossy(&out).trim(),
        "2 signatures removed (2 stored answers)"
    );

    assert!(eventually(
        || get(server.addr, PETITION).json()["count"] == 1
    ));
    assert!(eventually(|| get(
        server.addr,
        "/api/v1/petitions/jeugdzorg"
    )
    .json()["count"]
        == 0));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let left: Vec<String> = conn
        .prepare("SELECT email FROM signatures UNION ALL SELECT request FROM idempotency")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(
        left.iter().all(|t| !t.to_lowercase().contains("anna")),
        "{left:?}"
    );

    let (code, out, _) = run(
        &[
            "count",
            "--db",
            db_arg(&db),
            "--petition",
            "gezinshulp-eerst",
        ],
        &[],
    );
    assert_eq!((code, String::from_utf8_lossy(&out).as_ref()), (0, "1\n"));
    // Erasing someone who is not there is not an error.
    let (code, out, _) = run(
        &[
            "erase",
            "--db",
            db_arg(&db),
            "--email",
            "niemand@example.nl",
        ],
        &[],
    );
    assert_eq!(
        (code, String::from_utf8_lossy(&out).trim()),
        (0, "0 signatures removed (0 stored answers)")
    );

    // Gone from the file too, once the WAL has been moved into it and the server stopped.
    drop(server);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let text = String::from_utf8_lossy(&std::fs::read(&db).unwrap()).to_lowercase();
    assert!(
        !text.contains("anna.jansen@example.nl"),
        "the address is still in the file"
    );
    assert!(
        text.contains("bob@example.nl"),
        "the file reads as expected"
    );
}

#[test]
fn count_prints_the_count_and_reads_the_database_from_the_environment() {
    let db = temp_db();
    let server = spawn(&db, &["--min-elapsed-ms", "0"]);
    assert_eq!(sign(server.addr, "k1", &anna()).status, 201);
    let (code, out, err) = run(
        &["count", "--petition", "gezinshulp-eerst"],
        &[("PETITIE_DB", db_arg(&db))],
    );
    assert_eq!(
        (code, String::from_utf8_lossy(&out).as_ref()),
        (0, "1\n"),
        "{err}"
    );
    let (code, _, err) = run(
        &["count", "--db", db_arg(&db), "--petition", "bestaat-niet"],
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("bestaat-niet"), "{err}");
}

#[test]
fn the_server_takes_its_flags_from_the_environment() {
    let db = temp_db();
    let server = spawn_with_env(
        &db,
        &[],
        &[
            ("PETITIE_COUNT_OFFSET", "41234"),
            ("PETITIE_PETITION", "gezinshulp-eerst,oud:closed"),
        ],
    );
    assert_eq!(get(server.addr, PETITION).json()["count"], 41234);
    assert_eq!(
        get(server.addr, "/api/v1/petitions/oud").json()["status"],
        "closed"
    );
}

#[test]
fn help_is_there_for_each_command_and_errors_name_the_bad_flag() {
    let (code, out, _) = run(&["--help"], &[]);
    let help = String::from_utf8_lossy(&out);
    assert_eq!(code, 0);
    for part in [
        "export",
        "erase",
        "count",
        "--trusted-proxy",
        "--db",
        "PETITIE_DB",
    ] {
        assert!(help.contains(part), "{part} in {help}");
    }
    for (command, parts) in [
        (
            "export",
            &["--petition", "--since", "--include-flagged"][..],
        ),
        ("erase", &["--email"][..]),
        ("count", &["--petition"][..]),
    ] {
        let (code, out, _) = run(&[command, "--help"], &[]);
        let help = String::from_utf8_lossy(&out);
        assert_eq!(code, 0);
        for part in parts {
            assert!(help.contains(part), "{part} in {command} --help: {help}");
        }
    }
    let missing = temp_db();
    let missing = db_arg(&missing);
    for (args, flag) in [
        (&["--listen", "nergens"][..], "--listen"),
        (&["--trusted-proxy", "10.0.0.0/33"][..], "--trusted-proxy"),
        (
            &["--rate-limit-per-minute", "veel"][..],
            "--rate-limit-per-minute",
        ),
        (&["--bestaat-niet"][..], "--bestaat-niet"),
        (
            &[
                "export",
                "--db",
                missing,
                "--petition",
                "p",
                "--since",
                "gisteren",
            ][..],
            "--since",
        ),
        (&["erase", "--db", missing][..], "--email"),
    ] {
        let (code, _, err) = run(args, &[]);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(flag), "{args:?}: {err}");
    }
    // An operator command never creates a database at a mistyped path.
    let (code, _, err) = run(&["count", "--db", missing, "--petition", "p"], &[]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot open database"), "{err}");
    assert!(!std::path::Path::new(missing).exists());
}

#[test]
fn the_log_has_a_line_per_request_and_no_personal_data() {
    let db = temp_db();
    let server = spawn(
        &db,
        &["--min-elapsed-ms", "0", "--trusted-proxy", "127.0.0.1"],
    );
    let body = supporter(
        "Annelies",
        "annelies.jansen@example.nl",
        json!({"utm_source": "nieuwsbrief"}),
    );
    let reply = request(
        server.addr,
        "POST",
        "/api/v1/petitions/gezinshulp-eerst/signatures",
        &[
            ("Content-Type", "application/json"),
            ("Idempotency-Key", "k1"),
            ("X-Forwarded-For", "203.0.113.77"),
        ],
        &body.to_string(),
    );
    assert_eq!(reply.status, 201);
    assert_eq!(get(server.addr, PETITION).status, 200);
    // Personal data in a path and a query: a mistake of some client, never logged.
    assert_eq!(
        get(
            server.addr,
            "/api/v1/petitions/annelies.jansen@example.nl?phone=0612345678"
        )
        .status,
        404
    );

    let expected = [
        "POST /api/v1/petitions/{id}/signatures 201 ",
        "GET /api/v1/petitions/{id} 200 ",
        "GET /api/v1/petitions/{id} 404 ",
    ];
    assert!(eventually(|| server.log_lines().len() > expected.len()));
    let lines = server.log_lines();
    let requests: Vec<&String> = lines.iter().skip(1).collect();
    for (line, start) in requests.iter().zip(expected) {
        assert!(line.starts_with(start) && line.ends_with("ms"), "{line}");
    }
    for line in &requests {
        for secret in [
            "Annelies",
            "annelies",
            "Jansen",
            "example.nl",
            "+316",
            "0612345678",
            "203.0.113",
            "127.0.0.1",
            "nieuwsbrief",
        ] {
            assert!(!line.contains(secret), "{secret} in {line}");
        }
    }
}

#[test]
fn headers_rewrites_a_deployed_builds_security_headers_from_its_config() {
    let dir = std::env::temp_dir().join(format!("petitie-headers-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("en")).unwrap();
    std::fs::write(dir.join("index.html"), "<script>go()</script><p>Teken</p>").unwrap();
    std::fs::write(dir.join("en/index.html"), "<script>go('en')</script>").unwrap();
    std::fs::write(
        dir.join("config.json"),
        r#"{"api_base_url": "https://steun.example.nl/api/v1",
            "embed": {"allowed_origins": ["https://www.hetvergetenkind.nl"]}}"#,
    )
    .unwrap();
    let (code, _, err) = run(&["headers", dir.to_str().unwrap()], &[]);
    assert_eq!(code, 0, "{err}");
    let file = std::fs::read_to_string(dir.join("_headers")).unwrap();
    let nginx = std::fs::read_to_string(dir.join("headers.nginx.conf")).unwrap();
    for text in [&file, &nginx] {
        assert!(
            text.contains("connect-src 'self' https://steun.example.nl;"),
            "{text}"
        );
        assert!(
            text.contains("frame-ancestors 'self' https://www.hetvergetenkind.nl"),
            "{text}"
        );
        // One hash for each page's inline script.
        assert_eq!(text.matches("'sha256-").count(), 2, "{text}");
    }

    // A page the policy would break is refused, naming the problem.
    std::fs::write(dir.join("index.html"), "<p style=\"color: red\">Teken</p>").unwrap();
    let (code, _, err) = run(&["headers", dir.to_str().unwrap()], &[]);
    assert_ne!(code, 0);
    assert!(err.contains("inline style attribute"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

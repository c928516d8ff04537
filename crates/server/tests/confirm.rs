//! Confirmation by e-mail (`--confirm-by-email`) against a real SMTP server on 127.0.0.1
//! (tests/smtp/sink.mjs): the real server process, its real database (a SQLite file, or
//! PostgreSQL with `scripts/with-postgres.sh`), real mail.

mod common;

use common::*;
use serde_json::json;

const PETITION: &str = "/api/v1/petitions/gezinshulp-eerst";

fn confirming(db: &TestDb, sink: &Sink, extra: &[&str]) -> Binary {
    let smtp = sink.url();
    let mut args = vec![
        "--min-elapsed-ms",
        "0",
        "--confirm-by-email",
        "--smtp-url",
        &smtp,
        "--mail-from",
        "Het Vergeten Kind <petitie@hetvergetenkind.nl>",
        "--public-url",
        "https://www.hetvergetenkind.nl/gezinshulp-eerst/",
    ];
    args.extend_from_slice(extra);
    spawn(db, &args)
}

fn post(addr: std::net::SocketAddr, what: &str, body: serde_json::Value) -> Reply {
    request(
        addr,
        "POST",
        &format!("{PETITION}/{what}"),
        &[("Content-Type", "application/json")],
        &body.to_string(),
    )
}

/// Waits until every mail job is done (mails go out several at once, in no fixed order).
fn all_sent(db: &TestDb) {
    assert!(eventually(
        || scalar(db, "SELECT COUNT(*) FROM mail_jobs") == 0
    ));
}

/// The mail to this address, of those taken so far.
fn mail_to(sink: &Sink, address: &str) -> serde_json::Value {
    sink.mails()
        .into_iter()
        .find(|m| m["envelopeTo"][0] == address)
        .unwrap_or_else(|| panic!("no mail to {address}"))
}

/// A second signer, Zoë, signing in `locale`.
fn zoe(locale: &str) -> serde_json::Value {
    json!({"first_name": "Zoë", "last_name": "de Vries", "email": "zoe@example.nl",
           "phone": null, "locale": locale, "attribution": {}, "website": "",
           "elapsed_ms": 9000})
}

fn count(addr: std::net::SocketAddr) -> u64 {
    get(addr, PETITION).json()["count"].as_u64().unwrap()
}

#[test]
fn a_signature_counts_once_the_mailed_link_is_confirmed() {
    let sink = Sink::start(0);
    let db = test_db();
    let server = confirming(&db, &sink, &[]);
    assert_eq!(get(server.addr, PETITION).json()["confirmation"], "email");

    let reply = sign(server.addr, "k1", &anna());
    assert_eq!(reply.status, 202);
    assert_eq!(
        reply.json(),
        json!({"count": 0, "status": "pending_confirmation"})
    );
    // A retry of the same attempt: the same body.
    let again = sign(server.addr, "k1", &anna());
    assert_eq!((again.status, again.json()), (200, reply.json()));

    let mail = sink.mail(1);
    assert_eq!(mail["envelopeTo"], json!(["Anna@example.nl"]));
    assert_eq!(
        mail["subject"],
        "Bevestig je handtekening: gezinshulp eerst!"
    );
    assert!(mail["messageId"]
        .as_str()
        .unwrap()
        .ends_with("@hetvergetenkind.nl>"));
    assert!(mail["text"].as_str().unwrap().starts_with("Hoi Anna,"));
    let token = token_in(&mail, "gezinshulp-eerst/bevestigen");
    assert_eq!(token, token_in(&mail, "gezinshulp-eerst/intrekken"));
    assert!(mail["html"]
        .as_str()
        .unwrap()
        .contains(&format!("bevestigen#{token}")));
    // Stored as a hash only.
    if db.is_postgres() {
        let stored = db
            .postgres()
            .query("SELECT hash FROM confirmation_tokens", &[])
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0].get::<_, String>(0), token);
    } else {
        let file = std::path::Path::new(db.arg());
        let bytes = std::fs::read(file).unwrap();
        let wal = std::fs::read(file.with_extension("sqlite-wal")).unwrap_or_default();
        for file in [&bytes, &wal] {
            assert!(!String::from_utf8_lossy(file).contains(&token));
        }
    }
    assert_eq!(count(server.addr), 0);

    let confirmed = post(server.addr, "confirmations", json!({"token": token}));
    assert_eq!(confirmed.status, 200);
    assert_eq!(confirmed.json(), json!({"count": 1, "first_name": "Anna"}));
    // Again: already confirmed, the same answer.
    let twice = post(server.addr, "confirmations", json!({"token": token}));
    assert_eq!((twice.status, twice.json()), (200, confirmed.json()));
    assert!(eventually(|| count(server.addr) == 1));

    // The confirmed address signs again: the same answer, no second signature, no mail.
    let repeat = sign(server.addr, "k2", &anna());
    assert_eq!(repeat.status, 202);
    assert_eq!(
        repeat.json(),
        json!({"count": 1, "status": "pending_confirmation"})
    );
    assert_eq!(rows(&db).len(), 1);
    // Zoë's mail comes after any mail for Anna would have.
    let zoe = zoe("en");
    assert_eq!(sign(server.addr, "k3", &zoe).status, 202);
    sink.mail(2);
    let english = mail_to(&sink, "zoe@example.nl");
    assert_eq!(
        english["subject"],
        "Confirm your signature: family support first!"
    );
    assert!(english["text"].as_str().unwrap().starts_with("Hi Zoë,"));
    token_in(&english, "gezinshulp-eerst/en/confirm");
    token_in(&english, "gezinshulp-eerst/en/withdraw");
    all_sent(&db);
    assert_eq!(sink.mails().len(), 2);

    // Logs and errors never hold an address, a name or a token.
    for line in server.log_lines() {
        for secret in ["Anna", "example.nl", "Zo", token.as_str()] {
            assert!(!line.contains(secret), "{secret} in {line}");
        }
    }
}

#[test]
fn a_pending_address_gets_one_more_mail_at_most_and_a_new_link_on_request() {
    let sink = Sink::start(0);
    let db = test_db();
    let server = confirming(&db, &sink, &[]);
    assert_eq!(sign(server.addr, "k1", &anna()).status, 202);
    sink.mail(1);
    // Within ten minutes: the same answer, no new mail.
    let again = sign(server.addr, "k2", &anna());
    assert_eq!(
        again.json(),
        json!({"count": 0, "status": "pending_confirmation"})
    );
    let asked = post(
        server.addr,
        "confirmation-requests",
        json!({"email": "anna@example.nl"}),
    );
    assert_eq!((asked.status, asked.json()), (202, json!({})));
    // An address that never signed gets the same answer.
    let stranger = post(
        server.addr,
        "confirmation-requests",
        json!({"email": "nobody@example.nl"}),
    );
    assert_eq!((stranger.status, stranger.json()), (202, json!({})));
    let invalid = post(
        server.addr,
        "confirmation-requests",
        json!({"email": "anna@"}),
    );
    assert_eq!(invalid.status, 422);
    assert_eq!(invalid.json()["fields"]["email"], "invalid");
    // A marker mail: everything before it has been sent.
    let zoe = zoe("nl");
    sign(server.addr, "k3", &zoe);
    sink.mail(2);
    all_sent(&db);
    mail_to(&sink, "zoe@example.nl");
    assert_eq!(sink.mails().len(), 2);
    assert_eq!(rows(&db).len(), 2);
}

#[test]
fn withdrawing_deletes_the_signature_its_links_and_its_stored_answers() {
    let sink = Sink::start(0);
    let db = test_db();
    let server = confirming(&db, &sink, &[]);
    sign(server.addr, "k1", &anna());
    let token = token_in(&sink.mail(1), "bevestigen");
    post(server.addr, "confirmations", json!({"token": token}));
    assert!(eventually(|| count(server.addr) == 1));

    let withdrawn = post(server.addr, "withdrawals", json!({"token": token}));
    assert_eq!(
        (withdrawn.status, withdrawn.json()),
        (200, json!({"count": 0}))
    );
    assert!(eventually(|| count(server.addr) == 0));
    assert!(rows(&db).is_empty());
    for table in ["confirmation_tokens", "mail_jobs", "idempotency"] {
        let n = scalar(&db, &format!("SELECT COUNT(*) FROM {table}"));
        assert_eq!(n, 0, "{table}");
    }
    // The link is used up: one answer for unknown, expired and withdrawn.
    for token in [token.as_str(), "AAAAAAAAAAAAAAAAAAAAAA", "not a token"] {
        let gone = post(server.addr, "confirmations", json!({"token": token}));
        assert_eq!(
            (gone.status, gone.json()),
            (410, json!({"error": "expired"}))
        );
        assert_eq!(
            post(server.addr, "withdrawals", json!({"token": token})).status,
            410
        );
    }
    assert_eq!(
        post(server.addr, "confirmations", json!({"tok": 1})).status,
        400
    );
}

#[test]
fn mail_waits_while_the_mail_server_is_away_or_says_later_and_a_refusal_is_final() {
    let mut sink = Sink::start(0);
    let db = test_db();
    let server = confirming(&db, &sink, &[]);
    sink.command("refuse 451");
    sign(server.addr, "k1", &anna());
    // Tried, refused for now, waiting to try again.
    assert!(eventually(|| server
        .log_lines()
        .iter()
        .any(|l| l.contains("not sent (451)"))));
    sink.command("accept");
    let mail = sink.mail(1);
    assert_eq!(mail["envelopeTo"], json!(["Anna@example.nl"]));

    sink.command("refuse 550");
    let zoe = zoe("nl");
    sign(server.addr, "k2", &zoe);
    assert!(eventually(|| server
        .log_lines()
        .iter()
        .any(|l| l.contains("refused for good (550)"))));
    // Done with (the outcome is committed after the log line), and not tried again.
    all_sent(&db);
    let refusals = server
        .log_lines()
        .iter()
        .filter(|l| l.contains("refused for good"))
        .count();
    assert_eq!(refusals, 1, "a refused mail is not tried again");
}

#[test]
fn a_committed_signature_gets_its_mail_after_kill_9_and_a_restart() {
    let sink = Sink::start(0);
    let db = test_db();
    // No mail server yet: the job waits in the database.
    let away = Sink::start(0);
    let away_port = away.port;
    drop(away);
    let smtp = format!("smtp://127.0.0.1:{away_port}");
    let mut server = spawn(
        &db,
        &[
            "--min-elapsed-ms",
            "0",
            "--confirm-by-email",
            "--smtp-url",
            &smtp,
            "--mail-from",
            "petitie@hetvergetenkind.nl",
            "--public-url",
            "https://www.hetvergetenkind.nl/",
        ],
    );
    assert_eq!(sign(server.addr, "k1", &anna()).status, 202);
    server.child.kill().expect("SIGKILL");
    server.child.wait().unwrap();

    let restarted = confirming(&db, &sink, &[]);
    let mail = sink.mail(1);
    assert_eq!(mail["envelopeTo"], json!(["Anna@example.nl"]));
    // Once: a marker mail after it, and nothing between.
    let zoe = zoe("nl");
    sign(restarted.addr, "k2", &zoe);
    sink.mail(2);
    all_sent(&db);
    mail_to(&sink, "zoe@example.nl");
    assert_eq!(sink.mails().len(), 2);
}

#[test]
fn without_confirm_by_email_nothing_changes() {
    let db = test_db();
    let server = spawn(&db, &["--min-elapsed-ms", "0"]);
    assert!(get(server.addr, PETITION)
        .json()
        .get("confirmation")
        .is_none());
    assert_eq!(sign(server.addr, "k1", &anna()).status, 201);
    assert_eq!(count(server.addr), 1);
    assert_eq!(
        post(server.addr, "confirmations", json!({"token": "x"})).status,
        404
    );
}

/// `petitie-server ARGS… --db DB`: its standard output.
fn operate(db: &TestDb, args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--db", db.arg()]);
    let (code, out, err) = run(&all, &[]);
    assert_eq!(code, 0, "{err}");
    String::from_utf8(out).unwrap()
}

#[test]
fn the_operators_commands_follow_the_confirmed_state() {
    let sink = Sink::start(0);
    let db = test_db();
    let server = confirming(&db, &sink, &[]);
    sign(server.addr, "k1", &anna());
    let zoe = zoe("nl");
    sign(server.addr, "k2", &zoe);
    sink.mail(2);
    let token = token_in(&mail_to(&sink, "Anna@example.nl"), "bevestigen");
    post(server.addr, "confirmations", json!({"token": token}));

    let export = ["export", "--petition", "gezinshulp-eerst"];
    let confirmed = operate(&db, &export);
    let lines: Vec<&str> = confirmed.lines().collect();
    assert_eq!(lines.len(), 2, "{confirmed}");
    assert!(lines[0].contains(",created_at,confirmed_at,"));
    assert!(lines[1].starts_with("Anna,"));
    let with_pending = operate(&db, &[&export[..], &["--include-pending"]].concat());
    let pending_row = with_pending.lines().nth(2).expect("Zoë's row");
    assert!(
        pending_row.starts_with("Zoë,de Vries,zoe@example.nl,,"),
        "{pending_row}"
    );
    // Her confirmed_at is empty.
    assert_eq!(pending_row.split(',').nth(5), Some(""));
    assert_eq!(
        operate(&db, &["count", "--petition", "gezinshulp-eerst"]).trim(),
        "1"
    );

    // Erasing a pending address removes it, its links and its mail jobs.
    operate(&db, &["erase", "--email", "zoe@example.nl"]);
    let left = scalar(
        &db,
        "SELECT (SELECT COUNT(*) FROM signatures) + (SELECT COUNT(*) FROM mail_jobs)
              + (SELECT COUNT(*) FROM confirmation_tokens)",
    );
    assert_eq!(left, 2, "Anna's row and her confirmation's token");
}

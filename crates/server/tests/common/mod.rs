//! A real server on a free loopback port with a temporary database, and a minimal HTTP/1.1
//! client, so the tests go through real sockets and a real database: a SQLite file, or, when
//! `PETITIE_TEST_POSTGRES` names the throwaway cluster of `scripts/with-postgres.sh`, a new
//! PostgreSQL database of that cluster for each server.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use petitie_core::contract::PetitionStatus;
use petitie_server::db::Store;
use petitie_server::{app, pg, Backend, Settings};

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// A unique database path under the system temp folder.
pub fn temp_db() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("petitie-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(format!(
        "db-{}.sqlite",
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    ))
}

/// The throwaway PostgreSQL cluster's URL, when the tests run on PostgreSQL.
pub fn postgres_cluster() -> Option<String> {
    std::env::var("PETITIE_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A database for one test, as `--db` takes it: a new SQLite file, or a new database in the
/// PostgreSQL cluster when the tests run on PostgreSQL.
#[derive(Debug, Clone)]
pub struct TestDb(pub String);

impl AsRef<OsStr> for TestDb {
    fn as_ref(&self) -> &OsStr {
        OsStr::new(&self.0)
    }
}

impl TestDb {
    pub fn is_postgres(&self) -> bool {
        self.0.starts_with("postgres://")
    }

    pub fn arg(&self) -> &str {
        &self.0
    }

    /// A connection to this PostgreSQL database.
    pub fn postgres(&self) -> postgres::Client {
        postgres::Client::connect(&self.0, postgres::NoTls).expect("connect to PostgreSQL")
    }
}

/// A new, empty database on the engine the tests run on.
pub fn test_db() -> TestDb {
    let Some(cluster) = postgres_cluster() else {
        return TestDb(temp_db().to_string_lossy().into_owned());
    };
    let name = format!(
        "petitie_test_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = postgres::Client::connect(&cluster, postgres::NoTls)
        .expect("connect to the PostgreSQL cluster (scripts/with-postgres.sh)");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    let base = cluster.rsplit_once('/').expect("a URL with a database").0;
    TestDb(format!("{base}/{name}"))
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub db: TestDb,
}

/// Starts the service on 127.0.0.1:0 in a background runtime, on a new database of the
/// engine the tests run on.
pub fn start(settings: Settings) -> TestServer {
    let db = test_db();
    let url = db.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        // Several worker threads, as the binary runs: requests really run at the same time.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let petitions = [
                ("gezinshulp-eerst", PetitionStatus::Open),
                ("gesloten", PetitionStatus::Closed),
            ];
            let store: Backend = if url.is_postgres() {
                let store = pg::Store::open(url.arg()).await.expect("open PostgreSQL");
                for (id, status) in petitions {
                    store.upsert_petition(id, status).await.unwrap();
                }
                store.into()
            } else {
                let store = Store::open(url.arg().as_ref()).expect("open store");
                for (id, status) in petitions {
                    store.upsert_petition(id, status).unwrap();
                }
                store.into()
            };
            let service = app(store, settings)
                .await
                .expect("start the service")
                .into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, service).await.unwrap();
        });
    });
    TestServer { addr, db }
}

/// The real binary, running on a free port.
pub struct Binary {
    pub child: Child,
    pub addr: SocketAddr,
    /// Every line it has written to standard error so far.
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Binary {
    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

/// Starts `petitie-server --listen 127.0.0.1:0 --db DB ARGS...` and waits for its
/// "listening" line.
pub fn spawn(db: &(impl AsRef<OsStr> + ?Sized), args: &[&str]) -> Binary {
    spawn_with_env(db, args, &[])
}

pub fn spawn_with_env(
    db: &(impl AsRef<OsStr> + ?Sized),
    args: &[&str],
    env: &[(&str, &str)],
) -> Binary {
    spawn_on("127.0.0.1:0", db, args, env)
}

/// As [`spawn`], listening on `listen` (an instance restarted where it was).
pub fn spawn_on(
    listen: &str,
    db: &(impl AsRef<OsStr> + ?Sized),
    args: &[&str],
    env: &[(&str, &str)],
) -> Binary {
    let mut command = Command::new(env!("CARGO_BIN_EXE_petitie-server"));
    command
        .args(["--listen", listen, "--db"])
        .arg(db)
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("start server");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let log = Arc::new(Mutex::new(Vec::new()));
    let addr = loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .unwrap();
        let found = line
            .strip_prefix("petitie-server listening on http://")
            .map(|url| url.parse().unwrap());
        log.lock().unwrap().push(line);
        if let Some(addr) = found {
            break addr;
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            kept.lock().unwrap().push(line);
        }
    });
    Binary { child, addr, log }
}

/// Runs `petitie-server ARGS...` to its end: (exit code, stdout, stderr).
pub fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_petitie-server"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run petitie-server");
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `n` requests at the same moment, each from its own thread, and returns the replies.
pub fn at_once(n: usize, make: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Vec<Reply> {
    let barrier = Arc::new(std::sync::Barrier::new(n));
    let make = Arc::new(make);
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let (barrier, make) = (barrier.clone(), make.clone());
            std::thread::spawn(move || {
                barrier.wait();
                make(i)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

/// Debian's nginx on a free loopback port in front of `upstreams`, configured by the
/// README's proxy configuration (`deploy/nginx.conf`) with its two instances' addresses
/// and its `listen` replaced.
pub struct Nginx {
    child: Child,
    pub addr: SocketAddr,
    dir: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Nginx {
    /// What nginx logged (errors and warnings, e.g. an upstream that went away).
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }

    pub fn start(upstreams: [SocketAddr; 2]) -> Nginx {
        let documented = include_str!("../../../../deploy/nginx.conf");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let site = documented
            .replace("listen 80;", &format!("listen {addr};"))
            .replace("127.0.0.1:8787", &upstreams[0].to_string())
            .replace("127.0.0.1:8788", &upstreams[1].to_string());
        assert_ne!(
            site, documented,
            "deploy/nginx.conf names 127.0.0.1:8787 and :8788"
        );
        let dir = temp_db().with_extension("nginx");
        std::fs::create_dir_all(&dir).unwrap();
        let d = dir.display();
        // As root, the workers stay root (they read nothing but this folder).
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        let user = if root { "user root;" } else { "" };
        let conf = format!(
            "{user} daemon off; worker_processes 1; pid {d}/nginx.pid; error_log {d}/error.log;
             events {{ worker_connections 1024; }}
             http {{ access_log off; client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;
                     fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi;
                     scgi_temp_path {d}/scgi;
                     {site} }}"
        );
        std::fs::write(dir.join("nginx.conf"), conf).unwrap();
        let nginx = ["/usr/sbin/nginx", "nginx"]
            .into_iter()
            .find(|p| !p.starts_with('/') || Path::new(p).exists())
            .unwrap();
        let child = Command::new(nginx)
            .args(["-e", &format!("{d}/error.log"), "-p", &d.to_string(), "-c"])
            .arg(dir.join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start nginx (Debian's nginx, installed by scripts/install-tools.sh)");
        let nginx = Nginx { child, addr, dir };
        assert!(
            eventually(|| TcpStream::connect(addr).is_ok()),
            "nginx did not start: {}",
            std::fs::read_to_string(nginx.dir.join("error.log")).unwrap_or_default()
        );
        nginx
    }
}

/// Waits (up to 10 s) until `check` holds, and says whether it did.
pub fn eventually(mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    check()
}

pub fn settings() -> Settings {
    Settings {
        allowed_origins: vec!["http://127.0.0.1:8080".into()],
        min_elapsed_ms: 0,
        ..Settings::default()
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One request over a fresh connection.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    try_request(addr, method, path, headers, body)
        .unwrap_or_else(|e| panic!("{method} {path} on {addr}: {e}"))
}

/// As [`request`], with a connection that fails (or an answer that is cut off) as an error.
pub fn try_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let cut = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no whole answer");
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(cut)?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(cut)?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(Reply {
        status,
        headers,
        body: body.to_string(),
    })
}

pub fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path, &[], "")
}

pub fn sign(addr: SocketAddr, key: &str, body: &serde_json::Value) -> Reply {
    request(
        addr,
        "POST",
        "/api/v1/petitions/gezinshulp-eerst/signatures",
        &[
            ("Content-Type", "application/json"),
            ("Idempotency-Key", key),
        ],
        &body.to_string(),
    )
}

pub fn anna() -> serde_json::Value {
    serde_json::json!({
        "first_name": "  Anna ", "last_name": "van  der Berg", "email": " Anna@Example.NL ",
        "phone": "06-1234 5678", "locale": "nl",
        "attribution": {"sfc": "701P400000kF7Q7IAK", "utm_source": "pr", "evil": "x"},
        "website": "", "elapsed_ms": 8400
    })
}

/// The one number `sql` (portable SQL, e.g. `SELECT COUNT(*) FROM mail_jobs`) answers on
/// the database (a SQLite file or a PostgreSQL URL).
pub fn scalar(db: &(impl AsRef<OsStr> + ?Sized), sql: &str) -> i64 {
    let db = db.as_ref().to_string_lossy();
    if db.starts_with("postgres://") {
        let mut client = TestDb(db.into_owned()).postgres();
        return client.query_one(sql, &[]).unwrap().get(0);
    }
    rusqlite::Connection::open(&*db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// A signature's row: (first_name, last_name, email, phone, attribution, flagged).
pub type Row = (String, String, String, Option<String>, String, bool);

/// The signatures' rows in order, straight from the database (a SQLite file or a PostgreSQL
/// URL).
pub fn rows(db: &(impl AsRef<OsStr> + ?Sized)) -> Vec<Row> {
    let db = db.as_ref().to_string_lossy();
    if db.starts_with("postgres://") {
        let mut client = TestDb(db.into_owned()).postgres();
        return client
            .query(
                "SELECT first_name, last_name, email, phone, attribution, flagged
                 FROM signatures ORDER BY id",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
            .collect();
    }
    let conn = rusqlite::Connection::open(&*db).unwrap();
    let mut stmt = conn
        .prepare("SELECT first_name, last_name, email, phone, attribution, flagged FROM signatures ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// A real SMTP server on 127.0.0.1 (tests/smtp/sink.mjs, npm `smtp-server`): the mails it
/// took, parsed.
pub struct Sink {
    child: Child,
    pub port: u16,
    mails: Arc<Mutex<Vec<serde_json::Value>>>,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sink {
    /// Starts one on a free port (`0`) or on `port`.
    pub fn start(port: u16) -> Sink {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/smtp/sink.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the SMTP sink (node tests/smtp/sink.mjs)");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first: serde_json::Value =
            serde_json::from_str(&lines.next().expect("the sink's first line").unwrap()).unwrap();
        let port = first["listening"].as_u64().expect("the sink's port") as u16;
        let mails = Arc::new(Mutex::new(Vec::new()));
        let kept = mails.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                kept.lock()
                    .unwrap()
                    .push(serde_json::from_str(&line).unwrap());
            }
        });
        Sink { child, port, mails }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn mails(&self) -> Vec<serde_json::Value> {
        self.mails.lock().unwrap().clone()
    }

    /// Waits (up to 10 s) for mail number `n` (from 1) and returns it.
    pub fn mail(&self, n: usize) -> serde_json::Value {
        assert!(
            eventually(|| self.mails().len() >= n),
            "mail {n} did not arrive; got {:?}",
            self.mails()
        );
        self.mails()[n - 1].clone()
    }

    /// Sends the sink a command (`refuse 451`, `accept`).
    pub fn command(&mut self, line: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }
}

/// The token in a mail's link to `path` (`bevestigen`, `intrekken`, `en/confirm`, …).
pub fn token_in(mail: &serde_json::Value, path: &str) -> String {
    let text = mail["text"].as_str().unwrap();
    let marker = format!("/{path}#");
    let at = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} link in {text}"));
    text[at + marker.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

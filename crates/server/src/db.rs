//! The SQLite store: petitions, signatures and idempotency records in one file (WAL mode).
//! Every write commits before the HTTP answer is sent, so an acknowledged signature survives
//! the process being killed right after.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use petitie_core::contract::PetitionStatus;

/// Schema migrations, applied in order on start; `user_version` records how many ran.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE petitions (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed'))
);
CREATE TABLE signatures (
    id INTEGER PRIMARY KEY,
    petition_id TEXT NOT NULL REFERENCES petitions(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    -- The address as compared for duplicates: Anna@Example.nl and anna@example.nl are one.
    email_key TEXT NOT NULL,
    phone TEXT,
    locale TEXT NOT NULL,
    attribution TEXT NOT NULL,
    website TEXT NOT NULL,
    elapsed_ms INTEGER NOT NULL,
    flagged INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
-- One counted signature per e-mail address per petition.
CREATE UNIQUE INDEX signatures_one_per_email ON signatures (petition_id, email_key) WHERE flagged = 0;
CREATE TABLE idempotency (
    key TEXT NOT NULL,
    petition_id TEXT NOT NULL,
    request TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (petition_id, key)
);
"#];

/// What the server stores of one signature.
#[derive(Debug, Clone, Default)]
pub struct NewSignature<'a> {
    pub petition_id: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub phone: Option<&'a str>,
    pub locale: &'a str,
    pub attribution_json: &'a str,
    pub website: &'a str,
    pub elapsed_ms: u64,
    /// Looks automated (honeypot filled in, or submitted faster than a person can type):
    /// kept for review, not counted.
    pub flagged: bool,
}

/// A stored answer to an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub request: String,
    pub status: u16,
    pub response: String,
}

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database and applies pending migrations.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(version) {
            conn.execute_batch(&format!(
                "BEGIN; {migration} PRAGMA user_version = {}; COMMIT;",
                i + 1
            ))?;
        }
        Ok(Self { conn })
    }

    /// Makes sure a petition exists with the given status.
    pub fn upsert_petition(&self, id: &str, status: PetitionStatus) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT INTO petitions (id, status) VALUES (?1, ?2)
             ON CONFLICT(id) DO UPDATE SET status = excluded.status",
            params![id, status_text(status)],
        )?;
        Ok(())
    }

    pub fn petition_status(&self, id: &str) -> rusqlite::Result<Option<PetitionStatus>> {
        self.conn
            .query_row("SELECT status FROM petitions WHERE id = ?1", [id], |r| {
                r.get::<_, String>(0)
            })
            .optional()
            .map(|s| {
                s.map(|s| {
                    if s == "closed" {
                        PetitionStatus::Closed
                    } else {
                        PetitionStatus::Open
                    }
                })
            })
    }

    /// Counted signatures (flagged ones are not).
    pub fn count(&self, petition_id: &str) -> rusqlite::Result<u64> {
        self.conn.query_row(
            "SELECT COUNT(*) FROM signatures WHERE petition_id = ?1 AND flagged = 0",
            [petition_id],
            |r| r.get(0),
        )
    }

    pub fn idempotent_response(
        &self,
        petition_id: &str,
        key: &str,
    ) -> rusqlite::Result<Option<StoredResponse>> {
        self.conn
            .query_row(
                "SELECT request, status, response FROM idempotency WHERE petition_id = ?1 AND key = ?2",
                [petition_id, key],
                |r| Ok(StoredResponse { request: r.get(0)?, status: r.get(1)?, response: r.get(2)? }),
            )
            .optional()
    }

    /// Records a signature (unless this e-mail address already signed) and, in the same
    /// transaction, the answer for its idempotency key. Returns the count after it.
    pub fn sign(
        &mut self,
        signature: &NewSignature<'_>,
        idempotency: Option<(&str, &str)>,
        respond: impl FnOnce(u64) -> (u16, String),
    ) -> rusqlite::Result<(u64, u16, String)> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO signatures (petition_id, first_name, last_name, email, email_key, phone,
                                     locale, attribution, website, elapsed_ms, flagged)
             VALUES (?1, ?2, ?3, ?4, ?11, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT DO NOTHING",
            params![
                signature.petition_id,
                signature.first_name,
                signature.last_name,
                signature.email,
                signature.phone,
                signature.locale,
                signature.attribution_json,
                signature.website,
                signature.elapsed_ms as i64,
                signature.flagged,
                signature.email.to_lowercase(),
            ],
        )?;
        let count: u64 = tx.query_row(
            "SELECT COUNT(*) FROM signatures WHERE petition_id = ?1 AND flagged = 0",
            [signature.petition_id],
            |r| r.get(0),
        )?;
        let (status, body) = respond(count);
        if let Some((key, request)) = idempotency {
            tx.execute(
                "INSERT INTO idempotency (key, petition_id, request, status, response) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![key, signature.petition_id, request, status, body],
            )?;
        }
        tx.commit()?;
        Ok((count, status, body))
    }
}

fn status_text(status: PetitionStatus) -> &'static str {
    match status {
        PetitionStatus::Open => "open",
        PetitionStatus::Closed => "closed",
    }
}

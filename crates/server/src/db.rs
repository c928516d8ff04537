//! The SQLite store: petitions, signatures and idempotency records in one file (WAL mode).
//!
//! One connection writes (the server's writer thread, see `writer.rs`, or an operator command);
//! readers use connections of their own and never wait for a write's commit. Each petition's
//! count of counted signatures is a column kept in step by triggers in the writing transaction,
//! so reading it never scans the signatures, and an `erase` lowers it in the same commit.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Weak;
use std::time::Duration;

use rusqlite::functions::FunctionFlags;
use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};

use petitie_core::contract::PetitionStatus;

/// Schema migrations, applied in order on start; `user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    r#"
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
"#,
    r#"
ALTER TABLE petitions ADD COLUMN signature_count INTEGER NOT NULL DEFAULT 0;
UPDATE petitions SET signature_count =
    (SELECT COUNT(*) FROM signatures s WHERE s.petition_id = petitions.id AND s.flagged = 0);
CREATE TRIGGER signatures_count_insert AFTER INSERT ON signatures WHEN NEW.flagged = 0
BEGIN
    UPDATE petitions SET signature_count = signature_count + 1 WHERE id = NEW.petition_id;
END;
CREATE TRIGGER signatures_count_delete AFTER DELETE ON signatures WHEN OLD.flagged = 0
BEGIN
    UPDATE petitions SET signature_count = signature_count - 1 WHERE id = OLD.petition_id;
END;
CREATE TRIGGER signatures_count_update AFTER UPDATE OF flagged, petition_id ON signatures
BEGIN
    UPDATE petitions SET signature_count = signature_count - 1
        WHERE id = OLD.petition_id AND OLD.flagged = 0;
    UPDATE petitions SET signature_count = signature_count + 1
        WHERE id = NEW.petition_id AND NEW.flagged = 0;
END;
-- For erasing a person in every petition, flagged signatures included.
CREATE INDEX signatures_email_key ON signatures (email_key);
-- Stored answers are erased with the signatures whose request they hold.
ALTER TABLE idempotency ADD COLUMN email_key TEXT;
UPDATE idempotency SET email_key = address_key(json_extract(request, '$.email'));
CREATE INDEX idempotency_email_key ON idempotency (email_key);
"#,
    // Confirmation by e-mail: a signature counts once confirmed (`confirmed_at`); those made
    // before were counted, so they are confirmed when they were made. Tokens are kept as
    // hashes only; a mail job names its signature and kind, and its mail's token is made when
    // it is sent.
    r#"
ALTER TABLE signatures ADD COLUMN confirmed_at TEXT;
UPDATE signatures SET confirmed_at = created_at;
ALTER TABLE signatures ADD COLUMN last_mail_at TEXT;
ALTER TABLE signatures ADD COLUMN reminded INTEGER NOT NULL DEFAULT 0;
CREATE INDEX signatures_pending ON signatures (created_at) WHERE confirmed_at IS NULL;
DROP TRIGGER signatures_count_insert;
DROP TRIGGER signatures_count_delete;
DROP TRIGGER signatures_count_update;
CREATE TRIGGER signatures_count_insert AFTER INSERT ON signatures
    WHEN NEW.flagged = 0 AND NEW.confirmed_at IS NOT NULL
BEGIN
    UPDATE petitions SET signature_count = signature_count + 1 WHERE id = NEW.petition_id;
END;
CREATE TRIGGER signatures_count_delete AFTER DELETE ON signatures
    WHEN OLD.flagged = 0 AND OLD.confirmed_at IS NOT NULL
BEGIN
    UPDATE petitions SET signature_count = signature_count - 1 WHERE id = OLD.petition_id;
END;
CREATE TRIGGER signatures_count_update AFTER UPDATE OF flagged, petition_id, confirmed_at ON signatures
BEGIN
    UPDATE petitions SET signature_count = signature_count - 1
        WHERE id = OLD.petition_id AND OLD.flagged = 0 AND OLD.confirmed_at IS NOT NULL;
    UPDATE petitions SET signature_count = signature_count + 1
        WHERE id = NEW.petition_id AND NEW.flagged = 0 AND NEW.confirmed_at IS NOT NULL;
END;
CREATE TABLE confirmation_tokens (
    hash TEXT PRIMARY KEY,
    signature_id INTEGER NOT NULL REFERENCES signatures(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX confirmation_tokens_signature ON confirmation_tokens (signature_id);
CREATE TABLE mail_jobs (
    id INTEGER PRIMARY KEY,
    signature_id INTEGER NOT NULL REFERENCES signatures(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('confirm', 'reminder')),
    tries INTEGER NOT NULL DEFAULT 0,
    due_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX mail_jobs_due ON mail_jobs (due_at);
CREATE INDEX mail_jobs_signature ON mail_jobs (signature_id);
"#,
];

/// What the server stores of one signature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewSignature {
    pub petition_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub locale: String,
    pub attribution_json: String,
    pub website: String,
    pub elapsed_ms: u64,
    /// Looks automated (honeypot filled in, or submitted faster than a person can type):
    /// kept for review, not counted.
    pub flagged: bool,
}

/// The address as compared for duplicates and erasure (`petitie_core::email::address_key`).
pub use petitie_core::email::address_key as email_key;

/// A stored answer to an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub request: String,
    pub status: u16,
    pub response: String,
}

/// A petition as the API shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PetitionRow {
    pub status: PetitionStatus,
    /// Counted signatures (flagged ones are not), without any offset.
    pub count: u64,
}

/// What an operator's `erase` removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Erased {
    pub signatures: usize,
    pub stored_answers: usize,
}

/// One exported signature, in the order of the export's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub created_at: String,
    /// When its address was confirmed (when it was made, without confirmation by e-mail);
    /// `None` while it waits.
    pub confirmed_at: Option<String>,
    pub attribution_json: String,
}

/// What an export holds besides the counted signatures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Include {
    /// Those held back as automated.
    pub flagged: bool,
    /// Those still waiting for their confirmation.
    pub pending: bool,
}

/// Opens a connection with the settings every connection of the server uses.
pub fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    configure(&conn)?;
    Ok(conn)
}

/// WAL, full sync on commit (an acknowledged signature is on disk), foreign keys, and a busy
/// timeout for the moments an operator command and the server write at once.
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

/// How often the checkpointer moves committed pages from the WAL into the database file.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);
/// The writer checkpoints itself only when the WAL has grown this far (pages of 4 KiB), if
/// the checkpointer ever falls behind.
const WRITER_CHECKPOINT_PAGES: u32 = 16_384;

/// Checkpoints the WAL every `CHECKPOINT_EVERY` on `conn` (a connection of its own, see
/// `connect`), for as long as `alive` can be upgraded. Passive checkpoints never block the
/// writer, and the database file's sync happens here instead of inside a commit that
/// supporters are waiting for.
pub fn spawn_checkpointer<T: Send + Sync + 'static>(
    conn: Connection,
    alive: Weak<T>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("petitie-checkpoint".into())
        .spawn(move || loop {
            std::thread::sleep(CHECKPOINT_EVERY);
            if alive.upgrade().is_none() {
                return;
            }
            if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                tracing::error!("storage error: {e}");
            }
        })
        .map(drop)
}

/// Every petition's status and count.
pub fn read_petitions(conn: &Connection) -> rusqlite::Result<HashMap<String, PetitionRow>> {
    conn.prepare_cached("SELECT id, status, signature_count FROM petitions")?
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                PetitionRow {
                    status: status_of(&r.get::<_, String>(1)?),
                    count: r.get(2)?,
                },
            ))
        })?
        .collect()
}

/// Reads a petition's status and count on any connection.
pub fn read_petition(conn: &Connection, id: &str) -> rusqlite::Result<Option<PetitionRow>> {
    conn.prepare_cached("SELECT status, signature_count FROM petitions WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(PetitionRow {
                status: status_of(&r.get::<_, String>(0)?),
                count: r.get(1)?,
            })
        })
        .optional()
}

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database and applies pending migrations.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        Self::migrate(connect(path)?)
    }

    /// Opens a database the server made (never creating one: a mistyped path is an error),
    /// for the operator's commands, and applies pending migrations.
    pub fn open_existing(path: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        Self::migrate(conn)
    }

    fn migrate(conn: Connection) -> rusqlite::Result<Self> {
        // The migrations key addresses by the same rule as the server (`address_key(TEXT)`).
        conn.create_scalar_function(
            "address_key",
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|email| email_key(&email))),
        )?;
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(version) {
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; {migration} PRAGMA user_version = {}; COMMIT;",
                i + 1
            ))?;
        }
        Ok(Self { conn })
    }

    /// The database file (for opening readers beside this writer).
    pub fn path(&self) -> Option<&str> {
        self.conn.path()
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

    pub fn petition(&self, id: &str) -> rusqlite::Result<Option<PetitionRow>> {
        read_petition(&self.conn, id)
    }

    pub fn petitions(&self) -> rusqlite::Result<HashMap<String, PetitionRow>> {
        read_petitions(&self.conn)
    }

    /// Leaves checkpoints to `spawn_checkpointer` (see there); for the server's writer.
    pub fn leave_checkpoints(&self) -> rusqlite::Result<()> {
        self.conn
            .pragma_update(None, "wal_autocheckpoint", WRITER_CHECKPOINT_PAGES)
    }

    /// Starts the transaction a batch of signatures shares (see `writer.rs`).
    pub fn batch(&mut self) -> rusqlite::Result<Batch<'_>> {
        Ok(Batch {
            tx: self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?,
        })
    }

    /// Removes every signature of this address in every petition (flagged ones too) and the
    /// stored idempotent answers whose request holds it, in one transaction, overwriting the
    /// deleted bytes in the file. The counts drop with them (triggers).
    pub fn erase(&mut self, email: &str) -> rusqlite::Result<Erased> {
        let key = email_key(email);
        // Overwrite what is deleted: without this SQLite leaves the rows' bytes in free pages.
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let signatures = tx.execute("DELETE FROM signatures WHERE email_key = ?1", [&key])?;
        let stored_answers = tx.execute("DELETE FROM idempotency WHERE email_key = ?1", [&key])?;
        tx.commit()?;
        Ok(Erased {
            signatures,
            stored_answers,
        })
    }

    /// Calls `each` with a petition's signatures in the order they came in: counted ones,
    /// and flagged ones too when asked; only those created at or after `since` (an RFC 3339
    /// time, compared in UTC) when given. Returns how many there were.
    pub fn export(
        &self,
        petition_id: &str,
        since: Option<&str>,
        include: Include,
        mut each: impl FnMut(ExportRow) -> std::io::Result<()>,
    ) -> Result<usize, ExportError> {
        let mut stmt = self.conn.prepare(
            "SELECT first_name, last_name, email, phone, created_at, confirmed_at, attribution
             FROM signatures
             WHERE petition_id = ?1 AND (?2 OR flagged = 0) AND (?4 OR confirmed_at IS NOT NULL)
               AND (?3 IS NULL OR created_at >= strftime('%Y-%m-%dT%H:%M:%fZ', ?3))
             ORDER BY id",
        )?;
        let mut rows = stmt.query(params![
            petition_id,
            include.flagged,
            since,
            include.pending
        ])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            each(ExportRow {
                first_name: r.get(0)?,
                last_name: r.get(1)?,
                email: r.get(2)?,
                phone: r.get(3)?,
                created_at: r.get(4)?,
                confirmed_at: r.get(5)?,
                attribution_json: r.get(6)?,
            })?;
            n += 1;
        }
        Ok(n)
    }
}

#[derive(Debug)]
pub enum ExportError {
    /// The database's message.
    Storage(String),
    Write(std::io::Error),
}

impl From<rusqlite::Error> for ExportError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Storage(e.to_string())
    }
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        Self::Write(e)
    }
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Storage(e) => write!(f, "reading the database: {e}"),
            Self::Write(e) => write!(f, "writing the export: {e}"),
        }
    }
}

/// One write transaction shared by several signatures (group commit). Each signature's work
/// runs in a savepoint of its own, so one that fails leaves the others in the batch intact.
pub struct Batch<'a> {
    tx: Transaction<'a>,
}

impl Batch<'_> {
    /// Runs `work` in a savepoint: kept when it returns `Ok`, undone when it returns `Err`.
    pub fn attempt<T>(
        &mut self,
        work: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let sp = self.tx.savepoint()?;
        let result = work(&sp)?;
        sp.commit()?;
        Ok(result)
    }

    /// Commits everything the batch kept, in one sync to disk.
    pub fn commit(self) -> rusqlite::Result<()> {
        self.tx.commit()
    }
}

pub fn idempotent_response(
    conn: &Connection,
    petition_id: &str,
    key: &str,
) -> rusqlite::Result<Option<StoredResponse>> {
    conn.prepare_cached(
        "SELECT request, status, response FROM idempotency WHERE petition_id = ?1 AND key = ?2",
    )?
    .query_row([petition_id, key], |r| {
        Ok(StoredResponse {
            request: r.get(0)?,
            status: r.get(1)?,
            response: r.get(2)?,
        })
    })
    .optional()
}

/// Records a signature unless this address already has a counted one here (the answer is the
/// same either way). Returns the petition's count after it.
pub fn insert_signature(conn: &Connection, s: &NewSignature) -> rusqlite::Result<u64> {
    insert_row(conn, s, true, None)?;
    conn.prepare_cached("SELECT signature_count FROM petitions WHERE id = ?1")?
        .query_row([&s.petition_id], |r| r.get(0))
}

/// Inserts a signature's row, `confirmed` when it is made (or waiting for its confirmation),
/// unless the address already has an unflagged one in this petition; how many rows were
/// inserted.
pub fn insert_row(
    conn: &Connection,
    s: &NewSignature,
    confirmed: bool,
    last_mail_at: Option<&str>,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "INSERT INTO signatures (petition_id, first_name, last_name, email, email_key, phone,
                                 locale, attribution, website, elapsed_ms, flagged, confirmed_at,
                                 last_mail_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,
                 CASE WHEN ?12 THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END, ?13)
         ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        s.petition_id,
        s.first_name,
        s.last_name,
        s.email,
        email_key(&s.email),
        s.phone,
        s.locale,
        s.attribution_json,
        s.website,
        s.elapsed_ms as i64,
        s.flagged,
        confirmed,
        last_mail_at,
    ])
}

/// Stores the answer given to an `Idempotency-Key`, with the address it concerns (for erasure).
pub fn store_response(
    conn: &Connection,
    petition_id: &str,
    key: &str,
    email: &str,
    stored: &StoredResponse,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO idempotency (key, petition_id, request, status, response, email_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        key,
        petition_id,
        stored.request,
        stored.status,
        stored.response,
        email_key(email)
    ])?;
    Ok(())
}

/// A petition's status as stored (`open`, `closed`), on both engines.
pub(crate) fn status_of(text: &str) -> PetitionStatus {
    if text == "closed" {
        PetitionStatus::Closed
    } else {
        PetitionStatus::Open
    }
}

pub(crate) fn status_text(status: PetitionStatus) -> &'static str {
    match status {
        PetitionStatus::Open => "open",
        PetitionStatus::Closed => "closed",
    }
}

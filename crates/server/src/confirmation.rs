//! Confirmation by e-mail in storage (`--confirm-by-email`): a signature waits, uncounted,
//! until its address is confirmed through a mailed link; its mails are jobs written in the
//! same transaction as the signature, so a committed signature always gets its mail, also
//! after a crash. Tokens are stored as hashes only: a job's token is made when its mail is
//! sent (`mail.rs`). Every function takes the time (`now_ms`), so tests can move it.

use rusqlite::{params, Connection, OptionalExtension};

use petitie_core::time::format_rfc3339_ms;
use petitie_core::token::token_hash;

use crate::db::{email_key, NewSignature};

/// A pending address gets at most one mail per this many milliseconds (10 minutes).
pub const RESEND_AFTER_MS: i64 = 10 * 60 * 1000;
/// How long a mailed link works (14 days).
pub const TOKEN_VALID_MS: i64 = 14 * 24 * 3600 * 1000;

/// Which mail a job sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// The first mail, or one asked for again.
    Confirm,
    /// Once, while still pending after `--remind-after`.
    Reminder,
}

impl MailKind {
    /// As the `mail_jobs.kind` column holds it.
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Confirm => "confirm",
            MailKind::Reminder => "reminder",
        }
    }

    /// The column's value (`reminder`, else a confirmation mail).
    pub fn parse(text: &str) -> MailKind {
        if text == "reminder" {
            MailKind::Reminder
        } else {
            MailKind::Confirm
        }
    }
}

/// A mail to send, with what it needs of its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailJob {
    pub id: i64,
    pub signature_id: i64,
    pub kind: MailKind,
    pub tries: u32,
    pub first_name: String,
    pub email: String,
    pub locale: String,
}

/// The time now, in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn at(ms: i64) -> String {
    format_rfc3339_ms(ms)
}

/// Records a signature that waits for its confirmation, as the writer decides it: a new
/// address is stored pending with its mail job (a flagged one without: it gets the same
/// answer and nothing else); an address already pending gets its mail again, at most once
/// per [`RESEND_AFTER_MS`]; a confirmed one, nothing. Returns the petition's (confirmed)
/// count.
pub fn sign_pending(conn: &Connection, s: &NewSignature, now_ms: i64) -> rusqlite::Result<u64> {
    let inserted = crate::db::insert_row(conn, s, false, Some(&at(now_ms)))?;
    if inserted == 1 {
        if !s.flagged {
            enqueue(conn, conn.last_insert_rowid(), MailKind::Confirm, now_ms)?;
        }
    } else if !s.flagged {
        let pending: Option<(i64, Option<String>)> = conn
            .prepare_cached(
                "SELECT id, last_mail_at FROM signatures
                 WHERE petition_id = ?1 AND email_key = ?2 AND flagged = 0
                   AND confirmed_at IS NULL",
            )?
            .query_row(params![s.petition_id, email_key(&s.email)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((id, last_mail_at)) = pending {
            resend(conn, id, last_mail_at.as_deref(), now_ms)?;
        }
    }
    count(conn, &s.petition_id)
}

/// A new confirmation mail for a pending signature, unless one went out in the last
/// [`RESEND_AFTER_MS`].
fn resend(
    conn: &Connection,
    signature_id: i64,
    last_mail_at: Option<&str>,
    now_ms: i64,
) -> rusqlite::Result<()> {
    let recent = last_mail_at
        .and_then(petitie_core::time::parse_rfc3339_ms)
        .is_some_and(|last| now_ms - last < RESEND_AFTER_MS);
    if !recent {
        enqueue(conn, signature_id, MailKind::Confirm, now_ms)?;
        conn.prepare_cached("UPDATE signatures SET last_mail_at = ?2 WHERE id = ?1")?
            .execute(params![signature_id, at(now_ms)])?;
    }
    Ok(())
}

/// `confirmation-requests`: a new link for this address if it signed and waits (the caller
/// answers the same either way).
pub fn request_again(
    conn: &Connection,
    petition_id: &str,
    email: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    let pending: Option<(i64, Option<String>)> = conn
        .prepare_cached(
            "SELECT id, last_mail_at FROM signatures
             WHERE petition_id = ?1 AND email_key = ?2 AND flagged = 0 AND confirmed_at IS NULL",
        )?
        .query_row(params![petition_id, email_key(email)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    match pending {
        Some((id, last)) => resend(conn, id, last.as_deref(), now_ms),
        None => Ok(()),
    }
}

fn enqueue(
    conn: &Connection,
    signature_id: i64,
    kind: MailKind,
    now_ms: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO mail_jobs (signature_id, kind, due_at) VALUES (?1, ?2, ?3)")?
        .execute(params![signature_id, kind.as_str(), at(now_ms)])?;
    Ok(())
}

fn count(conn: &Connection, petition_id: &str) -> rusqlite::Result<u64> {
    conn.prepare_cached("SELECT signature_count FROM petitions WHERE id = ?1")?
        .query_row([petition_id], |r| r.get(0))
}

/// The signature a valid token of this petition stands for: its id and first name.
fn by_token(
    conn: &Connection,
    petition_id: &str,
    token: &str,
    now_ms: i64,
) -> rusqlite::Result<Option<(i64, String, String)>> {
    conn.prepare_cached(
        "SELECT s.id, s.first_name, s.email_key FROM confirmation_tokens t
         JOIN signatures s ON s.id = t.signature_id
         WHERE t.hash = ?1 AND s.petition_id = ?2 AND t.created_at >= ?3",
    )?
    .query_row(
        params![token_hash(token), petition_id, at(now_ms - TOKEN_VALID_MS)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}

/// Confirms the signature of a valid token (again: no change): the count and the first
/// name. `None` for an unknown, expired or withdrawn token.
pub fn confirm(
    conn: &Connection,
    petition_id: &str,
    token: &str,
    now_ms: i64,
) -> rusqlite::Result<Option<(u64, String)>> {
    let Some((id, first_name, _)) = by_token(conn, petition_id, token, now_ms)? else {
        return Ok(None);
    };
    conn.prepare_cached(
        "UPDATE signatures SET confirmed_at = ?2 WHERE id = ?1 AND confirmed_at IS NULL",
    )?
    .execute(params![id, at(now_ms)])?;
    // Nothing more to send for it.
    conn.prepare_cached("DELETE FROM mail_jobs WHERE signature_id = ?1")?
        .execute([id])?;
    Ok(Some((count(conn, petition_id)?, first_name)))
}

/// Withdraws the signature of a valid token: it, its tokens, its mail jobs and the stored
/// answers that hold its address are deleted. The count afterwards; `None` as for
/// [`confirm`].
pub fn withdraw(
    conn: &Connection,
    petition_id: &str,
    token: &str,
    now_ms: i64,
) -> rusqlite::Result<Option<u64>> {
    let Some((id, _, key)) = by_token(conn, petition_id, token, now_ms)? else {
        return Ok(None);
    };
    // Tokens and jobs go with it (ON DELETE CASCADE).
    conn.prepare_cached("DELETE FROM signatures WHERE id = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM idempotency WHERE petition_id = ?1 AND email_key = ?2")?
        .execute(params![petition_id, key])?;
    Ok(Some(count(conn, petition_id)?))
}

/// Mail jobs due at `now_ms`, oldest first, at most `limit`.
pub fn due_jobs(conn: &Connection, now_ms: i64, limit: usize) -> rusqlite::Result<Vec<MailJob>> {
    let mut stmt = conn.prepare_cached(
        "SELECT j.id, j.signature_id, j.kind, j.tries, s.first_name, s.email, s.locale
         FROM mail_jobs j JOIN signatures s ON s.id = j.signature_id
         WHERE j.due_at <= ?1 ORDER BY j.due_at, j.id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![at(now_ms), limit as i64], |r| {
        Ok(MailJob {
            id: r.get(0)?,
            signature_id: r.get(1)?,
            kind: MailKind::parse(&r.get::<_, String>(2)?),
            tries: r.get(3)?,
            first_name: r.get(4)?,
            email: r.get(5)?,
            locale: r.get(6)?,
        })
    })?;
    rows.collect()
}

/// Stores the hash of the token a job's mail is about to carry.
pub fn issue_token(
    conn: &Connection,
    signature_id: i64,
    token: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO confirmation_tokens (hash, signature_id, created_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![token_hash(token), signature_id, at(now_ms)])?;
    Ok(())
}

/// The job's mail went out (or can never go out): the job is done.
pub fn finish(conn: &Connection, job_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM mail_jobs WHERE id = ?1")?
        .execute([job_id])?;
    Ok(())
}

/// The job's mail could not go out now: its token is dropped, and it is tried again at
/// `due_ms`.
pub fn retry_at(
    conn: &Connection,
    job: &MailJob,
    token: &str,
    due_ms: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM confirmation_tokens WHERE hash = ?1")?
        .execute([token_hash(token)])?;
    conn.prepare_cached("UPDATE mail_jobs SET tries = tries + 1, due_at = ?2 WHERE id = ?1")?
        .execute(params![job.id, at(due_ms)])?;
    Ok(())
}

/// One reminder for each signature still pending `remind_after_ms` after it was made, while
/// its petition is open. Returns how many.
pub fn remind(conn: &Connection, now_ms: i64, remind_after_ms: i64) -> rusqlite::Result<usize> {
    let due = "s.confirmed_at IS NULL AND s.flagged = 0 AND s.reminded = 0 AND s.created_at <= ?1
               AND EXISTS (SELECT 1 FROM petitions p WHERE p.id = s.petition_id AND p.status = 'open')";
    let cutoff = at(now_ms - remind_after_ms);
    let n = conn.execute(
        &format!(
            "INSERT INTO mail_jobs (signature_id, kind, due_at)
             SELECT s.id, 'reminder', ?2 FROM signatures s WHERE {due}"
        ),
        params![cutoff, at(now_ms)],
    )?;
    conn.execute(
        &format!("UPDATE signatures AS s SET reminded = 1 WHERE {due}"),
        [&cutoff],
    )?;
    Ok(n)
}

/// Deletes signatures still pending `ttl_ms` after they were made, with their tokens, jobs
/// and stored answers. Returns how many.
pub fn expire(conn: &Connection, now_ms: i64, ttl_ms: i64) -> rusqlite::Result<usize> {
    let cutoff = at(now_ms - ttl_ms);
    // Looked up from the few pending rows past their time (their partial index), not by a
    // pass over every stored answer: the writer waits while this runs.
    conn.execute(
        "DELETE FROM idempotency WHERE (petition_id, email_key) IN (
             SELECT petition_id, email_key FROM signatures
             WHERE confirmed_at IS NULL AND created_at <= ?1)",
        [&cutoff],
    )?;
    conn.execute(
        "DELETE FROM signatures WHERE confirmed_at IS NULL AND created_at <= ?1",
        [&cutoff],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Store;

    const HOUR: i64 = 3600 * 1000;

    /// A migrated database with the petition, and a connection to it.
    fn database(name: &str) -> (Connection, std::path::PathBuf) {
        let path = std::env::temp_dir().join(format!(
            "petitie-confirmation-{name}-{}.sqlite",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&path);
        let store = Store::open(&path).unwrap();
        store
            .upsert_petition("p", petitie_core::contract::PetitionStatus::Open)
            .unwrap();
        (crate::db::connect(&path).unwrap(), path)
    }

    fn signature(email: &str) -> NewSignature {
        NewSignature {
            petition_id: "p".into(),
            first_name: "Anna".into(),
            last_name: "de Vries".into(),
            email: email.into(),
            locale: "nl".into(),
            attribution_json: "{}".into(),
            ..NewSignature::default()
        }
    }

    fn jobs(conn: &Connection, now: i64) -> Vec<MailKind> {
        due_jobs(conn, now, 100)
            .unwrap()
            .into_iter()
            .map(|j| j.kind)
            .collect()
    }

    #[test]
    fn a_pending_address_is_mailed_again_only_after_ten_minutes() {
        let (conn, _) = database("resend");
        let now = now_ms();
        assert_eq!(
            sign_pending(&conn, &signature("anna@example.nl"), now).unwrap(),
            0
        );
        assert_eq!(jobs(&conn, now), [MailKind::Confirm]);
        for job in due_jobs(&conn, now, 10).unwrap() {
            finish(&conn, job.id).unwrap();
        }
        sign_pending(
            &conn,
            &signature("Anna@Example.nl"),
            now + RESEND_AFTER_MS - 1,
        )
        .unwrap();
        request_again(&conn, "p", "anna@example.nl", now + RESEND_AFTER_MS - 1).unwrap();
        assert!(jobs(&conn, now + RESEND_AFTER_MS).is_empty());
        request_again(&conn, "p", "anna@example.nl", now + RESEND_AFTER_MS).unwrap();
        assert_eq!(jobs(&conn, now + RESEND_AFTER_MS), [MailKind::Confirm]);
        // A flagged signature gets the same answer, no mail.
        let mut robot = signature("robot@example.nl");
        robot.flagged = true;
        sign_pending(&conn, &robot, now).unwrap();
        assert_eq!(jobs(&conn, now + RESEND_AFTER_MS).len(), 1);
    }

    #[test]
    fn one_reminder_while_pending_and_open_then_deletion_with_the_links() {
        let (conn, _) = database("remind");
        let now = now_ms();
        sign_pending(&conn, &signature("anna@example.nl"), now).unwrap();
        let job = &due_jobs(&conn, now, 1).unwrap()[0];
        issue_token(&conn, job.signature_id, "tokentokentokentoken00", now).unwrap();
        finish(&conn, job.id).unwrap();

        let remind_after = 48 * HOUR;
        assert_eq!(
            remind(&conn, now + remind_after - HOUR, remind_after).unwrap(),
            0
        );
        assert_eq!(
            remind(&conn, now + remind_after + HOUR, remind_after).unwrap(),
            1
        );
        assert_eq!(
            remind(&conn, now + remind_after + 2 * HOUR, remind_after).unwrap(),
            0
        );
        assert_eq!(jobs(&conn, now + remind_after + HOUR), [MailKind::Reminder]);

        // A confirmed one is neither reminded nor deleted.
        sign_pending(&conn, &signature("zoe@example.nl"), now).unwrap();
        let zoe: i64 = conn
            .query_row(
                "SELECT id FROM signatures WHERE email = 'zoe@example.nl'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        issue_token(&conn, zoe, "zoezoezoezoezoezoezoe0", now).unwrap();
        assert_eq!(
            confirm(&conn, "p", "zoezoezoezoezoezoezoe0", now).unwrap(),
            Some((1, "Anna".into()))
        );

        let ttl = 14 * 24 * HOUR;
        assert_eq!(expire(&conn, now + ttl - HOUR, ttl).unwrap(), 0);
        assert_eq!(expire(&conn, now + ttl + HOUR, ttl).unwrap(), 1);
        let left: Vec<String> = conn
            .prepare("SELECT email FROM signatures")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(left, ["zoe@example.nl"]);
        let jobs: i64 = conn
            .query_row("SELECT COUNT(*) FROM mail_jobs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(jobs, 0);
        let tokens: i64 = conn
            .query_row("SELECT COUNT(*) FROM confirmation_tokens", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tokens, 1, "only Zoë's");
    }

    #[test]
    fn a_link_works_fourteen_days() {
        let (conn, _) = database("valid");
        let now = now_ms();
        sign_pending(&conn, &signature("anna@example.nl"), now).unwrap();
        let job = &due_jobs(&conn, now, 1).unwrap()[0];
        issue_token(&conn, job.signature_id, "tokentokentokentoken00", now).unwrap();
        assert_eq!(
            confirm(
                &conn,
                "p",
                "tokentokentokentoken00",
                now + TOKEN_VALID_MS + 1
            )
            .unwrap(),
            None
        );
        assert_eq!(
            confirm(&conn, "q", "tokentokentokentoken00", now).unwrap(),
            None
        );
        assert_eq!(
            confirm(
                &conn,
                "p",
                "tokentokentokentoken00",
                now + TOKEN_VALID_MS - 1
            )
            .unwrap(),
            Some((1, "Anna".into()))
        );
    }

    #[test]
    fn backs_off_from_a_second_to_five_minutes() {
        let delays: Vec<i64> = (0..12).map(crate::mail::backoff_ms).collect();
        assert_eq!(&delays[..4], [1000, 2000, 4000, 8000]);
        assert!(delays.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(delays[11], 300_000);
    }
}

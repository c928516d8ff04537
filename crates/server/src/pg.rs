//! The PostgreSQL store (`--db postgres://user@host/db`): for running several instances of the
//! server on one database, behind one address.
//!
//! Each request is decided in a transaction of its own on a pooled connection
//! (`tokio-postgres` with `deadpool-postgres`), and the database makes the instances exact as
//! one:
//! - an `Idempotency-Key` is claimed by inserting its row first: a second try with the same
//!   key, on any instance, waits for the first one's commit and then replays its answer;
//! - one counted signature per address is the same partial unique index as on SQLite;
//! - the rate limit's hits per client are rows, taken under a transaction-scoped advisory lock
//!   per client, so two instances never both let the sixth one through;
//! - the count is kept in `SHARDS` rows per petition by a trigger (a signature's change goes
//!   to the shard of its id), so transactions committing at once rarely wait for one another
//!   and a count is the sum of a few rows, never a scan of the signatures. Every instance
//!   rereads the counts into memory every `REFRESH` (`petitions.rs`);
//! - a mail job is taken with `FOR UPDATE SKIP LOCKED` and held for `LEASE` while its mail is
//!   sent: one instance sends it.
//!
//! Times are `timestamptz`; the API's times (milliseconds since the epoch) go in through
//! `to_timestamp` and come out as RFC 3339 in UTC with milliseconds, as on SQLite.

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

use deadpool_postgres::{GenericClient, Transaction};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::types::ToSql;
use tokio_postgres::NoTls;
use tokio_postgres::Row;

use petitie_core::contract::{PendingResponse, PetitionStatus, SignResponse, PENDING_CONFIRMATION};
use petitie_core::token::token_hash;

use crate::confirmation::{MailJob, MailKind, RESEND_AFTER_MS, TOKEN_VALID_MS};
use crate::db::{
    email_key, status_of, status_text, Erased, ExportError, ExportRow, Include, PetitionRow,
};
use crate::mail::{JobStore, Prepared, Settle};
use crate::petitions::Petitions;
use crate::rate_limit;
use crate::writer::{Attempt, Outcome, Request, WriteError};

/// Shards of each petition's count.
pub const SHARDS: i64 = 32;
/// Connections each instance keeps to the database.
pub const POOL_SIZE: usize = 8;
/// How often every instance rereads the counts (a commit on any instance shows within this).
pub const REFRESH: Duration = Duration::from_millis(250);
/// How long a mail job taken by an instance is left to it before another may take it (an
/// instance that died while sending).
pub const LEASE_MS: i64 = 5 * 60 * 1000;
/// How often rate-limit hits older than the window are deleted.
const SWEEP_EVERY: u32 = 40;

/// The schema, applied in order on start; `schema_migrations` records which ran. Two instances
/// starting at once take turns (an advisory lock).
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE petitions (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed'))
);
CREATE TABLE signatures (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    elapsed_ms BIGINT NOT NULL,
    flagged BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    -- Counted once confirmed: when it was made, without confirmation by e-mail.
    confirmed_at TIMESTAMPTZ,
    last_mail_at TIMESTAMPTZ,
    reminded BOOLEAN NOT NULL DEFAULT false
);
-- One counted signature per e-mail address per petition.
CREATE UNIQUE INDEX signatures_one_per_email ON signatures (petition_id, email_key) WHERE NOT flagged;
-- For erasing a person in every petition, flagged signatures included.
CREATE INDEX signatures_email_key ON signatures (email_key);
CREATE INDEX signatures_pending ON signatures (created_at) WHERE confirmed_at IS NULL;
CREATE TABLE idempotency (
    key TEXT NOT NULL,
    petition_id TEXT NOT NULL,
    request TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    email_key TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (petition_id, key)
);
CREATE INDEX idempotency_email_key ON idempotency (email_key);
-- Counted signatures per petition, in shards (see `SHARDS`).
CREATE TABLE signature_counts (
    petition_id TEXT NOT NULL REFERENCES petitions(id),
    shard INTEGER NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (petition_id, shard)
);
CREATE FUNCTION signatures_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF NOT OLD.flagged AND OLD.confirmed_at IS NOT NULL THEN
            UPDATE signature_counts SET count = count - 1
            WHERE petition_id = OLD.petition_id AND shard = OLD.id % 32;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NOT NEW.flagged AND NEW.confirmed_at IS NOT NULL THEN
            INSERT INTO signature_counts (petition_id, shard, count)
            VALUES (NEW.petition_id, NEW.id % 32, 1)
            ON CONFLICT (petition_id, shard) DO UPDATE SET count = signature_counts.count + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER signatures_count
    AFTER INSERT OR DELETE OR UPDATE OF flagged, petition_id, confirmed_at ON signatures
    FOR EACH ROW EXECUTE FUNCTION signatures_count();
-- The rate limit, for every instance: a client's accepted requests in the last minute (times
-- in milliseconds, oldest first), and whether its latest request was let through. The row is
-- locked by the statement that takes a request from it.
CREATE TABLE rate_limits (
    client TEXT PRIMARY KEY,
    hits BIGINT[] NOT NULL,
    allowed BOOLEAN NOT NULL
);
-- Confirmation by e-mail: tokens as hashes only; a mail job names its signature and kind.
CREATE TABLE confirmation_tokens (
    hash TEXT PRIMARY KEY,
    signature_id BIGINT NOT NULL REFERENCES signatures(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX confirmation_tokens_signature ON confirmation_tokens (signature_id);
CREATE TABLE mail_jobs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    signature_id BIGINT NOT NULL REFERENCES signatures(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('confirm', 'reminder')),
    tries INTEGER NOT NULL DEFAULT 0,
    due_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX mail_jobs_due ON mail_jobs (due_at);
CREATE INDEX mail_jobs_signature ON mail_jobs (signature_id);
"#];

/// A time of the API (milliseconds since the epoch) as SQL: `at!(1)` is `$1`.
macro_rules! at {
    ($n:literal) => {
        concat!("to_timestamp($", $n, "::bigint / 1000.0)")
    };
}

/// A stored time as the API and the export write it.
macro_rules! rfc3339 {
    ($column:literal) => {
        concat!(
            "to_char(",
            $column,
            " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        )
    };
}

/// Statements run prepared, each prepared once per connection (deadpool's statement cache):
/// one round trip each instead of two.
async fn exec(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<u64, Error> {
    let statement = tx.prepare_cached(sql).await?;
    Ok(tx.execute(&statement, params).await?)
}

async fn one(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Row, Error> {
    let statement = tx.prepare_cached(sql).await?;
    Ok(tx.query_one(&statement, params).await?)
}

async fn opt(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Option<Row>, Error> {
    let statement = tx.prepare_cached(sql).await?;
    Ok(tx.query_opt(&statement, params).await?)
}

async fn all(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Row>, Error> {
    let statement = tx.prepare_cached(sql).await?;
    Ok(tx.query(&statement, params).await?)
}

/// A petition's counted signatures: the sum of its shards.
const COUNT: &str =
    "SELECT COALESCE(SUM(count), 0)::bigint FROM signature_counts WHERE petition_id = $1";

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// An error with its causes (`tokio-postgres` says "db error" and puts PostgreSQL's message in
/// the cause).
pub fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

/// The pool of connections to one PostgreSQL database, migrated.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
}

impl Store {
    /// Connects to `url`, migrating the schema.
    pub async fn open(url: &str) -> Result<Store, Error> {
        let config: tokio_postgres::Config = url.parse()?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(Duration::from_secs(10)))
            .create_timeout(Some(Duration::from_secs(10)))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()?;
        let store = Store { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), Error> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.batch_execute(
            "SELECT pg_advisory_xact_lock(7403512);
             CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY);",
        )
        .await?;
        let done: i64 = one(&tx, "SELECT COUNT(*) FROM schema_migrations", &[])
            .await?
            .get(0);
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(done as usize) {
            tx.batch_execute(migration).await?;
            exec(
                &tx,
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[&(i as i32 + 1)],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Makes sure a petition exists with the given status.
    pub async fn upsert_petition(&self, id: &str, status: PetitionStatus) -> Result<(), Error> {
        self.pool
            .get()
            .await?
            .execute(
                "INSERT INTO petitions (id, status) VALUES ($1, $2)
                 ON CONFLICT (id) DO UPDATE SET status = excluded.status",
                &[&id, &status_text(status)],
            )
            .await?;
        Ok(())
    }

    /// Every petition's status and count.
    pub async fn petitions(&self) -> Result<HashMap<String, PetitionRow>, Error> {
        let rows = self
            .pool
            .get()
            .await?
            .query(
                "SELECT p.id, p.status, COALESCE(SUM(c.count), 0)::bigint
                 FROM petitions p LEFT JOIN signature_counts c ON c.petition_id = p.id
                 GROUP BY p.id, p.status",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                (
                    r.get::<_, String>(0),
                    PetitionRow {
                        status: status_of(r.get(1)),
                        count: r.get::<_, i64>(2).max(0) as u64,
                    },
                )
            })
            .collect())
    }

    pub async fn petition(&self, id: &str) -> Result<Option<PetitionRow>, Error> {
        Ok(self.petitions().await?.remove(id))
    }

    /// Removes every signature of this address in every petition (flagged ones too), with the
    /// stored answers that hold it, in one transaction; the counts drop with them.
    pub async fn erase(&self, email: &str) -> Result<Erased, Error> {
        let key = email_key(email);
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let signatures = exec(&tx, "DELETE FROM signatures WHERE email_key = $1", &[&key]).await?;
        let stored_answers =
            exec(&tx, "DELETE FROM idempotency WHERE email_key = $1", &[&key]).await?;
        tx.commit().await?;
        Ok(Erased {
            signatures: signatures as usize,
            stored_answers: stored_answers as usize,
        })
    }

    /// Calls `each` with a petition's signatures in the order they came in, as
    /// `db::Store::export` does.
    pub async fn export(
        &self,
        petition_id: &str,
        since: Option<&str>,
        include: Include,
        mut each: impl FnMut(ExportRow) -> std::io::Result<()>,
    ) -> Result<usize, ExportError> {
        let storage = |e: Error| ExportError::Storage(describe(e.as_ref()));
        let client = self.pool.get().await.map_err(|e| storage(e.into()))?;
        let rows = client
            .query(
                concat!(
                    "SELECT first_name, last_name, email, phone, ",
                    rfc3339!("created_at"),
                    ", ",
                    rfc3339!("confirmed_at"),
                    ", attribution
                     FROM signatures
                     WHERE petition_id = $1 AND ($2 OR NOT flagged)
                       AND ($4 OR confirmed_at IS NOT NULL)
                       AND ($3::text IS NULL OR created_at >= $3::timestamptz)
                     ORDER BY id"
                ),
                &[&petition_id, &include.flagged, &since, &include.pending],
            )
            .await
            .map_err(|e| storage(e.into()))?;
        for r in &rows {
            each(ExportRow {
                first_name: r.get(0),
                last_name: r.get(1),
                email: r.get(2),
                phone: r.get(3),
                created_at: r.get(4),
                confirmed_at: r.get(5),
                attribution_json: r.get(6),
            })?;
        }
        Ok(rows.len())
    }

    /// Rereads the counts into `petitions` every `REFRESH`, and sweeps old rate-limit hits,
    /// for as long as `petitions` lives.
    pub fn spawn_refresher(&self, petitions: Weak<Petitions>) {
        let store = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(REFRESH);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            for round in 0u32.. {
                ticks.tick().await;
                let Some(petitions) = petitions.upgrade() else {
                    return;
                };
                let seen = petitions.generation();
                match store.petitions().await {
                    Ok(rows) => petitions.merge(seen, rows),
                    Err(e) => tracing::error!("storage error: {}", describe(e.as_ref())),
                }
                if round % SWEEP_EVERY == 0 {
                    if let Err(e) = store.sweep_rate_limit().await {
                        tracing::error!("storage error: {}", describe(e.as_ref()));
                    }
                }
            }
        });
    }

    async fn sweep_rate_limit(&self) -> Result<(), Error> {
        let before = crate::confirmation::now_ms() - rate_limit::WINDOW.as_millis() as i64;
        self.pool
            .get()
            .await?
            .execute(
                "DELETE FROM rate_limits
                 WHERE cardinality(hits) = 0 OR hits[cardinality(hits)] <= $1",
                &[&before],
            )
            .await?;
        Ok(())
    }

    /// Decides a request in a transaction of its own.
    pub async fn decide(&self, request: &Request, rules: &Rules) -> Result<Outcome, Error> {
        let now = crate::confirmation::now_ms();
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let outcome = match request {
            Request::Sign(attempt) => sign(&tx, attempt, rules, now).await?,
            Request::Confirm { petition_id, token } => {
                match by_token(&tx, petition_id, token, now).await? {
                    Some((id, first_name, _)) => {
                        exec(
                            &tx,
                            concat!(
                                "UPDATE signatures SET confirmed_at = ",
                                at!(2),
                                " WHERE id = $1 AND confirmed_at IS NULL"
                            ),
                            &[&id, &now],
                        )
                        .await?;
                        // Nothing more to send for it.
                        exec(&tx, "DELETE FROM mail_jobs WHERE signature_id = $1", &[&id]).await?;
                        Outcome::Confirmed(count(&tx, petition_id).await?, first_name)
                    }
                    None => Outcome::Expired,
                }
            }
            Request::Withdraw { petition_id, token } => {
                match by_token(&tx, petition_id, token, now).await? {
                    Some((id, _, key)) => {
                        // Tokens and jobs go with it (ON DELETE CASCADE).
                        exec(&tx, "DELETE FROM signatures WHERE id = $1", &[&id]).await?;
                        exec(
                            &tx,
                            "DELETE FROM idempotency WHERE petition_id = $1 AND email_key = $2",
                            &[petition_id, &key],
                        )
                        .await?;
                        Outcome::Withdrawn(count(&tx, petition_id).await?)
                    }
                    None => Outcome::Expired,
                }
            }
            Request::RequestAgain {
                petition_id,
                email,
                client,
            } => match limit(&tx, *client, rules.per_minute, now).await? {
                Err(seconds) => Outcome::RateLimited(seconds),
                Ok(()) => {
                    if let Some((id, last)) = pending(&tx, petition_id, &email_key(email)).await? {
                        resend(&tx, id, last, now).await?;
                    }
                    Outcome::Requested
                }
            },
        };
        if matches!(
            outcome,
            Outcome::Created(_)
                | Outcome::Pending(_)
                | Outcome::Confirmed(..)
                | Outcome::Withdrawn(_)
                | Outcome::Requested
        ) {
            tx.commit().await?;
        } else {
            // Nothing of it is kept: not a key it claimed (a retry may use it), not a
            // signature inserted beside a replay or over the limit.
            tx.rollback().await?;
        }
        Ok(match outcome {
            Outcome::Confirmed(count, name) => Outcome::Confirmed(count + rules.offset, name),
            Outcome::Withdrawn(count) => Outcome::Withdrawn(count + rules.offset),
            other => other,
        })
    }
}

/// What the server's flags make of a request.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub per_minute: u32,
    pub offset: u64,
    pub confirming: bool,
}

/// Takes a request from a client's allowance: `$1` the client, `$2` the start of the window,
/// `$3` the time now, `$4` the limit (the rule of `rate_limit::verdict`: under the limit when
/// fewer than `$4` hits are in the window). `INSERT … ON CONFLICT DO UPDATE` works on the
/// client's latest row, locked, so requests of one client on several instances take turns.
/// Its `RETURNING` says whether this one was let through, and the hits in the window.
macro_rules! take_hit {
    ($rows:literal) => {
        concat!(
            "INSERT INTO rate_limits AS r (client, hits, allowed)
             SELECT $1, CASE WHEN $4::bigint > 0 THEN ARRAY[$3::bigint] ELSE '{}' END, $4::bigint > 0 ",
            $rows,
            "
             ON CONFLICT (client) DO UPDATE SET
                 hits = ARRAY(SELECT h FROM unnest(r.hits) AS h WHERE h > $2 ORDER BY h)
                        || CASE WHEN (SELECT COUNT(*) FROM unnest(r.hits) AS h WHERE h > $2) < $4
                           THEN ARRAY[$3::bigint] ELSE '{}' END,
                 allowed = (SELECT COUNT(*) FROM unnest(r.hits) AS h WHERE h > $2) < $4
             RETURNING allowed, hits"
        )
    };
}

/// A signature in one statement: the petition's status; when it is open, a request taken
/// from the client's allowance ([`take_hit`], `$1`–`$4`); when that lets it through, the
/// signature (`$5`–`$16`), unless its address already has a counted one here: its id and
/// whether it counts; and the count as this statement sees it, which is without the
/// signature it inserts (the count's trigger runs after the statement).
const SIGN: &str = concat!(
    "WITH petition AS (
         SELECT status FROM petitions WHERE id = $5
     ), quota AS (",
    take_hit!("FROM petition WHERE status = 'open'"),
    "), signature AS (
         INSERT INTO signatures (petition_id, first_name, last_name, email, email_key, phone,
                                 locale, attribution, website, elapsed_ms, flagged,
                                 confirmed_at, last_mail_at)
         SELECT $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                CASE WHEN $16 THEN clock_timestamp() END,
                CASE WHEN $16 THEN NULL ELSE ",
    at!(3),
    " END
         FROM quota WHERE quota.allowed
         ON CONFLICT DO NOTHING
         RETURNING id, NOT flagged AND confirmed_at IS NOT NULL AS counted
     )
     SELECT (SELECT status FROM petition), (SELECT allowed FROM quota),
            (SELECT hits FROM quota), (SELECT id FROM signature),
            COALESCE((SELECT counted FROM signature), false),
            (SELECT COALESCE(SUM(count), 0)::bigint FROM signature_counts WHERE petition_id = $5)"
);

/// Stores the answer to an `Idempotency-Key`, unless the key was used before (by a try that
/// has committed; one still running is waited for).
const CLAIM: &str =
    "INSERT INTO idempotency (key, petition_id, request, status, response, email_key)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";

/// The contract's order, as the SQLite writer's `decide`: petition, idempotency key, rate
/// limit, then the signature. Three statements: the client's lock and [`SIGN`] are sent
/// together (one round trip), then the answer is stored under its key ([`CLAIM`]). A key
/// used before makes it a replay, and the caller rolls the transaction back for every outcome
/// but a recorded signature: a replay's or a limited try's work is not kept.
async fn sign(
    tx: &Transaction<'_>,
    attempt: &Attempt,
    rules: &Rules,
    now: i64,
) -> Result<Outcome, Error> {
    let s = &attempt.signature;
    let petition = &s.petition_id;
    let address = email_key(&s.email);
    let client = attempt.client.to_string();
    let window = rate_limit::WINDOW.as_millis() as i64;
    let elapsed = s.elapsed_ms as i64;
    let confirmed = !rules.confirming;
    let row = one(
        tx,
        SIGN,
        &[
            &client,
            &(now - window),
            &now,
            &i64::from(rules.per_minute),
            petition,
            &s.first_name,
            &s.last_name,
            &s.email,
            &address,
            &s.phone,
            &s.locale,
            &s.attribution_json,
            &s.website,
            &elapsed,
            &s.flagged,
            &confirmed,
        ],
    )
    .await?;
    match row.get::<_, Option<&str>>(0).map(status_of) {
        None => return Ok(Outcome::NotFound),
        Some(PetitionStatus::Closed) => return Ok(Outcome::Closed),
        Some(PetitionStatus::Open) => {}
    }
    let limited = verdict(row.get(1), row.get(2), now, rules.per_minute);
    let inserted: Option<i64> = row.get(3);
    let counted: bool = row.get(4);
    let count = row.get::<_, i64>(5).max(0) as u64 + u64::from(counted) + rules.offset;
    let (status, body): (i32, _) = if rules.confirming {
        let body = serde_json::to_string(&PendingResponse {
            count,
            status: PENDING_CONFIRMATION.into(),
        });
        (202, body)
    } else {
        (201, serde_json::to_string(&SignResponse { count }))
    };
    let body = body.expect("a count serialises");
    if let Some(key) = &attempt.key {
        let claimed = exec(
            tx,
            CLAIM,
            &[key, petition, &attempt.canonical, &status, &body, &address],
        )
        .await?;
        if claimed == 0 {
            let stored = one(
                tx,
                "SELECT request, response FROM idempotency WHERE petition_id = $1 AND key = $2",
                &[petition, key],
            )
            .await?;
            let request: String = stored.get(0);
            return Ok(if request == attempt.canonical {
                Outcome::Replay(stored.get(1))
            } else {
                Outcome::KeyReused
            });
        }
    }
    if let Err(seconds) = limited {
        return Ok(Outcome::RateLimited(seconds));
    }
    if rules.confirming && !s.flagged {
        match inserted {
            Some(id) => enqueue(tx, id, MailKind::Confirm, now).await?,
            None => {
                if let Some((id, last)) = pending(tx, petition, &address).await? {
                    resend(tx, id, last, now).await?;
                }
            }
        }
    }
    Ok(if rules.confirming {
        Outcome::Pending(body)
    } else {
        Outcome::Created(body)
    })
}

/// Takes one request from `client`'s allowance, for every instance ([`take_hit`]).
async fn limit(
    tx: &Transaction<'_>,
    client: std::net::IpAddr,
    per_minute: u32,
    now: i64,
) -> Result<Result<(), u64>, Error> {
    let window = rate_limit::WINDOW.as_millis() as i64;
    let row = one(
        tx,
        take_hit!(""),
        &[
            &client.to_string(),
            &(now - window),
            &now,
            &i64::from(per_minute),
        ],
    )
    .await?;
    Ok(verdict(row.get(0), row.get(1), now, per_minute))
}

/// What [`take_hit`] returned: let through, or the seconds to wait (`rate_limit::verdict` on
/// the hits in the window).
fn verdict(
    allowed: Option<bool>,
    hits: Option<Vec<i64>>,
    now: i64,
    per_minute: u32,
) -> Result<(), u64> {
    if allowed == Some(true) {
        return Ok(());
    }
    let hits = hits.unwrap_or_default();
    let age = hits
        .first()
        .map(|oldest| Duration::from_millis((now - oldest).max(0) as u64));
    // Over the limit by the same rule; a limit of 0 lets nothing through.
    rate_limit::verdict(hits.len().max(per_minute as usize), age, per_minute)
}

async fn count(tx: &Transaction<'_>, petition_id: &str) -> Result<u64, Error> {
    let n: i64 = one(tx, COUNT, &[&petition_id]).await?.get(0);
    Ok(n.max(0) as u64)
}

async fn enqueue(
    tx: &Transaction<'_>,
    signature_id: i64,
    kind: MailKind,
    now: i64,
) -> Result<(), Error> {
    exec(
        tx,
        concat!(
            "INSERT INTO mail_jobs (signature_id, kind, due_at) VALUES ($1, $2, ",
            at!(3),
            ")"
        ),
        &[&signature_id, &kind.as_str(), &now],
    )
    .await?;
    Ok(())
}

/// A pending signature of this address: its id and when its last mail went out.
async fn pending(
    tx: &Transaction<'_>,
    petition_id: &str,
    key: &str,
) -> Result<Option<(i64, Option<i64>)>, Error> {
    Ok(opt(
        tx,
        "SELECT id, (EXTRACT(EPOCH FROM last_mail_at) * 1000)::bigint FROM signatures
             WHERE petition_id = $1 AND email_key = $2 AND NOT flagged AND confirmed_at IS NULL",
        &[&petition_id, &key],
    )
    .await?
    .map(|r| (r.get(0), r.get(1))))
}

/// A new confirmation mail for a pending signature, unless one went out in the last
/// [`RESEND_AFTER_MS`] (as `confirmation::resend`).
async fn resend(
    tx: &Transaction<'_>,
    signature_id: i64,
    last_mail_ms: Option<i64>,
    now: i64,
) -> Result<(), Error> {
    if last_mail_ms.is_some_and(|last| now - last < RESEND_AFTER_MS) {
        return Ok(());
    }
    enqueue(tx, signature_id, MailKind::Confirm, now).await?;
    exec(
        tx,
        concat!(
            "UPDATE signatures SET last_mail_at = ",
            at!(2),
            " WHERE id = $1"
        ),
        &[&signature_id, &now],
    )
    .await?;
    Ok(())
}

/// The signature a valid token of this petition stands for: its id, first name and address
/// key.
async fn by_token(
    tx: &Transaction<'_>,
    petition_id: &str,
    token: &str,
    now: i64,
) -> Result<Option<(i64, String, String)>, Error> {
    Ok(opt(
        tx,
        concat!(
            "SELECT s.id, s.first_name, s.email_key FROM confirmation_tokens t
                 JOIN signatures s ON s.id = t.signature_id
                 WHERE t.hash = $1 AND s.petition_id = $2 AND t.created_at >= ",
            at!(3)
        ),
        &[&token_hash(token), &petition_id, &(now - TOKEN_VALID_MS)],
    )
    .await?
    .map(|r| (r.get(0), r.get(1), r.get(2))))
}

/// The writer of an instance on PostgreSQL: each request in a transaction of its own on the
/// pool; the count it answers is published to this instance's memory at once (other
/// instances reread it within `REFRESH`).
#[derive(Clone)]
pub struct Writer {
    pub(crate) store: Store,
    pub(crate) petitions: Arc<Petitions>,
    pub(crate) rules: Rules,
}

impl Writer {
    pub async fn ask(&self, request: Request) -> Result<Outcome, WriteError> {
        let outcome = self
            .store
            .decide(&request, &self.rules)
            .await
            .map_err(|e| {
                let e = describe(e.as_ref());
                tracing::error!("storage error: {e}");
                WriteError(e)
            })?;
        let petition = match &request {
            Request::Sign(attempt) => Some(&attempt.signature.petition_id),
            Request::Confirm { petition_id, .. } | Request::Withdraw { petition_id, .. } => {
                Some(petition_id)
            }
            Request::RequestAgain { .. } => None,
        };
        let count = match &outcome {
            Outcome::Created(body) | Outcome::Pending(body) => {
                serde_json::from_str::<SignResponse>(body)
                    .ok()
                    .map(|r| r.count)
            }
            Outcome::Confirmed(count, _) => Some(*count),
            _ => None,
        };
        if let (Some(petition), Some(count)) = (petition, count) {
            self.petitions
                .raise(petition, count.saturating_sub(self.rules.offset));
        }
        Ok(outcome)
    }
}

/// The mail jobs of a PostgreSQL database, for the sender thread (`mail.rs`), which drives
/// them on the runtime through `handle`.
pub struct Jobs {
    pub store: Store,
    pub handle: tokio::runtime::Handle,
}

impl JobStore for Jobs {
    fn take(
        &mut self,
        now: i64,
        limit: usize,
        prepare: &mut dyn FnMut(&MailJob) -> Prepared,
    ) -> Result<Vec<(MailJob, Prepared)>, String> {
        let pool = self.store.pool.clone();
        self.handle
            .block_on(async move {
                let mut client = pool.get().await?;
                let tx = client.transaction().await?;
                // Taken by this instance alone: locked rows are skipped by the others, and the
                // lease keeps them from taking these once this commits.
                let rows = all(
                    &tx,
                    concat!(
                        "WITH due AS (
                                 SELECT id FROM mail_jobs WHERE due_at <= ",
                        at!(1),
                        " ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
                             UPDATE mail_jobs j SET due_at = ",
                        at!(3),
                        " FROM due, signatures s
                             WHERE j.id = due.id AND s.id = j.signature_id
                             RETURNING j.id, j.signature_id, j.kind, j.tries, s.first_name,
                                       s.email, s.locale"
                    ),
                    &[&now, &(limit as i64), &(now + LEASE_MS)],
                )
                .await?;
                let mut jobs: Vec<_> = rows
                    .iter()
                    .map(|r| {
                        let kind: String = r.get(2);
                        let tries: i32 = r.get(3);
                        MailJob {
                            id: r.get(0),
                            signature_id: r.get(1),
                            kind: MailKind::parse(&kind),
                            tries: tries.max(0) as u32,
                            first_name: r.get(4),
                            email: r.get(5),
                            locale: r.get(6),
                        }
                    })
                    .collect();
                jobs.sort_by_key(|job| job.id);
                let taken: Vec<_> = jobs
                    .into_iter()
                    .map(|job| {
                        let prepared = prepare(&job);
                        (job, prepared)
                    })
                    .collect();
                let (hashes, ids): (Vec<String>, Vec<i64>) = taken
                    .iter()
                    .filter(|(_, p)| p.message.is_some())
                    .map(|(job, p)| (token_hash(&p.token), job.signature_id))
                    .unzip();
                exec(
                    &tx,
                    concat!(
                        "INSERT INTO confirmation_tokens (hash, signature_id, created_at)
                         SELECT h, s, ",
                        at!(3),
                        " FROM unnest($1::text[], $2::bigint[]) AS t(h, s)"
                    ),
                    &[&hashes, &ids, &now],
                )
                .await?;
                tx.commit().await?;
                Ok::<_, Error>(taken)
            })
            .map_err(|e| describe(e.as_ref()))
    }

    fn settle(&mut self, outcomes: &[(&MailJob, &str, Settle)]) -> Result<(), String> {
        let pool = self.store.pool.clone();
        let dropped: Vec<String> = outcomes
            .iter()
            .filter(|(_, _, settle)| !matches!(settle, Settle::Sent))
            .map(|(_, token, _)| token_hash(token))
            .collect();
        let done: Vec<i64> = outcomes
            .iter()
            .filter(|(_, _, settle)| !matches!(settle, Settle::Retry(_)))
            .map(|(job, _, _)| job.id)
            .collect();
        let (retried, due): (Vec<i64>, Vec<i64>) = outcomes
            .iter()
            .filter_map(|(job, _, settle)| match settle {
                Settle::Retry(due) => Some((job.id, *due)),
                _ => None,
            })
            .unzip();
        self.handle
            .block_on(async move {
                let mut client = pool.get().await?;
                let tx = client.transaction().await?;
                exec(
                    &tx,
                    "DELETE FROM confirmation_tokens WHERE hash = ANY($1)",
                    &[&dropped],
                )
                .await?;
                exec(&tx, "DELETE FROM mail_jobs WHERE id = ANY($1)", &[&done]).await?;
                exec(
                    &tx,
                    "UPDATE mail_jobs SET tries = tries + 1, due_at = to_timestamp(u.due / 1000.0)
                     FROM unnest($1::bigint[], $2::bigint[]) AS u(id, due)
                     WHERE mail_jobs.id = u.id",
                    &[&retried, &due],
                )
                .await?;
                tx.commit().await?;
                Ok::<_, Error>(())
            })
            .map_err(|e| describe(e.as_ref()))
    }

    fn housekeeping(
        &mut self,
        now: i64,
        remind_after_ms: i64,
        ttl_ms: i64,
    ) -> Result<usize, String> {
        let pool = self.store.pool.clone();
        self.handle
            .block_on(async move {
                let mut client = pool.get().await?;
                let tx = client.transaction().await?;
                // One statement marks and enqueues: an instance doing the same at this moment
                // waits for these rows and then finds them reminded.
                exec(
                    &tx,
                    concat!(
                        "WITH due AS (
                             UPDATE signatures s SET reminded = true
                             WHERE s.confirmed_at IS NULL AND NOT s.flagged AND NOT s.reminded
                               AND s.created_at <= ",
                        at!(1),
                        " AND EXISTS (SELECT 1 FROM petitions p
                                           WHERE p.id = s.petition_id AND p.status = 'open')
                             RETURNING s.id)
                         INSERT INTO mail_jobs (signature_id, kind, due_at)
                         SELECT id, 'reminder', ",
                        at!(2),
                        " FROM due"
                    ),
                    &[&(now - remind_after_ms), &now],
                )
                .await?;
                let cutoff = now - ttl_ms;
                exec(
                    &tx,
                    concat!(
                        "DELETE FROM idempotency WHERE (petition_id, email_key) IN (
                             SELECT petition_id, email_key FROM signatures
                             WHERE confirmed_at IS NULL AND created_at <= ",
                        at!(1),
                        ")"
                    ),
                    &[&cutoff],
                )
                .await?;
                let expired = exec(
                    &tx,
                    concat!(
                        "DELETE FROM signatures WHERE confirmed_at IS NULL AND created_at <= ",
                        at!(1)
                    ),
                    &[&cutoff],
                )
                .await?;
                tx.commit().await?;
                Ok::<_, Error>(expired as usize)
            })
            .map_err(|e| describe(e.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_trigger_uses_the_same_number_of_shards() {
        assert!(MIGRATIONS[0].contains(&format!("id % {SHARDS}")));
    }
}

//! The one thread that writes signatures, with group commit.
//!
//! Handlers send their attempt over a channel and wait for the answer. The thread takes every
//! attempt waiting at that moment (up to `MAX_BATCH`) into one transaction, decides each in
//! turn, commits once, and only then answers them all: an acknowledged signature is on disk,
//! and signatures arriving together share one sync. Because the attempts are decided one after
//! another on one connection, duplicates, idempotency replays and the rate limit are exact
//! however many requests arrive at once. No SQLite call runs on the async runtime's threads.

use std::net::IpAddr;
use std::sync::Arc;
use std::thread;
use std::time::Instant;

use tokio::sync::{mpsc, oneshot};

use petitie_core::contract::{PendingResponse, SignResponse, PENDING_CONFIRMATION};

use crate::confirmation;
use crate::db::{self, NewSignature, Store, StoredResponse};

use crate::petitions::Petitions;
use crate::rate_limit::RateLimiter;

/// The most attempts one commit takes.
const MAX_BATCH: usize = 512;
/// Attempts waiting beyond this make handlers wait before queueing (back pressure).
const QUEUE: usize = 4096;

/// One signing attempt, already validated and normalised.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub signature: NewSignature,
    /// The `Idempotency-Key`, when sent.
    pub key: Option<String>,
    /// What a retry of the same attempt must repeat.
    pub canonical: String,
    /// The client address the rate limit counts.
    pub client: IpAddr,
}

/// What a handler asks of the writer.
#[derive(Debug, Clone)]
pub enum Request {
    Sign(Box<Attempt>),
    /// `confirmations`: the token from a mail's link.
    Confirm {
        petition_id: String,
        token: String,
    },
    /// `withdrawals`.
    Withdraw {
        petition_id: String,
        token: String,
    },
    /// `confirmation-requests`: a new link for this address, if it waits; `client` is
    /// counted by the rate limit.
    RequestAgain {
        petition_id: String,
        email: String,
        client: IpAddr,
    },
}

/// How a request was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Recorded (or already signed by this address): the `201` body.
    Created(String),
    /// Stored, waiting for its confirmation (or already signed by this address): the `202`
    /// body.
    Pending(String),
    /// Confirmed: the count and the first name.
    Confirmed(u64, String),
    /// Withdrawn: the count.
    Withdrawn(u64),
    /// An unknown, expired or withdrawn token.
    Expired,
    /// A confirmation request taken (whether or not the address signed).
    Requested,
    /// A retry of a decided attempt: the stored body, answered with `200`.
    Replay(String),
    /// The key was used before for a different request.
    KeyReused,
    /// Over the limit: retry after this many seconds.
    RateLimited(u64),
    Closed,
    NotFound,
}

/// Storage failed; the attempt was not recorded (the client may retry with the same key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError(pub String);

struct Job {
    request: Request,
    reply: oneshot::Sender<Result<Outcome, WriteError>>,
}

/// The handle handlers use: the SQLite writer thread (which stops when the last handle is
/// dropped), or the PostgreSQL pool (`pg.rs`).
#[derive(Clone)]
pub struct Writer {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Sqlite(mpsc::Sender<Job>),
    Postgres(crate::pg::Writer),
}

impl Writer {
    /// Starts the writer thread on `store`; it publishes the counts to `petitions` after each
    /// commit. `count_offset` is added to the counts it answers.
    /// `confirming`: signatures wait for their confirmation by e-mail (`confirmation.rs`).
    pub fn spawn(
        store: Store,
        petitions: Arc<Petitions>,
        limiter: RateLimiter,
        count_offset: u64,
        confirming: bool,
    ) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let writer = Thread {
            store,
            petitions,
            limiter,
            offset: count_offset,
            confirming,
        };
        thread::Builder::new()
            .name("petitie-writer".into())
            .spawn(move || writer.run(queue))?;
        Ok(Self {
            kind: Kind::Sqlite(jobs),
        })
    }

    /// Decides requests on PostgreSQL, each in a transaction of its own.
    pub fn postgres(writer: crate::pg::Writer) -> Self {
        Self {
            kind: Kind::Postgres(writer),
        }
    }

    pub async fn sign(&self, attempt: Box<Attempt>) -> Result<Outcome, WriteError> {
        self.ask(Request::Sign(attempt)).await
    }

    /// Decides `request` in the writer's next transaction.
    pub async fn ask(&self, request: Request) -> Result<Outcome, WriteError> {
        let jobs = match &self.kind {
            Kind::Sqlite(jobs) => jobs,
            Kind::Postgres(writer) => return writer.ask(request).await,
        };
        let (reply, answer) = oneshot::channel();
        jobs.send(Job { request, reply })
            .await
            .map_err(|_| WriteError("the writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| WriteError("the writer has stopped".into()))?
    }
}

struct Thread {
    store: Store,
    petitions: Arc<Petitions>,
    limiter: RateLimiter,
    offset: u64,
    confirming: bool,
}

impl Thread {
    fn run(mut self, mut queue: mpsc::Receiver<Job>) {
        let mut jobs = Vec::with_capacity(MAX_BATCH);
        while queue.blocking_recv_many(&mut jobs, MAX_BATCH) > 0 {
            let outcomes = self.decide_all(&jobs);
            // Publish before answering: whoever got a count can read at least that count.
            match self.store.petitions() {
                Ok(rows) => self.petitions.publish(rows),
                Err(e) => tracing::error!("storage error: {e}"),
            }
            for (job, outcome) in jobs.drain(..).zip(outcomes) {
                // A client that went away no longer waits for its answer; nothing to do.
                let _ = job.reply.send(outcome);
            }
        }
    }

    /// Decides every job in one transaction and commits it; a failed commit fails them all.
    fn decide_all(&mut self, jobs: &[Job]) -> Vec<Result<Outcome, WriteError>> {
        let failed = |e: rusqlite::Error| {
            tracing::error!("storage error: {e}");
            vec![Err(WriteError(e.to_string())); jobs.len()]
        };
        let (limiter, offset, confirming) = (&mut self.limiter, self.offset, self.confirming);
        let now = confirmation::now_ms();
        let mut batch = match self.store.batch() {
            Ok(batch) => batch,
            Err(e) => return failed(e),
        };
        let outcomes: Vec<_> = jobs
            .iter()
            .map(|job| {
                batch
                    .attempt(|conn| match &job.request {
                        Request::Sign(attempt) => {
                            decide(conn, limiter, offset, confirming.then_some(now), attempt)
                        }
                        other => decide_confirmation(conn, limiter, offset, now, other),
                    })
                    .map_err(|e| {
                        tracing::error!("storage error: {e}");
                        WriteError(e.to_string())
                    })
            })
            .collect();
        match batch.commit() {
            Ok(()) => outcomes,
            Err(e) => failed(e),
        }
    }
}

/// A confirmation, a withdrawal or a request for a new link.
fn decide_confirmation(
    conn: &rusqlite::Connection,
    limiter: &mut RateLimiter,
    offset: u64,
    now: i64,
    request: &Request,
) -> rusqlite::Result<Outcome> {
    Ok(match request {
        Request::Confirm { petition_id, token } => {
            match confirmation::confirm(conn, petition_id, token, now)? {
                Some((count, first_name)) => Outcome::Confirmed(count + offset, first_name),
                None => Outcome::Expired,
            }
        }
        Request::Withdraw { petition_id, token } => {
            match confirmation::withdraw(conn, petition_id, token, now)? {
                Some(count) => Outcome::Withdrawn(count + offset),
                None => Outcome::Expired,
            }
        }
        Request::RequestAgain {
            petition_id,
            email,
            client,
        } => {
            if let Err(seconds) = limiter.check(*client, Instant::now()) {
                return Ok(Outcome::RateLimited(seconds));
            }
            confirmation::request_again(conn, petition_id, email, now)?;
            Outcome::Requested
        }
        Request::Sign(_) => unreachable!("signatures are decided by `decide`"),
    })
}

/// The contract's order: petition, idempotency key, rate limit, then the signature (waiting
/// for its confirmation when `confirming_at` is the time now).
fn decide(
    conn: &rusqlite::Connection,
    limiter: &mut RateLimiter,
    offset: u64,
    confirming_at: Option<i64>,
    attempt: &Attempt,
) -> rusqlite::Result<Outcome> {
    let petition = &attempt.signature.petition_id;
    match db::read_petition(conn, petition)? {
        None => return Ok(Outcome::NotFound),
        Some(row) if row.status == petitie_core::contract::PetitionStatus::Closed => {
            return Ok(Outcome::Closed)
        }
        Some(_) => {}
    }
    if let Some(key) = &attempt.key {
        match db::idempotent_response(conn, petition, key)? {
            Some(stored) if stored.request == attempt.canonical => {
                return Ok(Outcome::Replay(stored.response))
            }
            Some(_) => return Ok(Outcome::KeyReused),
            None => {}
        }
    }
    if let Err(seconds) = limiter.check(attempt.client, Instant::now()) {
        return Ok(Outcome::RateLimited(seconds));
    }
    let (status, body) = match confirming_at {
        None => {
            let count = db::insert_signature(conn, &attempt.signature)?;
            let body = serde_json::to_string(&SignResponse {
                count: count + offset,
            });
            (201, body)
        }
        Some(now) => {
            let count = confirmation::sign_pending(conn, &attempt.signature, now)?;
            let body = serde_json::to_string(&PendingResponse {
                count: count + offset,
                status: PENDING_CONFIRMATION.into(),
            });
            (202, body)
        }
    };
    let body = body.expect("a count serialises");
    if let Some(key) = &attempt.key {
        let stored = StoredResponse {
            request: attempt.canonical.clone(),
            status,
            response: body.clone(),
        };
        db::store_response(conn, petition, key, &attempt.signature.email, &stored)?;
    }
    Ok(if status == 202 {
        Outcome::Pending(body)
    } else {
        Outcome::Created(body)
    })
}

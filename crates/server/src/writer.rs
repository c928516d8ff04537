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

/// How an attempt was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Recorded (or already signed by this address): the `201` body.
    Created(String),
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
    attempt: Attempt,
    reply: oneshot::Sender<Result<Outcome, WriteError>>,
}

/// The handle handlers use; the thread stops when the last handle is dropped.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread on `store`; it publishes the counts to `petitions` after each
    /// commit. `count_offset` is added to the counts it answers.
    pub fn spawn(
        store: Store,
        petitions: Arc<Petitions>,
        limiter: RateLimiter,
        count_offset: u64,
    ) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let writer = Thread {
            store,
            petitions,
            limiter,
            offset: count_offset,
        };
        thread::Builder::new()
            .name("petitie-writer".into())
            .spawn(move || writer.run(queue))?;
        Ok(Self { jobs })
    }

    pub async fn sign(&self, attempt: Attempt) -> Result<Outcome, WriteError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { attempt, reply })
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
        let (limiter, offset) = (&mut self.limiter, self.offset);
        let mut batch = match self.store.batch() {
            Ok(batch) => batch,
            Err(e) => return failed(e),
        };
        let outcomes: Vec<_> = jobs
            .iter()
            .map(|job| {
                batch
                    .attempt(|conn| decide(conn, limiter, offset, &job.attempt))
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

/// The contract's order: petition, idempotency key, rate limit, then the signature.
fn decide(
    conn: &rusqlite::Connection,
    limiter: &mut RateLimiter,
    offset: u64,
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
    let count = db::insert_signature(conn, &attempt.signature)?;
    let body = serde_json::to_string(&petitie_core::contract::SignResponse {
        count: count + offset,
    })
    .expect("a count serialises");
    if let Some(key) = &attempt.key {
        let stored = StoredResponse {
            request: attempt.canonical.clone(),
            status: 201,
            response: body.clone(),
        };
        db::store_response(conn, petition, key, &attempt.signature.email, &stored)?;
    }
    Ok(Outcome::Created(body))
}

//! How the sign form sends a signature, as rules without a browser: one attempt per signature
//! (its idempotency key reused for every retry of exactly that signature), bounded retries
//! with backoff when no answer comes, waiting for the connection while offline, and waiting
//! out the server's rate limit. The app's `submission` module drives these rules.

use crate::contract::SignatureRequest;
use crate::retry::sign_retry_delay_ms;

/// One signing attempt: the body as first sent, under one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub key: String,
    pub body: SignatureRequest,
}

impl Attempt {
    /// The attempt that sends `body`: `pending` (same key, its body as first sent) when it
    /// sends the same signature, or a new one under `new_key()`. Only the time taken to fill
    /// in the form (`elapsed_ms`) may differ between tries of one attempt.
    pub fn reuse_or_new(
        pending: Option<Attempt>,
        body: SignatureRequest,
        new_key: impl FnOnce() -> String,
    ) -> Attempt {
        let same = |a: &SignatureRequest| {
            SignatureRequest {
                elapsed_ms: body.elapsed_ms,
                ..a.clone()
            } == body
        };
        match pending {
            Some(pending) if same(&pending.body) => pending,
            _ => Attempt {
                key: new_key(),
                body,
            },
        }
    }
}

/// Why a try did not record the signature, as far as sending goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No answer, a server error or an unreadable answer: worth trying again with the key.
    NoAnswer,
    /// The server's rate limit, with its `Retry-After` in seconds when it sent one.
    RateLimited { retry_after_s: Option<u32> },
}

/// What to do after a failed try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Try again with the same key after this many milliseconds.
    RetryIn(u32),
    /// Wait until the browser is online again, then try again with the same key.
    WaitForConnection,
    /// Wait out the limit for this many seconds; then the supporter sends again.
    WaitOutLimit(u32),
    /// Stop: the form offers to try again.
    GiveUp,
}

/// What follows failure `failure` of a try, after `retries` automatic retries of this attempt,
/// while the browser is `online` or not.
pub fn after(failure: Failure, retries: u32, online: bool) -> Next {
    match failure {
        Failure::RateLimited { retry_after_s } => {
            Next::WaitOutLimit(retry_after_s.unwrap_or(60).clamp(1, 3600))
        }
        Failure::NoAnswer if !online => Next::WaitForConnection,
        Failure::NoAnswer => sign_retry_delay_ms(retries + 1).map_or(Next::GiveUp, Next::RetryIn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(first_name: &str, elapsed_ms: u64) -> SignatureRequest {
        SignatureRequest {
            first_name: first_name.into(),
            last_name: "van der Berg".into(),
            email: "anna@example.nl".into(),
            phone: None,
            locale: "nl".into(),
            attribution: Default::default(),
            website: String::new(),
            elapsed_ms,
        }
    }

    #[test]
    fn the_same_signature_is_sent_again_under_its_key() {
        let first = Attempt::reuse_or_new(None, body("Anna", 8_400), || "k1".into());
        assert_eq!(first.key, "k1");
        // Later, so with more time taken: still the same attempt, as first sent.
        let again = Attempt::reuse_or_new(Some(first.clone()), body("Anna", 30_000), || {
            unreachable!("no new key for the same signature")
        });
        assert_eq!(again, first);
    }

    #[test]
    fn a_changed_signature_is_a_new_attempt() {
        let first = Attempt::reuse_or_new(None, body("Anna", 8_400), || "k1".into());
        let changed = Attempt::reuse_or_new(Some(first), body("Anne", 9_000), || "k2".into());
        assert_eq!(changed.key, "k2");
        assert_eq!(changed.body.first_name, "Anne");
        let mut honeypot = body("Anne", 9_000);
        honeypot.website = "x".into();
        let filled = Attempt::reuse_or_new(Some(changed), honeypot, || "k3".into());
        assert_eq!(filled.key, "k3");
    }

    #[test]
    fn retries_without_an_answer_back_off_then_give_up() {
        let table = [
            (Failure::NoAnswer, 0, true, Next::RetryIn(1_000)),
            (Failure::NoAnswer, 1, true, Next::RetryIn(2_000)),
            (Failure::NoAnswer, 2, true, Next::RetryIn(4_000)),
            (Failure::NoAnswer, 3, true, Next::GiveUp),
            (Failure::NoAnswer, 0, false, Next::WaitForConnection),
            // Offline does not use up the retries.
            (Failure::NoAnswer, 3, false, Next::WaitForConnection),
        ];
        for (failure, retries, online, next) in table {
            assert_eq!(
                after(failure, retries, online),
                next,
                "{failure:?} {retries} {online}"
            );
        }
    }

    #[test]
    fn a_rate_limit_is_waited_out_for_as_long_as_the_server_says_within_bounds() {
        for (retry_after_s, seconds) in [
            (Some(30), 30),
            (None, 60),
            (Some(0), 1),
            (Some(86_400), 3_600),
        ] {
            for online in [true, false] {
                assert_eq!(
                    after(Failure::RateLimited { retry_after_s }, 0, online),
                    Next::WaitOutLimit(seconds)
                );
            }
        }
    }
}

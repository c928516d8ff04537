//! Signatures per client address per minute, over a sliding window kept in memory.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// The window the limit counts in.
pub const WINDOW: Duration = Duration::from_secs(60);
/// How often addresses not seen for a whole window are forgotten.
const SWEEP: Duration = Duration::from_secs(10);

pub struct RateLimiter {
    per_minute: u32,
    seen: HashMap<IpAddr, VecDeque<Instant>>,
    swept: Option<Instant>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            seen: HashMap::new(),
            swept: None,
        }
    }

    /// Takes one request from `ip`'s allowance at `now`, or says after how many whole seconds
    /// the next one is allowed.
    pub fn check(&mut self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        // Behind a proxy every supporter is an address of their own: forget the ones whose
        // window has passed, now and then rather than at every request.
        if self.swept.is_none_or(|t| now.duration_since(t) >= SWEEP) {
            self.swept = Some(now);
            self.seen.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < WINDOW)
            });
        }
        let times = self.seen.entry(ip).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            times.pop_front();
        }
        verdict(
            times.len(),
            times.front().map(|oldest| now.duration_since(*oldest)),
            self.per_minute,
        )?;
        times.push_back(now);
        Ok(())
    }
}

/// Whether one more request is allowed when `hits` were taken in the window, the oldest of
/// them `oldest_age` ago; if not, after how many whole seconds it is. Also used by the
/// PostgreSQL store, which keeps the hits in the database for every instance.
pub fn verdict(hits: usize, oldest_age: Option<Duration>, per_minute: u32) -> Result<(), u64> {
    if hits as u64 >= u64::from(per_minute) {
        let wait = WINDOW.saturating_sub(oldest_age.unwrap_or_default());
        return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_configured_number_per_minute_then_says_how_long_to_wait() {
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let start = Instant::now();
        let mut limiter = RateLimiter::new(2);
        assert_eq!(limiter.check(ip, start), Ok(()));
        assert_eq!(limiter.check(ip, start + Duration::from_secs(10)), Ok(()));
        assert_eq!(limiter.check(ip, start + Duration::from_secs(20)), Err(40));
        assert_eq!(limiter.check(ip, start + Duration::from_secs(60)), Ok(()));
    }

    #[test]
    fn says_how_long_to_wait_from_the_oldest_hit_in_the_window() {
        let s = Duration::from_secs;
        // (hits in the window, the oldest one's age, the limit, the verdict)
        type Case = (usize, Option<Duration>, u32, Result<(), u64>);
        let table: &[Case] = &[
            (0, None, 5, Ok(())),
            (4, Some(s(59)), 5, Ok(())),
            (5, Some(s(20)), 5, Err(40)),
            (5, Some(Duration::from_millis(59_500)), 5, Err(1)),
            (5, Some(s(60)), 5, Err(1)),
            (1, Some(s(0)), 1, Err(60)),
            (0, None, 0, Err(60)),
        ];
        for (hits, age, per_minute, expected) in table {
            assert_eq!(
                verdict(*hits, *age, *per_minute),
                *expected,
                "{hits} {age:?}"
            );
        }
    }

    #[test]
    fn counts_each_address_separately() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(1);
        assert_eq!(limiter.check("10.0.0.1".parse().unwrap(), start), Ok(()));
        assert_eq!(limiter.check("10.0.0.2".parse().unwrap(), start), Ok(()));
        assert!(limiter.check("10.0.0.1".parse().unwrap(), start).is_err());
    }

    #[test]
    fn forgets_addresses_whose_window_has_passed() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(1);
        for i in 0..100u8 {
            assert_eq!(limiter.check(IpAddr::from([10, 0, 0, i]), start), Ok(()));
        }
        assert_eq!(limiter.seen.len(), 100);
        let later = start + WINDOW + SWEEP;
        assert_eq!(limiter.check("10.0.1.1".parse().unwrap(), later), Ok(()));
        assert_eq!(limiter.seen.len(), 1);
    }
}

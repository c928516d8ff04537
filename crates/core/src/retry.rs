//! Backoff schedules for the sign retries and the count polling.

/// Delay before automatic retry number `attempt` (1-based) of a failed signature:
/// 1 s, 2 s, 4 s. `None` once the bounded retries are used up.
pub fn sign_retry_delay_ms(attempt: u32) -> Option<u32> {
    const RETRIES: u32 = 3;
    (1..=RETRIES)
        .contains(&attempt)
        .then(|| 1000 << (attempt - 1))
}

/// The count poll's next delay: the configured interval with ±20% jitter (`jitter` in
/// 0..1 from the caller's random source), doubled per consecutive failure up to 5 minutes,
/// and never shorter than the server's `Retry-After`.
pub fn poll_delay_ms(
    interval_s: u32,
    failures: u32,
    jitter: f64,
    retry_after_s: Option<u32>,
) -> u32 {
    const MAX_MS: u64 = 5 * 60 * 1000;
    let base = u64::from(interval_s.max(1)) * 1000;
    let backoff = base
        .saturating_mul(1u64 << failures.min(16))
        .min(MAX_MS.max(base));
    let factor = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    let jittered = (backoff as f64 * factor) as u64;
    let floor = u64::from(retry_after_s.unwrap_or(0)) * 1000;
    jittered.max(floor).min(u64::from(u32::MAX)) as u32
}

/// Reads a `Retry-After` header given in seconds; dates and garbage are ignored.
pub fn parse_retry_after(value: &str) -> Option<u32> {
    value.trim().parse::<u32>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_retries_back_off_and_stop() {
        assert_eq!(sign_retry_delay_ms(0), None);
        assert_eq!(sign_retry_delay_ms(1), Some(1000));
        assert_eq!(sign_retry_delay_ms(2), Some(2000));
        assert_eq!(sign_retry_delay_ms(3), Some(4000));
        assert_eq!(sign_retry_delay_ms(4), None);
    }

    #[test]
    fn poll_delay_jitters_within_twenty_percent() {
        assert_eq!(poll_delay_ms(30, 0, 0.0, None), 24_000);
        assert_eq!(poll_delay_ms(30, 0, 0.5, None), 30_000);
        assert_eq!(poll_delay_ms(30, 0, 1.0, None), 36_000);
    }

    #[test]
    fn poll_delay_backs_off_up_to_five_minutes() {
        assert_eq!(poll_delay_ms(30, 1, 0.5, None), 60_000);
        assert_eq!(poll_delay_ms(30, 3, 0.5, None), 240_000);
        assert_eq!(poll_delay_ms(30, 4, 0.5, None), 300_000);
        assert_eq!(poll_delay_ms(30, 60, 0.5, None), 300_000);
    }

    #[test]
    fn poll_delay_honours_retry_after() {
        assert_eq!(poll_delay_ms(30, 0, 0.5, Some(120)), 120_000);
        assert_eq!(poll_delay_ms(30, 0, 0.5, Some(5)), 30_000);
    }

    #[test]
    fn reads_retry_after_seconds_only() {
        assert_eq!(parse_retry_after(" 30 "), Some(30));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }
}

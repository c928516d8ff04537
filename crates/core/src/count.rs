//! The signature count: formatting per language, the count-up animation's easing and the
//! milestones toward the goal.

use crate::lang::Lang;

/// Formats a count for the language: "41.235" in Dutch, "41,235" in English.
pub fn format_count(n: u64, lang: Lang) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(lang.thousands_separator());
        }
        out.push(c);
    }
    out
}

/// Ease-out cubic: fast start, gentle landing. `t` is clamped to 0..=1.
pub fn ease_out(t: f64) -> f64 {
    let t = if t.is_nan() { 1.0 } else { t.clamp(0.0, 1.0) };
    1.0 - (1.0 - t).powi(3)
}

/// The number to show at `elapsed_ms` of an animation from `from` to `to` lasting
/// `duration_ms`. Rises monotonically, never overshoots, and ends exactly on `to`; a
/// decrease (or a zero duration) jumps straight to `to`.
pub fn animated_value(from: u64, to: u64, elapsed_ms: f64, duration_ms: f64) -> u64 {
    if to <= from || duration_ms <= 0.0 || elapsed_ms >= duration_ms {
        return to;
    }
    let progress = ease_out(elapsed_ms / duration_ms);
    let step = ((to - from) as f64 * progress).floor() as u64;
    from.saturating_add(step).min(to)
}

/// Where the count stands against the configured milestones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Milestones already reached, lowest first.
    pub reached: Vec<u64>,
    /// The first milestone above the count, if there is one.
    pub next: Option<u64>,
    /// Signatures still needed for `next`.
    pub remaining: u64,
    /// Progress toward `next` in permille (0..=1000), from zero.
    pub permille: u32,
}

/// `values` in ascending order, each once. Sorted by inserting in place: a handful of
/// milestones, and no sort routine in the wasm.
pub fn ascending(values: impl IntoIterator<Item = u64>) -> Vec<u64> {
    let mut sorted: Vec<u64> = Vec::new();
    for value in values {
        if let Err(i) = sorted.binary_search(&value) {
            sorted.insert(i, value);
        }
    }
    sorted
}

/// Progress toward the next milestone. Milestones need not be sorted; a count exactly on
/// a milestone counts it as reached.
pub fn progress(count: u64, milestones: &[u64]) -> Progress {
    let sorted = ascending(milestones.iter().copied().filter(|m| *m > 0));
    let reached: Vec<u64> = sorted.iter().copied().filter(|m| *m <= count).collect();
    let next = sorted.iter().copied().find(|m| *m > count);
    let (remaining, permille) = match next {
        Some(goal) => (goal - count, ((count as u128 * 1000) / goal as u128) as u32),
        None => (0, 1000),
    };
    Progress {
        reached,
        next,
        remaining,
        permille,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_counts_with_each_languages_thousands_separators() {
        for (n, dutch, english) in [
            (0, "0", "0"),
            (7, "7", "7"),
            (999, "999", "999"),
            (1_000, "1.000", "1,000"),
            (41_230, "41.230", "41,230"),
            (100_000, "100.000", "100,000"),
            (1_000_000, "1.000.000", "1,000,000"),
            (
                u64::MAX,
                "18.446.744.073.709.551.615",
                "18,446,744,073,709,551,615",
            ),
        ] {
            assert_eq!(format_count(n, Lang::Nl), dutch);
            assert_eq!(format_count(n, Lang::En), english);
        }
    }

    #[test]
    fn easing_starts_at_zero_ends_at_one_and_never_leaves_that_range() {
        assert_eq!(ease_out(0.0), 0.0);
        assert_eq!(ease_out(1.0), 1.0);
        assert_eq!(ease_out(-3.0), 0.0);
        assert_eq!(ease_out(7.0), 1.0);
        assert_eq!(ease_out(f64::NAN), 1.0);
        assert!(ease_out(0.5) > 0.5, "ease-out is ahead of linear halfway");
    }

    #[test]
    fn animation_rises_monotonically_and_lands_exactly_on_the_target() {
        for (from, to) in [
            (0, 41_235),
            (41_235, 41_236),
            (0, 1),
            (0, u64::MAX),
            (10, 1_000_000),
        ] {
            let mut last = from;
            for ms in 0..=1600 {
                let shown = animated_value(from, to, ms as f64, 1500.0);
                assert!(shown >= last, "{from}->{to} fell at {ms} ms");
                assert!(shown <= to, "{from}->{to} overshot at {ms} ms");
                last = shown;
            }
            assert_eq!(animated_value(from, to, 1500.0, 1500.0), to);
        }
    }

    #[test]
    fn animation_jumps_on_a_decrease_or_zero_duration() {
        assert_eq!(animated_value(500, 400, 10.0, 1500.0), 400);
        assert_eq!(animated_value(0, 400, 0.0, 0.0), 400);
        assert_eq!(animated_value(7, 7, 0.0, 1500.0), 7);
    }

    #[test]
    fn progress_below_the_first_milestone() {
        let p = progress(1_234, &[10_000, 25_000, 50_000]);
        assert_eq!(p.reached, Vec::<u64>::new());
        assert_eq!(p.next, Some(10_000));
        assert_eq!(p.remaining, 8_766);
        assert_eq!(p.permille, 123);
    }

    #[test]
    fn progress_exactly_on_a_milestone_counts_it_as_reached() {
        let p = progress(25_000, &[50_000, 10_000, 25_000]);
        assert_eq!(p.reached, vec![10_000, 25_000]);
        assert_eq!(p.next, Some(50_000));
        assert_eq!(p.remaining, 25_000);
    }

    #[test]
    fn progress_between_milestones() {
        let p = progress(41_235, &[10_000, 25_000, 50_000, 100_000]);
        assert_eq!(p.reached, vec![10_000, 25_000]);
        assert_eq!(p.next, Some(50_000));
        assert_eq!(p.remaining, 8_765);
        assert_eq!(p.permille, 824);
    }

    #[test]
    fn progress_beyond_the_last_milestone_has_no_next_goal() {
        let p = progress(150_000, &[10_000, 100_000]);
        assert_eq!(p.reached, vec![10_000, 100_000]);
        assert_eq!(p.next, None);
        assert_eq!(p.permille, 1000);
        assert_eq!(progress(5, &[]).next, None);
        assert_eq!(progress(u64::MAX, &[u64::MAX]).next, None);
    }
}

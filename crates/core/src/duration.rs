//! Durations as an operator writes them on the command line: `90s`, `30m`, `48h`, `14d`.

use std::time::Duration;

/// A whole number followed by `s`, `m`, `h` or `d`; `None` for anything else (no sign, no
/// fraction, no space, no unit-less number, nothing that overflows).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let unit = text.chars().last()?;
    let seconds_per_unit: u64 = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        _ => return None,
    };
    let number = &text[..text.len() - 1];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds = number.parse::<u64>().ok()?.checked_mul(seconds_per_unit)?;
    Some(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whole_numbers_of_seconds_minutes_hours_and_days() {
        for (text, seconds) in [
            ("90s", Some(90)),
            ("30m", Some(1_800)),
            ("48h", Some(172_800)),
            ("14d", Some(1_209_600)),
            ("0s", Some(0)),
            ("", None),
            ("s", None),
            ("48", None),
            ("48 h", None),
            ("-1h", None),
            ("1.5h", None),
            ("2w", None),
            ("48H", None),
            ("99999999999999999999d", None),
            ("١٤d", None),
        ] {
            assert_eq!(
                parse_duration(text),
                seconds.map(Duration::from_secs),
                "{text:?}"
            );
        }
    }
}

//! RFC 3339 timestamps ("2026-03-02T12:00:00+01:00") as milliseconds since the Unix epoch,
//! and back (in UTC): the one reading of times for the petition's opening and closing
//! (`config.json`) and the operator's `export --since`.

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date (year, month, day) of a day since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Milliseconds since the Unix epoch as RFC 3339 in UTC with milliseconds
/// ("2026-03-02T12:00:00.000Z"), the form the reference server stores.
pub fn format_rfc3339_ms(ms: i64) -> String {
    let (days, ms_of_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1000 % 60,
        ms_of_day % 1000,
    );
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

fn number(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses an RFC 3339 date-time with a `Z` or `±hh:mm` offset; `None` when malformed.
pub fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() < 20 || !s.is_ascii() {
        return None;
    }
    let (date, rest) = s.split_at(10);
    let sep = rest.as_bytes()[0];
    if !matches!(sep, b'T' | b't' | b' ') {
        return None;
    }
    let rest = &rest[1..];
    let d: Vec<&str> = date.split('-').collect();
    if d.len() != 3 || d[0].len() != 4 || d[1].len() != 2 || d[2].len() != 2 {
        return None;
    }
    let (y, mo, day) = (number(d[0])?, number(d[1])?, number(d[2])?);
    let (time, offset_min) = if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        (t, 0)
    } else {
        let at = rest.rfind(['+', '-'])?;
        let (t, off) = rest.split_at(at);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (oh, om) = off[1..].split_once(':')?;
        if oh.len() != 2 || om.len() != 2 {
            return None;
        }
        let (oh, om) = (number(oh)?, number(om)?);
        if oh > 23 || om > 59 {
            return None;
        }
        (t, sign * (oh * 60 + om))
    };
    let (hms, frac) = match time.split_once('.') {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (time, None),
    };
    let t: Vec<&str> = hms.split(':').collect();
    if t.len() != 3 || t.iter().any(|p| p.len() != 2) {
        return None;
    }
    let (h, mi, sec) = (number(t[0])?, number(t[1])?, number(t[2])?);
    let millis = match frac {
        Some(f) => {
            let ms: String = f.chars().chain("000".chars()).take(3).collect();
            number(f)?;
            number(&ms)?
        }
        None => 0,
    };
    let days_in_month = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > days_in_month || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = days_from_civil(y, mo, day);
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    Some(secs * 1000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utc_and_offsets() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339_ms("2026-03-02T12:00:00Z"),
            Some(1_772_452_800_000)
        );
        assert_eq!(
            parse_rfc3339_ms("2026-03-02T13:00:00+01:00"),
            Some(1_772_452_800_000)
        );
        assert_eq!(
            parse_rfc3339_ms("2026-03-02T11:30:00-00:30"),
            Some(1_772_452_800_000)
        );
        assert_eq!(
            parse_rfc3339_ms("2026-03-02T12:00:00.250Z"),
            Some(1_772_452_800_250)
        );
        assert_eq!(
            parse_rfc3339_ms("2024-02-29T00:00:00Z"),
            Some(1_709_164_800_000)
        );
    }

    #[test]
    fn formats_in_utc_and_reads_back() {
        for (ms, text) in [
            (0, "1970-01-01T00:00:00.000Z"),
            (1_772_452_800_250, "2026-03-02T12:00:00.250Z"),
            (1_709_164_800_000, "2024-02-29T00:00:00.000Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
        ] {
            assert_eq!(format_rfc3339_ms(ms), text);
            assert_eq!(parse_rfc3339_ms(text), Some(ms));
        }
    }

    #[test]
    fn rejects_malformed_timestamps() {
        for s in [
            "",
            "2026-03-02",
            "2026-03-02T12:00:00",
            "2026-13-02T12:00:00Z",
            "2025-02-29T12:00:00Z",
            "2026-03-02T25:00:00Z",
            "2026-03-02T12:00:00+1:00",
            "morgen om twaalf uur!!",
            "2026-03-02T12:00:00.xZ",
            "２０２６-03-02T12:00:00Z",
        ] {
            assert_eq!(parse_rfc3339_ms(s), None, "{s:?}");
        }
    }
}

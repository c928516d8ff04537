//! Attribution: where a supporter came from (`sfc`, `utm_*`, referrer, embedding host),
//! read from the landing URL and sent along with the signature.

use std::collections::BTreeMap;

/// Keys the contract allows in `attribution`: the landing address's query parameters, the
/// embedding host, the referrer. Written once; the lists below are its parts.
pub const ALL_KEYS: &[&str] = &[
    "sfc",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "utm_term",
    "embed_host",
    "referrer",
];

/// The query parameters that travel with a signature (`sfc`, `utm_*`).
pub const QUERY_KEYS: &[&str] = ALL_KEYS.split_at(6).0;

/// The keys an export has a column for: all but the referrer (a whole address, which may
/// carry anything).
pub const EXPORTED_KEYS: &[&str] = ALL_KEYS.split_at(7).0;

/// The longest value kept, in characters.
pub const MAX_VALUE_CHARS: usize = 200;

/// Only keys that were present; values are inert strings of at most 200 characters. Sorted
/// by key, so the wire format and the stored JSON are the same for the same attribution.
pub type Attribution = BTreeMap<String, String>;

/// Decodes `%XX` escapes and `+` as a space; invalid escapes are kept as written and
/// invalid UTF-8 is replaced.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a query string (with or without the leading `?`) into decoded pairs.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(pair), String::new()),
        })
        .collect()
}

/// Cuts a value to the maximum length and drops control characters.
pub fn clean_value(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
        .take(MAX_VALUE_CHARS)
        .collect()
}

/// Direction overrides and zero-width characters: invisible, and able to make a value read
/// differently in a report than what it is.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Reads the attribution parameters from a landing URL's query string. A key given twice
/// keeps its first value.
pub fn from_query(query: &str) -> Attribution {
    let mut out = Attribution::new();
    for (key, value) in query_pairs(query) {
        if QUERY_KEYS.contains(&key.as_str()) && !out.contains_key(&key) {
            out.insert(key, clean_value(&value));
        }
    }
    out
}

/// Keeps only the contract's keys, with clean values; used by the server on what it receives.
pub fn sanitise(input: &Attribution) -> Attribution {
    input
        .iter()
        .filter(|(k, _)| ALL_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), clean_value(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_campaign_parameters_from_the_landing_url() {
        let a = from_query("?sfc=701P400000kF7Q7IAK&utm_medium=link&utm_source=pr&utm_campaign=2026_c1&utm_content=pr&utm_term=");
        assert_eq!(a.get("sfc").map(String::as_str), Some("701P400000kF7Q7IAK"));
        assert_eq!(a.get("utm_campaign").map(String::as_str), Some("2026_c1"));
        assert_eq!(a.get("utm_term").map(String::as_str), Some(""));
        assert_eq!(a.len(), 6);
    }

    #[test]
    fn ignores_other_parameters_and_keeps_the_first_of_a_repeated_one() {
        let a = from_query("demo=slow&utm_source=a&utm_source=b&api_base_url=https://evil.example");
        assert_eq!(a.len(), 1);
        assert_eq!(a["utm_source"], "a");
    }

    #[test]
    fn decodes_escapes_and_keeps_hostile_text_inert_and_short() {
        let a = from_query("utm_content=%3Cscript%3Ealert(1)%3C%2Fscript%3E&utm_term=a+b%ZZ%");
        assert_eq!(a["utm_content"], "<script>alert(1)</script>");
        assert_eq!(a["utm_term"], "a b%ZZ%");
        let long = format!("sfc={}", "x".repeat(10_000));
        assert_eq!(from_query(&long)["sfc"].chars().count(), MAX_VALUE_CHARS);
        assert_eq!(from_query("sfc=a%0Ab%00c")["sfc"], "abc");
        assert_eq!(from_query("sfc=%FF%FE")["sfc"], "\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn sanitise_drops_unknown_keys() {
        let mut a = Attribution::new();
        a.insert("utm_source".into(), "pr".into());
        a.insert("password".into(), "x".into());
        a.insert("referrer".into(), "r".repeat(500));
        let s = sanitise(&a);
        assert_eq!(s.len(), 2);
        assert_eq!(s["referrer"].len(), MAX_VALUE_CHARS);
    }

    #[test]
    fn drops_direction_overrides_and_zero_width_characters() {
        assert_eq!(clean_value("abc\u{202E}fed\u{200B}x\u{FEFF}"), "abcfedx");
        assert_eq!(clean_value("nieuwsbrief\u{2066}"), "nieuwsbrief");
    }
}

//! Lower-casing without Unicode's full case table, which costs the wasm about 5 KB brotli.
//!
//! E-mail domains are compared lower-cased (the contract: "domain lower-cased"). Domains
//! people type here use the Latin, Greek and Cyrillic alphabets; their capitals are mapped
//! exactly as Unicode maps them. Capitals of other scripts are kept as typed: the server
//! folds the whole address again before it compares (and punycode domains are ASCII).

/// `c` lower-cased if it is a capital of ASCII, Latin-1, Latin Extended-A, Greek or the
/// basic Cyrillic alphabet; otherwise `c` itself. The one capital that becomes two
/// characters, "İ", is handled by [`to_lower`].
fn lower_char(c: char) -> char {
    let code = c as u32;
    let lower = match code {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => {
            code + 32
        }
        0x100..=0x12F | 0x132..=0x137 | 0x14A..=0x177 if code.is_multiple_of(2) => code + 1,
        0x139..=0x148 | 0x179..=0x17E if !code.is_multiple_of(2) => code + 1,
        0x178 => 0xFF,
        0x386 => 0x3AC,
        0x388..=0x38A => code + 37,
        0x38C => 0x3CC,
        0x38E..=0x38F => code + 63,
        0x400..=0x40F => code + 80,
        _ => code,
    };
    char::from_u32(lower).unwrap_or(c)
}

/// `text` with the capitals of the Latin, Greek and Cyrillic alphabets lower-cased, as
/// `str::to_lowercase` would; other characters unchanged.
pub fn to_lower(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\u{130}' {
            out.push_str("i\u{307}");
        } else {
            out.push(lower_char(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn std_lower(c: char) -> String {
        c.to_lowercase().collect()
    }

    #[test]
    fn matches_unicode_for_every_latin_greek_and_cyrillic_capital() {
        let covered = (0..=0x17F).chain(0x370..=0x3FF).chain(0x400..=0x45F);
        let mut checked = 0;
        for c in covered.filter_map(char::from_u32) {
            // Greek letters past the basic alphabet (archaic, Coptic) are outside the claim.
            if (0x3CF..=0x3FF).contains(&(c as u32)) || (0x370..=0x385).contains(&(c as u32)) {
                continue;
            }
            assert_eq!(
                to_lower(&c.to_string()),
                std_lower(c),
                "{c:?} U+{:04X}",
                c as u32
            );
            checked += 1;
        }
        assert!(checked > 500);
    }

    #[test]
    fn never_lower_cases_wrongly_anywhere_in_unicode() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let ours = to_lower(&c.to_string());
            assert!(
                ours == c.to_string() || ours == std_lower(c),
                "{c:?} U+{:04X}: {ours:?}",
                c as u32
            );
        }
    }

    #[test]
    fn lower_cases_domains_people_type() {
        assert_eq!(to_lower("Gmail.COM"), "gmail.com");
        assert_eq!(to_lower("BÜCHER.de"), "bücher.de");
        assert_eq!(to_lower("ŁÓDŹ.pl"), "łódź.pl");
        assert_eq!(to_lower("ΠΑΡΆΔΕΙΓΜΑ.gr"), "παράδειγμα.gr");
        assert_eq!(to_lower("ПРИМЕР.РФ"), "пример.рф");
        assert_eq!(to_lower("İSTANBUL.tr"), "i\u{307}stanbul.tr");
        assert_eq!(to_lower("例え.jp"), "例え.jp");
    }
}

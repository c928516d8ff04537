//! Names (first and last): trimmed, inner whitespace collapsed, letters of any script.

use crate::FieldError;

/// The longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Trims and collapses every run of whitespace to one space.
pub fn normalise_name(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Combining marks used with Latin, Greek and Cyrillic letters ("e" + U+0301), which
/// `char::is_alphabetic` does not count as letters.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn is_name_char(c: char) -> bool {
    (c.is_alphabetic() && !c.is_ascii_digit())
        || is_combining_mark(c)
        || matches!(c, ' ' | '-' | '\'' | '\u{2019}' | '.')
}

/// True for something that reads like a web address: "www.", a scheme, or a word with a
/// dot followed by a top-level domain ("example.nl").
fn looks_like_web_address(name: &str) -> bool {
    // Only ASCII matters here: "www.", "http" and an ASCII top-level domain.
    let lower = name.to_ascii_lowercase();
    if lower.contains("www.") || lower.contains("http") {
        return true;
    }
    lower.split(' ').any(|word| match word.rsplit_once('.') {
        Some((before, tld)) => {
            before.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && tld.chars().count() >= 2
                && tld.chars().all(|c| c.is_ascii_lowercase())
        }
        None => false,
    })
}

/// Validates a first or last name and returns it normalised.
pub fn validate_name(input: &str) -> Result<String, FieldError> {
    let name = normalise_name(input);
    if name.is_empty() {
        return Err(FieldError::Required);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(FieldError::TooLong);
    }
    if name.starts_with(['=', '+', '-', '@']) {
        return Err(FieldError::NameLeadingSymbol);
    }
    if !name.chars().all(is_name_char)
        || !name.chars().any(char::is_alphabetic)
        || looks_like_web_address(&name)
    {
        return Err(FieldError::NameCharacters);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_names_people_have() {
        for (input, expected) in [
            ("Anna", "Anna"),
            ("  Anna  ", "Anna"),
            ("van der Berg", "van der Berg"),
            ("van   der\tBerg", "van der Berg"),
            ("Jan-Willem", "Jan-Willem"),
            ("d'Hondt", "d'Hondt"),
            ("O\u{2019}Brien", "O\u{2019}Brien"),
            ("J.P.", "J.P."),
            ("Zoë", "Zoë"),
            ("Zoe\u{0301}", "Zoe\u{0301}"),
            ("Çelik", "Çelik"),
            ("Łukasz", "Łukasz"),
            ("Мария", "Мария"),
            ("محمد", "محمد"),
            ("李", "李"),
            ("Ngũgĩ", "Ngũgĩ"),
        ] {
            assert_eq!(validate_name(input).as_deref(), Ok(expected), "{input:?}");
        }
    }

    #[test]
    fn rejects_empty_and_whitespace_only_names_as_required() {
        for input in ["", " ", "\t\n", "\u{3000}"] {
            assert_eq!(validate_name(input), Err(FieldError::Required), "{input:?}");
        }
    }

    #[test]
    fn rejects_names_with_digits_at_signs_or_addresses() {
        for input in [
            "Anna1",
            "4nna",
            "anna@example.nl",
            "www.example.nl",
            "http://x",
            "example.com",
            "Anna <b>",
            "Anna\u{202E}",
            "An\u{200B}na",
            "...",
            "'",
            "Anna_Berg",
            "Anna;",
            "١٢٣",
        ] {
            assert_eq!(
                validate_name(input),
                Err(FieldError::NameCharacters),
                "{input:?}"
            );
        }
    }

    #[test]
    fn rejects_a_leading_formula_symbol() {
        for input in ["=SUM(A1)", "=Anna", "+Anna", "-Anna", "@Anna"] {
            assert_eq!(
                validate_name(input),
                Err(FieldError::NameLeadingSymbol),
                "{input:?}"
            );
        }
    }

    #[test]
    fn limits_names_to_100_characters() {
        let hundred = "é".repeat(100);
        assert_eq!(validate_name(&hundred), Ok(hundred.clone()));
        assert_eq!(validate_name(&"a".repeat(101)), Err(FieldError::TooLong));
        assert_eq!(validate_name(&"a".repeat(10_000)), Err(FieldError::TooLong));
    }
}

//! Phone numbers: optional; Dutch numbers in any common writing and international numbers
//! with a country code, normalised to E.164 ("+31612345678").

use crate::FieldError;

/// Longest input looked at; anything longer is refused before parsing.
const MAX_PHONE_INPUT_CHARS: usize = 40;

/// Validates an optional phone number. Empty or whitespace-only input is `Ok(None)`.
pub fn validate_phone(input: &str) -> Result<Option<String>, FieldError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > MAX_PHONE_INPUT_CHARS {
        return Err(FieldError::PhoneTooLong);
    }
    if trimmed.chars().any(char::is_alphabetic) {
        return Err(FieldError::PhoneLetters);
    }
    // "+31 (0)6 …": the trunk zero in brackets is written but never dialled.
    let without_trunk = trimmed.replacen("(0)", "", 1);
    let mut digits = String::new();
    let mut plus = false;
    for (i, c) in without_trunk.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{00A0}' => {}
            _ => return Err(FieldError::PhoneInvalid),
        }
    }
    if !plus && digits.starts_with("00") {
        plus = true;
        digits.drain(..2);
    }
    if plus {
        if let Some(national) = digits.strip_prefix("31") {
            return dutch(national.strip_prefix('0').unwrap_or(national));
        }
        return international(&digits);
    }
    match digits.strip_prefix('0') {
        Some(national) => dutch(national),
        // "612345678": a mobile number without its leading zero.
        None if digits.len() == 9 && digits.starts_with('6') => dutch(&digits),
        None if digits.len() < 9 => Err(FieldError::PhoneTooShort),
        None => Err(FieldError::PhoneInvalid),
    }
}

/// A Dutch number without the leading 0 has nine digits; area codes never start with 0.
fn dutch(national: &str) -> Result<Option<String>, FieldError> {
    match national.len() {
        n if n < 9 => Err(FieldError::PhoneTooShort),
        n if n > 9 => Err(FieldError::PhoneTooLong),
        _ if national.starts_with('0') => Err(FieldError::PhoneInvalid),
        _ => Ok(Some(format!("+31{national}"))),
    }
}

/// Country code plus number: E.164 allows 15 digits; fewer than 8 is not a subscriber.
fn international(digits: &str) -> Result<Option<String>, FieldError> {
    match digits.len() {
        n if n < 8 => Err(FieldError::PhoneTooShort),
        n if n > 15 => Err(FieldError::PhoneTooLong),
        _ if digits.starts_with('0') => Err(FieldError::PhoneInvalid),
        _ => Ok(Some(format!("+{digits}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_dutch_numbers_in_any_common_writing() {
        for (input, expected) in [
            ("06 12345678", "+31612345678"),
            ("0612345678", "+31612345678"),
            ("06-1234 5678", "+31612345678"),
            ("06-12 34 56 78", "+31612345678"),
            ("+31 6 1234 5678", "+31612345678"),
            ("+31612345678", "+31612345678"),
            ("+31 (0)6 1234 5678", "+31612345678"),
            ("0031612345678", "+31612345678"),
            ("0031 6 12345678", "+31612345678"),
            ("612345678", "+31612345678"),
            ("020-123 4567", "+31201234567"),
            ("(010) 1234567", "+31101234567"),
            ("030 - 123 45 67", "+31301234567"),
            ("0591-123456", "+31591123456"),
            (" 06.12.34.56.78 ", "+31612345678"),
        ] {
            assert_eq!(
                validate_phone(input),
                Ok(Some(expected.to_string())),
                "{input:?}"
            );
        }
    }

    #[test]
    fn normalises_international_numbers() {
        for (input, expected) in [
            ("+32 470 12 34 56", "+32470123456"),
            ("+49 30 1234567", "+49301234567"),
            ("0044 20 7946 0958", "+442079460958"),
            ("+1 (202) 555-0143", "+12025550143"),
        ] {
            assert_eq!(
                validate_phone(input),
                Ok(Some(expected.to_string())),
                "{input:?}"
            );
        }
    }

    #[test]
    fn treats_empty_as_not_given() {
        assert_eq!(validate_phone(""), Ok(None));
        assert_eq!(validate_phone("   "), Ok(None));
    }

    #[test]
    fn rejects_letters_with_their_own_message() {
        for input in ["06 1234 567a", "zes nul", "+31 6 ABCDEFGH", "Anna"] {
            assert_eq!(
                validate_phone(input),
                Err(FieldError::PhoneLetters),
                "{input:?}"
            );
        }
    }

    #[test]
    fn says_when_there_are_too_few_digits() {
        for input in ["06 1234", "0612", "+31 6 1234", "12345", "+32 12"] {
            assert_eq!(
                validate_phone(input),
                Err(FieldError::PhoneTooShort),
                "{input:?}"
            );
        }
    }

    #[test]
    fn says_when_there_are_too_many_digits() {
        for input in [
            "06 123456789",
            "+31 6 1234 56789",
            "+12345678901234567",
            &"1".repeat(50),
        ] {
            assert_eq!(
                validate_phone(input),
                Err(FieldError::PhoneTooLong),
                "{input:?}"
            );
        }
    }

    #[test]
    fn rejects_other_shapes() {
        for input in [
            "06*12345678",
            "+31 00 1234 5678",
            "06 1234 5678 #",
            "1234567890",
            "0+612345678",
            "=06123456",
        ] {
            assert_eq!(
                validate_phone(input),
                Err(FieldError::PhoneInvalid),
                "{input:?}"
            );
        }
    }
}

//! Every user-facing message for an error, in one place, taken from the copy file.

use petitie_core::contract::Field;
use petitie_core::FieldError;

use crate::copy::errors as e;

/// The message shown at a field (and in the error summary) for its error.
pub fn field_message(field: Field, error: FieldError) -> &'static str {
    use FieldError::*;
    match (field, error) {
        (Field::FirstName, Required) => e::FIRST_NAME_REQUIRED,
        (Field::FirstName, TooLong) => e::FIRST_NAME_TOO_LONG,
        (Field::FirstName, NameCharacters) => e::FIRST_NAME_CHARACTERS,
        (Field::FirstName, NameLeadingSymbol) => e::FIRST_NAME_LEADING,
        (Field::FirstName, _) => e::FIRST_NAME_INVALID,
        (Field::LastName, Required) => e::LAST_NAME_REQUIRED,
        (Field::LastName, TooLong) => e::LAST_NAME_TOO_LONG,
        (Field::LastName, NameCharacters) => e::LAST_NAME_CHARACTERS,
        (Field::LastName, NameLeadingSymbol) => e::LAST_NAME_LEADING,
        (Field::LastName, _) => e::LAST_NAME_INVALID,
        (Field::Email, Required) => e::EMAIL_REQUIRED,
        (Field::Email, TooLong) => e::EMAIL_TOO_LONG,
        (Field::Email, _) => e::EMAIL_INVALID,
        (Field::Phone, PhoneLetters) => e::PHONE_LETTERS,
        (Field::Phone, PhoneTooShort) => e::PHONE_TOO_SHORT,
        (Field::Phone, PhoneTooLong | TooLong) => e::PHONE_TOO_LONG,
        (Field::Phone, _) => e::PHONE_INVALID,
    }
}

/// The id of a field's input element, for labels and error-summary links.
pub fn input_id(field: Field) -> &'static str {
    match field {
        Field::FirstName => "voornaam",
        Field::LastName => "achternaam",
        Field::Email => "email",
        Field::Phone => "telefoon",
    }
}

//! Every user-facing message for an error, in one place, taken from the copy file.

use petitie_core::contract::Field;
use petitie_core::FieldError;

use crate::copy::errors as e;

/// The message shown at a field (and in the error summary) for its error.
pub fn field_message(field: Field, error: FieldError) -> &'static str {
    use FieldError::*;
    match (field, error) {
        (Field::FirstName, Required) => e::first_name_required(),
        (Field::FirstName, TooLong) => e::first_name_too_long(),
        (Field::FirstName, NameCharacters) => e::first_name_characters(),
        (Field::FirstName, NameLeadingSymbol) => e::first_name_leading(),
        (Field::FirstName, _) => e::first_name_invalid(),
        (Field::LastName, Required) => e::last_name_required(),
        (Field::LastName, TooLong) => e::last_name_too_long(),
        (Field::LastName, NameCharacters) => e::last_name_characters(),
        (Field::LastName, NameLeadingSymbol) => e::last_name_leading(),
        (Field::LastName, _) => e::last_name_invalid(),
        (Field::Email, Required) => e::email_required(),
        (Field::Email, TooLong) => e::email_too_long(),
        (Field::Email, _) => e::email_invalid(),
        (Field::Phone, PhoneLetters) => e::phone_letters(),
        (Field::Phone, PhoneTooShort) => e::phone_too_short(),
        (Field::Phone, PhoneTooLong | TooLong) => e::phone_too_long(),
        (Field::Phone, _) => e::phone_invalid(),
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

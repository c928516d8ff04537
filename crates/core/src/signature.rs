//! A whole signature: every field validated with its own rule, errors in form order.

use crate::contract::Field;
use crate::{email, name, phone, FieldError};

/// What the supporter typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct SignatureInput<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
}

/// The same, validated and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSignature {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// Validates one field.
pub fn validate_field(field: Field, value: &str) -> Result<(), FieldError> {
    match field {
        Field::FirstName | Field::LastName => name::validate_name(value).map(drop),
        Field::Email => email::validate_email(value).map(drop),
        Field::Phone => phone::validate_phone(value).map(drop),
    }
}

/// Validates every field; on failure lists each field's error in form order.
pub fn validate_signature(
    input: SignatureInput<'_>,
) -> Result<ValidSignature, Vec<(Field, FieldError)>> {
    let first_name = name::validate_name(input.first_name);
    let last_name = name::validate_name(input.last_name);
    let email = email::validate_email(input.email);
    let phone = phone::validate_phone(input.phone);
    match (first_name, last_name, email, phone) {
        (Ok(first_name), Ok(last_name), Ok(email), Ok(phone)) => Ok(ValidSignature {
            first_name,
            last_name,
            email,
            phone,
        }),
        (f, l, e, p) => Err([
            (Field::FirstName, f.err()),
            (Field::LastName, l.err()),
            (Field::Email, e.err()),
            (Field::Phone, p.err()),
        ]
        .into_iter()
        .filter_map(|(field, err)| err.map(|e| (field, e)))
        .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_a_valid_signature() {
        let v = validate_signature(SignatureInput {
            first_name: " Anna ",
            last_name: "van  der Berg",
            email: " Anna@Example.NL ",
            phone: "06 12345678",
        })
        .unwrap();
        assert_eq!(v.first_name, "Anna");
        assert_eq!(v.last_name, "van der Berg");
        assert_eq!(v.email, "Anna@example.nl");
        assert_eq!(v.phone.as_deref(), Some("+31612345678"));
    }

    #[test]
    fn lists_every_error_in_form_order() {
        let errors = validate_signature(SignatureInput {
            phone: "abc",
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            errors,
            vec![
                (Field::FirstName, FieldError::Required),
                (Field::LastName, FieldError::Required),
                (Field::Email, FieldError::Required),
                (Field::Phone, FieldError::PhoneLetters),
            ]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn no_input_panics_and_normalising_is_idempotent(
            first in "\\PC{0,120}", last in ".{0,30}", mail in "[a-zA-Z0-9.@+ _-]{0,40}|\\PC{0,300}", tel in "[0-9+() .-]{0,20}|\\PC{0,50}"
        ) {
            let input = SignatureInput { first_name: &first, last_name: &last, email: &mail, phone: &tel };
            if let Ok(v) = validate_signature(input) {
                let again = validate_signature(SignatureInput {
                    first_name: &v.first_name,
                    last_name: &v.last_name,
                    email: &v.email,
                    phone: v.phone.as_deref().unwrap_or(""),
                });
                prop_assert_eq!(again, Ok(v.clone()));
            }
            let _ = email::suggest_email(&mail);
            prop_assert_eq!(name::normalise_name(&name::normalise_name(&first)), name::normalise_name(&first));
            prop_assert_eq!(email::normalise_email(&email::normalise_email(&mail)), email::normalise_email(&mail));
        }

        #[test]
        fn emails_and_phones_that_pass_are_normalised_forms(mail in "[a-z]{1,8}@[a-zA-Z]{1,8}\\.(nl|COM|be)", tel in "(\\+31|0|0031)6[ -]?[0-9]{8}") {
            let e = email::validate_email(&mail).unwrap();
            prop_assert_eq!(e.clone(), e.to_string());
            prop_assert_eq!(email::validate_email(&e), Ok(e.clone()));
            let p = phone::validate_phone(&tel).unwrap().unwrap();
            prop_assert_eq!(phone::validate_phone(&p), Ok(Some(p.clone())));
        }
    }
}

//! petitie-core: the petition's rules without any web or DOM dependency.
//!
//! Shared by the app (compiled to wasm) and the reference server, so both sides validate,
//! normalise and format with exactly the same functions.

pub mod attribution;
pub mod card;
pub mod config;
pub mod contract;
pub mod count;
pub mod duration;
pub mod email;
pub mod headers;
pub mod lang;
pub mod name;
pub mod page;
pub mod phone;
pub mod retry;
pub mod route;
pub mod share;
pub mod signature;
pub mod submission;
pub mod template;
pub mod theme;
pub mod time;
pub mod token;
pub mod uuid;

/// Why a field's value was refused. The client maps each to a Dutch message next to the
/// field; the server reports the contract's code (`required`, `too_long`, `invalid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldError {
    Required,
    TooLong,
    /// A name with a digit, `@`, a web address or a character names do not have.
    NameCharacters,
    /// A name starting with `=`, `+`, `-` or `@` (spreadsheet formula injection).
    NameLeadingSymbol,
    /// An e-mail address that is not shaped like one.
    EmailInvalid,
    PhoneLetters,
    PhoneTooShort,
    PhoneTooLong,
    PhoneInvalid,
    /// The server said `invalid` without saying more.
    Invalid,
}

impl FieldError {
    /// The contract's code for this error.
    pub fn code(self) -> &'static str {
        match self {
            FieldError::Required => "required",
            FieldError::TooLong => "too_long",
            _ => "invalid",
        }
    }

    /// Reads a contract code as sent by a server.
    pub fn from_code(code: &str) -> FieldError {
        match code {
            "required" => FieldError::Required,
            "too_long" => FieldError::TooLong,
            _ => FieldError::Invalid,
        }
    }
}

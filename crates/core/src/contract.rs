//! The HTTP contract's wire types (see docs/api.md), shared by the client and the server.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::attribution::Attribution;

/// `GET /petitions/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    pub id: String,
    pub count: u64,
    pub status: PetitionStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PetitionStatus {
    Open,
    Closed,
}

/// `POST /petitions/{id}/signatures` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureRequest {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default = "default_locale")]
    pub locale: String,
    #[serde(default)]
    pub attribution: Attribution,
    /// The honeypot: people leave it empty.
    #[serde(default)]
    pub website: String,
    /// Time from the form's first render to submit.
    #[serde(default)]
    pub elapsed_ms: u64,
}

fn default_locale() -> String {
    "nl".to_string()
}

/// `201`/`200` answer to a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignResponse {
    pub count: u64,
}

/// Every error answer: `{"error": "...", "fields": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}

/// A field of the sign form, by its contract name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    FirstName,
    LastName,
    Email,
    Phone,
}

impl Field {
    /// In form order.
    pub const ALL: [Field; 4] = [
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Phone,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Email => "email",
            Field::Phone => "phone",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_petition_and_ignores_unknown_fields() {
        let p: Petition = serde_json::from_str(
            r#"{"id":"gezinshulp-eerst","count":41235,"status":"open","goal":1}"#,
        )
        .unwrap();
        assert_eq!(p.count, 41_235);
        assert_eq!(p.status, PetitionStatus::Open);
        assert!(
            serde_json::from_str::<Petition>(r#"{"id":"x","count":-1,"status":"open"}"#).is_err()
        );
        assert!(
            serde_json::from_str::<Petition>(r#"{"id":"x","count":1,"status":"paused"}"#).is_err()
        );
    }

    #[test]
    fn writes_the_signature_body_in_snake_case_with_a_null_phone() {
        let req = SignatureRequest {
            first_name: "Anna".into(),
            last_name: "van der Berg".into(),
            email: "anna@example.nl".into(),
            phone: None,
            locale: "nl".into(),
            attribution: Attribution::new(),
            website: String::new(),
            elapsed_ms: 8400,
        };
        let json = serde_json::to_string(&req).unwrap();
        assert!(json.contains(r#""phone":null"#), "{json}");
        assert!(json.contains(r#""last_name":"van der Berg""#), "{json}");
        assert!(json.contains(r#""elapsed_ms":8400"#), "{json}");
    }

    #[test]
    fn reads_field_errors() {
        let body: ErrorBody = serde_json::from_str(
            r#"{"error":"invalid","fields":{"email":"invalid","first_name":"required"}}"#,
        )
        .unwrap();
        let fields = body.fields.unwrap();
        assert_eq!(fields["email"], "invalid");
        assert_eq!(Field::from_key("first_name"), Some(Field::FirstName));
        assert_eq!(Field::from_key("website"), None);
    }
}

//! The HTTP contract's wire types (see docs/api.md), shared by the client and the server:
//! one serde derive each, so both sides read and write exactly the same JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::attribution::Attribution;

/// `GET /petitions/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    pub id: String,
    pub count: u64,
    pub status: PetitionStatus,
    /// `email` when this backend counts a signature only once its address is confirmed;
    /// `none` or absent otherwise.
    #[serde(default, skip_serializing_if = "Confirmation::is_none")]
    pub confirmation: Confirmation,
}

/// Whether a backend confirms signatures by e-mail before it counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confirmation {
    Email,
    /// `none`, absent, or a way of confirming this client does not know.
    #[default]
    #[serde(other)]
    None,
}

impl Confirmation {
    pub fn is_none(&self) -> bool {
        *self == Confirmation::None
    }
}

/// The `status` of a signature that waits for its confirmation.
pub const PENDING_CONFIRMATION: &str = "pending_confirmation";

/// Any answer to a signature the server took, as the client reads it: `201` (or a retry's
/// `200`) `{"count"}`, or a confirming backend's `{"count", "status": "pending_confirmation"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SignAnswer {
    pub count: u64,
    #[serde(default)]
    pub status: Option<String>,
}

impl SignAnswer {
    /// Stored, but counted only once the address is confirmed.
    pub fn is_pending(&self) -> bool {
        self.status.as_deref() == Some(PENDING_CONFIRMATION)
    }
}

/// `202` answer of a backend that confirms: stored, a confirmation mail on its way; the
/// count is unchanged until the address is confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingResponse {
    pub count: u64,
    /// Always `pending_confirmation`.
    pub status: String,
}

/// Body of `POST …/confirmations` and `POST …/withdrawals`: the token from the mail's link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRequest {
    pub token: String,
}

/// `200` answer to a confirmation: the count with this signature, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmedResponse {
    pub count: u64,
    pub first_name: String,
}

/// Body of `POST …/confirmation-requests`: a new link for this address, if it signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmationRequest {
    pub email: String,
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
mod serde_tests {
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
    fn reads_whether_the_backend_confirms_and_is_not_thrown_by_a_new_way() {
        let read = |json: &str| serde_json::from_str::<Petition>(json).unwrap().confirmation;
        let base = r#""id":"x","count":1,"status":"open""#;
        for (extra, confirmation) in [
            ("", Confirmation::None),
            (r#","confirmation":"email""#, Confirmation::Email),
            (r#","confirmation":"none""#, Confirmation::None),
            (r#","confirmation":"sms""#, Confirmation::None),
        ] {
            assert_eq!(read(&format!("{{{base}{extra}}}")), confirmation, "{extra}");
        }
        // A backend that does not confirm says nothing of it.
        let plain = Petition {
            id: "x".into(),
            count: 1,
            status: PetitionStatus::Open,
            confirmation: Confirmation::None,
        };
        assert!(!serde_json::to_string(&plain)
            .unwrap()
            .contains("confirmation"));
        let pending: PendingResponse =
            serde_json::from_str(r#"{"count":41235,"status":"pending_confirmation"}"#).unwrap();
        assert_eq!(pending.count, 41_235);
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

/// The wire format, written and read back.
#[cfg(test)]
mod wire_tests {
    use super::*;

    fn request(phone: Option<&str>) -> SignatureRequest {
        let mut attribution = Attribution::new();
        attribution.insert("utm_source".into(), "nieuwsbrief \"winter\"".into());
        SignatureRequest {
            first_name: "Zoë".into(),
            last_name: "van der Berg-\\".into(),
            email: "zoe@example.nl".into(),
            phone: phone.map(String::from),
            locale: "nl".into(),
            attribution,
            website: String::new(),
            elapsed_ms: 8400,
        }
    }

    #[test]
    fn the_signature_body_round_trips_unchanged() {
        for phone in [None, Some("+31612345678")] {
            let req = request(phone);
            let text = serde_json::to_string(&req).unwrap();
            let read: SignatureRequest = serde_json::from_str(&text).unwrap();
            assert_eq!(read, req, "{text}");
        }
    }

    #[test]
    fn the_signature_body_has_the_documented_shape() {
        let text = serde_json::to_string(&request(None)).unwrap();
        assert_eq!(
            text,
            r#"{"first_name":"Zoë","last_name":"van der Berg-\\","email":"zoe@example.nl","phone":null,"locale":"nl","attribution":{"utm_source":"nieuwsbrief \"winter\""},"website":"","elapsed_ms":8400}"#
        );
    }

    #[test]
    fn a_minimal_signature_body_gets_the_defaults() {
        let read: SignatureRequest =
            serde_json::from_str(r#"{"first_name":"A","last_name":"B","email":"a@b.nl"}"#).unwrap();
        assert_eq!(read.locale, "nl");
        assert_eq!(read.phone, None);
        assert!(read.attribution.is_empty());
    }

    #[test]
    fn answers_round_trip_unchanged() {
        for status in [PetitionStatus::Open, PetitionStatus::Closed] {
            let p = Petition {
                id: "gezinshulp-eerst".into(),
                count: 41_235,
                status,
                confirmation: Confirmation::None,
            };
            let text = serde_json::to_string(&p).unwrap();
            assert_eq!(serde_json::from_str::<Petition>(&text).unwrap(), p);
        }
        let r = SignResponse { count: u64::MAX };
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(text, format!(r#"{{"count":{}}}"#, u64::MAX));
        assert_eq!(serde_json::from_str::<SignResponse>(&text).unwrap(), r);
        let mut fields = BTreeMap::new();
        fields.insert("email".to_string(), "invalid".to_string());
        fields.insert("first_name".to_string(), "required".to_string());
        for (body, expected) in [
            (
                ErrorBody {
                    error: "invalid".into(),
                    fields: Some(fields),
                },
                r#"{"error":"invalid","fields":{"email":"invalid","first_name":"required"}}"#,
            ),
            (
                ErrorBody {
                    error: "closed".into(),
                    fields: None,
                },
                r#"{"error":"closed"}"#,
            ),
        ] {
            let text = serde_json::to_string(&body).unwrap();
            assert_eq!(text, expected);
            assert_eq!(serde_json::from_str::<ErrorBody>(&text).unwrap(), body);
        }
    }

    #[test]
    fn refuses_answers_that_break_the_contract() {
        for text in [
            r#"{"id":"x","count":-1,"status":"open"}"#,
            r#"{"id":"x","count":1.5,"status":"open"}"#,
            r#"{"id":"x","count":1,"status":"paused"}"#,
            r#"{"id":"x","status":"open"}"#,
            r#"{"id":1,"count":1,"status":"open"}"#,
            r#"[1]"#,
            "",
        ] {
            assert!(serde_json::from_str::<Petition>(text).is_err(), "{text}");
        }
        assert!(serde_json::from_str::<ErrorBody>(r#"{"fields":{}}"#).is_err());
    }
}

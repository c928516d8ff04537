//! The HTTP contract's wire types (see docs/api.md), shared by the client and the server.
//! The server reads and writes them with serde (feature `serde`); the app with the small
//! readers and writer below, which the tests hold to the same wire format.

#[cfg(any(test, feature = "serde"))]
use serde::{Deserialize, Serialize};

use crate::attribution::Attribution;
use crate::json::{self, Value};
use crate::text_map::TextMap;

/// `GET /petitions/{id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(any(test, feature = "serde"), derive(Serialize, Deserialize))]
pub struct Petition {
    pub id: String,
    pub count: u64,
    pub status: PetitionStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(any(test, feature = "serde"), derive(Serialize, Deserialize))]
#[cfg_attr(any(test, feature = "serde"), serde(rename_all = "lowercase"))]
pub enum PetitionStatus {
    Open,
    Closed,
}

/// `POST /petitions/{id}/signatures` body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(any(test, feature = "serde"), derive(Serialize, Deserialize))]
pub struct SignatureRequest {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[cfg_attr(any(test, feature = "serde"), serde(default))]
    pub phone: Option<String>,
    #[cfg_attr(any(test, feature = "serde"), serde(default = "default_locale"))]
    pub locale: String,
    #[cfg_attr(any(test, feature = "serde"), serde(default))]
    pub attribution: Attribution,
    /// The honeypot: people leave it empty.
    #[cfg_attr(any(test, feature = "serde"), serde(default))]
    pub website: String,
    /// Time from the form's first render to submit.
    #[cfg_attr(any(test, feature = "serde"), serde(default))]
    pub elapsed_ms: u64,
}

#[cfg(any(test, feature = "serde"))]
fn default_locale() -> String {
    "nl".to_string()
}

impl Petition {
    /// Reads an answer to `GET /petitions/{id}`; other fields are ignored.
    pub fn from_json(text: &str) -> Option<Petition> {
        let v = json::parse(text).ok()?;
        Some(Petition {
            id: v.get("id")?.as_str()?.to_string(),
            count: v.get("count")?.as_u64()?,
            status: match v.get("status")?.as_str()? {
                "open" => PetitionStatus::Open,
                "closed" => PetitionStatus::Closed,
                _ => return None,
            },
        })
    }
}

impl SignatureRequest {
    /// The body of `POST /petitions/{id}/signatures`.
    pub fn to_json(&self) -> String {
        let attribution = self
            .attribution
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        Value::Object(vec![
            ("first_name".into(), self.first_name.as_str().into()),
            ("last_name".into(), self.last_name.as_str().into()),
            ("email".into(), self.email.as_str().into()),
            ("phone".into(), self.phone.as_deref().into()),
            ("locale".into(), self.locale.as_str().into()),
            ("attribution".into(), Value::Object(attribution)),
            ("website".into(), self.website.as_str().into()),
            ("elapsed_ms".into(), Value::from_u64(self.elapsed_ms)),
        ])
        .to_json()
    }
}

impl SignResponse {
    pub fn from_json(text: &str) -> Option<SignResponse> {
        let count = json::parse(text).ok()?.get("count")?.as_u64()?;
        Some(SignResponse { count })
    }
}

impl ErrorBody {
    /// Reads an error answer; `fields` entries that are not text are left out.
    pub fn from_json(text: &str) -> Option<ErrorBody> {
        let v = json::parse(text).ok()?;
        let fields = match v.get("fields") {
            None | Some(Value::Null) => None,
            Some(fields) => {
                let mut map = TextMap::new();
                for k in fields.keys() {
                    if let Some(code) = fields.get(k).and_then(Value::as_str) {
                        map.insert(k.to_string(), code.to_string());
                    }
                }
                Some(map)
            }
        };
        Some(ErrorBody {
            error: v.get("error")?.as_str()?.to_string(),
            fields,
        })
    }
}

/// `201`/`200` answer to a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(any(test, feature = "serde"), derive(Serialize, Deserialize))]
pub struct SignResponse {
    pub count: u64,
}

/// Every error answer: `{"error": "...", "fields": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(any(test, feature = "serde"), derive(Serialize, Deserialize))]
pub struct ErrorBody {
    pub error: String,
    #[cfg_attr(
        any(test, feature = "serde"),
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub fields: Option<TextMap>,
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

/// The app's readers and writer agree with the server's serde types on the wire format.
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
    fn the_signature_body_reads_back_with_serde_unchanged() {
        for phone in [None, Some("+31612345678")] {
            let req = request(phone);
            let text = req.to_json();
            let read: SignatureRequest = serde_json::from_str(&text).unwrap();
            assert_eq!(read, req, "{text}");
            let reference: serde_json::Value = serde_json::to_value(&req).unwrap();
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&text).unwrap(),
                reference
            );
        }
    }

    #[test]
    fn answers_written_by_serde_read_the_same() {
        for status in [PetitionStatus::Open, PetitionStatus::Closed] {
            let p = Petition {
                id: "gezinshulp-eerst".into(),
                count: 41_235,
                status,
            };
            assert_eq!(
                Petition::from_json(&serde_json::to_string(&p).unwrap()),
                Some(p)
            );
        }
        let r = SignResponse { count: u64::MAX };
        assert_eq!(
            SignResponse::from_json(&serde_json::to_string(&r).unwrap()),
            Some(r)
        );
        let mut fields = TextMap::new();
        fields.insert("email".to_string(), "invalid".to_string());
        fields.insert("first_name".to_string(), "required".to_string());
        for body in [
            ErrorBody {
                error: "invalid".into(),
                fields: Some(fields),
            },
            ErrorBody {
                error: "closed".into(),
                fields: None,
            },
        ] {
            let text = serde_json::to_string(&body).unwrap();
            assert_eq!(ErrorBody::from_json(&text), Some(body));
        }
    }

    #[test]
    fn refuses_what_serde_refuses() {
        for text in [
            r#"{"id":"x","count":-1,"status":"open"}"#,
            r#"{"id":"x","count":1.5,"status":"open"}"#,
            r#"{"id":"x","count":1,"status":"paused"}"#,
            r#"{"id":"x","status":"open"}"#,
            r#"{"id":1,"count":1,"status":"open"}"#,
            r#"[1]"#,
            "",
        ] {
            assert_eq!(Petition::from_json(text), None, "{text}");
            assert!(serde_json::from_str::<Petition>(text).is_err(), "{text}");
        }
        assert_eq!(ErrorBody::from_json(r#"{"fields":{}}"#), None);
    }
}

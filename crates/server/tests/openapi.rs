//! Every answer the server gives, for every status the contract names, matches the schema in
//! docs/openapi.yaml: the file the charity's backend team builds from cannot drift from what
//! the reference server does.

mod common;

use common::*;
use serde_json::{json, Value};
use yaml_rust2::{Yaml, YamlLoader};

fn to_json(yaml: &Yaml) -> Value {
    match yaml {
        Yaml::Real(s) => s.parse::<f64>().map(Value::from).unwrap_or(Value::Null),
        Yaml::Integer(i) => json!(i),
        Yaml::String(s) => json!(s),
        Yaml::Boolean(b) => json!(b),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    (
                        k.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| format!("{k:?}")),
                        to_json(v),
                    )
                })
                .collect(),
        ),
        _ => Value::Null,
    }
}

struct Spec(Value);

impl Spec {
    fn load() -> Spec {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/openapi.yaml"
        ))
        .unwrap();
        Spec(to_json(
            &YamlLoader::load_from_str(&text).expect("valid YAML")[0],
        ))
    }

    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let pointer = r.strip_prefix('#').expect("local $ref");
                self.resolve(
                    self.0
                        .pointer(pointer)
                        .unwrap_or_else(|| panic!("dangling {r}")),
                )
            }
            None => v,
        }
    }

    /// The documented response for a path template, method and status.
    fn response(&self, path: &str, method: &str, status: u16) -> &Value {
        let op = &self.0["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is not in openapi.yaml");
        let response = op["responses"].get(status.to_string());
        self.resolve(
            response.unwrap_or_else(|| panic!("{method} {path} answered {status}, not documented")),
        )
    }

    /// Checks `value` against the subset of JSON Schema the file uses; returns the problems.
    fn check(&self, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
        let schema = self.resolve(schema);
        if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
            let fits = options.iter().any(|option| {
                let mut own = Vec::new();
                self.check(option, value, at, &mut own);
                own.is_empty()
            });
            if !fits {
                problems.push(format!("{at}: {value} fits none of anyOf"));
            }
            return;
        }
        if let Some(types) = schema.get("type") {
            let allowed: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            let actual = match value {
                Value::Null => "null",
                Value::Bool(_) => "boolean",
                Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            };
            let integer_as_number = actual == "integer" && allowed.contains(&"number");
            if !allowed.contains(&actual) && !integer_as_number {
                problems.push(format!("{at}: {actual}, expected {allowed:?}"));
                return;
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array) {
            if !options.contains(value) {
                problems.push(format!("{at}: {value} is not one of {options:?}"));
            }
        }
        if let (Some(min), Some(n)) = (
            schema.get("minimum").and_then(Value::as_f64),
            value.as_f64(),
        ) {
            if n < min {
                problems.push(format!("{at}: {n} < {min}"));
            }
        }
        if let (Some(max), Some(s)) = (
            schema.get("maxLength").and_then(Value::as_u64),
            value.as_str(),
        ) {
            if s.chars().count() as u64 > max {
                problems.push(format!("{at}: longer than {max}"));
            }
        }
        if let Some(obj) = value.as_object() {
            for key in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if !obj.contains_key(key.as_str().unwrap()) {
                    problems.push(format!("{at}: missing {key}"));
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            for (key, v) in obj {
                match (
                    properties.and_then(|p| p.get(key)),
                    schema.get("additionalProperties"),
                ) {
                    (Some(s), _) => self.check(s, v, &format!("{at}.{key}"), problems),
                    (None, Some(Value::Bool(false))) => {
                        problems.push(format!("{at}: unexpected {key}"))
                    }
                    (None, Some(s)) if s.is_object() => {
                        self.check(s, v, &format!("{at}.{key}"), problems)
                    }
                    (None, _) => {}
                }
            }
        }
    }

    fn assert_matches(&self, path: &str, method: &str, reply: &Reply) {
        let response = self.response(path, method, reply.status);
        let schema = &response["content"]["application/json"]["schema"];
        let mut problems = Vec::new();
        self.check(schema, &reply.json(), "body", &mut problems);
        for (name, header) in response
            .get("headers")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let required = self
                .resolve(header)
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if required && reply.header(name).is_none() {
                problems.push(format!("header {name} missing"));
            }
        }
        assert!(
            problems.is_empty(),
            "{method} {path} {}: {problems:?}\n{}",
            reply.status,
            reply.body
        );
    }
}

const PETITION: &str = "/petitions/{petition_id}";
const SIGNATURES: &str = "/petitions/{petition_id}/signatures";

#[test]
fn every_answer_matches_openapi_yaml() {
    let spec = Spec::load();
    let server = start(petitie_server::Settings {
        rate_limit_per_minute: 3,
        ..settings()
    });
    let base = "/api/v1/petitions";
    let post = |petition: &str, key: &str, body: &str| {
        request(
            server.addr,
            "POST",
            &format!("{base}/{petition}/signatures"),
            &[
                ("Content-Type", "application/json"),
                ("Idempotency-Key", key),
            ],
            body,
        )
    };
    let mut seen = Vec::new();
    let mut check = |path: &str, method: &str, reply: Reply| {
        spec.assert_matches(path, method, &reply);
        seen.push((method.to_string(), path.to_string(), reply.status));
    };

    check(
        PETITION,
        "get",
        get(server.addr, &format!("{base}/gezinshulp-eerst")),
    );
    check(
        PETITION,
        "get",
        get(server.addr, &format!("{base}/onbekend")),
    );
    let anna = anna().to_string();
    check(SIGNATURES, "post", post("gezinshulp-eerst", "a", &anna));
    check(SIGNATURES, "post", post("gezinshulp-eerst", "a", &anna));
    check(
        SIGNATURES,
        "post",
        post("gezinshulp-eerst", "a", &anna.replace("Anna@", "iemand@")),
    );
    check(SIGNATURES, "post", post("gezinshulp-eerst", "b", "{nee"));
    check(
        SIGNATURES,
        "post",
        post(
            "gezinshulp-eerst",
            "c",
            r#"{"first_name":"1","last_name":"","email":"x"}"#,
        ),
    );
    check(SIGNATURES, "post", post("gesloten", "d", &anna));
    check(SIGNATURES, "post", post("onbekend", "e", &anna));
    check(
        SIGNATURES,
        "post",
        post(
            "gezinshulp-eerst",
            "f",
            &format!("{{\"website\":\"{}\"}}", "x".repeat(17_000)),
        ),
    );
    for (i, email) in ["b@example.nl", "c@example.nl", "d@example.nl"]
        .iter()
        .enumerate()
    {
        check(
            SIGNATURES,
            "post",
            post(
                "gezinshulp-eerst",
                &format!("r{i}"),
                &anna.replace("Anna@Example.NL", email),
            ),
        );
    }
    let statuses: Vec<u16> = seen.iter().map(|s| s.2).collect();
    for status in [200, 201, 400, 404, 409, 413, 422, 429] {
        assert!(
            statuses.contains(&status),
            "no answer with status {status} was checked: {statuses:?}"
        );
    }
}

#[test]
fn every_answer_of_a_confirming_server_matches_openapi_yaml() {
    let spec = Spec::load();
    let sink = Sink::start(0);
    let server = start(petitie_server::Settings {
        rate_limit_per_minute: 3,
        confirmation: Some(petitie_server::mail::ConfirmSettings {
            smtp_url: sink.url(),
            mail_from: "petitie@hetvergetenkind.nl".parse().unwrap(),
            public_url: "https://www.hetvergetenkind.nl/".into(),
            remind_after: std::time::Duration::from_secs(48 * 3600),
            pending_ttl: std::time::Duration::from_secs(14 * 24 * 3600),
        }),
        ..settings()
    });
    let base = "/api/v1/petitions";
    let post = |petition: &str, what: &str, key: &str, body: &str| {
        request(
            server.addr,
            "POST",
            &format!("{base}/{petition}/{what}"),
            &[
                ("Content-Type", "application/json"),
                ("Idempotency-Key", key),
            ],
            body,
        )
    };
    let mut seen = Vec::new();
    let mut check = |path: &str, reply: Reply| {
        spec.assert_matches(path, "post", &reply);
        seen.push((path.to_string(), reply.status));
    };
    let reply = get(server.addr, &format!("{base}/gezinshulp-eerst"));
    spec.assert_matches(PETITION, "get", &reply);
    assert_eq!(reply.json()["confirmation"], "email");

    let anna = anna().to_string();
    check(
        SIGNATURES,
        post("gezinshulp-eerst", "signatures", "a", &anna),
    );
    check(
        SIGNATURES,
        post("gezinshulp-eerst", "signatures", "a", &anna),
    );
    let token = token_in(&sink.mail(1), "bevestigen");
    let body = |token: &str| format!("{{\"token\":\"{token}\"}}");
    const CONFIRMATIONS: &str = "/petitions/{petition_id}/confirmations";
    const WITHDRAWALS: &str = "/petitions/{petition_id}/withdrawals";
    const REQUESTS: &str = "/petitions/{petition_id}/confirmation-requests";
    check(
        CONFIRMATIONS,
        post("gezinshulp-eerst", "confirmations", "", &body(&token)),
    );
    check(
        CONFIRMATIONS,
        post("gezinshulp-eerst", "confirmations", "", "{nee"),
    );
    check(
        CONFIRMATIONS,
        post("gesloten", "confirmations", "", &body(&token)),
    );
    check(
        CONFIRMATIONS,
        post("onbekend", "confirmations", "", &body(&token)),
    );
    check(
        WITHDRAWALS,
        post("gezinshulp-eerst", "withdrawals", "", &body(&token)),
    );
    check(
        WITHDRAWALS,
        post("gezinshulp-eerst", "withdrawals", "", &body(&token)),
    );
    check(
        CONFIRMATIONS,
        post("gezinshulp-eerst", "confirmations", "", &body(&token)),
    );
    let email = |address: &str| format!("{{\"email\":\"{address}\"}}");
    check(
        REQUESTS,
        post(
            "gezinshulp-eerst",
            "confirmation-requests",
            "",
            &email("anna@"),
        ),
    );
    for _ in 0..3 {
        check(
            REQUESTS,
            post(
                "gezinshulp-eerst",
                "confirmation-requests",
                "",
                &email("x@example.nl"),
            ),
        );
    }
    for (path, status) in [
        (SIGNATURES, 202),
        (SIGNATURES, 200),
        (CONFIRMATIONS, 200),
        (CONFIRMATIONS, 400),
        (CONFIRMATIONS, 404),
        (CONFIRMATIONS, 409),
        (CONFIRMATIONS, 410),
        (WITHDRAWALS, 200),
        (WITHDRAWALS, 410),
        (REQUESTS, 202),
        (REQUESTS, 422),
        (REQUESTS, 429),
    ] {
        assert!(
            seen.contains(&(path.to_string(), status)),
            "no {status} of {path} was checked: {seen:?}"
        );
    }
}

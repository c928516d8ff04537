//! Runtime configuration (`config.json`): parsed and validated here, fetched by the app.
//!
//! Every problem names the key it is about, in Dutch, because the people who edit this file
//! are the charity's web team.

use thiserror::Error;

use crate::time::parse_rfc3339_ms;
use serde::Deserialize;

/// The petition id used when the file does not name one.
pub const DEFAULT_PETITION_ID: &str = "gezinshulp-eerst";
/// The count refresh interval when the file does not set one.
pub const DEFAULT_COUNT_POLL_SECONDS: u32 = 30;

/// The top-level keys `config.json` may have (the fields of `ConfigFile`); others are
/// reported and ignored.
pub const KNOWN_KEYS: &[&str] = &[
    "api_base_url",
    "petition_id",
    "goal_milestones",
    "opens_at",
    "closes_at",
    "privacy_url",
    "share_url",
    "donate_url",
    "count_poll_seconds",
    "min_count_to_show",
    "show_social_links",
    "embed",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// `None`: the in-browser demo backend.
    pub api_base_url: Option<String>,
    pub petition_id: String,
    pub goal_milestones: Vec<u64>,
    /// Milliseconds since the Unix epoch.
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub privacy_url: Option<String>,
    pub share_url: Option<String>,
    pub donate_url: Option<String>,
    pub count_poll_seconds: u32,
    pub min_count_to_show: u64,
    pub show_social_links: bool,
    pub embed_allowed_origins: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_base_url: None,
            petition_id: DEFAULT_PETITION_ID.to_string(),
            goal_milestones: Vec::new(),
            opens_at: None,
            closes_at: None,
            privacy_url: None,
            share_url: None,
            donate_url: None,
            count_poll_seconds: DEFAULT_COUNT_POLL_SECONDS,
            min_count_to_show: 0,
            show_social_links: true,
            embed_allowed_origins: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error("config.json is geen geldige JSON (regel {line}, kolom {column}).")]
    NotJson { line: usize, column: usize },
    #[error("config.json moet een JSON-object zijn ({{ … }}).")]
    NotAnObject,
    #[error("\"{key}\" in config.json moet {expected} zijn.")]
    WrongType { key: String, expected: &'static str },
    #[error("\"api_base_url\" moet met https:// beginnen (http:// mag alleen voor localhost of 127.0.0.1): \"{0}\".")]
    InsecureApiUrl(String),
    #[error("\"{key}\" in config.json is geen bruikbaar webadres: \"{value}\".")]
    InvalidUrl { key: String, value: String },
    #[error("\"{0}\" in config.json is geen geldige tijd; gebruik RFC 3339, bijvoorbeeld 2026-03-02T12:00:00+01:00.")]
    InvalidTimestamp(String),
    #[error("\"embed.allowed_origins\" bevat geen geldige origin (zoals https://www.hetvergetenkind.nl): \"{0}\".")]
    InvalidOrigin(String),
    #[error("\"petition_id\" mag alleen kleine letters, cijfers en streepjes bevatten.")]
    InvalidPetitionId,
}

/// A parsed configuration and the keys it did not know (reported, not fatal).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub config: Config,
    pub unknown_keys: Vec<String>,
}

/// Splits `scheme://host[:port]rest`; `None` when there is no scheme or host.
fn split_url(url: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if authority.is_empty()
        || authority.contains(['@', ' ', '\\'])
        || !scheme.chars().all(|c| c.is_ascii_lowercase())
    {
        return None;
    }
    Some((scheme, authority, path))
}

fn is_loopback(authority: &str) -> bool {
    let host = authority.rsplit_once(':').map_or(authority, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            authority
        }
    });
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// The origin (`scheme://host[:port]`) of an absolute http(s) URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, authority, _) = split_url(url)?;
    matches!(scheme, "http" | "https")
        .then(|| format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// The base path the app is served under, from the address of one of its own build assets
/// or of its folder (`/petitie/petitie-1a2b.js` and `/petitie/` give `/petitie`;
/// `/petitie-1a2b.js` and `/` give the empty root). Takes a path or a full URL; without a
/// trailing slash.
pub fn base_path_of_asset(href: &str) -> String {
    let path = match split_url(href) {
        Some((_, _, path)) => path,
        None => href,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    match path.rfind('/') {
        Some(i) if path.starts_with('/') => path[..i].to_string(),
        _ => String::new(),
    }
}

/// An API base URL must be https, or http on the loopback host.
fn check_api_url(url: &str) -> Result<String, ConfigError> {
    match split_url(url) {
        Some(("https", _, _)) => Ok(url.trim_end_matches('/').to_string()),
        Some(("http", authority, _)) if is_loopback(authority) => {
            Ok(url.trim_end_matches('/').to_string())
        }
        _ => Err(ConfigError::InsecureApiUrl(url.to_string())),
    }
}

/// Links may be absolute http(s) URLs or site paths ("/privacy"); never `javascript:`.
fn check_link(key: &str, url: &str) -> Result<String, ConfigError> {
    let ok = match split_url(url) {
        Some((scheme, _, _)) => matches!(scheme, "https" | "http"),
        None => url.starts_with('/') && !url.starts_with("//") && !url.contains(['\\', ' ']),
    };
    if ok {
        Ok(url.to_string())
    } else {
        Err(ConfigError::InvalidUrl {
            key: key.to_string(),
            value: url.to_string(),
        })
    }
}

fn check_origin(origin: &str) -> Result<String, ConfigError> {
    match split_url(origin) {
        Some((scheme @ ("https" | "http"), authority, "")) => {
            Ok(format!("{scheme}://{}", authority.to_ascii_lowercase()))
        }
        _ => Err(ConfigError::InvalidOrigin(origin.to_string())),
    }
}

fn wrong(key: &str, expected: &'static str) -> ConfigError {
    ConfigError::WrongType {
        key: key.to_string(),
        expected,
    }
}

/// What a key's value must be, in the words of the error panel.
fn expected(key: &str) -> &'static str {
    match key {
        "goal_milestones" => "een lijst van positieve gehele getallen",
        "count_poll_seconds" | "min_count_to_show" => "een geheel getal van 0 of meer",
        "show_social_links" => "true of false",
        "embed" => "een object met \"allowed_origins\"",
        "embed.allowed_origins" => "een lijst van origins (tekst)",
        _ => "tekst (tussen aanhalingstekens) of null",
    }
}

/// `config.json` as written: every key optional, `null` the same as absent.
#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    api_base_url: Option<String>,
    petition_id: Option<String>,
    goal_milestones: Option<Vec<u64>>,
    opens_at: Option<String>,
    closes_at: Option<String>,
    privacy_url: Option<String>,
    share_url: Option<String>,
    donate_url: Option<String>,
    count_poll_seconds: Option<u64>,
    min_count_to_show: Option<u64>,
    show_social_links: Option<bool>,
    embed: Option<EmbedFile>,
}

#[derive(Debug, Default, Deserialize)]
struct EmbedFile {
    allowed_origins: Option<Vec<String>>,
}

/// A text value, trimmed; empty counts as absent.
fn text(value: Option<String>) -> Option<String> {
    value
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Parses and validates `config.json`.
pub fn parse_config(text_of_file: &str) -> Result<Parsed, ConfigError> {
    // A derived struct also reads a JSON array (its fields in order): the file must be an
    // object.
    let is_object = text_of_file.trim_start().starts_with('{');
    let mut unknown_keys = Vec::new();
    // Paths through an `Option` have a `?` segment ("embed.?.allowed_origin"): not for people.
    let mut note_unknown =
        |path: serde_ignored::Path| unknown_keys.push(path.to_string().replace(".?", ""));
    let mut json = serde_json::Deserializer::from_str(text_of_file);
    let read = serde_path_to_error::deserialize::<_, ConfigFile>(serde_ignored::Deserializer::new(
        &mut json,
        &mut note_unknown,
    ))
    .map_err(|e| (e.path().to_string(), e.into_inner()))
    .and_then(|file| json.end().map(|()| file).map_err(|e| (String::new(), e)));
    let file = match read {
        Ok(_) if !is_object => return Err(ConfigError::NotAnObject),
        Ok(file) => file,
        Err((_, e)) if e.is_syntax() || e.is_eof() => {
            return Err(ConfigError::NotJson {
                line: e.line(),
                column: e.column(),
            })
        }
        Err(_) if !is_object => return Err(ConfigError::NotAnObject),
        Err((path, _)) => {
            // "goal_milestones[1]" and "embed.allowed_origins[0]" are about their list.
            let key = path.split('[').next().unwrap_or_default();
            return Err(wrong(key, expected(key)));
        }
    };

    let mut config = Config {
        api_base_url: text(file.api_base_url)
            .map(|u| check_api_url(&u))
            .transpose()?,
        ..Config::default()
    };
    if let Some(id) = text(file.petition_id) {
        if id.len() > 100
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(ConfigError::InvalidPetitionId);
        }
        config.petition_id = id;
    }
    if let Some(milestones) = file.goal_milestones {
        if milestones.contains(&0) {
            return Err(wrong("goal_milestones", expected("goal_milestones")));
        }
        // Whatever order the file gives them in.
        config.goal_milestones = crate::count::ascending(milestones);
    }
    for (key, value, slot) in [
        ("opens_at", file.opens_at, &mut config.opens_at),
        ("closes_at", file.closes_at, &mut config.closes_at),
    ] {
        if let Some(s) = text(value) {
            *slot = Some(
                parse_rfc3339_ms(&s)
                    .ok_or_else(|| ConfigError::InvalidTimestamp(key.to_string()))?,
            );
        }
    }
    for (key, value, slot) in [
        ("privacy_url", file.privacy_url, &mut config.privacy_url),
        ("share_url", file.share_url, &mut config.share_url),
        ("donate_url", file.donate_url, &mut config.donate_url),
    ] {
        *slot = text(value).map(|u| check_link(key, &u)).transpose()?;
    }
    if let Some(n) = file.count_poll_seconds {
        if !(5..=3600).contains(&n) {
            return Err(wrong(
                "count_poll_seconds",
                "een getal van 5 tot en met 3600",
            ));
        }
        config.count_poll_seconds = n as u32;
    }
    config.min_count_to_show = file.min_count_to_show.unwrap_or(0);
    if let Some(show) = file.show_social_links {
        config.show_social_links = show;
    }
    for origin in file
        .embed
        .and_then(|e| e.allowed_origins)
        .unwrap_or_default()
    {
        config
            .embed_allowed_origins
            .push(check_origin(origin.trim())?);
    }
    Ok(Parsed {
        config,
        unknown_keys,
    })
}

impl Config {
    /// Whether the petition takes signatures at `now_ms` by the configured dates.
    pub fn is_open_at(&self, now_ms: i64) -> bool {
        self.opens_at.is_none_or(|t| now_ms >= t) && self.closes_at.is_none_or(|t| now_ms < t)
    }

    /// Whether the petition has not opened yet at `now_ms`.
    pub fn is_before_opening(&self, now_ms: i64) -> bool {
        self.opens_at.is_some_and(|t| now_ms < t)
    }

    /// The next instant after `now_ms` at which the petition opens or closes by its dates:
    /// when a page left open must change (the form appears, or gives way to the notice).
    pub fn next_date_after(&self, now_ms: i64) -> Option<i64> {
        [self.opens_at, self.closes_at]
            .into_iter()
            .flatten()
            .filter(|t| *t > now_ms)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_date_is_the_first_change_still_to_come() {
        let config = Config {
            opens_at: Some(1_000),
            closes_at: Some(5_000),
            ..Config::default()
        };
        for (now, next) in [
            (0, Some(1_000)),
            (999, Some(1_000)),
            (1_000, Some(5_000)),
            (4_999, Some(5_000)),
            (5_000, None),
            (9_000, None),
        ] {
            assert_eq!(config.next_date_after(now), next, "{now}");
        }
        assert_eq!(Config::default().next_date_after(0), None);
        let closes_only = Config {
            closes_at: Some(5_000),
            ..Config::default()
        };
        assert_eq!(closes_only.next_date_after(0), Some(5_000));
    }

    #[test]
    fn an_empty_object_is_the_demo_with_defaults() {
        let p = parse_config("{}").unwrap();
        assert_eq!(p.config, Config::default());
        assert_eq!(p.config.petition_id, "gezinshulp-eerst");
        assert_eq!(p.config.count_poll_seconds, 30);
        assert!(p.unknown_keys.is_empty());
    }

    #[test]
    fn reads_every_documented_key() {
        let p = parse_config(
            r#"{
              "api_base_url": "https://steun.hetvergetenkind.nl/api/v1/",
              "petition_id": "gezinshulp-eerst",
              "goal_milestones": [10000, 25000, 50000, 100000],
              "opens_at": "2025-11-17T00:00:00+01:00",
              "closes_at": "2026-03-01T00:00:00+01:00",
              "privacy_url": "https://www.hetvergetenkind.nl/privacy",
              "share_url": "https://www.hetvergetenkind.nl/gezinshulp-eerst/",
              "donate_url": "https://www.hetvergetenkind.nl/doneren",
              "count_poll_seconds": 60,
              "min_count_to_show": 100,
              "show_social_links": false,
              "embed": {"allowed_origins": ["https://www.hetvergetenkind.nl", "http://127.0.0.1:8080"]}
            }"#,
        )
        .unwrap();
        let c = p.config;
        assert_eq!(
            c.api_base_url.as_deref(),
            Some("https://steun.hetvergetenkind.nl/api/v1")
        );
        assert_eq!(c.goal_milestones, vec![10_000, 25_000, 50_000, 100_000]);
        assert!(c.opens_at.unwrap() < c.closes_at.unwrap());
        assert_eq!(c.count_poll_seconds, 60);
        assert_eq!(c.min_count_to_show, 100);
        assert!(!c.show_social_links);
        assert_eq!(c.embed_allowed_origins.len(), 2);
        assert!(c.is_open_at(c.opens_at.unwrap()));
        assert!(!c.is_open_at(c.closes_at.unwrap()));
        assert!(c.is_before_opening(c.opens_at.unwrap() - 1));
    }

    #[test]
    fn null_api_base_url_means_the_demo() {
        assert_eq!(
            parse_config(r#"{"api_base_url": null}"#)
                .unwrap()
                .config
                .api_base_url,
            None
        );
        assert_eq!(
            parse_config(r#"{"api_base_url": ""}"#)
                .unwrap()
                .config
                .api_base_url,
            None
        );
    }

    #[test]
    fn allows_plain_http_only_on_the_loopback_host() {
        for ok in [
            "http://localhost:8787/api/v1",
            "http://127.0.0.1:8787/api/v1",
            "http://localhost/api",
        ] {
            assert!(
                parse_config(&format!(r#"{{"api_base_url": "{ok}"}}"#)).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "http://steun.hetvergetenkind.nl/api/v1",
            "http://localhost.evil.example/api",
            "http://127.0.0.1.nip.io/api",
            "ftp://example.nl",
            "javascript:alert(1)",
            "/api/v1",
            "steun.hetvergetenkind.nl",
        ] {
            assert!(
                matches!(
                    parse_config(&format!(r#"{{"api_base_url": "{bad}"}}"#)),
                    Err(ConfigError::InsecureApiUrl(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn keeps_milestones_ascending_and_each_once() {
        let c = parse_config(r#"{"goal_milestones": [50000, 10000, 50000, 25000]}"#).unwrap();
        assert_eq!(c.config.goal_milestones, vec![10_000, 25_000, 50_000]);
        let c = parse_config(r#"{"goal_milestones": [729740670078510224, 1]}"#).unwrap();
        assert_eq!(c.config.goal_milestones, vec![1, 729_740_670_078_510_224]);
        assert!(parse_config(r#"{"goal_milestones": [10000, 0]}"#).is_err());
        assert!(parse_config(r#"{"goal_milestones": [10000, 2.5]}"#).is_err());
    }

    #[test]
    fn names_the_problem_for_bad_json_and_wrong_types() {
        assert!(matches!(
            parse_config("{"),
            Err(ConfigError::NotJson { .. })
        ));
        assert_eq!(
            parse_config("{\n  \"a\": 1,\n}"),
            Err(ConfigError::NotJson { line: 3, column: 1 })
        );
        assert!(matches!(parse_config(""), Err(ConfigError::NotJson { .. })));
        assert_eq!(parse_config("[1]"), Err(ConfigError::NotAnObject));
        let e = parse_config(r#"{"goal_milestones": "50000"}"#).unwrap_err();
        assert!(e.to_string().contains("goal_milestones"), "{e}");
        let e = parse_config(r#"{"count_poll_seconds": "30"}"#).unwrap_err();
        assert!(e.to_string().contains("count_poll_seconds"), "{e}");
        let e = parse_config(r#"{"api_base_url": 5}"#).unwrap_err();
        assert!(e.to_string().contains("api_base_url"), "{e}");
        assert!(parse_config(r#"{"count_poll_seconds": 1}"#).is_err());
        assert!(parse_config(r#"{"goal_milestones": [0]}"#).is_err());
        assert_eq!(
            parse_config(r#"{"closes_at": "maart"}"#),
            Err(ConfigError::InvalidTimestamp("closes_at".into()))
        );
        assert_eq!(
            parse_config(r#"{"petition_id": "../x"}"#),
            Err(ConfigError::InvalidPetitionId)
        );
    }

    #[test]
    fn rejects_links_that_are_not_web_addresses() {
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "data:text/html,x",
            "privacy",
        ] {
            assert!(
                parse_config(&format!(r#"{{"privacy_url": "{bad}"}}"#)).is_err(),
                "{bad}"
            );
        }
        assert!(parse_config(r#"{"privacy_url": "/privacy"}"#).is_ok());
    }

    #[test]
    fn checks_embed_origins() {
        assert!(parse_config(r#"{"embed": {"allowed_origins": ["https://x.nl/path"]}}"#).is_err());
        assert!(parse_config(r#"{"embed": {"allowed_origins": ["*"]}}"#).is_err());
        assert!(parse_config(r#"{"embed": {"allowed_origins": "https://x.nl"}}"#).is_err());
        let c = parse_config(r#"{"embed": {"allowed_origins": ["HTTPS://WWW.X.NL"]}}"#);
        assert!(c.is_err(), "scheme must be lower-case as browsers send it");
    }

    #[test]
    fn knows_every_documented_key() {
        let all_null = KNOWN_KEYS
            .iter()
            .map(|k| format!("\"{k}\": null"))
            .collect::<Vec<_>>()
            .join(", ");
        let p = parse_config(&format!("{{{all_null}}}")).unwrap();
        assert!(p.unknown_keys.is_empty(), "{:?}", p.unknown_keys);
        assert_eq!(p.config, Config::default());
    }

    #[test]
    fn names_the_key_of_a_wrong_value_inside_a_list() {
        for (text, key) in [
            (r#"{"goal_milestones": [10000, 2.5]}"#, "goal_milestones"),
            (r#"{"goal_milestones": [-1]}"#, "goal_milestones"),
            (
                r#"{"embed": {"allowed_origins": [5]}}"#,
                "embed.allowed_origins",
            ),
            (r#"{"embed": "https://x.nl"}"#, "embed"),
            (r#"{"show_social_links": "ja"}"#, "show_social_links"),
            (r#"{"min_count_to_show": -3}"#, "min_count_to_show"),
            (r#"{"share_url": ["https://x.nl"]}"#, "share_url"),
        ] {
            match parse_config(text) {
                Err(ConfigError::WrongType { key: k, .. }) => assert_eq!(k, key, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn reports_unknown_keys_without_failing() {
        let p = parse_config(r#"{"api_base_ur": "https://x.nl", "embed": {"allowed_origin": []}}"#)
            .unwrap();
        assert_eq!(
            p.unknown_keys,
            vec![
                "api_base_ur".to_string(),
                "embed.allowed_origin".to_string()
            ]
        );
    }

    #[test]
    fn finds_the_origin_of_a_url() {
        assert_eq!(
            origin_of("https://Steun.X.nl/api/v1").as_deref(),
            Some("https://steun.x.nl")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8787/api").as_deref(),
            Some("http://127.0.0.1:8787")
        );
        assert_eq!(origin_of("javascript:alert(1)"), None);
    }

    #[test]
    fn base_path_comes_from_an_asset_address() {
        assert_eq!(base_path_of_asset("/petitie-1a2b.js"), "");
        assert_eq!(base_path_of_asset("/"), "");
        assert_eq!(base_path_of_asset("/petitie/"), "/petitie");
        assert_eq!(base_path_of_asset("/petitie/petitie-1a2b.js"), "/petitie");
        assert_eq!(
            base_path_of_asset("https://example.nl/acties/petitie/app.js?v=1"),
            "/acties/petitie"
        );
        assert_eq!(base_path_of_asset("https://example.nl/app.js"), "");
        assert_eq!(base_path_of_asset(""), "");
        assert_eq!(base_path_of_asset("app.js"), "");
    }
}

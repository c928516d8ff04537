//! Property-based fuzzing of everything that reads untrusted text: `config.json`, landing
//! URLs (attribution, theme), and every validation rule. Nothing may panic, and what comes out
//! must be safe to use. `PROPTEST_CASES` sets the number of cases (default 20 000 per target).

use petitie_core::attribution::{
    clean_value, from_query, percent_decode, query_pairs, sanitise, ALL_KEYS, MAX_VALUE_CHARS,
};
use petitie_core::config::{base_path_of_asset, origin_of, parse_config, KNOWN_KEYS};
use petitie_core::contract::Field;
use petitie_core::count::{animated_value, format_count, progress};
use petitie_core::retry::parse_retry_after;
use petitie_core::signature::validate_field;
use petitie_core::time::parse_rfc3339_ms;
use petitie_core::{email, name, phone, theme};
use proptest::prelude::*;
use serde_json::{json, Value};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "\\PC{0,40}".prop_map(Value::from),
        "(https?|javascript|data)://[a-z0-9.:@/]{0,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A config object with the real keys and arbitrary values.
fn config_like() -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::sample::select(KNOWN_KEYS), any_json()), 0..10)
        .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
}

fn is_safe_text(value: &str) -> bool {
    value.chars().count() <= MAX_VALUE_CHARS
        && !value.chars().any(|c| {
            c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn config_text_never_panics(text in "\\PC{0,200}") {
        let _ = parse_config(&text);
    }

    #[test]
    fn config_values_are_checked(value in config_like()) {
        if let Ok(parsed) = parse_config(&value.to_string()) {
            let c = parsed.config;
            if let Some(api) = &c.api_base_url {
                prop_assert!(
                    api.starts_with("https://") || api.starts_with("http://localhost") || api.starts_with("http://127.0.0.1") || api.starts_with("http://[::1]"),
                    "insecure api_base_url accepted: {api}"
                );
            }
            for link in [&c.privacy_url, &c.share_url, &c.donate_url].into_iter().flatten() {
                let lower = link.to_ascii_lowercase();
                prop_assert!(!lower.trim_start().starts_with("javascript:") && !lower.starts_with("data:"), "unsafe link accepted: {link}");
            }
            prop_assert!(c.count_poll_seconds > 0);
            prop_assert!(c.goal_milestones.windows(2).all(|w| w[0] < w[1]), "milestones not ascending: {:?}", c.goal_milestones);
            for origin in &c.embed_allowed_origins {
                let normalised = origin_of(origin);
                prop_assert_eq!(normalised.as_deref(), Some(origin.as_str()));
            }
        }
    }

    #[test]
    fn attribution_from_any_landing_url_is_clean(query in "\\??([a-z_]{1,12}=(%[0-9A-Fa-f]{2}|%|\\PC){0,30}&?){0,8}") {
        for (k, v) in query_pairs(&query) {
            let _ = (k, v);
        }
        let _ = percent_decode(&query);
        let attribution = from_query(&query);
        for (key, value) in &attribution {
            prop_assert!(ALL_KEYS.contains(&key.as_str()), "unexpected key {key}");
            prop_assert!(is_safe_text(value), "unclean value {value:?}");
        }
        prop_assert_eq!(sanitise(&attribution), attribution.clone());
    }

    #[test]
    fn any_text_cleans_to_safe_text(value in "\\PC{0,400}|[\\u{0}-\\u{20}\\u{200B}-\\u{200F}\\u{202A}-\\u{202E}a]{0,50}") {
        let cleaned = clean_value(&value);
        prop_assert!(is_safe_text(&cleaned));
        prop_assert_eq!(clean_value(&cleaned), cleaned);
    }

    #[test]
    fn theme_tokens_never_carry_css_syntax(pairs in prop::collection::vec(
        (prop::sample::select(&["accent", "text", "background", "radius", "bg", "x"][..]), "\\PC{0,30}|#[0-9a-fA-F]{3,8}|[0-9]{1,3}(px|rem|em)"), 0..6)
    ) {
        let pairs: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        for (property, value) in theme::from_query(&pairs) {
            prop_assert!(property.starts_with("--"));
            prop_assert!(theme::is_colour(&value) || theme::is_length(&value));
            prop_assert!(!value.contains([';', '{', '}', '(', ')', '<', '>', '"', '\'', '\\', ':', '/']), "{value}");
        }
    }

    #[test]
    fn every_field_rule_takes_any_text(field in prop::sample::select(&Field::ALL[..]), value in "\\PC{0,150}|[ -~]{0,40}") {
        let _ = validate_field(field, &value);
        if let Ok(n) = name::validate_name(&value) {
            prop_assert_eq!(name::validate_name(&n), Ok(n.clone()));
            prop_assert!(!n.contains(['<', '>', '"', '&', '/', '\\']), "{n}");
        }
        if let Ok(e) = email::validate_email(&value) {
            prop_assert_eq!(email::validate_email(&e), Ok(e.clone()));
            prop_assert!(!e.contains(['<', '>', '"', ' ']), "{e}");
        }
        let _ = email::suggest_email(&value);
        if let Ok(Some(p)) = phone::validate_phone(&value) {
            prop_assert!(p.starts_with('+') && p[1..].chars().all(|c| c.is_ascii_digit()), "{p}");
        }
    }

    #[test]
    fn times_and_headers_parse_without_panicking(text in "\\PC{0,40}|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{5,15}(Z|[+-][0-9]{2}:[0-9]{2})") {
        let _ = parse_rfc3339_ms(&text);
        let _ = parse_retry_after(&text);
        let _ = origin_of(&text);
        let _ = base_path_of_asset(&text);
    }

    #[test]
    fn counting_stays_between_its_ends(from in any::<u64>(), to in any::<u64>(), elapsed in -1e6f64..1e7, duration in 0f64..1e5, milestones in prop::collection::vec(any::<u64>(), 0..5)) {
        let v = animated_value(from, to, elapsed, duration);
        prop_assert!(v >= from.min(to) && v <= from.max(to));
        let _ = format_count(v, petitie_core::lang::Lang::En);
        let _ = progress(v, &milestones);
    }
}

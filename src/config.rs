//! Fetches `config.json` beside the app (relative to the base path) and parses it with
//! `petitie_core::config`; problems become the text of the error panel.

use petitie_core::config::{parse_config, Config, ConfigError};
use web_sys::RequestCredentials;

use gloo_net::http::Request;

use crate::api::{self, DemoMode};
use crate::copy;

/// The configuration the app runs with.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    /// `?demo=…` preview state; only read when no API is configured.
    pub demo_mode: Option<DemoMode>,
}

/// Why the app cannot run: `config.json` could not be fetched (with the HTTP status if
/// there was an answer), or it is wrong.
#[derive(Debug, Clone)]
pub enum Problem {
    Missing(Option<u16>),
    Invalid(ConfigError),
}

impl Problem {
    /// The problem in Dutch, for the panel; also logged to the console.
    pub fn describe(&self) -> String {
        let text = match self {
            Problem::Missing(None) => format!("{}.", copy::site::config_error_missing()),
            Problem::Missing(Some(status)) => {
                format!("{} (HTTP {status}).", copy::site::config_error_missing())
            }
            Problem::Invalid(e) => e.to_string(),
        };
        web_sys::console::error_1(&format!("config.json: {text}").into());
        text
    }
}

/// Loads and validates the configuration.
/// `query` is the landing address's query string (`?demo=…` is read from it).
pub async fn load(query: &str) -> Result<LoadedConfig, Problem> {
    let url = format!("{}/config.json", crate::dom::site_base());
    let request = api::timed(Request::get(&url).credentials(RequestCredentials::SameOrigin))
        .build()
        .map_err(|_| Problem::Missing(None))?;
    let response = api::send(request)
        .await
        .map_err(|_| Problem::Missing(None))?;
    if !(200..300).contains(&response.status) {
        return Err(Problem::Missing(Some(response.status)));
    }
    let parsed = parse_config(&response.text).map_err(Problem::Invalid)?;
    for key in &parsed.unknown_keys {
        web_sys::console::warn_1(
            &format!("config.json: onbekende sleutel \"{key}\" wordt genegeerd").into(),
        );
    }
    let demo_mode = if parsed.config.api_base_url.is_none() {
        DemoMode::from_query(query)
    } else {
        None
    };
    Ok(LoadedConfig {
        config: parsed.config,
        demo_mode,
    })
}

//! Fetches `config.json` beside the app (relative to the base path) and parses it with
//! `petitie_core::config`; problems become the text of the error panel.

use petitie_core::config::{parse_config, Config};
use web_sys::RequestCredentials;

use crate::api::DemoMode;
use crate::copy;

/// The configuration the app runs with.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    /// `?demo=…` preview state; only read when no API is configured.
    pub demo_mode: Option<DemoMode>,
}

/// Loads and validates the configuration. The error is the problem in Dutch, for the panel.
pub async fn load() -> Result<LoadedConfig, String> {
    let url = format!("{}/config.json", crate::dom::router_base());
    // The same credentials mode as index.html's preload of this file, so the preload is used.
    let response = crate::api::fetch(RequestCredentials::SameOrigin, "GET", &url, &[], None)
        .await
        .map_err(|_| format!("{}.", copy::site::CONFIG_ERROR_MISSING))?;
    if !(200..300).contains(&response.status) {
        let problem = format!(
            "{} (HTTP {}).",
            copy::site::CONFIG_ERROR_MISSING,
            response.status
        );
        web_sys::console::error_1(&problem.clone().into());
        return Err(problem);
    }
    match parse_config(&response.text) {
        Ok(parsed) => {
            for key in &parsed.unknown_keys {
                web_sys::console::warn_1(
                    &format!("config.json: onbekende sleutel \"{key}\" wordt genegeerd").into(),
                );
            }
            let demo_mode = if parsed.config.api_base_url.is_none() {
                DemoMode::from_query(&crate::dom::query_string())
            } else {
                None
            };
            Ok(LoadedConfig {
                config: parsed.config,
                demo_mode,
            })
        }
        Err(e) => {
            let problem = e.to_string();
            web_sys::console::error_1(&format!("config.json: {problem}").into());
            Err(problem)
        }
    }
}

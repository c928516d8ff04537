//! The state shared by every page: configuration, API client, the latest count, whether
//! the petition is closed, and (in memory only) who just signed.

use leptos::prelude::*;
use petitie_core::attribution::{clean_value, from_query, Attribution};
use petitie_core::config::Config;

use crate::api::Backend;
use crate::config::LoadedConfig;
use crate::dom;

/// What the thank-you page needs; never stored outside memory, never put in a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub first_name: String,
    pub count: u64,
    /// With a backend that confirms: the address the mail went to, as typed, while the
    /// signature waits for its confirmation.
    pub waiting_for: Option<String>,
}

/// Provided as context at the top of the app.
#[derive(Clone, Copy)]
pub struct AppState {
    pub config: StoredValue<Config>,
    pub backend: StoredValue<Backend>,
    /// Latest count from the API; `None` until the first answer.
    pub count: RwSignal<Option<u64>>,
    /// The count could not be loaded at all (no number has ever arrived).
    pub count_unavailable: RwSignal<bool>,
    /// The API said the petition is closed.
    pub api_closed: RwSignal<bool>,
    pub signed: RwSignal<Option<Signed>>,
    /// Read from the landing URL once; survives navigation within the app.
    pub attribution: StoredValue<Attribution>,
    /// The landing URL's query (`?sfc=…&utm_source=…`, or empty), for the language switch.
    pub landing_query: StoredValue<String>,
    /// The backend counts a signature only once its address is confirmed by e-mail (its
    /// petition says so).
    pub confirming: RwSignal<bool>,
    /// What was typed into the form when it was last sent, for "Wrong address? Correct it".
    pub draft: StoredValue<Option<[String; 4]>>,
    /// Notified when the petition opens or closes by its dates (`dates::watch`): what reads
    /// them is read again.
    pub dates_passed: Trigger,
}

/// The first screens are being rendered at build time (`prerender.rs`): the form shows but
/// cannot be used yet. A constant, so the browser's build carries nothing of it.
pub const PRERENDERING: bool = cfg!(feature = "ssr");

impl AppState {
    /// `query`: the landing address's query string, with the attribution parameters.
    pub fn new(loaded: LoadedConfig, query: &str) -> AppState {
        let backend = match &loaded.config.api_base_url {
            Some(url) => Backend::http(url.clone(), loaded.config.petition_id.clone()),
            None => Backend::demo(loaded.demo_mode, u64::from(dom::random_bytes()[0]) * 11),
        };
        let mut attribution = from_query(query);
        let referrer = document().referrer();
        if !referrer.is_empty() {
            attribution.insert("referrer".into(), clean_value(&referrer));
        }
        AppState {
            config: StoredValue::new(loaded.config),
            backend: StoredValue::new(backend),
            count: RwSignal::new(None),
            count_unavailable: RwSignal::new(false),
            api_closed: RwSignal::new(false),
            signed: RwSignal::new(None),
            attribution: StoredValue::new(attribution),
            landing_query: StoredValue::new(match query.strip_prefix('?').unwrap_or(query) {
                "" => String::new(),
                query => format!("?{query}"),
            }),
            confirming: RwSignal::new(false),
            draft: StoredValue::new(None),
            dates_passed: Trigger::new(),
        }
    }

    /// The state the first screen is rendered in at build time: nothing loaded, nothing sent.
    #[cfg(feature = "ssr")]
    pub fn prerendered(config: Config) -> AppState {
        AppState {
            backend: StoredValue::new(Backend::http(String::new(), config.petition_id.clone())),
            config: StoredValue::new(config),
            count: RwSignal::new(None),
            count_unavailable: RwSignal::new(false),
            api_closed: RwSignal::new(false),
            signed: RwSignal::new(None),
            attribution: StoredValue::new(Attribution::new()),
            landing_query: StoredValue::new(String::new()),
            confirming: RwSignal::new(false),
            draft: StoredValue::new(None),
            dates_passed: Trigger::new(),
        }
    }

    pub fn is_demo(&self) -> bool {
        self.backend.with_value(Backend::is_demo)
    }

    /// Closed by date or by the API.
    pub fn is_closed(&self) -> bool {
        self.dates_passed.track();
        let by_date = self
            .config
            .with_value(|c| c.closes_at.is_some_and(|t| dom::now_ms() as i64 >= t));
        by_date || self.api_closed.get()
    }

    /// Not yet open by date.
    pub fn is_before_opening(&self) -> bool {
        self.dates_passed.track();
        self.config
            .with_value(|c| c.is_before_opening(dom::now_ms() as i64))
    }
}

/// The app state from context.
pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

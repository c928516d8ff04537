#![recursion_limit = "256"]
//! The petition app: the router, then the runtime configuration, then the page for the
//! address, with the configuration and the API client provided as context.

pub mod api;
pub mod components;
pub mod config;
pub mod copy;
pub mod dates;
pub mod demo;
pub mod dom;
pub mod embed;
pub mod messages;
pub mod pages;
pub mod poll;
#[cfg(feature = "ssr")]
pub mod prerender;
pub mod state;
pub mod submission;

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::hooks::use_location;
use leptos_router::StaticSegment;
use petitie_core::route::Route as Page;

use crate::components::layout::ConfigErrorPanel;
use crate::config::LoadedConfig;
use crate::pages::{
    confirm::TokenPage, embed::EmbedPage, municipalities::MunicipalitiesPage,
    not_found::NotFoundPage, petition::PetitionPage, privacy::PrivacyPage, thanks::ThanksPage,
};
use crate::state::AppState;

/// Entry point: mounts the app after the static first screen, which it replaces once the
/// configuration has loaded.
pub fn start() {
    // A panic is a bug: its message goes to the console, also in the release build.
    console_error_panic_hook::set_once();
    use_browser_lowercase();
    // The page's texts, in its language: without them, the static first screen stays.
    if let Err(problem) = copy::install_from_page() {
        web_sys::console::error_1(&format!("petitie: {problem}").into());
        return;
    }
    mount_to_body(App);
}

/// E-mail domains are lower-cased with the browser's Unicode case mapping (not the standard
/// library's tables, which would add 6.7 KB brotli to the wasm).
pub fn use_browser_lowercase() {
    #[cfg(target_arch = "wasm32")]
    petitie_core::email::set_lowercase(|text| js_sys::JsString::from(text).to_lower_case().into());
}

/// The router, under the base path the build was made for.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router base=dom::router_base()>
            <Configured />
        </Router>
    }
}

/// Loads `config.json`; then the pages, or the panel that says what is wrong with it.
#[component]
fn Configured() -> impl IntoView {
    // The landing address's query: attribution and the designer's `?demo=…`, read once.
    let query = use_location().search.get_untracked();
    let loaded = {
        let query = query.clone();
        LocalResource::new(move || {
            let query = query.clone();
            async move { config::load(&query).await }
        })
    };
    // Nothing is rendered until it has loaded (the static first screen stays), so there is
    // no `<Suspense>` fallback around this.
    move || {
        let query = query.clone();
        Suspend::new(async move {
            let loaded = loaded.await;
            // The app's first screen is mounted in this same task, before the browser paints
            // again: the reader never sees both or neither, and what the app measures (the
            // embed's height) is its own layout.
            dom::remove_first_paint();
            match loaded {
                Ok(loaded) => view! { <Pages loaded query /> }.into_any(),
                Err(problem) => {
                    view! { <ConfigErrorPanel problem=problem.describe() /> }.into_any()
                }
            }
        })
    }
}

/// The app's state, the count poll and the pages.
#[component]
fn Pages(loaded: LoadedConfig, query: String) -> impl IntoView {
    let state = AppState::new(loaded, &query);
    provide_context(state);
    poll::start_count_poll(state);
    dates::watch(state);
    view! { <PageRoutes /> }
}

/// One route per page.
#[component]
fn PageRoutes() -> impl IntoView {
    let lang = copy::lang();
    view! {
        <FlatRoutes fallback=NotFoundPage>
            <Route path=StaticSegment(Page::Petition.segment(lang)) view=PetitionPage />
            <Route path=StaticSegment(Page::Thanks.segment(lang)) view=ThanksPage />
            <Route path=StaticSegment(Page::Privacy.segment(lang)) view=PrivacyPage />
            <Route path=StaticSegment(Page::Municipalities.segment(lang)) view=MunicipalitiesPage />
            <Route path=StaticSegment(Page::Embed.segment(lang)) view=EmbedPage />
            <Route
                path=StaticSegment(Page::Confirm.segment(lang))
                view=|| view! { <TokenPage withdraw=false /> }
            />
            <Route
                path=StaticSegment(Page::Withdraw.segment(lang))
                view=|| view! { <TokenPage withdraw=true /> }
            />
        </FlatRoutes>
    }
}

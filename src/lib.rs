//! The petition app: loads the runtime configuration, provides it with the API client as
//! context, and shows the page for the address (see `router`).

pub mod api;
pub mod components;
pub mod config;
pub mod copy;
pub mod dom;
pub mod embed;
#[cfg(target_arch = "wasm32")]
mod memory;
pub mod messages;
pub mod pages;
pub mod poll;
pub mod router;
pub mod state;

use leptos::prelude::*;

use crate::components::layout::ConfigErrorPanel;
use crate::config::LoadedConfig;
use crate::pages::{
    embed::EmbedPage, municipalities::MunicipalitiesPage, not_found::NotFoundPage,
    petition::PetitionPage, privacy::PrivacyPage, thanks::ThanksPage,
};
use crate::router::{provide_router, Route};
use crate::state::{AppState, StartUp};

/// Entry point: fetch `config.json`, then mount.
pub fn start() {
    // A panic is a bug: say where in the console rather than a bare "unreachable".
    #[cfg(debug_assertions)]
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into())
    }));
    // The executor starts with the mount; the config has to load before that.
    wasm_bindgen_futures::spawn_local(async {
        let loaded = config::load().await;
        // Built out of the document in small tasks (see `StartUp`), then shown in one step:
        // no start-up task builds the whole page, and the static first screen stays until the
        // app's own is complete. Reading the config is a task of its own too.
        dom::next_task().await;
        let step = RwSignal::new(0);
        let stage = dom::stage();
        mount_to(stage.clone(), move || {
            provide_context(StartUp(step.read_only()));
            view! { <App loaded /> }
        })
        .forget();
        for next in 1..StartUp::SHOWN {
            dom::next_task().await;
            step.set(next);
        }
        dom::next_task().await;
        dom::show_stage(&stage);
        step.set(StartUp::SHOWN);
    });
}

/// The app for a loaded (or failed) configuration.
#[component]
pub fn App(loaded: Result<LoadedConfig, String>) -> impl IntoView {
    match loaded {
        Err(problem) => view! { <ConfigErrorPanel problem /> }.into_any(),
        Ok(loaded) => {
            let state = AppState::new(loaded);
            provide_context(state);
            poll::start_count_poll(state);
            let router = provide_router();
            (move || match router.route() {
                Route::Petition => view! { <PetitionPage /> }.into_any(),
                Route::Thanks => view! { <ThanksPage /> }.into_any(),
                Route::Privacy => view! { <PrivacyPage /> }.into_any(),
                Route::Municipalities => view! { <MunicipalitiesPage /> }.into_any(),
                Route::Embed => view! { <EmbedPage /> }.into_any(),
                Route::NotFound => view! { <NotFoundPage /> }.into_any(),
            })
            .into_any()
        }
    }
}

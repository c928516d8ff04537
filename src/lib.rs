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

use crate::components::later::Later;
use crate::components::layout::{ConfigErrorPanel, PartErrorPanel};
use crate::config::{LoadedConfig, Problem};
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
        // Compiling and starting the wasm is a task of its own; so is asking for the config.
        dom::next_task().await;
        let loaded = config::load().await;
        // Built in small tasks (see `StartUp`) in a hidden part of the document, then shown in
        // one step: no start-up task builds the whole page, the browser lays out each step as
        // it comes, and the static first screen stays until the app's own is complete.
        // Reading the config is a task of its own too.
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
pub fn App(loaded: Result<LoadedConfig, Problem>) -> impl IntoView {
    match loaded {
        Err(problem) => Suspend::new(async move {
            let problem = config_problem(problem).await;
            view! { <ConfigErrorPanel problem /> }
        })
        .into_any(),
        Ok(loaded) => {
            let state = AppState::new(loaded);
            provide_context(state);
            poll::start_count_poll(state);
            let router = provide_router();
            // Asking again after a failed fetch of the other pages' part.
            let attempt = RwSignal::new(0u32);
            let page = move || {
                attempt.track();
                match router.route() {
                    Route::Petition => view! { <PetitionPage /> }.into_any(),
                    route => Suspend::new(async move {
                        other_page(route)
                            .await
                            .unwrap_or_else(|_| view! { <PartErrorPanel attempt /> }.into_any())
                    })
                    .into_any(),
                }
            };
            view! { <Later step=StartUp::PAGE>{page}</Later> }.into_any()
        }
    }
}

/// The pages other than the petition's. The release build (`--cfg split`) puts them in a
/// wasm part of their own, fetched the first time one of them is shown (or ahead of that, see
/// [`preload_other_pages`]), so a first visit to `/` does not download them.
#[cfg(split)]
async fn other_page(route: Route) -> Result<AnyView, PartMissing> {
    split::other_page(route).await
}

/// The pages other than the petition's (in the same wasm when not split).
#[cfg(not(split))]
async fn other_page(route: Route) -> Result<AnyView, PartMissing> {
    Ok(other_page_view(route))
}

/// Fetches the other pages' part ahead of need (e.g. once someone starts on the form), so
/// that the thank-you step shows at once; a failure is left to the page itself to report.
pub fn preload_other_pages() {
    #[cfg(split)]
    leptos::task::spawn_local(async {
        let _ = split::preload().await;
    });
}

/// A broken configuration in Dutch (see [`Problem::describe`]); `None` if the part with the
/// descriptions could not be fetched.
#[cfg(split)]
async fn config_problem(problem: Problem) -> Option<String> {
    split::config_problem(problem).await.ok()
}

/// A broken configuration in Dutch (see [`Problem::describe`]).
#[cfg(not(split))]
async fn config_problem(problem: Problem) -> Option<String> {
    Some(problem.describe())
}

/// The other pages' part could not be fetched.
pub struct PartMissing;

fn other_page_view(route: Route) -> AnyView {
    match route {
        Route::Thanks => view! { <ThanksPage /> }.into_any(),
        Route::Privacy => view! { <PrivacyPage /> }.into_any(),
        Route::Municipalities => view! { <MunicipalitiesPage /> }.into_any(),
        Route::Embed => view! { <EmbedPage /> }.into_any(),
        Route::Petition | Route::NotFound => view! { <NotFoundPage /> }.into_any(),
    }
}

#[cfg(split)]
mod split {
    use super::{other_page_view, AnyView, PartMissing, Problem, Route};
    use leptos::wasm_split::{wasm_split, SplitLoaderError};

    impl From<SplitLoaderError> for PartMissing {
        fn from(_: SplitLoaderError) -> PartMissing {
            PartMissing
        }
    }

    #[wasm_split(other_pages, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload))]
    pub fn other_page(route: Route) -> Result<AnyView, PartMissing> {
        Ok(other_page_view(route))
    }

    #[wasm_split(other_pages, wasm_split_path = ::leptos::wasm_split, fallible)]
    pub fn config_problem(problem: Problem) -> Result<String, PartMissing> {
        Ok(problem.describe())
    }
}

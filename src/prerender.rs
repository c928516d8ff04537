//! The first screens of `/` and `/embed`, rendered to HTML at build time by the app's own
//! components (`src/bin/prerender.rs`, run by Trunk's post-build hook), in the state a visitor
//! sees before anything has loaded: the count's placeholder, and the complete form, shown but
//! not usable until the app runs.

use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::location::RequestUrl;
use petitie_core::config::Config;
use petitie_core::route::Route;

use crate::dom;
use crate::state::AppState;

/// The markup of `route`'s page in the installed language (`copy::use_language`) for a build
/// under `base` (`/petitie`, or empty at the root).
pub fn render(route: Route, base: &str, config: &Config) -> String {
    dom::set_site_base(base);
    let owner = Owner::new();
    owner.with(|| {
        let path = format!("{base}{}", route.full_path(crate::copy::lang()));
        provide_context(RequestUrl::new(&path));
        provide_context(AppState::prerendered(config.clone()));
        let base = dom::router_base();
        view! {
            <Router base>
                <crate::PageRoutes />
            </Router>
        }
        .to_html()
    })
}

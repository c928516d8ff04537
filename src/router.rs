//! In-app navigation between the five pages: the current [`Route`] as a signal, links that
//! change it without a page load, and the browser's back and forward buttons.
//!
//! The app's routes are five fixed paths, so this replaces a general router (nested routes,
//! parameters, data loading) that weighed a fifth of the wasm download.

use leptos::ev::MouseEvent;
use leptos::prelude::*;
pub use petitie_core::route::Route;

use crate::dom;

/// The current page, provided as context by [`provide_router`].
#[derive(Clone, Copy)]
pub struct Router {
    route: RwSignal<Route>,
}

/// Reads the page from the address and follows the back and forward buttons.
pub fn provide_router() -> Router {
    let router = Router {
        route: RwSignal::new(current()),
    };
    let listener = window_event_listener_untyped("popstate", move |_| {
        router.route.set(current());
    });
    on_cleanup(move || listener.remove());
    provide_context(router);
    router
}

/// The router from context.
pub fn use_router() -> Router {
    expect_context::<Router>()
}

fn current() -> Route {
    let pathname = window().location().pathname().unwrap_or_default();
    Route::from_path(&pathname, &dom::router_base())
}

impl Router {
    /// The page being shown (tracked).
    pub fn route(&self) -> Route {
        self.route.get()
    }

    /// Shows `route` as a new history entry, from the top of the page.
    pub fn go(&self, route: Route) {
        self.change(route, false);
    }

    /// Shows `route` in place of the current history entry (a redirect).
    pub fn replace(&self, route: Route) {
        self.change(route, true);
    }

    fn change(&self, route: Route, replace: bool) {
        let url = dom::app_path(route.path());
        if let Ok(history) = window().history() {
            let state = wasm_bindgen::JsValue::NULL;
            let _ = if replace {
                history.replace_state_with_url(&state, "", Some(&url))
            } else {
                history.push_state_with_url(&state, "", Some(&url))
            };
        }
        self.route.set(route);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// A link to a page of the app. A plain click changes the page in place; a click with a
/// modifier key or another button is left to the browser (new tab, new window).
#[component]
pub fn Link(to: Route, children: Children) -> impl IntoView {
    let router = use_router();
    let on_click = move |ev: MouseEvent| {
        let plain =
            ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key());
        if plain && !ev.default_prevented() {
            ev.prevent_default();
            router.go(to);
        }
    };
    view! {
        <a
            href=dom::app_path(to.path())
            aria-current=move || (router.route() == to).then_some("page")
            on:click=on_click
        >
            {children()}
        </a>
    }
}

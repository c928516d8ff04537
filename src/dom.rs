//! Small browser facts the app needs: base path, query string, time, randomness, media
//! queries. Kept here so components stay thin.
//!
//! The facts a component reads while it renders also have a native answer, for the first
//! screens rendered at build time (`prerender.rs`): there is no browser, nothing has loaded.

use leptos::prelude::{document, window};
use petitie_core::lang::Lang;
use petitie_core::route::Route;
use wasm_bindgen::JsCast;

/// The base path the build was made for (`trunk build --public-url /petitie/` gives
/// `/petitie`), from the meta element Trunk's loader pattern writes (Trunk.toml); empty at the
/// site root. (No `<base>` element: the Content-Security-Policy forbids one.) The Dutch pages
/// live here, the English ones below it (`router_base`); `config.json` is here for both.
#[cfg(target_arch = "wasm32")]
pub fn site_base() -> String {
    thread_local! {
        static BASE: String = document()
            .query_selector("meta[name=petitie-base]")
            .ok()
            .flatten()
            .and_then(|meta| meta.get_attribute("content"))
            .map(|public_url| petitie_core::config::base_path_of_asset(&public_url))
            .unwrap_or_default();
    }
    BASE.with(String::clone)
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static PRERENDER_BASE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// At build time: the base path given to the prerender step.
#[cfg(not(target_arch = "wasm32"))]
pub fn site_base() -> String {
    PRERENDER_BASE.with(|base| base.borrow().clone())
}

/// Sets the base path the first screens are rendered for (`/petitie`, or empty).
#[cfg(not(target_arch = "wasm32"))]
pub fn set_site_base(base: &str) {
    PRERENDER_BASE.with(|b| *b.borrow_mut() = base.to_string());
}

/// The base of this page's language: the base path, then `/en` for English.
pub fn router_base() -> String {
    format!("{}{}", site_base(), crate::copy::lang().prefix())
}

/// The address of a page of the app in this page's language ("/privacy", "/en/thanks"),
/// under the base path the build was made for. The router's `<A>` takes absolute paths as
/// they are, so internal links go through this.
pub fn app_path(route: Route) -> String {
    format!("{}{}", router_base(), route.path(crate::copy::lang()))
}

/// The address of a page in a language, under the base path ("/en/thanks").
pub fn page_in(route: Route, lang: Lang) -> String {
    format!("{}{}", site_base(), route.full_path(lang))
}

/// The page of the app at this path (the location's pathname) in this page's language.
pub fn route_at(pathname: &str) -> Option<Route> {
    let below = pathname.strip_prefix(&router_base())?;
    Route::from_path(crate::copy::lang(), below)
}

/// Points the page's canonical and hreflang links at `route`'s addresses, for search engines:
/// each page calls it as it renders. The build writes the links when it knows the public
/// origin, which the canonical link carries (`data-origin`).
pub fn set_page_links(route: Route) {
    if cfg!(not(target_arch = "wasm32")) {
        return;
    }
    let Some(origin) = document()
        .query_selector("link[data-origin]")
        .ok()
        .flatten()
        .and_then(|link| link.get_attribute("data-origin"))
    else {
        return;
    };
    for (selector, lang) in [
        ("link[rel=canonical]", crate::copy::lang()),
        ("link[hreflang=nl]", Lang::Nl),
        ("link[hreflang=x-default]", Lang::Nl),
        ("link[hreflang=en]", Lang::En),
    ] {
        if let Ok(Some(link)) = document().query_selector(selector) {
            let _ = link.set_attribute("href", &format!("{origin}{}", page_in(route, lang)));
        }
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Date::now();
    #[cfg(not(target_arch = "wasm32"))]
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64)
}

/// A high-resolution timestamp for animations.
pub fn perf_now() -> f64 {
    #[cfg(not(target_arch = "wasm32"))]
    return 0.0;
    #[cfg(target_arch = "wasm32")]
    window()
        .performance()
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// 16 bytes from the browser's cryptographic random source.
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    if let Ok(crypto) = window().crypto() {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes
}

/// A number in 0..1 for jitter (not security relevant).
pub fn random_unit() -> f64 {
    js_sys::Math::random()
}

/// Whether the user asked for reduced motion.
pub fn prefers_reduced_motion() -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    return false;
    #[cfg(target_arch = "wasm32")]
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Whether the page is hidden (another tab, minimised, screen off).
pub fn page_hidden() -> bool {
    document().hidden()
}

/// Whether the browser believes it is online.
pub fn online() -> bool {
    window().navigator().on_line()
}

thread_local! {
    static FIRST_SCREEN_SHOWN_AT: std::cell::Cell<Option<f64>> = const { std::cell::Cell::new(None) };
}

/// Removes the static first screen of index.html, once the app's own is in place. Its form
/// took typing from the first paint on; index.html's script hands what was typed, the focus
/// and an early submit to the app's form.
pub fn remove_first_paint() {
    if let Some(first_paint) = document().get_element_by_id("first-paint") {
        first_paint.remove();
        // Since the page began to load.
        FIRST_SCREEN_SHOWN_AT.set(Some(now_ms() - perf_now()));
    }
}

/// When the form the app takes over from the first screen was first shown (once), in
/// milliseconds since the Unix epoch.
pub fn take_first_screen_shown_at() -> Option<f64> {
    FIRST_SCREEN_SHOWN_AT.take()
}

/// Moves focus to the element with this id (for the error summary and field links).
pub fn focus_id(id: &str) {
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Sets the document title.
pub fn set_title(title: &str) {
    #[cfg(target_arch = "wasm32")]
    document().set_title(title);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = title;
}

/// Resolves once the browser is back online (at once when it is online).
pub async fn until_online() {
    if online() {
        return;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = window().add_event_listener_with_callback_and_add_event_listener_options(
            "online", &resolve, &options,
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

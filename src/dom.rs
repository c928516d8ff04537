//! Small browser facts the app needs: base path, query string, time, randomness, media
//! queries. Kept here so components stay thin.

use leptos::prelude::{document, window};
use wasm_bindgen::JsCast;

/// The base path the build was made for (`trunk build --public-url /petitie/` gives
/// `/petitie`), read from the address Trunk gave the app's own script; empty at the site root.
/// (No `<base>` element: the Content-Security-Policy forbids one.)
/// Read once: every link and every navigation asks for it.
pub fn router_base() -> String {
    thread_local! {
        static BASE: String = document()
            .query_selector("link[rel=modulepreload]")
            .ok()
            .flatten()
            .and_then(|link| link.get_attribute("href"))
            .map(|href| petitie_core::config::base_path_of_asset(&href))
            .unwrap_or_default();
    }
    BASE.with(String::clone)
}

/// An address inside the app ("/privacy"), under the base path the build was made for. The
/// router's `<A>` takes absolute paths as they are, so internal links go through this.
pub fn app_path(path: &str) -> String {
    format!("{}{path}", router_base())
}

/// The page's query string as it was on arrival (with the leading `?`).
pub fn query_string() -> String {
    window().location().search().unwrap_or_default()
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A high-resolution timestamp for animations.
pub fn perf_now() -> f64 {
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

/// The element the app is built in: in the document after the static first screen, but
/// hidden and of no height (`.stage--building` in layout.css), so that the browser styles and lays
/// out each start-up step as it is added, rather than the whole app at once when it is shown.
pub fn stage() -> web_sys::HtmlElement {
    let stage: web_sys::HtmlElement = document()
        .create_element("div")
        .expect("a document can create a div")
        .unchecked_into();
    stage.set_class_name("stage stage--building");
    let body = document().body().expect("the page has a body");
    let _ = body.append_child(&stage);
    stage
}

/// Shows what was built in `stage` and removes the static first-paint markup of index.html,
/// in one step: the reader never sees the page half built.
pub fn show_stage(stage: &web_sys::HtmlElement) {
    if let Some(shell) = document().get_element_by_id("first-paint") {
        shell.remove();
    }
    stage.set_class_name("stage");
}

/// Resolves in a later task (a message to a channel of our own: not throttled like a timer in
/// a background tab, and after what the browser has queued meanwhile, such as input).
/// One caller at a time: start-up awaits it step by step.
pub async fn next_task() {
    thread_local! {
        static CHANNEL: Option<web_sys::MessageChannel> = web_sys::MessageChannel::new().ok();
    }
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        CHANNEL.with(|channel| match channel {
            Some(channel) => {
                channel.port1().set_onmessage(Some(&resolve));
                let _ = channel.port2().post_message(&wasm_bindgen::JsValue::NULL);
            }
            None => {
                let _ = window().set_timeout_with_callback(&resolve);
            }
        })
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
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
    document().set_title(title);
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

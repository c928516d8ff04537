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

/// Sets the content of `<meta name=…>` in the head, adding the element when it is missing;
/// `None` removes it.
pub fn set_meta(name: &str, content: Option<&str>) {
    #[cfg(target_arch = "wasm32")]
    {
        let head = document().head();
        let existing = document()
            .query_selector(&format!("meta[name={name}]"))
            .ok()
            .flatten();
        match (existing, content) {
            (Some(meta), Some(content)) => {
                let _ = meta.set_attribute("content", content);
            }
            (Some(meta), None) => meta.remove(),
            (None, Some(content)) => {
                if let (Some(head), Ok(meta)) = (head, document().create_element("meta")) {
                    let _ = meta.set_attribute("name", name);
                    let _ = meta.set_attribute("content", content);
                    let _ = head.append_child(&meta);
                }
            }
            (None, None) => {}
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (name, content);
}

/// Takes the fragment (`#…`, a confirmation mail's token) out of the address bar: it stays
/// out of the history, a bookmark and anything the page is shared as. Now, and again before
/// the next paint, after the router has written the address of a navigation in the app.
pub fn clear_fragment() {
    #[cfg(target_arch = "wasm32")]
    {
        fn clear() {
            let location = window().location();
            if location.hash().is_ok_and(|hash| !hash.is_empty()) {
                let here = format!(
                    "{}{}",
                    location.pathname().unwrap_or_default(),
                    location.search().unwrap_or_default()
                );
                if let Ok(history) = window().history() {
                    let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
                    let _ = history.replace_state_with_url(&state, "", Some(&here));
                }
            }
        }
        clear();
        leptos::prelude::request_animation_frame(clear);
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

/// What a supporter did on the static first screen before the app ran, handed to the app's
/// form when it takes over: the values of its fields, the focused field with its selection,
/// and whether a submit was pressed (index.html's script keeps it as `data-submitted`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FirstScreen {
    /// Each input's id with its value, where one was typed (or filled in by the browser).
    pub values: Vec<(String, String)>,
    /// The id of the focused field, with its selection (fields of some types have none).
    pub focused: Option<(String, Option<(u32, u32)>)>,
    pub submitted: bool,
    /// When it was first shown (since the page began to load), in milliseconds since the
    /// Unix epoch.
    pub shown_at: f64,
}

impl FirstScreen {
    /// The value typed into the input with this id.
    pub fn value(&self, id: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(own, _)| own == id)
            .map(|(_, value)| value.as_str())
    }
}

thread_local! {
    static FIRST_SCREEN: std::cell::RefCell<Option<FirstScreen>> = const { std::cell::RefCell::new(None) };
}

/// Removes the static first screen of index.html, in the task that mounts the app's own page,
/// after reading what was done on it (see [`take_first_screen`]).
pub fn remove_first_paint() {
    #[cfg(target_arch = "wasm32")]
    if let Some(first_paint) = document().get_element_by_id("first-paint") {
        FIRST_SCREEN.set(Some(read_first_screen(&first_paint)));
        first_paint.remove();
    }
}

#[cfg(target_arch = "wasm32")]
fn read_first_screen(first_paint: &web_sys::Element) -> FirstScreen {
    use web_sys::{HtmlFormElement, HtmlInputElement};
    let input = |element: web_sys::Element| element.dyn_into::<HtmlInputElement>().ok();
    let mut screen = FirstScreen {
        shown_at: now_ms() - perf_now(),
        ..FirstScreen::default()
    };
    if let Ok(inputs) = first_paint.query_selector_all("input[id]") {
        for i in 0..inputs.length() {
            let Some(field) = inputs
                .get(i)
                .and_then(|n| n.dyn_into().ok())
                .and_then(input)
            else {
                continue;
            };
            if !field.value().is_empty() {
                screen.values.push((field.id(), field.value()));
            }
        }
    }
    // Read before the removal, which may blur it.
    screen.focused = document()
        .active_element()
        .filter(|active| first_paint.contains(Some(active)))
        .and_then(input)
        .map(|field| {
            let selection = match (field.selection_start(), field.selection_end()) {
                (Ok(Some(from)), Ok(Some(to))) => Some((from, to)),
                _ => None,
            };
            (field.id(), selection)
        });
    screen.submitted = first_paint
        .query_selector("form")
        .ok()
        .flatten()
        .and_then(|form| form.dyn_into::<HtmlFormElement>().ok())
        .is_some_and(|form| form.dataset().get("submitted").is_some());
    screen
}

/// What was done on the static first screen, once: for the form that takes it over.
pub fn take_first_screen() -> Option<FirstScreen> {
    FIRST_SCREEN.take()
}

/// Gives the input with this id the focus and this selection (where its type has one).
pub fn focus_with_selection(id: &str, selection: Option<(u32, u32)>) {
    focus_id(id);
    if let (Some((from, to)), Some(field)) = (
        selection,
        document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()),
    ) {
        let _ = field.set_selection_range(from, to);
    }
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

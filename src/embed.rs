//! Iframe mode: finds the parent page's origin, and only when it is in
//! `embed.allowed_origins` posts it size, step and signature messages (never to `'*'`).

use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The parent origin to talk to, if the app is framed by an allowed one. `query`: the
/// page's query string, where the host snippet names its origin (`parent_origin`).
pub fn allowed_parent_origin(allowed: &[String], query: &str) -> Option<String> {
    let candidate = parent_origin(query)?;
    allowed.iter().find(|o| **o == candidate).cloned()
}

/// Rendered at build time: not framed by anyone.
#[cfg(not(target_arch = "wasm32"))]
fn parent_origin(_query: &str) -> Option<String> {
    None
}

/// The framing page's origin, when framed.
#[cfg(target_arch = "wasm32")]
fn parent_origin(query: &str) -> Option<String> {
    use petitie_core::attribution::query_pairs;
    use petitie_core::config::origin_of;
    let win = window();
    let framed = win
        .parent()
        .ok()
        .flatten()
        .is_some_and(|p| !same_window(&p, &win));
    if !framed {
        return None;
    }
    let from_ancestors = js_sys::Reflect::get(&win.location(), &"ancestorOrigins".into())
        .ok()
        .filter(|v| !v.is_undefined())
        .and_then(|list| js_sys::Reflect::get(&list, &JsValue::from(0)).ok())
        .and_then(|v| v.as_string());
    from_ancestors
        .or_else(|| {
            query_pairs(query)
                .into_iter()
                .find(|(k, _)| k == "parent_origin")
                .map(|(_, v)| v)
        })
        .or_else(|| origin_of(&document().referrer()))
}

#[cfg(target_arch = "wasm32")]
fn same_window(a: &web_sys::Window, b: &web_sys::Window) -> bool {
    let a: &JsValue = a.as_ref();
    let b: &JsValue = b.as_ref();
    a == b
}

/// A message for the host page.
pub enum HostMessage {
    Resize(u32),
    Step(&'static str),
    Signed(u64),
}

/// Posts a message to the parent, addressed to `origin` only.
pub fn post(origin: &str, message: HostMessage) {
    let object = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&object, &k.into(), &v);
    };
    match message {
        HostMessage::Resize(height) => {
            set("type", "petitie:resize".into());
            set("height", height.into());
        }
        HostMessage::Step(step) => {
            set("type", "petitie:step".into());
            set("step", step.into());
        }
        HostMessage::Signed(count) => {
            set("type", "petitie:signed".into());
            set("count", (count as f64).into());
        }
    }
    if let Ok(Some(parent)) = window().parent() {
        let _ = parent.post_message(&object, origin);
    }
}

/// Tells the host the height of one element whenever it changes.
#[derive(Clone)]
pub struct SizeReporter {
    el: web_sys::Element,
    origin: String,
    last: Rc<Cell<u32>>,
}

impl SizeReporter {
    pub fn new(el: web_sys::Element, origin: String) -> Self {
        Self {
            el,
            origin,
            last: Rc::default(),
        }
    }

    /// Measures now (this forces layout, so it works in a frame the browser does not render)
    /// and posts the height if it differs from the last one sent.
    pub fn report(&self) {
        let height = self.el.get_bounding_client_rect().height().ceil() as u32;
        if height != self.last.replace(height) {
            post(&self.origin, HostMessage::Resize(height));
        }
    }

    /// Reports now and on every size change. Resize observations arrive at most once per
    /// rendered frame, which is the throttle; `report` drops repeats. A frame scrolled out of
    /// view is not rendered, so changes to the content (a count arriving) are also caught by a
    /// mutation observer, which runs regardless.
    pub fn observe(self) {
        self.report();
        let el = self.el.clone();
        let on_resize = {
            let this = self.clone();
            Closure::<dyn FnMut()>::new(move || this.report())
        };
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&el);
            // The observers live as long as the page; the iframe is their lifetime.
            std::mem::forget(observer);
        }
        on_resize.forget();
        let on_mutation = Closure::<dyn FnMut()>::new(move || self.report());
        if let Ok(observer) = web_sys::MutationObserver::new(on_mutation.as_ref().unchecked_ref()) {
            let options = web_sys::MutationObserverInit::new();
            options.set_subtree(true);
            options.set_child_list(true);
            options.set_character_data(true);
            options.set_attributes(true);
            let _ = observer.observe_with_options(&el, &options);
            std::mem::forget(observer);
        }
        on_mutation.forget();
    }
}

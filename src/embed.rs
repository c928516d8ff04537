//! Iframe mode: finds the parent page's origin, and only when it is in
//! `embed.allowed_origins` posts it size, step and signature messages (never to `'*'`).

use leptos::prelude::*;
use petitie_core::attribution::query_pairs;
use petitie_core::config::origin_of;
use wasm_bindgen::JsValue;

/// The parent origin to talk to, if the app is framed by an allowed one.
pub fn allowed_parent_origin(allowed: &[String]) -> Option<String> {
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
    let candidate = from_ancestors
        .or_else(|| {
            query_pairs(&crate::dom::query_string())
                .into_iter()
                .find(|(k, _)| k == "parent_origin")
                .map(|(_, v)| v)
        })
        .or_else(|| origin_of(&document().referrer()))?;
    allowed.iter().find(|o| **o == candidate).cloned()
}

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

//! `/embed`: the compact petition for an iframe on the charity's own pages: count, title,
//! short intro, form and privacy notice; the thank-you step in place after signing.
//! It sizes itself through messages to an allowed parent and takes a few theme tokens
//! from the URL.

use std::cell::Cell;
use std::rc::Rc;

use leptos::html::Div;
use leptos::prelude::*;
use petitie_core::attribution::query_pairs;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::components::counter::Counter;
use crate::components::layout::DemoLabel;
use crate::copy::petition;
use crate::dom;
use crate::embed::{allowed_parent_origin, post, HostMessage};
use crate::pages::petition::SignArea;
use crate::pages::thanks::ThanksStep;
use crate::state::use_app;

#[component]
pub fn EmbedPage() -> impl IntoView {
    let app = use_app();
    let parent = app
        .config
        .with_value(|c| allowed_parent_origin(&c.embed_allowed_origins));
    if let Some(origin) = &parent {
        app.attribution.update_value(|a| {
            a.insert("embed_host".into(), origin.clone());
        });
    }
    let pairs = query_pairs(&dom::query_string());
    let transparent = pairs.iter().any(|(k, v)| k == "bg" && v == "transparent");
    let theme = petitie_core::theme::from_query(&pairs);
    let wrapper = NodeRef::<Div>::new();
    let root = NodeRef::<Div>::new();

    // Theme tokens go through the CSSOM (allowed by a strict CSP), never into markup.
    root.on_load(move |el| {
        let style = web_sys::HtmlElement::style(&el);
        for (property, value) in &theme {
            let _ = style.set_property(property, value);
        }
    });

    if let Some(origin) = parent.clone() {
        let last_height = Rc::new(Cell::new(0u32));
        let frame_pending = Rc::new(Cell::new(false));
        wrapper.on_load(move |el| {
            let el_for_cb: web_sys::Element = el.clone().into();
            let origin = origin.clone();
            let callback =
                Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| {
                    if frame_pending.replace(true) {
                        return;
                    }
                    let el = el_for_cb.clone();
                    let origin = origin.clone();
                    let last_height = last_height.clone();
                    let frame_pending = frame_pending.clone();
                    request_animation_frame(move || {
                        frame_pending.set(false);
                        let height = el.get_bounding_client_rect().height().ceil() as u32;
                        if height != last_height.replace(height) {
                            post(&origin, HostMessage::Resize(height));
                        }
                    });
                });
            if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
                observer.observe(&el);
                // The observer lives as long as the page; the iframe is its lifetime.
                std::mem::forget(observer);
            }
            callback.forget();
        });
    }

    let step_origin = parent.clone();
    Effect::new(move |previous: Option<bool>| {
        let signed = app.signed.with(Option::is_some);
        if let Some(origin) = &step_origin {
            if previous != Some(signed) {
                post(
                    origin,
                    HostMessage::Step(if signed { "thanks" } else { "form" }),
                );
                if signed {
                    if let Some(count) = app.signed.with_untracked(|s| s.as_ref().map(|s| s.count))
                    {
                        post(origin, HostMessage::Signed(count));
                    }
                }
            }
        }
        signed
    });

    let base = dom::router_base();
    view! {
        <div class="embed" class:embed--transparent=transparent node_ref=root>
            <div class="embed-inner" node_ref=wrapper>
                <main id="main">
                    {move || match app.signed.get() {
                        Some(signed) => view! { <ThanksStep signed /> }.into_any(),
                        None => {
                            view! {
                                <Counter />
                                <h1 class="petition-title embed-title">{petition::TITLE}</h1>
                                <p class="intro embed-intro">{petition::EMBED_INTRO}</p>
                                <p class="read-more">
                                    <a href=format!("{base}/") target="_blank" rel="noopener">
                                        {petition::READ_MORE}
                                    </a>
                                </p>
                                <section class="sign-card sign-card--embed" id="teken">
                                    <SignArea on_signed=Callback::new(|_| ()) />
                                </section>
                            }
                                .into_any()
                        }
                    }}
                    <DemoLabel />
                </main>
            </div>
        </div>
    }
}

//! `/embed`: the compact petition for an iframe on the charity's own pages: count, title,
//! short intro, form and privacy notice; the thank-you step in place after signing.
//! It sizes itself through messages to an allowed parent and takes a few theme tokens
//! from the URL.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use petitie_core::attribution::query_pairs;
use petitie_core::route::Route;

use crate::components::counter::Counter;
use crate::components::head::{titled, PageHead};
use crate::components::layout::DemoLabel;
use crate::copy::{confirm, petition, thanks};
use crate::dom;
use crate::embed::{allowed_parent_origin, post, HostMessage, SizeReporter};
use crate::pages::petition::{sign_area_title, SignArea};
use crate::pages::thanks::{PendingStep, ThanksStep};
use crate::state::use_app;
use crate::state::Signed;

#[component]
pub fn EmbedPage() -> impl IntoView {
    let app = use_app();
    let query = use_location().search.get_untracked();
    let parent = app
        .config
        .with_value(|c| allowed_parent_origin(&c.embed_allowed_origins, &query));
    if let Some(origin) = &parent {
        app.attribution.update_value(|a| {
            a.insert("embed_host".into(), origin.clone());
        });
    }
    let pairs = query_pairs(&query);
    let transparent = pairs.iter().any(|(k, v)| k == "bg" && v == "transparent");
    let theme = petitie_core::theme::from_query(&pairs);
    let root = NodeRef::<Div>::new();

    // Theme tokens go through the CSSOM (allowed by a strict CSP), never into markup.
    root.on_load(move |el| {
        let style = web_sys::HtmlElement::style(&el);
        for (property, value) in &theme {
            let _ = style.set_property(property, value);
        }
    });

    // The outer wrapper, padding included, is exactly what the iframe has to show.
    let reporter: Rc<RefCell<Option<SizeReporter>>> = Rc::default();
    if let Some(origin) = parent.clone() {
        let reporter = reporter.clone();
        Effect::new(move |_| {
            let waiting = reporter.borrow().is_none();
            if let (true, Some(el)) = (waiting, root.get()) {
                let sizes = SizeReporter::new(el.into(), origin.clone());
                sizes.clone().observe();
                *reporter.borrow_mut() = Some(sizes);
            }
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
                // An iframe out of view may not render, so its observer stays silent: measure.
                if let Some(sizes) = reporter.borrow().clone() {
                    set_timeout(move || sizes.report(), std::time::Duration::ZERO);
                }
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
    let has_errors = RwSignal::new(false);
    let title = Signal::derive(move || match app.signed.get() {
        Some(Signed {
            waiting_for: Some(_),
            ..
        }) => titled(confirm::pending_title()),
        Some(signed) => titled(&thanks::title(&signed.first_name)),
        None => sign_area_title(has_errors).get(),
    });
    view! {
        <PageHead title route=Route::Embed noindex=true />
        <div class="embed" class:embed--transparent=transparent node_ref=root>
            <div class="embed-inner">
                <main id="main">
                        {move || match app.signed.get() {
                            Some(Signed { waiting_for: Some(email), .. }) => {
                                view! { <PendingStep email /> }.into_any()
                            }
                            Some(signed) => {
                                view! { <ThanksStep signed social_links=true /> }.into_any()
                            }
                            None => {
                                view! {
                                        <Counter />
                                    <h1 class="petition-title embed-title">{petition::title()}</h1>
                                    <p class="intro embed-intro">{petition::embed_intro()}</p>
                                    <p class="read-more">
                                        <a href=format!("{base}/") target="_blank" rel="noopener">
                                            {petition::read_more()}
                                        </a>
                                    </p>
                                    <section class="sign-card sign-card--embed" id="teken">
                                            <SignArea on_signed=Callback::new(|_| ()) has_errors />
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

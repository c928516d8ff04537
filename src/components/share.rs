//! Sharing after signing: the Web Share API where the browser has it, and always the
//! channel links (WhatsApp first) and a copy-link button that confirms in a live region.

use leptos::prelude::*;
use petitie_core::share::{share_link, tagged_url, Channel};
use wasm_bindgen_futures::JsFuture;

use crate::copy::{site, thanks as copy};
use crate::state::use_app;

/// The public URL of the petition in this page's language: from `share_url` in the config
/// (the Dutch page's), else this page's own.
fn page_url(configured: Option<String>) -> String {
    match configured {
        Some(dutch) => crate::copy::lang().public_url(&dutch),
        None => {
            let origin = window().location().origin().unwrap_or_default();
            format!("{origin}{}/", crate::dom::router_base())
        }
    }
}

fn has_web_share() -> bool {
    js_sys::Reflect::has(&window().navigator(), &"share".into()).unwrap_or(false)
}

/// The share block of the thank-you step.
#[component]
pub fn Share() -> impl IntoView {
    let app = use_app();
    let url = page_url(app.config.with_value(|c| c.share_url.clone()));
    let copied = RwSignal::new("");
    let links = [
        (Channel::WhatsApp, copy::share_whatsapp(), "share--whatsapp"),
        (Channel::Facebook, copy::share_facebook(), "share--facebook"),
        (Channel::X, copy::share_x(), "share--x"),
        (Channel::LinkedIn, copy::share_linkedin(), "share--linkedin"),
        (Channel::Email, copy::share_email(), "share--email"),
    ];
    let native_url = tagged_url(&url, Channel::Native);
    let copy_url = tagged_url(&url, Channel::Copy);
    let native = move |_| {
        let data = web_sys::ShareData::new();
        data.set_title(copy::share_subject());
        data.set_text(copy::share_text());
        data.set_url(&native_url);
        let promise = window().navigator().share_with_data(&data);
        leptos::task::spawn_local(async move {
            // A dismissed share sheet rejects; nothing to tell the user.
            let _ = JsFuture::from(promise).await;
        });
    };
    let copy_link = move |_| {
        let navigator = window().navigator();
        // Without a secure context there is no clipboard at all.
        let promise = js_sys::Reflect::has(&navigator, &"clipboard".into())
            .unwrap_or(false)
            .then(|| navigator.clipboard().write_text(&copy_url));
        leptos::task::spawn_local(async move {
            let copied_ok = match promise {
                Some(p) => JsFuture::from(p).await.is_ok(),
                None => false,
            };
            let message = if copied_ok {
                copy::copied()
            } else {
                copy::copy_failed()
            };
            copied.set("");
            request_animation_frame(move || copied.set(message));
        });
    };
    view! {
        <section class="share" aria-labelledby="share-title">
            <h2 id="share-title">{copy::share_title()}</h2>
            {has_web_share()
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button button--primary share-native"
                            on:click=native
                        >
                            {copy::share_native()}
                        </button>
                    }
                })}
            <ul class="share-links">
                {links
                    .into_iter()
                    .map(|(channel, label, class)| {
                        let href = share_link(
                            channel,
                            &url,
                            copy::share_text(),
                            copy::share_subject(),
                        );
                        let external = channel != Channel::Email;
                        view! {
                            <li>
                                <a
                                    class=format!("share-link {class}")
                                    href=href
                                    target=external.then_some("_blank")
                                    rel="noopener noreferrer"
                                    data-channel=channel.source()
                                >
                                    {label}
                                    {external
                                        .then(|| {
                                            view! {
                                                <span class="visually-hidden">" " {site::new_tab()}</span>
                                            }
                                        })}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()} <li>
                    <button type="button" class="share-link share--copy" on:click=copy_link>
                        {copy::copy_link()}
                    </button>
                </li>
            </ul>
            <p class="share-status" role="status" aria-live="polite">
                {move || copied.get()}
            </p>
        </section>
    }
}

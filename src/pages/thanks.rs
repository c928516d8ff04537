//! `/bedankt` (`/en/thanks`): the thank-you step. The first name comes from memory, never
//! from the URL; without a signature in this visit it sends the visitor to the form.

use leptos::prelude::*;

use crate::components::counter::Counter;
use crate::components::head::{titled, PageHead};
use crate::components::layout::{Page, SocialLinks};
use crate::components::share::Share;
use crate::copy::{confirm, counted, counter, site, thanks as copy};
use crate::dom;
use crate::state::{use_app, Signed};
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use petitie_core::route::Route;

/// The thank-you content, shared by the full page and the embed. The full page has the
/// social links in its footer; the embed, which has no footer, shows them here
/// (`social_links`).
#[component]
pub fn ThanksStep(signed: Signed, #[prop(optional)] social_links: bool) -> impl IntoView {
    let app = use_app();
    let (donate_url, social) = app
        .config
        .with_value(|c| (c.donate_url.clone(), c.show_social_links && social_links));
    let announcement = RwSignal::new(String::new());
    let count_text = counted(
        signed.count,
        counter::announce_signed_one,
        counter::announce_signed,
    );
    // Fill the live region after it exists, so screen readers announce it once.
    request_animation_frame(move || {
        let _ = announcement.try_set(count_text);
    });
    view! {
        <div class="thanks">
            <h1 class="thanks-title" tabindex="-1" id="bedankt">
                {copy::title(&signed.first_name)}
            </h1>
            <p class="visually-hidden" role="status" aria-live="polite">
                {move || announcement.get()}
            </p>
            <Counter />
            <p>{copy::body()}</p>
            <Share />
            <section aria-labelledby="hoe-verder">
                <h2 id="hoe-verder">{copy::next_title()}</h2>
                <p>{copy::next_body()}</p>
            </section>
            {donate_url
                .map(|href| {
                    view! {
                        <section class="donate" aria-labelledby="doneren">
                            <h2 id="doneren">{copy::donate_title()}</h2>
                            <p>{copy::donate_body()}</p>
                            <a
                                class="button button--secondary"
                                href=href
                                target="_blank"
                                rel="noopener noreferrer"
                            >
                                {copy::donate_link()}
                                <span class="visually-hidden">" " {site::new_tab()}</span>
                            </a>
                        </section>
                    }
                })}
            {social.then(|| view! { <SocialLinks /> })}
        </div>
    }
}

#[component]
pub fn ThanksPage() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    move || match app.signed.get() {
        Some(signed) => {
            request_animation_frame(|| dom::focus_id("bedankt"));
            let (title, step) = match signed.waiting_for.clone() {
                Some(email) => (
                    titled(confirm::pending_title()),
                    view! { <PendingStep email /> }.into_any(),
                ),
                None => (
                    titled(&copy::title(&signed.first_name)),
                    view! { <ThanksStep signed /> }.into_any(),
                ),
            };
            view! {
                <PageHead title route=Route::Thanks noindex=true />
                <Page>
                    {step} <p>
                        <A href=dom::app_path(Route::Petition)>{copy::back()}</A>
                    </p>
                </Page>
            }
            .into_any()
        }
        None => {
            // Nothing signed in this visit: to the form, in place of this history entry.
            let navigate = navigate.clone();
            queue_microtask(move || {
                let replace = NavigateOptions {
                    replace: true,
                    ..Default::default()
                };
                navigate(Route::Petition.path(crate::copy::lang()), replace);
            });
            ().into_any()
        }
    }
}

/// "One more step", after signing with a backend that confirms: the address the mail went
/// to, as typed (a typo shows); back to the form to correct it (a new attempt, everything as
/// typed); the mail sent again, from 30 seconds on. No count rise yet.
#[component]
pub fn PendingStep(email: String) -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let can_resend = RwSignal::new(false);
    if let Ok(timer) = set_timeout_with_handle(
        move || {
            let _ = can_resend.try_set(true);
        },
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || timer.clear());
    }
    let told = RwSignal::new(None::<&'static str>);
    let resend = {
        let email = email.clone();
        Action::new_local(move |_: &()| {
            let email = email.clone();
            async move {
                let Some(backend) = app.backend.try_get_value() else {
                    return;
                };
                let said = match backend.request_confirmation(&email).await {
                    Ok(()) => confirm::resent(),
                    Err(_) => confirm::failed(),
                };
                let _ = told.try_set(Some(said));
            }
        })
    };
    // Back to the form, with what was typed (kept in `app.draft`).
    let correct = move |_| {
        app.signed.set(None);
        if dom::route_at(&window().location().pathname().unwrap_or_default()) != Some(Route::Embed)
        {
            navigate(
                Route::Petition.path(crate::copy::lang()),
                Default::default(),
            );
        }
    };
    // The demo sends no mail: it shows the link the mail would hold.
    let demo_link = app.backend.with_value(|backend| match backend {
        crate::api::Backend::Demo(demo) => demo
            .last_token()
            .map(|token| format!("{}#{token}", dom::app_path(Route::Confirm))),
        _ => None,
    });
    request_animation_frame(|| dom::focus_id("bedankt"));
    view! {
        <div class="thanks pending">
            <h1 class="thanks-title" tabindex="-1" id="bedankt">
                {confirm::pending_title()}
            </h1>
            <p>{confirm::pending_body(&email)}</p>
            <p>
                <button type="button" class="link-button" on:click=correct>
                    {confirm::correct()}
                </button>
            </p>
            <p class="resend-hint">{confirm::resend_hint()}</p>
            <button
                type="button"
                class="button button--secondary"
                disabled=move || !can_resend.get() || resend.pending().get()
                on:click=move |_| {
                    resend.dispatch_local(());
                }
            >
                {confirm::resend()}
            </button>
            <p role="status" aria-live="polite">
                {move || told.get()}
            </p>
            {demo_link
                .map(|href| {
                    view! {
                        <p class="demo-label">
                            <a href=href>{confirm::demo_link()}</a>
                        </p>
                    }
                })}
        </div>
    }
}

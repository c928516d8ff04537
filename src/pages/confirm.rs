//! `/bevestigen` and `/intrekken` (`/en/confirm`, `/en/withdraw`): the pages a confirmation
//! mail's links open. The token comes in the address's fragment, which is taken out of the
//! address bar at once. Opening the page changes nothing: only a tap on its one button sends
//! the token, so a mail scanner that opens links, or runs their scripts, confirms nothing.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use petitie_core::contract::Field;
use petitie_core::email::validate_email;
use petitie_core::route::Route;

use crate::api::ApiError;
use crate::components::field::TextField;
use crate::components::head::{titled, PageHead};
use crate::components::layout::Page;
use crate::copy::{confirm as copy, form, thanks};
use crate::dom;
use crate::messages::field_message;
use crate::pages::thanks::ThanksStep;
use crate::state::{use_app, Signed};

/// Where the page stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// The button, not yet tapped (or tapped and failed: `failed`).
    Ready {
        failed: bool,
    },
    Sending,
    Confirmed(Signed),
    Withdrawn,
    /// An unknown, expired or withdrawn token, or none.
    Expired,
}

/// The confirm page (`withdraw` false) or the withdraw page.
#[component]
pub fn TokenPage(withdraw: bool) -> impl IntoView {
    let app = use_app();
    // From the router's address (a navigation in the app writes the browser's only later).
    let hash = use_location().hash.get_untracked();
    let token = StoredValue::new(
        Some(hash.trim_start_matches('#').to_string()).filter(|token| !token.is_empty()),
    );
    dom::clear_fragment();
    let step = RwSignal::new(match token.get_value() {
        Some(_) => Step::Ready { failed: false },
        None => Step::Expired,
    });
    let send = Action::new_local(move |_: &()| async move {
        let (Some(backend), Some(token)) = (app.backend.try_get_value(), token.get_value()) else {
            return;
        };
        let next = if withdraw {
            backend.withdraw(&token).await.map(|count| {
                app.count.set(Some(count));
                Step::Withdrawn
            })
        } else {
            backend.confirm(&token).await.map(|confirmed| {
                // The count rises by this signature.
                app.count.set(Some(confirmed.count));
                Step::Confirmed(Signed {
                    first_name: confirmed.first_name,
                    count: confirmed.count,
                    waiting_for: None,
                })
            })
        };
        let next = match next {
            Ok(step) => step,
            Err(ApiError::Expired) => Step::Expired,
            Err(_) => Step::Ready { failed: true },
        };
        let _ = step.try_set(next);
        request_animation_frame(|| dom::focus_id("stap"));
    });
    let (title, body, button) = if withdraw {
        (
            copy::withdraw_title(),
            copy::withdraw_body(),
            copy::withdraw_button(),
        )
    } else {
        (
            copy::confirm_title(),
            copy::confirm_body(),
            copy::confirm_button(),
        )
    };
    let route = if withdraw {
        Route::Withdraw
    } else {
        Route::Confirm
    };
    let page_title = Signal::derive(move || {
        titled(&match step.get() {
            Step::Confirmed(signed) => thanks::title(&signed.first_name),
            Step::Withdrawn => copy::withdrawn_title().to_string(),
            Step::Expired => copy::expired_title().to_string(),
            _ => title.to_string(),
        })
    });
    view! {
        <PageHead title=page_title route noindex=true />
        <Page>
            {move || match step.get() {
                Step::Confirmed(signed) => view! { <ThanksStep signed /> }.into_any(),
                Step::Withdrawn => {
                    view! {
                        <article class="prose-page">
                            <h1 id="stap" tabindex="-1">
                                {copy::withdrawn_title()}
                            </h1>
                            <p>{copy::withdrawn_body()}</p>
                            <p>
                                <A href=dom::app_path(Route::Petition)>{thanks::back()}</A>
                            </p>
                        </article>
                    }
                        .into_any()
                }
                Step::Expired => view! { <NewLink /> }.into_any(),
                current => {
                    let sending = current == Step::Sending;
                    let failed = current == Step::Ready { failed: true };
                    view! {
                        <article class="prose-page token-step">
                            <h1 id="stap" tabindex="-1">
                                {title}
                            </h1>
                            <p>{body}</p>
                            <button
                                type="button"
                                class="button button--primary"
                                aria-disabled=if sending { "true" } else { "false" }
                                on:click=move |_| {
                                    if step.get_untracked() != Step::Sending {
                                        step.set(Step::Sending);
                                        send.dispatch_local(());
                                    }
                                }
                            >
                                {if sending { form::sending() } else { button }}
                            </button>
                            <p role="status" aria-live="polite">
                                {failed.then(copy::failed)}
                            </p>
                        </article>
                    }
                        .into_any()
                }
            }}
        </Page>
    }
}

/// "This link no longer works": a field for the address, to have a new link sent if it
/// signed.
#[component]
fn NewLink() -> impl IntoView {
    let app = use_app();
    let email = RwSignal::new(String::new());
    let checked = RwSignal::new(false);
    let told = RwSignal::new(None::<&'static str>);
    let error = Signal::derive(move || {
        if !checked.get() {
            return None;
        }
        email.with(|value| {
            validate_email(value)
                .err()
                .map(|e| field_message(Field::Email, e))
        })
    });
    let ask = Action::new_local(move |address: &String| {
        let address = address.clone();
        async move {
            let Some(backend) = app.backend.try_get_value() else {
                return;
            };
            let said = match backend.request_confirmation(&address).await {
                Ok(()) => copy::resent(),
                Err(_) => copy::failed(),
            };
            let _ = told.try_set(Some(said));
        }
    });
    view! {
        <article class="prose-page">
            <h1 id="stap" tabindex="-1">
                {copy::expired_title()}
            </h1>
            <p>{copy::expired_body()}</p>
            <form
                class="sign-form new-link"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    checked.set(true);
                    match email.with_untracked(|value| validate_email(value)) {
                        Ok(address) => {
                            ask.dispatch_local(address);
                        }
                        Err(_) => dom::focus_id("nieuwe-link-email"),
                    }
                }
            >
                <TextField
                    id="nieuwe-link-email"
                    label=form::email()
                    value=email
                    error
                    input_type="email"
                    inputmode="email"
                    autocomplete="email"
                    spellcheck=false
                    on_leave=Callback::new(|_| ())
                />
                <button type="submit" class="button button--primary">
                    {copy::new_link()}
                </button>
                <p role="status" aria-live="polite">
                    {move || told.get()}
                </p>
            </form>
        </article>
    }
}

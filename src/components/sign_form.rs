//! The sign form: validation as the supporter goes (after a field was left once) and on
//! submit, an error summary that takes focus, and a submit that keeps everything typed,
//! retries one attempt under one idempotency key, and never reports success unless the
//! server did.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos_router::components::A;
use petitie_core::contract::{Field, SignatureRequest};
use petitie_core::email::suggest_email;
use petitie_core::retry::sign_retry_delay_ms;
use petitie_core::route::Route;
use petitie_core::signature::{validate_field, validate_signature, SignatureInput, ValidSignature};
use petitie_core::template::fill;
use petitie_core::uuid::uuid_v4;

use crate::api::ApiError;
use crate::components::field::TextField;
use crate::copy;
use crate::dom;
use crate::messages::{field_message, input_id};
use crate::state::{use_app, Signed, PRERENDERING};

/// Where the submit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SubmitState {
    Idle,
    Sending,
    Retrying,
    Failed,
    /// Waiting for the connection to come back.
    Offline(&'static str),
    /// Waiting out the server's limit: the button is disabled; `text` has `{seconds}`.
    RateLimited {
        text: &'static str,
        seconds: u32,
    },
    /// Done, with a message (the limit is over; the server refused the signature).
    Said(&'static str),
}

impl SubmitState {
    /// Whether a signature is on its way (the button says so).
    fn busy(self) -> bool {
        matches!(
            self,
            SubmitState::Sending | SubmitState::Retrying | SubmitState::Offline(_)
        )
    }

    /// Whether a signature is on its way or waiting out a limit: a submit now does nothing.
    fn waiting(self) -> bool {
        self.busy() || matches!(self, SubmitState::RateLimited { .. })
    }
}

/// One signing attempt: its key is reused for every retry of exactly this body.
#[derive(Debug, Clone)]
struct Attempt {
    key: String,
    valid: ValidSignature,
    website: String,
    body: SignatureRequest,
}

const SUMMARY_ID: &str = "fout-overzicht";

/// A field the server refused: the value it refused and the message.
type Refusal = (Field, String, &'static str);

/// The form; `on_signed` runs after the server recorded the signature (the app state
/// already holds the new count and the first name).
#[component]
pub fn SignForm(on_signed: Callback<()>) -> impl IntoView {
    let app = use_app();
    let first_name = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    // The fields left once (a few; a list keeps ordered-set code out of the wasm).
    let left = RwSignal::new(Vec::<Field>::new());
    let submitted = RwSignal::new(false);
    let show_summary = RwSignal::new(false);
    let server_errors = RwSignal::new(Vec::<Refusal>::new());
    let sending = RwSignal::new(SubmitState::Idle);
    let form = FormState {
        app,
        values: [first_name, last_name, email, phone],
        website,
        // The form that takes over the first screen's was there from the first paint on.
        rendered_at: dom::take_first_screen_shown_at().unwrap_or_else(dom::now_ms),
        sending,
        pending: StoredValue::new(None),
        server_errors,
        show_summary,
        on_signed,
    };
    // Between pressing the submit button and releasing it the field being left must not grow
    // an error message: that would move the button away under the pointer and swallow the
    // click. The submit validates every field anyway.
    let submit_pressed_at = StoredValue::new(f64::NEG_INFINITY);
    let pressing_submit = move || dom::perf_now() - submit_pressed_at.get_value() < 1000.0;

    let value_of = move |field: Field| form.value_of(field);
    let checked = move |field: Field| submitted.get() || left.with(|l| l.contains(&field));
    let error_of = move |field: Field| -> Option<&'static str> {
        let local = if checked(field) {
            value_of(field).with(|value| message(field, value))
        } else {
            None
        };
        // The server's refusal stands while the value is the one it refused.
        local.or_else(|| {
            value_of(field).with(|value| {
                server_errors.with(|e| {
                    e.iter()
                        .find(|(f, v, _)| *f == field && v == value)
                        .map(|(_, _, message)| *message)
                })
            })
        })
    };
    // A likely fix of a mistyped domain, once the address was left.
    let suggestion = Memo::new(move |_| {
        if checked(Field::Email) {
            email.with(|value| suggest_email(value))
        } else {
            None
        }
    });
    // Every field checked once per change, here; each field and the summary read the result.
    let errors = Memo::new(move |_| {
        Field::ALL
            .into_iter()
            .filter_map(|f| error_of(f).map(|message| (f, message)))
            .collect::<Vec<_>>()
    });
    let message_of = move |field: Field| {
        Signal::derive(move || {
            errors.with(|e| e.iter().find(|(f, _)| *f == field).map(|(_, m)| *m))
        })
    };
    // Also runs when the focused field is removed with the form (after signing), when its
    // signals may be gone: hence the `try_` forms.
    let leave = move |field: Field| {
        Callback::new(move |_| {
            let typed = value_of(field).try_with_untracked(|v| !v.trim().is_empty());
            let new = left.try_with_untracked(|l| !l.contains(&field));
            if !pressing_submit() && typed == Some(true) && new == Some(true) {
                left.update(|l| l.push(field));
            }
        })
    };

    Effect::new(move |_| {
        let title = if errors.with(Vec::is_empty) {
            copy::site::page_title().to_string()
        } else {
            format!(
                "{} {}",
                copy::site::error_title_prefix(),
                copy::site::page_title()
            )
        };
        dom::set_title(&title);
    });

    let submit = move || {
        submit_pressed_at.set_value(f64::NEG_INFINITY);
        if sending.get_untracked().waiting() {
            return;
        }
        submitted.set(true);
        sending.set(SubmitState::Sending);
        leptos::task::spawn_local(form.submit());
    };

    let status_text = move || match sending.get() {
        SubmitState::Retrying => copy::submit::retrying().to_string(),
        SubmitState::Failed => copy::submit::failed().to_string(),
        SubmitState::Offline(text) | SubmitState::Said(text) => text.to_string(),
        SubmitState::RateLimited { text, seconds } => {
            fill(text, &[("seconds", &seconds.to_string())])
        }
        SubmitState::Idle | SubmitState::Sending => String::new(),
    };
    let busy = move || sending.get().busy();
    let privacy_href = app.config.with_value(|c| c.privacy_url.clone());

    let summary_shown = Memo::new(move |_| show_summary.get() && !errors.with(Vec::is_empty));
    let failed = Memo::new(move |_| sending.get() == SubmitState::Failed);

    view! {
        <form
            class="sign-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            {move || summary_shown.get().then(|| error_summary(errors))}
            <TextField
                id=input_id(Field::FirstName)
                label=copy::form::first_name()
                value=first_name
                error=message_of(Field::FirstName)
                autocomplete="given-name"
                on_leave=leave(Field::FirstName)
            />
            <TextField
                id=input_id(Field::LastName)
                label=copy::form::last_name()
                hint=copy::form::last_name_hint()
                value=last_name
                error=message_of(Field::LastName)
                autocomplete="family-name"
                on_leave=leave(Field::LastName)
            />
            <TextField
                id=input_id(Field::Email)
                label=copy::form::email()
                value=email
                error=message_of(Field::Email)
                input_type="email"
                inputmode="email"
                autocomplete="email"
                spellcheck=false
                on_leave=leave(Field::Email)
            >
                <div class="suggestion" aria-live="polite">
                    {move || {
                        suggestion
                            .get()
                            .map(|suggested| {
                                let text = fill(copy::form::suggestion(), &[("email", &suggested)]);
                                view! {
                                    <button
                                        type="button"
                                        class="link-button"
                                        on:click=move |_| {
                                            email.set(suggested.clone());
                                            dom::focus_id(input_id(Field::Email));
                                        }
                                    >
                                        {text}
                                    </button>
                                }
                            })
                    }}
                </div>
            </TextField>
            <TextField
                id=input_id(Field::Phone)
                label=copy::form::phone()
                hint=copy::form::phone_hint()
                value=phone
                error=message_of(Field::Phone)
                input_type="tel"
                inputmode="tel"
                autocomplete="tel"
                on_leave=leave(Field::Phone)
            />
            <div class="hp" aria-hidden="true">
                <label for="website">{copy::form::honeypot()}</label>
                <input
                    id="website"
                    name="website"
                    type="text"
                    tabindex="-1"
                    autocomplete="off"
                    bind:value=website
                />
            </div>
            <p class="privacy-notice">
                {copy::form::privacy_notice()} " "
                {match privacy_href {
                    Some(href) => {
                        view! {
                            <a href=href target="_blank" rel="noopener noreferrer">
                                {copy::form::privacy_link()}
                                <span class="visually-hidden">" " {copy::site::new_tab()}</span>
                            </a>
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <A href=dom::app_path(Route::Privacy)>{copy::form::privacy_link()}</A>
                        }
                            .into_any()
                    }
                }} "."
            </p>
            <button
                type="submit"
                class="button button--primary"
                aria-disabled=move || if busy() { "true" } else { "false" }
                disabled=move || {
                    PRERENDERING || matches!(sending.get(), SubmitState::RateLimited { .. })
                }
                on:pointerdown=move |_| submit_pressed_at.set_value(dom::perf_now())
            >
                {move || if busy() { copy::form::sending() } else { copy::form::submit() }}
            </button>
            <NoScriptNote />
            <div class="submit-status" role="status" aria-live="polite">
                <p class="submit-status-text">{status_text}</p>
            </div>
            {move || {
                failed
                    .get()
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button--secondary"
                                on:click=move |_| submit()
                            >
                                {copy::submit::retry()}
                            </button>
                        }
                    })
            }}
        </form>
    }
}

/// The error summary above the form: each error links to its field. A few entries, rebuilt
/// when they change (the alert is read out whole anyway).
fn error_summary(errors: Memo<Vec<(Field, &'static str)>>) -> impl IntoView {
    let items = move || {
        errors
            .get()
            .into_iter()
            .map(|(field, message)| {
                view! {
                    <li>
                        <a
                            href=format!("#{}", input_id(field))
                            on:click=move |ev| {
                                ev.prevent_default();
                                dom::focus_id(input_id(field));
                            }
                        >
                            {message}
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div
            class="error-summary"
            id=SUMMARY_ID
            tabindex="-1"
            role="alert"
            aria-labelledby="fout-overzicht-titel"
        >
            <h3 class="error-summary-title" id="fout-overzicht-titel">
                {copy::form::summary_title()}
            </h3>
            <ul class="error-summary-list">{items}</ul>
        </div>
    }
}

/// What checking and sending a signature read and set.
#[derive(Clone, Copy)]
struct FormState {
    app: crate::state::AppState,
    values: [RwSignal<String>; 4],
    website: RwSignal<String>,
    rendered_at: f64,
    sending: RwSignal<SubmitState>,
    /// The attempt being sent, reused (with its key) when the same signature is sent again.
    pending: StoredValue<Option<Attempt>>,
    /// The fields the server refused, with the values it refused.
    server_errors: RwSignal<Vec<Refusal>>,
    show_summary: RwSignal<bool>,
    on_signed: Callback<()>,
}

impl FormState {
    fn value_of(&self, field: Field) -> RwSignal<String> {
        match field {
            Field::FirstName => self.values[0],
            Field::LastName => self.values[1],
            Field::Email => self.values[2],
            Field::Phone => self.values[3],
        }
    }

    /// Checks every field; if all are right, sends the signature (the same attempt as
    /// before if nothing changed), else shows the error summary.
    async fn submit(self) {
        let [first_name, last_name, email, phone] = self.values.map(|v| v.get_untracked());
        let input = SignatureInput {
            first_name: &first_name,
            last_name: &last_name,
            email: &email,
            phone: &phone,
        };
        let Ok(valid) = validate_signature(input) else {
            let _ = self.sending.try_set(SubmitState::Idle);
            let _ = self.show_summary.try_set(true);
            request_animation_frame(|| dom::focus_id(SUMMARY_ID));
            return;
        };
        let _ = self.show_summary.try_set(false);
        let honeypot = self.website.get_untracked();
        let reused = self.pending.with_value(|p| {
            p.as_ref()
                .filter(|a| a.valid == valid && a.website == honeypot)
                .cloned()
        });
        let attempt = reused.unwrap_or_else(|| Attempt {
            key: uuid_v4(dom::random_bytes()),
            body: SignatureRequest {
                first_name: valid.first_name.clone(),
                last_name: valid.last_name.clone(),
                email: valid.email.clone(),
                phone: valid.phone.clone(),
                locale: copy::lang().code().to_string(),
                attribution: self.app.attribution.get_value(),
                website: honeypot.clone(),
                elapsed_ms: (dom::now_ms() - self.rendered_at).max(0.0) as u64,
            },
            valid,
            website: honeypot,
        });
        self.pending.set_value(Some(attempt.clone()));
        self.run(attempt).await;
    }

    async fn run(self, attempt: Attempt) {
        let Some(backend) = self.app.backend.try_get_value() else {
            return;
        };
        let _ = self.sending.try_set(SubmitState::Sending);
        let mut retries = 0;
        loop {
            let result = backend.sign(&attempt.key, &attempt.body).await;
            let next = match result {
                Ok(count) => {
                    self.pending.set_value(None);
                    let current = self.app.count.get_untracked().unwrap_or(0);
                    self.app.count.set(Some(count.max(current)));
                    self.app.signed.set(Some(Signed {
                        first_name: attempt.valid.first_name.clone(),
                        count,
                    }));
                    let _ = self.sending.try_set(SubmitState::Idle);
                    self.on_signed.run(());
                    return;
                }
                Err(ApiError::Invalid(fields)) => {
                    let snapshot = fields
                        .into_iter()
                        .map(|(f, e)| {
                            let value = self.value_of(f).get_untracked();
                            (f, value, field_message(f, e))
                        })
                        .collect::<Vec<_>>();
                    let _ = self.server_errors.try_set(snapshot);
                    let _ = self.show_summary.try_set(true);
                    request_animation_frame(|| dom::focus_id(SUMMARY_ID));
                    SubmitState::Idle
                }
                Err(ApiError::Closed) => {
                    self.app.api_closed.set(true);
                    SubmitState::Idle
                }
                Err(ApiError::RateLimited { retry_after_s }) => {
                    let seconds = retry_after_s.unwrap_or(60).clamp(1, 3600);
                    let text = copy::submit::rate_limited();
                    let _ = self
                        .sending
                        .try_set(SubmitState::RateLimited { text, seconds });
                    TimeoutFuture::new(seconds * 1000).await;
                    SubmitState::Said(copy::submit::rate_limit_over())
                }
                Err(ApiError::Rejected(_)) => SubmitState::Said(copy::submit::rejected()),
                Err(_) if !dom::online() => {
                    let _ = self
                        .sending
                        .try_set(SubmitState::Offline(copy::submit::offline()));
                    dom::until_online().await;
                    let _ = self.sending.try_set(SubmitState::Sending);
                    continue;
                }
                Err(_) => {
                    retries += 1;
                    match sign_retry_delay_ms(retries) {
                        Some(ms) => {
                            let _ = self.sending.try_set(SubmitState::Retrying);
                            TimeoutFuture::new(ms).await;
                            continue;
                        }
                        None => SubmitState::Failed,
                    }
                }
            };
            let _ = self.sending.try_set(next);
            return;
        }
    }
}

/// A field's message if its value is not right.
fn message(field: Field, value: &str) -> Option<&'static str> {
    validate_field(field, value)
        .err()
        .map(|e| field_message(field, e))
}

/// Under the button of the form rendered at build time: signing needs JavaScript. Shown only
/// when it does not run (the page's script hides `.no-js-note`); the app's own form has none.
#[cfg(feature = "ssr")]
#[component]
fn NoScriptNote() -> impl IntoView {
    // `data-wait`: what index.html's script shows on the button when it is pressed before the
    // app runs.
    view! {
        <p class="no-js-note" data-wait=copy::form::getting_ready()>
            {copy::site::noscript()}
        </p>
    }
}

#[cfg(not(feature = "ssr"))]
#[component]
fn NoScriptNote() -> impl IntoView {}

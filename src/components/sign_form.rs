//! The sign form: validation as the supporter goes (after a field was left once) and on
//! submit, an error summary that takes focus, and a submit that keeps everything typed and
//! never reports success unless the server did (sending itself is `crate::submission`).

use leptos::prelude::*;
use leptos_router::components::A;
use petitie_core::contract::{Field, SignAnswer, SignatureRequest};
use petitie_core::email::suggest_email;
use petitie_core::route::Route;
use petitie_core::signature::{validate_field, validate_signature, SignatureInput};
use petitie_core::submission::Attempt;
use petitie_core::uuid::uuid_v4;

use crate::api::ApiError;
use crate::components::field::TextField;
use crate::copy;
use crate::dom;
use crate::messages::{field_message, input_id};
use crate::state::{use_app, Signed, PRERENDERING};
use crate::submission::{self, Status};

const SUMMARY_ID: &str = "fout-overzicht";
/// The honeypot field's id and name.
const HONEYPOT_ID: &str = "website";

/// A field the server refused: the value it refused and the message.
type Refusal = (Field, String, &'static str);

/// The form; `on_signed` runs after the server recorded the signature (the app state
/// already holds the new count and the first name). `has_errors` follows whether it shows
/// errors.
#[component]
pub fn SignForm(on_signed: Callback<()>, has_errors: RwSignal<bool>) -> impl IntoView {
    let app = use_app();
    // The static first screen's form this one takes over: what was typed there, where.
    let first_screen = dom::take_first_screen();
    let typed = |id: &str| {
        RwSignal::new(
            first_screen
                .as_ref()
                .and_then(|screen| screen.value(id))
                .unwrap_or_default()
                .to_string(),
        )
    };
    // Or what was typed before "Wrong address? Correct it".
    let draft = app.draft.try_update_value(Option::take).flatten();
    let [first_name, last_name, email, phone] = match draft {
        Some(values) => values.map(RwSignal::new),
        None => Field::ALL.map(|field| typed(input_id(field))),
    };
    let website = typed(HONEYPOT_ID);
    // The fields left once (a few; a list keeps ordered-set code out of the wasm).
    let left = RwSignal::new(Vec::<Field>::new());
    let submitted = RwSignal::new(false);
    let show_summary = RwSignal::new(false);
    let server_errors = RwSignal::new(Vec::<Refusal>::new());
    let status = RwSignal::new(Status::Idle);
    let form = FormState {
        app,
        values: [first_name, last_name, email, phone],
        website,
        // The form that takes over the first screen's was there from the first paint on.
        rendered_at: first_screen
            .as_ref()
            .map_or_else(dom::now_ms, |screen| screen.shown_at),
        status,
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

    // For the page's title (its head is the page's).
    Effect::new(move |_| has_errors.set(!errors.with(Vec::is_empty)));

    // Sends an attempt until it is recorded or refused (`submission::send`).
    let send = Action::new_local(move |attempt: &Attempt| {
        let attempt = attempt.clone();
        async move {
            let Some(backend) = app.backend.try_get_value() else {
                return;
            };
            let result = submission::send(&backend, &attempt, status).await;
            form.finish(&attempt, result);
        }
    });
    let submit = move || {
        submit_pressed_at.set_value(f64::NEG_INFINITY);
        if status.get_untracked().waiting() {
            return;
        }
        submitted.set(true);
        if let Some(attempt) = form.check() {
            send.dispatch_local(attempt);
        }
    };

    // Once mounted, before the next paint: the focus and selection where they were, then a
    // submit pressed before the app ran, sent once.
    if let Some(screen) = first_screen {
        request_animation_frame(move || {
            if let Some((id, selection)) = &screen.focused {
                dom::focus_with_selection(id, *selection);
            }
            if screen.submitted {
                submit();
            }
        });
    }

    let status_text = move || match status.get() {
        Status::Retrying => copy::submit::retrying().to_string(),
        Status::Failed => copy::submit::failed().to_string(),
        Status::Offline => copy::submit::offline().to_string(),
        Status::RateLimited { seconds } => copy::submit::rate_limited(&seconds.to_string()),
        Status::LimitOver => copy::submit::rate_limit_over().to_string(),
        Status::Rejected => copy::submit::rejected().to_string(),
        Status::Idle | Status::Sending => String::new(),
    };
    let busy = move || status.get().busy();
    let privacy_href = app.config.with_value(|c| c.privacy_url.clone());

    let summary_shown = Memo::new(move |_| show_summary.get() && !errors.with(Vec::is_empty));
    let failed = Memo::new(move |_| status.get() == Status::Failed);

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
                                let text = copy::form::suggestion(&suggested);
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
                <label for=HONEYPOT_ID>{copy::form::honeypot()}</label>
                <input
                    id=HONEYPOT_ID
                    name=HONEYPOT_ID
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
                    PRERENDERING || matches!(status.get(), Status::RateLimited { .. })
                }
                on:pointerdown=move |_| submit_pressed_at.set_value(dom::perf_now())
            >
                {move || if busy() { copy::form::sending() } else { copy::form::submit() }}
            </button>
            {move || {
                app.confirming
                    .get()
                    .then(|| view! { <p class="confirm-note">{copy::confirm::form_note()}</p> })
            }}
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
    status: RwSignal<Status>,
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

    /// Checks every field: the attempt to send when all are right (the same attempt as
    /// before if the signature did not change), else the error summary and `None`.
    fn check(self) -> Option<Attempt> {
        let [first_name, last_name, email, phone] = self.values.map(|v| v.get_untracked());
        let input = SignatureInput {
            first_name: &first_name,
            last_name: &last_name,
            email: &email,
            phone: &phone,
        };
        let Ok(valid) = validate_signature(input) else {
            let _ = self.status.try_set(Status::Idle);
            let _ = self.show_summary.try_set(true);
            request_animation_frame(|| dom::focus_id(SUMMARY_ID));
            return None;
        };
        let _ = self.show_summary.try_set(false);
        let body = SignatureRequest {
            first_name: valid.first_name,
            last_name: valid.last_name,
            email: valid.email,
            phone: valid.phone,
            locale: copy::lang().code().to_string(),
            attribution: self.app.attribution.get_value(),
            website: self.website.get_untracked(),
            elapsed_ms: (dom::now_ms() - self.rendered_at).max(0.0) as u64,
        };
        let attempt = Attempt::reuse_or_new(self.pending.get_value(), body, || {
            uuid_v4(dom::random_bytes())
        });
        self.pending.set_value(Some(attempt.clone()));
        Some(attempt)
    }

    /// What the form does with how sending `attempt` ended.
    fn finish(self, attempt: &Attempt, result: Result<SignAnswer, ApiError>) {
        match result {
            Ok(answer) => {
                self.pending.set_value(None);
                let count = answer.count;
                let current = self.app.count.get_untracked().unwrap_or(0);
                self.app.count.set(Some(count.max(current)));
                // Waiting for its confirmation: what was typed is kept, to correct it.
                let typed = self.values.map(|v| v.get_untracked());
                let waiting_for = answer.is_pending().then(|| typed[2].trim().to_string());
                self.app
                    .draft
                    .set_value(answer.is_pending().then_some(typed));
                self.app.signed.set(Some(Signed {
                    first_name: attempt.body.first_name.clone(),
                    count,
                    waiting_for,
                }));
                let _ = self.status.try_set(Status::Idle);
                self.on_signed.run(());
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
                let _ = self.status.try_set(Status::Idle);
                request_animation_frame(|| dom::focus_id(SUMMARY_ID));
            }
            Err(ApiError::Closed) => {
                self.app.api_closed.set(true);
                let _ = self.status.try_set(Status::Idle);
            }
            Err(ApiError::Rejected(_)) => {
                let _ = self.status.try_set(Status::Rejected);
            }
            // No answer after the retries, or the limit waited out: `send` said so.
            Err(_) => {}
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

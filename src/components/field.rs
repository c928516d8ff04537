//! One labelled text input with its hint and its error message, GOV.UK style: the error
//! sits between label and input, and both are linked with `aria-describedby`.

use leptos::prelude::*;

use crate::state::PRERENDERING;

/// A form field.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    /// The message to show, if any.
    error: Signal<Option<&'static str>>,
    #[prop(default = "text")] input_type: &'static str,
    autocomplete: &'static str,
    #[prop(default = "text")] inputmode: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = true)] spellcheck: bool,
    /// Called when the field is left.
    on_leave: Callback<()>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label class="field-label" for=id>
                {label}
            </label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="field-error" id=error_id.clone()>
                                <span class="visually-hidden">
                                    {crate::copy::site::error_title_prefix()} " "
                                </span>
                                {message}
                            </p>
                        }
                    })
            }}
            <input
                class="field-input"
                id=id
                name=id
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                // Rendered at build time, the field shows but takes nothing until the app runs.
                disabled=PRERENDERING
                spellcheck=if spellcheck { "true" } else { "false" }
                autocapitalize=if input_type == "email" { "off" } else { "sentences" }
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by
                bind:value=value
                // Also when the focused field is removed with its page (leaving the form after
                // signing): the form may be gone by then, so `try_run`.
                on:blur=move |_| {
                    on_leave.try_run(());
                }
            />
            {children.map(|c| c())}
        </div>
    }
}

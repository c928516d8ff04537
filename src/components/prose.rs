//! Copy texts rendered as paragraphs, always as text (never as HTML).

use leptos::prelude::*;
use petitie_core::template::paragraphs;

/// Each blank-line separated part of `text` as a `<p>`.
#[component]
pub fn Paragraphs(text: &'static str) -> impl IntoView {
    paragraphs(text)
        .map(|p| view! { <p>{p}</p> })
        .collect_view()
}

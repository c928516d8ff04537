//! Parts of a page that start-up builds in a task of its own, after the first screen.

use leptos::prelude::*;

use crate::state::StartUp;

/// Its children, built once start-up reaches `step` (see `StartUp`: the page, its title, the
/// count, the form in three parts, what is below the first screen, the footer), at once after
/// start-up and when there is none (as in component tests). Nothing shows before: start-up
/// builds the app hidden and shows it complete.
#[component]
pub fn Later(children: Children, step: u8) -> impl IntoView {
    // Runs again only when this turns true (a memo), so the children are built exactly once.
    let ready = StartUp::reached(step);
    let mut children = Some(children);
    move || {
        if ready.get() {
            children.take().map(|c| c())
        } else {
            None
        }
    }
}

//! Parts of a page that start-up builds in a task of its own, after the first screen.

use leptos::prelude::*;

use crate::state::StartUp;

/// Its children, built once start-up reaches `step` (see `StartUp`: 1 the count, 2 the form,
/// 3 what is below the first screen), at once after start-up and when there is none (as in
/// component tests). Nothing shows before: start-up builds the app out of the document and
/// shows it complete.
#[component]
pub fn Later(children: Children, step: u8) -> impl IntoView {
    // A memo: the view runs again only when this turns true, not at every later step (which
    // would find the children already taken).
    let ready = use_context::<StartUp>().map(|s| Memo::new(move |_| s.0.get() >= step));
    let mut children = Some(children);
    move || {
        if ready.is_none_or(|r| r.get()) {
            children.take().map(|c| c())
        } else {
            None
        }
    }
}

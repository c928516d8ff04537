//! Replaces the form when the petition is closed (by date or by the API) or not yet open.

use leptos::prelude::*;

use crate::components::prose::Paragraphs;
use crate::copy::closed as copy;
use crate::copy::counted;
use crate::state::use_app;

/// The closed-petition message with the final count.
#[component]
pub fn ClosedNotice() -> impl IntoView {
    let app = use_app();
    view! {
        <div class="closed-notice" role="status">
            <h2>{copy::title()}</h2>
            {move || {
                app.count
                    .get()
                    .map(|n| {
                        view! {
                            <p class="final-count">
                                {counted(n, copy::final_count_one, copy::final_count)}
                            </p>
                        }
                    })
            }}
            <Paragraphs text=copy::body() />
        </div>
    }
}

/// Before `opens_at`.
#[component]
pub fn NotOpenNotice() -> impl IntoView {
    view! {
        <div class="closed-notice" role="status">
            <h2>{copy::not_open_title()}</h2>
            <p>{copy::not_open_body()}</p>
        </div>
    }
}

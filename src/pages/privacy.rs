//! `/privacy`: the fuller privacy section, and the organisation's full statement if set.

use leptos::prelude::*;
use petitie_core::route::Route;

use crate::components::head::{titled, PageHead};
use crate::components::layout::Page;
use crate::components::prose::Paragraphs;
use crate::copy::{privacy as copy, site};
use crate::state::use_app;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let app = use_app();
    let statement = app.config.with_value(|c| c.privacy_url.clone());
    // Its first paragraph says what the page is about.
    let description = copy::body().split("\n\n").next().unwrap_or_default();
    view! {
        <PageHead title=titled(copy::title()) route=Route::Privacy description />
        <Page>
            <article class="prose-page">
                <h1>{copy::title()}</h1>
                <Paragraphs text=copy::body() />
                {statement
                    .map(|href| {
                        view! {
                            <p>
                                <a href=href target="_blank" rel="noopener noreferrer">
                                    {copy::full_statement()}
                                    <span class="visually-hidden">" " {site::new_tab()}</span>
                                </a>
                            </p>
                        }
                    })}
            </article>
        </Page>
    }
}

//! `/privacy`: the fuller privacy section, and the organisation's full statement if set.

use leptos::prelude::*;

use crate::components::layout::Page;
use crate::components::prose::Paragraphs;
use crate::copy::{privacy as copy, site};
use crate::dom;
use crate::state::use_app;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let app = use_app();
    dom::set_title(&format!("{} – {}", copy::TITLE, site::ORGANISATION));
    let statement = app.config.with_value(|c| c.privacy_url.clone());
    view! {
        <Page>
            <article class="prose-page">
                <h1>{copy::TITLE}</h1>
                <Paragraphs text=copy::BODY />
                {statement
                    .map(|href| {
                        view! {
                            <p>
                                <a href=href target="_blank" rel="noopener noreferrer">
                                    {copy::FULL_STATEMENT}
                                    <span class="visually-hidden">" " {site::NEW_TAB}</span>
                                </a>
                            </p>
                        }
                    })}
            </article>
        </Page>
    }
}

//! `/privacy`: the fuller privacy section, and the organisation's full statement if set.

use leptos::prelude::*;
use petitie_core::route::Route;

use crate::components::layout::Page;
use crate::components::prose::Paragraphs;
use crate::copy::{privacy as copy, site};
use crate::dom;
use crate::state::use_app;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    dom::set_page_links(Route::Privacy);
    let app = use_app();
    dom::set_title(&format!("{} – {}", copy::title(), site::organisation()));
    let statement = app.config.with_value(|c| c.privacy_url.clone());
    view! {
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

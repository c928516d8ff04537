//! `/gemeenten`: what municipalities and councillors can do, from the letter to councillors.

use leptos::prelude::*;

use crate::components::layout::Page;
use crate::components::prose::Paragraphs;
use crate::copy::{municipalities as copy, site};
use crate::dom;

#[component]
pub fn MunicipalitiesPage() -> impl IntoView {
    dom::set_title(&format!("{} – {}", copy::TITLE, site::ORGANISATION));
    view! {
        <Page>
            <article class="prose-page">
                <h1>{copy::TITLE}</h1>
                <p class="lead">{copy::INTRO}</p>
                <section aria-labelledby="onderzoek">
                    <h2 id="onderzoek">{copy::RESEARCH_TITLE}</h2>
                    <Paragraphs text=copy::RESEARCH_BODY />
                    <p>
                        <a href=copy::MANIFEST_URL target="_blank" rel="noopener noreferrer">
                            {copy::MANIFEST_LINK}
                            <span class="visually-hidden">" " {site::NEW_TAB}</span>
                        </a>
                    </p>
                </section>
                <section aria-labelledby="gemeente-doen">
                    <h2 id="gemeente-doen">{copy::ACTIONS_TITLE}</h2>
                    <ul>
                        <li>{copy::ACTION_1}</li>
                        <li>{copy::ACTION_2}</li>
                        <li>{copy::ACTION_3}</li>
                    </ul>
                </section>
                <section aria-labelledby="raadsleden">
                    <h2 id="raadsleden">{copy::COUNCIL_TITLE}</h2>
                    <p>{copy::COUNCIL_BODY}</p>
                    <p>
                        {copy::CONTACT} " "
                        <a href=format!("mailto:{}", copy::CONTACT_EMAIL)>{copy::CONTACT_EMAIL}</a>
                    </p>
                </section>
            </article>
        </Page>
    }
}

//! `/gemeenten` (`/en/municipalities`): what municipalities and councillors can do, from the
//! letter to councillors.

use leptos::prelude::*;
use petitie_core::route::Route;

use crate::components::head::{titled, PageHead};
use crate::components::layout::Page;
use crate::components::prose::Paragraphs;
use crate::copy::{municipalities as copy, site};

#[component]
pub fn MunicipalitiesPage() -> impl IntoView {
    view! {
        <PageHead
            title=titled(copy::title())
            route=Route::Municipalities
            description=copy::intro()
        />
        <Page>
            <article class="prose-page">
                <h1>{copy::title()}</h1>
                <p class="lead">{copy::intro()}</p>
                <section aria-labelledby="onderzoek">
                    <h2 id="onderzoek">{copy::research_title()}</h2>
                    <Paragraphs text=copy::research_body() />
                    <p>
                        <a href=copy::manifest_url() target="_blank" rel="noopener noreferrer">
                            {copy::manifest_link()}
                            <span class="visually-hidden">" " {site::new_tab()}</span>
                        </a>
                    </p>
                </section>
                <section aria-labelledby="gemeente-doen">
                    <h2 id="gemeente-doen">{copy::actions_title()}</h2>
                    <ul>
                        <li>{copy::action_1()}</li>
                        <li>{copy::action_2()}</li>
                        <li>{copy::action_3()}</li>
                    </ul>
                </section>
                <section aria-labelledby="raadsleden">
                    <h2 id="raadsleden">{copy::council_title()}</h2>
                    <p>{copy::council_body()}</p>
                    <p>
                        {copy::contact()} " "
                        <a href=format!(
                            "mailto:{}",
                            copy::contact_email(),
                        )>{copy::contact_email()}</a>
                    </p>
                </section>
            </article>
        </Page>
    }
}

//! Any unknown path: a helpful Dutch 404 with a way back to the petition.

use leptos::prelude::*;

use crate::components::layout::Page;
use crate::copy::{not_found as copy, site};
use crate::dom;
use leptos_router::components::A;
use petitie_core::route::Route;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    dom::set_title(&format!("{} – {}", copy::title(), site::organisation()));
    view! {
        <Page>
            <article class="prose-page">
                <h1>{copy::title()}</h1>
                <p>{copy::body()}</p>
                <p>
                    <A href=dom::app_path(Route::Petition)>{copy::link()}</A>
                </p>
            </article>
        </Page>
    }
}

//! Any unknown path: a helpful Dutch 404 with a way back to the petition.

use leptos::prelude::*;

use crate::components::head::{titled, PageHead};
use crate::components::layout::Page;
use crate::copy::not_found as copy;
use crate::dom;
use leptos_router::components::A;
use petitie_core::route::Route;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <PageHead title=titled(copy::title()) noindex=true />
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

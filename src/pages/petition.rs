//! `/`: the petition with its count, the form beside (desktop) or right under (phone) the
//! intro, and the three sections.

use leptos::prelude::*;

use crate::components::closed::{ClosedNotice, NotOpenNotice};
use crate::components::counter::Counter;
use crate::components::head::{titled, PageHead};
use crate::components::layout::Page;
use crate::components::prose::Paragraphs;
use crate::components::sign_form::SignForm;
use crate::copy::{closed, form, petition, privacy, site};
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use petitie_core::route::Route;

use crate::dom;
use crate::state::use_app;

/// The title of a page with the sign area: the petition's (with the error prefix while the
/// form shows errors), or what the page says instead of the form.
pub fn sign_area_title(form_has_errors: RwSignal<bool>) -> Signal<String> {
    let app = use_app();
    Signal::derive(move || {
        if app.is_closed() {
            titled(closed::title())
        } else if app.is_before_opening() {
            titled(closed::not_open_title())
        } else if form_has_errors.get() {
            format!("{} {}", site::error_title_prefix(), site::page_title())
        } else {
            site::page_title().to_string()
        }
    })
}

/// The form, or what replaces it when the petition does not take signatures. `has_errors`
/// follows whether the form shows errors (for the page's title).
#[component]
pub fn SignArea(on_signed: Callback<()>, has_errors: RwSignal<bool>) -> impl IntoView {
    let app = use_app();
    // A memo wakes the view only when the answer changes, so the form (and what is typed in
    // it) survives every refresh of the count.
    let closed = Memo::new(move |_| app.is_closed());
    move || {
        if closed.get() {
            view! { <ClosedNotice /> }.into_any()
        } else if app.is_before_opening() {
            view! { <NotOpenNotice /> }.into_any()
        } else {
            view! {
                <h2 class="sign-title">{form::heading()}</h2>
                <SignForm on_signed has_errors />
            }
            .into_any()
        }
    }
}

#[component]
pub fn PetitionPage() -> impl IntoView {
    let has_errors = RwSignal::new(false);
    let navigate = use_navigate();
    let on_signed = Callback::new(move |_| {
        navigate(Route::Thanks.path(crate::copy::lang()), Default::default())
    });
    view! {
        <PageHead title=sign_area_title(has_errors) route=Route::Petition />
        <Page skip_to="#teken">
            <article class="petition">
                <div class="petition-top">
                    <div class="petition-lead">
                        <h1 class="petition-title">{petition::title()}</h1>
                        <Counter />
                        <div class="intro">
                            <Paragraphs text=petition::intro() />
                        </div>
                    </div>
                    <section class="sign-card" id="teken" tabindex="-1">
                        <SignArea on_signed has_errors />
                    </section>
                </div>
                <div class="petition-body">
                    <section aria-labelledby="waar">
                        <h2 id="waar">{petition::what_title()}</h2>
                        <Paragraphs text=petition::what_body() />
                    </section>
                    <section aria-labelledby="wat-gebeurt">
                        <h2 id="wat-gebeurt">{petition::after_title()}</h2>
                        <Paragraphs text=petition::after_body() />
                    </section>
                    <section aria-labelledby="wat-nog-meer">
                        <h2 id="wat-nog-meer">{petition::more_title()}</h2>
                        <Paragraphs text=petition::more_body() />
                        <p>
                            <A href=dom::app_path(
                                Route::Municipalities,
                            )>{petition::municipalities_teaser()}</A>
                        </p>
                    </section>
                    <section aria-labelledby="privacy-kort">
                        <h2 id="privacy-kort">{privacy::notice_title()}</h2>
                        <Paragraphs text=privacy::body() />
                        <p>
                            <A href=dom::app_path(Route::Privacy)>{privacy::full_statement()}</A>
                        </p>
                    </section>
                </div>
            </article>
        </Page>
    }
}

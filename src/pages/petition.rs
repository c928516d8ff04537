//! `/`: the petition with its count, the form beside (desktop) or right under (phone) the
//! intro, and the three sections.

use leptos::prelude::*;

use crate::components::closed::{ClosedNotice, NotOpenNotice};
use crate::components::counter::Counter;
use crate::components::later::Later;
use crate::components::layout::Page;
use crate::components::prose::Paragraphs;
use crate::components::sign_form::SignForm;
use crate::copy::{form, petition, privacy};
use crate::router::{use_router, Link, Route};
use crate::state::{use_app, StartUp};

/// The form, or what replaces it when the petition does not take signatures.
#[component]
pub fn SignArea(on_signed: Callback<()>) -> impl IntoView {
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
                <h2 class="sign-title">{form::HEADING}</h2>
                <SignForm on_signed />
            }
            .into_any()
        }
    }
}

#[component]
pub fn PetitionPage() -> impl IntoView {
    let router = use_router();
    let on_signed = Callback::new(move |_| router.go(Route::Thanks));
    view! {
        <Page skip_to="#teken">
            <article class="petition">
                <div class="petition-top">
                    <div class="petition-lead">
                        <Later step=StartUp::LEAD>
                            <h1 class="petition-title">{petition::TITLE}</h1>
                        </Later>
                        <Later step=StartUp::COUNT>
                            <Counter />
                        </Later>
                        <Later step=StartUp::LEAD>
                            <div class="intro">
                                <Paragraphs text=petition::INTRO />
                            </div>
                        </Later>
                    </div>
                    <section class="sign-card" id="teken" tabindex="-1">
                        <Later step=StartUp::FORM>
                            <SignArea on_signed />
                        </Later>
                    </section>
                </div>
                <div class="petition-body">
                    <Later step=StartUp::BELOW>
                        <section aria-labelledby="waar">
                            <h2 id="waar">{petition::WHAT_TITLE}</h2>
                            <Paragraphs text=petition::WHAT_BODY />
                        </section>
                        <section aria-labelledby="wat-gebeurt">
                            <h2 id="wat-gebeurt">{petition::AFTER_TITLE}</h2>
                            <Paragraphs text=petition::AFTER_BODY />
                        </section>
                        <section aria-labelledby="wat-nog-meer">
                            <h2 id="wat-nog-meer">{petition::MORE_TITLE}</h2>
                            <Paragraphs text=petition::MORE_BODY />
                            <p>
                                <Link to=Route::Municipalities>
                                    {petition::MUNICIPALITIES_TEASER}
                                </Link>
                            </p>
                        </section>
                        <section aria-labelledby="privacy-kort">
                            <h2 id="privacy-kort">{privacy::NOTICE_TITLE}</h2>
                            <Paragraphs text=privacy::BODY />
                            <p>
                                <Link to=Route::Privacy>{privacy::FULL_STATEMENT}</Link>
                            </p>
                        </section>
                    </Later>
                </div>
            </article>
        </Page>
    }
}

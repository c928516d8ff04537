//! The frame around every full page: skip link, header with the demo label, footer with
//! contact, social links and navigation; and the panel for a broken configuration.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use petitie_core::route::Route;

use crate::components::head::{titled, PageHead};
use crate::copy::{self, footer, site};
use crate::dom;
use crate::state::use_app;

/// A full page: header, `<main>`, footer.
#[component]
pub fn Page(children: Children, #[prop(default = "#main")] skip_to: &'static str) -> impl IntoView {
    let app = use_app();
    let social = app.config.with_value(|c| c.show_social_links);
    view! {
        <a class="skip-link" href=skip_to>
            {site::skip_link()}
        </a>
        <header class="site-header">
            <a class="site-logo" href=site::home_url() rel="noopener noreferrer">
                {site::organisation()}
            </a>
            <DemoLabel />
            {language_switch()}
        </header>
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <nav class="footer-nav" aria-label=footer::nav_label()>
                <ul>
                    <li>
                        <A href=dom::app_path(Route::Petition)>{footer::nav_petition()}</A>
                    </li>
                    <li>
                        <A href=dom::app_path(Route::Privacy)>{footer::nav_privacy()}</A>
                    </li>
                    <li>
                        <A href=dom::app_path(
                            Route::Municipalities,
                        )>{footer::nav_municipalities()}</A>
                    </li>
                </ul>
            </nav>
            <div class="footer-columns">
                <section aria-labelledby="footer-contact">
                    <h2 id="footer-contact" class="footer-title">
                        {footer::contact_title()}
                    </h2>
                    <p>{site::organisation()} <br /> {footer::address()}</p>
                    <p>
                        <a href=site::home_url() rel="noopener noreferrer">
                            {footer::website()}
                        </a>
                    </p>
                    <p>{footer::donate()}</p>
                </section>
                {social.then(|| view! { <SocialLinks /> })}
            </div>
        </footer>
    }
}

/// "English" on Dutch pages, "Nederlands" on English ones: the same page in the other
/// language, with the landing address's query (its attribution parameters). A link to another
/// document (each language's page carries its own texts), so the router leaves it to the
/// browser.
fn language_switch() -> impl IntoView {
    let app = use_app();
    let other = copy::lang().other();
    let here = dom::route_at(&use_location().pathname.get_untracked()).unwrap_or(Route::Petition);
    let href = format!(
        "{}{}",
        dom::page_in(here, other),
        app.landing_query.get_value()
    );
    view! {
        <a class="lang-switch" href=href hreflang=other.code() lang=other.code() rel="external">
            {site::other_language()}
        </a>
    }
}

/// Links to the charity's social accounts.
#[component]
pub fn SocialLinks() -> impl IntoView {
    let handle = footer::social_handle();
    let links = [
        (
            footer::social_facebook(),
            format!("https://www.facebook.com/{handle}"),
        ),
        (
            footer::social_instagram(),
            format!("https://www.instagram.com/{handle}"),
        ),
        (
            footer::social_linkedin(),
            format!("https://www.linkedin.com/company/{handle}"),
        ),
        (footer::social_x(), format!("https://x.com/{handle}")),
    ];
    view! {
        <section aria-labelledby="footer-social">
            <h2 id="footer-social" class="footer-title">
                {footer::social_title()}
            </h2>
            <ul class="social-links">
                {links
                    .into_iter()
                    .map(|(name, href)| {
                        view! {
                            <li>
                                <a href=href rel="noopener noreferrer">
                                    {name}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// "Demo: er wordt niets verstuurd", only with the demo backend.
#[component]
pub fn DemoLabel() -> impl IntoView {
    let app = use_app();
    app.is_demo()
        .then(|| view! { <p class="demo-label">{site::demo_label()}</p> })
}

/// Shown instead of the app when `config.json` is missing or wrong; `problem` says what is
/// wrong.
#[component]
pub fn ConfigErrorPanel(problem: String) -> impl IntoView {
    view! {
        <PageHead title=titled(site::config_error_title()) noindex=true />
        <main id="main" class="config-error-page">
            <div class="config-error" role="alert">
                <h1>{site::config_error_title()}</h1>
                <p>{site::config_error_body()}</p>
                <p>{site::config_error_admin()}</p>
                <p class="config-error-problem">
                    <code>{problem}</code>
                </p>
            </div>
        </main>
    }
}

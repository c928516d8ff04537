//! The frame around every full page: skip link, header with the demo label, footer with
//! contact, social links and navigation; and the panel for a broken configuration.

use leptos::prelude::*;
use leptos_router::components::A;
use petitie_core::route::Route;

use crate::copy::{footer, site};
use crate::dom;
use crate::state::use_app;

/// A full page: header, `<main>`, footer.
#[component]
pub fn Page(children: Children, #[prop(default = "#main")] skip_to: &'static str) -> impl IntoView {
    let app = use_app();
    let social = app.config.with_value(|c| c.show_social_links);
    view! {
        <a class="skip-link" href=skip_to>
            {site::SKIP_LINK}
        </a>
        <header class="site-header">
            <a class="site-logo" href=site::HOME_URL rel="noopener noreferrer">
                {site::ORGANISATION}
            </a>
            <DemoLabel />
        </header>
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <nav class="footer-nav" aria-label=footer::NAV_LABEL>
                <ul>
                    <li>
                        <A href=dom::app_path(Route::Petition)>{footer::NAV_PETITION}</A>
                    </li>
                    <li>
                        <A href=dom::app_path(Route::Privacy)>{footer::NAV_PRIVACY}</A>
                    </li>
                    <li>
                        <A href=dom::app_path(
                            Route::Municipalities,
                        )>{footer::NAV_MUNICIPALITIES}</A>
                    </li>
                </ul>
            </nav>
            <div class="footer-columns">
                <section aria-labelledby="footer-contact">
                    <h2 id="footer-contact" class="footer-title">
                        {footer::CONTACT_TITLE}
                    </h2>
                    <p>{site::ORGANISATION} <br /> {footer::ADDRESS}</p>
                    <p>
                        <a href=site::HOME_URL rel="noopener noreferrer">
                            {footer::WEBSITE}
                        </a>
                    </p>
                    <p>{footer::DONATE}</p>
                </section>
                {social.then(|| view! { <SocialLinks /> })}
            </div>
        </footer>
    }
}

/// Links to the charity's social accounts.
#[component]
pub fn SocialLinks() -> impl IntoView {
    let handle = footer::SOCIAL_HANDLE;
    let links = [
        (
            footer::SOCIAL_FACEBOOK,
            format!("https://www.facebook.com/{handle}"),
        ),
        (
            footer::SOCIAL_INSTAGRAM,
            format!("https://www.instagram.com/{handle}"),
        ),
        (
            footer::SOCIAL_LINKEDIN,
            format!("https://www.linkedin.com/company/{handle}"),
        ),
        (footer::SOCIAL_X, format!("https://x.com/{handle}")),
    ];
    view! {
        <section aria-labelledby="footer-social">
            <h2 id="footer-social" class="footer-title">
                {footer::SOCIAL_TITLE}
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
        .then(|| view! { <p class="demo-label">{site::DEMO_LABEL}</p> })
}

/// Shown instead of the app when `config.json` is missing or wrong; `problem` says what is
/// wrong.
#[component]
pub fn ConfigErrorPanel(problem: String) -> impl IntoView {
    view! {
        <main id="main" class="config-error-page">
            <div class="config-error" role="alert">
                <h1>{site::CONFIG_ERROR_TITLE}</h1>
                <p>{site::CONFIG_ERROR_BODY}</p>
                <p>{site::CONFIG_ERROR_ADMIN}</p>
                <p class="config-error-problem">
                    <code>{problem}</code>
                </p>
            </div>
        </main>
    }
}

//! The page's head, owned by the page: each route renders one [`PageHead`] with its title,
//! description, address (canonical and hreflang links) and whether search engines may index
//! it. The build writes the first page's head; this keeps it true as the supporter moves on.

use leptos::prelude::*;
use petitie_core::route::Route;

use crate::copy::site;
use crate::dom;

/// The head of the page being shown. `title` may change while the page is shown (a form with
/// errors, a petition that closes); `route` is `None` for an address the app does not know.
#[component]
pub fn PageHead(
    #[prop(into)] title: Signal<String>,
    #[prop(optional)] route: Option<Route>,
    #[prop(default = site::description())] description: &'static str,
    /// Kept out of search engines (the thank-you step, the embed, a 404, a mail's link).
    #[prop(optional)]
    noindex: bool,
) -> impl IntoView {
    if let Some(route) = route {
        dom::set_page_links(route);
    }
    dom::set_meta("description", Some(description));
    dom::set_meta("robots", noindex.then_some("noindex"));
    Effect::new(move |_| dom::set_title(&title.get()));
}

/// "Title – Het Vergeten Kind": a page's title in the browser's tab.
pub fn titled(title: &str) -> String {
    format!("{title} – {}", site::organisation())
}

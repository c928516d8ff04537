//! The app's pages and their addresses, written once: the app's routes, its links, the
//! loader's choice of static first screen (index.html) and the browser tests'
//! `tests/e2e/routes.json` all come from, or are checked against, [`Route::ALL`].
//! The app is served under a base path (`/petitie` or the site root), added by the router.

/// A page of the app that has an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Petition,
    Thanks,
    Privacy,
    Municipalities,
    Embed,
}

impl Route {
    /// Every page, with its name in `tests/e2e/routes.json`.
    pub const ALL: [(Route, &'static str); 5] = [
        (Route::Petition, "petition"),
        (Route::Thanks, "thanks"),
        (Route::Privacy, "privacy"),
        (Route::Municipalities, "municipalities"),
        (Route::Embed, "embed"),
    ];

    /// The pages search engines are given (`sitemap.xml`): not the thank-you step, which
    /// shows only right after signing, nor the embed, which is a frame in other sites' pages.
    pub const INDEXED: [Route; 3] = [Route::Petition, Route::Privacy, Route::Municipalities];

    /// The path below the base path.
    pub const fn path(self) -> &'static str {
        match self {
            Route::Petition => "/",
            Route::Thanks => "/bedankt",
            Route::Privacy => "/privacy",
            Route::Municipalities => "/gemeenten",
            Route::Embed => "/embed",
        }
    }

    /// The path as the router's one static segment ("bedankt"; "" for the petition).
    pub fn segment(self) -> &'static str {
        &self.path()[1..]
    }
}

/// The script in index.html's head that picks the static first screen for the address
/// before anything else loads: the petition's, the embed's, or none.
pub fn first_screen_script() -> String {
    format!(
        "document.documentElement.className = /\\/(index\\.html)?$/.test(location.pathname) \
         ? 'route-page' : /\\/{}\\/?$/.test(location.pathname) ? 'route-embed' : 'route-other';",
        Route::Embed.segment()
    )
}

/// `tests/e2e/routes.json`: each page's name and path, for the browser tests.
pub fn routes_json() -> String {
    let entries = Route::ALL
        .iter()
        .map(|(route, name)| format!("  \"{name}\": \"{}\"", route.path()))
        .collect::<Vec<_>>()
        .join(",\n");
    format!("{{\n{entries}\n}}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_its_own_path_and_a_segment_without_slashes() {
        for (i, (a, _)) in Route::ALL.iter().enumerate() {
            assert!(a.path().starts_with('/'));
            assert!(!a.segment().contains('/'), "{a:?}");
            for (b, _) in &Route::ALL[i + 1..] {
                assert_ne!(a.path(), b.path());
            }
        }
        assert_eq!(Route::Petition.segment(), "");
        assert_eq!(Route::Thanks.segment(), "bedankt");
    }

    #[test]
    fn index_html_picks_the_first_screen_by_these_paths() {
        let index = include_str!("../../../index.html");
        assert!(
            index.contains(&first_screen_script()),
            "index.html's first-screen script must be:\n{}",
            first_screen_script()
        );
    }

    #[test]
    fn the_browser_tests_know_these_paths() {
        let json = include_str!("../../../tests/e2e/routes.json");
        assert_eq!(
            json,
            routes_json(),
            "tests/e2e/routes.json must be:\n{}",
            routes_json()
        );
    }
}

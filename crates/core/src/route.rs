//! The app's pages and their addresses, written once: the app's routes, its links, the
//! loader's choice of static first screen (`first_screen_script`) and the browser tests'
//! `tests/e2e/routes.json` all come from, or are checked against, [`Route::ALL`].
//! The app is served under a base path (`/petitie` or the site root), added by the router;
//! the English pages below that under `/en`, with their own names.

use crate::lang::Lang;

/// A page of the app that has an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Petition,
    Thanks,
    Privacy,
    Municipalities,
    Embed,
    /// A confirmation mail's link: confirms the signature its token (in the fragment) names.
    Confirm,
    /// A confirmation mail's other link: withdraws that signature.
    Withdraw,
}

impl Route {
    /// Every page, with its name in `tests/e2e/routes.json`.
    pub const ALL: [(Route, &'static str); 7] = [
        (Route::Petition, "petition"),
        (Route::Thanks, "thanks"),
        (Route::Privacy, "privacy"),
        (Route::Municipalities, "municipalities"),
        (Route::Embed, "embed"),
        (Route::Confirm, "confirm"),
        (Route::Withdraw, "withdraw"),
    ];

    /// The pages search engines are given (`sitemap.xml`): not the thank-you step, which
    /// shows only right after signing, nor the embed, which is a frame in other sites' pages.
    pub const INDEXED: [Route; 3] = [Route::Petition, Route::Privacy, Route::Municipalities];

    /// The path below the language's base (`Lang::prefix` below the base path).
    pub const fn path(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Route::Petition, _) => "/",
            (Route::Thanks, Lang::Nl) => "/bedankt",
            (Route::Thanks, Lang::En) => "/thanks",
            (Route::Privacy, _) => "/privacy",
            (Route::Municipalities, Lang::Nl) => "/gemeenten",
            (Route::Municipalities, Lang::En) => "/municipalities",
            (Route::Embed, _) => "/embed",
            (Route::Confirm, Lang::Nl) => "/bevestigen",
            (Route::Confirm, Lang::En) => "/confirm",
            (Route::Withdraw, Lang::Nl) => "/intrekken",
            (Route::Withdraw, Lang::En) => "/withdraw",
        }
    }

    /// The path as the router's one static segment ("bedankt"; "" for the petition).
    pub fn segment(self, lang: Lang) -> &'static str {
        &self.path(lang)[1..]
    }

    /// The path below the base path, with the language's prefix ("/en/thanks").
    pub fn full_path(self, lang: Lang) -> String {
        format!("{}{}", lang.prefix(), self.path(lang))
    }

    /// The page at this path below the language's base ("/thanks", "/thanks/"; "" is the
    /// petition).
    pub fn from_path(lang: Lang, path: &str) -> Option<Route> {
        let segment = path.strip_prefix('/').unwrap_or(path);
        let segment = segment.strip_suffix('/').unwrap_or(segment);
        Route::ALL
            .into_iter()
            .map(|(route, _)| route)
            .find(|route| route.segment(lang) == segment)
    }
}

/// The script the build writes into each language's page, first in its head (the prerender
/// step fills index.html's empty `<script id="route">`): it picks the static first screen for
/// the address before anything else loads (the class `route-page`, `route-embed` or
/// `route-other` on `<html>`), and sends the embed asked for in the other language
/// (`?lang=en` on `/embed`, `?lang=nl` on `/en/embed`) to that language's embed at once.
/// `base` is the base path the build was made for (`/petitie`, or empty at the root).
pub fn first_screen_script(base: &str, lang: Lang) -> String {
    let path = |route: Route, lang: Lang| format!("{base}{}", route.full_path(lang));
    let petition = path(Route::Petition, lang);
    let embed = path(Route::Embed, lang);
    // Each address that shows a first screen, as the browser's `location.pathname` has it.
    let screens = [
        (petition.clone(), "route-page"),
        (format!("{petition}index.html"), "route-page"),
        (embed.clone(), "route-embed"),
        (format!("{embed}/"), "route-embed"),
    ]
    .map(|(path, class)| format!("{}:'{class}'", json_string(&path)))
    .join(",");
    let others = Lang::ALL
        .into_iter()
        .filter(|other| *other != lang)
        .map(|other| {
            format!(
                "{}:{}",
                other.code(),
                json_string(&path(Route::Embed, other))
            )
        })
        .collect::<Vec<_>>()
        .join(",");
    format!(
        "var r={{{screens}}}[location.pathname]||'route-other',\
         l=new URLSearchParams(location.search).get('lang'),e={{{others}}};\
         document.documentElement.className=r;\
         if(r=='route-embed'&&e.hasOwnProperty(l))location.replace(e[l]+location.search);"
    )
}

/// A string as a JavaScript (JSON) literal, safe inside `<script>`.
fn json_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// `tests/e2e/routes.json`: each page's name and path below the base path, for the browser
/// tests; the English ones under "en".
pub fn routes_json() -> String {
    let entries = |lang: Lang, indent: &str| {
        Route::ALL
            .iter()
            .map(|(route, name)| format!("{indent}\"{name}\": \"{}\"", route.full_path(lang)))
            .collect::<Vec<_>>()
            .join(",\n")
    };
    format!(
        "{{\n{},\n  \"en\": {{\n{}\n  }}\n}}\n",
        entries(Lang::Nl, "  "),
        entries(Lang::En, "    ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_its_own_path_and_a_segment_without_slashes() {
        for lang in Lang::ALL {
            for (i, (a, _)) in Route::ALL.iter().enumerate() {
                assert!(a.path(lang).starts_with('/'));
                assert!(!a.segment(lang).contains('/'), "{a:?}");
                for (b, _) in &Route::ALL[i + 1..] {
                    assert_ne!(a.path(lang), b.path(lang));
                }
                // No Dutch page is taken for the English ones' directory.
                assert_ne!(a.segment(Lang::Nl), "en");
            }
        }
        assert_eq!(Route::Petition.segment(Lang::Nl), "");
        assert_eq!(Route::Thanks.segment(Lang::Nl), "bedankt");
        assert_eq!(Route::Thanks.full_path(Lang::En), "/en/thanks");
        assert_eq!(Route::Petition.full_path(Lang::En), "/en/");
    }

    #[test]
    fn paths_read_back_as_their_page() {
        for lang in Lang::ALL {
            for (route, _) in Route::ALL {
                assert_eq!(Route::from_path(lang, route.path(lang)), Some(route));
            }
        }
        for (lang, path, route) in [
            (Lang::Nl, "", Some(Route::Petition)),
            (Lang::Nl, "/bedankt/", Some(Route::Thanks)),
            (Lang::En, "/thanks", Some(Route::Thanks)),
            (Lang::En, "/bedankt", None),
            (Lang::Nl, "/thanks", None),
            (Lang::En, "/municipalities", Some(Route::Municipalities)),
            (Lang::Nl, "/nergens", None),
        ] {
            assert_eq!(Route::from_path(lang, path), route, "{lang:?} {path}");
        }
    }

    #[test]
    fn the_first_screen_script_knows_each_address_of_its_language() {
        let nl = first_screen_script("", Lang::Nl);
        assert!(nl.starts_with("var r={\"/\":'route-page',\"/index.html\":'route-page',\"/embed\":'route-embed',\"/embed/\":'route-embed'}"), "{nl}");
        assert!(nl.contains("e={en:\"/en/embed\"}"), "{nl}");
        let en = first_screen_script("/petitie", Lang::En);
        assert!(en.contains("\"/petitie/en/\":'route-page'"), "{en}");
        assert!(en.contains("\"/petitie/en/embed/\":'route-embed'"), "{en}");
        assert!(en.contains("e={nl:\"/petitie/embed\"}"), "{en}");
        // A base path cannot end the script.
        assert!(!first_screen_script("/</script>", Lang::Nl).contains("</"));
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

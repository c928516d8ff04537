//! The app's pages by address: which page a path shows, and each page's path. The app is
//! served under a base path (`/petitie` or the site root), given separately.

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Petition,
    Thanks,
    Privacy,
    Municipalities,
    Embed,
    NotFound,
}

impl Route {
    /// The pages that have an address, with it.
    const PATHS: [(Route, &'static str); 5] = [
        (Route::Petition, "/"),
        (Route::Thanks, "/bedankt"),
        (Route::Privacy, "/privacy"),
        (Route::Municipalities, "/gemeenten"),
        (Route::Embed, "/embed"),
    ];

    /// The path below the base path; the petition's for [`Route::NotFound`], which has none.
    pub fn path(self) -> &'static str {
        Route::PATHS
            .iter()
            .find(|(route, _)| *route == self)
            .map_or("/", |(_, path)| path)
    }

    /// The page for an address path (`location.pathname`) of an app served under `base`
    /// (no trailing slash; empty at the site root). One trailing slash is allowed.
    pub fn from_path(pathname: &str, base: &str) -> Route {
        let Some(rest) = pathname.strip_prefix(base) else {
            return Route::NotFound;
        };
        let rest = match rest {
            "" => "/",
            r if r.len() > 1 => r.strip_suffix('/').unwrap_or(r),
            r => r,
        };
        Route::PATHS
            .iter()
            .find(|(_, path)| *path == rest)
            .map_or(Route::NotFound, |(route, _)| *route)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_page_from_its_address() {
        for (path, base, route) in [
            ("/", "", Route::Petition),
            ("", "", Route::Petition),
            ("/bedankt", "", Route::Thanks),
            ("/bedankt/", "", Route::Thanks),
            ("/privacy", "", Route::Privacy),
            ("/gemeenten", "", Route::Municipalities),
            ("/embed", "", Route::Embed),
            ("/embed/", "", Route::Embed),
            ("/bestaat-niet", "", Route::NotFound),
            ("/privacy/extra", "", Route::NotFound),
            ("/bedankt//", "", Route::NotFound),
            ("/Privacy", "", Route::NotFound),
            ("/petitie", "/petitie", Route::Petition),
            ("/petitie/", "/petitie", Route::Petition),
            ("/petitie/privacy", "/petitie", Route::Privacy),
            ("/petitieprivacy", "/petitie", Route::NotFound),
            ("/privacy", "/petitie", Route::NotFound),
        ] {
            assert_eq!(Route::from_path(path, base), route, "{path} under {base:?}");
        }
    }

    #[test]
    fn every_page_reads_back_from_its_own_path() {
        for route in [
            Route::Petition,
            Route::Thanks,
            Route::Privacy,
            Route::Municipalities,
            Route::Embed,
        ] {
            assert_eq!(Route::from_path(route.path(), ""), route);
            let under = format!("/petitie{}", route.path());
            assert_eq!(Route::from_path(&under, "/petitie"), route);
        }
        assert_eq!(Route::NotFound.path(), "/");
    }
}

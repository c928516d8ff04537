//! The petition's languages: Dutch at the base path, English under `/en`. Each language's
//! page carries its own texts (the app's `copy`); what differs beyond the texts is here.

/// A language the petition is published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The language's code, as in `<html lang>`, `hreflang` and the signature's `locale`.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language with this code ("en", "EN").
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(code))
    }

    /// Where the language's pages live below the base path: "" for Dutch, "/en" for English.
    pub const fn prefix(self) -> &'static str {
        match self {
            Lang::Nl => "",
            Lang::En => "/en",
        }
    }

    /// The other language: the one the language switch leads to.
    pub const fn other(self) -> Lang {
        match self {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }

    /// What goes between thousands: 41.230 in Dutch, 41,230 in English.
    pub const fn thousands_separator(self) -> char {
        match self {
            Lang::Nl => '.',
            Lang::En => ',',
        }
    }

    /// The language's public page, from the Dutch page's public address (`share_url`):
    /// "https://x.nl/petitie/" gives "https://x.nl/petitie/en/" in English.
    pub fn public_url(self, dutch_url: &str) -> String {
        match self {
            Lang::Nl => dutch_url.to_string(),
            Lang::En => {
                let url = dutch_url.strip_suffix('/').unwrap_or(dutch_url);
                format!("{url}{}/", self.prefix())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_and_every_language_has_one_other() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert_ne!(lang.other(), lang);
            assert_eq!(lang.other().other(), lang);
        }
        for (code, lang) in [
            ("nl", Some(Lang::Nl)),
            ("EN", Some(Lang::En)),
            (" en", None),
            ("de", None),
            ("", None),
            ("en-GB", None),
        ] {
            assert_eq!(Lang::from_code(code), lang, "{code:?}");
        }
        assert_eq!(Lang::default(), Lang::Nl);
    }

    #[test]
    fn the_english_public_page_is_below_the_dutch_one() {
        for (lang, dutch, expected) in [
            (Lang::Nl, "https://x.nl/petitie/", "https://x.nl/petitie/"),
            (
                Lang::En,
                "https://x.nl/petitie/",
                "https://x.nl/petitie/en/",
            ),
            (Lang::En, "https://x.nl/petitie", "https://x.nl/petitie/en/"),
            (Lang::En, "https://x.nl/", "https://x.nl/en/"),
            (Lang::En, "https://x.nl", "https://x.nl/en/"),
        ] {
            assert_eq!(lang.public_url(dutch), expected, "{lang:?} {dutch}");
        }
    }
}

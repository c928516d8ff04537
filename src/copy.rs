//! The page's wording, generated at build time from `locales/nl.toml` (see build.rs).

include!(concat!(env!("OUT_DIR"), "/copy.rs"));

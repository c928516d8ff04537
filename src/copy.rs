//! The page's wording in the page's language: `copy::petition::title()` and the like, generated
//! from `locales/nl.toml` and `locales/en.toml` (see build.rs).
//!
//! The wasm carries no texts. Each language's `index.html` carries its own, as one JSON list
//! in `<script type="application/json" id="copy">` (written by the build step,
//! `src/bin/prerender.rs`), which [`install_from_page`] reads once before the app mounts. So
//! a first visit downloads one language, in a file that compresses it alongside the same
//! words in its first screen. At build time, [`use_language`] installs the texts compiled in.

use std::cell::Cell;

use petitie_core::lang::Lang;
use petitie_core::template::fill;

include!(concat!(env!("OUT_DIR"), "/copy.rs"));

thread_local! {
    static TEXTS: Cell<&'static [&'static str]> = const { Cell::new(&[]) };
    static LANG: Cell<Lang> = const { Cell::new(Lang::Nl) };
}

/// Text number `i` of the installed language (of [`COUNT`]; the browser has the first
/// [`PAGE_TEXTS`]). Not inlined: its check stays in one place, not at each text's use.
#[inline(never)]
fn text(i: usize) -> &'static str {
    match TEXTS.get().get(i) {
        Some(text) => text,
        None => panic!("copy text {i} of {COUNT} is missing: install the page's texts first"),
    }
}

/// Installs the texts of a language, as the JSON list the build writes into its page (of
/// strings only).
pub fn install(json: &str) -> Result<(), String> {
    // The browser's own JSON parser: the list arrives as a JavaScript array of strings.
    let list = js_sys::JSON::parse(json).map_err(|_| "the texts are not JSON")?;
    let texts: Vec<&'static str> = js_sys::Array::from(&list)
        .iter()
        .map(|text| &*text.as_string().unwrap_or_default().leak())
        .collect();
    if texts.len() != PAGE_TEXTS {
        return Err(format!(
            "{} texts, this build has {PAGE_TEXTS}",
            texts.len()
        ));
    }
    TEXTS.set(texts.leak());
    LANG.set(Lang::from_code(site::lang()).unwrap_or_default());
    Ok(())
}

/// Installs the texts the page carries (`#copy`).
pub fn install_from_page() -> Result<(), String> {
    let json = leptos::prelude::document()
        .get_element_by_id("copy")
        .and_then(|data| data.text_content())
        .ok_or("the page has no #copy texts")?;
    install(&json)
}

/// The language of the installed texts.
pub fn lang() -> Lang {
    LANG.get()
}

/// A count formatted for the page's language ("41.230", "41,230").
pub fn format_count(n: u64) -> String {
    petitie_core::count::format_count(n, lang())
}

/// A text about `n` people, filled with `n` as the page's language writes it: `one` (its
/// `_one` form) when `n` is 1, else `many`.
pub fn counted(n: u64, one: fn(&str) -> String, many: fn(&str) -> String) -> String {
    (if n == 1 { one } else { many })(&format_count(n))
}

/// At build time: installs one language's texts, compiled in.
#[cfg(feature = "ssr")]
pub fn use_language(lang: Lang) {
    TEXTS.set(compiled(lang));
    LANG.set(lang);
}

/// A language's texts as compiled into the build step.
#[cfg(feature = "ssr")]
fn compiled(lang: Lang) -> &'static [&'static str; COUNT] {
    match lang {
        Lang::Nl => &DUTCH,
        Lang::En => &ENGLISH,
    }
}

/// A language's texts as its page carries them: a JSON list, safe inside `<script>`.
#[cfg(feature = "ssr")]
pub fn page_data(lang: Lang) -> String {
    serde_json::to_string(&compiled(lang)[..PAGE_TEXTS])
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

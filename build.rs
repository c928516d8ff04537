//! Turns the copy files `locales/nl.toml` and `locales/en.toml` into the app's text functions
//! (`copy::petition::title()`), so a key that the code uses but the files lack stops the
//! build, naming the key. Both files must have the same keys, every text filled in, with the
//! same `{placeholders}`.
//!
//! The texts themselves are not compiled into the browser's wasm: each language's page carries
//! its own as data (`copy::install_from_page`), numbered in the files' order. The native build
//! step that writes those pages (`ssr`) gets both languages as constants, and alone has the
//! texts that only it uses ([`BUILD_ONLY`]): the app cannot call them, the pages do not carry
//! them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// The copy files: Dutch and English, with the same keys.
const DUTCH: &str = "locales/nl.toml";
const ENGLISH: &str = "locales/en.toml";

/// Texts only the build step uses: index.html's head, the first screen's words for readers
/// without JavaScript and for a submit pressed before the app runs, and the charity's own
/// share card when the files name one (`site.share_card_image`, optional).
const BUILD_ONLY: [&str; 5] = [
    "site.og_locale",
    "site.share_card_alt",
    "site.share_card_image",
    "site.noscript",
    "form.getting_ready",
];

fn read_table(path: &str) -> toml::Table {
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    text.parse()
        .unwrap_or_else(|e| panic!("{path} is not valid TOML: {e}"))
}

/// Every text of a copy file by section and key, trimmed, in the file's order. Anything but a
/// table of texts, or an empty text, stops the build.
fn texts(path: &str) -> Vec<((String, String), String)> {
    let mut out = Vec::new();
    for (section, values) in read_table(path) {
        let values = values
            .as_table()
            .unwrap_or_else(|| panic!("{path}: [{section}] must be a table of texts"));
        for (key, value) in values {
            let text = value
                .as_str()
                .unwrap_or_else(|| panic!("{path}: {section}.{key} must be text"))
                .trim();
            assert!(!text.is_empty(), "{path}: {section}.{key} is empty");
            out.push(((section.clone(), key.clone()), text.to_string()));
        }
    }
    out
}

/// The `{placeholders}` of a text.
fn placeholders(text: &str) -> BTreeSet<&str> {
    in_order(text).into_iter().collect()
}

/// The `{placeholders}` of a text, each once, in the order they first appear.
fn in_order(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for name in text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
    {
        assert!(
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{{{name}}} is not a placeholder name (lower-case letters and _ only)"
        );
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Sections only the reference server uses (its confirmation mails): checked like the
/// others, not turned into functions of the app nor carried by its pages.
const SERVER_ONLY: [&str; 1] = ["mail"];

fn main() {
    // The texts the pages carry first, then the build's own.
    let (mut dutch, english) = (texts(DUTCH), texts(ENGLISH));
    let build_only =
        |key: &(String, String)| BUILD_ONLY.contains(&format!("{}.{}", key.0, key.1).as_str());
    let english: BTreeMap<_, _> = english.into_iter().collect();
    let keys: BTreeSet<_> = dutch.iter().map(|(key, _)| key.clone()).collect();
    let mut problems = Vec::new();
    for ((section, key), text) in &dutch {
        match english.get(&(section.clone(), key.clone())) {
            None => problems.push(format!("{ENGLISH} has no text for {section}.{key}")),
            Some(own) if placeholders(own) != placeholders(text) => problems.push(format!(
                "{ENGLISH}: {section}.{key} must use the placeholders {:?}, not {:?}",
                placeholders(text),
                placeholders(own)
            )),
            Some(_) => {}
        }
    }
    for (section, key) in english.keys().filter(|k| !keys.contains(*k)) {
        problems.push(format!("{DUTCH} has no text for {section}.{key}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    dutch.retain(|((section, _), _)| !SERVER_ONLY.contains(&section.as_str()));
    dutch.sort_by_key(|(key, _)| build_only(key));
    let page_texts = dutch.iter().filter(|(key, _)| !build_only(key)).count();

    let mut out =
        String::from("// Generated from locales/nl.toml and locales/en.toml by build.rs.\n");
    writeln!(
        out,
        "/// How many texts a page carries.\npub const PAGE_TEXTS: usize = {page_texts};"
    )
    .unwrap();
    writeln!(
        out,
        "/// How many texts there are.\npub const COUNT: usize = {};",
        dutch.len()
    )
    .unwrap();
    let mut sections: Vec<&String> = Vec::new();
    for ((section, _), _) in &dutch {
        if !sections.contains(&section) {
            sections.push(section);
        }
    }
    for section in sections {
        writeln!(out, "pub mod {section} {{").unwrap();
        for (i, ((own, key), text)) in dutch.iter().enumerate() {
            if own != section {
                continue;
            }
            let first_line = text.lines().next().unwrap_or_default();
            writeln!(out, "    /// {first_line:?}").unwrap();
            if i >= page_texts {
                out.push_str("    #[cfg(feature = \"ssr\")]\n");
            }
            // A text with placeholders takes one argument per placeholder and comes filled
            // in: a wrong or missing one does not build.
            let names = in_order(text);
            if names.is_empty() {
                writeln!(
                    out,
                    "    pub fn {key}() -> &'static str {{ super::text({i}) }}"
                )
                .unwrap();
            } else {
                let params: Vec<String> = names.iter().map(|n| format!("{n}: &str")).collect();
                let values: Vec<String> = names.iter().map(|n| format!("({n:?}, {n})")).collect();
                writeln!(
                    out,
                    "    pub fn {key}({}) -> String {{ super::fill(super::text({i}), &[{}]) }}",
                    params.join(", "),
                    values.join(", ")
                )
                .unwrap();
            }
        }
        out.push_str("}\n");
    }
    let tables: [(&str, Vec<&str>); 2] = [
        (
            "DUTCH",
            dutch.iter().map(|(_, text)| text.as_str()).collect(),
        ),
        (
            "ENGLISH",
            dutch.iter().map(|(key, _)| english[key].as_str()).collect(),
        ),
    ];
    for (name, texts) in tables {
        writeln!(
            out,
            "#[cfg(feature = \"ssr\")]\npub const {name}: [&str; COUNT] = ["
        )
        .unwrap();
        for text in texts {
            writeln!(out, "    {text:?},").unwrap();
        }
        out.push_str("];\n");
    }
    // For the build-time fill of index.html's `{{section.key}}` (src/bin/prerender.rs).
    out.push_str(
        "/// A text by section and key, in the installed language.\n#[cfg(feature = \"ssr\")]\n",
    );
    out.push_str("pub fn lookup(section: &str, key: &str) -> Option<&'static str> {\n");
    out.push_str("    match (section, key) {\n");
    for (i, ((section, key), _)) in dutch.iter().enumerate() {
        writeln!(out, "        ({section:?}, {key:?}) => Some(text({i})),").unwrap();
    }
    out.push_str("        _ => None,\n    }\n}\n");
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("copy.rs"), out).unwrap();
    // The Dutch texts as a page carries them, for the component tests (tests/components.rs).
    let list: Vec<&str> = dutch[..page_texts]
        .iter()
        .map(|(_, text)| text.as_str())
        .collect();
    std::fs::write(
        Path::new(&out_dir).join("nl.json"),
        serde_json::to_string(&list).unwrap(),
    )
    .unwrap();
}

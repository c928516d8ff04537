//! Turns the copy file `locales/nl.toml` into Rust constants (`copy::petition::TITLE`), so a
//! key that the code uses but the file lacks stops the build, naming the key. Checks that
//! `locales/en.toml` has exactly the same keys.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// The copy files: Dutch, whose texts the app is built with, and English, which must hold
/// the same keys.
const DUTCH: &str = "locales/nl.toml";
const ENGLISH: &str = "locales/en.toml";

fn read_table(path: &Path) -> toml::Table {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.parse()
        .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", path.display()))
}

/// Every `section.key` of a copy file with a text, with the `{placeholders}` of that text.
fn texts(table: &toml::Table) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (section, values) in table {
        for (key, value) in values.as_table().into_iter().flatten() {
            let Some(text) = value.as_str().filter(|t| !t.trim().is_empty()) else {
                continue;
            };
            let placeholders = text
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
                .collect();
            out.insert(format!("{section}.{key}"), placeholders);
        }
    }
    out
}

fn main() {
    let path = Path::new(DUTCH);
    let table = read_table(path);
    let mut out = String::from("// Generated from locales/nl.toml by build.rs.\n");
    for (section, values) in &table {
        let values = values
            .as_table()
            .unwrap_or_else(|| panic!("{}: [{section}] must be a table of texts", path.display()));
        writeln!(out, "pub mod {section} {{").unwrap();
        for (key, value) in values {
            let text = value
                .as_str()
                .unwrap_or_else(|| panic!("{}: {section}.{key} must be text", path.display()));
            let text = text.trim();
            assert!(
                !text.is_empty(),
                "{}: {section}.{key} is empty",
                path.display()
            );
            writeln!(
                out,
                "    pub const {}: &str = {:?};",
                key.to_uppercase(),
                text
            )
            .unwrap();
        }
        writeln!(out, "}}").unwrap();
    }
    // For the build-time fill of index.html's `{{section.key}}` (src/bin/prerender.rs).
    out.push_str("/// A text by section and key.\n#[cfg(feature = \"ssr\")]\n");
    out.push_str("pub fn lookup(section: &str, key: &str) -> Option<&'static str> {\n");
    out.push_str("    match (section, key) {\n");
    for (section, values) in &table {
        for key in values.as_table().into_iter().flat_map(|t| t.keys()) {
            writeln!(
                out,
                "        ({section:?}, {key:?}) => Some({section}::{}),",
                key.to_uppercase()
            )
            .unwrap();
        }
    }
    out.push_str("        _ => None,\n    }\n}\n");
    // Both languages have every text (not empty), with the same placeholders: anything else
    // stops the build, named.
    let (dutch, english) = (texts(&table), texts(&read_table(Path::new(ENGLISH))));
    let mut problems = Vec::new();
    for (key, placeholders) in &dutch {
        match english.get(key) {
            None => problems.push(format!("{ENGLISH} has no text for {key}")),
            Some(own) if own != placeholders => problems.push(format!(
                "{ENGLISH}: {key} must use the placeholders {placeholders:?}, not {own:?}"
            )),
            Some(_) => {}
        }
    }
    for key in english.keys().filter(|key| !dutch.contains_key(*key)) {
        problems.push(format!("{DUTCH} has no text for {key}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("copy.rs");
    std::fs::write(dest, out).unwrap();
}

//! Turns the copy file `locales/nl.toml` into Rust constants (`copy::petition::TITLE`), so a
//! key that the code uses but the file lacks stops the build, naming the key.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let path = Path::new("locales/nl.toml");
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let table: toml::Table = text
        .parse()
        .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", path.display()));
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
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("copy.rs");
    std::fs::write(dest, out).unwrap();
}

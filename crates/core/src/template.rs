//! Fills `{name}` placeholders in copy texts. Values are inserted as plain text; the
//! components render the result as text, never as HTML.

/// Replaces each `{key}` with its value; unknown placeholders are left as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let key = &after[..end];
                match values.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The copy text for a number: `one` for exactly 1 ("1 persoon tekende al"), else `many`.
pub fn for_count<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Splits a copy text into paragraphs at blank lines.
pub fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n").map(str::trim).filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_placeholders() {
        assert_eq!(
            fill("Bedankt, {name}!", &[("name", "Anna")]),
            "Bedankt, Anna!"
        );
        assert_eq!(fill("{a} en {b}", &[("a", "1"), ("b", "2")]), "1 en 2");
    }

    #[test]
    fn leaves_unknown_or_unclosed_placeholders_alone() {
        assert_eq!(fill("Hallo {wie}", &[]), "Hallo {wie}");
        assert_eq!(fill("Hallo {wie", &[("wie", "x")]), "Hallo {wie");
    }

    #[test]
    fn inserts_values_literally_even_when_they_look_like_placeholders() {
        assert_eq!(fill("{name}", &[("name", "{name}<b>")]), "{name}<b>");
    }

    #[test]
    fn splits_paragraphs_at_blank_lines() {
        let p: Vec<&str> = paragraphs("Een.\n\n  Twee.\n\n\n").collect();
        assert_eq!(p, vec!["Een.", "Twee."]);
    }

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(for_count(1, "persoon", "mensen"), "persoon");
        for n in [0, 2, 41_235, u64::MAX] {
            assert_eq!(for_count(n, "persoon", "mensen"), "mensen");
        }
    }
}

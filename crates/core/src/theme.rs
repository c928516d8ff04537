//! Embed theming from query parameters (`?accent=%23e4007d&radius=4px`): only plain colour
//! and length values pass, so nothing from a URL is ever injected into CSS.

/// The themeable tokens: query parameter and CSS custom property.
pub const TOKENS: &[(&str, &str, Kind)] = &[
    ("accent", "--color-accent", Kind::Colour),
    ("text", "--color-text", Kind::Colour),
    ("background", "--color-background", Kind::Colour),
    ("radius", "--radius", Kind::Length),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Colour,
    Length,
}

/// `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`.
pub fn is_colour(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|hex| {
        matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// A non-negative number of at most 3 digits (one decimal allowed) with `px`, `rem` or `em`.
pub fn is_length(value: &str) -> bool {
    let number = ["px", "rem", "em"]
        .iter()
        .find_map(|unit| value.strip_suffix(unit));
    let Some(number) = number else { return false };
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    (1..=3).contains(&int.len())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 2
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(number.ends_with('.'))
}

/// The custom properties to set for a query string; invalid values are left out.
pub fn from_query(pairs: &[(String, String)]) -> Vec<(&'static str, String)> {
    TOKENS
        .iter()
        .filter_map(|(param, property, kind)| {
            let value = pairs.iter().find(|(k, _)| k == param)?.1.trim();
            let ok = match kind {
                Kind::Colour => is_colour(value),
                Kind::Length => is_length(value),
            };
            ok.then(|| (*property, value.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        crate::attribution::query_pairs(q)
    }

    #[test]
    fn accepts_plain_colours_and_lengths() {
        let t = from_query(&pairs(
            "accent=%23e4007d&text=%23222&background=%23ffffffcc&radius=4px",
        ));
        assert_eq!(
            t,
            vec![
                ("--color-accent", "#e4007d".to_string()),
                ("--color-text", "#222".to_string()),
                ("--color-background", "#ffffffcc".to_string()),
                ("--radius", "4px".to_string()),
            ]
        );
        assert!(is_length("0.5rem"));
        assert!(is_length("12em"));
    }

    #[test]
    fn ignores_anything_that_could_inject_css() {
        for bad in [
            "accent=red",
            "accent=%23e4007d;background:url(x)",
            "accent=%23e4007d%7D%20body%7Bdisplay:none",
            "accent=expression(alert(1))",
            "accent=%23ggg",
            "radius=4px;x",
            "radius=-4px",
            "radius=calc(1px)",
            "radius=10000px",
            "radius=4.px",
            "radius=4",
            "text=var(--x)",
        ] {
            assert!(from_query(&pairs(bad)).is_empty(), "{bad}");
        }
    }
}

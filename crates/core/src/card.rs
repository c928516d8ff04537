//! The share card: the 1200x630 picture a shared link shows in WhatsApp, Facebook, LinkedIn
//! and X, drawn at build time (the prerender step renders this SVG to a PNG) from the copy
//! and the design tokens.

use crate::page::escape_html;

/// The card's size in pixels, as the platforms ask for a large picture.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The font family the SVG names; the prerender step gives the renderer this font.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// What the card shows, and in which colours (`#rrggbb`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card<'a> {
    pub organisation: &'a str,
    pub title: &'a str,
    /// The call to action on the card's button.
    pub button: &'a str,
    pub accent: &'a str,
    pub on_accent: &'a str,
    pub surface: &'a str,
}

/// The value of a custom property (`--color-accent: #8a1c4a;`) in the first rule that sets
/// it: the light theme's, written first in `style/tokens.css`.
pub fn css_token(css: &str, name: &str) -> Option<String> {
    let key = format!("{name}:");
    css.lines().find_map(|line| {
        let rest = line.trim().strip_prefix(&key)?;
        let value = rest.split(';').next()?.trim();
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// Whether a colour is written as `#rgb` or `#rrggbb` (the only forms the card takes).
pub fn is_hex_colour(value: &str) -> bool {
    value
        .strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

/// `text` in lines of at most `width` characters, broken between words (a longer word has a
/// line of its own); at most `max_lines`, the last one ending in "…" when text was left out.
pub fn wrap_words(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while last.chars().count() + 1 > width {
                match last.rfind(' ') {
                    Some(i) => last.truncate(i),
                    None => break,
                }
            }
            last.push('…');
        }
    }
    lines
}

/// The card as SVG: the organisation at the top, the title large, and a button-like call to
/// action, on the accent colour.
pub fn share_card_svg(card: &Card) -> String {
    let title_lines = wrap_words(card.title, 24, 3);
    let mut title = String::new();
    for (i, line) in title_lines.iter().enumerate() {
        title.push_str(&format!(
            "<tspan x=\"80\" dy=\"{}\">{}</tspan>",
            if i == 0 { 0 } else { 88 },
            escape_html(line)
        ));
    }
    // The button's width follows its text (bold glyphs are about 0.6 em wide on average).
    let button_width = 80 + (card.button.chars().count() as f64 * 40.0 * 0.6).round() as u32;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         font-family=\"{FONT_FAMILY}\" font-weight=\"bold\">\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{accent}\"/>\
         <text x=\"80\" y=\"110\" font-size=\"40\" fill=\"{on_accent}\">{organisation}</text>\
         <text x=\"80\" y=\"250\" font-size=\"76\" fill=\"{on_accent}\">{title}</text>\
         <rect x=\"80\" y=\"470\" width=\"{button_width}\" height=\"88\" rx=\"12\" fill=\"{surface}\"/>\
         <text x=\"120\" y=\"528\" font-size=\"40\" fill=\"{accent}\">{button}</text>\
         </svg>",
        accent = card.accent,
        on_accent = card.on_accent,
        surface = card.surface,
        organisation = escape_html(card.organisation),
        button = escape_html(card.button),
    )
}

/// The width and height of a PNG image, from its header; `None` if it is not a PNG.
/// (The charity's own card, `site.share_card_image`, is named with its size.)
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.get(..8)? != SIGNATURE || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let number = |at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    Some((number(16)?, number(20)?))
}

/// A name for a file in `public/`: a plain file name ending in `.png`, nothing that leads
/// elsewhere.
pub fn is_plain_png_name(name: &str) -> bool {
    name.len() > 4
        && name.ends_with(".png")
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_value_of_a_token() {
        let css = ":root {\n  --color-accent: #8a1c4a;\n  --color-accent-strong: #6b1239;\n}\n\
                   @media (prefers-color-scheme: dark) {\n  :root {\n    --color-accent: #f08cb5;\n  }\n}\n";
        let table: &[(&str, Option<&str>)] = &[
            ("--color-accent", Some("#8a1c4a")),
            ("--color-accent-strong", Some("#6b1239")),
            ("--color-missing", None),
            ("--color", None),
        ];
        for (name, want) in table {
            assert_eq!(css_token(css, name).as_deref(), *want, "{name}");
        }
    }

    #[test]
    fn takes_only_hex_colours() {
        let table: &[(&str, bool)] = &[
            ("#8a1c4a", true),
            ("#FFF", true),
            ("#8a1c4", false),
            ("8a1c4a", false),
            ("red", false),
            ("#8a1c4g", false),
            ("\"/><script>", false),
        ];
        for (value, want) in table {
            assert_eq!(is_hex_colour(value), *want, "{value}");
        }
    }

    #[test]
    fn wraps_between_words_within_the_lines_given() {
        let table: &[(&str, usize, usize, &[&str])] = &[
            ("", 10, 3, &[]),
            ("kort", 10, 3, &["kort"]),
            (
                "Teken de petitie: gezinshulp eerst!",
                24,
                3,
                &["Teken de petitie:", "gezinshulp eerst!"],
            ),
            ("een twee drie", 8, 3, &["een twee", "drie"]),
            (
                "Kinderbeschermingsmaatregelen nu",
                10,
                3,
                &["Kinderbeschermingsmaatregelen", "nu"],
            ),
            ("a b c d e f", 3, 2, &["a b", "c…"]),
            (
                "  spaties   tussen  woorden ",
                40,
                3,
                &["spaties tussen woorden"],
            ),
        ];
        for (text, width, max, want) in table {
            assert_eq!(wrap_words(text, *width, *max), *want, "{text:?} at {width}");
        }
    }

    #[test]
    fn draws_the_copy_escaped_in_the_given_colours() {
        let card = Card {
            organisation: "Het Vergeten Kind",
            title: "Teken de petitie: gezinshulp eerst!",
            button: "Teken <nu> & deel",
            accent: "#8a1c4a",
            on_accent: "#ffffff",
            surface: "#f7f3ee",
        };
        let svg = share_card_svg(&card);
        for part in [
            "width=\"1200\" height=\"630\"",
            "fill=\"#8a1c4a\"",
            ">Het Vergeten Kind</text>",
            ">Teken de petitie:</tspan>",
            ">gezinshulp eerst!</tspan>",
            ">Teken &lt;nu&gt; &amp; deel</text>",
            "fill=\"#f7f3ee\"",
        ] {
            assert!(svg.contains(part), "{part} in {svg}");
        }
        assert!(!svg.contains("<nu>"));
    }

    #[test]
    fn reads_the_size_of_a_png_and_nothing_else() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&1200u32.to_be_bytes());
        png.extend_from_slice(&630u32.to_be_bytes());
        type Size = Option<(u32, u32)>;
        let table: &[(&[u8], Size)] = &[
            (&png, Some((1200, 630))),
            (&png[..20], None),
            (b"GIF89a\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", None),
            (b"", None),
        ];
        for (bytes, size) in table {
            assert_eq!(png_size(bytes), *size, "{bytes:?}");
        }
    }

    #[test]
    fn takes_only_plain_png_names() {
        for (name, ok) in [
            ("campaign-card.png", true),
            ("card_en.png", true),
            ("../secret.png", false),
            ("dir/card.png", false),
            (".png", false),
            (".hidden.png", false),
            ("card.jpg", false),
            ("card png.png", false),
        ] {
            assert_eq!(is_plain_png_name(name), ok, "{name}");
        }
    }
}

//! Filling the built `index.html` at build time (the prerender step): `{{section.key}}`
//! placeholders with copy texts, and the first screen's empty slot with the rendered markup.

/// `&`, `<`, `>` and `"` as character references, for text and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Replaces each `{{section.key}}` with `lookup(section, key)`, escaped; a placeholder the
/// copy lacks is an error that names it. A placeholder that is an unquoted attribute value
/// (`content={{site.description}}`, as the release build's minifier leaves a value without
/// spaces) gets quotes, or the value would end at its first space.
pub fn fill_placeholders<'a>(
    html: &str,
    lookup: impl Fn(&str, &str) -> Option<&'a str>,
) -> Result<String, String> {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| format!("a {{{{ without }}}} in: {}", &rest[start..]))?;
        let name = &after[..end];
        let text = name
            .split_once('.')
            .and_then(|(section, key)| lookup(section, key))
            .ok_or_else(|| format!("index.html uses {{{{{name}}}}}, which the copy file lacks"))?;
        if out.ends_with('=') {
            out.push_str(&format!("\"{}\"", escape_html(text)));
        } else {
            out.push_str(&escape_html(text));
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Puts `inner` into the empty element with this `id`: `<div id="first-paint" …></div>`, with
/// the id quoted or not (a minifier drops the quotes).
pub fn fill_slot(html: &str, id: &str, inner: &str) -> Result<String, String> {
    let missing = || format!("index.html lacks an empty element with id {id}");
    let at = [
        format!("id=\"{id}\""),
        format!("id={id} "),
        format!("id={id}>"),
    ]
    .iter()
    .find_map(|attribute| html.find(attribute.as_str()))
    .ok_or_else(missing)?;
    let open_end = at + html[at..].find('>').ok_or_else(missing)? + 1;
    let tag_start = html[..at].rfind('<').ok_or_else(missing)?;
    let name: String = html[tag_start + 1..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let close = format!("</{name}>");
    if !html[open_end..].starts_with(&close) {
        return Err(format!(
            "the element with id {id} in index.html is not empty"
        ));
    }
    Ok(format!("{}{inner}{}", &html[..open_end], &html[open_end..]))
}

/// `robots.txt`: every page may be read by search engines; `sitemap` is the sitemap's
/// absolute address, when the build knows its origin.
pub fn robots_txt(sitemap: Option<&str>) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let Some(url) = sitemap {
        out.push_str(&format!("\nSitemap: {url}\n"));
    }
    out
}

/// `sitemap.xml` with these absolute page addresses.
pub fn sitemap_xml(urls: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", escape_html(url)));
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_txt_allows_everything_and_names_the_sitemap_when_known() {
        let table: &[(Option<&str>, &str)] = &[
            (None, "User-agent: *\nAllow: /\n"),
            (
                Some("https://www.hetvergetenkind.nl/sitemap.xml"),
                "User-agent: *\nAllow: /\n\nSitemap: https://www.hetvergetenkind.nl/sitemap.xml\n",
            ),
        ];
        for (sitemap, want) in table {
            assert_eq!(robots_txt(*sitemap), *want);
        }
    }

    #[test]
    fn sitemap_lists_each_address_escaped() {
        let table: &[(&[&str], &[&str])] = &[
            (&[], &[]),
            (
                &["https://x.nl/", "https://x.nl/privacy"],
                &[
                    "<url><loc>https://x.nl/</loc></url>",
                    "<url><loc>https://x.nl/privacy</loc></url>",
                ],
            ),
            (
                &["https://x.nl/a?b=1&c=<2>"],
                &["<loc>https://x.nl/a?b=1&amp;c=&lt;2&gt;</loc>"],
            ),
        ];
        for (urls, parts) in table {
            let urls: Vec<String> = urls.iter().map(|u| u.to_string()).collect();
            let xml = sitemap_xml(&urls);
            assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"), "{xml}");
            assert!(xml.ends_with("</urlset>\n"), "{xml}");
            assert_eq!(xml.matches("<url>").count(), urls.len(), "{xml}");
            for part in *parts {
                assert!(xml.contains(part), "{part} in {xml}");
            }
        }
    }

    fn copy(section: &str, key: &str) -> Option<&'static str> {
        match (section, key) {
            ("site", "title") => Some("Gezinshulp eerst!"),
            ("site", "tricky") => Some("<b> & \"quoted\""),
            _ => None,
        }
    }

    #[test]
    fn fills_placeholders_with_escaped_copy_and_names_a_missing_one() {
        let table: &[(&str, Result<&str, &str>)] = &[
            (
                "<title>{{site.title}}</title>",
                Ok("<title>Gezinshulp eerst!</title>"),
            ),
            (
                "<meta content=\"{{site.tricky}}\">",
                Ok("<meta content=\"&lt;b&gt; &amp; &quot;quoted&quot;\">"),
            ),
            (
                "<meta content={{site.title}} name=description>",
                Ok("<meta content=\"Gezinshulp eerst!\" name=description>"),
            ),
            (
                "<html lang={{site.title}}>",
                Ok("<html lang=\"Gezinshulp eerst!\">"),
            ),
            (
                "{{site.title}}{{site.title}}",
                Ok("Gezinshulp eerst!Gezinshulp eerst!"),
            ),
            ("no placeholders { }", Ok("no placeholders { }")),
            ("{{site.missing}}", Err("{{site.missing}}")),
            ("{{nodot}}", Err("{{nodot}}")),
            ("{{site.title", Err("without")),
        ];
        for (html, expected) in table {
            match (fill_placeholders(html, copy), expected) {
                (Ok(out), Ok(want)) => assert_eq!(out, *want, "{html}"),
                (Err(e), Err(part)) => assert!(e.contains(part), "{html}: {e}"),
                (got, want) => panic!("{html}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn fills_the_empty_slot_as_written_or_minified() {
        let table: &[(&str, Result<&str, &str>)] = &[
            (
                "<body><div id=\"first-paint\" class=\"first-paint\"></div></body>",
                Ok("<body><div id=\"first-paint\" class=\"first-paint\">X</div></body>"),
            ),
            (
                "<body><div class=first-paint id=first-paint></div></body>",
                Ok("<body><div class=first-paint id=first-paint>X</div></body>"),
            ),
            (
                "<div id=first-paint class=x></div>",
                Ok("<div id=first-paint class=x>X</div>"),
            ),
            ("<div id=\"first-paint-other\"></div>", Err("lacks")),
            ("<div id=\"first-paint\">old</div>", Err("not empty")),
            ("<p>nothing</p>", Err("lacks")),
        ];
        for (html, expected) in table {
            match (fill_slot(html, "first-paint", "X"), expected) {
                (Ok(out), Ok(want)) => assert_eq!(out, *want, "{html}"),
                (Err(e), Err(part)) => assert!(e.contains(part), "{html}: {e}"),
                (got, want) => panic!("{html}: got {got:?}, want {want:?}"),
            }
        }
    }
}

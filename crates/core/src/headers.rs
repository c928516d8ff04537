//! The security headers of the app's pages, made in one place: the build writes them for
//! static hosts (`_headers`, `headers.nginx.conf`) and the reference server sends them, both
//! from [`security_headers`].
//!
//! The Content-Security-Policy is strict: scripts and styles from the app's own origin, and
//! of the inline ones exactly those the built pages carry (by their SHA-256 hashes).

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::config::{origin_of, Config};

/// What the policy depends on besides the pages themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources<'a> {
    /// The API's origin when it is not the page's own (`connect-src`).
    pub api_origin: Option<&'a str>,
    /// The host pages that may frame the app (`frame-ancestors`, beside the own origin).
    pub embedders: &'a [String],
}

/// The origins a build's policy names from its `config.json`: the embedders'
/// (`embed.allowed_origins`).
pub fn embedders_of(config: &Config) -> Vec<String> {
    config
        .embed_allowed_origins
        .iter()
        .filter_map(|url| origin_of(url))
        .collect()
}

/// The files a static host reads the headers from, with their text: `_headers` and
/// `headers.nginx.conf`, for a build's pages and `config.json` (its API and embedders).
pub fn build_files(pages: &[&str], config: &Config) -> Result<[(&'static str, String); 2], String> {
    let api = config.api_base_url.as_deref().and_then(origin_of);
    let embedders = embedders_of(config);
    let headers = security_headers(
        pages,
        &Sources {
            api_origin: api.as_deref(),
            embedders: &embedders,
        },
    )?;
    Ok([
        ("_headers", headers_file(&headers)),
        ("headers.nginx.conf", nginx_conf(&headers)),
    ])
}

/// The pages of a build in its folder, by their path there: each language's `index.html`.
pub const PAGES: [&str; 2] = ["index.html", "en/index.html"];

/// The headers (name, value) for the built pages `pages` (each language's `index.html`).
/// An inline `style` attribute or event handler in a page is an error: the policy forbids
/// them, so they would not work.
pub fn security_headers(
    pages: &[&str],
    sources: &Sources,
) -> Result<Vec<(&'static str, String)>, String> {
    let mut scripts = Vec::new();
    let mut styles = Vec::new();
    for page in pages {
        check_tags(page)?;
        for (attributes, body) in elements(page, "script") {
            // Data blocks (the page's texts) are not run and need no hash.
            if attribute(attributes, "src").is_none()
                && attribute(attributes, "type") != Some("application/json")
            {
                scripts.push(hash(body));
            }
        }
        styles.extend(elements(page, "style").map(|(_, body)| hash(body)));
    }
    for list in [&mut scripts, &mut styles] {
        list.sort();
        list.dedup();
    }
    let with = |directive: &str, sources: &[String]| {
        std::iter::once(directive.to_string())
            .chain(sources.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let connect: Vec<String> = sources.api_origin.map(str::to_string).into_iter().collect();
    let policy = [
        "default-src 'none'".to_string(),
        with("script-src 'self' 'wasm-unsafe-eval'", &scripts),
        with("style-src 'self'", &styles),
        "img-src 'self' data:".to_string(),
        "font-src 'self'".to_string(),
        with("connect-src 'self'", &connect),
        "manifest-src 'self'".to_string(),
        "base-uri 'none'".to_string(),
        "form-action 'none'".to_string(),
        with("frame-ancestors 'self'", sources.embedders),
    ]
    .join("; ");
    Ok(vec![
        ("Content-Security-Policy", policy),
        ("X-Content-Type-Options", "nosniff".into()),
        ("Referrer-Policy", "strict-origin-when-cross-origin".into()),
        (
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()".into(),
        ),
        // No Cross-Origin-Opener-Policy: it made the browser start a new renderer process for
        // every arrival from a page without it (the charity's own site included), a long task
        // before the first paint (README, "Performance"); the page has no session or secret
        // for it to guard.
    ])
}

/// The headers as a Netlify-style `_headers` file, for every path.
pub fn headers_file(headers: &[(&str, String)]) -> String {
    let mut out = String::from("/*\n");
    for (name, value) in headers {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    out
}

/// The headers as nginx `add_header` lines, to include in the app's `location`.
pub fn nginx_conf(headers: &[(&str, String)]) -> String {
    headers
        .iter()
        .map(|(name, value)| format!("add_header {name} \"{value}\" always;\n"))
        .collect()
}

/// `'sha256-…'` of an inline script's or style's text, as the policy names it.
fn hash(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Each `<name …>body</name>` of the page: its attributes' text and its body.
fn elements<'a>(html: &'a str, name: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find(&open).map(|i| from + i) {
        let after = at + open.len();
        // `<scripts>` is not `<script>`.
        if !lower[after..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace()) {
            from = after;
            continue;
        }
        let Some(end_of_tag) = lower[after..].find('>').map(|i| after + i) else {
            break;
        };
        let Some(end) = lower[end_of_tag..].find(&close).map(|i| end_of_tag + i) else {
            break;
        };
        found.push((&html[after..end_of_tag], &html[end_of_tag + 1..end]));
        from = end + close.len();
    }
    found.into_iter()
}

/// An attribute's value (quoted or not) in a tag's attribute text.
fn attribute<'a>(attributes: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attributes;
    while let Some(at) = rest.find(name) {
        let before_ok = rest[..at].ends_with(|c: char| c.is_ascii_whitespace());
        let after = rest[at + name.len()..].trim_start();
        rest = &rest[at + name.len()..];
        if !before_ok {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else {
            return Some("");
        };
        let value = value.trim_start();
        return Some(match value.chars().next() {
            Some(quote @ ('"' | '\'')) => value[1..].split(quote).next().unwrap_or_default(),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or_default(),
        });
    }
    None
}

/// Refuses a tag with a `style` attribute or an `on…` event handler (outside scripts).
fn check_tags(html: &str) -> Result<(), String> {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if rest.to_ascii_lowercase().starts_with("script") {
            // Past the script's body: its text is code, not tags.
            match rest.to_ascii_lowercase().find("</script>") {
                Some(end) => rest = &rest[end..],
                None => return Ok(()),
            }
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        for word in tag.split_ascii_whitespace().skip(1) {
            let name = word
                .split('=')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if name == "style" {
                return Err(format!(
                    "a page has an inline style attribute (<{tag}>); use a class"
                ));
            }
            if name.len() > 2
                && name.starts_with("on")
                && name[2..].bytes().all(|b| b.is_ascii_lowercase())
            {
                return Err(format!("a page has an inline event handler (<{tag}>)"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(pages: &[&str], sources: &Sources) -> String {
        security_headers(pages, sources).unwrap()[0].1.clone()
    }

    #[test]
    fn hashes_each_inline_script_and_style_once_and_no_data_or_files() {
        let page = "<html><head><script>a()</script><style>p{}</style>\
                    <script type=module>b()</script><script src=\"x.js\"></script>\
                    <script type=\"application/json\" id=copy>[\"t\"]</script></head>\
                    <body><script>a()</script></body></html>";
        let other = "<script>c()</script>";
        let csp = policy(&[page, other], &Sources::default());
        for body in ["a()", "b()", "c()"] {
            assert_eq!(csp.matches(&hash(body)).count(), 1, "{body}: {csp}");
        }
        assert!(
            csp.contains(&format!("style-src 'self' {}", hash("p{}"))),
            "{csp}"
        );
        assert!(!csp.contains(&hash("[\"t\"]")), "{csp}");
        assert!(!csp.contains(&hash("")), "{csp}");
        assert!(csp.contains("connect-src 'self';"), "{csp}");
        assert!(csp.ends_with("frame-ancestors 'self'"), "{csp}");
    }

    #[test]
    fn names_the_api_and_the_embedders() {
        let embedders = [
            "https://www.hetvergetenkind.nl".to_string(),
            "https://b.nl".into(),
        ];
        let csp = policy(
            &["<p>"],
            &Sources {
                api_origin: Some("https://steun.example.nl"),
                embedders: &embedders,
            },
        );
        assert!(
            csp.contains("connect-src 'self' https://steun.example.nl;"),
            "{csp}"
        );
        assert!(
            csp.ends_with("frame-ancestors 'self' https://www.hetvergetenkind.nl https://b.nl"),
            "{csp}"
        );
    }

    #[test]
    fn hashes_as_browsers_do() {
        // SHA-256 of the empty text, base64.
        assert_eq!(
            hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }

    #[test]
    fn refuses_inline_styles_and_event_handlers_but_not_code_that_names_them() {
        for (html, ok) in [
            ("<p class=a>x</p>", true),
            ("<p style=\"color:red\">x</p>", false),
            ("<p STYLE=x>", false),
            ("<button onclick=\"x()\">", false),
            ("<img src=x onerror=y>", false),
            (
                "<script>form.onsubmit = f; a < b; el.style = 1</script><p>",
                true,
            ),
            ("<a data-onx=2 title=on>", true),
        ] {
            assert_eq!(
                security_headers(&[html], &Sources::default()).is_ok(),
                ok,
                "{html}"
            );
        }
    }

    #[test]
    fn writes_the_same_headers_for_static_hosts_and_nginx() {
        let headers = security_headers(&["<p>"], &Sources::default()).unwrap();
        let file = headers_file(&headers);
        assert!(file.starts_with("/*\n  Content-Security-Policy: default-src 'none'; "));
        assert!(file.contains("\n  X-Content-Type-Options: nosniff\n"));
        let nginx = nginx_conf(&headers);
        assert_eq!(nginx.lines().count(), headers.len());
        assert!(nginx
            .contains("add_header Referrer-Policy \"strict-origin-when-cross-origin\" always;\n"));
    }
}

//! `prerender INDEX_HTML PUBLIC_URL`: fills the built index.html (Trunk's post-build hook,
//! scripts/post-build.mjs) with the copy texts its `{{section.key}}` name, and its empty
//! `<div id="first-paint">` with the first screens of `/` and `/embed` as the app's
//! components render them (`petitie::prerender`), configured by the build's `config.json`
//! beside index.html. Writes the share card (`share-card.png`, with its meta tags),
//! `robots.txt` and `sitemap.xml` beside it.

use std::path::PathBuf;
use std::process::ExitCode;

use petitie_core::card::{css_token, is_hex_colour, share_card_svg, Card, HEIGHT, WIDTH};
use petitie_core::config::{base_path_of_asset, origin_of, parse_config};
use petitie_core::page::{escape_html, fill_placeholders, fill_slot, robots_txt, sitemap_xml};
use petitie_core::route::Route;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("prerender: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (Some(index), Some(public_url)) = (args.next().map(PathBuf::from), args.next()) else {
        return Err("usage: prerender INDEX_HTML PUBLIC_URL".into());
    };
    let read = |path: &PathBuf| {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let config_path = index.with_file_name("config.json");
    let config = parse_config(&read(&config_path)?)
        .map_err(|e| format!("{}: {e}", config_path.display()))?
        .config;
    // "/petitie/" (or "/petitie") gives the router's base "/petitie"; "/" gives "".
    let base = base_path_of_asset(&format!("{}/", public_url.trim_end_matches('/')));
    // Without the hydration markers (`<!>`): nothing hydrates this markup, the app replaces
    // it. And without the footer: below the fold, it comes with the app (the first visit's
    // bytes are capped).
    let render = |route| {
        let html = petitie::prerender::render(route, &base, &config).replace("<!>", "");
        without_footer(&html)
    };
    let (page, embed) = (render(Route::Petition), render(Route::Embed));
    let html = fill_placeholders(&read(&index)?, petitie::copy::lookup)?;
    let screens = format!(
        "<div class=\"first-paint-page\">{page}</div><template><div class=\"first-paint-embed\">{embed}</div></template>"
    );
    let html = fill_slot(&html, "first-paint", &screens)?;
    let write = |path: &PathBuf, bytes: &[u8]| {
        std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    // A shared link's card: the petition's public address and the picture, with absolute
    // addresses on the origin of `share_url` (crawlers take no others).
    let origin = config.share_url.as_deref().and_then(origin_of);
    let html = match (&config.share_url, &origin) {
        (Some(url), Some(origin)) => {
            write(&index.with_file_name(CARD_FILE), &share_card()?)?;
            let tags = format!(
                "<meta property=\"og:url\" content=\"{}\">\
                 <meta property=\"og:image\" content=\"{}\">\
                 <meta property=\"og:image:type\" content=\"image/png\">\
                 <meta property=\"og:image:width\" content=\"{WIDTH}\">\
                 <meta property=\"og:image:height\" content=\"{HEIGHT}\">\
                 <meta property=\"og:image:alt\" content=\"{}\">",
                escape_html(url),
                escape_html(&format!("{origin}{base}/{CARD_FILE}")),
                escape_html(petitie::copy::site::SHARE_CARD_ALT),
            );
            let Some(at) = html.find("</head>") else {
                return Err("index.html has no </head>".into());
            };
            format!("{}{tags}{}", &html[..at], &html[at..])
        }
        _ => html,
    };
    write(&index, html.as_bytes())?;
    println!(
        "prerender: first screens of / and /embed written into {} (base {public_url})",
        index.display()
    );

    // For search engines: absolute addresses on the same origin (without it, robots.txt
    // alone, without a sitemap).
    let sitemap = origin.as_ref().map(|o| format!("{o}{base}/sitemap.xml"));
    write(
        &index.with_file_name("robots.txt"),
        robots_txt(sitemap.as_deref()).as_bytes(),
    )?;
    if let Some(origin) = origin {
        let urls: Vec<String> = Route::INDEXED
            .iter()
            .map(|route| format!("{origin}{base}{}", route.path()))
            .collect();
        write(
            &index.with_file_name("sitemap.xml"),
            sitemap_xml(&urls).as_bytes(),
        )?;
        println!("prerender: robots.txt and sitemap.xml for {origin}{base}/");
    } else {
        println!("prerender: robots.txt without a sitemap (config.json has no share_url)");
    }
    Ok(())
}

/// The share card's file beside index.html.
const CARD_FILE: &str = "share-card.png";

/// The share card's font: Debian's `fonts-dejavu-core` (scripts/install-tools.sh installs it).
const CARD_FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

/// The share card as a PNG: the copy's organisation, title and call to action in the design
/// tokens' colours (the light theme's).
fn share_card() -> Result<Vec<u8>, String> {
    use petitie::copy;
    use resvg::{tiny_skia, usvg};

    let tokens = include_str!("../../style/tokens.css");
    let colour = |name: &str| {
        css_token(tokens, name)
            .filter(|value| is_hex_colour(value))
            .ok_or_else(|| format!("style/tokens.css: {name} must be a colour like #8a1c4a"))
    };
    let svg = share_card_svg(&Card {
        organisation: copy::site::ORGANISATION,
        title: copy::petition::TITLE,
        button: copy::form::SUBMIT,
        accent: &colour("--color-accent")?,
        on_accent: &colour("--color-on-accent")?,
        surface: &colour("--color-surface")?,
    });
    let font = std::fs::read(CARD_FONT).map_err(|e| {
        format!("cannot read the share card's font {CARD_FONT} ({e}): install fonts-dejavu-core")
    })?;
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_font_data(font);
    let tree = usvg::Tree::from_str(&svg, &options).map_err(|e| format!("share card: {e}"))?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("share card: no pixmap")?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| format!("share card: {e}"))
}

/// The markup without its `<footer …>…</footer>` (there is one, on full pages).
fn without_footer(html: &str) -> String {
    match (html.find("<footer"), html.rfind("</footer>")) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{}", &html[..start], &html[end + "</footer>".len()..])
        }
        _ => html.to_string(),
    }
}

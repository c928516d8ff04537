//! `prerender INDEX_HTML PUBLIC_URL`: fills the built index.html (Trunk's post-build hook,
//! scripts/post-build.mjs) with the copy texts its `{{section.key}}` name, and its empty
//! `<div id="first-paint">` with the first screens of `/` and `/embed` as the app's
//! components render them (`petitie::prerender`), configured by the build's `config.json`
//! beside index.html. Writes `robots.txt` and `sitemap.xml` beside it.

use std::path::PathBuf;
use std::process::ExitCode;

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
    // The address a shared link's card points to: the petition's public one.
    let html = match &config.share_url {
        Some(_) if !html.contains("</head>") => return Err("index.html has no </head>".into()),
        Some(url) => html.replacen(
            "</head>",
            &format!(
                "<meta property=\"og:url\" content=\"{}\"></head>",
                escape_html(url)
            ),
            1,
        ),
        None => html,
    };
    let write = |path: &PathBuf, text: &str| {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(&index, &html)?;
    println!(
        "prerender: first screens of / and /embed written into {} (base {public_url})",
        index.display()
    );

    // For search engines: absolute addresses on the origin of `share_url`, the petition's
    // public address (without it, robots.txt alone, without a sitemap).
    let origin = config.share_url.as_deref().and_then(origin_of);
    let sitemap = origin.as_ref().map(|o| format!("{o}{base}/sitemap.xml"));
    write(
        &index.with_file_name("robots.txt"),
        &robots_txt(sitemap.as_deref()),
    )?;
    if let Some(origin) = origin {
        let urls: Vec<String> = Route::INDEXED
            .iter()
            .map(|route| format!("{origin}{base}{}", route.path()))
            .collect();
        write(&index.with_file_name("sitemap.xml"), &sitemap_xml(&urls))?;
        println!("prerender: robots.txt and sitemap.xml for {origin}{base}/");
    } else {
        println!("prerender: robots.txt without a sitemap (config.json has no share_url)");
    }
    Ok(())
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

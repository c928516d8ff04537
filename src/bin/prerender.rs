//! `prerender INDEX_HTML PUBLIC_URL`: makes one page per language from the built index.html
//! (Trunk's post-build hook, scripts/post-build.mjs): `index.html` in Dutch, `en/index.html` in
//! English. Each is filled with the language's copy texts where `{{section.key}}` names them,
//! its empty `<div id="first-paint">` with the first screens of `/` and `/embed` as the app's
//! components render them (`petitie::prerender`), configured by the build's `config.json`
//! beside index.html, and the texts as data for the app. Each gets its canonical and hreflang
//! links and its share card (`share-card.png` beside it, with its meta tags). Writes
//! `robots.txt` and `sitemap.xml` beside index.html, and the security headers that match the
//! pages (`_headers`, `headers.nginx.conf`, from `petitie_core::headers`).

use std::path::PathBuf;
use std::process::ExitCode;

use petitie_core::card::{
    css_token, is_hex_colour, is_plain_png_name, png_size, share_card_svg, Card, HEIGHT, WIDTH,
};
use petitie_core::config::{base_path_of_asset, origin_of, parse_config};
use petitie_core::headers::build_files;
use petitie_core::lang::Lang;
use petitie_core::page::{escape_html, fill_placeholders, fill_slot, robots_txt, sitemap_xml};
use petitie_core::route::{first_screen_script, Route};

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
    let write = |path: &PathBuf, bytes: &[u8]| {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    let config_path = index.with_file_name("config.json");
    let config = parse_config(&read(&config_path)?)
        .map_err(|e| format!("{}: {e}", config_path.display()))?
        .config;
    // "/petitie/" (or "/petitie") gives the router's base "/petitie"; "/" gives "".
    let base = base_path_of_asset(&format!("{}/", public_url.trim_end_matches('/')));
    // Addresses for crawlers are absolute, on the origin of `share_url` (they take no others).
    let origin = config.share_url.as_deref().and_then(origin_of);
    let address = |route: Route, lang: Lang| {
        origin
            .as_ref()
            .map(|origin| format!("{origin}{base}{}", route.full_path(lang)))
    };
    let template = read(&index)?;
    let mut pages = Vec::new();
    for lang in Lang::ALL {
        petitie::copy::use_language(lang);
        // Each language's page in its own directory: index.html, then en/index.html.
        let dir = index
            .with_file_name("")
            .join(lang.prefix().trim_start_matches('/'));
        // Without the hydration markers (`<!>`): nothing hydrates this markup, the app
        // replaces it.
        let render = |route| petitie::prerender::render(route, &base, &config).replace("<!>", "");
        let (page, embed) = (render(Route::Petition), render(Route::Embed));
        let html = fill_placeholders(&template, petitie::copy::lookup)?;
        let screens = format!(
            "<div class=\"first-paint-page\">{page}</div><template><div class=\"first-paint-embed\">{embed}</div></template>"
        );
        let html = fill_slot(&html, "first-paint", &screens)?;
        let html = fill_slot(&html, "route", &first_screen_script(&base, lang))?;
        // The page's texts, for the app (`copy::install_from_page`).
        let html = insert_before(
            &html,
            "</body>",
            &format!(
                "<script type=\"application/json\" id=\"copy\">{}</script>",
                petitie::copy::page_data(lang)
            ),
        )?;
        // The page's address and its counterpart in the other language (the app keeps them
        // up to date on other pages), and a shared link's card.
        let mut head = String::new();
        if let (Some(url), Some(here)) = (&config.share_url, address(Route::Petition, lang)) {
            // The charity's own picture when the copy names one, else the one drawn here.
            let (card, width, height) = match petitie::copy::lookup("site", "share_card_image") {
                Some(name) => {
                    let (bytes, width, height) = own_card(name)?;
                    write(&dir.join(name), &bytes)?;
                    (name.to_string(), width, height)
                }
                None => {
                    write(&dir.join(CARD_FILE), &share_card()?)?;
                    (CARD_FILE.to_string(), WIDTH, HEIGHT)
                }
            };
            // The app points these at the page it shows (`dom::set_page_links`), on this origin.
            head.push_str(&format!(
                "<link rel=\"canonical\" href=\"{}\" data-origin=\"{}\">",
                escape_html(&here),
                escape_html(origin.as_deref().unwrap_or_default())
            ));
            for (code, other) in [("nl", Lang::Nl), ("en", Lang::En), ("x-default", Lang::Nl)] {
                let href = address(Route::Petition, other).unwrap_or_default();
                head.push_str(&format!(
                    "<link rel=\"alternate\" hreflang=\"{code}\" href=\"{}\">",
                    escape_html(&href)
                ));
            }
            head.push_str(&format!(
                "<meta property=\"og:url\" content=\"{}\">\
                 <meta property=\"og:image\" content=\"{}\">\
                 <meta property=\"og:image:type\" content=\"image/png\">\
                 <meta property=\"og:image:width\" content=\"{width}\">\
                 <meta property=\"og:image:height\" content=\"{height}\">\
                 <meta property=\"og:image:alt\" content=\"{}\">",
                escape_html(&lang.public_url(url)),
                escape_html(&format!("{}/{card}", here.trim_end_matches('/'))),
                escape_html(petitie::copy::site::share_card_alt()),
            ));
        }
        let html = insert_before(&html, "</head>", &head)?;
        write(&dir.join("index.html"), html.as_bytes())?;
        pages.push(html);
        println!(
            "prerender: first screens of {0}/ and {0}/embed written into {1}",
            lang.prefix(),
            dir.join("index.html").display()
        );
    }

    // The security headers for exactly these pages, for static hosts and nginx.
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    for (name, text) in build_files(&pages, &config)? {
        write(&index.with_file_name(name), text.as_bytes())?;
    }
    println!(
        "prerender: security headers for {} pages (_headers, headers.nginx.conf)",
        pages.len()
    );

    // For search engines (without an origin, robots.txt alone, without a sitemap).
    let sitemap = origin.as_ref().map(|o| format!("{o}{base}/sitemap.xml"));
    write(
        &index.with_file_name("robots.txt"),
        robots_txt(sitemap.as_deref()).as_bytes(),
    )?;
    if origin.is_some() {
        let urls: Vec<String> = Lang::ALL
            .into_iter()
            .flat_map(|lang| Route::INDEXED.map(|route| (route, lang)))
            .filter_map(|(route, lang)| address(route, lang))
            .collect();
        write(
            &index.with_file_name("sitemap.xml"),
            sitemap_xml(&urls).as_bytes(),
        )?;
        println!("prerender: robots.txt and sitemap.xml for {}", urls[0]);
    } else {
        println!("prerender: robots.txt without a sitemap (config.json has no share_url)");
    }
    Ok(())
}

/// `html` with `tags` inserted before its (first) `marker`.
fn insert_before(html: &str, marker: &str, tags: &str) -> Result<String, String> {
    let at = html
        .find(marker)
        .ok_or_else(|| format!("index.html has no {marker}"))?;
    Ok(format!("{}{tags}{}", &html[..at], &html[at..]))
}

/// The share card's file beside index.html.
const CARD_FILE: &str = "share-card.png";

/// The charity's own share card: `public/NAME`, a PNG, with its width and height.
fn own_card(name: &str) -> Result<(Vec<u8>, u32, u32), String> {
    if !is_plain_png_name(name) {
        return Err(format!(
            "site.share_card_image must name a PNG file in public/, like campaign.png, not {name:?}"
        ));
    }
    let path = PathBuf::from("public").join(name);
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (width, height) =
        png_size(&bytes).ok_or_else(|| format!("{} is not a PNG image", path.display()))?;
    Ok((bytes, width, height))
}

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
        organisation: copy::site::organisation(),
        title: copy::petition::title(),
        button: copy::form::submit(),
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

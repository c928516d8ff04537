//! Share links for the thank-you step: each points at the public petition URL tagged with
//! `utm_source=<channel>&utm_medium=share`, so the charity sees which channel works.

/// Where a supporter shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    WhatsApp,
    Facebook,
    X,
    LinkedIn,
    Email,
    Copy,
    Native,
}

impl Channel {
    /// The `utm_source` value.
    pub fn source(self) -> &'static str {
        match self {
            Channel::WhatsApp => "whatsapp",
            Channel::Facebook => "facebook",
            Channel::X => "x",
            Channel::LinkedIn => "linkedin",
            Channel::Email => "email",
            Channel::Copy => "copy_link",
            Channel::Native => "web_share",
        }
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Adds query parameters to a URL, before any `#fragment`, replacing none.
pub fn with_params(url: &str, params: &[(&str, &str)]) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let mut out = base.to_string();
    for (i, (k, v)) in params.iter().enumerate() {
        let sep = if i == 0 && !base.contains('?') {
            '?'
        } else {
            '&'
        };
        out.push(sep);
        out.push_str(&percent_encode(k));
        out.push('=');
        out.push_str(&percent_encode(v));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The petition URL as shared through `channel`.
pub fn tagged_url(page_url: &str, channel: Channel) -> String {
    with_params(
        page_url,
        &[("utm_source", channel.source()), ("utm_medium", "share")],
    )
}

/// The link that opens `channel`'s share dialog (or mail program) with the text and URL.
pub fn share_link(channel: Channel, page_url: &str, text: &str, subject: &str) -> String {
    let url = tagged_url(page_url, channel);
    let enc = percent_encode;
    match channel {
        Channel::WhatsApp => format!("https://wa.me/?text={}", enc(&format!("{text} {url}"))),
        Channel::Facebook => format!("https://www.facebook.com/sharer/sharer.php?u={}", enc(&url)),
        Channel::X => format!(
            "https://x.com/intent/post?text={}&url={}",
            enc(text),
            enc(&url)
        ),
        Channel::LinkedIn => format!(
            "https://www.linkedin.com/sharing/share-offsite/?url={}",
            enc(&url)
        ),
        Channel::Email => format!(
            "mailto:?subject={}&body={}",
            enc(subject),
            enc(&format!("{text}\n\n{url}"))
        ),
        Channel::Copy | Channel::Native => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://www.hetvergetenkind.nl/gezinshulp-eerst/";

    #[test]
    fn every_link_carries_its_channel() {
        for channel in [
            Channel::WhatsApp,
            Channel::Facebook,
            Channel::X,
            Channel::LinkedIn,
            Channel::Email,
        ] {
            let link = share_link(channel, PAGE, "Teken ook!", "Onderwerp");
            let expected =
                percent_encode(&format!("utm_source={}&utm_medium=share", channel.source()));
            assert!(link.contains(&expected), "{link}");
        }
        assert_eq!(
            share_link(Channel::Copy, PAGE, "", ""),
            "https://www.hetvergetenkind.nl/gezinshulp-eerst/?utm_source=copy_link&utm_medium=share"
        );
    }

    #[test]
    fn adds_parameters_to_urls_with_a_query_or_fragment() {
        assert_eq!(
            with_params("https://x.nl/?a=1#top", &[("b", "2 3")]),
            "https://x.nl/?a=1&b=2%203#top"
        );
        assert_eq!(
            with_params("https://x.nl/p", &[("b", "é")]),
            "https://x.nl/p?b=%C3%A9"
        );
    }

    #[test]
    fn whatsapp_comes_with_the_text_and_the_url() {
        let link = share_link(Channel::WhatsApp, PAGE, "Teken ook!", "");
        assert!(
            link.starts_with("https://wa.me/?text=Teken%20ook%21%20https%3A%2F%2F"),
            "{link}"
        );
    }
}

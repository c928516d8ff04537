//! E-mail addresses: shape checks, normalisation (trim, lower-case domain) and a suggestion
//! for likely typos of common providers ("gmial.com" → "gmail.com").

use crate::FieldError;

/// The longest address accepted (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Providers whose typos are common in the Netherlands and Belgium.
const COMMON_DOMAINS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "hotmail.nl",
    "outlook.com",
    "outlook.nl",
    "live.nl",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "yahoo.com",
    "ziggo.nl",
    "kpnmail.nl",
    "kpnplanet.nl",
    "planet.nl",
    "xs4all.nl",
    "home.nl",
    "hetnet.nl",
    "upcmail.nl",
    "casema.nl",
    "chello.nl",
    "telfort.nl",
    "tele2.nl",
    "online.nl",
    "caiway.nl",
    "quicknet.nl",
    "solcon.nl",
    "protonmail.com",
    "proton.me",
    "telenet.be",
    "skynet.be",
];

/// Lower-cases text with Unicode's case mapping (for domains like "ÖRN.se").
///
/// Natively: the standard library's `to_lowercase`. In the browser's wasm: the function the
/// app gives [`set_lowercase`], the browser's own `toLowerCase` (the same Unicode mapping),
/// so that the standard library's case tables (about 7 KB brotli) stay out of the download.
/// Until it is given, ASCII letters only.
pub fn lowercase(text: &str) -> String {
    #[cfg(not(target_arch = "wasm32"))]
    return text.to_lowercase();
    #[cfg(target_arch = "wasm32")]
    LOWERCASE.get()(text)
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    static LOWERCASE: std::cell::Cell<fn(&str) -> String> =
        const { std::cell::Cell::new(str::to_ascii_lowercase) };
}

/// Gives [`lowercase`] the browser's Unicode lower-casing (in the browser's wasm only).
#[cfg(target_arch = "wasm32")]
pub fn set_lowercase(lower: fn(&str) -> String) {
    LOWERCASE.set(lower);
}

/// The address as compared for duplicates and erasure, by the server and the demo backend
/// alike: `Anna@Example.nl` and `anna@example.nl` are one person.
pub fn address_key(email: &str) -> String {
    lowercase(email.trim())
}

/// Trims and lower-cases the domain; the local part is kept as typed.
pub fn normalise_email(input: &str) -> String {
    let trimmed = input.trim();
    match trimmed.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", lowercase(domain)),
        None => trimmed.to_string(),
    }
}

fn valid_local_part(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            if c.is_ascii() {
                c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
            } else {
                !c.is_control() && !c.is_whitespace() && !is_invisible(c)
            }
        })
}

/// Zero-width and direction-changing characters that make an address look like another.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || domain.len() > 253 {
        return false;
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| {
                c.is_ascii_alphanumeric() || c == '-' || (!c.is_ascii() && c.is_alphanumeric())
            })
    };
    let tld = labels[labels.len() - 1];
    labels.iter().all(|l| label_ok(l))
        && tld.chars().count() >= 2
        && (tld.chars().all(char::is_alphabetic) || tld.starts_with("xn--"))
}

/// Validates an address and returns it normalised.
pub fn validate_email(input: &str) -> Result<String, FieldError> {
    let email = normalise_email(input);
    if email.is_empty() {
        return Err(FieldError::Required);
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(FieldError::TooLong);
    }
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(FieldError::EmailInvalid);
    };
    if valid_local_part(local) && valid_domain(domain) {
        Ok(email)
    } else {
        Err(FieldError::EmailInvalid)
    }
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// A corrected address when the domain looks like a typo of a common provider
/// ("anna@gmial.com" → "anna@gmail.com"); `None` when it matches one exactly or none closely.
pub fn suggest_email(input: &str) -> Option<String> {
    let email = normalise_email(input);
    let (local, domain) = email.rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() || COMMON_DOMAINS.contains(&domain) {
        return None;
    }
    // A domain with a dotted name is only a typo when it is near a known one; very short
    // domains would match too much.
    if domain.len() < 5 || domain.len() > 40 {
        return None;
    }
    let (best, distance) = COMMON_DOMAINS
        .iter()
        .map(|known| (*known, edit_distance(domain, known)))
        .min_by_key(|(_, d)| *d)?;
    let allowed = if best.len() <= 7 { 1 } else { 2 };
    (distance <= allowed).then(|| format!("{local}@{best}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_addresses_people_have() {
        for (input, expected) in [
            ("anna@example.nl", "anna@example.nl"),
            ("  anna@example.nl ", "anna@example.nl"),
            ("Anna@Example.NL", "Anna@example.nl"),
            ("anna+petitie@example.nl", "anna+petitie@example.nl"),
            (
                "anna.de.vries@mail.example.co.uk",
                "anna.de.vries@mail.example.co.uk",
            ),
            ("anna@bücher.de", "anna@bücher.de"),
            ("anna@xn--bcher-kva.de", "anna@xn--bcher-kva.de"),
            ("o'brien@example.ie", "o'brien@example.ie"),
            ("a@b.co", "a@b.co"),
        ] {
            assert_eq!(validate_email(input).as_deref(), Ok(expected), "{input:?}");
        }
    }

    #[test]
    fn rejects_addresses_that_cannot_receive_mail() {
        for input in [
            "anna",
            "anna@",
            "@example.nl",
            "anna@example",
            "anna@@example.nl",
            "anna@b@example.nl",
            "anna @example.nl",
            "anna@exa mple.nl",
            "anna@example..nl",
            "anna..x@example.nl",
            "anna@example.nl.",
            ".anna@example.nl",
            "anna.@example.nl",
            "anna@-example.nl",
            "anna@example.n",
            "anna@example.123",
            "<script>@example.nl",
            "an\u{200B}na@example.nl",
            "anna@exam\u{202E}ple.nl",
        ] {
            assert_eq!(
                validate_email(input),
                Err(FieldError::EmailInvalid),
                "{input:?}"
            );
        }
    }

    #[test]
    fn requires_an_address() {
        assert_eq!(validate_email(""), Err(FieldError::Required));
        assert_eq!(validate_email("   "), Err(FieldError::Required));
    }

    #[test]
    fn limits_addresses_to_254_characters() {
        let long = format!("{}@{}.nl", "a".repeat(64), "b".repeat(250));
        assert_eq!(validate_email(&long), Err(FieldError::TooLong));
        assert_eq!(
            validate_email(&"a".repeat(10_000)),
            Err(FieldError::TooLong)
        );
    }

    #[test]
    fn suggests_common_providers_for_typos() {
        for (input, expected) in [
            ("anna@gmial.com", "anna@gmail.com"),
            ("anna@gmail.con", "anna@gmail.com"),
            ("anna@gamil.com", "anna@gmail.com"),
            ("anna@hotmial.nl", "anna@hotmail.nl"),
            ("anna@hotmail.nk", "anna@hotmail.nl"),
            ("anna@outlok.com", "anna@outlook.com"),
            ("anna@zigo.nl", "anna@ziggo.nl"),
            ("anna@kpnmial.nl", "anna@kpnmail.nl"),
            ("anna@icloud.co", "anna@icloud.com"),
            ("Anna@GMIAL.COM", "Anna@gmail.com"),
        ] {
            assert_eq!(suggest_email(input).as_deref(), Some(expected), "{input:?}");
        }
    }

    #[test]
    fn does_not_suggest_for_correct_or_unrelated_domains() {
        for input in [
            "anna@gmail.com",
            "anna@hotmail.nl",
            "anna@live.nl",
            "anna@hetvergetenkind.nl",
            "anna@example.nl",
            "anna",
            "anna@",
            "@gmial.com",
        ] {
            assert_eq!(suggest_email(input), None, "{input:?}");
        }
    }

    #[test]
    fn one_key_for_one_address_however_it_is_cased_or_spaced() {
        for (a, b, same) in [
            ("Anna@Example.nl", "anna@example.nl", true),
            (" anna@example.nl ", "anna@example.nl", true),
            ("ANNA@ÖRN.SE", "anna@örn.se", true),
            ("anna@example.nl", "anne@example.nl", false),
        ] {
            assert_eq!(address_key(a) == address_key(b), same, "{a} {b}");
        }
    }
}

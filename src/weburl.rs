//! Absolute web addresses written by users (an article's `url`, the
//! site's `base_url`), parsed with a real URL parser (WHATWG rules, as
//! browsers read them) and checked: http or https, a host, no spaces or
//! bidirectional controls. Accepted URLs are kept in their normal form
//! (scheme and host in lower case, unsafe characters percent-encoded), so
//! whatever prints them prints a well-formed URL.

use url::Url;

/// Parses an absolute http(s) URL, or says what is wrong with it.
pub fn parse(text: &str) -> Result<Url, String> {
    let text = text.trim();
    if let Some(c) = text.chars().find(|c| is_bidi_control(*c) || c.is_control()) {
        return Err(format!(
            "{text:?} holds an invisible control character (U+{:04X})",
            c as u32
        ));
    }
    let url = Url::parse(text).map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{text:?} is not an http:// or https:// URL"));
    }
    match url.host_str() {
        Some(h) if !h.is_empty() => Ok(url),
        _ => Err(format!("{text:?} has no host")),
    }
}

/// Characters that reorder how text is displayed (U+202E turns
/// `example.org` into `gro.elpmaxe`): never in an address.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_urls_are_normalised() {
        assert_eq!(
            parse("HTTPS://EXAMPLE.ORG/x").unwrap().as_str(),
            "https://example.org/x"
        );
        assert_eq!(
            parse(" https://e.org/a b ").unwrap().as_str(),
            "https://e.org/a%20b"
        );
        assert_eq!(
            parse("https://e.org/\"<").unwrap().as_str(),
            "https://e.org/%22%3C"
        );
    }

    #[test]
    fn bad_urls_are_refused_with_a_reason() {
        for (bad, why) in [
            ("https://", "not a URL"),
            ("http://a b/", "not a URL"),
            ("https://exa\u{202E}mple.org/", "U+202E"),
            ("ftp://e.org/", "not an http"),
            ("example.org/x", "not a URL"),
            ("javascript:alert(1)", "not an http"),
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}

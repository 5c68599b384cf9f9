//! Scraping debris: lines a news site puts around a story ("Short Url",
//! "Share", "Follow us", "Advertisement", rows of social buttons), removed
//! by a rule list that a site extends with `[import] debris`.

use std::collections::HashSet;

/// Lines that are scraping debris, matched against a whole line, ignoring
/// case; `*` matches anything. A site adds its own with `[import] debris`.
pub const BUILTIN_DEBRIS: &[&str] = &[
    "short url",
    "short link",
    "share",
    "shares",
    "share this",
    "share this article",
    "share this story",
    "share on *",
    "share via *",
    "share article",
    "follow us",
    "follow us on *",
    "advertisement",
    "advertising",
    "ad",
    "sponsored",
    "sponsored content",
    "read more",
    "read more:*",
    "read more about*",
    "read also*",
    "also read*",
    "see also:*",
    "related",
    "related:*",
    "related articles",
    "related stories",
    "related news",
    "recommended",
    "recommended for you",
    "most read",
    "most popular",
    "trending",
    "subscribe",
    "subscribe to *",
    "sign up for *",
    "click here*",
    "comments",
    "leave a comment",
    "show comments",
    "copy link",
    "link copied",
    "listen to this article*",
    "scroll to continue*",
    "continue reading*",
    "skip to content",
    "skip to main content",
    "font size",
    "loading...",
    "loading…",
];

/// Words that make up a row of social buttons ("Facebook Twitter WhatsApp").
const SOCIAL: &[&str] = &[
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "linkedin",
    "telegram",
    "email",
    "e-mail",
    "mail",
    "reddit",
    "print",
    "share",
    "copy",
    "link",
    "pinterest",
    "messenger",
    "tweet",
    "flipboard",
    "pocket",
    "sms",
    "threads",
    "bluesky",
];

/// The debris rule list: built-in patterns plus a site's.
#[derive(Clone, Debug)]
pub struct Debris {
    exact: HashSet<String>,
    globs: Vec<String>,
}

impl Debris {
    pub fn new(extra: &[String]) -> Self {
        let mut exact = HashSet::new();
        let mut globs = Vec::new();
        let all = BUILTIN_DEBRIS
            .iter()
            .copied()
            .chain(extra.iter().map(String::as_str));
        for p in all.map(normalise_line).filter(|p| !p.is_empty()) {
            if p.contains('*') {
                globs.push(p);
            } else {
                exact.insert(p);
            }
        }
        Debris { exact, globs }
    }

    /// A whole line of debris: a rule matches, it is a row of social
    /// buttons, or it has no letters or digits at all ("|", "***").
    pub fn is_debris(&self, line: &str) -> bool {
        if !line.chars().any(char::is_alphanumeric) {
            return !line.trim().is_empty();
        }
        let n = normalise_line(line);
        if self.exact.contains(&n) {
            return true;
        }
        // Globs only match short lines: a paragraph is never debris.
        if n.len() <= 100 && self.globs.iter().any(|g| glob(g, &n)) {
            return true;
        }
        let words: Vec<&str> = n
            .split(|c: char| c.is_whitespace() || "|/·•,".contains(c))
            .filter(|w| !w.is_empty())
            .collect();
        !words.is_empty() && words.len() <= 10 && words.iter().all(|w| SOCIAL.contains(w))
    }
}

/// Lower case, single spaces, no surrounding punctuation or arrows.
fn normalise_line(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    s.trim_matches(|c: char| !c.is_alphanumeric() && c != '*')
        .to_lowercase()
}

fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn debris() -> Debris {
        Debris::new(&["Download our app*".to_string()])
    }
    #[test]
    fn debris_rules_match_whole_lines() {
        let d = debris();
        for line in [
            "Short Url",
            "SHARE",
            "Follow us on X",
            "Advertisement",
            "Read more: Finland orders corvettes",
            "Facebook  Twitter  WhatsApp",
            "Share | Email | Print",
            "***",
            "Download our app for breaking news",
        ] {
            assert!(d.is_debris(line), "{line:?}");
        }
        for line in [
            "Share prices fell.",
            "The advertisement ran in Moscow.",
            "Pakistan",
            "X-band radar",
        ] {
            assert!(!d.is_debris(line), "{line:?}");
        }
        assert!(!Debris::new(&[]).is_debris("Download our app for breaking news"));
    }
}

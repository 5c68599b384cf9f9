//! A quick look at raw HTML before a real parser sees it: how deeply its
//! elements nest, and which raw-text elements (`<style>`, `<script>`,
//! `<textarea>` …) or comments are opened and never closed. Both are
//! linear scans of the tags, with no tree built: they decide whether the
//! HTML goes to the sanitiser or the importer at all.

/// Elements that never hold others, or whose end tag may be left out
/// (the parser closes them): they do not deepen the nesting.
const FLAT_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "rb", "rt", "rp",
];

/// Elements whose content an HTML parser reads as raw text up to their end
/// tag: opened and never closed, they swallow the rest of the document.
pub const RAW_TEXT_ELEMENTS: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// The deepest nesting of elements, estimated from start and end tags,
/// over one or more pieces of HTML fed in document order.
#[derive(Clone, Copy, Debug, Default)]
pub struct Depth {
    depth: usize,
    max: usize,
}

impl Depth {
    pub fn feed(&mut self, html: &str) {
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            if rest.starts_with('/') {
                self.depth = self.depth.saturating_sub(1);
                continue;
            }
            let name = tag_name(rest);
            if name.is_empty() {
                continue;
            }
            let end = rest.find('>').unwrap_or(rest.len());
            let self_closing = rest[..end].ends_with('/');
            if !self_closing && !FLAT_ELEMENTS.contains(&name.as_str()) {
                self.depth += 1;
                self.max = self.max.max(self.depth);
            }
        }
    }

    pub fn max(&self) -> usize {
        self.max
    }
}

/// The deepest nesting of elements in a piece of HTML.
pub fn depth(html: &str) -> usize {
    let mut d = Depth::default();
    d.feed(html);
    d.max()
}

/// The lower-cased name of the tag `rest` starts with (after its `<`), or
/// "" when it does not start a tag.
fn tag_name(rest: &str) -> String {
    if !rest.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
        return String::new();
    }
    rest.chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// What an unclosed construct is: a raw-text element's name, or
/// `"<!--"` for a comment.
pub type Unclosed = &'static str;

/// For each piece of HTML (in document order), the construct it opens
/// that no later piece closes, if any: such a piece must be shown as
/// text, or a browser or sanitiser would take the rest of the document
/// into it. Linear in the total length.
pub fn unclosed<'a>(pieces: impl IntoIterator<Item = &'a str>) -> Vec<Option<Unclosed>> {
    let pieces: Vec<&str> = pieces.into_iter().collect();
    // Where each element's end tag (or the comment end) last occurs:
    // an opening before it is closed by it.
    let mut last_close: Vec<(Unclosed, Option<(usize, usize)>)> = RAW_TEXT_ELEMENTS
        .iter()
        .map(|n| (*n, None))
        .chain(std::iter::once(("<!--", None)))
        .collect();
    for (k, p) in pieces.iter().enumerate() {
        let lower = p.to_ascii_lowercase();
        for (name, last) in last_close.iter_mut() {
            let needle = if *name == "<!--" {
                "-->".to_string()
            } else {
                format!("</{name}")
            };
            if let Some(at) = lower.rfind(&needle) {
                *last = Some((k, at));
            }
        }
    }
    pieces
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let lower = p.to_ascii_lowercase();
            last_close.iter().find_map(|(name, last)| {
                let open = if *name == "<!--" {
                    lower.find("<!--")
                } else {
                    opening_of(&lower, name)
                }?;
                let closed = last.is_some_and(|(lk, la)| (lk, la) > (k, open));
                (!closed).then_some(*name)
            })
        })
        .collect()
}

/// Where `<name` opens an element in `lower` (followed by `>`, `/` or
/// whitespace, so `<stylesheet` is not `<style`).
fn opening_of(lower: &str, name: &str) -> Option<usize> {
    let needle = format!("<{name}");
    let mut from = 0;
    while let Some(i) = lower[from..].find(&needle) {
        let at = from + i;
        let next = lower[at + needle.len()..].chars().next();
        if next.is_none_or(|c| c == '>' || c == '/' || c.is_ascii_whitespace()) {
            return Some(at);
        }
        from = at + needle.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_nesting_not_siblings() {
        assert_eq!(depth("<div><div><p>x</p></div></div>"), 2);
        assert_eq!(depth("<div></div><div></div><br><img src=x>"), 1);
        assert_eq!(depth(&"<div>".repeat(1000)), 1000);
        assert_eq!(depth("a < b and 3<4"), 0);
    }

    #[test]
    fn unclosed_raw_text_and_comments_are_found() {
        let u = unclosed(["<style>", "<b>", "</b>"]);
        assert_eq!(u, vec![Some("style"), None, None]);
        let u = unclosed(["<style>", "p { color: red }", "</style>"]);
        assert_eq!(u, vec![None, None, None]);
        // A close before the opening does not close it.
        let u = unclosed(["</script>", "<script>"]);
        assert_eq!(u, vec![None, Some("script")]);
        assert_eq!(unclosed(["<TEXTAREA rows=3>"]), vec![Some("textarea")]);
        assert_eq!(unclosed(["<!-- note"]), vec![Some("<!--")]);
        assert_eq!(unclosed(["<!-- note -->"]), vec![None]);
        assert_eq!(unclosed(["<stylesheet>"]), vec![None]);
        assert_eq!(unclosed(["<script src=x></script>"]), vec![None]);
    }
}

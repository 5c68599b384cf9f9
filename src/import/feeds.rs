//! Feeds: RSS 0.9–2.0, Atom and JSON Feed, parsed by feed-rs into
//! [`Item`]s, and an item turned into a [`Draft`] from the feed's own
//! content or summary.
//!
//! Fetching, state and writing are in [`super::subscribe`].

use jiff::civil::Date;

use super::Draft;
use super::text::escape;

/// One item of a feed, as milbrief uses it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Item {
    /// The feed's id for it (a GUID), or one feed-rs made from its link
    /// and title.
    pub id: String,
    /// The article's page, absolute.
    pub link: Option<String>,
    pub title: String,
    /// Plain text.
    pub summary: Option<String>,
    /// HTML of the full content, when the feed carries it.
    pub content: Option<String>,
    /// Publication (else update) date, in UTC.
    pub date: Option<Date>,
    pub author: Option<String>,
}

/// A parsed feed.
#[derive(Clone, Debug, Default)]
pub struct Feed {
    pub title: Option<String>,
    pub items: Vec<Item>,
}

/// Whether text is a feed rather than an article or a page: an `<rss>`,
/// `<feed>` or `<rdf:RDF>` root, or a JSON Feed object.
pub fn looks_like_feed(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') {
        let head: String = t.chars().take(2048).collect();
        return head.contains("jsonfeed.org/version");
    }
    if !t.starts_with('<') {
        return false;
    }
    // The first element that is not a declaration, comment or doctype.
    let mut rest = t;
    for _ in 0..64 {
        let Some(i) = rest.find('<') else {
            return false;
        };
        rest = &rest[i..];
        if rest.starts_with("<?") || rest.starts_with("<!") {
            let end = if rest.starts_with("<!--") {
                rest.find("-->").map(|e| e + 3)
            } else {
                rest.find('>').map(|e| e + 1)
            };
            let Some(end) = end else { return false };
            rest = &rest[end..];
            continue;
        }
        let name: String = rest[1..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect::<String>()
            .to_ascii_lowercase();
        return matches!(name.as_str(), "rss" | "feed" | "rdf:rdf" | "rdf");
    }
    false
}

/// Plain text of an HTML fragment, whitespace collapsed.
fn plain(html: &str) -> String {
    let text = if html.contains('<') || html.contains('&') {
        dom_query::Document::from(format!("<body>{html}</body>").as_str())
            .select("body")
            .text()
            .to_string()
    } else {
        html.to_string()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text_of(t: &feed_rs::model::Text) -> String {
    if t.content_type.essence().to_string().contains("html") {
        plain(&t.content)
    } else {
        t.content.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Parses a feed. Errors say what the bytes were instead.
pub fn parse(bytes: &[u8], base: Option<&str>) -> anyhow::Result<Feed> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    if head.trim().is_empty() {
        anyhow::bail!("an empty response, not a feed");
    }
    if super::inputs::is_html("", &head) && !looks_like_feed(&head) {
        anyhow::bail!(
            "an HTML page, not a feed (an error page, or a page that links to its feed?)"
        );
    }
    let parser = feed_rs::parser::Builder::new().base_uri(base).build();
    // feed-rs is third-party code: a feed that makes it panic is one
    // failed feed, not a failed run.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(bytes)))
        .map_err(|_| anyhow::anyhow!("the feed parser failed on this feed"))?
        .map_err(|e| anyhow::anyhow!("not a valid feed: {e}"))?;
    let items = parsed.entries.into_iter().map(item).collect();
    Ok(Feed {
        title: parsed.title.as_ref().map(text_of).filter(|t| !t.is_empty()),
        items,
    })
}

fn item(e: feed_rs::model::Entry) -> Item {
    // The alternate link, else the first that is not an enclosure.
    let link = e
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("alternate"))
        .or_else(|| {
            e.links.iter().find(|l| {
                l.rel
                    .as_deref()
                    .is_none_or(|r| r != "enclosure" && r != "self")
            })
        })
        .map(|l| l.href.trim().to_string())
        .filter(|h| h.starts_with("https://") || h.starts_with("http://"));
    let date = e
        .published
        .or(e.updated)
        .and_then(|d| jiff::Timestamp::from_second(d.timestamp()).ok())
        .map(|t| jiff::tz::TimeZone::UTC.to_datetime(t).date());
    let author = e
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref())
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.contains('@'))
        .collect::<Vec<_>>()
        .join(", ");
    Item {
        id: e.id.trim().to_string(),
        link,
        title: e.title.as_ref().map(text_of).unwrap_or_default(),
        summary: e.summary.as_ref().map(text_of).filter(|s| !s.is_empty()),
        content: e
            .content
            .and_then(|c| c.body)
            .filter(|b| !b.trim().is_empty()),
        date,
        author: (!author.is_empty()).then_some(author),
    }
}

/// The longest summary written to front matter; a longer one is the body.
const SUMMARY_MAX: usize = 400;

impl Item {
    /// The text `include` and `exclude` look at.
    pub fn filter_text(&self) -> String {
        format!("{}\n{}", self.title, self.summary.as_deref().unwrap_or(""))
    }

    /// The article from the feed's own content, else its summary.
    pub fn draft(&self) -> anyhow::Result<Draft> {
        if self.title.trim().is_empty() {
            anyhow::bail!("the item has no title");
        }
        let from_content = self
            .content
            .as_deref()
            .map(super::html::fragment_markdown)
            .filter(|b| !b.trim().is_empty());
        let (body, summary) = match (from_content, &self.summary) {
            (Some(b), Some(s)) if s.len() <= SUMMARY_MAX && !plain(&b).starts_with(s.as_str()) => {
                (b, Some(s.clone()))
            }
            (Some(b), _) => (b, None),
            (None, Some(s)) => (escape(s), None),
            (None, None) => anyhow::bail!("the item has neither content nor a summary"),
        };
        Ok(Draft {
            title: self.title.clone(),
            body,
            summary,
            author: self.author.clone(),
            url: self.link.clone(),
            ..Draft::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_are_told_from_pages() {
        assert!(looks_like_feed(
            "\u{feff}<?xml version=\"1.0\"?>\n<!-- c -->\n<rss version=\"2.0\"><channel/></rss>"
        ));
        assert!(looks_like_feed(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>"
        ));
        assert!(looks_like_feed(
            "<rdf:RDF xmlns:rdf=\"x\"><channel/></rdf:RDF>"
        ));
        assert!(looks_like_feed(
            "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}"
        ));
        assert!(!looks_like_feed("<!DOCTYPE html><html><head>"));
        assert!(!looks_like_feed("{\"a\": 1}"));
        assert!(!looks_like_feed("Headline\n\nText."));
    }

    #[test]
    fn items_from_rss() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
        <item><title>Navy &amp; drones</title><link>https://news.example/a</link>
        <guid isPermaLink="false">a-1</guid><pubDate>Tue, 17 Oct 2023 22:30:00 -0400</pubDate>
        <description>&lt;p&gt;The navy &lt;b&gt;tested&lt;/b&gt; a drone.&lt;/p&gt;</description></item>
        </channel></rss>"#;
        let f = parse(rss.as_bytes(), None).unwrap();
        assert_eq!(f.title.as_deref(), Some("Desk"));
        let i = &f.items[0];
        assert_eq!(i.title, "Navy & drones");
        assert_eq!(i.id, "a-1");
        assert_eq!(i.link.as_deref(), Some("https://news.example/a"));
        assert_eq!(i.date, Some(jiff::civil::date(2023, 10, 18)), "in UTC");
        assert_eq!(i.summary.as_deref(), Some("The navy tested a drone."));
        let d = i.draft().unwrap();
        assert_eq!(d.body, "The navy tested a drone.");
    }

    #[test]
    fn bad_feeds_say_what_they_are() {
        let e = parse(b"<!DOCTYPE html><html><body>Not found</body></html>", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("an HTML page"), "{e}");
        let e = parse(b"  ", None).unwrap_err().to_string();
        assert!(e.contains("empty"), "{e}");
        let e = parse(b"<rss version=\"2.0\"><channel><item><title>x</ti", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a valid feed"), "{e}");
    }
}

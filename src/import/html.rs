//! Saved HTML pages: metadata from `<title>`, OpenGraph and JSON-LD; the
//! article body extracted by dom_smoothie (a port of Mozilla's
//! Readability) and written as Markdown by dom_query's serialiser.

use dom_query::Document;
use serde_json::Value;

use super::Draft;
use super::dates::parse_meta_date;
use super::debris::Debris;
use super::text::{byline, summary_from_items};

/// Elements that never reach the output.
const NEVER: &str = "script, style, noscript, template, iframe, frame, object, embed, svg, canvas, \
    form, button, input, select, textarea, nav, aside, footer, link, meta, \
    [role=navigation], [role=contentinfo], [role=search], [aria-hidden=true], [hidden]";

/// Media, dropped from the body: hot-linked images are a tracker and a
/// broken link waiting to happen. Their captions go with them: a caption
/// under no photo reads as a stray line.
const MEDIA: &str = "img, picture, video, audio, source, track, map, figure > a:empty";

/// Class or id words of boxes that are not the story (small boxes only).
const BOX_WORDS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "adverts",
    "advertisement",
    "adslot",
    "sponsored",
    "promo",
    "share",
    "sharing",
    "social",
    "newsletter",
    "cookie",
    "cookies",
    "consent",
    "paywall",
    "popup",
    "modal",
];

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNews",
    "AnalysisNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
];

/// What a page says about itself.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    pub author: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Publication date and where it was found.
    pub published: Option<(jiff::civil::Date, String)>,
    pub modified: Option<jiff::civil::Date>,
}

/// Reads a page's metadata: JSON-LD first, then OpenGraph and `<meta>`,
/// then `<title>`.
pub fn meta(doc: &Document) -> Meta {
    let ld = json_ld(doc).unwrap_or(Value::Null);
    let ld_text = |key: &str| ld.get(key).and_then(ld_string);
    let tag = |keys: &[&str]| meta_content(doc, keys);
    let title = ld_text("headline")
        .or_else(|| tag(&["og:title", "twitter:title"]))
        .or_else(|| page_title(doc))
        .or_else(|| text_of(doc, "h1"));
    let author = ld
        .get("author")
        .and_then(ld_names)
        .or_else(|| tag(&["author", "article:author", "byl"]))
        .filter(|a| !a.starts_with("http"));
    let source = tag(&["og:site_name"])
        .or_else(|| ld.get("publisher").and_then(ld_names))
        .or_else(|| tag(&["application-name"]));
    let url = [
        doc.select("link[rel=canonical]")
            .attr("href")
            .map(|s| s.to_string()),
        tag(&["og:url"]),
        ld_text("url"),
        ld.get("mainEntityOfPage").and_then(ld_string),
    ]
    .into_iter()
    .flatten()
    .find_map(|u| clean_url(&u));
    let published = [
        (ld_text("datePublished"), "JSON-LD datePublished"),
        (
            tag(&["article:published_time", "datePublished"]),
            "article:published_time",
        ),
        (
            tag(&["pubdate", "publishdate", "publish-date", "date", "dc.date"]),
            "<meta name=date>",
        ),
        (
            doc.select("time[itemprop=datePublished]")
                .attr("datetime")
                .map(|s| s.to_string()),
            "<time itemprop=datePublished>",
        ),
    ]
    .into_iter()
    .find_map(|(v, from)| Some((parse_meta_date(&v?)?, format!("the page's {from}"))));
    let modified = ld_text("dateModified")
        .or_else(|| tag(&["article:modified_time", "og:updated_time", "dateModified"]))
        .and_then(|v| parse_meta_date(&v));
    Meta {
        title,
        author,
        source,
        url,
        published,
        modified,
    }
}

fn meta_content(doc: &Document, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        ["property", "name", "itemprop"].iter().find_map(|attr| {
            let v = doc
                .select(&format!("meta[{attr}=\"{k}\"]"))
                .attr("content")?;
            let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
            (!v.is_empty()).then_some(v)
        })
    })
}

fn text_of(doc: &Document, sel: &str) -> Option<String> {
    let t = doc.select(sel).first().text();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// `<title>` without the site's name: the longest part of "Headline | Site".
fn page_title(doc: &Document) -> Option<String> {
    let t = text_of(doc, "head title")?;
    let mut parts = vec![t.as_str()];
    for sep in [" | ", " - ", " – ", " — ", " :: "] {
        parts = parts.iter().flat_map(|p| p.split(sep)).collect();
    }
    parts
        .into_iter()
        .max_by_key(|p| p.len())
        .map(|p| p.trim().to_string())
}

/// An absolute http(s) URL without tracking parameters or fragment.
fn clean_url(u: &str) -> Option<String> {
    let u = u.trim();
    if !(u.starts_with("https://") || u.starts_with("http://")) || u.contains(char::is_whitespace) {
        return None;
    }
    let u = u.split('#').next().unwrap_or(u);
    Some(match u.split_once('?') {
        Some((base, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|p| !p.is_empty() && !p.starts_with("utm_") && !p.starts_with("fbclid"))
                .collect();
            if kept.is_empty() {
                base.to_string()
            } else {
                format!("{base}?{}", kept.join("&"))
            }
        }
        None => u.to_string(),
    })
}

/// The first article object of the page's JSON-LD (in `@graph`s and
/// arrays too).
fn json_ld(doc: &Document) -> Option<Value> {
    let mut all = Vec::new();
    for node in doc.select("script[type=\"application/ld+json\"]").nodes() {
        let text = node.text();
        let text = text
            .trim()
            .trim_start_matches("<![CDATA[")
            .trim_end_matches("]]>");
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            flatten(v, &mut all);
        }
    }
    all.into_iter().find(|v| {
        let is = |t: &Value| t.as_str().is_some_and(|s| ARTICLE_TYPES.contains(&s));
        match v.get("@type") {
            Some(Value::Array(ts)) => ts.iter().any(is),
            Some(t) => is(t),
            None => false,
        }
    })
}

fn flatten(v: Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(items) => items.into_iter().for_each(|i| flatten(i, out)),
        Value::Object(mut o) => {
            if let Some(g) = o.remove("@graph") {
                flatten(g, out);
            }
            out.push(Value::Object(o));
        }
        _ => {}
    }
}

/// A string, or an object's `name` or `@id`, or the first of an array.
fn ld_string(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Object(o) => o
            .get("name")
            .or_else(|| o.get("@id"))
            .and_then(Value::as_str)?
            .to_string(),
        Value::Array(a) => return a.iter().find_map(ld_string),
        _ => return None,
    };
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// Names of one or more authors or publishers.
fn ld_names(v: &Value) -> Option<String> {
    let names: Vec<String> = match v {
        Value::Array(a) => a.iter().filter_map(ld_string).collect(),
        v => ld_string(v).into_iter().collect(),
    };
    (!names.is_empty()).then(|| names.join(", "))
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Removes the small boxes around a story (share buttons, newsletter
/// sign-ups, related links) that classes and ids name.
fn remove_boxes(doc: &Document) {
    for node in doc.select("[class], [id]").nodes() {
        let words = format!(
            "{} {}",
            node.attr("class").unwrap_or_default(),
            node.attr("id").unwrap_or_default()
        )
        .to_lowercase();
        let boxed = words
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| BOX_WORDS.contains(&w));
        if boxed && node.text().len() < 300 {
            node.remove_from_parent();
        }
    }
}

/// Tidies the story's body: no scripts, media or their captions, links only to the web, no repeat of the headline `title`,
/// no scraping debris.
fn tidy(body: &Document, title: &str, debris: &Debris) {
    body.select(NEVER).remove();
    body.select(MEDIA).remove();
    body.select("figcaption").remove();
    for a in body.select("a").nodes() {
        let href = a.attr("href").unwrap_or_default();
        if a.text().trim().is_empty() {
            a.remove_from_parent();
        } else if !(href.starts_with("https://") || href.starts_with("http://")) {
            a.unwrap_node();
        }
    }
    let title_key = slug::slugify(title);
    for h in body.select("h1, h2").nodes() {
        if slug::slugify(h.text()) == title_key {
            h.remove_from_parent();
        }
    }
    for node in body
        .select("p, li, div, span, h2, h3, h4, h5, h6, blockquote")
        .nodes()
    {
        let t = node.text();
        if t.len() < 200 && debris.is_debris(&t) {
            node.remove_from_parent();
        }
    }
}

/// Extracts the article of a saved page as a draft.
pub fn parse(html: &str, debris: &Debris) -> anyhow::Result<Draft> {
    // Extraction takes time quadratic in the nesting depth; no page needs
    // more than the Markdown path allows.
    let depth = crate::html_scan::depth(html);
    if depth > crate::markdown::MAX_HTML_DEPTH {
        anyhow::bail!(
            "the page nests elements {depth} deep (more than {}): not a page milbrief can import",
            crate::markdown::MAX_HTML_DEPTH
        );
    }
    let doc = Document::from(html);
    let m = meta(&doc);

    doc.select(NEVER).remove();
    remove_boxes(&doc);

    let cfg = dom_smoothie::Config {
        disable_json_ld: true,
        ..Default::default()
    };
    let mut r = dom_smoothie::Readability::with_document(doc, m.url.as_deref(), Some(cfg))
        .map_err(|e| anyhow::anyhow!("cannot read the page: {e}"))?;
    let article = r
        .parse()
        .map_err(|e| anyhow::anyhow!("no article text found in the page ({e})"))?;

    let mut draft = Draft {
        title: m
            .title
            .clone()
            .unwrap_or_else(|| article.title.trim().to_string()),
        author: m.author.or(article.byline.filter(|b| !b.trim().is_empty())),
        source: m.source.or(article.site_name),
        url: m.url,
        published: m.published,
        ..Draft::default()
    };
    if let Some(d) = m.modified {
        draft.reference = Some((d, "the page's dateModified".to_string()));
    }

    let body = Document::from(article.content.as_ref());
    tidy(&body, &draft.title, debris);
    // A byline paragraph before the story.
    if let Some(p) = body.select("p").nodes().first() {
        let t = p.text().split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(name) = byline(&t) {
            if draft.author.is_none() {
                draft.author = Some(name.to_string());
            }
            p.remove_from_parent();
        }
    }
    // Key points before the first paragraph are the summary.
    if let Some(first) = body.select("p, ul, ol").nodes().first()
        && first.is("ul, ol")
    {
        let items: Vec<String> = first
            .children()
            .iter()
            .filter(|c| c.is("li"))
            .map(|c| c.text().split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
            .collect();
        if !items.is_empty() {
            draft.summary = Some(summary_from_items(&items));
        }
    }

    let md = body.md(None);
    let mut lines: Vec<&str> = Vec::new();
    for line in md.lines() {
        let blank = line.trim().is_empty();
        if blank && lines.last().is_none_or(|l| l.trim().is_empty()) {
            continue;
        }
        lines.push(if blank { "" } else { line });
    }
    draft.body = lines.join("\n").trim().to_string();
    if draft.body.is_empty() {
        anyhow::bail!("no article text found in the page");
    }
    if draft.title.is_empty() {
        anyhow::bail!("the page has no headline (no <title>, og:title or <h1>)");
    }
    Ok(draft)
}

/// Markdown of an HTML fragment (a feed item's content): no scripts,
/// media or boxes, links kept only when they are absolute http(s).
pub fn fragment_markdown(html: &str) -> String {
    let doc = Document::from(format!("<html><body>{html}</body></html>").as_str());
    doc.select(NEVER).remove();
    doc.select(MEDIA).remove();
    for a in doc.select("a").nodes() {
        let href = a.attr("href").unwrap_or_default();
        if a.text().trim().is_empty() {
            a.remove_from_parent();
        } else if !(href.starts_with("https://") || href.starts_with("http://")) {
            a.replace_with_html(escape_html(&a.text()));
        }
    }
    let md = doc.md(None);
    let mut lines: Vec<&str> = Vec::new();
    for line in md.lines() {
        let blank = line.trim().is_empty();
        if blank && lines.last().is_none_or(|l| l.trim().is_empty()) {
            continue;
        }
        lines.push(if blank { "" } else { line });
    }
    lines.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_from_json_ld_opengraph_and_title() {
        let doc = Document::from(
            r#"<html><head><title>Tanks for Poland | Wire</title>
            <meta property="og:site_name" content="Defence Wire">
            <link rel="canonical" href="https://wire.example/a?utm_source=x&id=3#top">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Wire"},
              {"@type":["NewsArticle"],"headline":"Poland signs K2 deal","datePublished":"2023-10-17T23:30:00-04:00",
               "author":[{"@type":"Person","name":"A. Nowak"},{"name":"B. Kim"}],"publisher":{"name":"Wire Inc"}}]}</script>
            </head><body><h1>Other</h1></body></html>"#,
        );
        let m = meta(&doc);
        assert_eq!(m.title.as_deref(), Some("Poland signs K2 deal"));
        assert_eq!(m.author.as_deref(), Some("A. Nowak, B. Kim"));
        assert_eq!(m.source.as_deref(), Some("Defence Wire"));
        assert_eq!(m.url.as_deref(), Some("https://wire.example/a?id=3"));
        let (d, from) = m.published.unwrap();
        assert_eq!(d, jiff::civil::date(2023, 10, 17));
        assert!(from.contains("datePublished"), "{from}");

        let doc = Document::from(
            r#"<html><head><title>Wire - Tanks roll into the city at dawn</title>
            <meta name="author" content="C. Diaz"><meta property="article:published_time" content="2024-01-02">
            <script type="application/ld+json">{ not json</script></head><body></body></html>"#,
        );
        let m = meta(&doc);
        assert_eq!(m.title.as_deref(), Some("Tanks roll into the city at dawn"));
        assert_eq!(m.author.as_deref(), Some("C. Diaz"));
        assert_eq!(m.published.unwrap().0, jiff::civil::date(2024, 1, 2));
        assert_eq!(m.url, None);
    }

    #[test]
    fn urls_are_absolute_and_untracked() {
        assert_eq!(clean_url("/relative"), None);
        assert_eq!(
            clean_url(" https://a.example/x?utm_medium=y "),
            Some("https://a.example/x".to_string())
        );
    }

    #[test]
    fn extracts_the_story_only() {
        let para = "The ministry said the brigade would move to the border region within a week, and that reservists had been called up to fill its ranks.";
        let html = format!(
            r#"<html><head><title>Brigade moves to border</title><style>p{{color:red}}</style></head><body>
            <nav><a href="/">Home</a><a href="/world">World</a></nav>
            <article><h1>Brigade moves to border</h1><p>By Jo Bloggs</p>
            <p>VILNIUS: {para}</p><div class="ad">Advertisement</div>
            <script>track()</script><p>{para} <a href="javascript:evil()">More</a></p><p>Share</p>
            <figure><img src="https://cdn.example/p.jpg"><figcaption>Troops <b>board</b> a train. (Army)</figcaption></figure>
            <p>{para}</p></article><footer>Copyright</footer></body></html>"#
        );
        let d = parse(&html, &Debris::new(&[])).unwrap();
        assert_eq!(d.title, "Brigade moves to border");
        assert_eq!(d.author.as_deref(), Some("Jo Bloggs"));
        assert!(d.body.starts_with("VILNIUS: The ministry"), "{}", d.body);
        assert!(
            !d.body.contains("Troops"),
            "the photo's caption goes with it: {}",
            d.body
        );
        for gone in [
            "Home",
            "track()",
            "Advertisement",
            "color:red",
            "javascript",
            "Share",
            "Copyright",
            "cdn.example",
            "By Jo",
        ] {
            assert!(!d.body.contains(gone), "{gone}: {}", d.body);
        }
        assert!(d.body.contains("More"), "link text is kept: {}", d.body);
    }
}

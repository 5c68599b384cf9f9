//! Markdown to HTML: pulldown-cmark with tables, footnotes, strikethrough and
//! heading ids; summaries; plain text for the tagger; sanitising of raw HTML.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// How Markdown is rendered for one site.
#[derive(Clone, Debug)]
pub struct MarkdownOptions {
    /// Pass raw HTML in articles through unsanitised (trusted sites only).
    pub unsafe_html: bool,
    /// Article files larger than this are refused with an error naming
    /// them (`[markdown] max_article_kb`).
    pub max_article_bytes: u64,
}

/// The default limit of an article file's size: 4 MiB, a hundred times
/// a long news story.
pub const DEFAULT_MAX_ARTICLE_KB: u64 = 4096;

impl Default for MarkdownOptions {
    fn default() -> Self {
        Self {
            unsafe_html: false,
            max_article_bytes: DEFAULT_MAX_ARTICLE_KB * 1024,
        }
    }
}

/// One article body, rendered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rendered {
    pub html: String,
    /// HTML of the text before `<!-- more -->`, else of the first paragraph.
    pub summary_html: String,
    pub summary_text: String,
    /// Byte range in `body_text` of the first real paragraph (captions
    /// skipped): the lead.
    pub lead: std::ops::Range<usize>,
    /// Plain text of the whole body, blocks separated by blank lines.
    pub body_text: String,
    /// Text of a leading `# Heading`, which was taken out of the body.
    pub title: Option<String>,
    pub word_count: usize,
    /// Raw-text elements and comments opened and never closed (`<style>`,
    /// `<!--`), shown as text so they cannot swallow the rest of the
    /// article; `check` warns about them.
    pub unclosed_html: Vec<String>,
}

const MORE_MARKERS: [&str; 2] = ["<!-- more -->", "<!--more-->"];

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders a Markdown body. A leading level-1 heading is taken out of the
/// body when `known_title` is `None` (it becomes the title) or equal to it.
pub fn render(src: &str, opts: &MarkdownOptions, known_title: Option<&str>) -> Rendered {
    let mut events: Vec<Event<'_>> = Parser::new_ext(src, parser_options()).collect();
    let mut out = Rendered::default();

    // A leading H1 is the title, not body.
    if let Some(Event::Start(Tag::Heading {
        level: HeadingLevel::H1,
        ..
    })) = events.first()
    {
        let end = events
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(HeadingLevel::H1))))
            .unwrap_or(0);
        let text = normalise_ws(&plain_text(&events[1..end]));
        let strip = match known_title {
            None => true,
            Some(t) => normalise_ws(t).eq_ignore_ascii_case(&text),
        };
        if strip && end > 0 {
            events.drain(..=end);
            if !text.is_empty() {
                out.title = Some(text);
            }
        }
    }

    let mut w = Walker {
        keep_attributes: opts.unsafe_html,
        ..Walker::default()
    };
    w.walk(events);
    if w.lead.is_none()
        && let Some((s, e, r)) = w.short_first.take()
    {
        w.lead = Some((s, e));
        w.lead_range = r;
    }

    let mut has_raw_html = w.has_raw_html && !opts.unsafe_html;
    if has_raw_html {
        out.unclosed_html = w.unclosed_as_text();
    }
    if has_raw_html && raw_html_depth(&w) > MAX_HTML_DEPTH {
        // Sanitising HTML nested this deep takes time quadratic in the
        // depth; no article needs it. Its raw HTML is shown as text.
        w.html_as_text();
        has_raw_html = false;
    }
    let mut body = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut body, w.out.iter().cloned());
    body.push_str(&w.footnotes_html());

    let summary_events: Vec<Event<'_>> = match (w.more_at, &w.lead) {
        (Some(at), _) => w.summary_slice(0, at),
        (None, Some((s, e))) => w.summary_slice(*s, *e + 1),
        (None, None) => Vec::new(),
    };
    let mut summary = String::new();
    html::push_html(&mut summary, summary_events.iter().cloned());
    out.summary_text = normalise_ws(&plain_text(&summary_events));

    if has_raw_html {
        body = sanitize(&body);
        summary = sanitize(&summary);
    }
    out.html = body;
    out.summary_html = summary;
    out.lead = w.lead_range;
    out.word_count = w.text.split_whitespace().count();
    out.body_text = w.text;
    out
}

/// Cleans untrusted HTML: no scripts, event handlers, `javascript:` URLs,
/// frames or objects; keeps tables, figures and footnote ids.
pub fn sanitize(html: &str) -> String {
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["section", "figure", "figcaption", "del", "s", "mark"])
            .add_generic_attributes(["id", "class"]);
        b
    });
    CLEANER.clean(html).to_string()
}

/// A URL safe to put in `href`/`src`: script and data URLs become `#`.
pub fn safe_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    !(squeezed.starts_with("javascript:")
        || squeezed.starts_with("vbscript:")
        || squeezed.starts_with("data:"))
}

fn normalise_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text content of a run of events.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => s.push(' '),
            _ => {}
        }
    }
    s
}

/// Raw HTML nested deeper than this is shown as text, not sanitised.
pub const MAX_HTML_DEPTH: usize = 512;

/// The deepest nesting of elements in an article's raw HTML, estimated
/// from its start and end tags.
fn raw_html_depth(w: &Walker<'_>) -> usize {
    let mut depth = crate::html_scan::Depth::default();
    let defs = w.defs.values().flatten();
    for e in w.out.iter().chain(defs) {
        if let Event::Html(t) | Event::InlineHtml(t) = e {
            depth.feed(t);
        }
    }
    depth.max()
}

/// One pass over the events: heading ids, footnotes, URL checks, the more
/// marker, the lead paragraph and the plain text.
#[derive(Default)]
struct Walker<'a> {
    out: Vec<Event<'a>>,
    ids: HashSet<String>,
    /// Per id base, the next numeric suffix to try.
    next_suffix: HashMap<String, usize>,
    /// Footnote label -> (number, id), in order of first reference.
    notes: HashMap<String, (usize, String)>,
    note_order: Vec<String>,
    /// Footnote label -> body events.
    defs: HashMap<String, Vec<Event<'a>>>,
    def_order: Vec<String>,
    /// Indices in `out` of generated footnote references (left out of summaries).
    note_refs: HashSet<usize>,
    has_raw_html: bool,
    /// Keep `{key=value}` attributes of headings: any attribute, `onclick`
    /// too, so only on trusted sites.
    keep_attributes: bool,
    more_at: Option<usize>,
    lead: Option<(usize, usize)>,
    lead_range: std::ops::Range<usize>,
    /// The first paragraph, when it is too short to be a lead: the lead
    /// if no better one follows.
    short_first: Option<(usize, usize, std::ops::Range<usize>)>,
    text: String,
}

impl<'a> Walker<'a> {
    fn unique_id(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        if self.ids.insert(base.to_string()) {
            return base.to_string();
        }
        // The next suffix to try for this base: a thousand equal headings
        // cost a thousand lookups, not half a million.
        let n = self.next_suffix.entry(base.to_string()).or_insert(1);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }

    fn walk(&mut self, events: Vec<Event<'a>>) {
        let mut depth = 0usize;
        let mut para_start: Option<(usize, usize)> = None; // (out index, text len)
        let mut in_def: Option<String> = None;
        let mut iter = events.into_iter().peekable();
        let mut pending: Vec<Event<'a>> = Vec::new();
        while let Some(ev) = pending.pop().or_else(|| iter.next()) {
            // Footnote definitions are collected aside and rendered at the end.
            if let Some(label) = in_def.clone() {
                match ev {
                    Event::End(TagEnd::FootnoteDefinition) => in_def = None,
                    other => {
                        self.text_of(&other);
                        let other = self.fix(other);
                        self.defs.entry(label).or_default().push(other);
                    }
                }
                continue;
            }
            match ev {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let label = label.to_string();
                    if !self.defs.contains_key(&label) {
                        self.def_order.push(label.clone());
                        self.defs.insert(label.clone(), Vec::new());
                    }
                    in_def = Some(label);
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    // Look ahead for the heading's text to make its id.
                    let mut inner = Vec::new();
                    for e in iter.by_ref() {
                        let end = matches!(e, Event::End(TagEnd::Heading(_)));
                        inner.push(e);
                        if end {
                            break;
                        }
                    }
                    self.heading(level, id, classes, attrs, &inner);
                    depth += 1;
                    inner.reverse();
                    pending.extend(inner);
                }
                Event::FootnoteReference(label) => self.footnote_reference(&label),
                Event::Html(_) | Event::InlineHtml(_) => self.html(ev, depth),
                Event::Start(tag) => {
                    if depth == 0 && matches!(tag, Tag::Paragraph) {
                        para_start = Some((self.out.len(), self.text.len()));
                    }
                    depth += 1;
                    let ev = self.fix(Event::Start(tag));
                    self.out.push(ev);
                }
                Event::End(end) => {
                    depth = depth.saturating_sub(1);
                    self.end(end, depth, &mut para_start);
                }
                other => {
                    self.text_of(&other);
                    self.out.push(other);
                }
            }
        }
    }

    /// A heading, whose events (up to its end) are `inner`: it gets a
    /// unique id, from its own or from its text.
    fn heading(
        &mut self,
        level: pulldown_cmark::HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        inner: &[Event<'a>],
    ) {
        let base = match &id {
            Some(explicit) => slug::slugify(explicit.as_ref()),
            None => slug::slugify(plain_text(inner)),
        };
        let id = self.unique_id(&base);
        let attrs = if self.keep_attributes {
            attrs
        } else {
            Vec::new()
        };
        self.out.push(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id)),
            classes,
            attrs,
        }));
    }

    /// A reference to footnote `label`: numbered in order of first
    /// reference, linked to the note.
    fn footnote_reference(&mut self, label: &str) {
        let html = match self.notes.get(label) {
            Some((n, id)) => {
                format!("<sup class=\"footnote-ref\"><a href=\"#fn-{id}\">{n}</a></sup>")
            }
            None => {
                let n = self.note_order.len() + 1;
                let id = self.unique_id(&format!("fn-{}", slug::slugify(label)));
                let id = id.trim_start_matches("fn-").to_string();
                self.ids.insert(format!("fnref-{id}"));
                self.notes.insert(label.to_string(), (n, id.clone()));
                self.note_order.push(label.to_string());
                format!(
                    "<sup class=\"footnote-ref\" id=\"fnref-{id}\"><a href=\"#fn-{id}\">{n}</a></sup>"
                )
            }
        };
        self.note_refs.insert(self.out.len());
        self.out.push(Event::InlineHtml(CowStr::from(html)));
    }

    /// Raw HTML at `depth`: the summary's end marker, or HTML kept (or
    /// escaped later).
    fn html(&mut self, ev: Event<'a>, depth: usize) {
        let (Event::Html(t) | Event::InlineHtml(t)) = &ev else {
            return;
        };
        let trimmed = t.trim();
        if depth <= 1 && self.more_at.is_none() && MORE_MARKERS.contains(&trimmed) {
            // Cut before the (empty) HTML block that held the marker.
            let at = match self.out.last() {
                Some(Event::Start(Tag::HtmlBlock)) => self.out.len() - 1,
                _ => self.out.len(),
            };
            self.more_at = Some(at);
        } else {
            self.has_raw_html = true;
            self.out.push(ev);
        }
    }

    /// The end of a block or inline at `depth` (after it): a top-level
    /// paragraph may be the lead; blocks end their text with a blank line.
    fn end(&mut self, end: TagEnd, depth: usize, para_start: &mut Option<(usize, usize)>) {
        self.out.push(Event::End(end));
        if depth == 0
            && end == TagEnd::Paragraph
            && let Some((start, text_at)) = para_start.take()
            && self.lead.is_none()
            && !is_caption(&self.out[start..])
        {
            let found = (start, self.out.len() - 1, text_at..self.text.len());
            if is_lead_like(&self.text[text_at..]) {
                self.lead = Some((found.0, found.1));
                self.lead_range = found.2;
            } else if self.short_first.is_none() {
                self.short_first = Some(found);
            }
        }
        if matches!(
            end,
            TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::TableCell
                | TagEnd::CodeBlock
        ) {
            self.text.push_str("\n\n");
        }
    }

    /// Turns each piece of raw HTML that opens a raw-text element (or a
    /// comment) never closed into text, and names what it opened.
    fn unclosed_as_text(&mut self) -> Vec<String> {
        let pieces: Vec<usize> = (0..self.out.len())
            .filter(|&i| matches!(self.out[i], Event::Html(_) | Event::InlineHtml(_)))
            .collect();
        let found = crate::html_scan::unclosed(pieces.iter().map(|&i| match &self.out[i] {
            Event::Html(t) | Event::InlineHtml(t) => t.as_ref(),
            _ => "",
        }));
        let mut names = Vec::new();
        for (&i, name) in pieces.iter().zip(found) {
            let Some(name) = name else { continue };
            if let Event::Html(t) | Event::InlineHtml(t) = &mut self.out[i] {
                let t = std::mem::replace(t, CowStr::Borrowed(""));
                self.out[i] = Event::Text(t);
            }
            let shown = if name == "<!--" {
                name.to_string()
            } else {
                format!("<{name}>")
            };
            if !names.contains(&shown) {
                names.push(shown);
            }
        }
        names
    }

    /// Turns every piece of raw HTML into text (escaped when written).
    fn html_as_text(&mut self) {
        let as_text = |e: &mut Event<'a>| {
            if let Event::Html(t) | Event::InlineHtml(t) = e {
                *e = Event::Text(std::mem::replace(t, CowStr::Borrowed("")));
            }
        };
        self.out.iter_mut().for_each(as_text);
        self.defs.values_mut().flatten().for_each(as_text);
    }

    fn text_of(&mut self, e: &Event<'_>) {
        match e {
            Event::Text(t) | Event::Code(t) => self.text.push_str(t),
            Event::SoftBreak | Event::HardBreak => self.text.push(' '),
            _ => {}
        }
    }

    /// Neutralises script URLs in links and images.
    fn fix(&mut self, e: Event<'a>) -> Event<'a> {
        match e {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if !safe_url(&dest_url) => Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from("#"),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) if !safe_url(&dest_url) => Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::from("#"),
                title,
                id,
            }),
            other => other,
        }
    }

    /// Events `from..to` of the body, for a summary: without footnote
    /// references (their targets are not on listing pages) or heading ids.
    fn summary_slice(&self, from: usize, to: usize) -> Vec<Event<'a>> {
        (from..to.min(self.out.len()))
            .filter(|i| !self.note_refs.contains(i))
            .map(|i| match &self.out[i] {
                Event::Start(Tag::Heading {
                    level,
                    classes,
                    attrs,
                    ..
                }) => Event::Start(Tag::Heading {
                    level: *level,
                    id: None,
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }),
                e => e.clone(),
            })
            .collect()
    }

    fn footnotes_html(&self) -> String {
        if self.defs.is_empty() {
            return String::new();
        }
        let mut s = String::from("<section class=\"footnotes\">\n<ol>\n");
        // Referenced notes in order of reference, then unreferenced ones.
        let unreferenced = self
            .def_order
            .iter()
            .filter(|l| !self.notes.contains_key(*l));
        for label in self.note_order.iter().chain(unreferenced) {
            let Some(events) = self.defs.get(label) else {
                continue;
            };
            match self.notes.get(label) {
                Some((_, id)) => s.push_str(&format!("<li id=\"fn-{id}\">")),
                None => s.push_str("<li>"),
            }
            html::push_html(&mut s, events.iter().cloned());
            if let Some((_, id)) = self.notes.get(label) {
                s.push_str(&format!(
                    "<p class=\"footnote-back\"><a href=\"#fnref-{id}\" aria-label=\"Back to text\">↩</a></p>"
                ));
            }
            s.push_str("</li>\n");
        }
        s.push_str("</ol>\n</section>\n");
        s
    }
}

/// A lead has at least a sentence's worth of words: "By Jane Doe",
/// "News Release NR-205-19, Aug. 4, 2019" and "Short Url" are not leads.
fn is_lead_like(text: &str) -> bool {
    text.split_whitespace().count() >= 8
}

/// A paragraph that is only emphasis or an image: a photo caption, not a lead.
fn is_caption(events: &[Event<'_>]) -> bool {
    let mut inline_depth = 0usize;
    let mut any_text = false;
    for e in events {
        match e {
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Image { .. }) => inline_depth += 1,
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Image) => {
                inline_depth = inline_depth.saturating_sub(1)
            }
            Event::Text(t) | Event::Code(t) => {
                if inline_depth == 0 && !t.trim().is_empty() {
                    return false;
                }
                any_text = true;
            }
            _ => {}
        }
    }
    any_text
        || events
            .iter()
            .any(|e| matches!(e, Event::Start(Tag::Image { .. })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(src: &str) -> Rendered {
        render(src, &MarkdownOptions::default(), None)
    }

    #[test]
    fn leading_h1_becomes_title() {
        let out = r("# Big News\n\nFirst para.\n\nSecond.");
        assert_eq!(out.title.as_deref(), Some("Big News"));
        assert!(!out.html.contains("<h1"));
        assert_eq!(out.summary_text, "First para.");
    }

    #[test]
    fn h1_kept_when_it_differs_from_known_title() {
        let out = render(
            "# Other\n\nText.",
            &MarkdownOptions::default(),
            Some("Title"),
        );
        assert!(out.title.is_none());
        assert!(out.html.contains("<h1 id=\"other\">Other</h1>"));
    }

    #[test]
    fn summary_is_first_paragraph_skipping_captions() {
        let out = r("*Troops at the range. (Army)*\n\nISLAMABAD: The lead.\n\nMore.");
        assert_eq!(out.summary_text, "ISLAMABAD: The lead.");
        assert_eq!(&out.body_text[out.lead.clone()], "ISLAMABAD: The lead.");
        assert_eq!(out.summary_html.trim(), "<p>ISLAMABAD: The lead.</p>");
    }

    #[test]
    fn more_marker_cuts_the_summary() {
        let out = r("One.\n\nTwo.\n\n<!-- more -->\n\nThree.");
        assert_eq!(out.summary_text, "One. Two.");
        assert!(out.html.contains("Three."));
        assert!(!out.html.contains("more"));
    }

    #[test]
    fn heading_ids_are_unique() {
        let out = r("Intro.\n\n## Background\n\n## Background\n\n## Délivery {#custom}");
        assert!(out.html.contains("<h2 id=\"background\">"));
        assert!(out.html.contains("<h2 id=\"background-1\">"));
        assert!(out.html.contains("<h2 id=\"custom\">"));
    }

    #[test]
    fn footnotes_get_unique_ids_and_move_to_the_end() {
        let out = r("Claim[^a] and another[^b].\n\n[^b]: Second.\n[^a]: First.\n\n## fn a\n");
        let h = &out.html;
        assert!(h.contains("id=\"fnref-a\""), "{h}");
        assert!(h.contains("<li id=\"fn-a\">"), "{h}");
        assert!(h.find("fn-a\">").unwrap() < h.find("fn-b\">").unwrap());
        // The heading "fn a" must not take the footnote's id.
        assert!(h.contains("<h2 id=\"fn-a-1\">"), "{h}");
        assert!(!out.summary_html.contains("fnref"));
        assert_eq!(out.summary_text, "Claim and another.");
    }

    #[test]
    fn tables_and_strikethrough_render() {
        let out = r("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new");
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("<del>old</del>"));
    }

    #[test]
    fn raw_html_is_sanitised_by_default() {
        let src = "Hi <script>alert(1)</script><b onclick=\"x()\">b</b>\n\n<iframe src=\"x\"></iframe>\n\n[l](javascript:alert(1))";
        let out = r(src);
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(!out.html.contains("onclick"));
        assert!(!out.html.contains("<iframe"));
        assert!(!out.html.contains("javascript:"));
        assert!(out.html.contains("<b>b</b>"));
        let trusted = render(
            src,
            &MarkdownOptions {
                unsafe_html: true,
                ..MarkdownOptions::default()
            },
            Some("t"),
        );
        assert!(trusted.html.contains("<iframe"));
    }

    #[test]
    fn an_unclosed_raw_text_tag_does_not_swallow_the_article() {
        for tag in ["style", "script", "textarea", "title", "iframe"] {
            let src = format!(
                "The report quotes a tag: <{tag}> and then continues.\n\nA second paragraph.\n\nA third one."
            );
            let out = r(&src);
            assert!(
                out.html.contains("and then continues."),
                "{tag}: {}",
                out.html
            );
            assert!(out.html.contains("A third one."), "{tag}: {}", out.html);
            assert!(
                out.html.contains(&format!("&lt;{tag}&gt;")),
                "{tag}: shown as text"
            );
            assert_eq!(out.unclosed_html, vec![format!("<{tag}>")]);
        }
        // A comment block never closed runs to the end of the file.
        let out = r("Before.\n\n<!-- a note never closed\n\nAfter.");
        assert!(out.html.contains("After."), "{}", out.html);
        assert_eq!(out.unclosed_html, vec!["<!--".to_string()]);
        // Closed ones are sanitised away as before, with nothing to report.
        let out = r("Text <style>p{}</style> more.\n\nEnd.");
        assert!(
            out.html.contains("End.") && !out.html.contains("p{}"),
            "{}",
            out.html
        );
        assert!(out.unclosed_html.is_empty());
    }

    #[test]
    fn heading_attributes_other_than_id_and_class_are_dropped() {
        let out = r("Intro.\n\n## Title {#t .c onclick=alert(1) style=x}");
        assert!(
            out.html.contains("<h2 id=\"t\" class=\"c\">"),
            "{}",
            out.html
        );
        assert!(!out.html.contains("onclick") && !out.html.contains("style"));
    }

    #[test]
    fn many_equal_headings_get_ids_in_linear_time() {
        let out = r(&"## Same\n\n".repeat(5000));
        assert!(out.html.contains("<h2 id=\"same-4999\">"));
    }

    #[test]
    fn absurdly_nested_html_is_shown_as_text() {
        let deep = format!("Lead.\n\n{}x{}", "<div>".repeat(600), "</div>".repeat(600));
        let out = r(&deep);
        assert!(out.html.contains("&lt;div&gt;x&lt;/div&gt;"));
        let lists = format!("Lead.\n\n<ul>{}</ul>", "<li>item".repeat(2000));
        let out = r(&lists);
        assert!(
            out.html.contains("<li>item</li>"),
            "unclosed items are not nesting"
        );
    }

    #[test]
    fn plain_text_and_word_count() {
        let out = r("Alpha **beta** gamma.\n\n- one\n- two");
        assert_eq!(out.word_count, 5);
        assert!(out.body_text.contains("Alpha beta gamma."));
    }
}

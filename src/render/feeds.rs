//! Machine-read outputs: Atom feeds, the sitemap, robots.txt and the search
//! index. They are written directly, not through templates, so their
//! escaping is exact and their shape fixed.

use std::fmt::Write as _;

use jiff::civil::Date;
use serde_json::json;

use super::{Feed, Renderer};
use crate::index::{edition_end, edition_name};
use crate::model::Article;

/// Articles per summary shard of the search index.
pub(super) const SEARCH_SHARD: usize = 1000;
/// Longest summary in the search index, in characters.
const SEARCH_SUMMARY: usize = 240;
/// URLs per sitemap file (the protocol's limit).
pub(super) const SITEMAP_URLS: usize = 50_000;

/// Escapes text for XML content and attribute values. Runs of ordinary
/// characters are copied whole: feeds carry whole article bodies.
pub(crate) fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16 + 8);
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            // Characters XML 1.0 cannot carry at all.
            0..0x20 if !matches!(b, b'\t' | b'\n' | b'\r') => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&s[start..]);
    if out.contains(['\u{FFFE}', '\u{FFFF}']) {
        out.retain(|c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'));
    }
    out
}

/// JSON that stays inert even if pasted into HTML: `<`, `>` and `&` occur
/// only inside strings, where their `\u` escapes mean the same.
fn json_for_html(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// RFC 3339 timestamp of an article (midnight UTC when it has no time).
fn stamp(date: Date, time: Option<jiff::civil::Time>) -> String {
    let t = time.unwrap_or(jiff::civil::Time::midnight());
    format!("{date}T{}Z", t.strftime("%H:%M:%S"))
}

/// Cuts `s` at a word boundary to at most `max` characters, adding "…".
fn trim_words(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let end = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end())
}

impl<'s> Renderer<'s> {
    /// The canonical absolute URL of a page directory ("countries/pk/").
    pub(super) fn absolute(&self, dir: &str) -> String {
        format!("{}{dir}", self.site.config.base_url)
    }

    /// The articles of a feed, newest first, dated ones only.
    pub(super) fn feed_articles(&self, feed: &Feed<'_>) -> Vec<usize> {
        let s = self.site;
        let list: Box<dyn Iterator<Item = usize>> = match feed {
            Feed::Site => Box::new(0..s.articles.len()),
            Feed::Country(c) => Box::new(s.by_country[c].iter().copied()),
            Feed::Topic(t) => Box::new(s.by_topic[*t].iter().copied()),
            Feed::Pair(p) => Box::new(s.by_pair[p].iter().copied()),
            Feed::Editions => return Vec::new(),
        };
        list.filter(|&i| s.articles[i].date.is_some())
            .take(s.config.feed_entries)
            .collect()
    }

    /// The editions of the editions feed, newest first.
    pub(super) fn feed_editions(&self) -> Vec<Date> {
        let keys = &self.derived.edition_keys;
        keys.iter()
            .rev()
            .take(self.site.config.feed_entries)
            .copied()
            .collect()
    }

    /// (title, page directory) of a feed.
    pub(super) fn feed_meta(&self, feed: &Feed<'_>) -> (String, String) {
        let site = &self.site.config.title;
        match feed {
            Feed::Site => (site.clone(), String::new()),
            Feed::Country(c) => (
                format!("{} · {site}", self.site.tagger.gazetteer.name(*c)),
                format!("countries/{}/", c.lower()),
            ),
            Feed::Topic(t) => (
                format!("{} · {site}", self.topic_ref(t).name),
                format!("topics/{t}/"),
            ),
            Feed::Pair(p) => (
                format!(
                    "{} – {} · {site}",
                    self.site.tagger.gazetteer.name(p.0),
                    self.site.tagger.gazetteer.name(p.1)
                ),
                Self::pair_dir(*p),
            ),
            Feed::Editions => (format!("Editions · {site}"), "editions/".into()),
        }
    }

    pub(super) fn feed_path(feed: &Feed<'_>) -> String {
        match feed {
            Feed::Site => "atom.xml".into(),
            Feed::Country(c) => format!("countries/{}/atom.xml", c.lower()),
            Feed::Topic(t) => format!("topics/{t}/atom.xml"),
            Feed::Pair(p) => format!("{}atom.xml", Self::pair_dir(*p)),
            Feed::Editions => "editions/atom.xml".into(),
        }
    }

    /// An Atom 1.0 feed.
    pub(super) fn atom(&self, feed: &Feed<'_>) -> String {
        let c = &self.site.config;
        let (title, dir) = self.feed_meta(feed);
        let self_url = self.absolute(&Self::feed_path(feed));
        let mut entries = String::new();
        let mut updated: Option<String> = None;
        if let Feed::Editions = feed {
            for d in self.feed_editions() {
                let e = self.edition_entry(d);
                updated = updated.max(Some(e.0.clone()));
                entries.push_str(&e.1);
            }
        } else {
            for i in self.feed_articles(feed) {
                // An article is in several feeds: its entry is made once.
                let (when, xml) =
                    self.entries[i].get_or_init(|| self.article_entry(&self.site.articles[i]));
                updated = updated.max(Some(when.clone()));
                entries.push_str(xml);
            }
        }
        let mut out = String::with_capacity(entries.len() + 1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = write!(
            out,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n",
            xml(&c.language),
            xml(&title)
        );
        if !c.description.is_empty() {
            let _ = writeln!(out, "<subtitle>{}</subtitle>", xml(&c.description));
        }
        let _ = write!(
            out,
            "<id>{}</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<generator uri=\"https://crates.io/crates/milbrief\" version=\"{}\">milbrief</generator>\n",
            xml(&self_url),
            xml(&self_url),
            xml(&self.absolute(&dir)),
            updated.unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
            xml(&c.title),
            env!("CARGO_PKG_VERSION"),
        );
        out.push_str(&entries);
        out.push_str("</feed>\n");
        out
    }

    /// (updated, entry XML) of an article.
    fn article_entry(&self, a: &Article) -> (String, String) {
        let url = self.absolute(&Self::article_dir(a));
        let when = a.date.map_or_else(String::new, |d| stamp(d, a.time));
        let mut e = String::with_capacity(a.body_html.len() * 5 / 4 + 512);
        let _ = write!(
            e,
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{when}</published>\n<updated>{when}</updated>\n",
            xml(&a.title),
            xml(&url),
            xml(&url),
        );
        if let Some(name) = a.author.as_deref().or(a.source.as_deref()) {
            let _ = writeln!(e, "<author><name>{}</name></author>", xml(name));
        }
        for c in &a.countries {
            let _ = writeln!(
                e,
                "<category term=\"{}\" label=\"{}\" scheme=\"{}\"/>",
                c,
                xml(&self.site.tagger.gazetteer.name(*c)),
                xml(&self.absolute("countries/"))
            );
        }
        for t in &a.topics {
            let _ = writeln!(
                e,
                "<category term=\"{}\" label=\"{}\" scheme=\"{}\"/>",
                xml(t),
                xml(&self.topic_ref(t).name),
                xml(&self.absolute("topics/"))
            );
        }
        if !a.summary_text.is_empty() {
            let _ = writeln!(e, "<summary>{}</summary>", xml(&a.summary_text));
        }
        // Relative links in the body resolve against the article's page.
        let _ = write!(
            e,
            "<content type=\"html\" xml:base=\"{}\">{}</content>\n</entry>\n",
            xml(&url),
            xml(&a.body_html)
        );
        (when, e)
    }

    /// (updated, entry XML) of an edition: its glance and headlines.
    fn edition_entry(&self, start: Date) -> (String, String) {
        let s = self.site;
        let c = &s.config;
        let name = edition_name(start, c);
        let url = self.absolute(&format!(
            "editions/{}/",
            crate::index::edition_slug(start, c)
        ));
        let list = &s.by_edition[&start];
        let when = list
            .iter()
            .filter_map(|&i| s.articles[i].date.map(|d| stamp(d, s.articles[i].time)))
            .max()
            .unwrap_or_else(|| stamp(start, None));
        let range = super::digest::date_range(start, edition_end(start, c));
        let mut html = format!(
            "<p>{} article{} · {}</p>\n<ul>\n",
            list.len(),
            if list.len() == 1 { "" } else { "s" },
            xml(&range)
        );
        for &i in list {
            let a = &s.articles[i];
            let _ = writeln!(
                html,
                "<li><a href=\"{}\">{}</a>{}</li>",
                xml(&self.absolute(&Self::article_dir(a))),
                xml(&a.title),
                a.source
                    .as_deref()
                    .map(|src| format!(" — {}", xml(src)))
                    .unwrap_or_default()
            );
        }
        html.push_str("</ul>\n");
        let summary = format!("{} articles, {range}", list.len());
        let e = format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{when}</updated>\n<summary>{}</summary>\n<content type=\"html\">{}</content>\n</entry>\n",
            xml(&name),
            xml(&url),
            xml(&url),
            xml(&summary),
            xml(&html)
        );
        (when, e)
    }

    /// The search index: titles, dates, tags and links of every article;
    /// summaries go in shards loaded after it.
    pub(super) fn search_index(&self) -> String {
        let s = self.site;
        let countries: Vec<_> = s.by_country.keys().copied().collect();
        let topics: Vec<&str> = s.by_topic.keys().map(String::as_str).collect();
        let mut by_name: Vec<(String, usize)> = countries
            .iter()
            .enumerate()
            .map(|(k, c)| (s.tagger.gazetteer.name(*c), k))
            .collect();
        by_name.sort();
        // Facet lists sorted by name; articles refer to them by position.
        let mut c_pos = vec![0usize; countries.len()];
        for (pos, (_, k)) in by_name.iter().enumerate() {
            c_pos[*k] = pos;
        }
        let mut t_sorted: Vec<(String, usize)> = topics
            .iter()
            .enumerate()
            .map(|(k, t)| (self.topic_ref(t).name, k))
            .collect();
        t_sorted.sort();
        let mut t_pos = vec![0usize; topics.len()];
        for (pos, (_, k)) in t_sorted.iter().enumerate() {
            t_pos[*k] = pos;
        }
        let articles: Vec<serde_json::Value> = s
            .articles
            .iter()
            .map(|a| {
                let cs: Vec<usize> = a
                    .countries
                    .iter()
                    .filter_map(|c| countries.binary_search(c).ok().map(|k| c_pos[k]))
                    .collect();
                let ts: Vec<usize> = a
                    .topics
                    .iter()
                    .filter_map(|t| topics.binary_search(&t.as_str()).ok().map(|k| t_pos[k]))
                    .collect();
                json!([
                    a.title,
                    a.date.map(|d| d.to_string()).unwrap_or_default(),
                    cs,
                    ts,
                    self.link(&Self::article_dir(a)),
                    a.source.as_deref().unwrap_or(""),
                ])
            })
            .collect();
        let shards: Vec<String> = (0..s.articles.len().div_ceil(SEARCH_SHARD))
            .map(|k| format!("search/summaries-{k}.json"))
            .collect();
        let index = json!({
            "v": 1,
            "countries": by_name.iter().map(|(n, k)| json!([countries[*k].to_string(), n])).collect::<Vec<_>>(),
            "topics": t_sorted.iter().map(|(n, k)| json!([topics[*k], n])).collect::<Vec<_>>(),
            "articles": articles,
            "summaries": {"size": SEARCH_SHARD, "shards": shards},
        });
        json_for_html(&index.to_string())
    }

    pub(super) fn search_shard(&self, k: usize) -> String {
        let s = self.site;
        let lo = (k * SEARCH_SHARD).min(s.articles.len());
        let hi = (lo + SEARCH_SHARD).min(s.articles.len());
        let v: Vec<String> = s.articles[lo..hi]
            .iter()
            .map(|a| trim_words(&a.summary_text, SEARCH_SUMMARY))
            .collect();
        json_for_html(&serde_json::to_string(&v).unwrap_or_else(|_| "[]".into()))
    }

    pub(super) fn sitemap(&self, part: usize, urls: &[(String, Option<Date>)]) -> String {
        sitemap_xml(&self.site.config.base_url, part, urls, SITEMAP_URLS)
    }

    pub(super) fn robots(&self) -> String {
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            self.absolute("sitemap.xml")
        )
    }
}

/// `sitemap.xml`: the URLs of every page (directories relative to `base`),
/// or when they pass `limit` an index of `sitemap-N.xml` files; `part` 0 is
/// `sitemap.xml`, `part` k the k-th file of a split sitemap.
fn sitemap_xml(base: &str, part: usize, urls: &[(String, Option<Date>)], limit: usize) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let parts = urls.len().div_ceil(limit);
    if part == 0 && parts > 1 {
        out.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for k in 1..=parts {
            let _ = writeln!(
                out,
                "<sitemap><loc>{}</loc></sitemap>",
                xml(&format!("{base}sitemap-{k}.xml"))
            );
        }
        out.push_str("</sitemapindex>\n");
        return out;
    }
    let range = if part == 0 {
        0..urls.len()
    } else {
        let lo = ((part - 1) * limit).min(urls.len());
        lo..(lo + limit).min(urls.len())
    };
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (dir, date) in &urls[range] {
        let _ = write!(out, "<url><loc>{}</loc>", xml(&format!("{base}{dir}")));
        if let Some(d) = date {
            let _ = write!(out, "<lastmod>{d}</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn sitemaps_split_into_an_index_past_the_limit() {
        let urls: Vec<(String, Option<Date>)> = (0..5)
            .map(|i| {
                (
                    format!("articles/a{i}/"),
                    Some(jiff::civil::date(2023, 10, 1 + i as i8)),
                )
            })
            .collect();
        let whole = sitemap_xml("https://x.org/", 0, &urls, 10);
        assert_eq!(whole.matches("<url>").count(), 5);
        assert!(
            whole.contains("<loc>https://x.org/articles/a0/</loc><lastmod>2023-10-01</lastmod>")
        );
        let index = sitemap_xml("https://x.org/", 0, &urls, 2);
        assert!(index.contains("<sitemapindex"));
        assert_eq!(index.matches("<sitemap>").count(), 3);
        assert!(index.contains("<loc>https://x.org/sitemap-3.xml</loc>"));
        let parts: Vec<String> = (1..=3)
            .map(|k| sitemap_xml("https://x.org/", k, &urls, 2))
            .collect();
        assert_eq!(
            parts
                .iter()
                .map(|p| p.matches("<url>").count())
                .collect::<Vec<_>>(),
            [2, 2, 1]
        );
        assert!(parts[2].contains("articles/a4/"));
    }

    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml("<a href=\"x\">R&D's</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&apos;s&lt;/a&gt;"
        );
        assert_eq!(xml("Türkiye — ok\u{FFFE}"), "Türkiye — ok");
        assert_eq!(xml(""), "");
    }

    #[test]
    fn json_is_inert_in_html_and_means_the_same() {
        let v = serde_json::json!(["<script>a & b</script>"]);
        let s = json_for_html(&v.to_string());
        assert!(!s.contains('<') && !s.contains('&'));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }

    #[test]
    fn summaries_are_trimmed_at_words() {
        assert_eq!(trim_words("short", 10), "short");
        assert_eq!(trim_words("one two three four", 10), "one two…");
    }

    #[test]
    fn stamps_are_rfc3339() {
        let d = jiff::civil::date(2023, 10, 17);
        assert_eq!(stamp(d, None), "2023-10-17T00:00:00Z");
        assert_eq!(
            stamp(d, Some(jiff::civil::time(9, 5, 0, 0))),
            "2023-10-17T09:05:00Z"
        );
    }
}

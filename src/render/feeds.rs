//! Machine-read outputs: Atom feeds, the sitemap, robots.txt and the search
//! index, made from what their pages' inputs give. They are written directly, not through templates, so their
//! escaping is exact and their shape fixed.

use std::fmt::Write as _;

use jiff::civil::Date;
use serde_json::json;

use super::cards::{Cards, Times};
use super::fixed::Fixed;
use crate::index::edition_end;
use crate::model::{Article, CountryCode, When};
use crate::sources::Outlet;
use crate::urls;

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

/// RFC 3339 timestamp of an article, in UTC (midnight UTC when it has no
/// time).
fn stamp(when: When) -> String {
    when.rfc3339_utc()
}

/// The stamp of a date alone.
fn day_stamp(date: Date) -> String {
    stamp(When {
        date,
        time: None,
        offset: None,
    })
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

/// An Atom 1.0 feed titled `title`, of the page at `dir`, at `path`, of
/// `entries` ((updated, entry XML), newest first).
pub(super) fn atom<'e>(
    f: &Fixed<'_>,
    title: &str,
    dir: &str,
    path: &str,
    entries: impl IntoIterator<Item = &'e (String, String)>,
) -> String {
    let c = f.config;
    let self_url = f.urls.absolute(path);
    let mut body = String::new();
    let mut updated: Option<&str> = None;
    for (when, xml) in entries {
        updated = updated.max(Some(when.as_str()));
        body.push_str(xml);
    }
    let mut out = String::with_capacity(body.len() + 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = write!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n",
        xml(&c.language),
        xml(title)
    );
    if !c.description.is_empty() {
        let _ = writeln!(out, "<subtitle>{}</subtitle>", xml(&c.description));
    }
    let _ = write!(
        out,
        "<id>{}</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<generator uri=\"https://crates.io/crates/milbrief\" version=\"{}\">milbrief</generator>\n",
        xml(&self_url),
        xml(&self_url),
        xml(&f.urls.absolute(dir)),
        updated.unwrap_or("1970-01-01T00:00:00Z"),
        xml(&c.title),
        env!("CARGO_PKG_VERSION"),
    );
    out.push_str(&body);
    out.push_str("</feed>\n");
    out
}

/// (updated, entry XML) of an article whose body is `body`.
/// `updated`: when the article's story last grew (a later report), if it
/// did; else the entry is updated when it was published.
pub(super) fn article_entry(
    f: &Fixed<'_>,
    a: &Article,
    body: &str,
    updated: Option<When>,
) -> (String, String) {
    let url = f.urls.absolute(&urls::article(&a.slug));
    let when = a.when().map_or_else(String::new, stamp);
    let last = updated.map_or_else(|| when.clone(), stamp);
    let mut e = String::with_capacity(body.len() * 5 / 4 + 512);
    let _ = write!(
        e,
        "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{when}</published>\n<updated>{last}</updated>\n",
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
            xml(&f.name(*c)),
            xml(&f.urls.absolute(urls::COUNTRIES))
        );
    }
    for t in &a.topics {
        let _ = writeln!(
            e,
            "<category term=\"{}\" label=\"{}\" scheme=\"{}\"/>",
            xml(t),
            xml(&f.topic_ref(t).name),
            xml(&f.urls.absolute(urls::TOPICS))
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
        xml(body)
    );
    (when, e)
}

/// (updated, entry XML) of the edition starting on `start`: its glance and
/// headlines (`cards`, at the times `times`).
pub(super) fn edition_entry(
    f: &Fixed<'_>,
    start: Date,
    cards: &Cards<'_>,
    times: &Times<'_>,
) -> (String, String) {
    let c = f.config;
    let name = urls::edition_name(start, c);
    let url = f.urls.absolute(&urls::edition(start, c));
    let n = cards.len();
    let when = times
        .when()
        .flatten()
        .map(stamp)
        .max()
        .unwrap_or_else(|| day_stamp(start));
    let range = super::digest::date_range(start, edition_end(start, c));
    let mut html = format!(
        "<p>{} article{} · {}</p>\n<ul>\n",
        n,
        if n == 1 { "" } else { "s" },
        xml(&range)
    );
    for a in cards.inputs() {
        let _ = writeln!(
            html,
            "<li><a href=\"{}\">{}</a>{}</li>",
            xml(&f.urls.absolute(&urls::article(a.slug))),
            xml(a.title),
            a.source
                .map(|src| format!(" — {}", xml(src)))
                .unwrap_or_default()
        );
    }
    html.push_str("</ul>\n");
    let summary = format!("{n} articles, {range}");
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

/// The search index: titles, dates, tags, sources and links of every
/// article (`all`); summaries go in shards loaded after it. `countries`,
/// `topics` and `outlets` are the site's, ascending.
pub(super) fn search_index(
    f: &Fixed<'_>,
    all: &Cards<'_>,
    countries: &[CountryCode],
    topics: &[&str],
    outlets: &[Outlet],
) -> String {
    let mut by_name: Vec<(String, usize)> = countries
        .iter()
        .enumerate()
        .map(|(k, c)| (f.name(*c), k))
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
        .map(|(k, t)| (f.topic_ref(t).name, k))
        .collect();
    t_sorted.sort();
    let mut t_pos = vec![0usize; topics.len()];
    for (pos, (_, k)) in t_sorted.iter().enumerate() {
        t_pos[*k] = pos;
    }
    // Sources by name, as the facet lists them.
    let mut o_sorted: Vec<(String, usize)> = outlets
        .iter()
        .enumerate()
        .map(|(k, o)| (o.name.to_lowercase(), k))
        .collect();
    o_sorted.sort();
    let mut o_pos = vec![0usize; outlets.len()];
    for (pos, (_, k)) in o_sorted.iter().enumerate() {
        o_pos[*k] = pos;
    }
    let articles: Vec<serde_json::Value> = all
        .inputs()
        .map(|a| {
            let name = a.outlet.map(|o| o.name.as_str()).or(a.source);
            let facet = a
                .outlet
                .and_then(|o| outlets.binary_search_by(|x| x.slug.cmp(&o.slug)).ok())
                .map(|k| o_pos[k]);
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
                f.link(&urls::article(a.slug)),
                name.unwrap_or(""),
                facet,
            ])
        })
        .collect();
    let shards: Vec<String> = (0..all.len().div_ceil(SEARCH_SHARD))
        .map(urls::search_shard)
        .collect();
    let index = json!({
        "v": 1,
        "countries": by_name.iter().map(|(n, k)| json!([countries[*k].to_string(), n])).collect::<Vec<_>>(),
        "topics": t_sorted.iter().map(|(n, k)| json!([topics[*k], n])).collect::<Vec<_>>(),
        "sources": o_sorted.iter().map(|(_, k)| json!([outlets[*k].slug, outlets[*k].name])).collect::<Vec<_>>(),
        "articles": articles,
        "summaries": {"size": SEARCH_SHARD, "shards": shards},
    });
    json_for_html(&index.to_string())
}

/// A shard of the search index: the summaries of `cards`.
pub(super) fn search_shard(cards: &Cards<'_>) -> String {
    let v: Vec<String> = cards
        .inputs()
        .map(|a| trim_words(a.summary_text, SEARCH_SUMMARY))
        .collect();
    json_for_html(&serde_json::to_string(&v).unwrap_or_else(|_| "[]".into()))
}

/// `robots.txt`: everything allowed, and where the sitemap is.
pub(super) fn robots(f: &Fixed<'_>) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        f.urls.absolute(urls::SITEMAP)
    )
}

/// `sitemap.xml`: the URLs of every page (directories relative to `base`),
/// or when they pass `limit` an index of `sitemap-N.xml` files; `part` 0 is
/// `sitemap.xml`, `part` k the k-th file of a split sitemap.
pub(super) fn sitemap_xml(
    base: &str,
    part: usize,
    urls: &[(String, Option<When>)],
    limit: usize,
) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let parts = urls.len().div_ceil(limit);
    if part == 0 && parts > 1 {
        out.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for k in 1..=parts {
            let _ = writeln!(
                out,
                "<sitemap><loc>{}</loc></sitemap>",
                xml(&format!("{base}{}", urls::sitemap_part(k)))
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
    for (dir, when) in &urls[range] {
        let _ = write!(out, "<url><loc>{}</loc>", xml(&format!("{base}{dir}")));
        if let Some(w) = when {
            let _ = write!(out, "<lastmod>{}</lastmod>", w.w3c());
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
        let urls: Vec<(String, Option<When>)> = (0..5)
            .map(|i| {
                let when = When {
                    date: jiff::civil::date(2023, 10, 1 + i as i8),
                    time: (i == 4).then(|| jiff::civil::time(0, 30, 0, 0)),
                    offset: jiff::tz::Offset::from_seconds(14 * 3600).ok(),
                };
                (format!("articles/a{i}/"), Some(when))
            })
            .collect();
        let whole = sitemap_xml("https://x.org/", 0, &urls, 10);
        assert_eq!(whole.matches("<url>").count(), 5);
        assert!(
            whole.contains("<loc>https://x.org/articles/a0/</loc><lastmod>2023-10-01</lastmod>")
        );
        // A time is given in UTC: the day before, fourteen hours ahead.
        assert!(
            whole.contains("<lastmod>2023-10-04T10:30:00Z</lastmod>"),
            "{whole}"
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
    fn stamps_are_rfc3339_in_utc() {
        let d = jiff::civil::date(2023, 10, 17);
        assert_eq!(day_stamp(d), "2023-10-17T00:00:00Z");
        let at = |offset| When {
            date: d,
            time: Some(jiff::civil::time(9, 5, 0, 0)),
            offset,
        };
        assert_eq!(stamp(at(None)), "2023-10-17T09:05:00Z");
        let east = jiff::tz::Offset::from_seconds(10 * 3600).ok();
        assert_eq!(stamp(at(east)), "2023-10-16T23:05:00Z");
    }
}

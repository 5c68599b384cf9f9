//! `config.toml`: a raw serde shape, validated into [`Config`].

use std::path::Path;

use anyhow::Context as _;
use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics, line_col};
use crate::error::Error;
use crate::layout::CONFIG_FILE;
use crate::markdown::MarkdownOptions;

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawConfig {
    title: String,
    description: String,
    base_url: String,
    language: String,
    per_page: i64,
    index_links: bool,
    related: i64,
    markdown: RawMarkdown,
    tagging: RawTagging,
    import: RawImport,
    editions: RawEditions,
    relations: RawRelations,
    feeds: RawFeeds,
    stories: RawStories,
    sections: Sections,
    #[serde(rename = "topic")]
    topics: Vec<TopicConfig>,
    /// A preset set of regions ("m49", "defense-desk").
    regions: String,
    /// The site's own regions, instead of a preset.
    region: Vec<crate::regions::RawRegion>,
    // Feed subscriptions, the network and sources (`milbrief import`).
    feed: Vec<crate::import::feed_config::RawFeed>,
    fetch: crate::import::feed_config::RawFetch,
    source: Vec<crate::sources::SourceEntry>,
}

impl Default for RawConfig {
    fn default() -> Self {
        Self {
            title: "Defense digest".into(),
            description: String::new(),
            base_url: "http://localhost/".into(),
            language: "en".into(),
            per_page: 20,
            index_links: true,
            related: 5,
            markdown: RawMarkdown::default(),
            tagging: RawTagging::default(),
            import: RawImport::default(),
            editions: RawEditions::default(),
            relations: RawRelations::default(),
            feeds: RawFeeds::default(),
            stories: RawStories::default(),
            sections: Sections::default(),
            topics: Vec::new(),
            regions: "m49".into(),
            region: Vec::new(),
            feed: Vec::new(),
            fetch: Default::default(),
            source: Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawMarkdown {
    unsafe_html: bool,
    /// The largest article file accepted, in KiB.
    max_article_kb: i64,
}

impl Default for RawMarkdown {
    fn default() -> Self {
        Self {
            unsafe_html: false,
            max_article_kb: crate::markdown::DEFAULT_MAX_ARTICLE_KB as i64,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawTagging {
    builtin_topics: bool,
    max_topics: i64,
    auto_tag: bool,
    min_relevance: f64,
    off_topic: String,
}

impl Default for RawTagging {
    fn default() -> Self {
        Self {
            builtin_topics: true,
            max_topics: 4,
            auto_tag: true,
            min_relevance: crate::tag::relevance::DEFAULT_MIN_RELEVANCE,
            off_topic: "hide".into(),
        }
    }
}

/// `[tagging] off_topic`: what a site does with articles below
/// `min_relevance` (not about defence and security).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffTopic {
    /// They keep their own pages (and country and topic pages) but stay
    /// out of editions and the front page.
    Hide,
    /// They are shown like any other article.
    Show,
}

/// `[import]`: settings of `milbrief import`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawImport {
    /// Line patterns of scraping debris, added to the built-in list.
    debris: Vec<String>,
}

/// `[editions]`: how articles are grouped into editions.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawEditions {
    /// The weekday an edition starts on ("monday" … "sunday").
    week_start: String,
    /// The length of an edition in days.
    days: i64,
    /// How many stories an edition leads with.
    top_stories: i64,
    /// How many stories each country's section of an edition shows.
    per_country: i64,
}

impl Default for RawEditions {
    fn default() -> Self {
        Self {
            week_start: "monday".into(),
            days: 7,
            top_stories: 10,
            per_country: 5,
        }
    }
}

/// `[stories]`: how articles are clustered into stories.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawStories {
    /// A story spans at most this many days from its first report (0:
    /// every article is a story of its own).
    window_days: i64,
}

impl Default for RawStories {
    fn default() -> Self {
        Self { window_days: 3 }
    }
}

/// `[relations]`: country-pair pages.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawRelations {
    /// A pair of countries gets a page when tagged together this often.
    min_pair_articles: i64,
}

impl Default for RawRelations {
    fn default() -> Self {
        Self {
            min_pair_articles: 2,
        }
    }
}

/// `[feeds]`: Atom feeds.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawFeeds {
    /// Entries per feed, newest first.
    entries: i64,
}

impl Default for RawFeeds {
    fn default() -> Self {
        Self { entries: 20 }
    }
}

/// `[sections]`: which families of pages the site has. The front page,
/// article pages, country and topic pages, the site feed, the sitemap and
/// the 404 page are always built.
#[derive(Clone, Debug, Deserialize, serde::Serialize, Hash, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Sections {
    /// Weekly editions and their index and feed.
    pub editions: bool,
    /// Country-pair pages and the relations index.
    pub relations: bool,
    /// Region pages (the countries index is grouped by region regardless).
    pub regions: bool,
    /// The search page and its index.
    pub search: bool,
    /// The monthly archive.
    pub archive: bool,
    /// A feed per country, topic and country pair.
    pub tag_feeds: bool,
    /// Charts and the coverage map.
    pub charts: bool,
    /// The sources index and a page (and, with `tag_feeds`, a feed) per
    /// source.
    pub sources: bool,
}

impl Default for Sections {
    fn default() -> Self {
        Self {
            editions: true,
            relations: true,
            regions: true,
            search: true,
            archive: true,
            tag_feeds: true,
            charts: true,
            sources: true,
        }
    }
}

/// A `[[topic]]` table: adds a topic, or changes a built-in one.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct TopicConfig {
    pub slug: String,
    pub name: Option<String>,
    pub description: Option<String>,
    /// `[phrase, weight]` pairs, added to the built-in rules.
    pub rules: Vec<(String, i32)>,
    /// Drop the built-in rules of this topic and use only `rules`.
    pub replace_rules: bool,
}

/// A validated site configuration.
#[derive(Clone, Debug)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute URL ending in `/`.
    pub base_url: String,
    pub language: String,
    pub per_page: usize,
    /// Internal links end in `index.html`, so the site browses from disk.
    pub index_links: bool,
    pub related: usize,
    pub markdown: MarkdownOptions,
    pub builtin_topics: bool,
    pub max_topics: usize,
    /// Infer tags for articles that do not give them.
    pub auto_tag: bool,
    /// Relevance below which an article is off-topic: it gets no security
    /// topic.
    pub min_relevance: f64,
    /// Whether off-topic articles are kept out of editions and the front
    /// page.
    pub off_topic: OffTopic,
    pub topics: Vec<TopicConfig>,
    /// Extra debris line patterns for `milbrief import` (`*` matches anything).
    pub import_debris: Vec<String>,
    /// The weekday editions start on.
    pub week_start: jiff::civil::Weekday,
    /// Edition length in days (7: weekly editions named by ISO week when
    /// they start on Monday).
    pub edition_days: u16,
    /// How many stories an edition leads with.
    pub top_stories: usize,
    /// How many stories each country's section of an edition shows.
    pub per_country: usize,
    /// A story spans at most this many days from its first report.
    pub story_days: u16,
    pub min_pair_articles: usize,
    pub feed_entries: usize,
    pub sections: Sections,
    /// The regions countries are grouped by: `regions = "…"` (a preset, M49
    /// by default) or the site's `[[region]]` tables.
    pub regions: std::sync::Arc<crate::regions::Regions>,
    /// `[[feed]]`: the feeds `milbrief import --feeds` reads.
    pub subscriptions: Vec<crate::import::feed_config::FeedConfig>,
    /// `[fetch]`: how `milbrief import` uses the network.
    pub fetch: crate::import::feed_config::FetchSettings,
    /// `[[source]]`: outlets added to, or changed in, the built-in list.
    pub sources: Vec<crate::sources::SourceEntry>,
}

impl Default for Config {
    fn default() -> Self {
        validate(RawConfig::default(), Path::new(CONFIG_FILE), "")
            .expect("the default configuration is valid")
    }
}

impl Config {
    /// Reads `root/config.toml`; a site without one gets the defaults.
    pub fn load(root: &Path) -> Result<Config, Error> {
        let path = root.join(CONFIG_FILE);
        let shown = Path::new(CONFIG_FILE);
        if !path.exists() {
            return Ok(Config::default());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Ok(Self::parse(&text, shown)?)
    }

    /// Parses and validates config text; `shown` names the file in errors.
    pub fn parse(text: &str, shown: &Path) -> Result<Config, Diagnostics> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = crate::diag::toml_message(e.message(), text, e.span());
            let mut d = Diagnostic::new(shown, message);
            if let Some(span) = e.span() {
                let (l, c) = line_col(text, span.start);
                d = d.at(l, c);
            }
            Diagnostics::from(d)
        })?;
        validate(raw, shown, text)
    }

    /// Overrides the base URL (from `--base-url` or the preview server).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), Diagnostics> {
        self.base_url = normalise_base_url(url)
            .map_err(|m| Diagnostics::from(Diagnostic::new("--base-url", m)))?;
        Ok(())
    }
}

fn validate(raw: RawConfig, shown: &Path, text: &str) -> Result<Config, Diagnostics> {
    let (regions, region_errs) = regions(&raw, shown, text);
    let mut errs = Diagnostics::default();
    let mut err_at = |key: &str, msg: String| {
        let mut d = Diagnostic::new(shown, msg);
        if let Some(pos) = find_key(text, key) {
            let (l, c) = line_col(text, pos);
            d = d.at(l, c);
        }
        errs.0.push(d);
    };
    let base_url = match normalise_base_url(&raw.base_url) {
        Ok(u) => u,
        Err(m) => {
            err_at("base_url", m);
            String::new()
        }
    };
    check_ranges(&raw, &mut err_at);
    check_topics(&raw.topics, &mut err_at);
    let off_topic = check_tagging(&raw.tagging, &mut err_at);
    for p in &raw.import.debris {
        if p.trim().trim_matches('*').trim().is_empty() {
            err_at(
                "debris",
                format!("[import] debris pattern {p:?} must have some text to match"),
            );
        }
    }
    let week_start = match parse_weekday(&raw.editions.week_start) {
        Some(w) => w,
        None => {
            err_at(
                "week_start",
                format!(
                    "[editions] week_start must be a weekday such as \"monday\", not {:?}",
                    raw.editions.week_start
                ),
            );
            jiff::civil::Weekday::Monday
        }
    };
    let subscriptions = crate::import::feed_config::validate_feeds(&raw.feed, &mut err_at);
    let fetch = crate::import::feed_config::validate_fetch(&raw.fetch, &mut err_at);
    if let Err(ms) = crate::sources::Sources::new(&raw.source) {
        for m in ms {
            err_at("name", m);
        }
    }
    errs.0.extend(region_errs);
    errs.into_result()?;
    Ok(Config {
        title: raw.title,
        description: raw.description,
        base_url,
        language: raw.language,
        per_page: raw.per_page as usize,
        index_links: raw.index_links,
        related: raw.related as usize,
        markdown: MarkdownOptions {
            unsafe_html: raw.markdown.unsafe_html,
            max_article_bytes: raw.markdown.max_article_kb as u64 * 1024,
        },
        builtin_topics: raw.tagging.builtin_topics,
        max_topics: raw.tagging.max_topics as usize,
        auto_tag: raw.tagging.auto_tag,
        min_relevance: raw.tagging.min_relevance,
        off_topic,
        topics: raw.topics,
        import_debris: raw.import.debris,
        week_start,
        edition_days: raw.editions.days as u16,
        top_stories: raw.editions.top_stories as usize,
        per_country: raw.editions.per_country as usize,
        story_days: raw.stories.window_days as u16,
        min_pair_articles: raw.relations.min_pair_articles as usize,
        feed_entries: raw.feeds.entries as usize,
        sections: raw.sections,
        regions,
        subscriptions,
        fetch,
        sources: raw.source,
    })
}

/// The site's regions: its `[[region]]` tables, or the preset `regions`
/// names (M49 by default), and what is wrong with them, each problem at
/// its table's `name` line or the `regions` line.
fn regions(
    raw: &RawConfig,
    shown: &Path,
    text: &str,
) -> (std::sync::Arc<crate::regions::Regions>, Vec<Diagnostic>) {
    use crate::regions::{PRESETS, Regions};
    let mut errs = Vec::new();
    let mut err = |pos: Option<usize>, msg: String| {
        let mut d = Diagnostic::new(shown, msg);
        if let Some(pos) = pos {
            let (l, c) = line_col(text, pos);
            d = d.at(l, c);
        }
        errs.push(d);
    };
    let preset = raw.regions.trim();
    let set = if !raw.region.is_empty() {
        if preset != "m49" {
            err(
                find_key(text, "regions"),
                format!(
                    "regions = {preset:?} and [[region]] tables both set the regions: keep one"
                ),
            );
        }
        Regions::from_tables(&raw.region).map_err(|ms| {
            for (name, m) in ms {
                err(table_name_at(text, &name), m);
            }
        })
    } else {
        Regions::preset(preset).ok_or_else(|| {
            let names: Vec<String> = PRESETS.iter().map(|p| format!("{p:?}")).collect();
            err(
                find_key(text, "regions"),
                format!(
                    "regions must be one of {}, not {preset:?} (or define your own with [[region]] tables)",
                    names.join(", ")
                ),
            );
        })
    };
    let set = set.unwrap_or_else(|()| Regions::m49());
    (std::sync::Arc::new(set), errs)
}

/// Where the `name = "…"` line of a `[[region]]` table is, else the first
/// `[[region]]` header.
fn table_name_at(text: &str, name: &str) -> Option<usize> {
    let mut pos = 0;
    let mut header = None;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if header.is_none() && t.starts_with("[[region]]") {
            header = Some(pos + (line.len() - t.len()));
        }
        if let Some(rest) = t.strip_prefix("name")
            && let Some(v) = rest.trim_start().strip_prefix('=')
            && v.trim().trim_matches(['"', '\'']).trim() == name
            && !name.is_empty()
        {
            return Some(pos + (line.len() - t.len()));
        }
        pos += line.len();
    }
    header
}

/// Each number of the configuration within its bounds; `err` reports one
/// that is not, at its key.
fn check_ranges(raw: &RawConfig, err: &mut impl FnMut(&str, String)) {
    // (key, name in messages, value, least, most, a note on the most)
    let ranges: [(&str, &str, i64, i64, i64, &str); 10] = [
        (
            "top_stories",
            "[editions] top_stories",
            raw.editions.top_stories,
            0,
            100,
            "",
        ),
        (
            "per_country",
            "[editions] per_country",
            raw.editions.per_country,
            1,
            1000,
            "",
        ),
        (
            "window_days",
            "[stories] window_days",
            raw.stories.window_days,
            0,
            31,
            "",
        ),
        ("per_page", "per_page", raw.per_page, 1, 10_000, ""),
        ("related", "related", raw.related, 0, 50, ""),
        (
            "max_topics",
            "max_topics",
            raw.tagging.max_topics,
            1,
            20,
            "",
        ),
        ("days", "[editions] days", raw.editions.days, 1, 31, ""),
        (
            "min_pair_articles",
            "[relations] min_pair_articles",
            raw.relations.min_pair_articles,
            1,
            10_000,
            "",
        ),
        ("entries", "[feeds] entries", raw.feeds.entries, 1, 1000, ""),
        (
            "max_article_kb",
            "[markdown] max_article_kb",
            raw.markdown.max_article_kb,
            1,
            1_048_576,
            " (1 GiB)",
        ),
    ];
    for (key, name, v, lo, hi, note) in ranges {
        if !(lo..=hi).contains(&v) {
            err(
                key,
                format!("{name} must be between {lo} and {hi}{note}, not {v}"),
            );
        }
    }
}

/// `[tagging] min_relevance` (0 to 1) and `off_topic` ("hide" or "show").
fn check_tagging(raw: &RawTagging, err: &mut impl FnMut(&str, String)) -> OffTopic {
    if !(0.0..=1.0).contains(&raw.min_relevance) {
        err(
            "min_relevance",
            format!(
                "[tagging] min_relevance must be between 0 and 1, not {}",
                raw.min_relevance
            ),
        );
    }
    match raw.off_topic.trim().to_ascii_lowercase().as_str() {
        "hide" => OffTopic::Hide,
        "show" => OffTopic::Show,
        other => {
            err(
                "off_topic",
                format!("[tagging] off_topic must be \"hide\" or \"show\", not {other:?}"),
            );
            OffTopic::Hide
        }
    }
}

/// The site's topic tables: slugs as slugs are written, rules with a
/// phrase and a weight from -3 to 3.
fn check_topics(topics: &[TopicConfig], err: &mut impl FnMut(&str, String)) {
    for t in topics {
        if t.slug.is_empty() || slug::slugify(&t.slug) != t.slug {
            err(
                "slug",
                format!(
                    "topic slug {:?} must be lower-case words joined by hyphens (e.g. {:?})",
                    t.slug,
                    slug::slugify(&t.slug)
                ),
            );
        }
        for (phrase, w) in &t.rules {
            if phrase.trim().is_empty() || !(-3..=3).contains(w) {
                err(
                    "rules",
                    format!(
                        "topic {:?}: rule [{phrase:?}, {w}] needs a phrase and a weight from -3 to 3",
                        t.slug
                    ),
                );
            }
        }
    }
}

fn parse_weekday(s: &str) -> Option<jiff::civil::Weekday> {
    use jiff::civil::Weekday::*;
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "monday" | "mon" => Monday,
        "tuesday" | "tue" => Tuesday,
        "wednesday" | "wed" => Wednesday,
        "thursday" | "thu" => Thursday,
        "friday" | "fri" => Friday,
        "saturday" | "sat" => Saturday,
        "sunday" | "sun" => Sunday,
        _ => return None,
    })
}

/// Byte offset of `key =` at the start of a line, for error positions.
fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(pos + (line.len() - t.len()));
        }
        pos += line.len();
    }
    None
}

fn normalise_base_url(url: &str) -> Result<String, String> {
    let parsed = crate::weburl::parse(url)
        .map_err(|why| format!("base_url must be an absolute http:// or https:// URL: {why}"))?;
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "base_url must not have a query or fragment (`?…`, `#…`), as in {:?}",
            url.trim()
        ));
    }
    let mut u = parsed.to_string();
    if !u.ends_with('/') {
        u.push('/');
    }
    Ok(u)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Config, Diagnostics> {
        Config::parse(t, Path::new("config.toml"))
    }

    #[test]
    fn defaults_apply() {
        let c = parse("title = \"T\"").unwrap();
        assert_eq!(c.title, "T");
        assert_eq!(c.per_page, 20);
        assert!(c.index_links);
        assert!(!c.markdown.unsafe_html);
    }

    #[test]
    fn regions_come_from_a_preset_or_the_sites_tables() {
        let tr = crate::model::CountryCode::new("TR").unwrap();
        let m49 = parse("title = \"T\"").unwrap();
        assert_eq!(m49.regions.place(tr).unwrap().region, "Asia");
        let desk = parse("regions = \"defense-desk\"").unwrap();
        assert_eq!(
            desk.regions.place(tr).unwrap().region,
            "Middle East & North Africa"
        );
        let own = parse("[[region]]\nname = \"Near\"\ncountries = [\"TR\"]\n").unwrap();
        assert_eq!(own.regions.place(tr).unwrap().region, "Near");
        let e = parse("title = \"T\"\nregions = \"un\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("config.toml:2:1:"), "{e}");
        assert!(e.contains("\"m49\", \"defense-desk\""), "{e}");
        let e = parse("[[region]]\nname = \"Near\"\ncountries = [\"TR\", \"Narnia\"]\n[[region]]\nname = \"Far\"\nparent = \"Nowhere\"\n")
            .unwrap_err()
            .to_string();
        // Each at its table's name line, all at once.
        assert!(
            e.contains("config.toml:2:1: [[region]] \"Near\": \"Narnia\""),
            "{e}"
        );
        assert!(
            e.contains("config.toml:5:1: [[region]] \"Far\": parent \"Nowhere\""),
            "{e}"
        );
    }

    #[test]
    fn unknown_keys_are_errors_with_position() {
        let e = parse("title = \"T\"\ntitel = \"x\"\n").unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("config.toml:2:1:"), "{s}");
        assert!(s.contains("titel"), "{s}");
    }

    #[test]
    fn base_url_is_checked_and_normalised() {
        assert_eq!(
            parse("base_url = \"https://a.example/x\"")
                .unwrap()
                .base_url,
            "https://a.example/x/"
        );
        let e = parse("\nbase_url = \"ftp://x\"").unwrap_err().to_string();
        assert!(e.starts_with("config.toml:2:1: base_url"), "{e}");
    }

    #[test]
    fn topic_tables_parse() {
        let c =
            parse("[[topic]]\nslug = \"drones\"\nname = \"Drones\"\nrules = [[\"drone*\", 3]]\n")
                .unwrap();
        assert_eq!(c.topics[0].rules, vec![("drone*".to_string(), 3)]);
        assert!(parse("[[topic]]\nslug = \"Bad Slug\"\n").is_err());
        assert!(parse("[[topic]]\nslug = \"x\"\nrules = [[\"a\", 9]]\n").is_err());
    }

    #[test]
    fn digest_settings_parse_and_are_checked() {
        let c = parse("").unwrap();
        assert_eq!(c.week_start, jiff::civil::Weekday::Monday);
        assert_eq!(
            (c.edition_days, c.min_pair_articles, c.feed_entries),
            (7, 2, 20)
        );
        assert!(c.sections.editions && c.sections.search);
        let c = parse(
            "[editions]\nweek_start = \"Saturday\"\ndays = 14\n[relations]\nmin_pair_articles = 3\n[sections]\nsearch = false\n",
        )
        .unwrap();
        assert_eq!(c.week_start, jiff::civil::Weekday::Saturday);
        assert_eq!((c.edition_days, c.min_pair_articles), (14, 3));
        assert!(!c.sections.search && c.sections.editions);
        let e = parse("[editions]\nweek_start = \"someday\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("config.toml:2:1: [editions] week_start"),
            "{e}"
        );
        assert!(parse("[editions]\ndays = 0\n").is_err());
        assert!(parse("[feeds]\nentries = 0\n").is_err());
        assert!(parse("[sections]\nmaps = true\n").is_err());
    }

    #[test]
    fn relevance_settings_parse_and_are_checked() {
        let c = parse("").unwrap();
        assert_eq!(c.min_relevance, 0.3);
        assert_eq!(c.off_topic, OffTopic::Hide);
        let c = parse("[tagging]\nmin_relevance = 0.5\noff_topic = \"show\"\n").unwrap();
        assert_eq!((c.min_relevance, c.off_topic), (0.5, OffTopic::Show));
        let e = parse("[tagging]\nmin_relevance = 1.5\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("config.toml:2:1: [tagging] min_relevance"),
            "{e}"
        );
        let e = parse("[tagging]\noff_topic = \"drop\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("off_topic must be \"hide\" or \"show\""), "{e}");
    }

    #[test]
    fn import_debris_extends_the_rules() {
        assert!(parse("").unwrap().import_debris.is_empty());
        let c = parse("[import]\ndebris = [\"Download our app*\"]\n").unwrap();
        assert_eq!(c.import_debris, ["Download our app*"]);
        let e = parse("[import]\ndebris = [\" * \"]\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("config.toml:2:1: [import] debris"), "{e}");
        assert!(parse("[import]\ndebri = []\n").is_err());
    }
}

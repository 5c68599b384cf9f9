//! Every URL of the site, in one place: where each kind of page lives in
//! the output, the link other pages use for it, its feed, and its
//! canonical URL. The renderer, the feeds, the sitemap, the search index,
//! `check` and the preview server all ask here.
//!
//! A page lives in a directory, named relative to the site root and ending
//! in `/` (`"countries/pk/"`; `""` for the front page), as the file
//! `index.html` in it. Links are relative to the site root too; pages put
//! their `root` (`"../../"`) before them.
//!
//! ```text
//! ""                          front page (page 2: "page/2/")
//! articles/{slug}/            an article
//! countries/, countries/{cc}/ countries, a country (cc lower-case)
//! topics/, topics/{slug}/     topics, a topic
//! archive/, archive/{y}/{mm}/ the archive, a month
//! editions/, editions/{e}/    editions, an edition ("2023-w42")
//! relations/, relations/{a}-{b}/  country pairs, a pair
//! regions/{slug}/             a region
//! sources/, sources/{slug}/   sources, a source
//! search/                     the search page
//! {page}page/{n}/             page n of a paged listing
//! {page}atom.xml              the Atom feed of a page
//! flags/{cc}.svg             a country's flag
//! search/index.json, search/summaries-{k}.json, sitemap.xml,
//! sitemap-{k}.xml, robots.txt, 404.html
//! search/index.js, search/summaries-{k}.js   the search files as scripts
//! ```

use jiff::civil::Date;

use crate::config::Config;
use crate::model::CountryCode;

pub const COUNTRIES: &str = "countries/";
pub const TOPICS: &str = "topics/";
pub const ARCHIVE: &str = "archive/";
pub const EDITIONS: &str = "editions/";
pub const RELATIONS: &str = "relations/";
pub const SEARCH: &str = "search/";
pub const SOURCES: &str = "sources/";

/// The file a page directory is served from.
pub const INDEX_FILE: &str = "index.html";
pub const NOT_FOUND: &str = "404.html";
pub const SEARCH_INDEX: &str = "search/index.json";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";

/// An article's page.
pub fn article(slug: &str) -> String {
    format!("articles/{slug}/")
}

/// A country's page.
pub fn country(c: CountryCode) -> String {
    format!("{COUNTRIES}{}/", c.lower())
}

/// A topic's page.
pub fn topic(slug: &str) -> String {
    format!("{TOPICS}{slug}/")
}

/// A month of the archive.
pub fn month((year, month): (i16, i8)) -> String {
    format!("{ARCHIVE}{year}/{month:02}/")
}

/// The page of the edition starting on `start`.
pub fn edition(start: Date, config: &Config) -> String {
    format!("{EDITIONS}{}/", edition_slug(start, config))
}

/// The page of two countries (codes ascending).
pub fn pair((a, b): (CountryCode, CountryCode)) -> String {
    format!("{RELATIONS}{}-{}/", a.lower(), b.lower())
}

/// A source's page.
pub fn source(slug: &str) -> String {
    format!("{SOURCES}{slug}/")
}

/// A region's page.
pub fn region(slug: &str) -> String {
    format!("regions/{slug}/")
}

/// Page `page` (from 1) of the listing at `base`.
pub fn paged(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// The file of the page at `dir`.
pub fn page_file(dir: &str) -> String {
    format!("{dir}{INDEX_FILE}")
}

/// The Atom feed of the page at `dir` (the site's own for `""`).
pub fn feed(dir: &str) -> String {
    format!("{dir}atom.xml")
}

/// Shard `k` of the search index's summaries.
pub fn search_shard(k: usize) -> String {
    format!("search/summaries-{k}.json")
}

/// A search file's script form (`search/index.js` for `search/index.json`),
/// which a page opened from disk loads with a `<script>` element where it
/// cannot fetch the JSON.
pub fn search_script(json: &str) -> String {
    format!("{}.js", json.strip_suffix(".json").unwrap_or(json))
}

/// A country's flag, an SVG file.
pub fn flag(c: CountryCode) -> String {
    format!("flags/{}.svg", c.lower())
}

/// File `k` (from 1) of a sitemap split in several.
pub fn sitemap_part(k: usize) -> String {
    format!("sitemap-{k}.xml")
}

/// Weekly editions starting on Monday are ISO weeks, named "2023-w42";
/// others are named by their first day, "2023-10-14".
fn iso_weekly(config: &Config) -> bool {
    config.edition_days == 7 && config.week_start == jiff::civil::Weekday::Monday
}

/// The URL segment of the edition starting on `start`.
pub fn edition_slug(start: Date, config: &Config) -> String {
    if iso_weekly(config) {
        let w = start.iso_week_date();
        format!("{}-w{:02}", w.year(), w.week())
    } else {
        start.to_string()
    }
}

/// A short name: "Week 42, 2023", or "14 Oct 2023" for other editions.
pub fn edition_name(start: Date, config: &Config) -> String {
    if iso_weekly(config) {
        let w = start.iso_week_date();
        format!("Week {}, {}", w.week(), w.year())
    } else {
        start.strftime("%-d %b %Y").to_string()
    }
}

/// The path from a page at `dir` up to the site root: `"../"` once per
/// directory (`""` for the front page).
pub fn up(dir: &str) -> String {
    "../".repeat(dir.matches('/').count())
}

/// How links and canonical URLs are written on a site: its base URL, and
/// whether links name `index.html` (so that the site browses from disk).
#[derive(Clone, Debug)]
pub struct Urls {
    base_url: String,
    index_links: bool,
}

impl Urls {
    pub fn new(config: &Config) -> Urls {
        Urls {
            base_url: config.base_url.clone(),
            index_links: config.index_links,
        }
    }

    /// The link to the page at `dir`, relative to the site root
    /// ("countries/pk/" or "countries/pk/index.html").
    pub fn link(&self, dir: &str) -> String {
        if self.index_links {
            page_file(dir)
        } else {
            dir.to_string()
        }
    }

    /// The absolute URL of a page directory or file.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The path part of the base URL ("https://a.org/digest/" →
    /// "/digest/"): the root of pages served at any depth (404).
    pub fn base_path(&self) -> String {
        let base = &self.base_url;
        let rest = base.split_once("://").map_or(base.as_str(), |(_, r)| r);
        match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_live_in_directories() {
        let pk = CountryCode::new("pk").unwrap();
        let ru = CountryCode::new("RU").unwrap();
        assert_eq!(country(pk), "countries/pk/");
        assert_eq!(pair((pk, ru)), "relations/pk-ru/");
        assert_eq!(month((2023, 9)), "archive/2023/09/");
        assert_eq!(paged(&topic("arms-trade"), 1), "topics/arms-trade/");
        assert_eq!(paged("", 3), "page/3/");
        assert_eq!(feed(&country(pk)), "countries/pk/atom.xml");
        assert_eq!(feed(""), "atom.xml");
        assert_eq!(up("countries/pk/page/2/"), "../../../../");
        assert_eq!(up(""), "");
        let c = Config::default();
        assert_eq!(
            edition(jiff::civil::date(2023, 10, 16), &c),
            "editions/2023-w42/"
        );
    }

    #[test]
    fn links_follow_the_configuration() {
        let mut c = Config::default();
        c.set_base_url("https://a.org/digest/").unwrap();
        let u = Urls::new(&c);
        assert_eq!(u.link("topics/"), "topics/index.html");
        assert_eq!(u.absolute("topics/"), "https://a.org/digest/topics/");
        assert_eq!(u.base_path(), "/digest/");
        c.index_links = false;
        assert_eq!(Urls::new(&c).link("topics/"), "topics/");
        c.set_base_url("https://a.org").unwrap();
        assert_eq!(Urls::new(&c).base_path(), "/");
    }
}

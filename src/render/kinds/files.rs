//! Files for machines: the search index and its summary shards, the
//! sitemap, and robots.txt.

use super::Changed;
use crate::model::{CountryCode, Unreadable};
use crate::render::Renderer;
use crate::render::cards::{Cards, Ids};
use crate::render::feeds::{
    SEARCH_SHARD, SITEMAP_URLS, robots, search_index, search_shard, sitemap_xml,
};
use crate::render::fixed::Fixed;
use crate::render::page::{Kind, Made, Page};
use crate::urls;

/// The search index: every article's title, date, tags and link.
pub(in crate::render) struct SearchIndex;

#[derive(Hash)]
pub(in crate::render) struct SearchIndexInputs<'r> {
    all: Cards<'r>,
    countries: Vec<CountryCode>,
    topics: Vec<&'r str>,
}

impl Kind for SearchIndex {
    type Key = ();
    type Inputs<'r> = SearchIndexInputs<'r>;
    const IN_SITEMAP: bool = false;

    fn each(r: &Renderer<'_>, out: &mut Vec<()>) {
        if r.site.config.sections.search {
            out.push(());
        }
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<()>) -> Option<()> {
        if r.site.config.sections.search && !changed.is_empty() {
            out.push(());
        }
        Some(())
    }

    fn path(_: &Renderer<'_>, _: ()) -> String {
        urls::SEARCH_INDEX.to_string()
    }

    fn inputs<'r>(r: &'r Renderer<'_>, _: ()) -> SearchIndexInputs<'r> {
        SearchIndexInputs {
            all: Cards::new(r, Ids::Range(0, r.site.articles.len())),
            countries: r.site.by_country.keys().copied().collect(),
            topics: r.topics.clone(),
        }
    }

    fn make(f: &Fixed<'_>, i: SearchIndexInputs<'_>) -> Result<Made, Unreadable> {
        Ok(Made::File(
            search_index(f, &i.all, &i.countries, &i.topics).into_bytes(),
        ))
    }
}

/// A shard of the search index's summaries.
pub(in crate::render) struct SearchShard;

#[derive(Hash)]
pub(in crate::render) struct SearchShardInputs<'r> {
    cards: Cards<'r>,
}

impl Kind for SearchShard {
    type Key = usize;
    type Inputs<'r> = SearchShardInputs<'r>;
    const IN_SITEMAP: bool = false;

    fn each(r: &Renderer<'_>, out: &mut Vec<usize>) {
        if r.site.config.sections.search {
            out.extend(0..r.site.articles.len().div_ceil(SEARCH_SHARD));
        }
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<usize>) -> Option<()> {
        if r.site.config.sections.search {
            out.extend(changed.ids().map(|i| i / SEARCH_SHARD));
        }
        Some(())
    }

    fn path(_: &Renderer<'_>, k: usize) -> String {
        urls::search_shard(k)
    }

    fn inputs<'r>(r: &'r Renderer<'_>, k: usize) -> SearchShardInputs<'r> {
        let n = r.site.articles.len();
        let lo = (k * SEARCH_SHARD).min(n);
        let hi = (lo + SEARCH_SHARD).min(n);
        SearchShardInputs {
            cards: Cards::new(r, Ids::Range(lo, hi)),
        }
    }

    fn make(_: &Fixed<'_>, i: SearchShardInputs<'_>) -> Result<Made, Unreadable> {
        Ok(Made::File(search_shard(&i.cards).into_bytes()))
    }
}

/// `robots.txt`, unless the site has its own.
pub(in crate::render) struct Robots;

impl Kind for Robots {
    type Key = ();
    type Inputs<'r> = ();
    const IN_SITEMAP: bool = false;

    fn each(r: &Renderer<'_>, out: &mut Vec<()>) {
        if !r.own_robots {
            out.push(());
        }
    }

    fn showing(_: &Renderer<'_>, _: &Changed, _: &mut Vec<()>) -> Option<()> {
        Some(())
    }

    fn path(_: &Renderer<'_>, _: ()) -> String {
        urls::ROBOTS.to_string()
    }

    fn inputs(_: &Renderer<'_>, _: ()) {}

    fn make(f: &Fixed<'_>, _: ()) -> Result<Made, Unreadable> {
        Ok(Made::File(robots(f).into_bytes()))
    }
}

/// The sitemap: `sitemap.xml`, and past the protocol's limit of URLs per
/// file, `sitemap-k.xml` files that it indexes.
pub(in crate::render) struct Sitemap;

#[derive(Hash)]
pub(in crate::render) struct SitemapInputs<'r> {
    part: usize,
    urls: &'r [(String, Option<crate::model::When>)],
}

impl Kind for Sitemap {
    /// 0: `sitemap.xml`; k ≥ 1: `sitemap-k.xml` of a split sitemap.
    type Key = usize;
    type Inputs<'r> = SitemapInputs<'r>;
    const IN_SITEMAP: bool = false;

    fn each(r: &Renderer<'_>, out: &mut Vec<usize>) {
        let urls = Page::sitemapped(r);
        out.push(0);
        if urls > SITEMAP_URLS {
            out.extend(1..=urls.div_ceil(SITEMAP_URLS));
        }
    }

    fn showing(_: &Renderer<'_>, _: &Changed, _: &mut Vec<usize>) -> Option<()> {
        Some(())
    }

    fn path(_: &Renderer<'_>, k: usize) -> String {
        if k == 0 {
            urls::SITEMAP.to_string()
        } else {
            urls::sitemap_part(k)
        }
    }

    fn inputs<'r>(r: &'r Renderer<'_>, part: usize) -> SitemapInputs<'r> {
        SitemapInputs {
            part,
            urls: r.sitemap_urls(),
        }
    }

    fn make(f: &Fixed<'_>, i: SitemapInputs<'_>) -> Result<Made, Unreadable> {
        let base = f.urls.absolute("");
        Ok(Made::File(
            sitemap_xml(&base, i.part, i.urls, SITEMAP_URLS).into_bytes(),
        ))
    }
}

//! Files for machines: the search index and its summary shards (each as
//! JSON and as a script, see [`Form`]), the sitemap, and robots.txt.

use super::Changed;
use crate::model::{CountryCode, Unreadable};
use crate::render::Renderer;
use crate::render::cards::{Cards, Ids};
use crate::render::feeds::{
    SEARCH_SHARD, SITEMAP_URLS, robots, search_index, search_shard, sitemap_xml,
};
use crate::render::fixed::Fixed;
use crate::render::page::{Kind, Made, Page};
use crate::sources::Outlet;
use crate::urls;

/// The two forms of each search file: JSON, for the search page served
/// over HTTP and for tools; and a script that hands the same data to the
/// page (`milbriefSearch(path, data)`), for a page opened from disk, where
/// browsers refuse to fetch files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(in crate::render) enum Form {
    Json,
    Script,
}

impl Form {
    const BOTH: [Form; 2] = [Form::Json, Form::Script];

    fn path(self, json: String) -> String {
        match self {
            Form::Json => json,
            Form::Script => urls::search_script(&json),
        }
    }

    /// The file's bytes, from the JSON at `json_path`.
    fn bytes(self, json_path: &str, json: String) -> Vec<u8> {
        match self {
            Form::Json => json.into_bytes(),
            Form::Script => format!("milbriefSearch({json_path:?}, {json});\n").into_bytes(),
        }
    }
}

/// The search index: every article's title, date, tags and link.
pub(in crate::render) struct SearchIndex;

#[derive(Hash)]
pub(in crate::render) struct SearchIndexInputs<'r> {
    form: Form,
    all: Cards<'r>,
    countries: Vec<CountryCode>,
    topics: Vec<&'r str>,
    outlets: &'r [Outlet],
}

impl Kind for SearchIndex {
    type Key = Form;
    type Inputs<'r> = SearchIndexInputs<'r>;
    const IN_SITEMAP: bool = false;

    fn each(r: &Renderer<'_>, out: &mut Vec<Form>) {
        if r.site.config.sections.search {
            out.extend(Form::BOTH);
        }
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<Form>) -> Option<()> {
        if r.site.config.sections.search && !changed.is_empty() {
            out.extend(Form::BOTH);
        }
        Some(())
    }

    fn path(_: &Renderer<'_>, form: Form) -> String {
        form.path(urls::SEARCH_INDEX.to_string())
    }

    fn inputs<'r>(r: &'r Renderer<'_>, form: Form) -> SearchIndexInputs<'r> {
        SearchIndexInputs {
            form,
            all: Cards::new(r, Ids::Range(0, r.site.articles.len())),
            countries: r.site.by_country.keys().copied().collect(),
            topics: r.topics.clone(),
            outlets: &r.site.outlets.list,
        }
    }

    fn make(f: &Fixed<'_>, i: SearchIndexInputs<'_>) -> Result<Made, Unreadable> {
        let json = search_index(f, &i.all, &i.countries, &i.topics, i.outlets);
        Ok(Made::File(i.form.bytes(urls::SEARCH_INDEX, json)))
    }
}

/// A shard of the search index's summaries.
pub(in crate::render) struct SearchShard;

#[derive(Hash)]
pub(in crate::render) struct SearchShardInputs<'r> {
    shard: usize,
    form: Form,
    cards: Cards<'r>,
}

impl Kind for SearchShard {
    type Key = (usize, Form);
    type Inputs<'r> = SearchShardInputs<'r>;
    const IN_SITEMAP: bool = false;

    fn each(r: &Renderer<'_>, out: &mut Vec<(usize, Form)>) {
        if r.site.config.sections.search {
            let shards = 0..r.site.articles.len().div_ceil(SEARCH_SHARD);
            out.extend(shards.flat_map(|k| Form::BOTH.map(|f| (k, f))));
        }
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<(usize, Form)>) -> Option<()> {
        if r.site.config.sections.search {
            let shards = changed.ids().map(|i| i / SEARCH_SHARD);
            out.extend(shards.flat_map(|k| Form::BOTH.map(|f| (k, f))));
        }
        Some(())
    }

    fn path(_: &Renderer<'_>, (k, form): (usize, Form)) -> String {
        form.path(urls::search_shard(k))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, (k, form): (usize, Form)) -> SearchShardInputs<'r> {
        let n = r.site.articles.len();
        let lo = (k * SEARCH_SHARD).min(n);
        let hi = (lo + SEARCH_SHARD).min(n);
        SearchShardInputs {
            shard: k,
            form,
            cards: Cards::new(r, Ids::Range(lo, hi)),
        }
    }

    fn make(_: &Fixed<'_>, i: SearchShardInputs<'_>) -> Result<Made, Unreadable> {
        let json = search_shard(&i.cards);
        Ok(Made::File(i.form.bytes(&urls::search_shard(i.shard), json)))
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

/// A country's flag, for each country the site shows.
pub(in crate::render) struct Flag;

impl Kind for Flag {
    type Key = CountryCode;
    type Inputs<'r> = CountryCode;
    const IN_SITEMAP: bool = false;

    /// The flags of the countries with articles, and of the outlets'
    /// countries, which source pages show.
    fn each(r: &Renderer<'_>, out: &mut Vec<CountryCode>) {
        let s = r.site;
        let outlets = s.outlets.list.iter().filter_map(|o| o.country);
        let mut all: Vec<CountryCode> = s.by_country.keys().copied().chain(outlets).collect();
        all.sort_unstable();
        all.dedup();
        out.extend(all.into_iter().filter(|&c| crate::flags::svg(c).is_some()));
    }

    fn showing(_: &Renderer<'_>, _: &Changed, _: &mut Vec<CountryCode>) -> Option<()> {
        // The same countries, the same flags.
        Some(())
    }

    fn path(_: &Renderer<'_>, c: CountryCode) -> String {
        urls::flag(c)
    }

    fn inputs(_: &Renderer<'_>, c: CountryCode) -> CountryCode {
        c
    }

    fn make(_: &Fixed<'_>, c: CountryCode) -> Result<Made, Unreadable> {
        Ok(Made::File(
            crate::flags::svg(c).unwrap_or_default().as_bytes().to_vec(),
        ))
    }
}

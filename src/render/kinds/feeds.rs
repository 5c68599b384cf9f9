//! Atom feeds: the site's, each country's, topic's, pair's and source's
//! (with tag feeds on), and the editions'.

use jiff::civil::Date;

use super::places::pairs_of;
use super::{Changed, CountryPair, SourceId, TopicId, position};
use crate::index::edition_start;
use crate::model::{CountryCode, Unreadable};
use crate::render::Renderer;
use crate::render::cards::{Cards, Full, Ids, Times};
use crate::render::feeds::{atom, edition_entry};
use crate::render::fixed::Fixed;
use crate::render::page::{Kind, Made};
use crate::urls;

/// A feed of articles: its title, its page, and the articles (their
/// entries show them whole).
#[derive(Hash)]
pub(in crate::render) struct FeedInputs<'r> {
    title: String,
    dir: String,
    articles: Full<'r>,
}

impl<'r> FeedInputs<'r> {
    /// The feed of the page at `dir`, titled `title`, of the newest dated
    /// articles of `list` (positions, newest first).
    fn new(
        r: &'r Renderer<'_>,
        title: String,
        dir: String,
        list: impl Iterator<Item = usize>,
    ) -> FeedInputs<'r> {
        let s = r.site;
        let ids = list
            .filter(|&i| s.articles[i].date.is_some())
            .take(s.config.feed_entries)
            .collect();
        FeedInputs {
            title,
            dir,
            articles: Full::new(r, ids),
        }
    }
}

/// A feed of articles, from its inputs.
fn feed(f: &Fixed<'_>, i: FeedInputs<'_>) -> Result<Made, Unreadable> {
    let entries = i.articles.entries()?;
    let path = urls::feed(&i.dir);
    Ok(Made::File(
        atom(f, &i.title, &i.dir, &path, entries).into_bytes(),
    ))
}

/// Whether the article at position `pos` of a list is in its feed.
fn in_feed(r: &Renderer<'_>, pos: usize) -> bool {
    pos < r.site.config.feed_entries
}

/// The site's feed: its newest articles.
pub(in crate::render) struct SiteFeed;

impl Kind for SiteFeed {
    type Key = ();
    type Inputs<'r> = FeedInputs<'r>;
    const IN_SITEMAP: bool = false;

    fn each(_: &Renderer<'_>, out: &mut Vec<()>) {
        out.push(());
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<()>) -> Option<()> {
        let leads = &r.site.leads;
        if changed
            .ids()
            .any(|i| position(leads, i).is_some_and(|k| in_feed(r, k)))
        {
            out.push(());
        }
        Some(())
    }

    fn path(_: &Renderer<'_>, _: ()) -> String {
        urls::feed("")
    }

    fn inputs<'r>(r: &'r Renderer<'_>, _: ()) -> FeedInputs<'r> {
        let title = r.site.config.title.clone();
        FeedInputs::new(r, title, String::new(), r.site.leads.iter().copied())
    }

    fn make(f: &Fixed<'_>, i: FeedInputs<'_>) -> Result<Made, Unreadable> {
        feed(f, i)
    }
}

/// A country's feed.
pub(in crate::render) struct CountryFeed;

impl Kind for CountryFeed {
    type Key = CountryCode;
    type Inputs<'r> = FeedInputs<'r>;
    const IN_SITEMAP: bool = false;

    fn each(r: &Renderer<'_>, out: &mut Vec<CountryCode>) {
        if r.site.config.sections.tag_feeds {
            out.extend(r.site.by_country.keys().copied());
        }
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<CountryCode>) -> Option<()> {
        if !r.site.config.sections.tag_feeds {
            return Some(());
        }
        for (i, a) in changed.articles(r) {
            for c in &a.countries {
                if in_feed(r, position(r.site.by_country.get(c)?, i)?) {
                    out.push(*c);
                }
            }
        }
        Some(())
    }

    fn path(_: &Renderer<'_>, c: CountryCode) -> String {
        urls::feed(&urls::country(c))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, c: CountryCode) -> FeedInputs<'r> {
        let title = r.fixed.feed_title(&r.fixed.name(c));
        let list = r.site.by_country.get(&c).map_or(&[][..], Vec::as_slice);
        FeedInputs::new(r, title, urls::country(c), list.iter().copied())
    }

    fn make(f: &Fixed<'_>, i: FeedInputs<'_>) -> Result<Made, Unreadable> {
        feed(f, i)
    }
}

/// A topic's feed.
pub(in crate::render) struct TopicFeed;

impl Kind for TopicFeed {
    type Key = TopicId;
    type Inputs<'r> = FeedInputs<'r>;
    const IN_SITEMAP: bool = false;

    fn each(r: &Renderer<'_>, out: &mut Vec<TopicId>) {
        if r.site.config.sections.tag_feeds {
            out.extend((0..r.site.by_topic.len()).map(|k| TopicId(k as u32)));
        }
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<TopicId>) -> Option<()> {
        if !r.site.config.sections.tag_feeds {
            return Some(());
        }
        for (i, a) in changed.articles(r) {
            for t in &a.topics {
                if in_feed(r, position(r.site.by_topic.get(t)?, i)?) {
                    out.push(r.topic_id(t)?);
                }
            }
        }
        Some(())
    }

    fn path(r: &Renderer<'_>, id: TopicId) -> String {
        urls::feed(&urls::topic(r.topic(id)))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, id: TopicId) -> FeedInputs<'r> {
        let slug = r.topic(id);
        let title = r.fixed.feed_title(&r.fixed.topic_ref(slug).name);
        let list = r.site.by_topic.get(slug).map_or(&[][..], Vec::as_slice);
        FeedInputs::new(r, title, urls::topic(slug), list.iter().copied())
    }

    fn make(f: &Fixed<'_>, i: FeedInputs<'_>) -> Result<Made, Unreadable> {
        feed(f, i)
    }
}

/// A source's feed.
pub(in crate::render) struct SourceFeed;

impl SourceFeed {
    fn on(r: &Renderer<'_>) -> bool {
        let sec = &r.site.config.sections;
        sec.tag_feeds && sec.sources
    }
}

impl Kind for SourceFeed {
    type Key = SourceId;
    type Inputs<'r> = FeedInputs<'r>;
    const IN_SITEMAP: bool = false;

    fn each(r: &Renderer<'_>, out: &mut Vec<SourceId>) {
        if SourceFeed::on(r) {
            out.extend((0..r.site.outlets.list.len()).map(|k| SourceId(k as u32)));
        }
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<SourceId>) -> Option<()> {
        if !SourceFeed::on(r) {
            return Some(());
        }
        let outlets = &r.site.outlets;
        for i in changed.ids() {
            if let Some(k) = outlets.of.get(i)?
                && in_feed(r, position(&outlets.articles[*k as usize], i)?)
            {
                out.push(SourceId(*k));
            }
        }
        Some(())
    }

    fn path(r: &Renderer<'_>, id: SourceId) -> String {
        let slug = r
            .site
            .outlets
            .list
            .get(id.0 as usize)
            .map(|o| o.slug.as_str());
        urls::feed(&urls::source(slug.unwrap_or_default()))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, id: SourceId) -> FeedInputs<'r> {
        let k = id.0 as usize;
        let o = &r.site.outlets.list[k];
        let title = r.fixed.feed_title(&o.name);
        let list = &r.site.outlets.articles[k];
        FeedInputs::new(r, title, urls::source(&o.slug), list.iter().copied())
    }

    fn make(f: &Fixed<'_>, i: FeedInputs<'_>) -> Result<Made, Unreadable> {
        feed(f, i)
    }
}

/// A pair's feed.
pub(in crate::render) struct PairFeed;

impl Kind for PairFeed {
    type Key = CountryPair;
    type Inputs<'r> = FeedInputs<'r>;
    const IN_SITEMAP: bool = false;

    fn each(r: &Renderer<'_>, out: &mut Vec<CountryPair>) {
        let sec = &r.site.config.sections;
        if sec.tag_feeds && sec.relations {
            out.extend(r.site.by_pair.keys().copied());
        }
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<CountryPair>) -> Option<()> {
        let sec = &r.site.config.sections;
        if !(sec.tag_feeds && sec.relations) {
            return Some(());
        }
        for (i, a) in changed.articles(r) {
            for key in pairs_of(a) {
                if let Some(list) = r.site.by_pair.get(&key)
                    && in_feed(r, position(list, i)?)
                {
                    out.push(key);
                }
            }
        }
        Some(())
    }

    fn path(_: &Renderer<'_>, p: CountryPair) -> String {
        urls::feed(&urls::pair(p))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, p: CountryPair) -> FeedInputs<'r> {
        let names = format!("{} – {}", r.fixed.name(p.0), r.fixed.name(p.1));
        let title = r.fixed.feed_title(&names);
        let list = r.site.by_pair.get(&p).map_or(&[][..], Vec::as_slice);
        FeedInputs::new(r, title, urls::pair(p), list.iter().copied())
    }

    fn make(f: &Fixed<'_>, i: FeedInputs<'_>) -> Result<Made, Unreadable> {
        feed(f, i)
    }
}

/// The editions' feed: the newest editions, each with its headlines.
pub(in crate::render) struct EditionsFeed;

#[derive(Hash)]
pub(in crate::render) struct EditionsFeedInputs<'r> {
    /// Each edition, newest first, with its articles and their times.
    editions: Vec<(Date, Cards<'r>, Times<'r>)>,
}

impl Kind for EditionsFeed {
    type Key = ();
    type Inputs<'r> = EditionsFeedInputs<'r>;
    const IN_SITEMAP: bool = false;

    fn each(r: &Renderer<'_>, out: &mut Vec<()>) {
        if r.site.config.sections.editions {
            out.push(());
        }
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<()>) -> Option<()> {
        if !r.site.config.sections.editions {
            return Some(());
        }
        let latest = r.feed_editions();
        let mut dates = changed.articles(r).filter_map(|(_, a)| a.date);
        if dates.any(|d| latest.contains(&edition_start(d, &r.site.config))) {
            out.push(());
        }
        Some(())
    }

    fn path(_: &Renderer<'_>, _: ()) -> String {
        urls::feed(urls::EDITIONS)
    }

    fn inputs<'r>(r: &'r Renderer<'_>, _: ()) -> EditionsFeedInputs<'r> {
        let editions = r
            .feed_editions()
            .into_iter()
            .map(|e| {
                let list = r.site.by_edition.get(&e).map_or(&[][..], Vec::as_slice);
                (e, Cards::of(r, list), Times::new(r, Ids::List(list)))
            })
            .collect();
        EditionsFeedInputs { editions }
    }

    fn make(f: &Fixed<'_>, i: EditionsFeedInputs<'_>) -> Result<Made, Unreadable> {
        let entries: Vec<(String, String)> = i
            .editions
            .iter()
            .map(|(e, cards, times)| edition_entry(f, *e, cards, times))
            .collect();
        let title = f.feed_title("Editions");
        let path = urls::feed(urls::EDITIONS);
        Ok(Made::File(
            atom(f, &title, urls::EDITIONS, &path, &entries).into_bytes(),
        ))
    }
}

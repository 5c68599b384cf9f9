//! Every kind of page, each one `impl Kind` (see [`super::page`]), and
//! what they share: the changed articles an incremental pass asks about,
//! and how listings are cut into pages.

mod feeds;
mod files;
mod home;
mod places;
mod sources;
mod tags;
mod time;

use std::ops::Range;

pub(super) use feeds::{CountryFeed, EditionsFeed, PairFeed, SiteFeed, SourceFeed, TopicFeed};
pub(super) use files::{Flag, Robots, SearchIndex, SearchShard, Sitemap};
pub(super) use home::{Article, Front, NotFound, Search};
pub(super) use places::{Pair, Region, Relations};
pub(super) use sources::{Source, Sources};
pub(super) use tags::{Countries, Country, Topic, Topics};
pub(super) use time::{Archive, Edition, Editions, Month};

use super::Renderer;
use crate::model::{self, CountryCode};

/// A topic of the site, by its position among the site's topics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct TopicId(pub(super) u32);

/// A source of the site, by its position among the site's outlets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct SourceId(pub(super) u32);

/// Two countries, codes ascending.
pub(super) type CountryPair = (CountryCode, CountryCode);

/// The articles whose fingerprint changed since the last pass, the
/// structure of the site being the same, with every other report of their
/// stories: a story's pages and its lead's card show them all.
pub(super) struct Changed {
    /// Their positions, ascending.
    list: Vec<usize>,
    /// Articles per page of a listing.
    per: usize,
}

impl Changed {
    pub(super) fn new(r: &Renderer<'_>, changed: Vec<usize>) -> Changed {
        let st = &r.site.stories;
        let mut list = changed.clone();
        for i in changed {
            list.extend(st.members(st.of(i)).iter().map(|&j| j as usize));
        }
        list.sort_unstable();
        list.dedup();
        Changed {
            list,
            per: r.site.config.per_page,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The changed articles' positions.
    pub(super) fn ids(&self) -> impl Iterator<Item = usize> + '_ {
        self.list.iter().copied()
    }

    /// Whether the article at `i` changed.
    pub(super) fn contains(&self, i: usize) -> bool {
        self.list.binary_search(&i).is_ok()
    }

    /// The changed articles, each with its position.
    pub(super) fn articles<'r>(
        &'r self,
        r: &'r Renderer<'_>,
    ) -> impl Iterator<Item = (usize, &'r model::Article)> + 'r {
        self.list.iter().map(move |&i| (i, &*r.site.articles[i]))
    }

    /// The page (from 1) of a listing that shows its item `pos`.
    pub(super) fn page_of(&self, pos: usize) -> usize {
        pos / self.per + 1
    }
}

/// The position of article `i` in a listing; `None` when it is not there
/// (the site's structure is not what it seemed: look at every page).
pub(super) fn position(list: &[usize], i: usize) -> Option<usize> {
    list.binary_search(&i).ok()
}

/// How many pages a listing of `n` items takes (at least one).
pub(super) fn pages(r: &Renderer<'_>, n: usize) -> usize {
    n.div_ceil(r.site.config.per_page).max(1)
}

/// The positions page `page` (from 1) shows of a listing of `len` items.
pub(super) fn page_range(r: &Renderer<'_>, len: usize, page: usize) -> Range<usize> {
    let per = r.site.config.per_page;
    let start = (page.saturating_sub(1) * per).min(len);
    start..(start + per).min(len)
}

/// The items page `page` shows of `list`.
pub(super) fn page_slice<'a>(r: &Renderer<'_>, list: &'a [usize], page: usize) -> &'a [usize] {
    &list[page_range(r, list.len(), page)]
}

/// Every page of every listing of `lists` (each a key and the listing's
/// length): `(key, page)` for its pages 1…n.
pub(super) fn paged<K: Copy>(
    r: &Renderer<'_>,
    lists: impl Iterator<Item = (K, usize)>,
    out: &mut Vec<(K, usize)>,
) {
    for (k, n) in lists {
        out.extend((1..=pages(r, n)).map(|p| (k, p)));
    }
}

//! How pages show articles, and how a page's fingerprint covers them. A
//! listing shows articles by their cards ([`Cards`]), hashed by what each
//! card shows ([`CardInputs`]); an article page and the feeds show
//! articles whole ([`Full`]), hashed by the article's fingerprint (a hash
//! of its file). Pages reach articles only through these, so what a page
//! shows of them is what its fingerprint hashes.

use std::hash::{Hash, Hasher};

use tera::Value;

use super::Renderer;
use super::views::{long_date, obj};
use crate::index::Site;
use crate::model::{Article, CountryCode, Unreadable};
use crate::sources::Outlet;

/// Everything of an article its card shows (the site's configuration
/// aside): the card is made from this, and listings fingerprint it.
#[derive(Hash)]
pub(super) struct CardInputs<'a> {
    pub(super) title: &'a str,
    /// The card links to the article's page, named by its slug.
    pub(super) slug: &'a str,
    pub(super) date: Option<jiff::civil::Date>,
    /// The source as the article writes it.
    pub(super) source: Option<&'a str>,
    /// The outlet it resolves to: its name, page and kind.
    pub(super) outlet: Option<&'a Outlet>,
    pub(super) summary_html: &'a str,
    pub(super) summary_text: &'a str,
    pub(super) countries: &'a [CountryCode],
    pub(super) topics: &'a [String],
    /// The original's address, which printed briefs show.
    pub(super) url: Option<&'a str>,
    /// The article's relevance, as the bits of its `f64`.
    pub(super) relevance: u64,
}

impl<'a> CardInputs<'a> {
    /// The card of the article at `i`.
    pub(super) fn of(site: &'a Site, i: usize) -> Self {
        let a: &'a Article = &site.articles[i];
        CardInputs {
            title: &a.title,
            slug: &a.slug,
            date: a.date,
            source: a.source.as_deref(),
            outlet: site.outlets.of_article(i),
            summary_html: &a.summary_html,
            summary_text: &a.summary_text,
            countries: &a.countries,
            topics: &a.topics,
            url: a.url.as_deref(),
            relevance: a.relevance.to_bits(),
        }
    }
}

/// Positions of articles in the site: a list of them, or a range.
#[derive(Clone, Copy)]
pub(super) enum Ids<'r> {
    List(&'r [usize]),
    Range(usize, usize),
    /// A story's articles.
    Story(&'r [u32]),
}

impl<'r> Ids<'r> {
    pub(super) fn len(&self) -> usize {
        match self {
            Ids::List(l) => l.len(),
            Ids::Range(lo, hi) => hi - lo,
            Ids::Story(l) => l.len(),
        }
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = usize> + 'r {
        let (list, range, small): (&'r [usize], std::ops::Range<usize>, &'r [u32]) = match *self {
            Ids::List(l) => (l, 0..0, &[]),
            Ids::Range(lo, hi) => (&[], lo..hi, &[]),
            Ids::Story(l) => (&[], 0..0, l),
        };
        list.iter()
            .copied()
            .chain(range)
            .chain(small.iter().map(|&i| i as usize))
    }
}

/// Articles a page shows as cards.
#[derive(Clone, Copy)]
pub(super) struct Cards<'r> {
    r: &'r Renderer<'r>,
    ids: Ids<'r>,
}

impl Hash for Cards<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.ids.len().hash(h);
        for i in self.ids.iter() {
            self.r.card_fp(i).hash(h);
        }
    }
}

impl<'r> Cards<'r> {
    pub(super) fn new(r: &'r Renderer<'r>, ids: Ids<'r>) -> Cards<'r> {
        Cards { r, ids }
    }

    pub(super) fn of(r: &'r Renderer<'r>, list: &'r [usize]) -> Cards<'r> {
        Cards::new(r, Ids::List(list))
    }

    pub(super) fn len(&self) -> usize {
        self.ids.len()
    }

    /// What each card shows, in order.
    pub(super) fn inputs(&self) -> impl Iterator<Item = CardInputs<'r>> + 'r {
        let site = self.r.site;
        self.ids.iter().map(move |i| CardInputs::of(site, i))
    }

    /// The cards as a template list.
    pub(super) fn values(&self) -> Value {
        self.values_of(self.ids)
    }

    /// The cards of `ids`, which are among these, as a template list.
    pub(super) fn subset(&self, ids: &[usize]) -> Value {
        debug_assert!(ids.iter().all(|i| self.ids.iter().any(|j| j == *i)));
        self.values_of(Ids::List(ids))
    }

    fn values_of(&self, ids: Ids<'_>) -> Value {
        Value::from(ids.iter().map(|i| self.r.card_value(i)).collect::<Vec<_>>())
    }

    /// The cards grouped by day, newest first; undated ones last.
    pub(super) fn days(&self) -> Value {
        let idx: Vec<usize> = self.ids.iter().collect();
        let articles = &self.r.site.articles;
        let mut groups: Vec<Value> = Vec::new();
        let mut i = 0;
        while i < idx.len() {
            let date = articles[idx[i]].date;
            let mut j = i;
            while j < idx.len() && articles[idx[j]].date == date {
                j += 1;
            }
            let label = date.map_or_else(|| "Undated".to_string(), long_date);
            groups.push(obj([
                ("label", Value::from(label)),
                (
                    "date",
                    Value::from(date.map(|d| d.to_string()).unwrap_or_default()),
                ),
                ("articles", self.values_of(Ids::List(&idx[i..j]))),
            ]));
            i = j;
        }
        Value::from(groups)
    }
}

/// One article a page shows as a card.
#[derive(Clone, Copy)]
pub(super) struct Card<'r> {
    r: &'r Renderer<'r>,
    i: usize,
}

impl Hash for Card<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.r.card_fp(self.i).hash(h);
    }
}

impl<'r> Card<'r> {
    pub(super) fn new(r: &'r Renderer<'r>, i: usize) -> Card<'r> {
        Card { r, i }
    }

    pub(super) fn value(&self) -> Value {
        self.r.card_value(self.i)
    }
}

/// An article a page shows whole.
#[derive(Clone, Copy)]
pub(super) struct Whole<'r> {
    r: &'r Renderer<'r>,
    i: usize,
}

impl Hash for Whole<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.r.fps[self.i].hash(h);
        self.outlet().hash(h);
    }
}

impl<'r> Whole<'r> {
    pub(super) fn new(r: &'r Renderer<'r>, i: usize) -> Whole<'r> {
        Whole { r, i }
    }

    pub(super) fn get(&self) -> &'r Article {
        &self.r.site.articles[self.i]
    }

    /// The outlet the article comes from.
    pub(super) fn outlet(&self) -> Option<&'r Outlet> {
        self.r.site.outlets.of_article(self.i)
    }
}

/// Articles a page shows whole.
pub(super) struct Full<'r> {
    r: &'r Renderer<'r>,
    ids: Vec<usize>,
}

impl Hash for Full<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.ids.len().hash(h);
        for &i in &self.ids {
            self.r.fps[i].hash(h);
            // An entry is updated when its story grows.
            self.r.story_updated(i).hash(h);
        }
    }
}

impl<'r> Full<'r> {
    pub(super) fn new(r: &'r Renderer<'r>, ids: Vec<usize>) -> Full<'r> {
        Full { r, ids }
    }

    /// The Atom entry of each article, made once per pass however many
    /// feeds show it.
    pub(super) fn entries(&self) -> Result<Vec<&'r (String, String)>, Unreadable> {
        self.ids.iter().map(|&i| self.r.entry(i)).collect()
    }
}

/// The times of day of articles a page shows with their dates (a feed's
/// "updated"): what their cards do not show.
pub(super) struct Times<'r> {
    r: &'r Renderer<'r>,
    ids: Ids<'r>,
}

impl Hash for Times<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        for i in self.ids.iter() {
            let a = &self.r.site.articles[i];
            (a.time, a.offset).hash(h);
        }
    }
}

impl<'r> Times<'r> {
    pub(super) fn new(r: &'r Renderer<'r>, ids: Ids<'r>) -> Times<'r> {
        Times { r, ids }
    }

    /// When each article is dated.
    pub(super) fn when(&self) -> impl Iterator<Item = Option<crate::model::When>> + 'r {
        let articles = &self.r.site.articles;
        self.ids.iter().map(move |i| articles[i].when())
    }
}

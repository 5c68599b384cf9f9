//! Stories: the articles about one event within a few days (re-sends,
//! updates, copies, several outlets' reports) are one story, and listings,
//! editions, feeds, relations and counts count stories, not copies.
//!
//! - [`features`]: what is compared of an article (shingles of headline
//!   and lead for copies, with `check`'s MinHash machinery; content words
//!   of headline and lead, countries and day for reports of one event);
//! - [`cluster`]: the online clustering, one article at a time, oldest
//!   first, each compared only with recent articles sharing a MinHash band
//!   or a headline word;
//! - [`rank`]: how much a story matters, for the editions' top stories.
//!
//! A story's **lead** is its earliest article (by date, time, then file
//! name): the first report of the event. Choosing the earliest keeps a
//! story's lead, and so its id (the lead's slug) and its place in the
//! listings, stable as later reports join it; the "N reports" line shows
//! how it grew. Clustering is deterministic: articles are taken in a total
//! order of their own fields, ties between matches go to the earliest, and
//! every hash is a fixed function (no seeds).
//!
//! Headline and lead only: the tag stage drops an article's full plain text
//! (and the build cache does not keep it), so the clustering compares what
//! every article keeps, the headline and the lead paragraph (or summary),
//! which is where wire copies and reports of one event agree most.

mod cluster;
mod features;
pub mod rank;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use rayon::prelude::*;

use cluster::Clusterer;
pub use cluster::{Link, Why};
use features::Features;
pub use features::day_of;

use crate::model::Article;

/// Articles are featured this many at a time (in parallel), so the
/// features of a whole archive never exist at once.
const CHUNK: usize = 4096;

/// The site's stories, over articles in the site's order (newest first).
/// Compact: numbers, no strings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stories {
    /// The story of each article.
    story_of: Vec<u32>,
    /// Each story's articles are `members[starts[s]..starts[s + 1]]`, the
    /// lead first, then oldest to newest.
    starts: Vec<u32>,
    members: Vec<u32>,
    /// Why each article that is not a lead joined its story (the matched
    /// article by position), by position ascending.
    links: Vec<(u32, Link)>,
}

/// The order the clustering takes articles in: oldest first (date, time,
/// then file name, the import order); undated ones last.
fn arrival_key(a: &Article) -> impl Ord + '_ {
    (
        a.date.is_none(),
        a.date,
        a.time,
        a.source_path.as_path(),
        a.slug.as_str(),
    )
}

impl Stories {
    /// Clusters `articles` (in the site's order) into stories spanning at
    /// most `window_days` days.
    pub fn cluster(articles: &[Arc<Article>], window_days: u16) -> Stories {
        if window_days == 0 {
            return Stories::singletons(articles.len());
        }
        let mut order: Vec<u32> = (0..articles.len() as u32).collect();
        order.par_sort_by(|&x, &y| {
            arrival_key(&articles[x as usize]).cmp(&arrival_key(&articles[y as usize]))
        });
        let mut c = Clusterer::new(window_days);
        for chunk in order.chunks(CHUNK) {
            let feats: Vec<Option<Features>> = chunk
                .par_iter()
                .map(|&i| Features::of(&articles[i as usize]))
                .collect();
            for f in feats {
                c.add(f);
            }
        }
        Stories::from_arrivals(&order, &c)
    }

    /// Stories from a clustering of articles that arrived in `order`
    /// (positions); stories are numbered by their lead's position.
    fn from_arrivals(order: &[u32], c: &Clusterer) -> Stories {
        let n = order.len();
        let count = c.story.iter().map(|&s| s as usize + 1).max().unwrap_or(0);
        // Each story's lead is its first arrival.
        let mut lead = vec![u32::MAX; count];
        for (k, &s) in c.story.iter().enumerate() {
            if lead[s as usize] == u32::MAX {
                lead[s as usize] = order[k];
            }
        }
        let mut by_lead: Vec<u32> = (0..count as u32).collect();
        by_lead.sort_by_key(|&s| lead[s as usize]);
        let mut renumber = vec![0u32; count];
        for (new, &old) in by_lead.iter().enumerate() {
            renumber[old as usize] = new as u32;
        }
        let mut story_of = vec![0u32; n];
        let mut sizes = vec![0u32; count];
        for (k, &s) in c.story.iter().enumerate() {
            let s = renumber[s as usize];
            story_of[order[k] as usize] = s;
            sizes[s as usize] += 1;
        }
        let mut starts = Vec::with_capacity(count + 1);
        let mut at = 0u32;
        for size in &sizes {
            starts.push(at);
            at += size;
        }
        starts.push(at);
        let mut fill = starts.clone();
        let mut members = vec![0u32; n];
        // Arrival order is oldest first, so each story's lead comes first.
        for (k, &s) in c.story.iter().enumerate() {
            let s = renumber[s as usize] as usize;
            members[fill[s] as usize] = order[k];
            fill[s] += 1;
        }
        let mut links: Vec<(u32, Link)> = c
            .links
            .iter()
            .enumerate()
            .filter_map(|(k, l)| {
                let l = (*l)?;
                Some((
                    order[k],
                    Link {
                        with: order[l.with as usize],
                        why: l.why,
                    },
                ))
            })
            .collect();
        links.sort_by_key(|l| l.0);
        Stories {
            story_of,
            starts,
            members,
            links,
        }
    }

    /// Every article a story of its own (a site whose stories are not
    /// clustered).
    pub fn singletons(n: usize) -> Stories {
        Stories {
            story_of: (0..n as u32).collect(),
            starts: (0..=n as u32).collect(),
            members: (0..n as u32).collect(),
            links: Vec::new(),
        }
    }

    /// How many stories there are.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// The story of the article at `i`.
    pub fn of(&self, i: usize) -> usize {
        self.story_of[i] as usize
    }

    /// The articles of story `s`: its lead first, then oldest to newest.
    pub fn members(&self, s: usize) -> &[u32] {
        &self.members[self.starts[s] as usize..self.starts[s + 1] as usize]
    }

    /// The lead article of story `s`.
    pub fn lead(&self, s: usize) -> usize {
        self.members(s)[0] as usize
    }

    /// Whether the article at `i` leads its story.
    pub fn is_lead(&self, i: usize) -> bool {
        self.lead(self.of(i)) == i
    }

    /// Why the article at `i` joined its story (`None` for a lead).
    pub fn link(&self, i: usize) -> Option<Link> {
        let k = self.links.binary_search_by_key(&(i as u32), |l| l.0).ok()?;
        Some(self.links[k].1)
    }

    /// Whether every position is one of `n` articles' (a guard for
    /// stories read back from disk).
    pub fn fits(&self, n: usize) -> bool {
        self.story_of.len() == n
            && self.members.len() == n
            && self.members.iter().all(|&i| (i as usize) < n)
            && self.starts.windows(2).all(|w| w[0] <= w[1])
            && self.starts.last().is_none_or(|&e| e as usize == n)
    }
}

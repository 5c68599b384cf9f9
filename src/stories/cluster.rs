//! The online clustering: articles arrive one at a time, oldest first,
//! and each joins the story of the earlier article it matches best, or
//! starts a story. An article is compared only with earlier articles of
//! the last `window` days that share a MinHash band (a likely copy) or a
//! headline word: linear in the number of articles, and a new article
//! never moves an older one. Features older than the window are dropped
//! as the clock moves on, so memory follows the window, not the archive.

use std::collections::{HashMap, VecDeque};

use super::features::Features;
use crate::check::dups;

/// How many earlier articles sharing one headline word are looked at: a
/// word that common says little about the event.
const WORD_SCAN: usize = 200;

/// Headline and lead similarity (Jaccard of content words, headline words
/// weighted by how rare they are among recent headlines) from which two
/// reports in one place are of one event: a close headline and a related
/// lead, or a related headline and a close lead.
const EVENT_RULES: [(f32, f32); 2] = [(0.35, 0.2), (0.3, 0.4)];

/// Why an article joined its story.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Why {
    /// Nearly the same text as `with` (Jaccard of headline-and-lead
    /// shingles, at least `dups::THRESHOLD`).
    Copy { text: f32 },
    /// Another report of the event of `with`: headline and lead word
    /// similarity, and a shared country.
    Event { title: f32, lead: f32 },
}

/// An article's link into its story: the earlier article it matched.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    /// The matched article's arrival number.
    pub with: u32,
    pub why: Why,
}

impl Why {
    /// Orders matches: any copy before any event, then by similarity.
    fn score(&self) -> f32 {
        match *self {
            Why::Copy { text } => 2.0 + text,
            Why::Event { title, lead } => title + lead,
        }
    }
}

/// Stories as articles arrive.
pub struct Clusterer {
    window: i32,
    /// Features of the articles of the last `window` days, by arrival
    /// number from `base` (`None`: undated, compared with nothing).
    recent: VecDeque<Option<Features>>,
    base: u32,
    /// The story of each article, by arrival number.
    pub(super) story: Vec<u32>,
    /// The day of each story's first article.
    story_day: Vec<i32>,
    /// Why each article joined its story (`None`: it started one).
    pub(super) links: Vec<Option<Link>>,
    bands: HashMap<(usize, u64), Vec<u32>>,
    words: HashMap<u64, Vec<u32>>,
    pruned_day: i32,
}

impl Clusterer {
    /// Stories spanning at most `window_days` days from their first report.
    pub fn new(window_days: u16) -> Clusterer {
        Clusterer {
            window: i32::from(window_days),
            recent: VecDeque::new(),
            base: 0,
            story: Vec::new(),
            story_day: Vec::new(),
            links: Vec::new(),
            bands: HashMap::new(),
            words: HashMap::new(),
            pruned_day: i32::MIN,
        }
    }

    /// Adds the next article (none older than those added before; `None`
    /// for an undated one): returns its story's number. Stories are
    /// numbered in the order they start.
    pub(super) fn add(&mut self, f: Option<Features>) -> u32 {
        let id = u32::try_from(self.story.len()).unwrap_or(u32::MAX);
        let link = f.as_ref().and_then(|f| {
            self.forget_before(f.day.saturating_sub(self.window));
            self.best_match(f)
        });
        let story = match link {
            Some(l) => self.story[l.with as usize],
            None => {
                let s = u32::try_from(self.story_day.len()).unwrap_or(u32::MAX);
                self.story_day.push(f.as_ref().map_or(i32::MIN, |f| f.day));
                s
            }
        };
        self.story.push(story);
        self.links.push(link);
        if let Some(f) = &f {
            for key in f.bands.iter().flatten() {
                self.bands.entry(*key).or_default().push(id);
            }
            for w in &f.title {
                self.words.entry(*w).or_default().push(id);
            }
        }
        self.recent.push_back(f);
        story
    }

    /// The features of the article `id`, while it is recent.
    fn features(&self, id: u32) -> Option<&Features> {
        let k = id.checked_sub(self.base)?;
        self.recent.get(k as usize)?.as_ref()
    }

    /// Drops the features of articles older than `day` (and, now and then,
    /// their entries in the look-up tables).
    fn forget_before(&mut self, day: i32) {
        while let Some(front) = self.recent.front() {
            match front {
                Some(f) if f.day >= day => break,
                _ => {
                    self.recent.pop_front();
                    self.base += 1;
                }
            }
        }
        if day > self.pruned_day.saturating_add(4 * self.window.max(1)) {
            let base = self.base;
            self.bands.retain(|_, l| {
                l.retain(|&i| i >= base);
                !l.is_empty()
            });
            self.words.retain(|_, l| {
                l.retain(|&i| i >= base);
                !l.is_empty()
            });
            self.pruned_day = day;
        }
    }

    /// The earlier article `f` matches best, if any: ties go to the
    /// earliest, so the result depends on nothing but the articles.
    fn best_match(&self, f: &Features) -> Option<Link> {
        let oldest_day = f.day.saturating_sub(self.window);
        let mut candidates: Vec<u32> = Vec::new();
        for key in f.bands.iter().flatten() {
            if let Some(l) = self.bands.get(key) {
                candidates.extend(l.iter().copied().filter(|&i| i >= self.base));
            }
        }
        for w in &f.title {
            if let Some(l) = self.words.get(w) {
                let recent = l.iter().rev().take_while(|&&i| i >= self.base);
                candidates.extend(recent.take(WORD_SCAN));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<Link> = None;
        for j in candidates {
            let Some(g) = self.features(j) else { continue };
            // A story spans at most the window from its first report.
            if g.day < oldest_day || self.story_day[self.story[j as usize] as usize] < oldest_day {
                continue;
            }
            let Some(why) = matches(f, g, |w| self.weight(w)) else {
                continue;
            };
            if best.is_none_or(|b| why.score() > b.why.score()) {
                best = Some(Link { with: j, why });
            }
        }
        best
    }
}

impl Clusterer {
    /// How much a shared headline word says: less the more recent
    /// headlines have it ("qtr", "net", "talks" say little; a name says
    /// much).
    fn weight(&self, w: u64) -> f64 {
        let df = self.words.get(&w).map_or(0, Vec::len);
        1.0 / (std::f64::consts::E + df as f64).ln()
    }
}

/// Jaccard similarity of two sorted, distinct lists, each element
/// weighted by `weight`.
fn weighted_jaccard(a: &[u64], b: &[u64], weight: impl Fn(u64) -> f64) -> f64 {
    let (mut i, mut j, mut both, mut all) = (0, 0, 0.0, 0.0);
    while i < a.len() || j < b.len() {
        let (x, y) = (a.get(i), b.get(j));
        match (x, y) {
            (Some(x), Some(y)) if x == y => {
                let w = weight(*x);
                both += w;
                all += w;
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                all += weight(*x);
                i += 1;
            }
            (Some(x), None) => {
                all += weight(*x);
                i += 1;
            }
            (_, Some(y)) => {
                all += weight(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    if all > 0.0 { both / all } else { 0.0 }
}

/// Whether `f` is a copy of `g` or a report of its event; headline words
/// count by `weight`.
pub(super) fn matches(f: &Features, g: &Features, weight: impl Fn(u64) -> f64) -> Option<Why> {
    if f.shingles.len() >= dups::MIN_SHINGLES && g.shingles.len() >= dups::MIN_SHINGLES {
        let text = dups::jaccard(&f.shingles, &g.shingles);
        if text >= dups::THRESHOLD {
            return Some(Why::Copy { text: text as f32 });
        }
    }
    if !f.same_place(g) {
        return None;
    }
    let title = weighted_jaccard(&f.title, &g.title, weight) as f32;
    let lead = dups::jaccard(&f.lead, &g.lead) as f32;
    EVENT_RULES
        .iter()
        .any(|&(t, l)| title >= t && lead >= l)
        .then_some(Why::Event { title, lead })
}

//! The index stage: articles sorted newest first, clustered into stories
//! ([`crate::stories`]), and the stories grouped by country, topic, month,
//! edition and pair of countries, with related stories; each article's
//! source resolved to an outlet. Every grouping lists a story once, by its
//! lead article, so counts count stories. Pure: values in, values out.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use jiff::civil::Date;

use crate::config::Config;
use crate::model::{Article, CountryCode};
use crate::sources::{Outlets, Sources};
use crate::stories::Stories;
use crate::tag::Tagger;

/// How many neighbours in each tag list are considered for "related".
const RELATED_WINDOW: usize = 40;

pub struct Site {
    pub config: Config,
    pub tagger: Arc<Tagger>,
    /// Newest first; undated articles last.
    pub articles: Vec<Arc<Article>>,
    /// The stories of the articles.
    pub stories: Arc<Stories>,
    /// The lead article of each story, newest first: what listings show.
    pub leads: Arc<Vec<usize>>,
    /// The leads the front page lists: every story's, or all but the
    /// off-topic ones when the site hides those.
    pub front: Arc<Vec<usize>>,
    pub by_country: Arc<BTreeMap<CountryCode, Vec<usize>>>,
    pub by_topic: Arc<BTreeMap<String, Vec<usize>>>,
    /// (year, month) → articles, keys ascending.
    pub by_month: Arc<BTreeMap<(i16, i8), Vec<usize>>>,
    /// Edition start date → articles, keys ascending (undated articles are
    /// in no edition).
    pub by_edition: Arc<BTreeMap<Date, Vec<usize>>>,
    /// Country pairs (codes ascending) tagged together in at least
    /// `min_pair_articles` articles → those articles.
    pub by_pair: Arc<BTreeMap<(CountryCode, CountryCode), Vec<usize>>>,
    /// Related articles of each article, best first.
    pub related: Arc<Vec<Vec<usize>>>,
    /// The outlets the articles come from, and each article's: resolved
    /// on every pass (a look-up per distinct name), and part of the
    /// structure (an article's `source` and `url` are in its placement).
    pub outlets: Arc<Outlets>,
    /// A hash of the order and tags of the articles, not their text: two
    /// sites with equal structure have equal groupings and related lists.
    pub structure: u64,
}

/// What follows from a site's structure alone: its groupings and related
/// lists, which a rebuild after an edit of text reuses (from memory in
/// `serve`, from the build cache in `build`).
#[derive(Clone)]
pub struct Groupings {
    pub structure: u64,
    pub by_country: Arc<BTreeMap<CountryCode, Vec<usize>>>,
    pub by_topic: Arc<BTreeMap<String, Vec<usize>>>,
    pub by_month: Arc<BTreeMap<(i16, i8), Vec<usize>>>,
    pub by_edition: Arc<BTreeMap<Date, Vec<usize>>>,
    pub by_pair: Arc<BTreeMap<(CountryCode, CountryCode), Vec<usize>>>,
    pub related: Arc<Vec<Vec<usize>>>,
}

impl Groupings {
    /// Whether every position is one of `n` articles' (a guard for
    /// groupings read back from disk).
    fn fits(&self, n: usize) -> bool {
        let ok = |l: &Vec<usize>| l.iter().all(|&i| i < n);
        self.related.len() == n
            && self.related.iter().all(ok)
            && self.by_country.values().all(ok)
            && self.by_topic.values().all(ok)
            && self.by_month.values().all(ok)
            && self.by_edition.values().all(ok)
            && self.by_pair.values().all(ok)
    }
}

impl Site {
    /// The site's groupings, shared (no list is copied).
    pub fn groupings(&self) -> Groupings {
        Groupings {
            structure: self.structure,
            by_country: self.by_country.clone(),
            by_topic: self.by_topic.clone(),
            by_month: self.by_month.clone(),
            by_edition: self.by_edition.clone(),
            by_pair: self.by_pair.clone(),
            related: self.related.clone(),
        }
    }
}

/// Sorts and indexes tagged articles.
#[cfg(test)]
pub fn index(config: Config, tagger: Arc<Tagger>, articles: Vec<Arc<Article>>) -> Site {
    index_reusing(config, tagger, articles, None)
}

/// Sorts and indexes tagged articles, reusing the groupings and related
/// lists of `previous` when only the articles' text changed (the common
/// edit), not their order, dates or tags. `previous` must come from the
/// same configuration.
pub fn index_reusing(
    config: Config,
    tagger: Arc<Tagger>,
    mut articles: Vec<Arc<Article>>,
    previous: Option<&Groupings>,
) -> Site {
    sort_articles(&mut articles);
    // Clustered on every pass (it is linear, and a fraction of a build):
    // the groupings follow from the stories, so they are part of the
    // structure, and an edit that does not move an article between
    // stories keeps every grouping.
    let stories = Stories::cluster(&articles, config.story_days);
    let leads = leads_of(&stories);
    let structure = structure_of(&articles, &config, &stories);
    let outlets = Arc::new(outlets_of(&config, &articles));
    let front = Arc::new(
        leads
            .iter()
            .copied()
            .filter(|&i| !hidden(&articles[i], &config))
            .collect::<Vec<usize>>(),
    );
    if let Some(p) = previous.filter(|p| p.structure == structure && p.fits(articles.len())) {
        return Site {
            config,
            tagger,
            leads: Arc::new(leads),
            stories: Arc::new(stories),
            articles,
            front,
            by_country: p.by_country.clone(),
            by_topic: p.by_topic.clone(),
            by_month: p.by_month.clone(),
            by_edition: p.by_edition.clone(),
            by_pair: p.by_pair.clone(),
            related: p.related.clone(),
            outlets,
            structure,
        };
    }
    let mut by_country: BTreeMap<CountryCode, Vec<usize>> = BTreeMap::new();
    let mut by_topic: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut by_month: BTreeMap<(i16, i8), Vec<usize>> = BTreeMap::new();
    let mut by_edition: BTreeMap<Date, Vec<usize>> = BTreeMap::new();
    let mut by_pair: BTreeMap<(CountryCode, CountryCode), Vec<usize>> = BTreeMap::new();
    let mut countries: Vec<CountryCode> = Vec::new();
    let mut topics: Vec<&str> = Vec::new();
    for &i in &leads {
        let a = &articles[i];
        // A story is about every country and topic of its reports: each
        // tag's page lists it once, by its lead.
        countries.clear();
        topics.clear();
        for &j in stories.members(stories.of(i)) {
            let b = &articles[j as usize];
            countries.extend(
                b.countries
                    .iter()
                    .filter(|c| !countries.contains(c))
                    .collect::<Vec<_>>(),
            );
            topics.extend(
                b.topics
                    .iter()
                    .map(String::as_str)
                    .filter(|t| !topics.contains(t))
                    .collect::<Vec<_>>(),
            );
        }
        for (k, x) in countries.iter().enumerate() {
            for y in &countries[k + 1..] {
                let key = if x < y { (*x, *y) } else { (*y, *x) };
                if key.0 != key.1 {
                    by_pair.entry(key).or_default().push(i);
                }
            }
        }
        for c in &countries {
            by_country.entry(*c).or_default().push(i);
        }
        for t in &topics {
            by_topic.entry(t.to_string()).or_default().push(i);
        }
        if let Some(d) = a.date {
            by_month.entry((d.year(), d.month())).or_default().push(i);
            if !hidden(a, &config) {
                by_edition
                    .entry(edition_start(d, &config))
                    .or_default()
                    .push(i);
            }
        }
    }
    by_pair.retain(|_, list| {
        list.dedup();
        list.len() >= config.min_pair_articles
    });
    let related = related_all(&articles, &stories, &by_country, &by_topic, config.related);
    Site {
        config,
        tagger,
        articles,
        stories: Arc::new(stories),
        leads: Arc::new(leads),
        front,
        by_country: Arc::new(by_country),
        by_topic: Arc::new(by_topic),
        by_month: Arc::new(by_month),
        by_edition: Arc::new(by_edition),
        by_pair: Arc::new(by_pair),
        related: Arc::new(related),
        outlets,
        structure,
    }
}

/// The articles' outlets under the site's `[[source]]` tables (checked
/// when the configuration was read; should they fail here, the built-in
/// list alone).
fn outlets_of(config: &Config, articles: &[Arc<Article>]) -> Outlets {
    let sources = Sources::new(&config.sources).unwrap_or_else(|_| Sources::builtin());
    Outlets::of(&sources, articles)
}

/// Whether the site keeps `a` out of editions and the front page: it is
/// off-topic and the site hides such articles (`[tagging] off_topic`).
pub fn hidden(a: &Article, config: &Config) -> bool {
    config.off_topic == crate::config::OffTopic::Hide
        && a.is_off_topic(config.min_relevance, config.auto_tag)
}

/// The first day of the edition holding `d`. Editions are runs of
/// `edition_days` days starting on `week_start`, counted from the first
/// such weekday of 2000, so every date falls in exactly one.
pub fn edition_start(d: Date, config: &Config) -> Date {
    let monday = jiff::civil::date(2000, 1, 3);
    let offset = i64::from(config.week_start.to_monday_zero_offset());
    let anchor = monday + jiff::SignedDuration::from_hours(24 * offset);
    let len = i64::from(config.edition_days.max(1));
    let days = d.duration_since(anchor).as_secs().div_euclid(86_400);
    anchor + jiff::SignedDuration::from_hours(24 * len * days.div_euclid(len))
}

/// The last day of the edition starting on `start`.
pub fn edition_end(start: Date, config: &Config) -> Date {
    let days = i64::from(config.edition_days.max(1)) - 1;
    // Article dates end well before the calendar does (see
    // `load::LAST_DATE`); saturate rather than fail if one ever does not.
    start
        .checked_add(jiff::SignedDuration::from_hours(24 * days))
        .unwrap_or(Date::MAX)
}

/// Newest first (see [`Article::sort_key`]). The keys are gathered once,
/// so comparisons do not chase a pointer per article.
fn sort_articles(articles: &mut Vec<Arc<Article>>) {
    let mut keyed: Vec<_> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.sort_key(), i))
        .collect();
    keyed.par_sort_unstable();
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    let mut slots: Vec<Option<Arc<Article>>> = articles.drain(..).map(Some).collect();
    articles.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// The lead of each story, in the site's order (newest first).
fn leads_of(stories: &Stories) -> Vec<usize> {
    (0..stories.len()).map(|s| stories.lead(s)).collect()
}

/// A hash of what the groupings follow from: each article's placement
/// and story.
fn structure_of(articles: &[Arc<Article>], config: &Config, stories: &Stories) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    config.related.hash(&mut h);
    for (i, a) in articles.iter().enumerate() {
        let key = if a.placement != 0 {
            a.placement
        } else {
            a.placement_key()
        };
        (key, stories.of(i)).hash(&mut h);
    }
    h.finish()
}

/// For each article, the articles sharing most tags with it (a shared
/// country counts 2, a shared topic 1), nearer in time first on ties. Only
/// neighbours within a window of each tag list are scored, which keeps this
/// linear in the number of articles; scores go in a dense scratch array per
/// worker, and only the best few are sorted.
fn related_all(
    articles: &[Arc<Article>],
    stories: &Stories,
    by_country: &BTreeMap<CountryCode, Vec<usize>>,
    by_topic: &BTreeMap<String, Vec<usize>>,
    n: usize,
) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new(); articles.len()];
    }
    (0..articles.len())
        .into_par_iter()
        .map_init(
            || (vec![0u32; articles.len()], Vec::<usize>::new()),
            |(score, touched), i| {
                let a = &articles[i];
                let mut add = |list: &Vec<usize>, w: u32| {
                    let pos = list.binary_search(&i).unwrap_or_else(|p| p);
                    let lo = pos.saturating_sub(RELATED_WINDOW);
                    let hi = (pos + RELATED_WINDOW + 1).min(list.len());
                    for &j in &list[lo..hi] {
                        if j != i && stories.of(j) != stories.of(i) {
                            if score[j] == 0 {
                                touched.push(j);
                            }
                            score[j] += w;
                        }
                    }
                };
                // A report that leads no story may have tags no lead has.
                for l in a.countries.iter().filter_map(|c| by_country.get(c)) {
                    add(l, 2);
                }
                for l in a.topics.iter().filter_map(|t| by_topic.get(t)) {
                    add(l, 1);
                }
                let mut best: Vec<(u32, usize)> = touched
                    .iter()
                    .filter(|&&j| score[j] >= 2)
                    .map(|&j| (score[j], j))
                    .collect();
                for &j in touched.iter() {
                    score[j] = 0;
                }
                touched.clear();
                let better = |x: &(u32, usize), y: &(u32, usize)| {
                    y.0.cmp(&x.0)
                        .then_with(|| x.1.abs_diff(i).cmp(&y.1.abs_diff(i)))
                        .then_with(|| x.1.cmp(&y.1))
                };
                if best.len() > n {
                    best.select_nth_unstable_by(n, better);
                    best.truncate(n);
                }
                best.sort_by(better);
                best.into_iter().map(|(_, j)| j).collect()
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::urls::{edition_name, edition_slug};

    #[test]
    fn editions_follow_the_configured_week() {
        let mut c = Config::default();
        let d = |m, day| jiff::civil::date(2023, m, day);
        // 18 Oct 2023 is a Wednesday in ISO week 42 (16–22 Oct).
        assert_eq!(edition_start(d(10, 18), &c), d(10, 16));
        assert_eq!(edition_start(d(10, 16), &c), d(10, 16));
        assert_eq!(edition_start(d(10, 22), &c), d(10, 16));
        assert_eq!(edition_end(d(10, 16), &c), d(10, 22));
        assert_eq!(edition_slug(d(10, 16), &c), "2023-w42");
        assert_eq!(edition_name(d(10, 16), &c), "Week 42, 2023");
        // ISO years differ from calendar years at the edges.
        assert_eq!(edition_slug(edition_start(d(1, 1), &c), &c), "2022-w52");
        c.week_start = jiff::civil::Weekday::Saturday;
        assert_eq!(edition_start(d(10, 18), &c), d(10, 14));
        assert_eq!(edition_slug(d(10, 14), &c), "2023-10-14");
        c.edition_days = 14;
        let a = edition_start(d(10, 18), &c);
        assert_eq!(a.weekday(), jiff::civil::Weekday::Saturday);
        assert!(a <= d(10, 18) && edition_end(a, &c) >= d(10, 18));
        assert_eq!(edition_start(edition_end(a, &c), &c), a);
        // Dates before the anchor work too.
        let old = edition_start(jiff::civil::date(1990, 5, 5), &c);
        assert!(old <= jiff::civil::date(1990, 5, 5));
        assert_eq!(old.weekday(), jiff::civil::Weekday::Saturday);
    }

    fn art(slug: &str, day: i8, countries: &[&str], topics: &[&str]) -> Article {
        let mut a = Article::blank(slug);
        a.date = Some(jiff::civil::date(2023, 10, day));
        a.countries = countries
            .iter()
            .map(|c| CountryCode::new(c).unwrap())
            .collect();
        a.topics = topics.iter().map(|t| t.to_string()).collect();
        // About defence: not off-topic, listed in editions.
        a.relevance = 1.0;
        a
    }

    #[test]
    fn a_report_with_a_country_no_lead_has_is_related_without_panicking() {
        let config = Config::default();
        let tagger = Arc::new(Tagger::new(&config).unwrap());
        let lead = "The navy commissioned two new frigates at the northern base on Monday, officials said, adding that the ships would patrol the strait and escort convoys through the sea lanes.";
        let mut a = art("frigates", 2, &["PK"], &["arms-trade"]);
        a.title = "Navy commissions two frigates".into();
        a.summary_text = lead.into();
        let mut b = art("frigates-copy", 3, &["PK", "CN"], &["shipbuilding"]);
        b.title = a.title.clone();
        b.summary_text = lead.into();
        let site = index(config, tagger, vec![Arc::new(a), Arc::new(b)]);
        assert_eq!(site.stories.len(), 1);
        assert_eq!(site.leads.len(), 1);
        // Counts count stories: one story, on the page of each country of
        // its reports.
        assert_eq!(site.by_country.len(), 2);
        assert!(site.by_country.values().all(|l| l == &[site.leads[0]]));
        assert_eq!(site.related.len(), 2);
    }

    #[test]
    fn sorts_groups_and_relates() {
        let config = Config::default();
        let tagger = Arc::new(Tagger::new(&config).unwrap());
        let site = index(
            config,
            tagger,
            vec![
                art("old", 1, &["PK", "RU"], &["arms-trade"]),
                art("new", 20, &["PK", "RU"], &["military-exercises"]),
                art("mid", 10, &["FR"], &["arms-trade"]),
                art("other", 11, &["PK"], &["arms-trade"]),
            ]
            .into_iter()
            .map(Arc::new)
            .collect(),
        );
        let slugs: Vec<_> = site.articles.iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(slugs, ["new", "other", "mid", "old"]);
        let pk = CountryCode::new("PK").unwrap();
        assert_eq!(site.by_country[&pk], vec![0, 1, 3]);
        assert_eq!(site.by_topic["arms-trade"], vec![1, 2, 3]);
        assert_eq!(site.by_month[&(2023, 10)].len(), 4);
        // PK-RU are tagged together twice; a pair page needs two.
        let ru = CountryCode::new("RU").unwrap();
        assert_eq!(site.by_pair.len(), 1);
        assert_eq!(site.by_pair[&(pk, ru)], vec![0, 3]);
        // 1 Oct 2023 is a Sunday: week 39; the 10th and 11th are in week 41.
        let weeks: Vec<_> = site
            .by_edition
            .iter()
            .map(|(d, l)| (edition_slug(*d, &site.config), l.clone()))
            .collect();
        assert_eq!(
            weeks,
            [
                ("2023-w39".to_string(), vec![3]),
                ("2023-w41".to_string(), vec![1, 2]),
                ("2023-w42".to_string(), vec![0]),
            ]
        );
        // "old" shares PK+RU with "new" (4) and PK+arms-trade with "other" (3).
        assert_eq!(site.related[3], vec![0, 1]);
    }

    #[test]
    fn off_topic_articles_stay_out_of_editions_and_the_front_page_when_hidden() {
        let articles = || {
            let mut wire = art("wire", 12, &["US"], &[]);
            wire.relevance = 0.1;
            let mut chosen = art("chosen", 13, &["US"], &["trade-economy"]);
            chosen.relevance = 0.1;
            chosen.topics_origin = crate::model::TagOrigin::Explicit;
            vec![
                art("navy", 11, &["US"], &["maritime-security"]),
                wire,
                chosen,
            ]
            .into_iter()
            .map(Arc::new)
            .collect()
        };
        let config = Config::default();
        let tagger = Arc::new(Tagger::new(&config).unwrap());
        let site = index(config.clone(), tagger.clone(), articles());
        let slugs: Vec<_> = site.articles.iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(slugs, ["chosen", "wire", "navy"]);
        // The wire story is hidden; the editor's own topics keep "chosen" in.
        assert_eq!(*site.front, vec![0, 2]);
        let listed: Vec<usize> = site.by_edition.values().flatten().copied().collect();
        assert_eq!(listed, [0, 2]);
        // Its country page and the archive still list it.
        assert_eq!(
            site.by_country[&CountryCode::new("US").unwrap()],
            vec![0, 1, 2]
        );
        assert_eq!(site.by_month[&(2023, 10)].len(), 3);

        let shown = Config {
            off_topic: crate::config::OffTopic::Show,
            ..config
        };
        let site = index(shown, tagger, articles());
        assert_eq!(*site.front, vec![0, 1, 2]);
    }
}

//! What the digest pages show beyond article lists: counts, editions'
//! "at a glance", regions, sources' coverage, timelines and charts. All of it follows from the
//! site's structure (order, dates and tags of the articles, never their
//! text), so it is computed once per structure and reused by every pass
//! until an article moves, changes tags or comes or goes.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use jiff::civil::Date;
use rayon::prelude::*;
use tera::Value;

mod charts;
mod editions;
mod regions;
mod sources;
mod tags;

use charts::Weeks;

use super::Renderer;
use super::kinds::CountryPair as Pair;
use super::views::obj;
use crate::model::CountryCode;
use crate::urls;

/// Template values shown on a page, and their hash for fingerprints.
pub(super) struct Aggregate {
    pub(super) values: Vec<(&'static str, Value)>,
    pub(super) hash: u64,
}

impl Aggregate {
    pub(super) fn new(values: Vec<(&'static str, Value)>) -> Self {
        let mut h = std::hash::DefaultHasher::new();
        for (k, v) in &values {
            k.hash(&mut h);
            v.to_string().hash(&mut h);
        }
        Aggregate {
            values,
            hash: h.finish(),
        }
    }

    pub(super) fn insert_into(&self, ctx: &mut tera::Context) {
        for (k, v) in &self.values {
            ctx.insert_value(*k, v.clone());
        }
    }
}

/// As its hash: what a page's fingerprint needs of it.
impl Hash for Aggregate {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.hash.hash(h);
    }
}

/// As its aggregate, which covers its glance, groups and other articles.
impl Hash for Edition {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.aggr.hash(h);
    }
}

/// As its aggregate, which covers its name, countries and chart.
impl Hash for Region {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.aggr.hash(h);
    }
}

/// Articles of an edition under a region: (country, articles) in order.
pub(super) type RegionGroup = (String, Vec<(CountryCode, Vec<usize>)>);

/// (name, code, article count) of the countries of one sub-region.
type SubregionCountries = Vec<(String, CountryCode, usize)>;

/// One edition: its glance and its articles grouped by region and country.
pub(super) struct Edition {
    /// The "at a glance" panel, also shown on the front page and in the
    /// editions index.
    pub(super) glance: Value,
    pub(super) aggr: Aggregate,
    /// The top stories (their leads), highest rank first: not repeated in
    /// the groups.
    pub(super) top: Vec<usize>,
    /// (region, [(country, stories)]); stories under their lead's most
    /// salient country only, highest rank first.
    pub(super) groups: Vec<RegionGroup>,
    /// Articles about no country with a known region.
    pub(super) other: Vec<usize>,
}

pub(super) struct Region {
    pub(super) name: String,
    pub(super) slug: String,
    /// Sub-regions with their countries, also shown on the countries index.
    pub(super) subregions: Value,
    pub(super) aggr: Aggregate,
    /// The newest articles about the region's countries.
    pub(super) latest: Vec<usize>,
}

/// Everything derived from the site's structure. Each part is made when a
/// page first needs it (a rebuild after an edit needs few), and kept for
/// later passes over the same structure.
#[derive(Default)]
pub(super) struct Derived {
    weeks: OnceLock<Weeks>,
    countries: BTreeMap<CountryCode, OnceLock<Aggregate>>,
    topics: BTreeMap<String, OnceLock<Aggregate>>,
    pairs: BTreeMap<Pair, OnceLock<Aggregate>>,
    editions: BTreeMap<Date, OnceLock<Edition>>,
    /// Edition start dates, ascending.
    pub(super) edition_keys: Vec<Date>,
    regions: OnceLock<Vec<Region>>,
    countries_index: OnceLock<Aggregate>,
    topics_index: OnceLock<Aggregate>,
    editions_index: OnceLock<Aggregate>,
    relations_index: OnceLock<Aggregate>,
    /// Each source's coverage, as `site.outlets.list`.
    sources: Vec<OnceLock<Aggregate>>,
    sources_index: OnceLock<Aggregate>,
}

impl Derived {
    /// The empty parts of `site`'s derived values.
    pub(super) fn new(site: &crate::index::Site) -> Derived {
        fn cells<T>(n: usize) -> impl Iterator<Item = OnceLock<T>> {
            (0..n).map(|_| OnceLock::new())
        }
        let sec = &site.config.sections;
        Derived {
            countries: site
                .by_country
                .keys()
                .copied()
                .zip(cells(site.by_country.len()))
                .collect(),
            topics: site
                .by_topic
                .keys()
                .cloned()
                .zip(cells(site.by_topic.len()))
                .collect(),
            pairs: if sec.relations {
                site.by_pair
                    .keys()
                    .copied()
                    .zip(cells(site.by_pair.len()))
                    .collect()
            } else {
                BTreeMap::new()
            },
            editions: if sec.editions {
                site.by_edition
                    .keys()
                    .copied()
                    .zip(cells(site.by_edition.len()))
                    .collect()
            } else {
                BTreeMap::new()
            },
            edition_keys: site.by_edition.keys().copied().collect(),
            sources: if sec.sources {
                cells(site.outlets.list.len()).collect()
            } else {
                Vec::new()
            },
            ..Derived::default()
        }
    }
}

/// How many latest articles a region page shows.
pub(super) const REGION_LATEST: usize = 10;

impl<'s> Renderer<'s> {
    /// Makes every derived value now, in parallel: a full pass needs them
    /// all, and would otherwise make them one page at a time.
    pub(super) fn derive_all(&self) {
        let d = &self.derived;
        let sec = &self.site.config.sections;
        self.weeks();
        rayon::scope(|scope| {
            scope.spawn(|_| {
                d.countries.par_iter().for_each(|(c, _)| {
                    self.country_aggr(*c);
                })
            });
            scope.spawn(|_| {
                d.topics.par_iter().for_each(|(t, _)| {
                    self.topic_aggr(t);
                })
            });
            scope.spawn(|_| {
                d.pairs.par_iter().for_each(|(p, _)| {
                    self.pair_aggr(*p);
                })
            });
            scope.spawn(|_| {
                d.editions.par_iter().for_each(|(e, _)| {
                    self.edition_of(*e);
                })
            });
            scope.spawn(|_| {
                self.regions_list();
            });
            scope.spawn(|_| {
                (0..d.sources.len()).into_par_iter().for_each(|k| {
                    self.source_aggr(k);
                })
            });
        });
        if sec.sources {
            self.sources_index_aggr();
        }
        self.countries_index_aggr();
        self.topics_index_aggr();
        if sec.editions {
            self.editions_index_aggr();
        }
        if sec.relations {
            self.relations_index_aggr();
        }
    }

    fn weeks(&self) -> &Weeks {
        self.derived.weeks.get_or_init(|| self.all_weeks())
    }

    /// A country page's counts, chart and partners.
    pub(super) fn country_aggr(&self, c: CountryCode) -> Option<&Aggregate> {
        let cell = self.derived.countries.get(&c)?;
        Some(
            cell.get_or_init(|| self.country_aggregate(c, &self.site.by_country[&c], self.weeks())),
        )
    }

    /// A topic page's counts and chart.
    pub(super) fn topic_aggr(&self, t: &str) -> Option<&Aggregate> {
        let cell = self.derived.topics.get(t)?;
        Some(cell.get_or_init(|| self.topic_aggregate(t, &self.site.by_topic[t], self.weeks())))
    }

    /// A pair page's topics and chart (`None` without relations).
    pub(super) fn pair_aggr(&self, p: Pair) -> Option<&Aggregate> {
        let cell = self.derived.pairs.get(&p)?;
        Some(cell.get_or_init(|| self.pair_aggregate(p, &self.site.by_pair[&p], self.weeks())))
    }

    /// The edition starting on `e` (`None` without editions).
    pub(super) fn edition_of(&self, e: Date) -> Option<&Edition> {
        let s = self.site;
        let cell = self.derived.editions.get(&e)?;
        Some(cell.get_or_init(|| {
            // Compared with the calendar week before, empty or not.
            let days = i64::from(s.config.edition_days);
            let prev = e
                .checked_sub(jiff::SignedDuration::from_hours(24 * days))
                .ok()
                .and_then(|p| s.by_edition.get(&p));
            self.edition(e, &s.by_edition[&e], prev.map_or(&[][..], Vec::as_slice))
        }))
    }

    /// A source page's coverage (`None` without source pages).
    pub(super) fn source_aggr(&self, k: usize) -> Option<&Aggregate> {
        let cell = self.derived.sources.get(k)?;
        Some(cell.get_or_init(|| self.source_aggregate(k)))
    }

    /// The sources index's groups and counts.
    pub(super) fn sources_index_aggr(&self) -> &Aggregate {
        self.derived
            .sources_index
            .get_or_init(|| self.sources_index_aggregate())
    }

    /// The regions with the site's countries, in display order.
    pub(super) fn regions_list(&self) -> &[Region] {
        self.derived.regions.get_or_init(|| self.regions())
    }

    /// The latest edition, whose glance the front page shows.
    pub(super) fn latest_edition(&self) -> Option<&Edition> {
        let last = self.derived.edition_keys.last()?;
        self.edition_of(*last)
    }

    pub(super) fn countries_index_aggr(&self) -> &Aggregate {
        self.derived
            .countries_index
            .get_or_init(|| self.countries_index(self.regions_list()))
    }

    pub(super) fn topics_index_aggr(&self) -> &Aggregate {
        self.derived
            .topics_index
            .get_or_init(|| self.topics_index())
    }

    pub(super) fn editions_index_aggr(&self) -> &Aggregate {
        self.derived
            .editions_index
            .get_or_init(|| self.editions_index(self.weeks()))
    }

    pub(super) fn relations_index_aggr(&self) -> &Aggregate {
        self.derived
            .relations_index
            .get_or_init(|| self.relations_index())
    }

    /// Topics of the articles in `list`, most frequent first.
    pub(super) fn topic_tally<'a>(&'a self, list: &[usize]) -> Vec<(&'a str, usize)> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for &i in list {
            for t in &self.site.articles[i].topics {
                *counts.entry(t).or_default() += 1;
            }
        }
        let mut v: Vec<_> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        v
    }

    /// Countries of the articles in `list` (but `except`), most frequent first.
    pub(super) fn country_tally(
        &self,
        list: &[usize],
        except: Option<CountryCode>,
    ) -> Vec<(CountryCode, usize)> {
        let mut counts: HashMap<CountryCode, usize> = HashMap::new();
        for &i in list {
            for c in &self.site.articles[i].countries {
                if Some(*c) != except {
                    *counts.entry(*c).or_default() += 1;
                }
            }
        }
        let mut v: Vec<_> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }

    /// Count chips: [{country|topic, count, path}].
    fn country_chips(&self, tally: &[(CountryCode, usize)], n: usize) -> Value {
        Value::from(
            tally
                .iter()
                .take(n)
                .map(|(c, k)| {
                    obj([
                        (
                            "country",
                            Value::from_serializable(&self.fixed.country_ref(*c)),
                        ),
                        ("count", Value::from(*k)),
                    ])
                })
                .collect::<Vec<_>>(),
        )
    }

    fn topic_chips(&self, tally: &[(&str, usize)], n: usize) -> Value {
        Value::from(
            tally
                .iter()
                .take(n)
                .map(|(t, k)| {
                    obj([
                        ("topic", Value::from_serializable(&self.fixed.topic_ref(t))),
                        ("count", Value::from(*k)),
                    ])
                })
                .collect::<Vec<_>>(),
        )
    }

    fn name(&self, c: CountryCode) -> String {
        self.site.tagger.gazetteer.name(c)
    }

    /// The link to the page of the edition starting on `start`.
    fn edition_path(&self, start: Date) -> String {
        self.fixed.link(&urls::edition(start, &self.site.config))
    }

    fn pair_path(&self, p: Pair) -> String {
        self.fixed.link(&urls::pair(p))
    }

    /// The editions of the editions feed, newest first.
    pub(super) fn feed_editions(&self) -> Vec<Date> {
        let keys = &self.derived.edition_keys;
        keys.iter()
            .rev()
            .take(self.site.config.feed_entries)
            .copied()
            .collect()
    }
}

/// "16–22 October 2023", "28 October – 3 November 2023", "30 Dec 2023 – 5 Jan 2024".
pub(super) fn date_range(a: Date, b: Date) -> String {
    if a == b {
        a.strftime("%-d %B %Y").to_string()
    } else if a.year() != b.year() {
        format!("{} – {}", a.strftime("%-d %b %Y"), b.strftime("%-d %b %Y"))
    } else if a.month() != b.month() {
        format!("{} – {}", a.strftime("%-d %B"), b.strftime("%-d %B %Y"))
    } else {
        format!("{}–{}", a.day(), b.strftime("%-d %B %Y"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_ranges_read_well() {
        let d = jiff::civil::date;
        assert_eq!(
            date_range(d(2023, 10, 16), d(2023, 10, 22)),
            "16–22 October 2023"
        );
        assert_eq!(
            date_range(d(2023, 10, 28), d(2023, 11, 3)),
            "28 October – 3 November 2023"
        );
        assert_eq!(
            date_range(d(2023, 12, 30), d(2024, 1, 5)),
            "30 Dec 2023 – 5 Jan 2024"
        );
        assert_eq!(date_range(d(2023, 1, 2), d(2023, 1, 2)), "2 January 2023");
    }
}

//! What the digest pages show beyond article lists: counts, editions'
//! "at a glance", regions, timelines and charts. All of it follows from the
//! site's structure (order, dates and tags of the articles, never their
//! text), so it is computed once per structure and reused by every pass
//! until an article moves, changes tags or comes or goes.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use jiff::civil::Date;
use rayon::prelude::*;
use tera::Value;

use super::Renderer;
use super::kinds::Pair2 as Pair;
use super::views::obj;
use crate::index::{edition_end, edition_start};
use crate::model::CountryCode;
use crate::regions;
use crate::svg;
use crate::urls::{self, edition_name, edition_slug};

/// The M49 regions in display order.
pub(super) const REGIONS: [&str; 5] = ["Africa", "Americas", "Asia", "Europe", "Oceania"];

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
pub(super) type RegionGroup = (&'static str, Vec<(CountryCode, Vec<usize>)>);

/// (name, code, article count) of the countries of one sub-region.
type SubregionCountries = Vec<(String, CountryCode, usize)>;

/// One edition: its glance and its articles grouped by region and country.
pub(super) struct Edition {
    /// The "at a glance" panel, also shown on the front page and in the
    /// editions index.
    pub(super) glance: Value,
    pub(super) aggr: Aggregate,
    /// (region, [(country, articles)]); articles under their most salient
    /// country only.
    pub(super) groups: Vec<RegionGroup>,
    /// Articles about no country with a known region.
    pub(super) other: Vec<usize>,
}

pub(super) struct Region {
    pub(super) name: &'static str,
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
            ..Derived::default()
        }
    }
}

/// The edition weeks a timeline spans.
pub(super) struct Weeks {
    dates: Vec<Date>,
    labels: Vec<String>,
    /// Edition page links (from the site root), where the week has one.
    hrefs: Vec<Option<String>>,
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
        });
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
            let keys = &self.derived.edition_keys;
            let prev = keys
                .binary_search(&e)
                .ok()
                .and_then(|p| p.checked_sub(1))
                .map(|p| &s.by_edition[&keys[p]][..]);
            self.edition(e, &s.by_edition[&e], prev.unwrap_or(&[]))
        }))
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

    /// Every edition start from the first to the last, gaps included, with
    /// their names and edition links, made once for every timeline.
    fn all_weeks(&self) -> Weeks {
        let s = self.site;
        let c = &s.config;
        let dates = self.week_dates();
        Weeks {
            labels: dates.iter().map(|d| edition_name(*d, c)).collect(),
            hrefs: dates
                .iter()
                .map(|d| {
                    (c.sections.editions && s.by_edition.contains_key(d))
                        .then(|| self.edition_path(*d))
                })
                .collect(),
            dates,
        }
    }

    fn week_dates(&self) -> Vec<Date> {
        let s = self.site;
        let (Some(first), Some(last)) = (s.by_edition.keys().next(), s.by_edition.keys().last())
        else {
            return Vec::new();
        };
        let step = jiff::SignedDuration::from_hours(24 * i64::from(s.config.edition_days));
        let mut weeks = vec![*first];
        let mut d = *first;
        while d < *last {
            d = match d.checked_add(step) {
                Ok(n) => n,
                Err(_) => break,
            };
            weeks.push(d);
        }
        weeks
    }

    /// An SVG column chart of `list` per edition over `weeks`; columns of
    /// weeks with an edition link to it, relative to a page `root`.
    fn timeline(&self, list: &[usize], weeks: &Weeks, root: &str, title: &str) -> Value {
        if !self.site.config.sections.charts || weeks.dates.is_empty() {
            return Value::from("");
        }
        let c = &self.site.config;
        let mut counts = vec![0usize; weeks.dates.len()];
        for &i in list {
            if let Some(d) = self.site.articles[i].date
                && let Ok(k) = weeks.dates.binary_search(&edition_start(d, c))
            {
                counts[k] += 1;
            }
        }
        // Links only where a column is drawn.
        let hrefs: Vec<Option<String>> = (0..counts.len())
            .map(|k| {
                weeks.hrefs[k]
                    .as_ref()
                    .filter(|_| counts[k] > 0)
                    .map(|h| format!("{root}{h}"))
            })
            .collect();
        let points: Vec<svg::TimePoint> = (0..counts.len())
            .map(|k| svg::TimePoint {
                label: &weeks.labels[k],
                href: hrefs[k].as_deref(),
                count: counts[k],
            })
            .collect();
        Value::from(svg::timeline(&points, title))
    }

    fn bars(&self, items: &[(String, String, usize)], title: &str) -> Value {
        if !self.site.config.sections.charts || items.is_empty() {
            return Value::from("");
        }
        let bars: Vec<svg::Bar> = items
            .iter()
            .map(|(label, href, count)| svg::Bar {
                label,
                href,
                count: *count,
            })
            .collect();
        Value::from(svg::bar_chart(&bars, title))
    }

    /// The link to the search page filtered by facets, or `fallback` when
    /// the site has no search.
    fn facet_link(
        &self,
        country: Option<CountryCode>,
        topic: Option<&str>,
        fallback: String,
    ) -> String {
        if !self.site.config.sections.search {
            return fallback;
        }
        let mut q = Vec::new();
        if let Some(c) = country {
            q.push(format!("country={c}"));
        }
        if let Some(t) = topic {
            q.push(format!("topic={t}"));
        }
        format!("{}?{}", self.fixed.link(urls::SEARCH), q.join("&"))
    }

    fn country_aggregate(&self, c: CountryCode, list: &[usize], weeks: &Weeks) -> Aggregate {
        let name = self.site.tagger.gazetteer.name(c);
        let by_topic: Vec<Value> = self
            .topic_tally(list)
            .into_iter()
            .map(|(t, n)| {
                obj([
                    ("topic", Value::from_serializable(&self.fixed.topic_ref(t))),
                    ("count", Value::from(n)),
                    (
                        "path",
                        Value::from(self.facet_link(
                            Some(c),
                            Some(t),
                            self.fixed.link(&urls::topic(t)),
                        )),
                    ),
                ])
            })
            .collect();
        let partners: Vec<Value> = self
            .country_tally(list, Some(c))
            .into_iter()
            .take(12)
            .map(|(p, n)| {
                let key = if c < p { (c, p) } else { (p, c) };
                let pair = (self.site.config.sections.relations
                    && self.site.by_pair.contains_key(&key))
                .then(|| self.pair_path(key));
                obj([
                    (
                        "country",
                        Value::from_serializable(&self.fixed.country_ref(p)),
                    ),
                    ("count", Value::from(n)),
                    ("pair_path", pair.map_or(Value::none(), Value::from)),
                ])
            })
            .collect();
        let top: Vec<Value> = by_topic.iter().take(6).cloned().collect();
        Aggregate::new(vec![
            ("top_topics", Value::from(top)),
            ("by_topic", Value::from(by_topic)),
            ("partners", Value::from(partners)),
            (
                "timeline",
                self.timeline(
                    list,
                    weeks,
                    &urls::up(&urls::country(c)),
                    &format!("Articles about {name} per week"),
                ),
            ),
        ])
    }

    fn topic_aggregate(&self, t: &str, list: &[usize], weeks: &Weeks) -> Aggregate {
        let by_country: Vec<Value> = self
            .country_tally(list, None)
            .into_iter()
            .take(24)
            .map(|(c, n)| {
                obj([
                    (
                        "country",
                        Value::from_serializable(&self.fixed.country_ref(c)),
                    ),
                    ("count", Value::from(n)),
                    (
                        "path",
                        Value::from(self.facet_link(
                            Some(c),
                            None,
                            self.fixed.link(&urls::country(c)),
                        )),
                    ),
                ])
            })
            .collect();
        let top: Vec<Value> = by_country.iter().take(10).cloned().collect();
        Aggregate::new(vec![
            ("top_countries", Value::from(top)),
            ("by_country", Value::from(by_country)),
            (
                "timeline",
                self.timeline(list, weeks, &urls::up(&urls::topic(t)), "Articles per week"),
            ),
        ])
    }

    fn pair_aggregate(&self, p: Pair, list: &[usize], weeks: &Weeks) -> Aggregate {
        let topics: Vec<Value> = self
            .topic_tally(list)
            .into_iter()
            .map(|(t, n)| {
                obj([
                    ("topic", Value::from_serializable(&self.fixed.topic_ref(t))),
                    ("count", Value::from(n)),
                ])
            })
            .collect();
        Aggregate::new(vec![
            ("topics", Value::from(topics)),
            (
                "timeline",
                self.timeline(
                    list,
                    weeks,
                    &urls::up(&urls::pair(p)),
                    "Shared articles per week",
                ),
            ),
        ])
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

    fn edition(&self, start: Date, list: &[usize], prev: &[usize]) -> Edition {
        let s = self.site;
        let c = &s.config;
        let countries = self.country_tally(list, None);
        let topics = self.topic_tally(list);
        // What rose: tags with more articles than in the edition before.
        let before_c: HashMap<CountryCode, usize> =
            self.country_tally(prev, None).into_iter().collect();
        let before_t: HashMap<&str, usize> = self.topic_tally(prev).into_iter().collect();
        let mut rising: Vec<(usize, String, Value)> = Vec::new();
        for (code, n) in &countries {
            let was = before_c.get(code).copied().unwrap_or(0);
            if *n > was && *n >= 2 {
                let r = self.fixed.country_ref(*code);
                rising.push((
                    n - was,
                    r.name.clone(),
                    obj([
                        ("name", Value::from(format!("{} {}", r.flag, r.name))),
                        ("path", Value::from(r.path)),
                        ("count", Value::from(*n)),
                        ("was", Value::from(was)),
                    ]),
                ));
            }
        }
        for (t, n) in &topics {
            let was = before_t.get(t).copied().unwrap_or(0);
            if *n > was && *n >= 2 {
                let r = self.fixed.topic_ref(t);
                rising.push((
                    n - was,
                    r.name.clone(),
                    obj([
                        ("name", Value::from(r.name)),
                        ("path", Value::from(r.path)),
                        ("count", Value::from(*n)),
                        ("was", Value::from(was)),
                    ]),
                ));
            }
        }
        rising.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let end = edition_end(start, c);
        let glance = obj([
            ("name", Value::from(edition_name(start, c))),
            ("slug", Value::from(edition_slug(start, c))),
            ("path", Value::from(self.edition_path(start))),
            ("start", Value::from(start.to_string())),
            ("end", Value::from(end.to_string())),
            ("range", Value::from(date_range(start, end))),
            ("count", Value::from(list.len())),
            ("country_count", Value::from(countries.len())),
            ("top_countries", self.country_chips(&countries, 6)),
            ("top_topics", self.topic_chips(&topics, 5)),
            (
                "rising",
                Value::from(
                    rising
                        .into_iter()
                        .take(5)
                        .map(|(_, _, v)| v)
                        .collect::<Vec<_>>(),
                ),
            ),
        ]);
        // Group by the region of each article's most salient country.
        let mut by_region: BTreeMap<usize, BTreeMap<CountryCode, Vec<usize>>> = BTreeMap::new();
        let mut other = Vec::new();
        for &i in list {
            let a = &s.articles[i];
            let placed = a.countries.first().and_then(|code| {
                let r = regions::region_of(&code.to_string())?;
                let k = REGIONS.iter().position(|x| *x == r.region)?;
                Some((k, *code))
            });
            match placed {
                Some((k, code)) => by_region
                    .entry(k)
                    .or_default()
                    .entry(code)
                    .or_default()
                    .push(i),
                None => other.push(i),
            }
        }
        let groups: Vec<RegionGroup> = by_region
            .into_iter()
            .map(|(k, m)| {
                let mut cs: Vec<(CountryCode, Vec<usize>)> = m.into_iter().collect();
                cs.sort_by(|a, b| {
                    b.1.len()
                        .cmp(&a.1.len())
                        .then_with(|| self.name(a.0).cmp(&self.name(b.0)))
                });
                (REGIONS[k], cs)
            })
            .collect();
        let mut aggr = Aggregate::new(vec![("glance", glance.clone())]);
        let mut h = std::hash::DefaultHasher::new();
        aggr.hash.hash(&mut h);
        for (r, cs) in &groups {
            r.hash(&mut h);
            cs.hash(&mut h);
        }
        other.hash(&mut h);
        aggr.hash = h.finish();
        Edition {
            glance,
            aggr,
            groups,
            other,
        }
    }

    fn name(&self, c: CountryCode) -> String {
        self.site.tagger.gazetteer.name(c)
    }

    /// Regions with the countries of the site, grouped by sub-region.
    fn regions(&self) -> Vec<Region> {
        let s = self.site;
        let mut grouped: BTreeMap<usize, BTreeMap<&'static str, SubregionCountries>> =
            BTreeMap::new();
        for (c, list) in s.by_country.iter() {
            if let Some(r) = regions::region_of(&c.to_string())
                && let Some(k) = REGIONS.iter().position(|x| *x == r.region)
            {
                grouped
                    .entry(k)
                    .or_default()
                    .entry(r.subregion)
                    .or_default()
                    .push((self.name(*c), *c, list.len()));
            }
        }
        grouped
            .into_iter()
            .map(|(k, subs)| {
                let name = REGIONS[k];
                let mut all: Vec<usize> = Vec::new();
                let mut tally: Vec<(String, String, usize)> = Vec::new();
                let subregions: Value = subs
                    .into_iter()
                    .map(|(sub, mut cs)| {
                        cs.sort();
                        let n: usize = cs.iter().map(|x| x.2).sum();
                        let countries: Vec<Value> = cs
                            .iter()
                            .map(|(_, c, n)| {
                                all.extend(&s.by_country[c]);
                                let r = self.fixed.country_ref(*c);
                                tally.push((format!("{} {}", r.flag, r.name), r.path.clone(), *n));
                                obj([
                                    ("country", Value::from_serializable(&r)),
                                    ("count", Value::from(*n)),
                                ])
                            })
                            .collect();
                        obj([
                            ("name", Value::from(sub)),
                            ("mentions", Value::from(n)),
                            ("countries", Value::from(countries)),
                        ])
                    })
                    .collect::<Vec<Value>>()
                    .into();
                all.sort_unstable();
                all.dedup();
                tally.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
                tally.truncate(15);
                let slug = regions::slug(name);
                let up = urls::up(&urls::region(&slug));
                let rooted: Vec<(String, String, usize)> = tally
                    .into_iter()
                    .map(|(l, p, n)| (l, format!("{up}{p}"), n))
                    .collect();
                let aggr = Aggregate::new(vec![
                    (
                        "region",
                        obj([
                            ("name", Value::from(name)),
                            ("path", Value::from(self.fixed.link(&urls::region(&slug)))),
                        ]),
                    ),
                    ("subregions", subregions.clone()),
                    ("count", Value::from(all.len())),
                    (
                        "chart",
                        self.bars(&rooted, &format!("Most-covered countries of {name}")),
                    ),
                ]);
                all.truncate(REGION_LATEST);
                Region {
                    name,
                    slug,
                    subregions,
                    aggr,
                    latest: all,
                }
            })
            .collect()
    }

    fn countries_index(&self, regions: &[Region]) -> Aggregate {
        let s = self.site;
        let sec = &s.config.sections;
        let names: BTreeMap<CountryCode, String> =
            s.by_country.keys().map(|c| (*c, self.name(*c))).collect();
        let map = if sec.charts {
            let codes: Vec<String> = s.by_country.keys().map(|c| c.to_string()).collect();
            let up = urls::up(urls::COUNTRIES);
            let hrefs: Vec<String> = s
                .by_country
                .keys()
                .map(|c| format!("{up}{}", self.fixed.link(&urls::country(*c))))
                .collect();
            let items: Vec<svg::MapCountry> = s
                .by_country
                .iter()
                .enumerate()
                .map(|(k, (c, list))| svg::MapCountry {
                    code: &codes[k],
                    name: &names[c],
                    count: list.len(),
                    href: &hrefs[k],
                })
                .collect();
            svg::world_map(&items, "Articles per country")
        } else {
            String::new()
        };
        let mut tally: Vec<(String, String, usize)> = s
            .by_country
            .iter()
            .map(|(c, l)| {
                let r = self.fixed.country_ref(*c);
                (
                    format!("{} {}", r.flag, r.name),
                    format!("{}{}", urls::up(urls::COUNTRIES), r.path),
                    l.len(),
                )
            })
            .collect();
        tally.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        tally.truncate(15);
        let chart = self.bars(&tally, "Most-covered countries");
        // Grouped by region; countries without one come last.
        let mut groups: Vec<Value> = regions
            .iter()
            .map(|r| {
                obj([
                    ("name", Value::from(r.name)),
                    (
                        "path",
                        if sec.regions {
                            Value::from(self.fixed.link(&urls::region(&r.slug)))
                        } else {
                            Value::none()
                        },
                    ),
                    ("subregions", r.subregions.clone()),
                ])
            })
            .collect();
        let rest: Vec<Value> = s
            .by_country
            .iter()
            .filter(|(c, _)| {
                regions::region_of(&c.to_string()).is_none_or(|r| !REGIONS.contains(&r.region))
            })
            .map(|(c, l)| {
                obj([
                    (
                        "country",
                        Value::from_serializable(&self.fixed.country_ref(*c)),
                    ),
                    ("count", Value::from(l.len())),
                ])
            })
            .collect();
        if !rest.is_empty() {
            groups.push(obj([
                ("name", Value::from("Other")),
                ("path", Value::none()),
                (
                    "subregions",
                    Value::from(vec![obj([
                        ("name", Value::from("")),
                        ("countries", Value::from(rest)),
                    ])]),
                ),
            ]));
        }
        // Every country, by name, for templates that want a flat list.
        let mut flat: Vec<(&String, CountryCode, usize)> = s
            .by_country
            .iter()
            .map(|(c, l)| (&names[c], *c, l.len()))
            .collect();
        flat.sort();
        let flat: Vec<Value> = flat
            .into_iter()
            .map(|(_, c, n)| {
                obj([
                    (
                        "country",
                        Value::from_serializable(&self.fixed.country_ref(c)),
                    ),
                    ("count", Value::from(n)),
                ])
            })
            .collect();
        Aggregate::new(vec![
            ("map", Value::from(map)),
            ("chart", chart),
            ("regions", Value::from(groups)),
            ("countries", Value::from(flat)),
            ("country_count", Value::from(s.by_country.len())),
        ])
    }

    fn topics_index(&self) -> Aggregate {
        let s = self.site;
        let mut items: Vec<(String, String, usize)> = s
            .by_topic
            .iter()
            .map(|(t, l)| {
                let r = self.fixed.topic_ref(t);
                (
                    r.name,
                    format!("{}{}", urls::up(urls::TOPICS), r.path),
                    l.len(),
                )
            })
            .collect();
        items.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        Aggregate::new(vec![("chart", self.bars(&items, "Articles per topic"))])
    }

    fn editions_index(&self, weeks: &Weeks) -> Aggregate {
        let all: Vec<usize> = (0..self.site.articles.len()).collect();
        let list: Vec<Value> = self
            .derived
            .edition_keys
            .par_iter()
            .rev()
            .filter_map(|e| self.edition_of(*e).map(|x| x.glance.clone()))
            .collect();
        Aggregate::new(vec![
            ("editions", Value::from(list)),
            (
                "timeline",
                self.timeline(
                    &all,
                    weeks,
                    &urls::up(urls::EDITIONS),
                    "Articles per edition",
                ),
            ),
        ])
    }

    fn relations_index(&self) -> Aggregate {
        let s = self.site;
        let mut pairs: Vec<(usize, String, Value)> = s
            .by_pair
            .iter()
            .map(|(p, l)| {
                let (a, b) = (self.fixed.country_ref(p.0), self.fixed.country_ref(p.1));
                let label = format!("{} – {}", a.name, b.name);
                (
                    l.len(),
                    label,
                    obj([
                        ("a", Value::from_serializable(&a)),
                        ("b", Value::from_serializable(&b)),
                        ("path", Value::from(self.pair_path(*p))),
                        ("count", Value::from(l.len())),
                    ]),
                )
            })
            .collect();
        pairs.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(&y.1)));
        Aggregate::new(vec![(
            "pairs",
            Value::from(pairs.into_iter().map(|x| x.2).collect::<Vec<_>>()),
        )])
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

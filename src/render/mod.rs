//! The render stage: Tera templates (the site's own over the built-in set)
//! turn the indexed [`Site`] into output files in memory.
//!
//! Each article's card (title, date, link, summary, chips) is converted to a
//! template value once and shared by every listing that shows it: template
//! values are reference-counted, so a page never copies the site.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::diag::Diagnostics;
use crate::index::Site;
use crate::model::{Article, CountryCode, Output};

mod digest;
mod feeds;
mod templates;
mod views;

use digest::Derived;
pub use templates::{BUILTIN_TEMPLATES, TEMPLATES_DIR, Templates, load_templates, template_error};
use views::*;

/// Two countries, codes ascending.
type Pair = (CountryCode, CountryCode);

/// Whether the site has its own `static/robots.txt`, which takes the place
/// of the generated one.
pub fn has_own_robots(root: &Path) -> bool {
    root.join(crate::write::STATIC_DIR)
        .join("robots.txt")
        .is_file()
}

/// One output to render.
enum Job<'s> {
    Front(usize),
    Article(usize),
    Countries,
    Country(CountryCode, usize),
    Topics,
    Topic(&'s str, usize),
    Archive,
    Month((i16, i8)),
    NotFound,
    Editions,
    Edition(jiff::civil::Date),
    Relations,
    Pair(Pair, usize),
    /// A region, by position in the derived list.
    Region(usize),
    Search,
    Feed(Feed<'s>),
    SearchIndex,
    SearchShard(usize),
    /// 0: `sitemap.xml`; k ≥ 1: `sitemap-k.xml` of a split sitemap.
    Sitemap(usize),
    Robots,
}

/// An Atom feed.
#[derive(Clone, Copy)]
enum Feed<'s> {
    Site,
    Country(CountryCode),
    Topic(&'s str),
    Pair(Pair),
    Editions,
}

pub struct Renderer<'s> {
    site: &'s Site,
    tera: &'s Tera,
    root: &'s Path,
    /// Each article's card as a template value, made when first shown.
    cards: Vec<OnceLock<Value>>,
    /// Cards a former pass made, by article fingerprint.
    prev_cards: HashMap<u64, Value>,
    /// A hash of what each article's card shows, made when first needed:
    /// listings fingerprint their articles by it, so an edit of an
    /// article's body re-renders its page and feeds, not every listing.
    card_fps: Vec<OnceLock<u64>>,
    /// Article fingerprints by position, contiguous for fast hashing.
    fps: Arc<Vec<u64>>,
    /// The former pass's article fingerprints, when its salt and site
    /// structure equal this one's.
    last_fps: Option<Arc<Vec<u64>>>,
    /// Changes with the configuration and the templates: a new salt makes
    /// every fingerprint new.
    salt: u64,
    /// What the pages show that follows from the site's structure, each
    /// part made when first needed.
    derived: Arc<Derived>,
    /// Each article's Atom entry, made when a feed first needs it.
    entries: Vec<OnceLock<(String, String)>>,
}

/// What one pass can hand to the next under the same configuration: the
/// article cards (by article fingerprint) and the per-list counts (by site
/// structure).
#[derive(Default, Clone)]
pub struct RenderCache {
    cards: HashMap<u64, Value>,
    derived: Option<(u64, Arc<Derived>)>,
    last: Option<LastPass>,
}

/// The last good pass: its salt, its site's structure and its article
/// fingerprints by position. With equal salt and structure, only pages
/// showing an article whose fingerprint changed can differ. The build
/// cache keeps it between runs of `milbrief build`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastPass {
    pub salt: u64,
    pub structure: u64,
    pub fps: Arc<Vec<u64>>,
}

impl RenderCache {
    /// A cache that knows only the last pass (as the build cache kept it).
    pub fn from_last(last: LastPass) -> RenderCache {
        RenderCache {
            last: Some(last),
            ..RenderCache::default()
        }
    }

    /// The last good pass, if any.
    pub fn last(&self) -> Option<&LastPass> {
        self.last.as_ref()
    }
}

/// What one render pass produced.
pub struct RenderPass {
    /// The outputs rendered: all on a first pass, else those whose inputs
    /// changed since the fingerprints it was given.
    pub outputs: Vec<Output>,
    /// The fingerprint of every output the site has now.
    pub fingerprints: HashMap<String, u64>,
    /// Outputs whose inputs were unchanged, so they were not rendered.
    pub reused: usize,
    /// Outputs whose fingerprint was computed: all of them, or (after an
    /// edit of text) those that can show an edited article.
    pub examined: usize,
}

impl<'s> Renderer<'s> {
    pub fn new(site: &'s Site, templates: &'s mut Templates, root: &'s Path) -> Self {
        Self::with_cache(site, templates, root, &mut RenderCache::default())
    }

    /// A renderer that reuses what a former pass under the same
    /// configuration built: cards of unchanged articles, and the per-list
    /// counts when the site's structure is unchanged.
    pub fn with_cache(
        site: &'s Site,
        templates: &'s mut Templates,
        root: &'s Path,
        cache: &mut RenderCache,
    ) -> Self {
        let c = &site.config;
        let mut salt = std::hash::DefaultHasher::new();
        format!("{c:?}").hash(&mut salt);
        templates.hash.hash(&mut salt);
        env!("CARGO_PKG_VERSION").hash(&mut salt);
        // Which outputs exist depends on this too (see `jobs`).
        has_own_robots(root).hash(&mut salt);
        let salt = salt.finish();
        let tera = &mut templates.tera;
        tera.global_context().insert(
            "site",
            &serde_json::json!({
                "title": c.title,
                "description": c.description,
                "base_url": c.base_url,
                "language": c.language,
                "generator": concat!("milbrief ", env!("CARGO_PKG_VERSION")),
            }),
        );
        let index = c.index_links;
        let link = |d: &str| {
            if index {
                format!("{d}index.html")
            } else {
                d.to_string()
            }
        };
        tera.global_context().insert(
            "links",
            &serde_json::json!({
                "home": link(""),
                "countries": link("countries/"),
                "topics": link("topics/"),
                "archive": link("archive/"),
                "editions": link("editions/"),
                "relations": link("relations/"),
                "search": link("search/"),
                "feed": "atom.xml",
            }),
        );
        tera.global_context().insert("sections", &c.sections);
        let tera: &'s Tera = tera;
        let n = site.articles.len();
        let mut r = Renderer {
            site,
            tera,
            root,
            cards: (0..n).map(|_| OnceLock::new()).collect(),
            // A removed article's card stays until cards pile up.
            prev_cards: if cache.cards.len() > 2 * n + 64 {
                HashMap::new()
            } else {
                cache.cards.clone()
            },
            card_fps: (0..n).map(|_| OnceLock::new()).collect(),
            fps: Arc::new(site.articles.iter().map(|a| a.fingerprint).collect()),
            last_fps: None,
            salt,
            derived: Arc::default(),
            entries: (0..n).map(|_| OnceLock::new()).collect(),
        };
        r.last_fps = match &cache.last {
            Some(l) if l.salt == r.salt && l.structure == site.structure => Some(l.fps.clone()),
            _ => None,
        };
        r.derived = match &cache.derived {
            Some((structure, derived)) if *structure == site.structure => derived.clone(),
            _ => {
                let d = Arc::new(Derived::new(site));
                cache.derived = Some((site.structure, d.clone()));
                d
            }
        };
        r
    }

    /// Records this pass in `cache` as the last good one: call after the
    /// pass's outputs were taken, never after a failed pass.
    pub fn remember(&self, cache: &mut RenderCache) {
        cache.last = Some(LastPass {
            salt: self.salt,
            structure: self.site.structure,
            fps: self.fps.clone(),
        });
        let mut cards = self.prev_cards.clone();
        for (a, c) in self.site.articles.iter().zip(&self.cards) {
            if let Some(v) = c.get()
                && a.fingerprint != 0
            {
                cards.entry(a.fingerprint).or_insert_with(|| v.clone());
            }
        }
        cache.cards = cards;
    }

    /// Renders every page of the site.
    pub fn render_all(&self) -> Result<Vec<Output>, Diagnostics> {
        Ok(self.render_changed(&HashMap::new())?.outputs)
    }

    /// Renders the pages whose inputs changed since `previous` (output path
    /// → fingerprint of a former pass); an empty map renders everything.
    pub fn render_changed(
        &self,
        previous: &HashMap<String, u64>,
    ) -> Result<RenderPass, Diagnostics> {
        // Same structure, templates and configuration as the last pass:
        // only the pages showing a changed article are looked at, and every
        // other page keeps its fingerprint.
        // `previous` must know every page: one lost from the output since
        // is rendered again.
        let affected = match &self.last_fps {
            Some(last) if !previous.is_empty() && previous.len() == self.jobs().len() => {
                self.affected_jobs(last)
            }
            _ => None,
        };
        let partial = affected.is_some();
        let jobs = match affected {
            Some(jobs) => jobs,
            None => {
                // Every page is looked at: make what they share in parallel.
                self.derive_all();
                self.jobs()
            }
        };
        let keyed: Vec<(String, u64)> = jobs
            .par_iter()
            .map(|j| (self.job_path(j), self.fingerprint(j)))
            .collect();
        let todo: Vec<usize> = (0..jobs.len())
            .filter(|&i| previous.get(&keyed[i].0) != Some(&keyed[i].1))
            .collect();
        let outputs = self.render_some(&jobs, &todo)?;
        let fingerprints = if partial {
            let mut all = previous.clone();
            all.extend(keyed);
            all
        } else {
            keyed.into_iter().collect()
        };
        Ok(RenderPass {
            reused: fingerprints.len().saturating_sub(outputs.len()),
            examined: jobs.len(),
            outputs,
            fingerprints,
        })
    }

    fn render_some(&self, jobs: &[Job<'_>], todo: &[usize]) -> Result<Vec<Output>, Diagnostics> {
        let results: Vec<Result<Output, Diagnostics>> = todo
            .par_iter()
            .map(|&i| self.render_job(&jobs[i]))
            .collect();
        let mut errs = Diagnostics::default();
        let mut outputs = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(o) => outputs.push(o),
                Err(e) => errs.0.extend(e.0),
            }
        }
        errs.into_result()?;
        Ok(outputs)
    }

    /// With the structure unchanged, the pages that can show an article
    /// whose fingerprint differs from `last`: its own page and its
    /// neighbours', pages that list it as related, the front, country,
    /// topic, month, edition, pair and region pages it appears on, the
    /// feeds it is in and the search index. `None` when the lengths differ.
    fn affected_jobs(&self, last: &[u64]) -> Option<Vec<Job<'s>>> {
        use std::collections::BTreeSet;
        let s = self.site;
        let sec = &s.config.sections;
        if last.len() != self.fps.len() {
            return None;
        }
        let changed: Vec<usize> = (0..last.len())
            .filter(|&i| last[i] != self.fps[i])
            .collect();
        let per = s.config.per_page;
        let feed_n = s.config.feed_entries;
        let page_of = |pos: usize| pos / per + 1;
        let mut articles: BTreeSet<usize> = BTreeSet::new();
        let mut fronts = BTreeSet::new();
        let mut countries = BTreeSet::new();
        let mut topics = BTreeSet::new();
        let mut months = BTreeSet::new();
        let mut editions = BTreeSet::new();
        let mut pairs = BTreeSet::new();
        let mut regions = BTreeSet::new();
        let mut jobs: Vec<Job<'s>> = Vec::new();
        let mut shards = BTreeSet::new();
        let mut site_feed = false;
        let mut editions_feed = false;
        let latest_editions = self.feed_editions();
        for &i in &changed {
            articles.extend([i.saturating_sub(1), i, (i + 1).min(last.len() - 1)]);
            if let Ok(pos) = s.front.binary_search(&i) {
                fronts.insert(page_of(pos));
            }
            shards.insert(i / feeds::SEARCH_SHARD);
            let a = &s.articles[i];
            site_feed |= i < feed_n;
            for c in &a.countries {
                let list = &s.by_country[c];
                let pos = list.binary_search(&i).ok()?;
                countries.insert((*c, page_of(pos)));
                if sec.tag_feeds && pos < feed_n {
                    jobs.push(Job::Feed(Feed::Country(*c)));
                }
            }
            for (k, x) in a.countries.iter().enumerate() {
                for y in &a.countries[k + 1..] {
                    let key = if x < y { (*x, *y) } else { (*y, *x) };
                    if let Some(list) = s.by_pair.get(&key).filter(|_| sec.relations) {
                        let pos = list.binary_search(&i).ok()?;
                        pairs.insert((key, page_of(pos)));
                        if sec.tag_feeds && pos < feed_n {
                            jobs.push(Job::Feed(Feed::Pair(key)));
                        }
                    }
                }
            }
            for t in &a.topics {
                let list = &s.by_topic[t];
                let pos = list.binary_search(&i).ok()?;
                topics.insert((t.as_str(), page_of(pos)));
                if sec.tag_feeds && pos < feed_n {
                    jobs.push(Job::Feed(Feed::Topic(t.as_str())));
                }
            }
            if let Some(d) = a.date {
                months.insert((d.year(), d.month()));
                let e = crate::index::edition_start(d, &s.config);
                editions.insert(e);
                editions_feed |= latest_editions.contains(&e);
            }
            if sec.regions {
                for (k, r) in self.regions_list().iter().enumerate() {
                    if r.latest.contains(&i) {
                        regions.insert(k);
                    }
                }
            }
        }
        if !changed.is_empty() {
            for (j, rel) in s.related.iter().enumerate() {
                if rel.iter().any(|r| changed.binary_search(r).is_ok()) {
                    articles.insert(j);
                }
            }
            if sec.search {
                jobs.push(Job::SearchIndex);
                jobs.extend(shards.into_iter().map(Job::SearchShard));
            }
            if site_feed {
                jobs.push(Job::Feed(Feed::Site));
            }
            if editions_feed && sec.editions {
                jobs.push(Job::Feed(Feed::Editions));
            }
        }
        jobs.extend(fronts.into_iter().map(Job::Front));
        jobs.extend(articles.into_iter().map(Job::Article));
        jobs.extend(countries.into_iter().map(|(c, p)| Job::Country(c, p)));
        jobs.extend(topics.into_iter().map(|(t, p)| Job::Topic(t, p)));
        if sec.archive {
            jobs.extend(months.into_iter().map(Job::Month));
        }
        if sec.editions {
            jobs.extend(editions.into_iter().map(Job::Edition));
        }
        jobs.extend(pairs.into_iter().map(|(p, n)| Job::Pair(p, n)));
        jobs.extend(regions.into_iter().map(Job::Region));
        // Feeds were pushed once per article; keep each once.
        let mut seen = std::collections::HashSet::new();
        jobs.retain(|j| seen.insert(self.job_path(j)));
        Some(jobs)
    }

    /// Every output the site has.
    fn jobs(&self) -> Vec<Job<'s>> {
        let s = self.site;
        let sec = &s.config.sections;
        let per = s.config.per_page;
        let pages = |n: usize| n.div_ceil(per).max(1);
        let mut jobs = Vec::new();
        jobs.extend((1..=pages(s.front.len())).map(Job::Front));
        jobs.extend((0..s.articles.len()).map(Job::Article));
        jobs.push(Job::Countries);
        for (c, list) in s.by_country.iter() {
            jobs.extend((1..=pages(list.len())).map(|p| Job::Country(*c, p)));
        }
        jobs.push(Job::Topics);
        for (t, list) in s.by_topic.iter() {
            jobs.extend((1..=pages(list.len())).map(|p| Job::Topic(t.as_str(), p)));
        }
        if sec.archive {
            jobs.push(Job::Archive);
            jobs.extend(s.by_month.keys().map(|k| Job::Month(*k)));
        }
        if sec.editions {
            jobs.push(Job::Editions);
            jobs.extend(s.by_edition.keys().map(|d| Job::Edition(*d)));
            jobs.push(Job::Feed(Feed::Editions));
        }
        if sec.relations {
            jobs.push(Job::Relations);
            for (p, list) in s.by_pair.iter() {
                jobs.extend((1..=pages(list.len())).map(|n| Job::Pair(*p, n)));
            }
        }
        if sec.regions {
            jobs.extend((0..self.regions_list().len()).map(Job::Region));
        }
        if sec.search {
            jobs.push(Job::Search);
            jobs.push(Job::SearchIndex);
            jobs.extend((0..s.articles.len().div_ceil(feeds::SEARCH_SHARD)).map(Job::SearchShard));
        }
        jobs.push(Job::Feed(Feed::Site));
        if sec.tag_feeds {
            jobs.extend(s.by_country.keys().map(|c| Job::Feed(Feed::Country(*c))));
            jobs.extend(
                s.by_topic
                    .keys()
                    .map(|t| Job::Feed(Feed::Topic(t.as_str()))),
            );
            if sec.relations {
                jobs.extend(s.by_pair.keys().map(|p| Job::Feed(Feed::Pair(*p))));
            }
        }
        jobs.push(Job::NotFound);
        if !has_own_robots(self.root) {
            jobs.push(Job::Robots);
        }
        let urls = jobs.iter().filter(|j| Self::in_sitemap(j)).count();
        jobs.push(Job::Sitemap(0));
        if urls > feeds::SITEMAP_URLS {
            jobs.extend((1..=urls.div_ceil(feeds::SITEMAP_URLS)).map(Job::Sitemap));
        }
        jobs
    }

    /// The page directories the sitemap lists, with the date of articles.
    fn sitemap_urls(&self, jobs: &[Job<'_>]) -> Vec<(String, Option<jiff::civil::Date>)> {
        jobs.iter()
            .filter(|j| Self::in_sitemap(j))
            .map(|j| {
                let date = match j {
                    Job::Article(i) => self.site.articles[*i].date,
                    _ => None,
                };
                let p = self.job_path(j);
                let dir = p.strip_suffix("index.html").unwrap_or(&p);
                (dir.to_string(), date)
            })
            .collect()
    }

    /// Pages the sitemap lists: every directory page but search.
    fn in_sitemap(job: &Job<'_>) -> bool {
        !matches!(
            job,
            Job::NotFound
                | Job::Search
                | Job::Feed(_)
                | Job::SearchIndex
                | Job::SearchShard(_)
                | Job::Sitemap(_)
                | Job::Robots
        )
    }

    /// The output path of a page.
    fn job_path(&self, job: &Job<'_>) -> String {
        let dir = match *job {
            Job::Front(p) => Self::paged_dir("", p),
            Job::Article(i) => Self::article_dir(&self.site.articles[i]),
            Job::Countries => "countries/".into(),
            Job::Country(c, p) => Self::paged_dir(&format!("countries/{}/", c.lower()), p),
            Job::Topics => "topics/".into(),
            Job::Topic(t, p) => Self::paged_dir(&format!("topics/{t}/"), p),
            Job::Archive => "archive/".into(),
            Job::Month((y, m)) => format!("archive/{y}/{m:02}/"),
            Job::Editions => "editions/".into(),
            Job::Edition(d) => format!(
                "editions/{}/",
                crate::index::edition_slug(d, &self.site.config)
            ),
            Job::Relations => "relations/".into(),
            Job::Pair(p, n) => Self::paged_dir(&Self::pair_dir(p), n),
            Job::Region(k) => format!("regions/{}/", self.regions_list()[k].slug),
            Job::Search => "search/".into(),
            Job::NotFound => return "404.html".into(),
            Job::Feed(ref f) => return Self::feed_path(f),
            Job::SearchIndex => return "search/index.json".into(),
            Job::SearchShard(k) => return format!("search/summaries-{k}.json"),
            Job::Sitemap(0) => return "sitemap.xml".into(),
            Job::Sitemap(k) => return format!("sitemap-{k}.xml"),
            Job::Robots => return "robots.txt".into(),
        };
        format!("{dir}index.html")
    }

    /// A hash of everything a page shows: equal fingerprints, equal pages.
    /// Articles enter by their own fingerprints (a hash of their source),
    /// so this costs a few hashes per card, not a render.
    fn fingerprint(&self, job: &Job<'_>) -> u64 {
        let s = self.site;
        let d = &self.derived;
        let mut h = std::hash::DefaultHasher::new();
        self.salt.hash(&mut h);
        // An article's page and its feed entries show all of it; other
        // pages show its card.
        let fp = |i: usize| self.fps[i];
        let cfp = |i: usize| self.card_fp(i);
        let per = s.config.per_page;
        let hash_aggr = |a: Option<&digest::Aggregate>, h: &mut std::hash::DefaultHasher| {
            a.map(|a| a.hash).hash(h)
        };
        match *job {
            Job::Front(p) => {
                let front = &s.front;
                (0, p, front.len(), s.articles.len(), s.by_country.len()).hash(&mut h);
                s.by_topic.len().hash(&mut h);
                if p == 1 && s.config.sections.editions {
                    d.edition_keys
                        .last()
                        .and_then(|e| self.edition_of(*e))
                        .map(|e| e.aggr.hash)
                        .hash(&mut h);
                }
                self.page_slice(front, p)
                    .iter()
                    .for_each(|&i| cfp(i).hash(&mut h));
            }
            Job::Article(i) => {
                (1, i == 0, i + 1 == s.articles.len(), fp(i)).hash(&mut h);
                if i > 0 {
                    cfp(i - 1).hash(&mut h);
                }
                if i + 1 < s.articles.len() {
                    cfp(i + 1).hash(&mut h);
                }
                s.related[i].iter().for_each(|&j| cfp(j).hash(&mut h));
            }
            Job::Countries => {
                2.hash(&mut h);
                self.countries_index_aggr().hash.hash(&mut h);
            }
            Job::Country(c, p) => {
                let list = &s.by_country[&c];
                (3, c, p, list.len().div_ceil(per), list.len()).hash(&mut h);
                hash_aggr(self.country_aggr(c), &mut h);
                self.page_slice(list, p)
                    .iter()
                    .for_each(|&i| cfp(i).hash(&mut h));
            }
            Job::Topics => {
                4.hash(&mut h);
                self.topics_index_aggr().hash.hash(&mut h);
                s.by_topic
                    .iter()
                    .for_each(|(t, l)| (t, l.len()).hash(&mut h));
            }
            Job::Topic(t, p) => {
                let list = &s.by_topic[t];
                (5, t, p, list.len().div_ceil(per), list.len()).hash(&mut h);
                hash_aggr(self.topic_aggr(t), &mut h);
                self.page_slice(list, p)
                    .iter()
                    .for_each(|&i| cfp(i).hash(&mut h));
            }
            Job::Archive => {
                6.hash(&mut h);
                s.by_month
                    .iter()
                    .for_each(|(k, l)| (k, l.len()).hash(&mut h));
            }
            Job::Month(k) => {
                (7, k).hash(&mut h);
                let keys: Vec<_> = s.by_month.keys().copied().collect();
                let pos = keys.iter().position(|x| *x == k).unwrap_or(0);
                (pos.checked_sub(1).map(|p| keys[p]), keys.get(pos + 1)).hash(&mut h);
                s.by_month[&k].iter().for_each(|&i| cfp(i).hash(&mut h));
            }
            Job::NotFound => 8.hash(&mut h),
            Job::Editions => {
                9.hash(&mut h);
                self.editions_index_aggr().hash.hash(&mut h);
            }
            Job::Edition(e) => {
                (10, e).hash(&mut h);
                let pos = d.edition_keys.binary_search(&e).unwrap_or(0);
                (
                    pos.checked_sub(1).map(|p| d.edition_keys[p]),
                    d.edition_keys.get(pos + 1),
                )
                    .hash(&mut h);
                self.edition_of(e).map(|x| x.aggr.hash).hash(&mut h);
                s.by_edition[&e].iter().for_each(|&i| cfp(i).hash(&mut h));
            }
            Job::Relations => {
                11.hash(&mut h);
                self.relations_index_aggr().hash.hash(&mut h);
            }
            Job::Pair(p, n) => {
                let list = &s.by_pair[&p];
                (12, p, n, list.len()).hash(&mut h);
                hash_aggr(self.pair_aggr(p), &mut h);
                self.page_slice(list, n)
                    .iter()
                    .for_each(|&i| cfp(i).hash(&mut h));
            }
            Job::Region(k) => {
                let r = &self.regions_list()[k];
                (13, r.aggr.hash).hash(&mut h);
                r.latest.iter().for_each(|&i| cfp(i).hash(&mut h));
            }
            Job::Search => 14.hash(&mut h),
            Job::Feed(ref f) => {
                (15, Self::feed_path(f)).hash(&mut h);
                if let Feed::Editions = f {
                    for e in self.feed_editions() {
                        e.hash(&mut h);
                        // Headlines and sources only.
                        s.by_edition[&e].iter().for_each(|&i| cfp(i).hash(&mut h));
                    }
                } else {
                    self.feed_articles(f)
                        .into_iter()
                        .for_each(|i| fp(i).hash(&mut h));
                }
            }
            Job::SearchIndex => {
                (16, s.structure).hash(&mut h);
                (0..s.articles.len()).for_each(|i| cfp(i).hash(&mut h));
            }
            Job::SearchShard(k) => {
                (17, k).hash(&mut h);
                let lo = (k * feeds::SEARCH_SHARD).min(s.articles.len());
                let hi = (lo + feeds::SEARCH_SHARD).min(s.articles.len());
                (lo..hi).for_each(|i| cfp(i).hash(&mut h));
            }
            Job::Sitemap(k) => (18, k, s.structure).hash(&mut h),
            Job::Robots => 19.hash(&mut h),
        }
        h.finish()
    }

    // ---- links -------------------------------------------------------

    /// A directory URL as linked from pages ("countries/pk/" or
    /// "countries/pk/index.html"), relative to the site root.
    fn link(&self, dir: &str) -> String {
        if self.site.config.index_links {
            format!("{dir}index.html")
        } else {
            dir.to_string()
        }
    }

    fn article_dir(a: &Article) -> String {
        format!("articles/{}/", a.slug)
    }

    fn paged_dir(base: &str, page: usize) -> String {
        if page <= 1 {
            base.to_string()
        } else {
            format!("{base}page/{page}/")
        }
    }

    fn country_ref(&self, c: CountryCode) -> CountryRef {
        CountryRef {
            code: c.to_string(),
            name: self.site.tagger.gazetteer.name(c),
            flag: c.flag(),
            path: self.link(&format!("countries/{}/", c.lower())),
        }
    }

    fn topic_ref(&self, slug: &str) -> TopicRef {
        let name = self
            .site
            .tagger
            .topics
            .get(slug)
            .map_or_else(|| slug.to_string(), |t| t.name.clone());
        TopicRef {
            slug: slug.to_string(),
            name,
            path: self.link(&format!("topics/{slug}/")),
        }
    }

    /// An article's card: made from [`CardInputs`] alone, so that
    /// [`card_fp`](Self::card_fp) covers all it shows.
    fn card<'a>(&self, a: &'a Article) -> Card<'a> {
        let CardInputs {
            title,
            slug: _,
            date,
            source,
            summary_html,
            summary_text,
            countries,
            topics,
            relevance,
        } = CardInputs::of(a);
        Card {
            title,
            path: self.link(&Self::article_dir(a)),
            date: date.map(|d| d.to_string()),
            date_human: date.map(human_date),
            source,
            summary_html,
            summary_text,
            countries: countries.iter().map(|c| self.country_ref(*c)).collect(),
            topics: topics.iter().map(|t| self.topic_ref(t)).collect(),
            relevance: f64::from_bits(relevance),
        }
    }

    /// The card of the article at `i`, as a template value.
    fn card_value(&self, i: usize) -> Value {
        self.cards[i]
            .get_or_init(|| {
                let a = &self.site.articles[i];
                match self.prev_cards.get(&a.fingerprint) {
                    Some(v) if a.fingerprint != 0 => v.clone(),
                    _ => Value::from_serializable(&self.card(a)),
                }
            })
            .clone()
    }

    /// A hash of what the card of the article at `i` shows.
    fn card_fp(&self, i: usize) -> u64 {
        *self.card_fps[i].get_or_init(|| {
            let mut h = std::hash::DefaultHasher::new();
            CardInputs::of(&self.site.articles[i]).hash(&mut h);
            h.finish()
        })
    }

    fn cards_of(&self, idx: &[usize]) -> Value {
        Value::from(idx.iter().map(|&i| self.card_value(i)).collect::<Vec<_>>())
    }

    /// Articles grouped by day, newest first; undated ones last.
    fn days(&self, idx: &[usize]) -> Value {
        let mut groups: Vec<Value> = Vec::new();
        let mut i = 0;
        while i < idx.len() {
            let date = self.site.articles[idx[i]].date;
            let mut j = i;
            while j < idx.len() && self.site.articles[idx[j]].date == date {
                j += 1;
            }
            let label = date.map_or_else(|| "Undated".to_string(), long_date);
            groups.push(obj([
                ("label", Value::from(label)),
                (
                    "date",
                    Value::from(date.map(|d| d.to_string()).unwrap_or_default()),
                ),
                ("articles", self.cards_of(&idx[i..j])),
            ]));
            i = j;
        }
        Value::from(groups)
    }

    fn pagination(&self, base: &str, page: usize, total_items: usize) -> Pagination {
        let total = total_items.div_ceil(self.site.config.per_page).max(1);
        let link = |p: usize| self.link(&Self::paged_dir(base, p));
        Pagination {
            current: page,
            total,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < total).then(|| link(page + 1)),
            pages: page_window(page, total)
                .into_iter()
                .map(|p| match p {
                    Some(p) => PageLink {
                        number: p,
                        path: link(p),
                        current: p == page,
                        gap: false,
                    },
                    None => PageLink {
                        number: 0,
                        path: String::new(),
                        current: false,
                        gap: true,
                    },
                })
                .collect(),
        }
    }

    fn page_slice<'a>(&self, list: &'a [usize], page: usize) -> &'a [usize] {
        &list[self.page_range(list.len(), page)]
    }

    /// Positions `page` (from 1) shows of a list of `len` items.
    fn page_range(&self, len: usize, page: usize) -> std::ops::Range<usize> {
        let per = self.site.config.per_page;
        let start = ((page - 1) * per).min(len);
        start..(start + per).min(len)
    }

    // ---- pages -------------------------------------------------------

    fn render_job(&self, job: &Job<'_>) -> Result<Output, Diagnostics> {
        let s = self.site;
        let d = &self.derived;
        let text = match job {
            Job::Feed(f) => Some(self.atom(f)),
            Job::SearchIndex => Some(self.search_index()),
            Job::SearchShard(k) => Some(self.search_shard(*k)),
            Job::Sitemap(k) => Some(self.sitemap(*k, &self.sitemap_urls(&self.jobs()))),
            Job::Robots => Some(self.robots()),
            _ => None,
        };
        if let Some(text) = text {
            return Ok(Output::new(self.job_path(job), text));
        }
        let mut ctx = Context::new();
        // Feeds offered on the page, besides the site's own.
        let mut feed: Option<Feed> = None;
        let mut og_type = "website";
        let (dir, template, title, description): (String, &str, String, String) = match *job {
            Job::Front(page) => {
                let on_page = self.page_slice(&s.front, page);
                ctx.insert_value("days", self.days(on_page));
                ctx.insert("pagination", &self.pagination("", page, s.front.len()));
                ctx.insert("article_count", &s.articles.len());
                ctx.insert("country_count", &s.by_country.len());
                ctx.insert("topic_count", &s.by_topic.len());
                if page == 1
                    && let Some(g) = self.front_glance()
                {
                    ctx.insert_value("glance", g.clone());
                }
                let title = if page > 1 {
                    format!("{} — page {page}", s.config.title)
                } else {
                    s.config.title.clone()
                };
                (
                    Self::paged_dir("", page),
                    "index.html",
                    title,
                    s.config.description.clone(),
                )
            }
            Job::Article(i) => {
                let a = &s.articles[i];
                og_type = "article";
                ctx.insert("article", &self.article_view(a));
                if i > 0 {
                    ctx.insert_value("newer", self.card_value(i - 1));
                }
                if i + 1 < s.articles.len() {
                    ctx.insert_value("older", self.card_value(i + 1));
                }
                ctx.insert_value("related", self.cards_of(&s.related[i]));
                // An article the site keeps out of editions links to none.
                let start = a
                    .date
                    .filter(|_| s.config.sections.editions && !crate::index::hidden(a, &s.config))
                    .map(|d| crate::index::edition_start(d, &s.config));
                if let Some(start) = start {
                    ctx.insert_value(
                        "edition",
                        obj([
                            (
                                "name",
                                Value::from(crate::index::edition_name(start, &s.config)),
                            ),
                            ("path", Value::from(self.edition_path(start))),
                        ]),
                    );
                }
                (
                    Self::article_dir(a),
                    "article.html",
                    a.title.clone(),
                    a.summary_text.clone(),
                )
            }
            Job::Countries => {
                self.countries_index_aggr().insert_into(&mut ctx);
                (
                    "countries/".into(),
                    "countries.html",
                    "Countries".into(),
                    format!("Coverage by country and region in {}", s.config.title),
                )
            }
            Job::Country(c, page) => {
                let list = &s.by_country[&c];
                let cref = self.country_ref(c);
                let title = format!("{} {}", cref.flag, cref.name);
                ctx.insert("country", &cref);
                ctx.insert("count", &list.len());
                ctx.insert_value("days", self.days(self.page_slice(list, page)));
                let base = format!("countries/{}/", c.lower());
                ctx.insert("pagination", &self.pagination(&base, page, list.len()));
                if let Some(a) = self.country_aggr(c) {
                    a.insert_into(&mut ctx);
                }
                if let Some(r) = crate::regions::region_of(&c.to_string()) {
                    ctx.insert_value(
                        "region",
                        obj([
                            ("name", Value::from(r.region)),
                            ("subregion", Value::from(r.subregion)),
                            (
                                "path",
                                if s.config.sections.regions {
                                    Value::from(self.link(&format!(
                                        "regions/{}/",
                                        crate::regions::slug(r.region)
                                    )))
                                } else {
                                    Value::none()
                                },
                            ),
                        ]),
                    );
                }
                feed = Some(Feed::Country(c));
                (
                    Self::paged_dir(&base, page),
                    "country.html",
                    title,
                    format!("Defense news about {}", cref.name),
                )
            }
            Job::Topics => {
                let v: Vec<Value> = s
                    .tagger
                    .topics
                    .all()
                    .iter()
                    .filter_map(|t| {
                        let n = s.by_topic.get(&t.slug).map_or(0, Vec::len);
                        (n > 0).then(|| {
                            obj([
                                ("topic", Value::from_serializable(&self.topic_ref(&t.slug))),
                                ("description", Value::from(t.description.as_str())),
                                ("count", Value::from(n)),
                            ])
                        })
                    })
                    .collect();
                ctx.insert_value("topics", Value::from(v));
                self.topics_index_aggr().insert_into(&mut ctx);
                (
                    "topics/".into(),
                    "topics.html",
                    "Topics".into(),
                    format!("Coverage by topic in {}", s.config.title),
                )
            }
            Job::Topic(slug, page) => {
                let list = &s.by_topic[slug];
                let tref = self.topic_ref(slug);
                let desc = s
                    .tagger
                    .topics
                    .get(slug)
                    .map(|t| t.description.clone())
                    .unwrap_or_default();
                let title = tref.name.clone();
                ctx.insert("topic", &tref);
                ctx.insert("description", &desc);
                ctx.insert("count", &list.len());
                ctx.insert_value("days", self.days(self.page_slice(list, page)));
                let base = format!("topics/{slug}/");
                ctx.insert("pagination", &self.pagination(&base, page, list.len()));
                if let Some(a) = self.topic_aggr(slug) {
                    a.insert_into(&mut ctx);
                }
                feed = Some(Feed::Topic(slug));
                (Self::paged_dir(&base, page), "topic.html", title, desc)
            }
            Job::Archive => {
                let mut years: Vec<Value> = Vec::new();
                let mut by_year: BTreeMap<i16, Vec<Value>> = BTreeMap::new();
                for (&(y, m), list) in s.by_month.iter().rev() {
                    by_year.entry(y).or_default().push(obj([
                        ("label", Value::from(month_name(m))),
                        (
                            "path",
                            Value::from(self.link(&format!("archive/{y}/{m:02}/"))),
                        ),
                        ("count", Value::from(list.len())),
                    ]));
                }
                for (y, months) in by_year.into_iter().rev() {
                    years.push(obj([
                        ("year", Value::from(i64::from(y))),
                        ("months", Value::from(months)),
                    ]));
                }
                ctx.insert_value("years", Value::from(years));
                (
                    "archive/".into(),
                    "archive.html",
                    "Archive".into(),
                    format!("Every month of {}", s.config.title),
                )
            }
            Job::Month((y, m)) => {
                let list = &s.by_month[&(y, m)];
                let label = format!("{} {y}", month_name(m));
                ctx.insert("month", &label);
                ctx.insert("count", &list.len());
                ctx.insert_value("days", self.days(list));
                let keys: Vec<_> = s.by_month.keys().copied().collect();
                let pos = keys.iter().position(|k| *k == (y, m)).unwrap_or(0);
                let month_link = |k: (i16, i8)| {
                    obj([
                        ("label", Value::from(format!("{} {}", month_name(k.1), k.0))),
                        (
                            "path",
                            Value::from(self.link(&format!("archive/{}/{:02}/", k.0, k.1))),
                        ),
                    ])
                };
                if pos > 0 {
                    ctx.insert_value("prev_month", month_link(keys[pos - 1]));
                }
                if let Some(k) = keys.get(pos + 1) {
                    ctx.insert_value("next_month", month_link(*k));
                }
                (
                    format!("archive/{y}/{m:02}/"),
                    "month.html",
                    label.clone(),
                    format!("Defense news of {label}"),
                )
            }
            Job::Editions => {
                self.editions_index_aggr().insert_into(&mut ctx);
                feed = Some(Feed::Editions);
                (
                    "editions/".into(),
                    "editions.html",
                    "Editions".into(),
                    format!("Every weekly edition of {}", s.config.title),
                )
            }
            Job::Edition(e) => {
                // Edition jobs exist only with the section on.
                let (groups, other) = match self.edition_of(e) {
                    Some(ed) => {
                        ed.aggr.insert_into(&mut ctx);
                        (&ed.groups[..], &ed.other[..])
                    }
                    None => (&[][..], &[][..]),
                };
                let groups: Vec<Value> = groups
                    .iter()
                    .map(|(region, cs)| {
                        obj([
                            ("name", Value::from(*region)),
                            (
                                "countries",
                                Value::from(
                                    cs.iter()
                                        .map(|(c, list)| {
                                            obj([
                                                (
                                                    "country",
                                                    Value::from_serializable(&self.country_ref(*c)),
                                                ),
                                                ("articles", self.cards_of(list)),
                                            ])
                                        })
                                        .collect::<Vec<_>>(),
                                ),
                            ),
                        ])
                    })
                    .collect();
                ctx.insert_value("groups", Value::from(groups));
                ctx.insert_value("other", self.cards_of(other));
                let pos = d.edition_keys.binary_search(&e).unwrap_or(0);
                let link = |k: jiff::civil::Date| {
                    obj([
                        (
                            "name",
                            Value::from(crate::index::edition_name(k, &s.config)),
                        ),
                        ("path", Value::from(self.edition_path(k))),
                    ])
                };
                if pos > 0 {
                    ctx.insert_value("prev_edition", link(d.edition_keys[pos - 1]));
                }
                if let Some(k) = d.edition_keys.get(pos + 1) {
                    ctx.insert_value("next_edition", link(*k));
                }
                feed = Some(Feed::Editions);
                let name = crate::index::edition_name(e, &s.config);
                let range = digest::date_range(e, crate::index::edition_end(e, &s.config));
                (
                    format!("editions/{}/", crate::index::edition_slug(e, &s.config)),
                    "edition.html",
                    name,
                    format!(
                        "Defense news of {range}: {} articles",
                        s.by_edition[&e].len()
                    ),
                )
            }
            Job::Relations => {
                self.relations_index_aggr().insert_into(&mut ctx);
                ctx.insert("min_pair_articles", &s.config.min_pair_articles);
                (
                    "relations/".into(),
                    "relations.html",
                    "Relations".into(),
                    format!(
                        "Pairs of countries in the news together in {}",
                        s.config.title
                    ),
                )
            }
            Job::Pair(p, page) => {
                let list = &s.by_pair[&p];
                let (a, b) = (self.country_ref(p.0), self.country_ref(p.1));
                let title = format!("{} – {}", a.name, b.name);
                ctx.insert("a", &a);
                ctx.insert("b", &b);
                ctx.insert("count", &list.len());
                ctx.insert_value("days", self.days(self.page_slice(list, page)));
                let base = Self::pair_dir(p);
                ctx.insert("pagination", &self.pagination(&base, page, list.len()));
                if let Some(x) = self.pair_aggr(p) {
                    x.insert_into(&mut ctx);
                }
                feed = Some(Feed::Pair(p));
                let desc = format!("Defense news about both {} and {}", a.name, b.name);
                (Self::paged_dir(&base, page), "pair.html", title, desc)
            }
            Job::Region(k) => {
                let r = &self.regions_list()[k];
                r.aggr.insert_into(&mut ctx);
                ctx.insert_value("latest", self.cards_of(&r.latest));
                (
                    format!("regions/{}/", r.slug),
                    "region.html",
                    r.name.to_string(),
                    format!("Defense news from {}, by country", r.name),
                )
            }
            Job::Search => (
                "search/".into(),
                "search.html",
                "Search".into(),
                format!("Search every article of {}", s.config.title),
            ),
            Job::NotFound => (
                String::new(),
                "404.html",
                "Page not found".into(),
                String::new(),
            ),
            Job::Feed(_)
            | Job::SearchIndex
            | Job::SearchShard(_)
            | Job::Sitemap(_)
            | Job::Robots => {
                unreachable!("written above")
            }
        };
        let out_path = self.job_path(job);
        let depth = out_path.matches('/').count();
        let root = if matches!(job, Job::NotFound) {
            // Served at any depth: link from the site root.
            url_path(&s.config.base_url)
        } else if depth == 0 {
            "./".to_string()
        } else {
            "../".repeat(depth)
        };
        ctx.insert("root", &root);
        let mut feeds = vec![serde_json::json!({
            "title": s.config.title,
            "path": "atom.xml",
        })];
        if let Some(f) = feed.filter(|f| matches!(f, Feed::Editions) || s.config.sections.tag_feeds)
        {
            feeds.push(serde_json::json!({
                "title": self.feed_meta(&f).0,
                "path": Self::feed_path(&f),
            }));
        }
        ctx.insert("feeds", &feeds);
        ctx.insert(
            "page",
            &serde_json::json!({
                "title": title,
                "description": description,
                "canonical": format!("{}{dir}", s.config.base_url),
                "path": out_path,
                "og_type": og_type,
            }),
        );
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| template_error(self.root, &e))?;
        Ok(Output::new(out_path, html))
    }

    fn article_view<'a>(&self, a: &'a Article) -> ArticleView<'a> {
        ArticleView {
            title: &a.title,
            path: self.link(&Self::article_dir(a)),
            date: a.date.map(|d| d.to_string()),
            date_human: a.date.map(long_date),
            source: a.source.as_deref(),
            url: a.url.as_deref(),
            author: a.author.as_deref(),
            draft: a.draft,
            body_html: &a.body_html,
            summary_text: &a.summary_text,
            word_count: a.word_count,
            reading_minutes: a.word_count.div_ceil(220).max(1),
            countries: a.countries.iter().map(|c| self.country_ref(*c)).collect(),
            topics: a.topics.iter().map(|t| self.topic_ref(t)).collect(),
            countries_auto: a.countries_origin == crate::model::TagOrigin::Auto,
            topics_auto: a.topics_origin == crate::model::TagOrigin::Auto,
            relevance: a.relevance,
            off_topic: a.off_topic,
            why: a
                .explanations
                .iter()
                .map(|x| WhyView {
                    kind: x.kind,
                    name: match x.kind {
                        "country" => CountryCode::new(&x.tag)
                            .map_or_else(|| x.tag.clone(), |c| self.site.tagger.gazetteer.name(c)),
                        _ => self.topic_ref(&x.tag).name,
                    },
                    score: x.score,
                    evidence: why_phrases(&x.evidence),
                })
                .collect(),
        }
    }
}

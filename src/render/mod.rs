//! The render stage: Tera templates (the site's own over the built-in set)
//! turn the indexed [`Site`] into output files in memory.
//!
//! Every page is of one kind ([`page`]): the front page, an article, a
//! country… Each kind says, in one place ([`kinds`]), which pages the site
//! has, where they go, which can show an edited article, what each shows
//! (its inputs) and how it is made from them. A page's fingerprint is a
//! hash of its inputs, so a page whose fingerprint did not change since the
//! last pass is not rendered again; the same inputs are all the page is
//! made from, so a rebuild cannot miss a change.
//!
//! Each article's card (title, date, link, summary, chips) is converted to a
//! template value once and shared by every listing that shows it: template
//! values are reference-counted, so a page never copies the site.

mod cards;
mod digest;
mod feeds;
mod fixed;
mod kinds;
mod page;
mod templates;
#[cfg(test)]
mod tests;
mod views;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use tera::{Tera, Value};

use crate::diag::Diagnostics;
use crate::index::Site;
use crate::model::{Output, Parts, Unreadable};
use crate::urls;
use cards::CardInputs;
use digest::Derived;
use fixed::Fixed;
use page::Page;

pub use templates::{BUILTIN_TEMPLATES, Templates, load_templates};

/// Why a render pass failed.
#[derive(Debug)]
pub enum RenderError {
    /// Templates that do not compile or fail to render: every problem.
    Template(Diagnostics),
    /// A part of an article kept apart cannot be read.
    Unreadable(Unreadable),
}

impl From<Unreadable> for RenderError {
    fn from(e: Unreadable) -> RenderError {
        RenderError::Unreadable(e)
    }
}

pub struct Renderer<'s> {
    site: &'s Site,
    tera: &'s Tera,
    templates: &'s Templates,
    /// What is the same on every page.
    fixed: Fixed<'s>,
    /// Whether the site has its own `robots.txt`.
    own_robots: bool,
    /// The slugs of the site's topics, ascending: a topic's id is its
    /// position here.
    topics: Vec<&'s str>,
    /// Each article's card as a template value, made when first shown.
    cards: Vec<OnceLock<Value>>,
    /// Cards a former pass made, by card fingerprint.
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
    /// The pages the sitemap lists, with the date of articles.
    sitemap: OnceLock<Vec<(String, Option<crate::model::When>)>>,
}

/// What one pass can hand to the next under the same configuration: the
/// article cards (by card fingerprint) and the per-list counts (by site
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
    /// A renderer of `site` that reads the parts of articles kept apart
    /// through `parts`, and reuses what a former pass under the same
    /// configuration built: cards of unchanged articles, and the per-list
    /// counts when the site's structure is unchanged. `own_robots`: the
    /// site has its own `robots.txt`.
    pub fn new(
        site: &'s Site,
        templates: &'s mut Templates,
        parts: &'s dyn Parts,
        own_robots: bool,
        cache: &mut RenderCache,
    ) -> Self {
        let c = &site.config;
        let mut salt = std::hash::DefaultHasher::new();
        format!("{c:?}").hash(&mut salt);
        templates.hash.hash(&mut salt);
        env!("CARGO_PKG_VERSION").hash(&mut salt);
        // Which outputs exist depends on this too.
        own_robots.hash(&mut salt);
        let salt = salt.finish();
        let fixed = Fixed::new(site, parts);
        fixed.globals(&mut templates.tera);
        let templates: &'s Templates = templates;
        let n = site.articles.len();
        let fps: Arc<Vec<u64>> = Arc::new(site.articles.iter().map(|a| a.fingerprint).collect());
        let last_fps = match &cache.last {
            Some(l) if l.salt == salt && l.structure == site.structure => Some(l.fps.clone()),
            _ => None,
        };
        let derived = match &cache.derived {
            Some((structure, derived)) if *structure == site.structure => derived.clone(),
            _ => {
                let d = Arc::new(Derived::new(site));
                cache.derived = Some((site.structure, d.clone()));
                d
            }
        };
        Renderer {
            site,
            tera: &templates.tera,
            templates,
            fixed,
            own_robots,
            topics: site.by_topic.keys().map(String::as_str).collect(),
            cards: (0..n).map(|_| OnceLock::new()).collect(),
            // A removed article's card stays until cards pile up.
            prev_cards: if cache.cards.len() > 2 * n + 64 {
                HashMap::new()
            } else {
                cache.cards.clone()
            },
            card_fps: (0..n).map(|_| OnceLock::new()).collect(),
            fps,
            last_fps,
            salt,
            derived,
            entries: (0..n).map(|_| OnceLock::new()).collect(),
            sitemap: OnceLock::new(),
        }
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
        // A card is kept by the hash of what it shows (its story's other
        // reports included), so a lead's card is reused only for the same
        // story.
        for (c, fp) in self.cards.iter().zip(&self.card_fps) {
            if let (Some(v), Some(fp)) = (c.get(), fp.get()) {
                cards.entry(*fp).or_insert_with(|| v.clone());
            }
        }
        cache.cards = cards;
    }

    /// Renders the pages whose inputs changed since `previous` (output path
    /// → fingerprint of a former pass); an empty map renders everything.
    pub fn render_changed(
        &self,
        previous: &HashMap<String, u64>,
    ) -> Result<RenderPass, RenderError> {
        // Same structure, templates and configuration as the last pass:
        // only the pages showing a changed article are looked at, and every
        // other page keeps its fingerprint.
        // `previous` must know every page: one lost from the output since
        // is rendered again.
        let all = Page::all(self);
        let affected = match &self.last_fps {
            Some(last) if !previous.is_empty() && previous.len() == all.len() => {
                self.affected(last)
            }
            _ => None,
        };
        let partial = affected.is_some();
        let pages = match affected {
            Some(pages) => pages,
            None => {
                // Every page is looked at: make what they share in parallel.
                self.derive_all();
                all
            }
        };
        let keyed: Vec<(String, u64)> = pages
            .par_iter()
            .map(|p| (p.path(self), p.fingerprint(self)))
            .collect();
        let todo: Vec<usize> = (0..pages.len())
            .filter(|&i| previous.get(&keyed[i].0) != Some(&keyed[i].1))
            .collect();
        let outputs = self.render_some(&pages, &keyed, &todo)?;
        let fingerprints = if partial {
            let mut all = previous.clone();
            all.extend(keyed);
            all
        } else {
            keyed.into_iter().collect()
        };
        Ok(RenderPass {
            reused: fingerprints.len().saturating_sub(outputs.len()),
            examined: pages.len(),
            outputs,
            fingerprints,
        })
    }

    fn render_some(
        &self,
        pages: &[Page],
        keyed: &[(String, u64)],
        todo: &[usize],
    ) -> Result<Vec<Output>, RenderError> {
        let results: Vec<Result<Output, RenderError>> = todo
            .par_iter()
            .map(|&i| pages[i].render(self, keyed[i].0.clone()))
            .collect();
        let mut errs = Diagnostics::default();
        let mut outputs = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(o) => outputs.push(o),
                Err(RenderError::Template(e)) => errs.0.extend(e.0),
                Err(e @ RenderError::Unreadable(_)) => return Err(e),
            }
        }
        errs.into_result().map_err(RenderError::Template)?;
        Ok(outputs)
    }

    /// With the structure unchanged, the pages that can show an article
    /// whose fingerprint differs from `last` (each kind says which of its
    /// pages can). `None` when the lengths differ, or a kind cannot tell.
    fn affected(&self, last: &[u64]) -> Option<Vec<Page>> {
        if last.len() != self.fps.len() {
            return None;
        }
        let changed: Vec<usize> = (0..last.len())
            .filter(|&i| last[i] != self.fps[i])
            .collect();
        Page::showing(self, &kinds::Changed::new(self, changed))
    }

    // ---- cards ---------------------------------------------------------

    /// The card of the article at `i`, as a template value. A story's
    /// lead's card also shows how many reports the story has and each
    /// other report's outlet and link (`reports`, `others`).
    fn card_value(&self, i: usize) -> Value {
        self.cards[i]
            .get_or_init(|| {
                if let Some(v) = self.prev_cards.get(&self.card_fp(i)) {
                    return v.clone();
                }
                let v = Value::from_serializable(&self.fixed.card(CardInputs::of(self.site, i)));
                let members = self.story_members(i);
                if members.len() <= 1 {
                    return v;
                }
                let Some(mut m) = v.clone().into_map() else {
                    return v;
                };
                m.insert("reports".into(), Value::from(members.len()));
                let others: Vec<Value> = members[1..]
                    .iter()
                    .map(|&j| self.report_value(j as usize))
                    .collect();
                m.insert("others".into(), Value::from(others));
                Value::from(m)
            })
            .clone()
    }

    /// The articles of the story the article at `i` leads (just `i` when
    /// it leads none).
    fn story_members(&self, i: usize) -> &'s [u32] {
        let st = &self.site.stories;
        let s = st.of(i);
        if st.lead(s) == i { st.members(s) } else { &[] }
    }

    /// When the story the article at `i` leads last grew: the date and
    /// time of its newest later report, if it has one.
    fn story_updated(&self, i: usize) -> Option<crate::model::When> {
        let articles = &self.site.articles;
        let lead = &articles[i];
        self.story_members(i)
            .iter()
            .skip(1)
            .filter_map(|&j| {
                let b = &articles[j as usize];
                Some(((b.date?, b.time), b))
            })
            .filter(|&(w, _)| Some(w) > lead.date.map(|d| (d, lead.time)))
            .max_by_key(|&(w, _)| w)
            .and_then(|(_, b)| b.when())
    }

    /// One report of a story, as its lead's card lists it: by its outlet's
    /// name, as cards give it.
    fn report_value(&self, j: usize) -> Value {
        let b = &self.site.articles[j];
        let outlet = self.site.outlets.of_article(j).map(|o| o.name.as_str());
        views::obj([
            ("title", Value::from(b.title.as_str())),
            (
                "source",
                Value::from(outlet.or(b.source.as_deref()).unwrap_or("Report")),
            ),
            (
                "path",
                Value::from(self.fixed.link(&urls::article(&b.slug))),
            ),
            (
                "date",
                Value::from(b.date.map(|d| d.to_string()).unwrap_or_default()),
            ),
        ])
    }

    /// A hash of what the card of the article at `i` shows: its own
    /// fields, and those of its story's other reports.
    fn card_fp(&self, i: usize) -> u64 {
        *self.card_fps[i].get_or_init(|| {
            let mut h = std::hash::DefaultHasher::new();
            CardInputs::of(self.site, i).hash(&mut h);
            for &j in self.story_members(i).iter().skip(1) {
                let b = &self.site.articles[j as usize];
                let outlet = self.site.outlets.of_article(j as usize);
                (&b.title, &b.source, outlet, &b.slug, b.date).hash(&mut h);
            }
            h.finish()
        })
    }

    /// The Atom entry of the article at `i`, made when a feed first needs
    /// it: an article is in several feeds.
    fn entry(&self, i: usize) -> Result<&(String, String), Unreadable> {
        if let Some(e) = self.entries[i].get() {
            return Ok(e);
        }
        let a = &self.site.articles[i];
        let e = feeds::article_entry(&self.fixed, a, self.fixed.body(a)?, self.story_updated(i));
        Ok(self.entries[i].get_or_init(|| e))
    }

    /// The pages the sitemap lists, with the date of articles.
    fn sitemap_urls(&self) -> &[(String, Option<crate::model::When>)] {
        self.sitemap.get_or_init(|| Page::sitemap(self))
    }

    /// The slug of the topic of id `id`.
    fn topic(&self, id: kinds::TopicId) -> &'s str {
        self.topics.get(id.0 as usize).copied().unwrap_or_default()
    }

    /// The id of the site's topic `slug`.
    fn topic_id(&self, slug: &str) -> Option<kinds::TopicId> {
        let k = self.topics.binary_search(&slug).ok()?;
        Some(kinds::TopicId(u32::try_from(k).ok()?))
    }
}

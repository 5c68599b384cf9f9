//! A site kept in memory between passes of the pipeline, rebuilt
//! incrementally: only the articles whose files changed are read, parsed
//! and tagged again, and only the pages whose inputs changed are rendered
//! again. `serve` holds one; `build` seeds one from its cache on disk (see
//! the `builder` module). Every shortcut calls the pipeline's own stages
//! ([`crate::pipeline`]) for what changed.
//!
//! A rebuild either succeeds and replaces the state, or fails and leaves
//! the last good site as it was. A failed rebuild still remembers what it
//! read of each content file, so a broken file is reported by every
//! rebuild until it is fixed, whatever else changes meanwhile.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::disk::FileStamp;
use crate::error::{Error, Result};
use crate::index::{Groupings, Site};
use crate::load;
use crate::model::{Article, NoParts, Output, Parts};
use crate::pipeline;
use crate::pipeline::BuildOptions;
use crate::progress::Progress;
use crate::render::RenderCache;
use crate::tag::{Tagger, Workload};

/// One content file as last read: the article, or its problems.
#[derive(Clone)]
struct Entry {
    stamp: FileStamp,
    result: Result<Arc<Article>, Vec<Diagnostic>>,
}

/// What a rebuild did.
#[derive(Clone, Debug, Default)]
pub struct Rebuild {
    /// Articles read and parsed again.
    pub reread: usize,
    /// Pages rendered again / kept because their inputs were unchanged.
    pub rendered: usize,
    pub reused: usize,
    /// Outputs added or whose bytes changed, and outputs removed.
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub articles: usize,
    pub elapsed: Duration,
    /// Time spent in each phase, for `MILBRIEF_TIMINGS=1`.
    pub phases: Vec<(&'static str, Duration)>,
}

impl Rebuild {
    /// Only stylesheets changed: a page can swap them without reloading.
    pub fn css_only(&self) -> bool {
        self.removed.is_empty()
            && !self.changed.is_empty()
            && self.changed.iter().all(|p| p.ends_with(".css"))
    }
}

/// What one pass produced, before it is applied to memory or to disk.
pub struct Pass {
    /// The pages rendered (all of them on a first pass), in no set order.
    pub rendered: Vec<Output>,
    /// The site's static files.
    pub statics: Vec<Output>,
    /// Articles read and parsed again.
    pub reread: usize,
    /// Pages kept because their inputs were unchanged.
    pub reused: usize,
    /// Pages whose inputs were looked at.
    pub examined: usize,
    /// Articles in the site.
    pub articles: usize,
    pub phases: Vec<(&'static str, Duration)>,
    /// Problems that do not stop the build (a slug taken twice), each as
    /// it is shown.
    pub warnings: Vec<String>,
}

/// An article a former build read: its path relative to the root, the
/// stamp of its file then, and the article.
pub type Seed = (PathBuf, FileStamp, Arc<Article>);

/// The content files a pass looks at: the entries kept as they were, and
/// the files to read again with their stamps now.
struct Looked {
    kept: HashMap<PathBuf, Entry>,
    fresh: Vec<(PathBuf, FileStamp)>,
}

/// The configuration a workspace builds with: by hash of its text and
/// flags, and the tagger built from it.
type Settled = (u64, Config, Arc<Tagger>);

pub struct Workspace {
    opts: BuildOptions,
    config: Option<Settled>,
    cache: HashMap<PathBuf, Entry>,
    /// Where the articles loaded from the build cache keep their bodies
    /// and explanations.
    parts: Arc<dyn Parts>,
    fingerprints: HashMap<String, u64>,
    /// What the last render pass can lend the next one.
    render_cache: RenderCache,
    /// The last good site's groupings, which an edit of text can reuse
    /// (from the last pass, or the build cache's memo).
    groups: Option<Groupings>,
    /// The last good site.
    site: Option<Site>,
    outputs: Outputs,
}

/// Output path → bytes; cheap to clone (reference-counted keys and values).
pub type Outputs = BTreeMap<Arc<str>, Arc<Vec<u8>>>;

/// The pass's phases, timed one after the other.
struct Laps {
    list: Vec<(&'static str, Duration)>,
    lap: Instant,
}

impl Laps {
    fn new() -> Laps {
        Laps {
            list: Vec::new(),
            lap: Instant::now(),
        }
    }

    fn mark(&mut self, name: &'static str) {
        self.list.push((name, self.lap.elapsed()));
        self.lap = Instant::now();
    }
}

impl Workspace {
    /// What the workspace builds.
    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// An empty workspace; the first [`rebuild`](Self::rebuild) builds all.
    pub fn new(opts: BuildOptions) -> Workspace {
        Workspace {
            opts,
            config: None,
            cache: HashMap::new(),
            parts: Arc::new(NoParts),
            fingerprints: HashMap::new(),
            render_cache: RenderCache::default(),
            groups: None,
            site: None,
            outputs: BTreeMap::new(),
        }
    }

    /// A workspace that starts from what a former build left: the
    /// configuration it had (by `pipeline::config_hash`), the articles it
    /// read (path relative to the root → stamp and article), where they
    /// keep their parts, and the fingerprints of the pages it wrote. Its
    /// in-memory outputs start empty: it is meant for [`pass`](Self::pass),
    /// whose caller keeps the outputs.
    pub fn seeded(
        opts: BuildOptions,
        config: Settled,
        articles: impl IntoIterator<Item = Seed>,
        parts: Arc<dyn Parts>,
        fingerprints: HashMap<String, u64>,
        memo: Option<crate::cache::Memo>,
    ) -> Workspace {
        let mut ws = Workspace::new(opts);
        ws.config = Some(config);
        ws.parts = parts;
        if let Some(m) = memo {
            ws.groups = Some(m.groups);
            ws.render_cache = RenderCache::from_last(m.last);
        }
        ws.cache = articles
            .into_iter()
            .map(|(rel, stamp, a)| {
                let result = Ok(a);
                (rel, Entry { stamp, result })
            })
            .collect();
        ws.fingerprints = fingerprints;
        ws
    }

    /// The current outputs: path → bytes.
    pub fn outputs(&self) -> &Outputs {
        &self.outputs
    }

    pub fn get(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        self.outputs.get(path).cloned()
    }

    /// The last good site.
    pub fn site(&self) -> Option<&Site> {
        self.site.as_ref()
    }

    /// The fingerprint of every page of the last good pass.
    pub fn fingerprints(&self) -> &HashMap<String, u64> {
        &self.fingerprints
    }

    /// Where the articles keep the parts they keep apart.
    pub fn parts(&self) -> &dyn Parts {
        &*self.parts
    }

    /// What the last good pass leaves for the next build.
    pub fn memo(&self) -> Option<crate::cache::Memo> {
        Some(crate::cache::Memo {
            last: self.render_cache.last()?.clone(),
            groups: self.groups.clone()?,
        })
    }

    /// Every content file as last read (path relative to the root) that
    /// made an article, with its stamp when read and the article: after a
    /// good pass, the articles of that pass.
    pub fn articles(&self) -> impl Iterator<Item = (&PathBuf, FileStamp, &Arc<Article>)> {
        self.cache.iter().filter_map(|(p, e)| match &e.result {
            Ok(a) => Some((p, e.stamp, a)),
            Err(_) => None,
        })
    }

    /// Brings the site up to date with the files on disk.
    pub fn rebuild(&mut self) -> Result<Rebuild> {
        self.rebuild_paths(None)
    }

    /// Like [`rebuild`](Self::rebuild), told which paths changed (absolute,
    /// or relative to the site root). When they are all articles, only those
    /// are looked at instead of the whole `content/` tree.
    pub fn rebuild_paths(&mut self, changed: Option<&[PathBuf]>) -> Result<Rebuild> {
        let start = Instant::now();
        let pass = self.pass(changed, &Progress::hidden())?;
        let lap = Instant::now();
        let mut phases = pass.phases;
        let rendered = pass.rendered.len();
        let mut keep: HashSet<&str> = self.fingerprints.keys().map(String::as_str).collect();
        keep.extend(pass.statics.iter().map(|s| s.path.as_str()));
        let removed: Vec<String> = self
            .outputs
            .keys()
            .filter(|p| !keep.contains(&***p))
            .map(|p| p.to_string())
            .collect();
        drop(keep);
        for p in &removed {
            self.outputs.remove(p.as_str());
        }
        let mut changed = Vec::new();
        for o in pass.rendered.into_iter().chain(pass.statics) {
            if self
                .outputs
                .get(o.path.as_str())
                .is_none_or(|old| **old != o.bytes)
            {
                self.outputs
                    .insert(Arc::from(o.path.as_str()), Arc::new(o.bytes));
                changed.push(o.path);
            }
        }
        changed.sort();
        phases.push(("outputs", lap.elapsed()));
        Ok(Rebuild {
            reread: pass.reread,
            rendered,
            reused: pass.reused,
            changed,
            removed,
            articles: pass.articles,
            elapsed: start.elapsed(),
            phases,
        })
    }

    /// Runs the pipeline over what changed, and makes its result the
    /// workspace's state; the caller does what it wants with the rendered
    /// pages. On error the state is left as it was.
    pub fn pass(&mut self, changed: Option<&[PathBuf]>, progress: &Progress) -> Result<Pass> {
        let mut laps = Laps::new();
        let root = self.opts.root.clone();
        // Configuration: a change invalidates every article and page.
        let (settled, config_changed) = self.settle_config()?;
        let (_, config, tagger) = &settled;
        // Templates are compiled before the content is read, so a site with
        // broken templates and broken articles reports both.
        let templates = pipeline::templates(&root);
        laps.mark("config");

        let Looked {
            kept: mut next,
            fresh,
        } = self.look_at(changed, config_changed)?;
        let reread = fresh.len();
        next.extend(read_and_tag(
            &root, config, tagger, fresh, progress, &mut laps,
        ));
        let (articles, mut errs, warnings) =
            pipeline::select(next.values().map(|e| &e.result), self.opts.drafts);
        let templates = match templates {
            Ok(t) => errs.into_result().map(|()| t).map_err(Error::from),
            Err(Error::Site(d)) => {
                errs.0.extend(d.0);
                Err(Error::Site(errs.sorted()))
            }
            Err(e) => Err(e),
        };
        let mut templates = match templates {
            Ok(t) => t,
            Err(e) => {
                self.remember_reads(next, config_changed);
                return Err(e);
            }
        };

        let count = articles.len();
        progress.phase("Indexing", None);
        let previous_groups = self.groups.as_ref().filter(|_| !config_changed);
        let site = pipeline::index(config.clone(), tagger.clone(), articles, previous_groups);
        laps.mark("index");
        let none = HashMap::new();
        let previous = if config_changed {
            self.render_cache = RenderCache::default();
            &none
        } else {
            &self.fingerprints
        };
        progress.phase("Rendering", None);
        // The render cache only gains entries that belong to this
        // configuration, so a failed rebuild leaves it usable.
        let rendered = pipeline::statics(&root).and_then(|statics| {
            let pass = pipeline::render(
                &site,
                &mut templates,
                &statics,
                &*self.parts,
                &mut self.render_cache,
                previous,
            )?;
            Ok((statics, pass))
        });
        let (statics, pass) = match rendered {
            Ok(r) => r,
            Err(e) => {
                self.remember_reads(next, config_changed);
                return Err(e);
            }
        };
        laps.mark("render");
        // Nothing can fail from here on.
        self.config = Some(settled);
        self.cache = next;
        self.fingerprints = pass.fingerprints;
        self.groups = Some(site.groupings());
        self.site = Some(site);
        Ok(Pass {
            rendered: pass.outputs,
            statics: statics.files,
            reread,
            reused: pass.reused,
            examined: pass.examined,
            articles: count,
            phases: laps.list,
            warnings: warnings.sorted().0.iter().map(|d| d.to_string()).collect(),
        })
    }

    /// Keeps what a failed pass read of the content files, so that a
    /// problem stays a problem: the next pass, whatever it is told changed,
    /// finds the broken file's entry (same stamp, same problems) and fails
    /// again until the file is fixed. Errors are state, not events. The
    /// last good site stays as it was; only a pass under the configuration
    /// the workspace holds may leave its reads (another configuration's
    /// pass reads everything again anyway).
    fn remember_reads(&mut self, next: HashMap<PathBuf, Entry>, config_changed: bool) {
        if !config_changed {
            self.cache = next;
        }
    }

    /// The configuration to build with, and whether it changed since the
    /// last pass.
    fn settle_config(&self) -> Result<(Settled, bool)> {
        let text = pipeline::config_text(&self.opts.root)?;
        let hash = pipeline::config_hash(&text, &self.opts);
        match &self.config {
            Some(s) if s.0 == hash => Ok((s.clone(), false)),
            _ => {
                let c = pipeline::config(&self.opts)?;
                let t = Arc::new(pipeline::tagger(&c, Workload::Many)?);
                Ok(((hash, c, t), true))
            }
        }
    }

    /// The content files to look at now, with their stamps: the articles
    /// `changed` names when it names nothing else (and the configuration is
    /// the same), else every content file.
    fn look_at(&self, changed: Option<&[PathBuf]>, config_changed: bool) -> Result<Looked> {
        let root = &self.opts.root;
        let articles_only = changed.and_then(|paths| articles_named(root, paths));
        let mut next: HashMap<PathBuf, Entry>;
        let looked_at: Vec<(PathBuf, FileStamp)> = match articles_only {
            Some(rels) if !config_changed && !self.cache.is_empty() => {
                next = self.cache.clone();
                let mut v = Vec::with_capacity(rels.len());
                for rel in rels {
                    match FileStamp::of(&root.join(&rel))
                        .filter(|_| load::is_plain_file(root, &rel))
                    {
                        Some(stamp) => v.push((rel, stamp)),
                        None => {
                            next.remove(&rel);
                        }
                    }
                }
                v
            }
            _ => {
                next = HashMap::new();
                pipeline::content_files(root)?
                    .into_par_iter()
                    .filter_map(|rel| {
                        let stamp = FileStamp::of(&root.join(&rel))?;
                        Some((rel, stamp))
                    })
                    .collect()
            }
        };
        // Reuse every article whose file is unchanged; read the others.
        let mut fresh: Vec<(PathBuf, FileStamp)> = Vec::new();
        for (rel, stamp) in looked_at {
            match self.cache.get(&rel) {
                Some(e) if !config_changed && e.stamp == stamp => {
                    next.insert(rel, e.clone());
                }
                _ => fresh.push((rel, stamp)),
            }
        }
        Ok(Looked { kept: next, fresh })
    }
}

/// The paths (absolute, or relative to `root`) as article paths relative
/// to the root, when they are all articles.
fn articles_named(root: &Path, paths: &[PathBuf]) -> Option<Vec<PathBuf>> {
    let abs_root = std::fs::canonicalize(root).ok()?;
    paths
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&abs_root)
                .or_else(|_| p.strip_prefix(root))
                .unwrap_or(p);
            load::is_article_path(rel).then(|| rel.to_path_buf())
        })
        .collect()
}

/// The load and tag stages, in parallel, for the files `fresh`.
fn read_and_tag(
    root: &Path,
    config: &Config,
    tagger: &Tagger,
    fresh: Vec<(PathBuf, FileStamp)>,
    progress: &Progress,
    laps: &mut Laps,
) -> Vec<(PathBuf, Entry)> {
    let n = fresh.len();
    progress.phase("Reading", Some(n));
    let parsed: Vec<(PathBuf, FileStamp, Result<Article, load::Unloaded>)> = fresh
        .into_par_iter()
        .map(|(rel, stamp)| {
            let r = pipeline::read(root, &rel, config);
            progress.inc(1);
            (rel, stamp, r)
        })
        .collect();
    laps.mark("load");
    progress.phase("Tagging", Some(n));
    let tagged = parsed
        .into_par_iter()
        .map(|(rel, stamp, r)| {
            let result = r
                .map_err(|u| pipeline::problems(tagger, u))
                .and_then(|a| pipeline::tagged(tagger, a))
                .map(Arc::new);
            progress.inc(1);
            (rel, Entry { stamp, result })
        })
        .collect();
    laps.mark("tag");
    tagged
}

/// Builds a site in memory, as `serve` does: the site, and every output
/// sorted by path.
pub fn build_outputs(opts: &BuildOptions) -> Result<(Site, Vec<Output>)> {
    let mut ws = Workspace::new(opts.clone());
    ws.rebuild()?;
    let outputs = std::mem::take(&mut ws.outputs)
        .into_iter()
        .map(|(p, b)| Output::new(p.to_string(), Arc::unwrap_or_clone(b)))
        .collect();
    let site = ws
        .site
        .take()
        .ok_or_else(|| anyhow::anyhow!("no site was built"))?;
    Ok((site, outputs))
}

#[cfg(test)]
mod tests;

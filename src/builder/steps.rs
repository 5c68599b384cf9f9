//! The steps of a build, in the order [`super::run`] takes them, and what
//! they share: the cache's state, the output directory, the notices and
//! the time each phase took.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use super::plan::{Plan, plan_content};
use super::{BuildReport, CacheUse};
use crate::cache::{self, FileRec, State};
use crate::disk::{FileStamp, nanos};
use crate::error::{Error, Result};
use crate::model::{Article, Output};
use crate::output::{self, OutputRec, PageRec, Scan, Touched, WriteStats};
use crate::pipeline::{self, BuildOptions};
use crate::progress::Progress;
use crate::tag::Workload;
use crate::workspace::{Pass, Seed, Workspace};

/// A build under way.
pub(super) struct Build<'o> {
    opts: &'o BuildOptions,
    use_cache: bool,
    out: PathBuf,
    /// The output directory's absolute path, as the cache records it.
    out_key: String,
    /// When the build began, in nanoseconds since 1970.
    started: i128,
    config_hash: u64,
    /// The cache key of this configuration and binary.
    key: u64,
    /// The digest of the site's templates.
    templates: u64,
    /// The cache, when it belongs to this configuration and binary.
    state: Option<State>,
    /// The pass runs from the cache.
    incremental: bool,
    phases: Phases,
    notices: Vec<String>,
    /// Held until the build ends.
    _lock: super::lock::Lock,
}

/// What writing the output did.
pub(super) struct Written {
    /// The path of every output written or compared: the rendered pages,
    /// then the static files.
    paths: Vec<String>,
    /// How many of them are pages.
    rendered: usize,
    /// The stamp of each output's file.
    stamps: Vec<FileStamp>,
    touched: Touched,
    pub(super) stats: WriteStats,
    /// Files the output holds now.
    pub(super) total: usize,
}

/// The notice of a build cache that is not used.
fn ignoring(why: impl std::fmt::Display) -> String {
    format!("ignoring the build cache ({why}); building everything")
}

impl<'o> Build<'o> {
    /// Checks the output directory, and reads the cache when `use_cache`.
    pub(super) fn prepare(opts: &'o BuildOptions, use_cache: bool) -> Result<Build<'o>> {
        let started = nanos(SystemTime::now());
        let phases = Phases::new();
        let root = &opts.root;
        let out = opts.output_dir();
        output::check_output_dir(root, &out)?;
        let lock = super::lock::acquire(root, &out, use_cache)?;
        // What a killed build left in the output.
        output::recover(&out)?;
        let out_abs = std::path::absolute(&out).unwrap_or_else(|_| out.clone());
        let config_text = pipeline::config_text(root)?;
        let config_hash = pipeline::config_hash(&config_text, opts);
        let key = cache::key(config_hash);
        let mut b = Build {
            opts,
            use_cache,
            out_key: out_abs.to_string_lossy().into_owned(),
            out,
            started,
            config_hash,
            key,
            templates: cache::templates_digest(root),
            state: None,
            incremental: false,
            phases,
            notices: Vec::new(),
            _lock: lock,
        };
        if use_cache {
            b.notices.extend(cache::tidy(root));
            b.state = match cache::load_state(root) {
                Ok(Some(s)) if s.key == key => Some(s),
                Ok(_) => None,
                Err(why) => {
                    b.notices.push(ignoring(why));
                    None
                }
            };
        }
        b.phases.mark("cache load");
        Ok(b)
    }

    /// Scans the output directory (from the cache's record of it, when it
    /// has one) and, with a cache, plans which content files to read.
    pub(super) fn scan(&mut self) -> Result<(Scan, Option<Plan>)> {
        let state = self.state.as_ref();
        let out_key = &self.out_key;
        let listed =
            state.and_then(|s| Some((s, s.output.as_ref().filter(|o| o.dir == *out_key)?)));
        let (found, plan) = rayon::join(
            || match listed {
                Some((s, rec)) => output::scan_cached(&self.out, rec, |m| s.trusts_mtime(m)),
                None => output::scan(&self.out),
            },
            || state.map(|s| plan_content(&self.opts.root, s)).transpose(),
        );
        let found = found?;
        let plan = match (plan?, state) {
            (Some(p), Some(s)) => Some(p.with_pages(s, &found, out_key)),
            _ => None,
        };
        self.phases.mark("scan");
        Ok((found, plan))
    }

    /// Whether nothing changed since the cache was saved: no content file,
    /// no template, and every page file is as that build left it.
    pub(super) fn nothing_changed(&self, plan: &Plan) -> bool {
        self.state
            .as_ref()
            .is_some_and(|s| s.templates == self.templates)
            && plan.changed.is_empty()
            && plan.pages_intact
    }

    /// When nothing changed: writes the static files (those whose bytes
    /// changed) and removes what the site does not have. Returns what the
    /// writer did and how many files the output holds.
    pub(super) fn write_statics(
        &mut self,
        plan: &Plan,
        found: &Scan,
        progress: &Progress,
    ) -> Result<(WriteStats, usize)> {
        let statics = pipeline::statics(&self.opts.root)?.files;
        let pages: HashSet<&str> = plan.previous.keys().map(String::as_str).collect();
        pipeline::static_clashes(&statics, |s| pages.contains(s)).into_result()?;
        let mut touched = Touched::default();
        let static_paths: Vec<String> = statics.iter().map(|s| s.path.clone()).collect();
        let mut keep = pages;
        keep.extend(static_paths.iter().map(String::as_str));
        progress.phase("Writing", Some(statics.len()));
        let mut w = output::Writer::begin(&self.out, self.opts.clean, progress)?;
        w.push(statics)?;
        let done = w.commit(found, &keep, &mut touched)?;
        self.kept(&done.foreign);
        let mut stats = done.stats;
        stats.unchanged += plan.previous.len();
        self.phases.mark("write");
        if plan.racy || found.dirs_read() > 0 || !touched.is_empty() {
            // Files were checked by content, or directories of the output
            // read or changed: a fresh state spares the next build that.
            self.save_listing(plan, found, &touched);
            self.phases.mark("cache save");
        }
        Ok((stats, plan.previous.len() + static_paths.len()))
    }

    /// Saves the state as it was, with the content files' stamps and the
    /// output's listing as they are now.
    fn save_listing(&mut self, plan: &Plan, found: &Scan, touched: &Touched) {
        let Some(state) = &self.state else { return };
        let pages = state.output.as_ref().map_or_else(Vec::new, |o| {
            o.pages
                .iter()
                .map(|r| PageRec {
                    path: r.path.clone(),
                    fingerprint: r.fingerprint,
                    stamp: r.stamp,
                })
                .collect()
        });
        let fresh = State {
            key: self.key,
            started: self.started,
            templates: self.templates,
            files: plan.files_now.clone(),
            shards: state.shards.clone(),
            output: Some(OutputRec {
                dir: self.out_key.clone(),
                pages,
                dirs: output::listing(&self.out, found, touched),
            }),
            memo: state.memo,
        };
        if let Err(e) = cache::save_state(&self.opts.root, &fresh) {
            self.notices
                .push(format!("cannot save the build cache: {e:#}"));
        }
    }

    /// Notes what the output holds that milbrief did not write.
    fn kept(&mut self, foreign: &[String]) {
        if !foreign.is_empty() {
            self.notices.push(output::kept_notice(foreign));
        }
    }

    /// The articles the cache lists (drafts with `--drafts` only).
    pub(super) fn articles_listed(&self) -> usize {
        self.state.as_ref().map_or(0, |s| {
            s.files
                .iter()
                .filter(|f| self.opts.drafts || !f.draft)
                .count()
        })
    }

    /// A workspace seeded with the cached articles that are still current,
    /// and the content files that changed; or, without a usable cache, an
    /// empty workspace. The tagger is built while the articles are read.
    pub(super) fn seed(&mut self, plan: Option<Plan>) -> Result<(Workspace, Option<Vec<PathBuf>>)> {
        let opts = self.opts;
        let fresh = move || Workspace::new(opts.clone());
        let (Some(state), Some(p)) = (&self.state, plan) else {
            return Ok((fresh(), None));
        };
        let root = &self.opts.root;
        let ((loaded, memo), settled) = rayon::join(
            || {
                rayon::join(
                    || current_articles(root, state, &p.files_now),
                    // Without it, the rebuild is slower, not wrong.
                    || cache::load_memo(root, state).ok(),
                )
            },
            || -> Result<_> {
                let config = pipeline::config(self.opts)?;
                // Built for the few articles an edit asks to tag again.
                let work = Workload::of(p.changed.len());
                let tagger = Arc::new(pipeline::tagger(&config, work)?);
                Ok((self.config_hash, config, tagger))
            },
        );
        let settled = settled?;
        self.phases.mark("cache load");
        match loaded {
            Ok((seeds, store)) if seeds.len() == p.files_now.len() => {
                self.incremental = true;
                let ws = Workspace::seeded(
                    self.opts.clone(),
                    settled,
                    seeds,
                    Arc::new(store),
                    p.previous,
                    memo,
                );
                Ok((ws, Some(p.changed)))
            }
            Ok(_) => {
                self.notices.push(ignoring("it lacks some articles"));
                Ok((fresh(), None))
            }
            Err(why) => {
                self.notices.push(ignoring(why));
                Ok((fresh(), None))
            }
        }
    }

    /// A pass of the pipeline over what changed (`changed`: the content
    /// files, with a seeded workspace). A part of a cached article found
    /// damaged makes it a full pass in a new workspace: what the first
    /// made cannot be trusted, and nothing is written yet.
    pub(super) fn pass(
        &mut self,
        ws: &mut Workspace,
        changed: Option<Vec<PathBuf>>,
        progress: &Progress,
    ) -> Result<Pass> {
        let pass = match ws.pass(changed.as_deref(), progress) {
            Err(Error::Cache(why)) => {
                self.notices.push(ignoring(why));
                self.incremental = false;
                *ws = Workspace::new(self.opts.clone());
                ws.pass(None, progress)
            }
            r => r,
        }?;
        self.phases.extend(&pass.phases);
        self.notices.extend(pass.warnings.iter().cloned());
        Ok(pass)
    }

    /// Writes what was rendered and the static files, and removes the
    /// rest.
    pub(super) fn write(
        &mut self,
        ws: &Workspace,
        pass: Pass,
        found: &Scan,
        progress: &Progress,
    ) -> Result<Written> {
        let rendered = pass.rendered.len();
        let statics = pass.statics.len();
        let paths: Vec<String> = pass
            .rendered
            .iter()
            .chain(&pass.statics)
            .map(|o| o.path.clone())
            .collect();
        progress.phase("Writing", Some(paths.len()));
        let mut w = output::Writer::begin(&self.out, self.opts.clean, progress)?;
        // The writer takes batches, each staged and dropped at once.
        let sink: &mut dyn output::OutputSink = &mut w;
        let mut pages = pass.rendered.into_iter();
        loop {
            let batch: Vec<Output> = pages.by_ref().take(output::BATCH).collect();
            if batch.is_empty() {
                break;
            }
            sink.push(batch)?;
        }
        sink.push(pass.statics)?;
        let mut keep: HashSet<&str> = ws.fingerprints().keys().map(String::as_str).collect();
        keep.extend(paths[rendered..].iter().map(String::as_str));
        let mut touched = Touched::default();
        let done = w.commit(found, &keep, &mut touched)?;
        self.kept(&done.foreign);
        let (mut stats, stamps) = (done.stats, done.stamps);
        stats.unchanged += ws.fingerprints().len() + statics - paths.len();
        let total = keep.len();
        drop(keep);
        self.phases.mark("write");
        Ok(Written {
            paths,
            rendered,
            stamps,
            touched,
            stats,
            total,
        })
    }

    /// Saves the cache: the articles, the memo of the last render pass,
    /// and the state naming them with the output's record. A failure is a
    /// notice, and the cache is removed.
    pub(super) fn save(&mut self, ws: &Workspace, written: Written, found: &Scan) {
        let root = &self.opts.root;
        let stamps: HashMap<&str, FileStamp> = written.paths[..written.rendered]
            .iter()
            .zip(&written.stamps)
            .map(|(p, s)| (p.as_str(), *s))
            .collect();
        let pages: Vec<PageRec> = ws
            .fingerprints()
            .iter()
            .filter_map(|(path, fp)| {
                let stamp = stamps
                    .get(path.as_str())
                    .or_else(|| found.files.get(path))?;
                Some(PageRec {
                    path: path.clone(),
                    fingerprint: *fp,
                    stamp: *stamp,
                })
            })
            .collect();
        let dirs = output::listing(&self.out, found, &written.touched);
        drop(stamps);
        drop(written);
        let articles: Vec<(FileRec, Arc<Article>)> = ws
            .articles()
            .filter_map(|(rel, stamp, a)| {
                let rec = FileRec {
                    rel: rel.to_str()?.replace('\\', "/"),
                    stamp,
                    fingerprint: a.fingerprint,
                    draft: a.draft,
                };
                Some((rec, a.clone()))
            })
            .collect();
        // The memo is written before the state that names it.
        let memo = match ws.memo().map(|m| cache::save_memo(root, &m, self.started)) {
            Some(Ok(tag)) => tag,
            Some(Err(e)) => {
                self.notices
                    .push(format!("cannot save the build cache: {e:#}"));
                0
            }
            None => 0,
        };
        let fresh = State {
            key: self.key,
            started: self.started,
            templates: self.templates,
            files: articles.iter().map(|(f, _)| f.clone()).collect(),
            shards: Vec::new(),
            output: Some(OutputRec {
                dir: self.out_key.clone(),
                pages,
                dirs,
            }),
            memo,
        };
        let previous = self
            .state
            .as_ref()
            .filter(|_| self.incremental)
            .map(|s| s.shards.as_slice());
        if let Err(e) = cache::save(root, fresh, &articles, previous, ws.parts()) {
            self.notices
                .push(format!("cannot save the build cache: {e:#}"));
            cache::clear(root);
        }
        self.phases.mark("cache save");
    }

    /// How this build used the cache (once it ran its pass).
    pub(super) fn cache_use(&self) -> CacheUse {
        if !self.use_cache {
            CacheUse::Off
        } else if self.incremental {
            CacheUse::Incremental
        } else {
            CacheUse::Full
        }
    }

    /// The report of the build.
    pub(super) fn report(
        self,
        start: Instant,
        cache: CacheUse,
        articles: usize,
        outputs: usize,
        stats: WriteStats,
    ) -> BuildReport {
        BuildReport {
            articles,
            outputs,
            stats,
            elapsed: start.elapsed(),
            phases: self.phases.list,
            cache,
            reread: 0,
            rendered: 0,
            examined: 0,
            notices: self.notices,
        }
    }
}

/// The cached articles whose files are unchanged (`files_now`), each with
/// its path and stamp now, and the store their kept parts are read from.
fn current_articles(
    root: &std::path::Path,
    state: &State,
    files_now: &[FileRec],
) -> Result<(Vec<Seed>, cache::Store), cache::Error> {
    let (list, store) = cache::load_articles(root, state)?;
    let by_path: HashMap<&str, FileStamp> = files_now
        .iter()
        .map(|f| (f.rel.as_str(), f.stamp))
        .collect();
    let seeds = list
        .into_par_iter()
        .filter_map(|a| {
            let rel = a.source_path.to_string_lossy().into_owned();
            let stamp = *by_path.get(rel.as_str())?;
            Some((PathBuf::from(rel), stamp, a))
        })
        .collect();
    Ok((seeds, store))
}

/// Time spent in each phase of a build.
pub(super) struct Phases {
    list: Vec<(&'static str, Duration)>,
    lap: Instant,
}

impl Phases {
    fn new() -> Phases {
        Phases {
            list: Vec::new(),
            lap: Instant::now(),
        }
    }

    /// Ends the phase `name`, which began at the end of the last one.
    fn mark(&mut self, name: &'static str) {
        self.list.push((name, self.lap.elapsed()));
        self.lap = Instant::now();
    }

    /// Adds phases timed elsewhere, which end now.
    fn extend(&mut self, phases: &[(&'static str, Duration)]) {
        self.list.extend_from_slice(phases);
        self.lap = Instant::now();
    }
}

//! `milbrief build` with its cache: a [`Workspace`] seeded from what the
//! last build left in `<site>/.milbrief/cache/` (see [`crate::cache`]),
//! told which content files changed, renders the pages whose inputs
//! changed; the writer writes those whose bytes changed.
//!
//! When nothing changed at all (same content stamps, configuration,
//! templates and binary, and every page file as the last build left it),
//! nothing is read, rendered or written but the static files, which are
//! compared byte for byte.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::cache::{self, FileRec, FileStamp, OutputRec, PageRec, State};
use crate::progress::Progress;
use crate::workspace::{self, Workspace};
use crate::{BuildOptions, BuildReport, load, write};

/// How a build uses its cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CacheUse {
    /// `--no-cache`: a full build, and no cache is kept.
    Off,
    /// A full build: there was no usable cache (the reason, if any, is in
    /// the notices).
    Full,
    /// A rebuild from the cache.
    Incremental,
    /// Nothing changed: only static files were compared.
    Unchanged,
}

/// Everything a build does, with or without the cache.
pub fn run(
    opts: &BuildOptions,
    use_cache: bool,
    progress: &Progress,
) -> anyhow::Result<BuildReport> {
    let start = Instant::now();
    let started = cache::nanos(SystemTime::now());
    let mut phases = Phases::new();
    let mut notices: Vec<String> = Vec::new();
    let root = &opts.root;
    let out = opts.output_dir();
    write::check_output_dir(root, &out)?;
    let out_abs = std::path::absolute(&out).unwrap_or_else(|_| out.clone());
    let out_key = out_abs.to_string_lossy().into_owned();

    let config_text = workspace::read_config_text(root)?;
    let config_hash = workspace::config_hash(&config_text, opts);
    let key = cache::key(config_hash);
    let templates = cache::templates_digest(root);

    // The cache, when it belongs to this configuration and binary.
    let state = if use_cache {
        match cache::load_state(root) {
            Ok(Some(s)) if s.key == key => Some(s),
            Ok(_) => None,
            Err(why) => {
                notices.push(format!(
                    "ignoring the build cache ({why}); building everything"
                ));
                None
            }
        }
    } else {
        None
    };
    phases.mark("cache load");

    // What changed in content/ and in the output directory since: the
    // output is scanned from the cache's record of it, when it has one.
    let listed = state
        .as_ref()
        .and_then(|s| Some((s, s.output.as_ref().filter(|o| o.dir == out_key)?)));
    let (found, plan) = rayon::join(
        || match listed {
            Some((s, rec)) => write::scan_cached(&out, rec, |m| s.trusts_mtime(m)),
            None => write::scan(&out),
        },
        || state.as_ref().map(|s| plan_content(root, s)).transpose(),
    );
    let found = found?;
    let mut plan = match (plan?, &state) {
        (Some(p), Some(s)) => Some(p.with_pages(s, &found, &out_key)),
        _ => None,
    };
    phases.mark("scan");

    if let (Some(state), Some(p)) = (&state, &plan)
        && p.changed.is_empty()
        && state.templates == templates
        && p.pages_intact
    {
        // Nothing changed: the pages on disk are what a build would write.
        let statics = write::static_outputs(root)?;
        let pages: HashSet<&str> = p.previous.keys().map(String::as_str).collect();
        write::check_static_clash(&statics, |s| pages.contains(s))?;
        let mut touched = write::Touched::default();
        let (mut stats, _) = write::write_files(&out, &statics, progress, &mut touched)?;
        let mut keep = pages;
        keep.extend(statics.iter().map(|s| s.path.as_str()));
        stats.removed = write::remove_stale(&out, &found, &keep, &mut touched)?;
        stats.unchanged += p.previous.len();
        phases.mark("write");
        let outputs = p.previous.len() + statics.len();
        let articles = state
            .files
            .iter()
            .filter(|f| opts.drafts || !f.draft)
            .count();
        if p.racy || found.dirs_read() > 0 || !touched.is_empty() {
            // Files were checked by content, or directories of the output
            // read or changed: a fresh state spares the next build that.
            let dirs = write::listing(&out, &found, &touched);
            let fresh = State {
                key,
                started,
                templates,
                files: p.files_now.clone(),
                shards: state.shards.clone(),
                output: Some(OutputRec {
                    dir: out_key.clone(),
                    pages: state.output.as_ref().map_or_else(Vec::new, |o| {
                        o.pages
                            .iter()
                            .map(|r| PageRec {
                                path: r.path.clone(),
                                fingerprint: r.fingerprint,
                                stamp: r.stamp,
                            })
                            .collect()
                    }),
                    dirs,
                }),
                memo: state.memo,
            };
            if let Err(e) = cache::save_state(root, &fresh) {
                notices.push(format!("cannot save the build cache: {e:#}"));
            }
            phases.mark("cache save");
        }
        return Ok(BuildReport {
            articles,
            outputs,
            stats,
            elapsed: start.elapsed(),
            phases: phases.list,
            cache: CacheUse::Unchanged,
            reread: 0,
            rendered: 0,
            examined: 0,
            notices,
        });
    }

    // Seed a workspace with the cached articles that are still current.
    let mut ws = None;
    // The shards their bodies and explanations are read from, as pages
    // ask for them.
    let mut parts = None;
    if let (Some(state), Some(p)) = (&state, plan.take()) {
        // The tagger is built while the articles are read and matched
        // with the files they came from (unchanged files only, the changed
        // ones are read again), and the memo of the last render pass.
        let ((loaded, memo), tagger) = rayon::join(
            || {
                rayon::join(
                    || {
                        let (list, shards) = cache::load_articles(root, state)?;
                        let by_path: HashMap<&str, FileStamp> = p
                            .files_now
                            .iter()
                            .map(|f| (f.rel.as_str(), f.stamp))
                            .collect();
                        let seeds: Vec<(PathBuf, FileStamp, Arc<crate::model::Article>)> = list
                            .into_par_iter()
                            .filter_map(|a| {
                                let rel = a.source_path.to_string_lossy().into_owned();
                                let stamp = *by_path.get(rel.as_str())?;
                                Some((PathBuf::from(rel), stamp, a))
                            })
                            .collect();
                        Ok::<_, String>((seeds, shards))
                    },
                    // Without it, the rebuild is slower, not wrong.
                    || cache::load_memo(root, state).ok(),
                )
            },
            || -> anyhow::Result<_> {
                let config = crate::load_config(opts)?;
                // Built for the few articles an edit asks to tag again.
                let work = crate::tag::Workload::of(p.changed.len());
                let tagger = Arc::new(crate::tag::Tagger::for_workload(&config, work)?);
                Ok((config, tagger))
            },
        );
        let (config, tagger) = tagger?;
        match loaded {
            Ok((seeds, shards)) => {
                phases.mark("cache load");
                if seeds.len() == p.files_now.len() {
                    parts = Some(shards);
                    ws = Some((
                        Workspace::seeded(
                            opts.clone(),
                            (config_hash, config, tagger),
                            seeds,
                            p.previous,
                            memo,
                        ),
                        p.changed,
                    ));
                } else {
                    notices.push(
                        "ignoring the build cache (it lacks some articles); building everything"
                            .into(),
                    );
                }
            }
            Err(why) => {
                notices.push(format!(
                    "ignoring the build cache ({why}); building everything"
                ));
                phases.mark("cache load");
            }
        }
    }
    let mut incremental = ws.is_some();
    let (mut ws, changed) = ws.unwrap_or_else(|| (Workspace::new(opts.clone()), Vec::new()));
    let mut pass = ws.pass(incremental.then_some(changed.as_slice()), progress);
    // A cached body or explanation that turned out damaged when the pass
    // read it: what the pass made (or the error it met) cannot be trusted.
    // Nothing is written yet.
    if let Some(why) = parts.take().and_then(|p| p.damage()) {
        notices.push(format!(
            "ignoring the build cache ({why}); building everything"
        ));
        incremental = false;
        ws = Workspace::new(opts.clone());
        pass = ws.pass(None, progress);
    }
    let pass = pass?;
    phases.extend(&pass.phases);

    // Write what was rendered and the static files; remove the rest.
    let rendered = pass.rendered.len();
    let mut outputs = pass.rendered;
    let statics = pass.statics.len();
    outputs.extend(pass.statics);
    let mut touched = write::Touched::default();
    let (mut stats, stamps) = write::write_files(&out, &outputs, progress, &mut touched)?;
    let mut keep: HashSet<&str> = ws.fingerprints().keys().map(String::as_str).collect();
    keep.extend(outputs[rendered..].iter().map(|o| o.path.as_str()));
    stats.removed = write::remove_stale(&out, &found, &keep, &mut touched)?;
    stats.unchanged += ws.fingerprints().len() + statics - outputs.len();
    let total = keep.len();
    drop(keep);
    phases.mark("write");

    if use_cache {
        progress.phase("Caching", None);
        let written: HashMap<&str, FileStamp> = outputs[..rendered]
            .iter()
            .zip(&stamps)
            .map(|(o, s)| (o.path.as_str(), *s))
            .collect();
        let pages: Vec<PageRec> = ws
            .fingerprints()
            .iter()
            .filter_map(|(path, fp)| {
                let stamp = written
                    .get(path.as_str())
                    .or_else(|| found.files.get(path))?;
                Some(PageRec {
                    path: path.clone(),
                    fingerprint: *fp,
                    stamp: *stamp,
                })
            })
            .collect();
        let dirs = write::listing(&out, &found, &touched);
        drop(outputs);
        let articles: Vec<(FileRec, Arc<crate::model::Article>)> = ws
            .articles()
            .filter_map(|(rel, stamp, a)| {
                Some((
                    FileRec {
                        rel: rel.to_str()?.replace('\\', "/"),
                        stamp,
                        fingerprint: a.fingerprint,
                        draft: a.draft,
                    },
                    a.clone(),
                ))
            })
            .collect();
        // The memo is written before the state that names it.
        let memo = match ws.memo().map(|m| cache::save_memo(root, &m, started)) {
            Some(Ok(tag)) => tag,
            Some(Err(e)) => {
                notices.push(format!("cannot save the build cache: {e:#}"));
                0
            }
            None => 0,
        };
        let fresh = State {
            key,
            started,
            templates,
            files: articles.iter().map(|(f, _)| f.clone()).collect(),
            shards: Vec::new(),
            output: Some(OutputRec {
                dir: out_key,
                pages,
                dirs,
            }),
            memo,
        };
        let previous = state
            .as_ref()
            .filter(|_| incremental)
            .map(|s| s.shards.as_slice());
        if let Err(e) = cache::save(root, fresh, &articles, previous) {
            notices.push(format!("cannot save the build cache: {e:#}"));
            cache::clear(root);
        }
        phases.mark("cache save");
    }
    // Freeing a site's worth of small allocations takes a while; a
    // command-line build that is about to exit need not wait for it.
    std::thread::spawn(move || drop((ws, found)));
    Ok(BuildReport {
        articles: pass.articles,
        outputs: total,
        stats,
        elapsed: start.elapsed(),
        phases: phases.list,
        cache: if !use_cache {
            CacheUse::Off
        } else if incremental {
            CacheUse::Incremental
        } else {
            CacheUse::Full
        },
        reread: pass.reread,
        rendered,
        examined: pass.examined,
        notices,
    })
}

/// What the cache and the disk say about this build.
struct Plan {
    /// Content files added, changed or removed (relative to the root).
    changed: Vec<PathBuf>,
    /// Every unchanged content file, with its stamp now.
    files_now: Vec<FileRec>,
    /// Pages whose file is as the last build wrote it → fingerprint.
    previous: HashMap<String, u64>,
    /// Every page the last build wrote is intact.
    pages_intact: bool,
    /// Some files were compared by content.
    racy: bool,
}

/// The content files added, changed or removed since the cache was saved.
fn plan_content(root: &Path, state: &State) -> anyhow::Result<Plan> {
    let files = load::content_files(root)?;
    let known: HashMap<&str, &FileRec> = state.files.iter().map(|f| (f.rel.as_str(), f)).collect();
    // Stat every file; read those whose stamp cannot be trusted.
    let looked: Vec<(PathBuf, Option<FileRec>, bool, bool)> = files
        .into_par_iter()
        .map(|rel| {
            let Some(key) = rel.to_str().map(|s| s.replace('\\', "/")) else {
                return (rel, None, true, false);
            };
            let Some(stamp) = FileStamp::of(&root.join(&rel)) else {
                return (rel, None, true, false);
            };
            match known.get(key.as_str()) {
                Some(old) if old.stamp == stamp && state.trusts(&stamp) => {
                    let now = FileRec {
                        stamp,
                        ..(*old).clone()
                    };
                    (rel, Some(now), false, false)
                }
                Some(old) if old.stamp.len == stamp.len => {
                    // Same length, stamp too recent or changed: compare contents.
                    let same = std::fs::read(root.join(&rel))
                        .is_ok_and(|b| load::fingerprint(&rel, &b) == old.fingerprint);
                    let now = FileRec {
                        stamp,
                        ..(*old).clone()
                    };
                    (rel, Some(now), !same, true)
                }
                _ => (rel, None, true, false),
            }
        })
        .collect();
    let mut changed = Vec::new();
    let mut files_now = Vec::with_capacity(looked.len());
    let mut present = HashSet::with_capacity(looked.len());
    let mut racy = false;
    for (rel, rec, is_changed, was_racy) in looked {
        racy |= was_racy;
        if let Some(k) = rel.to_str() {
            present.insert(k.replace('\\', "/"));
        }
        if is_changed {
            changed.push(rel);
        } else if let Some(r) = rec {
            files_now.push(r);
        }
    }
    for f in &state.files {
        if !present.contains(&f.rel) {
            changed.push(PathBuf::from(&f.rel));
        }
    }
    Ok(Plan {
        changed,
        files_now,
        previous: HashMap::new(),
        pages_intact: false,
        racy,
    })
}

impl Plan {
    /// Adds the pages of the output directory that are as the cached
    /// build left them (`found` is a scan of it).
    fn with_pages(mut self, state: &State, found: &write::Scan, out_key: &str) -> Plan {
        if let Some(o) = state.output.as_ref().filter(|o| o.dir == out_key) {
            self.previous.reserve(o.pages.len());
            for p in &o.pages {
                if found.files.get(&p.path) == Some(&p.stamp) {
                    self.previous.insert(p.path.clone(), p.fingerprint);
                }
            }
            self.pages_intact = self.previous.len() == o.pages.len();
        }
        self
    }
}

/// Time spent in each phase of a build.
struct Phases {
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

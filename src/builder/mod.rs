//! `milbrief build`: the pipeline, with its cache. A
//! [`Workspace`](crate::workspace::Workspace) seeded
//! from what the last build left in `<site>/.milbrief/cache/` (see
//! [`crate::cache`]), told which content files changed, renders the pages
//! whose inputs changed; the writer writes those whose bytes changed.
//!
//! When nothing changed at all (same content stamps, configuration,
//! templates and binary, and every page file as the last build left it),
//! nothing is read, rendered or written but the static files, which are
//! compared byte for byte.
//!
//! One build at a time writes a site's cache and an output directory (see
//! [`lock`]).

mod lock;
mod plan;
mod steps;

use std::time::{Duration, Instant};

use crate::error::Result;
use crate::output::WriteStats;
use crate::pipeline::BuildOptions;
use crate::progress::Progress;
use steps::Build;

/// What a build did.
#[derive(Clone, Debug)]
pub struct BuildReport {
    pub articles: usize,
    pub outputs: usize,
    pub stats: WriteStats,
    pub elapsed: Duration,
    /// Time spent in each phase, in order (a phase may appear twice).
    pub phases: Vec<(&'static str, Duration)>,
    /// Whether the build cache was used, and how.
    pub cache: CacheUse,
    /// Articles read and parsed, and pages rendered.
    pub reread: usize,
    pub rendered: usize,
    /// Pages whose inputs were looked at (every page unless the cache
    /// narrowed them down to those showing an edited article).
    pub examined: usize,
    /// Things worth telling that are not errors (an unusable cache).
    pub notices: Vec<String>,
}

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

/// Builds the site into its output directory: a full build that keeps
/// no cache (see [`build_with`]).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    build_with(opts, false, &Progress::hidden())
}

/// Builds the site into its output directory. With `use_cache`, the build
/// cache in `<root>/.milbrief/cache/` makes a rebuild read, render and
/// write only what changed; its output is the same.
pub fn build_with(
    opts: &BuildOptions,
    use_cache: bool,
    progress: &Progress,
) -> Result<BuildReport> {
    run(opts, use_cache, progress)
}

/// The build: what the cache and the disk say changed, a pass of the
/// pipeline over it, the output written, the cache saved.
pub fn run(opts: &BuildOptions, use_cache: bool, progress: &Progress) -> Result<BuildReport> {
    let start = Instant::now();
    // The output directory is checked, and the cache read when it belongs
    // to this configuration and binary.
    let mut b = Build::prepare(opts, use_cache)?;
    // What changed in content/ and in the output directory since: the
    // output is scanned from the cache's record of it, when it has one.
    let (found, plan) = b.scan()?;
    if let Some(plan) = plan.as_ref().filter(|p| b.nothing_changed(p)) {
        // The pages on disk are what a build would write: only the static
        // files are compared.
        let (stats, outputs) = b.write_statics(plan, &found, progress)?;
        let articles = b.articles_listed();
        return Ok(b.report(start, CacheUse::Unchanged, articles, outputs, stats));
    }
    // A workspace seeded with the cached articles that are still current,
    // or an empty one; a pass of the pipeline over what changed. A cached
    // body or explanations found damaged makes it a full pass, before
    // anything is written.
    let (mut ws, changed) = b.seed(plan)?;
    let pass = b.pass(&mut ws, changed, progress)?;
    let (articles, reread, examined) = (pass.articles, pass.reread, pass.examined);
    let rendered = pass.rendered.len();
    // Write what was rendered and the static files; remove the rest.
    let written = b.write(&ws, pass, &found, progress)?;
    let (stats, outputs) = (written.stats.clone(), written.total);
    if use_cache {
        progress.phase("Caching", None);
        b.save(&ws, written, &found);
    }
    // Freeing a site's worth of small allocations takes a while; a
    // command-line build that is about to exit need not wait for it.
    std::thread::spawn(move || drop((ws, found)));
    let how = b.cache_use();
    let mut report = b.report(start, how, articles, outputs, stats);
    report.reread = reread;
    report.rendered = rendered;
    report.examined = examined;
    Ok(report)
}

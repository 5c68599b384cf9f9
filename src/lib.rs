//! milbrief: a static site generator for defense-news digests.
//!
//! The pipeline, one function per stage, each returning values:
//!
//! ```text
//! content/*.md ─load─▶ Article ─tag─▶ tagged Article ─index─▶ Site ─render─▶ Vec<Output> ─write─▶ public/
//! ```
//!
//! [`build_outputs`] runs every stage but the last and touches no disk
//! except to read; [`build`] adds the writer.

pub mod builder;
pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod import;
pub mod index;
pub mod load;
pub mod markdown;
pub mod model;
pub mod progress;
pub mod regions;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod sources;
pub mod svg;
pub mod tag;
pub mod workspace;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use config::Config;
use index::Site;
use model::Output;
use tag::Tagger;

/// What to build.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The site root (holds `config.toml`, `content/`, `templates/`, `static/`).
    pub root: PathBuf,
    /// Output directory; `root/public` when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `config.toml`.
    pub base_url: Option<String>,
    /// Include articles marked `draft = true`.
    pub drafts: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            ..Self::default()
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a build did.
#[derive(Clone, Debug)]
pub struct BuildReport {
    pub articles: usize,
    pub outputs: usize,
    pub stats: write::WriteStats,
    pub elapsed: Duration,
    /// Time spent in each phase, in order (a phase may appear twice).
    pub phases: Vec<(&'static str, Duration)>,
    /// Whether the build cache was used, and how.
    pub cache: builder::CacheUse,
    /// Articles read and parsed, and pages rendered.
    pub reread: usize,
    pub rendered: usize,
    /// Pages whose inputs were looked at (every page unless the cache
    /// narrowed them down to those showing an edited article).
    pub examined: usize,
    /// Things worth telling that are not errors (an unusable cache).
    pub notices: Vec<String>,
}

/// Loads the configuration, applying `--base-url`.
pub fn load_config(opts: &BuildOptions) -> anyhow::Result<Config> {
    let mut config = Config::load(&opts.root)?;
    if let Some(u) = &opts.base_url {
        config.set_base_url(u)?;
    }
    Ok(config)
}

/// Load, tag and index the site's content. Every problem in every article
/// is reported together.
pub fn load_site(opts: &BuildOptions, config: Config) -> anyhow::Result<Site> {
    let tagger = Tagger::new(&config)?;
    let (mut articles, mut errs) = load::load(&opts.root, &config, opts.drafts)?;
    if let Err(e) = tagger.tag_all(&mut articles) {
        errs.0.extend(e.0);
    }
    errs.into_result()?;
    let articles = articles.into_iter().map(std::sync::Arc::new).collect();
    Ok(index::index(config, std::sync::Arc::new(tagger), articles))
}

/// Renders a loaded site and its static files into memory.
pub fn render_site(root: &Path, site: &Site) -> anyhow::Result<Vec<Output>> {
    let mut templates = render::load_templates(root)?;
    let (outputs, clashes) = render_outputs(root, site, &mut templates)?;
    clashes.into_result()?;
    Ok(outputs)
}

/// Renders a loaded site with compiled templates, and adds its static
/// files: every output, sorted by path, and the static files that would
/// overwrite a generated page (as problems; they are left out).
pub fn render_outputs(
    root: &Path,
    site: &Site,
    templates: &mut render::Templates,
) -> anyhow::Result<(Vec<Output>, diag::Diagnostics)> {
    let mut outputs = render::Renderer::new(site, templates, root).render_all()?;
    let generated: std::collections::HashSet<String> =
        outputs.iter().map(|o| o.path.clone()).collect();
    let mut statics = write::static_outputs(root)?;
    let clashes = write::check_static_clash(&statics, |p| generated.contains(p))
        .err()
        .unwrap_or_default();
    statics.retain(|s| !generated.contains(&s.path));
    outputs.extend(statics);
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((outputs, clashes))
}

/// Every stage but the writer: the site's files, in memory.
pub fn build_outputs(opts: &BuildOptions) -> anyhow::Result<(Site, Vec<Output>)> {
    let config = load_config(opts)?;
    let site = load_site(opts, config)?;
    let outputs = render_site(&opts.root, &site)?;
    Ok((site, outputs))
}

/// Builds the site into its output directory: a full build that keeps
/// no cache (see [`build_with`]).
pub fn build(opts: &BuildOptions) -> anyhow::Result<BuildReport> {
    build_with(opts, false, &progress::Progress::hidden())
}

/// Builds the site into its output directory. With `use_cache`, the build
/// cache in `<root>/.milbrief/cache/` makes a rebuild read, render and
/// write only what changed (see [`builder`]); its output is the same.
pub fn build_with(
    opts: &BuildOptions,
    use_cache: bool,
    progress: &progress::Progress,
) -> anyhow::Result<BuildReport> {
    builder::run(opts, use_cache, progress)
}

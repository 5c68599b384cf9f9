//! The pipeline, one for every verb: `build` and `serve` run it through
//! the workspace, whose incremental shortcuts call these same stages for
//! what changed; `check` runs them to report every problem; `tags` runs
//! the load stage's text preparation and the tagger; the tests run the
//! workspace.
//!
//! ```text
//! content/ ─read─▶ Article ─tag─▶ tagged Article ─select─▶ articles ─index─▶ Site ─render─▶ pages ─write─▶ public/
//! ```
//!
//! - read: an article's file, parsed (an edge: it reads the file);
//! - tag: its countries and topics, normalised or inferred (pure);
//! - select: the articles published, drafts left out, slugs checked, every
//!   file's problems gathered (pure);
//! - index: sorted and grouped (pure);
//! - render: the pages whose inputs changed (pure, but that the parts of
//!   articles kept in the build cache are read through `Parts`);
//! - write: the output directory, in the `output` module.
//!
//! The stages are functions over values. I/O sits at the edges: reading
//! the configuration, the templates, the static files and each article's
//! file here; writing in `output`; the build cache around the workspace in
//! `builder`.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::error::{Error, Result};
use crate::index::{self, Groupings, Site};
use crate::layout;
use crate::load;
use crate::markdown::Rendered;
use crate::model::{Article, Output, Parts};
use crate::render::{RenderCache, RenderError, RenderPass, Renderer, Templates};
use crate::tag::{Tagger, Workload};
use crate::urls;

// ---- configuration (edge) ---------------------------------------------------

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
    /// Remove from the output directory what milbrief did not write (kept
    /// and reported otherwise). Not part of the cache key.
    pub clean: bool,
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
            .unwrap_or_else(|| self.root.join(layout::OUTPUT_DIR))
    }
}

/// The text of `config.toml`, empty when the site has none.
pub fn config_text(root: &Path) -> Result<String> {
    match std::fs::read_to_string(root.join(layout::CONFIG_FILE)) {
        Ok(t) => Ok(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(anyhow::anyhow!("{}: cannot read: {e}", layout::CONFIG_FILE).into()),
    }
}

/// A hash of the configuration text and of the build flags that change
/// what it means: equal hashes, equal configurations.
pub fn config_hash(config_text: &str, opts: &BuildOptions) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    config_text.hash(&mut h);
    opts.base_url.hash(&mut h);
    opts.drafts.hash(&mut h);
    h.finish()
}

/// The configuration, with `--base-url` applied.
pub fn config(opts: &BuildOptions) -> Result<Config> {
    let mut config = Config::load(&opts.root)?;
    if let Some(u) = &opts.base_url {
        config.set_base_url(u)?;
    }
    Ok(config)
}

/// The tagger of a configuration, built for `work`.
pub fn tagger(config: &Config, work: Workload) -> Result<Tagger> {
    Ok(Tagger::for_workload(config, work)?)
}

/// The site's templates: the built-in set with the site's own over it.
pub fn templates(root: &Path) -> Result<Templates> {
    crate::render::load_templates(root)
}

// ---- load (edge) -------------------------------------------------------------

/// The Markdown files under `content/`, sorted, relative to the root.
pub fn content_files(root: &Path) -> Result<Vec<PathBuf>> {
    Ok(load::content_files(root)?)
}

/// Reads and parses one article file (`rel`, relative to the root). A
/// file with problems comes with the article as far as it could be read,
/// for [`problems`] to check its tags too.
pub fn read(root: &Path, rel: &Path, config: &Config) -> Result<Article, load::Unloaded> {
    load::load_file_partial(root, rel, config)
}

/// Every problem of a file that did not load: its own, and those the tag
/// stage finds in what could be read of it, so that one run reports them
/// all rather than one fix at a time.
pub fn problems(tagger: &Tagger, unloaded: load::Unloaded) -> Vec<Diagnostic> {
    let mut problems = unloaded.problems;
    if let Some(partial) = unloaded.partial {
        problems.extend(tag(tagger, *partial).1);
    }
    problems
}

/// What the tagger reads of an article file's `text` (its title, and its
/// body rendered), read as the load stage reads it, but leniently: the
/// front matter need only be valid TOML. For `milbrief tags`, which reads
/// any Markdown file.
pub fn tag_input(text: &str, config: &Config) -> Result<(String, Rendered), String> {
    load::lenient_text(text, &config.markdown)
}

/// The site's static files, read at the edge.
pub struct Statics {
    /// `static/` and the built-in files it does not override.
    pub files: Vec<Output>,
    /// The site has its own `robots.txt`.
    pub own_robots: bool,
}

/// Reads the site's static files.
pub fn statics(root: &Path) -> Result<Statics> {
    Ok(Statics {
        files: load::static_outputs(root)?,
        own_robots: layout::has_own_robots(root),
    })
}

// ---- tag, select, check slugs (pure) ------------------------------------------

/// Tags one article: the article tagged, and its problems (countries and
/// topics given in front matter that are not known). Its plain text, the
/// tagger's input, is used up: as in articles from the build cache, it is
/// not kept (a site's worth of plain text is a third of a build's memory),
/// so no page can show it.
pub fn tag(tagger: &Tagger, mut a: Article) -> (Article, Vec<Diagnostic>) {
    let errs = tagger.tag(&mut a);
    a.body_text = String::new();
    (a, errs)
}

/// [`tag`], as a build takes it: an article with problems is its problems.
pub fn tagged(tagger: &Tagger, a: Article) -> Result<Article, Vec<Diagnostic>> {
    match tag(tagger, a) {
        (a, errs) if errs.is_empty() => Ok(a),
        (_, errs) => Err(errs),
    }
}

/// The articles a build publishes, from every content file's article or
/// problems: drafts only with `drafts`; every problem of the files
/// (drafts included: a file's problems are its own); and warnings, one for
/// each article whose slug was taken and that got a slug of its own.
pub fn select<'a>(
    files: impl Iterator<Item = &'a Result<Arc<Article>, Vec<Diagnostic>>>,
    drafts: bool,
) -> (Vec<Arc<Article>>, Diagnostics, Diagnostics) {
    let mut errs = Diagnostics::default();
    let mut articles = Vec::new();
    for r in files {
        match r {
            Ok(a) if drafts || !a.draft => articles.push(a.clone()),
            Ok(_) => {}
            Err(ds) => errs.0.extend(ds.iter().cloned()),
        }
    }
    let mut warnings = Diagnostics::default();
    for (i, slug, d) in slug_renames(&articles) {
        Arc::make_mut(&mut articles[i]).slug = slug;
        warnings.0.push(d);
    }
    (articles, errs, warnings)
}

/// Two articles with one slug would be written to one page: the older
/// (by date, then file name; undated last) keeps the slug, each newer one
/// gets the first free `slug-2`, `slug-3`…, as `milbrief import` names
/// files. Returns `(position, new slug, warning)` for each renamed one.
pub fn slug_renames<A: Borrow<Article>>(articles: &[A]) -> Vec<(usize, String, Diagnostic)> {
    let mut by_slug: HashMap<&str, Vec<usize>> = HashMap::with_capacity(articles.len());
    for (i, a) in articles.iter().enumerate() {
        by_slug.entry(&a.borrow().slug).or_default().push(i);
    }
    let mut taken: std::collections::HashSet<String> =
        by_slug.keys().map(|s| s.to_string()).collect();
    let mut dups: Vec<(&str, Vec<usize>)> =
        by_slug.into_iter().filter(|(_, l)| l.len() > 1).collect();
    dups.sort();
    let mut out = Vec::new();
    for (slug, mut list) in dups {
        let key = |i: &usize| {
            let a: &Article = articles[*i].borrow();
            (a.date.is_none(), a.date, a.time, a.source_path.clone())
        };
        list.sort_by_key(key);
        let first = articles[list[0]].borrow();
        for &i in &list[1..] {
            let a: &Article = articles[i].borrow();
            let new = (2..)
                .map(|n| suffixed(slug, n))
                .find(|s| !taken.contains(s))
                .unwrap_or_default();
            taken.insert(new.clone());
            let d = Diagnostic::new(
                &a.source_path,
                format!(
                    "slug {slug:?} is already used by {}: this article is published at {} (set a different `slug` to choose)",
                    display_path(&first.source_path),
                    urls::article(&new),
                ),
            )
            .code("duplicate-slug");
            out.push((i, new, d));
        }
    }
    out
}

/// `slug-n`, the slug cut so that the whole stays within the longest slug
/// allowed.
fn suffixed(slug: &str, n: usize) -> String {
    let tail = format!("-{n}");
    let mut end = slug.len().min(load::SLUG_MAX.saturating_sub(tail.len()));
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{tail}", slug[..end].trim_end_matches('-'))
}

// ---- index (pure) -------------------------------------------------------------

/// Sorts and indexes the published articles, reusing the groupings of
/// `previous` when only the articles' text changed.
pub fn index(
    config: Config,
    tagger: Arc<Tagger>,
    articles: Vec<Arc<Article>>,
    previous: Option<&Groupings>,
) -> Site {
    index::index_reusing(config, tagger, articles, previous)
}

// ---- render (pure over values) ---------------------------------------------------

/// Renders the pages of `site` whose inputs changed since `previous` (page
/// path → fingerprint of a former pass; empty: every page), reading the
/// parts of articles kept apart through `parts`. The static files may not
/// overwrite a page. On success `cache` learns this pass; on failure it is
/// as it was, but for what it lends any pass of this configuration.
pub fn render(
    site: &Site,
    templates: &mut Templates,
    statics: &Statics,
    parts: &dyn Parts,
    cache: &mut RenderCache,
    previous: &HashMap<String, u64>,
) -> Result<RenderPass> {
    let renderer = Renderer::new(site, templates, parts, statics.own_robots, cache);
    let pass = renderer.render_changed(previous).map_err(render_error)?;
    static_clashes(&statics.files, |p| pass.fingerprints.contains_key(p)).into_result()?;
    renderer.remember(cache);
    Ok(pass)
}

/// Renders every page of `site`, as a first pass does, but leaves the
/// static files to the caller: `check` reports their clashes and goes on.
pub fn render_all(
    site: &Site,
    templates: &mut Templates,
    statics: &Statics,
    parts: &dyn Parts,
) -> Result<Vec<Output>> {
    let mut cache = RenderCache::default();
    let renderer = Renderer::new(site, templates, parts, statics.own_robots, &mut cache);
    let pass = renderer
        .render_changed(&HashMap::new())
        .map_err(render_error)?;
    Ok(pass.outputs)
}

fn render_error(e: RenderError) -> Error {
    match e {
        RenderError::Template(d) => Error::Site(d),
        RenderError::Unreadable(u) => Error::Cache(u),
    }
}

/// Static files that would overwrite a page the site generates, each as a
/// problem naming the static file.
pub fn static_clashes(statics: &[Output], is_page: impl Fn(&str) -> bool) -> Diagnostics {
    load::static_clashes(statics, is_page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_taken_twice_go_to_the_newer_article_with_a_suffix() {
        let mut a = Article::blank("same");
        a.source_path = "content/b.md".into();
        a.date = Some(jiff::civil::date(2023, 10, 2));
        let mut b = Article::blank("same");
        b.source_path = "content/c.md".into();
        b.date = Some(jiff::civil::date(2023, 10, 1));
        let c = Article::blank("same-2");
        let mut d = Article::blank("same");
        d.source_path = "content/a.md".into();
        d.date = Some(jiff::civil::date(2023, 10, 3));
        let files = [a, b, c, d].map(|x| Ok(Arc::new(x)));
        let (articles, errs, warnings) = select(files.iter(), false);
        assert!(errs.0.is_empty());
        let slugs: Vec<&str> = articles.iter().map(|a| a.slug.as_str()).collect();
        // c.md is the oldest; "same-2" is taken, so the next is "same-3".
        assert_eq!(slugs, ["same-3", "same", "same-2", "same-4"]);
        assert_eq!(warnings.0.len(), 2);
        assert_eq!(
            warnings.0[0].to_string(),
            "content/b.md: slug \"same\" is already used by content/c.md: this article is published at articles/same-3/ (set a different `slug` to choose)"
        );
    }

    #[test]
    fn drafts_are_left_out_but_their_problems_count() {
        let mut draft = Article::blank("d");
        draft.draft = true;
        let files = [
            Ok(Arc::new(Article::blank("a"))),
            Ok(Arc::new(draft)),
            Err(vec![Diagnostic::new("content/x.md", "bad")]),
        ];
        let (articles, errs, _) = select(files.iter(), false);
        assert_eq!(articles.len(), 1);
        assert_eq!(errs.0.len(), 1);
        let (articles, _, _) = select(files.iter(), true);
        assert_eq!(articles.len(), 2);
    }
}

//! `milbrief check`: validates a whole site without writing anything and
//! reports every problem it finds, not only the first.
//!
//! It runs the build's own stages — configuration, templates, loading and
//! tagging every article, indexing, rendering every page in memory — and
//! adds what a build does not judge: missing and future dates, likely
//! duplicate articles, and links between the rendered pages.
//!
//! Errors are what makes `build` refuse the site; warnings are what a
//! build accepts but is probably a mistake. Every problem has a stable
//! code (see [`CODES`]).

pub mod dups;
pub mod links;
pub mod sources;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, display_path, line_col};
use crate::model::Article;
use crate::tag::Tagger;
use crate::{index, load, render};

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// `build` refuses the site.
    Error,
    /// `build` accepts it, but it is probably a mistake.
    Warning,
}

/// Every code `check` reports, with its severity and meaning.
pub const CODES: &[(&str, Severity, &str)] = &[
    ("config", Severity::Error, "config.toml is invalid"),
    (
        "template",
        Severity::Error,
        "a template does not compile or fails to render",
    ),
    ("io", Severity::Error, "a file cannot be read"),
    (
        "too-large",
        Severity::Error,
        "an article file is over the size limit",
    ),
    (
        "binary",
        Severity::Error,
        "an article file is binary, not text",
    ),
    ("encoding", Severity::Error, "an article file is not UTF-8"),
    ("empty-file", Severity::Error, "an article file is empty"),
    (
        "symlink",
        Severity::Error,
        "an article path goes through a symbolic link",
    ),
    (
        "front-matter-syntax",
        Severity::Error,
        "front matter is not valid TOML or is not closed",
    ),
    (
        "unknown-key",
        Severity::Error,
        "front matter has an unknown key",
    ),
    (
        "front-matter-type",
        Severity::Error,
        "a front matter value has the wrong type",
    ),
    ("invalid-date", Severity::Error, "`date` is not a date"),
    (
        "invalid-url",
        Severity::Error,
        "`url` is not an http(s) URL",
    ),
    (
        "invalid-slug",
        Severity::Error,
        "a slug is empty, too long or a reserved name",
    ),
    ("no-title", Severity::Error, "an article has no title"),
    ("unknown-country", Severity::Error, "a country is not known"),
    ("unknown-topic", Severity::Error, "a topic is not known"),
    (
        "duplicate-slug",
        Severity::Error,
        "two articles have the same slug",
    ),
    (
        "output-clash",
        Severity::Error,
        "two files would be written to the same output path",
    ),
    ("missing-date", Severity::Warning, "an article has no date"),
    (
        "future-date",
        Severity::Warning,
        "an article is dated after today",
    ),
    (
        "duplicate-url",
        Severity::Warning,
        "two articles have the same original URL",
    ),
    (
        "near-duplicate",
        Severity::Warning,
        "two articles have nearly the same text",
    ),
    (
        "broken-link",
        Severity::Warning,
        "a link leads to a page, file or anchor the site does not have",
    ),
    (
        "symlink-skipped",
        Severity::Warning,
        "a symbolic link under content/ was skipped",
    ),
    (
        "unknown-source",
        Severity::Warning,
        "an article's `source` is not a known outlet",
    ),
];

/// One problem.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    /// Path relative to the site root, `/`-separated.
    pub path: String,
    /// 1-based line and column (in characters), when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path)?;
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, ":{l}:{c}")?,
            (Some(l), None) => write!(f, ":{l}")?,
            _ => {}
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {sev}[{}]: {}", self.code, self.message)
    }
}

/// What to check.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub root: PathBuf,
    /// Include drafts in the site-wide checks (slugs, links, duplicates).
    pub drafts: bool,
    /// The day `future-date` is judged against.
    pub today: Date,
}

impl CheckOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            drafts: false,
            today: crate::scaffold::today(),
        }
    }
}

/// What a check found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Articles read (including drafts and files with errors).
    pub files: usize,
    /// Pages and files the site would have.
    pub outputs: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Sorted by path, line, column, severity and code.
    pub problems: Vec<Problem>,
}

impl Report {
    fn finish(mut problems: Vec<Problem>, files: usize, outputs: usize) -> Report {
        problems.sort();
        problems.dedup();
        let errors = problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        Report {
            files,
            outputs,
            errors,
            warnings: problems.len() - errors,
            problems,
        }
    }

    /// The exit status: 0 clean (or warnings only), 1 errors (or warnings
    /// with `deny_warnings`).
    pub fn status(&self, deny_warnings: bool) -> u8 {
        u8::from(self.errors > 0 || (deny_warnings && self.warnings > 0))
    }

    /// One line per problem, then a summary line.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for p in &self.problems {
            s.push_str(&p.to_string());
            s.push('\n');
        }
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        s.push_str(&format!(
            "checked {}: {}, {}\n",
            plural(self.files, "article file"),
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
        ));
        s
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": {e:?}}}"))
    }
}

/// The code's severity; unknown codes are errors.
pub fn severity(code: &str) -> Severity {
    CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(Severity::Error, |(_, s, _)| *s)
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    /// Adds diagnostics; those without a code get `fallback`.
    fn add(&mut self, ds: impl IntoIterator<Item = Diagnostic>, fallback: &'static str) {
        for d in ds {
            let code = d.code.unwrap_or(fallback);
            self.0.push(Problem {
                path: display_path(&d.path),
                line: d.line,
                column: d.col,
                severity: severity(code),
                code,
                message: d.message,
            });
        }
    }

    fn warn(
        &mut self,
        path: &Path,
        at: Option<(usize, usize)>,
        code: &'static str,
        message: String,
    ) {
        self.0.push(Problem {
            path: display_path(path),
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
            severity: severity(code),
            code,
            message,
        });
    }
}

/// Diagnostics from an error of a stage, or the error itself when it is
/// not a list of problems (the check cannot go on).
fn diagnostics(e: anyhow::Error) -> anyhow::Result<Diagnostics> {
    e.downcast::<Diagnostics>()
}

/// One content file: its path, the article or its problems, and the
/// article's tagging problems.
type Loaded = (PathBuf, Result<Article, Vec<Diagnostic>>, Vec<Diagnostic>);

/// Checks the site. `Err` means the check could not run (no site there,
/// an unreadable directory); problems of the site are in the report.
pub fn check(opts: &CheckOptions) -> anyhow::Result<Report> {
    let root = opts.root.as_path();
    let mut p = Problems::default();
    let config = match Config::load(root) {
        Ok(c) => c,
        Err(e) => {
            p.add(diagnostics(e)?.0, "config");
            return Ok(Report::finish(p.0, 0, 0));
        }
    };
    let files = load::content_files(root)?;
    let tagger = match Tagger::new(&config) {
        Ok(t) => t,
        Err(e) => {
            p.add(diagnostics(e)?.0, "config");
            return Ok(Report::finish(p.0, files.len(), 0));
        }
    };
    let site_templates = match render::load_templates(root) {
        Ok(t) => Some(t),
        Err(e) => {
            p.add(diagnostics(e)?.0, "template");
            None
        }
    };
    skipped_symlinks(root, &mut p)?;

    // Every article: read, parse, tag.
    let results: Vec<Loaded> = files
        .par_iter()
        .map(|rel| match load::load_file(root, rel, &config) {
            Ok(mut a) => {
                let tag_errs = tagger.tag(&mut a);
                (rel.clone(), Ok(a), tag_errs)
            }
            Err(ds) => (rel.clone(), Err(ds), Vec::new()),
        })
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    // Pages that would exist but for an error already reported: links to
    // them are not reported again.
    let mut would_exist = HashSet::new();
    for (rel, r, tag_errs) in results {
        match r {
            Ok(a) => {
                // As in `build`, drafts are tagged only when they are built.
                if opts.drafts || !a.draft {
                    p.add(tag_errs, "article");
                }
                articles.push(a)
            }
            Err(ds) => {
                p.add(ds, "article");
                let stem = rel
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                would_exist.insert(format!(
                    "articles/{}/index.html",
                    load::default_slug(&stem, "")
                ));
            }
        }
    }
    if !opts.drafts {
        articles.retain(|a| !a.draft);
    }
    articles.sort_by(|a, b| a.source_path.cmp(&b.source_path));

    // Slugs, dates and duplicates.
    let mut slug_errs = Diagnostics::default();
    load::check_unique_slugs(&articles, &mut slug_errs);
    let mut dup_slugs = HashSet::new();
    for mut d in slug_errs.0 {
        if let Some(a) = articles.iter().find(|a| a.source_path == d.path) {
            dup_slugs.insert(a.slug.clone());
        }
        if let Some((l, c)) = key_position(root, &d.path, "slug") {
            d = d.at(l, c);
        }
        p.add([d], "duplicate-slug");
    }
    // Only the first article of a slug is rendered: the others are
    // reported, and two pages cannot share a path.
    let mut taken = HashSet::new();
    articles.retain(|a| taken.insert(a.slug.clone()));
    for a in &articles {
        match a.date {
            None => p.warn(
                &a.source_path,
                None,
                "missing-date",
                "no date: add `date` to the front matter or start the file name with YYYY-MM-DD-; undated articles are listed last and in no month of the archive".into(),
            ),
            Some(d) if d > opts.today => p.warn(
                &a.source_path,
                key_position(root, &a.source_path, "date"),
                "future-date",
                format!("dated {d}, after today ({}): a typo in the year or month?", opts.today),
            ),
            Some(_) => {}
        }
    }
    duplicates(root, &articles, &mut p);
    if let Ok(known) = crate::sources::Sources::new(&config.sources) {
        for (path, message) in sources::unknown(&articles, &known) {
            let at = key_position(root, &path, "source");
            p.warn(&path, at, "unknown-source", message);
        }
    }

    // Render every page in memory.
    let n_articles = files.len();
    let site = index::index(
        config,
        Arc::new(tagger),
        articles.into_iter().map(Arc::new).collect(),
    );
    let outputs = render_for_check(root, &site, site_templates, &dup_slugs, &mut p)?;
    let n_outputs = outputs.len();
    if !outputs.is_empty() {
        broken_links(root, &site, &outputs, &would_exist, &mut p);
    }
    Ok(Report::finish(p.0, n_articles, n_outputs))
}

/// Renders the site as `build` would. When the site's templates fail, the
/// errors are reported and the built-in templates render instead, so that
/// links are still checked.
fn render_for_check(
    root: &Path,
    site: &index::Site,
    templates: Option<render::Templates>,
    dup_slugs: &HashSet<String>,
    p: &mut Problems,
) -> anyhow::Result<Vec<crate::model::Output>> {
    let mut result = None;
    if let Some(mut t) = templates {
        match crate::render_outputs(root, site, &mut t) {
            Ok(r) => result = Some(r),
            Err(e) => p.add(diagnostics(e)?.0, "template"),
        }
    }
    if result.is_none() {
        let mut tera = tera::Tera::new();
        tera.add_raw_templates(render::BUILTIN_TEMPLATES.iter().copied())
            .map_err(|e| anyhow::anyhow!("the built-in templates do not compile: {e}"))?;
        let mut builtin = render::Templates { tera, hash: 0 };
        match crate::render_outputs(root, site, &mut builtin) {
            Ok(r) => result = Some(r),
            Err(e) => p.add(diagnostics(e)?.0, "template"),
        }
    }
    let Some((outputs, clashes)) = result else {
        return Ok(Vec::new());
    };
    // Name the article behind a page a static file would overwrite.
    for mut d in clashes.0 {
        let page = display_path(d.path.strip_prefix("static").unwrap_or(&d.path));
        if let Some(a) = site
            .articles
            .iter()
            .find(|a| page.starts_with(&format!("articles/{}/", a.slug)))
        {
            d.message = format!(
                "would overwrite {page}, the page of {}",
                display_path(&a.source_path)
            );
        }
        p.add([d], "output-clash");
    }
    // Two pages at one path, other than the duplicate slugs reported.
    for w in outputs.windows(2) {
        if w[0].path == w[1].path
            && !dup_slugs
                .iter()
                .any(|s| w[0].path.starts_with(&format!("articles/{s}/")))
        {
            p.add(
                [Diagnostic::new(
                    &w[0].path,
                    format!("two pages would be written to {}", w[0].path),
                )],
                "output-clash",
            );
        }
    }
    Ok(outputs)
}

/// Symbolic links under `content/` are skipped by the build: say so.
fn skipped_symlinks(root: &Path, p: &mut Problems) -> anyhow::Result<()> {
    let dir = root.join(load::CONTENT_DIR);
    for entry in load::content_walker(&dir) {
        let Ok(entry) = entry else { continue };
        if entry.depth() > 0 && entry.path_is_symlink() {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            p.warn(
                rel,
                None,
                "symlink-skipped",
                "symbolic link skipped: links under content/ are not followed; copy the file or directory in".into(),
            );
        }
    }
    Ok(())
}

/// Same original URL, or nearly the same text. Each later article (by
/// path) is reported once, naming the first.
fn duplicates(root: &Path, articles: &[Article], p: &mut Problems) {
    let mut by_url: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        if let Some(u) = &a.url {
            by_url.entry(dups::normalise_url(u)).or_default().push(i);
        }
    }
    let mut same_url = HashSet::new();
    for list in by_url.values().filter(|l| l.len() > 1) {
        let first = &articles[list[0]];
        for &i in &list[1..] {
            let a = &articles[i];
            same_url.insert((list[0], i));
            p.warn(
                &a.source_path,
                key_position(root, &a.source_path, "url"),
                "duplicate-url",
                format!(
                    "same original URL as {}: the story is in the digest twice",
                    display_path(&first.source_path)
                ),
            );
        }
    }
    let texts: Vec<&str> = articles.iter().map(|a| a.body_text.as_str()).collect();
    let pairs: Vec<(usize, usize, f64)> = dups::near_duplicates(&texts)
        .into_iter()
        .filter(|(i, j, _)| !same_url.contains(&(*i, *j)))
        .collect();
    for (later, (first, sim)) in dups::groups(&pairs) {
        p.warn(
            &articles[later].source_path,
            None,
            "near-duplicate",
            format!(
                "text is {:.0}% the same as {}: the same story twice?",
                (sim * 100.0).floor(),
                display_path(&articles[first].source_path)
            ),
        );
    }
}

/// Broken links of the rendered pages. A link that comes from articles'
/// Markdown is reported on each of those articles (at its place in the
/// file), once however many pages show it; any other is reported once on
/// `templates`.
fn broken_links(
    root: &Path,
    site: &index::Site,
    outputs: &[crate::model::Output],
    would_exist: &HashSet<String>,
    p: &mut Problems,
) {
    let map: HashMap<&str, &[u8]> = outputs
        .iter()
        .map(|o| (o.path.as_str(), o.bytes.as_slice()))
        .collect();
    let base = links::Base::new(&site.config.base_url);
    let broken = links::check(&map, &base, would_exist);
    if broken.is_empty() {
        return;
    }
    let mut from_content: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, a) in site.articles.iter().enumerate() {
        let mut seen = HashSet::new();
        for html in [a.body_html.as_str(), a.summary_html.as_str()] {
            for l in links::scan(html).links {
                if seen.insert(l.value.clone()) {
                    from_content.entry(l.value).or_default().push(i);
                }
            }
        }
    }
    // (source, link) → (reason, pages).
    let mut groups: BTreeMap<(PathBuf, String), (String, Vec<String>)> = BTreeMap::new();
    for b in broken {
        let sources: Vec<PathBuf> = match from_content.get(&b.link) {
            Some(list) => list
                .iter()
                .map(|&i| site.articles[i].source_path.clone())
                .collect(),
            None => vec![PathBuf::from(render::TEMPLATES_DIR)],
        };
        for s in sources {
            let g = groups
                .entry((s, b.link.clone()))
                .or_insert_with(|| (b.reason.clone(), Vec::new()));
            g.1.push(b.page.clone());
        }
    }
    for ((source, link), (reason, pages)) in groups {
        let on = match pages.len() {
            1 => pages[0].clone(),
            n => format!(
                "{} and {} other page{}",
                pages[0],
                n - 1,
                if n == 2 { "" } else { "s" }
            ),
        };
        let at = (source != Path::new(render::TEMPLATES_DIR))
            .then(|| text_position(root, &source, &link))
            .flatten();
        p.warn(
            &source,
            at,
            "broken-link",
            format!("link {link:?} on {on} leads nowhere: {reason}"),
        );
    }
}

/// An article file's text as the loader sees it (no byte order mark).
fn source_text(root: &Path, rel: &Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join(rel)).ok()?;
    Some(match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    })
}

/// Line and column of a front matter key's value in an article file.
fn key_position(root: &Path, rel: &Path, key: &str) -> Option<(usize, usize)> {
    let text = source_text(root, rel)?;
    let (Some((fm, off)), _) = load::split_front_matter(&text).ok()? else {
        return None;
    };
    let table = toml::de::DeTable::parse(fm).ok()?;
    let (_, v) = table
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)?;
    Some(line_col(&text, off + v.span().start))
}

/// Line and column of the first occurrence of `needle` in an article file.
fn text_position(root: &Path, rel: &Path, needle: &str) -> Option<(usize, usize)> {
    let text = source_text(root, rel)?;
    let at = text.find(needle)?;
    Some(line_col(&text, at))
}

/// Output format of `milbrief check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: severity[code]: message`, one per line.
    Text,
    /// One JSON object: counts and the list of problems.
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Site root: the directory holding config.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Include drafts in the site-wide checks (slugs, links, duplicates).
    #[arg(long)]
    pub drafts: bool,
    /// Exit with status 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// The day future dates are judged against (YYYY-MM-DD) [default: today].
    #[arg(long)]
    pub today: Option<Date>,
}

impl CheckArgs {
    /// Runs the check and prints its report. Returns the exit status:
    /// 0 no errors, 1 errors (or warnings with --deny-warnings), 2 the
    /// check could not run.
    pub fn status(&self) -> u8 {
        let mut opts = CheckOptions::new(&self.root);
        opts.drafts = self.drafts;
        if let Some(d) = self.today {
            opts.today = d;
        }
        let report = match check(&opts) {
            Ok(r) => r,
            Err(e) => {
                let msg = format!("{e:#}");
                match self.format {
                    Format::Text => eprintln!("error: {msg}"),
                    Format::Json => println!("{}", serde_json::json!({ "error": msg })),
                }
                return 2;
            }
        };
        let out = match self.format {
            Format::Text => report.to_text(),
            Format::Json => format!("{}\n", report.to_json()),
        };
        use std::io::Write as _;
        let _ = std::io::stdout().lock().write_all(out.as_bytes());
        report.status(self.deny_warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once() {
        let mut seen = HashSet::new();
        for (c, _, _) in CODES {
            assert!(seen.insert(*c), "{c} twice");
        }
        assert_eq!(severity("unknown-key"), Severity::Error);
        assert_eq!(severity("near-duplicate"), Severity::Warning);
    }

    #[test]
    fn problems_print_like_diagnostics() {
        let p = Problem {
            path: "content/a.md".into(),
            line: Some(3),
            column: Some(1),
            severity: Severity::Error,
            code: "unknown-key",
            message: "unknown key".into(),
        };
        assert_eq!(
            p.to_string(),
            "content/a.md:3:1: error[unknown-key]: unknown key"
        );
    }
}

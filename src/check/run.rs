//! The check itself: the pipeline's stages over the whole site, going on
//! past every problem to report the next.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::{CheckOptions, Problems, Report, dups, links};
use crate::diag::{Diagnostic, display_path, line_col};
use crate::error::Error;
use crate::index::Site;
use crate::layout;
use crate::load;
use crate::model::{Article, NoParts, Output};
use crate::pipeline::BuildOptions;
use crate::pipeline::{self, Statics};
use crate::render::Templates;
use crate::tag::{Tagger, Workload};
use crate::urls;

/// An article that loaded and tagged, and the shingles of its text (the
/// tagger's input, used up by the tag stage), for near-duplicates.
struct Checked {
    article: Article,
    shingles: Vec<u64>,
}

/// Checks the site. `Err` means the check could not run (no site there,
/// an unreadable directory); problems of the site are in the report.
pub fn check(opts: &CheckOptions) -> anyhow::Result<Report> {
    let root = opts.root.as_path();
    let mut p = Problems::default();
    let config = match pipeline::config(&BuildOptions::new(root)) {
        Ok(c) => c,
        Err(Error::Site(d)) => {
            p.add(d.0, "config");
            return Ok(Report::finish(p.0, 0, 0));
        }
        Err(e) => return Err(e.into()),
    };
    let files = pipeline::content_files(root)?;
    let tagger = pipeline::tagger(&config, Workload::Many)?;
    let templates = match pipeline::templates(root) {
        Ok(t) => Some(t),
        Err(Error::Site(d)) => {
            p.add(d.0, "template");
            None
        }
        Err(e) => return Err(e.into()),
    };
    skipped_symlinks(root, &mut p)?;
    super::markup::special_files(root, &mut p);
    super::markup::unclosed_html(root, &files, &config.markdown, &mut p);
    super::markup::foreign_output(root, &mut p);

    // Every article: read, parse, tag, as a build does. Pages that would
    // exist but for an error already reported: links to them are not
    // reported again.
    let (mut articles, would_exist) = load_all(root, &files, &config, &tagger, &mut p);
    for c in &articles {
        super::unfinished::unfinished(root, &c.article, &mut p);
    }
    if !opts.drafts {
        articles.retain(|c| !c.article.draft);
    }
    articles.sort_by(|a, b| a.article.source_path.cmp(&b.article.source_path));
    let dup_slugs = slugs(root, &mut articles, &mut p);
    for c in &articles {
        dates(root, &c.article, opts.today, &mut p);
    }
    duplicates(root, &articles, &mut p);
    if let Ok(known) = crate::sources::Sources::new(&config.sources) {
        let list = articles.iter().map(|c| &c.article);
        for (path, message) in super::sources::unknown(list, &known) {
            let at = key_position(root, &path, "source");
            p.warn(&path, at, "unknown-source", message);
        }
    }

    // Render every page in memory.
    let n_articles = files.len();
    let articles = articles.into_iter().map(|c| Arc::new(c.article)).collect();
    let site = pipeline::index(config, Arc::new(tagger), articles, None);
    let statics = pipeline::statics(root)?;
    let outputs = render_for_check(&site, templates, &statics, &dup_slugs, &mut p)?;
    let n_outputs = outputs.len();
    if !outputs.is_empty() {
        broken_links(root, &site, &outputs, &would_exist, &mut p);
    }
    Ok(Report::finish(p.0, n_articles, n_outputs))
}

/// The load and tag stages over every file; their problems are added to
/// `p`. Returns the articles that loaded (tagged as far as they could be:
/// the check goes on with them), and the pages of those that did not.
fn load_all(
    root: &Path,
    files: &[PathBuf],
    config: &crate::config::Config,
    tagger: &Tagger,
    p: &mut Problems,
) -> (Vec<Checked>, HashSet<String>) {
    type Loaded = (PathBuf, Result<(Checked, Vec<Diagnostic>), Vec<Diagnostic>>);
    let results: Vec<Loaded> = files
        .par_iter()
        .map(|rel| {
            let r = pipeline::read(root, rel, config)
                .map(|a| {
                    let shingles = dups::shingles(&a.body_text);
                    let (article, errs) = pipeline::tag(tagger, a);
                    (Checked { article, shingles }, errs)
                })
                .map_err(|u| pipeline::problems(tagger, u));
            (rel.clone(), r)
        })
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    let mut would_exist = HashSet::new();
    for (rel, r) in results {
        match r {
            Ok((c, tag_errs)) => {
                p.add(tag_errs, "article");
                articles.push(c);
            }
            Err(ds) => {
                p.add(ds, "article");
                let stem = rel
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                would_exist.insert(urls::page_file(&urls::article(&load::default_slug(
                    &stem, "",
                ))));
            }
        }
    }
    (articles, would_exist)
}

/// Slugs taken twice, reported at the `slug` key of the newer files,
/// which are published under a slug of their own (as a build does).
/// Returns the slugs taken twice.
fn slugs(root: &Path, articles: &mut [Checked], p: &mut Problems) -> HashSet<String> {
    let list: Vec<&Article> = articles.iter().map(|c| &c.article).collect();
    let renames = pipeline::slug_renames(&list);
    let mut dup_slugs = HashSet::new();
    let mut moved = Vec::new();
    for (i, slug, mut d) in renames {
        dup_slugs.insert(list[i].slug.clone());
        if let Some((l, c)) = key_position(root, &d.path, "slug") {
            d = d.at(l, c);
        }
        p.add([d], "duplicate-slug");
        moved.push((i, slug));
    }
    for (i, slug) in moved {
        articles[i].article.slug = slug;
    }
    dup_slugs
}

/// A missing date, or one after `today`.
fn dates(root: &Path, a: &Article, today: jiff::civil::Date, p: &mut Problems) {
    match a.date {
        None => p.warn(
            &a.source_path,
            None,
            "missing-date",
            "no date: add `date` to the front matter or start the file name with YYYY-MM-DD-; undated articles are listed last and in no month of the archive".into(),
        ),
        Some(d) if d > today => p.warn(
            &a.source_path,
            key_position(root, &a.source_path, "date"),
            "future-date",
            format!("dated {d}, after today ({today}): a typo in the year or month?"),
        ),
        Some(_) => {}
    }
}

/// Renders every page as a build would, but with the static files that
/// would overwrite one reported and left out. When the site's templates
/// fail, the errors are reported and the built-in templates render
/// instead, so that links are still checked.
fn render_for_check(
    site: &Site,
    templates: Option<Templates>,
    statics: &Statics,
    dup_slugs: &HashSet<String>,
    p: &mut Problems,
) -> anyhow::Result<Vec<Output>> {
    let render = |mut t: Templates, p: &mut Problems| match pipeline::render_all(
        site, &mut t, statics, &NoParts,
    ) {
        Ok(pages) => Ok(Some(pages)),
        Err(Error::Site(d)) => {
            p.add(d.0, "template");
            Ok(None)
        }
        Err(e) => Err(anyhow::Error::from(e)),
    };
    let mut pages = None;
    if let Some(t) = templates {
        pages = render(t, p)?;
    }
    if pages.is_none() {
        pages = render(Templates::builtin()?, p)?;
    }
    let Some(mut outputs) = pages else {
        return Ok(Vec::new());
    };
    let generated: HashSet<String> = outputs.iter().map(|o| o.path.clone()).collect();
    // Name the article behind a page a static file would overwrite.
    for mut d in pipeline::static_clashes(&statics.files, |p| generated.contains(p)).0 {
        let page = display_path(d.path.strip_prefix(layout::STATIC_DIR).unwrap_or(&d.path));
        if let Some(a) = site
            .articles
            .iter()
            .find(|a| page.starts_with(&urls::article(&a.slug)))
        {
            d.message = format!(
                "would overwrite {page}, the page of {}",
                display_path(&a.source_path)
            );
        }
        p.add([d], "output-clash");
    }
    outputs.extend(
        statics
            .files
            .iter()
            .filter(|s| !generated.contains(&s.path))
            .cloned(),
    );
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    // Two pages at one path, other than the duplicate slugs reported.
    for w in outputs.windows(2) {
        if w[0].path == w[1].path
            && !dup_slugs
                .iter()
                .any(|s| w[0].path.starts_with(&urls::article(s)))
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
    let dir = root.join(layout::CONTENT_DIR);
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
fn duplicates(root: &Path, checked: &[Checked], p: &mut Problems) {
    let articles: Vec<&Article> = checked.iter().map(|c| &c.article).collect();
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
    let sets: Vec<&[u64]> = checked.iter().map(|c| c.shingles.as_slice()).collect();
    let pairs: Vec<(usize, usize, f64)> = dups::near_duplicates_of(&sets)
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
    site: &Site,
    outputs: &[Output],
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
        let body = a.body_html.read(&NoParts).unwrap_or_default();
        for html in [body, a.summary_html.as_str()] {
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
            None => vec![PathBuf::from(layout::TEMPLATES_DIR)],
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
        let at = (source != Path::new(layout::TEMPLATES_DIR))
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
pub(super) fn key_position(root: &Path, rel: &Path, key: &str) -> Option<(usize, usize)> {
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
pub(super) fn text_position(root: &Path, rel: &Path, needle: &str) -> Option<(usize, usize)> {
    let text = source_text(root, rel)?;
    let at = text.find(needle)?;
    Some(line_col(&text, at))
}

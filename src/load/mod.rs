//! The load stage's edge: walks `content/`, reads each article file (no
//! symbolic link, not over the size limit, not binary, UTF-8) and parses it
//! ([`article`], [`front_matter`]) into an [`Article`]; reads the site's
//! static files ([`statics`]). Every problem in every file is reported,
//! with `path:line:col` where there is one.

mod article;
mod front_matter;
mod statics;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::{Diagnostic, line_col};
use crate::layout::CONTENT_DIR;
use crate::markdown::{MarkdownOptions, Rendered};
use crate::model::Article;

#[cfg(test)]
pub use article::parse_article;
pub use article::{SLUG_MAX, date_prefix, default_slug, in_range, title_and_body};
pub use front_matter::{lenient_title, split_front_matter};
pub use statics::{BUILTIN_STATIC, static_clashes, static_outputs};

/// Walks `dir` (the content directory) in name order, not following links
/// and skipping names that start with `.` or `_`.
pub fn content_walker(
    dir: &Path,
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> + use<> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || {
                let n = e.file_name().to_string_lossy();
                !n.starts_with('.') && !n.starts_with('_')
            }
        })
}

/// Lists the Markdown files under `root/content`, sorted, as paths relative
/// to `root`. Dotfiles, `_`-prefixed names and symlinks are skipped.
pub fn content_files(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        anyhow::bail!(
            "{}: no content directory (expected Markdown articles in {}); is this a milbrief site? Run it in one (or pass --root), or start one with `milbrief init DIR`",
            root.display(),
            dir.display()
        );
    }
    let mut files = Vec::new();
    for entry in content_walker(&dir) {
        let entry = entry.map_err(|e| {
            let p = e
                .path()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| dir.clone());
            anyhow::anyhow!("{}: cannot read: {e}", p.display())
        })?;
        if entry.file_type().is_file()
            && entry.path().extension().is_some_and(|x| x == "md")
            && let Ok(rel) = entry.path().strip_prefix(root)
        {
            files.push(rel.to_path_buf());
        }
    }
    Ok(files)
}

/// Whether a path relative to the site root names an article file: a `.md`
/// file under `content/`, with no component starting with `.` or `_`.
pub fn is_article_path(rel: &Path) -> bool {
    let mut parts = rel.components();
    let first_is_content = matches!(
        parts.next(),
        Some(std::path::Component::Normal(c)) if c == CONTENT_DIR
    );
    first_is_content
        && rel.extension().is_some_and(|x| x == "md")
        && parts.all(|c| match c {
            std::path::Component::Normal(n) => {
                let n = n.to_string_lossy();
                !n.starts_with('.') && !n.starts_with('_')
            }
            _ => false,
        })
}

/// Whether `rel` (relative to `root`) is a regular file reached without
/// a symbolic link below `content/`: an article the build reads. The
/// preview server asks this of paths it is told changed, so that it skips
/// what a full build skips.
pub fn is_plain_file(root: &Path, rel: &Path) -> bool {
    let mut at = root.to_path_buf();
    let mut plain = true;
    for (i, part) in rel.components().enumerate() {
        at.push(part);
        if i > 0 {
            plain &= std::fs::symlink_metadata(&at).is_ok_and(|m| !m.file_type().is_symlink());
        }
    }
    plain && std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_file())
}

/// An article file that did not load: every problem found in it, and the
/// article as far as it could be read, for the tag stage to check its tags
/// too. A file's problems are reported in one run, not one fix at a time.
#[derive(Debug)]
pub struct Unloaded {
    pub problems: Vec<Diagnostic>,
    /// `None` when nothing could be read (the file, its encoding, its
    /// front matter's syntax).
    pub partial: Option<Box<Article>>,
}

impl From<Vec<Diagnostic>> for Unloaded {
    fn from(problems: Vec<Diagnostic>) -> Unloaded {
        Unloaded {
            problems,
            partial: None,
        }
    }
}

/// Reads and parses one article; `rel` is relative to `root`. Symbolic
/// links are refused (they could lead outside the site), and so are files
/// larger than `[markdown] max_article_kb`, before they are read.
pub fn load_file(root: &Path, rel: &Path, config: &Config) -> Result<Article, Vec<Diagnostic>> {
    load_file_partial(root, rel, config).map_err(|u| u.problems)
}

/// [`load_file`], with the article as far as it could be read when it has
/// problems.
pub fn load_file_partial(root: &Path, rel: &Path, config: &Config) -> Result<Article, Unloaded> {
    use std::io::Read as _;
    let cannot =
        |e: std::io::Error| vec![Diagnostic::new(rel, format!("cannot read: {e}")).code("io")];
    let path = root.join(rel);
    // No component below content/ may be a symbolic link.
    let mut at = root.to_path_buf();
    for (i, part) in rel.components().enumerate() {
        at.push(part);
        if i == 0 {
            continue;
        }
        let meta = std::fs::symlink_metadata(&at).map_err(cannot)?;
        if meta.file_type().is_symlink() {
            return Err(Unloaded::from(vec![
                Diagnostic::new(
                    rel,
                    format!(
                        "{} is a symbolic link; links under content/ are not followed",
                        crate::diag::display_path(at.strip_prefix(root).unwrap_or(&at))
                    ),
                )
                .code("symlink"),
            ]));
        }
    }
    let limit = config.markdown.max_article_bytes;
    let file = std::fs::File::open(&path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > limit {
        return Err(vec![too_large(rel, len, limit)].into());
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    load_bytes_partial(rel, bytes, config)
}

/// Parses one article from the bytes of its file: the size limit, binary
/// files, text encoding and emptiness are checked before the front matter.
pub fn load_bytes(rel: &Path, bytes: Vec<u8>, config: &Config) -> Result<Article, Vec<Diagnostic>> {
    load_bytes_partial(rel, bytes, config).map_err(|u| u.problems)
}

fn load_bytes_partial(rel: &Path, bytes: Vec<u8>, config: &Config) -> Result<Article, Unloaded> {
    let limit = config.markdown.max_article_bytes;
    if bytes.len() as u64 > limit {
        return Err(vec![too_large(rel, bytes.len() as u64, limit)].into());
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let valid = match std::str::from_utf8(&bytes[..at]) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
        };
        let (l, c) = line_col(valid, valid.len());
        return Err(Unloaded::from(vec![
            Diagnostic::new(
                rel,
                "file looks binary (it contains a NUL byte), not like Markdown text",
            )
            .at(l, c)
            .code("binary"),
        ]));
    }
    let fingerprint = fingerprint(rel, &bytes);
    let text = decode(rel, bytes)?;
    if text.trim().is_empty() {
        return Err(Unloaded::from(vec![
            Diagnostic::new(rel, "file is empty: an article needs at least a title")
                .code("empty-file"),
        ]));
    }
    let mut a = article::parse_article_partial(rel, &text, config)?;
    a.fingerprint = fingerprint;
    // The renderer sizes its buffers for the worst case; a site keeps
    // thousands of these for the whole build.
    a.body_html.shrink_to_fit();
    a.body_text.shrink_to_fit();
    a.summary_html.shrink_to_fit();
    a.summary_text.shrink_to_fit();
    Ok(a)
}

fn too_large(rel: &Path, len: u64, limit: u64) -> Diagnostic {
    Diagnostic::new(
        rel,
        format!(
            "file is {} ({len} bytes), more than the {} an article may be; raise `[markdown] max_article_kb` in config.toml if it is really one article",
            crate::diag::size(len),
            crate::diag::size(limit)
        ),
    )
    .code("too-large")
}

/// A stable hash of a file's path and bytes.
pub fn fingerprint(rel: &Path, bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    rel.hash(&mut h);
    bytes.hash(&mut h);
    h.finish()
}

fn decode(rel: &Path, bytes: Vec<u8>) -> Result<String, Vec<Diagnostic>> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
            let (l, c) = line_col(valid, at);
            Err(vec![
                Diagnostic::new(rel, "file is not valid UTF-8 text")
                    .at(l, c)
                    .code("encoding"),
            ])
        }
    }
}

/// The title and rendered body of an article file's text, read as
/// [`parse_article`] reads them, but leniently: the front matter need only
/// be valid TOML, and only its title is read.
pub fn lenient_text(text: &str, options: &MarkdownOptions) -> Result<(String, Rendered), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (fm, body) = split_front_matter(text)?;
    let title = match fm {
        Some((fm, _)) => lenient_title(fm)?,
        None => None,
    };
    let fm_title = title.as_deref().map(str::trim).filter(|t| !t.is_empty());
    Ok(title_and_body(fm_title, body, options))
}

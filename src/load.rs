//! Walks `content/`, splits TOML front matter from Markdown, and builds
//! [`Article`]s. Every file is read and rendered in parallel; every problem
//! in every file is reported, with `path:line:col` where there is one.

use std::borrow::Borrow;
use std::path::{Path, PathBuf};

use jiff::civil::{Date, Time};
use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, line_col};
use crate::markdown;
use crate::model::{Article, RawTag, TagOrigin};

pub const CONTENT_DIR: &str = "content";

/// Front matter as written. Unknown keys are errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
    date: Option<Spanned<toml::Value>>,
    source: Option<String>,
    url: Option<Spanned<String>>,
    author: Option<String>,
    summary: Option<String>,
    countries: Option<Vec<Spanned<String>>>,
    topics: Option<Vec<Spanned<String>>>,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    not_countries: Option<Vec<Spanned<String>>>,
    not_topics: Option<Vec<Spanned<String>>>,
    auto_tag: Option<bool>,
    dateline: Option<String>,
}

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
            "{}: no content directory (expected Markdown articles in {})",
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

/// Loads every article of the site. Drafts are dropped unless `drafts`.
/// Returns the articles that parsed and the problems of those that did not,
/// so that later stages can report their own problems too.
pub fn load(
    root: &Path,
    config: &Config,
    drafts: bool,
) -> anyhow::Result<(Vec<Article>, Diagnostics)> {
    let files = content_files(root)?;
    let results: Vec<Result<Article, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|rel| load_file(root, rel, config))
        .collect();
    let mut errs = Diagnostics::default();
    let mut articles = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(a) => articles.push(a),
            Err(ds) => errs.0.extend(ds),
        }
    }
    if !drafts {
        articles.retain(|a| !a.draft);
    }
    check_unique_slugs(&articles, &mut errs);
    Ok((articles, errs))
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

/// Reads and parses one article; `rel` is relative to `root`. Symbolic
/// links are refused (they could lead outside the site), and so are files
/// larger than `[markdown] max_article_kb`, before they are read.
pub fn load_file(root: &Path, rel: &Path, config: &Config) -> Result<Article, Vec<Diagnostic>> {
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
            return Err(vec![
                Diagnostic::new(
                    rel,
                    format!(
                        "{} is a symbolic link; links under content/ are not followed",
                        crate::diag::display_path(at.strip_prefix(root).unwrap_or(&at))
                    ),
                )
                .code("symlink"),
            ]);
        }
    }
    let limit = config.markdown.max_article_bytes;
    let file = std::fs::File::open(&path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > limit {
        return Err(vec![too_large(rel, len, limit)]);
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    load_bytes(rel, bytes, config)
}

/// Parses one article from the bytes of its file: the size limit, binary
/// files, text encoding and emptiness are checked before the front matter.
pub fn load_bytes(rel: &Path, bytes: Vec<u8>, config: &Config) -> Result<Article, Vec<Diagnostic>> {
    let limit = config.markdown.max_article_bytes;
    if bytes.len() as u64 > limit {
        return Err(vec![too_large(rel, bytes.len() as u64, limit)]);
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let valid = match std::str::from_utf8(&bytes[..at]) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
        };
        let (l, c) = line_col(valid, valid.len());
        return Err(vec![
            Diagnostic::new(
                rel,
                "file looks binary (it contains a NUL byte), not like Markdown text",
            )
            .at(l, c)
            .code("binary"),
        ]);
    }
    let fingerprint = fingerprint(rel, &bytes);
    let text = decode(rel, bytes)?;
    if text.trim().is_empty() {
        return Err(vec![
            Diagnostic::new(rel, "file is empty: an article needs at least a title")
                .code("empty-file"),
        ]);
    }
    let mut a = parse_article(rel, &text, config)?;
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
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    Diagnostic::new(
        rel,
        format!(
            "file is {:.1} MiB, larger than the {:.1} MiB an article may be; raise `[markdown] max_article_kb` in config.toml if it is really one article",
            mib(len),
            mib(limit)
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

/// Front matter text and its byte offset in the file.
pub type FrontMatterText<'a> = Option<(&'a str, usize)>;

/// Splits `+++` front matter from the body. Returns the front matter text,
/// its byte offset in `text`, and the body.
pub fn split_front_matter(text: &str) -> Result<(FrontMatterText<'_>, &str), String> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "+++" {
        return Ok((None, text));
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "+++" {
            return Ok((Some((&text[first_end..pos], first_end)), &text[end..]));
        }
        pos = end;
    }
    Err("front matter opened with +++ is never closed".into())
}

/// Parses one article. `rel` names the file in errors.
pub fn parse_article(rel: &Path, text: &str, config: &Config) -> Result<Article, Vec<Diagnostic>> {
    let (fm_part, body) = split_front_matter(text)
        .map_err(|m| vec![Diagnostic::new(rel, m).at(1, 1).code("front-matter-syntax")])?;
    let mut errs = Vec::new();
    let (fm, fm_off) = match fm_part {
        Some((fm_text, off)) => (parse_front_matter(rel, text, fm_text, off)?, off),
        None => (FrontMatter::default(), 0),
    };
    let pos = |span: std::ops::Range<usize>| line_col(text, fm_off + span.start);

    // Title: front matter, else a leading `# Heading`, else the first line.
    let fm_title = fm.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let mut body = body;
    let mut first_line_title = None;
    if fm_title.is_none() && !body.trim_start().starts_with('#') {
        let trimmed = body.trim_start();
        let end = trimmed.find('\n').unwrap_or(trimmed.len());
        let line = trimmed[..end].trim();
        if !line.is_empty() {
            first_line_title = Some(line.trim_start_matches('#').trim().to_string());
            body = &trimmed[end..];
        }
    }
    let rendered = markdown::render(body, &config.markdown, fm_title);
    let title = fm_title
        .map(str::to_string)
        .or(rendered.title.clone())
        .or(first_line_title)
        .unwrap_or_default();
    if title.is_empty() {
        errs.push(
            Diagnostic::new(
                rel,
                "article has no title: add `title` to the front matter or start with a `# Heading`",
            )
            .code("no-title"),
        );
    }

    // Date: front matter, else a YYYY-MM-DD file name prefix.
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (mut date, mut time) = (None, None);
    if let Some(d) = &fm.date {
        match parse_date(d.get_ref()) {
            Ok((dd, tt)) => (date, time) = (Some(dd), tt),
            Err(m) => {
                let (l, c) = pos(d.span());
                errs.push(Diagnostic::new(rel, m).at(l, c).code("invalid-date"));
            }
        }
    } else {
        date = date_prefix(&stem).map(|(d, _)| d);
    }

    // Slug: front matter, else the file name without its date prefix.
    let slug = match &fm.slug {
        Some(s) => {
            let slug = slug::slugify(s.get_ref());
            let problem = if slug.is_empty() {
                Some(format!("slug {:?} has no letters or digits", s.get_ref()))
            } else if slug.len() > SLUG_MAX {
                Some(format!(
                    "slug {:?} is longer than {SLUG_MAX} characters",
                    s.get_ref()
                ))
            } else {
                reserved_slug(&slug)
            };
            if let Some(m) = problem {
                let (l, c) = pos(s.span());
                errs.push(Diagnostic::new(rel, m).at(l, c).code("invalid-slug"));
            }
            slug
        }
        None => {
            let slug = default_slug(&stem, &title);
            if let Some(m) = reserved_slug(&slug) {
                errs.push(
                    Diagnostic::new(rel, format!("{m}; rename the file or set `slug`"))
                        .code("invalid-slug"),
                );
            }
            slug
        }
    };

    let url = match &fm.url {
        Some(u) => {
            let v = u.get_ref().trim();
            if !(v.starts_with("https://") || v.starts_with("http://")) {
                let (l, c) = pos(u.span());
                errs.push(
                    Diagnostic::new(
                        rel,
                        format!("url must be an absolute http(s) URL, not {v:?}"),
                    )
                    .at(l, c)
                    .code("invalid-url"),
                );
            }
            Some(v.to_string())
        }
        None => None,
    };

    let raw_tags = |v: &Option<Vec<Spanned<String>>>| {
        v.as_ref().map(|list| {
            list.iter()
                .map(|s| {
                    let (line, col) = pos(s.span());
                    RawTag {
                        value: s.get_ref().trim().to_string(),
                        line,
                        col,
                    }
                })
                .collect::<Vec<_>>()
        })
    };

    let (summary_html, summary_text) = match fm.summary.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => {
            let r = markdown::render(s, &config.markdown, Some(""));
            (r.html, s.to_string())
        }
        _ => (rendered.summary_html, rendered.summary_text),
    };

    if !errs.is_empty() {
        return Err(errs);
    }
    let clean = |s: Option<String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    Ok(Article {
        source_path: PathBuf::from(rel.to_string_lossy().replace('\\', "/")),
        fingerprint: 0,
        slug,
        title,
        date,
        time,
        source: clean(fm.source),
        url,
        author: clean(fm.author),
        dateline: clean(fm.dateline),
        draft: fm.draft,
        summary_html,
        summary_text,
        body_html: rendered.html.into(),
        lead: rendered.lead,
        body_text: rendered.body_text,
        word_count: rendered.word_count,
        raw_countries: raw_tags(&fm.countries),
        raw_topics: raw_tags(&fm.topics),
        not_countries: raw_tags(&fm.not_countries).unwrap_or_default(),
        not_topics: raw_tags(&fm.not_topics).unwrap_or_default(),
        auto_tag: fm.auto_tag,
        explanations: Default::default(),
        placement: 0,
        countries: Vec::new(),
        topics: Vec::new(),
        countries_origin: TagOrigin::Auto,
        topics_origin: TagOrigin::Auto,
        relevance: 0.0,
        off_topic: false,
    })
}

/// The keys front matter may have.
pub const FRONT_MATTER_KEYS: &[&str] = &[
    "title",
    "date",
    "source",
    "url",
    "author",
    "dateline",
    "summary",
    "countries",
    "topics",
    "slug",
    "draft",
    "not_countries",
    "not_topics",
    "auto_tag",
];

/// Deepest nesting of arrays and tables front matter may have: the TOML
/// parser recurses, and no article needs more than two.
const FRONT_MATTER_MAX_DEPTH: usize = 32;

/// Parses front matter text (at byte `off` of `text`). Reports every
/// syntax error, every unknown key and every value of the wrong type.
fn parse_front_matter(
    rel: &Path,
    text: &str,
    fm_text: &str,
    off: usize,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    use serde::Deserialize as _;
    use toml::de::{DeTable, Deserializer};
    let at = |span: Option<std::ops::Range<usize>>| {
        span.map_or_else(|| line_col(text, off), |s| line_col(text, off + s.start))
    };
    if let Some(deep) = too_deep(fm_text) {
        let (l, c) = at(Some(deep..deep));
        return Err(vec![
            Diagnostic::new(
                rel,
                format!(
                    "invalid front matter: arrays and tables nest more than {FRONT_MATTER_MAX_DEPTH} deep"
                ),
            )
            .at(l, c)
            .code("front-matter-syntax"),
        ]);
    }
    let (table, syntax) = DeTable::parse_recoverable(fm_text);
    if !syntax.is_empty() {
        return Err(syntax
            .iter()
            .map(|e| {
                let (l, c) = at(e.span());
                Diagnostic::new(rel, format!("invalid front matter: {}", e.message().trim()))
                    .at(l, c)
                    .code("front-matter-syntax")
            })
            .collect());
    }
    let span = table.span();
    let mut errs = Vec::new();
    let mut known = DeTable::new();
    for (k, v) in table.into_inner() {
        if FRONT_MATTER_KEYS.contains(&k.get_ref().as_ref()) {
            known.insert(k, v);
        } else {
            let (l, c) = at(Some(k.span()));
            errs.push(
                Diagnostic::new(rel, unknown_key_message(k.get_ref()))
                    .at(l, c)
                    .code("unknown-key"),
            );
        }
    }
    let type_error = |e: toml::de::Error, key: &str| {
        let (l, c) = at(e.span());
        Diagnostic::new(
            rel,
            format!(
                "invalid front matter: `{key}`: {}",
                e.message().trim().trim_end_matches('.')
            ),
        )
        .at(l, c)
        .code("front-matter-type")
    };
    // Each key on its own, so that every wrong type is reported.
    for (k, v) in known.iter() {
        let mut one = DeTable::new();
        one.insert(k.clone(), v.clone());
        let de = Deserializer::from(toml::Spanned::new(span.clone(), one));
        if let Err(e) = FrontMatter::deserialize(de) {
            errs.push(type_error(e, k.get_ref()));
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    FrontMatter::deserialize(Deserializer::from(toml::Spanned::new(span, known)))
        .map_err(|e| vec![type_error(e, "front matter")])
}

/// The byte offset where arrays and tables first nest too deep, if they
/// do. Strings of the four TOML kinds and comments are skipped; this
/// guards the parser, it does not judge the syntax.
fn too_deep(fm: &str) -> Option<usize> {
    let b = fm.as_bytes();
    let (mut i, mut depth) = (0, 0usize);
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                let escapes = q == b'"';
                if b[i..].starts_with(&[q, q, q]) {
                    // Multi-line: up to the first unescaped triple quote,
                    // with up to two more quotes belonging to the text.
                    i += 3;
                    while i < b.len() {
                        if escapes && b[i] == b'\\' {
                            i += 2;
                        } else if b[i..].starts_with(&[q, q, q]) {
                            i += 3;
                            while i < b.len() && b[i] == q {
                                i += 1;
                            }
                            break;
                        } else {
                            i += 1;
                        }
                    }
                } else {
                    // One line: up to the closing quote or the line's end.
                    i += 1;
                    while i < b.len() && b[i] != b'\n' {
                        if escapes && b[i] == b'\\' {
                            i += 2;
                        } else if b[i] == q {
                            i += 1;
                            break;
                        } else {
                            i += 1;
                        }
                    }
                }
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > FRONT_MATTER_MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// "unknown front matter key `countrys` (did you mean `countries`?)".
fn unknown_key_message(key: &str) -> String {
    let near = FRONT_MATTER_KEYS
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .min()
        .filter(|(d, _)| *d <= 2);
    match near {
        Some((_, k)) => {
            format!("invalid front matter: unknown front matter key `{key}` (did you mean `{k}`?)")
        }
        None => format!(
            "invalid front matter: unknown front matter key `{key}`; the keys are {}",
            FRONT_MATTER_KEYS.join(", ")
        ),
    }
}

/// Levenshtein distance, for suggestions (short strings only).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Slugs are directory names in the output: at most this long.
pub const SLUG_MAX: usize = 100;

/// Names Windows reserves for devices: a directory of that name cannot be
/// created or copied there.
fn reserved_slug(slug: &str) -> Option<String> {
    const DEVICES: [&str; 4] = ["con", "prn", "aux", "nul"];
    let stem = slug.split('.').next().unwrap_or(slug);
    let numbered = ["com", "lpt"].iter().any(|p| {
        stem.strip_prefix(p)
            .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit())
    });
    (DEVICES.contains(&stem) || numbered).then(|| {
        format!("slug {slug:?} is a reserved device name on Windows and cannot be a directory")
    })
}

/// A TOML date or datetime, or a "YYYY-MM-DD" string (optionally with a time).
fn parse_date(v: &toml::Value) -> Result<(Date, Option<Time>), String> {
    match v {
        toml::Value::Datetime(dt) => {
            let Some(d) = dt.date else {
                return Err(format!("date {dt} has no day: write e.g. 2023-10-17"));
            };
            let date = Date::new(d.year as i16, d.month as i8, d.day as i8)
                .map_err(|e| format!("invalid date {dt}: {e}"))?;
            let time = match dt.time {
                Some(t) => Some(
                    Time::new(
                        t.hour as i8,
                        t.minute as i8,
                        t.second.unwrap_or(0) as i8,
                        t.nanosecond.unwrap_or(0) as i32,
                    )
                    .map_err(|e| format!("invalid time in {dt}: {e}"))?,
                ),
                None => None,
            };
            Ok((date, time))
        }
        toml::Value::String(s) => {
            let s = s.trim();
            if let Ok(d) = s.parse::<Date>() {
                return Ok((d, None));
            }
            if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
                return Ok((dt.date(), Some(dt.time())));
            }
            if let Ok(ts) = s.parse::<jiff::Timestamp>() {
                let dt = ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime();
                return Ok((dt.date(), Some(dt.time())));
            }
            Err(format!("date {s:?} is not a date: write YYYY-MM-DD"))
        }
        other => Err(format!(
            "date must be a date like 2023-10-17, not a {}",
            other.type_str()
        )),
    }
}

/// The slug of an article without a `slug` key: its file name without the
/// date prefix, else its title.
pub fn default_slug(stem: &str, title: &str) -> String {
    let base = date_prefix(stem).map_or(stem, |(_, rest)| rest);
    let s = slug::slugify(base);
    let s = if s.is_empty() {
        slug::slugify(title)
    } else {
        s
    };
    cut_slug(s)
}

/// A derived slug cut to [`SLUG_MAX`] characters, between words.
fn cut_slug(s: String) -> String {
    if s.len() <= SLUG_MAX {
        return s;
    }
    // Slugs are ASCII: byte offsets are character offsets.
    match s[..=SLUG_MAX].rfind('-') {
        Some(i) if i > 0 => s[..i].to_string(),
        _ => s[..SLUG_MAX].trim_end_matches('-').to_string(),
    }
}

/// "2023-10-17-some-slug" → (2023-10-17, "some-slug").
pub fn date_prefix(stem: &str) -> Option<(Date, &str)> {
    let head = stem.get(..10)?;
    let rest = &stem[10..];
    if !(rest.is_empty() || rest.starts_with(['-', '_'])) {
        return None;
    }
    let d = head.parse::<Date>().ok()?;
    Some((d, rest.trim_start_matches(['-', '_'])))
}

pub fn check_unique_slugs<A: Borrow<Article>>(articles: &[A], errs: &mut Diagnostics) {
    let mut by_slug: std::collections::HashMap<&str, Vec<&Path>> =
        std::collections::HashMap::with_capacity(articles.len());
    for a in articles {
        let a: &Article = a.borrow();
        by_slug.entry(&a.slug).or_default().push(&a.source_path);
    }
    for (slug, mut paths) in by_slug.into_iter().filter(|(_, p)| p.len() > 1) {
        paths.sort();
        for p in &paths[1..] {
            errs.0.push(
                Diagnostic::new(
                    *p,
                    format!(
                        "slug {slug:?} is already used by {}: both would be written to articles/{slug}/; set a different `slug`",
                        crate::diag::display_path(paths[0]),
                    ),
                )
                .code("duplicate-slug"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Article, Vec<Diagnostic>> {
        parse_article(
            Path::new("content/2023-10-17-x.md"),
            text,
            &Config::default(),
        )
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err()[0].to_string()
    }

    #[test]
    fn full_front_matter() {
        let a = parse(
            "+++\ntitle = \"T\"\ndate = 2023-10-17T09:30:00Z\nsource = \"Wire\"\nurl = \"https://e.org/a\"\nauthor = \"A\"\ncountries = [\"Pakistan\", \"ru\"]\ntopics = [\"arms-trade\"]\nslug = \"My Slug\"\n+++\nBody text.\n",
        )
        .unwrap();
        assert_eq!(a.title, "T");
        assert_eq!(a.date, Some(jiff::civil::date(2023, 10, 17)));
        assert_eq!(a.time, Some(jiff::civil::time(9, 30, 0, 0)));
        assert_eq!(a.slug, "my-slug");
        assert_eq!(a.source.as_deref(), Some("Wire"));
        let c = a.raw_countries.unwrap();
        assert_eq!(c[0].value, "Pakistan");
        assert_eq!((c[0].line, c[0].col), (7, 14));
        assert_eq!(a.summary_text, "Body text.");
    }

    #[test]
    fn date_forms() {
        for d in [
            "2023-10-17",
            "\"2023-10-17\"",
            "2023-10-17T08:00:00",
            "\"2023-10-17T08:00:00+05:00\"",
        ] {
            let a = parse(&format!("+++\ntitle = \"T\"\ndate = {d}\n+++\nx")).unwrap();
            assert_eq!(a.date, Some(jiff::civil::date(2023, 10, 17)), "{d}");
        }
        let e = err("+++\ntitle = \"T\"\ndate = \"17/10/2023\"\n+++\nx");
        assert_eq!(
            e,
            "content/2023-10-17-x.md:3:8: date \"17/10/2023\" is not a date: write YYYY-MM-DD"
        );
    }

    #[test]
    fn unknown_key_names_the_key_and_position() {
        let e = err("+++\ntitle = \"T\"\ncountrys = [\"PK\"]\n+++\nx");
        assert!(e.starts_with("content/2023-10-17-x.md:3:1:"), "{e}");
        assert!(e.contains("unknown front matter key `countrys`"), "{e}");
    }

    #[test]
    fn syntax_error_position() {
        let e = err("+++\ntitle = \"T\"\ndate = 2023-13-45\n+++\nx");
        assert!(e.starts_with("content/2023-10-17-x.md:3:"), "{e}");
        let e = err("+++\ntitle = \"T\nx");
        assert!(e.contains("never closed"), "{e}");
    }

    #[test]
    fn no_front_matter_title_from_heading_or_first_line() {
        let a = parse("# Heading Title\n\nThe lead.\n").unwrap();
        assert_eq!(a.title, "Heading Title");
        assert_eq!(a.date, Some(jiff::civil::date(2023, 10, 17)));
        assert_eq!(a.slug, "x");
        assert_eq!(a.summary_text, "The lead.");
        let a = parse("\nA plain first line\nThe lead.\n\nMore.").unwrap();
        assert_eq!(a.title, "A plain first line");
        assert!(!a.body_html.contains("A plain first line"));
    }

    #[test]
    fn summary_precedence() {
        let a = parse("+++\ntitle = \"T\"\nsummary = \"Given *here*.\"\n+++\nFirst.\n").unwrap();
        assert_eq!(a.summary_text, "Given *here*.");
        assert!(a.summary_html.contains("<em>here</em>"));
        let a = parse("+++\ntitle = \"T\"\n+++\nA.\n\nB.\n\n<!-- more -->\n\nC.").unwrap();
        assert_eq!(a.summary_text, "A. B.");
    }

    #[test]
    fn bad_url_and_empty_slug() {
        let e = err("+++\ntitle = \"T\"\nurl = \"example.org\"\n+++\nx");
        assert!(e.contains(":3:7: url must be"), "{e}");
        let e = err("+++\ntitle = \"T\"\nslug = \"../..\"\n+++\nx");
        assert!(e.contains("has no letters"), "{e}");
    }

    #[test]
    fn crlf_and_front_matter_split() {
        let a = parse("+++\r\ntitle = \"T\"\r\n+++\r\nBody.\r\n").unwrap();
        assert_eq!(a.title, "T");
        assert_eq!(a.summary_text, "Body.");
    }

    #[test]
    fn article_paths() {
        for ok in ["content/a.md", "content/2023/10/b.md"] {
            assert!(is_article_path(Path::new(ok)), "{ok}");
        }
        for no in [
            "content/.a.md",
            "content/_draft.md",
            "content/_x/a.md",
            "content/a.txt",
            "templates/a.md",
            "a.md",
            "content/../a.md",
        ] {
            assert!(!is_article_path(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn date_prefixes() {
        assert_eq!(
            date_prefix("2023-10-17-abc"),
            Some((jiff::civil::date(2023, 10, 17), "abc"))
        );
        assert_eq!(date_prefix("2023-10-17abc"), None);
        assert_eq!(date_prefix("abc"), None);
    }
}

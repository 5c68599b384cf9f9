//! Front matter: the `+++` TOML block an article file may start with,
//! split from the Markdown and parsed into what it may say. Every syntax
//! error, unknown key and value of the wrong type is reported, each at its
//! line and column.

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, line_col};
use std::path::Path;

/// Front matter as written. Unknown keys are errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FrontMatter {
    pub(super) title: Option<String>,
    pub(super) date: Option<Spanned<toml::Value>>,
    pub(super) source: Option<String>,
    pub(super) url: Option<Spanned<String>>,
    pub(super) author: Option<String>,
    pub(super) summary: Option<String>,
    pub(super) countries: Option<Vec<Spanned<String>>>,
    pub(super) topics: Option<Vec<Spanned<String>>>,
    pub(super) slug: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) draft: bool,
    pub(super) not_countries: Option<Vec<Spanned<String>>>,
    pub(super) not_topics: Option<Vec<Spanned<String>>>,
    pub(super) auto_tag: Option<bool>,
    pub(super) dateline: Option<String>,
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
/// syntax error, every unknown key and every value of the wrong type. A
/// syntax error leaves nothing to read; otherwise the front matter of the
/// keys that are known and well typed comes back with the problems of the
/// others, so that the article's other problems are found in the same run.
pub(super) fn parse_front_matter(
    rel: &Path,
    text: &str,
    fm_text: &str,
    off: usize,
) -> Result<(FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
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
                let message = crate::diag::toml_message(e.message(), fm_text, e.span());
                Diagnostic::new(rel, format!("invalid front matter: {message}"))
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
    let mut good = DeTable::new();
    for (k, v) in known {
        let mut one = DeTable::new();
        one.insert(k.clone(), v.clone());
        let de = Deserializer::from(toml::Spanned::new(span.clone(), one));
        match FrontMatter::deserialize(de) {
            Ok(_) => {
                good.insert(k, v);
            }
            Err(e) => errs.push(type_error(e, k.get_ref())),
        }
    }
    match FrontMatter::deserialize(Deserializer::from(toml::Spanned::new(span, good))) {
        Ok(fm) => Ok((fm, errs)),
        Err(e) => {
            errs.push(type_error(e, "front matter"));
            Err(errs)
        }
    }
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
        .map(|k| (crate::suggest::edit_distance(key, k), *k))
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

/// The title front matter gives, read leniently: any valid TOML will do,
/// whatever else it says (for `milbrief tags`, which reads files that are
/// not articles of a site, such as the labelled evaluation set).
pub fn lenient_title(fm: &str) -> Result<Option<String>, String> {
    let table: toml::Table =
        toml::from_str(fm).map_err(|e| format!("invalid front matter: {e}"))?;
    Ok(table
        .get("title")
        .and_then(|t| t.as_str())
        .map(str::to_string))
}

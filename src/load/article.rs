//! One article from its text: the front matter's fields checked and
//! normalised (title, date, slug, URL, summary, tags as given), the
//! Markdown rendered. Every problem of the file is reported together.

use std::ops::Range;
use std::path::{Path, PathBuf};

use jiff::civil::{Date, Time};
use jiff::tz::Offset;
use toml::Spanned;

use super::Unloaded;
use super::front_matter::{FrontMatter, parse_front_matter, split_front_matter};
use crate::config::Config;
use crate::diag::{Diagnostic, line_col};
use crate::markdown::{self, MarkdownOptions, Rendered};
use crate::model::{Article, RawTag, TagOrigin};

/// Slugs are directory names in the output: at most this long.
pub const SLUG_MAX: usize = 100;

/// Line and column in the file of a span of its front matter.
type Pos<'a> = &'a dyn Fn(Range<usize>) -> (usize, usize);

/// Parses one article. `rel` names the file in errors.
#[cfg(test)]
pub fn parse_article(rel: &Path, text: &str, config: &Config) -> Result<Article, Vec<Diagnostic>> {
    parse_article_partial(rel, text, config).map_err(|u| u.problems)
}

/// Parses one article; when it has problems, the article as far as it
/// could be read comes with them (see [`Unloaded`]).
pub(super) fn parse_article_partial(
    rel: &Path,
    text: &str,
    config: &Config,
) -> Result<Article, Unloaded> {
    let (fm_part, body) = split_front_matter(text).map_err(|m| {
        Unloaded::from(vec![
            Diagnostic::new(rel, m).at(1, 1).code("front-matter-syntax"),
        ])
    })?;
    let (fm, fm_off, mut errs) = match fm_part {
        Some((fm_text, off)) => {
            let (fm, errs) = parse_front_matter(rel, text, fm_text, off)?;
            (fm, off, errs)
        }
        None => (FrontMatter::default(), 0, Vec::new()),
    };
    let pos = |span: Range<usize>| line_col(text, fm_off + span.start);
    let fm_title = fm.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let (title, rendered) = title_and_body(fm_title, body, &config.markdown);
    if title.is_empty() {
        errs.push(
            Diagnostic::new(
                rel,
                "article has no title: add `title` to the front matter or start with a `# Heading`",
            )
            .code("no-title"),
        );
    }
    if !fm.draft
        && let Some(at) = text.find(crate::scaffold::NEW_LEAD)
    {
        let (l, c) = line_col(text, at);
        errs.push(
            Diagnostic::new(
                rel,
                "the placeholder lead `milbrief new` wrote is still here: write the lead, or set `draft = true` to keep the article out of the site",
            )
            .at(l, c)
            .code("placeholder"),
        );
    }
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (date, time, offset) = date_of(rel, &fm, &stem, &pos, &mut errs);
    let slug = slug_of(rel, &fm, &stem, &title, &pos, &mut errs);
    let url = url_of(rel, &fm, &pos, &mut errs);
    let (summary_html, summary_text) = match fm.summary.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => {
            let r = markdown::render(s, &config.markdown, Some(""));
            (r.html, s.to_string())
        }
        _ => (rendered.summary_html, rendered.summary_text),
    };
    let raw_tags = |v: &Option<Vec<Spanned<String>>>| raw_tags(v.as_deref(), &pos);
    let clean = |s: Option<String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let article = Article {
        source_path: PathBuf::from(rel.to_string_lossy().replace('\\', "/")),
        fingerprint: 0,
        slug,
        title,
        date,
        time,
        offset,
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
    };
    if errs.is_empty() {
        Ok(article)
    } else {
        Err(Unloaded {
            problems: errs,
            partial: Some(Box::new(article)),
        })
    }
}

/// The title and the rendered body of an article whose front matter gives
/// `fm_title` (trimmed, not empty) or no title: the front matter's title,
/// else a leading `# Heading`, else the first line (which then is no part
/// of the body).
pub fn title_and_body(
    fm_title: Option<&str>,
    body: &str,
    options: &MarkdownOptions,
) -> (String, Rendered) {
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
    let rendered = markdown::render(body, options, fm_title);
    let title = fm_title
        .map(str::to_string)
        .or(rendered.title.clone())
        .or(first_line_title)
        .unwrap_or_default();
    (title, rendered)
}

/// When an article is dated: its civil date, time and offset.
type Dated = (Option<Date>, Option<Time>, Option<Offset>);

/// Date: front matter, else a YYYY-MM-DD file name prefix.
fn date_of(
    rel: &Path,
    fm: &FrontMatter,
    stem: &str,
    pos: Pos<'_>,
    errs: &mut Vec<Diagnostic>,
) -> Dated {
    let Some(d) = &fm.date else {
        let Some((d, _)) = date_prefix(stem) else {
            return (None, None, None);
        };
        return match in_range(d) {
            Ok(d) => (Some(d), None, None),
            Err(m) => {
                errs.push(Diagnostic::new(rel, m).code("invalid-date"));
                (None, None, None)
            }
        };
    };
    match parse_date(d.get_ref()).and_then(|(dd, tt, oo)| Ok((in_range(dd)?, tt, oo))) {
        Ok((dd, tt, oo)) => (Some(dd), tt, oo),
        Err(m) => {
            let (l, c) = pos(d.span());
            errs.push(Diagnostic::new(rel, m).at(l, c).code("invalid-date"));
            (None, None, None)
        }
    }
}

/// Slug: front matter, else the file name without its date prefix.
fn slug_of(
    rel: &Path,
    fm: &FrontMatter,
    stem: &str,
    title: &str,
    pos: Pos<'_>,
    errs: &mut Vec<Diagnostic>,
) -> String {
    let Some(s) = &fm.slug else {
        let slug = default_slug(stem, title);
        if let Some(m) = reserved_slug(&slug) {
            errs.push(
                Diagnostic::new(rel, format!("{m}; rename the file or set `slug`"))
                    .code("invalid-slug"),
            );
        }
        return slug;
    };
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

/// The original URL: an absolute http(s) URL with a host, read by a URL
/// parser and kept in its normal form.
fn url_of(
    rel: &Path,
    fm: &FrontMatter,
    pos: Pos<'_>,
    errs: &mut Vec<Diagnostic>,
) -> Option<String> {
    let u = fm.url.as_ref()?;
    match crate::weburl::parse(u.get_ref()) {
        Ok(parsed) => Some(parsed.to_string()),
        Err(why) => {
            let (l, c) = pos(u.span());
            errs.push(
                Diagnostic::new(rel, format!("url must be an absolute http(s) URL: {why}"))
                    .at(l, c)
                    .code("invalid-url"),
            );
            Some(u.get_ref().trim().to_string())
        }
    }
}

/// Tags as given in front matter, each with its place.
fn raw_tags(v: Option<&[Spanned<String>]>, pos: Pos<'_>) -> Option<Vec<RawTag>> {
    v.map(|list| {
        list.iter()
            .map(|s| {
                let (line, col) = pos(s.span());
                RawTag {
                    value: s.get_ref().trim().to_string(),
                    line,
                    col,
                }
            })
            .collect()
    })
}

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

/// The first and last dates an article may have. Editions, archives and
/// feeds compute days around an article's date, and jiff's calendar ends
/// with the year 9999: the last year is kept free for that arithmetic.
pub const FIRST_DATE: Date = jiff::civil::date(1, 1, 1);
pub const LAST_DATE: Date = jiff::civil::date(9998, 12, 31);

/// The date, or why it is outside [`FIRST_DATE`]..=[`LAST_DATE`].
pub fn in_range(d: Date) -> Result<Date, String> {
    if (FIRST_DATE..=LAST_DATE).contains(&d) {
        Ok(d)
    } else {
        Err(format!(
            "date {d} is outside the dates milbrief handles ({FIRST_DATE} to {LAST_DATE})"
        ))
    }
}

/// A TOML date or datetime, or a string of one (`"YYYY-MM-DD"`, or with
/// a time and an offset): the civil date and time as written, and the
/// offset. A time is never converted: the article is filed by the date it
/// gives.
fn parse_date(v: &toml::Value) -> Result<(Date, Option<Time>, Option<Offset>), String> {
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
            let offset = match dt.offset {
                None => None,
                Some(toml::value::Offset::Z) => Some(Offset::UTC),
                Some(toml::value::Offset::Custom { minutes }) => Some(
                    Offset::from_seconds(i32::from(minutes) * 60)
                        .map_err(|e| format!("invalid offset in {dt}: {e}"))?,
                ),
            };
            Ok((date, time, offset))
        }
        toml::Value::String(s) => parse_date_text(s.trim()),
        other => Err(format!(
            "date must be a date like 2023-10-17, not a {}",
            other.type_str()
        )),
    }
}

/// A date in a string: `2023-10-17`, `2023-10-17T09:30:00`, or with an
/// offset (`…+02:00`, `…Z`).
fn parse_date_text(s: &str) -> Result<(Date, Option<Time>, Option<Offset>), String> {
    let not_a_date = || format!("date {s:?} is not a date: write YYYY-MM-DD");
    let pieces = jiff::fmt::temporal::Pieces::parse(s).map_err(|_| not_a_date())?;
    if pieces.time_zone_annotation().is_some() && pieces.offset().is_none() {
        return Err(format!(
            "date {s:?} names a time zone but no offset: write e.g. 2023-10-17T09:30:00+02:00"
        ));
    }
    let offset = pieces.to_numeric_offset();
    let time = pieces.time();
    if offset.is_some() && time.is_none() {
        return Err(not_a_date());
    }
    Ok((pieces.date(), time, offset))
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

//! The article as the cache stores it: a mirror of [`Article`] that
//! borrows, from the article when it is saved, from the shard's bytes when
//! it is loaded. Strings the article keeps are `Cow`s, decoded straight into
//! owned strings. Both conversions list every field, so a field added to
//! `Article` fails to compile here until it is cached too.
//!
//! The body and the explanations are stored apart (see [`super::shard`]):
//! the mirror holds their byte ranges, and a loaded article holds where they
//! are kept ([`Kept`]).

use std::borrow::Cow;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::model::{
    Article, Body, CountryCode, Evidence, Explanation, Explanations, Kept, Part, Parts, RawTag,
    TagKind, TagOrigin,
};

#[derive(Serialize, Deserialize)]
struct CachedTag<'a> {
    value: Cow<'a, str>,
    line: usize,
    col: usize,
}

#[derive(Serialize, Deserialize)]
struct CachedEvidence<'a> {
    text: Cow<'a, str>,
    part: u8,
    count: usize,
    weight: f64,
    note: Option<Cow<'a, str>>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct CachedExplanation<'a> {
    /// 0: country, 1: topic.
    kind: u8,
    tag: Cow<'a, str>,
    score: f64,
    #[serde(borrow)]
    evidence: Vec<CachedEvidence<'a>>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct CachedArticle<'a> {
    source_path: Cow<'a, str>,
    fingerprint: u64,
    slug: Cow<'a, str>,
    title: Cow<'a, str>,
    date: Option<(i16, i8, i8)>,
    time: Option<(i8, i8, i8, i32)>,
    /// The UTC offset, in seconds.
    offset: Option<i32>,
    source: Option<Cow<'a, str>>,
    url: Option<Cow<'a, str>>,
    author: Option<Cow<'a, str>>,
    dateline: Option<Cow<'a, str>>,
    draft: bool,
    summary_html: Cow<'a, str>,
    summary_text: Cow<'a, str>,
    /// The body: its byte range in the bodies section, and its checksum.
    pub(super) body: (u64, u64, u64),
    lead: (usize, usize),
    word_count: usize,
    raw_countries: Option<Vec<CachedTag<'a>>>,
    raw_topics: Option<Vec<CachedTag<'a>>>,
    not_countries: Vec<CachedTag<'a>>,
    not_topics: Vec<CachedTag<'a>>,
    auto_tag: Option<bool>,
    /// The explanations (a `Vec<CachedExplanation>`, encoded): their byte
    /// range in the explanations section.
    pub(super) explanations: (u64, u64),
    placement: u64,
    countries: Cow<'a, [CountryCode]>,
    topics: Cow<'a, [String]>,
    countries_explicit: bool,
    topics_explicit: bool,
    relevance: f64,
}

fn tags_out(v: &[RawTag]) -> Vec<CachedTag<'_>> {
    v.iter()
        .map(|t| CachedTag {
            value: Cow::Borrowed(&t.value),
            line: t.line,
            col: t.col,
        })
        .collect()
}

fn tags_in(v: Vec<CachedTag<'_>>) -> Vec<RawTag> {
    v.into_iter()
        .map(|t| RawTag {
            value: t.value.into_owned(),
            line: t.line,
            col: t.col,
        })
        .collect()
}

fn part_code(p: Part) -> u8 {
    match p {
        Part::Title => 0,
        Part::Lead => 1,
        Part::Body => 2,
        Part::Dateline => 3,
    }
}

fn part_of(c: u8) -> Part {
    match c {
        0 => Part::Title,
        1 => Part::Lead,
        3 => Part::Dateline,
        _ => Part::Body,
    }
}

impl<'a> CachedExplanation<'a> {
    fn from_explanation(x: &'a Explanation) -> CachedExplanation<'a> {
        CachedExplanation {
            kind: match x.kind {
                TagKind::Country => 0,
                TagKind::Topic => 1,
            },
            tag: Cow::Borrowed(&x.tag),
            score: x.score,
            evidence: x
                .evidence
                .iter()
                .map(|e| CachedEvidence {
                    text: Cow::Borrowed(&e.text),
                    part: part_code(e.part),
                    count: e.count,
                    weight: e.weight,
                    note: e.note.as_deref().map(Cow::Borrowed),
                })
                .collect(),
        }
    }

    pub(super) fn into_explanation(self) -> Explanation {
        Explanation {
            kind: if self.kind == 0 {
                TagKind::Country
            } else {
                TagKind::Topic
            },
            tag: self.tag.into_owned(),
            score: self.score,
            evidence: self
                .evidence
                .into_iter()
                .map(|e| Evidence {
                    text: e.text.into_owned(),
                    part: part_of(e.part),
                    count: e.count,
                    weight: e.weight,
                    note: e.note.map(|n| Cow::Owned(n.into_owned())),
                })
                .collect(),
        }
    }
}

impl<'a> CachedArticle<'a> {
    /// The article as stored; its explanations and body are appended to
    /// `explanation_bytes` and `bodies`, read through `parts` when they are
    /// kept apart (an article loaded from the cache).
    pub(super) fn from_article(
        a: &'a Article,
        parts: &'a dyn Parts,
        explanation_bytes: &mut Vec<u8>,
        bodies: &mut Vec<u8>,
    ) -> anyhow::Result<CachedArticle<'a>> {
        let Article {
            source_path,
            fingerprint,
            slug,
            title,
            date,
            time,
            offset,
            source,
            url,
            author,
            dateline,
            draft,
            summary_html,
            summary_text,
            body_html,
            // The tagger's input, used up once the article is tagged: not
            // worth half the cache.
            body_text: _,
            lead,
            word_count,
            raw_countries,
            raw_topics,
            not_countries,
            not_topics,
            auto_tag,
            explanations,
            placement,
            countries,
            topics,
            countries_origin,
            topics_origin,
            relevance,
        } = a;
        let body_html = body_html.read(parts)?.as_bytes();
        let start = bodies.len() as u64;
        bodies.extend_from_slice(body_html);
        let body = (
            start,
            bodies.len() as u64,
            super::frame::checksum(body_html),
        );
        let list: Vec<CachedExplanation<'_>> = explanations
            .read(parts)?
            .iter()
            .map(CachedExplanation::from_explanation)
            .collect();
        let start = explanation_bytes.len() as u64;
        postcard::to_io(&list, &mut *explanation_bytes)?;
        let explanations = (start, explanation_bytes.len() as u64);
        Ok(CachedArticle {
            source_path: source_path.to_string_lossy(),
            fingerprint: *fingerprint,
            slug: Cow::Borrowed(slug),
            title: Cow::Borrowed(title),
            date: date.map(|d| (d.year(), d.month(), d.day())),
            time: time.map(|t| (t.hour(), t.minute(), t.second(), t.subsec_nanosecond())),
            offset: offset.map(|o| o.seconds()),
            source: source.as_deref().map(Cow::Borrowed),
            url: url.as_deref().map(Cow::Borrowed),
            author: author.as_deref().map(Cow::Borrowed),
            dateline: dateline.as_deref().map(Cow::Borrowed),
            draft: *draft,
            summary_html: Cow::Borrowed(summary_html),
            summary_text: Cow::Borrowed(summary_text),
            body,
            lead: (lead.start, lead.end),
            word_count: *word_count,
            raw_countries: raw_countries.as_deref().map(tags_out),
            raw_topics: raw_topics.as_deref().map(tags_out),
            not_countries: tags_out(not_countries),
            not_topics: tags_out(not_topics),
            auto_tag: *auto_tag,
            explanations,
            placement: *placement,
            countries: Cow::Borrowed(countries),
            topics: Cow::Borrowed(topics),
            countries_explicit: *countries_origin == TagOrigin::Explicit,
            topics_explicit: *topics_origin == TagOrigin::Explicit,
            relevance: *relevance,
        })
    }

    /// The article, its body and explanations kept at `kept`.
    pub(super) fn into_article(self, kept: Kept) -> Article {
        let CachedArticle {
            source_path,
            fingerprint,
            slug,
            title,
            date,
            time,
            offset,
            source,
            url,
            author,
            dateline,
            draft,
            summary_html,
            summary_text,
            body: _,
            lead,
            word_count,
            raw_countries,
            raw_topics,
            not_countries,
            not_topics,
            auto_tag,
            explanations: _,
            placement,
            countries,
            topics,
            countries_explicit,
            topics_explicit,
            relevance,
        } = self;
        let origin = |explicit: bool| {
            if explicit {
                TagOrigin::Explicit
            } else {
                TagOrigin::Auto
            }
        };
        Article {
            source_path: PathBuf::from(source_path.into_owned()),
            fingerprint,
            slug: slug.into_owned(),
            title: title.into_owned(),
            date: date.and_then(|(y, m, d)| jiff::civil::Date::new(y, m, d).ok()),
            time: time.and_then(|(h, m, s, n)| jiff::civil::Time::new(h, m, s, n).ok()),
            offset: offset.and_then(|o| jiff::tz::Offset::from_seconds(o).ok()),
            source: source.map(Cow::into_owned),
            url: url.map(Cow::into_owned),
            author: author.map(Cow::into_owned),
            dateline: dateline.map(Cow::into_owned),
            draft,
            summary_html: summary_html.into_owned(),
            summary_text: summary_text.into_owned(),
            body_html: Body::Kept(kept),
            body_text: String::new(),
            lead: lead.0..lead.1,
            word_count,
            raw_countries: raw_countries.map(tags_in),
            raw_topics: raw_topics.map(tags_in),
            not_countries: tags_in(not_countries),
            not_topics: tags_in(not_topics),
            auto_tag,
            explanations: Explanations::Kept(kept),
            placement,
            countries: countries.into_owned(),
            topics: topics.into_owned(),
            countries_origin: origin(countries_explicit),
            topics_origin: origin(topics_explicit),
            relevance,
        }
    }
}

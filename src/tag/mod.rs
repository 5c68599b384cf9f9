//! The tag stage: front-matter tags are normalised ("pakistan" → PK), and
//! articles without them get tags inferred from their text, each with the
//! evidence that earned it: countries by salience, then relevance (is the
//! story about defence and security at all?) and topics.
//!
//! Files: `gazetteer` (country names), `salience` (which countries a story
//! is about), `dateline` (where a wire story was filed), `lexicon` (the
//! security vocabulary), `topics` (the taxonomy and its rules), `text`
//! (sentences, neighbours, names of organisations), `senses` (ambiguous
//! words read in context), `relevance` (the score), `assign` (topics).

mod assign;
pub mod dateline;
pub mod gazetteer;
pub mod lexicon;
pub mod relevance;
pub mod salience;
pub mod senses;
pub mod text;
pub mod topics;

use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Article, CountryCode, RawTag, TagKind, TagOrigin};
pub use crate::model::{Evidence, Explanation, Part};
use gazetteer::Gazetteer;
use topics::TopicSet;

pub use relevance::Relevance;

/// The text the tagger reads.
#[derive(Clone, Debug)]
pub struct TagText<'a> {
    pub title: &'a str,
    /// Plain text of the body.
    pub body: &'a str,
    /// Byte range of the lead paragraph in `body`.
    pub lead: Range<usize>,
}

/// A tag with its score and evidence.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Scored<T> {
    pub tag: T,
    pub score: f64,
    pub evidence: Vec<Evidence>,
}

/// What a tagger is built for. Its automata match the same either way;
/// a DFA takes tens of milliseconds to build and scans text fastest, a
/// contiguous NFA builds several times faster: the right choice for a
/// rebuild that tags a few edited articles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Workload {
    Few,
    #[default]
    Many,
}

impl Workload {
    /// For `n` articles to tag.
    pub fn of(n: usize) -> Workload {
        if n <= 50 {
            Workload::Few
        } else {
            Workload::Many
        }
    }

    fn kind(self) -> aho_corasick::AhoCorasickKind {
        match self {
            Workload::Few => aho_corasick::AhoCorasickKind::ContiguousNFA,
            Workload::Many => aho_corasick::AhoCorasickKind::DFA,
        }
    }
}

/// Everything the tagger finds in one text.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    /// Countries the story is about, most salient first.
    pub countries: Vec<Scored<CountryCode>>,
    /// Countries mentioned but not tagged.
    pub dropped: Vec<Scored<CountryCode>>,
    /// How much the story is about defence and security.
    pub relevance: Relevance,
    /// Topics, strongest first.
    pub topics: Vec<Scored<String>>,
}

pub struct Tagger {
    pub gazetteer: Gazetteer,
    pub topics: TopicSet,
    max_topics: usize,
    auto_tag: bool,
    min_relevance: f64,
}

impl Tagger {
    pub fn new(config: &Config) -> anyhow::Result<Tagger> {
        Self::for_workload(config, Workload::Many)
    }

    /// A tagger built for `work`: the same tags, sooner or faster.
    pub fn for_workload(config: &Config, work: Workload) -> anyhow::Result<Tagger> {
        Ok(Tagger {
            gazetteer: Gazetteer::builtin_for(work)?,
            topics: TopicSet::with_kind(config.builtin_topics, &config.topics, work.kind())?,
            max_topics: config.max_topics,
            auto_tag: config.auto_tag,
            min_relevance: config.min_relevance,
        })
    }

    /// The relevance below which an article is off-topic.
    pub fn min_relevance(&self) -> f64 {
        self.min_relevance
    }

    /// Normalises or infers the tags of every article, in parallel. Unknown
    /// countries and topics are errors naming the file, line and value.
    pub fn tag_all(&self, articles: &mut [Article]) -> Result<(), Diagnostics> {
        let errs: Vec<Diagnostic> = articles
            .par_iter_mut()
            .flat_map_iter(|a| self.tag(a))
            .collect();
        Diagnostics(errs).into_result()
    }

    /// Tags one article; returns its problems. Front-matter tags win;
    /// `not_countries`/`not_topics` remove automatic ones; `auto_tag =
    /// false` (article or site) turns inference off.
    pub fn tag(&self, a: &mut Article) -> Vec<Diagnostic> {
        let mut errs = Vec::new();
        let auto = a.auto_tag.unwrap_or(self.auto_tag);
        let text = TagText {
            title: &a.title,
            body: &a.body_text,
            lead: a.lead.clone(),
        };
        a.explanations.clear();

        let not_countries = self.resolve_countries(a, &a.not_countries, &mut errs);
        match &a.raw_countries {
            Some(raw) => {
                a.countries = self.resolve_countries(a, raw, &mut errs);
                a.countries_origin = TagOrigin::Explicit;
            }
            None => {
                a.countries.clear();
                if auto {
                    for s in self.countries_for(&text) {
                        if !not_countries.contains(&s.tag) {
                            a.countries.push(s.tag);
                            a.explanations.push(Explanation {
                                kind: TagKind::Country,
                                tag: s.tag.to_string(),
                                score: s.score,
                                evidence: s.evidence,
                            });
                        }
                    }
                }
                a.countries_origin = TagOrigin::Auto;
            }
        }

        // Relevance is measured on every article (for templates and
        // ranking); only automatic topics make an article off-topic.
        let read = assign::assign(&self.topics, &text, self.min_relevance, self.max_topics);
        a.relevance = read.relevance.score;
        let not_topics = self.resolve_topics(a, &a.not_topics, &mut errs);
        match &a.raw_topics {
            Some(raw) => {
                a.topics = self.resolve_topics(a, raw, &mut errs);
                a.topics_origin = TagOrigin::Explicit;
            }
            None => {
                a.topics.clear();
                if auto {
                    for s in read.topics {
                        if !not_topics.contains(&s.tag) {
                            a.explanations.push(Explanation {
                                kind: TagKind::Topic,
                                tag: s.tag.clone(),
                                score: s.score,
                                evidence: s.evidence,
                            });
                            a.topics.push(s.tag);
                        }
                    }
                }
                a.topics_origin = TagOrigin::Auto;
            }
        }
        a.placement = a.placement_key();
        errs
    }

    fn resolve_countries(
        &self,
        a: &Article,
        raw: &[RawTag],
        errs: &mut Vec<Diagnostic>,
    ) -> Vec<CountryCode> {
        let mut out = Vec::new();
        for t in raw {
            match self.gazetteer.resolve(&t.value) {
                Some(c) if !out.contains(&c) => out.push(c),
                Some(_) => {}
                None => errs.push(
                    Diagnostic::new(&a.source_path, self.unknown_country(&t.value))
                        .at(t.line, t.col)
                        .code("unknown-country"),
                ),
            }
        }
        out
    }

    fn resolve_topics(
        &self,
        a: &Article,
        raw: &[RawTag],
        errs: &mut Vec<Diagnostic>,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in raw {
            match self.topics.resolve(&t.value) {
                Some(s) if !out.iter().any(|o| o == s) => out.push(s.to_string()),
                Some(_) => {}
                None => errs.push(
                    Diagnostic::new(&a.source_path, self.unknown_topic(&t.value))
                        .at(t.line, t.col)
                        .code("unknown-topic"),
                ),
            }
        }
        out
    }

    /// "unknown country \"Pakstan\" (did you mean \"Pakistan\"?)", and
    /// where to find the names.
    fn unknown_country(&self, value: &str) -> String {
        let hint = match self.gazetteer.nearest(value) {
            Some(c) => format!(" (did you mean {:?}?)", self.gazetteer.name(c)),
            None => String::new(),
        };
        format!(
            "unknown country {value:?}{hint}: give an ISO 3166-1 code or a name; `milbrief tags --list countries` lists them"
        )
    }

    /// "unknown topic \"procurment\" (did you mean \"procurement\"?)",
    /// and where to find the topics.
    fn unknown_topic(&self, value: &str) -> String {
        let topics = self.topics.all().iter();
        let names = topics.flat_map(|t| [(t.slug.as_str(), &t.slug), (t.name.as_str(), &t.slug)]);
        let hint = match crate::suggest::nearest(value, names) {
            Some(slug) => format!(" (did you mean {slug:?}?)"),
            None => String::new(),
        };
        format!(
            "unknown topic {value:?}{hint}: `milbrief tags --list topics` lists the topics; `[[topic]]` in config.toml adds one"
        )
    }

    /// Countries a text is about, most salient first, with evidence.
    pub fn countries_for(&self, t: &TagText<'_>) -> Vec<Scored<CountryCode>> {
        salience::countries(&self.gazetteer, t)
    }

    /// Topics a text is about, strongest first (at most `max_topics`):
    /// security topics only when the text is relevant.
    pub fn topics_for(&self, t: &TagText<'_>) -> Vec<Scored<String>> {
        assign::assign(&self.topics, t, self.min_relevance, self.max_topics).topics
    }

    /// How much a text is about defence and security, with evidence.
    pub fn relevance_for(&self, t: &TagText<'_>) -> Relevance {
        assign::assign(&self.topics, t, self.min_relevance, self.max_topics).relevance
    }

    /// Countries (kept and left out), relevance and topics of a text.
    pub fn analyse(&self, t: &TagText<'_>) -> Analysis {
        let (countries, dropped) = salience::ranked(&self.gazetteer, t);
        let a = assign::assign(&self.topics, t, self.min_relevance, self.max_topics);
        Analysis {
            countries,
            dropped,
            relevance: a.relevance,
            topics: a.topics,
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod sense_tests;

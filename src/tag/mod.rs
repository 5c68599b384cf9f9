//! The tag stage: front-matter tags are normalised ("pakistan" → PK), and
//! articles without them get tags inferred from their text, each with the
//! evidence that earned it.

pub mod dateline;
pub mod gazetteer;
pub mod salience;
pub mod text;
pub mod topics;

use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Article, CountryCode, RawTag, TagOrigin};
use gazetteer::Gazetteer;
use topics::TopicSet;

/// A topic is kept when its score reaches this and a share of the top one.
const TOPIC_MIN_SCORE: f64 = 3.0;
const TOPIC_MIN_SHARE: f64 = 0.3;

/// The text the tagger reads.
#[derive(Clone, Debug)]
pub struct TagText<'a> {
    pub title: &'a str,
    /// Plain text of the body.
    pub body: &'a str,
    /// Byte range of the lead paragraph in `body`.
    pub lead: Range<usize>,
}

/// Where a piece of evidence stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Title,
    Lead,
    Body,
    Dateline,
}

impl Part {
    pub fn label(self) -> &'static str {
        match self {
            Part::Title => "headline",
            Part::Lead => "lead",
            Part::Body => "body",
            Part::Dateline => "dateline",
        }
    }
}

/// A phrase that counted for (or was discounted from) a tag.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    pub text: String,
    pub part: Part,
    pub count: usize,
    /// Total weight these occurrences added.
    pub weight: f64,
    /// Why the weight was reduced, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
}

/// A tag with its score and evidence.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Scored<T> {
    pub tag: T,
    pub score: f64,
    pub evidence: Vec<Evidence>,
}

/// Why an article carries one automatic tag, for "Why these tags".
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Explanation {
    /// "country" or "topic".
    pub kind: &'static str,
    pub tag: String,
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

pub struct Tagger {
    pub gazetteer: Gazetteer,
    pub topics: TopicSet,
    max_topics: usize,
    auto_tag: bool,
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
        })
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
                                kind: "country",
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

        let not_topics = self.resolve_topics(a, &a.not_topics, &mut errs);
        match &a.raw_topics {
            Some(raw) => {
                a.topics = self.resolve_topics(a, raw, &mut errs);
                a.topics_origin = TagOrigin::Explicit;
            }
            None => {
                a.topics.clear();
                if auto {
                    for s in self.topics_for(&text) {
                        if !not_topics.contains(&s.tag) {
                            a.explanations.push(Explanation {
                                kind: "topic",
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
                    Diagnostic::new(
                        &a.source_path,
                        format!(
                            "unknown country {:?}: use an ISO 3166-1 code (\"PK\") or an English name (\"Pakistan\")",
                            t.value
                        ),
                    )
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
                    Diagnostic::new(
                        &a.source_path,
                        format!(
                            "unknown topic {:?}: topics are the slugs of data/topics.toml and of [[topic]] in config.toml",
                            t.value
                        ),
                    )
                    .at(t.line, t.col)
                    .code("unknown-topic"),
                ),
            }
        }
        out
    }

    /// Countries a text is about, most salient first, with evidence.
    pub fn countries_for(&self, t: &TagText<'_>) -> Vec<Scored<CountryCode>> {
        salience::countries(&self.gazetteer, t)
    }

    /// Topics a text is about, strongest first (at most `max_topics`).
    pub fn topics_for(&self, t: &TagText<'_>) -> Vec<Scored<String>> {
        let n = self.topics.all().len();
        let lead = t.lead.start.min(t.body.len())..t.lead.end.min(t.body.len());
        let title = salience::uncap(t.title);
        // Every hit of every rule, with where it stands.
        let mut hits: BTreeMap<(usize, &str), Vec<(Part, i32)>> = BTreeMap::new();
        for (text, in_title) in [(title.as_str(), true), (t.body, false)] {
            // Rules of one topic that match at the same place ("exercise"
            // and "exercise*", "missile" and "missile test") count once,
            // as the strongest of them.
            let mut best: BTreeMap<(usize, usize), topics::RuleMatch<'_>> = BTreeMap::new();
            for m in self.topics.matches(text) {
                let key = (m.topic, m.start);
                if best.get(&key).is_none_or(|b| m.weight > b.weight) {
                    best.insert(key, m);
                }
            }
            for m in best.into_values() {
                let part = if in_title {
                    Part::Title
                } else if lead.contains(&m.start) {
                    Part::Lead
                } else {
                    Part::Body
                };
                hits.entry((m.topic, m.phrase))
                    .or_default()
                    .push((part, m.weight));
            }
        }
        // A phrase repeated adds less each time, so a long story that
        // keeps using one word does not outweigh what its headline and
        // lead say. A topic needs one strong cue (a weight-2 phrase, or
        // any cue in the headline or lead) to be considered at all.
        let mut scores = vec![0.0; n];
        let mut strong = vec![false; n];
        let mut evidence: Vec<Vec<Evidence>> = vec![Vec::new(); n];
        for ((topic, phrase), mut occ) in hits {
            occ.sort_by(|a, b| part_mult(b.0).total_cmp(&part_mult(a.0)));
            let mut factor = 1.0;
            for (part, weight) in occ {
                let w = f64::from(weight) * part_mult(part) * factor;
                factor *= REPEAT_DECAY;
                scores[topic] += w;
                if weight >= 2 || (weight > 0 && matches!(part, Part::Title | Part::Lead)) {
                    strong[topic] = true;
                }
                match evidence[topic]
                    .iter_mut()
                    .find(|e| e.text == phrase && e.part == part)
                {
                    Some(e) => {
                        e.count += 1;
                        e.weight += w;
                    }
                    None => evidence[topic].push(Evidence {
                        text: phrase.to_string(),
                        part,
                        count: 1,
                        weight: w,
                        note: None,
                    }),
                }
            }
        }
        let mut ranked: Vec<(usize, f64)> = scores
            .iter()
            .copied()
            .enumerate()
            .filter(|(i, _)| strong[*i])
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let top = ranked.first().map_or(0.0, |r| r.1);
        ranked
            .into_iter()
            .filter(|(_, s)| *s >= TOPIC_MIN_SCORE && *s >= top * TOPIC_MIN_SHARE)
            .take(self.max_topics)
            .map(|(i, s)| {
                let mut ev = std::mem::take(&mut evidence[i]);
                for e in &mut ev {
                    e.weight = (e.weight * 100.0).round() / 100.0;
                }
                ev.sort_by(|a, b| {
                    b.weight
                        .total_cmp(&a.weight)
                        .then_with(|| a.text.cmp(&b.text))
                });
                Scored {
                    tag: self.topics.slug(i).to_string(),
                    score: (s * 100.0).round() / 100.0,
                    evidence: ev,
                }
            })
            .collect()
    }
}

/// Each further occurrence of a topic phrase counts this much of the last.
const REPEAT_DECAY: f64 = 0.6;

fn part_mult(p: Part) -> f64 {
    match p {
        Part::Title => 3.0,
        Part::Lead => 2.0,
        Part::Body | Part::Dateline => 1.0,
    }
}

#[cfg(test)]
mod tests;

//! The tag stage: front-matter tags are normalised ("pakistan" → PK), and
//! articles without them get tags inferred from their text.

pub mod gazetteer;
pub mod topics;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Article, CountryCode, TagOrigin};
use gazetteer::{Gazetteer, MentionKind, Target};
use topics::TopicSet;

/// Weight of a mention by where it is: headline, lead paragraph, body.
const TITLE_WEIGHT: f64 = 3.0;
const LEAD_WEIGHT: f64 = 2.0;
const BODY_WEIGHT: f64 = 1.0;
/// A country is kept when its score reaches this and a share of the top one.
const COUNTRY_MIN_SCORE: f64 = 2.5;
const COUNTRY_MIN_SHARE: f64 = 0.25;
const MAX_COUNTRIES: usize = 6;
/// A topic is kept when its score reaches this and a share of the top one.
const TOPIC_MIN_SCORE: f64 = 3.0;
const TOPIC_MIN_SHARE: f64 = 0.4;

pub struct Tagger {
    pub gazetteer: Gazetteer,
    pub topics: TopicSet,
    max_topics: usize,
}

/// Why a tag was given: its score, for `milbrief tags`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Scored<T> {
    pub tag: T,
    pub score: f64,
}

impl Tagger {
    pub fn new(config: &Config) -> anyhow::Result<Tagger> {
        Ok(Tagger {
            gazetteer: Gazetteer::builtin()?,
            topics: TopicSet::new(config.builtin_topics, &config.topics)?,
            max_topics: config.max_topics,
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

    /// Tags one article; returns its problems.
    pub fn tag(&self, a: &mut Article) -> Vec<Diagnostic> {
        let mut errs = Vec::new();
        match &a.raw_countries {
            Some(raw) => {
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
                            .at(t.line, t.col),
                        ),
                    }
                }
                a.countries = out;
                a.countries_origin = TagOrigin::Explicit;
            }
            None => {
                a.countries = self
                    .countries_for(&a.title, &a.lead_text, &a.body_text)
                    .into_iter()
                    .map(|s| s.tag)
                    .collect();
                a.countries_origin = TagOrigin::Auto;
            }
        }
        match &a.raw_topics {
            Some(raw) => {
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
                            .at(t.line, t.col),
                        ),
                    }
                }
                a.topics = out;
                a.topics_origin = TagOrigin::Explicit;
            }
            None => {
                a.topics = self
                    .topics_for(&a.title, &a.lead_text, &a.body_text)
                    .into_iter()
                    .map(|s| s.tag)
                    .collect();
                a.topics_origin = TagOrigin::Auto;
            }
        }
        errs
    }

    /// Countries a text is about, most salient first.
    pub fn countries_for(&self, title: &str, lead: &str, body: &str) -> Vec<Scored<CountryCode>> {
        let mut scores: BTreeMap<CountryCode, f64> = BTreeMap::new();
        let mut ambiguous: BTreeMap<CountryCode, f64> = BTreeMap::new();
        let mut either: Vec<(Vec<CountryCode>, f64)> = Vec::new();
        let title = uncap(title);
        let lead_body_start = body.find(lead).filter(|_| !lead.is_empty());
        let parts = [
            (title.as_str(), TITLE_WEIGHT, false),
            (body, BODY_WEIGHT, true),
        ];
        for (text, w, is_body) in parts {
            for m in self.gazetteer.mentions(text) {
                let mut w = w;
                if is_body
                    && let Some(ls) = lead_body_start
                    && m.start >= ls
                    && m.start < ls + lead.len()
                {
                    w = LEAD_WEIGHT;
                    if is_dateline(text, ls, m.start, m.end) {
                        continue;
                    }
                }
                match m.target {
                    Target::Country {
                        code,
                        kind,
                        ambiguous: amb,
                    } => {
                        let w = w * kind_weight(*kind);
                        if *amb {
                            *ambiguous.entry(*code).or_default() += w;
                        } else {
                            *scores.entry(*code).or_default() += w;
                        }
                    }
                    Target::Either(codes, kind) => {
                        either.push((codes.clone(), w * kind_weight(*kind)))
                    }
                    Target::Stop => {}
                }
            }
        }
        // Ambiguous forms ("Jordan", "Georgia") count only when the country
        // is also named unambiguously.
        for (code, w) in ambiguous {
            if let Some(s) = scores.get_mut(&code) {
                *s += w;
            }
        }
        // Shared forms ("Korea") go to whichever candidate is otherwise
        // mentioned most, else to the first listed.
        for (codes, w) in either {
            let best = codes
                .iter()
                .max_by(|a, b| {
                    let sa = scores.get(a).copied().unwrap_or(0.0);
                    let sb = scores.get(b).copied().unwrap_or(0.0);
                    sa.total_cmp(&sb).then_with(|| b.cmp(a))
                })
                .copied();
            if let Some(c) = best {
                *scores.entry(c).or_default() += w;
            }
        }
        select(
            scores.into_iter().collect(),
            COUNTRY_MIN_SCORE,
            COUNTRY_MIN_SHARE,
            MAX_COUNTRIES,
        )
    }

    /// Topics a text is about, strongest first (at most `max_topics`).
    pub fn topics_for(&self, title: &str, lead: &str, body: &str) -> Vec<Scored<String>> {
        let mut scores = Vec::new();
        self.topics.score_into(title, TITLE_WEIGHT, &mut scores);
        self.topics
            .score_into(lead, LEAD_WEIGHT - BODY_WEIGHT, &mut scores);
        self.topics.score_into(body, BODY_WEIGHT, &mut scores);
        let scored = scores
            .into_iter()
            .enumerate()
            .map(|(i, s)| (self.topics.slug(i).to_string(), s))
            .collect();
        select(scored, TOPIC_MIN_SCORE, TOPIC_MIN_SHARE, self.max_topics)
    }
}

fn kind_weight(kind: MentionKind) -> f64 {
    match kind {
        MentionKind::Name | MentionKind::Metonym => 1.0,
        MentionKind::Demonym => 0.9,
        MentionKind::Place => 0.8,
    }
}

/// Keeps the entries that reach `min` and `share` × the top score.
fn select<T: Ord + Clone>(
    mut scored: Vec<(T, f64)>,
    min: f64,
    share: f64,
    max: usize,
) -> Vec<Scored<T>> {
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top = scored.first().map_or(0.0, |s| s.1);
    scored
        .into_iter()
        .filter(|(_, s)| *s >= min && *s >= top * share)
        .take(max)
        .map(|(tag, score)| Scored { tag, score })
        .collect()
}

/// A dateline ("ISLAMABAD:", "MOSCOW, April 3 -", "KYIV (Reuters) -") is
/// where the story was filed, not what it is about.
fn is_dateline(text: &str, lead_start: usize, s: usize, e: usize) -> bool {
    let before = &text[lead_start..s];
    if !before.trim().is_empty() {
        return false;
    }
    let after = text[e..].trim_start();
    after.starts_with([':', ',', '(', '-', '—', '–'])
}

/// An all-capitals headline ("MOSCOW STAGES NUCLEAR TEST") in title case,
/// so case-sensitive names match; short words and dotted forms ("U.S.",
/// "UK") stay as they are.
fn uncap(title: &str) -> String {
    let letters: Vec<char> = title.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    if letters.len() < 8 || upper * 10 < letters.len() * 9 {
        return title.to_string();
    }
    title
        .split(' ')
        .map(|w| {
            if w.len() <= 3 || w.contains('.') {
                w.to_string()
            } else {
                let mut cs = w.chars();
                match cs.next() {
                    Some(f) => f
                        .to_uppercase()
                        .chain(cs.flat_map(char::to_lowercase))
                        .collect(),
                    None => String::new(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RawTag;

    fn tagger() -> Tagger {
        Tagger::new(&Config::default()).unwrap()
    }

    fn codes(v: Vec<Scored<CountryCode>>) -> Vec<String> {
        v.into_iter().map(|s| s.tag.to_string()).collect()
    }

    #[test]
    fn explicit_tags_are_normalised() {
        let t = tagger();
        let mut a = Article::blank("a");
        let raw = |v: &[&str]| {
            Some(
                v.iter()
                    .map(|s| RawTag {
                        value: s.to_string(),
                        line: 3,
                        col: 14,
                    })
                    .collect(),
            )
        };
        a.raw_countries = raw(&["Pakistan", "pakistan", "pk", "RU"]);
        a.raw_topics = raw(&["Arms-Trade"]);
        assert!(t.tag(&mut a).is_empty());
        assert_eq!(
            a.countries
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>(),
            ["PK", "RU"]
        );
        assert_eq!(a.topics, ["arms-trade"]);
        assert_eq!(a.countries_origin, TagOrigin::Explicit);

        a.raw_countries = raw(&["Narnia"]);
        a.raw_topics = raw(&["gossip"]);
        let errs = t.tag(&mut a);
        assert_eq!(errs.len(), 2);
        assert!(
            errs[0]
                .to_string()
                .starts_with("content/a.md:3:14: unknown country \"Narnia\"")
        );
        assert!(errs[1].to_string().contains("unknown topic \"gossip\""));
    }

    #[test]
    fn datelines_and_passing_mentions_do_not_count() {
        let t = tagger();
        let lead = "ISLAMABAD: Pakistani and Russian troops began a joint drill.";
        let body = format!(
            "{lead}\n\nPakistan and Russia said the exercise builds ties. A Russian officer said Pakistan was a friend. Observers from France attended."
        );
        let got = codes(t.countries_for("Pakistani, Russian armies start drill", lead, &body));
        assert_eq!(got, ["PK", "RU"]);
    }

    #[test]
    fn all_caps_headlines_are_read() {
        assert_eq!(
            uncap("MOSCOW STAGES NUCLEAR TEST"),
            "Moscow Stages Nuclear Test"
        );
        assert_eq!(
            uncap("U.S. NAVY SAID INCREASING PRESENCE"),
            "U.S. Navy Said Increasing Presence"
        );
        assert_eq!(uncap("Normal Title Here"), "Normal Title Here");
    }

    #[test]
    fn topics_are_inferred() {
        let t = tagger();
        let body = "The armies began a joint exercise. The drills include live-fire training and war games over two weeks.";
        let got = t.topics_for("Armies begin joint military exercise", body, body);
        assert_eq!(got[0].tag, "military-exercises", "{got:?}");
        assert!(got.len() <= 4);
    }
}

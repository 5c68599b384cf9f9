//! Topics: the built-in 20-topic taxonomy (`data/topics.toml`) merged with a
//! site's `[[topic]]` tables, and their weighted phrase rules, matched in
//! one aho-corasick pass (case-insensitive, whole words, `*` = prefix)
//! together with the anchors of the security vocabulary
//! ([`super::lexicon`]).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use anyhow::Context as _;
use serde::Deserialize;

use super::lexicon::{Anchor, Lexicon, SenseWords};
use crate::config::TopicConfig;

const BUILTIN: &str = include_str!("../../data/topics.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopics {
    topic: Vec<RawTopic>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    slug: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    context: Need,
    #[serde(default)]
    off_topic: bool,
    #[serde(default)]
    relevance: Strength,
    #[serde(default)]
    rules: Vec<(String, i32)>,
    #[serde(default)]
    context_rules: Vec<(String, i32)>,
}

/// What a topic's context rules need around them to count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Need {
    /// A security anchor in the sentence (or, failing that, a story that is
    /// clearly about security and a sentence with no other sense).
    #[default]
    Security,
    /// A government actor in the sentence: trade and money words are
    /// government-level economic relations, not business.
    Government,
    /// A defence company: named in the headline or lead, or in the sentence.
    DefenseCompany,
}

/// How much a topic's phrases say that a story is about security.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// Each phrase counts fully.
    #[default]
    Strong,
    /// The topic's phrases (like diplomatic actors) add only a little,
    /// together never enough to make a story relevant on their own.
    Weak,
}

/// A topic as shown on the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// What its context rules need.
    pub need: Need,
    /// Whether an article below the relevance threshold may still get it
    /// (trade and energy, where their definitions fit).
    pub off_topic: bool,
    /// What its phrases add to a story's relevance.
    pub relevance: Strength,
}

/// What a matched phrase is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cue {
    /// A topic rule; `in_context` when it counts only in its security sense.
    Rule {
        topic: usize,
        weight: i32,
        in_context: bool,
    },
    /// A phrase of the security vocabulary.
    Anchor { kind: Anchor, weight: i32 },
}

/// One needle of the automaton, and every rule or anchor written as it
/// (the same phrase may be a rule of several topics and an anchor).
struct Pattern {
    prefix: bool,
    /// (what it is, the phrase as written).
    cues: Vec<(Cue, String)>,
}

/// One phrase found in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit<'r> {
    pub cue: Cue,
    /// The phrase as written ("sanction*").
    pub phrase: &'r str,
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
}

/// One rule hit in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleMatch<'r> {
    pub topic: usize,
    pub weight: i32,
    /// The rule as written ("sanction*").
    pub phrase: &'r str,
    /// Byte offset in the text.
    pub start: usize,
}

pub struct TopicSet {
    topics: Vec<Topic>,
    by_slug: HashMap<String, usize>,
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    /// The words of everyday senses, for reading ambiguous cues.
    pub senses: SenseWords,
}

impl TopicSet {
    /// Built-in topics (unless `builtin` is false) with the site's changes.
    pub fn new(builtin: bool, site: &[TopicConfig]) -> anyhow::Result<TopicSet> {
        Self::with_kind(builtin, site, aho_corasick::AhoCorasickKind::DFA)
    }

    /// [`new`](Self::new), with the automaton of `kind` (same matches).
    pub fn with_kind(
        builtin: bool,
        site: &[TopicConfig],
        kind: aho_corasick::AhoCorasickKind,
    ) -> anyhow::Result<TopicSet> {
        let topics = merged(builtin, site)?;
        let lexicon = Lexicon::builtin()?;
        let mut patterns = Vec::new();
        for (i, (_, rules)) in topics.iter().enumerate() {
            for (phrase, weight, in_context) in rules {
                patterns.push((
                    phrase.as_str(),
                    Cue::Rule {
                        topic: i,
                        weight: *weight,
                        in_context: *in_context,
                    },
                ));
            }
        }
        for (phrase, weight, kind) in &lexicon.anchors {
            let (kind, weight) = (*kind, *weight);
            patterns.push((phrase.as_str(), Cue::Anchor { kind, weight }));
        }
        let mut needles = Vec::new();
        let mut kept: Vec<Pattern> = Vec::new();
        let mut seen: HashMap<(String, bool), usize> = HashMap::new();
        for (phrase, cue) in patterns {
            let p = phrase.trim();
            let (p, prefix) = match p.strip_suffix('*') {
                Some(p) => (p, true),
                None => (p, false),
            };
            let p = normalise(p);
            if p.is_empty() {
                continue;
            }
            let written = phrase.trim().to_string();
            match seen.get(&(p.clone(), prefix)) {
                Some(&i) => kept[i].cues.push((cue, written)),
                None => {
                    seen.insert((p.clone(), prefix), kept.len());
                    needles.push(p);
                    kept.push(Pattern {
                        prefix,
                        cues: vec![(cue, written)],
                    });
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .kind(Some(kind))
            .build(&needles)?;
        let topics: Vec<Topic> = topics.into_iter().map(|(t, _)| t).collect();
        let by_slug = topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
        Ok(TopicSet {
            topics,
            by_slug,
            automaton,
            patterns: kept,
            senses: lexicon.senses,
        })
    }

    pub fn all(&self) -> &[Topic] {
        &self.topics
    }

    pub fn get(&self, slug: &str) -> Option<&Topic> {
        self.by_slug.get(slug).map(|&i| &self.topics[i])
    }

    /// Normalises a front-matter value: a slug in any case, or a display name.
    pub fn resolve(&self, value: &str) -> Option<&str> {
        let v = value.trim();
        let s = slug::slugify(v);
        if let Some(&i) = self.by_slug.get(&s) {
            return Some(&self.topics[i].slug);
        }
        self.topics
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(v))
            .map(|t| t.slug.as_str())
    }

    /// Every topic rule hit in `text`, whatever its sense.
    pub fn matches(&self, text: &str) -> Vec<RuleMatch<'_>> {
        self.scan(text)
            .into_iter()
            .filter_map(|h| match h.cue {
                Cue::Rule { topic, weight, .. } => Some(RuleMatch {
                    topic,
                    weight,
                    phrase: h.phrase,
                    start: h.start,
                }),
                _ => None,
            })
            .collect()
    }

    /// Every phrase (topic rule or anchor) in
    /// `text`, with byte ranges in `text`, ordered by start. Matching is
    /// ASCII case-insensitive on the text as it is (a phrase does not run
    /// across a paragraph break); text with capitals beyond ASCII is
    /// lower-cased first.
    pub fn scan(&self, text: &str) -> Vec<Hit<'_>> {
        let needs_normalising = !text.is_ascii() && has_non_ascii_capital(text);
        let mut out = if needs_normalising {
            let (hay, map) = normalise_mapped(text);
            self.scan_in(&hay, |i| map[i.min(map.len() - 1)])
        } else {
            self.scan_in(text, |i| i)
        };
        out.sort_by_key(|h| (h.start, h.end));
        out
    }

    fn scan_in(&self, hay: &str, offset: impl Fn(usize) -> usize) -> Vec<Hit<'_>> {
        let bytes = hay.as_bytes();
        let word = super::text::is_word_byte;
        let mut out = Vec::with_capacity(hay.len() / 32);
        for m in self.automaton.find_overlapping_iter(hay) {
            let p = &self.patterns[m.pattern().as_usize()];
            let start_ok = m.start() == 0 || !word(bytes[m.start() - 1]);
            if !start_ok {
                continue;
            }
            let mut end = m.end();
            if p.prefix {
                // The prefix's word runs on to its end.
                while end < bytes.len() && word(bytes[end]) {
                    end += 1;
                }
            } else if end < bytes.len() && word(bytes[end]) {
                continue;
            }
            let (start, end) = (offset(m.start()), offset(end));
            out.extend(p.cues.iter().map(|(cue, phrase)| Hit {
                cue: *cue,
                phrase,
                start,
                end,
            }));
        }
        out
    }

    pub fn slug(&self, index: usize) -> &str {
        &self.topics[index].slug
    }
}

/// A topic's rules: (phrase, weight, counts only in context).
type Rules = Vec<(String, i32, bool)>;

/// The built-in topics (unless `builtin` is false) with the site's
/// changes: new topics, new names and descriptions, added or replaced
/// rules (a site's rules count wherever they occur).
fn merged(builtin: bool, site: &[TopicConfig]) -> anyhow::Result<Vec<(Topic, Rules)>> {
    let raw: RawTopics =
        toml::from_str(BUILTIN).context("data/topics.toml (built in) is invalid")?;
    let mut topics: Vec<(Topic, Rules)> = Vec::new();
    if builtin {
        for t in raw.topic {
            let rules = t
                .rules
                .into_iter()
                .map(|(p, w)| (p, w, false))
                .chain(t.context_rules.into_iter().map(|(p, w)| (p, w, true)))
                .collect();
            topics.push((
                Topic {
                    slug: t.slug,
                    name: t.name,
                    description: t.description,
                    need: t.context,
                    off_topic: t.off_topic,
                    relevance: t.relevance,
                },
                rules,
            ));
        }
    }
    for s in site {
        let rules = s.rules.iter().map(|(p, w)| (p.clone(), *w, false));
        match topics.iter_mut().find(|(t, _)| t.slug == s.slug) {
            Some((t, old)) => {
                if let Some(n) = &s.name {
                    t.name = n.clone();
                }
                if let Some(d) = &s.description {
                    t.description = d.clone();
                }
                if s.replace_rules {
                    old.clear();
                }
                old.extend(rules);
            }
            None => topics.push((
                Topic {
                    slug: s.slug.clone(),
                    name: s.name.clone().unwrap_or_else(|| s.slug.replace('-', " ")),
                    description: s.description.clone().unwrap_or_default(),
                    need: Need::Security,
                    off_topic: false,
                    relevance: Strength::Strong,
                },
                rules.collect(),
            )),
        }
    }
    Ok(topics)
}

/// Whether `text` has a capital beyond ASCII ("É"): looks only at its
/// non-ASCII characters.
fn has_non_ascii_capital(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(k) = b[i..].iter().position(|&x| x >= 0x80) {
        let at = i + k;
        let Some(c) = text.get(at..).and_then(|t| t.chars().next()) else {
            return false;
        };
        if c.is_uppercase() {
            return true;
        }
        i = at + c.len_utf8();
    }
    false
}

/// Lower case with runs of whitespace as one space.
fn normalise(s: &str) -> String {
    normalise_mapped(s).0
}

/// [`normalise`], with the offset in `s` of every byte of the result.
fn normalise_mapped(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    let mut space = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
            map.push(i);
        }
        space = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            map.push(i);
        } else {
            for l in c.to_lowercase() {
                let before = out.len();
                out.push(l);
                map.extend(std::iter::repeat_n(i, out.len() - before));
            }
        }
    }
    map.push(s.len());
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The weights of every rule hit in `text`, summed per topic.
    fn scores(t: &TopicSet, text: &str) -> Vec<f64> {
        let mut s = vec![0.0; t.all().len()];
        for m in t.matches(text) {
            s[m.topic] += f64::from(m.weight);
        }
        s
    }

    #[test]
    fn builtin_has_the_twenty_topics() {
        let t = TopicSet::new(true, &[]).unwrap();
        assert_eq!(t.all().len(), 20);
        assert_eq!(t.all()[0].slug, "armed-conflict");
        assert!(t.get("arms-trade").is_some());
    }

    #[test]
    fn resolve_slugs_and_names() {
        let t = TopicSet::new(true, &[]).unwrap();
        assert_eq!(t.resolve("arms-trade"), Some("arms-trade"));
        assert_eq!(t.resolve("Arms-Trade"), Some("arms-trade"));
        assert_eq!(t.resolve("Energy security"), Some("energy-security"));
        assert_eq!(t.resolve("armstrade"), None);
    }

    #[test]
    fn site_can_add_rename_and_replace() {
        let site = vec![
            TopicConfig {
                slug: "drones".into(),
                name: Some("Drones".into()),
                rules: vec![("drone*".into(), 3)],
                ..Default::default()
            },
            TopicConfig {
                slug: "arms-trade".into(),
                name: Some("Arms transfers".into()),
                rules: vec![("widget".into(), 3)],
                replace_rules: true,
                ..Default::default()
            },
        ];
        let t = TopicSet::new(true, &site).unwrap();
        assert_eq!(t.all().len(), 21);
        assert_eq!(t.get("arms-trade").unwrap().name, "Arms transfers");
        let s = scores(&t, "Two  Drones and a widget; no drone-free zone");
        let drones = t.all().iter().position(|x| x.slug == "drones").unwrap();
        let arms = t.all().iter().position(|x| x.slug == "arms-trade").unwrap();
        assert_eq!(s[drones], 6.0);
        assert_eq!(s[arms], 3.0);
        let s = scores(&t, "arms sale of weapons");
        assert_eq!(s[arms], 0.0, "built-in arms-trade rules were replaced");
    }

    #[test]
    fn words_must_be_whole_unless_prefix() {
        let site = vec![TopicConfig {
            slug: "x".into(),
            rules: vec![("test".into(), 1), ("drill*".into(), 1)],
            ..Default::default()
        }];
        let t = TopicSet::new(false, &site).unwrap();
        let s = scores(&t, "testing contest test; drills drill");
        assert_eq!(s[0], 3.0);
    }
}

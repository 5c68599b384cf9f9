//! Relevance: how much an article is about defence and security at all, in
//! [0, 1], from the security phrases it holds (anchors of
//! `data/security.toml`, rules of the security topics, ambiguous cues read
//! in their security sense), each weighed by where it stands and less each
//! time it repeats. Below a site's `min_relevance` an article is off-topic:
//! it gets no security topic.

use serde::Serialize;

use super::{Evidence, Part};

/// The default of `[tagging] min_relevance`.
pub const DEFAULT_MIN_RELEVANCE: f64 = 0.3;

/// Summed evidence at which relevance is 1 - 1/e (about 0.63).
const SCALE: f64 = 6.0;

/// Each further occurrence of a phrase counts this much of the last.
const REPEAT_DECAY: f64 = 0.5;

/// The most that weak phrases (diplomatic actors, the diplomacy topic's
/// rules) add up to: alone they leave a story below the default threshold.
const WEAK_CAP: f64 = 2.0;

/// Relevance at which a story is clearly about security, so that an
/// ambiguous word whose own sentence says nothing either way is read in its
/// security sense.
pub const CLEAR: f64 = 0.45;

/// An article's relevance and what made it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Relevance {
    /// From 0 (nothing about defence or security) to 1.
    pub score: f64,
    /// The phrases that counted, strongest first.
    pub evidence: Vec<Evidence>,
    /// Ambiguous words read in another sense, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub discounted: Vec<Evidence>,
}

impl Relevance {
    /// Whether the article is below `min` (off-topic).
    pub fn is_off_topic(&self, min: f64) -> bool {
        self.score < min
    }

    /// One line for `--explain`: what made the article relevant, or why it
    /// is off-topic.
    pub fn summary(&self, min: f64) -> String {
        let top: Vec<String> = self
            .evidence
            .iter()
            .take(5)
            .map(|e| format!("{} {:?}", e.part.label(), e.text))
            .collect();
        if self.is_off_topic(min) {
            let what = if top.is_empty() {
                "no defence or security words".to_string()
            } else {
                format!("only {}", top.join(", "))
            };
            format!(
                "off-topic: relevance {:.2} below {min:.2} ({what})",
                self.score
            )
        } else {
            format!("relevant {:.2}: {}", self.score, top.join(", "))
        }
    }
}

/// One security phrase found: where, how strong.
#[derive(Clone, Debug)]
pub struct Contribution<'p> {
    pub start: usize,
    pub end: usize,
    pub part: Part,
    /// The words as they stand in the text.
    pub text: &'p str,
    pub weight: i32,
    /// A weak phrase (see [`WEAK_CAP`]).
    pub weak: bool,
}

/// Where a phrase stands, as a factor.
pub fn part_weight(p: Part) -> f64 {
    match p {
        Part::Title => 3.0,
        Part::Lead => 2.0,
        Part::Body | Part::Dateline => 1.0,
    }
}

/// Relevance from the contributions of one article, with its evidence:
/// overlapping phrases count once (the strongest), each phrase less each
/// time it repeats, and the sum saturates towards 1.
pub fn score(found: Vec<Contribution<'_>>) -> Relevance {
    let weighed = weigh(&found);
    let sum: f64 = weighed.iter().map(|(_, w)| w).sum();
    let mut evidence: Vec<Evidence> = Vec::new();
    for (c, w) in weighed {
        match evidence
            .iter_mut()
            .find(|e| e.text == c.text && e.part == c.part)
        {
            Some(e) => {
                e.count += 1;
                e.weight += w;
            }
            None => evidence.push(Evidence {
                text: c.text.to_string(),
                part: c.part,
                count: 1,
                weight: w,
                note: None,
            }),
        }
    }
    for e in &mut evidence {
        e.weight = round(e.weight);
    }
    evidence.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.text.cmp(&b.text)));
    Relevance {
        score: round(of_sum(sum)),
        evidence,
        discounted: Vec::new(),
    }
}

/// The relevance alone of `found`, as [`score`] gives it.
pub fn score_only(found: &[Contribution<'_>]) -> f64 {
    round(of_sum(weigh(found).iter().map(|(_, w)| w).sum()))
}

/// What each contribution adds: of overlapping ones only the strongest,
/// repeats of a phrase less each time (the headline's first), weak phrases
/// together at most [`WEAK_CAP`].
fn weigh<'a, 'p>(found: &'a [Contribution<'p>]) -> Vec<(&'a Contribution<'p>, f64)> {
    // Title positions and body positions are apart: order by part first.
    let part_key = |p: Part| u8::from(p != Part::Title);
    let mut list: Vec<&Contribution<'p>> = found.iter().collect();
    list.sort_by(|a, b| {
        (part_key(a.part), a.start, std::cmp::Reverse(a.end)).cmp(&(
            part_key(b.part),
            b.start,
            std::cmp::Reverse(b.end),
        ))
    });
    let mut kept: Vec<&Contribution<'p>> = Vec::with_capacity(list.len());
    for c in list {
        match kept.last_mut() {
            Some(last) if part_key(last.part) == part_key(c.part) && c.start < last.end => {
                if c.weight > last.weight {
                    *last = c;
                }
            }
            _ => kept.push(c),
        }
    }
    // Strongest places first, so repeats decay in the body, not the title.
    kept.sort_by(|a, b| part_weight(b.part).total_cmp(&part_weight(a.part)));
    let mut seen: std::collections::HashMap<&str, f64, super::lexicon::Fnv> =
        std::collections::HashMap::with_hasher(super::lexicon::Fnv);
    let mut weak = 0.0;
    kept.into_iter()
        .map(|c| {
            let factor = seen.entry(c.text).or_insert(1.0);
            let mut w = f64::from(c.weight) * part_weight(c.part) * *factor;
            *factor *= REPEAT_DECAY;
            if c.weak {
                w = w.min(WEAK_CAP - weak).max(0.0);
                weak += w;
            }
            (c, w)
        })
        .collect()
}

/// The relevance of a summed weight.
pub fn of_sum(sum: f64) -> f64 {
    1.0 - (-sum / SCALE).exp()
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(start: usize, part: Part, text: &'static str, weight: i32) -> Contribution<'static> {
        Contribution {
            start,
            end: start + text.len(),
            part,
            text,
            weight,
            weak: false,
        }
    }

    #[test]
    fn overlapping_phrases_count_once_and_repeats_decay() {
        let one = score(vec![c(0, Part::Lead, "troops", 3)]);
        let overlapping = score(vec![
            c(0, Part::Lead, "troops", 3),
            c(2, Part::Lead, "oops", 1),
        ]);
        assert_eq!(one.score, overlapping.score);
        let twice = score(vec![
            c(0, Part::Body, "troops", 3),
            c(50, Part::Body, "troops", 3),
        ]);
        let body = score(vec![c(0, Part::Body, "troops", 3)]);
        assert!(twice.score < of_sum(6.0) && twice.score > body.score);
        let lead = score(vec![c(0, Part::Lead, "troops", 3)]);
        assert!(lead.score > twice.score, "the lead outweighs a repeat");
        assert!(score(Vec::new()).score == 0.0);
    }

    #[test]
    fn weak_phrases_alone_stay_below_the_threshold() {
        let weak = |start, part, text| Contribution {
            weak: true,
            ..c(start, part, text, 1)
        };
        let r = score(vec![
            weak(0, Part::Title, "diplomats"),
            weak(20, Part::Lead, "ambassador"),
            weak(40, Part::Lead, "embassy"),
        ]);
        assert!(r.is_off_topic(DEFAULT_MIN_RELEVANCE), "{r:?}");
        let mut both = vec![weak(0, Part::Title, "diplomats")];
        both.push(c(30, Part::Lead, "troops", 3));
        assert!(!score(both).is_off_topic(DEFAULT_MIN_RELEVANCE));
    }

    #[test]
    fn summary_says_why() {
        let r = score(vec![c(0, Part::Title, "warship", 3)]);
        assert!(
            r.summary(0.3)
                .starts_with("relevant 0.78: headline \"warship\"")
        );
        let r = score(Vec::new());
        assert_eq!(
            r.summary(0.3),
            "off-topic: relevance 0.00 below 0.30 (no defence or security words)"
        );
    }
}

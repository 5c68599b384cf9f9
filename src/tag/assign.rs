//! Topics of one article, relevance first: every phrase of the headline and
//! body is found in one pass, ambiguous cues are read in their sense
//! ([`super::senses`]), the article's relevance is scored
//! ([`super::relevance`]), and only a relevant article gets security
//! topics; trade and energy topics may apply to any article where their
//! rules find their context.

use super::lexicon::Anchor;
use super::relevance::{self, Contribution, Relevance};
use super::senses::{Basis, Reading, Story};
use super::topics::{Cue, Hit, Strength, TopicSet};
use super::{Evidence, Part, Scored, TagText, salience};

/// A topic is kept when its score reaches this and a share of the top one.
const TOPIC_MIN_SCORE: f64 = 3.0;
const TOPIC_MIN_SHARE: f64 = 0.3;

/// Each further occurrence of a topic phrase counts this much of the last.
const REPEAT_DECAY: f64 = 0.6;

/// Relevance and topics of a text.
pub struct Assigned {
    pub relevance: Relevance,
    pub topics: Vec<Scored<String>>,
}

/// One rule hit that counts for its topic.
struct Counted<'r> {
    topic: usize,
    phrase: &'r str,
    part: Part,
    weight: i32,
}

/// Reads `t`: its relevance and its topics (at most `max_topics`).
pub fn assign(set: &TopicSet, t: &TagText<'_>, min_relevance: f64, max_topics: usize) -> Assigned {
    let title = salience::uncap(t.title);
    let lead = clamp(t.lead.clone(), t.body.len());
    let title_hits = set.scan(&title);
    let body_hits = set.scan(t.body);
    let head = Reading::new(&title, &title_hits, &set.senses, true);
    let body = Reading::new(t.body, &body_hits, &set.senses, false);
    let part_of = |pos: usize| {
        if lead.contains(&pos) {
            Part::Lead
        } else {
            Part::Body
        }
    };

    // Relevance from what needs no reading: anchors and the rules of the
    // security topics. Diplomatic actors, harm done to people and a defence
    // firm that is not the story's subject (a supplier named in passing)
    // are weak evidence.
    let defense_company = is_defense_company(&head, &body, &lead);
    let mut found: Vec<Contribution<'_>> = Vec::new();
    for (reading, hits, in_title) in [(&head, &title_hits, true), (&body, &body_hits, false)] {
        let part = |pos| if in_title { Part::Title } else { part_of(pos) };
        let src = if in_title { title.as_str() } else { t.body };
        for a in reading.anchors.iter().filter(|a| a.kind.is_relevant()) {
            found.push(Contribution {
                start: a.range.start,
                end: a.range.end,
                part: part(a.range.start),
                text: &src[a.range.clone()],
                weight: a.weight,
                weak: matches!(a.kind, Anchor::Diplomatic | Anchor::Harm)
                    || (a.kind == Anchor::Firm && !defense_company),
            });
        }
        for h in hits.iter() {
            if let Cue::Rule {
                topic,
                weight,
                in_context: false,
            } = h.cue
                && weight > 0
                && !set.all()[topic].off_topic
                && reading.judge_plain(h.start)
            {
                let weak = set.all()[topic].relevance == Strength::Weak;
                found.push(contribution(src, h, part(h.start), weight, weak));
            }
        }
    }
    let first = relevance::score_only(&found);
    let story = Story {
        clearly_security: first >= relevance::CLEAR,
        defense_company,
    };

    // Every rule hit, read in its sense; a story that turns out clearly
    // about security once its ambiguous words are read is read again.
    let sides = [
        (&head, &title_hits[..], title.as_str(), true),
        (&body, &body_hits[..], t.body, false),
    ];
    let mut read = read_rules(set, &sides, &lead, story);
    found.append(&mut read.contributions);
    let mut relevance = relevance::score(found);
    if !story.clearly_security && relevance.score >= relevance::CLEAR {
        let story = Story {
            clearly_security: true,
            ..story
        };
        read = read_rules(set, &sides, &lead, story);
    }
    let Read {
        counted,
        discounted,
        ..
    } = read;
    relevance.discounted = discounted;
    let off_topic = relevance.is_off_topic(min_relevance);
    let topics = choose(set, counted, off_topic, max_topics);
    Assigned { relevance, topics }
}

/// What reading the rule hits gives.
struct Read<'r> {
    counted: Vec<Counted<'r>>,
    discounted: Vec<Evidence>,
    /// Ambiguous cues read in the security sense from their own
    /// neighbours or sentence: they add to relevance.
    contributions: Vec<Contribution<'r>>,
}

/// One side of an article: its reading, hits, text, and whether it is the
/// headline.
type Side<'a, 'r> = (&'a Reading<'r>, &'a [Hit<'r>], &'r str, bool);

/// Reads every rule hit of both sides in its sense.
fn read_rules<'r>(
    set: &'r TopicSet,
    sides: &[Side<'_, 'r>],
    lead: &std::ops::Range<usize>,
    story: Story,
) -> Read<'r> {
    let mut counted: Vec<Counted<'r>> = Vec::new();
    let mut discounted: Vec<Evidence> = Vec::new();
    let mut found: Vec<Contribution<'r>> = Vec::new();
    for &(reading, hits, src, in_title) in sides {
        let part = |pos: usize| {
            if in_title {
                Part::Title
            } else if lead.contains(&pos) {
                Part::Lead
            } else {
                Part::Body
            }
        };
        for h in best_per_place(hits) {
            let Cue::Rule {
                topic,
                weight,
                in_context,
            } = h.cue
            else {
                continue;
            };
            let info = &set.all()[topic];
            let verdict = if in_context {
                reading.judge(h.start, h.end, info.need, story)
            } else if reading.judge_plain(h.start) {
                Ok(Basis::Sentence)
            } else {
                Err("inside a name or ticker")
            };
            match verdict {
                Ok(basis) => {
                    if in_context && basis != Basis::Story && !info.off_topic && weight > 0 {
                        let weak = info.relevance == Strength::Weak;
                        found.push(contribution(src, h, part(h.start), weight, weak));
                    }
                    counted.push(Counted {
                        topic,
                        phrase: h.phrase,
                        part: part(h.start),
                        weight,
                    });
                }
                Err(why) if weight > 0 => {
                    note_discounted(&mut discounted, h.phrase, part(h.start), why)
                }
                Err(_) => {}
            }
        }
    }
    Read {
        counted,
        discounted,
        contributions: found,
    }
}
fn contribution<'t>(
    src: &'t str,
    h: &Hit<'_>,
    part: Part,
    weight: i32,
    weak: bool,
) -> Contribution<'t> {
    Contribution {
        start: h.start,
        end: h.end,
        part,
        text: src.get(h.start..h.end).unwrap_or(""),
        weight,
        weak,
    }
}

/// Rules of one topic that match at the same place ("exercise" and
/// "exercise*", "missile" and "missile test") count once, as the strongest;
/// and a rule inside a longer rule's phrase is part of it ("battle" in
/// "carrier battle group", "exercise" in "exercise the option").
fn best_per_place<'h, 'r>(hits: &'h [Hit<'r>]) -> Vec<&'h Hit<'r>> {
    // By start, the longest first: a hit is inside a longer one when an
    // earlier hit of another span reaches as far.
    let mut rules: Vec<&Hit<'r>> = hits
        .iter()
        .filter(|h| matches!(h.cue, Cue::Rule { .. }))
        .collect();
    rules.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<&Hit<'r>> = Vec::with_capacity(rules.len());
    let mut reach = 0;
    let mut i = 0;
    while i < rules.len() {
        // One span: every rule matched exactly there.
        let (s, e) = (rules[i].start, rules[i].end);
        let mut j = i;
        while j < rules.len() && rules[j].start == s && rules[j].end == e {
            j += 1;
        }
        if reach < e {
            for h in &rules[i..j] {
                push_strongest(&mut out, h);
            }
        }
        reach = reach.max(e);
        i = j;
    }
    out
}

/// Adds a rule hit, or keeps the stronger of it and an earlier hit of the
/// same topic at the same start.
fn push_strongest<'h, 'r>(out: &mut Vec<&'h Hit<'r>>, h: &'h Hit<'r>) {
    let (Cue::Rule { topic, weight, .. }, start) = (h.cue, h.start) else {
        return;
    };
    let same = out
        .iter_mut()
        .rev()
        .take_while(|o| o.start == start)
        .find(|o| matches!(o.cue, Cue::Rule { topic: t, .. } if t == topic));
    match same {
        Some(o) => {
            if matches!(o.cue, Cue::Rule { weight: w, .. } if weight > w) {
                *o = h;
            }
        }
        None => out.push(h),
    }
}

/// A defence company is the story's subject: a defence firm or a phrase
/// that makes one ("defense contractor", "shipyard") in the headline; or
/// such a phrase in the lead; or a defence firm named in the lead before its
/// reporting verb ("said"), or in the lead and again in the body. A firm
/// named once after "said", or only further down, is a party to another
/// company's story (a supplier, the seller of a unit), not its subject.
fn is_defense_company(
    head: &Reading<'_>,
    body: &Reading<'_>,
    lead: &std::ops::Range<usize>,
) -> bool {
    let company = |k: Anchor| matches!(k, Anchor::Firm | Anchor::DefenseCompany);
    if head.anchors.iter().any(|a| company(a.kind)) {
        return true;
    }
    let in_lead = |k: Anchor, subject: bool| {
        body.anchors.iter().any(|a| {
            a.kind == k
                && lead.contains(&a.range.start)
                && (!subject || body.before_reporting_verb(a.range.start))
        })
    };
    let firms = body
        .anchors
        .iter()
        .filter(|a| a.kind == Anchor::Firm)
        .count();
    in_lead(Anchor::DefenseCompany, false)
        || in_lead(Anchor::Firm, true)
        || (in_lead(Anchor::Firm, false) && firms >= 2)
}

fn note_discounted(list: &mut Vec<Evidence>, phrase: &str, part: Part, why: &'static str) {
    if let Some(e) = list
        .iter_mut()
        .find(|e| e.text == phrase && e.part == part && e.note.as_deref() == Some(why))
    {
        e.count += 1;
    } else if list.len() < 20 {
        list.push(Evidence {
            text: phrase.to_string(),
            part,
            count: 1,
            weight: 0.0,
            note: Some(std::borrow::Cow::Borrowed(why)),
        });
    }
}

/// Topic scores from the hits that count; an off-topic article keeps only
/// topics that may apply off-topic. A topic needs one strong cue (a
/// weight-2 phrase, or any cue in the headline or lead) to be considered,
/// and a phrase repeated adds less each time, so a long story that keeps
/// using one word does not outweigh what its headline and lead say.
fn choose(
    set: &TopicSet,
    mut counted: Vec<Counted<'_>>,
    off_topic: bool,
    max: usize,
) -> Vec<Scored<String>> {
    let n = set.all().len();
    counted.retain(|c| !off_topic || set.all()[c.topic].off_topic);
    // Each rule's occurrences together, strongest places first (by phrase
    // text, not address, so the sums are added in the same order every run).
    counted.sort_by(|a, b| {
        (a.topic, a.phrase)
            .cmp(&(b.topic, b.phrase))
            .then(relevance::part_weight(b.part).total_cmp(&relevance::part_weight(a.part)))
    });
    let mut scores = vec![0.0; n];
    let mut strong = vec![false; n];
    // What each occurrence added, for the evidence of the topics kept.
    let mut added = Vec::with_capacity(counted.len());
    let mut factor = 1.0;
    for (i, c) in counted.iter().enumerate() {
        let first = i == 0 || {
            let p = &counted[i - 1];
            (p.topic, p.phrase) != (c.topic, c.phrase)
        };
        if first {
            factor = 1.0;
        }
        let w = f64::from(c.weight) * relevance::part_weight(c.part) * factor;
        factor *= REPEAT_DECAY;
        scores[c.topic] += w;
        if c.weight >= 2 || (c.weight > 0 && matches!(c.part, Part::Title | Part::Lead)) {
            strong[c.topic] = true;
        }
        added.push(w);
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
        .take(max)
        .map(|(topic, s)| Scored {
            tag: set.slug(topic).to_string(),
            score: (s * 100.0).round() / 100.0,
            evidence: evidence_of(topic, &counted, &added),
        })
        .collect()
}

/// The evidence of one topic: each phrase and part with its count and the
/// weight it added.
fn evidence_of(topic: usize, counted: &[Counted<'_>], added: &[f64]) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = Vec::new();
    for (c, w) in counted.iter().zip(added).filter(|(c, _)| c.topic == topic) {
        match ev
            .iter_mut()
            .find(|e| e.text == c.phrase && e.part == c.part)
        {
            Some(e) => {
                e.count += 1;
                e.weight += w;
            }
            None => ev.push(Evidence {
                text: c.phrase.to_string(),
                part: c.part,
                count: 1,
                weight: *w,
                note: None,
            }),
        }
    }
    for e in &mut ev {
        e.weight = (e.weight * 100.0).round() / 100.0;
    }
    ev.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.text.cmp(&b.text))
    });
    ev
}

fn clamp(r: std::ops::Range<usize>, len: usize) -> std::ops::Range<usize> {
    r.start.min(len)..r.end.min(len)
}

//! Which countries a story is *about*: every mention is weighed by where it
//! stands (headline, lead, body), how it names the country, and what it is
//! doing there (a dateline, a venue, a news source's nationality, one item
//! of a list), and only countries that carry the story are kept.

use std::collections::BTreeMap;

use super::gazetteer::{Gazetteer, Mention, MentionKind, Target};
use super::{Evidence, Part, Scored, TagText};
use crate::model::CountryCode;

/// A country is kept when its score reaches this and a share of the top one.
const MIN_SCORE: f64 = 1.8;
const MIN_SHARE: f64 = 0.2;
const MAX_COUNTRIES: usize = 6;

/// What a dateline adds when the story also names its country.
const DATELINE_CONFIRMED: f64 = 1.0;

fn part_weight(p: Part) -> f64 {
    match p {
        Part::Title => 3.0,
        Part::Lead => 2.0,
        Part::Body => 1.0,
        Part::Dateline => 0.0,
    }
}

fn kind_weight(kind: MentionKind) -> f64 {
    match kind {
        MentionKind::Name | MentionKind::Metonym => 1.0,
        MentionKind::Demonym => 0.9,
        MentionKind::Place => 0.8,
        MentionKind::City => 0.6,
    }
}

/// Words after a demonym or possessive that make it a news source's
/// nationality ("the Iranian news agency", "Britain's Guardian newspaper").
const SOURCE_WORDS: [&str; 12] = [
    "newspaper",
    "news agency",
    "daily",
    "weekly",
    "magazine",
    "broadcaster",
    "television",
    "radio",
    "state media",
    "media reports",
    "press agency",
    "tabloid",
];

/// Words before a place that make it a meeting venue, not a party.
const VENUE_CUES: [&str; 10] = [
    "talks in ",
    "meeting in ",
    "summit in ",
    "conference in ",
    "held in ",
    "met in ",
    "visit to ",
    "trip to ",
    "flew in from ",
    "speaking in ",
];

struct Hit<'g, 't> {
    code: CountryCode,
    part: Part,
    text: &'t str,
    weight: f64,
    note: Option<&'static str>,
    ambiguous: bool,
    either: Option<&'g [CountryCode]>,
}

/// Countries a text is about, with evidence.
pub fn countries(g: &Gazetteer, t: &TagText<'_>) -> Vec<Scored<CountryCode>> {
    ranked(g, t).0
}

/// (kept, considered but left out), each sorted by score.
pub fn ranked(
    g: &Gazetteer,
    t: &TagText<'_>,
) -> (Vec<Scored<CountryCode>>, Vec<Scored<CountryCode>>) {
    let mut hits: Vec<Hit<'_, '_>> = Vec::new();
    let title = uncap(t.title);
    collect(g, &title, 0..title.len(), Part::Title, None, &mut hits);

    let lead = clamp(t.body, t.lead.clone());
    let dateline = super::dateline::find(g, t.body, lead.start);
    let mut dateline_code = None;
    if let Some(d) = &dateline {
        dateline_code = Some(d.code);
        hits.push(Hit {
            code: d.code,
            part: Part::Dateline,
            text: t.body[d.city.clone()].trim(),
            weight: 0.0,
            note: Some("dateline"),
            ambiguous: false,
            either: None,
        });
    }
    let skip = dateline.as_ref().map(|d| d.range.clone());
    collect(
        g,
        t.body,
        0..lead.start,
        Part::Body,
        skip.clone(),
        &mut hits,
    );
    collect(g, t.body, lead.clone(), Part::Lead, skip.clone(), &mut hits);
    collect(
        g,
        t.body,
        lead.end..t.body.len(),
        Part::Body,
        skip,
        &mut hits,
    );

    // Unambiguous evidence first; ambiguous forms need it.
    let mut plain: BTreeMap<CountryCode, f64> = BTreeMap::new();
    for h in hits.iter().filter(|h| !h.ambiguous && h.either.is_none()) {
        *plain.entry(h.code).or_default() += h.weight;
    }
    for h in hits.iter_mut() {
        if let Some(cands) = h.either {
            // "Korea": whichever candidate is otherwise named most; the
            // first listed on a tie.
            let best = cands
                .iter()
                .copied()
                .max_by(|a, b| {
                    let sa = plain.get(a).copied().unwrap_or(0.0);
                    let sb = plain.get(b).copied().unwrap_or(0.0);
                    sa.total_cmp(&sb).then_with(|| {
                        let pa = cands.iter().position(|c| c == a);
                        pb_cmp(pa, cands.iter().position(|c| c == b))
                    })
                })
                .unwrap_or(h.code);
            h.code = best;
            h.note.get_or_insert("shared name, resolved from context");
        } else if h.ambiguous && plain.get(&h.code).copied().unwrap_or(0.0) <= 0.0 {
            h.weight = 0.0;
            h.note = Some("ambiguous form, not confirmed by another mention");
        }
    }

    // A dateline country the story names as well is where the story
    // happens, not only where it was filed.
    if let Some(code) = dateline_code
        && hits
            .iter()
            .any(|h| h.code == code && h.part != Part::Dateline && h.weight > 0.0)
        && let Some(d) = hits.iter_mut().find(|h| h.part == Part::Dateline)
    {
        d.weight = DATELINE_CONFIRMED;
        d.note = Some("dateline, and named in the story");
    }
    let mut scores: BTreeMap<CountryCode, (f64, Vec<Evidence>)> = BTreeMap::new();
    for h in &hits {
        let e = scores.entry(h.code).or_default();
        e.0 += h.weight;
        add_evidence(&mut e.1, h);
    }
    let mut ranked: Vec<(CountryCode, f64, Vec<Evidence>)> =
        scores.into_iter().map(|(c, (s, e))| (c, s, e)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top = ranked.first().map_or(0.0, |r| r.1);
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for (c, s, e) in ranked {
        let scored = Scored {
            tag: c,
            score: round(s),
            evidence: e,
        };
        let armed = scored
            .evidence
            .iter()
            .any(|e| e.note.as_deref() == Some(ARMED_ACTOR));
        let enough = (s >= MIN_SCORE && s >= top * MIN_SHARE) || (armed && s >= ARMED_ACTOR_MIN);
        if enough && kept.len() < MAX_COUNTRIES {
            kept.push(scored);
        } else {
            dropped.push(scored);
        }
    }
    // A story that names no country strongly enough happens where it was
    // filed: fall back to the dateline.
    if kept.is_empty()
        && let Some(code) = dateline_code
        && let Some(i) = dropped.iter().position(|d| d.tag == code)
    {
        kept.push(dropped.remove(i));
    }
    (kept, dropped)
}

fn pb_cmp(a: Option<usize>, b: Option<usize>) -> std::cmp::Ordering {
    // Earlier in the candidate list wins, so it must compare as greater.
    b.cmp(&a)
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn clamp(text: &str, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let end = r.end.min(text.len());
    let start = r.start.min(end);
    if text.is_char_boundary(start) && text.is_char_boundary(end) {
        start..end
    } else {
        0..0
    }
}

fn add_evidence(list: &mut Vec<Evidence>, h: &Hit<'_, '_>) {
    match list
        .iter_mut()
        .find(|e| e.text == h.text && e.part == h.part && e.note.as_deref() == h.note)
    {
        Some(e) => {
            e.count += 1;
            e.weight = round(e.weight + h.weight);
        }
        None => list.push(Evidence {
            text: h.text.to_string(),
            part: h.part,
            count: 1,
            weight: round(h.weight),
            note: h.note.map(std::borrow::Cow::Borrowed),
        }),
    }
}

/// Mentions in `text[range]`, weighed, appended to `hits`.
fn collect<'g, 't>(
    g: &'g Gazetteer,
    text: &'t str,
    range: std::ops::Range<usize>,
    part: Part,
    skip: Option<std::ops::Range<usize>>,
    hits: &mut Vec<Hit<'g, 't>>,
) {
    if range.is_empty() {
        return;
    }
    let slice = &text[range.clone()];
    let mentions: Vec<Mention<'g>> = if part == Part::Title {
        g.headline_mentions(slice)
    } else {
        g.mentions(slice)
    };
    let headline = part == Part::Title && super::text::is_title_case(slice);
    let brackets = if mentions.is_empty() {
        Vec::new()
    } else {
        super::text::bracket_spans(slice)
    };
    // Enumerations ("Japan, South Korea, Australia and India") are lists:
    // each item is incidental unless the story names it elsewhere too.
    let in_list = enumerations(slice, &mentions);
    for m in &mentions {
        let abs = range.start + m.start;
        if skip.as_ref().is_some_and(|s| abs >= s.start && abs < s.end) {
            continue;
        }
        let (code, kind, ambiguous, either) = match m.target {
            Target::Country {
                code,
                kind,
                ambiguous,
            } => (*code, *kind, *ambiguous, None),
            Target::Either(codes, kind) => match codes.first() {
                Some(c) => (*c, *kind, false, Some(codes.as_slice())),
                None => continue,
            },
            Target::Stop => continue,
        };
        let before = &slice[..m.start];
        let after = &slice[m.end..];
        // "HEBRON, Ill.", "Lebanon, Pa.": a place in a state or province,
        // whatever its name; but "France, Georgia" is a list of countries.
        let (code, kind, ambiguous, either) = match g.subdivision_after(after) {
            Some((c, len))
                if kind != MentionKind::Demonym
                    && !(kind == MentionKind::Name
                        && g.resolve(after[2..len].trim_end_matches([',', '.']))
                            .is_some()) =>
            {
                (c, MentionKind::City, false, None)
            }
            _ => (code, kind, ambiguous, either),
        };
        let mut weight = part_weight(part) * kind_weight(kind);
        let mut note = None;
        // Companies listed as metonyms ("Northrop", "Rostec") stand for
        // their country on purpose.
        let organisation = kind != MentionKind::Metonym
            && (super::text::in_name_at(slice, &brackets, m.start, m.end, headline)
                || (kind == MentionKind::Demonym && part_of_a_name(slice, m.start)));
        if organisation {
            // "Gibraltar Financial Corp", "<Royal Dutch Petroleum>", "Hong
            // Kong Land": an organisation; its country counts through it
            // only when the story names it otherwise too.
            weight *= 0.25;
            note = Some("part of an organisation's name");
        } else if is_source(kind, after) {
            weight *= 0.15;
            note = Some("nationality of a news source");
        } else if kind == MentionKind::Demonym && is_non_state_group(after) {
            weight *= 0.4;
            note = Some("non-state armed group");
        } else if matches!(kind, MentionKind::Place | MentionKind::City)
            && VENUE_CUES.iter().any(|c| ends_with_ci(before, c))
        {
            weight *= 0.4;
            note = Some("meeting place");
        } else if in_list.contains(&m.start) && part != Part::Title {
            weight *= 0.35;
            note = Some("one item of a list");
        } else if matches!(kind, MentionKind::Name | MentionKind::Metonym) && is_armed_actor(after)
        {
            weight *= 1.3;
            note = Some(ARMED_ACTOR);
        } else if matches!(
            kind,
            MentionKind::Name | MentionKind::Demonym | MentionKind::Metonym
        ) && is_actor(after)
        {
            weight *= 1.3;
            note = Some("actor");
        } else if kind == MentionKind::Name && ends_with_ci(before, "in ") {
            weight *= 1.2;
            note = Some("where events happen");
        }
        // "Jordan Peterson", "Chad Smith": a form followed by a capitalised
        // word is part of a person's name.
        if ambiguous && followed_by_capitalised(after) {
            weight = 0.0;
            note = Some("part of a name");
        }
        hits.push(Hit {
            code,
            part,
            text: &slice[m.start..m.end],
            weight,
            note,
            ambiguous,
            either,
        });
    }
}

/// Start offsets of mentions that are items of an enumeration of three or
/// more countries joined only by commas, "and", "or" or "&".
fn enumerations(text: &str, mentions: &[Mention<'_>]) -> Vec<usize> {
    let countryish: Vec<&Mention<'_>> = mentions
        .iter()
        .filter(|m| !matches!(m.target, Target::Stop))
        .collect();
    let joined = |a: &Mention<'_>, b: &Mention<'_>| {
        let gap = text[a.end..b.start].trim();
        let gap = gap.trim_start_matches(['\'', '’', 's']).trim();
        let gap = gap.trim_matches(',').trim();
        matches!(
            gap,
            "" | "and" | "or" | "&" | "as well as" | "and the" | "or the"
        ) || (gap.len() <= 3 && gap.chars().all(|c| c == ',' || c == ' '))
    };
    let mut out = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    for (i, m) in countryish.iter().enumerate() {
        if i > 0 && joined(countryish[i - 1], m) {
            run.push(m.start);
        } else {
            if run.len() >= 3 {
                out.append(&mut run);
            }
            run.clear();
            run.push(m.start);
        }
    }
    if run.len() >= 3 {
        out.append(&mut run);
    }
    out
}

/// Verbs and auxiliaries after a country that make it the subject.
const ACTOR_VERBS: [&str; 40] = [
    "said",
    "says",
    "has",
    "have",
    "had",
    "is",
    "was",
    "will",
    "would",
    "launched",
    "fired",
    "signed",
    "agreed",
    "announced",
    "sent",
    "deployed",
    "accused",
    "warned",
    "rejected",
    "denied",
    "bought",
    "ordered",
    "plans",
    "wants",
    "could",
    "may",
    "might",
    "must",
    "attacked",
    "invaded",
    "struck",
    "tested",
    "seized",
    "approved",
    "threatened",
    "offered",
    "received",
    "delivered",
    "supplied",
    "sold",
];

/// The note of a country that does something armed ("Russia's invasion",
/// "Iraq attacked"): named once, it is a party to the story.
const ARMED_ACTOR: &str = "actor in an armed event";

/// The least score of a country named only as an armed actor.
const ARMED_ACTOR_MIN: f64 = 1.3;

/// Verbs of armed action after a country ("Iraq attacked").
const ARMED_VERBS: [&str; 10] = [
    "attacked", "invaded", "fired", "launched", "struck", "shelled", "bombed", "seized",
    "deployed", "occupied",
];

/// Nouns of armed action or force after a country's possessive ("Russia's
/// invasion", "Iran's navy"); without the possessive they name an origin
/// ("Soviet missiles").
const ARMED_NOUNS: [&str; 16] = [
    "attack",
    "attacks",
    "invasion",
    "offensive",
    "occupation",
    "aggression",
    "troops",
    "forces",
    "army",
    "navy",
    "military",
    "missiles",
    "warships",
    "warplanes",
    "war",
    "bombing",
];

/// "Russia's unprovoked invasion", "Iraq attacked", "Iran's navy".
fn is_armed_actor(after: &str) -> bool {
    fn words(rest: &str) -> impl Iterator<Item = &str> {
        rest.split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
    }
    if let Some(rest) = after
        .strip_prefix("'s ")
        .or_else(|| after.strip_prefix("’s "))
    {
        return words(rest).take(2).any(|w| ARMED_NOUNS.contains(&w));
    }
    after
        .strip_prefix(' ')
        .is_some_and(|rest| words(rest).next().is_some_and(|w| ARMED_VERBS.contains(&w)))
}

fn is_actor(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', ',']);
    let word: &str = rest
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    after.starts_with(' ') && ACTOR_VERBS.contains(&word)
}

fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.is_char_boundary(s.len() - suffix.len())
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

fn is_source(kind: MentionKind, after: &str) -> bool {
    let rest = after
        .strip_prefix("'s")
        .or_else(|| after.strip_prefix("’s"))
        .unwrap_or(after)
        .trim_start();
    let rest = rest.strip_prefix("official ").unwrap_or(rest);
    let rest = rest.strip_prefix("state-run ").unwrap_or(rest);
    let rest = rest.strip_prefix("state ").unwrap_or(rest);
    let plausible =
        matches!(kind, MentionKind::Demonym) || after.starts_with("'s") || after.starts_with("’s");
    plausible && SOURCE_WORDS.iter().any(|w| rest.starts_with(w))
}

/// "Palestinian guerrillas", "Kurdish militants": a demonym naming an
/// armed group, not the state.
fn is_non_state_group(after: &str) -> bool {
    const GROUPS: [&str; 10] = [
        "guerrilla",
        "militant",
        "rebel",
        "insurgent",
        "separatist",
        "gunmen",
        "fighters",
        "extremist",
        "jihadist",
        "faction",
    ];
    let word = after
        .trim_start()
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    after.starts_with(' ') && GROUPS.iter().any(|g| word.starts_with(g))
}

/// Capitalised words that may stand before a demonym without making a name
/// of it ("the Former Soviet", "President Iranian" never; "In March Dutch").
const NOT_NAME_WORDS: [&str; 48] = [
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "For",
    "Of",
    "And",
    "But",
    "Or",
    "By",
    "To",
    "From",
    "With",
    "As",
    "That",
    "This",
    "Its",
    "His",
    "Her",
    "Their",
    "Both",
    "Former",
    "Then",
    "Mr",
    "President",
    "Premier",
    "Minister",
    "Foreign",
    "Prime",
    "Deputy",
    "Vice",
    "Chief",
    "General",
    "Senior",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "Royal Dutch", "First American": a demonym after a capitalised word
/// inside a sentence is part of a name.
fn part_of_a_name(slice: &str, start: usize) -> bool {
    let Some((ws, w)) = super::text::word_before(slice, start) else {
        return false;
    };
    if slice[ws + w.len()..start] != *" " || NOT_NAME_WORDS.contains(&w) || w.len() < 2 {
        return false;
    }
    let capital = w.chars().next().is_some_and(char::is_uppercase)
        && w.chars().skip(1).any(char::is_lowercase);
    let mid_sentence = slice[..ws]
        .trim_end_matches(' ')
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == ',');
    capital && mid_sentence
}

fn followed_by_capitalised(after: &str) -> bool {
    let mut chars = after.chars();
    chars.next() == Some(' ') && chars.next().is_some_and(char::is_uppercase)
}

/// An all-capitals headline ("MOSCOW STAGES NUCLEAR TEST") in title case,
/// so case-sensitive names match; short words and dotted forms ("U.S.",
/// "UK") stay as they are.
pub fn uncap(title: &str) -> String {
    let letters: Vec<char> = title.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    if letters.len() < 8 || upper * 10 < letters.len() * 9 {
        return title.to_string();
    }
    title
        .split(' ')
        .map(|w| {
            // Short words are often acronyms ("UK", "PLA") and stay; short
            // common words and name parts ("NEW YORK") do not.
            const COMMON: [&str; 14] = [
                "NEW", "THE", "SAN", "LOS", "LAS", "DEL", "AND", "FOR", "OF", "IN", "ON", "TO",
                "AT", "BY",
            ];
            if (w.len() <= 3 && !COMMON.contains(&w)) || w.contains('.') {
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

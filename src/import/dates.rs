//! Dates in news text — "Oct. 13", "13 October 2023", "Tuesday",
//! "yesterday" — resolved against a reference date, and the choice of the
//! one that dates a story.
//!
//! Which phrase wins, in order:
//!
//! 1. a date in the dateline ("MOSCOW, April 3 (Reuters) -"): the day the
//!    story was filed;
//! 2. a day attached to a reporting verb at the top of the story ("the
//!    army said on Tuesday", "on Oct. 17, officials said"): the day the news
//!    was told, which is the story's day;
//! 3. a relative day ("Tuesday", "yesterday", "today") in the lead.
//!
//! Other dates ("the exercise commenced on Oct. 13") are when events
//! happened, not when the story ran, and are never used. A phrase without a
//! year needs a reference date; without one the story gets no date.

use std::ops::Range;

use jiff::ToSpan as _;
use jiff::civil::{Date, Weekday};

/// A day named in text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Weekday(Weekday),
    /// "Oct. 13", "13 October 2023", "Tuesday, Oct. 17".
    MonthDay {
        month: i8,
        day: i8,
        year: Option<i16>,
        weekday: Option<Weekday>,
    },
    Yesterday,
    Today,
}

impl When {
    /// The most recent matching date on or before `reference` (consistent
    /// with a weekday given with it); a full date needs no reference.
    pub fn resolve(&self, reference: Option<Date>) -> Option<Date> {
        match *self {
            When::MonthDay {
                month,
                day,
                year: Some(y),
                ..
            } => Date::new(y, month, day).ok(),
            When::MonthDay {
                month,
                day,
                year: None,
                weekday,
            } => {
                let r = reference?;
                // A weekday pins the year; without one, this year or last.
                let span = if weekday.is_some() { 7 } else { 1 };
                (r.year() - span..=r.year())
                    .rev()
                    .filter_map(|y| Date::new(y, month, day).ok())
                    .find(|d| *d <= r && weekday.is_none_or(|w| d.weekday() == w))
            }
            When::Weekday(w) => {
                let r = reference?;
                (0..7)
                    .filter_map(|back| r.checked_sub(back.days()).ok())
                    .find(|d| d.weekday() == w)
            }
            When::Yesterday => reference?.yesterday().ok(),
            When::Today => reference,
        }
    }
}

/// A date phrase found in text.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    pub when: When,
    /// Byte range of the date words.
    pub range: Range<usize>,
    /// The phrase as reported: "said on Tuesday", "on Oct. 13".
    pub phrase: String,
    /// Attached to a reporting verb ("said", "announced").
    pub reporting: bool,
}

const MONTHS: [(&str, i8); 21] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
];
const MONTHS_MORE: [(&str, i8); 3] = [("oct", 10), ("nov", 11), ("dec", 12)];

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("Monday", Weekday::Monday),
    ("Tuesday", Weekday::Tuesday),
    ("Wednesday", Weekday::Wednesday),
    ("Thursday", Weekday::Thursday),
    ("Friday", Weekday::Friday),
    ("Saturday", Weekday::Saturday),
    ("Sunday", Weekday::Sunday),
];

const REPORTING: [&str; 24] = [
    "said",
    "says",
    "say",
    "announced",
    "announces",
    "told",
    "tells",
    "reported",
    "reports",
    "stated",
    "confirmed",
    "confirms",
    "added",
    "declared",
    "warned",
    "tweeted",
    "wrote",
    "posted",
    "revealed",
    "disclosed",
    "claimed",
    "noted",
    "insisted",
    "according",
];

fn month(word: &str) -> Option<i8> {
    if !word.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let w = word.to_lowercase();
    MONTHS
        .iter()
        .chain(MONTHS_MORE.iter())
        .find(|(n, _)| *n == w)
        .map(|(_, m)| *m)
}

fn weekday(word: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(n, _)| *n == word).map(|(_, w)| *w)
}

/// "13", "13th", "1st" → 13, 1.
fn day(word: &str) -> Option<i8> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !["", "st", "nd", "rd", "th"].contains(&suffix) {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year(word: &str) -> Option<i16> {
    if word.len() != 4 {
        return None;
    }
    word.parse().ok().filter(|y| (1900..=2200).contains(y))
}

/// Byte ranges of the words (runs of letters and digits) of `text`.
fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Every date phrase in `text`, in order.
pub fn mentions(text: &str) -> Vec<Mention> {
    let w = words(text);
    let word = |i: usize| w.get(i).map_or("", |r| &text[r.clone()]);
    // The characters between word i and word i + 1.
    let gap = |i: usize| match (w.get(i), w.get(i + 1)) {
        (Some(a), Some(b)) => &text[a.end..b.start],
        _ => "",
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let start = i;
        let mut found: Option<(When, usize)> = None; // (when, last word index)
        let month_day = |i: usize| -> Option<(i8, i8, Option<i16>, usize)> {
            // "Oct. 13[, 2023]" or "13 October [2023]" / "13th of October".
            if let (Some(m), Some(d)) = (month(word(i)), day(word(i + 1)))
                && [" ", ". ", "."].contains(&gap(i))
            {
                let y = year(word(i + 2)).filter(|_| [", ", " "].contains(&gap(i + 1)));
                return Some((m, d, y, i + 1 + usize::from(y.is_some())));
            }
            if let Some(d) = day(word(i)) {
                let (m_at, ok) = if word(i + 1) == "of" {
                    (i + 2, gap(i) == " " && gap(i + 1) == " ")
                } else {
                    (i + 1, gap(i) == " ")
                };
                if let Some(m) = month(word(m_at)).filter(|_| ok) {
                    let y = year(word(m_at + 1)).filter(|_| [" ", ", "].contains(&gap(m_at)));
                    return Some((m, d, y, m_at + usize::from(y.is_some())));
                }
            }
            None
        };
        if let Some(wd) = weekday(word(i)) {
            found = Some(match month_day(i + 1) {
                Some((month, day, year, end)) if [", ", " "].contains(&gap(i)) => (
                    When::MonthDay {
                        month,
                        day,
                        year,
                        weekday: Some(wd),
                    },
                    end,
                ),
                _ => (When::Weekday(wd), i),
            });
        } else if let Some((month, day, year, end)) = month_day(i) {
            let weekday = None;
            found = Some((
                When::MonthDay {
                    month,
                    day,
                    year,
                    weekday,
                },
                end,
            ));
        } else {
            match word(i).to_lowercase().as_str() {
                "yesterday" => found = Some((When::Yesterday, i)),
                "today" => found = Some((When::Today, i)),
                _ => {}
            }
        }
        let Some((when, end)) = found else {
            i += 1;
            continue;
        };
        out.push(mention(text, &w, start, end, when));
        i = end + 1;
    }
    out
}

/// Builds a mention of words `start..=end`, looking around it for "on" and
/// a reporting verb in the same sentence.
fn mention(text: &str, w: &[Range<usize>], start: usize, end: usize, when: When) -> Mention {
    let breaks = |s: &str| s.contains(['.', '!', '?', ';', '"', '“', '”', '(', ')', '\n']);
    let lower = |i: usize| text[w[i].clone()].to_lowercase();
    let mut from = w[start].start;
    let mut to = w[end].end;
    let mut reporting = false;
    // Up to six words back: "said on Tuesday", "said in a statement on Tuesday".
    let mut j = start;
    while j > 0 && start - j < 6 && !breaks(&text[w[j - 1].end..w[j].start]) {
        j -= 1;
        let word = lower(j);
        if REPORTING.contains(&word.as_str()) {
            reporting = true;
            from = w[j].start;
            break;
        }
        if j + 1 == start && ["on", "last", "this", "early", "late"].contains(&word.as_str()) {
            from = w[j].start;
        }
    }
    // Up to two words ahead: "on Oct. 17, officials said".
    let mut k = end;
    while !reporting && k + 1 < w.len() && k - end < 2 && !breaks(&text[w[k].end..w[k + 1].start]) {
        k += 1;
        if REPORTING.contains(&lower(k).as_str()) {
            reporting = true;
            to = w[k].end;
        }
    }
    Mention {
        when,
        range: w[start].start..w[end].end,
        phrase: text[from..to]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        reporting,
    }
}

/// What the text says about the story's date.
#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// A phrase dated the story.
    Phrase { date: Date, phrase: String },
    /// A phrase that cannot be resolved without a reference date.
    NeedsReference { phrase: String },
    /// The text names no day that dates the story.
    Nothing,
}

/// Picks the phrase that dates a story (see the module docs). `body` is the
/// plain text of the body (paragraphs separated by blank lines), `lead` the
/// lead paragraph's range in it, `dateline` the range of its dateline.
pub fn find(
    body: &str,
    lead: Range<usize>,
    dateline: Option<Range<usize>>,
    reference: Option<Date>,
) -> Finding {
    let lead = lead.start.min(body.len())..lead.end.min(body.len());
    // The top of the story: the lead and the two paragraphs after it.
    let mut top_end = lead.end;
    for _ in 0..2 {
        let rest = &body[top_end..];
        let next = top_end + rest.len() - rest.trim_start_matches('\n').len();
        top_end = body[next..].find("\n\n").map_or(body.len(), |i| next + i);
    }
    let all = mentions(body);
    let in_dateline = |m: &&Mention| {
        dateline
            .as_ref()
            .is_some_and(|d| m.range.start >= d.start && m.range.end <= d.end)
    };
    let relative = |m: &&Mention| {
        matches!(m.when, When::Weekday(_) | When::Yesterday | When::Today)
            && lead.contains(&m.range.start)
    };
    let candidates = all
        .iter()
        .filter(in_dateline)
        .chain(
            all.iter()
                .filter(|m| m.reporting && m.range.start >= lead.start && m.range.end <= top_end),
        )
        .chain(all.iter().filter(relative));
    let mut unresolved = None;
    for m in candidates {
        match m.when.resolve(reference) {
            Some(date) => {
                return Finding::Phrase {
                    date,
                    phrase: m.phrase.clone(),
                };
            }
            None if reference.is_none() && unresolved.is_none() => {
                unresolved = Some(m.phrase.clone());
            }
            None => {}
        }
    }
    match unresolved {
        Some(phrase) => Finding::NeedsReference { phrase },
        None => Finding::Nothing,
    }
}

/// A date in metadata: "2024-03-05", "2024-03-05T09:15:00+01:00" (the day
/// as written, in the page's own offset), or "5 March 2024".
pub fn parse_meta_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Some(d) = s.get(..10).and_then(|h| h.parse::<Date>().ok()) {
        return Some(d);
    }
    mentions(s).into_iter().find_map(|m| match m.when {
        When::MonthDay { year: Some(_), .. } => m.when.resolve(None),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn whens(t: &str) -> Vec<When> {
        mentions(t).into_iter().map(|m| m.when).collect()
    }

    #[test]
    fn finds_date_phrases() {
        let md = |month, day, year| When::MonthDay {
            month,
            day,
            year,
            weekday: None,
        };
        assert_eq!(whens("on Oct. 13 at the centre"), [md(10, 13, None)]);
        assert_eq!(whens("on October 13, 2023."), [md(10, 13, Some(2023))]);
        assert_eq!(whens("13 October 2023"), [md(10, 13, Some(2023))]);
        assert_eq!(whens("the 13th of October"), [md(10, 13, None)]);
        assert_eq!(whens("Sept. 11 attacks"), [md(9, 11, None)]);
        assert_eq!(whens("said on Tuesday"), [When::Weekday(Weekday::Tuesday)]);
        assert_eq!(whens("it said yesterday"), [When::Yesterday]);
        assert_eq!(
            whens("on Tuesday, Oct. 17"),
            [When::MonthDay {
                month: 10,
                day: 17,
                year: None,
                weekday: Some(Weekday::Tuesday)
            }]
        );
        // Not dates: a month and year, a modal verb, a number of things.
        assert!(whens("in September 2023 it may 3 times").is_empty());
        assert!(whens("in May 2015").is_empty());
    }

    #[test]
    fn reporting_verbs_are_attached() {
        let m = &mentions("the army's media wing said on Tuesday.")[0];
        assert!(m.reporting);
        assert_eq!(m.phrase, "said on Tuesday");
        let m = &mentions("It began on Oct. 17, officials said.")[0];
        assert!(m.reporting);
        assert_eq!(m.phrase, "on Oct. 17, officials said");
        let m = &mentions("The drill commenced on Oct. 13 at the range, the army said.")[0];
        assert!(!m.reporting);
        assert_eq!(m.phrase, "on Oct. 13");
        let m = &mentions("\"We are ready,\" on Tuesday")[0];
        assert!(!m.reporting);
    }

    #[test]
    fn resolves_against_a_reference() {
        let wed = date(2023, 10, 18);
        assert_eq!(
            When::Weekday(Weekday::Tuesday).resolve(Some(wed)),
            Some(date(2023, 10, 17))
        );
        assert_eq!(
            When::Weekday(Weekday::Wednesday).resolve(Some(wed)),
            Some(wed)
        );
        assert_eq!(
            When::Weekday(Weekday::Thursday).resolve(Some(wed)),
            Some(date(2023, 10, 12))
        );
        assert_eq!(When::Weekday(Weekday::Tuesday).resolve(None), None);
        assert_eq!(When::Yesterday.resolve(Some(wed)), Some(date(2023, 10, 17)));
        let oct13 = When::MonthDay {
            month: 10,
            day: 13,
            year: None,
            weekday: None,
        };
        assert_eq!(oct13.resolve(Some(wed)), Some(date(2023, 10, 13)));
        // After the reference: last year's.
        assert_eq!(
            oct13.resolve(Some(date(2023, 10, 1))),
            Some(date(2022, 10, 13))
        );
        // A weekday picks the year it fits: Tuesday, Oct. 17 is 2023's.
        let tue17 = When::MonthDay {
            month: 10,
            day: 17,
            year: None,
            weekday: Some(Weekday::Tuesday),
        };
        assert_eq!(
            tue17.resolve(Some(date(2024, 12, 1))),
            Some(date(2023, 10, 17))
        );
        let feb30 = When::MonthDay {
            month: 2,
            day: 30,
            year: Some(2023),
            weekday: None,
        };
        assert_eq!(feb30.resolve(None), None);
    }

    const SEED: &str = "ISLAMABAD: The armies have kicked off an exercise this week, the army's media wing said on Tuesday.\n\nThe two-week-long exercise commenced on Oct. 13 at the centre, the ISPR said.\n\nLast year, more.";

    #[test]
    fn the_reporting_day_dates_the_story() {
        let lead = 0..SEED.find("\n\n").unwrap();
        assert_eq!(
            find(SEED, lead.clone(), Some(0..9), Some(date(2023, 10, 18))),
            Finding::Phrase {
                date: date(2023, 10, 17),
                phrase: "said on Tuesday".into()
            }
        );
        assert_eq!(
            find(SEED, lead, Some(0..9), None),
            Finding::NeedsReference {
                phrase: "said on Tuesday".into()
            }
        );
        let t = "The exercise commenced on Oct. 13 at the centre.";
        assert_eq!(
            find(t, 0..t.len(), None, Some(date(2023, 10, 18))),
            Finding::Nothing
        );
    }

    #[test]
    fn a_dated_dateline_wins() {
        let t = "MOSCOW, April 3 (Reuters) - Russia said on Tuesday it would.";
        assert_eq!(
            find(t, 0..t.len(), Some(0..25), Some(date(2024, 4, 10))),
            Finding::Phrase {
                date: date(2024, 4, 3),
                phrase: "April 3".into()
            }
        );
        let t = "KYIV, Oct. 17, 2023 - Drones struck the city.";
        assert_eq!(
            find(t, 0..t.len(), Some(0..20), None),
            Finding::Phrase {
                date: date(2023, 10, 17),
                phrase: "Oct. 17, 2023".into()
            }
        );
    }

    #[test]
    fn meta_dates() {
        assert_eq!(
            parse_meta_date("2024-03-05T23:15:00-05:00"),
            Some(date(2024, 3, 5))
        );
        assert_eq!(
            parse_meta_date("Tue, 5 March 2024 10:00"),
            Some(date(2024, 3, 5))
        );
        assert_eq!(parse_meta_date("yesterday"), None);
    }
}

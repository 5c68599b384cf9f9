//! Datelines as wires write them, at the head of the lead: a place in
//! capitals or in title case, maybe a state, province or country, maybe a
//! date and an agency, then a dash or colon:
//!
//! ```text
//! ISLAMABAD: …                    STAMFORD, Conn., Feb 26 - …
//! Toronto, Feb 26 - …             LONDON, March 3 (Reuters) - …
//! WASHINGTON (AP) — …             NEW DELHI: …
//! ```
//!
//! A state or province ("Ill.", "Ont.", "California") places the dateline
//! in the United States or Canada whatever the city's name ("HEBRON, Ill."
//! is not Hebron in the West Bank).

use std::ops::Range;

use super::gazetteer::Gazetteer;
use crate::model::CountryCode;

/// A dateline found at the head of a lead.
#[derive(Clone, Debug, PartialEq)]
pub struct Dateline {
    /// Byte range in the body of the whole place part ("STAMFORD, Conn.").
    pub range: Range<usize>,
    /// Byte range of the city's name ("STAMFORD").
    pub city: Range<usize>,
    pub code: CountryCode,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The longest dateline looked at, up to its dash or colon.
const MAX_HEAD: usize = 80;

/// The dateline at the start of `body[lead_start..]`, if any.
pub fn find(g: &Gazetteer, body: &str, lead_start: usize) -> Option<Dateline> {
    let text = body.get(lead_start..)?;
    let lead_ws = text.len() - text.trim_start().len();
    let text = text.trim_start();
    let start = lead_start + lead_ws;
    let (cut, colon) = separator(text)?;
    let mut head = text[..cut].trim_end();
    // "(Reuters)", "(AP)": an agency.
    let mut agency = false;
    if let Some(open) = head.rfind('(')
        && head.ends_with(')')
        && head[open + 1..head.len() - 1]
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == ' ')
    {
        head = head[..open].trim_end();
        agency = true;
    }
    let mut parts: Vec<&str> = head.split(',').map(str::trim).collect();
    let mut dated = false;
    while parts.len() > 1 && parts.last().is_some_and(|p| is_date(p)) {
        parts.pop();
        dated = true;
    }
    let city = *parts.first()?;
    if !looks_like_place(city) || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let caps = is_caps(city);
    // A title-case place needs what only a dateline has: a date or an
    // agency before its dash ("Toronto, Feb 26 -"), never just a colon.
    if !caps && (colon || !(dated || agency)) {
        return None;
    }
    let code = place_code(g, &parts)?;
    let region_end = parts
        .last()
        .map_or(city.len(), |last| offset_in(text, last) + last.len());
    Some(Dateline {
        range: start..start + region_end,
        city: start..start + city.len(),
        code,
    })
}

/// Where the dateline's head ends: the first dash (" - ", " -- ", "—",
/// "–") or colon within reach, and whether it was a colon.
fn separator(text: &str) -> Option<(usize, bool)> {
    let window = &text[..floor_char_boundary(text, MAX_HEAD)];
    let dash = [" - ", " -- ", " —", "—", " –", "–"]
        .iter()
        .filter_map(|d| window.find(d))
        .min();
    let colon = window.find(':');
    match (dash, colon) {
        (Some(d), Some(c)) if c < d => Some((c, true)),
        (Some(d), _) => Some((d, false)),
        (None, Some(c)) => Some((c, true)),
        (None, None) => None,
    }
    .filter(|(at, _)| *at > 0)
}

fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The byte offset of `part` (a subslice) in `text`.
fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// "Feb 26", "March 3", "MARCH 2", "Oct. 13", "26 February", "Tuesday".
fn is_date(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    let month = |w: &str| {
        let w = w.trim_end_matches('.').to_ascii_lowercase();
        w.len() >= 3 && MONTHS.iter().any(|m| w.starts_with(m))
    };
    let number = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    match words.as_slice() {
        [m, d] => (month(m) && number(d)) || (number(m) && month(d)),
        [m, d, y] => month(m) && number(d.trim_end_matches(',')) && number(y),
        [d] => DAYS.contains(&d.to_ascii_lowercase().as_str()),
        _ => false,
    }
}

/// One to four words of letters (and ". ' ’ -"), each starting with a
/// capital, no digits: "NEW DELHI", "St. Louis", "Port-au-Prince" is not
/// (lower-case "au") but "PORT-AU-PRINCE" is.
fn looks_like_place(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    let letters = p.chars().filter(|c| c.is_alphabetic()).count();
    (1..=4).contains(&words.len())
        && letters >= 2
        && p.len() <= 40
        && p.chars().all(|c| c.is_alphabetic() || " .'’-".contains(c))
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

fn is_caps(p: &str) -> bool {
    let letters = p.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 3
        && p.chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
}

/// The country of "CITY[, REGION[, COUNTRY]]": a country named last wins,
/// then a state or province, then the city itself. A region that is also a
/// country ("Georgia") is the country only when the city is there.
fn place_code(g: &Gazetteer, parts: &[&str]) -> Option<CountryCode> {
    let city = g.place(parts[0]);
    for p in parts[1..].iter().rev() {
        let sub = g.subdivision(p);
        let country = g.resolve(p).or_else(|| g.place(p));
        match (sub, country) {
            (Some(s), Some(c)) => return Some(if city == Some(c) { c } else { s }),
            (Some(s), None) => return Some(s),
            (None, Some(c)) => return Some(c),
            (None, None) => {}
        }
    }
    city
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Option<String> {
        let g = Gazetteer::builtin().unwrap();
        find(&g, text, 0).map(|d| d.code.to_string())
    }

    fn city(text: &str) -> String {
        let g = Gazetteer::builtin().unwrap();
        let d = find(&g, text, 0).unwrap();
        text[d.city].to_string()
    }

    #[test]
    fn every_wire_style() {
        assert_eq!(code("ISLAMABAD: The army said.").as_deref(), Some("PK"));
        assert_eq!(code("NEW DELHI: The ministry said.").as_deref(), Some("IN"));
        assert_eq!(
            code("STAMFORD, Conn., Feb 26 - The company said.").as_deref(),
            Some("US")
        );
        assert_eq!(
            code("Toronto, Feb 26 - The bank said.").as_deref(),
            Some("CA")
        );
        assert_eq!(
            code("LONDON, March 3 (Reuters) - Shares fell.").as_deref(),
            Some("GB")
        );
        assert_eq!(
            code("WASHINGTON (AP) — The Senate voted.").as_deref(),
            Some("US")
        );
        assert_eq!(
            code("MOSCOW, April 3 - Officials said.").as_deref(),
            Some("RU")
        );
        assert_eq!(
            code("KYIV (Reuters) - Drones struck.").as_deref(),
            Some("UA")
        );
        assert_eq!(
            city("STAMFORD, Conn., Feb 26 - The company said."),
            "STAMFORD"
        );
    }

    #[test]
    fn states_and_provinces_place_any_city() {
        assert_eq!(
            code("HEBRON, Ill., March 2 - A farm co-op said.").as_deref(),
            Some("US")
        );
        assert_eq!(
            code("ALEXANDRIA, Va., May 4 - A firm said.").as_deref(),
            Some("US")
        );
        assert_eq!(
            code("Birmingham, Ala., June 1 - A bank said.").as_deref(),
            Some("US")
        );
        assert_eq!(
            code("LONDON, Ont., March 9 - A maker said.").as_deref(),
            Some("CA")
        );
        assert_eq!(
            code("PARIS, Texas, Jan 5 - A mill said.").as_deref(),
            Some("US")
        );
        assert_eq!(
            code("ROCHESTER, N.Y., March 11 - A utility said.").as_deref(),
            Some("US")
        );
        assert_eq!(
            code("TBILISI, Georgia, May 2 - Officials said.").as_deref(),
            Some("GE")
        );
        assert_eq!(
            code("ATLANTA, Georgia, May 2 - A bank said.").as_deref(),
            Some("US")
        );
        // A place the gazetteer does not know, in a known state.
        assert_eq!(
            code("LANSDALE, Pa., March 30 - Shr 66 cts.").as_deref(),
            Some("US")
        );
    }

    #[test]
    fn ordinary_sentences_are_not_datelines() {
        assert_eq!(code("The minister said: we will go."), None);
        assert_eq!(code("Paris said - in a statement - it would."), None);
        assert_eq!(
            code("London: the markets fell."),
            None,
            "title case with a colon"
        );
        assert_eq!(
            code("Shares of the company rose 5 pct, traders said."),
            None
        );
        assert_eq!(code(""), None);
        assert_eq!(
            code("ÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉ: x"),
            None
        );
    }
}

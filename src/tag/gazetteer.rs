//! Countries: ISO codes and names from keshvar, plus the checked-in
//! `data/gazetteer.toml` (aliases, demonyms, places, metonyms, historical
//! names, ambiguous forms, stop-phrases), compiled into one aho-corasick
//! automaton (leftmost-longest, case-sensitive, whole words).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use anyhow::Context as _;
use serde::Deserialize;

use crate::model::CountryCode;

const BUILTIN: &str = include_str!("../../data/gazetteer.toml");
const CITIES: &str = include_str!("../../data/cities.tsv");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGazetteer {
    stop: RawStop,
    country: Vec<RawCountry>,
    #[serde(default)]
    ambiguous_between: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStop {
    phrases: Vec<String>,
    origin_suffixes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountry {
    code: String,
    #[serde(default)]
    display: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    demonyms: Vec<String>,
    #[serde(default)]
    places: Vec<String>,
    #[serde(default)]
    metonyms: Vec<String>,
    #[serde(default)]
    historical: Vec<String>,
    #[serde(default)]
    ambiguous: Vec<String>,
    #[serde(default)]
    subdivisions: Vec<String>,
}

/// How a surface form refers to its country.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MentionKind {
    Name,
    Demonym,
    Place,
    /// A large city from the GeoNames-derived list.
    City,
    Metonym,
}

/// What a matched surface form means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// One country; `ambiguous` when the form often means something else
    /// ("Jordan" the name, "Georgia" the US state).
    Country {
        code: CountryCode,
        kind: MentionKind,
        ambiguous: bool,
    },
    /// A form shared by several countries ("Korea", "Congo").
    Either(Vec<CountryCode>, MentionKind),
    /// A stop-phrase: matched so that it hides the country name inside it.
    Stop,
}

/// One country's facts.
#[derive(Clone, Debug)]
pub struct CountryInfo {
    pub code: CountryCode,
    /// Common English name ("Russia", not "Russian Federation").
    pub name: String,
    /// UN M49 region and sub-region slugs ("asia", "southern-asia").
    pub region: Option<String>,
    pub subregion: Option<String>,
}

/// A mention found in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention<'g> {
    pub start: usize,
    pub end: usize,
    pub target: &'g Target,
}

pub struct Gazetteer {
    countries: BTreeMap<CountryCode, CountryInfo>,
    /// Lower-cased names, aliases and codes for front-matter normalisation.
    lookup: HashMap<String, CountryCode>,
    /// Lower-cased single-country forms and cities, for datelines.
    places: HashMap<String, CountryCode>,
    automaton: AhoCorasick,
    targets: Vec<Target>,
    /// Bytes some form starts with.
    first_bytes: [bool; 256],
    origin_suffixes: Vec<String>,
    /// States and provinces, lower-cased, with their dots ("ill.", "n.y.",
    /// "ontario"): a place followed by one is in its country.
    subdivisions: HashMap<String, CountryCode>,
    /// The stop-phrases again, in any case ("SEA OF JAPAN", "Iran Arms
    /// Affair" in a headline).
    stops_any_case: AhoCorasick,
}

/// Capitalised words that make a country's name before them part of a
/// place's ("Turkey Point", "Panama City", "Lebanon Valley").
const PLACE_WORDS: [&str; 22] = [
    "Point", "Hill", "Hills", "Creek", "Lake", "Bay", "Beach", "Springs", "City", "County",
    "Street", "Road", "Avenue", "Park", "Valley", "Falls", "Harbor", "Harbour", "Mountain",
    "Township", "Canyon", "Ridge",
];

/// What ISO data (keshvar) gives: every country, its names for lookup,
/// and the forms that mention it in text.
struct Iso {
    countries: BTreeMap<CountryCode, CountryInfo>,
    lookup: HashMap<String, CountryCode>,
    forms: BTreeMap<String, Target>,
}

/// The names of a country in ISO data besides its short and long names,
/// lower-cased: "iran, islamic republic of" (the short name's other
/// order), "islamic republic of iran" (the long name without "The") and
/// the common names ("iran").
fn other_iso_names(c: &keshvar::Country) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let short = c.iso_short_name();
    if let Some((head, rest)) = short.split_once(" (")
        && let Some(inner) = rest.strip_suffix(')')
    {
        names.insert(format!("{head}, {inner}"));
        names.insert(format!("{inner} {head}"));
    }
    let long = c.iso_long_name();
    names.insert(long.strip_prefix("The ").unwrap_or(long).to_string());
    names.extend(c.unofficial_name_list().iter().map(|n| (*n).to_string()));
    names.into_iter().map(|n| n.trim().to_lowercase()).collect()
}

impl Iso {
    fn from_keshvar() -> Iso {
        let mut countries = BTreeMap::new();
        let mut lookup = HashMap::new();
        let mut forms: BTreeMap<String, Target> = BTreeMap::new();
        let mut demonym_owner: BTreeMap<String, (u64, CountryCode)> = BTreeMap::new();
        // Every other way ISO data writes a country's name, for front
        // matter; a name two countries share is neither's.
        let mut also: BTreeMap<String, Vec<CountryCode>> = BTreeMap::new();

        for c in keshvar::CountryIterator::new() {
            let Some(code) = CountryCode::new(&c.alpha2().to_string()) else {
                continue;
            };
            let iso = c.iso_short_name();
            lookup.insert(code.as_str().to_ascii_lowercase(), code);
            lookup.insert(iso.to_lowercase(), code);
            lookup.insert(c.iso_long_name().to_lowercase(), code);
            for name in other_iso_names(&c) {
                also.entry(name).or_default().push(code);
            }
            if !iso.contains(['(', ',']) {
                forms.insert(iso.to_string(), country_target(code, MentionKind::Name));
            }
            if let Some(n) = c.maybe_nationality() {
                // "Norwegian" is also Svalbard's and "American" American
                // Samoa's: a shared adjective goes to the most populous.
                let pop = c.maybe_population().unwrap_or(0);
                let best = demonym_owner.get(n).is_none_or(|(p, _)| pop > *p);
                if best {
                    demonym_owner.insert(n.to_string(), (pop, code));
                }
            }
            countries.insert(
                code,
                CountryInfo {
                    code,
                    name: iso.to_string(),
                    region: c.maybe_region().map(|r| r.to_string()),
                    subregion: c.maybe_subregion().map(|r| r.to_string()),
                },
            );
        }

        for (n, (_, code)) in demonym_owner {
            forms.insert(n, country_target(code, MentionKind::Demonym));
        }
        for (name, codes) in also {
            if let [code] = codes[..] {
                lookup.entry(name).or_insert(code);
            }
        }
        Iso {
            countries,
            lookup,
            forms,
        }
    }
}

impl Gazetteer {
    /// The built-in gazetteer.
    pub fn builtin() -> anyhow::Result<Gazetteer> {
        Self::builtin_for(super::Workload::Many)
    }

    /// The built-in gazetteer, its automaton built for `work`.
    pub fn builtin_for(work: super::Workload) -> anyhow::Result<Gazetteer> {
        Self::from_data(BUILTIN, CITIES, work.kind()).context("data/gazetteer.toml (built in)")
    }

    /// Builds a gazetteer from gazetteer TOML and a cities TSV
    /// (`name<TAB>code<TAB>population`, `#` comments).
    pub fn from_data(
        text: &str,
        cities: &str,
        kind: aho_corasick::AhoCorasickKind,
    ) -> anyhow::Result<Gazetteer> {
        let raw: RawGazetteer = toml::from_str(text)?;
        let Iso {
            mut countries,
            mut lookup,
            mut forms,
        } = Iso::from_keshvar();
        let mut subdivisions = HashMap::new();
        for rc in &raw.country {
            let code = CountryCode::new(&rc.code)
                .filter(|c| countries.contains_key(c))
                .with_context(|| format!("unknown country code {:?}", rc.code))?;
            if let Some(d) = &rc.display {
                if let Some(info) = countries.get_mut(&code) {
                    info.name = d.clone();
                }
                lookup.insert(d.to_lowercase(), code);
                forms.insert(d.clone(), country_target(code, MentionKind::Name));
            }
            let groups: [(&Vec<String>, MentionKind); 5] = [
                (&rc.aliases, MentionKind::Name),
                (&rc.historical, MentionKind::Name),
                (&rc.demonyms, MentionKind::Demonym),
                (&rc.places, MentionKind::Place),
                (&rc.metonyms, MentionKind::Metonym),
            ];
            for (list, kind) in groups {
                for f in list {
                    if kind == MentionKind::Name {
                        lookup.insert(f.to_lowercase(), code);
                    }
                    forms.insert(f.clone(), country_target(code, kind));
                }
            }
            for f in &rc.subdivisions {
                subdivisions.insert(f.to_lowercase(), code);
            }
            for f in &rc.ambiguous {
                if let Some(Target::Country { ambiguous, .. }) = forms.get_mut(f) {
                    *ambiguous = true;
                }
            }
        }
        for (form, codes) in &raw.ambiguous_between {
            let codes: Vec<CountryCode> =
                codes.iter().filter_map(|c| CountryCode::new(c)).collect();
            const DEMONYM_ENDINGS: [&str; 8] = ["an", "ans", "ese", "i", "is", "er", "ers", "ish"];
            let kind = if DEMONYM_ENDINGS.iter().any(|e| form.ends_with(e)) {
                MentionKind::Demonym
            } else {
                MentionKind::Name
            };
            forms.insert(form.clone(), Target::Either(codes, kind));
        }
        for p in &raw.stop.phrases {
            forms.insert(p.clone(), Target::Stop);
        }
        let stops_any_case = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .ascii_case_insensitive(true)
            .kind(Some(kind))
            .build(&raw.stop.phrases)?;
        for line in cities.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            if let (Some(name), Some(code)) = (cols.next(), cols.next())
                && let Some(code) = CountryCode::new(code).filter(|c| countries.contains_key(c))
            {
                forms
                    .entry(name.to_string())
                    .or_insert_with(|| country_target(code, MentionKind::City));
            }
        }
        let mut places = HashMap::new();
        for (form, t) in &forms {
            if let Target::Country { code, kind, .. } = t
                && *kind != MentionKind::Demonym
            {
                places.insert(form.to_lowercase(), *code);
            }
        }

        let (patterns, targets): (Vec<String>, Vec<Target>) = forms
            .into_iter()
            .filter(|(f, _)| !f.trim().is_empty())
            .unzip();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .kind(Some(kind))
            .build(&patterns)?;
        let mut first_bytes = [false; 256];
        for p in &patterns {
            if let Some(b) = p.as_bytes().first() {
                first_bytes[usize::from(*b)] = true;
            }
        }
        Ok(Gazetteer {
            countries,
            lookup,
            places,
            automaton,
            targets,
            first_bytes,
            origin_suffixes: raw.stop.origin_suffixes,
            subdivisions,
            stops_any_case,
        })
    }

    pub fn info(&self, code: CountryCode) -> Option<&CountryInfo> {
        self.countries.get(&code)
    }

    pub fn all(&self) -> impl Iterator<Item = &CountryInfo> {
        self.countries.values()
    }

    /// Display name of a code ("Russia"); the code itself if unknown.
    pub fn name(&self, code: CountryCode) -> String {
        self.info(code)
            .map_or_else(|| code.to_string(), |i| i.name.clone())
    }

    /// Normalises a front-matter value: "PK", "pk", "Pakistan", "pakistan".
    pub fn resolve(&self, value: &str) -> Option<CountryCode> {
        let v = value.trim();
        if let Some(code) = CountryCode::new(v)
            && self.countries.contains_key(&code)
        {
            return Some(code);
        }
        self.lookup.get(&v.to_lowercase()).copied()
    }

    /// The country whose name is nearest to an unknown `value`, when it
    /// looks like a misspelling of one ("Pakstan", "Korea South").
    pub fn nearest(&self, value: &str) -> Option<CountryCode> {
        let mut names: Vec<(&str, CountryCode)> =
            self.lookup.iter().map(|(n, c)| (n.as_str(), *c)).collect();
        names.sort_unstable();
        crate::suggest::nearest(value, names)
    }

    /// The country of a place name in any case ("ISLAMABAD", "New York").
    pub fn place(&self, name: &str) -> Option<CountryCode> {
        self.places.get(&name.trim().to_lowercase()).copied()
    }

    /// The country of a state or province as datelines write it, in any
    /// case ("Ill.", "N.Y.", "Calif.", "Ontario", "ONT.").
    pub fn subdivision(&self, name: &str) -> Option<CountryCode> {
        self.subdivisions.get(&name.trim().to_lowercase()).copied()
    }

    /// A state or province right after a place: `after` starts with ", "
    /// and a subdivision that ends at a word boundary ("HEBRON, Ill., said"
    /// → US). Returns its country and the length of `after` it takes.
    pub fn subdivision_after(&self, after: &str) -> Option<(CountryCode, usize)> {
        let rest = after.strip_prefix(", ")?;
        if !rest.starts_with(|c: char| c.is_ascii_uppercase()) {
            return None;
        }
        // One to three words: "Ill.", "N.Y.", "New Mexico", "Prince Edward Island".
        let mut best = None;
        let mut end = 0;
        for _ in 0..3 {
            let next = rest[end..]
                .find(|c: char| !(c.is_alphabetic() || c == '.'))
                .map_or(rest.len(), |i| end + i);
            if next == end {
                break;
            }
            if let Some(code) = self.subdivision(&rest[..next]) {
                best = Some((code, 2 + next));
            }
            if !rest[next..].starts_with(' ') {
                break;
            }
            end = next + 1;
        }
        best
    }

    /// Whole-word mentions in `text`, stop-phrases and weapon-origin
    /// adjectives ("Chinese-made") left out.
    pub fn mentions<'g>(&'g self, text: &str) -> Vec<Mention<'g>> {
        self.mentions_in(text, false)
    }

    /// [`mentions`](Self::mentions) in a headline, where stop-phrases may
    /// be written in capitals or title case ("SEA OF JAPAN", "Iran Arms
    /// Affair"); running text writes them as listed.
    pub fn headline_mentions<'g>(&'g self, text: &str) -> Vec<Mention<'g>> {
        self.mentions_in(text, true)
    }

    fn mentions_in<'g>(&'g self, text: &str, headline: bool) -> Vec<Mention<'g>> {
        // Every form starts a word, and nearly all start with a capital: an
        // anchored search at each word start that could begin one visits a
        // small part of the text instead of scanning all of it.
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if !self.first_bytes[usize::from(bytes[i])]
                || !text.is_char_boundary(i)
                || text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            {
                i += 1;
                continue;
            }
            let input = Input::new(text).range(i..).anchored(Anchored::Yes);
            let Some(m) = self.automaton.find(input) else {
                i += 1;
                continue;
            };
            let (s, e) = (m.start(), m.end());
            if !is_boundary(text, s, e) {
                i += 1;
                continue;
            }
            i = e;
            let target = &self.targets[m.pattern().as_usize()];
            if matches!(target, Target::Stop) {
                continue;
            }
            let after = &text[e..];
            if self
                .origin_suffixes
                .iter()
                .any(|suf| after.starts_with(suf.as_str()))
                || is_part_of_place(target, after)
            {
                continue;
            }
            out.push(Mention {
                start: s,
                end: e,
                target,
            });
        }
        if headline {
            out.retain(|m| !self.in_stop_any_case(text, m.start));
        }
        out
    }

    /// Whether a stop-phrase in any case ("SEA OF JAPAN", "Iran Arms
    /// Affair") covers `pos`: one starting there or up to three words
    /// before it.
    fn in_stop_any_case(&self, text: &str, pos: usize) -> bool {
        let b = text.as_bytes();
        let mut start = pos;
        for _ in 0..4 {
            let input = Input::new(text).range(start..).anchored(Anchored::Yes);
            if let Some(m) = self.stops_any_case.find(input)
                && m.end() > pos
                && is_boundary(text, m.start(), m.end())
            {
                return true;
            }
            // The start of the word before.
            let mut s = start;
            while s > 0 && !b[s - 1].is_ascii_alphanumeric() {
                s -= 1;
                if start - s > 3 {
                    return false;
                }
            }
            while s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'.') {
                s -= 1;
            }
            if s == start || !text.is_char_boundary(s) {
                return false;
            }
            start = s;
        }
        false
    }
}

/// "Turkey Point", "Panama City": a country's name followed by a word for a
/// kind of place names that place, not the country.
fn is_part_of_place(target: &Target, after: &str) -> bool {
    let name = matches!(
        target,
        Target::Country {
            kind: MentionKind::Name,
            ..
        }
    );
    name && after.strip_prefix(' ').is_some_and(|rest| {
        let word = rest
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        PLACE_WORDS.contains(&word)
    })
}

fn country_target(code: CountryCode, kind: MentionKind) -> Target {
    Target::Country {
        code,
        kind,
        ambiguous: false,
    }
}

/// The match is a whole word: no letter or digit touches either end. A form
/// ending in "." ("U.S.") may be followed by anything.
fn is_boundary(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    let matched_last = text[s..e].chars().next_back();
    // "U.S.-led": fine; "USAF": not "US".
    !word(before) && (!word(after) || matched_last == Some('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> Gazetteer {
        Gazetteer::builtin().expect("built-in gazetteer parses")
    }

    fn codes(g: &Gazetteer, text: &str) -> Vec<String> {
        g.mentions(text)
            .iter()
            .filter_map(|m| match m.target {
                Target::Country { code, .. } => Some(code.to_string()),
                Target::Either(c, _) => Some(format!("{c:?}")),
                Target::Stop => None,
            })
            .collect()
    }

    #[test]
    fn resolves_codes_and_names() {
        let g = g();
        let pk = CountryCode::new("PK").unwrap();
        for v in ["PK", "pk", "Pakistan", "pakistan", " Pakistan "] {
            assert_eq!(g.resolve(v), Some(pk), "{v}");
        }
        assert_eq!(
            g.resolve("United States").map(|c| c.to_string()).as_deref(),
            Some("US")
        );
        assert_eq!(
            g.resolve("Russia").map(|c| c.to_string()).as_deref(),
            Some("RU")
        );
        assert_eq!(g.resolve("Pakistn"), None);
        assert_eq!(g.resolve("XX"), None);
    }

    #[test]
    fn finds_names_demonyms_capitals() {
        let g = g();
        assert_eq!(
            codes(&g, "Pakistani troops met in Moscow with Russian officers."),
            ["PK", "RU", "RU"]
        );
    }

    #[test]
    fn whole_words_only_and_stop_phrases() {
        let g = g();
        // "US" inside "USAF" is no match; "USAF" itself names the US Air Force.
        assert!(codes(&g, "The USAFE flew; BUS stops.").is_empty());
        assert_eq!(codes(&g, "The USAF flew."), ["US"]);
        assert!(codes(&g, "Ships in the South China Sea and the Sea of Japan.").is_empty());
        assert!(codes(&g, "A Chinese-made drone.").is_empty());
        assert!(codes(&g, "We ate turkey.").is_empty());
    }

    #[test]
    fn longest_name_wins() {
        let g = g();
        assert_eq!(codes(&g, "Papua New Guinea"), ["PG"]);
        assert_eq!(codes(&g, "South Sudan"), ["SS"]);
        assert_eq!(codes(&g, "Guinea-Bissau"), ["GW"]);
    }

    #[test]
    fn every_country_has_a_display_name_and_region_data() {
        let g = g();
        assert!(g.all().count() >= 249);
        assert_eq!(g.name(CountryCode::new("RU").unwrap()), "Russia");
        assert_eq!(g.name(CountryCode::new("US").unwrap()), "United States");
        assert!(g.all().all(|c| !c.name.contains('(')));
    }
}

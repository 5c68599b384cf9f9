//! What the story clustering compares of an article: the word shingles of
//! its headline and lead (for copies, with `check`'s MinHash machinery),
//! the content words of its headline and of its lead (for reports of one
//! event), its countries and its day. Words are hashed once; nothing here
//! keeps a string.

use crate::check::dups;
use crate::model::{Article, CountryCode};

/// Words that say nothing about which event a report is about.
const STOP: &[&str] = &[
    "the",
    "and",
    "for",
    "with",
    "from",
    "that",
    "this",
    "has",
    "have",
    "had",
    "was",
    "were",
    "are",
    "its",
    "his",
    "her",
    "their",
    "after",
    "over",
    "into",
    "onto",
    "says",
    "said",
    "say",
    "will",
    "would",
    "could",
    "may",
    "new",
    "not",
    "but",
    "been",
    "out",
    "about",
    "than",
    "more",
    "also",
    "amid",
    "against",
    "under",
    "who",
    "what",
    "which",
    "when",
    "where",
    "while",
    "two",
    "one",
    "three",
    "four",
    "five",
    "pct",
    "per",
    "cent",
    "percent",
    "reuters",
    "update",
    "updated",
    "urgent",
    "report",
    "reports",
    "official",
    "officials",
    "told",
    "on",
    "in",
    "of",
    "to",
    "at",
    "by",
    "as",
    "an",
    "a",
    "is",
    "it",
    "be",
    "or",
    "up",
];

/// The lead's first words that count: a wire lead is its first sentence or
/// two, and the rest of a long summary is not about the event.
const LEAD_WORDS: usize = 60;

/// One article as the clustering sees it.
#[derive(Clone, Debug)]
pub(super) struct Features {
    /// Days since 1970-01-01.
    pub(super) day: i32,
    /// Sorted, distinct shingle hashes of headline and lead.
    pub(super) shingles: Vec<u64>,
    /// The MinHash band keys of the shingles, when there are enough of
    /// them to judge (made once, with the features, in parallel).
    pub(super) bands: Option<[(usize, u64); dups::BANDS]>,
    /// Sorted, distinct hashes of the headline's content words.
    pub(super) title: Vec<u64>,
    /// Sorted, distinct hashes of the lead's first content words.
    pub(super) lead: Vec<u64>,
    pub(super) countries: Vec<CountryCode>,
}

/// The day number of a date.
pub fn day_of(d: jiff::civil::Date) -> i32 {
    let epoch = jiff::civil::date(1970, 1, 1);
    let secs = d.duration_since(epoch).as_secs();
    i32::try_from(secs.div_euclid(86_400)).unwrap_or(i32::MAX)
}

/// Hashes of the content words of `text`, first `limit` of them, sorted
/// and distinct.
pub(super) fn words(text: &str, limit: usize) -> Vec<u64> {
    let mut out: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .take(limit)
        .map(|w| dups::hash_bytes(w.as_bytes()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl Features {
    /// The features of a dated article; `None` for an undated one, which
    /// is a story of its own.
    pub(super) fn of(a: &Article) -> Option<Features> {
        let day = day_of(a.date?);
        let text = format!("{}\n{}", a.title, a.summary_text);
        let shingles = dups::shingles(&text);
        let bands = (shingles.len() >= dups::MIN_SHINGLES)
            .then(|| dups::band_keys(&dups::signature(&shingles)));
        Some(Features {
            day,
            bands,
            shingles,
            title: words(&a.title, usize::MAX),
            lead: words(&a.summary_text, LEAD_WORDS),
            countries: a.countries.clone(),
        })
    }

    /// Whether the two share a country. Reports about no country are of
    /// one event only when they are copies: nothing else places them.
    pub(super) fn same_place(&self, other: &Features) -> bool {
        self.countries.iter().any(|c| other.countries.contains(c))
    }
}

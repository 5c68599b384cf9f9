//! Pure data types of the pipeline: no I/O here. An article's body and
//! tag explanations may be kept apart from it, in the build cache; they
//! are then read through [`Parts`] (see [`kept`]).

mod explain;
mod kept;

use std::fmt;
use std::path::PathBuf;

use jiff::civil::{Date, Time};
use jiff::tz::Offset;
use serde::{Deserialize, Serialize};

pub use explain::{Evidence, Explanation, Part, TagKind};
pub use kept::{Body, Explanations, Kept, NoParts, Parts, Unreadable};

/// An ISO 3166-1 alpha-2 country code, always stored upper-case ("PK").
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Builds a code from two ASCII letters, in any case.
    pub fn new(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic) {
            Some(Self([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]))
        } else {
            None
        }
    }

    /// "PK"
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// "pk", as used in URLs.
    pub fn lower(&self) -> String {
        self.as_str().to_ascii_lowercase()
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

impl Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// From the string [`Serialize`] writes; anything but two ASCII letters
/// is an error.
impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Code;
        impl serde::de::Visitor<'_> for Code {
            type Value = CountryCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a two-letter country code")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<CountryCode, E> {
                CountryCode::new(s)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(s), &self))
            }
        }
        d.deserialize_str(Code)
    }
}

/// Where an article's tags of one kind came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TagOrigin {
    /// Given in front matter.
    Explicit,
    /// Inferred by the tagger.
    #[default]
    Auto,
}

/// A tag given in front matter, with the 1-based line and column of its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawTag {
    pub value: String,
    pub line: usize,
    pub col: usize,
}

/// An article as loaded from disk and rendered to HTML, before tagging.
#[derive(Clone, Debug)]
pub struct Article {
    /// Path relative to the site root, with `/` separators ("content/2023/x.md").
    pub source_path: PathBuf,
    /// Hash of the source path and bytes: equal fingerprints, equal articles
    /// (under one configuration).
    pub fingerprint: u64,
    /// URL slug, safe as a single path segment.
    pub slug: String,
    pub title: String,
    /// The article's own civil date: it files the article by day, week
    /// and month, whatever its offset.
    pub date: Option<Date>,
    /// Its time of day, on that date, when it gives one.
    pub time: Option<Time>,
    /// The UTC offset of that time, when it gives one (`+14:00`, `Z`); a
    /// time without one is read as UTC.
    pub offset: Option<Offset>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// Where the story was filed ("Islamabad"), from front matter.
    pub dateline: Option<String>,
    pub draft: bool,
    /// Summary as HTML (inline or block).
    pub summary_html: String,
    /// Summary as plain text, for meta descriptions and the search index.
    pub summary_text: String,
    /// Body as HTML, or where it is kept apart.
    pub body_html: Body,
    /// Plain text of the whole body (paragraphs separated by blank lines):
    /// the tagger's input. The tag stage drops it once the article is
    /// tagged (and the build cache does not keep it), so pages cannot show
    /// it.
    pub body_text: String,
    /// Byte range of the lead paragraph in `body_text`.
    pub lead: std::ops::Range<usize>,
    pub word_count: usize,
    /// Tags from front matter, not yet normalised.
    pub raw_countries: Option<Vec<RawTag>>,
    pub raw_topics: Option<Vec<RawTag>>,
    /// Automatic tags the editor ruled out.
    pub not_countries: Vec<RawTag>,
    pub not_topics: Vec<RawTag>,
    /// Front-matter `auto_tag`: overrides the site's setting.
    pub auto_tag: Option<bool>,
    /// Why each automatic tag was given, or where that is kept apart.
    pub explanations: Explanations,
    /// Hash of what places the article in the site (slug, date, tags,
    /// source); see
    /// [`Article::placement_key`]. Set by the tag stage.
    pub placement: u64,
    /// Final tags (after the tag stage), in order of salience.
    pub countries: Vec<CountryCode>,
    pub topics: Vec<String>,
    pub countries_origin: TagOrigin,
    pub topics_origin: TagOrigin,
    /// How much the article is about defence and security, from 0 to 1
    /// (set by the tag stage; templates show it as `article.relevance`).
    /// Below the site's `min_relevance` an article whose topics are left to
    /// the tagger is off-topic ([`Article::is_off_topic`]).
    pub relevance: f64,
}

impl Article {
    /// A hash of what places the article in the site's groupings: slug,
    /// date, time, countries, topics and relevance, which decides whether
    /// it is off-topic, and what its outlet is resolved from, `source` and
    /// `url` (not its text).
    pub fn placement_key(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        (
            &self.slug,
            self.date,
            self.time,
            &self.countries,
            &self.topics,
            &self.source,
            &self.url,
            self.relevance.to_bits(),
        )
            .hash(&mut h);
        h.finish()
    }

    /// When the article is dated, as it gives it.
    pub fn when(&self) -> Option<When> {
        Some(When {
            date: self.date?,
            time: self.time,
            offset: self.offset,
        })
    }

    /// Whether the article is off-topic: its topics are left to the tagger
    /// (no front-matter `topics`, automatic tagging on for it, `auto_tag`
    /// being the site's setting) and its relevance is below `min_relevance`.
    /// Such an article gets no security topic.
    pub fn is_off_topic(&self, min_relevance: f64, auto_tag: bool) -> bool {
        self.topics_origin == TagOrigin::Auto
            && self.auto_tag.unwrap_or(auto_tag)
            && self.relevance < min_relevance
    }

    /// Sort key: newest first, undated last. Within a day, by time
    /// (newest first; articles without a time after those with one), then
    /// in import order: by file name, as `milbrief import` names files in
    /// the order it writes them. Never by title.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            std::cmp::Reverse(self.date),
            std::cmp::Reverse(self.time),
            self.source_path.as_path(),
            self.slug.as_str(),
        )
    }
}

/// When an article is dated, as it gives it: its own civil date, and its
/// time of day and UTC offset when it gives them. Listings file it by the
/// civil date; what machines read (feeds, the sitemap, OpenGraph) is the
/// instant, printed in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct When {
    pub date: Date,
    pub time: Option<Time>,
    pub offset: Option<Offset>,
}

impl When {
    /// The instant, when the article gives a time: its civil date and time
    /// at its offset (UTC when it gives none).
    pub fn instant(&self) -> Option<jiff::Timestamp> {
        let dt = self.date.to_datetime(self.time?);
        self.offset.unwrap_or(Offset::UTC).to_timestamp(dt).ok()
    }

    /// RFC 3339 in UTC, to the second, as Atom wants it: the instant, or
    /// midnight UTC of the date when the article gives no time.
    pub fn rfc3339_utc(&self) -> String {
        match self.instant() {
            Some(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            None => format!("{}T00:00:00Z", self.date),
        }
    }

    /// A W3C datetime, for the sitemap and OpenGraph: the instant in UTC,
    /// or the date alone when the article gives no time.
    pub fn w3c(&self) -> String {
        match self.instant() {
            Some(_) => self.rfc3339_utc(),
            None => self.date.to_string(),
        }
    }
}

/// A finished output file: a path relative to the output root and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Relative path with `/` separators, e.g. "countries/pk/index.html".
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Output {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

#[cfg(test)]
impl Article {
    pub(crate) fn blank(slug: &str) -> Self {
        Article {
            source_path: PathBuf::from(format!("content/{slug}.md")),
            fingerprint: 0,
            slug: slug.to_string(),
            title: slug.to_string(),
            date: None,
            time: None,
            offset: None,
            source: None,
            url: None,
            author: None,
            dateline: None,
            draft: false,
            summary_html: String::new(),
            summary_text: String::new(),
            body_html: Body::default(),
            lead: 0..0,
            body_text: String::new(),
            word_count: 0,
            raw_countries: None,
            raw_topics: None,
            not_countries: Vec::new(),
            not_topics: Vec::new(),
            auto_tag: None,
            explanations: Explanations::default(),
            placement: 0,
            countries: Vec::new(),
            topics: Vec::new(),
            countries_origin: TagOrigin::Auto,
            topics_origin: TagOrigin::Auto,
            relevance: 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_normalise_case() {
        assert_eq!(CountryCode::new("pk").unwrap().as_str(), "PK");
        assert_eq!(
            CountryCode::new("Pk").unwrap(),
            CountryCode::new("PK").unwrap()
        );
        assert!(CountryCode::new("PAK").is_none());
        assert!(CountryCode::new("p1").is_none());
        assert_eq!(CountryCode::new("pk").unwrap().lower(), "pk");
    }

    #[test]
    fn a_time_is_printed_in_utc_at_its_offset() {
        let when = |time, offset: Option<i32>| When {
            date: jiff::civil::date(2025, 1, 1),
            time,
            offset: offset.map(|h| Offset::from_seconds(h * 3600).unwrap()),
        };
        let half_past = Some(jiff::civil::time(0, 30, 0, 0));
        // Fourteen hours ahead of UTC: the day before, in UTC.
        let w = when(half_past, Some(14));
        assert_eq!(w.rfc3339_utc(), "2024-12-31T10:30:00Z");
        assert_eq!(w.w3c(), "2024-12-31T10:30:00Z");
        assert_eq!(
            when(half_past, Some(-5)).rfc3339_utc(),
            "2025-01-01T05:30:00Z"
        );
        // No offset: UTC.
        assert_eq!(when(half_past, None).rfc3339_utc(), "2025-01-01T00:30:00Z");
        // No time: the date, at midnight UTC where a datetime is needed.
        let d = when(None, Some(14));
        assert_eq!(d.rfc3339_utc(), "2025-01-01T00:00:00Z");
        assert_eq!(d.w3c(), "2025-01-01");
        // The ends of the supported range convert.
        let first = When {
            date: jiff::civil::date(1, 1, 1),
            time: half_past,
            offset: Some(Offset::from_seconds(14 * 3600).unwrap()),
        };
        assert_eq!(first.rfc3339_utc(), "0000-12-31T10:30:00Z");
    }

    /// Parts in memory, by index; those of article 3 cannot be read.
    #[derive(Default)]
    struct InMemory {
        bodies: Vec<String>,
        explanations: Vec<Vec<Explanation>>,
    }

    #[derive(Debug)]
    struct Lost;

    impl fmt::Display for Lost {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("lost")
        }
    }

    impl std::error::Error for Lost {}

    impl Parts for InMemory {
        fn body(&self, at: Kept) -> Result<&str, Unreadable> {
            let i = at.index as usize;
            match self.bodies.get(i) {
                Some(b) if i != 3 => Ok(b),
                _ => Err(Unreadable::new(Lost)),
            }
        }

        fn explanations(&self, at: Kept) -> Result<&[Explanation], Unreadable> {
            let i = at.index as usize;
            match self.explanations.get(i) {
                Some(l) if i != 3 => Ok(l),
                _ => Err(Unreadable::new(Lost)),
            }
        }
    }

    fn explanation(tag: &str) -> Explanation {
        Explanation {
            kind: TagKind::Country,
            tag: tag.to_string(),
            score: 1.5,
            evidence: Vec::new(),
        }
    }

    fn kept(index: u32) -> Kept {
        Kept { shard: 0, index }
    }

    #[test]
    fn kept_bodies_read_as_their_text() {
        let texts = ["<p>a</p>", "<p>é🇵🇰</p>", "", "lost"];
        let parts = InMemory {
            bodies: texts.iter().map(|t| t.to_string()).collect(),
            ..InMemory::default()
        };
        let kept: Vec<Body> = (0..texts.len() as u32)
            .map(|i| Body::Kept(kept(i)))
            .collect();
        assert_eq!(kept[0].read(&parts).unwrap(), "<p>a</p>");
        assert_eq!(kept[1].read(&parts).unwrap(), "<p>é🇵🇰</p>");
        assert_eq!(
            kept[1].read(&parts).unwrap(),
            Body::from("<p>é🇵🇰</p>").read(&NoParts).unwrap()
        );
        assert_eq!(kept[1].clone(), kept[1]);
        assert_eq!(kept[1].own(), None);
        assert_eq!(kept[2].read(&parts).unwrap(), "");
        assert_eq!(Body::default().own(), Some(""));
        // A body that cannot be read is an error, and says why.
        let e = kept[3].read(&parts).unwrap_err();
        assert_eq!(e.to_string(), "lost");
        assert!(kept[0].read(&NoParts).is_err(), "nowhere to read it from");
    }

    #[test]
    fn kept_explanations_read_as_their_list() {
        let lists = vec![
            vec![explanation("PK"), explanation("RU")],
            Vec::new(),
            Vec::new(),
            vec![explanation("lost")],
        ];
        let parts = InMemory {
            explanations: lists.clone(),
            ..InMemory::default()
        };
        let mut kept: Vec<Explanations> = (0..lists.len() as u32)
            .map(|i| Explanations::Kept(kept(i)))
            .collect();
        assert_eq!(kept[0].read(&parts).unwrap(), &lists[0][..]);
        assert_eq!(
            kept[0].read(&parts).unwrap(),
            Explanations::from(lists[0].clone()).own().unwrap()
        );
        assert!(kept[1].read(&parts).unwrap().is_empty());
        // Adding to a kept list replaces it; clearing makes a list of its own.
        kept[0].push(explanation("UA"));
        assert_eq!(kept[0].own().unwrap().len(), 1);
        kept[1].clear();
        assert_eq!(kept[1].own(), Some(&[][..]));
        assert_eq!(parts.explanations[0].len(), 2);
        // A list that cannot be read is an error.
        assert!(kept[3].read(&parts).is_err());
    }

    #[test]
    fn undated_articles_sort_last() {
        let mut a = Article::blank("a");
        a.date = Some(jiff::civil::date(2023, 10, 1));
        let b = Article::blank("b");
        let mut c = Article::blank("c");
        c.date = Some(jiff::civil::date(2023, 10, 2));
        let mut v = [&b, &a, &c];
        v.sort_by(|x, y| x.sort_key().cmp(&y.sort_key()));
        let order: Vec<_> = v.iter().map(|x| x.slug.as_str()).collect();
        assert_eq!(order, ["c", "a", "b"]);
    }
}

//! Pure data types of the pipeline: no I/O here. An article's body and
//! tag explanations may be kept apart from it, in the build cache; they
//! are then read through [`Parts`] (see [`kept`]).

mod explain;
mod kept;

use std::fmt;
use std::path::PathBuf;

use jiff::civil::{Date, Time};
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

    /// The flag emoji: two regional indicator symbols.
    pub fn flag(&self) -> String {
        self.0
            .iter()
            .filter_map(|b| char::from_u32(0x1F1E6 + u32::from(b - b'A')))
            .collect()
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
    pub date: Option<Date>,
    pub time: Option<Time>,
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
    /// Hash of what places the article in the site (slug, date, tags); see
    /// [`Article::placement_key`]. Set by the tag stage.
    pub placement: u64,
    /// Final tags (after the tag stage), in order of salience.
    pub countries: Vec<CountryCode>,
    pub topics: Vec<String>,
    pub countries_origin: TagOrigin,
    pub topics_origin: TagOrigin,
}

impl Article {
    /// A hash of what places the article in the site's groupings: slug,
    /// date, time, countries and topics (not its text).
    pub fn placement_key(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        (
            &self.slug,
            self.date,
            self.time,
            &self.countries,
            &self.topics,
        )
            .hash(&mut h);
        h.finish()
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
    fn flags_are_regional_indicators() {
        assert_eq!(CountryCode::new("PK").unwrap().flag(), "🇵🇰");
        assert_eq!(CountryCode::new("ru").unwrap().flag(), "🇷🇺");
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

//! Pure data types of the pipeline: no I/O here.

use std::fmt;
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

use crate::tag::Explanation;

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
    /// Body as HTML.
    pub body_html: Body,
    /// Plain text of the whole body (paragraphs separated by blank lines):
    /// the tagger's input. `build` and `serve` drop it once the article is
    /// tagged (and the build cache does not keep it), so pages must not
    /// show it.
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
    /// Why each automatic tag was given.
    pub explanations: Explanations,
    /// Hash of what places the article in the site (slug, date, tags); see
    /// [`Article::placement_key`]. Set by the tag stage.
    pub placement: u64,
    /// Final tags (after the tag stage), in order of salience.
    pub countries: Vec<CountryCode>,
    pub topics: Vec<String>,
    pub countries_origin: TagOrigin,
    pub topics_origin: TagOrigin,
    /// How much the article is about defence and security, from 0 to 1
    /// (set by the tag stage; templates show it as `article.relevance`).
    pub relevance: f64,
    /// Below the site's `min_relevance`, its topics left to the tagger:
    /// `[tagging] off_topic = "hide"` keeps it out of editions and the
    /// front page.
    pub off_topic: bool,
}

impl Article {
    /// A hash of what places the article in the site's groupings: slug,
    /// date, time, countries, topics and whether it is off-topic (not its
    /// text).
    pub fn placement_key(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        (
            &self.slug,
            self.date,
            self.time,
            &self.countries,
            &self.topics,
            self.off_topic,
        )
            .hash(&mut h);
        h.finish()
    }

    /// Sort key: newest first, undated last, then by title and slug.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            std::cmp::Reverse(self.date),
            std::cmp::Reverse(self.time),
            self.title.as_str(),
            self.slug.as_str(),
        )
    }
}

/// An article's body HTML: a string of its own (an article parsed from
/// Markdown), or one body of a [`PartSource`] that many articles share (an
/// article loaded from the build cache, see [`crate::cache`]), which
/// spares the cache one string per article, most of them never shown by a
/// rebuild. It reads as a `&str` either way.
#[derive(Clone)]
pub struct Body(BodyRepr);

#[derive(Clone)]
enum BodyRepr {
    Owned(String),
    /// The body of article `index` of `source`.
    Shared {
        source: Arc<dyn PartSource>,
        index: usize,
    },
}

/// Where the parts of articles that a rebuild seldom needs (bodies and
/// explanations) come from when they are shared: a build cache shard,
/// which reads or decodes each when first asked for.
pub trait PartSource: Send + Sync {
    /// The body of article `index`; `None` when it cannot be had
    /// (unreadable, damaged, no such article), in which case the source
    /// must count itself as damaged, so that the build that asked does not
    /// use what it made with it.
    fn body(&self, index: usize) -> Option<&str>;

    /// The explanations of article `index`; `None` as for [`Self::body`].
    fn explanations(&self, index: usize) -> Option<&Vec<Explanation>>;
}

impl Body {
    /// The body of article `index` of `source`.
    pub fn shared(source: Arc<dyn PartSource>, index: usize) -> Body {
        Body(BodyRepr::Shared { source, index })
    }

    /// The text, or `None` when a shared body cannot be had.
    pub fn get(&self) -> Option<&str> {
        match &self.0 {
            BodyRepr::Owned(s) => Some(s),
            BodyRepr::Shared { source, index } => source.body(*index),
        }
    }

    /// The text; empty when a shared body cannot be had (its source then
    /// counts as damaged, see [`PartSource::body`]).
    pub fn as_str(&self) -> &str {
        self.get().unwrap_or_default()
    }

    /// Frees the unused capacity of a body of its own.
    pub fn shrink_to_fit(&mut self) {
        if let BodyRepr::Owned(s) = &mut self.0 {
            s.shrink_to_fit();
        }
    }
}

impl Default for Body {
    fn default() -> Body {
        Body(BodyRepr::Owned(String::new()))
    }
}

impl From<String> for Body {
    fn from(s: String) -> Body {
        Body(BodyRepr::Owned(s))
    }
}

impl From<&str> for Body {
    fn from(s: &str) -> Body {
        Body(BodyRepr::Owned(s.to_string()))
    }
}

impl Deref for Body {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Body {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// Equal when the texts are, however they are held.
impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Body {}

/// As the string it holds, however it is held.
impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why each automatic tag of an article was given: a list of its own,
/// or the explanations of an article of a [`PartSource`], decoded when
/// first asked for (a rebuild shows few of them: only re-rendered article
/// pages do). It reads as a `Vec<Explanation>` either way; changing it
/// makes it a list of its own.
#[derive(Clone, Default)]
pub struct Explanations {
    /// The list, when it is not shared.
    own: Vec<Explanation>,
    /// The article of a source whose explanations these are.
    shared: Option<(Arc<dyn PartSource>, usize)>,
}

/// What a shared list that cannot be had reads as.
static NO_EXPLANATIONS: Vec<Explanation> = Vec::new();

impl Explanations {
    /// The explanations of article `index` of `source`.
    pub fn shared(source: Arc<dyn PartSource>, index: usize) -> Explanations {
        Explanations {
            own: Vec::new(),
            shared: Some((source, index)),
        }
    }

    /// The list, or `None` when a shared one cannot be had.
    pub fn get(&self) -> Option<&Vec<Explanation>> {
        match &self.shared {
            None => Some(&self.own),
            Some((source, index)) => source.explanations(*index),
        }
    }
}

impl From<Vec<Explanation>> for Explanations {
    fn from(own: Vec<Explanation>) -> Explanations {
        Explanations { own, shared: None }
    }
}

/// The list; empty when a shared one cannot be had (its source then
/// counts as damaged, see [`PartSource::body`]).
impl Deref for Explanations {
    type Target = Vec<Explanation>;

    fn deref(&self) -> &Vec<Explanation> {
        self.get().unwrap_or(&NO_EXPLANATIONS)
    }
}

/// Makes a shared list one of its own first.
impl std::ops::DerefMut for Explanations {
    fn deref_mut(&mut self) -> &mut Vec<Explanation> {
        if let Some((source, index)) = self.shared.take() {
            self.own = source.explanations(index).cloned().unwrap_or_default();
        }
        &mut self.own
    }
}

/// Equal when the lists are, however they are held.
impl PartialEq for Explanations {
    fn eq(&self, other: &Explanations) -> bool {
        **self == **other
    }
}

/// As the list it holds, however it is held.
impl fmt::Debug for Explanations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
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
            relevance: 0.0,
            off_topic: false,
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

    /// Parts in memory; those of article 3 cannot be had.
    #[derive(Default)]
    struct Parts {
        bodies: Vec<String>,
        explanations: Vec<Vec<Explanation>>,
        damaged: std::sync::atomic::AtomicBool,
    }

    impl Parts {
        fn seen<T>(&self, index: usize, part: Option<T>) -> Option<T> {
            let part = part.filter(|_| index != 3);
            if part.is_none() {
                self.damaged
                    .store(true, std::sync::atomic::Ordering::Relaxed);
            }
            part
        }

        fn damaged(&self) -> bool {
            self.damaged.load(std::sync::atomic::Ordering::Relaxed)
        }
    }

    impl PartSource for Parts {
        fn body(&self, index: usize) -> Option<&str> {
            self.seen(index, self.bodies.get(index).map(String::as_str))
        }

        fn explanations(&self, index: usize) -> Option<&Vec<Explanation>> {
            self.seen(index, self.explanations.get(index))
        }
    }

    fn explanation(tag: &str) -> Explanation {
        Explanation {
            kind: "country",
            tag: tag.to_string(),
            score: 1.5,
            evidence: Vec::new(),
        }
    }

    #[test]
    fn shared_bodies_read_as_their_text() {
        let texts = ["<p>a</p>", "<p>é🇵🇰</p>", "", "lost"];
        let source = Arc::new(Parts {
            bodies: texts.iter().map(|t| t.to_string()).collect(),
            ..Parts::default()
        });
        let shared: Vec<Body> = (0..texts.len())
            .map(|i| Body::shared(source.clone(), i))
            .collect();
        assert_eq!(&*shared[0], "<p>a</p>");
        assert_eq!(shared[1].as_str(), "<p>é🇵🇰</p>");
        assert_eq!(shared[1], Body::from("<p>é🇵🇰</p>"));
        assert_eq!(shared[1].clone(), shared[1]);
        assert_eq!(format!("{:?}", shared[1]), format!("{:?}", "<p>é🇵🇰</p>"));
        assert_eq!(shared[2].get(), Some(""));
        assert_eq!(&*Body::default(), "");
        assert!(!source.damaged());
        // A body that cannot be had reads as empty, and its source knows.
        assert_eq!(shared[3].get(), None);
        assert_eq!(&*shared[3], "");
        assert!(source.damaged());
    }

    #[test]
    fn shared_explanations_read_as_their_list() {
        let lists = vec![
            vec![explanation("PK"), explanation("RU")],
            Vec::new(),
            Vec::new(),
            vec![explanation("lost")],
        ];
        let source = Arc::new(Parts {
            explanations: lists.clone(),
            ..Parts::default()
        });
        let mut shared: Vec<Explanations> = (0..lists.len())
            .map(|i| Explanations::shared(source.clone(), i))
            .collect();
        assert_eq!(*shared[0], lists[0]);
        assert_eq!(shared[0], Explanations::from(lists[0].clone()));
        assert_eq!(format!("{:?}", shared[0]), format!("{:?}", lists[0]));
        assert!(shared[1].is_empty());
        // Changing a shared list changes a copy of its own.
        shared[0].push(explanation("UA"));
        assert_eq!(shared[0].len(), 3);
        assert_eq!(source.explanations[0].len(), 2);
        assert_eq!(*Explanations::shared(source.clone(), 0), lists[0]);
        assert!(!source.damaged());
        // A list that cannot be had reads as empty, and its source knows.
        assert_eq!(shared[3].get(), None);
        assert!(shared[3].is_empty());
        assert!(source.damaged());
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

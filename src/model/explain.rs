//! Why an article carries its automatic tags: the tag stage writes these,
//! the article page shows them ("Why these tags"), the build cache keeps
//! them and `milbrief tags --explain` prints them.

use std::borrow::Cow;

use serde::Serialize;

/// The kind of a tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TagKind {
    Country,
    Topic,
}

impl TagKind {
    /// "country" or "topic".
    pub fn as_str(self) -> &'static str {
        match self {
            TagKind::Country => "country",
            TagKind::Topic => "topic",
        }
    }
}

/// Compares with the name templates see ("country", "topic").
impl PartialEq<&str> for TagKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Where a piece of evidence stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Title,
    Lead,
    Body,
    Dateline,
}

impl Part {
    pub fn label(self) -> &'static str {
        match self {
            Part::Title => "headline",
            Part::Lead => "lead",
            Part::Body => "body",
            Part::Dateline => "dateline",
        }
    }
}

/// A phrase that counted for (or was discounted from) a tag.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    pub text: String,
    pub part: Part,
    pub count: usize,
    /// Total weight these occurrences added.
    pub weight: f64,
    /// Why the weight was reduced, if it was: one of the tagger's own notes,
    /// or the same text read back from the build cache.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Cow<'static, str>>,
}

/// Why an article carries one automatic tag, for "Why these tags".
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Explanation {
    pub kind: TagKind,
    pub tag: String,
    pub score: f64,
    pub evidence: Vec<Evidence>,
}

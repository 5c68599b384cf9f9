//! The parts of an article a rebuild seldom needs, its body and its tag
//! explanations, may be kept apart from it: an article loaded from the
//! build cache holds only where they are ([`Kept`]), and a page that shows
//! them reads them through [`Parts`], which the cache implements (reading
//! and checking each part when first asked for). A part that cannot be read
//! is an error value, [`Unreadable`]: the build that asked for it starts
//! again from the articles' files.

use std::fmt;
use std::sync::Arc;

use super::Explanation;

/// Where a part of an article is kept apart from it: a shard of the build
/// cache and the article's position in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Kept {
    pub shard: u32,
    pub index: u32,
}

/// An article's body HTML: its own (an article parsed from Markdown), or
/// kept apart (an article loaded from the build cache, which spares the
/// cache one string per article, most of them never shown by a rebuild).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Own(String),
    Kept(Kept),
}

impl Body {
    /// The text, read through `parts` when it is kept apart.
    pub fn read<'a>(&'a self, parts: &'a dyn Parts) -> Result<&'a str, Unreadable> {
        match self {
            Body::Own(s) => Ok(s),
            Body::Kept(at) => parts.body(*at),
        }
    }

    /// The text, when the article holds it.
    pub fn own(&self) -> Option<&str> {
        match self {
            Body::Own(s) => Some(s),
            Body::Kept(_) => None,
        }
    }

    /// Frees the unused capacity of a body of its own.
    pub fn shrink_to_fit(&mut self) {
        if let Body::Own(s) = self {
            s.shrink_to_fit();
        }
    }
}

impl Default for Body {
    fn default() -> Body {
        Body::Own(String::new())
    }
}

impl From<String> for Body {
    fn from(s: String) -> Body {
        Body::Own(s)
    }
}

impl From<&str> for Body {
    fn from(s: &str) -> Body {
        Body::Own(s.to_string())
    }
}

/// Why each automatic tag of an article was given: a list of its own, or
/// kept apart (a rebuild shows few of them: only re-rendered article pages
/// do).
#[derive(Clone, Debug, PartialEq)]
pub enum Explanations {
    Own(Vec<Explanation>),
    Kept(Kept),
}

impl Explanations {
    /// The list, read through `parts` when it is kept apart.
    pub fn read<'a>(&'a self, parts: &'a dyn Parts) -> Result<&'a [Explanation], Unreadable> {
        match self {
            Explanations::Own(list) => Ok(list),
            Explanations::Kept(at) => parts.explanations(*at),
        }
    }

    /// The list, when the article holds it.
    pub fn own(&self) -> Option<&[Explanation]> {
        match self {
            Explanations::Own(list) => Some(list),
            Explanations::Kept(_) => None,
        }
    }

    /// Makes the list an empty one of the article's own: the tag stage
    /// starts here before it adds explanations with [`push`](Self::push).
    pub fn clear(&mut self) {
        *self = Explanations::Own(Vec::new());
    }

    /// Adds an explanation to a list of the article's own; a kept list is
    /// replaced by a list holding it alone.
    pub fn push(&mut self, x: Explanation) {
        match self {
            Explanations::Own(list) => list.push(x),
            Explanations::Kept(_) => *self = Explanations::Own(vec![x]),
        }
    }
}

impl Default for Explanations {
    fn default() -> Explanations {
        Explanations::Own(Vec::new())
    }
}

impl From<Vec<Explanation>> for Explanations {
    fn from(list: Vec<Explanation>) -> Explanations {
        Explanations::Own(list)
    }
}

/// Reads the parts of articles kept apart from them.
pub trait Parts: Send + Sync {
    /// The body kept at `at`.
    fn body(&self, at: Kept) -> Result<&str, Unreadable>;

    /// The explanations kept at `at`.
    fn explanations(&self, at: Kept) -> Result<&[Explanation], Unreadable>;
}

/// No parts kept apart: every article holds its own (a build without the
/// cache, `serve`, `check`).
pub struct NoParts;

impl Parts for NoParts {
    fn body(&self, _: Kept) -> Result<&str, Unreadable> {
        Err(Unreadable::new(NotKept))
    }

    fn explanations(&self, _: Kept) -> Result<&[Explanation], Unreadable> {
        Err(Unreadable::new(NotKept))
    }
}

/// What [`NoParts`] says.
#[derive(Debug)]
struct NotKept;

impl fmt::Display for NotKept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a part of an article is kept apart, but there is no build cache to read it from",
        )
    }
}

impl std::error::Error for NotKept {}

/// A part of an article kept apart that cannot be read, and why: the
/// store's own error, shown as it shows itself.
#[derive(Clone, Debug)]
pub struct Unreadable(Arc<dyn std::error::Error + Send + Sync>);

impl Unreadable {
    pub fn new(why: impl std::error::Error + Send + Sync + 'static) -> Unreadable {
        Unreadable(Arc::new(why))
    }
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Unreadable {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

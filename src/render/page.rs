//! Pages: every output the renderer makes is a [`Page`], a small `Copy`
//! key naming its kind and which one of the kind, so that a list of every
//! page of a site costs little and its pages can be rendered in any order
//! and any batches.
//!
//! A kind of page is one type implementing [`Kind`]: which pages of the
//! kind the site has, which of them can show an edited article, where each
//! goes, what each shows (its inputs), and how it is made from them. Its
//! fingerprint hashes those inputs, and it is made from them alone (and
//! from what is the same on every page, [`Fixed`]), so a rebuild renders
//! every page whose output can differ. Adding a kind of page is one new
//! `impl Kind` and its name in the list at the end of this file.

use std::hash::{Hash, Hasher};

use super::fixed::{Document, Fixed};
use super::kinds::{self, Changed};
use super::{RenderError, Renderer};
use crate::model::{Output, Unreadable, When};

/// What a kind of page makes of its inputs.
pub(super) enum Made {
    /// An HTML page, through its template.
    Page(Document),
    /// A file written directly: a feed, the sitemap, the search index (or
    /// any bytes, such as an image).
    File(Vec<u8>),
}

/// A kind of page.
pub(super) trait Kind {
    /// Which page of the kind.
    type Key: Copy + Eq + Hash + std::fmt::Debug;
    /// Everything a page of the kind shows that is not the same on every
    /// page: its fingerprint hashes it, and the page is made from it.
    type Inputs<'r>: Hash;
    /// Whether the sitemap lists the kind's pages.
    const IN_SITEMAP: bool;

    /// Every page of the kind the site has, in order.
    fn each(r: &Renderer<'_>, out: &mut Vec<Self::Key>);

    /// With the site's structure unchanged, the pages of the kind that can
    /// show an article of `changed`; `None` when it cannot tell (every page
    /// is then looked at).
    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<Self::Key>) -> Option<()>;

    /// The output path of a page.
    fn path(r: &Renderer<'_>, key: Self::Key) -> String;

    /// When the page last changed, as the sitemap tells it.
    fn lastmod(_r: &Renderer<'_>, _key: Self::Key) -> Option<When> {
        None
    }

    /// What a page shows.
    fn inputs<'r>(r: &'r Renderer<'_>, key: Self::Key) -> Self::Inputs<'r>;

    /// The page, from its inputs.
    fn make(f: &Fixed<'_>, inputs: Self::Inputs<'_>) -> Result<Made, Unreadable>;
}

/// A hash of everything the page `key` shows: equal fingerprints, equal
/// pages. Articles enter by their cards' hashes or their own fingerprints,
/// so this costs a few hashes per article shown, not a render. (A page's
/// fingerprint is only ever compared with the one its path had.)
fn fingerprint<K: Kind>(r: &Renderer<'_>, key: K::Key) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    r.salt.hash(&mut h);
    K::inputs(r, key).hash(&mut h);
    h.finish()
}

/// Renders the page `key` at `path`.
fn render<K: Kind>(r: &Renderer<'_>, key: K::Key, path: String) -> Result<Output, RenderError> {
    match K::make(&r.fixed, K::inputs(r, key))? {
        Made::File(bytes) => Ok(Output::new(path, bytes)),
        Made::Page(doc) => r.fixed.html(doc, path, r.tera, r.templates),
    }
}

/// Adds the keys `add` gives to `pages`, as pages of kind `K`.
fn gather<K: Kind>(
    pages: &mut Vec<Page>,
    wrap: fn(K::Key) -> Page,
    add: impl FnOnce(&mut Vec<K::Key>) -> Option<()>,
) -> Option<()> {
    let mut keys = Vec::new();
    add(&mut keys)?;
    pages.extend(keys.into_iter().map(wrap));
    Some(())
}

macro_rules! page_kinds {
    ($($kind:ident),+ $(,)?) => {
        /// One page of the site: its kind, and which one of the kind.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub(super) enum Page {
            $($kind(<kinds::$kind as Kind>::Key)),+
        }

        impl Page {
            /// Every page of the site, kind by kind in the order listed.
            pub(super) fn all(r: &Renderer<'_>) -> Vec<Page> {
                let mut pages = Vec::new();
                $(
                    gather::<kinds::$kind>(&mut pages, Page::$kind, |keys| {
                        kinds::$kind::each(r, keys);
                        Some(())
                    });
                )+
                pages
            }

            /// The pages that can show an article of `changed`, each once.
            pub(super) fn showing(r: &Renderer<'_>, changed: &Changed) -> Option<Vec<Page>> {
                let mut pages = Vec::new();
                $(
                    gather::<kinds::$kind>(&mut pages, Page::$kind, |keys| {
                        kinds::$kind::showing(r, changed, keys)
                    })?;
                )+
                let mut seen = std::collections::HashSet::with_capacity(pages.len());
                pages.retain(|p| seen.insert(*p));
                Some(pages)
            }

            /// How many pages the sitemap lists.
            pub(super) fn sitemapped(r: &Renderer<'_>) -> usize {
                let mut n = 0;
                $(
                    if <kinds::$kind as Kind>::IN_SITEMAP {
                        let mut keys = Vec::new();
                        kinds::$kind::each(r, &mut keys);
                        n += keys.len();
                    }
                )+
                n
            }

            /// The page directories the sitemap lists, in order, with the
            /// date of articles.
            pub(super) fn sitemap(r: &Renderer<'_>) -> Vec<(String, Option<When>)> {
                let mut urls = Vec::new();
                $(
                    if <kinds::$kind as Kind>::IN_SITEMAP {
                        let mut keys = Vec::new();
                        kinds::$kind::each(r, &mut keys);
                        urls.extend(keys.into_iter().map(|k| {
                            let p = kinds::$kind::path(r, k);
                            let dir = p
                                .strip_suffix(crate::urls::INDEX_FILE)
                                .unwrap_or(&p)
                                .to_string();
                            (dir, kinds::$kind::lastmod(r, k))
                        }));
                    }
                )+
                urls
            }

            /// The output path of the page.
            pub(super) fn path(self, r: &Renderer<'_>) -> String {
                match self {
                    $(Page::$kind(k) => kinds::$kind::path(r, k)),+
                }
            }

            /// A hash of everything the page shows.
            pub(super) fn fingerprint(self, r: &Renderer<'_>) -> u64 {
                match self {
                    $(Page::$kind(k) => fingerprint::<kinds::$kind>(r, k)),+
                }
            }

            /// Renders the page (at `path`, its path).
            pub(super) fn render(self, r: &Renderer<'_>, path: String) -> Result<Output, RenderError> {
                match self {
                    $(Page::$kind(k) => render::<kinds::$kind>(r, k, path)),+
                }
            }
        }
    };
}

// Every kind of page, in the order the site lists them (the sitemap's
// order).
page_kinds![
    Front,
    Article,
    Countries,
    Country,
    Topics,
    Topic,
    Archive,
    Month,
    Editions,
    Edition,
    EditionsFeed,
    Relations,
    Pair,
    Region,
    Sources,
    Source,
    Search,
    SearchIndex,
    SearchShard,
    SiteFeed,
    CountryFeed,
    TopicFeed,
    PairFeed,
    SourceFeed,
    NotFound,
    Flag,
    Robots,
    Sitemap,
];

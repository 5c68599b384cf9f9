//! The outlets a site's articles come from, resolved once per index pass:
//! each article's source by its front matter `source` (a known name or
//! alias), else by its URL's domain. A `source` that is not a known name
//! is an outlet too, named as the newest article writes it, with a slug
//! of its own: every source an article names gets a page. An article with
//! no `source` whose URL's domain is not known has no outlet.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use super::{Kind, Sources, name_key, url_host};
use crate::model::{Article, CountryCode};

/// The longest slug an unknown source gets (a page directory's name).
const MAX_SLUG: usize = 80;

/// An outlet as the site shows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Outlet {
    /// `/sources/<slug>/`, unique among the site's outlets.
    pub slug: String,
    /// The name as listed; for an unknown source, as written.
    pub name: String,
    /// `None`: not a known source.
    pub kind: Option<Kind>,
    pub country: Option<CountryCode>,
    /// Why the kind was given (for state-affiliated, public-media and
    /// official sources).
    pub provenance: Option<String>,
}

/// The site's outlets and who wrote what.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outlets {
    /// The outlets with articles, slugs ascending.
    pub list: Vec<Outlet>,
    /// Each article's outlet (a position in `list`), by article position.
    pub of: Vec<Option<u32>>,
    /// Each outlet's articles (positions ascending), as `list`.
    pub articles: Vec<Vec<usize>>,
}

/// What an article's source resolved to, before slots are numbered.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Found {
    Known(usize),
    /// An unknown name: the position of its first article (newest).
    Unknown(usize),
}

impl Outlets {
    /// The outlets of `articles` (in site order, newest first).
    pub fn of(sources: &Sources, articles: &[Arc<Article>]) -> Outlets {
        let mut by_name: HashMap<&str, Option<Found>> = HashMap::new();
        let mut unknown: HashMap<String, usize> = HashMap::new();
        let mut by_host: HashMap<String, Option<usize>> = HashMap::new();
        let found: Vec<Option<Found>> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| match a.source.as_deref().map(str::trim) {
                Some(name) if !name.is_empty() => {
                    *by_name
                        .entry(name)
                        .or_insert_with(|| match sources.by_name(name) {
                            Some(s) => Some(Found::Known(sources.position(s))),
                            None => unknown_slot(&mut unknown, name, i),
                        })
                }
                _ => {
                    let host = url_host(a.url.as_deref()?)?;
                    let known = match by_host.entry(host) {
                        Entry::Occupied(o) => *o.get(),
                        Entry::Vacant(v) => {
                            let k = sources.by_host(v.key()).map(|s| sources.position(s));
                            *v.insert(k)
                        }
                    };
                    known.map(Found::Known)
                }
            })
            .collect();
        Outlets::number(sources, articles, found)
    }

    /// Gives each outlet found its slot, slugs ascending.
    fn number(sources: &Sources, articles: &[Arc<Article>], found: Vec<Option<Found>>) -> Outlets {
        let mut distinct: Vec<Found> = found.iter().flatten().copied().collect();
        distinct.sort_unstable_by_key(|f| match *f {
            Found::Known(k) => (0, k),
            Found::Unknown(i) => (1, i),
        });
        distinct.dedup();
        // Known sources first, so that an unknown name never takes a
        // listed source's slug.
        let mut taken: HashMap<String, ()> = HashMap::new();
        let mut made: Vec<(Outlet, Found)> = Vec::with_capacity(distinct.len());
        for f in distinct {
            let outlet = match f {
                Found::Known(k) => {
                    let s = &sources.all()[k];
                    Outlet {
                        slug: s.slug.clone(),
                        name: s.name.clone(),
                        kind: Some(s.kind),
                        country: s.country,
                        provenance: s.provenance.clone(),
                    }
                }
                Found::Unknown(i) => {
                    let name = articles[i].source.as_deref().unwrap_or_default().trim();
                    let base = short_slug(name);
                    let mut slug = base.clone();
                    let mut n = 2;
                    while taken.contains_key(&slug) || sources.get(&slug).is_some() {
                        slug = format!("{base}-{n}");
                        n += 1;
                    }
                    Outlet {
                        slug,
                        name: name.to_string(),
                        kind: None,
                        country: None,
                        provenance: None,
                    }
                }
            };
            taken.insert(outlet.slug.clone(), ());
            made.push((outlet, f));
        }
        made.sort_by(|a, b| a.0.slug.cmp(&b.0.slug));
        let slot: HashMap<Found, u32> = made
            .iter()
            .enumerate()
            .map(|(k, (_, f))| (*f, k as u32))
            .collect();
        let of: Vec<Option<u32>> = found.iter().map(|f| f.map(|f| slot[&f])).collect();
        let mut lists = vec![Vec::new(); made.len()];
        for (i, k) in of.iter().enumerate() {
            if let Some(k) = k {
                lists[*k as usize].push(i);
            }
        }
        Outlets {
            list: made.into_iter().map(|(o, _)| o).collect(),
            of,
            articles: lists,
        }
    }

    /// The outlet of the article at `i`.
    pub fn of_article(&self, i: usize) -> Option<&Outlet> {
        self.of
            .get(i)
            .copied()
            .flatten()
            .map(|k| &self.list[k as usize])
    }

    /// The position of the outlet `slug`.
    pub fn position(&self, slug: &str) -> Option<usize> {
        self.list
            .binary_search_by(|o| o.slug.as_str().cmp(slug))
            .ok()
    }
}

/// The slot of an unknown name: names equal as compared share one, named
/// as their first (newest) article writes it. `None` when the name gives
/// no slug (punctuation alone).
fn unknown_slot(unknown: &mut HashMap<String, usize>, name: &str, i: usize) -> Option<Found> {
    if short_slug(name).is_empty() {
        return None;
    }
    Some(Found::Unknown(*unknown.entry(name_key(name)).or_insert(i)))
}

/// A name's slug, cut at a hyphen to at most [`MAX_SLUG`] bytes.
fn short_slug(name: &str) -> String {
    let mut s = slug::slugify(name);
    if s.len() > MAX_SLUG {
        let cut = s[..MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
        s.truncate(cut);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(source: Option<&str>, url: Option<&str>) -> Arc<Article> {
        let mut a = Article::blank("x");
        a.source = source.map(str::to_string);
        a.url = url.map(str::to_string);
        Arc::new(a)
    }

    #[test]
    fn known_unknown_and_by_domain() {
        let s = Sources::builtin();
        let arts = [
            art(Some("Our Desk"), None),
            art(Some("reuters"), None),
            art(None, Some("https://www.reuters.com/world/a")),
            art(Some("our desk"), Some("https://www.reuters.com/b")),
            art(None, Some("https://unknown.example/a")),
            art(Some("—"), None),
            art(Some("Xinhua"), None),
        ];
        let o = Outlets::of(&s, &arts);
        let slugs: Vec<&str> = o.list.iter().map(|x| x.slug.as_str()).collect();
        assert_eq!(slugs, ["our-desk", "reuters", "xinhua-news-agency"]);
        let slug = |i| o.of_article(i).map(|x| x.slug.as_str());
        assert_eq!(slug(0), Some("our-desk"));
        assert_eq!(o.of_article(0).unwrap().name, "Our Desk");
        assert_eq!(o.of_article(0).unwrap().kind, None);
        assert_eq!(slug(1), Some("reuters"));
        assert_eq!(slug(2), Some("reuters"));
        // A name the editor wrote wins over the URL's domain.
        assert_eq!(slug(3), Some("our-desk"));
        assert_eq!((slug(4), slug(5)), (None, None));
        assert_eq!(o.of_article(6).unwrap().kind, Some(Kind::StateAffiliated));
        assert_eq!(o.articles, [vec![0, 3], vec![1, 2], vec![6]]);
        assert_eq!(o.position("reuters"), Some(1));
    }

    #[test]
    fn an_unknown_name_never_takes_a_listed_slug() {
        let s = Sources::builtin();
        // A name that is not a known one but slugifies to a listed slug.
        let taken = s.all().iter().find(|x| s.by_name(&x.slug).is_none());
        let Some(taken) = taken else { return };
        let arts = [art(Some(&taken.slug), None)];
        let o = Outlets::of(&s, &arts);
        assert_eq!(o.list[0].slug, format!("{}-2", taken.slug));
        assert!(short_slug(&"word ".repeat(40)).len() <= MAX_SLUG);
    }
}

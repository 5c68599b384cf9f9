//! Sources: the outlets articles come from — wires, national papers and
//! broadcasters, defense trade press, governments and armed forces, think
//! tanks, state-affiliated media.
//!
//! A built-in list (`data/sources.toml`) gives each outlet a name,
//! aliases, web domains, a country and a [`Kind`]; a site's `[[source]]`
//! tables in `config.toml` add outlets or change built-in ones. An
//! article's source is recognised from its front matter `source` (a name
//! or an alias, in any case), else from its URL's domain; an unknown name
//! gets the nearest known one as a suggestion.
//!
//! Every source has a stable [`Source::slug`] (for `/sources/<slug>/`),
//! and [`Sources::of_article`] finds an article's.
//!
//! - `build`: the list made from the built-in entries and a site's;
//! - `near`: the nearest known name to a misspelt one;
//! - `site`: the outlets a site's articles come from, resolved once in the
//!   index stage (see [`Outlets`]).

mod build;
mod near;
mod site;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::CountryCode;

pub use site::{Outlet, Outlets};

/// The built-in list.
pub const BUILTIN: &str = include_str!("../../data/sources.toml");

/// What kind of outlet a source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A news agency selling copy to other outlets.
    Wire,
    /// A national newspaper, broadcaster or news site.
    National,
    /// A regional or local outlet.
    Regional,
    /// Defense and security trade press.
    Trade,
    /// Public-service media: owned or funded by a state, with editorial
    /// independence set down in law or charter.
    PublicMedia,
    /// Owned, funded or controlled by a state, a government or a ruling
    /// party, without such a guarantee.
    StateAffiliated,
    /// A government, ministry, armed force or intergovernmental body
    /// publishing its own releases.
    Official,
    /// A research institute or policy journal.
    ThinkTank,
    /// Anything else: a magazine, a blog, an open-source research group.
    Other,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Wire,
        Kind::National,
        Kind::Regional,
        Kind::Trade,
        Kind::PublicMedia,
        Kind::StateAffiliated,
        Kind::Official,
        Kind::ThinkTank,
        Kind::Other,
    ];

    /// The name used in files: "state-affiliated".
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Wire => "wire",
            Kind::National => "national",
            Kind::Regional => "regional",
            Kind::Trade => "trade",
            Kind::PublicMedia => "public-media",
            Kind::StateAffiliated => "state-affiliated",
            Kind::Official => "official",
            Kind::ThinkTank => "think-tank",
            Kind::Other => "other",
        }
    }

    /// A heading for a group of sources: "State-affiliated media".
    pub fn label(self) -> &'static str {
        match self {
            Kind::Wire => "Wire services",
            Kind::National => "National media",
            Kind::Regional => "Regional media",
            Kind::Trade => "Defense trade press",
            Kind::PublicMedia => "Public-service media",
            Kind::StateAffiliated => "State-affiliated media",
            Kind::Official => "Official sources",
            Kind::ThinkTank => "Think tanks and journals",
            Kind::Other => "Other sources",
        }
    }

    /// Whether provenance must be given for a call of this kind.
    pub fn needs_provenance(self) -> bool {
        matches!(
            self,
            Kind::StateAffiliated | Kind::Official | Kind::PublicMedia
        )
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `[[source]]` table, in `data/sources.toml` or `config.toml`. In a
/// site's table that changes a built-in source, only `name` (or `slug`)
/// is needed: the fields given replace the built-in ones, and aliases and
/// domains are added to them.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SourceEntry {
    pub name: String,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    pub domains: Vec<String>,
    pub country: Option<String>,
    pub kind: Option<Kind>,
    /// Facts about ownership or status behind the kind: "owned by the
    /// State Council of the PRC".
    pub provenance: Option<String>,
}

/// A known source.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Source {
    /// Stable, URL-safe: `/sources/<slug>/`.
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// Hosts without `www.`; sub-domains match too.
    pub domains: Vec<String>,
    pub country: Option<CountryCode>,
    pub kind: Kind,
    pub provenance: Option<String>,
    /// From the built-in list (else from the site's config.toml).
    pub builtin: bool,
}

/// How a source was recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// Its name or an alias.
    Name,
    /// The domain of the article's URL.
    Domain,
}

/// The known sources and their indexes.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    list: Vec<Source>,
    by_slug: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    by_domain: HashMap<String, usize>,
}

/// A name as compared: lower case, letters and digits, single spaces, no
/// leading "the".
pub fn name_key(name: &str) -> String {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let words = match words.split_first() {
        Some((&"the", rest)) if !rest.is_empty() => rest,
        _ => &words[..],
    };
    words.join(" ")
}

/// A host as compared: lower case, no port, no `www.`, no final dot.
fn host_key(host: &str) -> String {
    let h = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let h = h.split(':').next().unwrap_or_default();
    h.strip_prefix("www.").unwrap_or(h).to_string()
}

/// The host of an http(s) URL.
pub fn url_host(url: &str) -> Option<String> {
    let rest = url
        .trim()
        .strip_prefix("https://")
        .or_else(|| url.trim().strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    (!host.is_empty()).then(|| host_key(host))
}

/// Whether a string is a plausible domain: `dawn.com`, `news.un.org`.
fn is_domain(d: &str) -> bool {
    d.contains('.')
        && !d.starts_with('.')
        && !d.ends_with('.')
        && d.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

impl Sources {
    /// Every source, built-in ones first, in file order.
    pub fn all(&self) -> &[Source] {
        &self.list
    }

    pub fn get(&self, slug: &str) -> Option<&Source> {
        self.by_slug.get(slug).map(|&i| &self.list[i])
    }

    /// The position of a source of this list in [`Sources::all`].
    fn position(&self, s: &Source) -> usize {
        self.by_slug.get(&s.slug).copied().unwrap_or_default()
    }

    /// The source a name or alias names, in any case; a name that is a
    /// domain ("Reuters.com") is looked up as one.
    pub fn by_name(&self, name: &str) -> Option<&Source> {
        let key = name_key(name);
        if let Some(&i) = self.by_name.get(&key) {
            return Some(&self.list[i]);
        }
        let t = name.trim();
        if !t.contains(' ') && is_domain(&host_key(t)) {
            return self.by_host(&host_key(t));
        }
        None
    }

    /// The source whose domain is the host or a parent of it.
    pub fn by_host(&self, host: &str) -> Option<&Source> {
        let mut h = host_key(host);
        loop {
            if let Some(&i) = self.by_domain.get(&h) {
                return Some(&self.list[i]);
            }
            match h.split_once('.') {
                Some((_, rest)) if rest.contains('.') => h = rest.to_string(),
                _ => return None,
            }
        }
    }

    /// The source of an http(s) URL, by its domain.
    pub fn by_url(&self, url: &str) -> Option<&Source> {
        self.by_host(&url_host(url)?)
    }

    /// The source named, else the one whose domain the URL is on.
    pub fn recognise(&self, name: Option<&str>, url: Option<&str>) -> Option<(&Source, Via)> {
        name.and_then(|n| self.by_name(n))
            .map(|s| (s, Via::Name))
            .or_else(|| url.and_then(|u| self.by_url(u)).map(|s| (s, Via::Domain)))
    }

    /// An article's source: by its `source`, else by its URL.
    pub fn of_article(&self, a: &crate::model::Article) -> Option<&Source> {
        self.recognise(a.source.as_deref(), a.url.as_deref())
            .map(|(s, _)| s)
    }
}

/// The source an import writes, and a note for its report line.
///
/// `given` is what the editor said (`--source`, a feed's `source`): kept
/// as written when it is not a known name. `found` is what the input says
/// of itself (a page's site name, a dateline's agency, a feed's title).
pub fn attribute(
    sources: &Sources,
    given: Option<&str>,
    found: Option<&str>,
    url: Option<&str>,
) -> (Option<String>, String) {
    let given = given.map(str::trim).filter(|s| !s.is_empty());
    let found = found.map(str::trim).filter(|s| !s.is_empty());
    let known = |s: &Source, how: &str| {
        let country = s.country.map(|c| format!(", {c}")).unwrap_or_default();
        (
            Some(s.name.clone()),
            format!("source {} ({}{country}; {how})", s.name, s.kind),
        )
    };
    if let Some(g) = given {
        return match sources.by_name(g) {
            Some(s) => known(s, "as given"),
            None => (
                Some(g.to_string()),
                format!("source {g:?} (as given; not a known source)"),
            ),
        };
    }
    if let Some(s) = found.and_then(|f| sources.by_name(f)) {
        return known(s, "by name");
    }
    if let Some(s) = url.and_then(|u| sources.by_url(u)) {
        return known(s, "by the URL's domain");
    }
    match found {
        Some(f) => (
            Some(f.to_string()),
            format!("source {f:?} (not a known source)"),
        ),
        None => (None, "no source".to_string()),
    }
}

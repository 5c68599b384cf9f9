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

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::CountryCode;

/// The built-in list.
pub const BUILTIN: &str = include_str!("../data/sources.toml");

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
    /// The built-in list with a site's `[[source]]` tables applied.
    pub fn new(site: &[SourceEntry]) -> Result<Sources, Vec<String>> {
        let builtin = builtin_entries().map_err(|e| vec![e.clone()])?;
        let mut s = Sources::default();
        let mut errs = Vec::new();
        for e in builtin {
            if let Err(m) = s.apply(e, true) {
                errs.push(format!("data/sources.toml: {m}"));
            }
        }
        for e in site {
            if let Err(m) = s.apply(e, false) {
                errs.push(format!("[[source]] {:?}: {m}", e.name));
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(s)
    }

    /// The built-in list alone.
    pub fn builtin() -> Sources {
        Sources::new(&[]).unwrap_or_default()
    }

    /// Adds a source, or changes the one it names.
    fn apply(&mut self, e: &SourceEntry, builtin: bool) -> Result<(), String> {
        let name = e.name.trim();
        let explicit_slug = e.slug.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if let Some(s) = explicit_slug
            && slug::slugify(s) != s
        {
            return Err(format!(
                "slug {s:?} must be lower-case words joined by hyphens (e.g. {:?})",
                slug::slugify(s)
            ));
        }
        let existing = explicit_slug
            .and_then(|s| self.by_slug.get(s))
            .or_else(|| {
                (!name.is_empty())
                    .then(|| self.by_name.get(&name_key(name)))
                    .flatten()
            })
            .copied()
            .filter(|_| !builtin);
        let country = match e
            .country
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(c) => Some(
                CountryCode::new(c)
                    .filter(|c| crate::regions::region_of(c.as_str()).is_some())
                    .ok_or_else(|| format!("country {c:?} is not an ISO 3166 alpha-2 code"))?,
            ),
            None => None,
        };
        for d in &e.domains {
            if !is_domain(&host_key(d)) {
                return Err(format!(
                    "domain {d:?} is not a host name such as \"example.org\""
                ));
            }
        }
        let i = match existing {
            Some(i) => {
                let src = &mut self.list[i];
                if !name.is_empty() && name_key(name) != name_key(&src.name) {
                    let old = std::mem::replace(&mut src.name, name.to_string());
                    src.aliases.push(old);
                }
                if let Some(k) = e.kind {
                    src.kind = k;
                }
                if country.is_some() {
                    src.country = country;
                }
                if let Some(p) = &e.provenance {
                    src.provenance = Some(p.trim().to_string());
                }
                i
            }
            None => {
                if name.is_empty() {
                    return Err("a source needs a name".to_string());
                }
                let slug = explicit_slug.map_or_else(|| slug::slugify(name), str::to_string);
                if slug.is_empty() {
                    return Err("the name gives an empty slug; add `slug`".to_string());
                }
                if self.by_slug.contains_key(&slug) {
                    return Err(format!("slug {slug:?} is taken by another source"));
                }
                let Some(kind) = e.kind else {
                    return Err(format!(
                        "a new source needs a `kind`: one of {}",
                        Kind::ALL.map(Kind::as_str).join(", ")
                    ));
                };
                self.list.push(Source {
                    slug: slug.clone(),
                    name: name.to_string(),
                    aliases: Vec::new(),
                    domains: Vec::new(),
                    country,
                    kind,
                    provenance: e.provenance.as_ref().map(|p| p.trim().to_string()),
                    builtin,
                });
                let i = self.list.len() - 1;
                self.by_slug.insert(slug, i);
                self.by_name.insert(name_key(name), i);
                i
            }
        };
        let src = &mut self.list[i];
        for a in &e.aliases {
            let a = a.trim();
            if !a.is_empty() && !src.aliases.iter().any(|x| x == a) {
                src.aliases.push(a.to_string());
            }
        }
        for d in &e.domains {
            let d = host_key(d);
            if !src.domains.contains(&d) {
                src.domains.push(d);
            }
        }
        if src.kind.needs_provenance()
            && src.provenance.as_deref().is_none_or(str::is_empty)
            && builtin
        {
            return Err(format!(
                "{}: a {} source needs `provenance`",
                src.name, src.kind
            ));
        }
        let keys: Vec<String> = std::iter::once(src.name.as_str())
            .chain(src.aliases.iter().map(String::as_str))
            .map(name_key)
            .collect();
        let domains = src.domains.clone();
        for k in keys.into_iter().filter(|k| !k.is_empty()) {
            // A site's entries win over built-in names.
            if builtin {
                self.by_name.entry(k).or_insert(i);
            } else {
                self.by_name.insert(k, i);
            }
        }
        for d in domains {
            if builtin {
                self.by_domain.entry(d).or_insert(i);
            } else {
                self.by_domain.insert(d, i);
            }
        }
        Ok(())
    }

    /// Every source, built-in ones first, in file order.
    pub fn all(&self) -> &[Source] {
        &self.list
    }

    pub fn get(&self, slug: &str) -> Option<&Source> {
        self.by_slug.get(slug).map(|&i| &self.list[i])
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

    /// The known source whose name or alias is nearest to `name`, if any is
    /// near enough to be a likely misspelling.
    pub fn nearest(&self, name: &str) -> Option<&Source> {
        let key = name_key(name);
        if key.is_empty() {
            return None;
        }
        let mut best: Option<(usize, &str, usize)> = None;
        for (k, &i) in &self.by_name {
            let d = edit_distance(&key, k);
            let limit = (key.chars().count().max(k.chars().count()) / 4).max(1);
            if d <= limit && best.is_none_or(|(bd, bk, _)| (d, k.as_str()) < (bd, bk)) {
                best = Some((d, k, i));
            }
        }
        best.map(|(_, _, i)| &self.list[i])
    }
}

/// Edit distance by characters, a swap of neighbours counting as one edit
/// (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BuiltinFile {
    source: Vec<SourceEntry>,
}

/// The entries of `data/sources.toml`, parsed once.
fn builtin_entries() -> Result<&'static [SourceEntry], &'static String> {
    static PARSED: std::sync::OnceLock<Result<Vec<SourceEntry>, String>> =
        std::sync::OnceLock::new();
    PARSED
        .get_or_init(|| {
            toml::from_str::<BuiltinFile>(BUILTIN)
                .map(|f| f.source)
                .map_err(|e| format!("the built-in data/sources.toml is invalid: {e}"))
        })
        .as_ref()
        .map(Vec::as_slice)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_builtin_list_is_valid_and_documented() {
        let s = Sources::new(&[]).unwrap();
        assert!(s.all().len() >= 200, "{} sources", s.all().len());
        let mut domains = HashSet::new();
        for src in s.all() {
            assert!(src.builtin);
            assert!(
                src.country.is_some() || src.kind == Kind::Official,
                "{}: no country",
                src.name
            );
            for d in &src.domains {
                assert!(domains.insert(d.clone()), "domain {d} twice");
            }
            if src.kind.needs_provenance() {
                let p = src.provenance.as_deref().unwrap_or("");
                assert!(p.len() > 15, "{}: provenance {p:?}", src.name);
            }
        }
    }

    #[test]
    fn names_aliases_and_domains_are_recognised() {
        let s = Sources::builtin();
        assert_eq!(s.by_name("reuters").unwrap().slug, "reuters");
        assert_eq!(
            s.by_name("The Associated Press").unwrap().slug,
            "associated-press"
        );
        assert_eq!(s.by_name("AP").unwrap().slug, "associated-press");
        assert_eq!(s.by_name("Reuters.com").unwrap().slug, "reuters");
        assert_eq!(
            s.by_url("https://www.reuters.com/world/x?y=1")
                .unwrap()
                .slug,
            "reuters"
        );
        assert_eq!(
            s.by_url("https://english.news.cn/20231017/x.html")
                .unwrap()
                .kind,
            Kind::StateAffiliated
        );
        assert!(s.by_url("https://unknown.example/a").is_none());
        let (a, via) = s
            .recognise(Some("Unknown Desk"), Some("https://www.defensenews.com/a"))
            .unwrap();
        assert_eq!((a.slug.as_str(), via), ("defense-news", Via::Domain));
    }

    #[test]
    fn misspellings_get_the_nearest_name() {
        let s = Sources::builtin();
        assert_eq!(s.nearest("Reuter").unwrap().name, "Reuters");
        assert_eq!(s.nearest("Defence News").unwrap().name, "Defense News");
        assert!(s.nearest("Pacific Security Review").is_none());
        assert_eq!(s.nearest("Reutres").unwrap().name, "Reuters");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("ab", "ba"), 1);
    }

    #[test]
    fn a_site_adds_and_overrides() {
        let site = [
            SourceEntry {
                name: "Baltic Briefing".into(),
                domains: vec!["www.baltic-briefing.example".into()],
                country: Some("lt".into()),
                kind: Some(Kind::Regional),
                ..SourceEntry::default()
            },
            SourceEntry {
                name: "reuters".into(),
                aliases: vec!["Reuters Wire".into()],
                kind: Some(Kind::National),
                ..SourceEntry::default()
            },
        ];
        let s = Sources::new(&site).unwrap();
        let b = s.by_url("https://baltic-briefing.example/x").unwrap();
        assert_eq!(
            (b.slug.as_str(), b.country.unwrap().as_str()),
            ("baltic-briefing", "LT")
        );
        assert!(!b.builtin);
        let r = s.by_name("Reuters wire").unwrap();
        assert_eq!((r.slug.as_str(), r.kind), ("reuters", Kind::National));
        let bad = [SourceEntry {
            name: "New".into(),
            country: Some("XX".into()),
            kind: Some(Kind::Other),
            ..SourceEntry::default()
        }];
        let e = Sources::new(&bad).unwrap_err();
        assert!(e[0].contains("XX"), "{e:?}");
        let nokind = [SourceEntry {
            name: "New".into(),
            ..SourceEntry::default()
        }];
        assert!(Sources::new(&nokind).unwrap_err()[0].contains("kind"));
    }

    #[test]
    fn attribution_prefers_the_editor_then_the_page_then_the_url() {
        let s = Sources::builtin();
        let (n, note) = attribute(&s, Some("AFP"), Some("Reuters"), None);
        assert_eq!(n.as_deref(), Some("Agence France-Presse"));
        assert!(note.contains("wire"), "{note}");
        let (n, _) = attribute(&s, Some("Our Desk"), None, Some("https://reuters.com/a"));
        assert_eq!(n.as_deref(), Some("Our Desk"));
        let (n, note) = attribute(&s, None, Some("DN"), Some("https://www.defensenews.com/a"));
        assert_eq!(n.as_deref(), Some("Defense News"));
        assert!(note.contains("domain"), "{note}");
        let (n, note) = attribute(&s, None, Some("Some Blog"), None);
        assert_eq!(n.as_deref(), Some("Some Blog"));
        assert!(note.contains("not a known"), "{note}");
    }
}

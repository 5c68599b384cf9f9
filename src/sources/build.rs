//! Making the list: the built-in entries of `data/sources.toml`, then a
//! site's `[[source]]` tables, each checked and applied in turn.

use serde::Deserialize;

use super::{BUILTIN, Kind, Source, SourceEntry, Sources, host_key, is_domain, name_key};
use crate::model::CountryCode;

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
        let checked = Checked::of(e)?;
        let existing = checked
            .slug
            .and_then(|s| self.by_slug.get(s))
            .or_else(|| {
                (!checked.name.is_empty())
                    .then(|| self.by_name.get(&name_key(checked.name)))
                    .flatten()
            })
            .copied()
            .filter(|_| !builtin);
        let i = match existing {
            Some(i) => {
                self.change(i, &checked, e);
                i
            }
            None => self.insert(&checked, e, builtin)?,
        };
        self.extend(i, e);
        let src = &self.list[i];
        if builtin
            && src.kind.needs_provenance()
            && src.provenance.as_deref().is_none_or(str::is_empty)
        {
            return Err(format!(
                "{}: a {} source needs `provenance`",
                src.name, src.kind
            ));
        }
        self.index_names(i, builtin);
        Ok(())
    }

    /// Changes the source at `i` as a site's entry says.
    fn change(&mut self, i: usize, c: &Checked<'_>, e: &SourceEntry) {
        let src = &mut self.list[i];
        if !c.name.is_empty() && name_key(c.name) != name_key(&src.name) {
            let old = std::mem::replace(&mut src.name, c.name.to_string());
            src.aliases.push(old);
        }
        if let Some(k) = e.kind {
            src.kind = k;
        }
        if c.country.is_some() {
            src.country = c.country;
        }
        if let Some(p) = &e.provenance {
            src.provenance = Some(p.trim().to_string());
        }
    }

    /// Adds a new source; its position.
    fn insert(&mut self, c: &Checked<'_>, e: &SourceEntry, builtin: bool) -> Result<usize, String> {
        if c.name.is_empty() {
            return Err("a source needs a name".to_string());
        }
        let slug = c.slug.map_or_else(|| slug::slugify(c.name), str::to_string);
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
            name: c.name.to_string(),
            aliases: Vec::new(),
            domains: Vec::new(),
            country: c.country,
            kind,
            provenance: e.provenance.as_ref().map(|p| p.trim().to_string()),
            builtin,
        });
        let i = self.list.len() - 1;
        self.by_slug.insert(slug, i);
        self.by_name.insert(name_key(c.name), i);
        Ok(i)
    }

    /// Adds an entry's aliases and domains to the source at `i`.
    fn extend(&mut self, i: usize, e: &SourceEntry) {
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
    }

    /// Indexes the names, aliases and domains of the source at `i`: a
    /// site's entries win over built-in ones, and among built-in ones the
    /// first listed wins.
    fn index_names(&mut self, i: usize, builtin: bool) {
        let src = &self.list[i];
        let keys: Vec<String> = std::iter::once(src.name.as_str())
            .chain(src.aliases.iter().map(String::as_str))
            .map(name_key)
            .filter(|k| !k.is_empty())
            .collect();
        let domains = src.domains.clone();
        for k in keys {
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
    }
}

/// The fields of an entry that are checked before it is applied.
struct Checked<'e> {
    /// Trimmed; may be empty in a change of a source named by its slug.
    name: &'e str,
    slug: Option<&'e str>,
    country: Option<CountryCode>,
}

impl<'e> Checked<'e> {
    fn of(e: &'e SourceEntry) -> Result<Checked<'e>, String> {
        let slug = e.slug.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if let Some(s) = slug
            && slug::slugify(s) != s
        {
            return Err(format!(
                "slug {s:?} must be lower-case words joined by hyphens (e.g. {:?})",
                slug::slugify(s)
            ));
        }
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
        Ok(Checked {
            name: e.name.trim(),
            slug,
            country,
        })
    }
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

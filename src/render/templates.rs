//! Template loading: the built-in set, with the site's own files over it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tera::Tera;

use crate::diag::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::layout::TEMPLATES_DIR;

/// The built-in templates, also the files of the default site.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    (
        "countries.html",
        include_str!("../../templates/countries.html"),
    ),
    ("country.html", include_str!("../../templates/country.html")),
    ("topics.html", include_str!("../../templates/topics.html")),
    ("topic.html", include_str!("../../templates/topic.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("month.html", include_str!("../../templates/month.html")),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "editions.html",
        include_str!("../../templates/editions.html"),
    ),
    ("edition.html", include_str!("../../templates/edition.html")),
    (
        "relations.html",
        include_str!("../../templates/relations.html"),
    ),
    ("pair.html", include_str!("../../templates/pair.html")),
    ("region.html", include_str!("../../templates/region.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("sources.html", include_str!("../../templates/sources.html")),
    ("source.html", include_str!("../../templates/source.html")),
    (
        "partials/source_badge.html",
        include_str!("../../templates/partials/source_badge.html"),
    ),
    (
        "partials/glance.html",
        include_str!("../../templates/partials/glance.html"),
    ),
    (
        "partials/brief.html",
        include_str!("../../templates/partials/brief.html"),
    ),
    (
        "partials/card.html",
        include_str!("../../templates/partials/card.html"),
    ),
    (
        "partials/days.html",
        include_str!("../../templates/partials/days.html"),
    ),
    (
        "partials/flag.html",
        include_str!("../../templates/partials/flag.html"),
    ),
    (
        "partials/line.html",
        include_str!("../../templates/partials/line.html"),
    ),
    (
        "partials/reports.html",
        include_str!("../../templates/partials/reports.html"),
    ),
    (
        "partials/source.html",
        include_str!("../../templates/partials/source.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../templates/partials/pagination.html"),
    ),
];

/// A compiled template set and a hash of its sources.
pub struct Templates {
    pub tera: Tera,
    /// Changes whenever any template's source changes.
    pub hash: u64,
    /// The names of the site's own templates (the others are built in).
    own: BTreeSet<String>,
}

impl Templates {
    /// The built-in templates alone.
    pub fn builtin() -> anyhow::Result<Templates> {
        let mut tera = Tera::new();
        tera.add_raw_templates(BUILTIN_TEMPLATES.iter().copied())
            .map_err(|e| anyhow::anyhow!("the built-in templates do not compile: {e}"))?;
        Ok(Templates {
            tera,
            hash: 0,
            own: BTreeSet::new(),
        })
    }

    /// A Tera error as `templates/name.html:line:col: message`.
    pub fn error(&self, e: &tera::Error) -> Diagnostics {
        template_error(&self.own, e)
    }
}

/// Loads the built-in templates, then the site's `templates/**/*.html`
/// over them, name by name.
pub fn load_templates(root: &Path) -> Result<Templates, Error> {
    let mut set: BTreeMap<String, String> = BUILTIN_TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut own = BTreeSet::new();
    let dir = root.join(TEMPLATES_DIR);
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry =
                entry.map_err(|e| Error::Other(anyhow::anyhow!("{}: {e}", dir.display())))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&dir) else {
                continue;
            };
            let name = rel.to_string_lossy().replace('\\', "/");
            if name.split('/').any(|p| p.starts_with('.')) {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).map_err(|e| {
                Error::Other(anyhow::anyhow!(
                    "{}: cannot read: {e}",
                    entry.path().display()
                ))
            })?;
            own.insert(name.clone());
            set.insert(name, text);
        }
    }
    let mut tera = Tera::new();
    tera.add_raw_templates(set.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| Error::Site(template_error(&own, &e)))?;
    let mut h = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&set, &mut h);
    Ok(Templates {
        tera,
        hash: std::hash::Hasher::finish(&h),
        own,
    })
}

/// A Tera error as `templates/name.html:line:col: message`, naming the
/// site's template, or the built-in one when the site has none of `own`.
fn template_error(own: &BTreeSet<String>, e: &tera::Error) -> Diagnostics {
    use tera::ErrorKind;
    let shown = |name: &str| {
        if own.contains(name) {
            Path::new(TEMPLATES_DIR).join(name)
        } else {
            Path::new("(built-in templates)").join(name)
        }
    };
    let d = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let s = r.span();
            Diagnostic::new(shown(r.filename()), r.message().to_string())
                .at(s.start_line, s.start_col + 1)
        }
        other => {
            let mut msg = other.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            Diagnostic::new(TEMPLATES_DIR, msg)
        }
    };
    Diagnostics::from(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_compile() {
        let dir = tempfile::tempdir().unwrap();
        load_templates(dir.path()).unwrap();
    }

    #[test]
    fn template_errors_name_file_line_col() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/404.html"), "<p>\n{% if %}\n</p>").unwrap();
        let Err(Error::Site(e)) = load_templates(dir.path()) else {
            panic!("a broken template must not load");
        };
        let d = e.to_string();
        assert!(d.starts_with("templates/404.html:2:"), "{d}");
    }
}

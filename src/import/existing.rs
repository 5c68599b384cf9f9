//! The articles already in the site, so an import never duplicates one and
//! never takes a slug that is in use.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::load::{date_prefix, split_front_matter};

/// What is known of the existing articles.
#[derive(Clone, Debug, Default)]
pub struct Existing {
    urls: HashMap<String, PathBuf>,
    titles: HashMap<(String, Option<Date>), PathBuf>,
    slugs: HashSet<String>,
}

/// The identity of one article.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub title: &'a str,
    pub date: Option<Date>,
    pub url: Option<&'a str>,
    pub slug: &'a str,
}

/// URLs compare without case, scheme, `www.` or a trailing slash.
fn url_key(u: &str) -> String {
    let u = u.trim().to_lowercase();
    let u = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .unwrap_or(&u);
    let u = u.strip_prefix("www.").unwrap_or(u);
    u.trim_end_matches('/').to_string()
}

/// Calls `f` with the path and text of every Markdown file under `dirs`,
/// in file-name order, each file once however many of `dirs` reach it;
/// hidden entries, links and files that cannot be read as text are left
/// out (they are the build's business). Missing directories are empty.
pub(super) fn each_markdown(dirs: &[PathBuf], mut f: impl FnMut(&Path, &str)) {
    let mut seen = HashSet::new();
    for dir in dirs {
        let walker = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for e in walker.flatten() {
            let p = e.path();
            if !e.file_type().is_file() || p.extension().is_none_or(|x| x != "md") {
                continue;
            }
            let key = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
            if !seen.insert(key) {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(p) {
                f(p, &text);
            }
        }
    }
}

impl Existing {
    /// Reads the front matter of every Markdown file under `dirs` (missing
    /// directories are empty). Files that cannot be read are left out:
    /// they are the build's business.
    pub fn scan(dirs: &[PathBuf]) -> Existing {
        let mut ex = Existing::default();
        each_markdown(dirs, |p, text| ex.add_file(p, text));
        ex
    }

    fn add_file(&mut self, path: &Path, text: &str) {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok((fm, body)) = split_front_matter(text.trim_start_matches('\u{feff}')) else {
            return;
        };
        let table: toml::Table = fm
            .and_then(|(f, _)| toml::from_str(f).ok())
            .unwrap_or_default();
        let get = |k: &str| table.get(k).and_then(|v| v.as_str()).map(str::trim);
        let title = get("title").map(str::to_string).unwrap_or_else(|| {
            body.lines()
                .map(|l| l.trim().trim_start_matches('#').trim())
                .find(|l| !l.is_empty())
                .unwrap_or("")
                .to_string()
        });
        let date = match table.get("date") {
            Some(v) => super::dates::parse_meta_date(&v.to_string().replace('"', "")),
            None => date_prefix(&stem).map(|(d, _)| d),
        };
        let slug = match get("slug") {
            Some(s) => slug::slugify(s),
            None => crate::load::default_slug(&stem, &title),
        };
        self.add(
            path,
            &Entry {
                title: &title,
                date,
                url: get("url"),
                slug: &slug,
            },
        );
    }

    /// Records an article (one just written, too).
    pub fn add(&mut self, path: &Path, e: &Entry<'_>) {
        if let Some(u) = e.url.filter(|u| !u.is_empty()) {
            self.urls.entry(url_key(u)).or_insert_with(|| path.into());
        }
        let t = slug::slugify(e.title);
        if !t.is_empty() {
            self.titles
                .entry((t, e.date))
                .or_insert_with(|| path.into());
        }
        self.slugs.insert(e.slug.to_string());
    }

    /// The existing file with the same URL, or the same headline and date.
    pub fn duplicate_of(
        &self,
        title: &str,
        date: Option<Date>,
        url: Option<&str>,
    ) -> Option<&Path> {
        url.and_then(|u| self.urls.get(&url_key(u)))
            .or_else(|| self.titles.get(&(slug::slugify(title), date)))
            .map(PathBuf::as_path)
    }

    pub fn slug_taken(&self, slug: &str) -> bool {
        self.slugs.contains(slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_duplicates_by_url_or_headline_and_date() {
        let mut ex = Existing::default();
        ex.add_file(
            Path::new("content/2023-10-17-drill.md"),
            "+++\ntitle = \"Navy drill\"\nurl = \"https://www.example.org/a/\"\n+++\nText.\n",
        );
        ex.add_file(
            Path::new("content/x.md"),
            "+++\ntitle = \"Other\"\ndate = 2023-10-02\nslug = \"Own Slug\"\n+++\nText.\n",
        );
        let d = jiff::civil::date(2023, 10, 17);
        assert!(ex.duplicate_of("Navy Drill!", Some(d), None).is_some());
        assert!(ex.duplicate_of("Navy drill", None, None).is_none());
        assert!(
            ex.duplicate_of("Changed", None, Some("http://example.org/a"))
                .is_some()
        );
        assert!(ex.slug_taken("drill"));
        assert!(ex.slug_taken("own-slug"));
        assert!(
            ex.duplicate_of("Other", Some(jiff::civil::date(2023, 10, 2)), None)
                .is_some()
        );
    }
}

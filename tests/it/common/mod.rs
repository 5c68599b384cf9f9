//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use milbrief::BuildOptions;

pub mod browser;
pub mod load;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// Builds a site in memory: output path → text (or bytes as lossy text).
pub fn build_in_memory(opts: &BuildOptions) -> (milbrief::Site, BTreeMap<String, Vec<u8>>) {
    let (site, outputs) = milbrief::build_outputs(opts).expect("site builds");
    let map = outputs.into_iter().map(|o| (o.path, o.bytes)).collect();
    (site, map)
}

pub fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("utf-8 output")
}

/// Values of every `href="…"` and `src="…"` attribute in a page.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            // Only real attributes: preceded by whitespace.
            let ok = rest[..i].ends_with(char::is_whitespace);
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            if ok {
                out.push(rest[..end].replace("&amp;", "&"));
            }
            rest = &rest[end..];
        }
    }
    out
}

/// Every `id="…"` in a page.
pub fn ids(html: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.insert(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// Resolves a link found on `page` (an output path) to an output path and
/// fragment; `None` for external links.
pub fn resolve(page: &str, link: &str, base_path: &str) -> Option<(String, Option<String>)> {
    if link.contains("://") || link.starts_with("mailto:") || link.starts_with("data:") {
        return None;
    }
    let (path, frag) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let mut parts: Vec<&str> = if let Some(abs) = path.strip_prefix(base_path) {
        // Root-relative under the base URL's path (404 page).
        let _ = abs;
        Vec::new()
    } else {
        page.split('/').collect::<Vec<_>>()[..page.matches('/').count()].to_vec()
    };
    let rel = path.strip_prefix(base_path).unwrap_or(path);
    if path.is_empty() {
        return Some((page.to_string(), frag));
    }
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut target = parts.join("/");
    if rel.ends_with('/') || rel.is_empty() || rel.ends_with("/.") || rel == "." {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    Some((target, frag))
}

/// Checks that every internal link of every page resolves to an output,
/// and every fragment to an id on its target page. Returns the problems.
pub fn broken_links(outputs: &BTreeMap<String, Vec<u8>>, base_path: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (page, bytes) in outputs {
        if !page.ends_with(".html") {
            continue;
        }
        let html = text(bytes);
        for link in links(html) {
            let Some((target, frag)) = resolve(page, &link, base_path) else {
                continue;
            };
            match outputs.get(&target) {
                None => problems.push(format!("{page}: {link} → {target} does not exist")),
                Some(t) => {
                    if let Some(f) = frag
                        && !f.is_empty()
                        && target.ends_with(".html")
                        && !ids(text(t)).contains(&f)
                    {
                        problems.push(format!("{page}: {link} → no id {f:?} in {target}"));
                    }
                }
            }
        }
    }
    problems
}

/// Hrefs of the article cards and compact lines on a listing page, in
/// order.
pub fn card_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    let marks = [
        "class=\"card-title\"><a href=\"",
        "class=\"line-title\"><a href=\"",
    ];
    while let Some((i, m)) = marks
        .iter()
        .filter_map(|m| rest.find(m).map(|i| (i, m.len())))
        .min()
    {
        rest = &rest[i + m..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

//! Internal links of rendered pages: every `href` and `src` is resolved
//! against the set of outputs, so that any family of pages the renderer
//! produces is checked without knowing about it.

use std::collections::{HashMap, HashSet};

use crate::urls;

/// One attribute value of a page that points somewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The value as written, with character references decoded.
    pub value: String,
    /// Byte offset of the value in the page.
    pub offset: usize,
}

/// What an HTML page links to and which ids it has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    pub links: Vec<Link>,
    pub ids: HashSet<String>,
}

/// Scans an HTML page for `href`/`src` values and `id`/`name` attributes.
/// A small tokenizer: tags, quoted or unquoted attributes, comments and
/// the raw text of `script` and `style` elements are told apart.
pub fn scan(html: &str) -> Scan {
    let mut out = Scan::default();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = memchr(b'<', b, i) {
        i = lt + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        if i >= b.len() || !b[i].is_ascii_alphabetic() {
            continue;
        }
        let name_end = b[i..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
            .map_or(b.len(), |p| i + p);
        let tag = html[i..name_end].to_ascii_lowercase();
        i = name_end;
        // Attributes.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let an_start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let attr = html[an_start..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() || b[i] != b'=' {
                continue;
            }
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (v_start, v_end) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let s = i + 1;
                    let e = memchr(q, b, s).unwrap_or(b.len());
                    i = (e + 1).min(b.len());
                    (s, e)
                }
                _ => {
                    let s = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    (s, i)
                }
            };
            let value = decode_entities(&html[v_start..v_end]);
            match attr.as_str() {
                "href" | "src" => out.links.push(Link {
                    value,
                    offset: v_start,
                }),
                "id" => {
                    out.ids.insert(value);
                }
                "name" if tag == "a" => {
                    out.ids.insert(value);
                }
                _ => {}
            }
        }
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            i = find_ci(html, &close, i).unwrap_or(b.len());
        }
    }
    out
}

fn memchr(needle: u8, hay: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .iter()
        .position(|&c| c == needle)
        .map(|p| from + p)
}

fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    (from..h.len().saturating_sub(n.len()) + 1).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Decodes the character references HTML attribute values use.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1);
        let (name, after) = match end {
            Some(e) if rest[e..].starts_with(';') => (&rest[1..e], &rest[e + 1..]),
            _ => {
                out.push('&');
                rest = &rest[1..];
                continue;
            }
        };
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = after;
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where a link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Outside the site (another host, `mailto:`…) or not checkable.
    External,
    /// An output path and a fragment.
    Page { path: String, fragment: String },
    /// A relative path that climbs above the site root.
    AboveRoot,
}

/// The site's address: `https://example.org/digest/` → its path `/digest/`,
/// against which root-relative links (`/digest/style.css`) resolve.
#[derive(Clone, Debug)]
pub struct Base {
    path: String,
}

impl Base {
    pub fn new(base_url: &str) -> Base {
        let url = if base_url.ends_with('/') {
            base_url.to_string()
        } else {
            format!("{base_url}/")
        };
        let path = match url.find("://") {
            Some(i) => match url[i + 3..].find('/') {
                Some(p) => url[i + 3 + p..].to_string(),
                None => "/".to_string(),
            },
            None => "/".to_string(),
        };
        Base { path }
    }
}

/// Resolves `link`, found on the output page `page`, to an output path.
pub fn resolve(page: &str, link: &str, base: &Base) -> Target {
    let link = link.trim();
    let (rest, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, f),
        None => (link, ""),
    };
    let rest = rest.split('?').next().unwrap_or("");
    // Absolute URLs are left alone, even to the site's own address: the
    // renderer writes internal links relative, and an article may cite an
    // original on the same host.
    let from_root: Option<&str> = if has_scheme(rest) || rest.starts_with("//") {
        return Target::External;
    } else if rest.starts_with('/') {
        match rest.strip_prefix(base.path.as_str()) {
            Some(r) => Some(r),
            // Elsewhere on the same host: not ours to judge.
            None if rest.len() + 1 == base.path.len() && base.path.starts_with(rest) => Some(""),
            None => return Target::External,
        }
    } else {
        None
    };
    if from_root.is_none() && rest.is_empty() {
        return Target::Page {
            path: page.to_string(),
            fragment: fragment.to_string(),
        };
    }
    let rel = from_root.unwrap_or(rest);
    let mut parts: Vec<String> = match from_root {
        Some(_) => Vec::new(),
        None => {
            let mut p: Vec<String> = page.split('/').map(str::to_string).collect();
            p.pop();
            p
        }
    };
    let segments: Vec<&str> = rel.split('/').collect();
    for seg in &segments {
        match *seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::AboveRoot;
                }
            }
            s => parts.push(percent_decode(s)),
        }
    }
    let dir_like =
        rel.is_empty() || rel.ends_with('/') || matches!(segments.last(), Some(&".") | Some(&".."));
    let mut path = parts.join("/");
    if dir_like {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(urls::INDEX_FILE);
    }
    Target::Page {
        path,
        fragment: fragment.to_string(),
    }
}

fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    !scheme.is_empty()
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// A link that leads nowhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// The page it is on.
    pub page: String,
    pub link: String,
    /// Why: what does not exist.
    pub reason: String,
}

/// Checks every link of every HTML output against the outputs (and
/// `also_exists`, pages that would exist but for errors reported
/// elsewhere). Returns the broken links, ordered by page.
pub fn check(
    outputs: &HashMap<&str, &[u8]>,
    base: &Base,
    also_exists: &HashSet<String>,
) -> Vec<Broken> {
    use rayon::prelude::*;
    let mut pages: Vec<&str> = outputs
        .keys()
        .copied()
        .filter(|p| p.ends_with(".html"))
        .collect();
    pages.sort_unstable();
    let scans: HashMap<&str, Scan> = pages
        .par_iter()
        .map(|p| (*p, scan(&String::from_utf8_lossy(outputs[p]))))
        .collect();
    let exists = |p: &str| outputs.contains_key(p) || also_exists.contains(p);
    pages
        .par_iter()
        .flat_map_iter(|page| {
            let mut broken = Vec::new();
            let mut seen = HashSet::new();
            for l in &scans[page].links {
                if !seen.insert(l.value.as_str()) {
                    continue;
                }
                let reason = match resolve(page, &l.value, base) {
                    Target::External => None,
                    Target::AboveRoot => Some("it climbs above the site root".to_string()),
                    Target::Page { path, fragment } => {
                        let found = if exists(&path) {
                            Some(path.clone())
                        } else {
                            // A server answers `dir` with `dir/index.html`.
                            let dir = format!("{path}/index.html");
                            exists(&dir).then_some(dir)
                        };
                        match found {
                            None => Some(format!("{path} does not exist")),
                            Some(t) if !fragment.is_empty() && t.ends_with(".html") => {
                                match scans.get(t.as_str()) {
                                    Some(s) if !s.ids.contains(&percent_decode(&fragment)) => {
                                        Some(format!("{t} has no element with id {fragment:?}"))
                                    }
                                    _ => None,
                                }
                            }
                            Some(_) => None,
                        }
                    }
                };
                if let Some(reason) = reason {
                    broken.push(Broken {
                        page: page.to_string(),
                        link: l.value.clone(),
                        reason,
                    });
                }
            }
            broken
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_attributes_of_every_quoting() {
        let s = scan(
            "<a href=\"a/b.html?x=1&amp;y=2#top\">x</a><img src='i.png' alt=x>\
             <!-- <a href=\"commented\"> --><script>var s = '<a href=\"js\">';</script>\
             <A HREF=up/>&nbsp;<h2 id=\"h\">x</h2><a name=n></a><p data-href=\"no\">",
        );
        let v: Vec<&str> = s.links.iter().map(|l| l.value.as_str()).collect();
        assert_eq!(v, ["a/b.html?x=1&y=2#top", "i.png", "up/"]);
        assert!(s.ids.contains("h") && s.ids.contains("n"));
    }

    #[test]
    fn resolves_relative_root_and_absolute_links() {
        let base = Base::new("https://example.org/digest/");
        let page = "articles/x/index.html";
        let p = |path: &str, fragment: &str| Target::Page {
            path: path.into(),
            fragment: fragment.into(),
        };
        assert_eq!(
            resolve(page, "../y/", &base),
            p("articles/y/index.html", "")
        );
        assert_eq!(
            resolve(page, "../../countries/pk/index.html#top", &base),
            p("countries/pk/index.html", "top")
        );
        assert_eq!(resolve(page, "#fn-1", &base), p(page, "fn-1"));
        assert_eq!(
            resolve(page, "/digest/style.css", &base),
            p("style.css", "")
        );
        assert_eq!(
            resolve(page, "https://example.org/digest/articles/z/", &base),
            Target::External
        );
        assert_eq!(resolve(page, "../../..", &base), Target::AboveRoot);
        assert_eq!(resolve(page, "https://other.org/", &base), Target::External);
        assert_eq!(resolve(page, "mailto:a@b.c", &base), Target::External);
        assert_eq!(resolve(page, "/elsewhere/", &base), Target::External);
        assert_eq!(resolve("index.html", "a%20b.pdf", &base), p("a b.pdf", ""));
    }

    #[test]
    fn finds_missing_pages_and_anchors() {
        let pages = [
            (
                "index.html",
                "<a href=\"a/\">a</a><a href=\"b/\">b</a><a href=\"a/#x\">x</a><a href=\"a/#y\">y</a>",
            ),
            (
                "a/index.html",
                "<p id=\"x\">x</p><a href=\"../index.html\">home</a><a href=\"../../up\">up</a>",
            ),
        ];
        let outputs: HashMap<&str, &[u8]> = pages.iter().map(|(p, h)| (*p, h.as_bytes())).collect();
        let broken = check(&outputs, &Base::new("http://localhost/"), &HashSet::new());
        let got: Vec<(&str, &str)> = broken
            .iter()
            .map(|b| (b.page.as_str(), b.link.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a/index.html", "../../up"),
                ("index.html", "b/"),
                ("index.html", "a/#y")
            ]
        );
    }
}

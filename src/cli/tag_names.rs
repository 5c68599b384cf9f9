//! `milbrief tags --list countries|topics`: the names front matter
//! accepts in `countries` and `topics`, one a line, code or slug first.

use std::fmt::Write as _;

use clap::ValueEnum;

use crate::tag::Tagger;

/// What `tags --list` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Names {
    /// ISO 3166-1 codes and names ("PK  Pakistan").
    Countries,
    /// Topic slugs and names, the site's `[[topic]]` included.
    Topics,
}

/// The list, as printed: `code  name` or `slug  name` lines.
pub fn list(tagger: &Tagger, what: Names) -> String {
    let mut out = String::new();
    match what {
        Names::Countries => {
            let mut all: Vec<_> = tagger.gazetteer.all().collect();
            all.sort_by(|a, b| a.name.cmp(&b.name));
            for c in all {
                let _ = writeln!(out, "{}  {}", c.code, c.name);
            }
        }
        Names::Topics => {
            let all = tagger.topics.all();
            let width = all.iter().map(|t| t.slug.len()).max().unwrap_or(0);
            for t in all {
                let _ = writeln!(out, "{:width$}  {}", t.slug, t.name);
            }
        }
    }
    out
}

//! `milbrief check`: validates a whole site without writing anything and
//! reports every problem it finds, not only the first.
//!
//! It runs the build's own stages ([`crate::pipeline`]) — configuration,
//! templates, loading and tagging every article, checking slugs, indexing,
//! rendering every page in memory — going on past the problems a build
//! stops at, and adds what a build does not judge: missing and future
//! dates, likely duplicate articles, and links between the rendered pages.
//!
//! Errors are what makes `build` refuse the site; warnings are what a
//! build accepts but is probably a mistake. Every problem has a stable
//! code (see [`CODES`]).

pub mod dups;
pub mod links;
mod markup;
mod run;
pub mod sources;
mod unfinished;

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;

use crate::diag::{Diagnostic, display_path};

pub use run::check;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// `build` refuses the site.
    Error,
    /// `build` accepts it, but it is probably a mistake.
    Warning,
}

/// Every code `check` reports, with its severity and meaning.
pub const CODES: &[(&str, Severity, &str)] = &[
    ("config", Severity::Error, "config.toml is invalid"),
    (
        "template",
        Severity::Error,
        "a template does not compile or fails to render",
    ),
    ("io", Severity::Error, "a file cannot be read"),
    (
        "too-large",
        Severity::Error,
        "an article file is over the size limit",
    ),
    (
        "binary",
        Severity::Error,
        "an article file is binary, not text",
    ),
    ("encoding", Severity::Error, "an article file is not UTF-8"),
    ("empty-file", Severity::Error, "an article file is empty"),
    (
        "symlink",
        Severity::Error,
        "an article path goes through a symbolic link",
    ),
    (
        "front-matter-syntax",
        Severity::Error,
        "front matter is not valid TOML or is not closed",
    ),
    (
        "unknown-key",
        Severity::Error,
        "front matter has an unknown key",
    ),
    (
        "front-matter-type",
        Severity::Error,
        "a front matter value has the wrong type",
    ),
    ("invalid-date", Severity::Error, "`date` is not a date"),
    (
        "invalid-url",
        Severity::Error,
        "`url` is not an http(s) URL",
    ),
    (
        "invalid-slug",
        Severity::Error,
        "a slug is empty, too long or a reserved name",
    ),
    ("no-title", Severity::Error, "an article has no title"),
    (
        "placeholder",
        Severity::Error,
        "a published article still has the placeholder lead of `milbrief new`",
    ),
    (
        "placeholder-draft",
        Severity::Warning,
        "a draft still has the placeholder lead of `milbrief new`",
    ),
    (
        "empty-source",
        Severity::Warning,
        "an article's `source` is empty",
    ),
    ("unknown-country", Severity::Error, "a country is not known"),
    ("unknown-topic", Severity::Error, "a topic is not known"),
    (
        "duplicate-slug",
        Severity::Warning,
        "two articles have the same slug: the newer gets `-2`",
    ),
    (
        "output-clash",
        Severity::Error,
        "two files would be written to the same output path",
    ),
    ("missing-date", Severity::Warning, "an article has no date"),
    (
        "future-date",
        Severity::Warning,
        "an article is dated after today",
    ),
    (
        "duplicate-url",
        Severity::Warning,
        "two articles have the same original URL",
    ),
    (
        "near-duplicate",
        Severity::Warning,
        "two articles have nearly the same text",
    ),
    (
        "broken-link",
        Severity::Warning,
        "a link leads to a page, file or anchor the site does not have",
    ),
    (
        "symlink-skipped",
        Severity::Warning,
        "a symbolic link under content/ was skipped",
    ),
    (
        "unknown-source",
        Severity::Warning,
        "an article's `source` is not a known outlet",
    ),
    (
        "unclosed-html",
        Severity::Warning,
        "an article opens a raw-text element or comment and never closes it",
    ),
    (
        "special-file-skipped",
        Severity::Warning,
        "a FIFO or other special file named *.md under content/ was skipped",
    ),
    (
        "not-written",
        Severity::Warning,
        "the output directory holds files milbrief did not write (kept)",
    ),
];

/// One problem.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    /// Path relative to the site root, `/`-separated.
    pub path: String,
    /// 1-based line and column (in characters), when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path)?;
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, ":{l}:{c}")?,
            (Some(l), None) => write!(f, ":{l}")?,
            _ => {}
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {sev}[{}]: {}", self.code, self.message)
    }
}

/// What to check.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub root: PathBuf,
    /// Include drafts in the site-wide checks (slugs, links, duplicates).
    pub drafts: bool,
    /// The day `future-date` is judged against.
    pub today: Date,
}

impl CheckOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            drafts: false,
            today: crate::scaffold::today(),
        }
    }
}

/// What a check found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Articles read (including drafts and files with errors).
    pub files: usize,
    /// Pages and files the site would have.
    pub outputs: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Sorted by path, line, column, severity and code.
    pub problems: Vec<Problem>,
}

impl Report {
    fn finish(mut problems: Vec<Problem>, files: usize, outputs: usize) -> Report {
        problems.sort();
        problems.dedup();
        let errors = problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        Report {
            files,
            outputs,
            errors,
            warnings: problems.len() - errors,
            problems,
        }
    }

    /// The exit status: 0 clean (or warnings only), 1 errors (or warnings
    /// with `deny_warnings`).
    pub fn status(&self, deny_warnings: bool) -> u8 {
        u8::from(self.errors > 0 || (deny_warnings && self.warnings > 0))
    }

    /// One line per problem, then a summary line.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for p in &self.problems {
            s.push_str(&p.to_string());
            s.push('\n');
        }
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        s.push_str(&format!(
            "checked {}: {}, {}\n",
            plural(self.files, "article file"),
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
        ));
        s
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": {e:?}}}"))
    }
}

/// The code's severity; unknown codes are errors.
pub fn severity(code: &str) -> Severity {
    CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(Severity::Error, |(_, s, _)| *s)
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    /// Adds diagnostics; those without a code get `fallback`.
    fn add(&mut self, ds: impl IntoIterator<Item = Diagnostic>, fallback: &'static str) {
        for d in ds {
            let code = d.code.unwrap_or(fallback);
            self.0.push(Problem {
                path: display_path(&d.path),
                line: d.line,
                column: d.col,
                severity: severity(code),
                code,
                message: d.message,
            });
        }
    }

    fn warn(
        &mut self,
        path: &Path,
        at: Option<(usize, usize)>,
        code: &'static str,
        message: String,
    ) {
        self.0.push(Problem {
            path: display_path(path),
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
            severity: severity(code),
            code,
            message,
        });
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_code_is_listed_once() {
        let mut seen = HashSet::new();
        for (c, _, _) in CODES {
            assert!(seen.insert(*c), "{c} twice");
        }
        assert_eq!(severity("unknown-key"), Severity::Error);
        assert_eq!(severity("near-duplicate"), Severity::Warning);
    }

    #[test]
    fn problems_print_like_diagnostics() {
        let p = Problem {
            path: "content/a.md".into(),
            line: Some(3),
            column: Some(1),
            severity: Severity::Error,
            code: "unknown-key",
            message: "unknown key".into(),
        };
        assert_eq!(
            p.to_string(),
            "content/a.md:3:1: error[unknown-key]: unknown key"
        );
    }
}

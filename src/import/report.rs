//! What `milbrief import` says about each input: one line per file.

use std::fmt;
use std::path::PathBuf;

use crate::diag::display_path;

/// What happened to one input.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Written (or, with `--dry-run`, would have been).
    Imported {
        input: String,
        path: PathBuf,
        notes: Vec<String>,
        dry_run: bool,
    },
    /// Left out on purpose: a duplicate, a sub-directory.
    Skipped { input: String, reason: String },
    /// Could not be read or parsed.
    Failed { input: String, error: String },
}

impl Outcome {
    pub fn failed(input: &str, e: &anyhow::Error) -> Outcome {
        Outcome::Failed {
            input: input.to_string(),
            error: format!("{e:#}"),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Imported {
                input,
                path,
                notes,
                dry_run,
            } => {
                let verb = if *dry_run { "would import" } else { "imported" };
                write!(f, "{verb} {input} → {}", display_path(path))?;
                for n in notes {
                    write!(f, "  {n}")?;
                }
                Ok(())
            }
            Outcome::Skipped { input, reason } => write!(f, "skipped {input}: {reason}"),
            Outcome::Failed { input, error } => write!(f, "error {input}: {error}"),
        }
    }
}

/// Counts of outcomes, for the closing line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub imported: usize,
    pub skipped: usize,
    pub failed: usize,
    pub dry_run: bool,
}

impl Tally {
    pub fn add(&mut self, o: &Outcome) {
        match o {
            Outcome::Imported { .. } => self.imported += 1,
            Outcome::Skipped { .. } => self.skipped += 1,
            Outcome::Failed { .. } => self.failed += 1,
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{} article{} {}, {} skipped, {} failed",
            self.imported,
            s(self.imported),
            if self.dry_run {
                "would be imported (dry run: nothing written)"
            } else {
                "imported"
            },
            self.skipped,
            self.failed
        )
    }
}

/// "countries PK RU", or what stands in for them.
pub fn tag_notes(countries: Option<&[String]>, topics: Option<&[String]>) -> Vec<String> {
    match (countries, topics) {
        (None, None) => vec!["tags left to build time (--no-tags)".to_string()],
        (c, t) => {
            let list = |kind: &str, v: Option<&[String]>, sep: &str| match v {
                Some(v) if !v.is_empty() => format!("{kind} {}", v.join(sep)),
                _ => format!("no {kind}"),
            };
            vec![list("countries", c, " "), list("topics", t, ", ")]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let o = Outcome::Imported {
            input: "a.txt".into(),
            path: PathBuf::from("./content/2023-10-17-a.md"),
            notes: vec!["date 2023-10-17".into(), "dateline Islamabad".into()],
            dry_run: false,
        };
        assert_eq!(
            o.to_string(),
            "imported a.txt → content/2023-10-17-a.md  date 2023-10-17  dateline Islamabad"
        );
        let o = Outcome::failed("b.html", &anyhow::anyhow!("broken"));
        assert_eq!(o.to_string(), "error b.html: broken");
        let mut t = Tally::default();
        t.add(&o);
        assert_eq!(t.to_string(), "0 articles imported, 0 skipped, 1 failed");
        assert_eq!(
            tag_notes(Some(&["PK".into(), "RU".into()]), Some(&[])),
            ["countries PK RU", "no topics"]
        );
    }
}

//! Removing from the output what the site no longer produces (and
//! milbrief wrote), and the directories left empty; what a write did
//! ([`WriteStats`]) and what a build changed ([`Touched`]), noted for the
//! cache's record of the output. The writing itself is [`super::stage`].

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rayon::prelude::*;

use super::owned::Owned;
use super::scan::Scan;
#[cfg(test)]
use crate::model::Output;

/// What a write did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// What a build changed in the output directory: the directories whose
/// entries it added, removed or replaced, and those it created or removed.
/// A directory it changed has a modification time from during the build,
/// too recent to be trusted: the cache records it as one to read again.
#[derive(Debug, Default)]
pub struct Touched {
    pub(super) changed: HashSet<PathBuf>,
    pub(super) created: HashSet<PathBuf>,
    pub(super) gone: HashSet<PathBuf>,
}

impl Touched {
    /// Whether the build changed nothing.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.created.is_empty() && self.gone.is_empty()
    }
}

#[cfg(test)]
/// Writes `outputs` into `out`, which `check_output_dir` has accepted,
/// and removes every other file milbrief wrote.
pub fn write(out: &Path, outputs: &[Output]) -> anyhow::Result<WriteStats> {
    let found = super::scan::scan(out)?;
    let progress = crate::progress::Progress::hidden();
    let mut w = super::Writer::begin(out, false, &progress)?;
    w.push(outputs.to_vec())?;
    let keep: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    Ok(w.commit(&found, &keep, &mut Touched::default())?.stats)
}

/// What to remove: the files milbrief wrote (`owned`) that are not in
/// `keep`; with `clean`, every file not in `keep`.
pub struct Removal<'a> {
    pub keep: &'a HashSet<&'a str>,
    pub owned: &'a Owned,
    pub clean: bool,
}

/// What a removal did.
pub struct Removed {
    pub removed: usize,
    /// What milbrief did not write, kept (see [`super::owned::summarise`]).
    pub foreign: Vec<String>,
}

/// Removes the files of `found` (a [`scan`](super::scan::scan) of `out`
/// taken before writing) that `what` says to remove, then the directories
/// that removal left empty (with `clean`, every empty directory); adds the
/// directories it changed or removed to `touched`. A path that is a
/// directory now (the writer put one in place of a file) is left.
pub fn remove_stale(
    out: &Path,
    found: &Scan,
    what: &Removal<'_>,
    touched: &mut Touched,
) -> anyhow::Result<Removed> {
    let mut foreign = Vec::new();
    let mut stale: Vec<PathBuf> = Vec::new();
    for rel in found.files.keys() {
        if what.keep.contains(rel.as_str()) {
            continue;
        }
        if what.clean || what.owned.owns(rel) {
            stale.push(out.join(rel));
        } else {
            foreign.push(rel.clone());
        }
    }
    if what.clean {
        stale.extend(found.odd.iter().cloned());
    } else {
        foreign.extend(found.odd.iter().map(|p| p.display().to_string()));
    }
    foreign.sort();
    let foreign = super::owned::summarise(&foreign, what.owned);
    let results: Vec<anyhow::Result<bool>> = stale
        .par_iter()
        .map(|p| match std::fs::symlink_metadata(p) {
            Ok(m) if m.is_dir() => Ok(false),
            // Gone already (or a file above it is in its place now).
            Err(_) => Ok(false),
            _ => std::fs::remove_file(p)
                .map(|()| true)
                .with_context(|| format!("cannot remove stale {}", p.display())),
        })
        .collect();
    let mut removed = 0;
    for r in results {
        removed += usize::from(r?);
    }
    // Directories that held a removed file (with `clean`, or were empty),
    // deepest first; a directory that becomes empty makes its parent a
    // candidate too.
    let mut candidates: BTreeSet<(std::cmp::Reverse<usize>, PathBuf)> = BTreeSet::new();
    let depth = |p: &Path| p.components().count();
    if what.clean {
        for d in &found.dirs {
            if !d.full {
                candidates.insert((std::cmp::Reverse(depth(&d.path)), d.path.clone()));
            }
        }
    }
    for p in &stale {
        if let Some(parent) = p.parent() {
            touched.changed.insert(parent.to_path_buf());
            if parent != out {
                candidates.insert((std::cmp::Reverse(depth(parent)), parent.to_path_buf()));
            }
        }
    }
    while let Some((_, d)) = candidates.pop_first() {
        // Fails (harmlessly) when the directory still has files.
        if std::fs::remove_dir(&d).is_ok() {
            let parent = d.parent().unwrap_or(out);
            touched.changed.insert(parent.to_path_buf());
            if parent != out && parent.starts_with(out) {
                candidates.insert((std::cmp::Reverse(depth(parent)), parent.to_path_buf()));
            }
            touched.gone.insert(d);
        }
    }
    Ok(Removed { removed, foreign })
}

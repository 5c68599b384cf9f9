//! The output as the build cache records it: every directory with its
//! modification time and the names it holds, and every page with its render
//! fingerprint and the stamp of its file. The next build scans the output
//! from this record ([`scan_cached`]) instead of walking it, and records
//! what it found and changed ([`listing`]).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::scan::{
    Dir, Found, Level, Scan, TOP, Walked, join, look, mtime_of, plain, scan, stamp_of,
};
use super::write::Touched;
use crate::disk::FileStamp;

/// The output directory as a build left it.
#[derive(Debug, Serialize, Deserialize)]
pub struct OutputRec {
    /// Absolute path of the output directory.
    pub dir: String,
    pub pages: Vec<PageRec>,
    /// Every directory in it, itself first, each before those it holds:
    /// together they name every entry (see [`scan_cached`]).
    pub dirs: Vec<DirRec>,
}

/// A directory of the output, and what it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirRec {
    /// Its name; `""` for the output directory itself.
    pub name: String,
    /// The index in [`OutputRec::dirs`] of the directory holding it (0 for
    /// the output directory itself).
    pub parent: u32,
    /// Its modification time (nanoseconds since 1970) when it held `files`
    /// and the directories naming it their parent; `None` when the build
    /// changed it since, so the next build reads it.
    pub mtime: Option<i128>,
    /// The names of what it holds but directories (pages, static files,
    /// the marker file); empty when `mtime` is `None`.
    pub files: Vec<String>,
}

/// A page of the output: its render fingerprint (a hash of all it shows)
/// and the stamp of the file written for it.
#[derive(Debug, Serialize, Deserialize)]
pub struct PageRec {
    pub path: String,
    pub fingerprint: u64,
    pub stamp: FileStamp,
}

/// Lists what `out` holds, as [`scan`] does, from the cache's record of
/// it (`rec`, what the last build left) instead of a walk: every recorded
/// directory is looked at in parallel. One whose modification time is the
/// recorded one holds the recorded entries (adding, removing or renaming
/// an entry changes a directory's modification time), provided `trusts`
/// that time: it is old enough that a later change gets another one
/// despite the file system's coarse clock. Only its files are looked at.
/// The other directories are read; directories the record does not know
/// are walked. Any doubt (a recorded entry gone from a trusted directory,
/// an unreadable directory, a damaged record), and the output is walked.
pub fn scan_cached(
    out: &Path,
    rec: &OutputRec,
    trusts: impl Fn(i128) -> bool + Sync,
) -> anyhow::Result<Scan> {
    match from_record(out, rec, &trusts) {
        Some(s) => Ok(s),
        None => scan(out),
    }
}

/// What looking at a recorded directory found.
enum Seen {
    /// It is no directory now.
    Gone,
    /// Its time is the recorded one, but not its entries; or the record
    /// is damaged, or the directory cannot be read.
    Doubt,
    /// Its time is the recorded one: it holds what was recorded.
    Trusted { level: Level, found: Vec<Found> },
    /// Read: its non-directories, and the names of its directories.
    Read {
        level: Level,
        found: Vec<Found>,
        subdirs: HashSet<std::ffi::OsString>,
        full: bool,
    },
}

/// Looks at the recorded directory `d`, at `rel` in `out` (`abs`).
fn see(
    abs: &Path,
    rel: &str,
    d: &DirRec,
    top: bool,
    trusts: &(dyn Fn(i128) -> bool + Sync),
) -> Seen {
    // As in `scan`, a link to the output directory is followed.
    let meta = if top {
        std::fs::metadata(abs)
    } else {
        std::fs::symlink_metadata(abs)
    };
    let Some(meta) = meta.ok().filter(|m| m.is_dir()) else {
        return Seen::Gone;
    };
    let mtime = mtime_of(&meta);
    if d.mtime.is_some_and(|t| Some(t) == mtime && trusts(t)) {
        let mut found = Vec::with_capacity(d.files.len());
        for name in &d.files {
            if !plain(name) {
                return Seen::Doubt;
            }
            match std::fs::symlink_metadata(abs.join(name)) {
                Ok(m) if !m.is_dir() => {
                    found.push(Found::named(
                        join(rel, name),
                        stamp_of(Some(&m), m.is_file()),
                    ));
                }
                _ => return Seen::Doubt,
            }
        }
        let level = Level {
            mtime,
            names: Some(d.files.clone()),
        };
        return Seen::Trusted { level, found };
    }
    let Ok(entries) = std::fs::read_dir(abs) else {
        return Seen::Doubt;
    };
    let mut found = Vec::new();
    let mut names = Some(Vec::new());
    let mut subdirs = HashSet::new();
    let mut full = false;
    for e in entries {
        let Some((name, ft)) = e
            .ok()
            .and_then(|e| Some((e.file_name(), e.file_type().ok()?)))
        else {
            return Seen::Doubt;
        };
        full = true;
        if ft.is_dir() {
            subdirs.insert(name);
            continue;
        }
        let path = abs.join(&name);
        match name.to_str().filter(|n| plain(n)) {
            Some(n) => {
                let meta = std::fs::symlink_metadata(&path).ok();
                found.push(Found::named(
                    join(rel, n),
                    stamp_of(meta.as_ref(), ft.is_file()),
                ));
                if let Some(names) = &mut names {
                    names.push(n.to_string());
                }
            }
            None => {
                found.push(Found::Odd(path));
                names = None;
            }
        }
    }
    Seen::Read {
        level: Level { mtime, names },
        found,
        subdirs,
        full,
    }
}

/// [`scan_cached`], but `None` at the first doubt.
pub(super) fn from_record(
    out: &Path,
    rec: &OutputRec,
    trusts: &(dyn Fn(i128) -> bool + Sync),
) -> Option<Scan> {
    // When the output's own path is not UTF-8, every file in it is odd:
    // left to the walk.
    out.to_str()?;
    let dirs = rec.dirs.as_slice();
    dirs.first().filter(|d| d.name.is_empty())?;
    // The path of each directory, each after the one holding it.
    let mut rels: Vec<String> = Vec::with_capacity(dirs.len());
    rels.push(String::new());
    for (j, d) in dirs.iter().enumerate().skip(1) {
        let parent = d.parent as usize;
        if parent >= j || !plain(&d.name) {
            return None;
        }
        let rel = join(&rels[parent], &d.name);
        rels.push(rel);
    }
    // Every directory, in parallel.
    let mut seen: Vec<(PathBuf, Seen)> = rels
        .par_iter()
        .zip(dirs)
        .enumerate()
        .map(|(j, (rel, d))| {
            let abs = if j == 0 {
                out.to_path_buf()
            } else {
                out.join(rel)
            };
            let seen = see(&abs, rel, d, j == 0, trusts);
            (abs, seen)
        })
        .collect();
    if !matches!(seen[0].1, Seen::Trusted { .. } | Seen::Read { .. }) {
        return None;
    }
    let reach = reached(dirs, &mut seen)?;
    let (mut s, unknown) = assemble(dirs, seen, &reach)?;
    let walked: Vec<Option<Walked>> = unknown
        .par_iter()
        .map(|(path, at)| {
            let mut w = Walked::default();
            w.walk(path, true, *at).ok().map(|()| w)
        })
        .collect();
    let mut all = Walked::default();
    for w in walked {
        all.append(w?);
    }
    s.read += all.dirs.len();
    look(out, all, &mut s);
    Some(s)
}

/// Which recorded directories are still where they were recorded, and
/// which hold others in the record.
struct Reach {
    reached: Vec<bool>,
    holds: Vec<bool>,
}

/// Which recorded directories are still where they were recorded: those a
/// trusted directory holds, and those a directory read lists (taken off
/// its list of directories the record does not know). `None` at a doubt.
fn reached(dirs: &[DirRec], seen: &mut [(PathBuf, Seen)]) -> Option<Reach> {
    let n = dirs.len();
    let mut reached = vec![false; n];
    reached[0] = true;
    let mut holds = vec![false; n];
    for (j, d) in dirs.iter().enumerate().skip(1) {
        let parent = d.parent as usize;
        holds[parent] = true;
        if !reached[parent] {
            continue;
        }
        let (doubt, is_dir) = match &seen[j].1 {
            Seen::Gone => (false, false),
            Seen::Doubt => (true, true),
            Seen::Trusted { .. } | Seen::Read { .. } => (false, true),
        };
        match &mut seen[parent].1 {
            Seen::Trusted { .. } => {
                if doubt || !is_dir {
                    return None;
                }
                reached[j] = true;
            }
            Seen::Read { subdirs, .. } => {
                if is_dir && subdirs.remove(std::ffi::OsStr::new(&d.name)) {
                    if doubt {
                        return None;
                    }
                    reached[j] = true;
                }
            }
            Seen::Gone | Seen::Doubt => return None,
        }
    }
    Some(Reach { reached, holds })
}

/// The scan of the reached directories, and the directories the record
/// does not know, each with the index of the directory holding it.
fn assemble(
    dirs: &[DirRec],
    seen: Vec<(PathBuf, Seen)>,
    reach: &Reach,
) -> Option<(Scan, Vec<(PathBuf, usize)>)> {
    let files = dirs.iter().map(|d| d.files.len()).sum();
    let mut s = Scan {
        files: HashMap::with_capacity(files),
        ..Scan::default()
    };
    let mut unknown: Vec<(PathBuf, usize)> = Vec::new();
    let mut index = vec![TOP; dirs.len()];
    for (j, (path, seen)) in seen.into_iter().enumerate() {
        if !reach.reached[j] {
            continue;
        }
        let (level, found, full) = match seen {
            Seen::Trusted { level, found } => {
                let full = !dirs[j].files.is_empty() || reach.holds[j];
                (level, found, full)
            }
            Seen::Read {
                level,
                found,
                subdirs,
                full,
            } => {
                s.read += 1;
                let at = if j == 0 { TOP } else { s.dirs.len() };
                unknown.extend(subdirs.into_iter().map(|name| (path.join(name), at)));
                (level, found, full)
            }
            Seen::Gone | Seen::Doubt => return None,
        };
        let at = if j == 0 {
            s.root = level;
            TOP
        } else {
            s.dirs.push(Dir {
                path,
                parent: index[dirs[j].parent as usize],
                full,
                level,
            });
            s.dirs.len() - 1
        };
        index[j] = at;
        for f in found {
            s.keep(f);
        }
    }
    Some((s, unknown))
}

/// What the cache records of `out` after a build that scanned it
/// (`found`), then changed it (`touched`): every directory with the
/// modification time and entries `found` saw, or none for those the build
/// changed or created (the next build reads them).
pub fn listing(out: &Path, found: &Scan, touched: &Touched) -> Vec<DirRec> {
    // Directories to read again, by their index in `found.dirs` (or TOP):
    // those changed, and those holding an entry the record cannot name.
    let n = found.dirs.len();
    let slot = |at: usize| if at == TOP { n } else { at };
    let mut changed = vec![false; n + 1];
    changed[n] = touched.changed.contains(out) || found.root.names.is_none();
    // The index in the record of each directory of `found` it keeps.
    let mut kept: Vec<Option<u32>> = vec![None; n + 1];
    kept[n] = Some(0);
    let mut dirs = Vec::with_capacity(n + 1);
    dirs.push(DirRec {
        name: String::new(),
        parent: 0,
        mtime: None,
        files: Vec::new(),
    });
    for (i, d) in found.dirs.iter().enumerate() {
        let parent = kept[slot(d.parent)];
        let name = d
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| plain(n));
        let gone = !touched.gone.is_empty() && touched.gone.contains(&d.path);
        match (parent, name) {
            (Some(parent), Some(name)) if !gone => {
                kept[i] = Some(dirs.len() as u32);
                changed[i] = d.level.names.is_none() || touched.changed.contains(d.path.as_path());
                dirs.push(DirRec {
                    name: name.to_string(),
                    parent,
                    mtime: None,
                    files: Vec::new(),
                });
            }
            // Removed, or not to be named: its parent is read again.
            (Some(_), _) => changed[slot(d.parent)] = true,
            // In one removed or not named.
            (None, _) => {}
        }
    }
    // Times and entries, where they are to be trusted.
    for (i, level) in found
        .dirs
        .iter()
        .map(|d| &d.level)
        .chain([&found.root])
        .enumerate()
    {
        if let Some(k) = kept[i].filter(|_| !changed[i]) {
            let rec = &mut dirs[k as usize];
            rec.mtime = level.mtime;
            rec.files = level.names.clone().unwrap_or_default();
        }
    }
    // Directories the build created, and those above them it created too.
    if !touched.created.is_empty() {
        let mut at: HashMap<&Path, u32> = found
            .dirs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| Some((d.path.as_path(), kept[i]?)))
            .collect();
        at.insert(out, 0);
        for c in &touched.created {
            // The missing directories from the nearest one present down.
            let mut chain = Vec::new();
            let mut parent = 0;
            for a in c.ancestors() {
                if let Some(&k) = at.get(a) {
                    parent = k;
                    break;
                }
                if !a.starts_with(out) {
                    break;
                }
                chain.push(a);
            }
            // What is created in a directory changes it.
            if let Some(rec) = dirs.get_mut(parent as usize) {
                rec.mtime = None;
                rec.files.clear();
            }
            for a in chain.into_iter().rev() {
                let Some(name) = a.file_name().and_then(|n| n.to_str()).filter(|n| plain(n)) else {
                    break;
                };
                let k = dirs.len() as u32;
                dirs.push(DirRec {
                    name: name.to_string(),
                    parent,
                    mtime: None,
                    files: Vec::new(),
                });
                at.insert(a, k);
                parent = k;
            }
        }
    }
    dirs
}

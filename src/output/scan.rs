//! Scanning the output directory: every file in it with its stamp, and
//! every directory with its modification time and the names it holds,
//! found in one walk ([`scan`]), or from the cache's record of the last
//! build's output (see [`super::record`]) with the same result.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rayon::prelude::*;

use super::guard::MARKER;
use crate::disk::{FileStamp, nanos};

/// The files already in an output directory (path relative to it, with
/// `/` separators → stamp), and its directories: found in one walk
/// ([`scan`]) or from the cache's record of them
/// ([`scan_cached`](super::record::scan_cached)), with
/// the same result.
#[derive(Debug, Default)]
pub struct Scan {
    pub files: HashMap<String, FileStamp>,
    /// Files whose names are not UTF-8 (or, but on Windows, hold a `\`):
    /// never an output.
    pub(super) odd: Vec<PathBuf>,
    /// The output directory itself.
    pub(super) root: Level,
    /// Directories, each after the one holding it.
    pub(super) dirs: Vec<Dir>,
    /// How many directories were read rather than known from the record.
    pub(super) read: usize,
}

/// What a scan knows of a directory's own entries.
#[derive(Debug, Default)]
pub(super) struct Level {
    /// Its modification time, `None` when unknown.
    pub(super) mtime: Option<i128>,
    /// The names of what it holds but directories; `None` when the record
    /// cannot name one of them (not UTF-8, or a `\` but on Windows).
    pub(super) names: Option<Vec<String>>,
}

/// The `parent` of a directory directly in the output directory.
pub(super) const TOP: usize = usize::MAX;

/// A directory of a [`Scan`].
#[derive(Debug)]
pub(super) struct Dir {
    pub(super) path: PathBuf,
    /// The index in [`Scan::dirs`] of the directory holding it, or [`TOP`].
    pub(super) parent: usize,
    /// Whether it holds anything.
    pub(super) full: bool,
    pub(super) level: Level,
}

impl Scan {
    /// How many directories the scan had to read: 0 when the cache's
    /// record told everything.
    pub fn dirs_read(&self) -> usize {
        self.read
    }

    /// Adds a non-directory of the directory `at` (an index in `dirs`, or
    /// [`TOP`]), naming it there.
    fn add(&mut self, found: Found, at: usize) {
        let level = if at == TOP {
            &mut self.root
        } else {
            &mut self.dirs[at].level
        };
        let name = match &found {
            Found::File(rel, _) => Some(split(rel).1),
            Found::Marker => Some(MARKER),
            Found::Odd(_) => None,
        };
        match (name, &mut level.names) {
            (Some(name), Some(names)) => names.push(name.to_string()),
            (None, names) => *names = None,
            (Some(_), None) => {}
        }
        self.keep(found);
    }

    /// Keeps a non-directory, named in its directory already.
    pub(super) fn keep(&mut self, found: Found) {
        match found {
            Found::File(rel, stamp) => {
                self.files.insert(rel, stamp);
            }
            Found::Marker => {}
            Found::Odd(path) => self.odd.push(path),
        }
    }
}

/// A non-directory of the output, looked at.
#[derive(Debug)]
pub(super) enum Found {
    /// A file or link that may be an output, by its relative path.
    File(String, FileStamp),
    /// The marker file.
    Marker,
    /// A file that is never an output.
    Odd(PathBuf),
}

impl Found {
    /// What `rel` (relative to the output directory, `/`-separated) names,
    /// with the stamp it has.
    pub(super) fn named(rel: String, stamp: FileStamp) -> Found {
        if rel == MARKER {
            Found::Marker
        } else {
            Found::File(rel, stamp)
        }
    }
}

/// The stamp of a non-directory: a regular file's own; a symbolic link or
/// other non-file gets one no page has. `is_file` is what its directory's
/// listing said.
pub(super) fn stamp_of(meta: Option<&std::fs::Metadata>, is_file: bool) -> FileStamp {
    match meta {
        Some(m) if is_file && m.is_file() => FileStamp::from_meta(m),
        _ => FileStamp {
            len: u64::MAX,
            mtime: None,
            ctime: None,
        },
    }
}

/// A directory's modification time.
pub(super) fn mtime_of(meta: &std::fs::Metadata) -> Option<i128> {
    meta.modified().ok().map(nanos)
}

/// The modification time of the directory at `path`; `None` when it is
/// not a directory (a link to one included) or cannot be looked at.
fn dir_mtime(path: &Path) -> Option<Option<i128>> {
    let m = std::fs::symlink_metadata(path).ok()?;
    m.is_dir().then(|| mtime_of(&m))
}

/// Lists what `out` holds; an absent directory holds nothing. The marker
/// file is left out. The walk is one pass; the files and directories are
/// then looked at in parallel.
pub fn scan(out: &Path) -> anyhow::Result<Scan> {
    let mut s = Scan::default();
    let Some(root) = std::fs::metadata(out).ok().filter(|m| m.is_dir()) else {
        return Ok(s);
    };
    s.root = Level {
        mtime: mtime_of(&root),
        names: Some(Vec::new()),
    };
    let mut w = Walked::default();
    w.walk(out, false, TOP)
        .with_context(|| format!("cannot read {}", out.display()))?;
    s.read = w.dirs.len() + 1;
    look(out, w, &mut s);
    Ok(s)
}

/// Where a walk found an entry: in a directory it found (an index in
/// [`Walked::dirs`]), or in one the scan knows (an index in
/// [`Scan::dirs`], or [`TOP`]).
#[derive(Clone, Copy, Debug)]
pub(super) enum In {
    Walked(usize),
    Known(usize),
}

/// What walking directories found, not looked at yet.
#[derive(Debug, Default)]
pub(super) struct Walked {
    /// Non-directories: path, whether its directory's listing called it a
    /// regular file, and where it is.
    pub(super) files: Vec<(PathBuf, bool, In)>,
    /// Directories: path, whether it holds anything, and where it is.
    pub(super) dirs: Vec<(PathBuf, bool, In)>,
}

impl Walked {
    /// Walks `dir`, the output directory or one in it, whose entries are
    /// in `outer` (an index in [`Scan::dirs`], or [`TOP`]): everything it
    /// holds, and with `itself` (for one in it) `dir` too.
    pub(super) fn walk(&mut self, dir: &Path, itself: bool, outer: usize) -> walkdir::Result<()> {
        // Directories on the path to the current entry: (depth, index in dirs).
        let mut open: Vec<(usize, usize)> = Vec::new();
        let walker = walkdir::WalkDir::new(dir)
            .min_depth(usize::from(!itself))
            .follow_root_links(!itself);
        for entry in walker {
            let entry = entry?;
            let depth = entry.depth();
            while open.last().is_some_and(|&(d, _)| d >= depth) {
                open.pop();
            }
            let at = match open.last() {
                Some(&(_, i)) => {
                    self.dirs[i].1 = true;
                    In::Walked(i)
                }
                None => In::Known(outer),
            };
            let ft = entry.file_type();
            let path = entry.into_path();
            if ft.is_dir() {
                open.push((depth, self.dirs.len()));
                self.dirs.push((path, false, at));
            } else {
                self.files.push((path, ft.is_file(), at));
            }
        }
        Ok(())
    }

    /// Adds what another walk found.
    pub(super) fn append(&mut self, other: Walked) {
        let base = self.dirs.len();
        let shift = |at: In| match at {
            In::Walked(i) => In::Walked(base + i),
            known => known,
        };
        self.dirs.extend(
            other
                .dirs
                .into_iter()
                .map(|(p, full, at)| (p, full, shift(at))),
        );
        self.files.extend(
            other
                .files
                .into_iter()
                .map(|(p, is_file, at)| (p, is_file, shift(at))),
        );
    }
}

/// Looks at what a walk of (part of) `out` found, in parallel, and adds it
/// to `s`: each file's stamp, each directory's modification time.
pub(super) fn look(out: &Path, w: Walked, s: &mut Scan) {
    let prefix = out.as_os_str().len();
    let base = s.dirs.len();
    let index = |at: In| match at {
        In::Walked(i) => base + i,
        In::Known(i) => i,
    };
    let (files, dirs) = rayon::join(
        || {
            w.files
                .into_par_iter()
                .map(|(path, is_file, at)| {
                    let found = match relative(prefix, &path) {
                        Some(rel) if rel == MARKER => Found::Marker,
                        Some(rel) => {
                            let meta = std::fs::symlink_metadata(&path).ok();
                            Found::File(rel, stamp_of(meta.as_ref(), is_file))
                        }
                        None => Found::Odd(path),
                    };
                    (found, index(at))
                })
                .collect::<Vec<(Found, usize)>>()
        },
        || {
            w.dirs
                .into_par_iter()
                .map(|(path, full, at)| {
                    let mtime = dir_mtime(&path).flatten();
                    Dir {
                        path,
                        parent: index(at),
                        full,
                        level: Level {
                            mtime,
                            names: Some(Vec::new()),
                        },
                    }
                })
                .collect::<Vec<Dir>>()
        },
    );
    s.dirs.extend(dirs);
    for (found, at) in files {
        s.add(found, at);
    }
}

/// The path of a non-directory relative to the output directory (whose
/// path is `prefix` bytes long), `/`-separated; `None` when it is not
/// UTF-8 or, but on Windows, holds a `\`: no output has such a name.
fn relative(prefix: usize, path: &Path) -> Option<String> {
    let rel = path.as_os_str().to_str()?.get(prefix..)?;
    let rel = rel.trim_start_matches(std::path::is_separator);
    if cfg!(windows) {
        Some(rel.replace('\\', "/"))
    } else {
        (!rel.contains('\\')).then(|| rel.to_string())
    }
}

/// Whether `name` is a plain name, as the cache records them: not empty,
/// not `.` or `..`, no `/` or `\`.
pub(super) fn plain(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// The directory part and the name of a relative path.
pub(super) fn split(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

/// `dir/name`, or `name` in the output directory itself (`dir` empty).
pub(super) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        return name.to_string();
    }
    let mut rel = String::with_capacity(dir.len() + 1 + name.len());
    rel.push_str(dir);
    rel.push('/');
    rel.push_str(name);
    rel
}

//! The only stage that touches the output directory. Every output is
//! already rendered in memory when this runs, so a failed build never
//! leaves a half-written site. Each file is written atomically (temporary
//! file + rename) and only when its bytes changed; files the site no longer
//! produces are removed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail};
use rayon::prelude::*;

use crate::cache::{DirRec, FileStamp, OutputRec};
use crate::model::Output;

/// Marks a directory as milbrief's output, so it may be cleaned.
pub const MARKER: &str = ".milbrief-output";

/// What a write did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Refuses output directories that would clobber the site's own files.
pub fn check_output_dir(root: &Path, out: &Path) -> anyhow::Result<()> {
    let root_abs = resolve(root)?;
    let out_abs = resolve(out)?;
    if root_abs.starts_with(&out_abs) {
        bail!(
            "{}: the output directory may not be the site root or contain it",
            out.display()
        );
    }
    for dir in [
        crate::load::CONTENT_DIR,
        crate::render::TEMPLATES_DIR,
        STATIC_DIR,
        "data",
        crate::cache::CACHE_DIR,
    ] {
        if out_abs.starts_with(root_abs.join(dir)) {
            bail!(
                "{}: the output directory may not be inside the site's {dir}/ directory",
                out.display()
            );
        }
    }
    if out_abs.exists() && !out_abs.is_dir() {
        bail!(
            "{}: the output path exists and is not a directory",
            out.display()
        );
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() {
        let mut entries = std::fs::read_dir(&out_abs)
            .with_context(|| format!("cannot read {}", out.display()))?;
        if entries.next().is_some() {
            bail!(
                "{}: directory is not empty and was not written by milbrief; refusing to overwrite it (remove it or choose another --output)",
                out.display()
            );
        }
    }
    Ok(())
}

/// An absolute path with symbolic links and `..` resolved the way the
/// system will resolve them, also for paths that do not exist yet
/// (`public/..` is the site root, even before `public/` exists).
fn resolve(p: &Path) -> anyhow::Result<PathBuf> {
    let abs = std::path::absolute(p).with_context(|| format!("invalid path {}", p.display()))?;
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => {
                out.push(other);
                // Follows a link as soon as it is part of the path, so
                // that a later `..` leaves the link's target.
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    Ok(out)
}

pub const STATIC_DIR: &str = "static";

/// The built-in static files, written unless the site has its own.
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    ("search.js", include_bytes!("../static/search.js")),
];

/// The site's `static/` files and the built-in ones it does not override.
pub fn static_outputs(root: &Path) -> anyhow::Result<Vec<Output>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let dir = root.join(STATIC_DIR);
    if dir.is_dir() {
        let walker = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(entry.path())
                .with_context(|| format!("cannot read {}", entry.path().display()))?;
            seen.insert(rel.clone());
            out.push(Output::new(rel, bytes));
        }
    }
    for (name, bytes) in BUILTIN_STATIC {
        if !seen.contains(*name) {
            out.push(Output::new(*name, bytes.to_vec()));
        }
    }
    Ok(out)
}

/// Static files that would overwrite a page the site generates, each as an
/// error naming the static file.
pub fn check_static_clash(
    statics: &[Output],
    is_page: impl Fn(&str) -> bool,
) -> Result<(), crate::diag::Diagnostics> {
    let mut clash = crate::diag::Diagnostics::default();
    for s in statics.iter().filter(|s| is_page(&s.path)) {
        clash.0.push(
            crate::diag::Diagnostic::new(
                Path::new(STATIC_DIR).join(&s.path),
                format!("would overwrite the generated page {}", s.path),
            )
            .code("output-clash"),
        );
    }
    clash.into_result()
}

/// A relative output path that stays inside the output directory.
fn checked(path: &str) -> anyhow::Result<&Path> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && !path.contains('\\')
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if !ok {
        bail!("refusing to write outside the output directory: {path:?}");
    }
    Ok(p)
}

/// The files already in an output directory (path relative to it, with
/// `/` separators → stamp), and its directories: found in one walk
/// ([`scan`]) or from the cache's record of them ([`scan_cached`]), with
/// the same result.
#[derive(Debug, Default)]
pub struct Scan {
    pub files: HashMap<String, FileStamp>,
    /// Files whose names are not UTF-8 (or, but on Windows, hold a `\`):
    /// never an output.
    odd: Vec<PathBuf>,
    /// The output directory itself.
    root: Level,
    /// Directories, each after the one holding it.
    dirs: Vec<Dir>,
    /// How many directories were read rather than known from the record.
    read: usize,
}

/// What a scan knows of a directory's own entries.
#[derive(Debug, Default)]
struct Level {
    /// Its modification time, `None` when unknown.
    mtime: Option<i128>,
    /// The names of what it holds but directories; `None` when the record
    /// cannot name one of them (not UTF-8, or a `\` but on Windows).
    names: Option<Vec<String>>,
}

/// The `parent` of a directory directly in the output directory.
const TOP: usize = usize::MAX;

/// A directory of a [`Scan`].
#[derive(Debug)]
struct Dir {
    path: PathBuf,
    /// The index in [`Scan::dirs`] of the directory holding it, or [`TOP`].
    parent: usize,
    /// Whether it holds anything.
    full: bool,
    level: Level,
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
    fn keep(&mut self, found: Found) {
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
enum Found {
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
    fn named(rel: String, stamp: FileStamp) -> Found {
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
fn stamp_of(meta: Option<&std::fs::Metadata>, is_file: bool) -> FileStamp {
    match meta {
        Some(m) if is_file && m.is_file() => FileStamp::from_meta(m),
        _ => FileStamp {
            len: u64::MAX,
            mtime: None,
        },
    }
}

/// A directory's modification time.
fn mtime_of(meta: &std::fs::Metadata) -> Option<i128> {
    meta.modified().ok().map(crate::cache::nanos)
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
enum In {
    Walked(usize),
    Known(usize),
}

/// What walking directories found, not looked at yet.
#[derive(Debug, Default)]
struct Walked {
    /// Non-directories: path, whether its directory's listing called it a
    /// regular file, and where it is.
    files: Vec<(PathBuf, bool, In)>,
    /// Directories: path, whether it holds anything, and where it is.
    dirs: Vec<(PathBuf, bool, In)>,
}

impl Walked {
    /// Walks `dir`, the output directory or one in it, whose entries are
    /// in `outer` (an index in [`Scan::dirs`], or [`TOP`]): everything it
    /// holds, and with `itself` (for one in it) `dir` too.
    fn walk(&mut self, dir: &Path, itself: bool, outer: usize) -> walkdir::Result<()> {
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
    fn append(&mut self, other: Walked) {
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
fn look(out: &Path, w: Walked, s: &mut Scan) {
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
fn plain(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// The directory part and the name of a relative path.
fn split(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

/// `dir/name`, or `name` in the output directory itself (`dir` empty).
fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        return name.to_string();
    }
    let mut rel = String::with_capacity(dir.len() + 1 + name.len());
    rel.push_str(dir);
    rel.push('/');
    rel.push_str(name);
    rel
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
fn from_record(
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
    // Which of them are still where they were recorded: those a trusted
    // directory holds, and those a directory read lists.
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

    let files = dirs.iter().map(|d| d.files.len()).sum();
    let mut s = Scan {
        files: HashMap::with_capacity(files),
        ..Scan::default()
    };
    // Directories the record does not know, each with the index of the
    // directory holding it.
    let mut unknown: Vec<(PathBuf, usize)> = Vec::new();
    let mut index = vec![TOP; n];
    for (j, (path, seen)) in seen.into_iter().enumerate() {
        if !reached[j] {
            continue;
        }
        let (level, found, full) = match seen {
            Seen::Trusted { level, found } => (level, found, !dirs[j].files.is_empty() || holds[j]),
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

/// What a build changed in the output directory: the directories whose
/// entries it added, removed or replaced, and those it created or removed.
/// A directory it changed has a modification time from during the build,
/// too recent to be trusted: the cache records it as one to read again.
#[derive(Debug, Default)]
pub struct Touched {
    changed: HashSet<PathBuf>,
    created: HashSet<PathBuf>,
    gone: HashSet<PathBuf>,
}

impl Touched {
    /// Whether the build changed nothing.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.created.is_empty() && self.gone.is_empty()
    }
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

/// Writes `outputs` into `out`, which `check_output_dir` has accepted,
/// and removes every other file.
pub fn write(out: &Path, outputs: &[Output]) -> anyhow::Result<WriteStats> {
    let found = scan(out)?;
    let mut touched = Touched::default();
    let (mut stats, _) = write_files(
        out,
        outputs,
        &crate::progress::Progress::hidden(),
        &mut touched,
    )?;
    let keep: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    stats.removed = remove_stale(out, &found, &keep, &mut touched)?;
    Ok(stats)
}

/// Writes `outputs` into `out`, each file only when its bytes changed, in
/// parallel. Returns what it did and the stamp of each output's file, in
/// the order of `outputs`; adds the directories it changed to `touched`.
pub fn write_files(
    out: &Path,
    outputs: &[Output],
    progress: &crate::progress::Progress,
    touched: &mut Touched,
) -> anyhow::Result<(WriteStats, Vec<FileStamp>)> {
    let mut paths = HashSet::with_capacity(outputs.len());
    for o in outputs {
        checked(&o.path)?;
        if !paths.insert(o.path.as_str()) {
            bail!("two outputs would be written to {}", o.path);
        }
    }
    if !out.is_dir() {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
        touched.created.insert(out.to_path_buf());
    }
    let marker = out.join(MARKER);
    if !marker.exists() {
        std::fs::write(&marker, b"This directory is generated by milbrief build.\n")
            .with_context(|| format!("cannot write {}", marker.display()))?;
        touched.changed.insert(out.to_path_buf());
    }
    progress.phase("Writing", Some(outputs.len()));
    let results: Vec<anyhow::Result<Wrote>> = outputs
        .par_iter()
        .map(|o| {
            let r = write_one(&out.join(&o.path), &o.bytes);
            progress.inc(1);
            r
        })
        .collect();
    let mut stats = WriteStats::default();
    let mut stamps = Vec::with_capacity(outputs.len());
    for (o, r) in outputs.iter().zip(results) {
        let w = r?;
        if w.written {
            stats.written += 1;
            let path = out.join(&o.path);
            let dir = path.parent().unwrap_or(out);
            if w.created {
                touched.created.insert(dir.to_path_buf());
            }
            touched.changed.insert(dir.to_path_buf());
            if w.replaced {
                touched.gone.insert(path);
            }
        } else {
            stats.unchanged += 1;
        }
        stamps.push(w.stamp);
    }
    Ok((stats, stamps))
}

/// What writing one file did.
struct Wrote {
    /// The file was written (else it already held its bytes).
    written: bool,
    /// The file's stamp.
    stamp: FileStamp,
    /// Its directory was created.
    created: bool,
    /// A directory in its place was removed.
    replaced: bool,
}

/// Writes one file unless it already holds `bytes`.
fn write_one(path: &Path, bytes: &[u8]) -> anyhow::Result<Wrote> {
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && meta.is_file()
        && meta.len() == bytes.len() as u64
        && std::fs::read(path).is_ok_and(|old| old == bytes)
    {
        return Ok(Wrote {
            written: false,
            stamp: FileStamp::from_meta(&meta),
            created: false,
            replaced: false,
        });
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let created = !dir.is_dir();
    if created {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let replaced = path.is_dir();
    if replaced {
        std::fs::remove_dir_all(path)
            .with_context(|| format!("cannot replace directory {}", path.display()))?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let res = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.flush()?;
        let meta = f.metadata()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        Ok::<_, std::io::Error>(FileStamp::from_meta(&meta))
    })();
    match res {
        Ok(stamp) => Ok(Wrote {
            written: true,
            stamp,
            created,
            replaced,
        }),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e).with_context(|| format!("cannot write {}", path.display()))
        }
    }
}

/// Removes the files of `found` (a [`scan`] of `out` taken before writing)
/// that are not in `keep`, then the directories left empty; adds the
/// directories it changed or removed to `touched`.
pub fn remove_stale(
    out: &Path,
    found: &Scan,
    keep: &HashSet<&str>,
    touched: &mut Touched,
) -> anyhow::Result<usize> {
    let stale: Vec<PathBuf> = found
        .files
        .keys()
        .filter(|p| !keep.contains(p.as_str()))
        .map(|rel| out.join(rel))
        .chain(found.odd.iter().cloned())
        .collect();
    let results: Vec<anyhow::Result<()>> = stale
        .par_iter()
        .map(|p| {
            std::fs::remove_file(p).with_context(|| format!("cannot remove stale {}", p.display()))
        })
        .collect();
    for r in results {
        r?;
    }
    // Directories that were empty, or held a removed file, deepest first;
    // a directory that becomes empty makes its parent a candidate too.
    let mut candidates: BTreeSet<(std::cmp::Reverse<usize>, PathBuf)> = BTreeSet::new();
    let depth = |p: &Path| p.components().count();
    for d in &found.dirs {
        if !d.full {
            candidates.insert((std::cmp::Reverse(depth(&d.path)), d.path.clone()));
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
    Ok(stale.len())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn writes_skips_unchanged_and_removes_stale() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let v1 = vec![
            Output::new("index.html", "a"),
            Output::new("x/index.html", "b"),
        ];
        let s = write(&out, &v1).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (2, 0, 0));
        let s = write(&out, &v1).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (0, 2, 0));
        let v2 = vec![Output::new("index.html", "c")];
        let s = write(&out, &v2).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (1, 0, 1));
        assert!(!out.join("x").exists(), "empty directory removed");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "c"
        );
    }

    #[test]
    fn refuses_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "a\\b", ""] {
            assert!(
                write(dir.path(), &[Output::new(bad, "x")]).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn refuses_dangerous_output_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, &root.join("content")).is_err());
        assert!(check_output_dir(root, &root.join("static/out")).is_err());
        assert!(check_output_dir(root, root.parent().unwrap()).is_err());
        // `..` through a directory that does not exist yet is still `..`.
        assert!(check_output_dir(root, &root.join("public/..")).is_err());
        assert!(check_output_dir(root, &root.join("new/../content/x")).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        // A foreign non-empty directory is never cleaned.
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/notes.txt"), "mine").unwrap();
        let e = check_output_dir(root, &root.join("docs")).unwrap_err();
        assert!(e.to_string().contains("not written by milbrief"), "{e}");
    }

    /// A directory of a scan: its parent's path, whether it holds
    /// anything, its time, the names of its non-directories.
    type NormalDir = (
        Option<PathBuf>,
        bool,
        Option<i128>,
        Option<BTreeSet<String>>,
    );

    /// A scan as sets, for comparing scans whatever their order.
    type Normal = (
        BTreeMap<String, (u64, Option<i128>)>,
        BTreeSet<PathBuf>,
        BTreeMap<PathBuf, NormalDir>,
        Option<i128>,
        Option<BTreeSet<String>>,
    );

    fn normal(s: &Scan) -> Normal {
        let names = |l: &Level| l.names.as_ref().map(|v| v.iter().cloned().collect());
        let mut dirs = BTreeMap::new();
        for (i, d) in s.dirs.iter().enumerate() {
            assert!(d.parent == TOP || d.parent < i, "parents first");
            let parent = (d.parent != TOP).then(|| s.dirs[d.parent].path.clone());
            if let Some(p) = &parent {
                assert_eq!(d.path.parent(), Some(p.as_path()));
            }
            let old = dirs.insert(
                d.path.clone(),
                (parent, d.full, d.level.mtime, names(&d.level)),
            );
            assert!(old.is_none(), "once");
        }
        (
            s.files
                .iter()
                .map(|(k, v)| (k.clone(), (v.len, v.mtime)))
                .collect(),
            s.odd.iter().cloned().collect(),
            dirs,
            s.root.mtime,
            names(&s.root),
        )
    }

    /// A small deterministic random number generator (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
        fn chance(&mut self, percent: u64) -> bool {
            self.next() % 100 < percent
        }
        fn pick<'a, T>(&mut self, v: &'a [T]) -> Option<&'a T> {
            (!v.is_empty()).then(|| &v[self.below(v.len())])
        }
    }

    fn set_mtime(p: &Path, t: std::time::SystemTime) {
        std::fs::File::open(p).unwrap().set_modified(t).unwrap();
    }

    fn mtime(p: &Path) -> std::time::SystemTime {
        std::fs::symlink_metadata(p).unwrap().modified().unwrap()
    }

    /// Every entry under `out` (not itself): non-directories, directories.
    fn entries(out: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let (mut files, mut dirs) = (Vec::new(), Vec::new());
        for e in walkdir::WalkDir::new(out).min_depth(1).sort_by_file_name() {
            let e = e.unwrap();
            if e.file_type().is_dir() {
                dirs.push(e.into_path());
            } else {
                files.push(e.into_path());
            }
        }
        (files, dirs)
    }

    /// A name for a new entry: plain ones mostly, sometimes odd ones.
    #[cfg(unix)]
    fn name(rng: &mut Rng, fresh: &mut usize) -> std::ffi::OsString {
        use std::os::unix::ffi::OsStrExt as _;
        *fresh += 1;
        match rng.below(20) {
            0 => std::ffi::OsStr::from_bytes(&[b'n', 0xff, b'0' + (*fresh % 10) as u8]).into(),
            1 => format!("back\\slash{fresh}").into(),
            2 => format!("é {fresh}").into(),
            3 if rng.chance(50) => "index.html".into(),
            4 => MARKER.into(),
            _ => format!("n{fresh}.html").into(),
        }
    }

    /// A path in `dir` where there is nothing yet.
    #[cfg(unix)]
    fn vacant(rng: &mut Rng, dir: &Path, fresh: &mut usize) -> PathBuf {
        loop {
            let p = dir.join(name(rng, fresh));
            if p.symlink_metadata().is_err() {
                return p;
            }
        }
    }

    /// Fills `dir` with random files, directories and links.
    #[cfg(unix)]
    fn grow(rng: &mut Rng, dir: &Path, depth: usize, fresh: &mut usize) {
        for _ in 0..rng.below(6) {
            let p = dir.join(name(rng, fresh));
            if p.symlink_metadata().is_ok() {
                continue;
            }
            match rng.below(10) {
                0..=4 => std::fs::write(&p, "x".repeat(rng.below(40))).unwrap(),
                5..=8 if depth < 3 => {
                    std::fs::create_dir(&p).unwrap();
                    grow(rng, &p, depth + 1, fresh);
                }
                _ => {
                    let target = ["index.html", "..", "nowhere"][rng.below(3)];
                    std::os::unix::fs::symlink(target, &p).unwrap();
                }
            }
        }
    }

    /// Sets the modification time of everything under `out` (and itself)
    /// a while before `now`; some directories get a recent one instead.
    fn age(rng: &mut Rng, out: &Path, now: std::time::SystemTime) -> usize {
        let (files, dirs) = entries(out);
        let hour = std::time::Duration::from_secs(3600);
        for f in files
            .iter()
            .filter(|f| f.symlink_metadata().unwrap().is_file())
        {
            set_mtime(
                f,
                now - hour + std::time::Duration::from_millis(rng.next() % 10_000),
            );
        }
        let mut racy = 0;
        for d in dirs.iter().chain([&out.to_path_buf()]) {
            if rng.chance(10) {
                // Too recent to be trusted.
                set_mtime(d, now - std::time::Duration::from_millis(900));
                racy += 1;
            } else {
                set_mtime(
                    d,
                    now - hour + std::time::Duration::from_nanos(rng.next() % 1_000_000_000),
                );
            }
        }
        racy
    }

    /// A random change to the output, as someone else could make it.
    #[cfg(unix)]
    fn mutate(rng: &mut Rng, out: &Path, fresh: &mut usize, racy_before: i128) {
        let (files, mut dirs) = entries(out);
        dirs.push(out.to_path_buf());
        let regular: Vec<PathBuf> = files
            .iter()
            .filter(|f| f.symlink_metadata().unwrap().is_file())
            .cloned()
            .collect();
        let Some(dir) = rng.pick(&dirs).cloned() else {
            return;
        };
        let inner: Vec<PathBuf> = dirs.iter().filter(|d| *d != out).cloned().collect();
        match rng.below(14) {
            0 => std::fs::write(vacant(rng, &dir, fresh), "new").unwrap(),
            1 => {
                if let Some(f) = rng.pick(&files) {
                    std::fs::remove_file(f).unwrap();
                }
            }
            2 => {
                if let Some(f) = rng.pick(&regular) {
                    let len = std::fs::metadata(f).unwrap().len() as usize;
                    std::fs::write(f, "y".repeat(len + rng.below(2))).unwrap();
                }
            }
            3 => {
                let deep = vacant(rng, &dir, fresh).join(name(rng, fresh));
                std::fs::create_dir_all(&deep).unwrap();
                if rng.chance(50) {
                    std::fs::write(deep.join("index.html"), "deep").unwrap();
                }
            }
            4 => {
                if let Some(d) = rng.pick(&inner) {
                    std::fs::remove_dir_all(d).unwrap();
                }
            }
            5 => {
                if let Some(f) = rng.pick(&files) {
                    std::fs::remove_file(f).unwrap();
                    std::fs::create_dir(f).unwrap();
                    if rng.chance(50) {
                        std::fs::write(f.join("index.html"), "was a file").unwrap();
                    }
                }
            }
            6 => {
                if let Some(d) = rng.pick(&inner) {
                    std::fs::remove_dir_all(d).unwrap();
                    std::fs::write(d, "was a directory").unwrap();
                }
            }
            7 => {
                let target = ["index.html", "..", "nowhere"][rng.below(3)];
                std::os::unix::fs::symlink(target, vacant(rng, &dir, fresh)).unwrap();
            }
            8 => {
                // Only the time changes.
                let t = if rng.chance(50) {
                    std::time::SystemTime::now()
                } else {
                    mtime(&dir) - std::time::Duration::from_secs(7)
                };
                set_mtime(&dir, t);
            }
            9 => {
                if let Some(f) = rng.pick(&files) {
                    let to = vacant(rng, f.parent().unwrap(), fresh);
                    std::fs::rename(f, to).unwrap();
                }
            }
            10 => {
                let d = vacant(rng, &dir, fresh);
                std::fs::create_dir(&d).unwrap();
                grow(rng, &d, 2, fresh);
            }
            11 => {
                let m = out.join(MARKER);
                if m.symlink_metadata().is_ok_and(|m| m.is_file()) {
                    std::fs::remove_file(m).unwrap();
                } else if m.symlink_metadata().is_err() {
                    std::fs::write(m, "marker").unwrap();
                }
            }
            12 => std::fs::create_dir(vacant(rng, &dir, fresh)).unwrap(),
            _ => {
                // A change within the clock's resolution: the directory's
                // time is put back. Only seen because the time is recent.
                let recent: Vec<&PathBuf> = dirs
                    .iter()
                    .filter(|d| crate::cache::nanos(mtime(d)) >= racy_before)
                    .collect();
                if let Some(d) = rng.pick(&recent) {
                    let before = mtime(d);
                    std::fs::write(vacant(rng, d, fresh), "sneaky").unwrap();
                    set_mtime(d, before);
                }
            }
        }
    }

    /// What the cache would record of `out` after a build that scanned it
    /// (`found`) and changed it (`touched`).
    fn record(out: &Path, found: &Scan, touched: &Touched) -> OutputRec {
        OutputRec {
            dir: out.to_string_lossy().into_owned(),
            pages: Vec::new(),
            dirs: listing(out, found, touched),
        }
    }

    /// A build's writing, at random: most files kept, some rewritten, some
    /// new (in new directories too), empty directories replaced by files,
    /// the rest removed. Returns the recorded output.
    fn random_build(rng: &mut Rng, out: &Path, found: &Scan, fresh: &mut usize) -> OutputRec {
        let mut outputs: Vec<Output> = Vec::new();
        for (rel, stamp) in &found.files {
            if stamp.len != u64::MAX && rng.chance(80) {
                let bytes = std::fs::read(out.join(rel)).unwrap();
                let bytes = if rng.chance(70) {
                    bytes
                } else {
                    b"changed".to_vec()
                };
                outputs.push(Output::new(rel.clone(), bytes));
            }
        }
        let rel_of = |d: &Path| {
            d.strip_prefix(out)
                .ok()
                .and_then(Path::to_str)
                .filter(|r| plain(r))
                .map(str::to_string)
        };
        let mut replaced = HashSet::new();
        for d in &found.dirs {
            if let Some(r) = rel_of(&d.path).filter(|_| !d.full && rng.chance(30)) {
                replaced.insert(d.path.clone());
                outputs.push(Output::new(r, "was an empty directory"));
            }
        }
        let parents: Vec<String> = found
            .dirs
            .iter()
            .filter(|d| !replaced.contains(&d.path))
            .filter_map(|d| rel_of(&d.path))
            .chain([String::new()])
            .collect();
        for _ in 0..rng.below(4) {
            *fresh += 1;
            let parent = rng.pick(&parents).cloned().unwrap_or_default();
            let mut rel = if parent.is_empty() {
                parent
            } else {
                parent + "/"
            };
            if rng.chance(40) {
                rel.push_str(&format!("new{fresh}/deeper/"));
            }
            rel.push_str(&format!("n{fresh}/index.html"));
            outputs.push(Output::new(rel, "new"));
        }
        let mut touched = Touched::default();
        write_files(
            out,
            &outputs,
            &crate::progress::Progress::hidden(),
            &mut touched,
        )
        .unwrap();
        let keep: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
        remove_stale(out, found, &keep, &mut touched).unwrap();
        record(out, found, &touched)
    }

    /// The cached scan finds what a walk finds, before and after random
    /// changes to random output directories, whether the record comes
    /// straight from a scan or from a build that wrote and removed files.
    #[cfg(unix)]
    #[test]
    fn cached_scans_equal_walks() {
        let mut rng = Rng(0x5eed_cafe_f00d_0001);
        let mut fresh = 0;
        for round in 0..150 {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            std::fs::create_dir(&out).unwrap();
            grow(&mut rng, &out, 0, &mut fresh);
            if rng.chance(70) && out.join(MARKER).symlink_metadata().is_err() {
                std::fs::write(out.join(MARKER), "marker").unwrap();
            }
            let now = std::time::SystemTime::now();
            let racy = age(&mut rng, &out, now);
            let state = crate::cache::State {
                started: crate::cache::nanos(now),
                ..Default::default()
            };
            let trusts = |m: i128| state.trusts_mtime(m);
            let found = scan(&out).unwrap();
            let built = rng.chance(50);
            let rec = if built {
                random_build(&mut rng, &out, &found, &mut fresh)
            } else {
                record(&out, &found, &Touched::default())
            };
            let cached = from_record(&out, &rec, &trusts)
                .unwrap_or_else(|| panic!("round {round}: the record is doubted"));
            assert_eq!(
                normal(&cached),
                normal(&scan(&out).unwrap()),
                "round {round}: as recorded"
            );
            if !built {
                // Only directories with a recent time are read, and those
                // the record cannot name (walked) or with entries it
                // cannot name (read).
                let untrusted = rec.dirs.iter().filter(|d| !d.mtime.is_some_and(trusts));
                let unnamed = found.dirs.len() + 1 - rec.dirs.len();
                // Recording it again changes nothing.
                assert_eq!(record(&out, &cached, &Touched::default()).dirs, rec.dirs);
                assert_eq!(cached.read, untrusted.count() + unnamed, "round {round}");
                assert!(cached.read >= racy, "round {round}");
            }
            let racy_before = crate::cache::nanos(now) - 2_000_000_000;
            for step in 0..1 + rng.below(4) {
                mutate(&mut rng, &out, &mut fresh, racy_before);
                let cached = from_record(&out, &rec, &trusts)
                    .unwrap_or_else(|| panic!("round {round}, change {step}: doubted"));
                assert_eq!(
                    normal(&cached),
                    normal(&scan(&out).unwrap()),
                    "round {round}, change {step}"
                );
                assert_eq!(
                    normal(&scan_cached(&out, &rec, trusts).unwrap()),
                    normal(&cached)
                );
            }
        }
    }

    /// A directory recorded with a time too recent to trust is read even
    /// when its time is unchanged; an old one is trusted.
    #[test]
    fn recent_directory_times_are_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for d in ["old", "recent"] {
            std::fs::create_dir_all(out.join(d)).unwrap();
            std::fs::write(out.join(d).join("index.html"), "page").unwrap();
        }
        let now = std::time::SystemTime::now();
        let old = now - std::time::Duration::from_secs(60);
        let recent = now - std::time::Duration::from_millis(500);
        set_mtime(&out, old);
        set_mtime(&out.join("old"), old);
        set_mtime(&out.join("recent"), recent);
        let state = crate::cache::State {
            started: crate::cache::nanos(now),
            ..Default::default()
        };
        let found = scan(&out).unwrap();
        let rec = record(&out, &found, &Touched::default());
        let cached = scan_cached(&out, &rec, |m| state.trusts_mtime(m)).unwrap();
        assert_eq!(normal(&cached), normal(&found));
        assert_eq!(cached.dirs_read(), 1, "the recent directory is read");

        // A file added within the clock's resolution, the directory's time
        // unchanged.
        for d in ["old", "recent"] {
            std::fs::write(out.join(d).join("new.html"), "new").unwrap();
        }
        set_mtime(&out.join("old"), old);
        set_mtime(&out.join("recent"), recent);
        let cached = scan_cached(&out, &rec, |m| state.trusts_mtime(m)).unwrap();
        assert!(cached.files.contains_key("recent/new.html"), "seen");
        // Trusted, the old directory is not read: proof that the record
        // is used (no file system would keep its time after a change).
        assert!(!cached.files.contains_key("old/new.html"));
    }

    /// A build records the directories it changed as ones to read, and the
    /// others with their times; what it removed is gone from the record.
    #[test]
    fn listing_after_a_write() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let v1 = [
            Output::new("a/index.html", "a"),
            Output::new("b/index.html", "b"),
            Output::new("c/index.html", "c"),
        ];
        write(&out, &v1).unwrap();
        let found = scan(&out).unwrap();
        let mut touched = Touched::default();
        let v2 = [
            Output::new("a/index.html", "a"),
            Output::new("b/index.html", "B"),
            Output::new("d/e/index.html", "e"),
        ];
        write_files(
            &out,
            &v2,
            &crate::progress::Progress::hidden(),
            &mut touched,
        )
        .unwrap();
        let keep: HashSet<&str> = v2.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(remove_stale(&out, &found, &keep, &mut touched).unwrap(), 1);
        let dirs = listing(&out, &found, &touched);
        let seen: Vec<(&str, u32, bool, Vec<&str>)> = dirs
            .iter()
            .map(|d| {
                let files = d.files.iter().map(String::as_str).collect();
                (d.name.as_str(), d.parent, d.mtime.is_some(), files)
            })
            .collect();
        let mut seen_sorted = seen.clone();
        seen_sorted[1..].sort();
        assert_eq!(
            seen_sorted,
            [
                ("", 0, false, vec![]),
                ("a", 0, true, vec!["index.html"]),
                ("b", 0, false, vec![]),
                ("d", 0, false, vec![]),
                (
                    "e",
                    seen.iter().position(|d| d.0 == "d").unwrap() as u32,
                    false,
                    vec![]
                ),
            ]
        );
        // Unchanged, the output's own directory has its marker file.
        let found = scan(&out).unwrap();
        let dirs = listing(&out, &found, &Touched::default());
        let mut files = dirs[0].files.clone();
        files.sort();
        assert_eq!(files, [MARKER]);
    }
}

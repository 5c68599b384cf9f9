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

use crate::cache::FileStamp;
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
/// `/` separators → stamp), and its directories, found in one walk.
#[derive(Debug, Default)]
pub struct Scan {
    pub files: HashMap<String, FileStamp>,
    /// Files whose names are not UTF-8: never an output.
    odd: Vec<PathBuf>,
    /// Directories, and whether each holds anything.
    dirs: Vec<(PathBuf, bool)>,
}

/// Lists what `out` holds; an absent directory holds nothing. The marker
/// file is left out. The walk is one pass; the files are then looked at in
/// parallel.
pub fn scan(out: &Path) -> anyhow::Result<Scan> {
    let mut s = Scan::default();
    if !out.is_dir() {
        return Ok(s);
    }
    let prefix = out.as_os_str().len();
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    // Directories on the path to the current entry: (depth, index in dirs).
    let mut open: Vec<(usize, usize)> = Vec::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1) {
        let entry = entry.with_context(|| format!("cannot read {}", out.display()))?;
        let depth = entry.depth();
        while open.last().is_some_and(|&(d, _)| d >= depth) {
            open.pop();
        }
        if let Some(&(_, i)) = open.last() {
            s.dirs[i].1 = true;
        }
        let ft = entry.file_type();
        let path = entry.into_path();
        if ft.is_dir() {
            open.push((depth, s.dirs.len()));
            s.dirs.push((path, false));
        } else {
            files.push((path, ft.is_file()));
        }
    }
    let stamped: Vec<Result<(String, FileStamp), Option<PathBuf>>> = files
        .into_par_iter()
        .map(|(path, is_file)| {
            // The path is `out` joined with the relative path.
            let Some(rel) = path.as_os_str().to_str().and_then(|p| p.get(prefix..)) else {
                return Err(Some(path));
            };
            let rel = rel.trim_start_matches(['/', '\\']).replace('\\', "/");
            if rel == MARKER {
                return Err(None);
            }
            let stamp = match std::fs::symlink_metadata(&path) {
                Ok(m) if is_file && m.is_file() => FileStamp::from_meta(&m),
                // A symbolic link or other non-file is never a page.
                _ => FileStamp {
                    len: u64::MAX,
                    mtime: None,
                },
            };
            Ok((rel, stamp))
        })
        .collect();
    for r in stamped {
        match r {
            Ok((rel, stamp)) => {
                s.files.insert(rel, stamp);
            }
            Err(Some(odd)) => s.odd.push(odd),
            Err(None) => {}
        }
    }
    Ok(s)
}

/// Writes `outputs` into `out`, which `check_output_dir` has accepted,
/// and removes every other file.
pub fn write(out: &Path, outputs: &[Output]) -> anyhow::Result<WriteStats> {
    let found = scan(out)?;
    let (mut stats, _) = write_files(out, outputs, &crate::progress::Progress::hidden())?;
    let keep: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    stats.removed = remove_stale(out, &found, &keep)?;
    Ok(stats)
}

/// Writes `outputs` into `out`, each file only when its bytes changed, in
/// parallel. Returns what it did and the stamp of each output's file, in
/// the order of `outputs`.
pub fn write_files(
    out: &Path,
    outputs: &[Output],
    progress: &crate::progress::Progress,
) -> anyhow::Result<(WriteStats, Vec<FileStamp>)> {
    let mut paths = HashSet::with_capacity(outputs.len());
    for o in outputs {
        checked(&o.path)?;
        if !paths.insert(o.path.as_str()) {
            bail!("two outputs would be written to {}", o.path);
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let marker = out.join(MARKER);
    if !marker.exists() {
        std::fs::write(&marker, b"This directory is generated by milbrief build.\n")
            .with_context(|| format!("cannot write {}", marker.display()))?;
    }
    progress.phase("Writing", Some(outputs.len()));
    let results: Vec<anyhow::Result<(bool, FileStamp)>> = outputs
        .par_iter()
        .map(|o| {
            let r = write_one(&out.join(&o.path), &o.bytes);
            progress.inc(1);
            r
        })
        .collect();
    let mut stats = WriteStats::default();
    let mut stamps = Vec::with_capacity(outputs.len());
    for r in results {
        let (written, stamp) = r?;
        if written {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
        stamps.push(stamp);
    }
    Ok((stats, stamps))
}

/// Writes one file unless it already holds `bytes`. Returns whether it
/// wrote, and the file's stamp.
fn write_one(path: &Path, bytes: &[u8]) -> anyhow::Result<(bool, FileStamp)> {
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && meta.is_file()
        && meta.len() == bytes.len() as u64
        && std::fs::read(path).is_ok_and(|old| old == bytes)
    {
        return Ok((false, FileStamp::from_meta(&meta)));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    if !dir.is_dir() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    if path.is_dir() {
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
        Ok(stamp) => Ok((true, stamp)),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e).with_context(|| format!("cannot write {}", path.display()))
        }
    }
}

/// Removes the files of `found` (a [`scan`] of `out` taken before writing)
/// that are not in `keep`, then the directories left empty.
pub fn remove_stale(out: &Path, found: &Scan, keep: &HashSet<&str>) -> anyhow::Result<usize> {
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
    for (d, full) in &found.dirs {
        if !full {
            candidates.insert((std::cmp::Reverse(depth(d)), d.clone()));
        }
    }
    for p in &stale {
        if let Some(parent) = p.parent()
            && parent != out
        {
            candidates.insert((std::cmp::Reverse(depth(parent)), parent.to_path_buf()));
        }
    }
    while let Some((_, d)) = candidates.pop_first() {
        // Fails (harmlessly) when the directory still has files.
        if std::fs::remove_dir(&d).is_ok()
            && let Some(parent) = d.parent()
            && parent != out
            && parent.starts_with(out)
        {
            candidates.insert((std::cmp::Reverse(depth(parent)), parent.to_path_buf()));
        }
    }
    Ok(stale.len())
}

#[cfg(test)]
mod tests {
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
}

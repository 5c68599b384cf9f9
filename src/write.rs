//! The only stage that touches the output directory. Every output is
//! already rendered in memory when this runs, so a failed build never
//! leaves a half-written site. Each file is written atomically (temporary
//! file + rename) and only when its bytes changed; files the site no longer
//! produces are removed.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail};
use rayon::prelude::*;

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
pub const BUILTIN_STATIC: &[(&str, &[u8])] =
    &[("style.css", include_bytes!("../static/style.css"))];

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

/// Writes `outputs` into `out`, which `check_output_dir` has accepted.
pub fn write(out: &Path, outputs: &[Output]) -> anyhow::Result<WriteStats> {
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

    let results: Vec<anyhow::Result<bool>> = outputs
        .par_iter()
        .map(|o| write_one(&out.join(&o.path), &o.bytes))
        .collect();
    let mut stats = WriteStats::default();
    for r in results {
        if r? {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }
    stats.removed = remove_stale(out, &paths)?;
    Ok(stats)
}

/// Writes one file unless it already holds `bytes`. Returns whether it wrote.
fn write_one(path: &Path, bytes: &[u8]) -> anyhow::Result<bool> {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
        && meta.len() == bytes.len() as u64
        && std::fs::read(path).is_ok_and(|old| old == bytes)
    {
        return Ok(false);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
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
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(true)
}

/// Removes files under `out` that are not in `keep`, then empty directories.
fn remove_stale(out: &Path, keep: &HashSet<&str>) -> anyhow::Result<usize> {
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1) {
        let entry = entry.with_context(|| format!("cannot read {}", out.display()))?;
        let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            dirs.push(entry.path().to_path_buf());
        } else if rel_s != MARKER && !keep.contains(rel_s.as_str()) {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove stale {}", entry.path().display()))?;
            removed += 1;
        }
    }
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        // Fails (harmlessly) when the directory still has files.
        let _ = std::fs::remove_dir(&d);
    }
    Ok(removed)
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

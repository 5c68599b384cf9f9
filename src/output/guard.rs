//! What the output directory may be, and what may be written in it:
//! milbrief writes only inside a directory it made (or an empty one),
//! never over the site's own files, and only at relative paths that stay
//! inside it.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::layout;

/// Marks a directory as milbrief's output, so it may be cleaned.
pub const MARKER: &str = ".milbrief-output";

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
    for dir in layout::SITE_DIRS {
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
        let entries = std::fs::read_dir(&out_abs)
            .with_context(|| format!("cannot read {}", out.display()))?;
        // The staging directory of a first build that was killed is
        // milbrief's: the next build removes it.
        let mut others = entries.filter(|e| {
            e.as_ref()
                .map_or(true, |e| e.file_name() != super::stage::STAGING)
        });
        if others.next().is_some() {
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

/// A relative output path that stays inside the output directory.
pub(super) fn checked(path: &str) -> anyhow::Result<&Path> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && !path.contains(['\\', '\n', '\r'])
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if !ok {
        bail!("refusing to write outside the output directory: {path:?}");
    }
    let first = path.split('/').next().unwrap_or(path);
    if [MARKER, super::stage::STAGING].contains(&first) {
        bail!("{path}: the name {first} is milbrief's own in the output directory");
    }
    Ok(p)
}

//! One build at a time per site and per output directory. A build takes
//! exclusive operating-system file locks (`flock` on Unix): with the
//! cache, on `<site>/.milbrief/lock`, which guards the cache; and, where
//! the system can lock a directory, on the output directory itself (or,
//! before it exists, the directory that will hold it), which guards it
//! against a build of another site. A second build says that another
//! milbrief build is writing there and waits for it. The system releases
//! a lock when its process ends, however it ends: a killed build leaves
//! no stale lock, and the lock file itself holds nothing. A build without
//! the cache creates no file for its lock.

use std::fs::{File, TryLockError};
use std::path::Path;

use anyhow::Context as _;

use crate::layout;

/// The locks a build holds until it is dropped.
pub struct Lock {
    _held: Vec<File>,
}

/// Takes the site's lock (with the cache) and the output directory's,
/// waiting for another build that holds one.
pub fn acquire(root: &Path, out: &Path, use_cache: bool) -> anyhow::Result<Lock> {
    let mut held = Vec::new();
    if use_cache {
        held.push(site_lock(root)?);
    }
    // The output directory, or the one that will hold it.
    let dir = if out.is_dir() {
        Some(out)
    } else {
        out.parent().filter(|p| p.is_dir())
    };
    if let Some(d) = dir.and_then(|d| Some((d, open_dir(d)?))) {
        held.push(wait_for(d.1, d.0)?);
    }
    Ok(Lock { _held: held })
}

/// The lock of the site's cache, `.milbrief/lock`.
fn site_lock(root: &Path) -> anyhow::Result<File> {
    let dir = root.join(layout::STATE_DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        // Nothing in it is worth committing.
        let _ = std::fs::write(&ignore, "*\n");
    }
    let path = dir.join("lock");
    let site = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    wait_for(site, &path)
}

/// A directory, opened to be locked (Unix only: elsewhere a directory
/// cannot be opened as a file).
fn open_dir(dir: &Path) -> Option<File> {
    if cfg!(unix) {
        File::open(dir).ok()
    } else {
        None
    }
}

/// Locks `f` (the lock of `what`), waiting with a message when another
/// build holds it.
fn wait_for(f: File, what: &Path) -> anyhow::Result<File> {
    match f.try_lock() {
        Ok(()) => return Ok(f),
        Err(TryLockError::WouldBlock) => {
            eprintln!(
                "another milbrief build is writing here ({}); waiting for it to finish",
                what.display()
            );
        }
        Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
            // A file system without locks: nothing to wait for.
            return Ok(f);
        }
        Err(TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", what.display()));
        }
    }
    f.lock()
        .with_context(|| format!("cannot lock {}", what.display()))?;
    Ok(f)
}

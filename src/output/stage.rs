//! The output's writer: a transaction. Outputs are pushed in batches
//! ([`Writer::push`]); each file whose bytes changed is written at once to
//! a temporary file in the staging directory ([`STAGING`], inside the
//! output directory, so on its file system) and its bytes dropped, so that
//! memory holds one batch, not the site. Nothing in the output changes
//! until [`Writer::commit`], which moves every staged file into place by
//! renames, then removes the stale files. A writer dropped before its
//! commit (an I/O error, a full disk, a refused path) removes its staging
//! directory: the output is as it was, with no temporary file left.
//!
//! The writer never follows a symbolic link inside the output and never
//! removes what milbrief did not write (see [`super::owned`]): a link, or
//! a file or directory not written by milbrief, where the site needs a
//! file or a directory is an error naming it, found before anything is
//! moved, unless the build cleans (`--clean`). A file or directory
//! milbrief wrote that is in the way is replaced.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, bail};
use rayon::prelude::*;

use super::guard::{MARKER, checked};
use super::owned::{Owned, marker_bytes};

mod way;
use super::write::{Touched, WriteStats};
use crate::disk::FileStamp;
use crate::model::Output;
use crate::progress::Progress;

/// How many outputs a renderer hands the writer at a time: what memory
/// holds of rendered pages.
pub const BATCH: usize = 1024;

/// Where a renderer puts what it rendered: each batch is written (staged)
/// at once and dropped.
pub trait OutputSink {
    fn push(&mut self, batch: Vec<Output>) -> anyhow::Result<()>;
}

impl OutputSink for Writer<'_> {
    fn push(&mut self, batch: Vec<Output>) -> anyhow::Result<()> {
        Writer::push(self, batch)
    }
}

/// The staging directory, in the output directory.
pub const STAGING: &str = ".milbrief-staging";

/// Removes what a killed build left: its staging directory. Called with
/// the build's lock held.
pub fn recover(out: &Path) -> anyhow::Result<()> {
    let s = out.join(STAGING);
    match std::fs::symlink_metadata(&s) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(&s),
        Ok(_) => std::fs::remove_file(&s),
        Err(_) => return Ok(()),
    }
    .with_context(|| format!("cannot remove {}", s.display()))
}

/// A directory the site needs, as found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DirState {
    /// A directory (not a link to one), and so are those above it.
    Real,
    /// It, or one above it, is to be created.
    Missing,
}

/// One output pushed.
struct Entry {
    rel: String,
    /// Its staged file's number, when its bytes changed.
    staged: Option<usize>,
    /// A directory in its place, to remove.
    replace_dir: bool,
    stamp: FileStamp,
}

/// A write of the output under way.
pub struct Writer<'p> {
    out: PathBuf,
    owned: Owned,
    clean: bool,
    progress: &'p Progress,
    staging: Option<PathBuf>,
    /// The output directory did not exist: it is removed on failure.
    out_created: bool,
    next: AtomicUsize,
    entries: Vec<Entry>,
    paths: HashSet<String>,
    dirs: HashMap<String, DirState>,
    /// Non-directories milbrief wrote (or, cleaning, anything) where the
    /// site needs a directory: removed at the commit.
    blockers: Vec<String>,
    committed: bool,
}

/// What a commit did.
pub struct Committed {
    pub stats: WriteStats,
    /// The stamp of each output's file, in the order pushed.
    pub stamps: Vec<FileStamp>,
    /// What the output holds that milbrief did not write, kept (empty when
    /// cleaning: removed).
    pub foreign: Vec<String>,
}

impl<'p> Writer<'p> {
    /// A writer of `out`, which `check_output_dir` accepted. With `clean`,
    /// what milbrief did not write is removed, and replaced where it is in
    /// the way.
    pub fn begin(out: &Path, clean: bool, progress: &'p Progress) -> anyhow::Result<Writer<'p>> {
        Ok(Writer {
            owned: Owned::read(out)?,
            out: out.to_path_buf(),
            clean,
            progress,
            staging: None,
            out_created: false,
            next: AtomicUsize::new(0),
            entries: Vec::new(),
            paths: HashSet::new(),
            dirs: HashMap::new(),
            blockers: Vec::new(),
            committed: false,
        })
    }

    /// Writes a batch of outputs to staging files (those whose bytes
    /// changed), in parallel, and drops their bytes.
    pub fn push(&mut self, batch: Vec<Output>) -> anyhow::Result<()> {
        for o in &batch {
            checked(&o.path)?;
            if !self.paths.insert(o.path.clone()) {
                bail!("two outputs would be written to {}", o.path);
            }
            let parent = o.path.rsplit_once('/').map_or("", |(d, _)| d);
            self.dir_state(parent)?;
        }
        self.staging_dir()?;
        let this = &*self;
        let placed: Vec<anyhow::Result<Entry>> = batch
            .into_par_iter()
            .map(|o| {
                let r = this.place(o);
                this.progress.inc(1);
                r
            })
            .collect();
        for p in placed {
            self.entries.push(p?);
        }
        Ok(())
    }

    /// Creates the staging directory (and the output directory) if need
    /// be.
    fn staging_dir(&mut self) -> anyhow::Result<&Path> {
        if self.staging.is_none() {
            if std::fs::symlink_metadata(&self.out).is_err() {
                std::fs::create_dir_all(&self.out)
                    .with_context(|| format!("cannot create {}", self.out.display()))?;
                self.out_created = true;
            }
            let s = self.out.join(STAGING);
            recover(&self.out)?;
            std::fs::create_dir(&s).with_context(|| format!("cannot create {}", s.display()))?;
            self.staging = Some(s);
        }
        Ok(self.staging.as_deref().unwrap_or(&self.out))
    }

    /// Compares one output with its file, and stages it when it differs.
    fn place(&self, o: Output) -> anyhow::Result<Entry> {
        let parent = o.path.rsplit_once('/').map_or("", |(d, _)| d);
        let path = self.out.join(&o.path);
        let mut replace_dir = false;
        if self.dirs.get(parent).is_none_or(|s| *s == DirState::Real) {
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_file() => {
                    if m.len() == o.bytes.len() as u64
                        && std::fs::read(&path).is_ok_and(|old| old == o.bytes)
                    {
                        return Ok(Entry {
                            rel: o.path,
                            staged: None,
                            replace_dir: false,
                            stamp: FileStamp::from_meta(&m),
                        });
                    }
                    self.in_the_way(&o.path, &m, "a file")?;
                }
                Ok(m) => {
                    self.in_the_way(&o.path, &m, "a file")?;
                    replace_dir = m.is_dir();
                }
                Err(_) => {}
            }
        }
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let tmp = self.staged_path(n);
        std::fs::write(&tmp, &o.bytes)
            .with_context(|| format!("cannot write {} (for {})", tmp.display(), path.display()))?;
        Ok(Entry {
            rel: o.path,
            staged: Some(n),
            replace_dir,
            stamp: FileStamp {
                len: 0,
                mtime: None,
                ctime: None,
            },
        })
    }

    fn staged_path(&self, n: usize) -> PathBuf {
        self.staging
            .as_deref()
            .unwrap_or(&self.out)
            .join(n.to_string())
    }

    /// Moves every staged file into place, removes the files of `found`
    /// milbrief wrote that are not in `keep` (every output of the site)
    /// and, when cleaning, every other file; writes the marker listing
    /// `keep`. Adds the directories it changed to `touched`.
    ///
    /// Until the stale files are removed, the marker lists the old files
    /// and the new: a build killed in between leaves none of them
    /// unowned.
    pub fn commit(
        mut self,
        found: &super::Scan,
        keep: &HashSet<&str>,
        touched: &mut Touched,
    ) -> anyhow::Result<Committed> {
        let marker = marker_bytes(keep.iter().copied());
        let now = std::fs::read(self.out.join(MARKER)).ok();
        let new_marker = now.as_deref() != Some(&marker[..]);
        if new_marker {
            let both = match &self.owned {
                Owned::Listed(old) => {
                    marker_bytes(keep.iter().copied().chain(old.iter().map(String::as_str)))
                }
                _ => marker.clone(),
            };
            if now.as_deref() != Some(&both[..]) {
                self.put_marker(&both)?;
            }
        }
        if self.out_created {
            touched.created.insert(self.out.clone());
        }
        if self.staging.is_some() {
            touched.changed.insert(self.out.clone());
        }
        self.make_dirs(touched)?;
        self.rename_all(touched)?;
        let removed = super::write::remove_stale(
            &self.out,
            found,
            &super::write::Removal {
                keep,
                owned: &self.owned,
                clean: self.clean,
            },
            touched,
        )?;
        if new_marker {
            self.put_marker(&marker)?;
            touched.changed.insert(self.out.clone());
        }
        if let Some(s) = self.staging.take() {
            std::fs::remove_dir_all(&s)
                .with_context(|| format!("cannot remove {}", s.display()))?;
        }
        self.committed = true;
        let written = self.entries.iter().filter(|e| e.staged.is_some()).count();
        let stats = WriteStats {
            written,
            unchanged: self.entries.len() - written,
            removed: removed.removed,
        };
        let stamps = std::mem::take(&mut self.entries)
            .into_iter()
            .map(|e| e.stamp)
            .collect();
        Ok(Committed {
            stats,
            stamps,
            foreign: removed.foreign,
        })
    }

    /// Replaces the marker file with `bytes`, through the staging
    /// directory.
    fn put_marker(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.out.join(MARKER);
        if let Ok(m) = std::fs::symlink_metadata(&path)
            && m.is_dir()
        {
            self.in_the_way(MARKER, &m, "its marker file")?;
            std::fs::remove_dir_all(&path)
                .with_context(|| format!("cannot replace {}", path.display()))?;
        }
        self.staging_dir()?;
        let tmp = self.staged_path(self.next.fetch_add(1, Ordering::Relaxed));
        std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Creates the directories the staged files need, shallowest first,
    /// removing what milbrief wrote (or, cleaning, anything) in their way.
    fn make_dirs(&mut self, touched: &mut Touched) -> anyhow::Result<()> {
        let blockers: HashSet<&str> = self.blockers.iter().map(String::as_str).collect();
        let mut missing: Vec<&str> = self
            .dirs
            .iter()
            .filter(|(_, s)| **s == DirState::Missing)
            .map(|(r, _)| r.as_str())
            .collect();
        missing.sort_by_key(|r| (r.matches('/').count(), *r));
        let mut made: Vec<PathBuf> = Vec::with_capacity(missing.len());
        for rel in missing {
            let path = self.out.join(rel);
            let r = if blockers.contains(rel) {
                std::fs::remove_file(&path)
                    .with_context(|| format!("cannot replace {}", path.display()))
            } else {
                Ok(())
            }
            .and_then(|()| {
                std::fs::create_dir(&path)
                    .with_context(|| format!("cannot create {}", path.display()))
            });
            if let Err(e) = r {
                // Nothing is moved yet: the directories made go too.
                for d in made.iter().rev() {
                    let _ = std::fs::remove_dir(d);
                }
                return Err(e);
            }
            made.push(path);
        }
        for path in made {
            touched
                .changed
                .insert(path.parent().unwrap_or(&self.out).to_path_buf());
            touched.created.insert(path);
        }
        Ok(())
    }

    /// Renames every staged file into place, in parallel; stamps it there.
    fn rename_all(&mut self, touched: &mut Touched) -> anyhow::Result<()> {
        let out = &self.out;
        let staging = self.staging.as_deref().unwrap_or(out);
        let done: Vec<anyhow::Result<Option<FileStamp>>> = self
            .entries
            .par_iter()
            .map(|e| {
                let Some(n) = e.staged else { return Ok(None) };
                let path = out.join(&e.rel);
                if e.replace_dir {
                    std::fs::remove_dir_all(&path)
                        .with_context(|| format!("cannot replace directory {}", path.display()))?;
                }
                std::fs::rename(staging.join(n.to_string()), &path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                let meta = std::fs::symlink_metadata(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                Ok(Some(FileStamp::from_meta(&meta)))
            })
            .collect();
        for (e, d) in self.entries.iter_mut().zip(done) {
            if let Some(stamp) = d? {
                e.stamp = stamp;
                let path = out.join(&e.rel);
                touched
                    .changed
                    .insert(path.parent().unwrap_or(out).to_path_buf());
                if e.replace_dir {
                    touched.gone.insert(path);
                }
            }
        }
        Ok(())
    }
}

impl Drop for Writer<'_> {
    /// A writer not committed leaves the output as it was.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if let Some(s) = &self.staging {
            let _ = std::fs::remove_dir_all(s);
        }
        if self.out_created {
            let _ = std::fs::remove_dir(&self.out);
        }
    }
}

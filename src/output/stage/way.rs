//! What is in the way of the site in the output directory: each
//! directory a page needs is checked once, from the top; a link, or a
//! file or directory milbrief did not write, where the site needs a file
//! or a directory is an error naming it and its fix, unless the build
//! cleans. A file milbrief wrote where a directory must go is replaced at
//! the commit.

use std::path::Path;

use anyhow::{Context as _, bail};

use super::{DirState, Writer};

impl Writer<'_> {
    /// The state of the directory at `rel` (`""`: the output itself),
    /// checking those above it first. A non-directory in the way is an
    /// error unless milbrief wrote it or the build cleans.
    pub(super) fn dir_state(&mut self, rel: &str) -> anyhow::Result<DirState> {
        if rel.is_empty() {
            return Ok(DirState::Real);
        }
        if let Some(s) = self.dirs.get(rel) {
            return Ok(*s);
        }
        let parent = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let state = if self.dir_state(parent)? == DirState::Missing {
            DirState::Missing
        } else {
            let path = self.out.join(rel);
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() => DirState::Real,
                Ok(m) => {
                    self.in_the_way(rel, &m, "a directory")?;
                    self.blockers.push(rel.to_string());
                    DirState::Missing
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => DirState::Missing,
                Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
            }
        };
        self.dirs.insert(rel.to_string(), state);
        Ok(state)
    }

    /// Whether what is at `rel` (`meta`) may be replaced by what the site
    /// needs there (`needed`): milbrief wrote it, or the build cleans.
    pub(super) fn in_the_way(
        &self,
        rel: &str,
        meta: &std::fs::Metadata,
        needed: &str,
    ) -> anyhow::Result<()> {
        let kind = if meta.is_symlink() {
            "a symbolic link"
        } else if meta.is_dir() {
            "a directory"
        } else if meta.is_file() {
            "a file"
        } else {
            "a special file"
        };
        let ours = match kind {
            "a file" => self.owned.owns(rel),
            "a directory" => self.owns_tree(rel),
            _ => false,
        };
        if ours || self.clean {
            return Ok(());
        }
        bail!(
            "{}: {kind} not written by milbrief is where the site needs {needed}; milbrief never writes through a link nor removes what it did not write: move it away, or build with --clean to remove it",
            self.out.join(rel).display()
        )
    }

    /// Whether milbrief wrote every file in the directory at `rel`.
    fn owns_tree(&self, rel: &str) -> bool {
        let dir = self.out.join(rel);
        walkdir::WalkDir::new(&dir)
            .min_depth(1)
            .into_iter()
            .all(|e| {
                e.ok().is_some_and(|e| {
                    e.file_type().is_dir()
                        || e.path()
                            .strip_prefix(&self.out)
                            .ok()
                            .and_then(Path::to_str)
                            .is_some_and(|r| e.file_type().is_file() && self.owned.owns(r))
                })
            })
    }
}

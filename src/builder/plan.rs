//! What the cache and the disk say about a build before it reads anything:
//! which content files changed since the cache was saved, and which pages
//! of the output are as the last build left them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cache::{FileRec, State};
use crate::disk::FileStamp;
use crate::error::Result;
use crate::load;
use crate::output::Scan;
use crate::pipeline;

/// What the cache and the disk say about this build.
pub(super) struct Plan {
    /// Content files added, changed or removed (relative to the root).
    pub(super) changed: Vec<PathBuf>,
    /// Every unchanged content file, with its stamp now.
    pub(super) files_now: Vec<FileRec>,
    /// Pages whose file is as the last build wrote it → fingerprint.
    pub(super) previous: HashMap<String, u64>,
    /// Every page the last build wrote is intact.
    pub(super) pages_intact: bool,
    /// Some files were compared by content.
    pub(super) racy: bool,
}

/// The content files added, changed or removed since the cache was saved.
pub(super) fn plan_content(root: &Path, state: &State) -> Result<Plan> {
    let files = pipeline::content_files(root)?;
    let known: HashMap<&str, &FileRec> = state.files.iter().map(|f| (f.rel.as_str(), f)).collect();
    // Stat every file; read those whose stamp cannot be trusted.
    let looked: Vec<(PathBuf, Option<FileRec>, bool, bool)> = files
        .into_par_iter()
        .map(|rel| {
            let Some(key) = rel.to_str().map(|s| s.replace('\\', "/")) else {
                return (rel, None, true, false);
            };
            let Some(stamp) = FileStamp::of(&root.join(&rel)) else {
                return (rel, None, true, false);
            };
            match known.get(key.as_str()) {
                Some(old) if old.stamp == stamp && state.trusts(&stamp) => {
                    let now = FileRec {
                        stamp,
                        ..(*old).clone()
                    };
                    (rel, Some(now), false, false)
                }
                Some(old) if old.stamp.len == stamp.len => {
                    // Same length, stamp too recent or changed: compare contents.
                    let same = std::fs::read(root.join(&rel))
                        .is_ok_and(|b| load::fingerprint(&rel, &b) == old.fingerprint);
                    let now = FileRec {
                        stamp,
                        ..(*old).clone()
                    };
                    (rel, Some(now), !same, true)
                }
                _ => (rel, None, true, false),
            }
        })
        .collect();
    let mut changed = Vec::new();
    let mut files_now = Vec::with_capacity(looked.len());
    let mut present = HashSet::with_capacity(looked.len());
    let mut racy = false;
    for (rel, rec, is_changed, was_racy) in looked {
        racy |= was_racy;
        if let Some(k) = rel.to_str() {
            present.insert(k.replace('\\', "/"));
        }
        if is_changed {
            changed.push(rel);
        } else if let Some(r) = rec {
            files_now.push(r);
        }
    }
    for f in &state.files {
        if !present.contains(&f.rel) {
            changed.push(PathBuf::from(&f.rel));
        }
    }
    Ok(Plan {
        changed,
        files_now,
        previous: HashMap::new(),
        pages_intact: false,
        racy,
    })
}

impl Plan {
    /// Adds the pages of the output directory that are as the cached
    /// build left them (`found` is a scan of it).
    pub(super) fn with_pages(mut self, state: &State, found: &Scan, out_key: &str) -> Plan {
        if let Some(o) = state.output.as_ref().filter(|o| o.dir == out_key) {
            self.previous.reserve(o.pages.len());
            for p in &o.pages {
                if found.files.get(&p.path) == Some(&p.stamp) {
                    self.previous.insert(p.path.clone(), p.fingerprint);
                }
            }
            self.pages_intact = self.previous.len() == o.pages.len();
        }
        self
    }
}

//! The build cache: what `milbrief build` keeps between runs, in
//! `<site>/.milbrief/cache/` (never in the output directory), so that a
//! rebuild reads, parses, tags and renders only what changed.
//!
//! - `state`: the cache key (milbrief's version and binary, the
//!   configuration text and build flags), a digest of the site's templates,
//!   every content file's length, modification time and content hash, and
//!   for the output directory last written, its record ([`OutputRec`]):
//!   every page's render fingerprint (a hash of all it shows) with the
//!   stamp of the file written for it, and every directory with its
//!   modification time, so that the next build need not walk it.
//! - `articles-NN`: the parsed and tagged articles, in shards (see
//!   [`shard`]), whose bodies and explanations are read when first asked
//!   for. The articles' plain text (`body_text`, the tagger's input) is not
//!   kept: an article comes back from the cache tagged, with an empty
//!   `body_text`.
//! - `memo`: what the last render pass leaves for the next one (see
//!   [`memo`]).
//!
//! Every file carries a magic number, a format version and a checksum of
//! each section (see [`frame`]). Any doubt (another key, a truncated or
//! corrupt file, a shard that does not match the state) is an [`Error`] and
//! the cache is ignored: the build is a full one. A body or explanations
//! found damaged when a page asks for them is an error value too
//! ([`crate::model::Unreadable`]): the build then throws away what it
//! rendered, before anything is written, and builds everything.

mod error;
mod frame;
mod memo;
mod shard;
mod stored;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use error::{Damage, Error};
pub use memo::Memo;
pub use shard::{SHARDS, Store};

use crate::disk::FileStamp;
use crate::layout;
use crate::model::{Article, Parts};
use crate::output::OutputRec;
use frame::Fnv;

/// Files modified (or whose status changed) less than this before the
/// build that saved the cache began, or after, are compared by content,
/// not by their stamp: a file saved twice within the file system's clock
/// resolution keeps its stamp (git's "racy timestamps").
const RACY_NANOS: i128 = 2_000_000_000;

/// What the last successful build left.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    pub key: u64,
    /// When that build began, in nanoseconds since 1970.
    pub started: i128,
    /// Digest of the site's `templates/` directory.
    pub templates: u64,
    /// Content files, sorted by path.
    pub files: Vec<FileRec>,
    /// Digest of each article shard.
    pub shards: Vec<u64>,
    /// The output directory that build wrote.
    pub output: Option<OutputRec>,
    /// The tag of the `memo` file that goes with this state (0: none).
    pub memo: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileRec {
    /// Path relative to the site root, `/`-separated.
    pub rel: String,
    pub stamp: FileStamp,
    /// [`crate::load::fingerprint`] of the file.
    pub fingerprint: u64,
    pub draft: bool,
}

impl State {
    /// Whether a file whose stamp equals its record may be trusted without
    /// reading it: both its times are older than the build that saved the
    /// cache, by the racy margin.
    pub fn trusts(&self, stamp: &FileStamp) -> bool {
        stamp.mtime.is_some_and(|m| self.trusts_mtime(m))
            && stamp.ctime.is_none_or(|c| self.trusts_mtime(c))
    }

    /// Whether a modification time is old enough, by the racy margin, that
    /// a later change of the file or directory gets another one.
    pub fn trusts_mtime(&self, mtime: i128) -> bool {
        mtime < self.started.saturating_sub(RACY_NANOS)
    }
}

/// The cache key: what, when it changes, invalidates every cached article
/// and page. `config` is the hash of the configuration and build flags.
pub fn key(config: u64) -> u64 {
    let mut h = Fnv::new();
    h.u64(u64::from(frame::FORMAT));
    h.bytes(env!("CARGO_PKG_VERSION").as_bytes());
    h.u64(config);
    // The binary itself: another build of milbrief may tag, render or hash
    // differently even under the same version number.
    if let Some(s) = std::env::current_exe().ok().and_then(|p| FileStamp::of(&p)) {
        h.u64(s.len);
        h.u64(s.mtime.unwrap_or(0) as u64);
    }
    // The standard hasher behind every fingerprint.
    use std::hash::{Hash, Hasher};
    let mut probe = std::hash::DefaultHasher::new();
    "milbrief".hash(&mut probe);
    h.u64(probe.finish());
    h.finish()
}

/// A digest of the site's templates directory: names and bytes.
pub fn templates_digest(root: &Path) -> u64 {
    let mut h = Fnv::new();
    let dir = root.join(layout::TEMPLATES_DIR);
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let Ok(e) = e else {
                h.u64(1);
                continue;
            };
            let rel = e.path().strip_prefix(&dir).unwrap_or(e.path());
            h.bytes(rel.as_os_str().as_encoded_bytes());
            if e.file_type().is_file() {
                match std::fs::read(e.path()) {
                    Ok(b) => h.bytes(&b),
                    Err(_) => h.u64(2),
                }
            }
        }
    }
    // A static robots.txt replaces the generated one: the set of pages
    // depends on it.
    h.u64(u64::from(layout::has_own_robots(root)));
    h.finish()
}

/// Reads the state; `Ok(None)` when there is no cache, `Err` with the
/// reason when there is one that cannot be used.
pub fn load_state(root: &Path) -> Result<Option<State>, Error> {
    read_state(&layout::cache_dir(root).join("state"))
}

/// Reads the state file at `path`.
fn read_state(path: &Path) -> Result<Option<State>, Error> {
    let payload = match frame::read_framed(path, 0, 1) {
        Ok(mut sections) => sections.pop().unwrap_or_default(),
        Err(Error {
            damage: Damage::Missing,
            ..
        }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let state: State = postcard::from_bytes(&payload)
        .map_err(|e| Error::new(path, Damage::Decode(e.to_string())))?;
    if state.shards.len() != SHARDS {
        return Err(Error::new(path, Damage::ShardCount));
    }
    Ok(Some(state))
}

/// Reads the file at `path` as a build reads a cache `state` or, with
/// `shard`, an article shard (whatever tag its header gives), with every
/// body and explanations in it. For the fuzz targets: a damaged file is an
/// error value, never a panic or an allocation its size does not back.
#[doc(hidden)]
pub fn probe(path: &Path, shard: bool) -> Result<usize, Error> {
    if !shard {
        return Ok(read_state(path)?.map_or(0, |s| s.files.len()));
    }
    let mut tag = [0; 8];
    if let Some(t) = std::fs::read(path)
        .ok()
        .and_then(|b| b.get(12..20).map(<[u8]>::to_vec))
    {
        tag.copy_from_slice(&t);
    }
    let (articles, store) = shard::load_shard(path, u64::from_le_bytes(tag), 0)?;
    let store = Store::of(vec![store]);
    let mut parts = 0;
    for a in &articles {
        parts += usize::from(a.body_html.read(&store).is_ok());
        parts += usize::from(a.explanations.read(&store).is_ok());
    }
    Ok(articles.len() + parts)
}

/// A framed cache file of `sections` (valid header and checksums), for
/// the fuzz targets to reach the decoding behind the framing.
#[doc(hidden)]
pub fn frame_for_probe(tag: u64, sections: &[&[u8]]) -> Vec<u8> {
    frame::framed(tag, sections)
}

/// Reads every article shard the state names, in parallel: the articles,
/// and the store their bodies and explanations are read from when first
/// asked for.
pub fn load_articles(root: &Path, state: &State) -> Result<(Vec<Arc<Article>>, Store), Error> {
    shard::load_all(&layout::cache_dir(root), &state.shards)
}

/// Reads the memo the state names.
pub fn load_memo(root: &Path, state: &State) -> Result<Memo, Error> {
    memo::load_memo(&layout::cache_dir(root), state.memo)
}

/// Writes the memo; returns the tag the state must name for it.
pub fn save_memo(root: &Path, memo: &Memo, started: i128) -> anyhow::Result<u64> {
    memo::save_memo(&layout::cache_dir(root), memo, started)
}

/// Writes the cache. Only the shards whose articles changed since
/// `previous` (the shard digests the cache had) are written again; the
/// parts of articles loaded from the cache are read through `parts`. The
/// state is written last, so a failure half-way leaves shards that do not
/// match it, which the next build detects.
pub fn save(
    root: &Path,
    mut state: State,
    articles: &[(FileRec, Arc<Article>)],
    previous: Option<&[u64]>,
    parts: &dyn Parts,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use rayon::prelude::*;
    let d = layout::cache_dir(root);
    std::fs::create_dir_all(&d).with_context(|| format!("cannot create {}", d.display()))?;
    let ignore = root.join(layout::STATE_DIR).join(".gitignore");
    if !ignore.exists() {
        // The cache is never worth committing.
        let _ = std::fs::write(&ignore, "*\n");
    }
    let mut by_shard: Vec<Vec<&(FileRec, Arc<Article>)>> = vec![Vec::new(); SHARDS];
    for e in articles {
        by_shard[shard::shard_of(&e.0.rel)].push(e);
    }
    let key = state.key;
    let digests: Vec<u64> = by_shard
        .iter_mut()
        .map(|list| {
            list.sort_by(|a, b| a.0.rel.cmp(&b.0.rel));
            let mut h = Fnv::new();
            h.u64(key);
            for (f, _) in list.iter() {
                h.bytes(f.rel.as_bytes());
                h.u64(f.fingerprint);
            }
            h.finish()
        })
        .collect();
    let results: Vec<anyhow::Result<()>> = (0..SHARDS)
        .into_par_iter()
        .map(|i| {
            let path = d.join(shard::shard_name(i));
            if previous.is_some_and(|p| p.get(i) == Some(&digests[i])) && path.is_file() {
                return Ok(());
            }
            let list: Vec<&Article> = by_shard[i].iter().map(|(_, a)| &**a).collect();
            let [meta, explanations, bodies] = shard::encode_shard(&list, parts)
                .with_context(|| format!("cannot encode {}", path.display()))?;
            frame::write_framed(&path, digests[i], &[&meta, &explanations, &bodies])
        })
        .collect();
    for r in results {
        r?;
    }
    state.shards = digests;
    state.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    save_state(root, &state)
}

/// Writes the state alone; its shards must be those on disk.
pub fn save_state(root: &Path, state: &State) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let d = layout::cache_dir(root);
    std::fs::create_dir_all(&d).with_context(|| format!("cannot create {}", d.display()))?;
    let payload = postcard::to_stdvec(state).context("cannot encode the cache state")?;
    frame::write_framed(&d.join("state"), 0, &[&payload])
}

/// Repairs what a killed or disturbed build left in the cache directory,
/// before a build reads it (with the build's lock held): the temporary
/// files of a save that never finished (`.articles-16.NNNN.tmp`) are
/// removed, and a cache path of the wrong type (the directory a file, a
/// file a directory) is removed, so that this build writes it anew.
/// Returns a note for each repair of the wrong type.
pub fn tidy(root: &Path) -> Vec<String> {
    let d = layout::cache_dir(root);
    let mut notes = Vec::new();
    let mut remove = |p: &Path, what: &str| {
        let r = match std::fs::symlink_metadata(p) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(p),
            _ => std::fs::remove_file(p),
        };
        if !what.is_empty() {
            notes.push(match r {
                Ok(()) => format!(
                    "{} was {what}: removed, the cache is written anew",
                    p.display()
                ),
                Err(e) => format!("{} is {what} and cannot be removed: {e}", p.display()),
            });
        }
    };
    match std::fs::symlink_metadata(&d) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            remove(&d, "not a directory");
            return notes;
        }
        Err(_) => return notes,
    }
    let Ok(entries) = std::fs::read_dir(&d) else {
        return notes;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if name.starts_with('.') && name.ends_with(".tmp") {
            remove(&e.path(), "");
        } else if is_dir {
            remove(&e.path(), "a directory");
        }
    }
    notes
}

/// Removes the cache of a site (used when it cannot be trusted).
pub fn clear(root: &Path) {
    let _ = std::fs::remove_dir_all(layout::cache_dir(root));
}

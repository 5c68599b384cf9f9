//! The build cache: what `milbrief build` keeps between runs, in
//! `<site>/.milbrief/cache/` (never in the output directory), so that a
//! rebuild reads, parses, tags and renders only what changed.
//!
//! - `state`: the cache key (milbrief's version and binary, the
//!   configuration text and build flags), a digest of the site's templates,
//!   every content file's length, modification time and content hash, and
//!   for the output directory last written, every page's render fingerprint
//!   (a hash of all it shows, from [`crate::render::RenderPass`]) with the
//!   length and modification time of the file written for it, its other
//!   files, and every directory with its modification time, so that the
//!   next build need not walk it (see [`crate::write::scan_cached`]).
//! - `articles-NN`: the parsed and tagged articles, in [`SHARDS`] shards by
//!   path, so a rebuild after one edit rewrites one shard. A shard has three
//!   sections: the articles' metadata, their explanations (each encoded on
//!   its own), and their bodies (UTF-8, one after the other); the metadata
//!   gives each article's byte range in the other two, and its body's
//!   checksum. A rebuild renders a few pages, so it needs few bodies and
//!   fewer explanations: loading a shard reads its metadata and
//!   explanations, but decodes explanations and reads bodies only when
//!   first asked for (see [`LazyShard`]). The articles' plain text
//!   (`body_text`, the tagger's input) is not kept: an article comes back
//!   from the cache tagged, with an empty `body_text`.
//!
//! - `memo`: what the last render pass leaves for the next one: its salt,
//!   the site's structure and groupings (see [`crate::index::Groupings`])
//!   and every article's fingerprint by position. With them, a rebuild
//!   after an edit of text looks only at the pages showing the edited
//!   article, as `serve` does from memory.
//!
//! Every file carries a magic number, a format version and a checksum of
//! each section. Any doubt (another key, a truncated or corrupt file, a
//! shard that does not match the state) and the cache is ignored: the
//! build is a full one. A body or explanations found damaged when asked
//! for, after the articles were loaded, make [`CachedParts::damage`] say
//! so: the build then throws away what it rendered and builds everything.
//! A damaged memo only makes a rebuild look at every page.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek as _, SeekFrom, Write as _};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::{Article, Body, CountryCode, Explanations, PartSource, RawTag, TagOrigin};
use crate::tag::{Evidence, Explanation, Part};

/// The directory, under the site root, that holds milbrief's own state.
pub const CACHE_DIR: &str = ".milbrief";
const SUBDIR: &str = "cache";
const MAGIC: &[u8; 8] = b"MBCACHE\x01";
/// Bumped whenever the encoding below changes.
const FORMAT: u32 = 6;
/// Article shards: a rebuild rewrites only those holding a changed article.
pub const SHARDS: usize = 32;
/// Files modified less than this before the build that saved the cache
/// began (or after) are compared by content, not by their stamp: a file
/// saved twice within the file system's clock resolution keeps its stamp.
const RACY_NANOS: i128 = 2_000_000_000;

/// A file's identity as the file system reports it: length and
/// modification time (nanoseconds since 1970).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileStamp {
    pub len: u64,
    pub mtime: Option<i128>,
}

impl FileStamp {
    pub fn from_meta(m: &std::fs::Metadata) -> FileStamp {
        FileStamp {
            len: m.len(),
            mtime: m.modified().ok().map(nanos),
        }
    }

    /// The stamp of a regular file; `None` when there is none.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let m = std::fs::metadata(path).ok()?;
        m.is_file().then(|| FileStamp::from_meta(&m))
    }
}

/// Nanoseconds since 1970 (negative before).
pub fn nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

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

/// The output directory as a build left it.
#[derive(Debug, Serialize, Deserialize)]
pub struct OutputRec {
    /// Absolute path of the output directory.
    pub dir: String,
    pub pages: Vec<PageRec>,
    /// Every directory in it, itself first, each before those it holds:
    /// together they name every entry (see [`crate::write::scan_cached`]).
    pub dirs: Vec<DirRec>,
}

/// A directory of the output, and what it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirRec {
    /// Its name; `""` for the output directory itself.
    pub name: String,
    /// The index in [`OutputRec::dirs`] of the directory holding it (0 for
    /// the output directory itself).
    pub parent: u32,
    /// Its modification time (nanoseconds since 1970) when it held `files`
    /// and the directories naming it their parent; `None` when the build
    /// changed it since, so the next build reads it.
    pub mtime: Option<i128>,
    /// The names of what it holds but directories (pages, static files,
    /// the marker file); empty when `mtime` is `None`.
    pub files: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PageRec {
    pub path: String,
    pub fingerprint: u64,
    pub stamp: FileStamp,
}

impl State {
    /// Whether a file whose stamp equals its record may be trusted without
    /// reading it.
    pub fn trusts(&self, stamp: &FileStamp) -> bool {
        stamp.mtime.is_some_and(|m| self.trusts_mtime(m))
    }

    /// Whether a modification time is old enough, by the racy margin, that
    /// a later change of the file or directory gets another one.
    pub fn trusts_mtime(&self, mtime: i128) -> bool {
        mtime < self.started.saturating_sub(RACY_NANOS)
    }
}

/// The cache directory of a site.
pub fn dir(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join(SUBDIR)
}

/// The cache key: what, when it changes, invalidates every cached article
/// and page. `config` is the hash of the configuration and build flags.
pub fn key(config: u64) -> u64 {
    let mut h = Fnv::new();
    h.u64(u64::from(FORMAT));
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
    let dir = root.join(crate::render::TEMPLATES_DIR);
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
    h.u64(u64::from(crate::render::has_own_robots(root)));
    h.finish()
}

/// Reads the state; `Ok(None)` when there is no cache, `Err` with the
/// reason when there is one that cannot be used.
pub fn load_state(root: &Path) -> Result<Option<State>, String> {
    let path = dir(root).join("state");
    let payload = match read_framed(&path, 0, 1) {
        Ok(mut sections) => sections.pop().unwrap_or_default(),
        Err(ReadError::Missing) => return Ok(None),
        Err(ReadError::Bad(m)) => return Err(format!("{}: {m}", path.display())),
    };
    let state: State = postcard::from_bytes(&payload)
        .map_err(|e| format!("{}: cannot decode: {e}", path.display()))?;
    if state.shards.len() != SHARDS {
        return Err(format!("{}: unexpected shard count", path.display()));
    }
    Ok(Some(state))
}

/// Reads every article shard the state names, in parallel: the articles,
/// whose bodies and explanations are read when first asked for, and the
/// shards those come from.
pub fn load_articles(
    root: &Path,
    state: &State,
) -> Result<(Vec<Arc<Article>>, CachedParts), String> {
    let d = dir(root);
    let shards: Vec<Result<LoadedShard, String>> = (0..SHARDS)
        .into_par_iter()
        .map(|i| {
            let path = d.join(shard_name(i));
            load_shard(&path, state.shards[i]).map_err(|m| format!("{}: {m}", path.display()))
        })
        .collect();
    let mut out = Vec::with_capacity(state.files.len());
    let mut parts = Vec::with_capacity(SHARDS);
    for s in shards {
        let (list, shard) = s?;
        out.extend(list);
        parts.push(shard);
    }
    Ok((out, CachedParts(parts)))
}

/// The articles of a shard, and the shard their bodies and explanations
/// come from.
type LoadedShard = (Vec<Arc<Article>>, Arc<LazyShard>);

/// Loads the shard at `path`, whose digest the state says is `tag`.
fn load_shard(path: &Path, tag: u64) -> Result<LoadedShard, String> {
    let (mut f, size) = open(path).map_err(|e| match e {
        ReadError::Missing => "missing".to_string(),
        ReadError::Bad(m) => m,
    })?;
    let header = read_header(&mut f, size, tag, 3)?;
    let sections = &header.sections;
    let meta = read_section(&mut f, sections[0])?;
    let explanations = read_section(&mut f, sections[1])?;
    drop(f);
    let list: Vec<CachedArticle<'_>> =
        postcard::from_bytes(&meta).map_err(|e| format!("cannot decode: {e}"))?;
    let spans: Vec<Spans> = list
        .iter()
        .map(|c| Spans {
            body: c.body.0..c.body.1,
            sum: c.body.2,
            explanations: c.explanations.0..c.explanations.1,
        })
        .collect();
    let within = |r: &Range<u64>, len: u64| r.start <= r.end && r.end <= len;
    if !spans.iter().all(|s| {
        within(&s.body, sections[2].0) && within(&s.explanations, explanations.len() as u64)
    }) {
        return Err("a body or explanations range outside its section".into());
    }
    let shard = Arc::new(LazyShard {
        path: path.to_path_buf(),
        offset: header.bytes.len() as u64 + sections[0].0 + sections[1].0,
        header: header.bytes,
        explanation_bytes: explanations,
        bodies: std::iter::repeat_with(OnceLock::new)
            .take(spans.len())
            .collect(),
        explanations: std::iter::repeat_with(OnceLock::new)
            .take(spans.len())
            .collect(),
        spans,
        damage: OnceLock::new(),
    });
    let source: Arc<dyn PartSource> = shard.clone();
    let articles = list
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            Arc::new(c.into_article(
                Body::shared(source.clone(), i),
                Explanations::shared(source.clone(), i),
            ))
        })
        .collect();
    Ok((articles, shard))
}

/// The shards the articles [`load_articles`] loaded take their bodies and
/// explanations from.
pub struct CachedParts(Vec<Arc<LazyShard>>);

impl CachedParts {
    /// Why a body or explanations asked for so far could not be had, if
    /// some could not: then what was made with the cached articles cannot
    /// be trusted.
    pub fn damage(&self) -> Option<String> {
        self.0.iter().find_map(|s| {
            s.damage
                .get()
                .map(|why| format!("{}: {why}", s.path.display()))
        })
    }
}

/// The bodies and explanations of a loaded shard's articles. The
/// explanations section is read (and checked) with the metadata, and an
/// article's explanations are decoded when first asked for; a body is read
/// from the file when first asked for, and checked against its checksum.
/// Each is kept once had; one that cannot be had reads as empty, and is
/// recorded as the shard's [`CachedParts::damage`]. The file is opened for
/// each read, not kept open: a build rewrites shards while their articles
/// live.
pub struct LazyShard {
    path: PathBuf,
    /// The shard's header as loaded: a file with another header is another
    /// file (a build wrote it since), whose bodies are not these.
    header: Vec<u8>,
    /// Where the bodies section begins in the file.
    offset: u64,
    /// The explanations section.
    explanation_bytes: Vec<u8>,
    spans: Vec<Spans>,
    bodies: Vec<OnceLock<Option<Box<str>>>>,
    explanations: Vec<OnceLock<Option<Vec<Explanation>>>>,
    /// Why a part could not be had (the first reason).
    damage: OnceLock<String>,
}

/// Where an article's parts are in their sections: body and its checksum,
/// explanations.
struct Spans {
    body: Range<u64>,
    sum: u64,
    explanations: Range<u64>,
}

impl LazyShard {
    /// Reads the body of article `index` from the file.
    fn read_body(&self, index: usize) -> Result<Box<str>, String> {
        let span = self.spans.get(index).ok_or("no such article")?;
        let io = |e: std::io::Error| format!("cannot read: {e}");
        let mut f = std::fs::File::open(&self.path).map_err(io)?;
        let mut header = vec![0; self.header.len()];
        f.read_exact(&mut header).map_err(io)?;
        if header != self.header {
            return Err("changed since it was loaded".into());
        }
        f.seek(SeekFrom::Start(self.offset + span.body.start))
            .map_err(io)?;
        // The span lies within the section (checked at load), which the
        // file holds (the same header, the same length).
        let len =
            usize::try_from(span.body.end - span.body.start).map_err(|_| "a body too large")?;
        let mut bytes = vec![0; len];
        f.read_exact(&mut bytes).map_err(io)?;
        if checksum(&bytes) != span.sum {
            return Err("a body does not match its checksum".into());
        }
        String::from_utf8(bytes)
            .map(String::into_boxed_str)
            .map_err(|_| "a body is not UTF-8".into())
    }

    /// Decodes the explanations of article `index`.
    fn decode_explanations(&self, index: usize) -> Result<Vec<Explanation>, String> {
        let span = &self.spans.get(index).ok_or("no such article")?.explanations;
        let bytes = usize::try_from(span.start)
            .ok()
            .zip(usize::try_from(span.end).ok())
            .and_then(|(start, end)| self.explanation_bytes.get(start..end))
            .ok_or("no such explanations")?;
        let list: Vec<CachedExplanation<'_>> =
            postcard::from_bytes(bytes).map_err(|e| format!("cannot decode explanations: {e}"))?;
        Ok(list
            .into_iter()
            .map(CachedExplanation::into_explanation)
            .collect())
    }

    /// Records why a part cannot be had.
    fn damaged<T>(&self, r: Result<T, String>) -> Option<T> {
        r.map_err(|why| self.damage.set(why)).ok()
    }
}

impl PartSource for LazyShard {
    fn body(&self, index: usize) -> Option<&str> {
        let Some(cell) = self.bodies.get(index) else {
            return self.damaged(Err("no such article".into()));
        };
        cell.get_or_init(|| self.damaged(self.read_body(index)))
            .as_deref()
    }

    fn explanations(&self, index: usize) -> Option<&Vec<Explanation>> {
        let Some(cell) = self.explanations.get(index) else {
            return self.damaged(Err("no such article".into()));
        };
        cell.get_or_init(|| self.damaged(self.decode_explanations(index)))
            .as_ref()
    }
}

/// Encodes the articles of a shard: its metadata, explanations and
/// bodies sections. Fails if a part of an article loaded from the cache
/// cannot be had.
fn encode_shard(list: &[&Article]) -> anyhow::Result<[Vec<u8>; 3]> {
    let mut explanations = Vec::new();
    let mut bodies = Vec::new();
    let meta = list
        .iter()
        .map(|a| CachedArticle::from_article(a, &mut explanations, &mut bodies))
        .collect::<anyhow::Result<Vec<CachedArticle<'_>>>>()?;
    Ok([postcard::to_stdvec(&meta)?, explanations, bodies])
}

/// Writes the cache. Only the shards whose articles changed since
/// `previous` (the shard digests the cache had) are written again; the
/// state is written last, so a failure half-way leaves shards that do not
/// match it, which the next build detects.
pub fn save(
    root: &Path,
    mut state: State,
    articles: &[(FileRec, Arc<Article>)],
    previous: Option<&[u64]>,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let d = dir(root);
    std::fs::create_dir_all(&d).with_context(|| format!("cannot create {}", d.display()))?;
    let ignore = root.join(CACHE_DIR).join(".gitignore");
    if !ignore.exists() {
        // The cache is never worth committing.
        let _ = std::fs::write(&ignore, "*\n");
    }
    let mut by_shard: Vec<Vec<&(FileRec, Arc<Article>)>> = vec![Vec::new(); SHARDS];
    for e in articles {
        by_shard[shard_of(&e.0.rel)].push(e);
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
            let path = d.join(shard_name(i));
            if previous.is_some_and(|p| p.get(i) == Some(&digests[i])) && path.is_file() {
                return Ok(());
            }
            let list: Vec<&Article> = by_shard[i].iter().map(|(_, a)| &**a).collect();
            let [meta, explanations, bodies] =
                encode_shard(&list).with_context(|| format!("cannot encode {}", path.display()))?;
            write_framed(&path, digests[i], &[&meta, &explanations, &bodies])
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
    let d = dir(root);
    std::fs::create_dir_all(&d).with_context(|| format!("cannot create {}", d.display()))?;
    let payload = postcard::to_stdvec(state).context("cannot encode the cache state")?;
    write_framed(&d.join("state"), 0, &[&payload])
}

/// Removes the cache of a site (used when it cannot be trusted).
pub fn clear(root: &Path) {
    let _ = std::fs::remove_dir_all(dir(root));
}

fn shard_name(i: usize) -> String {
    format!("articles-{i:02}")
}

pub fn shard_of(rel: &str) -> usize {
    let mut h = Fnv::new();
    h.bytes(rel.as_bytes());
    (h.finish() % SHARDS as u64) as usize
}

// ---- framing -------------------------------------------------------------
//
// `MAGIC`, format, tag (a shard's digest), then each section's length and
// checksum, then the sections one after the other. The reader knows how
// many sections a file has.

/// The length of the header of a file of `sections` sections.
fn header_len(sections: usize) -> usize {
    8 + 4 + 8 + 16 * sections
}

fn write_framed(path: &Path, tag: u64, sections: &[&[u8]]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let total: usize = sections.iter().map(|s| s.len()).sum();
    let mut bytes = Vec::with_capacity(header_len(sections.len()) + total);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&tag.to_le_bytes());
    for s in sections {
        bytes.extend_from_slice(&(s.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&checksum(s).to_le_bytes());
    }
    for s in sections {
        bytes.extend_from_slice(s);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let res = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

/// Why a cache file could not be read.
#[derive(Debug)]
enum ReadError {
    /// There is no such file.
    Missing,
    /// It cannot be read or used: the reason.
    Bad(String),
}

/// The `sections` sections of a framed file, each checked against its
/// checksum; the file's tag must be `tag`.
fn read_framed(path: &Path, tag: u64, sections: usize) -> Result<Vec<Vec<u8>>, ReadError> {
    let (mut f, size) = open(path)?;
    unframe(&mut f, size, tag, sections).map_err(ReadError::Bad)
}

/// A file and its length.
fn open(path: &Path) -> Result<(std::fs::File, u64), ReadError> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(e) => return Err(ReadError::Bad(format!("cannot read: {e}"))),
    };
    let size = f
        .metadata()
        .map_err(|e| ReadError::Bad(format!("cannot read: {e}")))?
        .len();
    Ok((f, size))
}

/// Reads the `sections` sections of a framed file of `size` bytes from
/// `r`.
fn unframe(
    r: &mut impl Read,
    size: u64,
    tag: u64,
    sections: usize,
) -> Result<Vec<Vec<u8>>, String> {
    let header = read_header(r, size, tag, sections)?;
    header
        .sections
        .into_iter()
        .map(|s| read_section(r, s))
        .collect()
}

/// The reason for a failed read: a file that ends too soon is truncated.
fn read_error(e: std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        "truncated".to_string()
    } else {
        format!("cannot read: {e}")
    }
}

/// The header of a framed file.
struct Header {
    bytes: Vec<u8>,
    /// Each section's length and checksum.
    sections: Vec<(u64, u64)>,
}

/// Reads and checks the header of a framed file of `size` bytes and
/// `sections` sections. The lengths of the sections add up to `size`:
/// what they say can be allocated.
fn read_header(r: &mut impl Read, size: u64, tag: u64, sections: usize) -> Result<Header, String> {
    let mut head = vec![0; header_len(sections)];
    if size < head.len() as u64 {
        return Err("not a milbrief cache file".into());
    }
    r.read_exact(&mut head).map_err(read_error)?;
    if &head[..8] != MAGIC {
        return Err("not a milbrief cache file".into());
    }
    let word = |at: usize| {
        head.get(at..at + 8)
            .and_then(|w| w.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    let format = u32::from_le_bytes(head[8..12].try_into().unwrap_or([0; 4]));
    if format != FORMAT {
        return Err(format!("cache format {format}, expected {FORMAT}"));
    }
    if word(12) != tag {
        return Err("does not match the cache state".into());
    }
    let list: Vec<(u64, u64)> = (0..sections)
        .map(|i| (word(20 + 16 * i), word(28 + 16 * i)))
        .collect();
    let total = list
        .iter()
        .try_fold(head.len() as u64, |n, s| n.checked_add(s.0));
    if total != Some(size) {
        return Err("truncated".into());
    }
    Ok(Header {
        bytes: head,
        sections: list,
    })
}

/// Reads the next section, of the length and checksum given.
fn read_section(r: &mut impl Read, (len, sum): (u64, u64)) -> Result<Vec<u8>, String> {
    let len = usize::try_from(len).map_err(|_| "truncated".to_string())?;
    let mut bytes = vec![0; len];
    r.read_exact(&mut bytes).map_err(read_error)?;
    if checksum(&bytes) != sum {
        return Err("checksum mismatch".into());
    }
    Ok(bytes)
}

/// A fast checksum, eight bytes at a time: it detects damage, it is not a
/// defence against tampering.
fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut lanes = [K, K.rotate_left(17), K.rotate_left(31), K.rotate_left(47)];
    let mut blocks = bytes.chunks_exact(32);
    for b in &mut blocks {
        for (l, w) in lanes.iter_mut().zip(b.chunks_exact(8)) {
            let w = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
            *l = (*l ^ w).wrapping_mul(0x0000_0100_0000_01B3).rotate_left(29);
        }
    }
    let mut h = Fnv::new();
    for l in lanes {
        h.u64(l);
    }
    h.bytes(blocks.remainder());
    h.u64(bytes.len() as u64);
    h.finish()
}

/// FNV-1a, stable across builds and platforms (unlike the standard hasher).
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, b: &[u8]) {
        for &x in b {
            self.0 = (self.0 ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01B3);
        }
        // Separates consecutive fields.
        self.0 = (self.0 ^ 0xff).wrapping_mul(0x0000_0100_0000_01B3);
    }
    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

// ---- the article as stored -------------------------------------------------
//
// A mirror of `model::Article` that borrows: from the article when it is
// saved, from the shard's bytes when it is loaded. Strings the article
// keeps are `Cow`s, decoded straight into owned strings; those it only
// looks up (`kind`, `note`) are borrowed from the bytes. Both conversions
// list every field, so a field added to `Article` fails to compile here
// until it is cached too.

#[derive(Serialize, Deserialize)]
struct CachedTag<'a> {
    value: Cow<'a, str>,
    line: usize,
    col: usize,
}

#[derive(Serialize, Deserialize)]
struct CachedEvidence<'a> {
    text: Cow<'a, str>,
    part: u8,
    count: usize,
    weight: f64,
    #[serde(borrow)]
    note: Option<&'a str>,
}

#[derive(Serialize, Deserialize)]
struct CachedExplanation<'a> {
    kind: &'a str,
    tag: Cow<'a, str>,
    score: f64,
    #[serde(borrow)]
    evidence: Vec<CachedEvidence<'a>>,
}

#[derive(Serialize, Deserialize)]
struct CachedArticle<'a> {
    source_path: Cow<'a, str>,
    fingerprint: u64,
    slug: Cow<'a, str>,
    title: Cow<'a, str>,
    date: Option<(i16, i8, i8)>,
    time: Option<(i8, i8, i8, i32)>,
    source: Option<Cow<'a, str>>,
    url: Option<Cow<'a, str>>,
    author: Option<Cow<'a, str>>,
    dateline: Option<Cow<'a, str>>,
    draft: bool,
    summary_html: Cow<'a, str>,
    summary_text: Cow<'a, str>,
    /// The body: its byte range in the bodies section, and its checksum.
    body: (u64, u64, u64),
    lead: (usize, usize),
    word_count: usize,
    raw_countries: Option<Vec<CachedTag<'a>>>,
    raw_topics: Option<Vec<CachedTag<'a>>>,
    not_countries: Vec<CachedTag<'a>>,
    not_topics: Vec<CachedTag<'a>>,
    auto_tag: Option<bool>,
    /// The explanations (a `Vec<CachedExplanation>`, encoded): their byte
    /// range in the explanations section.
    explanations: (u64, u64),
    placement: u64,
    countries: Cow<'a, [CountryCode]>,
    topics: Cow<'a, [String]>,
    countries_explicit: bool,
    topics_explicit: bool,
    relevance: f64,
    off_topic: bool,
}

fn tags_out(v: &[RawTag]) -> Vec<CachedTag<'_>> {
    v.iter()
        .map(|t| CachedTag {
            value: Cow::Borrowed(&t.value),
            line: t.line,
            col: t.col,
        })
        .collect()
}

fn tags_in(v: Vec<CachedTag<'_>>) -> Vec<RawTag> {
    v.into_iter()
        .map(|t| RawTag {
            value: t.value.into_owned(),
            line: t.line,
            col: t.col,
        })
        .collect()
}

fn part_code(p: Part) -> u8 {
    match p {
        Part::Title => 0,
        Part::Lead => 1,
        Part::Body => 2,
        Part::Dateline => 3,
    }
}

fn part_of(c: u8) -> Part {
    match c {
        0 => Part::Title,
        1 => Part::Lead,
        3 => Part::Dateline,
        _ => Part::Body,
    }
}

/// The `&'static str` for a label the tagger wrote: its few distinct
/// values are kept once for the life of the process.
fn intern(s: &str) -> &'static str {
    match s {
        "country" => return "country",
        "topic" => return "topic",
        "dateline" => return "dateline",
        _ => {}
    }
    static SEEN: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(v) = seen.get(s) {
        return v;
    }
    let v: &'static str = Box::leak(s.into());
    seen.insert(v);
    v
}

impl<'a> CachedExplanation<'a> {
    fn from_explanation(x: &'a Explanation) -> CachedExplanation<'a> {
        CachedExplanation {
            kind: x.kind,
            tag: Cow::Borrowed(&x.tag),
            score: x.score,
            evidence: x
                .evidence
                .iter()
                .map(|e| CachedEvidence {
                    text: Cow::Borrowed(&e.text),
                    part: part_code(e.part),
                    count: e.count,
                    weight: e.weight,
                    note: e.note,
                })
                .collect(),
        }
    }

    fn into_explanation(self) -> Explanation {
        Explanation {
            kind: intern(self.kind),
            tag: self.tag.into_owned(),
            score: self.score,
            evidence: self
                .evidence
                .into_iter()
                .map(|e| Evidence {
                    text: e.text.into_owned(),
                    part: part_of(e.part),
                    count: e.count,
                    weight: e.weight,
                    note: e.note.map(intern),
                })
                .collect(),
        }
    }
}

impl<'a> CachedArticle<'a> {
    /// The article as stored; its explanations and body are appended to
    /// `explanations` and `bodies`. Fails if they cannot be had.
    fn from_article(
        a: &'a Article,
        explanation_bytes: &mut Vec<u8>,
        bodies: &mut Vec<u8>,
    ) -> anyhow::Result<CachedArticle<'a>> {
        let Article {
            source_path,
            fingerprint,
            slug,
            title,
            date,
            time,
            source,
            url,
            author,
            dateline,
            draft,
            summary_html,
            summary_text,
            body_html,
            // The tagger's input, used up once the article is tagged: not
            // worth half the cache.
            body_text: _,
            lead,
            word_count,
            raw_countries,
            raw_topics,
            not_countries,
            not_topics,
            auto_tag,
            explanations,
            placement,
            countries,
            topics,
            countries_origin,
            topics_origin,
            relevance,
            off_topic,
        } = a;
        let lost = || anyhow::anyhow!("a part of a cached article cannot be read");
        let body_html = body_html.get().ok_or_else(lost)?.as_bytes();
        let start = bodies.len() as u64;
        bodies.extend_from_slice(body_html);
        let body = (start, bodies.len() as u64, checksum(body_html));
        let list: Vec<CachedExplanation<'_>> = explanations
            .get()
            .ok_or_else(lost)?
            .iter()
            .map(CachedExplanation::from_explanation)
            .collect();
        let start = explanation_bytes.len() as u64;
        postcard::to_io(&list, &mut *explanation_bytes)?;
        let explanations = (start, explanation_bytes.len() as u64);
        Ok(CachedArticle {
            source_path: source_path.to_string_lossy(),
            fingerprint: *fingerprint,
            slug: Cow::Borrowed(slug),
            title: Cow::Borrowed(title),
            date: date.map(|d| (d.year(), d.month(), d.day())),
            time: time.map(|t| (t.hour(), t.minute(), t.second(), t.subsec_nanosecond())),
            source: source.as_deref().map(Cow::Borrowed),
            url: url.as_deref().map(Cow::Borrowed),
            author: author.as_deref().map(Cow::Borrowed),
            dateline: dateline.as_deref().map(Cow::Borrowed),
            draft: *draft,
            summary_html: Cow::Borrowed(summary_html),
            summary_text: Cow::Borrowed(summary_text),
            body,
            lead: (lead.start, lead.end),
            word_count: *word_count,
            raw_countries: raw_countries.as_deref().map(tags_out),
            raw_topics: raw_topics.as_deref().map(tags_out),
            not_countries: tags_out(not_countries),
            not_topics: tags_out(not_topics),
            auto_tag: *auto_tag,
            explanations,
            placement: *placement,
            countries: Cow::Borrowed(countries),
            topics: Cow::Borrowed(topics),
            countries_explicit: *countries_origin == TagOrigin::Explicit,
            topics_explicit: *topics_origin == TagOrigin::Explicit,
            relevance: *relevance,
            off_topic: *off_topic,
        })
    }

    /// The article, with `body_html` and `explanations` for the parts
    /// stored apart.
    fn into_article(self, body_html: Body, explanations: Explanations) -> Article {
        let CachedArticle {
            source_path,
            fingerprint,
            slug,
            title,
            date,
            time,
            source,
            url,
            author,
            dateline,
            draft,
            summary_html,
            summary_text,
            body: _,
            lead,
            word_count,
            raw_countries,
            raw_topics,
            not_countries,
            not_topics,
            auto_tag,
            explanations: _,
            placement,
            countries,
            topics,
            countries_explicit,
            topics_explicit,
            relevance,
            off_topic,
        } = self;
        let origin = |explicit: bool| {
            if explicit {
                TagOrigin::Explicit
            } else {
                TagOrigin::Auto
            }
        };
        Article {
            source_path: PathBuf::from(source_path.into_owned()),
            fingerprint,
            slug: slug.into_owned(),
            title: title.into_owned(),
            date: date.and_then(|(y, m, d)| jiff::civil::Date::new(y, m, d).ok()),
            time: time.and_then(|(h, m, s, n)| jiff::civil::Time::new(h, m, s, n).ok()),
            source: source.map(Cow::into_owned),
            url: url.map(Cow::into_owned),
            author: author.map(Cow::into_owned),
            dateline: dateline.map(Cow::into_owned),
            draft,
            summary_html: summary_html.into_owned(),
            summary_text: summary_text.into_owned(),
            body_html,
            body_text: String::new(),
            lead: lead.0..lead.1,
            word_count,
            raw_countries: raw_countries.map(tags_in),
            raw_topics: raw_topics.map(tags_in),
            not_countries: tags_in(not_countries),
            not_topics: tags_in(not_topics),
            auto_tag,
            explanations,
            placement,
            countries: countries.into_owned(),
            topics: topics.into_owned(),
            countries_origin: origin(countries_explicit),
            topics_origin: origin(topics_explicit),
            relevance,
            off_topic,
        }
    }
}

// ---- the last render pass ------------------------------------------------

/// What the last render pass leaves for the next build.
pub struct Memo {
    pub last: crate::render::LastPass,
    pub groups: crate::index::Groupings,
}

/// A date as (year, month, day).
type CachedDate = (i16, i8, i8);

#[derive(Serialize, Deserialize)]
struct CachedMemo<'a> {
    salt: u64,
    structure: u64,
    fps: Cow<'a, [u64]>,
    by_country: Cow<'a, BTreeMap<CountryCode, Vec<usize>>>,
    by_topic: Cow<'a, BTreeMap<String, Vec<usize>>>,
    by_month: Cow<'a, BTreeMap<(i16, i8), Vec<usize>>>,
    /// Keyed by the edition's first day.
    by_edition: Vec<(CachedDate, Cow<'a, [usize]>)>,
    by_pair: Cow<'a, BTreeMap<(CountryCode, CountryCode), Vec<usize>>>,
    related: Cow<'a, [Vec<usize>]>,
}

/// Writes the memo; returns the tag the state must name for it.
pub fn save_memo(root: &Path, memo: &Memo, started: i128) -> anyhow::Result<u64> {
    use anyhow::Context as _;
    let g = &memo.groups;
    // Borrowed, not copied: only the edition keys need converting.
    let cached = CachedMemo {
        salt: memo.last.salt,
        structure: memo.last.structure,
        fps: Cow::Borrowed(&memo.last.fps[..]),
        by_country: Cow::Borrowed(&*g.by_country),
        by_topic: Cow::Borrowed(&*g.by_topic),
        by_month: Cow::Borrowed(&*g.by_month),
        by_edition: g
            .by_edition
            .iter()
            .map(|(d, l)| ((d.year(), d.month(), d.day()), Cow::Borrowed(&l[..])))
            .collect(),
        by_pair: Cow::Borrowed(&*g.by_pair),
        related: Cow::Borrowed(&g.related[..]),
    };
    let payload = postcard::to_stdvec(&cached).context("cannot encode the render memo")?;
    let mut h = Fnv::new();
    h.u64(started as u64);
    h.u64(memo.last.structure);
    h.u64(checksum(&payload));
    // Never 0, which means "no memo".
    let tag = h.finish() | 1;
    let d = dir(root);
    std::fs::create_dir_all(&d).with_context(|| format!("cannot create {}", d.display()))?;
    write_framed(&d.join("memo"), tag, &[&payload])?;
    Ok(tag)
}

/// Reads the memo the state names.
pub fn load_memo(root: &Path, state: &State) -> Result<Memo, String> {
    if state.memo == 0 {
        return Err("no memo".into());
    }
    let path = dir(root).join("memo");
    let payload = match read_framed(&path, state.memo, 1) {
        Ok(mut sections) => sections.pop().unwrap_or_default(),
        Err(ReadError::Missing) => return Err(format!("{}: missing", path.display())),
        Err(ReadError::Bad(m)) => return Err(format!("{}: {m}", path.display())),
    };
    let m: CachedMemo = postcard::from_bytes(&payload)
        .map_err(|e| format!("{}: cannot decode: {e}", path.display()))?;
    let date = |(y, mo, d): CachedDate| {
        jiff::civil::Date::new(y, mo, d).map_err(|e| format!("{}: {e}", path.display()))
    };
    let groups = crate::index::Groupings {
        structure: m.structure,
        by_country: Arc::new(m.by_country.into_owned()),
        by_topic: Arc::new(m.by_topic.into_owned()),
        by_month: Arc::new(m.by_month.into_owned()),
        by_edition: Arc::new(
            m.by_edition
                .into_iter()
                .map(|(d, l)| Ok((date(d)?, l.into_owned())))
                .collect::<Result<_, String>>()?,
        ),
        by_pair: Arc::new(m.by_pair.into_owned()),
        related: Arc::new(m.related.into_owned()),
    };
    Ok(Memo {
        last: crate::render::LastPass {
            salt: m.salt,
            structure: m.structure,
            fps: Arc::new(m.fps.into_owned()),
        },
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames `bytes` as a file of one section and reads it back.
    fn round(bytes: &[u8], tag: u64) -> Result<Vec<Vec<u8>>, String> {
        unframe(&mut &bytes[..], bytes.len() as u64, tag, 1)
    }

    #[test]
    fn framing_detects_damage() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        write_framed(&p, 7, &[b"hello, cache"]).unwrap();
        let bytes = std::fs::read(&p).unwrap();
        assert_eq!(round(&bytes, 7).unwrap(), [b"hello, cache"]);
        assert!(round(&bytes, 8).is_err(), "another tag");
        assert!(round(&bytes[..bytes.len() - 1], 7).is_err(), "truncated");
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(round(&longer, 7).is_err(), "trailing bytes");
        let mut flipped = bytes.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 1;
        assert!(round(&flipped, 7).is_err(), "a flipped bit");
        assert!(round(b"garbage", 7).is_err());
        // A length far past the file's end is refused before anything is
        // allocated for it.
        let mut huge = bytes.clone();
        huge[20..28].copy_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(round(&huge, 7).unwrap_err(), "truncated");
        assert!(matches!(
            read_framed(&dir.path().join("none"), 7, 1),
            Err(ReadError::Missing)
        ));
    }

    #[test]
    fn framing_checks_every_section() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        write_framed(&p, 7, &[b"meta", b"", b"bodies"]).unwrap();
        let sections = read_framed(&p, 7, 3).unwrap();
        assert_eq!(sections, [&b"meta"[..], b"", b"bodies"]);
        assert!(read_framed(&p, 7, 2).is_err(), "another section count");
        let bytes = std::fs::read(&p).unwrap();
        for at in header_len(3)..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x80;
            std::fs::write(&p, &flipped).unwrap();
            assert!(read_framed(&p, 7, 3).is_err(), "a flipped bit at {at}");
        }
    }

    /// A parsed and tagged article.
    fn tagged() -> Article {
        let config = crate::config::Config::default();
        let tagger = crate::tag::Tagger::new(&config).unwrap();
        let text = "+++\ntitle = \"Pakistan and Russia open joint exercise\"\ndate = 2023-10-17T09:30:00Z\nsource = \"Wire\"\nnot_topics = [\"diplomacy\"]\n+++\n\nISLAMABAD: The armies of Pakistan and Russia began a joint counter-terror exercise.\n\n- one\n- two\n";
        let mut a = crate::load::parse_article(Path::new("content/2023-10-17-x.md"), text, &config)
            .unwrap();
        a.fingerprint = 42;
        assert!(tagger.tag(&mut a).is_empty());
        a.placement = a.placement_key();
        assert!(!a.explanations.is_empty());
        a
    }

    /// Writes `articles` as shard `path` (tag 9).
    fn write_shard(path: &Path, articles: &[&Article]) {
        let [meta, explanations, bodies] = encode_shard(articles).unwrap();
        write_framed(path, 9, &[&meta, &explanations, &bodies]).unwrap();
    }

    /// Writes `articles` as shard `path` and loads it back.
    fn through_shard(path: &Path, articles: &[&Article]) -> Vec<Arc<Article>> {
        write_shard(path, articles);
        let (list, bodies) = load_shard(path, 9).unwrap();
        assert!(bodies.damage.get().is_none());
        list
    }

    #[test]
    fn the_memo_round_trips_and_must_match_the_state() {
        let config = crate::config::Config::default();
        let tagger = Arc::new(crate::tag::Tagger::new(&config).unwrap());
        let code = |c: &str| CountryCode::new(c).unwrap();
        let articles = [
            ("a", 2, ["PK", "RU"]),
            ("b", 9, ["RU", "PK"]),
            ("c", 20, ["FR", "PK"]),
        ]
        .into_iter()
        .map(|(slug, day, cs)| {
            let mut a = Article::blank(slug);
            a.date = Some(jiff::civil::date(2023, 10, day));
            a.countries = cs.iter().map(|c| code(c)).collect();
            a.topics = vec!["arms-trade".into()];
            a.fingerprint = u64::from(slug.as_bytes()[0]);
            Arc::new(a)
        })
        .collect();
        let site = crate::index::index(config, tagger, articles);
        let memo = Memo {
            last: crate::render::LastPass {
                salt: 7,
                structure: site.structure,
                fps: Arc::new(site.articles.iter().map(|a| a.fingerprint).collect()),
            },
            groups: site.groupings(),
        };
        let dir = tempfile::tempdir().unwrap();
        let tag = save_memo(dir.path(), &memo, 42).unwrap();
        let state = State {
            memo: tag,
            ..State::default()
        };
        let back = load_memo(dir.path(), &state).unwrap();
        assert_eq!(back.last, memo.last);
        let (g, h) = (&back.groups, &memo.groups);
        assert_eq!(g.structure, h.structure);
        assert_eq!(g.by_country, h.by_country);
        assert_eq!(g.by_topic, h.by_topic);
        assert_eq!(g.by_month, h.by_month);
        assert_eq!(g.by_edition, h.by_edition);
        assert_eq!(g.by_pair, h.by_pair);
        assert_eq!(g.related, h.related);
        assert_eq!(g.by_pair.len(), 1, "PK and RU share two articles");
        // Another state's tag, or none: not this memo.
        let other = State {
            memo: tag ^ 2,
            ..State::default()
        };
        assert!(load_memo(dir.path(), &other).is_err());
        assert!(load_memo(dir.path(), &State::default()).is_err());
    }

    #[test]
    fn articles_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = tagged();
        let mut odd = Vec::new();
        for body in [
            String::new(),
            "<p>Łódź, Zürich, 東京, القاهرة 🇵🇰🇷🇺 — “quoted”</p>\n".to_string(),
            "<p>é</p>".repeat(200_000),
            "🇵🇰".to_string(),
        ] {
            let mut b = a.clone();
            b.slug = format!("odd-{}", odd.len());
            b.body_html = body.into();
            odd.push(b);
        }
        let mut list = vec![&a];
        list.extend(&odd);
        let path = dir.path().join("articles-00");
        let back = through_shard(&path, &list);
        assert_eq!(back.len(), list.len());
        assert!(
            back[0].body_text.is_empty(),
            "the tagger's input is not kept"
        );
        a.body_text.clear();
        for b in &mut odd {
            b.body_text.clear();
        }
        list = vec![&a];
        list.extend(&odd);
        for (want, got) in list.iter().zip(&back) {
            assert_eq!(want.body_html, got.body_html);
            assert_eq!(format!("{want:?}"), format!("{got:?}"));
        }
        // An article loaded from the cache saves as it was loaded, even
        // over its own shard (the bodies are read before it is replaced).
        let refs: Vec<&Article> = back.iter().map(|a| &**a).collect();
        let again = through_shard(&path, &refs);
        assert_eq!(format!("{back:?}"), format!("{again:?}"));
        assert!(through_shard(&dir.path().join("articles-01"), &[]).is_empty());
    }

    /// A change of span: (index of the article, (start, end)) → (start, end).
    type Respan = dyn Fn(usize, (u64, u64)) -> (u64, u64);

    /// Rewrites shard `path` (tagged `tag`) with each article's range of
    /// `part` (0: body, 1: explanations) changed by `f` (its index, its
    /// start and end); a body gets a checksum that matches its new range.
    fn respan(path: &Path, tag: u64, part: usize, f: impl Fn(usize, (u64, u64)) -> (u64, u64)) {
        let sections = read_framed(path, tag, 3).unwrap();
        let mut list: Vec<CachedArticle<'_>> = postcard::from_bytes(&sections[0]).unwrap();
        for (i, c) in list.iter_mut().enumerate() {
            if part == 0 {
                let (start, end) = f(i, (c.body.0, c.body.1));
                let sum = sections[2]
                    .get(start as usize..end as usize)
                    .map_or(0, checksum);
                c.body = (start, end, sum);
            } else {
                c.explanations = f(i, c.explanations);
            }
        }
        let meta = postcard::to_stdvec(&list).unwrap();
        write_framed(path, tag, &[&meta, &sections[1], &sections[2]]).unwrap();
    }

    /// Flips the first byte of each body of shard `path` (tagged `tag`).
    fn flip_bodies(path: &Path, tag: u64) {
        let mut bytes = std::fs::read(path).unwrap();
        let header = read_header(&mut &bytes[..], bytes.len() as u64, tag, 3).unwrap();
        let (meta_len, explanations_len) = (header.sections[0].0, header.sections[1].0);
        let meta = bytes[header_len(3)..header_len(3) + meta_len as usize].to_vec();
        let offset = header_len(3) + (meta_len + explanations_len) as usize;
        let list: Vec<CachedArticle<'_>> = postcard::from_bytes(&meta).unwrap();
        for c in list.iter().filter(|c| c.body.1 > c.body.0) {
            bytes[offset + c.body.0 as usize] ^= 0x01;
        }
        std::fs::write(path, bytes).unwrap();
    }

    /// Loads shard `path` (tag 9) and reads its bodies and explanations:
    /// why they cannot be had, if they cannot. What cannot be had reads as
    /// empty.
    fn damage_of(path: &Path) -> Result<Option<String>, String> {
        let (list, shard) = load_shard(path, 9)?;
        for a in &list {
            if a.body_html.get().is_none() {
                assert_eq!(a.body_html.as_str(), "");
            }
            if a.explanations.get().is_none() {
                assert!(a.explanations.is_empty());
            }
        }
        Ok(CachedParts(vec![shard]).damage())
    }

    #[test]
    fn damaged_parts_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("articles-00");
        let mut a = tagged();
        a.body_html = "<p>é</p>".into();
        let mut b = a.clone();
        b.body_html = "<p>🇵🇰</p>".into();
        let good = || write_shard(&path, &[&a, &b]);
        good();
        assert_eq!(damage_of(&path), Ok(None));
        let bytes = std::fs::read(&path).unwrap();

        // Seen when the shard is loaded: a truncated file, damaged
        // explanations, a range past the end of its section, or reversed.
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(damage_of(&path).unwrap_err().contains("truncated"));
        let sections = read_header(&mut &bytes[..], bytes.len() as u64, 9, 3)
            .unwrap()
            .sections;
        let mut flipped = bytes.clone();
        flipped[header_len(3) + sections[0].0 as usize] ^= 0x01;
        std::fs::write(&path, &flipped).unwrap();
        assert!(damage_of(&path).unwrap_err().contains("checksum"));
        let end = bytes.len() as u64;
        let cases: [(&str, usize, &Respan); 4] = [
            ("past the end", 0, &move |_, (s, _)| (s, end + 1)),
            ("wholly past the end", 0, &move |_, _| (end + 10, end + 20)),
            ("reversed", 0, &|_, (s, e)| (e, s)),
            ("explanations past the end", 1, &|_, (s, _)| (s, u64::MAX)),
        ];
        for (what, part, f) in cases {
            good();
            respan(&path, 9, part, f);
            let err = damage_of(&path).expect_err(what);
            assert!(err.contains("range outside"), "{what}: {err}");
        }

        // Seen when a part is asked for: a flipped byte in a body, a body
        // range inside a character (with a checksum that matches it),
        // explanations cut short, a shard replaced or removed since it was
        // loaded (its explanations were read with it).
        let mut flipped = bytes.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 0x01;
        std::fs::write(&path, &flipped).unwrap();
        assert!(damage_of(&path).unwrap().unwrap().contains("checksum"));
        good();
        flip_bodies(&path, 9);
        assert!(damage_of(&path).unwrap().unwrap().contains("checksum"));
        good();
        respan(
            &path,
            9,
            0,
            |i, (s, e)| if i == 1 { (s + 4, e) } else { (s, e) },
        );
        assert!(damage_of(&path).unwrap().unwrap().contains("UTF-8"));
        good();
        respan(&path, 9, 0, |_, (s, _)| (s, s + 4));
        assert!(damage_of(&path).unwrap().unwrap().contains("UTF-8"));
        good();
        respan(&path, 9, 1, |_, (s, e)| (s, e - 1));
        assert!(damage_of(&path).unwrap().unwrap().contains("decode"));
        for replace in [true, false] {
            good();
            let (list, shard) = load_shard(&path, 9).unwrap();
            if replace {
                write_shard(&path, &[&b, &a]);
            } else {
                std::fs::remove_file(&path).unwrap();
            }
            assert_eq!(list[0].body_html.get(), None);
            assert_eq!(*list[1].explanations, *b.explanations);
            let why = CachedParts(vec![shard]).damage().unwrap();
            assert!(
                why.contains(if replace { "changed" } else { "cannot read" }),
                "{why}"
            );
        }
        // Rewriting the spans as they are keeps a good shard good.
        good();
        respan(&path, 9, 0, |_, r| r);
        respan(&path, 9, 1, |_, r| r);
        assert_eq!(damage_of(&path), Ok(None));
    }

    /// Every file under `dir`: relative path → bytes.
    fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                (
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn a_damaged_part_means_a_full_build() {
        use crate::builder::CacheUse;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        let names: Vec<String> = (0..12)
            .map(|i| format!("2023-10-{:02}-a{i}.md", i + 1))
            .collect();
        for (i, name) in names.iter().enumerate() {
            std::fs::write(
                content.join(name),
                format!("+++\ntitle = \"Poland report {i}\"\n+++\n\nŁódź 🇵🇱 — Polish troops trained in Warsaw, Poland, for item {i}.\n"),
            )
            .unwrap();
        }
        let opts = |out: &str| crate::BuildOptions {
            output: Some(dir.path().join(out)),
            ..crate::BuildOptions::new(&root)
        };
        let hidden = crate::progress::Progress::hidden();
        let build = || crate::builder::run(&opts("public"), true, &hidden).unwrap();
        let same_as_clean = |n: usize| {
            let out = format!("clean-{n}");
            let clean = crate::builder::run(&opts(&out), false, &hidden).unwrap();
            assert_eq!(clean.cache, CacheUse::Off);
            assert!(tree(&dir.path().join("public")) == tree(&dir.path().join(out)));
        };
        let edit = |n: u64| {
            let p = content.join(&names[11]);
            std::fs::write(
                &p,
                format!("+++\ntitle = \"Edit {n}\"\n+++\n\nŁódź and Warsaw {n}.\n"),
            )
            .unwrap();
            let later = SystemTime::now() + std::time::Duration::from_secs(3 * n);
            let f = std::fs::File::options().write(true).open(&p).unwrap();
            f.set_modified(later).unwrap();
        };
        assert_eq!(build().cache, CacheUse::Full);
        edit(1);
        assert_eq!(build().cache, CacheUse::Incremental);
        same_as_clean(1);
        let state = load_state(&root).unwrap().unwrap();
        let (articles, _) = load_articles(&root, &state).unwrap();
        assert!(articles.iter().all(|a| a.body_html.starts_with("<p>Ł")));
        assert!(articles.iter().any(|a| !a.explanations.is_empty()));

        // Damage to every shard. The edited article is the newest: the
        // feed shows it with the others, and reads their bodies; the page
        // of the article before it links to it, and shows its explanations.
        // Damage done to a shard, given its path and tag.
        type Damage = dyn Fn(&Path, u64);
        let kinds: [(&str, &Damage); 5] = [
            ("truncated", &|path, _| {
                let b = std::fs::read(path).unwrap();
                std::fs::write(path, &b[..b.len() - 1]).unwrap();
            }),
            ("checksum", &flip_bodies),
            // Spans that start inside the "Ł" of "<p>Łódź", or end past the
            // section, or explanations cut short, with checksums that match.
            ("UTF-8", &|path, tag| {
                respan(path, tag, 0, |_, (s, e)| (s + 4, e))
            }),
            ("range outside", &|path, tag| {
                respan(path, tag, 0, |_, (s, _)| (s, u64::MAX))
            }),
            ("decode explanations", &|path, tag| {
                respan(path, tag, 1, |_, (s, e)| (s, e.saturating_sub(1).max(s)))
            }),
        ];
        for (n, (why, damage)) in kinds.into_iter().enumerate() {
            let state = load_state(&root).unwrap().unwrap();
            for (i, tag) in state.shards.iter().enumerate() {
                let path = super::dir(&root).join(shard_name(i));
                if !load_shard(&path, *tag).unwrap().0.is_empty() {
                    damage(&path, *tag);
                }
            }
            edit(2 + n as u64);
            let r = build();
            assert_eq!(r.cache, CacheUse::Full, "{why}");
            assert!(
                r.notices.iter().any(|n| n.contains(why)),
                "{why}: {:?}",
                r.notices
            );
            same_as_clean(2 + n);
        }
        // That build's cache is good.
        edit(10);
        let r = build();
        assert_eq!(r.cache, CacheUse::Incremental, "{:?}", r.notices);
        assert!(r.notices.is_empty(), "{:?}", r.notices);
        same_as_clean(10);
    }
}

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
//!   path, so a rebuild after one edit rewrites one shard. Their plain text
//!   (`body_text`, the tagger's input) is not kept: an article comes back
//!   from the cache tagged, with an empty `body_text`.
//!
//! - `memo`: what the last render pass leaves for the next one: its salt,
//!   the site's structure and groupings (see [`crate::index::Groupings`])
//!   and every article's fingerprint by position. With them, a rebuild
//!   after an edit of text looks only at the pages showing the edited
//!   article, as `serve` does from memory.
//!
//! Every file carries a magic number, a format version and a checksum. Any
//! doubt (another key, a truncated or corrupt file, a shard that does not
//! match the state) and the cache is ignored: the build is a full one.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::{Article, CountryCode, RawTag, TagOrigin};
use crate::tag::{Evidence, Explanation, Part};

/// The directory, under the site root, that holds milbrief's own state.
pub const CACHE_DIR: &str = ".milbrief";
const SUBDIR: &str = "cache";
const MAGIC: &[u8; 8] = b"MBCACHE\x01";
/// Bumped whenever the encoding below changes.
const FORMAT: u32 = 3;
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
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let payload = unframe(&bytes, 0).map_err(|m| format!("{}: {m}", path.display()))?;
    let state: State = postcard::from_bytes(payload)
        .map_err(|e| format!("{}: cannot decode: {e}", path.display()))?;
    if state.shards.len() != SHARDS {
        return Err(format!("{}: unexpected shard count", path.display()));
    }
    Ok(Some(state))
}

/// Reads every article shard the state names, in parallel.
pub fn load_articles(root: &Path, state: &State) -> Result<Vec<Article>, String> {
    let d = dir(root);
    let shards: Vec<Result<Vec<Article>, String>> = (0..SHARDS)
        .into_par_iter()
        .map(|i| {
            let path = d.join(shard_name(i));
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let payload =
                unframe(&bytes, state.shards[i]).map_err(|m| format!("{}: {m}", path.display()))?;
            let list: Vec<CachedArticle> = postcard::from_bytes(payload)
                .map_err(|e| format!("{}: cannot decode: {e}", path.display()))?;
            Ok(list.into_iter().map(CachedArticle::into_article).collect())
        })
        .collect();
    let mut out = Vec::with_capacity(state.files.len());
    for s in shards {
        out.extend(s?);
    }
    Ok(out)
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
            let list: Vec<CachedArticle> = by_shard[i]
                .iter()
                .map(|(_, a)| CachedArticle::from_article(a))
                .collect();
            let payload = postcard::to_stdvec(&list)
                .with_context(|| format!("cannot encode {}", path.display()))?;
            write_framed(&path, digests[i], &payload)
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
    write_framed(&d.join("state"), 0, &payload)
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

/// `MAGIC`, format, tag (a shard's digest), payload length, checksum, payload.
const HEADER: usize = 8 + 4 + 8 + 8 + 8;

fn write_framed(path: &Path, tag: u64, payload: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let mut bytes = Vec::with_capacity(HEADER + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&tag.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&checksum(payload).to_le_bytes());
    bytes.extend_from_slice(payload);
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

fn unframe(bytes: &[u8], tag: u64) -> Result<&[u8], String> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err("not a milbrief cache file".into());
    }
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]));
    let format = u32::from_le_bytes(bytes[8..12].try_into().unwrap_or([0; 4]));
    if format != FORMAT {
        return Err(format!("cache format {format}, expected {FORMAT}"));
    }
    if word(12) != tag {
        return Err("does not match the cache state".into());
    }
    let payload = &bytes[HEADER..];
    if word(20) != payload.len() as u64 {
        return Err("truncated".into());
    }
    if word(28) != checksum(payload) {
        return Err("checksum mismatch".into());
    }
    Ok(payload)
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
// A mirror of `model::Article` with owned strings in place of the
// `&'static str` the tagger uses. Both conversions list every field, so a
// field added to `Article` fails to compile here until it is cached too.

#[derive(Serialize, Deserialize)]
struct CachedTag {
    value: String,
    line: usize,
    col: usize,
}

#[derive(Serialize, Deserialize)]
struct CachedEvidence {
    text: String,
    part: u8,
    count: usize,
    weight: f64,
    note: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct CachedExplanation {
    kind: String,
    tag: String,
    score: f64,
    evidence: Vec<CachedEvidence>,
}

#[derive(Serialize, Deserialize)]
struct CachedArticle {
    source_path: String,
    fingerprint: u64,
    slug: String,
    title: String,
    date: Option<(i16, i8, i8)>,
    time: Option<(i8, i8, i8, i32)>,
    source: Option<String>,
    url: Option<String>,
    author: Option<String>,
    dateline: Option<String>,
    draft: bool,
    summary_html: String,
    summary_text: String,
    body_html: String,
    lead: (usize, usize),
    word_count: usize,
    raw_countries: Option<Vec<CachedTag>>,
    raw_topics: Option<Vec<CachedTag>>,
    not_countries: Vec<CachedTag>,
    not_topics: Vec<CachedTag>,
    auto_tag: Option<bool>,
    explanations: Vec<CachedExplanation>,
    placement: u64,
    countries: Vec<String>,
    topics: Vec<String>,
    countries_explicit: bool,
    topics_explicit: bool,
}

fn tags_out(v: &[RawTag]) -> Vec<CachedTag> {
    v.iter()
        .map(|t| CachedTag {
            value: t.value.clone(),
            line: t.line,
            col: t.col,
        })
        .collect()
}

fn tags_in(v: Vec<CachedTag>) -> Vec<RawTag> {
    v.into_iter()
        .map(|t| RawTag {
            value: t.value,
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
fn intern(s: String) -> &'static str {
    match s.as_str() {
        "country" => return "country",
        "topic" => return "topic",
        "dateline" => return "dateline",
        _ => {}
    }
    static SEEN: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(v) = seen.get(s.as_str()) {
        return v;
    }
    let v: &'static str = Box::leak(s.into_boxed_str());
    seen.insert(v);
    v
}

impl CachedArticle {
    fn from_article(a: &Article) -> CachedArticle {
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
        } = a;
        CachedArticle {
            source_path: source_path.to_string_lossy().into_owned(),
            fingerprint: *fingerprint,
            slug: slug.clone(),
            title: title.clone(),
            date: date.map(|d| (d.year(), d.month(), d.day())),
            time: time.map(|t| (t.hour(), t.minute(), t.second(), t.subsec_nanosecond())),
            source: source.clone(),
            url: url.clone(),
            author: author.clone(),
            dateline: dateline.clone(),
            draft: *draft,
            summary_html: summary_html.clone(),
            summary_text: summary_text.clone(),
            body_html: body_html.clone(),
            lead: (lead.start, lead.end),
            word_count: *word_count,
            raw_countries: raw_countries.as_deref().map(tags_out),
            raw_topics: raw_topics.as_deref().map(tags_out),
            not_countries: tags_out(not_countries),
            not_topics: tags_out(not_topics),
            auto_tag: *auto_tag,
            explanations: explanations
                .iter()
                .map(|x| CachedExplanation {
                    kind: x.kind.to_string(),
                    tag: x.tag.clone(),
                    score: x.score,
                    evidence: x
                        .evidence
                        .iter()
                        .map(|e| CachedEvidence {
                            text: e.text.clone(),
                            part: part_code(e.part),
                            count: e.count,
                            weight: e.weight,
                            note: e.note.map(str::to_string),
                        })
                        .collect(),
                })
                .collect(),
            placement: *placement,
            countries: countries.iter().map(|c| c.to_string()).collect(),
            topics: topics.clone(),
            countries_explicit: *countries_origin == TagOrigin::Explicit,
            topics_explicit: *topics_origin == TagOrigin::Explicit,
        }
    }

    fn into_article(self) -> Article {
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
            body_html,
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
            countries_explicit,
            topics_explicit,
        } = self;
        let origin = |explicit: bool| {
            if explicit {
                TagOrigin::Explicit
            } else {
                TagOrigin::Auto
            }
        };
        Article {
            source_path: PathBuf::from(source_path),
            fingerprint,
            slug,
            title,
            date: date.and_then(|(y, m, d)| jiff::civil::Date::new(y, m, d).ok()),
            time: time.and_then(|(h, m, s, n)| jiff::civil::Time::new(h, m, s, n).ok()),
            source,
            url,
            author,
            dateline,
            draft,
            summary_html,
            summary_text,
            body_html,
            body_text: String::new(),
            lead: lead.0..lead.1,
            word_count,
            raw_countries: raw_countries.map(tags_in),
            raw_topics: raw_topics.map(tags_in),
            not_countries: tags_in(not_countries),
            not_topics: tags_in(not_topics),
            auto_tag,
            explanations: explanations
                .into_iter()
                .map(|x| Explanation {
                    kind: intern(x.kind),
                    tag: x.tag,
                    score: x.score,
                    evidence: x
                        .evidence
                        .into_iter()
                        .map(|e| Evidence {
                            text: e.text,
                            part: part_of(e.part),
                            count: e.count,
                            weight: e.weight,
                            note: e.note.map(intern),
                        })
                        .collect(),
                })
                .collect(),
            placement,
            countries: countries
                .iter()
                .filter_map(|c| CountryCode::new(c))
                .collect(),
            topics,
            countries_origin: origin(countries_explicit),
            topics_origin: origin(topics_explicit),
        }
    }
}

// ---- the last render pass ------------------------------------------------

/// What the last render pass leaves for the next build.
pub struct Memo {
    pub last: crate::render::LastPass,
    pub groups: crate::index::Groupings,
}

type CodeBytes = [u8; 2];

#[derive(Serialize, Deserialize)]
struct CachedMemo {
    salt: u64,
    structure: u64,
    fps: Vec<u64>,
    by_country: Vec<(CodeBytes, Vec<usize>)>,
    by_topic: Vec<(String, Vec<usize>)>,
    by_month: Vec<((i16, i8), Vec<usize>)>,
    by_edition: Vec<((i16, i8, i8), Vec<usize>)>,
    by_pair: Vec<((CodeBytes, CodeBytes), Vec<usize>)>,
    related: Vec<Vec<usize>>,
}

fn code_bytes(c: CountryCode) -> CodeBytes {
    let b = c.as_str().as_bytes();
    [b[0], b[1]]
}

fn code_of(b: CodeBytes) -> Result<CountryCode, String> {
    std::str::from_utf8(&b)
        .ok()
        .and_then(CountryCode::new)
        .ok_or_else(|| "a bad country code".to_string())
}

/// Writes the memo; returns the tag the state must name for it.
pub fn save_memo(root: &Path, memo: &Memo, started: i128) -> anyhow::Result<u64> {
    use anyhow::Context as _;
    let g = &memo.groups;
    let cached = CachedMemo {
        salt: memo.last.salt,
        structure: memo.last.structure,
        fps: memo.last.fps.to_vec(),
        by_country: g
            .by_country
            .iter()
            .map(|(c, l)| (code_bytes(*c), l.clone()))
            .collect(),
        by_topic: g
            .by_topic
            .iter()
            .map(|(t, l)| (t.clone(), l.clone()))
            .collect(),
        by_month: g.by_month.iter().map(|(k, l)| (*k, l.clone())).collect(),
        by_edition: g
            .by_edition
            .iter()
            .map(|(d, l)| ((d.year(), d.month(), d.day()), l.clone()))
            .collect(),
        by_pair: g
            .by_pair
            .iter()
            .map(|((a, b), l)| ((code_bytes(*a), code_bytes(*b)), l.clone()))
            .collect(),
        related: g.related.to_vec(),
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
    write_framed(&d.join("memo"), tag, &payload)?;
    Ok(tag)
}

/// Reads the memo the state names.
pub fn load_memo(root: &Path, state: &State) -> Result<Memo, String> {
    if state.memo == 0 {
        return Err("no memo".into());
    }
    let path = dir(root).join("memo");
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let payload = unframe(&bytes, state.memo).map_err(|m| format!("{}: {m}", path.display()))?;
    let m: CachedMemo = postcard::from_bytes(payload)
        .map_err(|e| format!("{}: cannot decode: {e}", path.display()))?;
    let date = |(y, mo, d): (i16, i8, i8)| {
        jiff::civil::Date::new(y, mo, d).map_err(|e| format!("{}: {e}", path.display()))
    };
    let groups = crate::index::Groupings {
        structure: m.structure,
        by_country: Arc::new(
            m.by_country
                .into_iter()
                .map(|(c, l)| Ok((code_of(c)?, l)))
                .collect::<Result<_, String>>()?,
        ),
        by_topic: Arc::new(m.by_topic.into_iter().collect()),
        by_month: Arc::new(m.by_month.into_iter().collect()),
        by_edition: Arc::new(
            m.by_edition
                .into_iter()
                .map(|(d, l)| Ok((date(d)?, l)))
                .collect::<Result<_, String>>()?,
        ),
        by_pair: Arc::new(
            m.by_pair
                .into_iter()
                .map(|((a, b), l)| Ok(((code_of(a)?, code_of(b)?), l)))
                .collect::<Result<_, String>>()?,
        ),
        related: Arc::new(m.related),
    };
    Ok(Memo {
        last: crate::render::LastPass {
            salt: m.salt,
            structure: m.structure,
            fps: Arc::new(m.fps),
        },
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_detects_damage() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        write_framed(&p, 7, b"hello, cache").unwrap();
        let bytes = std::fs::read(&p).unwrap();
        assert_eq!(unframe(&bytes, 7).unwrap(), b"hello, cache");
        assert!(unframe(&bytes, 8).is_err(), "another tag");
        assert!(unframe(&bytes[..bytes.len() - 1], 7).is_err(), "truncated");
        let mut flipped = bytes.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 1;
        assert!(unframe(&flipped, 7).is_err(), "a flipped bit");
        assert!(unframe(b"garbage", 7).is_err());
    }

    #[test]
    fn articles_round_trip() {
        let config = crate::config::Config::default();
        let tagger = crate::tag::Tagger::new(&config).unwrap();
        let text = "+++\ntitle = \"Pakistan and Russia open joint exercise\"\ndate = 2023-10-17T09:30:00Z\nsource = \"Wire\"\nnot_topics = [\"diplomacy\"]\n+++\n\nISLAMABAD: The armies of Pakistan and Russia began a joint counter-terror exercise.\n\n- one\n- two\n";
        let mut a = crate::load::parse_article(Path::new("content/2023-10-17-x.md"), text, &config)
            .unwrap();
        a.fingerprint = 42;
        assert!(tagger.tag(&mut a).is_empty());
        a.placement = a.placement_key();
        assert!(!a.explanations.is_empty());
        let back = postcard::from_bytes::<CachedArticle>(
            &postcard::to_stdvec(&CachedArticle::from_article(&a)).unwrap(),
        )
        .unwrap()
        .into_article();
        assert!(back.body_text.is_empty(), "the tagger's input is not kept");
        a.body_text.clear();
        assert_eq!(format!("{a:?}"), format!("{back:?}"));
    }
}

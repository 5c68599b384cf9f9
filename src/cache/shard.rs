//! Article shards: the parsed and tagged articles, in [`SHARDS`] files by
//! path, so that a rebuild after one edit rewrites one shard. A shard has
//! three sections: the articles' metadata, their explanations (each encoded
//! on its own), and their bodies (UTF-8, one after the other); the metadata
//! gives each article's byte range in the other two, and its body's
//! checksum.
//!
//! A rebuild renders a few pages, so it needs few bodies and fewer
//! explanations: loading a shard reads its metadata and explanations, and
//! its articles hold where their body and explanations are kept
//! ([`Kept`]). [`Store`] reads a body from the file, or decodes
//! explanations, when first asked for, checks it, and keeps it; one that
//! cannot be had is an error, kept too, so that every page that asks for it
//! hears the same.

use std::io::{Read as _, Seek as _, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::error::{Damage, Error};
use super::frame::{Fnv, checksum, open, read_header, read_section};
use super::stored::{CachedArticle, CachedExplanation};
use crate::model::{Article, Explanation, Kept, Parts, Unreadable};

/// Article shards: a rebuild rewrites only those holding a changed article.
pub const SHARDS: usize = 32;

pub fn shard_name(i: usize) -> String {
    format!("articles-{i:02}")
}

/// The shard of the article at `rel` (relative to the site root).
pub fn shard_of(rel: &str) -> usize {
    let mut h = Fnv::new();
    h.bytes(rel.as_bytes());
    (h.finish() % SHARDS as u64) as usize
}

/// Where the articles loaded from the cache keep their bodies and
/// explanations: every shard they were loaded from.
pub struct Store(Vec<LazyShard>);

impl Parts for Store {
    fn body(&self, at: Kept) -> Result<&str, Unreadable> {
        self.shard(at)?.body(at.index as usize)
    }

    fn explanations(&self, at: Kept) -> Result<&[Explanation], Unreadable> {
        self.shard(at)?.explanations(at.index as usize)
    }
}

impl Store {
    /// A store of the shards given, numbered in order.
    pub(super) fn of(shards: Vec<LazyShard>) -> Store {
        Store(shards)
    }

    fn shard(&self, at: Kept) -> Result<&LazyShard, Unreadable> {
        self.0.get(at.shard as usize).ok_or_else(|| {
            Unreadable::new(Error::new(
                shard_name(at.shard as usize),
                Damage::NoSuchArticle,
            ))
        })
    }
}

/// A loaded shard: its articles, and where they keep their parts.
type Loaded = (Vec<Arc<Article>>, LazyShard);

/// Reads every shard the state names, in parallel: the articles, whose
/// bodies and explanations are kept in the [`Store`] returned with them.
pub fn load_all(dir: &Path, tags: &[u64]) -> Result<(Vec<Arc<Article>>, Store), Error> {
    let shards: Vec<Result<Loaded, Error>> = tags
        .par_iter()
        .enumerate()
        .map(|(i, tag)| load_shard(&dir.join(shard_name(i)), *tag, i as u32))
        .collect();
    let mut out = Vec::new();
    let mut store = Vec::with_capacity(shards.len());
    for s in shards {
        let (list, shard) = s?;
        out.extend(list);
        store.push(shard);
    }
    Ok((out, Store::of(store)))
}

/// Loads the shard at `path`, whose digest the state says is `tag`, as
/// shard number `number` of the store.
pub(super) fn load_shard(path: &Path, tag: u64, number: u32) -> Result<Loaded, Error> {
    let at = |damage| Error::new(path, damage);
    let (mut f, size) = open(path)?;
    let header = read_header(&mut f, size, tag, 3).map_err(at)?;
    let sections = &header.sections;
    let meta = read_section(&mut f, sections[0]).map_err(at)?;
    let explanations = read_section(&mut f, sections[1]).map_err(at)?;
    drop(f);
    let list: Vec<CachedArticle<'_>> =
        postcard::from_bytes(&meta).map_err(|e| at(Damage::Decode(e.to_string())))?;
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
        return Err(at(Damage::RangeOutside));
    }
    let shard = LazyShard {
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
    };
    let articles = list
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            Arc::new(c.into_article(Kept {
                shard: number,
                index: i as u32,
            }))
        })
        .collect();
    Ok((articles, shard))
}

/// The bodies and explanations of a loaded shard's articles. The
/// explanations section is read (and checked) with the metadata, and an
/// article's explanations are decoded when first asked for; a body is read
/// from the file when first asked for, and checked against its checksum.
/// Each is kept once had, or the reason it cannot be had. The file is
/// opened for each read, not kept open: a build rewrites shards while their
/// articles live.
pub(super) struct LazyShard {
    path: PathBuf,
    /// The shard's header as loaded: a file with another header is another
    /// file (a build wrote it since), whose bodies are not these.
    header: Vec<u8>,
    /// Where the bodies section begins in the file.
    offset: u64,
    /// The explanations section.
    explanation_bytes: Vec<u8>,
    spans: Vec<Spans>,
    bodies: Vec<OnceLock<Result<Box<str>, Damage>>>,
    explanations: Vec<OnceLock<Result<Vec<Explanation>, Damage>>>,
}

/// Where an article's parts are in their sections: body and its checksum,
/// explanations.
struct Spans {
    body: Range<u64>,
    sum: u64,
    explanations: Range<u64>,
}

impl LazyShard {
    fn body(&self, index: usize) -> Result<&str, Unreadable> {
        let part = match self.bodies.get(index) {
            Some(cell) => cell.get_or_init(|| self.read_body(index)).as_deref(),
            None => Err(&Damage::NoSuchArticle),
        };
        part.map_err(|d| self.unreadable(d))
    }

    fn explanations(&self, index: usize) -> Result<&[Explanation], Unreadable> {
        let part = match self.explanations.get(index) {
            Some(cell) => cell
                .get_or_init(|| self.decode_explanations(index))
                .as_deref(),
            None => Err(&Damage::NoSuchArticle),
        };
        part.map_err(|d| self.unreadable(d))
    }

    fn unreadable(&self, damage: &Damage) -> Unreadable {
        Unreadable::new(Error::new(&self.path, damage.clone()))
    }

    /// Reads the body of article `index` from the file.
    fn read_body(&self, index: usize) -> Result<Box<str>, Damage> {
        let span = self.spans.get(index).ok_or(Damage::NoSuchArticle)?;
        let io = |e: std::io::Error| Damage::Io(e.to_string());
        let mut f = std::fs::File::open(&self.path).map_err(io)?;
        let mut header = vec![0; self.header.len()];
        f.read_exact(&mut header).map_err(io)?;
        if header != self.header {
            return Err(Damage::Changed);
        }
        f.seek(SeekFrom::Start(self.offset + span.body.start))
            .map_err(io)?;
        // The span lies within the section (checked at load), which the
        // file holds (the same header, the same length).
        let len =
            usize::try_from(span.body.end - span.body.start).map_err(|_| Damage::BodyTooLarge)?;
        let mut bytes = vec![0; len];
        f.read_exact(&mut bytes).map_err(io)?;
        if checksum(&bytes) != span.sum {
            return Err(Damage::BodyChecksum);
        }
        String::from_utf8(bytes)
            .map(String::into_boxed_str)
            .map_err(|_| Damage::NotUtf8)
    }

    /// Decodes the explanations of article `index`.
    fn decode_explanations(&self, index: usize) -> Result<Vec<Explanation>, Damage> {
        let span = &self
            .spans
            .get(index)
            .ok_or(Damage::NoSuchArticle)?
            .explanations;
        let bytes = usize::try_from(span.start)
            .ok()
            .zip(usize::try_from(span.end).ok())
            .and_then(|(start, end)| self.explanation_bytes.get(start..end))
            .ok_or(Damage::RangeOutside)?;
        let list: Vec<CachedExplanation<'_>> =
            postcard::from_bytes(bytes).map_err(|e| Damage::Explanations(e.to_string()))?;
        Ok(list
            .into_iter()
            .map(CachedExplanation::into_explanation)
            .collect())
    }
}

/// Encodes the articles of a shard: its metadata, explanations and bodies
/// sections. The parts of articles loaded from the cache are read through
/// `parts`; fails if one cannot be had.
pub(super) fn encode_shard(list: &[&Article], parts: &dyn Parts) -> anyhow::Result<[Vec<u8>; 3]> {
    let mut explanations = Vec::new();
    let mut bodies = Vec::new();
    let meta = list
        .iter()
        .map(|a| CachedArticle::from_article(a, parts, &mut explanations, &mut bodies))
        .collect::<anyhow::Result<Vec<CachedArticle<'_>>>>()?;
    Ok([postcard::to_stdvec(&meta)?, explanations, bodies])
}

//! The memo: what the last render pass leaves for the next build, its salt,
//! the site's structure and groupings (see [`Groupings`]) and every
//! article's fingerprint by position. With them, a rebuild after an edit of
//! text looks only at the pages showing the edited article, as `serve` does
//! from memory. A damaged memo only makes a rebuild look at every page.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::error::{Damage, Error};
use super::frame::{Fnv, checksum, read_framed, write_framed};
use crate::index::Groupings;
use crate::model::CountryCode;
use crate::render::LastPass;

/// What the last render pass leaves for the next build.
pub struct Memo {
    pub last: LastPass,
    pub groups: Groupings,
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

/// Writes the memo into the cache directory `dir`; returns the tag the
/// state must name for it.
pub fn save_memo(dir: &Path, memo: &Memo, started: i128) -> anyhow::Result<u64> {
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
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    write_framed(&dir.join("memo"), tag, &[&payload])?;
    Ok(tag)
}

/// Reads the memo of tag `tag` from the cache directory `dir`.
pub fn load_memo(dir: &Path, tag: u64) -> Result<Memo, Error> {
    let path = dir.join("memo");
    if tag == 0 {
        return Err(Error::new(path, Damage::NoMemo));
    }
    let payload = read_framed(&path, tag, 1)?.pop().unwrap_or_default();
    let decode = |e: String| Error::new(&path, Damage::Decode(e));
    let m: CachedMemo = postcard::from_bytes(&payload).map_err(|e| decode(e.to_string()))?;
    let date = |(y, mo, d): CachedDate| {
        jiff::civil::Date::new(y, mo, d).map_err(|e| decode(e.to_string()))
    };
    let groups = Groupings {
        structure: m.structure,
        by_country: Arc::new(m.by_country.into_owned()),
        by_topic: Arc::new(m.by_topic.into_owned()),
        by_month: Arc::new(m.by_month.into_owned()),
        by_edition: Arc::new(
            m.by_edition
                .into_iter()
                .map(|(d, l)| Ok((date(d)?, l.into_owned())))
                .collect::<Result<_, Error>>()?,
        ),
        by_pair: Arc::new(m.by_pair.into_owned()),
        related: Arc::new(m.related.into_owned()),
    };
    Ok(Memo {
        last: LastPass {
            salt: m.salt,
            structure: m.structure,
            fps: Arc::new(m.fps.into_owned()),
        },
        groups,
    })
}

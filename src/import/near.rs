//! Near-copies: whether an imported article is nearly the text of one
//! already in `content/` (the same wire story from two feeds, a story
//! re-posted under a new headline).
//!
//! This is `check`'s near-duplicate machinery ([`crate::check::dups`]:
//! MinHash signatures over word shingles, bucketed by bands) behind one
//! small type, so that a story-clustering stage can take its place.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::check::dups;

/// The articles of a site, indexed for near-copy look-ups.
#[derive(Default)]
pub struct NearCopies {
    files: Vec<PathBuf>,
    buckets: HashMap<(usize, u64), Vec<usize>>,
}

/// The body of a Markdown article (what follows its front matter).
fn body_of(text: &str) -> &str {
    match crate::load::split_front_matter(text.trim_start_matches('\u{feff}')) {
        Ok((_, body)) => body,
        Err(_) => text,
    }
}

impl NearCopies {
    /// Indexes the Markdown files under `dirs` (unreadable ones are left out).
    pub fn scan(dirs: &[PathBuf]) -> NearCopies {
        let mut n = NearCopies::default();
        super::existing::each_markdown(dirs, |p, text| n.add(p, body_of(text)));
        n
    }

    /// Indexes one article's body (one just written, too).
    pub fn add(&mut self, path: &Path, body: &str) {
        let sh = dups::shingles(body);
        if sh.len() < dups::MIN_SHINGLES {
            return;
        }
        let i = self.files.len();
        self.files.push(path.to_path_buf());
        for key in dups::band_keys(&dups::signature(&sh)) {
            self.buckets.entry(key).or_default().push(i);
        }
    }

    /// The indexed article this body nearly copies, and how alike they
    /// are (at least [`dups::THRESHOLD`]), confirmed on the file's text.
    pub fn near_copy_of(&self, body: &str) -> Option<(&Path, f64)> {
        let sh = dups::shingles(body);
        if sh.len() < dups::MIN_SHINGLES {
            return None;
        }
        let mut candidates: Vec<usize> = dups::band_keys(&dups::signature(&sh))
            .iter()
            .filter_map(|k| self.buckets.get(k))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .filter_map(|i| {
                let text = std::fs::read_to_string(&self.files[i]).ok()?;
                let s = dups::jaccard(&sh, &dups::shingles(body_of(&text)));
                (s >= dups::THRESHOLD).then_some((self.files[i].as_path(), s))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// A [`NearCopies`] built on first use: a run that writes nothing never
/// reads the site's articles.
pub struct Lazy {
    dirs: Vec<PathBuf>,
    index: Option<NearCopies>,
}

impl Lazy {
    pub fn new(dirs: Vec<PathBuf>) -> Lazy {
        Lazy { dirs, index: None }
    }

    pub fn get(&mut self) -> &mut NearCopies {
        self.index
            .get_or_insert_with(|| NearCopies::scan(&self.dirs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The navy of the republic commissioned two new frigates on Monday at the northern naval base, \
        officials said, adding that the ships would patrol the strait and escort merchant convoys through \
        the busy sea lanes. The frigates carry anti-ship missiles, a medium-calibre gun and a helicopter.";

    #[test]
    fn finds_a_reworded_copy_and_not_another_story() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("2023-10-02-frigates.md");
        std::fs::write(&p, format!("+++\ntitle = \"Frigates\"\n+++\n\n{STORY}\n")).unwrap();
        let n = NearCopies::scan(&[dir.path().to_path_buf()]);
        let copy = STORY.replace("Monday", "Tuesday");
        let (found, sim) = n.near_copy_of(&copy).unwrap();
        assert_eq!(found, p);
        assert!(sim >= dups::THRESHOLD);
        let other = "Parliament approved the defence budget for next year after a long debate on procurement, \
            with extra money for air defence, ammunition and the training of reservists, while the opposition \
            demanded an audit of the helicopter programme.";
        assert!(n.near_copy_of(other).is_none());
        assert!(n.near_copy_of("too short").is_none());
    }
}

//! What `import --feeds` remembers between runs, in
//! `<site>/.milbrief/feeds.json`: per feed URL, the validators its last
//! full answer carried (`ETag`, `Last-Modified`) and the items already
//! dealt with (their ids and links). A second run then asks each feed
//! only whether it changed, and takes nothing twice.
//!
//! The file is written atomically (a temporary file renamed over it), and
//! only when its content changed.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::fetch::Validators;

/// The state file, relative to the site root.
/// The state file, in the site's own directory (`layout::STATE_DIR`).
pub const STATE_FILE: &str = ".milbrief/feeds.json";
/// Items remembered per feed; the oldest no longer in the feed go first.
const MAX_SEEN: usize = 5000;
const VERSION: u32 = 1;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedState {
    #[serde(flatten)]
    pub validators: Validators,
    /// Ids and normalised links of the items taken, skipped or found to
    /// be duplicates, oldest first.
    #[serde(default)]
    pub seen: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct State {
    version: u32,
    #[serde(default)]
    pub feeds: BTreeMap<String, FeedState>,
}

impl Default for State {
    fn default() -> Self {
        State {
            version: VERSION,
            feeds: BTreeMap::new(),
        }
    }
}

/// The keys an item is remembered by: its id and its link.
pub fn item_keys(id: &str, link: Option<&str>) -> Vec<String> {
    let mut keys = Vec::new();
    if !id.trim().is_empty() {
        keys.push(format!("id:{}", id.trim()));
    }
    if let Some(l) = link {
        keys.push(format!("url:{}", crate::check::dups::normalise_url(l)));
    }
    keys
}

impl FeedState {
    pub fn has_seen(&self, keys: &[String]) -> bool {
        !keys.is_empty() && keys.iter().any(|k| self.seen.contains(k))
    }

    /// Records items; `current` are the keys of the feed's present items,
    /// which are kept when the list is trimmed.
    pub fn remember(&mut self, keys: impl IntoIterator<Item = String>, current: &HashSet<String>) {
        for k in keys {
            if !self.seen.contains(&k) {
                self.seen.push(k);
            }
        }
        if self.seen.len() > MAX_SEEN {
            let mut extra = self.seen.len() - MAX_SEEN;
            self.seen.retain(|k| {
                if extra > 0 && !current.contains(k) {
                    extra -= 1;
                    false
                } else {
                    true
                }
            });
        }
    }
}

/// The state file of a site.
pub fn path(root: &Path) -> PathBuf {
    root.join(STATE_FILE)
}

/// Reads the state; a missing file is an empty state. A damaged one is an
/// empty state too, and the reason is returned to be told: the articles
/// in `content/` still keep duplicates out.
pub fn load(root: &Path) -> (State, Option<String>) {
    let p = path(root);
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (State::default(), None),
        Err(e) => {
            return (
                State::default(),
                Some(format!("cannot read {STATE_FILE}: {e}")),
            );
        }
    };
    match serde_json::from_str::<State>(&text) {
        Ok(s) if s.version == VERSION => (s, None),
        Ok(s) => (
            State::default(),
            Some(format!(
                "{STATE_FILE} is of version {}, not {VERSION}; starting afresh",
                s.version
            )),
        ),
        Err(e) => (
            State::default(),
            Some(format!("{STATE_FILE} is damaged ({e}); starting afresh")),
        ),
    }
}

/// Writes the state atomically, unless it equals `before`. Returns
/// whether it wrote.
pub fn save(root: &Path, state: &State, before: &State) -> anyhow::Result<bool> {
    if state == before {
        return Ok(false);
    }
    let p = path(root);
    let dir = p.parent().unwrap_or(root);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        // Like the build cache, the state is local to a working copy.
        let _ = std::fs::write(&ignore, "*\n");
    }
    let text = serde_json::to_string_pretty(state).context("cannot write the feed state")?;
    crate::disk::write_atomic(&p, text.as_bytes())
        .with_context(|| format!("cannot write {}", p.display()))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_no_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let (mut s, note) = load(dir.path());
        assert!(note.is_none());
        let before = s.clone();
        assert!(!save(dir.path(), &s, &before).unwrap());
        assert!(!path(dir.path()).exists());
        let f = s.feeds.entry("https://a.example/rss".into()).or_default();
        f.validators.etag = Some("\"v1\"".into());
        f.remember(
            item_keys("g1", Some("https://www.a.example/x/")),
            &HashSet::new(),
        );
        assert!(f.has_seen(&item_keys("other", Some("http://a.example/x"))));
        assert!(save(dir.path(), &s, &before).unwrap());
        let (back, note) = load(dir.path());
        assert!(note.is_none());
        assert_eq!(back, s);
        std::fs::write(path(dir.path()), "{not json").unwrap();
        let (fresh, note) = load(dir.path());
        assert_eq!(fresh, State::default());
        assert!(note.unwrap().contains("damaged"));
    }

    #[test]
    fn trimming_keeps_current_items() {
        let mut f = FeedState::default();
        let current: HashSet<String> = ["id:0".to_string()].into();
        f.remember((0..MAX_SEEN + 10).map(|i| format!("id:{i}")), &current);
        assert_eq!(f.seen.len(), MAX_SEEN);
        assert_eq!(f.seen[0], "id:0");
    }
}

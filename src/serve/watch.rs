//! Watching the site's files and rebuilding on change.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::{Shared, rebuild};
use crate::workspace::Workspace;

/// How long a burst of file events (an editor's save: temporary file,
/// rename) is collected before one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// The directories of a site that a change in triggers a rebuild.
const WATCHED_DIRS: [&str; 4] = crate::layout::INPUT_DIRS;

type Watch = Debouncer<RecommendedWatcher, RecommendedCache>;

pub struct Watcher {
    _debouncer: Arc<Mutex<Watch>>,
    _thread: std::thread::JoinHandle<()>,
}

impl Watcher {
    pub fn start(root: &Path, mut ws: Workspace, shared: Arc<Shared>) -> anyhow::Result<Watcher> {
        // Events carry absolute paths: compare them with the absolute root.
        let root =
            &std::fs::canonicalize(root).map_err(|e| anyhow::anyhow!("{}: {e}", root.display()))?;
        let (tx, rx) = mpsc::channel::<DebounceEventResult>();
        let mut debouncer = new_debouncer(DEBOUNCE, None, tx)?;
        // The root itself, not recursively: config.toml, and directories
        // that appear later.
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        let mut watched = Vec::new();
        for d in WATCHED_DIRS {
            let p = root.join(d);
            if p.is_dir() {
                debouncer.watch(&p, RecursiveMode::Recursive)?;
                watched.push(p);
            }
        }
        let debouncer = Arc::new(Mutex::new(debouncer));
        let handle = debouncer.clone();
        let root = root.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("milbrief-watch".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    let mut paths = Vec::new();
                    let mut known = true;
                    let mut relevant = collect(&root, &first, &mut paths, &mut known);
                    // Collapse whatever else arrived meanwhile into one rebuild.
                    while let Ok(more) = rx.try_recv() {
                        relevant |= collect(&root, &more, &mut paths, &mut known);
                    }
                    // A watched directory created after the start.
                    for d in WATCHED_DIRS {
                        let p = root.join(d);
                        if !watched.contains(&p) && p.is_dir() {
                            let mut w = handle.lock().unwrap_or_else(|e| e.into_inner());
                            if w.watch(&p, RecursiveMode::Recursive).is_ok() {
                                watched.push(p);
                                relevant = true;
                            }
                        }
                    }
                    if relevant {
                        rebuild(&mut ws, &shared, known.then_some(paths.as_slice()));
                    }
                }
            })?;
        Ok(Watcher {
            _debouncer: debouncer,
            _thread: thread,
        })
    }
}

/// Adds the site paths a batch of events touches to `paths`; returns
/// whether there were any. `known` turns false when the watcher reported
/// an error, so the rebuild must look at everything.
fn collect(
    root: &Path,
    batch: &DebounceEventResult,
    paths: &mut Vec<PathBuf>,
    known: &mut bool,
) -> bool {
    match batch {
        // Reads (our own, among others) are reported as access events:
        // only creations, changes and removals matter.
        Ok(events) => {
            let before = paths.len();
            for p in events
                .iter()
                .filter(|e| !e.kind.is_access())
                .flat_map(|e| e.paths.iter())
                .filter(|p| matters(root, p))
            {
                if !paths.contains(p) {
                    paths.push(p.clone());
                }
            }
            paths.len() > before
        }
        Err(_) => {
            *known = false;
            true
        }
    }
}

/// A path a site is built from; editor swap, backup and temporary files
/// are not.
pub fn matters(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let Some(name) = rel.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return false;
    };
    if is_editor_junk(&name) {
        return false;
    }
    let mut parts = rel.components();
    match parts
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
    {
        Some(first) if rel.components().count() == 1 => {
            first == crate::layout::CONFIG_FILE || WATCHED_DIRS.contains(&first.as_str())
        }
        Some(first) => WATCHED_DIRS.contains(&first.as_str()),
        None => false,
    }
}

fn is_editor_junk(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            ".orig",
            ".crdownload",
            ".part",
        ]
        .iter()
        .any(|s| name.ends_with(s))
        || name == "4913"
        || name == ".DS_Store"
        || name.starts_with(".goutputstream")
        || name.ends_with(".kate-swp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_files_matter() {
        let root = Path::new("/site");
        for p in [
            "/site/content/a.md",
            "/site/content/2023/b.md",
            "/site/templates/base.html",
            "/site/static/style.css",
            "/site/config.toml",
            "/site/data/x.toml",
        ] {
            assert!(matters(root, Path::new(p)), "{p}");
        }
        for p in [
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/.#a.md",
            "/site/content/#a.md#",
            "/site/content/4913",
            "/site/public/index.html",
            "/site/target/debug/x",
            "/site/README.md",
            "/site/content/a.md.tmp",
        ] {
            assert!(!matters(root, Path::new(p)), "{p}");
        }
    }
}

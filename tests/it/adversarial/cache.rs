//! The build cache under attack: edits it cannot see by their stamps,
//! forged and damaged files, leftovers of a killed build, paths of the
//! wrong type. A bad cache is a note and a full build, never an abort or
//! a stale site.

use std::path::Path;
use std::time::{Duration, SystemTime};

use super::{build, milbrief, site_with, stderr};

/// Sets a file's modification time.
fn set_mtime(p: &Path, t: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(p)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

const STORY: &str = "+++\ntitle = \"Frigate sails\"\ndate = 2024-03-04\n+++\n\nTALLINN: An Estonian frigate sailed for a Baltic patrol on Monday.\n";

/// An edit that keeps the file's length and gives it back its old
/// modification time (`touch -r`) once went unseen: the page stayed stale.
#[test]
fn an_edit_hidden_by_touch_r_is_seen() {
    let s = site_with("", &[("frigate.md", STORY)]);
    let article = s.path().join("content/frigate.md");
    // Old enough that the cache trusts the file's stamp.
    let old = SystemTime::now() - Duration::from_secs(3600);
    set_mtime(&article, old);
    let o = build(s.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = s.path().join("public/articles/frigate/index.html");
    assert!(std::fs::read_to_string(&page).unwrap().contains("Baltic"));
    // Same length, same modification time.
    std::fs::write(&article, STORY.replace("Baltic", "Arctic")).unwrap();
    set_mtime(&article, old);
    let o = build(s.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(text.contains("Arctic"), "the edit was not seen");
    assert!(!text.contains("Baltic"));
}

/// `check` reads every file itself: a cache that is stale, or forged to
/// say an article is fine, changes nothing it reports.
#[test]
fn check_never_relies_on_the_cache() {
    let s = site_with("", &[("frigate.md", STORY)]);
    let article = s.path().join("content/frigate.md");
    let old = SystemTime::now() - Duration::from_secs(3600);
    set_mtime(&article, old);
    assert!(build(s.path()).status.success());
    // An unknown key of the same length, hidden by the old time.
    std::fs::write(&article, STORY.replace("date = ", "dat  = ")).unwrap();
    set_mtime(&article, old);
    let o = milbrief()
        .args(["check", "--root"])
        .arg(s.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", super::stdout(&o));
    assert!(
        super::stdout(&o).contains("unknown-key"),
        "{}",
        super::stdout(&o)
    );
}

/// Every temporary file in the cache directory.
fn cache_temporaries(site: &Path) -> Vec<String> {
    let dir = site.join(".milbrief/cache");
    std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

/// A save killed half-way left `.articles-16.NNNN.tmp` files (2 MB each)
/// that no later build removed.
#[test]
fn temporaries_of_a_killed_save_are_removed() {
    let s = site_with("", &[("frigate.md", STORY)]);
    assert!(build(s.path()).status.success());
    let cache = s.path().join(".milbrief/cache");
    std::fs::write(cache.join(".articles-16.4242.tmp"), vec![7u8; 1 << 20]).unwrap();
    std::fs::write(cache.join(".state.4243.tmp"), b"half a state").unwrap();
    let o = build(s.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(cache_temporaries(s.path()), Vec::<String>::new());
}

/// A cache path of the wrong type once turned caching off for good, with
/// a note on every build. It is repaired, with one note.
#[test]
fn cache_paths_of_the_wrong_type_are_repaired() {
    let s = site_with("", &[("frigate.md", STORY)]);
    let cache = s.path().join(".milbrief/cache");
    let loud = |site: &Path| {
        milbrief()
            .args(["build", "--root"])
            .arg(site)
            .output()
            .unwrap()
    };
    // `state` a directory.
    assert!(build(s.path()).status.success());
    std::fs::remove_file(cache.join("state")).unwrap();
    std::fs::create_dir_all(cache.join("state/inside")).unwrap();
    let o = loud(s.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("was a directory"), "{}", stderr(&o));
    assert!(cache.join("state").is_file());
    let o = loud(s.path());
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
    assert!(
        super::stdout(&o).contains("0 written"),
        "{}",
        super::stdout(&o)
    );
    // `cache` a file.
    std::fs::remove_dir_all(&cache).unwrap();
    std::fs::write(&cache, "not a directory").unwrap();
    let o = loud(s.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("was not a directory"), "{}", stderr(&o));
    assert!(cache.join("state").is_file());
    let o = loud(s.path());
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
}

/// A forged cache (a length of 4 GiB in a header that is otherwise
/// valid, in the state or in a shard) once aborted the build trying to
/// allocate it. It is a note and a full build.
#[test]
fn a_forged_cache_is_a_note_and_a_full_build() {
    let s = site_with("", &[("frigate.md", STORY)]);
    let cache = s.path().join(".milbrief/cache");
    for file in ["state", "shard"] {
        assert!(build(s.path()).status.success());
        let path = if file == "state" {
            cache.join("state")
        } else {
            // The largest shard: the one holding the article.
            std::fs::read_dir(&cache)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with("articles-")
                })
                .max_by_key(|p| p.metadata().unwrap().len())
                .unwrap()
        };
        let mut bytes = std::fs::read(&path).unwrap();
        // The first section's length: magic (8), format (4), tag (8).
        bytes[20..28].copy_from_slice(&(4u64 << 30).to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        std::fs::write(
            s.path().join("content/frigate.md"),
            STORY.replace("Baltic", "Arctic"),
        )
        .unwrap();
        let o = milbrief()
            .args(["build", "--root"])
            .arg(s.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{file}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("ignoring the build cache"),
            "{file}: {}",
            stderr(&o)
        );
        let page = s.path().join("public/articles/frigate/index.html");
        assert!(std::fs::read_to_string(&page).unwrap().contains("Arctic"));
        std::fs::write(s.path().join("content/frigate.md"), STORY).unwrap();
    }
}

/// A build killed at any moment (here: at several points, the cache save
/// among them) leaves nothing that stops the next one: it succeeds, its
/// output is a clean build's, and no temporary file is left, in the
/// cache or in the output.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_is_put_right_by_the_next() {
    let s = site_with("", &[]);
    super::output::add_articles(s.path(), 0, 400, 2000);
    let bin = assert_cmd::cargo::cargo_bin("milbrief");
    for round in 0..6u64 {
        // Each round edits an article, so that every build writes.
        super::output::add_articles(s.path(), round as usize, round as usize + 1, 2100);
        let mut child = std::process::Command::new(&bin)
            .args(["build", "--quiet", "--root"])
            .arg(s.path())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(150 * round + 50));
        let _ = child.kill();
        let _ = child.wait();
    }
    let o = build(s.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(cache_temporaries(s.path()), Vec::<String>::new());
    let clean = s.path().join("clean");
    let o = milbrief()
        .args(["build", "--quiet", "--no-cache", "--root"])
        .arg(s.path())
        .arg("--output")
        .arg(&clean)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = super::output::tree(&s.path().join("public"));
    assert!(
        out == super::output::tree(&clean),
        "not a clean build's output"
    );
}

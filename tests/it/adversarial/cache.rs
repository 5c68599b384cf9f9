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

//! Two builds at once once failed with `cannot remove stale
//! …/.index.html.NNNN.tmp`. A build locks the site (its cache) and the
//! output directory; a second one says so and waits.

use std::io::BufRead as _;
use std::process::Stdio;

use super::output::{add_articles, tree};
use super::{milbrief, site_with, stderr};

/// Two builds started together both succeed, and leave a clean build's
/// output and no temporary file.
#[test]
fn two_builds_at_once_both_succeed() {
    let s = site_with("", &[]);
    add_articles(s.path(), 0, 150, 1000);
    let bin = assert_cmd::cargo::cargo_bin("milbrief");
    let spawn = || {
        std::process::Command::new(&bin)
            .args(["build", "--quiet", "--root"])
            .arg(s.path())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let clean = s.path().join("clean");
    let o = milbrief()
        .args(["build", "--quiet", "--no-cache", "--root"])
        .arg(s.path())
        .arg("--output")
        .arg(&clean)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(tree(&s.path().join("public")) == tree(&clean));
    let cache = tree(&s.path().join(".milbrief"));
    assert!(
        cache.keys().all(|k| !k.ends_with(".tmp")),
        "{:?}",
        cache.keys()
    );
}

/// While another process holds the site's lock, a build says that
/// another build is writing and waits; it goes on when the lock is let
/// go. A lock held by a process that ended (a build killed with -9) is
/// gone with it: the system drops it.
#[test]
fn a_second_build_says_so_and_waits() {
    let s = site_with("", &[]);
    add_articles(s.path(), 0, 3, 100);
    let state = s.path().join(".milbrief");
    std::fs::create_dir_all(&state).unwrap();
    let held = std::fs::File::create(state.join("lock")).unwrap();
    held.lock().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("milbrief"))
        .args(["build", "--quiet", "--root"])
        .arg(s.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    err.read_line(&mut line).unwrap();
    assert!(
        line.contains("another milbrief build is writing here"),
        "{line}"
    );
    assert!(
        !s.path().join("public/index.html").exists(),
        "it did not wait"
    );
    drop(held);
    assert!(child.wait().unwrap().success());
    assert!(s.path().join("public/index.html").is_file());
}

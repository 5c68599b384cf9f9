//! The output directory under attack: what the README promises of it.
//! A failing build leaves it exactly as it was, with no temporary file; a
//! link planted in it is never written through; what milbrief did not
//! write is never removed (but with `--clean`); something in the way of a
//! page is reported with its fix; two builds at once do not collide.

use std::collections::BTreeMap;
use std::path::Path;

use super::{build, milbrief, site_with, stderr, stdout};

/// Everything under `dir`: files with their bytes, links with their
/// targets, directories (`name/`).
pub(super) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut t = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
        let ft = e.file_type();
        if ft.is_symlink() {
            let to = std::fs::read_link(e.path()).unwrap();
            t.insert(format!("{rel} ->"), to.display().to_string().into_bytes());
        } else if ft.is_dir() {
            t.insert(format!("{rel}/"), Vec::new());
        } else {
            t.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    t
}

/// Articles numbered `from..to`, each `size` bytes of body or so.
pub(super) fn add_articles(site: &Path, from: usize, to: usize, size: usize) {
    let para = "The ministry of defence said the brigade would train with allied units near the border this autumn. ";
    for i in from..to {
        let body = para.repeat(size / para.len() + 1);
        std::fs::write(
            site.join(format!("content/2024-03-{:02}-report-{i}.md", 1 + i % 28)),
            format!("+++\ntitle = \"Brigade report {i}\"\n+++\n\nRIGA: Report {i}. {body}\n"),
        )
        .unwrap();
    }
}

fn build_args(site: &Path, args: &[&str]) -> std::process::Output {
    milbrief()
        .arg("build")
        .arg("--root")
        .arg(site)
        .args(args)
        .output()
        .unwrap()
}

/// Nothing of a staged write is left in the output.
fn assert_no_staging(out: &Path) {
    let left: Vec<String> = tree(out)
        .into_keys()
        .filter(|k| k.contains("staging") || k.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// A build that fails part-way (here: a directory of the user's where
/// the site needs its 404 page, found after pages were written) once
/// left pages replaced and added, and removed the user's directory. Now
/// the output is exactly as it was, and nothing temporary is left.
#[test]
fn a_build_failing_part_way_leaves_the_output_as_it_was() {
    let s = site_with("", &[]);
    add_articles(s.path(), 0, 20, 300);
    assert!(build(s.path()).status.success());
    let out = s.path().join("public");
    std::fs::remove_file(out.join("404.html")).unwrap();
    std::fs::create_dir(out.join("404.html")).unwrap();
    std::fs::write(out.join("404.html/notes.txt"), "the editor's notes").unwrap();
    // New and changed pages, and a stale one.
    add_articles(s.path(), 20, 30, 300);
    std::fs::remove_file(s.path().join("content/2024-03-01-report-0.md")).unwrap();
    let before = tree(&out);
    let o = build(s.path());
    assert!(!o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("404.html"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--clean"), "{}", stderr(&o));
    assert!(tree(&out) == before, "the output changed");
    assert_no_staging(&out);
}

/// A link planted where the site needs a directory was written through
/// (pages landed in the link's target, overwriting a file there), then
/// removed as stale. Now the build refuses it, naming it, and writes
/// nothing; `--clean` replaces the link (never its target).
#[cfg(unix)]
#[test]
fn a_planted_symlink_is_never_written_through() {
    let s = site_with("", &[]);
    add_articles(s.path(), 0, 5, 100);
    assert!(build(s.path()).status.success());
    let out = s.path().join("public");
    let elsewhere = s.path().join("elsewhere");
    std::fs::create_dir_all(elsewhere.join("report-0")).unwrap();
    let victim = elsewhere.join("report-0/index.html");
    std::fs::write(&victim, "not milbrief's").unwrap();
    std::fs::remove_dir_all(out.join("articles")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("articles")).unwrap();
    add_articles(s.path(), 5, 8, 100);
    let before = tree(&out);
    let o = build(s.path());
    assert!(!o.status.success());
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert!(tree(&out) == before, "the output changed");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "not milbrief's");
    assert_eq!(tree(&elsewhere).len(), 2, "written into the link's target");
    assert_no_staging(&out);
    // With --clean the link goes, its target stays.
    let o = build_args(s.path(), &["--quiet", "--clean"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let articles = out.join("articles");
    assert!(articles.symlink_metadata().unwrap().is_dir());
    assert!(articles.join("report-5/index.html").is_file());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "not milbrief's");
    assert_eq!(tree(&elsewhere).len(), 2);
}

/// `public/.git/` and `public/CNAME` once vanished as stale. What
/// milbrief did not write is kept and reported, by `build` and `check`;
/// `--clean` removes it.
#[test]
fn files_milbrief_did_not_write_are_kept_and_reported() {
    let s = site_with("", &[]);
    add_articles(s.path(), 0, 3, 100);
    assert!(build(s.path()).status.success());
    let out = s.path().join("public");
    std::fs::create_dir_all(out.join(".git/refs")).unwrap();
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(out.join(".git/refs/main"), "0123\n").unwrap();
    std::fs::write(out.join("CNAME"), "news.example.org\n").unwrap();
    std::fs::write(out.join("articles/notes.txt"), "mine\n").unwrap();
    // A page that goes: milbrief's, removed.
    std::fs::remove_file(s.path().join("content/2024-03-01-report-0.md")).unwrap();
    let o = build_args(s.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stderr(&o);
    assert!(
        said.contains("not written by milbrief, kept: .git/, CNAME, articles/notes.txt"),
        "{said}"
    );
    assert!(!out.join("articles/report-0").exists());
    assert!(out.join(".git/HEAD").is_file() && out.join(".git/refs/main").is_file());
    assert!(out.join("CNAME").is_file() && out.join("articles/notes.txt").is_file());
    // `check` says so too.
    let o = milbrief()
        .args(["check", "--root"])
        .arg(s.path())
        .output()
        .unwrap();
    assert!(
        stdout(&o).contains("not written by milbrief, kept: .git/, CNAME"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("not-written"), "{}", stdout(&o));
    // A rebuild from the cache keeps them too.
    assert!(build(s.path()).status.success());
    assert!(out.join("CNAME").is_file() && out.join(".git/HEAD").is_file());
    // --clean removes them.
    let o = build_args(s.path(), &["--clean"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("kept"), "{}", stderr(&o));
    assert!(!out.join(".git").exists() && !out.join("CNAME").exists());
    assert!(!out.join("articles/notes.txt").exists());
}

/// A file where a directory must go (`public/countries`) once made every
/// later build fail with "File exists". It is reported with its fix; a
/// build with `--clean` replaces it.
#[test]
fn a_file_where_a_directory_must_go_is_reported_with_its_fix() {
    let s = site_with(
        "",
        &[(
            "frigate.md",
            "+++\ntitle = \"Frigate sails\"\ndate = 2024-03-04\ncountries = [\"EE\"]\n+++\n\nTALLINN: A frigate sailed.\n",
        )],
    );
    assert!(build(s.path()).status.success());
    let out = s.path().join("public");
    std::fs::remove_dir_all(out.join("countries")).unwrap();
    std::fs::write(out.join("countries"), "a file").unwrap();
    let before = tree(&out);
    for args in [&["--quiet"][..], &["--quiet", "--no-cache"]] {
        let o = build_args(s.path(), args);
        assert!(!o.status.success());
        let said = stderr(&o);
        assert!(
            said.contains("countries: a file not written by milbrief"),
            "{said}"
        );
        assert!(said.contains("--clean"), "{said}");
        assert!(tree(&out) == before);
        assert_no_staging(&out);
    }
    let o = build_args(s.path(), &["--quiet", "--clean"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("countries/ee/index.html").is_file());
    // And the next build is a plain one.
    assert!(build(s.path()).status.success());
}

/// Where the test runs as root, a size-limited tmpfs is mounted as the
/// output directory: a build that fills it (ENOSPC part-way) leaves the
/// output exactly as it was, with no temporary file; once there is room,
/// the next build succeeds. Skipped, with a notice, elsewhere.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_the_output_as_it_was() {
    let s = site_with("", &[]);
    add_articles(s.path(), 0, 10, 500);
    let out = s.path().join("public");
    std::fs::create_dir(&out).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&out)
        .output();
    if !mounted.as_ref().is_ok_and(|o| o.status.success()) {
        eprintln!(
            "notice: cannot mount a tmpfs (not root?): the full-disk test is skipped ({})",
            mounted.map_or_else(|e| e.to_string(), |o| stderr(&o))
        );
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&out);
    let o = build(s.path());
    assert!(o.status.success(), "{}", stderr(&o));
    // Far more than 1 MiB of pages.
    add_articles(s.path(), 10, 200, 8000);
    let before = tree(&out);
    let o = build(s.path());
    assert!(!o.status.success(), "the disk did not fill");
    assert!(
        stderr(&o).contains("No space left on device"),
        "{}",
        stderr(&o)
    );
    assert!(tree(&out) == before, "the output changed");
    assert_no_staging(&out);
    // Room again: the build goes through.
    for i in 10..200 {
        let _ = std::fs::remove_file(
            s.path()
                .join(format!("content/2024-03-{:02}-report-{i}.md", 1 + i % 28)),
        );
    }
    add_articles(s.path(), 10, 12, 500);
    let o = build(s.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("articles/report-11/index.html").is_file());
    assert_no_staging(&out);
}

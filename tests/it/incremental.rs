//! The build cache never changes what a build writes: after every step of
//! editing a site, an incremental `build` leaves an output directory
//! byte-identical to a clean full build into an empty one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::*;
use milbrief::BuildOptions;
use milbrief::CacheUse;
use milbrief::Progress;

/// Every file under `dir`: relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Every directory under `dir`, relative to it.
fn dirs(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect()
}

/// Sets the modification time of every directory of `dir`, itself
/// included, an hour back: old enough for the cache to trust.
fn age_dirs(dir: &Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_dir() {
            let f = std::fs::File::open(e.path()).unwrap();
            f.set_modified(then).unwrap();
        }
    }
}

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    fresh: usize,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(&fixture("basic"), &root);
        let _ = std::fs::remove_dir_all(root.join(".milbrief"));
        // More articles, some tagged by hand and some left to the tagger,
        // so that pages, listings and related articles span several pages.
        let texts = [
            (
                "2023-09-01-warsaw-k2.md",
                "Poland orders more K2 tanks",
                "countries = [\"PL\", \"KR\"]\ntopics = [\"procurement\"]\n",
                "WARSAW: Poland signed a contract with Hyundai Rotem for 180 more K2 tanks.",
            ),
            (
                "2023-09-02-drill.md",
                "Japanese and Philippine navies drill together",
                "",
                "MANILA: The navies of Japan and the Philippines began a joint exercise in the South China Sea on Monday.",
            ),
            (
                "2023-09-03-german-budget.md",
                "Germany raises defence budget",
                "",
                "BERLIN: The German government proposed raising defence spending to two percent of GDP, the finance ministry said.",
            ),
            (
                "2023-09-03-missile.md",
                "North Korea test-fires ballistic missile",
                "",
                "SEOUL: North Korea test-fired a ballistic missile into the sea, South Korea's military said.",
            ),
            (
                "2023-09-04-estonia-cyber.md",
                "Estonia blames Russian hackers for cyberattack",
                "countries = [\"EE\", \"RU\"]\n",
                "TALLINN: Estonia said hackers working for Russia's intelligence service attacked ministry networks.",
            ),
        ];
        for (name, title, tags, body) in texts {
            std::fs::write(
                root.join("content").join(name),
                format!("+++\ntitle = \"{title}\"\nsource = \"Wire\"\n{tags}+++\n\n{body}\n\nMore details followed.\n"),
            )
            .unwrap();
        }
        let out = dir.path().join("public");
        Site {
            root,
            out,
            _dir: dir,
            fresh: 0,
        }
    }

    fn opts(&self, out: &Path) -> BuildOptions {
        BuildOptions {
            output: Some(out.to_path_buf()),
            ..BuildOptions::new(&self.root)
        }
    }

    /// An incremental build, then a clean full build into a new directory:
    /// both must hold the same files with the same bytes.
    fn check(&mut self, step: &str) -> milbrief::BuildReport {
        self.check_with(step, false)
    }

    /// [`Site::check`], the build cleaning with `clean`: files milbrief
    /// did not write are removed (otherwise kept).
    fn check_with(&mut self, step: &str, clean: bool) -> milbrief::BuildReport {
        let opts = BuildOptions {
            clean,
            ..self.opts(&self.out)
        };
        let r = milbrief::build_with(&opts, true, &Progress::hidden())
            .unwrap_or_else(|e| panic!("{step}: {e:#}"));
        self.fresh += 1;
        let clean = self.out.with_file_name(format!("clean-{}", self.fresh));
        let full = milbrief::build(&self.opts(&clean)).unwrap();
        assert_eq!(full.cache, CacheUse::Off);
        let (a, b) = (tree(&self.out), tree(&clean));
        let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b), "{step}: the same files");
        for (k, v) in &b {
            assert!(a[k] == *v, "{step}: {k} differs from a clean build");
        }
        assert_eq!(
            dirs(&self.out),
            dirs(&clean),
            "{step}: the same directories"
        );
        assert!(
            !a.keys()
                .any(|k| k.contains(".milbrief/") || k.contains("articles-")),
            "{step}: the cache stays out of the output"
        );
        r
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a file and makes sure its stamp differs from before, as an
    /// editor's save would, even on a file system with a coarse clock.
    fn edit(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        let before = std::fs::metadata(&p).ok().and_then(|m| m.modified().ok());
        std::fs::write(&p, text).unwrap();
        if let Some(t) = before {
            let later = t + std::time::Duration::from_secs(3);
            let f = std::fs::File::options().write(true).open(&p).unwrap();
            f.set_modified(later).unwrap();
        }
    }
}

#[test]
fn incremental_builds_equal_clean_builds_at_every_step() {
    let mut s = Site::new();

    let r = s.check("first build");
    assert_eq!(r.cache, CacheUse::Full);
    assert!(
        s.path(".milbrief/cache/state").is_file(),
        "the cache is kept"
    );
    assert_eq!(
        std::fs::read_to_string(s.path(".milbrief/.gitignore")).unwrap(),
        "*\n"
    );

    let r = s.check("no change");
    assert_eq!(r.cache, CacheUse::Unchanged);
    assert_eq!(
        (r.stats.written, r.stats.removed),
        (0, 0),
        "nothing written"
    );
    assert_eq!(r.stats.unchanged, r.outputs);

    // An article's text.
    s.edit(
        "content/2023-09-03-german-budget.md",
        "+++\ntitle = \"Germany raises defence budget\"\nsource = \"Wire\"\n+++\n\nBERLIN: The German government proposed raising defence spending to 2.5 percent of GDP.\n",
    );
    let r = s.check("text edit");
    assert_eq!(r.cache, CacheUse::Incremental);
    assert_eq!(r.reread, 1, "one article read again");
    assert!(
        r.rendered < r.outputs / 2,
        "{} of {}",
        r.rendered,
        r.outputs
    );

    // Only the body of an article, past its lead: its page and the feeds
    // that carry it, known from the cache without looking at every page.
    s.edit(
        "content/2023-09-03-german-budget.md",
        "+++\ntitle = \"Germany raises defence budget\"\nsource = \"Wire\"\n+++\n\nBERLIN: The German government proposed raising defence spending to 2.5 percent of GDP.\n\nThe parliament votes in December.\n",
    );
    let r = s.check("body edit");
    assert_eq!(r.cache, CacheUse::Incremental);
    assert!(r.rendered <= 6, "{} rendered", r.rendered);
    assert!(
        r.examined < r.outputs / 2,
        "only the pages that can show it are looked at: {} of {}",
        r.examined,
        r.outputs
    );
    // Its title: every listing that shows it.
    s.edit(
        "content/2023-09-03-german-budget.md",
        "+++\ntitle = \"Germany raises its defence budget\"\nsource = \"Wire\"\n+++\n\nBERLIN: The German government proposed raising defence spending to 2.5 percent of GDP.\n\nThe parliament votes in December.\n",
    );
    s.check("title edit");

    // An article's tags: it moves between country and topic pages.
    s.edit(
        "content/2023-09-01-warsaw-k2.md",
        "+++\ntitle = \"Poland orders more K2 tanks\"\nsource = \"Wire\"\ncountries = [\"PL\", \"DE\"]\ntopics = [\"arms-trade\"]\n+++\n\nWARSAW: Poland signed a contract.\n",
    );
    s.check("tag change");

    // Added, renamed and removed articles.
    s.edit(
        "content/2023-12-01-new.md",
        "+++\ntitle = \"Finland joins exercise\"\ncountries = [\"FI\"]\n+++\n\nHELSINKI: Finnish troops joined the drills.\n",
    );
    s.check("added article");

    // An article from a source the site had none from: its page, and the
    // sources index lists it; then its source changes, and it moves.
    let index_before = std::fs::read_to_string(s.out.join("sources/index.html")).unwrap();
    assert!(!index_before.contains("Xinhua News Agency"));
    s.edit(
        "content/2023-12-02-xinhua.md",
        "+++\ntitle = \"China holds naval drills\"\nsource = \"Xinhua\"\ncountries = [\"CN\"]\n+++\n\nBEIJING: The navy held drills.\n",
    );
    s.check("article from a new source");
    let page =
        std::fs::read_to_string(s.out.join("sources/xinhua-news-agency/index.html")).unwrap();
    assert!(page.contains("China holds naval drills"), "{page}");
    assert!(page.contains("badge-state-affiliated"));
    let index = std::fs::read_to_string(s.out.join("sources/index.html")).unwrap();
    assert!(index.contains("Xinhua News Agency"), "{index}");
    assert!(s.out.join("sources/xinhua-news-agency/atom.xml").is_file());
    s.edit(
        "content/2023-12-02-xinhua.md",
        "+++\ntitle = \"China holds naval drills\"\nsource = \"Wire\"\ncountries = [\"CN\"]\n+++\n\nBEIJING: The navy held drills.\n",
    );
    s.check("source changed");
    assert!(!s.out.join("sources/xinhua-news-agency").exists());
    std::fs::create_dir_all(s.path("content/moved")).unwrap();
    std::fs::rename(
        s.path("content/2023-09-04-estonia-cyber.md"),
        s.path("content/moved/2023-09-05-estonia-renamed.md"),
    )
    .unwrap();
    s.check("renamed article");
    std::fs::remove_file(s.path("content/2023-10-03-tank-deal.md")).unwrap();
    s.check("removed article");

    // A template of the site's own, then an edit of it.
    std::fs::create_dir_all(s.path("templates")).unwrap();
    std::fs::write(
        s.path("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}Lost{% endblock content %}",
    )
    .unwrap();
    let r = s.check("new template");
    assert_eq!(r.reread, 0, "a template change does not re-read articles");
    s.edit(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}Gone{% endblock content %}",
    );
    s.check("edited template");

    // A static file.
    std::fs::create_dir_all(s.path("static")).unwrap();
    std::fs::write(s.path("static/robots.txt"), "User-agent: *\n").unwrap();
    s.check("static file");

    // The configuration: everything is rebuilt.
    s.edit(
        "config.toml",
        "title = \"Renamed digest\"\nbase_url = \"https://digest.example/\"\nper_page = 3\n",
    );
    let r = s.check("config change");
    assert_eq!(r.cache, CacheUse::Full);

    // A draft appears with --drafts: another key.
    let with_drafts = BuildOptions {
        drafts: true,
        ..s.opts(&s.out)
    };
    milbrief::build_with(&with_drafts, true, &Progress::hidden()).unwrap();
    s.check("back from --drafts");

    // Output files touched by hand are written again; strays removed (the
    // build cleans; otherwise they are kept, see the adversarial suite).
    std::fs::write(s.out.join("index.html"), "scribbled").unwrap();
    std::fs::write(s.out.join("stray.html"), "not ours").unwrap();
    std::fs::remove_file(s.out.join("countries/index.html")).unwrap();
    let r = s.check_with("damaged output", true);
    assert_eq!(r.cache, CacheUse::Incremental);
    assert_eq!(r.reread, 0);
    assert_eq!(r.stats.removed, 1);
}

#[test]
fn a_same_length_edit_within_the_clock_tick_is_seen() {
    let mut s = Site::new();
    s.check("first build");
    // Same length, and the old modification time put back: only the
    // content tells the change, which the cache checks for recent files.
    let rel = "content/2023-09-03-missile.md";
    let p = s.path(rel);
    let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("ballistic", "ballistiq")).unwrap();
    let f = std::fs::File::options().write(true).open(&p).unwrap();
    f.set_modified(mtime).unwrap();
    drop(f);
    let r = s.check("same-length edit");
    assert_eq!(r.reread, 1);
}

#[test]
fn a_damaged_cache_means_a_full_build() {
    let mut s = Site::new();
    s.check("first build");
    let state = s.path(".milbrief/cache/state");

    // A flipped byte in the state.
    let mut bytes = std::fs::read(&state).unwrap();
    let n = bytes.len();
    bytes[n - 5] ^= 0x40;
    std::fs::write(&state, &bytes).unwrap();
    s.edit(
        "content/2023-09-02-drill.md",
        "+++\ntitle = \"Drill\"\n+++\n\nJapan and the Philippines.\n",
    );
    let r = s.check("corrupt state");
    assert_eq!(r.cache, CacheUse::Full);
    assert!(
        r.notices.iter().any(|n| n.contains("cache")),
        "{:?}",
        r.notices
    );

    // A damaged article shard.
    let shard = std::fs::read_dir(s.path(".milbrief/cache"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("articles-")
        })
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    let mut bytes = std::fs::read(&shard).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0x01;
    std::fs::write(&shard, &bytes).unwrap();
    s.edit(
        "content/2023-09-02-drill.md",
        "+++\ntitle = \"Drill again\"\n+++\n\nJapan and the Philippines.\n",
    );
    let r = s.check("corrupt shard");
    assert_eq!(r.cache, CacheUse::Full);

    // A damaged memo of the last render pass: the rebuild looks at every
    // page instead of those the memo points to, and is still right.
    let memo = s.path(".milbrief/cache/memo");
    let mut bytes = std::fs::read(&memo).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0x01;
    std::fs::write(&memo, &bytes).unwrap();
    s.edit(
        "content/2023-09-02-drill.md",
        "+++\ntitle = \"Drill again\"\n+++\n\nJapan and the Philippines, again.\n",
    );
    let r = s.check("corrupt memo");
    assert_eq!(r.cache, CacheUse::Incremental);
    assert!(
        r.examined > r.outputs / 2,
        "{} of {}",
        r.examined,
        r.outputs
    );
    // One left over from an earlier build does not match the state.
    let old = std::fs::read(&memo).unwrap();
    s.edit(
        "content/2023-09-02-drill.md",
        "+++\ntitle = \"Drill again\"\n+++\n\nJapan and the Philippines, once more.\n",
    );
    s.check("memo saved");
    std::fs::write(&memo, &old).unwrap();
    s.edit(
        "content/2023-09-02-drill.md",
        "+++\ntitle = \"Drill again\"\n+++\n\nJapan and the Philippines, again.\n",
    );
    let r = s.check("stale memo");
    assert_eq!(r.cache, CacheUse::Incremental);
    assert!(
        r.examined > r.outputs / 2,
        "{} of {}",
        r.examined,
        r.outputs
    );

    // Garbage, a truncated file, and a directory where the state should be.
    std::fs::write(&state, b"garbage").unwrap();
    assert_eq!(s.check("garbage state").cache, CacheUse::Full);
    let bytes = std::fs::read(&state).unwrap();
    std::fs::write(&state, &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(s.check("truncated state").cache, CacheUse::Full);
    std::fs::remove_file(&state).unwrap();
    std::fs::create_dir(&state).unwrap();
    let r = s.check("unreadable state");
    assert_eq!(r.cache, CacheUse::Full);
    assert!(
        r.notices.iter().any(|n| n.contains("was a directory")),
        "{:?}",
        r.notices
    );
    // Repaired: the next build uses the cache, without a note.
    let r = s.check("repaired state");
    assert!(r.notices.is_empty(), "{:?}", r.notices);
    assert_ne!(r.cache, CacheUse::Full);
}

#[test]
fn no_cache_builds_keep_no_cache() {
    let s = Site::new();
    let r = milbrief::build_with(&s.opts(&s.out), false, &Progress::hidden()).unwrap();
    assert_eq!(r.cache, CacheUse::Off);
    assert!(!s.path(".milbrief").exists());
}

#[test]
fn changes_in_trusted_output_directories_are_seen() {
    let mut s = Site::new();
    s.check("first build");
    // The build just wrote every directory: the next one reads them all,
    // and records their times, now old enough to trust.
    age_dirs(&s.out);
    let r = s.check("no change, directories read");
    assert_eq!(r.cache, CacheUse::Unchanged);
    assert_eq!(r.stats.written + r.stats.removed, 0);
    let r = s.check("no change, directories trusted");
    assert_eq!(r.cache, CacheUse::Unchanged);

    // Someone else's files deep in the output, an empty directory tree, a
    // page replaced by a directory, a link.
    let page_dir = std::fs::read_dir(s.out.join("articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.join("index.html").is_file())
        .unwrap();
    std::fs::write(page_dir.join("notes.txt"), "not ours").unwrap();
    std::fs::create_dir_all(s.out.join("articles/empty/deeper")).unwrap();
    std::fs::remove_file(s.out.join("countries/index.html")).unwrap();
    std::fs::create_dir_all(s.out.join("countries/index.html/inside")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("../index.html", page_dir.join("link.html")).unwrap();
    let r = s.check_with("foreign changes", true);
    assert_eq!(r.cache, CacheUse::Incremental);

    // And again once those directories are trusted too.
    age_dirs(&s.out);
    s.check("no change after");
    std::fs::create_dir_all(page_dir.join("sub/dir")).unwrap();
    std::fs::write(page_dir.join("sub/dir/stray.html"), "not ours").unwrap();
    std::fs::remove_dir_all(s.out.join("countries")).unwrap();
    let r = s.check_with("foreign changes again", true);
    assert_eq!(r.cache, CacheUse::Incremental);
}

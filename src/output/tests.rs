//! The writer's guards, and scans from the cache's record equal walks.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::guard::MARKER;
use super::record::from_record;
use super::scan::{Level, TOP, plain};
use super::*;
use super::{owned, stage};
use crate::model::Output;

#[test]
fn writes_skips_unchanged_and_removes_stale() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let v1 = vec![
        Output::new("index.html", "a"),
        Output::new("x/index.html", "b"),
    ];
    let s = write(&out, &v1).unwrap();
    assert_eq!((s.written, s.unchanged, s.removed), (2, 0, 0));
    let s = write(&out, &v1).unwrap();
    assert_eq!((s.written, s.unchanged, s.removed), (0, 2, 0));
    let v2 = vec![Output::new("index.html", "c")];
    let s = write(&out, &v2).unwrap();
    assert_eq!((s.written, s.unchanged, s.removed), (1, 0, 1));
    assert!(!out.join("x").exists(), "empty directory removed");
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        "c"
    );
}

#[test]
fn refuses_escaping_paths() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["../x", "/etc/x", "a/../../x", "a\\b", ""] {
        assert!(
            write(dir.path(), &[Output::new(bad, "x")]).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn refuses_dangerous_output_dirs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    assert!(check_output_dir(root, root).is_err());
    assert!(check_output_dir(root, &root.join("content")).is_err());
    assert!(check_output_dir(root, &root.join("static/out")).is_err());
    assert!(check_output_dir(root, root.parent().unwrap()).is_err());
    // `..` through a directory that does not exist yet is still `..`.
    assert!(check_output_dir(root, &root.join("public/..")).is_err());
    assert!(check_output_dir(root, &root.join("new/../content/x")).is_err());
    assert!(check_output_dir(root, &root.join("public")).is_ok());
    // A foreign non-empty directory is never cleaned.
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::write(root.join("docs/notes.txt"), "mine").unwrap();
    let e = check_output_dir(root, &root.join("docs")).unwrap_err();
    assert!(e.to_string().contains("not written by milbrief"), "{e}");
    // A first build killed before its marker left only its staging.
    std::fs::create_dir_all(root.join("public/.milbrief-staging")).unwrap();
    std::fs::write(root.join("public/.milbrief-staging/0"), "page").unwrap();
    assert!(check_output_dir(root, &root.join("public")).is_ok());
    recover(&root.join("public")).unwrap();
    assert_eq!(std::fs::read_dir(root.join("public")).unwrap().count(), 0);
}

/// A directory of a scan: its parent's path, whether it holds
/// anything, its time, the names of its non-directories.
type NormalDir = (
    Option<PathBuf>,
    bool,
    Option<i128>,
    Option<BTreeSet<String>>,
);

/// A scan as sets, for comparing scans whatever their order.
type Normal = (
    BTreeMap<String, (u64, Option<i128>)>,
    BTreeSet<PathBuf>,
    BTreeMap<PathBuf, NormalDir>,
    Option<i128>,
    Option<BTreeSet<String>>,
);

fn normal(s: &Scan) -> Normal {
    let names = |l: &Level| l.names.as_ref().map(|v| v.iter().cloned().collect());
    let mut dirs = BTreeMap::new();
    for (i, d) in s.dirs.iter().enumerate() {
        assert!(d.parent == TOP || d.parent < i, "parents first");
        let parent = (d.parent != TOP).then(|| s.dirs[d.parent].path.clone());
        if let Some(p) = &parent {
            assert_eq!(d.path.parent(), Some(p.as_path()));
        }
        let old = dirs.insert(
            d.path.clone(),
            (parent, d.full, d.level.mtime, names(&d.level)),
        );
        assert!(old.is_none(), "once");
    }
    (
        s.files
            .iter()
            .map(|(k, v)| (k.clone(), (v.len, v.mtime)))
            .collect(),
        s.odd.iter().cloned().collect(),
        dirs,
        s.root.mtime,
        names(&s.root),
    )
}

/// A small deterministic random number generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> Option<&'a T> {
        (!v.is_empty()).then(|| &v[self.below(v.len())])
    }
}

fn set_mtime(p: &Path, t: std::time::SystemTime) {
    std::fs::File::open(p).unwrap().set_modified(t).unwrap();
}

fn mtime(p: &Path) -> std::time::SystemTime {
    std::fs::symlink_metadata(p).unwrap().modified().unwrap()
}

/// Every entry under `out` (not itself): non-directories, directories.
fn entries(out: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut files, mut dirs) = (Vec::new(), Vec::new());
    for e in walkdir::WalkDir::new(out).min_depth(1).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_dir() {
            dirs.push(e.into_path());
        } else {
            files.push(e.into_path());
        }
    }
    (files, dirs)
}

/// A name for a new entry: plain ones mostly, sometimes odd ones.
#[cfg(unix)]
fn name(rng: &mut Rng, fresh: &mut usize) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStrExt as _;
    *fresh += 1;
    match rng.below(20) {
        0 => std::ffi::OsStr::from_bytes(&[b'n', 0xff, b'0' + (*fresh % 10) as u8]).into(),
        1 => format!("back\\slash{fresh}").into(),
        2 => format!("é {fresh}").into(),
        3 if rng.chance(50) => "index.html".into(),
        4 => MARKER.into(),
        _ => format!("n{fresh}.html").into(),
    }
}

/// A path in `dir` where there is nothing yet.
#[cfg(unix)]
fn vacant(rng: &mut Rng, dir: &Path, fresh: &mut usize) -> PathBuf {
    loop {
        let p = dir.join(name(rng, fresh));
        if p.symlink_metadata().is_err() {
            return p;
        }
    }
}

/// Fills `dir` with random files, directories and links.
#[cfg(unix)]
fn grow(rng: &mut Rng, dir: &Path, depth: usize, fresh: &mut usize) {
    for _ in 0..rng.below(6) {
        let p = dir.join(name(rng, fresh));
        if p.symlink_metadata().is_ok() {
            continue;
        }
        match rng.below(10) {
            0..=4 => std::fs::write(&p, "x".repeat(rng.below(40))).unwrap(),
            5..=8 if depth < 3 => {
                std::fs::create_dir(&p).unwrap();
                grow(rng, &p, depth + 1, fresh);
            }
            _ => {
                let target = ["index.html", "..", "nowhere"][rng.below(3)];
                std::os::unix::fs::symlink(target, &p).unwrap();
            }
        }
    }
}

/// Sets the modification time of everything under `out` (and itself)
/// a while before `now`; some directories get a recent one instead.
fn age(rng: &mut Rng, out: &Path, now: std::time::SystemTime) -> usize {
    let (files, dirs) = entries(out);
    let hour = std::time::Duration::from_secs(3600);
    for f in files
        .iter()
        .filter(|f| f.symlink_metadata().unwrap().is_file())
    {
        set_mtime(
            f,
            now - hour + std::time::Duration::from_millis(rng.next() % 10_000),
        );
    }
    let mut racy = 0;
    for d in dirs.iter().chain([&out.to_path_buf()]) {
        if rng.chance(10) {
            // Too recent to be trusted.
            set_mtime(d, now - std::time::Duration::from_millis(900));
            racy += 1;
        } else {
            set_mtime(
                d,
                now - hour + std::time::Duration::from_nanos(rng.next() % 1_000_000_000),
            );
        }
    }
    racy
}

/// A random change to the output, as someone else could make it.
#[cfg(unix)]
fn mutate(rng: &mut Rng, out: &Path, fresh: &mut usize, racy_before: i128) {
    let (files, mut dirs) = entries(out);
    dirs.push(out.to_path_buf());
    let regular: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.symlink_metadata().unwrap().is_file())
        .cloned()
        .collect();
    let Some(dir) = rng.pick(&dirs).cloned() else {
        return;
    };
    let inner: Vec<PathBuf> = dirs.iter().filter(|d| *d != out).cloned().collect();
    match rng.below(14) {
        0 => std::fs::write(vacant(rng, &dir, fresh), "new").unwrap(),
        1 => {
            if let Some(f) = rng.pick(&files) {
                std::fs::remove_file(f).unwrap();
            }
        }
        2 => {
            if let Some(f) = rng.pick(&regular) {
                let len = std::fs::metadata(f).unwrap().len() as usize;
                std::fs::write(f, "y".repeat(len + rng.below(2))).unwrap();
            }
        }
        3 => {
            let deep = vacant(rng, &dir, fresh).join(name(rng, fresh));
            std::fs::create_dir_all(&deep).unwrap();
            if rng.chance(50) {
                std::fs::write(deep.join("index.html"), "deep").unwrap();
            }
        }
        4 => {
            if let Some(d) = rng.pick(&inner) {
                std::fs::remove_dir_all(d).unwrap();
            }
        }
        5 => {
            if let Some(f) = rng.pick(&files) {
                std::fs::remove_file(f).unwrap();
                std::fs::create_dir(f).unwrap();
                if rng.chance(50) {
                    std::fs::write(f.join("index.html"), "was a file").unwrap();
                }
            }
        }
        6 => {
            if let Some(d) = rng.pick(&inner) {
                std::fs::remove_dir_all(d).unwrap();
                std::fs::write(d, "was a directory").unwrap();
            }
        }
        7 => {
            let target = ["index.html", "..", "nowhere"][rng.below(3)];
            std::os::unix::fs::symlink(target, vacant(rng, &dir, fresh)).unwrap();
        }
        8 => {
            // Only the time changes.
            let t = if rng.chance(50) {
                std::time::SystemTime::now()
            } else {
                mtime(&dir) - std::time::Duration::from_secs(7)
            };
            set_mtime(&dir, t);
        }
        9 => {
            if let Some(f) = rng.pick(&files) {
                let to = vacant(rng, f.parent().unwrap(), fresh);
                std::fs::rename(f, to).unwrap();
            }
        }
        10 => {
            let d = vacant(rng, &dir, fresh);
            std::fs::create_dir(&d).unwrap();
            grow(rng, &d, 2, fresh);
        }
        11 => {
            let m = out.join(MARKER);
            if m.symlink_metadata().is_ok_and(|m| m.is_file()) {
                std::fs::remove_file(m).unwrap();
            } else if m.symlink_metadata().is_err() {
                std::fs::write(m, "marker").unwrap();
            }
        }
        12 => std::fs::create_dir(vacant(rng, &dir, fresh)).unwrap(),
        _ => {
            // A change within the clock's resolution: the directory's
            // time is put back. Only seen because the time is recent.
            let recent: Vec<&PathBuf> = dirs
                .iter()
                .filter(|d| crate::disk::nanos(mtime(d)) >= racy_before)
                .collect();
            if let Some(d) = rng.pick(&recent) {
                let before = mtime(d);
                std::fs::write(vacant(rng, d, fresh), "sneaky").unwrap();
                set_mtime(d, before);
            }
        }
    }
}

/// What the cache would record of `out` after a build that scanned it
/// (`found`) and changed it (`touched`).
fn record(out: &Path, found: &Scan, touched: &Touched) -> OutputRec {
    OutputRec {
        dir: out.to_string_lossy().into_owned(),
        pages: Vec::new(),
        dirs: listing(out, found, touched),
    }
}

/// A build's writing, at random: most files kept, some rewritten, some
/// new (in new directories too), empty directories replaced by files,
/// the rest removed. Returns the recorded output.
fn random_build(rng: &mut Rng, out: &Path, found: &Scan, fresh: &mut usize) -> OutputRec {
    let mut outputs: Vec<Output> = Vec::new();
    let reserved = |rel: &str| rel.split('/').next() == Some(MARKER);
    for (rel, stamp) in &found.files {
        if stamp.len != u64::MAX && !reserved(rel) && rng.chance(80) {
            let bytes = std::fs::read(out.join(rel)).unwrap();
            let bytes = if rng.chance(70) {
                bytes
            } else {
                b"changed".to_vec()
            };
            outputs.push(Output::new(rel.clone(), bytes));
        }
    }
    let rel_of = |d: &Path| {
        d.strip_prefix(out)
            .ok()
            .and_then(Path::to_str)
            .filter(|r| plain(r))
            .map(str::to_string)
    };
    let mut replaced = HashSet::new();
    for d in &found.dirs {
        if let Some(r) = rel_of(&d.path).filter(|r| !d.full && !reserved(r) && rng.chance(30)) {
            replaced.insert(d.path.clone());
            outputs.push(Output::new(r, "was an empty directory"));
        }
    }
    let parents: Vec<String> = found
        .dirs
        .iter()
        .filter(|d| !replaced.contains(&d.path))
        .filter_map(|d| rel_of(&d.path))
        .filter(|r| !reserved(r))
        .chain([String::new()])
        .collect();
    for _ in 0..rng.below(4) {
        *fresh += 1;
        let parent = rng.pick(&parents).cloned().unwrap_or_default();
        let mut rel = if parent.is_empty() {
            parent
        } else {
            parent + "/"
        };
        if rng.chance(40) {
            rel.push_str(&format!("new{fresh}/deeper/"));
        }
        rel.push_str(&format!("n{fresh}/index.html"));
        outputs.push(Output::new(rel, "new"));
    }
    let mut touched = Touched::default();
    // Cleaning: the random files are no build's.
    let progress = crate::progress::Progress::hidden();
    let mut w = Writer::begin(out, true, &progress).unwrap();
    w.push(outputs.clone()).unwrap();
    let keep: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    w.commit(found, &keep, &mut touched).unwrap();
    record(out, found, &touched)
}

/// The cached scan finds what a walk finds, before and after random
/// changes to random output directories, whether the record comes
/// straight from a scan or from a build that wrote and removed files.
#[cfg(unix)]
#[test]
fn cached_scans_equal_walks() {
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let mut fresh = 0;
    for round in 0..150 {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        grow(&mut rng, &out, 0, &mut fresh);
        if rng.chance(70) && out.join(MARKER).symlink_metadata().is_err() {
            std::fs::write(out.join(MARKER), "marker").unwrap();
        }
        let now = std::time::SystemTime::now();
        let racy = age(&mut rng, &out, now);
        let state = crate::cache::State {
            started: crate::disk::nanos(now),
            ..Default::default()
        };
        let trusts = |m: i128| state.trusts_mtime(m);
        let found = scan(&out).unwrap();
        let built = rng.chance(50);
        let rec = if built {
            random_build(&mut rng, &out, &found, &mut fresh)
        } else {
            record(&out, &found, &Touched::default())
        };
        let cached = from_record(&out, &rec, &trusts)
            .unwrap_or_else(|| panic!("round {round}: the record is doubted"));
        assert_eq!(
            normal(&cached),
            normal(&scan(&out).unwrap()),
            "round {round}: as recorded"
        );
        if !built {
            // Only directories with a recent time are read, and those
            // the record cannot name (walked) or with entries it
            // cannot name (read).
            let untrusted = rec.dirs.iter().filter(|d| !d.mtime.is_some_and(trusts));
            let unnamed = found.dirs.len() + 1 - rec.dirs.len();
            // Recording it again changes nothing.
            assert_eq!(record(&out, &cached, &Touched::default()).dirs, rec.dirs);
            assert_eq!(cached.read, untrusted.count() + unnamed, "round {round}");
            assert!(cached.read >= racy, "round {round}");
        }
        let racy_before = crate::disk::nanos(now) - 2_000_000_000;
        for step in 0..1 + rng.below(4) {
            mutate(&mut rng, &out, &mut fresh, racy_before);
            let cached = from_record(&out, &rec, &trusts)
                .unwrap_or_else(|| panic!("round {round}, change {step}: doubted"));
            assert_eq!(
                normal(&cached),
                normal(&scan(&out).unwrap()),
                "round {round}, change {step}"
            );
            assert_eq!(
                normal(&scan_cached(&out, &rec, trusts).unwrap()),
                normal(&cached)
            );
        }
    }
}

/// A directory recorded with a time too recent to trust is read even
/// when its time is unchanged; an old one is trusted.
#[test]
fn recent_directory_times_are_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    for d in ["old", "recent"] {
        std::fs::create_dir_all(out.join(d)).unwrap();
        std::fs::write(out.join(d).join("index.html"), "page").unwrap();
    }
    let now = std::time::SystemTime::now();
    let old = now - std::time::Duration::from_secs(60);
    let recent = now - std::time::Duration::from_millis(500);
    set_mtime(&out, old);
    set_mtime(&out.join("old"), old);
    set_mtime(&out.join("recent"), recent);
    let state = crate::cache::State {
        started: crate::disk::nanos(now),
        ..Default::default()
    };
    let found = scan(&out).unwrap();
    let rec = record(&out, &found, &Touched::default());
    let cached = scan_cached(&out, &rec, |m| state.trusts_mtime(m)).unwrap();
    assert_eq!(normal(&cached), normal(&found));
    assert_eq!(cached.dirs_read(), 1, "the recent directory is read");

    // A file added within the clock's resolution, the directory's time
    // unchanged.
    for d in ["old", "recent"] {
        std::fs::write(out.join(d).join("new.html"), "new").unwrap();
    }
    set_mtime(&out.join("old"), old);
    set_mtime(&out.join("recent"), recent);
    let cached = scan_cached(&out, &rec, |m| state.trusts_mtime(m)).unwrap();
    assert!(cached.files.contains_key("recent/new.html"), "seen");
    // Trusted, the old directory is not read: proof that the record
    // is used (no file system would keep its time after a change).
    assert!(!cached.files.contains_key("old/new.html"));
}

/// A build records the directories it changed as ones to read, and the
/// others with their times; what it removed is gone from the record.
#[test]
fn listing_after_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let v1 = [
        Output::new("a/index.html", "a"),
        Output::new("b/index.html", "b"),
        Output::new("c/index.html", "c"),
    ];
    write(&out, &v1).unwrap();
    let found = scan(&out).unwrap();
    let mut touched = Touched::default();
    let v2 = [
        Output::new("a/index.html", "a"),
        Output::new("b/index.html", "B"),
        Output::new("d/e/index.html", "e"),
    ];
    let progress = crate::progress::Progress::hidden();
    let mut w = Writer::begin(&out, false, &progress).unwrap();
    w.push(v2.to_vec()).unwrap();
    let keep: HashSet<&str> = v2.iter().map(|o| o.path.as_str()).collect();
    let done = w.commit(&found, &keep, &mut touched).unwrap();
    assert_eq!(done.stats.removed, 1);
    let dirs = listing(&out, &found, &touched);
    let seen: Vec<(&str, u32, bool, Vec<&str>)> = dirs
        .iter()
        .map(|d| {
            let files = d.files.iter().map(String::as_str).collect();
            (d.name.as_str(), d.parent, d.mtime.is_some(), files)
        })
        .collect();
    let mut seen_sorted = seen.clone();
    seen_sorted[1..].sort();
    assert_eq!(
        seen_sorted,
        [
            ("", 0, false, vec![]),
            ("a", 0, true, vec!["index.html"]),
            ("b", 0, false, vec![]),
            ("d", 0, false, vec![]),
            (
                "e",
                seen.iter().position(|d| d.0 == "d").unwrap() as u32,
                false,
                vec![]
            ),
        ]
    );
    // Unchanged, the output's own directory has its marker file.
    let found = scan(&out).unwrap();
    let dirs = listing(&out, &found, &Touched::default());
    let mut files = dirs[0].files.clone();
    files.sort();
    assert_eq!(files, [MARKER]);
}

/// Nothing pushed reaches the output before the commit; a writer dropped
/// without one leaves the output as it was, staging and all.
#[test]
fn a_writer_changes_nothing_before_its_commit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write(&out, &[Output::new("index.html", "old")]).unwrap();
    let before = entries(&out);
    let progress = crate::progress::Progress::hidden();
    {
        let mut w = Writer::begin(&out, false, &progress).unwrap();
        // In batches, as a renderer hands them over.
        w.push(vec![Output::new("index.html", "new")]).unwrap();
        w.push(vec![Output::new("a/b/index.html", "added")])
            .unwrap();
        assert!(out.join(stage::STAGING).is_dir());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert!(!out.join("a").exists());
        // A duplicate path is refused.
        assert!(w.push(vec![Output::new("index.html", "again")]).is_err());
    }
    assert_eq!(entries(&out), before, "a dropped writer changed the output");
    // A writer of a directory it created removes it.
    let fresh = dir.path().join("fresh");
    {
        let mut w = Writer::begin(&fresh, false, &progress).unwrap();
        w.push(vec![Output::new("index.html", "x")]).unwrap();
    }
    assert!(!fresh.exists());
}

/// The marker lists what milbrief wrote; a marker from before the list
/// owns everything; files not listed are kept.
#[test]
fn the_marker_says_what_milbrief_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write(
        &out,
        &[Output::new("a/index.html", "a"), Output::new("b.html", "b")],
    )
    .unwrap();
    match owned::Owned::read(&out).unwrap() {
        owned::Owned::Listed(l) => {
            let mut l: Vec<String> = l.into_iter().collect();
            l.sort();
            assert_eq!(l, ["a/index.html", "b.html"]);
        }
        other => panic!("{other:?}"),
    }
    std::fs::write(out.join("mine.txt"), "mine").unwrap();
    let s = write(&out, &[Output::new("b.html", "b")]).unwrap();
    assert_eq!(s.removed, 1);
    assert!(out.join("mine.txt").is_file() && !out.join("a").exists());
    assert_eq!(foreign(&out).unwrap(), ["mine.txt"]);
    // The marker of an older milbrief: everything is its own.
    std::fs::write(
        out.join(MARKER),
        "This directory is generated by milbrief build.\n",
    )
    .unwrap();
    assert!(owned::Owned::read(&out).unwrap().owns("mine.txt"));
    write(&out, &[Output::new("b.html", "b")]).unwrap();
    assert!(!out.join("mine.txt").exists());
}

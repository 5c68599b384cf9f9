//! Stories through the whole build: a re-send and another outlet's report
//! of one event are one story (listed once, "2 reports"), each report keeps
//! its page linking to the story; a new article added later joins its
//! story through the build cache, with the output byte-identical to a
//! clean build; two hand-named files with one slug (in two folders) both
//! publish.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;
use milbrief::{BuildOptions, CacheUse, Progress};

const LEAD: &str = "KARACHI: The Pakistan Navy commissioned two new frigates at Karachi on Monday, officials said, adding that the ships would patrol the Arabian Sea and escort merchant convoys through the sea lanes near the Strait of Hormuz.";

fn write(root: &Path, name: &str, title: &str, source: &str, body: &str) {
    std::fs::write(
        root.join("content").join(name),
        format!("+++\ntitle = \"{title}\"\nsource = \"{source}\"\n+++\n\n{body}\n\nMore details followed.\n"),
    )
    .unwrap();
}

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

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn copies_are_one_story_and_a_new_report_joins_it_through_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("basic"), &root);
    let _ = std::fs::remove_dir_all(root.join(".milbrief"));
    write(
        &root,
        "2023-12-04-frigates.md",
        "Pakistan Navy commissions two frigates at Karachi",
        "Harbour Wire",
        LEAD,
    );
    write(
        &root,
        "2023-12-04-missile.md",
        "Pakistan test-fires ballistic missile",
        "Harbour Wire",
        "ISLAMABAD: Pakistan carried out a training launch of a surface-to-surface ballistic missile, the military said on Monday.",
    );
    let out = dir.path().join("public");
    let opts = BuildOptions {
        output: Some(out.clone()),
        ..BuildOptions::new(&root)
    };
    milbrief::build_with(&opts, true, &Progress::hidden()).unwrap();
    // The wire sends the story again the next day, under a new file.
    write(
        &root,
        "2023-12-05-frigates-resend.md",
        "REFILE-Pakistan Navy commissions two frigates at Karachi",
        "Gulf Desk",
        LEAD,
    );
    let r = milbrief::build_with(&opts, true, &Progress::hidden()).unwrap();
    assert_eq!(r.cache, CacheUse::Incremental);
    let front = page(&out, "index.html");
    let pk = page(&out, "countries/pk/index.html");
    assert_eq!(
        pk.matches(">Pakistan Navy commissions two frigates at Karachi<")
            .count(),
        1,
        "listed once"
    );
    assert!(
        !pk.contains("REFILE-Pakistan"),
        "the re-send is not listed on its own"
    );
    assert!(!front.contains("REFILE-Pakistan"));
    assert!(front.contains("2 reports"));
    let lead = page(&out, "articles/frigates/index.html");
    assert!(lead.contains("2 reports of this story"), "{lead}");
    let resend = page(&out, "articles/frigates-resend/index.html");
    assert!(resend.contains("One of 2 reports of"));
    assert!(
        resend.contains(
            "articles/frigates/index.html\">Pakistan Navy commissions two frigates at Karachi</a>"
        ),
        "{resend}"
    );
    // The other event of that day in that country is a story of its own.
    assert!(pk.contains(">Pakistan test-fires ballistic missile<"));
    // What the cache built is what a clean build writes.
    let clean = dir.path().join("clean");
    milbrief::build(&BuildOptions {
        output: Some(clean.clone()),
        ..BuildOptions::new(&root)
    })
    .unwrap();
    assert!(
        tree(&out) == tree(&clean),
        "an incremental build equals a clean one"
    );
    assert!(broken_links(&tree(&out), "/").is_empty());
}

#[test]
fn two_files_with_one_slug_both_publish_the_newer_with_a_suffix() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("basic"), &root);
    write(
        &root,
        "2023-11-06-border-talks.md",
        "Border talks resume",
        "Desk A",
        "Talks between the two armies resumed at the border crossing on Monday.",
    );
    write(
        &root,
        "2023/2023-11-08-border-talks.md",
        "Border talks resume",
        "Desk B",
        "The generals met again at the crossing, with a ceasefire on the agenda.",
    );
    let out = dir.path().join("public");
    let r = milbrief::build(&BuildOptions {
        output: Some(out.clone()),
        ..BuildOptions::new(&root)
    })
    .unwrap();
    assert!(
        r.notices
            .iter()
            .any(|n| n.contains("is already used by")
                && n.contains("2023/2023-11-08-border-talks.md")),
        "{:?}",
        r.notices
    );
    assert!(page(&out, "articles/border-talks/index.html").contains("Desk A"));
    assert!(page(&out, "articles/border-talks-2/index.html").contains("Desk B"));
}

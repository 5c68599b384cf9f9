//! `milbrief check`: clean on the sample digest, and on a site with one of
//! each problem it lists each problem exactly once; it writes nothing.

use crate::common::*;
use assert_cmd::Command;
use milbrief::{CheckOptions, Report, Severity, check};

fn milbrief() -> Command {
    Command::cargo_bin("milbrief").unwrap()
}

fn options(root: impl Into<std::path::PathBuf>) -> CheckOptions {
    CheckOptions {
        today: jiff::civil::date(2024, 1, 15),
        ..CheckOptions::new(root)
    }
}

fn listed(r: &Report) -> Vec<(String, &'static str)> {
    r.problems
        .iter()
        .map(|p| (p.path.clone(), p.code))
        .collect()
}

#[test]
fn the_sample_digest_is_clean() {
    let r = check(&options(repo_root())).unwrap();
    assert!(r.problems.is_empty(), "{}", r.to_text());
    assert!(r.files >= 30 && r.outputs > r.files);
    assert_eq!(r.status(true), 0);
}

#[test]
fn every_planted_problem_is_listed_exactly_once() {
    let r = check(&options(fixture("broken"))).unwrap();
    let mut expected = vec![
        ("content/2023-10-02-syntax-error.md", "front-matter-syntax"),
        ("content/2023-10-02-type-error.md", "front-matter-type"),
        ("content/2023-10-02-unknown-key.md", "unknown-key"),
        ("content/2023-10-03-unknown-country.md", "unknown-country"),
        ("content/2023-10-03-unknown-topic.md", "unknown-topic"),
        ("content/2023-10-04-future.md", "future-date"),
        ("content/2023-10-06-same-slug-b.md", "duplicate-slug"),
        ("content/2023-10-08-frigates-again.md", "duplicate-url"),
        ("content/2023-10-10-tank-order-repost.md", "near-duplicate"),
        ("content/2023-10-11-broken-link.md", "broken-link"),
        ("content/no-date.md", "missing-date"),
        ("static/articles/clash/index.html", "output-clash"),
        ("templates/404.html", "template"),
    ];
    expected.sort();
    let expected: Vec<(String, &str)> = expected
        .into_iter()
        .map(|(p, c)| (p.to_string(), c))
        .collect();
    assert_eq!(listed(&r), expected, "\n{}", r.to_text());
    assert_eq!((r.errors, r.warnings), (7, 6));
    assert_eq!(r.status(false), 1);

    // Positions and messages say where and what.
    let text = r.to_text();
    for line in [
        "content/2023-10-02-unknown-key.md:3:1: error[unknown-key]: invalid front matter: unknown front matter key `countrys` (did you mean `countries`?)",
        "content/2023-10-02-type-error.md:3:9: error[front-matter-type]:",
        "content/2023-10-03-unknown-country.md:3:14: error[unknown-country]: unknown country \"Narnia\"",
        "content/2023-10-03-unknown-topic.md:4:11: error[unknown-topic]: unknown topic \"basket-weaving\"",
        "content/2023-10-04-future.md:3:8: warning[future-date]: dated 2999-10-04, after today (2024-01-15)",
        "content/2023-10-06-same-slug-b.md:3:8: warning[duplicate-slug]: slug \"border-talks\" is already used by content/2023-10-05-same-slug-a.md",
        "content/2023-10-08-frigates-again.md:5:7: warning[duplicate-url]: same original URL as content/2023-10-01-navy-frigates.md",
        "content/2023-10-10-tank-order-repost.md: warning[near-duplicate]: text is 90% the same as content/2023-10-09-tank-order.md",
        "content/2023-10-11-broken-link.md:10:20: warning[broken-link]: link \"../no-such-article/index.html\" on articles/broken-link/index.html leads nowhere: articles/no-such-article/index.html does not exist",
        "static/articles/clash/index.html: error[output-clash]: would overwrite articles/clash/index.html, the page of content/2023-10-07-clash.md",
        "templates/404.html:3:",
    ] {
        assert!(text.contains(line), "{line}\nnot in:\n{text}");
    }
}

#[test]
fn future_dates_are_judged_against_the_given_day() {
    let mut opts = options(fixture("broken"));
    opts.today = jiff::civil::date(3000, 1, 1);
    let r = check(&opts).unwrap();
    assert!(!listed(&r).iter().any(|(_, c)| *c == "future-date"));
}

/// Lists every file and its bytes under a directory.
fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (rel, bytes)
        })
        .collect()
}

#[test]
fn check_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("broken"), dir.path());
    let before = snapshot(dir.path());
    let out = milbrief()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn exit_statuses_and_json() {
    // Errors: 1, and JSON lists them with stable codes.
    let out = milbrief()
        .args([
            "check",
            "--format",
            "json",
            "--today",
            "2024-01-15",
            "--root",
        ])
        .arg(fixture("broken"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 7);
    assert_eq!(v["warnings"], 6);
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 13);
    let key = problems
        .iter()
        .find(|p| p["code"] == "unknown-key")
        .unwrap();
    assert_eq!(key["severity"], "error");
    assert_eq!(key["path"], "content/2023-10-02-unknown-key.md");
    assert_eq!(
        (key["line"].as_u64(), key["column"].as_u64()),
        (Some(3), Some(1))
    );
    assert!(key["message"].as_str().unwrap().contains("countrys"));

    // A clean site: 0.
    milbrief()
        .args(["check", "--root"])
        .arg(repo_root())
        .assert()
        .code(0);

    // Warnings only: 0, or 1 with --deny-warnings.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("content/undated.md"),
        "+++\ntitle = \"Undated\"\ncountries = [\"PL\"]\ntopics = [\"diplomacy\"]\n+++\nText.\n",
    )
    .unwrap();
    let out = milbrief()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("content/undated.md: warning[missing-date]: no date"),
        "{text}"
    );
    assert!(text.contains("0 errors, 1 warning"), "{text}");
    milbrief()
        .args(["check", "--deny-warnings", "--root"])
        .arg(dir.path())
        .assert()
        .code(1);

    // No site there: 2, in both formats.
    let nowhere = dir.path().join("nowhere");
    let out = milbrief()
        .args(["check", "--root"])
        .arg(&nowhere)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no content directory"));
    let out = milbrief()
        .args(["check", "--format", "json", "--root"])
        .arg(&nowhere)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("no content directory")
    );

    // A usage error: 2.
    milbrief()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2);
}

#[test]
fn config_errors_are_reported_with_their_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "title = \"x\"\nper_page = 0\n",
    )
    .unwrap();
    let r = check(&options(dir.path())).unwrap();
    assert_eq!(listed(&r), [("config.toml".to_string(), "config")]);
    assert_eq!(
        (r.problems[0].line, r.problems[0].column),
        (Some(2), Some(1))
    );
    assert_eq!(r.problems[0].severity, Severity::Error);
}

#[test]
fn every_problem_of_a_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("content/2023-10-01-many.md"),
        "+++\ntitel = \"x\"\ncountrys = [\"PL\"]\ndraft = \"no\"\nauto_tag = 3\n+++\nText.\n",
    )
    .unwrap();
    let r = check(&options(dir.path())).unwrap();
    let got: Vec<(Option<usize>, &str)> = r.problems.iter().map(|p| (p.line, p.code)).collect();
    assert_eq!(
        got,
        [
            (Some(2), "unknown-key"),
            (Some(3), "unknown-key"),
            (Some(4), "front-matter-type"),
            (Some(5), "front-matter-type"),
        ],
        "{}",
        r.to_text()
    );
}

/// An unknown key does not hide the tags' problems: the four problems of
/// one file come in one run, from `check` and from `build` alike.
#[test]
fn a_files_key_and_tag_problems_come_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("content/2023-10-01-many.md"),
        "+++\ntitle = \"Four problems\"\ncountrys = [\"PL\"]\ncountries = [\"Narnia\", \"Korea South\"]\ntopics = [\"procurment\"]\n+++\nText.\n",
    )
    .unwrap();
    let r = check(&options(dir.path())).unwrap();
    let got: Vec<(Option<usize>, &str)> = r.problems.iter().map(|p| (p.line, p.code)).collect();
    assert_eq!(
        got,
        [
            (Some(3), "unknown-key"),
            (Some(4), "unknown-country"),
            (Some(4), "unknown-country"),
            (Some(5), "unknown-topic"),
        ],
        "{}",
        r.to_text()
    );
    let out = milbrief()
        .arg("build")
        .current_dir(dir.path())
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    for needle in ["countrys", "Narnia", "Korea South", "procurment"] {
        assert!(stderr.contains(needle), "{needle} missing from: {stderr}");
    }
}

#[test]
fn links_in_summaries_are_checked_where_they_are_shown() {
    // A relative link that works on the article's page but not on the
    // listings that show its summary is reported once, on the article.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    // Two stories, not one: else the second is listed only as a report of
    // the first.
    for (name, title, body) in [
        (
            "2023-10-01-a.md",
            "Navy drills in the north",
            "First story, about a navy drill in the north.",
        ),
        (
            "2023-10-02-b.md",
            "Parliament debates the budget",
            "Second story follows [the first](../a/index.html) with a vote.",
        ),
    ] {
        std::fs::write(
            dir.path().join("content").join(name),
            format!("+++\ntitle = \"{title}\"\ncountries = [\"PL\"]\ntopics = [\"diplomacy\"]\n+++\n{body}\n"),
        )
        .unwrap();
    }
    let r = check(&options(dir.path())).unwrap();
    assert_eq!(
        listed(&r),
        [("content/2023-10-02-b.md".to_string(), "broken-link")],
        "{}",
        r.to_text()
    );
    // Listings show summaries in cards and briefs (an edition's top
    // stories), not in compact lines.
    assert!(
        r.problems[0]
            .message
            .contains("on editions/2023-w40/index.html"),
        "{}",
        r.problems[0].message
    );
}

#[test]
fn near_duplicates_scale_to_ten_thousand_articles() {
    // 10,000 distinct texts from a small vocabulary, and 3 planted copies.
    let words = [
        "army", "navy", "missile", "budget", "talks", "border", "drill", "frigate", "tank",
        "drone", "minister", "treaty", "port", "radar", "convoy", "strike", "summit", "patrol",
        "air", "sea",
    ];
    let mut seed = 7u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut texts: Vec<String> = (0..10_000)
        .map(|_| {
            (0..80)
                .map(|_| words[(next() % words.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    for (copy, of) in [(100, 2000), (1500, 10), (9999, 9998)] {
        let mut t = texts[of].clone();
        t.push_str(" and one more sentence");
        texts[copy] = t;
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let pairs: Vec<(usize, usize)> = milbrief::near_duplicates(&refs)
        .into_iter()
        .map(|(i, j, _)| (i, j))
        .collect();
    assert_eq!(pairs, [(10, 1500), (100, 2000), (9998, 9999)]);
}

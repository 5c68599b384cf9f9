//! The `milbrief` binary: verbs, errors and exit codes.

use crate::common::*;
use assert_cmd::Command;

fn milbrief() -> Command {
    Command::cargo_bin("milbrief").unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_verb_has_help() {
    for verb in [
        "build",
        "check",
        "import",
        "init",
        "new",
        "serve",
        "tags",
        "templates",
    ] {
        let out = milbrief().args([verb, "--help"]).output().unwrap();
        assert!(out.status.success(), "{verb} --help");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage: milbrief"));
    }
}

#[test]
fn front_matter_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let out = milbrief()
        .args(["build", "--root"])
        .arg(fixture("bad-front-matter"))
        .arg("--output")
        .arg(dir.path().join("public"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/bad.md:3:1: invalid front matter: unknown front matter key `countrys`"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/bad-country.md:4:20: unknown country \"Narnia\""),
        "every problem is reported, not only the first: {err}"
    );
    assert!(!dir.path().join("public").exists(), "nothing written");
}

#[test]
fn template_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let out = milbrief()
        .args(["build", "--root"])
        .arg(fixture("bad-template"))
        .arg("--output")
        .arg(dir.path().join("public"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("templates/article.html:3:"), "{err}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_alone() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    milbrief()
        .args(["build", "--root"])
        .arg(dir.path())
        .assert()
        .success();
    let index = dir.path().join("public/index.html");
    let before = std::fs::read(&index).unwrap();
    std::fs::write(
        dir.path().join("content/broken.md"),
        "+++\ntitle = 3\n+++\n",
    )
    .unwrap();
    let out = milbrief()
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("content/broken.md:2:9:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&index).unwrap(), before);
}

#[test]
fn init_then_new_then_build() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("digest");
    milbrief().arg("init").arg(&site).assert().success();
    assert!(site.join("config.toml").is_file());
    // The templates and the stylesheet are built in, not copied.
    assert!(!site.join("templates").exists() && !site.join("static").exists());
    assert!(site.join(".gitignore").is_file());
    // A second init refuses the now non-empty directory.
    milbrief().arg("init").arg(&site).assert().failure();

    milbrief()
        .args([
            "new",
            "Navy tests new drone",
            "--date",
            "2023-10-17",
            "--root",
        ])
        .arg(&site)
        .assert()
        .success();
    let article = site.join("content/2023-10-17-navy-tests-new-drone.md");
    assert!(article.is_file());
    std::fs::write(
        &article,
        "+++\ntitle = \"Edited\"\ndate = 2023-10-17\n+++\nText.\n",
    )
    .unwrap();
    let out = milbrief()
        .args([
            "new",
            "Navy tests new drone",
            "--date",
            "2023-10-17",
            "--root",
        ])
        .arg(&site)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("already exists"));
    assert!(
        std::fs::read_to_string(&article)
            .unwrap()
            .contains("Edited"),
        "never overwritten"
    );

    milbrief()
        .args(["build", "--root"])
        .arg(&site)
        .assert()
        .success();
    assert!(
        site.join("public/articles/navy-tests-new-drone/index.html")
            .is_file()
    );
    assert!(site.join("public/articles/welcome/index.html").is_file());
}

#[test]
fn build_refuses_to_write_over_the_site() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    for bad in ["content", ".", "static"] {
        let out = milbrief()
            .args(["build", "--root"])
            .arg(dir.path())
            .arg("--output")
            .arg(dir.path().join(bad))
            .output()
            .unwrap();
        assert!(!out.status.success(), "--output {bad}");
    }
    assert!(
        dir.path()
            .join("content/2023-10-02-navy-drill.md")
            .is_file()
    );
}

#[test]
fn base_url_flag_changes_canonical_urls() {
    let dir = tempfile::tempdir().unwrap();
    milbrief()
        .args(["build", "--root"])
        .arg(fixture("basic"))
        .arg("--output")
        .arg(dir.path())
        .args(["--base-url", "https://news.example/brief"])
        // The fixture is shared by the tests: keep no build cache in it.
        .arg("--no-cache")
        .assert()
        .success();
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(
        html.contains("href=\"https://news.example/brief/\""),
        "{html}"
    );
}

#[test]
fn tags_prints_json_for_the_scorer() {
    let out = milbrief()
        .args(["tags", "--json"])
        .arg(fixture("basic").join("content"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let entry = &v["2023-11-21-no-front-matter.md"];
    assert_eq!(entry["countries"], serde_json::json!(["PK", "RU"]));
    let topics = entry["topics"].as_array().unwrap();
    assert!(!topics.is_empty() && topics.len() <= 4, "{topics:?}");
    assert!(topics.iter().all(|t| t.is_string()));
    let relevance = entry["relevance"].as_f64().unwrap();
    assert!((0.5..=1.0).contains(&relevance), "{relevance}");
    assert!(v.get(".hidden.md").is_none(), "dotfiles are skipped");
}

#[test]
fn tags_explain_says_why_a_story_is_off_topic() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("results.md");
    std::fs::write(
        &story,
        "# Toolmaker lifts quarterly dividend\n\nSTAMFORD, Conn., Feb 26 - The toolmaker raised its quarterly dividend and said it would exercise an option to buy a plant.\n",
    )
    .unwrap();
    let out = milbrief()
        .args(["tags", "--explain"])
        .arg(&story)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("off-topic: relevance 0.00 below 0.30"),
        "{text}"
    );
    assert!(text.contains("country US (United States)"), "{text}");
    assert!(!text.contains("  topic "), "{text}");

    let out = milbrief()
        .args(["tags", "--json", "--explain"])
        .arg(&story)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let entry = v.as_object().unwrap().values().next().unwrap();
    assert_eq!(entry["relevance"], serde_json::json!(0.0));
    assert_eq!(entry["explain"]["off_topic"], serde_json::json!(true));
}

#[test]
fn tags_explain_shows_scores_and_phrases() {
    let out = milbrief()
        .args(["tags", "--explain"])
        .arg(fixture("basic").join("content/2023-11-21-no-front-matter.md"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("country PK (Pakistan) score"), "{text}");
    assert!(text.contains("headline \"Pakistan\""), "{text}");
    assert!(
        text.contains("dateline \"ISLAMABAD\": +1 (dateline, and named in the story)"),
        "{text}"
    );
    assert!(text.contains("topic terrorism-insurgency score"), "{text}");
    assert!(text.contains("\n  relevant 1.00: "), "{text}");

    let out = milbrief()
        .args(["tags", "--json", "--explain"])
        .arg(fixture("basic").join("content"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ev = &v["2023-11-21-no-front-matter.md"]["explain"]["countries"][0]["evidence"];
    assert!(ev.as_array().is_some_and(|a| !a.is_empty()), "{v}");
}

#[test]
fn timings_name_every_phase_and_quiet_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    let build = |extra: &[&str]| {
        let out = milbrief()
            .args(["build", "--root"])
            .arg(dir.path())
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        out
    };
    let first = build(&["--quiet"]);
    assert!(first.stdout.is_empty() && first.stderr.is_empty());
    // An edit of the body past the lead: one article read, its page rendered.
    let article = dir.path().join("content/2023-10-02-navy-drill.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, format!("{text}\nA closing line.\n")).unwrap();
    let out = build(&["--timings"]);
    let err = stderr(&out);
    assert!(
        err.contains("timings (incremental: 1 article read, "),
        "{err}"
    );
    assert!(err.contains(" pages looked at, "), "{err}");
    for phase in [
        "cache load",
        "scan",
        "config",
        "load",
        "tag",
        "index",
        "render",
        "write",
        "cache save",
        "total",
    ] {
        assert!(err.contains(&format!("\n  {phase} ")), "{phase}: {err}");
    }
}

//! `milbrief import`: copied text and saved pages into tagged Markdown.

use std::path::{Path, PathBuf};

use crate::common::*;
use assert_cmd::Command;

const SEED_FILE: &str = "content/2023-10-17-pakistani-russian-armies-kick-off-druzhba-vii.md";

fn milbrief() -> Command {
    Command::cargo_bin("milbrief").unwrap()
}

fn input(name: &str) -> PathBuf {
    fixture("import").join(name)
}

/// A site with an empty content/ directory.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    dir
}

/// Runs `milbrief import --root SITE ARGS…`.
fn import<P: AsRef<std::ffi::OsStr>>(
    site: &Path,
    args: &[&str],
    files: &[P],
) -> std::process::Output {
    milbrief()
        .arg("import")
        .arg("--root")
        .arg(site)
        .args(args)
        .args(files)
        .output()
        .unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The front matter and body of a written article.
fn article(path: &Path) -> (toml::Table, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let (fm, body) = milbrief::split_front_matter(&text).unwrap();
    (toml::from_str(fm.unwrap().0).unwrap(), body.to_string())
}

fn strs(v: &toml::Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

/// Names of the files in `dir`, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn import_has_help() {
    let out = milbrief().args(["import", "--help"]).output().unwrap();
    assert!(out.status.success());
    let help = stdout(&out);
    for flag in [
        "--source",
        "--url",
        "--date",
        "--out",
        "--dry-run",
        "--force",
        "--no-tags",
    ] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
}

#[test]
fn seed_article_imports_with_title_dateline_date_summary_and_countries() {
    let dir = site();
    let out = import(
        dir.path(),
        &["--date", "2023-10-18"],
        &[input("seed-article.txt")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(report.contains(SEED_FILE), "{report}");
    assert!(
        report.contains("date 2023-10-17 (from \"said on Tuesday\", reference 2023-10-18)"),
        "{report}"
    );
    assert!(report.contains("dateline Islamabad"), "{report}");
    assert!(report.contains("countries PK RU"), "{report}");

    let (fm, body) = article(&dir.path().join(SEED_FILE));
    assert_eq!(
        fm["title"].as_str(),
        Some("Pakistani, Russian armies kick off ‘Druzhba-VII’ joint counter-terror exercise")
    );
    assert_eq!(fm["date"].to_string(), "2023-10-17");
    assert_eq!(fm["dateline"].as_str(), Some("Islamabad"));
    assert_eq!(strs(&fm["countries"]), ["PK", "RU"]);
    assert!(
        strs(&fm["topics"]).contains(&"military-exercises"),
        "{fm:?}"
    );
    let summary = fm["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("Exercise aims to harness military-to-military ties")
            && summary.contains("kicked off in Pakistan’s northwestern town of Pabbi"),
        "{summary}"
    );
    let text = std::fs::read_to_string(dir.path().join(SEED_FILE)).unwrap();
    assert!(!text.contains("Short Url"), "{text}");
    assert!(
        !body.contains(
            "kick off ‘Druzhba-VII’ joint counter-terror exercise in Pakistan. (Pakistan Army)"
        ),
        "the photo is not imported, nor is its caption: {body}"
    );
    assert!(body.contains("\n- Exercise aims to harness"), "{body}");
    assert!(body.contains("ISLAMABAD: The armies of Pakistan and Russia"));
    assert!(body.contains("seeking to expand trade and investment ties with Pakistan."));
}

#[test]
fn any_reference_date_in_that_week_gives_tuesday() {
    let dir = site();
    for reference in ["2023-10-17", "2023-10-19", "2023-10-23"] {
        let out = import(
            dir.path(),
            &["--dry-run", "--date", reference],
            &[input("seed-article.txt")],
        );
        assert!(out.status.success());
        assert!(
            stdout(&out).contains("date = 2023-10-17"),
            "{reference}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn html_pages_import_to_clean_markdown() {
    let dir = site();
    let out = import(
        dir.path(),
        &["--date", "2024-03-06"],
        &[input("frigate.html"), input("wire.html")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let content = dir.path().join("content");
    assert_eq!(
        files(&content),
        [
            "2024-03-04-turkey-and-azerbaijan-hold-joint-air-drills-near.md",
            "2024-03-05-polish-navy-commissions-first-miecznik-frigate.md"
        ]
    );

    let (fm, body) =
        article(&content.join("2024-03-05-polish-navy-commissions-first-miecznik-frigate.md"));
    assert_eq!(
        fm["title"].as_str(),
        Some("Polish Navy commissions first Miecznik frigate")
    );
    assert_eq!(
        fm["date"].to_string(),
        "2024-03-05",
        "JSON-LD datePublished"
    );
    assert_eq!(fm["author"].as_str(), Some("Anna Kowalska"));
    assert_eq!(fm["source"].as_str(), Some("Baltic Defence Wire"));
    assert_eq!(
        fm["url"].as_str(),
        Some("https://baltic-wire.example/news/navy-frigate-gdynia"),
        "the canonical link"
    );
    assert_eq!(fm["dateline"].as_str(), Some("Gdynia"));
    assert_eq!(strs(&fm["countries"]), ["PL"]);
    assert!(
        !body.contains("during sea trials"),
        "no photo, so no caption: {body}"
    );
    assert!(body.contains("GDYNIA: The Polish Navy commissioned"));
    assert!(body.contains("- Crew: 120"), "lists stay lists: {body}");
    assert!(body.contains("The second ship is due to be launched"));

    let (fm, body) =
        article(&content.join("2024-03-04-turkey-and-azerbaijan-hold-joint-air-drills-near.md"));
    assert_eq!(
        fm["title"].as_str(),
        Some("Turkey and Azerbaijan hold joint air drills near Ankara")
    );
    assert_eq!(fm["date"].to_string(), "2024-03-04", "from the dateline");
    assert_eq!(fm["source"].as_str(), Some("Caspian Security Monitor"));
    assert_eq!(
        fm["url"].as_str(),
        Some("https://caspian-monitor.example/2024/03/air-drills")
    );
    assert_eq!(
        fm["summary"].as_str(),
        Some(
            "Fighter jets from both air forces fly combined missions for ten days. The drills follow a defence pact signed in 2021."
        )
    );
    assert_eq!(strs(&fm["countries"])[..2], ["TR", "AZ"]);
    assert!(body.contains("officials in Baku have said."), "{body}");

    for f in files(&content) {
        let text = std::fs::read_to_string(content.join(&f)).unwrap();
        for gone in [
            "<script",
            "dataLayer",
            "gtag",
            "trackArticleView",
            "trackPage",
            "sendBeacon",
            "tracker.example",
            "beacon.example",
            "ads.example",
            "font-family",
            "Advertisement",
            "ADVERTISEMENT",
            "Home",
            "Sea</a>",
            "Estonia buys rockets",
            "Kazakhstan buys",
            "Most read",
            "Privacy",
            "cookies",
            "Subscribe",
            "Facebook",
            "Twitter",
            "utm_",
            "<img",
            "![",
        ] {
            assert!(!text.contains(gone), "{f} contains {gone:?}:\n{text}");
        }
    }
}

#[test]
fn a_folder_imports_every_file_and_reports_the_ones_that_fail() {
    let dir = site();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(inbox.join("older")).unwrap();
    std::fs::create_dir_all(inbox.join("wire_files")).unwrap();
    for f in [
        "seed-article.txt",
        "frigate.html",
        "wire.html",
        "nordic-minehunters.txt",
    ] {
        std::fs::copy(input(f), inbox.join(f)).unwrap();
    }
    std::fs::write(inbox.join("wire_files/app.js"), "track()").unwrap();
    std::fs::write(inbox.join("photo.jpg"), b"\xff\xd8\xff\xe0\0\x10JFIF\0").unwrap();
    std::fs::write(inbox.join("latin1.txt"), b"Headline\n\nCaf\xe9 story.\n").unwrap();
    std::fs::write(inbox.join(".DS_Store"), b"\0\0").unwrap();

    let out = import(dir.path(), &["--date", "2024-03-06"], &[&inbox]);
    assert_eq!(out.status.code(), Some(1), "a failed input fails the run");
    let (so, se) = (stdout(&out), stderr(&out));
    assert!(se.contains("photo.jpg: a binary file"), "{se}");
    assert!(
        se.contains("latin1.txt: not UTF-8 text (line 3, column 4)"),
        "{se}"
    );
    assert!(se.contains("2 input(s) could not be imported"), "{se}");
    assert!(so.contains("older: a sub-directory"), "{so}");
    assert!(
        !so.contains("wire_files") && !se.contains("wire_files"),
        "saved-page assets are not inputs"
    );
    assert!(
        so.contains("4 articles imported, 1 skipped, 2 failed"),
        "{so}"
    );
    assert_eq!(
        files(&dir.path().join("content")).len(),
        4,
        "the rest still import"
    );
}

#[test]
fn duplicates_are_skipped_unless_forced_and_nothing_is_overwritten() {
    let dir = site();
    let seed = input("seed-article.txt");
    assert!(
        import(dir.path(), &["--date", "2023-10-18"], &[&seed])
            .status
            .success()
    );
    let first = dir.path().join(SEED_FILE);
    std::fs::write(
        &first,
        std::fs::read_to_string(&first).unwrap() + "\nAn editor's note.\n",
    )
    .unwrap();
    let edited = std::fs::read(&first).unwrap();

    let out = import(dir.path(), &["--date", "2023-10-18"], &[&seed]);
    assert!(out.status.success(), "a duplicate is not an error");
    let so = stdout(&out);
    assert!(
        so.contains("seed-article.txt: duplicate of") && so.contains(SEED_FILE),
        "{so}"
    );
    assert_eq!(files(&dir.path().join("content")).len(), 1);

    let out = import(dir.path(), &["--date", "2023-10-18", "--force"], &[seed]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("imported because of --force"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        files(&dir.path().join("content")),
        [
            "2023-10-17-pakistani-russian-armies-kick-off-druzhba-vii-2.md",
            "2023-10-17-pakistani-russian-armies-kick-off-druzhba-vii.md"
        ]
    );
    assert_eq!(std::fs::read(&first).unwrap(), edited, "never overwritten");

    // The same URL is the same article, whatever its headline.
    let page = input("frigate.html");
    assert!(import(dir.path(), &[], &[&page]).status.success());
    let retitled = dir.path().join("retitled.txt");
    std::fs::write(
        &retitled,
        "Poland's new frigate\n\nGDYNIA: The navy has a new ship, it said.\n",
    )
    .unwrap();
    let out = import(
        dir.path(),
        &[
            "--url",
            "https://baltic-wire.example/news/navy-frigate-gdynia/",
        ],
        &[retitled],
    );
    assert!(
        stdout(&out).contains("retitled.txt: duplicate of"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn standard_input_is_an_input() {
    let dir = site();
    let out = milbrief()
        .args([
            "import",
            "-",
            "--source",
            "Arab News",
            "--date",
            "2023-10-18",
            "--root",
        ])
        .arg(dir.path())
        .write_stdin(std::fs::read(input("seed-article.txt")).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("imported - → "),
        "{}",
        stdout(&out)
    );
    let (fm, _) = article(&dir.path().join(SEED_FILE));
    assert_eq!(fm["source"].as_str(), Some("Arab News"));
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let dir = site();
    let out = import(
        dir.path(),
        &["--dry-run", "--date", "2023-10-18"],
        &[input("seed-article.txt")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let so = stdout(&out);
    assert!(so.contains("would import"), "{so}");
    assert!(so.contains("    dateline = \"Islamabad\""), "{so}");
    assert!(so.contains("nothing written"), "{so}");
    assert!(files(&dir.path().join("content")).is_empty());

    // Outside a site, import refuses rather than make a content/ somewhere.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = import(elsewhere.path(), &[], &[input("seed-article.txt")]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no content/ directory"),
        "{}",
        stderr(&out)
    );
    assert!(files(elsewhere.path()).is_empty());
}

#[test]
fn without_a_reference_the_article_is_undated_and_the_report_says_why() {
    let dir = site();
    let out = import(dir.path(), &[], &[input("seed-article.txt")]);
    assert!(out.status.success());
    let so = stdout(&out);
    assert!(
        so.contains("no date: the text says \"said on Tuesday\" but there is no reference date"),
        "{so}"
    );
    let f = dir
        .path()
        .join("content/undated-pakistani-russian-armies-kick-off-druzhba-vii.md");
    let (fm, _) = article(&f);
    assert!(!fm.contains_key("date"));
    assert_eq!(
        fm["slug"].as_str(),
        Some("pakistani-russian-armies-kick-off-druzhba-vii")
    );
}

#[test]
fn a_site_extends_the_debris_rules_and_no_tags_leaves_tags_to_the_build() {
    let dir = site();
    std::fs::write(
        dir.path().join("config.toml"),
        "[import]\ndebris = [\"Download our app*\"]\n",
    )
    .unwrap();
    let out = import(
        dir.path(),
        &["--date", "2024-02-21", "--no-tags"],
        &[input("nordic-minehunters.txt")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("tags left to build time"),
        "{}",
        stdout(&out)
    );
    let f = dir
        .path()
        .join("content/2024-02-19-nordic-navies-open-joint-mine-clearing-drill-off.md");
    let (fm, body) = article(&f);
    assert!(!fm.contains_key("countries") && !fm.contains_key("topics"));
    assert_eq!(fm["author"].as_str(), Some("Erik Lindqvist"));
    assert_eq!(fm["source"].as_str(), Some("Reuters"), "from the dateline");
    assert_eq!(fm["dateline"].as_str(), Some("Stockholm"));
    assert!(!body.contains("Download our app"), "{body}");
    for gone in [
        "Share",
        "Telegram",
        "WhatsApp",
        "Advertisement",
        "Read more",
    ] {
        assert!(!body.contains(gone), "{gone}: {body}");
    }
    assert!(body.contains("\n\nThe exercise ends on Friday"), "{body}");
}

#[test]
fn imported_articles_build() {
    let dir = site();
    let all: Vec<PathBuf> = [
        "seed-article.txt",
        "frigate.html",
        "wire.html",
        "nordic-minehunters.txt",
    ]
    .iter()
    .map(|f| input(f))
    .collect();
    assert!(
        import(dir.path(), &["--date", "2024-03-06"], &all)
            .status
            .success()
    );
    // An undated article, and a forced duplicate, build too.
    assert!(
        import(dir.path(), &[], &[input("seed-article.txt")])
            .status
            .success()
    );
    assert!(
        import(
            dir.path(),
            &["--force", "--date", "2023-10-18"],
            &[input("seed-article.txt")]
        )
        .status
        .success()
    );
    assert_eq!(files(&dir.path().join("content")).len(), 6);

    let (site, pages) = build_in_memory(&milbrief::BuildOptions::new(dir.path()));
    assert_eq!(site.articles.len(), 6);
    let seed = site
        .articles
        .iter()
        .find(|a| a.slug == "pakistani-russian-armies-kick-off-druzhba-vii")
        .unwrap();
    assert_eq!(seed.dateline.as_deref(), Some("Islamabad"));
    assert!(
        pages.contains_key("articles/polish-navy-commissions-first-miecznik-frigate/index.html")
    );
    milbrief()
        .args(["build", "--root"])
        .arg(dir.path())
        .assert()
        .success();
}

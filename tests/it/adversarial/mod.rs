//! What users and attackers throw at milbrief, kept from coming back:
//! each test here is a hole an adversarial trial found (hostile markup,
//! odd files in the inputs, absurd dates, hostile configuration values),
//! written to fail before its fix.

use std::path::Path;

use assert_cmd::Command;

mod cache;
mod concurrent;
mod dates;
mod output;

fn milbrief() -> Command {
    Command::cargo_bin("milbrief").unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A site with an empty content/ directory.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    dir
}

fn import(site: &Path, args: &[&std::ffi::OsStr]) -> std::process::Output {
    milbrief()
        .arg("import")
        .arg("--root")
        .arg(site)
        .args(args)
        .output()
        .unwrap()
}

/// 100,000 nested elements (1.1 MB) once took minutes to import: the
/// extraction is quadratic in the depth. Now the depth is measured first.
#[test]
fn deeply_nested_html_is_refused_at_once() {
    let s = site();
    let page = s.path().join("deep.html");
    let n = 100_000;
    let html = format!(
        "<!doctype html><html><head><title>Deep</title></head><body>{}<p>Text.</p>{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    std::fs::write(&page, html).unwrap();
    let o = import(s.path(), &[page.as_os_str()]);
    assert!(!o.status.success());
    let report = format!("{}{}", stdout(&o), stderr(&o));
    assert!(report.contains("deep.html"), "{report}");
    assert!(report.contains("nests elements"), "{report}");
    assert!(files_under(&s.path().join("content")).is_empty());
}

/// Importing a directory that holds a FIFO once hung for ever.
#[cfg(unix)]
#[test]
fn a_fifo_in_an_imported_directory_is_skipped() {
    let s = site();
    let inbox = s.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::write(
        inbox.join("story.txt"),
        "Frigate sails for the Baltic\n\nTALLINN: A frigate of the Estonian navy sailed on Monday for a patrol in the Baltic Sea.\n",
    )
    .unwrap();
    let fifo = inbox.join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("notice: mkfifo is not available; the FIFO test is skipped");
        return;
    }
    let o = import(s.path(), &[inbox.as_os_str()]);
    let report = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "{report}");
    assert!(
        report.contains("pipe.txt") && report.contains("not a regular file"),
        "{report}"
    );
    assert_eq!(files_under(&s.path().join("content")).len(), 1, "{report}");
}

fn files_under(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().display().to_string())
        .collect()
}

/// A site with `config.toml` and articles given as (file name, text).
fn site_with(config: &str, articles: &[(&str, &str)]) -> tempfile::TempDir {
    let s = site();
    std::fs::write(s.path().join("config.toml"), config).unwrap();
    for (name, text) in articles {
        std::fs::write(s.path().join("content").join(name), text).unwrap();
    }
    s
}

fn build(site: &Path) -> std::process::Output {
    milbrief()
        .arg("build")
        .arg("--root")
        .arg(site)
        .arg("--quiet")
        .output()
        .unwrap()
}

const OK_ARTICLE: &str = "+++\ntitle = \"Frigate sails\"\ndate = 2024-03-04\n+++\n\nTALLINN: An Estonian frigate sailed for a Baltic patrol.\n";

/// A date in the last ISO week of 9999 once panicked the build (the
/// edition's end is past the calendar); `new` wrote such a file.
#[test]
fn dates_past_the_supported_range_are_errors_not_panics() {
    for date in ["9999-12-31", "9999-01-01"] {
        let s = site_with(
            "",
            &[(
                "far.md",
                &format!("+++\ntitle = \"Far\"\ndate = {date}\n+++\n\nText.\n"),
            )],
        );
        let o = build(s.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains("far.md") && err.contains("outside the dates"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        // A file name's date prefix is held to the same range.
        let s = site_with(
            "",
            &[(
                &format!("{date}-far.md"),
                "+++\ntitle = \"Far\"\n+++\n\nText.\n",
            )],
        );
        let err = stderr(&build(s.path()));
        assert!(err.contains("outside the dates"), "{err}");
    }
    let s = site();
    let o = milbrief()
        .args(["new", "Far future", "--date", "9999-12-31", "--root"])
        .arg(s.path())
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("outside the dates"), "{}", stderr(&o));
    assert!(files_under(&s.path().join("content")).is_empty());
    // The last supported day builds.
    let s = site_with(
        "",
        &[(
            "last.md",
            "+++\ntitle = \"Last\"\ndate = 9998-12-31\n+++\n\nText.\n",
        )],
    );
    let o = build(s.path());
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `<style>` (or `<script>`, `<textarea>`) never closed once deleted the
/// rest of the article from the page.
#[test]
fn an_unclosed_raw_tag_keeps_the_rest_of_the_article() {
    let s = site_with(
        "",
        &[(
            "2024-03-04-quote.md",
            "+++\ntitle = \"Quote\"\n+++\n\nThe report quotes a tag: <style> and then continues.\n\nA second paragraph stays.\n\nSo does a third.\n",
        )],
    );
    let o = build(s.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(s.path().join("public/articles/quote/index.html")).unwrap();
    assert!(page.contains("and then continues."), "{page}");
    assert!(page.contains("So does a third."), "{page}");
    assert!(
        page.contains("&lt;style&gt;"),
        "the stray tag is shown as text"
    );
    // `check` warns about it, naming the file and the tag.
    let o = milbrief()
        .args(["check", "--root"])
        .arg(s.path())
        .output()
        .unwrap();
    let report = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{report}");
    assert!(report.contains("2024-03-04-quote.md"), "{report}");
    assert!(report.contains("unclosed-html"), "{report}");
    assert!(
        report.contains("<style> is opened and never closed"),
        "{report}"
    );
}

/// A FIFO named `*.md` under `content/` is skipped by the build; `check`
/// says so (it once said nothing).
#[cfg(unix)]
#[test]
fn check_notes_a_fifo_named_md() {
    let s = site_with("", &[("2024-03-04-ok.md", OK_ARTICLE)]);
    let fifo = s.path().join("content/pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("notice: mkfifo is not available; the FIFO check test is skipped");
        return;
    }
    let o = milbrief()
        .args(["check", "--root"])
        .arg(s.path())
        .output()
        .unwrap();
    let report = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{report}");
    assert!(report.contains("content/pipe.md"), "{report}");
    assert!(report.contains("special-file-skipped"), "{report}");
    assert!(build(s.path()).status.success());
}

/// Addresses are read by a real URL parser: no host, spaces and
/// bidirectional controls are refused, upper-case schemes accepted.
#[test]
fn urls_are_parsed_not_pattern_matched() {
    for bad in ["https://", "http://a b/", "https://exa\u{202E}mple.org/x"] {
        let s = site_with(
            "",
            &[(
                "2024-03-04-a.md",
                &format!("+++\ntitle = \"A\"\nurl = \"{bad}\"\n+++\n\nText.\n"),
            )],
        );
        let o = build(s.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{bad}: {err}");
        assert!(err.contains("2024-03-04-a.md:3:"), "{bad}: {err}");
        assert!(err.contains("url must be"), "{bad}: {err}");
    }
    let s = site_with(
        "",
        &[(
            "2024-03-04-a.md",
            "+++\ntitle = \"A\"\nurl = \"HTTPS://EXAMPLE.ORG/x\"\n+++\n\nText.\n",
        )],
    );
    let o = build(s.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(s.path().join("public/articles/a/index.html")).unwrap();
    assert!(
        page.contains("https://example.org/x"),
        "kept in its normal form"
    );

    // A base URL with markup characters is refused or encoded, never
    // written raw into robots.txt or the pages.
    let s = site_with(
        "base_url = \"https://e.org/x\\\"<b>/\"\n",
        &[("a.md", OK_ARTICLE)],
    );
    let o = build(s.path());
    if o.status.success() {
        for f in ["robots.txt", "index.html", "sitemap.xml"] {
            let text = std::fs::read_to_string(s.path().join("public").join(f)).unwrap();
            assert!(!text.contains("\"<b>"), "{f}: {text}");
        }
    }
    let s = site_with("base_url = \"https://\"\n", &[("a.md", OK_ARTICLE)]);
    let o = build(s.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("base_url"), "{}", stderr(&o));
}

/// "duplicate key" errors name the key, in config.toml and front matter.
#[test]
fn duplicate_keys_are_named() {
    let s = site_with(
        "title = \"A\"\nper_page = 5\nper_page = 6\n",
        &[("a.md", OK_ARTICLE)],
    );
    let err = stderr(&build(s.path()));
    assert!(
        err.contains("config.toml:3:") && err.contains("`per_page`"),
        "{err}"
    );
    let s = site_with(
        "",
        &[(
            "b.md",
            "+++\ntitle = \"A\"\nsource = \"X\"\nsource = \"Y\"\n+++\n\nText.\n",
        )],
    );
    let err = stderr(&build(s.path()));
    assert!(err.contains("b.md:4:") && err.contains("`source`"), "{err}");
}

/// The size error gives the file's real size, in KiB for small limits.
#[test]
fn size_errors_give_the_real_size() {
    let body = "Word ".repeat(2000);
    let s = site_with(
        "[markdown]\nmax_article_kb = 4\n",
        &[("big.md", &format!("+++\ntitle = \"Big\"\n+++\n\n{body}\n"))],
    );
    let err = stderr(&build(s.path()));
    assert!(err.contains("big.md"), "{err}");
    assert!(
        err.contains("9.7 KiB") && err.contains("more than the 4 KiB"),
        "{err}"
    );
}

/// `import` once wrote articles larger than the build accepts.
#[test]
fn import_applies_the_build_size_limit() {
    let s = site_with("[markdown]\nmax_article_kb = 2\n", &[]);
    let text = s.path().join("long.txt");
    let para = "The committee heard evidence from officers about the readiness of reserve units. ";
    std::fs::write(
        &text,
        format!("Long hearing on reserves\n\nWARSAW: {}\n", para.repeat(60)),
    )
    .unwrap();
    let o = import(s.path(), &[text.as_os_str()]);
    let report = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!o.status.success(), "{report}");
    assert!(report.contains("more than the 2 KiB"), "{report}");
    assert!(files_under(&s.path().join("content")).is_empty());
}

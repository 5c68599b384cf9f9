//! The sample digest built to disk and opened as files, as the README
//! promises it works: the search page finds articles over `file://` in a
//! real headless Chromium, and the W3C Nu HTML checker finds no errors in
//! any page (and, without either, every page has a meta description of at
//! most 160 characters).
//!
//! Needs `chromium` and `chromedriver` for the first, and Java with
//! `vnu.jar` in `target/vnu/` for the second (`scripts/install-browser.sh`
//! installs them); without them a test prints a notice and skips.

use std::path::{Path, PathBuf};

use crate::common::browser::{browser_tools, console_errors, wait_until};
use crate::common::{build_in_memory, repo_root, text};
use milbrief::BuildOptions;

/// Builds the sample digest into `dir/public`, as `milbrief build` does.
fn build_sample(dir: &Path) -> PathBuf {
    let out = dir.join("public");
    milbrief::build(&BuildOptions {
        output: Some(out.clone()),
        ..BuildOptions::new(repo_root())
    })
    .unwrap();
    out
}

#[test]
fn search_works_opened_from_disk() {
    let Some(tools) = browser_tools("the search-from-disk test") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let public = build_sample(dir.path());
    let json = std::fs::read_to_string(public.join("search/index.json")).unwrap();
    let script = std::fs::read_to_string(public.join("search/index.js")).unwrap();
    assert_eq!(
        script,
        format!("milbriefSearch(\"search/index.json\", {json});\n"),
        "the script holds the JSON's data"
    );
    let page = format!("file://{}", public.join("search/index.html").display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let client = tools.start().await;
        client.goto(&format!("{page}?q=navy")).await.unwrap();
        let state = || async {
            client
                .execute(
                    "return document.getElementById('search').dataset.state;",
                    vec![],
                )
                .await
                .map(|s| s.as_str().unwrap_or_default().to_string())
                .unwrap_or_default()
        };
        wait_until("the index and its summaries load from disk", || async {
            state().await == "done"
        })
        .await;
        let results = client
            .execute(
                "return document.querySelectorAll('#search-results > li').length;",
                vec![],
            )
            .await
            .unwrap();
        assert!(results.as_u64().unwrap_or(0) > 0, "no result for \"navy\"");
        let countries = client
            .execute(
                "return document.getElementById('search-country').options.length;",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            countries.as_u64().unwrap_or(0) > 1,
            "the country filter is empty"
        );
        assert_eq!(console_errors(&client).await, Vec::<String>::new());

        // A missing index says so, and how to fix it.
        std::fs::remove_file(public.join("search/index.js")).unwrap();
        client.goto(&page).await.unwrap();
        wait_until("the failure shows", || async { state().await == "error" }).await;
        let said = client
            .execute(
                "return document.getElementById('search-status').textContent;",
                vec![],
            )
            .await
            .unwrap();
        let said = said.as_str().unwrap_or_default();
        assert!(
            said.contains("index.js") && said.contains("milbrief build"),
            "{said}"
        );
        client.close().await;
    });
}

/// `scripts/install-browser.sh` puts the W3C Nu checker here.
fn vnu_jar() -> PathBuf {
    repo_root().join("target/vnu/vnu.jar")
}

#[test]
fn the_nu_html_checker_finds_no_errors() {
    let jar = vnu_jar();
    let java = std::process::Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) || !jar.is_file() {
        eprintln!(
            "notice: skipping the W3C Nu checker test: it needs Java and {} (scripts/install-browser.sh)",
            jar.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let public = build_sample(dir.path());
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .arg(&public)
        .output()
        .unwrap();
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && report.trim().is_empty(), "{report}");
}

/// Search engines show about 160 characters of a description: every page
/// has one, none longer (the 404 page included).
#[test]
fn every_page_has_a_short_meta_description() {
    let (_, outputs) = build_in_memory(&BuildOptions::new(repo_root()));
    let mut pages = 0;
    for (path, bytes) in outputs.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = text(bytes);
        let marker = "<meta name=\"description\" content=\"";
        let at = html
            .find(marker)
            .unwrap_or_else(|| panic!("{path}: no meta description"));
        let rest = &html[at + marker.len()..];
        let desc = &rest[..rest.find('"').unwrap()];
        let chars = desc
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .chars()
            .count();
        assert!(
            chars > 0 && chars <= 160,
            "{path}: {chars} characters: {desc}"
        );
        assert!(
            !html.contains(" action=\"\""),
            "{path}: an empty form action"
        );
        pages += 1;
    }
    assert!(pages > 100, "{pages} pages");
}

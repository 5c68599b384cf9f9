//! Sources as the reader sees them: the sources index and each source's
//! page, the badge of state-affiliated and official outlets, the source
//! facet of the search index and page (in a headless Chromium, where
//! there is one), and editions' count of outlets, built through the binary
//! on a small site written here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::common::browser::{browser_tools, wait_until};
use assert_cmd::Command;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde_json::{Value, json};

fn milbrief() -> Command {
    Command::cargo_bin("milbrief").unwrap()
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// An article: its front matter lines (`title` and `date` added) and a
/// one-line body.
fn article(title: &str, day: u8, front: &str) -> String {
    format!(
        "+++\ntitle = {title:?}\ndate = 2024-03-{day:02}\n{front}\n+++\n\nA short report: {title}.\n"
    )
}

/// A site of articles from known outlets (by name, alias and URL), an
/// outlet of the site's own, and one the lists do not know. Its articles
/// are too short to be found relevant; the site shows off-topic articles.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "config.toml",
        "title = \"Test digest\"\nper_page = 2\n\n[tagging]\n# The one-line fixtures are not about defence: keep them listed.\noff_topic = \"show\"\n\n[[source]]\nname = \"Baltic Briefing\"\ndomains = [\"baltic-briefing.example\"]\ncountry = \"LT\"\nkind = \"regional\"\n",
    );
    let articles = [
        (
            "a1",
            article(
                "Drills in the strait",
                4,
                "source = \"Xinhua\"\ncountries = [\"CN\", \"TW\"]",
            ),
        ),
        (
            "a2",
            article(
                "Carrier sails",
                5,
                "source = \"xinhua news agency\"\ncountries = [\"CN\"]",
            ),
        ),
        (
            "a3",
            article(
                "Budget passes",
                6,
                "url = \"https://www.reuters.com/world/budget\"\ncountries = [\"DE\"]",
            ),
        ),
        (
            "a4",
            article(
                "Radar ordered",
                7,
                "source = \"Reuters\"\ncountries = [\"PL\"]",
            ),
        ),
        (
            "a5",
            article(
                "Patrols stepped up",
                8,
                "url = \"https://baltic-briefing.example/p\"\ncountries = [\"LT\"]",
            ),
        ),
        (
            "a6",
            article(
                "Harbour reopens",
                9,
                "source = \"Harbour Ledger\"\ncountries = [\"EE\"]",
            ),
        ),
        (
            "a7",
            article(
                "Ministry statement",
                10,
                "source = \"Pentagon\"\ncountries = [\"US\"]",
            ),
        ),
        ("a8", article("No source given", 11, "countries = [\"FR\"]")),
    ];
    for (slug, text) in articles {
        write(root, &format!("content/{slug}.md"), &text);
    }
    dir
}

fn build(root: &Path) {
    milbrief().arg("build").current_dir(root).assert().success();
}

#[test]
fn the_sources_index_groups_sources_by_kind_with_counts() {
    let dir = site();
    build(dir.path());
    let index = read(dir.path(), "sources/index.html");
    let pos = |s: &str| {
        index
            .find(s)
            .unwrap_or_else(|| panic!("{s} not in {index}"))
    };
    // Kinds in their order, the unknown outlet last.
    assert!(pos("Wire services") < pos("Regional media"));
    assert!(pos("Regional media") < pos("State-affiliated media"));
    assert!(pos("State-affiliated media") < pos("Official sources"));
    assert!(pos("Official sources") < pos("Sources not in the list"));
    assert!(pos("Sources not in the list") < pos("Harbour Ledger"));
    // Two Xinhua articles (by name and by another spelling), two Reuters
    // (by name and by URL).
    assert!(
        index.contains(
            r#"<span class="name">Xinhua News Agency</span> <span class="count">2</span>"#
        ),
        "{index}"
    );
    assert!(index.contains(r#"<span class="name">Reuters</span> <span class="count">2</span>"#));
    assert!(
        index.contains(r#"<span class="name">Baltic Briefing</span> <span class="count">1</span>"#)
    );
    assert!(index.contains("5 sources"), "{index}");
    // Linked from every page's navigation and in the sitemap.
    assert!(read(dir.path(), "index.html").contains(r#"href="./sources/index.html">Sources</a>"#));
    let sitemap = read(dir.path(), "sitemap.xml");
    assert!(
        sitemap.contains("/sources/</loc>") && sitemap.contains("/sources/reuters/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_source_page_lists_its_articles_coverage_and_feed() {
    let dir = site();
    build(dir.path());
    let page = read(dir.path(), "sources/xinhua-news-agency/index.html");
    assert!(page.contains("Carrier sails") && page.contains("Drills in the strait"));
    assert!(!page.contains("Budget passes"));
    assert!(page.contains("Countries it covers"));
    assert!(
        page.contains(r#"China</a> <span class="count">2</span>"#),
        "{page}"
    );
    assert!(page.contains(r#"href="../../sources/xinhua-news-agency/atom.xml""#));
    let feed = read(dir.path(), "sources/xinhua-news-agency/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 2, "{feed}");
    // Paged like other listings: two per page here.
    assert!(!dir.path().join("public/sources/reuters/page/2").exists());
    // An unknown outlet gets a page by its own name.
    let ledger = read(dir.path(), "sources/harbour-ledger/index.html");
    assert!(ledger.contains("Harbour reopens") && ledger.contains("Not a source milbrief knows"));
    // An article with neither a source nor a known domain has none.
    let none = read(dir.path(), "articles/a8/index.html");
    assert!(!none.contains(r#"class="source""#), "{none}");
}

#[test]
fn badges_mark_state_affiliated_and_official_sources_with_their_provenance() {
    let dir = site();
    build(dir.path());
    let art = read(dir.path(), "articles/a1/index.html");
    // Named as listed, linked to its page, the badge in words with the
    // provenance as its title and in the text.
    assert!(art.contains(r#"<a href="../../sources/xinhua-news-agency/index.html">Xinhua News Agency</a> <span class="badge badge-state-affiliated" title="#), "{art}");
    assert!(art.contains(">State-affiliated</span>"));
    assert!(art.contains(r#"<p class="provenance"><strong>State-affiliated source:</strong>"#));
    let official = read(dir.path(), "articles/a7/index.html");
    assert!(
        official.contains(r#"class="badge badge-official""#),
        "{official}"
    );
    // Cards carry it too; wires and regional outlets have none.
    let home = read(dir.path(), "index.html");
    assert_eq!(
        home.matches("badge-state-affiliated").count(),
        0,
        "page 1 shows a7, a8"
    );
    let page4 = read(dir.path(), "page/4/index.html");
    assert_eq!(
        page4
            .matches(r#"class="badge badge-state-affiliated""#)
            .count(),
        2,
        "{page4}"
    );
    let reuters = read(dir.path(), "articles/a4/index.html");
    assert!(!reuters.contains("class=\"badge"));
    assert!(!reuters.contains("class=\"provenance\""));
}

#[test]
fn the_search_index_carries_sources_and_the_page_a_facet() {
    let dir = site();
    build(dir.path());
    let ix: Value = serde_json::from_str(&read(dir.path(), "search/index.json")).unwrap();
    let sources: Vec<(String, String)> = ix["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    // By name, as the facet lists them.
    let names: Vec<&str> = sources.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Baltic Briefing",
            "Harbour Ledger",
            "Reuters",
            "US Department of Defense",
            "Xinhua News Agency"
        ]
    );
    for a in ix["articles"].as_array().unwrap() {
        let title = a[0].as_str().unwrap();
        let facet = a[6].as_u64().map(|k| sources[k as usize].0.as_str());
        let want = match title {
            "Drills in the strait" | "Carrier sails" => Some("xinhua-news-agency"),
            "Budget passes" | "Radar ordered" => Some("reuters"),
            "Patrols stepped up" => Some("baltic-briefing"),
            "Harbour reopens" => Some("harbour-ledger"),
            "Ministry statement" => Some("us-department-of-defense"),
            _ => None,
        };
        assert_eq!(facet, want, "{title}");
        assert!(want.is_some() || a[6].is_null());
    }
    let search = read(dir.path(), "search/index.html");
    assert!(search.contains(r#"<select id="search-source" name="source">"#));
}

#[test]
fn editions_count_their_outlets() {
    let dir = site();
    build(dir.path());
    // 4–10 March 2024 (ISO week 10): a1–a7, from five outlets.
    let edition = read(dir.path(), "editions/2024-w10/index.html");
    assert!(
        edition.contains("7 articles") && edition.contains("5 outlets"),
        "{edition}"
    );
}

#[test]
fn sources_can_be_turned_off() {
    let dir = site();
    let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    write(
        dir.path(),
        "config.toml",
        &format!("{config}\n[sections]\nsources = false\n"),
    );
    build(dir.path());
    assert!(!dir.path().join("public/sources").exists());
    let art = read(dir.path(), "articles/a1/index.html");
    // The name and the badge stay; there is no page to link.
    assert!(art.contains("badge-state-affiliated"));
    assert!(!art.contains("sources/"));
    assert!(!read(dir.path(), "search/index.html").contains("search-source"));
}

#[test]
fn source_pages_link_nowhere_that_is_not_there() {
    let dir = site();
    let out = milbrief()
        .arg("check")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let report =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(!report.contains("broken-link"), "{report}");
    // The one outlet the lists do not know is the one warned about.
    assert_eq!(report.matches("unknown-source").count(), 1, "{report}");
}

/// Serves the files under `dir` (a built site's output) on loopback.
async fn serve_dir(
    State(dir): State<Arc<PathBuf>>,
    uri: axum::http::Uri,
) -> axum::response::Response {
    let mut path = uri.path().trim_start_matches('/').to_string();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    match std::fs::read(dir.join(&path)) {
        Ok(bytes) if !path.contains("..") => {
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            ([(header::CONTENT_TYPE, mime.to_string())], bytes).into_response()
        }
        _ => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// The search page's source facet in a real browser: `?source=` selects
/// it, results and counts follow it, and choosing another source writes
/// the URL.
#[test]
fn the_search_page_filters_by_source() {
    let Some(tools) = browser_tools("the source facet test") else {
        return;
    };
    let dir = site();
    build(dir.path());
    let out = Arc::new(dir.path().join("public"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(serve_dir).with_state(out);
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let client = tools.start().await;
        let run = |script: &'static str| {
            let c = &client;
            async move { c.execute(script, vec![]).await.unwrap() }
        };
        let titles = "return [...document.querySelectorAll('#search-results > li h2 a')].map(a => a.textContent);";
        let options = "return [...document.getElementById('search-source').options]\
            .filter(o => !o.hidden).map(o => o.textContent);";

        client
            .goto(&format!("{base}search/index.html?source=reuters"))
            .await
            .unwrap();
        wait_until("two Reuters stories", || async {
            run(titles).await == json!(["Radar ordered", "Budget passes"])
        })
        .await;
        let selected = run("return document.getElementById('search-source').value;").await;
        assert_eq!(selected, "reuters");
        // Each source counts what the other filters let through.
        assert_eq!(
            run(options).await,
            json!([
                "All sources",
                "Baltic Briefing (1)",
                "Harbour Ledger (1)",
                "Reuters (2)",
                "US Department of Defense (1)",
                "Xinhua News Agency (2)"
            ])
        );

        // Another source, chosen as a reader would.
        client
            .execute(
                "const s = document.getElementById('search-source'); s.value = 'xinhua-news-agency';\
                 s.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![],
            )
            .await
            .unwrap();
        wait_until("the Xinhua stories", || async {
            run(titles).await == json!(["Carrier sails", "Drills in the strait"])
        })
        .await;
        let query = client.current_url().await.unwrap();
        assert_eq!(query.query(), Some("source=xinhua-news-agency"));
        // With a country chosen too, the sources count within it.
        client
            .execute(
                "const s = document.getElementById('search-country'); s.value = 'TW';\
                 s.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![],
            )
            .await
            .unwrap();
        wait_until("one story about Taiwan", || async {
            run(titles).await == json!(["Drills in the strait"])
        })
        .await;
        assert_eq!(
            run(options).await,
            json!(["All sources", "Xinhua News Agency (1)"])
        );
        client.close().await;
        server.abort();
    });
}

//! The search page in a real headless Chromium: `templates/search.html`
//! rendered over `base.html`, with `static/search.js` and `static/style.css`,
//! and a hand-written index of 30 articles with two summary shards, served
//! from loopback by a small file server inside the test.
//!
//! Needs `chromium` and `chromedriver`; where they are missing the test
//! prints a notice and passes without running. The accessibility check also
//! needs axe-core in `target/axe/` (`scripts/install-browser.sh`) and is
//! skipped, with a notice, without it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::common::browser::{
    Browser, axe_check, axe_source, browser_tools, console_errors, emulate_color_scheme,
    horizontal_overflow, wait_until,
};
use crate::common::repo_root;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::{Value as Json, json};
use tokio::sync::watch;

/// Summaries per shard.
const SHARD: usize = 20;

const COUNTRIES: &[(&str, &str)] = &[
    ("CI", "Côte d'Ivoire"),
    ("FR", "France"),
    ("IN", "India"),
    ("PK", "Pakistan"),
    ("PL", "Poland"),
    ("RU", "Russia"),
    ("TR", "Türkiye"),
    ("UA", "Ukraine"),
    ("US", "United States"),
];

const TOPICS: &[(&str, &str)] = &[
    ("air", "Air power"),
    ("arms-trade", "Arms trade"),
    ("cyber", "Cyber"),
    ("exercises", "Exercises"),
    ("missiles", "Missiles"),
    ("naval", "Naval forces"),
];

/// (date, countries, topics, source, title, summary), newest first.
type Row = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const ARTICLES: &[Row] = &[
    ("2023-11-28", &["US", "UA"], &["arms-trade"], "Reuters", "Washington approves a new aid package for Ukraine", "The package includes artillery shells and air-defence interceptors."),
    ("2023-11-25", &["PK"], &["naval"], "Dawn", "Pakistan Navy commissions a new corvette", "The ship joins the fleet at Karachi after sea trials."),
    ("2023-11-22", &["IN"], &["missiles"], "The Hindu", "India tests a hypersonic glide vehicle", "Analysts read the launch as a message to Pakistan and China."),
    ("2023-11-20", &["PK"], &["naval"], "Naval News", "China hands over a frigate at Shanghai", "The second of four ships ordered in 2018."),
    ("2023-11-18", &["TR", "PK"], &["arms-trade", "air"], "Daily Sabah", "Islamabad signs a drone deal with Türkiye", "The first aircraft will be delivered next year."),
    ("2023-11-15", &["FR"], &["air"], "Le Monde", "France orders more Rafale jets", ""),
    ("2023-11-12", &["RU", "UA"], &["missiles"], "Kyiv Independent", "Missile strikes hit the Ukrainian power grid", "Repairs may take weeks."),
    ("2023-11-10", &["PL"], &["arms-trade"], "<img src=x onerror=window.__pwned=1>Wire", "<script>alert(1)</script> Leaked memo on tank exports", "A <b onmouseover=window.__pwned=2>memo</b> describes delays."),
    ("2023-11-08", &["CI"], &["exercises"], "Jeune Afrique", "Côte d'Ivoire hosts a regional exercise", "Six navies of the Gulf of Guinea take part."),
    ("2023-11-05", &["PK"], &["air", "exercises"], "ISPR", "Pakistani JF-17 squadron joins an exercise in Anatolia", ""),
    ("2023-11-02", &["TR"], &["naval"], "Defense News", "Turkish navy launches its first drone carrier", "Sea trials begin in the spring."),
    ("2023-10-30", &["US"], &["cyber"], "The Record", "Pentagon sets out a new cyber strategy", ""),
    ("2023-10-27", &["PK"], &["arms-trade", "missiles"], "Dawn", "Pakistan buys Chinese air-defence systems", "HQ-9 batteries will guard the capital."),
    ("2023-10-24", &["RU"], &["exercises"], "TASS", "Russian fleet holds drills in the Baltic", ""),
    ("2023-10-20", &["IN", "US"], &["exercises"], "Hindustan Times", "India and the United States begin Yudh Abhyas", ""),
    ("2023-10-18", &["UA"], &["air"], "Ukrainska Pravda", "Ukraine receives its first F-16 simulators", ""),
    ("2023-10-15", &["PL", "US"], &["arms-trade"], "Defence24", "Poland signs for more Abrams tanks", ""),
    ("2023-10-12", &["CI", "FR"], &[], "RFI", "French troops hand over a base in Côte d\u{2019}Ivoire", ""),
    ("2023-10-09", &[], &["cyber"], "", "Ransomware hits a shipyard", "Production stopped for two days."),
    ("2023-10-05", &["PK"], &[], "Express Tribune", "Pakistan's army chief visits Washington", ""),
    ("2023-10-01", &["TR", "PL"], &["arms-trade"], "Hürriyet", "Türkiye and Poland discuss a tank deal", ""),
    ("2023-09-28", &["RU"], &["naval"], "Naval News", "Black Sea Fleet moves ships from Sevastopol", ""),
    ("2023-09-25", &["FR"], &["missiles"], "Opex360", "France tests an upgraded nuclear missile", ""),
    ("2023-09-20", &["IN"], &["naval"], "The Print", "Indian Navy inducts a new destroyer", ""),
    ("2023-09-15", &["PK"], &["naval"], "Dawn", "Chinese submarine visits Karachi", "The boat then sailed on to Gwadar."),
    ("2023-09-10", &["UA", "RU"], &["cyber"], "Wired", "Cyber attack disrupts Ukrainian telecoms", ""),
    ("2023-09-05", &["US"], &["air"], "Air & Space Forces", "B-21 bomber flies for the first time", ""),
    ("2023-09-01", &["CI"], &["arms-trade"], "", "Abidjan buys patrol boats", ""),
    ("", &["PL"], &["exercises"], "", "Undated note on Polish reservists", ""),
    ("", &[], &[], "", "Notes from the editors", "Housekeeping."),
];

fn position<T>(list: &[(&str, T)], key: &str) -> usize {
    list.iter().position(|(k, _)| *k == key).unwrap()
}

fn article_path(i: usize) -> String {
    format!("articles/article-{i:02}/index.html")
}

/// The site's files, path → bytes.
fn fixture_files() -> HashMap<String, Vec<u8>> {
    let read = |p: &str| std::fs::read_to_string(repo_root().join(p)).unwrap();
    let mut tera = tera::Tera::new();
    tera.add_raw_templates([
        ("base.html", read("templates/base.html")),
        ("search.html", read("templates/search.html")),
    ])
    .expect("the search template compiles");
    let mut ctx = tera::Context::new();
    ctx.insert(
        "site",
        &json!({
            "title": "Fixture digest", "description": "Defence news, sorted.",
            "base_url": "https://digest.example/", "language": "en", "generator": "milbrief",
        }),
    );
    ctx.insert(
        "links",
        &json!({
            "home": "index.html", "countries": "countries/index.html",
            "topics": "topics/index.html", "archive": "archive/index.html",
            "editions": "editions/index.html", "relations": "relations/index.html",
            "search": "search/index.html", "feed": "atom.xml",
            "search_index": "search/index.json",
        }),
    );
    // Only the search page exists in the fixture: the other sections are off.
    ctx.insert(
        "sections",
        &json!({
            "editions": false, "relations": false, "regions": false, "search": true,
            "archive": false, "tag_feeds": false, "charts": false,
        }),
    );
    ctx.insert("feeds", &Vec::<Json>::new());
    ctx.insert("root", "../");
    ctx.insert(
        "page",
        &json!({
            "title": "Search", "description": "Search the digest.",
            "canonical": "https://digest.example/search/", "path": "search/index.html",
            "og_type": "website",
        }),
    );
    let page = tera
        .render("search.html", &ctx)
        .expect("the search page renders");

    let articles: Vec<Json> = ARTICLES
        .iter()
        .enumerate()
        .map(|(i, (date, cs, ts, source, title, _))| {
            let cs: Vec<usize> = cs.iter().map(|c| position(COUNTRIES, c)).collect();
            let ts: Vec<usize> = ts.iter().map(|t| position(TOPICS, t)).collect();
            json!([title, date, cs, ts, article_path(i), source])
        })
        .collect();
    let shards: Vec<String> = (0..ARTICLES.len().div_ceil(SHARD))
        .map(|k| format!("search/summaries-{k}.json"))
        .collect();
    let index = json!({
        "v": 1,
        "countries": COUNTRIES,
        "topics": TOPICS,
        "articles": articles,
        "summaries": { "size": SHARD, "shards": shards },
    });

    let mut files = HashMap::new();
    files.insert("search/index.html".into(), page.clone().into_bytes());
    files.insert("search/index.json".into(), index.to_string().into_bytes());
    for (k, chunk) in ARTICLES.chunks(SHARD).enumerate() {
        let texts: Vec<&str> = chunk.iter().map(|a| a.5).collect();
        files.insert(shards[k].clone(), json!(texts).to_string().into_bytes());
    }
    // The same page where no index is to be found.
    files.insert("broken/search/index.html".into(), page.into_bytes());
    files.insert(
        "broken/search.js".into(),
        read("static/search.js").into_bytes(),
    );
    files.insert("broken/style.css".into(), Vec::new());
    files.insert("search.js".into(), read("static/search.js").into_bytes());
    // The flags a build writes for the countries it shows.
    for (code, _) in COUNTRIES {
        files.insert(
            format!("flags/{}.svg", code.to_ascii_lowercase()),
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 3 2\"/>".to_vec(),
        );
    }
    files.insert("style.css".into(), read("static/style.css").into_bytes());
    files
}

#[derive(Clone)]
struct Site {
    files: Arc<HashMap<String, Vec<u8>>>,
    /// Paths asked for, in order.
    log: Arc<Mutex<Vec<String>>>,
    /// Summary shards are held back until this turns true.
    shards_open: watch::Receiver<bool>,
}

async fn serve_file(State(site): State<Site>, uri: Uri) -> Response {
    let mut path = uri.path().trim_start_matches('/').to_string();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    site.log.lock().unwrap().push(path.clone());
    if path.contains("/summaries-") {
        let mut open = site.shards_open.clone();
        let _ = open.wait_for(|o| *o).await;
    }
    match site.files.get(&path) {
        Some(bytes) => {
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            ([(header::CONTENT_TYPE, mime.to_string())], bytes.clone()).into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

async fn js(client: &Browser, script: &str) -> Json {
    client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

async fn titles(client: &Browser) -> Vec<String> {
    let v = js(
        client,
        "return [...document.querySelectorAll('#search-results > li h2 a')].map(a => a.textContent);",
    )
    .await;
    serde_json::from_value(v).unwrap()
}

async fn status(client: &Browser) -> String {
    js(
        client,
        "return document.getElementById('search-status').textContent;",
    )
    .await
    .as_str()
    .unwrap()
    .to_string()
}

async fn state(client: &Browser) -> String {
    js(
        client,
        "return document.getElementById('search').dataset.state || '';",
    )
    .await
    .as_str()
    .unwrap()
    .to_string()
}

/// Waits until the results are the titles of `want` (article indices), in
/// that order, and the status line counts them.
async fn expect_results(client: &Browser, what: &str, want: &[usize]) {
    let want: Vec<String> = want.iter().map(|&i| ARTICLES[i].4.to_string()).collect();
    let count = match want.len() {
        0 => "No results.".to_string(),
        1 => "1 result.".to_string(),
        n => format!("{n} results."),
    };
    let deadline = std::time::Instant::now() + crate::common::browser::DEADLINE;
    loop {
        let (got, said) = (titles(client).await, status(client).await);
        if got == want && said == count {
            return;
        }
        if std::time::Instant::now() > deadline {
            panic!(
                "{what}: results {got:#?} with status {said:?}, expected {want:#?} and {count:?}"
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn open(client: &Browser, url: &str) {
    client.goto(url).await.unwrap();
    wait_until("the index and all summaries load", || async {
        state(client).await == "done"
    })
    .await;
}

async fn type_query(client: &Browser, text: &str) {
    let q = client.find(Locator::Id("search-q")).await.unwrap();
    // Select all and delete, like a person would, so `input` events fire.
    q.send_keys(&format!("{}a{}{}", Key::Control, Key::Null, Key::Backspace))
        .await
        .unwrap();
    q.send_keys(text).await.unwrap();
}

async fn set_date(client: &Browser, id: &str, value: &str) {
    client
        .execute(
            "const e = document.getElementById(arguments[0]); e.value = arguments[1];\
             e.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(id), json!(value)],
        )
        .await
        .unwrap();
}

/// Visible option labels of a select (hidden ones left out), and which are
/// disabled.
async fn options(client: &Browser, id: &str) -> Vec<(String, bool)> {
    let v = client
        .execute(
            "return [...document.getElementById(arguments[0]).options]\
               .filter(o => !o.hidden).map(o => [o.textContent, o.disabled]);",
            vec![json!(id)],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

async fn query_string(client: &Browser) -> String {
    client
        .current_url()
        .await
        .unwrap()
        .query()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn search_page_in_a_browser() {
    let Some(tools) = browser_tools("the search page test") else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (open_shards, shards_open) = watch::channel(false);
        let site = Site {
            files: Arc::new(fixture_files()),
            log: Arc::default(),
            shards_open,
        };
        let log = site.log.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(serve_file).with_state(site);
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let page = format!("{base}search/index.html");
        let client = tools.start().await;

        // Before anything is typed: a prompt, no results, every option.
        client.goto(&page).await.unwrap();
        wait_until("the index loads", || async { state(&client).await == "ready" }).await;
        assert_eq!(
            status(&client).await,
            "Type a word, or choose a country, topic or dates, to search 30 articles."
        );
        assert!(titles(&client).await.is_empty());
        let countries = options(&client, "search-country").await;
        assert_eq!(countries.len(), COUNTRIES.len() + 1);
        assert_eq!(countries[0], ("All countries".into(), false));
        assert!(countries.contains(&("Pakistan (7)".into(), false)), "{countries:?}");

        // A word found only in a summary matches once its shard arrives.
        type_query(&client, "gwadar").await;
        expect_results(&client, "a summary word before the summaries", &[]).await;
        assert_eq!(state(&client).await, "ready", "summaries held back");
        open_shards.send(true).unwrap();
        expect_results(&client, "a summary word in the second shard", &[24]).await;
        wait_until("all summaries load", || async { state(&client).await == "done" }).await;
        {
            let log = log.lock().unwrap();
            let count = |p: &str| log.iter().filter(|x| *x == p).count();
            assert_eq!(count("search/index.json"), 1, "{log:?}");
            assert_eq!(count("search/summaries-0.json"), 1, "{log:?}");
            assert_eq!(count("search/summaries-1.json"), 1, "{log:?}");
        }
        let summary = js(
            &client,
            "return document.querySelector('#search-results .summary').textContent;",
        )
        .await;
        assert_eq!(summary, "The boat then sailed on to Gwadar.");

        // Type-ahead: titles first, then tags, then summaries; newest first.
        type_query(&client, "pakis").await;
        expect_results(&client, "pakis", &[1, 9, 12, 19, 3, 4, 24, 2]).await;
        assert_eq!(query_string(&client).await, "q=pakis");
        let countries = options(&client, "search-country").await;
        assert_eq!(
            countries,
            [
                ("All countries".to_string(), false),
                ("India (1)".into(), false),
                ("Pakistan (7)".into(), false),
                ("Türkiye (1)".into(), false),
            ]
        );
        let topics = options(&client, "search-topic").await;
        assert!(topics.contains(&("Naval forces (3)".into(), false)), "{topics:?}");
        assert!(topics.contains(&("Arms trade (2)".into(), false)), "{topics:?}");
        assert!(!topics.iter().any(|(t, _)| t.starts_with("Cyber")), "{topics:?}");

        // A result: title link, date, source, chips.
        let first = js(
            &client,
            "const li = document.querySelector('#search-results > li');\
             return { cls: li.className, href: li.querySelector('h2 a').href,\
               time: li.querySelector('time').dateTime, date: li.querySelector('time').textContent,\
               source: li.querySelector('.source').textContent,\
               chips: [...li.querySelectorAll('.chips a')].map(a => [a.className, a.textContent.trim(), a.href]),\
               flag: [...li.querySelectorAll('.chips img')].map(i => [i.className, i.getAttribute('src'), i.alt, i.getAttribute('width'), i.getAttribute('height')]) };",
        )
        .await;
        assert_eq!(first["cls"], "card");
        // The country chip's flag is the SVG a build writes, as on the pages.
        assert_eq!(first["flag"], json!([["flag", "../flags/pk.svg", "", "21", "14"]]));
        assert_eq!(first["href"], format!("{base}{}", article_path(1)));
        assert_eq!(first["time"], "2023-11-25");
        assert_eq!(first["date"], "Saturday, 25 November 2023");
        assert_eq!(first["source"], "Dawn");
        assert_eq!(
            first["chips"],
            json!([
                ["chip country", "Pakistan", format!("{base}countries/pk/index.html")],
                ["chip topic", "Naval forces", format!("{base}topics/naval/index.html")],
            ])
        );

        // A topic narrows the results; a date range narrows them again.
        client
            .find(Locator::Id("search-topic"))
            .await
            .unwrap()
            .select_by_value("arms-trade")
            .await
            .unwrap();
        expect_results(&client, "pakis in arms trade", &[12, 4]).await;
        set_date(&client, "search-from", "2023-11-01").await;
        expect_results(&client, "pakis in arms trade from November", &[4]).await;
        assert_eq!(
            query_string(&client).await,
            "q=pakis&topic=arms-trade&from=2023-11-01"
        );
        client
            .find(Locator::Id("search-topic"))
            .await
            .unwrap()
            .select_by_value("")
            .await
            .unwrap();
        expect_results(&client, "pakis from November", &[1, 9, 3, 4, 2]).await;
        set_date(&client, "search-to", "2023-11-19").await;
        expect_results(&client, "pakis from 1 to 19 November", &[9, 4]).await;
        assert_eq!(
            query_string(&client).await,
            "q=pakis&from=2023-11-01&to=2023-11-19"
        );

        // Submitting the form searches in place: no page load.
        js(&client, "window.stillHere = true;").await;
        type_query(&client, "jf").await;
        client
            .find(Locator::Id("search-q"))
            .await
            .unwrap()
            .send_keys(&Key::Enter.to_string())
            .await
            .unwrap();
        expect_results(&client, "jf, submitted", &[9]).await;
        assert_eq!(js(&client, "return window.stillHere === true;").await, true);

        // The URL restores the whole form.
        open(
            &client,
            &format!("{page}?q=karachi&country=PK&topic=naval&from=2023-09-01&to=2023-09-30"),
        )
        .await;
        expect_results(&client, "restored from the URL", &[24]).await;
        let form = js(
            &client,
            "return ['q', 'country', 'topic', 'from', 'to']\
               .map(n => document.getElementById('search-' + n).value);",
        )
        .await;
        assert_eq!(
            form,
            json!(["karachi", "PK", "naval", "2023-09-01", "2023-09-30"])
        );
        // An empty query with a facet lists the facet's articles.
        open(&client, &format!("{page}?country=CI")).await;
        expect_results(&client, "Côte d'Ivoire, no words", &[8, 17, 27]).await;

        // Accents and apostrophes do not matter.
        open(&client, &format!("{page}?q=turkiye")).await;
        expect_results(&client, "turkiye", &[4, 20, 10]).await;
        type_query(&client, "Cote d'iv").await;
        expect_results(&client, "Cote d'iv", &[8, 17, 27]).await;

        // Markup in the data is shown as text and never runs.
        let scripts = js(&client, "return document.scripts.length;").await;
        type_query(&client, "memo").await;
        expect_results(&client, "memo", &[7]).await;
        let shown = js(
            &client,
            "const li = document.querySelector('#search-results > li');\
             return [li.querySelector('.source').textContent, li.querySelector('.summary').textContent,\
               li.querySelectorAll('script, img:not(.flag), b').length, document.scripts.length, window.__pwned === undefined];",
        )
        .await;
        assert_eq!(
            shown,
            json!([
                ARTICLES[7].3,
                ARTICLES[7].5,
                0,
                scripts,
                true
            ])
        );
        assert!(
            client.get_alert_text().await.is_err(),
            "no alert is open"
        );

        // Keyboard: from the words field, Tab reaches the facets.
        let q = client.find(Locator::Id("search-q")).await.unwrap();
        q.send_keys(&Key::Tab.to_string()).await.unwrap();
        assert_eq!(
            js(&client, "return document.activeElement.id;").await,
            "search-country"
        );

        // Phone width, light and dark: no sideways scrolling, no serious
        // accessibility problems.
        open(&client, &format!("{page}?q=pakis")).await;
        expect_results(&client, "pakis again", &[1, 9, 12, 19, 3, 4, 24, 2]).await;
        assert!(
            !horizontal_overflow(&client, 390).await,
            "the search page scrolls sideways at 390 px"
        );
        if axe_source().is_some() {
            for scheme in ["light", "dark"] {
                emulate_color_scheme(&client, scheme).await;
                let found = axe_check(&client).await.unwrap();
                let list: Vec<String> = found.iter().map(|v| v.to_string()).collect();
                assert!(list.is_empty(), "axe ({scheme}):\n{}", list.join("\n"));
            }
        }
        let errors = console_errors(&client).await;
        assert!(errors.is_empty(), "console errors: {errors:#?}");

        // An index that cannot be had: said in the status line.
        client
            .goto(&format!("{base}broken/search/index.html"))
            .await
            .unwrap();
        wait_until("the failure shows", || async {
            state(&client).await == "error"
        })
        .await;
        assert_eq!(
            status(&client).await,
            "Search is unavailable: its index could not be loaded (HTTP 404). Reload the page; if it keeps failing, the site's search/ folder may be missing from the server."
        );
        let errors = console_errors(&client).await;
        assert!(
            errors.len() == 1 && errors[0].contains("broken/search/index.json"),
            "{errors:#?}"
        );
        client.close().await;
        server.abort();
    });
}

//! The sample digest in a real headless Chromium, served from loopback by
//! `milbrief serve`: search finds a country's articles and a facet narrows
//! them; the coverage map links each country to its page; the main pages
//! have no console errors, no sideways scrolling at phone and desktop
//! widths, and no serious or critical axe-core violations in light or dark.
//!
//! Needs `chromium` and `chromedriver`, and axe-core in `target/axe/` for
//! the accessibility part (`scripts/install-browser.sh` installs them all);
//! without them the test, or that part, prints a notice and skips.

use std::net::TcpListener;

use crate::common::browser::{
    axe_violations, browser_tools, console_errors, emulate_color_scheme, follow,
    horizontal_overflow, wait_until,
};
use crate::common::*;
use fantoccini::{Client, Locator};
use milbrief::BuildOptions;
use milbrief::Server;

/// Number of results the search page lists.
async fn result_count(client: &Client) -> usize {
    client
        .find_all(Locator::Css("#search-results > li"))
        .await
        .unwrap()
        .len()
}

async fn search_ready(client: &Client) {
    wait_until("the search index loads", || async {
        client
            .execute(
                "return document.getElementById('search').dataset.state;",
                vec![],
            )
            .await
            .is_ok_and(|s| s == "done" || s == "ready")
    })
    .await;
}

#[test]
fn the_digest_in_a_browser() {
    let Some(tools) = browser_tools("the digest browser test") else {
        return;
    };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/", listener.local_addr().unwrap());
    let server = Server::start(
        BuildOptions {
            base_url: Some(base.clone()),
            ..BuildOptions::new(repo_root())
        },
        listener,
    )
    .unwrap();
    let (site, _) = build_in_memory(&BuildOptions::new(repo_root()));
    let latest_edition = {
        let (d, _) = site.by_edition.iter().next_back().unwrap();
        milbrief::edition_slug(*d, &site.config)
    };

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let client = tools.start().await;
        let _ = console_errors(&client).await;

        // Search for a country by name: its articles come back; a topic
        // facet narrows them.
        let pk = site
            .by_country
            .get(&milbrief::CountryCode::new("PK").unwrap())
            .unwrap()
            .len();
        client.goto(&format!("{base}search/")).await.unwrap();
        search_ready(&client).await;
        let q = client.find(Locator::Css("#search-q")).await.unwrap();
        q.send_keys("Pakistan").await.unwrap();
        wait_until("results for Pakistan", || async {
            result_count(&client).await >= pk
        })
        .await;
        let all = result_count(&client).await;
        let titles = client
            .find_all(Locator::Css("#search-results .card-title a"))
            .await
            .unwrap();
        assert!(!titles.is_empty());
        // Every article tagged Pakistan is among the results.
        let mut hrefs = Vec::new();
        for t in &titles {
            hrefs.push(t.attr("href").await.unwrap().unwrap_or_default());
        }
        for &i in &site.by_country[&milbrief::CountryCode::new("PK").unwrap()] {
            let slug = &site.articles[i].slug;
            assert!(
                hrefs.iter().any(|h| h.contains(&format!("articles/{slug}/"))),
                "{slug} missing from the results for Pakistan"
            );
        }
        // The topic facet lists counts for the current results; pick one
        // that holds fewer than all of them.
        let options: Vec<(String, String)> = serde_json::from_value(
            client
                .execute(
                    "return [...document.querySelectorAll('#search-topic option')]
                        .filter(o => o.value && !o.disabled && !o.hidden)
                        .map(o => [o.value, o.textContent]);",
                    vec![],
                )
                .await
                .unwrap(),
        )
        .unwrap();
        let narrower = options
            .iter()
            .find(|(_, label)| {
                label
                    .rsplit('(')
                    .next()
                    .and_then(|n| n.trim_end_matches(')').parse::<usize>().ok())
                    .is_some_and(|n| n > 0 && n < all)
            })
            .expect("a topic facet narrower than all results")
            .0
            .clone();
        client
            .find(Locator::Css("#search-topic"))
            .await
            .unwrap()
            .select_by_value(&narrower)
            .await
            .unwrap();
        wait_until("the facet narrows the results", || async {
            let n = result_count(&client).await;
            n > 0 && n < all
        })
        .await;
        let url = client.current_url().await.unwrap();
        assert!(url.query().unwrap_or_default().contains(&format!("topic={narrower}")));
        let errors = console_errors(&client).await;
        assert!(errors.is_empty(), "search page: {errors:?}");

        // The coverage map: every country with articles is a link, and
        // following one lands on its page.
        client.goto(&format!("{base}countries/")).await.unwrap();
        let links = client
            .find_all(Locator::Css("figure.map svg a"))
            .await
            .unwrap();
        assert!(
            links.len() >= site.by_country.len() * 9 / 10,
            "{} map links for {} countries",
            links.len(),
            site.by_country.len()
        );
        let target = client
            .find(Locator::Css("figure.map svg a[href*='countries/pk/']"))
            .await
            .expect("Pakistan is on the map");
        let visible: bool = client
            .execute(
                "const r = document.querySelector(\"figure.map svg a[href*='countries/pk/']\").getBoundingClientRect();
                 return r.width > 0 && r.height > 0;",
                vec![],
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap();
        assert!(visible, "Pakistan's shape is drawn");
        // Reachable from the keyboard: the link takes focus.
        let focused: bool = client
            .execute(
                "const a = document.querySelector(\"figure.map svg a[href*='countries/pk/']\");
                 a.focus(); return document.activeElement === a;",
                vec![],
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap();
        assert!(focused, "map links are focusable");
        let h1 = follow(&client, target, "/countries/pk/").await;
        assert!(h1.contains("Pakistan"), "{h1}");

        // Layout, console and accessibility on the main kinds of page.
        let pages = [
            String::new(),
            "articles/pakistan-russia-druzhba-vii/".to_string(),
            "countries/pk/".to_string(),
            format!("editions/{latest_edition}/"),
            "editions/2023-w42/".to_string(),
            "countries/".to_string(),
            "relations/pk-ru/".to_string(),
            "search/?q=russia".to_string(),
        ];
        for scheme in ["light", "dark"] {
            emulate_color_scheme(&client, scheme).await;
            for p in &pages {
                let url = format!("{base}{p}");
                for width in [390, 1280] {
                    client.goto(&url).await.unwrap();
                    assert!(
                        !horizontal_overflow(&client, width).await,
                        "/{p} scrolls sideways at {width} px"
                    );
                }
                if let Some(v) = axe_violations(&client, &url).await {
                    assert!(
                        v.is_empty(),
                        "/{p} ({scheme}):\n{}",
                        v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("\n")
                    );
                }
                let errors = console_errors(&client).await;
                assert!(errors.is_empty(), "/{p}: {errors:?}");
            }
        }
        client.close().await;
    });
    server.stop();
}

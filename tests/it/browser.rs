//! End to end in a real headless Chromium, driven over WebDriver: open the
//! front page, click a country chip, land on the country page; edit an
//! article on disk and watch the open page update by itself.
//!
//! Needs `chromium` and `chromedriver` (Debian: chromium, chromium-driver;
//! `.ci/run` installs them). Where they are missing the test prints a notice
//! and passes without running.

use std::net::TcpListener;
use std::time::Duration;

use crate::common::browser::{browser_tools, follow, wait_until};
use crate::common::*;
use fantoccini::Locator;
use milbrief::BuildOptions;
use milbrief::Server;

#[test]
fn click_a_country_chip_and_watch_an_edit_arrive() {
    let Some(tools) = browser_tools("the browser test") else {
        return;
    };

    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}/");
    let server = Server::start(
        BuildOptions {
            base_url: Some(base.clone()),
            ..BuildOptions::new(dir.path())
        },
        listener,
    )
    .unwrap();

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let client = tools.start().await;

        // Front page → a country tag of a compact line → the country page.
        client.goto(&base).await.unwrap();
        let chip = client
            .find(Locator::Css(".line a.tag.country"))
            .await
            .unwrap();
        let name = chip.text().await.unwrap();
        let h1 = follow(&client, chip, "/countries/").await;
        let country = name.trim_start_matches(|c: char| !c.is_alphabetic()).trim();
        assert!(
            h1.contains(country),
            "country page {h1:?} for chip {name:?}"
        );

        // An open article updates itself after an edit on disk.
        client
            .goto(&format!("{base}articles/tank-deal/"))
            .await
            .unwrap();
        let before = client
            .find(Locator::Css("h1"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(before, "Poland signs tank deal");
        // Give the page a moment to open its event stream.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let file = dir.path().join("content/2023-10-03-tank-deal.md");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(
            &file,
            text.replace("Poland signs tank deal", "Poland signs bigger tank deal"),
        )
        .unwrap();
        wait_until("the edited title shows", || async {
            match client.find(Locator::Css("h1")).await {
                Ok(h) => h.text().await.unwrap_or_default() == "Poland signs bigger tank deal",
                Err(_) => false,
            }
        })
        .await;
        client.close().await;
    });
    server.stop();
}

//! End to end in a real headless Chromium, driven over WebDriver: open the
//! front page, click a country chip, land on the country page; edit an
//! article on disk and watch the open page update by itself.
//!
//! Needs `chromium` and `chromedriver` (Debian: chromium, chromium-driver;
//! `.ci/run` installs them). Where they are missing the test prints a notice
//! and passes without running.

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use fantoccini::{ClientBuilder, Locator};
use milbrief::BuildOptions;
use milbrief::serve::Server;

fn find(names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| {
        let out = Command::new("sh")
            .args(["-c", &format!("command -v {n}")])
            .output()
            .ok()?;
        let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (!p.is_empty()).then_some(p)
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn click_a_country_chip_and_watch_an_edit_arrive() {
    let (Some(driver), Some(browser)) = (
        find(&["chromedriver"]),
        find(&["chromium", "chromium-browser", "google-chrome"]),
    ) else {
        eprintln!("notice: skipping the browser test: chromium and chromedriver are not installed");
        return;
    };
    let port = free_port();
    let _driver = Driver(
        Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );

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

    let profile = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": browser,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let webdriver = format!("http://127.0.0.1:{port}");
        // chromedriver needs a moment to listen.
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&webdriver)
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("cannot start a Chromium session: {e}"),
            }
        };

        // Front page → a country chip → the country page.
        client.goto(&base).await.unwrap();
        let chip = client.find(Locator::Css("a.chip.country")).await.unwrap();
        let name = chip.text().await.unwrap();
        chip.click().await.unwrap();
        wait_until(|| async {
            client
                .current_url()
                .await
                .unwrap()
                .path()
                .starts_with("/countries/")
        })
        .await;
        let h1 = client
            .find(Locator::Css("h1"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
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
        wait_until(|| async {
            match client.find(Locator::Css("h1")).await {
                Ok(h) => h.text().await.unwrap_or_default() == "Poland signs bigger tank deal",
                Err(_) => false,
            }
        })
        .await;
        client.close().await.unwrap();
    });
    server.stop();
}

async fn wait_until<F, Fut>(mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("condition not met within 20 s");
}

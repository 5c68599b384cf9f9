//! Headless Chromium over WebDriver, for the browser tests: starting a
//! session, waiting for a condition, and page checks (axe-core, console
//! errors, horizontal overflow).
//!
//! Needs `chromium` and `chromedriver` (Debian: chromium, chromium-driver);
//! `scripts/install-browser.sh` installs them and fetches axe-core into
//! `target/axe/`. Where they are missing, [`browser_tools`] prints a notice
//! and the test passes without running.

use std::fmt;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::ops::Deref;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value as Json, json};

/// How long [`wait_until`] waits before failing the test.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Where `scripts/install-browser.sh` puts axe-core.
pub fn axe_path() -> PathBuf {
    super::repo_root().join("target/axe/axe.min.js")
}

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn which(names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| {
        let out = Command::new("sh")
            .args(["-c", &format!("command -v {n}")])
            .output()
            .ok()?;
        let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (!p.is_empty()).then_some(p)
    })
}

/// The chromedriver and Chromium binaries found on `PATH`.
pub struct BrowserTools {
    pub driver: String,
    pub browser: String,
}

/// The browser tools, or `None` after printing a notice that the test named
/// `what` is skipped.
pub fn browser_tools(what: &str) -> Option<BrowserTools> {
    match (
        which(&["chromedriver"]),
        which(&["chromium", "chromium-browser", "google-chrome"]),
    ) {
        (Some(driver), Some(browser)) => Some(BrowserTools { driver, browser }),
        _ => {
            eprintln!(
                "notice: skipping {what}: chromium and chromedriver are not installed \
                 (scripts/install-browser.sh installs them)"
            );
            None
        }
    }
}

impl BrowserTools {
    /// Starts chromedriver on a free loopback port and a headless Chromium
    /// session (1280×1000, browser log recorded for [`console_errors`]).
    /// Panics when the session cannot be had within [`DEADLINE`].
    pub async fn start(&self) -> Browser {
        let port = free_port();
        let driver = Command::new(&self.driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": self.browser,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let mut browser = Browser {
            client: None,
            driver,
            port,
            session: None,
            _profile: profile,
        };
        let webdriver = format!("http://127.0.0.1:{port}");
        // chromedriver needs a moment to listen.
        let deadline = Instant::now() + DEADLINE;
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&webdriver)
                .await
            {
                Ok(c) => break c,
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("cannot start a Chromium session: {e}"),
            }
        };
        browser.session = client.session_id().await.ok().flatten();
        browser.client = Some(client);
        browser
    }
}

/// A chromedriver process and its Chromium session; derefs to the
/// WebDriver [`Client`]. Call [`Browser::close`] at the end of a test; if
/// the test panics first, dropping it ends the session and the driver, so
/// no Chromium is left running.
pub struct Browser {
    client: Option<Client>,
    driver: Child,
    port: u16,
    session: Option<String>,
    _profile: tempfile::TempDir,
}

impl Deref for Browser {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client.as_ref().expect("an open session")
    }
}

impl Browser {
    /// Ends the session (Chromium quits) and then chromedriver.
    pub async fn close(mut self) {
        if let Some(c) = self.client.take() {
            c.close().await.expect("the session closes");
        }
        self.session = None;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(id) = self.session.take() {
            // Blocking on purpose: this also runs while a test unwinds, when
            // the async runtime may be gone. Deleting the session makes
            // chromedriver quit Chromium, which killing the driver does not.
            let _ = (|| -> std::io::Result<()> {
                let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
                s.set_read_timeout(Some(Duration::from_secs(10)))?;
                write!(
                    s,
                    "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\
                     Content-Length: 0\r\nConnection: close\r\n\r\n",
                    self.port
                )?;
                let mut sink = Vec::new();
                s.read_to_end(&mut sink).map(drop)
            })();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Polls `check` every 100 ms until it holds; panics naming `what` after
/// [`DEADLINE`].
pub async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + DEADLINE;
    while Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: not so within {} s", DEADLINE.as_secs());
}

/// Clicks `link`, waits until the page's path starts with `prefix`, and
/// returns the text of the new page's `h1`.
pub async fn follow(client: &Client, link: fantoccini::elements::Element, prefix: &str) -> String {
    link.click().await.unwrap();
    wait_until(&format!("a page under {prefix} opens"), || async {
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with(prefix)
    })
    .await;
    client
        .find(fantoccini::Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A chromedriver extension command: `POST /session/{id}/{path}`.
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: Json,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Runs a Chrome DevTools Protocol command through chromedriver.
pub async fn cdp(client: &Client, cmd: &str, params: Json) -> Json {
    client
        .issue_cmd(SessionPost {
            path: "goog/cdp/execute",
            body: json!({ "cmd": cmd, "params": params }),
        })
        .await
        .unwrap_or_else(|e| panic!("DevTools command {cmd}: {e}"))
}

/// Makes pages match `(prefers-color-scheme: <scheme>)`, "light" or "dark".
pub async fn emulate_color_scheme(client: &Client, scheme: &str) {
    cdp(
        client,
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
    )
    .await;
}

/// Errors the browser logged since the last call (or the session's start):
/// uncaught exceptions, `console.error`, failed loads, security errors. A
/// missing `/favicon.ico`, which Chromium asks for by itself, is left out.
pub async fn console_errors(client: &Client) -> Vec<String> {
    let log = client
        .issue_cmd(SessionPost {
            path: "se/log",
            body: json!({ "type": "browser" }),
        })
        .await
        .expect("chromedriver serves the browser log");
    log.as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .filter(|m| !m.contains("/favicon.ico"))
        .collect()
}

/// Whether the page scrolls sideways in a viewport `width` CSS pixels wide.
/// Resizes the window (and leaves it so).
pub async fn horizontal_overflow(client: &Client, width: u32) -> bool {
    let inner = || async {
        client
            .execute("return window.innerWidth;", vec![])
            .await
            .unwrap()
            .as_u64()
            .unwrap() as u32
    };
    let (_, height) = client.get_window_size().await.unwrap();
    client.set_window_size(width, height as u32).await.unwrap();
    // The window may be wider than its viewport (scroll bars, frame).
    let extra = inner().await.abs_diff(width);
    if extra > 0 {
        let (w, _) = client.get_window_size().await.unwrap();
        let w = if inner().await < width {
            w as u32 + extra
        } else {
            w as u32 - extra
        };
        client.set_window_size(w, height as u32).await.unwrap();
    }
    assert_eq!(inner().await, width, "viewport width");
    let sizes = client
        .execute(
            "const d = document.documentElement; return [d.scrollWidth, d.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    sizes[0].as_u64().unwrap() > sizes[1].as_u64().unwrap()
}

/// One rule that axe-core found broken on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AxeViolation {
    pub id: String,
    /// "serious" or "critical" (the others are not reported).
    pub impact: String,
    pub help: String,
    /// CSS selectors of the offending elements.
    pub nodes: Vec<String>,
}

impl fmt::Display for AxeViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {} — {}",
            self.id,
            self.impact,
            self.help,
            self.nodes.join(", ")
        )
    }
}

/// axe-core's source, or `None` after printing a notice that the
/// accessibility check is skipped.
pub fn axe_source() -> Option<String> {
    let path = axe_path();
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) => {
            eprintln!(
                "notice: skipping the accessibility check: target/axe/axe.min.js is missing \
                 (scripts/install-browser.sh fetches it)"
            );
            None
        }
    }
}

/// Runs axe-core on the page as it is now; the serious and critical
/// violations, or `None` (with a notice) when axe-core is not installed.
pub async fn axe_check(client: &Client) -> Option<Vec<AxeViolation>> {
    let source = axe_source()?;
    Some(run_axe(client, &source).await)
}

async fn run_axe(client: &Client, source: &str) -> Vec<AxeViolation> {
    client
        .execute(source, vec![])
        .await
        .expect("axe-core loads");
    let found = client
        .execute(
            "return axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations\
               .filter(v => v.impact === 'serious' || v.impact === 'critical')\
               .map(v => ({ id: v.id, impact: v.impact, help: v.help,\
                 nodes: v.nodes.map(n => n.target.join(' ')) })));",
            vec![],
        )
        .await
        .expect("axe-core runs");
    let text = |v: &Json| v.as_str().unwrap_or_default().to_string();
    found
        .as_array()
        .expect("a list of violations")
        .iter()
        .map(|v| AxeViolation {
            id: text(&v["id"]),
            impact: text(&v["impact"]),
            help: text(&v["help"]),
            nodes: v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(text)
                .collect(),
        })
        .collect()
}

/// Opens `page_url`, waits for it to finish loading and runs
/// [`axe_check`] on it.
pub async fn axe_violations(client: &Client, page_url: &str) -> Option<Vec<AxeViolation>> {
    let source = axe_source()?;
    client.goto(page_url).await.unwrap();
    wait_until("the page loads", || async {
        client
            .execute("return document.readyState;", vec![])
            .await
            .is_ok_and(|s| s == "complete")
    })
    .await;
    Some(run_axe(client, &source).await)
}

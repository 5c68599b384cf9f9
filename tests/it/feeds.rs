//! `milbrief import --feeds` and feeds on the command line, against a
//! loopback HTTP server the tests start (no test touches the internet):
//! RSS 2.0, Atom and JSON Feed; a malformed feed, a redirect loop, a slow
//! server, a 304, a 429 with Retry-After, an oversized response; items
//! whose pages are fetched, one of which is a 404.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;

use crate::common::fixture;

/// One request the server received.
#[derive(Clone, Debug)]
struct Req {
    path: String,
    headers: Vec<(String, String)>,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn conditional(&self) -> bool {
        self.header("if-none-match").is_some() || self.header("if-modified-since").is_some()
    }
}

struct Resp {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// Leave out Content-Length: the body ends when the connection closes.
    no_length: bool,
    delay: Duration,
}

fn resp(status: u16, ctype: &str, body: impl Into<Vec<u8>>) -> Resp {
    Resp {
        status,
        headers: vec![("Content-Type", ctype.to_string())],
        body: body.into(),
        no_length: false,
        delay: Duration::ZERO,
    }
}

/// A loopback HTTP/1.1 server: one thread per connection, one request per
/// connection, every request logged.
struct Server {
    base: String,
    log: Arc<Mutex<Vec<Req>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let (b, l) = (base.clone(), log.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (b, l) = (b.clone(), l.clone());
                std::thread::spawn(move || serve(stream, &b, &l));
            }
        });
        Server { base, log }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }

    fn clear(&self) {
        self.log.lock().unwrap().clear();
    }
}

fn serve(stream: TcpStream, base: &str, log: &Mutex<Vec<Req>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let req = Req { path, headers };
    let nth = {
        let mut l = log.lock().unwrap();
        l.push(req.clone());
        l.iter().filter(|r| r.path == req.path).count()
    };
    let r = route(&req, nth, base);
    std::thread::sleep(r.delay);
    let mut out = stream;
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", r.status);
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !r.no_length {
        head.push_str(&format!("Content-Length: {}\r\n", r.body.len()));
    }
    head.push_str("\r\n");
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&r.body);
    let _ = out.flush();
}

fn fixture_text(name: &str, base: &str) -> String {
    std::fs::read_to_string(fixture("feeds").join(name))
        .unwrap()
        .replace("{base}", base)
}

/// A feed answer with validators, or 304 when the request carries them.
fn validated(
    req: &Req,
    etag: Option<&str>,
    modified: Option<&str>,
    ctype: &str,
    body: String,
) -> Resp {
    let etag_ok = etag.is_some() && req.header("if-none-match") == etag;
    let mod_ok = modified.is_some() && req.header("if-modified-since") == modified;
    if etag_ok || (etag.is_none() && mod_ok) {
        return resp(304, ctype, Vec::new());
    }
    let mut r = resp(200, ctype, body);
    if let Some(e) = etag {
        r.headers.push(("ETag", e.to_string()));
    }
    if let Some(m) = modified {
        r.headers.push(("Last-Modified", m.to_string()));
    }
    r
}

const MODIFIED: &str = "Tue, 12 Mar 2024 12:00:00 GMT";

fn route(req: &Req, nth: usize, base: &str) -> Resp {
    let path = req.path.as_str();
    match path {
        "/rss.xml" => validated(
            req,
            Some("\"rss-1\""),
            Some(MODIFIED),
            "application/rss+xml",
            fixture_text("rss.xml", base),
        ),
        "/atom.xml" => validated(
            req,
            None,
            Some(MODIFIED),
            "application/atom+xml",
            fixture_text("atom.xml", base),
        ),
        "/feed.json" => validated(
            req,
            Some("W/\"json-1\""),
            None,
            "application/feed+json",
            fixture_text("feed.json", base),
        ),
        "/articles.xml" => validated(
            req,
            Some("\"articles-1\""),
            None,
            "application/rss+xml",
            fixture_text("articles.xml", base),
        ),
        "/articles/tank-deal.html" => resp(
            200,
            "text/html; charset=utf-8",
            fixture_text("tank-deal.html", base),
        ),
        "/broken.xml" => resp(200, "application/rss+xml", fixture_text("broken.xml", base)),
        "/error-page" => resp(
            200,
            "text/html",
            "<!DOCTYPE html><html><head><title>Oops</title></head><body><p>Something went wrong.</p></body></html>",
        ),
        "/loop-a" | "/loop-b" => {
            let to = if path == "/loop-a" {
                "/loop-b"
            } else {
                "/loop-a"
            };
            let mut r = resp(302, "text/plain", Vec::new());
            r.headers.push(("Location", to.to_string()));
            r
        }
        "/moved.xml" => {
            let mut r = resp(301, "text/plain", Vec::new());
            r.headers.push(("Location", format!("{base}/atom.xml")));
            r
        }
        "/slow.xml" => {
            let mut r = resp(200, "application/rss+xml", fixture_text("rss.xml", base));
            r.delay = Duration::from_secs(3);
            r
        }
        "/limited.xml" if nth == 1 => {
            let mut r = resp(429, "text/plain", "slow down");
            r.headers.push(("Retry-After", "1".to_string()));
            r
        }
        "/limited.xml" => resp(
            200,
            "application/feed+json",
            fixture_text("feed.json", base),
        ),
        "/huge.xml" => {
            let mut body =
                b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Huge</title>"
                    .to_vec();
            body.extend(std::iter::repeat_n(b' ', 200 * 1024));
            let mut r = resp(200, "application/rss+xml", body);
            r.no_length = true;
            r
        }
        _ => resp(404, "text/html", "<html><body>Not found</body></html>"),
    }
}

/// A site whose config.toml holds `feeds` and short timeouts.
fn site(feeds: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let config = format!(
        "title = \"Feeds test\"\n\n[fetch]\ntimeout = 1\nconnect_timeout = 1\nmax_mb = 0.05\nper_host_per_second = 1000\nretries = 2\nmax_wait = 5\nmax_redirects = 3\nconcurrency = 3\n\n{feeds}"
    );
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    dir
}

fn feed(url: &str, extra: &str) -> String {
    format!("[[feed]]\nurl = \"{url}\"\n{extra}\n")
}

fn import(site: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("milbrief")
        .unwrap()
        .arg("import")
        .arg("--root")
        .arg(site)
        .args(args)
        .output()
        .unwrap()
}

fn out(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file under a directory: relative path → bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The written articles: file name → front matter and body.
fn articles(site: &Path) -> BTreeMap<String, (toml::Table, String)> {
    let mut m = BTreeMap::new();
    for e in std::fs::read_dir(site.join("content")).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let (fm, body) = milbrief::split_front_matter(&text).unwrap();
        let fm: toml::Table = toml::from_str(fm.unwrap().0).unwrap();
        m.insert(
            p.file_name().unwrap().to_string_lossy().into_owned(),
            (fm, body.trim().to_string()),
        );
    }
    m
}

#[test]
fn feeds_import_and_a_second_run_asks_only_whether_they_changed() {
    let srv = Server::start();
    let feeds = [
        feed(
            &srv.url("/rss.xml"),
            "source = \"Harbour Desk\"\nexclude = [\"sponsored\"]",
        ),
        feed(&srv.url("/atom.xml"), "name = \"Sahel\""),
        feed(&srv.url("/feed.json"), ""),
    ]
    .concat();
    let dir = site(&feeds);
    let o = import(dir.path(), &["--feeds"]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    let a = articles(dir.path());
    let names: Vec<&str> = a.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "2024-01-03-old-story-latvia-opens-a-new-training-range.md",
            "2024-03-10-japan-launches-a-new-destroyer.md",
            "2024-03-11-australia-picks-a-site-for-a-new-submarine-base.md",
            "2024-03-11-chad-hosts-a-regional-counter-terrorism-meeting.md",
            "2024-03-11-navy-tests-a-new-patrol-drone-over-the-baltic-sea.md",
            "2024-03-12-estonia-orders-coastal-missile-batteries.md",
            "2024-03-12-mali-and-niger-agree-on-a-joint-border-force.md",
        ],
        "{text}"
    );
    assert!(
        text.contains(
            "skipped https://harbour-desk.example/sponsored/boots: excluded: says \"sponsored\""
        ),
        "{text}"
    );
    assert!(
        text.contains("items: 7 new, 0 duplicate, 1 skipped, 0 failed"),
        "{text}"
    );

    // RSS content:encoded becomes Markdown without scripts or relative links.
    let (fm, body) = &a["2024-03-12-estonia-orders-coastal-missile-batteries.md"];
    assert_eq!(fm["source"].as_str(), Some("Harbour Desk"));
    assert_eq!(fm["author"].as_str(), Some("Kai Tamm"));
    assert_eq!(
        fm["url"].as_str(),
        Some("https://harbour-desk.example/defence/estonia-coastal-missiles")
    );
    assert_eq!(fm["dateline"].as_str(), Some("Tallinn"));
    assert!(
        fm["countries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_str() == Some("EE")),
        "{fm:?}"
    );
    assert!(body.starts_with("TALLINN: Estonia"), "{body}");
    assert!(
        !body.contains("track()") && !body.contains("/relative"),
        "{body}"
    );
    assert!(
        body.contains("[allied navies](https://allies.example/)"),
        "{body}"
    );
    // Atom HTML titles are text; the JSON Feed's title names a known source.
    let (fm, _) = &a["2024-03-12-mali-and-niger-agree-on-a-joint-border-force.md"];
    assert_eq!(
        fm["title"].as_str(),
        Some("Mali and Niger agree on a joint border force")
    );
    let (fm, _) = &a["2024-03-11-australia-picks-a-site-for-a-new-submarine-base.md"];
    assert_eq!(fm["source"].as_str(), Some("Breaking Defense"));
    let (fm, body) = &a["2024-03-10-japan-launches-a-new-destroyer.md"];
    assert!(fm.get("summary").is_none());
    assert_eq!(
        body,
        "Japan launched a new destroyer at a shipyard in Nagasaki."
    );

    // Every request named milbrief.
    for r in srv.requests() {
        assert!(
            r.header("user-agent")
                .is_some_and(|u| u.starts_with("milbrief/")),
            "{r:?}"
        );
    }
    let state = dir.path().join(".milbrief/feeds.json");
    assert!(state.is_file());

    // The second run: only conditional requests, all answered 304, and
    // nothing written (the state file neither).
    let before = snapshot(dir.path());
    let mtime = std::fs::metadata(&state).unwrap().modified().unwrap();
    srv.clear();
    let o = import(dir.path(), &["--feeds"]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 3, "{reqs:?}");
    assert!(reqs.iter().all(Req::conditional), "{reqs:?}");
    assert!(
        text.contains("3 requests (3 conditional, 3 not modified, 0 retried)"),
        "{text}"
    );
    assert!(text.contains("0 articles imported"), "{text}");
    assert_eq!(snapshot(dir.path()), before);
    assert_eq!(
        std::fs::metadata(&state).unwrap().modified().unwrap(),
        mtime
    );
}

#[test]
fn a_changed_feed_gives_only_its_new_items() {
    let srv = Server::start();
    let dir = site(&feed(&srv.url("/articles.xml"), ""));
    // The first run takes the items from the feed's own text.
    let o = import(dir.path(), &["--feeds"]);
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(articles(dir.path()).len(), 3);
    // The validators are forgotten (as if the feed had changed): the feed
    // is read again, in full, and every item is known.
    let state = dir.path().join(".milbrief/feeds.json");
    let s = std::fs::read_to_string(&state)
        .unwrap()
        .replace("\"etag\"", "\"etag_old\"");
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    let mut v = v;
    for f in v["feeds"].as_object_mut().unwrap().values_mut() {
        f.as_object_mut().unwrap().remove("etag_old");
    }
    std::fs::write(&state, serde_json::to_string(&v).unwrap()).unwrap();
    srv.clear();
    let o = import(dir.path(), &["--feeds"]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert!(text.contains("3 items, 0 not seen before"), "{text}");
    assert!(text.contains("0 new"), "{text}");
    assert_eq!(srv.requests().len(), 1);
}

#[test]
fn articles_are_fetched_and_a_missing_page_is_tried_again() {
    let srv = Server::start();
    let dir = site(&feed(&srv.url("/articles.xml"), "fetch_articles = true"));
    let o = import(dir.path(), &["--feeds"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    let a = articles(dir.path());
    assert_eq!(a.len(), 1, "{text}");
    let (fm, body) = &a["2024-03-12-poland-signs-a-deal-for-more-tanks.md"];
    assert!(
        body.starts_with("WARSAW: Poland's defence ministry"),
        "{body}"
    );
    assert!(
        !body.contains("Home") && !body.contains("Copyright"),
        "{body}"
    );
    assert_eq!(fm["source"].as_str(), Some("Vistula Defence Review"));
    assert_eq!(
        fm["url"].as_str(),
        Some(srv.url("/articles/tank-deal.html").as_str())
    );
    assert!(
        text.contains(&format!(
            "error {}: cannot fetch the article: HTTP 404 Not Found",
            srv.url("/articles/gone.html")
        )),
        "{text}"
    );
    assert!(
        text.contains(
            "item \"An item without a link\": the item has no link to fetch its article from"
        ),
        "{text}"
    );
    assert!(
        text.contains("1 new, 0 duplicate, 0 skipped, 2 failed"),
        "{text}"
    );

    // The next run reads the feed in full (an item failed), fetches
    // neither the feed's imported article nor anything twice, and tries
    // the missing page again.
    srv.clear();
    let o = import(dir.path(), &["--feeds"]);
    assert_eq!(o.status.code(), Some(1));
    let paths: Vec<String> = srv.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/articles.xml", "/articles/gone.html"]);
    assert_eq!(articles(dir.path()).len(), 1);
}

#[test]
fn bad_feeds_are_reported_by_url_and_reason_and_the_others_import() {
    let srv = Server::start();
    let bad = [
        ("/broken.xml", "not a valid feed"),
        ("/error-page", "an HTML page, not a feed"),
        ("/missing.xml", "HTTP 404 Not Found"),
        ("/loop-a", "redirect loop"),
        ("/slow.xml", "timed out"),
        ("/huge.xml", "larger than"),
    ];
    let mut feeds: String = bad.iter().map(|(p, _)| feed(&srv.url(p), "")).collect();
    feeds.push_str(&feed(&srv.url("/moved.xml"), ""));
    let dir = site(&feeds);
    let o = import(dir.path(), &["--feeds"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    for (p, reason) in bad {
        let line = stderr
            .lines()
            .find(|l| l.starts_with(&format!("error feed {}:", srv.url(p))))
            .unwrap_or_else(|| panic!("no error line for {p}: {stderr}"));
        assert!(line.contains(reason), "{line}");
    }
    // The feed behind a redirect imported.
    assert_eq!(articles(dir.path()).len(), 2, "{text}");
    assert!(text.contains("6 failed; items: 2 new"), "{text}");
    // The state remembers the good feed only.
    let state = std::fs::read_to_string(dir.path().join(".milbrief/feeds.json")).unwrap();
    assert!(
        state.contains("/moved.xml") && !state.contains("/broken.xml"),
        "{state}"
    );
}

#[test]
fn too_many_requests_waits_as_asked_and_retries() {
    let srv = Server::start();
    let dir = site(&feed(&srv.url("/limited.xml"), ""));
    let o = import(dir.path(), &["--feeds"]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert_eq!(srv.requests().len(), 2);
    assert!(
        text.contains("(0 conditional, 0 not modified, 1 retried)"),
        "{text}"
    );
    assert_eq!(articles(dir.path()).len(), 2);
}

#[test]
fn dry_run_since_and_duplicates() {
    let srv = Server::start();
    let dir = site(&feed(&srv.url("/rss.xml"), ""));
    let o = import(dir.path(), &["--feeds", "--dry-run"]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert!(
        text.contains("would import https://harbour-desk.example/defence/patrol-drone"),
        "{text}"
    );
    assert!(articles(dir.path()).is_empty());
    assert!(!dir.path().join(".milbrief").exists());

    // One story already in content/ by URL, one by its text.
    std::fs::write(
        dir.path().join("content/2024-03-11-drone.md"),
        "+++\ntitle = \"Drone\"\nurl = \"https://harbour-desk.example/defence/patrol-drone/\"\n+++\n\nText.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/2024-03-12-batteries.md"),
        "+++\ntitle = \"Coastal batteries for Estonia\"\n+++\n\nTALLINN: Estonia's defence ministry signed a contract on Tuesday for two more coastal missile batteries, officials said.\n\nThe batteries will guard the approaches to the capital and the islands, and the first is due next year.\n\nOfficials said training of the crews would begin this summer, with help from allied navies.\n",
    )
    .unwrap();
    let o = import(dir.path(), &["--feeds", "--since", "2024-03-01"]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert!(text.contains("patrol-drone: duplicate of"), "{text}");
    assert!(
        text.contains("estonia-coastal-missiles: near copy of"),
        "{text}"
    );
    assert!(
        text.contains("latvia-range: dated 2024-01-03, before --since 2024-03-01"),
        "{text}"
    );
    assert!(
        text.contains("items: 1 new, 2 duplicate, 1 skipped, 0 failed"),
        "{text}"
    );
}

#[test]
fn feeds_and_pages_named_on_the_command_line() {
    let srv = Server::start();
    let dir = site("");
    // A feed file is told by its content, whatever its name.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("saved-feed.txt");
    std::fs::copy(fixture("feeds/atom.xml"), &file).unwrap();
    let o = import(dir.path(), &[file.to_str().unwrap()]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert_eq!(articles(dir.path()).len(), 2, "{text}");
    // A feed URL, and an article page's URL.
    let o = import(
        dir.path(),
        &[&srv.url("/feed.json"), &srv.url("/articles/tank-deal.html")],
    );
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert_eq!(articles(dir.path()).len(), 5, "{text}");
    // --feeds with no [[feed]] says what to do.
    let o = import(dir.path(), &["--feeds"]);
    assert!(!o.status.success());
    assert!(out(&o).contains("add a [[feed]] table"), "{}", out(&o));
}

#[test]
fn check_warns_about_unknown_sources() {
    let dir = site("");
    std::fs::write(
        dir.path().join("content/2024-03-12-a.md"),
        "+++\ntitle = \"A\"\nsource = \"Reutres\"\n+++\n\nText.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/2024-03-12-b.md"),
        "+++\ntitle = \"B\"\nsource = \"Harbour Desk\"\n+++\n\nText.\n",
    )
    .unwrap();
    let o = Command::cargo_bin("milbrief")
        .unwrap()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = out(&o);
    assert!(
        text.contains("content/2024-03-12-a.md:3:10: warning[unknown-source]: source \"Reutres\" is not a known outlet; did you mean \"Reuters\"?"),
        "{text}"
    );
    // A site makes an outlet known with [[source]].
    let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "{config}\n[[source]]\nname = \"Harbour Desk\"\nkind = \"regional\"\ncountry = \"EE\"\n"
        ),
    )
    .unwrap();
    let o = Command::cargo_bin("milbrief")
        .unwrap()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = out(&o);
    assert!(
        text.contains("Reutres") && !text.contains("Harbour Desk"),
        "{text}"
    );
}

//! `milbrief serve` over real loopback HTTP: pages, types, 404, HEAD,
//! traversal attempts, live reload after edits and deletions, and the
//! error overlay with the last good site still served.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::*;
use milbrief::BuildOptions;
use milbrief::Server;

struct Reply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// One HTTP/1.1 request with the path sent exactly as given.
fn request(addr: SocketAddr, method: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        headers: head,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path)
}

/// Reads server-sent events on a background thread: (event, data) pairs.
fn listen(addr: SocketAddr) -> mpsc::Receiver<(String, String)> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /__milbrief/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        let mut event = String::new();
        let mut data = String::new();
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if let Some(e) = line.strip_prefix("event:") {
                event = e.trim().to_string();
            } else if let Some(d) = line.strip_prefix("data:") {
                if !data.is_empty() {
                    data.push('\n');
                }
                data.push_str(d.strip_prefix(' ').unwrap_or(d));
            } else if line.is_empty() && !event.is_empty() {
                if tx.send((event.clone(), data.clone())).is_err() {
                    break;
                }
                event.clear();
                data.clear();
            }
        }
    });
    rx
}

/// Waits for an event of the given name; returns its data.
fn wait_for(rx: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((e, d)) if e == name => return d,
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    panic!("no {name:?} event within 20 s");
}

fn start(root: &Path) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let opts = BuildOptions {
        base_url: Some(format!("http://{addr}/")),
        ..BuildOptions::new(root)
    };
    Server::start(opts, listener).unwrap()
}

fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    dir
}

/// Saves a file the way careful editors do: a temporary file renamed over
/// the old one, so the server never sees it half written.
fn rewrite(path: &Path, text: &str) {
    let name = path.file_name().unwrap().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Polls `check` until it holds; events can arrive before a late file
/// event triggers one more rebuild, so tests look at the served state.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what}: not within 20 s");
}

#[test]
fn pages_types_404_head_and_redirects() {
    let dir = site_copy();
    let server = start(dir.path());
    let addr = server.addr;

    let front = get(addr, "/");
    assert_eq!(front.status, 200);
    assert_eq!(
        front.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(
        front.text().contains("/__milbrief/events"),
        "live-reload script injected"
    );
    assert!(
        front.text().contains(&format!("http://{addr}/")),
        "canonical URLs point at the preview"
    );

    let css = get(addr, "/style.css");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert!(!css.text().contains("__milbrief"));

    let dir_url = get(addr, "/countries/jp/");
    assert_eq!(dir_url.status, 200);
    assert!(dir_url.text().contains("Navies of Japan"));
    let no_slash = get(addr, "/countries/jp");
    assert_eq!(no_slash.status, 301);
    assert_eq!(
        no_slash.header("location").as_deref(),
        Some("/countries/jp/")
    );
    // A doubled slash is a path on this host, never a redirect to another.
    for path in ["//countries/jp", "//countries//jp"] {
        let r = get(addr, path);
        assert_eq!(r.status, 301, "{path}");
        assert_eq!(
            r.header("location").as_deref(),
            Some("/countries/jp/"),
            "{path}"
        );
    }

    let missing = get(addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("Page not found"),
        "the site's own 404 page"
    );

    let head = request(addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length")
            .unwrap()
            .parse::<usize>()
            .unwrap(),
        front.body.len()
    );
    assert_eq!(request(addr, "POST", "/").status, 405);
    server.stop();
}

/// Clients that connect and send nothing are closed once the header-read
/// timeout passes, and while more of them than the server takes at once
/// are connected, a real request is still answered.
#[test]
fn idle_clients_cannot_hold_the_server() {
    let dir = site_copy();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let opts = BuildOptions {
        base_url: Some(format!("http://{addr}/")),
        ..BuildOptions::new(dir.path())
    };
    let limits = milbrief::ServeLimits {
        header_timeout: Duration::from_millis(300),
        max_connections: 8,
    };
    let server = Server::start_with(opts, listener, limits).unwrap();
    // Three times the cap, sending nothing at all.
    let idle: Vec<TcpStream> = (0..24).map(|_| TcpStream::connect(addr).unwrap()).collect();
    let front = get(addr, "/");
    assert_eq!(front.status, 200, "answered despite idle connections");
    // The idle connections were closed by the server: reading gives the
    // end of the stream (or a reset), not a hang until the read timeout.
    for mut s in idle {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut buf = [0u8; 512];
        match s.read(&mut buf) {
            // The end of the stream, or the server's answer to a request
            // it never got: either way the server let go.
            Ok(_n) => {}
            Err(e) => assert!(
                !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
                "an idle connection was kept open: {e}"
            ),
        }
    }
    server.stop();
}

#[test]
fn paths_never_escape_the_site() {
    let dir = site_copy();
    std::fs::write(dir.path().join("secret.txt"), "TOP SECRET").unwrap();
    let server = start(dir.path());
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/countries/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/content/2023-10-02-navy-drill.md",
        "/config.toml",
    ] {
        let r = get(server.addr, path);
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: status {}",
            r.status
        );
        assert!(
            !r.text().contains("TOP SECRET") && !r.text().contains("root:"),
            "{path}"
        );
    }
    server.stop();
}

#[test]
fn edits_and_deletions_reload_open_pages() {
    let dir = site_copy();
    let server = start(dir.path());
    let events = listen(server.addr);
    assert_eq!(wait_for(&events, "hello"), "1");

    let article = dir.path().join("content/2023-10-02-navy-drill.md");
    let text = std::fs::read_to_string(&article).unwrap();
    rewrite(
        &article,
        &text.replace("hold drill", "hold a much larger drill"),
    );
    wait_for(&events, "reload");
    eventually("the edited article is served", || {
        get(server.addr, "/articles/navy-drill/")
            .text()
            .contains("hold a much larger drill")
    });
    eventually("the month's pages show the new headline", || {
        [
            "/archive/2023/10/",
            "/archive/2023/10/page/2/",
            "/archive/2023/10/page/3/",
        ]
        .iter()
        .any(|p| {
            get(server.addr, p)
                .text()
                .contains("hold a much larger drill")
        })
    });

    std::fs::remove_file(&article).unwrap();
    wait_for(&events, "reload");
    eventually("the removed article is gone", || {
        get(server.addr, "/articles/navy-drill/").status == 404
    });
    // JP had only that article.
    eventually("its country page is gone", || {
        get(server.addr, "/countries/jp/").status == 404
    });

    // A new article appears.
    rewrite(
        &dir.path().join("content/2023-12-01-new.md"),
        "+++\ntitle = \"Brand new brief\"\ndate = 2023-12-01\n+++\nText.\n",
    );
    wait_for(&events, "reload");
    eventually("the new article is served", || {
        get(server.addr, "/articles/new/").status == 200
    });
    server.stop();
}

#[test]
fn errors_show_in_the_page_and_the_last_good_site_stays() {
    let dir = site_copy();
    let server = start(dir.path());
    let events = listen(server.addr);
    wait_for(&events, "hello");

    let article = dir.path().join("content/2023-10-03-tank-deal.md");
    let good = std::fs::read_to_string(&article).unwrap();
    rewrite(&article, &good.replace("title =", "titel ="));
    let msg = wait_for(&events, "build-error");
    assert!(
        msg.contains("content/2023-10-03-tank-deal.md:2:1:"),
        "{msg}"
    );
    let page = get(server.addr, "/articles/tank-deal/");
    assert_eq!(page.status, 200, "the last good page is still served");
    assert!(page.text().contains("Poland signs tank deal"));
    let status = get(server.addr, "/__milbrief/status").text();
    assert!(status.contains("tank-deal.md:2:1"), "{status}");
    // A page opened now learns about the error at once.
    let late = listen(server.addr);
    wait_for(&late, "hello");
    assert!(wait_for(&late, "build-error").contains("titel"));

    rewrite(&article, &good);
    wait_for(&events, "reload");
    eventually("the error clears", || {
        get(server.addr, "/__milbrief/status")
            .text()
            .contains("\"error\":null")
    });
    server.stop();
}

/// Errors are state, not events: while one article stays broken, saving
/// another file rebuilds, fails again on the broken one, and the overlay
/// stays; only fixing the broken file clears it.
#[test]
fn a_broken_file_stays_reported_while_other_files_change() {
    let dir = site_copy();
    let server = start(dir.path());
    let events = listen(server.addr);
    wait_for(&events, "hello");

    let broken = dir.path().join("content/2023-10-03-tank-deal.md");
    let good = std::fs::read_to_string(&broken).unwrap();
    rewrite(&broken, &good.replace("\"KR\"", "\"Narnia\""));
    assert!(wait_for(&events, "build-error").contains("Narnia"));

    let other = dir.path().join("content/2023-10-02-navy-drill.md");
    let text = std::fs::read_to_string(&other).unwrap();
    rewrite(&other, &format!("{text}\nAnother paragraph.\n"));
    let again = wait_for(&events, "build-error");
    assert!(
        again.contains("tank-deal.md") && again.contains("Narnia"),
        "{again}"
    );
    let status = get(server.addr, "/__milbrief/status").text();
    assert!(status.contains("Narnia"), "{status}");

    rewrite(&broken, &good);
    wait_for(&events, "reload");
    eventually("the error clears", || {
        get(server.addr, "/__milbrief/status")
            .text()
            .contains("\"error\":null")
    });
    assert!(
        get(server.addr, "/articles/navy-drill/")
            .text()
            .contains("Another paragraph"),
        "the other change is served once the site builds"
    );
    server.stop();
}

#[test]
fn a_stylesheet_change_swaps_css_without_reload() {
    let dir = site_copy();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/style.css"), "body { color: black }").unwrap();
    let server = start(dir.path());
    let events = listen(server.addr);
    wait_for(&events, "hello");
    rewrite(&dir.path().join("static/style.css"), "body { color: navy }");
    wait_for(&events, "css");
    eventually("the new stylesheet is served", || {
        get(server.addr, "/style.css").text().contains("navy")
    });
    server.stop();
}

#[test]
fn the_command_prints_its_url_and_never_writes_public() {
    let dir = site_copy();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("milbrief"))
        .args(["serve", "--port", "0", "--root"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(
        first.starts_with("Built in "),
        "the first build is no rebuild: {first}"
    );
    let serving = lines.next().unwrap().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    assert!(
        serving.starts_with(&format!("Serving {} at http://", root.display())),
        "{serving}"
    );
    let url = std::iter::once(Ok(serving))
        .chain(lines.by_ref().take(5))
        .map_while(Result::ok)
        .find_map(|line| {
            line.split_whitespace()
                .find(|w| w.starts_with("http://127.0.0.1:"))
                .map(str::to_string)
        })
        .expect("serve prints its URL");
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    assert_eq!(get(addr, "/").status, 200);
    // Ctrl-C stops it cleanly.
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(
        !dir.path().join("public").exists(),
        "serve writes nothing to disk"
    );
}

//! The preview's HTTP side: the connection loop (with a header-read
//! timeout and a connection cap, so idle or slow clients cannot hold the
//! server), pages from memory, the live-reload event stream, and the
//! script that listens to it.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

use super::{Notice, Shared};
use crate::urls;

/// The live-reload endpoints, outside any path a site produces.
pub const EVENTS: &str = "/__milbrief/events";
pub const STATUS: &str = "/__milbrief/status";

/// How long a client may take to send a request's headers, on a new
/// connection and between the requests of a kept-alive one.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at once; further ones wait in the listen queue
/// until one closes. Each open page holds one for its reload events.
pub const MAX_CONNECTIONS: usize = 256;

/// How long a stopping server waits for open connections to finish.
const DRAIN: Duration = Duration::from_secs(5);

/// The connection limits of [`serve`].
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: HEADER_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
        }
    }
}

/// Accepts connections and serves `app` on each until `shutdown`
/// completes, then lets open connections finish (for a while).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;

    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A free slot first, so that past the cap clients wait in the
        // listen queue rather than being accepted and left unanswered.
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                Err(_) => {
                    // Out of file descriptors, a connection reset before it
                    // was accepted: wait a moment and go on serving.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let conn =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {}
    }
    Ok(())
}

/// Injected before `</body>` of every HTML page served in preview.
const SCRIPT: &str = include_str!("livereload.js");

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .route(STATUS, get(status))
        .fallback(page)
        .with_state(shared)
}

/// Server-sent events: the current version (and error) first, then one
/// event per rebuild.
async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let rx = shared.notices.subscribe();
    let (version, error) = {
        let snap = shared.read();
        (snap.version, snap.error.clone())
    };
    let hello = std::iter::once(Event::default().event("hello").data(version.to_string()))
        .chain(error.map(|e| Event::default().event("build-error").data(e)))
        .map(Ok::<Event, Infallible>);
    let updates = BroadcastStream::new(rx)
        .take_while(|n| !matches!(n, Ok(Notice::Shutdown)))
        .filter_map(|n| {
            let e = match n.ok()? {
                Notice::Reload(v) => Event::default().event("reload").data(v.to_string()),
                Notice::Css(v) => Event::default().event("css").data(v.to_string()),
                Notice::Error(e) => Event::default().event("build-error").data(e),
                Notice::Shutdown => return None,
            };
            Some(Ok::<Event, Infallible>(e))
        });
    Sse::new(tokio_stream::iter(hello).chain(updates))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// `{"version": 3, "error": null}`: the state of the last rebuild.
async fn status(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let snap = shared.read();
    let body = serde_json::json!({"version": snap.version, "error": snap.error}).to_string();
    ([(header::CONTENT_TYPE, "application/json")], body)
}

/// A page or file of the site, from memory.
async fn page(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "method not allowed\n",
        )
            .into_response();
    }
    let head = method == Method::HEAD;
    let Some(path) = site_path(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    };
    let found = {
        let snap = shared.read();
        match snap.outputs.get(path.as_str()) {
            Some(bytes) => Lookup::Found(path.clone(), bytes.clone()),
            None if !path.ends_with(".html")
                && !path.rsplit('/').next().unwrap_or("").contains('.')
                && snap
                    .outputs
                    .contains_key(format!("{path}/{}", urls::INDEX_FILE).as_str()) =>
            {
                Lookup::AddSlash
            }
            None => match snap.outputs.get(urls::NOT_FOUND) {
                Some(b) => Lookup::NotFound(Some(b.clone())),
                None => Lookup::NotFound(None),
            },
        }
    };
    match found {
        Lookup::Found(path, bytes) => respond(StatusCode::OK, &path, &bytes, head),
        Lookup::AddSlash => {
            let location = slash_location(uri.path());
            (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response()
        }
        Lookup::NotFound(Some(bytes)) => {
            respond(StatusCode::NOT_FOUND, urls::NOT_FOUND, &bytes, head)
        }
        Lookup::NotFound(None) => {
            let html = format!(
                "<!doctype html><meta charset=\"utf-8\"><title>Not found</title><p>Not found.</p>{}",
                script_tag()
            );
            respond(
                StatusCode::NOT_FOUND,
                urls::NOT_FOUND,
                html.as_bytes(),
                head,
            )
        }
    }
}

enum Lookup {
    Found(String, Arc<Vec<u8>>),
    AddSlash,
    NotFound(Option<Arc<Vec<u8>>>),
}

fn respond(status: StatusCode, path: &str, bytes: &[u8], head: bool) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/xml" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let body: Vec<u8> = if is_html {
        inject(bytes)
    } else {
        bytes.to_vec()
    };
    let len = body.len();
    let mut resp = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body)
    });
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

fn script_tag() -> String {
    format!("<script>{SCRIPT}</script>")
}

/// The page with the live-reload script before `</body>` (or at the end).
fn inject(html: &[u8]) -> Vec<u8> {
    let tag = script_tag();
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// Where a directory URL without its slash redirects: the same path,
/// percent-encoding kept, with empty and `.` segments dropped (so `//x`
/// goes to `/x/`, never to another host) and a slash at the end.
fn slash_location(url_path: &str) -> String {
    let mut location = String::from("/");
    for seg in url_path.split('/').filter(|s| !s.is_empty() && *s != ".") {
        location.push_str(seg);
        location.push('/');
    }
    location
}

/// The output path a URL path names, or `None` for a path that tries to
/// leave the site (`..`, encoded or not, backslashes, NUL).
pub fn site_path(url_path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(url_path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if path.is_empty() || decoded.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(urls::INDEX_FILE);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_map_to_outputs_and_never_escape() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/countries/pk/").as_deref(),
            Some("countries/pk/index.html")
        );
        assert_eq!(site_path("/style.css").as_deref(), Some("style.css"));
        assert_eq!(site_path("/a%20b.html").as_deref(), Some("a b.html"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a/%2E%2E/%2e%2e/x",
            "/a\\b",
            "/%5c..%5cx",
            "/a%00",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn slash_redirects_stay_on_this_host() {
        assert_eq!(slash_location("/countries"), "/countries/");
        assert_eq!(slash_location("//countries"), "/countries/");
        assert_eq!(slash_location("//evil.example/x"), "/evil.example/x/");
        assert_eq!(slash_location("/./a//b%20c"), "/a/b%20c/");
    }

    #[test]
    fn script_goes_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></BODY></html>")).unwrap();
        assert!(out.contains("<p>x</p><script>"));
        assert!(out.ends_with("</script></BODY></html>"));
    }
}

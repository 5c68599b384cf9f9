//! HTTP for `milbrief import`: one blocking client that behaves well
//! towards the sites it reads.
//!
//! - timeouts: to connect, and for a whole request including its body;
//! - a size cap: a body is read up to `[fetch] max_mb` and no further;
//! - a User-Agent naming milbrief and its version (and the site's contact);
//! - conditional requests (`If-None-Match`, `If-Modified-Since`) from the
//!   validators a feed returned last time; gzip;
//! - redirects followed by hand, so that each hop is rate-limited, bounded
//!   by `[fetch] max_redirects`, and a loop is named as one;
//! - at most `[fetch] per_host_per_second` requests to one host;
//! - retries with exponential back-off on 429 and 5xx, honouring
//!   `Retry-After`, within a bounded total wait.
//!
//! The client is [`ureq`] with rustls: no OpenSSL, no async runtime.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::feed_config::FetchSettings;

/// What a server said about a resource, to ask next time whether it changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A successful response.
#[derive(Debug)]
pub struct Page {
    /// The URL the body came from, after redirects.
    pub url: String,
    pub body: Vec<u8>,
    /// The media type, lower-cased, without parameters.
    pub content_type: Option<String>,
    pub validators: Validators,
}

/// The outcome of a GET.
#[derive(Debug)]
pub enum Fetched {
    /// 304: unchanged since the validators were given.
    NotModified,
    Page(Page),
}

/// Requests made, by kind.
#[derive(Debug, Default)]
pub struct Counts {
    pub requests: AtomicUsize,
    pub conditional: AtomicUsize,
    pub not_modified: AtomicUsize,
    pub retries: AtomicUsize,
}

/// The HTTP client of an import; shared by the worker threads.
pub struct Client {
    agent: ureq::Agent,
    settings: FetchSettings,
    /// Per host: the earliest time the next request may start.
    next_slot: Mutex<HashMap<String, Instant>>,
    pub counts: Counts,
}

/// The User-Agent: `milbrief/VERSION`, and the site's contact if given.
pub fn user_agent(contact: Option<&str>) -> String {
    let base = format!(
        "milbrief/{} (static site generator for news digests)",
        env!("CARGO_PKG_VERSION")
    );
    match contact.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => format!(
            "milbrief/{} (static site generator for news digests; +{c})",
            env!("CARGO_PKG_VERSION")
        ),
        None => base,
    }
}

/// Redirect statuses that carry a `Location`.
fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// Statuses worth trying again later.
fn is_transient(status: u16) -> bool {
    status == 429 || matches!(status, 500 | 502 | 503 | 504)
}

/// An absolute http(s) URL, parsed.
pub fn parse_url(u: &str) -> anyhow::Result<url::Url> {
    let parsed = url::Url::parse(u.trim()).map_err(|e| anyhow::anyhow!("not a URL ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        anyhow::bail!("only http:// and https:// URLs can be fetched");
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        anyhow::bail!("the URL has no host");
    }
    Ok(parsed)
}

/// The delay a `Retry-After` value asks for: seconds, or an HTTP date.
pub fn retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = jiff::fmt::rfc2822::parse(v).ok()?.timestamp();
    let now = jiff::Timestamp::now();
    let secs = when.as_second().saturating_sub(now.as_second());
    Some(Duration::from_secs(secs.max(0) as u64))
}

fn header(resp: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A ureq error in words a reader of the report understands.
fn describe(e: &ureq::Error, s: &FetchSettings) -> String {
    use ureq::Error as E;
    match e {
        E::Timeout(t) => match t {
            ureq::Timeout::Connect | ureq::Timeout::Resolve => format!(
                "timed out connecting (after {:.1} s)",
                s.connect_timeout.as_secs_f64()
            ),
            _ => format!(
                "timed out: no complete answer within {:.1} s ([fetch] timeout)",
                s.timeout.as_secs_f64()
            ),
        },
        E::HostNotFound => "host not found".to_string(),
        E::ConnectionFailed => "cannot connect".to_string(),
        E::BodyExceedsLimit(_) => too_large(s),
        E::Io(io) => format!("network error: {io}"),
        other => other.to_string(),
    }
}

fn too_large(s: &FetchSettings) -> String {
    format!(
        "the response is larger than {} MiB ([fetch] max_mb); nothing past that was read",
        s.max_bytes / (1024 * 1024)
    )
}

impl Client {
    pub fn new(settings: &FetchSettings) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(settings.user_agent.as_str())
            .timeout_connect(Some(settings.connect_timeout))
            .timeout_global(Some(settings.timeout))
            .max_idle_connections_per_host(2)
            .build();
        Client {
            agent: config.new_agent(),
            settings: settings.clone(),
            next_slot: Mutex::new(HashMap::new()),
            counts: Counts::default(),
        }
    }

    /// Waits for this host's next free slot, and takes it.
    fn pace(&self, host: &str) {
        let interval = self.settings.min_interval;
        if interval.is_zero() {
            return;
        }
        let now = Instant::now();
        let slot = {
            let mut map = self
                .next_slot
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let slot = map.get(host).copied().filter(|t| *t > now).unwrap_or(now);
            map.insert(host.to_string(), slot + interval);
            slot
        };
        if slot > now {
            std::thread::sleep(slot - now);
        }
    }

    /// GETs `url`, conditionally when `validators` are given. Errors name
    /// the reason; the caller names the URL.
    pub fn get(&self, url: &str, validators: Option<&Validators>) -> anyhow::Result<Fetched> {
        let mut current = parse_url(url)?;
        let mut chain = vec![current.to_string()];
        let mut tries = 0u32;
        let mut waited = Duration::ZERO;
        loop {
            self.pace(current.host_str().unwrap_or_default());
            let mut req = self.agent.get(current.as_str()).header(
                "Accept",
                "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, text/xml;q=0.9, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5",
            );
            let conditional = validators.filter(|v| !v.is_empty());
            if let Some(v) = conditional {
                if let Some(e) = &v.etag {
                    req = req.header("If-None-Match", e.as_str());
                }
                if let Some(m) = &v.last_modified {
                    req = req.header("If-Modified-Since", m.as_str());
                }
                self.counts.conditional.fetch_add(1, Ordering::Relaxed);
            }
            self.counts.requests.fetch_add(1, Ordering::Relaxed);
            let mut resp = req
                .call()
                .map_err(|e| anyhow::anyhow!(describe(&e, &self.settings)))?;
            let status = resp.status().as_u16();
            if status == 304 && conditional.is_some() {
                self.counts.not_modified.fetch_add(1, Ordering::Relaxed);
                return Ok(Fetched::NotModified);
            }
            if is_redirect(status) {
                let Some(loc) = header(&resp, "location") else {
                    anyhow::bail!("HTTP {status}: a redirect without a Location");
                };
                let next = current
                    .join(&loc)
                    .map_err(|e| anyhow::anyhow!("HTTP {status}: bad Location {loc:?} ({e})"))?;
                if !matches!(next.scheme(), "http" | "https") {
                    anyhow::bail!("HTTP {status}: redirected to {next}, which is not http(s)");
                }
                if chain.iter().any(|c| c == next.as_str()) {
                    chain.push(next.to_string());
                    anyhow::bail!("redirect loop: {}", chain.join(" → "));
                }
                chain.push(next.to_string());
                if chain.len() - 1 > self.settings.max_redirects as usize {
                    anyhow::bail!(
                        "more than {} redirects ([fetch] max_redirects): {}",
                        self.settings.max_redirects,
                        chain.join(" → ")
                    );
                }
                current = next;
                continue;
            }
            if is_transient(status) {
                tries += 1;
                let asked = header(&resp, "retry-after").and_then(|v| retry_after(&v));
                let delay = asked.unwrap_or_else(|| backoff(tries));
                if tries > self.settings.retries {
                    anyhow::bail!(
                        "HTTP {status} {}, still after {} retr{} ([fetch] retries)",
                        reason(status),
                        self.settings.retries,
                        if self.settings.retries == 1 {
                            "y"
                        } else {
                            "ies"
                        }
                    );
                }
                if waited + delay > self.settings.max_wait {
                    anyhow::bail!(
                        "HTTP {status} {}: waiting {:.0} s more would pass the {:.0} s allowed ([fetch] max_wait)",
                        reason(status),
                        delay.as_secs_f64(),
                        self.settings.max_wait.as_secs_f64()
                    );
                }
                self.counts.retries.fetch_add(1, Ordering::Relaxed);
                waited += delay;
                std::thread::sleep(delay);
                continue;
            }
            if !(200..300).contains(&status) {
                anyhow::bail!("HTTP {status} {}", reason(status));
            }
            return self.read(current.as_str(), &mut resp);
        }
    }

    /// Reads a 2xx response's body, within the size cap.
    fn read(
        &self,
        url: &str,
        resp: &mut ureq::http::Response<ureq::Body>,
    ) -> anyhow::Result<Fetched> {
        let max = self.settings.max_bytes;
        let declared = header(resp, "content-length").and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > max) {
            anyhow::bail!(too_large(&self.settings));
        }
        let validators = Validators {
            etag: header(resp, "etag"),
            last_modified: header(resp, "last-modified"),
        };
        let content_type = header(resp, "content-type").map(|t| {
            t.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
        let body = resp
            .body_mut()
            .with_config()
            .limit(max)
            .read_to_vec()
            .map_err(|e| anyhow::anyhow!(describe(&e, &self.settings)))?;
        Ok(Fetched::Page(Page {
            url: url.to_string(),
            body,
            content_type,
            validators,
        }))
    }
}

/// 1 s, 2 s, 4 s, … capped at a minute.
fn backoff(tries: u32) -> Duration {
    Duration::from_secs(1u64 << tries.saturating_sub(1).min(6)).min(Duration::from_secs(60))
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "a date in the past asks for no wait"
        );
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_secs(1));
        assert_eq!(backoff(3), Duration::from_secs(4));
        assert_eq!(backoff(50), Duration::from_secs(60));
    }

    #[test]
    fn urls_must_be_http() {
        assert!(parse_url("https://example.org/feed").is_ok());
        assert!(parse_url("ftp://example.org/feed").is_err());
        assert!(parse_url("feed.xml").is_err());
        assert!(user_agent(None).starts_with("milbrief/"));
        assert!(user_agent(Some("mailto:desk@example.org")).contains("+mailto:desk@example.org"));
    }
}

//! The feed settings of `config.toml`: `[[feed]]` subscriptions and the
//! `[fetch]` table of network behaviour, as written and as validated.
//!
//! ```toml
//! [fetch]
//! timeout = 30              # seconds for a whole request, body included
//! connect_timeout = 10      # seconds to connect
//! max_mb = 10               # the largest response read, in MiB
//! per_host_per_second = 1   # requests to one host per second
//! retries = 3               # on 429 and 5xx, honouring Retry-After
//! max_wait = 60             # seconds of waiting for retries, per request
//! max_redirects = 5
//! concurrency = 4           # feeds fetched at once
//! contact = "mailto:desk@example.org"   # added to the User-Agent
//!
//! [[feed]]
//! url = "https://example.org/defence/rss.xml"
//! name = "Example defence desk"  # for the report
//! source = "Reuters"             # the outlet, when the feed does not say
//! fetch_articles = true          # fetch and extract each item's page
//! include = ["navy", "missile"]  # only items whose title or summary says one
//! exclude = ["sponsored"]        # never items that say one
//! ```

use std::time::Duration;

use serde::Deserialize;

/// A `[[feed]]` table as written.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RawFeed {
    pub url: String,
    pub name: Option<String>,
    pub source: Option<String>,
    pub fetch_articles: bool,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// A feed subscription, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedConfig {
    /// An absolute http(s) URL.
    pub url: String,
    /// What the report calls it: its `name`, else its URL.
    pub name: Option<String>,
    /// The outlet its items come from, when the items do not say.
    pub source: Option<String>,
    /// Fetch each item's page and extract the article from it (else the
    /// feed's own content or summary is the article).
    pub fetch_articles: bool,
    /// Lower-cased phrases: an item must contain one (when any are given).
    pub include: Vec<String>,
    /// Lower-cased phrases: an item containing one is skipped.
    pub exclude: Vec<String>,
}

impl FeedConfig {
    /// A subscription to `url` with the defaults (a feed named on the
    /// command line).
    pub fn adhoc(url: &str) -> FeedConfig {
        FeedConfig {
            url: url.to_string(),
            name: None,
            source: None,
            fetch_articles: false,
            include: Vec::new(),
            exclude: Vec::new(),
        }
    }

    /// The feed as named in the report.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.url)
    }

    /// Whether an item's title and summary pass `include` and `exclude`:
    /// `Err` names the phrase that decided.
    pub fn admits(&self, text: &str) -> Result<(), String> {
        let text = text.to_lowercase();
        if let Some(p) = self.exclude.iter().find(|p| text.contains(p.as_str())) {
            return Err(format!("excluded: says {p:?}"));
        }
        if !self.include.is_empty() && !self.include.iter().any(|p| text.contains(p.as_str())) {
            return Err("not included: says none of the `include` phrases".to_string());
        }
        Ok(())
    }
}

/// `[fetch]` as written: seconds and MiB as numbers.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RawFetch {
    pub timeout: f64,
    pub connect_timeout: f64,
    pub max_mb: f64,
    pub per_host_per_second: f64,
    pub retries: i64,
    pub max_wait: f64,
    pub max_redirects: i64,
    pub concurrency: i64,
    pub contact: Option<String>,
}

impl Default for RawFetch {
    fn default() -> Self {
        Self {
            timeout: 30.0,
            connect_timeout: 10.0,
            max_mb: 10.0,
            per_host_per_second: 1.0,
            retries: 3,
            max_wait: 60.0,
            max_redirects: 5,
            concurrency: 4,
            contact: None,
        }
    }
}

/// `[fetch]`, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct FetchSettings {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_bytes: u64,
    /// The least time between two requests to one host (zero: no limit).
    pub min_interval: Duration,
    pub retries: u32,
    pub max_wait: Duration,
    pub max_redirects: u32,
    pub concurrency: usize,
    pub user_agent: String,
}

impl Default for FetchSettings {
    fn default() -> Self {
        let mut errs = Vec::new();
        validate_fetch(&RawFetch::default(), &mut |k, m| errs.push((k, m)))
    }
}

/// Validates `[fetch]`; each problem is passed to `err` with its key.
pub fn validate_fetch(raw: &RawFetch, err: &mut dyn FnMut(&'static str, String)) -> FetchSettings {
    let mut secs = |key: &'static str, v: f64, min: f64, max: f64, default: f64| {
        if v.is_finite() && (min..=max).contains(&v) {
            Duration::from_secs_f64(v)
        } else {
            err(
                key,
                format!("[fetch] {key} must be between {min} and {max} seconds, not {v}"),
            );
            Duration::from_secs_f64(default)
        }
    };
    let timeout = secs("timeout", raw.timeout, 0.1, 3600.0, 30.0);
    let connect_timeout = secs("connect_timeout", raw.connect_timeout, 0.1, 600.0, 10.0);
    let max_wait = secs("max_wait", raw.max_wait, 0.0, 3600.0, 60.0);
    let mut max_bytes = 10 * 1024 * 1024;
    if raw.max_mb.is_finite() && (0.001..=1024.0).contains(&raw.max_mb) {
        max_bytes = (raw.max_mb * 1024.0 * 1024.0) as u64;
    } else {
        err(
            "max_mb",
            format!(
                "[fetch] max_mb must be between 0.001 and 1024 (MiB), not {}",
                raw.max_mb
            ),
        );
    }
    let mut min_interval = Duration::from_secs(1);
    if raw.per_host_per_second.is_finite() && raw.per_host_per_second > 0.0 {
        min_interval = Duration::from_secs_f64(1.0 / raw.per_host_per_second);
    } else {
        err(
            "per_host_per_second",
            format!(
                "[fetch] per_host_per_second must be a number above 0, not {}",
                raw.per_host_per_second
            ),
        );
    }
    let mut int = |key: &'static str, v: i64, max: i64| -> i64 {
        if (0..=max).contains(&v) {
            v
        } else {
            err(
                key,
                format!("[fetch] {key} must be between 0 and {max}, not {v}"),
            );
            0
        }
    };
    let retries = int("retries", raw.retries, 10) as u32;
    let max_redirects = int("max_redirects", raw.max_redirects, 20) as u32;
    let concurrency = int("concurrency", raw.concurrency, 32).max(1) as usize;
    if raw.concurrency == 0 {
        err(
            "concurrency",
            "[fetch] concurrency must be at least 1".to_string(),
        );
    }
    if let Some(c) = &raw.contact
        && (c.contains(['\r', '\n']) || !c.is_ascii())
    {
        err(
            "contact",
            "[fetch] contact must be one line of ASCII (a URL or mailto: address)".to_string(),
        );
    }
    FetchSettings {
        timeout,
        connect_timeout,
        max_bytes,
        min_interval,
        retries,
        max_wait,
        max_redirects,
        concurrency,
        user_agent: super::fetch::user_agent(raw.contact.as_deref().filter(|c| c.is_ascii())),
    }
}

/// Validates the `[[feed]]` tables; each problem is passed to `err`.
pub fn validate_feeds(
    raw: &[RawFeed],
    err: &mut dyn FnMut(&'static str, String),
) -> Vec<FeedConfig> {
    let mut out: Vec<FeedConfig> = Vec::new();
    for f in raw {
        let url = f.url.trim();
        if let Err(e) = super::fetch::parse_url(url) {
            err(
                "url",
                format!("[[feed]] url {url:?} must be an absolute http(s) URL: {e}"),
            );
            continue;
        }
        if out.iter().any(|o| o.url == url) {
            err("url", format!("[[feed]] url {url:?} is listed twice"));
            continue;
        }
        let phrases =
            |list: &[String], key: &'static str, err: &mut dyn FnMut(&'static str, String)| {
                let mut v = Vec::new();
                for p in list {
                    let p = p.trim().to_lowercase();
                    if p.is_empty() {
                        err(key, format!("[[feed]] {url}: an empty {key} phrase"));
                    } else {
                        v.push(p);
                    }
                }
                v
            };
        let include = phrases(&f.include, "include", err);
        let exclude = phrases(&f.exclude, "exclude", err);
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        out.push(FeedConfig {
            url: url.to_string(),
            name: clean(&f.name),
            source: clean(&f.source),
            fetch_articles: f.fetch_articles,
            include,
            exclude,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_ignore_case_and_exclude_wins() {
        let mut f = FeedConfig::adhoc("https://example.org/rss");
        assert!(f.admits("anything").is_ok());
        f.include = vec!["navy".into()];
        f.exclude = vec!["sponsored".into()];
        assert!(f.admits("The NAVY tests a drone").is_ok());
        assert!(f.admits("Army news").is_err());
        let e = f.admits("Sponsored: navy boots").unwrap_err();
        assert!(e.contains("sponsored"), "{e}");
    }

    #[test]
    fn fetch_settings_are_checked() {
        let mut errs = Vec::new();
        let s = validate_fetch(&RawFetch::default(), &mut |k, m| errs.push((k, m)));
        assert!(errs.is_empty());
        assert_eq!(s.min_interval, Duration::from_secs(1));
        assert_eq!(s.max_bytes, 10 * 1024 * 1024);
        let raw = RawFetch {
            timeout: 0.0,
            per_host_per_second: 0.0,
            retries: -1,
            ..RawFetch::default()
        };
        validate_fetch(&raw, &mut |k, m| errs.push((k, m)));
        let keys: Vec<&str> = errs.iter().map(|e| e.0).collect();
        assert_eq!(keys, ["timeout", "per_host_per_second", "retries"]);
    }

    #[test]
    fn feeds_need_a_url_once() {
        let mut errs = Vec::new();
        let raw = [
            RawFeed {
                url: "https://a.example/rss".into(),
                include: vec![" Navy ".into()],
                ..RawFeed::default()
            },
            RawFeed {
                url: "https://a.example/rss".into(),
                ..RawFeed::default()
            },
            RawFeed {
                url: "a.example/rss".into(),
                ..RawFeed::default()
            },
        ];
        let feeds = validate_feeds(&raw, &mut |k, m| errs.push((k, m)));
        assert_eq!(feeds.len(), 1);
        assert_eq!(feeds[0].include, ["navy"]);
        assert_eq!(errs.len(), 2, "{errs:?}");
    }
}

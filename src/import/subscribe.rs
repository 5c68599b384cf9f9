//! `milbrief import --feeds` (and feeds or pages named by URL or file):
//! from feeds to articles in `content/`.
//!
//! ```text
//! [[feed]] ─fetch (workers)─▶ items ─new? filters? fetch page─▶ Prepared ─(main thread, feed order)─ dedupe ─place─▶ content/
//!                                                                                                 └─remember─▶ .milbrief/feeds.json
//! ```
//!
//! Worker threads fetch feeds and their articles and prepare the articles
//! (the network and the extraction are the slow parts); the main thread
//! takes the feeds in the order they are listed, deduplicates each item
//! against `content/` (URL, headline and date, near-copies of the text),
//! writes it, and prints one line for it. A feed that fails is reported
//! and the others go on. What each feed returned is remembered so that
//! the next run asks only whether it changed.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::civil::Date;

use super::debris::Debris;
use super::existing::Existing;
use super::feed_config::FeedConfig;
use super::feed_state::{self, FeedState};
use super::feeds::{self, Item};
use super::fetch::{Client, Fetched, Validators};
use super::near::Lazy;
use super::place::{Place, place};
use super::report::{Outcome, Tally};
use super::{Options, Prepared};
use crate::config::Config;
use crate::sources::Sources;
use crate::tag::Tagger;

/// A feed to read.
#[derive(Clone, Debug)]
pub enum Job {
    /// A `[[feed]]` of config.toml: its state is kept.
    Subscribed(FeedConfig),
    /// A URL on the command line: a feed, or an article's page.
    Url(FeedConfig),
    /// A file on the command line that is a feed: `(name, text)`.
    File(FeedConfig, String),
}

impl Job {
    fn feed(&self) -> &FeedConfig {
        match self {
            Job::Subscribed(f) | Job::Url(f) | Job::File(f, _) => f,
        }
    }
}

/// What the run needs, shared by the workers.
pub struct Ctx<'a> {
    pub root: &'a Path,
    pub config: &'a Config,
    pub tagger: Option<&'a Tagger>,
    pub debris: &'a Debris,
    pub sources: &'a Sources,
    pub since: Option<Date>,
    /// Fetch each item's page even when its feed does not ask to.
    pub fetch_articles: bool,
}

/// What became of one item, before it is written.
enum ItemOutcome {
    /// Dealt with in an earlier run: not reported.
    Seen,
    /// Left out on purpose; remembered.
    Skip(String),
    /// Failed; not remembered, so the next run tries again.
    Fail(String),
    Ready(Box<Prepared>),
}

struct ItemResult {
    /// The item's link, else the feed and the item's title.
    label: String,
    keys: Vec<String>,
    outcome: ItemOutcome,
}

/// What became of one feed on the network side.
enum FeedOutcome {
    Failed(String),
    NotModified,
    /// A URL that was an article's page, not a feed.
    Page(Box<anyhow::Result<Prepared>>),
    Items {
        validators: Validators,
        items: Vec<ItemResult>,
    },
}

/// Counts for the closing line.
#[derive(Default)]
struct FeedTally {
    feeds: usize,
    not_modified: usize,
    failed_feeds: usize,
    new: usize,
    duplicate: usize,
    skipped: usize,
    failed: usize,
    seen: usize,
}

/// Recognises a prepared article's source and notes how: `given` is what
/// the editor said (`--source`, a feed's `source`), `fallback` a name to
/// try when the article itself names none (a feed's title).
pub fn recognise_source(
    p: &mut Prepared,
    sources: &Sources,
    given: Option<&str>,
    fallback: Option<&str>,
) {
    let found = p.draft.source.clone();
    let (mut name, mut note) =
        crate::sources::attribute(sources, given, found.as_deref(), p.draft.url.as_deref());
    if given.is_none()
        && (name.is_none() || sources.by_name(name.as_deref().unwrap_or("")).is_none())
        && let Some(s) = fallback.and_then(|f| sources.by_name(f))
    {
        name = Some(s.name.clone());
        note = format!("source {} ({}; by the feed's title)", s.name, s.kind);
    }
    p.draft.source = name;
    p.source_note = Some(note);
}

/// Reads every job and writes its new articles; outcomes go to `tally`
/// and are printed as they are decided.
pub fn run(
    jobs: Vec<Job>,
    ctx: &Ctx<'_>,
    at: &Place<'_>,
    existing: &mut Existing,
    tally: &mut Tally,
) -> anyhow::Result<()> {
    if jobs.is_empty() {
        return Ok(());
    }
    let (state, note) = feed_state::load(ctx.root);
    if let Some(n) = note {
        eprintln!("note: {n}");
    }
    let mut new_state = state.clone();
    let mut near = Lazy::new(vec![
        at.out.to_path_buf(),
        ctx.root.join(crate::layout::CONTENT_DIR),
    ]);
    let client = Client::new(&ctx.config.fetch);
    let shared = Mutex::new(std::mem::take(existing));
    let mut ft = FeedTally::default();
    let next = AtomicUsize::new(0);
    let workers = ctx.config.fetch.concurrency.min(jobs.len()).max(1);

    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, FeedOutcome)>();
        for _ in 0..workers {
            let tx = tx.clone();
            let (jobs, next, client, state, shared) = (&jobs, &next, &client, &state, &shared);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let prior = match job {
                        Job::Subscribed(f) => state.feeds.get(&f.url),
                        _ => None,
                    };
                    // Parsers and extractors are third-party code: a feed
                    // that makes one panic is one failed feed.
                    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        read_feed(job, prior, ctx, client, shared)
                    }))
                    .unwrap_or_else(|_| {
                        FeedOutcome::Failed(
                            "milbrief failed on this feed (a bug; please report it)".into(),
                        )
                    });
                    if tx.send((i, out)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Results in the order the feeds are listed.
        let mut waiting: BTreeMap<usize, FeedOutcome> = BTreeMap::new();
        let mut turn = 0;
        for (i, out) in rx {
            waiting.insert(i, out);
            while let Some(out) = waiting.remove(&turn) {
                let job = &jobs[turn];
                let mut ex = shared
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let fs = settle(job, out, at, &mut ex, &mut near, tally, &mut ft);
                drop(ex);
                if let (Job::Subscribed(f), Some(fs)) = (job, fs) {
                    new_state.feeds.insert(f.url.clone(), fs);
                }
                turn += 1;
            }
        }
    });
    *existing = shared
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);

    // Feeds no longer subscribed are forgotten only when all of the
    // subscriptions were read: a feed named on the command line leaves
    // the state of the others alone.
    if jobs.iter().all(|j| matches!(j, Job::Subscribed(_))) {
        let listed: HashSet<&str> = jobs.iter().map(|j| j.feed().url.as_str()).collect();
        new_state.feeds.retain(|k, _| listed.contains(k.as_str()));
    }
    let c = &client.counts;
    println!(
        "feeds: {} read ({} not modified), {} failed; items: {} new, {} duplicate, {} skipped, {} failed, {} seen before; {} requests ({} conditional, {} not modified, {} retried)",
        ft.feeds,
        ft.not_modified,
        ft.failed_feeds,
        ft.new,
        ft.duplicate,
        ft.skipped,
        ft.failed,
        ft.seen,
        c.requests.load(Ordering::Relaxed),
        c.conditional.load(Ordering::Relaxed),
        c.not_modified.load(Ordering::Relaxed),
        c.retries.load(Ordering::Relaxed),
    );
    if !at.dry_run {
        feed_state::save(ctx.root, &new_state, &state)?;
    }
    Ok(())
}

/// Prints an outcome and counts it.
fn report(o: Outcome, tally: &mut Tally) {
    match &o {
        Outcome::Failed { .. } => eprintln!("{o}"),
        Outcome::Imported { dry_run: true, .. } => {}
        _ => println!("{o}"),
    }
    tally.add(&o);
}

/// The main thread's part for one feed: dedupe, write, report. Returns the
/// feed's new state (for a subscription whose answer was read).
fn settle(
    job: &Job,
    out: FeedOutcome,
    at: &Place<'_>,
    existing: &mut Existing,
    near: &mut Lazy,
    tally: &mut Tally,
    ft: &mut FeedTally,
) -> Option<FeedState> {
    let feed = job.feed();
    let what = format!("feed {}", feed.url);
    ft.feeds += 1;
    let (validators, items) = match out {
        FeedOutcome::Failed(e) => {
            ft.failed_feeds += 1;
            report(
                Outcome::Failed {
                    input: what,
                    error: e,
                },
                tally,
            );
            return None;
        }
        FeedOutcome::NotModified => {
            ft.not_modified += 1;
            println!("{what}: not modified since the last run");
            return None;
        }
        FeedOutcome::Page(p) => {
            ft.feeds -= 1;
            let o = (*p)
                .and_then(|p| write(&feed.url, &p, at, existing, near))
                .unwrap_or_else(|e| Outcome::failed(&feed.url, &e));
            count(&o, ft);
            report(o, tally);
            return None;
        }
        FeedOutcome::Items { validators, items } => (validators, items),
    };
    let fresh = items
        .iter()
        .filter(|i| !matches!(i.outcome, ItemOutcome::Seen))
        .count();
    println!(
        "{what}: {} item{}, {} not seen before",
        items.len(),
        if items.len() == 1 { "" } else { "s" },
        fresh
    );
    let mut any_failed = false;
    let mut remember: Vec<String> = Vec::new();
    let current: HashSet<String> = items.iter().flat_map(|i| i.keys.clone()).collect();
    for it in items {
        let o = match it.outcome {
            ItemOutcome::Seen => {
                ft.seen += 1;
                remember.extend(it.keys);
                continue;
            }
            ItemOutcome::Skip(reason) => Outcome::Skipped {
                input: it.label,
                reason,
            },
            ItemOutcome::Fail(error) => Outcome::Failed {
                input: it.label,
                error,
            },
            ItemOutcome::Ready(p) => write(&it.label, &p, at, existing, near)
                .unwrap_or_else(|e| Outcome::failed(&it.label, &e)),
        };
        count(&o, ft);
        match &o {
            Outcome::Failed { .. } => any_failed = true,
            _ => remember.extend(it.keys),
        }
        report(o, tally);
    }
    if !matches!(job, Job::Subscribed(_)) {
        return None;
    }
    let mut fs = FeedState {
        // A feed with a failed item is read in full next time, so that the
        // item is tried again.
        validators: if any_failed {
            Validators::default()
        } else {
            validators
        },
        seen: Vec::new(),
    };
    fs.remember(remember, &current);
    Some(fs)
}

fn count(o: &Outcome, ft: &mut FeedTally) {
    match o {
        Outcome::Imported { .. } => ft.new += 1,
        Outcome::Skipped { reason, .. }
            if reason.starts_with("duplicate") || reason.starts_with("near copy") =>
        {
            ft.duplicate += 1
        }
        Outcome::Skipped { .. } => ft.skipped += 1,
        Outcome::Failed { .. } => ft.failed += 1,
    }
}

/// Writes an article unless it duplicates one: same URL, same headline and
/// date, or nearly the same text.
fn write(
    input: &str,
    p: &Prepared,
    at: &Place<'_>,
    existing: &mut Existing,
    near: &mut Lazy,
) -> anyhow::Result<Outcome> {
    if !at.force
        && existing
            .duplicate_of(&p.draft.title, p.date, p.draft.url.as_deref())
            .is_none()
        && let Some((path, sim)) = near.get().near_copy_of(&p.draft.body)
    {
        return Ok(Outcome::Skipped {
            input: input.to_string(),
            reason: format!(
                "near copy of {} ({:.0}% the same text); --force imports it anyway",
                crate::diag::display_path(path),
                (sim * 100.0).floor()
            ),
        });
    }
    let o = place(input, p, at, existing)?;
    if let Outcome::Imported { path, .. } = &o {
        near.get().add(path, &p.draft.body);
    }
    Ok(o)
}

/// The worker's part for one feed: fetch, parse, and prepare each new item.
fn read_feed(
    job: &Job,
    prior: Option<&FeedState>,
    ctx: &Ctx<'_>,
    client: &Client,
    existing: &Mutex<Existing>,
) -> FeedOutcome {
    let feed = job.feed();
    let (bytes, base, validators) = match job {
        Job::File(_, text) => (text.clone().into_bytes(), None, Validators::default()),
        Job::Subscribed(_) | Job::Url(_) => {
            let v = prior.map(|p| &p.validators);
            match client.get(&feed.url, v) {
                Err(e) => return FeedOutcome::Failed(format!("{e:#}")),
                Ok(Fetched::NotModified) => return FeedOutcome::NotModified,
                Ok(Fetched::Page(page)) => {
                    let text = String::from_utf8_lossy(&page.body);
                    if matches!(job, Job::Url(_))
                        && super::inputs::is_html("", &text)
                        && !feeds::looks_like_feed(&text)
                    {
                        return FeedOutcome::Page(Box::new(prepare_page(
                            feed, &page.url, &text, None, None, ctx,
                        )));
                    }
                    (page.body, Some(page.url), page.validators)
                }
            }
        }
    };
    let parsed = match feeds::parse(&bytes, base.as_deref()) {
        Ok(p) => p,
        Err(e) => return FeedOutcome::Failed(format!("{e:#}")),
    };
    drop(bytes);
    let items = parsed
        .items
        .iter()
        .map(|item| {
            read_item(
                item,
                feed,
                parsed.title.as_deref(),
                prior,
                ctx,
                client,
                existing,
            )
        })
        .collect();
    FeedOutcome::Items { validators, items }
}

/// Decides one item, fetching and preparing it when it is new.
fn read_item(
    item: &Item,
    feed: &FeedConfig,
    feed_title: Option<&str>,
    prior: Option<&FeedState>,
    ctx: &Ctx<'_>,
    client: &Client,
    existing: &Mutex<Existing>,
) -> ItemResult {
    let keys = feed_state::item_keys(&item.id, item.link.as_deref());
    let label = item.link.clone().unwrap_or_else(|| {
        let t = if item.title.is_empty() {
            "(untitled)"
        } else {
            &item.title
        };
        format!("{} item {t:?}", feed.label())
    });
    let outcome = decide(item, feed, feed_title, prior, &keys, ctx, client, existing);
    ItemResult {
        label,
        keys,
        outcome,
    }
}

#[allow(clippy::too_many_arguments)]
fn decide(
    item: &Item,
    feed: &FeedConfig,
    feed_title: Option<&str>,
    prior: Option<&FeedState>,
    keys: &[String],
    ctx: &Ctx<'_>,
    client: &Client,
    existing: &Mutex<Existing>,
) -> ItemOutcome {
    if prior.is_some_and(|p| p.has_seen(keys)) {
        return ItemOutcome::Seen;
    }
    if let (Some(since), Some(d)) = (ctx.since, item.date)
        && d < since
    {
        return ItemOutcome::Skip(format!("dated {d}, before --since {since}"));
    }
    if let Err(reason) = feed.admits(&item.filter_text()) {
        return ItemOutcome::Skip(reason);
    }
    let published = item.date.map(|d| (d, "the feed".to_string()));
    if !(feed.fetch_articles || ctx.fetch_articles) {
        let p = item.draft().and_then(|draft| {
            let opts = Options {
                source: feed.source.clone(),
                url: None,
                date: item.date,
                published,
            };
            super::finish(&draft.title.clone(), draft, &opts, ctx.config, ctx.tagger)
        });
        return match p {
            Ok(mut p) => {
                recognise_source(&mut p, ctx.sources, feed.source.as_deref(), feed_title);
                ItemOutcome::Ready(Box::new(p))
            }
            Err(e) => ItemOutcome::Fail(format!("{e:#}")),
        };
    }
    let Some(link) = &item.link else {
        return ItemOutcome::Fail("the item has no link to fetch its article from".to_string());
    };
    {
        let ex = existing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(dup) = ex.duplicate_of(&item.title, item.date, Some(link)) {
            return ItemOutcome::Skip(format!(
                "duplicate of {} (same URL, or same headline and date)",
                crate::diag::display_path(dup)
            ));
        }
    }
    let page = match client.get(link, None) {
        Ok(Fetched::Page(p)) => p,
        Ok(Fetched::NotModified) => {
            return ItemOutcome::Fail("HTTP 304 without a conditional request".into());
        }
        Err(e) => return ItemOutcome::Fail(format!("cannot fetch the article: {e:#}")),
    };
    if let Some(ct) = &page.content_type
        && !ct.contains("html")
    {
        return ItemOutcome::Fail(format!("the article link gives {ct}, not an HTML page"));
    }
    let text = String::from_utf8_lossy(&page.body);
    match prepare_page(feed, &page.url, &text, item.date, published, ctx) {
        Ok(mut p) => {
            if p.draft.title.trim().is_empty() {
                p.draft.title = item.title.clone();
            }
            recognise_source(&mut p, ctx.sources, feed.source.as_deref(), feed_title);
            ItemOutcome::Ready(Box::new(p))
        }
        Err(e) => ItemOutcome::Fail(format!("{e:#}")),
    }
}

/// An article's page, extracted by the HTML import.
fn prepare_page(
    feed: &FeedConfig,
    url: &str,
    html: &str,
    date: Option<Date>,
    published: Option<(Date, String)>,
    ctx: &Ctx<'_>,
) -> anyhow::Result<Prepared> {
    let opts = Options {
        source: feed.source.clone(),
        url: None,
        date,
        published,
    };
    let mut p = super::prepare(url, html, &opts, ctx.config, ctx.tagger, ctx.debris)?;
    if p.draft.url.is_none() {
        p.draft.url = Some(url.to_string());
    }
    if p.source_note.is_none() {
        recognise_source(&mut p, ctx.sources, feed.source.as_deref(), None);
    }
    Ok(p)
}

//! `milbrief import`: text copied from news sites and saved HTML pages,
//! cleaned into tagged Markdown articles in `content/`.
//!
//! ```text
//! input ─read─▶ text::parse / html::parse ─▶ Draft ─prepare─▶ Prepared ─place─▶ content/YYYY-MM-DD-slug.md
//! ```
//!
//! Each input is reported on one line; an input that fails does not stop
//! the others, and nothing existing is ever overwritten.
//!
//! Feeds (`--feeds`, and feeds named by URL or file) are read by
//! [`subscribe`]; the network is [`fetch`]'s.

pub mod dates;
pub mod debris;
pub mod existing;
pub mod html;
pub mod inputs;
pub mod place;
pub mod report;
pub mod text;

pub mod feed_config;
pub mod feed_state;
pub mod feeds;
pub mod fetch;
pub mod near;
pub mod subscribe;

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;
use jiff::civil::Date;
use serde::Serialize;

use crate::config::Config;
use crate::layout::CONTENT_DIR;
use crate::tag::{TagText, Tagger};
use debris::Debris;
use existing::Existing;
use inputs::{Input, collect, is_html};
use place::{Place, place};
use report::{Outcome, Tally};

/// The longest file-name slug; longer headlines are cut at a word.
const SLUG_MAX: usize = 50;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Text files, saved HTML pages, feeds, directories of them, - for
    /// standard input, or http(s) URLs of feeds or article pages.
    #[arg(required_unless_present = "feeds")]
    pub paths: Vec<PathBuf>,
    /// Read every `[[feed]]` of config.toml and import their new items.
    #[arg(long)]
    pub feeds: bool,
    /// Take only feed items dated on or after this day (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<Date>,
    /// Fetch each feed item's page and extract the article from it, for
    /// every feed (a `[[feed]]` can ask for it with `fetch_articles`).
    #[arg(long)]
    pub fetch_articles: bool,
    /// The outlet the articles come from (instead of the page's own name).
    #[arg(long)]
    pub source: Option<String>,
    /// Link to the original article (only with one input).
    #[arg(long)]
    pub url: Option<String>,
    /// Reference date (YYYY-MM-DD), the day the articles ran: "on Tuesday"
    /// is the Tuesday on or before it.
    #[arg(long)]
    pub date: Option<Date>,
    /// Directory to write the articles into [default: ROOT/content].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Site root whose config.toml gives debris rules and topics.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Print what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import duplicates too (under a new name; nothing is overwritten).
    #[arg(long)]
    pub force: bool,
    /// Leave countries and topics to be inferred at build time.
    #[arg(long)]
    pub no_tags: bool,
}

/// An article as cleaned from its input, before inference.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    pub title: String,
    /// Markdown.
    pub body: String,
    pub summary: Option<String>,
    pub author: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Publication date from metadata, and where it was found.
    pub published: Option<(Date, String)>,
    /// A reference date from metadata (the page's modification date).
    pub reference: Option<(Date, String)>,
    /// Lines of debris removed.
    pub removed: usize,
}

/// Import settings shared by every input.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub source: Option<String>,
    pub url: Option<String>,
    pub date: Option<Date>,
    /// A publication date that wins over the input's own (a feed item's),
    /// and where it was found.
    pub published: Option<(Date, String)>,
}

/// An article ready to write.
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    pub draft: Draft,
    pub date: Option<Date>,
    pub dateline: Option<String>,
    pub countries: Option<Vec<String>>,
    pub topics: Option<Vec<String>>,
    /// How the date was found, or why there is none.
    pub date_note: String,
    /// How the source was recognised.
    pub source_note: Option<String>,
}

#[derive(Serialize)]
struct FrontMatterOut<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dateline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    countries: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topics: Option<&'a [String]>,
}

impl Prepared {
    /// The Markdown file: TOML front matter, then the body. `slug` is
    /// written when the file name cannot carry it (undated articles).
    pub fn to_markdown(&self, slug: Option<&str>) -> anyhow::Result<String> {
        let d = &self.draft;
        let fm = FrontMatterOut {
            title: &d.title,
            date: self
                .date
                .map(|d| d.to_string().parse())
                .transpose()
                .context("cannot write the date")?,
            source: d.source.as_deref(),
            url: d.url.as_deref(),
            author: d.author.as_deref(),
            dateline: self.dateline.as_deref(),
            summary: d.summary.as_deref(),
            slug,
            countries: nonempty(&self.countries),
            topics: nonempty(&self.topics),
        };
        let fm = toml::to_string(&fm).context("cannot write the front matter")?;
        Ok(format!("+++\n{fm}+++\n\n{}\n", d.body.trim()))
    }

    /// The notes of the report line.
    fn notes(&self) -> Vec<String> {
        let mut n = vec![self.date_note.clone()];
        n.extend(self.source_note.clone());
        if let Some(c) = &self.dateline {
            n.push(format!("dateline {c}"));
        }
        n.extend(report::tag_notes(
            self.countries.as_deref(),
            self.topics.as_deref(),
        ));
        if self.draft.removed > 0 {
            n.push(format!("{} debris line(s) removed", self.draft.removed));
        }
        n
    }
}

fn nonempty(v: &Option<Vec<String>>) -> Option<&[String]> {
    v.as_deref().filter(|v| !v.is_empty())
}

/// Cleans one input and infers its dateline, date and tags.
pub fn prepare(
    name: &str,
    text: &str,
    opts: &Options,
    config: &Config,
    tagger: Option<&Tagger>,
    debris: &Debris,
) -> anyhow::Result<Prepared> {
    let draft = if is_html(name, text) {
        // The HTML stack is third-party code: a page that makes it panic
        // is one failed input, not a failed run.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| html::parse(text, debris)))
            .map_err(|_| anyhow::anyhow!("the HTML parser failed on this page"))??
    } else {
        text::parse(text, debris)?
    };
    finish(name, draft, opts, config, tagger)
}

/// Infers a cleaned draft's dateline, date and tags. `name` is the input's
/// name (a date at the start of a file name is a reference date).
pub fn finish(
    name: &str,
    mut draft: Draft,
    opts: &Options,
    config: &Config,
    tagger: Option<&Tagger>,
) -> anyhow::Result<Prepared> {
    if let Some(p) = &opts.published {
        draft.published = Some(p.clone());
    }
    if let Some(s) = &opts.source {
        draft.source = Some(s.clone());
    }
    if let Some(u) = &opts.url {
        draft.url = Some(u.clone());
    }

    let r = crate::markdown::render(&draft.body, &config.markdown, Some(&draft.title));
    let lead = r.lead.start.min(r.body_text.len())..r.lead.end.min(r.body_text.len());
    let dl = text::dateline(r.body_text.get(lead.clone()).unwrap_or(""));
    if draft.source.is_none() {
        draft.source = dl.as_ref().and_then(|d| d.agency.clone());
    }

    // The reference date: --date, else the page's modification date, else
    // a date at the start of the file name. Never the file's mtime.
    let file_date = Path::new(name)
        .file_stem()
        .and_then(|s| crate::load::date_prefix(&s.to_string_lossy()).map(|(d, _)| d));
    let reference = opts
        .date
        .map(|d| (d, "--date".to_string()))
        .or(draft.reference.clone())
        .or(file_date.map(|d| (d, "the file name".to_string())));
    let (date, date_note) = match &draft.published {
        Some((d, from)) => (Some(*d), format!("date {d} (from {from})")),
        None => {
            let range = dl.as_ref().map(|d| lead.start..lead.start + d.len);
            match dates::find(
                &r.body_text,
                lead.clone(),
                range,
                reference.as_ref().map(|r| r.0),
            ) {
                dates::Finding::Phrase { date, phrase } => {
                    let refn = match &reference {
                        Some((d, from)) if from == "--date" => format!(", reference {d}"),
                        Some((d, from)) => format!(", reference {d} from {from}"),
                        None => String::new(),
                    };
                    (Some(date), format!("date {date} (from {phrase:?}{refn})"))
                }
                dates::Finding::NeedsReference { phrase } => (
                    None,
                    format!(
                        "no date: the text says {phrase:?} but there is no reference date (pass --date YYYY-MM-DD)"
                    ),
                ),
                dates::Finding::Nothing => match &reference {
                    Some((d, from)) => (
                        Some(*d),
                        format!("date {d} (from {from}; the text names no day)"),
                    ),
                    None => (
                        None,
                        "no date: neither metadata nor the text gives one (pass --date YYYY-MM-DD)"
                            .to_string(),
                    ),
                },
            }
        }
    };

    let (countries, topics) = match tagger {
        Some(t) => {
            let tt = TagText {
                title: &draft.title,
                body: &r.body_text,
                lead: r.lead.clone(),
            };
            (
                Some(
                    t.countries_for(&tt)
                        .iter()
                        .map(|s| s.tag.to_string())
                        .collect(),
                ),
                Some(t.topics_for(&tt).into_iter().map(|s| s.tag).collect()),
            )
        }
        None => (None, None),
    };
    Ok(Prepared {
        draft,
        date,
        dateline: dl.map(|d| d.city),
        countries,
        topics,
        date_note,
        source_note: None,
    })
}

/// The file-name slug of a headline: at most [`SLUG_MAX`] characters, cut
/// between words.
pub fn short_slug(title: &str) -> String {
    let s = slug::slugify(title);
    if s.is_empty() {
        return "article".to_string();
    }
    if s.len() <= SLUG_MAX {
        return s;
    }
    match s[..=SLUG_MAX].rfind('-') {
        Some(i) if i > 0 => s[..i].to_string(),
        _ => s[..SLUG_MAX].trim_end_matches('-').to_string(),
    }
}

impl ImportArgs {
    pub fn run(self) -> Result<(), crate::error::Error> {
        let config = Config::load(&self.root)?;
        self.import(&config).map_err(crate::error::Error::Other)
    }

    /// Imports every input, with the site's `config`.
    fn import(self, config: &Config) -> anyhow::Result<()> {
        let mut outcomes = Vec::new();
        let (urls, paths): (Vec<PathBuf>, Vec<PathBuf>) =
            self.paths.iter().cloned().partition(|p| is_url(p));
        let inputs = collect(&paths, &mut outcomes);
        let jobs = self.feed_jobs(config, &urls)?;
        if let Some(u) = &self.url {
            if !jobs.is_empty() {
                anyhow::bail!("--url names one article; it cannot go with feeds or URLs");
            }
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                anyhow::bail!("--url must be an absolute http(s) URL, not {u:?}");
            }
            if inputs.len() > 1 {
                anyhow::bail!(
                    "--url names one article, but {} inputs were given",
                    inputs.len()
                );
            }
        }
        if inputs.iter().filter(|i| matches!(i, Input::Stdin)).count() > 1 {
            anyhow::bail!("standard input (-) can be imported only once");
        }
        let tagger = if self.no_tags {
            None
        } else {
            Some(Tagger::new(config)?)
        };
        let debris = Debris::new(&config.import_debris);
        let out = match &self.out {
            Some(o) => o.clone(),
            None => {
                let c = self.root.join(CONTENT_DIR);
                if !c.is_dir() {
                    anyhow::bail!(
                        "{}: no content/ directory here; run this in a milbrief site, or pass --root or --out",
                        self.root.display()
                    );
                }
                c
            }
        };
        let mut existing = Existing::scan(&[out.clone(), self.root.join(CONTENT_DIR)]);
        let opts = Options {
            source: self.source.clone().filter(|s| !s.trim().is_empty()),
            url: self.url.clone(),
            date: self.date,
            published: None,
        };
        let sources = crate::sources::Sources::new(&config.sources)
            .map_err(|e| anyhow::anyhow!("config.toml: {}", e.join("; ")))?;
        let at = Place {
            out: &out,
            dry_run: self.dry_run,
            force: self.force,
            max_bytes: config.markdown.max_article_bytes,
        };

        let mut tally = Tally {
            dry_run: self.dry_run,
            ..Tally::default()
        };
        for o in &outcomes {
            report(o);
            tally.add(o);
        }
        let mut jobs = jobs;
        for input in inputs {
            let name = input.name();
            let text = match input.read() {
                Ok(t) if feeds::looks_like_feed(&t) => {
                    let mut f = feed_config::FeedConfig::adhoc(&name);
                    f.source = opts.source.clone();
                    jobs.push(subscribe::Job::File(f, t));
                    continue;
                }
                other => other,
            };
            let outcome = text
                .and_then(|text| prepare(&name, &text, &opts, config, tagger.as_ref(), &debris))
                .and_then(|mut p| {
                    subscribe::recognise_source(&mut p, &sources, opts.source.as_deref(), None);
                    place(&name, &p, &at, &mut existing)
                })
                .unwrap_or_else(|e| Outcome::failed(&name, &e));
            if !(self.dry_run && matches!(outcome, Outcome::Imported { .. })) {
                report(&outcome);
            }
            tally.add(&outcome);
        }
        let ctx = subscribe::Ctx {
            root: &self.root,
            config,
            tagger: tagger.as_ref(),
            debris: &debris,
            sources: &sources,
            since: self.since,
            fetch_articles: self.fetch_articles,
        };
        subscribe::run(jobs, &ctx, &at, &mut existing, &mut tally)?;
        println!("{tally}");
        if tally.failed > 0 {
            anyhow::bail!("{} input(s) could not be imported", tally.failed);
        }
        Ok(())
    }
}

/// Whether a command-line input is an http(s) URL.
fn is_url(p: &Path) -> bool {
    let s = p.to_string_lossy();
    s.starts_with("https://") || s.starts_with("http://")
}

impl ImportArgs {
    /// The feeds to read: every `[[feed]]` with `--feeds`, and the URLs
    /// named on the command line.
    fn feed_jobs(&self, config: &Config, urls: &[PathBuf]) -> anyhow::Result<Vec<subscribe::Job>> {
        let mut jobs = Vec::new();
        if self.feeds {
            if config.subscriptions.is_empty() {
                anyhow::bail!(
                    "--feeds: config.toml lists no feeds; add a [[feed]] table with the feed's url"
                );
            }
            jobs.extend(
                config
                    .subscriptions
                    .iter()
                    .cloned()
                    .map(subscribe::Job::Subscribed),
            );
        }
        for u in urls {
            let u = u.to_string_lossy();
            fetch::parse_url(&u).map_err(|e| anyhow::anyhow!("{u}: {e}"))?;
            let mut f = feed_config::FeedConfig::adhoc(&u);
            f.source = self.source.clone().filter(|s| !s.trim().is_empty());
            jobs.push(subscribe::Job::Url(f));
        }
        Ok(jobs)
    }
}

/// Prints an outcome: errors to standard error, the rest to standard output.
fn report(o: &Outcome) {
    match o {
        Outcome::Failed { .. } => eprintln!("{o}"),
        _ => println!("{o}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_cut_between_words() {
        assert_eq!(
            short_slug(
                "Pakistani, Russian armies kick off ‘Druzhba-VII’ joint counter-terror exercise"
            ),
            "pakistani-russian-armies-kick-off-druzhba-vii"
        );
        assert_eq!(short_slug("Short"), "short");
        assert_eq!(short_slug("!!!"), "article");
        assert!(short_slug(&"a".repeat(80)).len() <= SLUG_MAX);
    }

    fn prep(text: &str, date: Option<Date>) -> Prepared {
        let config = Config::default();
        let tagger = Tagger::new(&config).unwrap();
        let opts = Options {
            date,
            ..Options::default()
        };
        prepare(
            "a.txt",
            text,
            &opts,
            &config,
            Some(&tagger),
            &Debris::new(&[]),
        )
        .unwrap()
    }

    const TEXT: &str = "Navy \"tests\" a [new] drone\n\nKARACHI: The Pakistan Navy tested a new drone over the Arabian Sea, the navy said on Friday.\n\nMore text.\n";

    #[test]
    fn written_articles_load_back() {
        let p = prep(TEXT, Some(jiff::civil::date(2023, 10, 18)));
        assert_eq!(p.date, Some(jiff::civil::date(2023, 10, 13)));
        assert_eq!(p.dateline.as_deref(), Some("Karachi"));
        assert_eq!(p.countries.as_deref(), Some(&["PK".to_string()][..]));
        let md = p.to_markdown(None).unwrap();
        let a = crate::load::parse_article(
            Path::new("content/2023-10-13-x.md"),
            &md,
            &Config::default(),
        )
        .unwrap();
        assert_eq!(a.title, "Navy \"tests\" a [new] drone");
        assert_eq!(a.dateline.as_deref(), Some("Karachi"));
        assert_eq!(a.date, p.date);
        assert_eq!(a.raw_countries.unwrap()[0].value, "PK");
    }

    #[test]
    fn no_reference_no_date() {
        let p = prep(TEXT, None);
        assert_eq!(p.date, None);
        assert!(
            p.date_note.contains("\"said on Friday\""),
            "{}",
            p.date_note
        );
        assert!(p.date_note.contains("--date"), "{}", p.date_note);
        let md = p.to_markdown(Some("navy-tests-a-new-drone")).unwrap();
        assert!(md.contains("slug = \"navy-tests-a-new-drone\""), "{md}");
        assert!(!md.contains("date ="), "{md}");
    }
}

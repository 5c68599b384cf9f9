//! Command-line interface: one `*Args` struct per verb, each with `run()`.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};

use crate::config::Config;
use rayon::prelude::*;

use crate::tag::{Analysis, Evidence, TagText, Tagger};
use crate::{BuildOptions, load, markdown, scaffold};

/// milbrief — a static site generator for defense-news digests.
#[derive(Debug, Parser)]
#[command(name = "milbrief", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output).
    Build(BuildArgs),
    /// Check the whole site and report every problem; writes nothing.
    /// Exit status: 0 no errors, 1 errors (or warnings with
    /// --deny-warnings), 2 the check could not run.
    Check(crate::check::CheckArgs),
    /// Turn scraped text or saved HTML pages into tagged Markdown articles.
    Import(crate::import::ImportArgs),
    /// Create a new site in DIR (which must be empty or absent).
    Init(InitArgs),
    /// Create a new article in content/, dated today.
    New(NewArgs),
    /// Preview the site on localhost, rebuilding and reloading on every change.
    Serve(crate::serve::ServeArgs),
    /// Print the countries and topics the tagger finds in Markdown files.
    Tags(TagsArgs),
}

impl Cli {
    pub fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Build(a) => a.run(),
            Command::Check(a) => match a.status() {
                0 => Ok(()),
                n => anyhow::bail!("check finished with status {n}"),
            },
            Command::Import(a) => a.run(),
            Command::Init(a) => a.run(),
            Command::New(a) => a.run(),
            Command::Serve(a) => a.run(),
            Command::Tags(a) => a.run(),
        }
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site root: the directory holding config.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output directory [default: ROOT/public].
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Base URL of the published site, overriding config.toml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Build everything, and neither read nor write the build cache
    /// (ROOT/.milbrief/).
    #[arg(long)]
    pub no_cache: bool,
    /// Print nothing but errors: no progress bar, no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the time each phase of the build took, on standard error.
    #[arg(long)]
    pub timings: bool,
}

impl BuildArgs {
    pub fn run(self) -> anyhow::Result<()> {
        let opts = BuildOptions {
            root: self.root,
            output: self.output,
            base_url: self.base_url,
            drafts: self.drafts,
        };
        let progress = if self.quiet {
            crate::progress::Progress::hidden()
        } else {
            crate::progress::Progress::on_terminal()
        };
        let r = crate::build_with(&opts, !self.no_cache, &progress);
        progress.finish();
        let r = r?;
        if !self.quiet {
            for n in &r.notices {
                eprintln!("note: {n}");
            }
            println!(
                "Built {} article{} into {}: {} files ({} written, {} unchanged, {} removed) in {} ms",
                r.articles,
                if r.articles == 1 { "" } else { "s" },
                opts.output_dir().display(),
                r.outputs,
                r.stats.written,
                r.stats.unchanged,
                r.stats.removed,
                r.elapsed.as_millis()
            );
        }
        if self.timings {
            eprintln!("{}", timings(&r));
        }
        Ok(())
    }
}

/// The phases of a build and their times, one per line; a phase that ran
/// in several parts is summed.
fn timings(r: &crate::BuildReport) -> String {
    let mut rows: Vec<(&str, std::time::Duration)> = Vec::new();
    for (name, d) in &r.phases {
        match rows.iter_mut().find(|(n, _)| n == name) {
            Some(row) => row.1 += *d,
            None => rows.push((name, *d)),
        }
    }
    let how = match r.cache {
        crate::builder::CacheUse::Off => "no cache".to_string(),
        crate::builder::CacheUse::Full => "full build".to_string(),
        crate::builder::CacheUse::Incremental => format!(
            "incremental: {} article{} read, {} of {} page{} looked at, {} rendered",
            r.reread,
            if r.reread == 1 { "" } else { "s" },
            r.examined,
            r.outputs,
            if r.outputs == 1 { "" } else { "s" },
            r.rendered,
        ),
        crate::builder::CacheUse::Unchanged => "nothing changed".to_string(),
    };
    let mut out = format!("timings ({how}):");
    for (name, d) in rows {
        out.push_str(&format!("\n  {name:<12} {:>8.1} ms", d.as_secs_f64() * 1e3));
    }
    out.push_str(&format!(
        "\n  {:<12} {:>8.1} ms",
        "total",
        r.elapsed.as_secs_f64() * 1e3
    ));
    out
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory for the new site.
    pub dir: PathBuf,
}

impl InitArgs {
    pub fn run(self) -> anyhow::Result<()> {
        let files = scaffold::init(&self.dir, scaffold::today())?;
        println!(
            "Created a new milbrief site in {} ({} files). Next:\n  cd {}\n  milbrief new \"Headline of your first article\"\n  milbrief build",
            self.dir.display(),
            files,
            self.dir.display()
        );
        Ok(())
    }
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The article's headline.
    pub title: String,
    /// Site root.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Date of the article (YYYY-MM-DD) [default: today].
    #[arg(long)]
    pub date: Option<jiff::civil::Date>,
}

impl NewArgs {
    pub fn run(self) -> anyhow::Result<()> {
        let date = self.date.unwrap_or_else(scaffold::today);
        let path = scaffold::new_article(&self.root, &self.title, date)?;
        println!("Created {}", path.display());
        Ok(())
    }
}

#[derive(Debug, Args)]
pub struct TagsArgs {
    /// Markdown files or directories (searched recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print JSON: {"file.md": {"countries": [...], "topics": [...],
    /// "relevance": 0.83}}.
    #[arg(long)]
    pub json: bool,
    /// Show each tag's score and the phrases that earned it, and what made
    /// the article relevant or off-topic.
    #[arg(long)]
    pub explain: bool,
    /// Site root whose config.toml adds or changes topics.
    #[arg(long)]
    pub root: Option<PathBuf>,
}

impl TagsArgs {
    pub fn run(self) -> anyhow::Result<()> {
        let config = match &self.root {
            Some(r) => Config::load(r)?,
            None => Config::default(),
        };
        let tagger = Tagger::new(&config)?;
        let mut files = Vec::new();
        for p in &self.paths {
            files.extend(markdown_files(p)?);
        }
        let results: Vec<(String, PathBuf, anyhow::Result<Analysis>)> = files
            .into_par_iter()
            .map(|(key, file)| {
                let r = tag_file(&tagger, &file, &config);
                (key, file, r)
            })
            .collect();
        let mut failed = 0;
        let mut json = serde_json::Map::new();
        for (key, file, r) in results {
            let r = match r {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("{}: {e:#}", file.display());
                    failed += 1;
                    continue;
                }
            };
            let codes: Vec<String> = r.countries.iter().map(|s| s.tag.to_string()).collect();
            let slugs: Vec<&str> = r.topics.iter().map(|s| s.tag.as_str()).collect();
            let min = tagger.min_relevance();
            if self.json {
                let mut v = serde_json::json!({
                    "countries": codes,
                    "topics": slugs,
                    "relevance": r.relevance.score,
                });
                if self.explain {
                    v["explain"] = serde_json::json!({
                        "countries": r.countries,
                        "topics": r.topics,
                        "relevance": r.relevance,
                        "off_topic": r.relevance.is_off_topic(min),
                    });
                }
                json.insert(key, v);
            } else if self.explain {
                println!("{key}");
                println!("  {}", r.relevance.summary(min));
                print_evidence(&r.relevance.discounted);
                for s in &r.countries {
                    let name = tagger.gazetteer.name(s.tag);
                    println!("  country {} ({name}) score {}", s.tag, s.score);
                    print_evidence(&s.evidence);
                }
                for s in &r.topics {
                    println!("  topic {} score {}", s.tag, s.score);
                    print_evidence(&s.evidence);
                }
                for s in &r.dropped {
                    let name = tagger.gazetteer.name(s.tag);
                    println!("  not tagged: {} ({name}) score {}", s.tag, s.score);
                    print_evidence(&s.evidence);
                }
            } else {
                println!("{key}: {} | {}", codes.join(" "), slugs.join(", "));
            }
        }
        if self.json {
            println!("{}", serde_json::to_string_pretty(&json)?);
        }
        if failed > 0 {
            anyhow::bail!("{failed} file(s) could not be read");
        }
        Ok(())
    }
}

fn print_evidence(evidence: &[Evidence]) {
    for e in evidence {
        let times = if e.count > 1 {
            format!(" ×{}", e.count)
        } else {
            String::new()
        };
        let note = e.note.map(|n| format!(" ({n})")).unwrap_or_default();
        println!(
            "      {:<8} {:?}{times}: {:+}{note}",
            e.part.label(),
            e.text,
            e.weight
        );
    }
}

/// (key, path) of every `.md` file: keys relative to a directory argument.
fn markdown_files(p: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    if p.is_file() {
        return Ok(vec![(p.to_string_lossy().into_owned(), p.to_path_buf())]);
    }
    if !p.is_dir() {
        anyhow::bail!("{}: no such file or directory", p.display());
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(p)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for e in walker {
        let e = e.with_context(|| format!("cannot read {}", p.display()))?;
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") {
            let key = e.path().strip_prefix(p).unwrap_or(e.path());
            out.push((
                key.to_string_lossy().replace('\\', "/"),
                e.path().to_path_buf(),
            ));
        }
    }
    Ok(out)
}

/// Tags a file from its text alone: front matter is read only for the title.
fn tag_file(tagger: &Tagger, path: &Path, config: &Config) -> anyhow::Result<Analysis> {
    let text = std::fs::read_to_string(path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let (fm, body) = load::split_front_matter(text).map_err(|m| anyhow::anyhow!(m))?;
    let title = match fm {
        Some((fm, _)) => {
            let table: toml::Table = toml::from_str(fm).context("invalid front matter")?;
            table
                .get("title")
                .and_then(|t| t.as_str())
                .map(str::to_string)
        }
        None => None,
    };
    let r = markdown::render(body, &config.markdown, title.as_deref());
    let title = title.or(r.title.clone()).unwrap_or_default();
    let text = TagText {
        title: &title,
        body: &r.body_text,
        lead: r.lead.clone(),
    };
    Ok(tagger.analyse(&text))
}

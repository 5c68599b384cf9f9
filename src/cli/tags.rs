//! `milbrief tags`: the countries and topics the tagger finds in Markdown
//! files and how much each is about defence and security, with `--explain`
//! the phrases that earned each, as JSON with `--json`; with `--list`, the
//! names front matter accepts.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;
use rayon::prelude::*;

use crate::config::Config;
use crate::error::Error;
use crate::model::Evidence;
use crate::pipeline;
use crate::tag::{Analysis, TagText, Tagger};

#[derive(Debug, Args)]
pub struct TagsArgs {
    /// Markdown files or directories (searched recursively).
    #[arg(required_unless_present = "list")]
    pub paths: Vec<PathBuf>,
    /// List the valid country or topic names instead (with a site's own
    /// topics: run it in the site, or give --root).
    #[arg(long, value_name = "WHAT", conflicts_with = "paths")]
    pub list: Option<super::tag_names::Names>,
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
    pub fn run(self) -> Result<(), Error> {
        let root = self.root.clone().or_else(|| {
            let here = PathBuf::from(".");
            let in_site = self.list.is_some() && here.join(crate::layout::CONFIG_FILE).is_file();
            in_site.then_some(here)
        });
        let config = match &root {
            Some(r) => Config::load(r)?,
            None => Config::default(),
        };
        if let Some(what) = self.list {
            let tagger = Tagger::new(&config).map_err(Error::Other)?;
            print!("{}", super::tag_names::list(&tagger, what));
            return Ok(());
        }
        self.print(&config).map_err(Error::Other)
    }

    /// Tags every file and prints what the tagger found.
    fn print(&self, config: &Config) -> anyhow::Result<()> {
        let tagger = Tagger::new(config)?;
        let mut files = Vec::new();
        for p in &self.paths {
            files.extend(markdown_files(p)?);
        }
        let results: Vec<(String, PathBuf, anyhow::Result<Analysis>)> = files
            .into_par_iter()
            .map(|(key, file)| {
                let r = tag_file(&tagger, &file, config);
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
        let note = e
            .note
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
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

/// Tags a file as the build's load and tag stages would tag it, but
/// leniently: its front matter need only be valid TOML (only the title is
/// read), and its tags are the tagger's own, whatever it gives.
fn tag_file(tagger: &Tagger, path: &Path, config: &Config) -> anyhow::Result<Analysis> {
    let text = std::fs::read_to_string(path)?;
    let (title, r) = pipeline::tag_input(&text, config).map_err(|m| anyhow::anyhow!(m))?;
    let text = TagText {
        title: &title,
        body: &r.body_text,
        lead: r.lead.clone(),
    };
    Ok(tagger.analyse(&text))
}

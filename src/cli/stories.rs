//! `milbrief stories`: the site's stories with more than one report, and
//! with `--explain` why each report belongs to its story (a copy of which
//! article, or another report of its event, and how alike they are).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use rayon::prelude::*;

use crate::diag::display_path;
use crate::error::Error;
use crate::index::Site;
use crate::pipeline::{self, BuildOptions};
use crate::stories::Why;
use crate::tag::Workload;

#[derive(Debug, Args)]
pub struct StoriesArgs {
    /// Site root: the directory holding config.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Show why each report belongs to its story.
    #[arg(long)]
    pub explain: bool,
    /// Show the stories of at least this many reports.
    #[arg(long, default_value_t = 2)]
    pub min: usize,
    /// Print how long the clustering alone took (on stderr).
    #[arg(long)]
    pub timings: bool,
}

impl StoriesArgs {
    pub fn run(self) -> Result<(), Error> {
        let opts = BuildOptions::new(&self.root);
        let config = pipeline::config(&opts)?;
        let tagger = Arc::new(pipeline::tagger(&config, Workload::Many)?);
        let files = pipeline::content_files(&self.root)?;
        let read: Vec<_> = files
            .par_iter()
            .map(|rel| {
                pipeline::read(&self.root, rel, &config)
                    .map_err(|u| pipeline::problems(&tagger, u))
                    .and_then(|a| pipeline::tagged(&tagger, a))
                    .map(Arc::new)
            })
            .collect();
        let (articles, errs, _) = pipeline::select(read.iter(), false);
        errs.into_result()?;
        let site = pipeline::index(config, tagger, articles, None);
        if self.timings {
            let t = std::time::Instant::now();
            let again = crate::stories::Stories::cluster(&site.articles, site.config.story_days);
            eprintln!(
                "clustered {} articles into {} stories in {:.1} ms",
                site.articles.len(),
                again.len(),
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
        // A closed pipe (`| head`) ends the output, not the program.
        use std::io::Write as _;
        match std::io::stdout()
            .lock()
            .write_all(self.report(&site).as_bytes())
        {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(anyhow::anyhow!("cannot write the report: {e}").into())
            }
            _ => Ok(()),
        }
    }

    /// The report, as printed.
    fn report(&self, site: &Site) -> String {
        let st = &site.stories;
        let mut out = String::new();
        let shown = (0..st.len()).filter(|&s| st.members(s).len() >= self.min.max(1));
        let many = (0..st.len()).filter(|&s| st.members(s).len() > 1).count();
        let _ = writeln!(
            out,
            "{} articles in {} stories ({many} of more than one report)",
            site.articles.len(),
            st.len()
        );
        for s in shown {
            let members = st.members(s);
            let lead = &site.articles[st.lead(s)];
            let date = lead.date.map(|d| d.to_string()).unwrap_or_default();
            let _ = writeln!(
                out,
                "\n{date} {} — {} reports\n  {}",
                lead.title,
                members.len(),
                display_path(&lead.source_path)
            );
            for &i in &members[1..] {
                let a = &site.articles[i as usize];
                let _ = writeln!(out, "  + {}", display_path(&a.source_path));
                let Some(link) = st.link(i as usize).filter(|_| self.explain) else {
                    continue;
                };
                let with = display_path(&site.articles[link.with as usize].source_path);
                let why = match link.why {
                    Why::Copy { text } => format!(
                        "a copy of {with}: headline and lead {:.0}% the same",
                        text * 100.0
                    ),
                    Why::Event { title, lead } => format!(
                        "the event of {with}: headlines {:.0}% alike, leads {:.0}%, a shared country",
                        title * 100.0,
                        lead * 100.0
                    ),
                };
                let _ = writeln!(out, "      {why}");
            }
        }
        out
    }
}

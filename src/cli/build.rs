//! `milbrief build`: builds the site into its output directory, with the
//! build cache unless `--no-cache`; prints a summary and, with
//! `--timings`, the time of each phase.

use std::path::PathBuf;

use clap::Args;

use crate::builder::{BuildReport, CacheUse, build_with};
use crate::error::Error;
use crate::pipeline::BuildOptions;
use crate::progress::Progress;

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
    /// Remove from the output directory what milbrief did not write
    /// (otherwise kept and reported), also where it is in the way.
    #[arg(long)]
    pub clean: bool,
    /// Print nothing but errors: no progress bar, no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the time each phase of the build took, on standard error.
    #[arg(long)]
    pub timings: bool,
}

impl BuildArgs {
    pub fn run(self) -> Result<(), Error> {
        let opts = BuildOptions {
            root: self.root,
            output: self.output,
            base_url: self.base_url,
            drafts: self.drafts,
            clean: self.clean,
        };
        let progress = if self.quiet {
            Progress::hidden()
        } else {
            Progress::on_terminal()
        };
        let r = build_with(&opts, !self.no_cache, &progress);
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
fn timings(r: &BuildReport) -> String {
    let mut rows: Vec<(&str, std::time::Duration)> = Vec::new();
    for (name, d) in &r.phases {
        match rows.iter_mut().find(|(n, _)| n == name) {
            Some(row) => row.1 += *d,
            None => rows.push((name, *d)),
        }
    }
    let how = match r.cache {
        CacheUse::Off => "no cache".to_string(),
        CacheUse::Full => "full build".to_string(),
        CacheUse::Incremental => format!(
            "incremental: {} article{} read, {} of {} page{} looked at, {} rendered",
            r.reread,
            if r.reread == 1 { "" } else { "s" },
            r.examined,
            r.outputs,
            if r.outputs == 1 { "" } else { "s" },
            r.rendered,
        ),
        CacheUse::Unchanged => "nothing changed".to_string(),
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

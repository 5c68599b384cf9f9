//! `milbrief check`: checks the whole site and prints every problem;
//! writes nothing.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use jiff::civil::Date;

use crate::check::CheckOptions;

/// Output format of `milbrief check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: severity[code]: message`, one per line.
    Text,
    /// One JSON object: counts and the list of problems.
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Site root: the directory holding config.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Include drafts in the site-wide checks (slugs, links, duplicates).
    #[arg(long)]
    pub drafts: bool,
    /// Exit with status 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// The day future dates are judged against (YYYY-MM-DD) [default: today].
    #[arg(long)]
    pub today: Option<Date>,
}

impl CheckArgs {
    /// Runs the check and prints its report. Returns the exit status:
    /// 0 no errors, 1 errors (or warnings with --deny-warnings), 2 the
    /// check could not run.
    pub fn status(&self) -> u8 {
        let mut opts = CheckOptions::new(&self.root);
        opts.drafts = self.drafts;
        if let Some(d) = self.today {
            opts.today = d;
        }
        let report = match crate::check::check(&opts) {
            Ok(r) => r,
            Err(e) => {
                let msg = format!("{e:#}");
                match self.format {
                    Format::Text => eprintln!("error: {msg}"),
                    Format::Json => println!("{}", serde_json::json!({ "error": msg })),
                }
                return 2;
            }
        };
        let out = match self.format {
            Format::Text => report.to_text(),
            Format::Json => format!("{}\n", report.to_json()),
        };
        use std::io::Write as _;
        let _ = std::io::stdout().lock().write_all(out.as_bytes());
        report.status(self.deny_warnings)
    }
}

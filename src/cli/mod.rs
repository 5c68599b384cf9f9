//! Command-line interface: one `*Args` struct per verb, each with `run()`,
//! each in its own file.

mod build;
mod check;
mod init;
mod new;
mod serve;
mod stories;
mod tag_names;
mod tags;
mod templates;

use clap::{Parser, Subcommand};

use crate::error::Error;

pub use build::BuildArgs;
pub use check::CheckArgs;
pub use init::InitArgs;
pub use new::NewArgs;
pub use serve::ServeArgs;
pub use stories::StoriesArgs;
pub use tags::TagsArgs;
pub use templates::TemplatesArgs;

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
    Check(CheckArgs),
    /// Turn scraped text or saved HTML pages into tagged Markdown articles.
    Import(crate::import::ImportArgs),
    /// Create a new site in DIR (which must be empty or absent).
    Init(InitArgs),
    /// Create a new article in content/, dated today.
    New(NewArgs),
    /// Preview the site on localhost, rebuilding and reloading on every change.
    Serve(ServeArgs),
    /// Print the site's stories of several reports; with --explain, why
    /// each report belongs to its story.
    Stories(StoriesArgs),
    /// Print the countries and topics the tagger finds in Markdown files.
    Tags(TagsArgs),
    /// List the built-in templates and static files, or copy one into the
    /// site to change it.
    Templates(TemplatesArgs),
}

impl Cli {
    pub fn run(self) -> Result<(), Error> {
        match self.command {
            Command::Build(a) => a.run(),
            Command::Check(a) => match a.status() {
                0 => Ok(()),
                n => Err(anyhow::anyhow!("check finished with status {n}").into()),
            },
            Command::Import(a) => a.run(),
            Command::Init(a) => Ok(a.run()?),
            Command::New(a) => Ok(a.run()?),
            Command::Serve(a) => Ok(a.run()?),
            Command::Stories(a) => a.run(),
            Command::Tags(a) => a.run(),
            Command::Templates(a) => Ok(a.run()?),
        }
    }
}

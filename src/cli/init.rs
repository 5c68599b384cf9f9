//! `milbrief init`: a new site.

use std::path::PathBuf;

use clap::Args;

use crate::scaffold;

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

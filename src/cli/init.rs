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
        let dir = self.dir.display();
        println!(
            "Created a new milbrief site in {dir} ({files} files; the templates and the stylesheet are built in, `milbrief templates` copies one to change it). Next:\n  cd {dir}\n  milbrief serve --open        # preview at http://127.0.0.1:1111/, rebuilt as you save\n  milbrief new \"Headline of your first article\"\n  milbrief build               # the site in public/, to publish or open from disk"
        );
        Ok(())
    }
}

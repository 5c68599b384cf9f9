//! `milbrief init`: a new site.

use std::path::PathBuf;

use clap::Args;

use crate::scaffold;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory for the new site.
    pub dir: PathBuf,
    /// How countries are grouped into regions: "m49" (the UN's regions) or
    /// "defense-desk" (Middle East & North Africa, Europe, Russia & Eurasia,
    /// Indo-Pacific, ...).
    #[arg(long, value_name = "PRESET", default_value = "m49", value_parser = clap::builder::PossibleValuesParser::new(crate::regions::PRESETS))]
    pub regions: String,
}

impl InitArgs {
    pub fn run(self) -> anyhow::Result<()> {
        let files = scaffold::init(&self.dir, scaffold::today())?;
        if self.regions != "m49" {
            scaffold::choose_regions(&self.dir, &self.regions)?;
        }
        let dir = self.dir.display();
        println!(
            "Created a new milbrief site in {dir} ({files} files; the templates and the stylesheet are built in, `milbrief templates` copies one to change it). Next:\n  cd {dir}\n  milbrief serve --open        # preview at http://127.0.0.1:1111/, rebuilt as you save\n  milbrief new \"Headline of your first article\"\n  milbrief build               # the site in public/, to publish or open from disk"
        );
        Ok(())
    }
}

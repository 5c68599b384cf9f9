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
        println!(
            "Created a new milbrief site in {} ({} files). Next:\n  cd {}\n  milbrief new \"Headline of your first article\"\n  milbrief build",
            self.dir.display(),
            files,
            self.dir.display()
        );
        Ok(())
    }
}

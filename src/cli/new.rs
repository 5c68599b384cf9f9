//! `milbrief new`: a new article, dated today.

use std::path::PathBuf;

use clap::Args;

use crate::scaffold;

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
        crate::load::in_range(date).map_err(anyhow::Error::msg)?;
        let path = scaffold::new_article(&self.root, &self.title, date)?;
        println!(
            "Created {} as a draft (`draft = true`): `milbrief serve --drafts` previews it; delete that line to publish it",
            path.display()
        );
        Ok(())
    }
}

//! Writing an imported article: a free file name, never over an existing
//! file, and duplicates skipped unless forced.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

use super::existing::{Entry, Existing};
use super::report::Outcome;
use super::{Prepared, short_slug};
use crate::diag::display_path;

/// Where and how to write.
pub struct Place<'a> {
    pub out: &'a Path,
    pub dry_run: bool,
    pub force: bool,
    /// The largest article file the build accepts (`[markdown]
    /// max_article_kb`): a larger one is not written.
    pub max_bytes: u64,
}

/// Writes a prepared article under a free name, unless it is a duplicate.
pub fn place(
    input: &str,
    p: &Prepared,
    at: &Place<'_>,
    existing: &mut Existing,
) -> anyhow::Result<Outcome> {
    let d = &p.draft;
    let mut notes = p.notes();
    if let Some(dup) = existing.duplicate_of(&d.title, p.date, d.url.as_deref()) {
        let dup = display_path(dup);
        if !at.force {
            return Ok(Outcome::Skipped {
                input: input.to_string(),
                reason: format!(
                    "duplicate of {dup} (same URL, or same headline and date); --force imports it anyway"
                ),
            });
        }
        notes.push(format!("duplicate of {dup}, imported because of --force"));
    }
    let base = short_slug(&d.title);
    let prefix = p.date.map_or("undated".to_string(), |d| d.to_string());
    if p.date.is_none() {
        notes.push("undated: add a `date` to its front matter".to_string());
    }
    if !at.dry_run {
        std::fs::create_dir_all(at.out)
            .with_context(|| format!("cannot create {}", at.out.display()))?;
    }
    for n in 1..1000 {
        let slug = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        if existing.slug_taken(&slug) {
            continue;
        }
        let path = at.out.join(format!("{prefix}-{slug}.md"));
        let text = p.to_markdown(p.date.is_none().then_some(slug.as_str()))?;
        if text.len() as u64 > at.max_bytes {
            anyhow::bail!(
                "the article would be {} ({} bytes), more than the {} an article may be (`[markdown] max_article_kb` in config.toml); nothing was written",
                crate::diag::size(text.len() as u64),
                text.len(),
                crate::diag::size(at.max_bytes)
            );
        }
        if at.dry_run {
            if path.exists() {
                continue;
            }
            print!(
                "{}",
                Outcome::Imported {
                    input: input.into(),
                    path: path.clone(),
                    notes: notes.clone(),
                    dry_run: true
                }
            );
            println!(
                "\n{}",
                text.trim_end()
                    .lines()
                    .map(|l| format!("    {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        } else {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path);
            let mut f = match f {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => anyhow::bail!("cannot create {}: {e}", path.display()),
            };
            f.write_all(text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        existing.add(
            &path,
            &Entry {
                title: &d.title,
                date: p.date,
                url: d.url.as_deref(),
                slug: &slug,
            },
        );
        return Ok(Outcome::Imported {
            input: input.to_string(),
            path,
            notes,
            dry_run: at.dry_run,
        });
    }
    anyhow::bail!("no free file name for {base:?} in {}", at.out.display())
}

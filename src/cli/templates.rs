//! `milbrief templates`: the built-in templates and static files a site can
//! override, and a copy of one into the site to edit. A site starts with
//! none (they are compiled into the binary), so that improvements to the
//! built-in set reach it; only the files it copies are its own.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::layout::{CONFIG_FILE, CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR};
use crate::load::BUILTIN_STATIC;
use crate::render::BUILTIN_TEMPLATES;

#[derive(Debug, Args)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub action: TemplatesAction,
    /// Site root.
    #[arg(long, default_value = ".", global = true)]
    pub root: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesAction {
    /// List the built-in files, and which of them the site overrides.
    List,
    /// Copy a built-in file (`article.html`, `partials/card.html`,
    /// `style.css`) into the site's templates/ or static/ to edit it.
    Copy {
        /// The file's name, as `list` prints it.
        name: String,
    },
}

/// Every built-in file: its name, where a site's copy goes (relative to
/// the root), and its bytes.
fn builtins() -> impl Iterator<Item = (&'static str, PathBuf, &'static [u8])> {
    let templates = BUILTIN_TEMPLATES
        .iter()
        .map(|(n, t)| (*n, Path::new(TEMPLATES_DIR).join(n), t.as_bytes()));
    let statics = BUILTIN_STATIC
        .iter()
        .map(|(n, b)| (*n, Path::new(STATIC_DIR).join(n), *b));
    templates.chain(statics)
}

impl TemplatesArgs {
    pub fn run(self) -> anyhow::Result<()> {
        match self.action {
            TemplatesAction::List => {
                print!("{}", list(&self.root));
                Ok(())
            }
            TemplatesAction::Copy { name } => {
                let to = copy(&self.root, &name)?;
                println!(
                    "Copied the built-in {name} to {}: the site now uses this copy; delete it to go back to the built-in one",
                    to.display()
                );
                Ok(())
            }
        }
    }
}

/// `name  path` lines, with "(overridden)" where the site has its own.
fn list(root: &Path) -> String {
    let mut out = String::new();
    for (name, path, _) in builtins() {
        let own = if root.join(&path).exists() {
            "  (the site's own)"
        } else {
            ""
        };
        out.push_str(&format!("{name:<24} {}{own}\n", path.display()));
    }
    out
}

/// Copies the built-in file `name` into the site; never overwrites.
fn copy(root: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let name = name
        .trim_start_matches("templates/")
        .trim_start_matches("static/");
    let Some((_, rel, bytes)) = builtins().find(|(n, _, _)| *n == name) else {
        let names: Vec<&str> = builtins().map(|(n, _, _)| n).collect();
        let near = crate::suggest::nearest(name, names.iter().map(|n| (*n, *n)));
        let hint = near.map_or(String::new(), |n| format!(" (did you mean {n}?)"));
        anyhow::bail!(
            "no built-in file {name:?}{hint}; `milbrief templates list` lists them: {}",
            names.join(", ")
        );
    };
    if !root.join(CONFIG_FILE).is_file() && !root.join(CONTENT_DIR).is_dir() {
        anyhow::bail!(
            "{}: not a milbrief site (no config.toml or content/); run this in one (or pass --root), or start one with `milbrief init DIR`",
            root.display()
        );
    }
    let to = root.join(&rel);
    crate::scaffold::create_new(&to, bytes)?;
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_once_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        assert!(copy(dir.path(), "article.html").is_err(), "not a site");
        std::fs::write(dir.path().join("config.toml"), "").unwrap();
        let to = copy(dir.path(), "partials/card.html").unwrap();
        assert!(to.ends_with("templates/partials/card.html"));
        std::fs::write(&to, "mine").unwrap();
        let e = copy(dir.path(), "partials/card.html").unwrap_err();
        assert!(e.to_string().contains("already exists"), "{e}");
        assert_eq!(std::fs::read_to_string(&to).unwrap(), "mine");
        let css = copy(dir.path(), "style.css").unwrap();
        assert!(css.ends_with("static/style.css"));
        assert!(list(dir.path()).contains("static/style.css  (the site's own)"));
        let e = copy(dir.path(), "artcle.html").unwrap_err();
        assert!(e.to_string().contains("did you mean article.html?"), "{e}");
    }
}

//! `milbrief init` and `milbrief new`: files a user starts from. Neither
//! ever overwrites anything.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use jiff::civil::Date;

const STARTER_CONFIG: &str = r#"# milbrief site configuration. Every key is optional.
title = "My defense digest"
description = "Defense and security news, tagged by country and topic."
# The address the site will be published at.
base_url = "https://example.org/"
language = "en"
# Articles per listing page.
per_page = 20
# Links end in index.html, so the site also works opened from disk.
# Set to false for directory-style links on a web server.
index_links = true
# How countries are grouped into regions: "m49" (the UN's regions) or
# "defense-desk" (Middle East & North Africa, Europe, Russia & Eurasia,
# Indo-Pacific, Americas, Sub-Saharan Africa). Or define your own with
# [[region]] tables (name, countries, and parent for a sub-region) in
# place of this line.
regions = "m49"

[markdown]
# Raw HTML in articles is sanitised; set true only for trusted content.
unsafe_html = false

# Add a topic, or rename / extend a built-in one:
# [[topic]]
# slug = "drones"
# name = "Drones & counter-drone"
# rules = [["drone*", 3], ["counter-drone", 3], ["loitering munition*", 3]]
"#;

/// What `init` tells git to leave out: the output and the build cache.
const GITIGNORE: &str =
    "# Built by milbrief: the site's output and its build cache.\n/public/\n/.milbrief/\n";

/// The lead paragraph `milbrief new` writes for the editor to replace: an
/// article that still has it is not published (see the load stage), and
/// `check` warns about a draft that does.
pub const NEW_LEAD: &str = "CITY: Lead paragraph: who did what, where and when.";

/// Today's date in the local time zone (UTC if it is unknown).
pub fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

/// Writes a new working site into `dir`, which must be empty or absent.
/// Returns the number of files written.
pub fn init(dir: &Path, date: Date) -> anyhow::Result<usize> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{}: exists and is not a directory", dir.display());
        }
        if std::fs::read_dir(dir)?.next().is_some() {
            bail!(
                "{}: directory is not empty; milbrief init only writes into an empty or new directory",
                dir.display()
            );
        }
    }
    let example = format!(
        "+++\ntitle = \"Welcome to your defense digest\"\ndate = {date}\nsource = \"milbrief\"\nsummary = \"How articles, front matter and tags work.\"\n+++\n\nEach article is a Markdown file in `content/`. Front matter between `+++` lines sets the title, date, source and, optionally, `countries` and `topics`. Leave the tags out and milbrief infers them: this paragraph mentions Poland and the United States, and a joint exercise, so it is tagged with both countries and the exercises topic.\n\nRun `milbrief new \"Headline\"` to start the next article, and `milbrief build` to publish the site into `public/`.\n"
    );
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        ("config.toml".into(), STARTER_CONFIG.as_bytes().to_vec()),
        (
            format!("content/{date}-welcome.md").into(),
            example.into_bytes(),
        ),
    ];
    // No templates and no stylesheet: the built-in ones are compiled in,
    // and a site that copied them would never see them improve.
    // `milbrief templates copy NAME` copies one to change it.
    files.push((".gitignore".into(), GITIGNORE.as_bytes().to_vec()));
    for (rel, bytes) in &files {
        create_new(&dir.join(rel), bytes)?;
    }
    Ok(files.len())
}

/// Sets the preset regions in the `config.toml` that [`init`] just wrote
/// into `dir` (a name of [`crate::regions::PRESETS`]).
pub fn choose_regions(dir: &Path, preset: &str) -> anyhow::Result<()> {
    if !crate::regions::PRESETS.contains(&preset) {
        bail!(
            "unknown regions {preset:?}: choose one of {}",
            crate::regions::PRESETS.join(", ")
        );
    }
    let path = dir.join("config.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let line = "\nregions = \"m49\"\n";
    if !text.contains(line) {
        bail!("{}: no `regions` line to set", path.display());
    }
    let text = text.replacen(line, &format!("\nregions = \"{preset}\"\n"), 1);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Writes `content/YYYY-MM-DD-slug.md` for a new article; never overwrites.
pub fn new_article(root: &Path, title: &str, date: Date) -> anyhow::Result<PathBuf> {
    let title = title.trim();
    let slug = slug::slugify(title);
    if slug.is_empty() {
        bail!("the title {title:?} has no letters or digits to make a file name from");
    }
    let content = root.join(crate::layout::CONTENT_DIR);
    if !content.is_dir() {
        bail!(
            "{}: no content/ directory here; run this in a milbrief site (or pass --root), or create one with `milbrief init`",
            root.display()
        );
    }
    let mut title_toml = String::new();
    serde::Serialize::serialize(title, toml::ser::ValueSerializer::new(&mut title_toml))
        .context("cannot quote the title")?;
    let text = format!(
        "+++\ntitle = {title_toml}\ndate = {date}\n# A draft stays out of the site; delete this line to publish.\ndraft = true\nsource = \"\"\n# url = \"https://\"\n# countries = [\"PK\", \"RU\"]   # leave out to tag automatically\n# topics = [\"arms-trade\"]\n+++\n\n{NEW_LEAD}\n"
    );
    let path = content.join(format!("{date}-{slug}.md"));
    create_new(&path, text.as_bytes())?;
    Ok(path)
}

/// Creates a file that must not exist yet (and its parent directories).
pub(crate) fn create_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                anyhow::anyhow!("{}: already exists; not overwriting it", path.display())
            } else {
                anyhow::anyhow!("{}: cannot create: {e}", path.display())
            }
        })?;
    f.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_article_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        assert!(new_article(dir.path(), "T", jiff::civil::date(2023, 1, 2)).is_err());
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let d = jiff::civil::date(2023, 10, 17);
        let p = new_article(dir.path(), "Navy \"tests\" new drone", d).unwrap();
        assert!(p.ends_with("content/2023-10-17-navy-tests-new-drone.md"));
        let text = std::fs::read_to_string(&p).unwrap();
        let a = crate::load::parse_article(Path::new("x.md"), &text, &Default::default()).unwrap();
        assert_eq!(a.title, "Navy \"tests\" new drone");
        assert!(
            a.draft,
            "a new article is a draft until its editor publishes it"
        );
        // Published as it stands, the placeholder is an error.
        let published = text.replace("draft = true\n", "");
        let e = crate::load::parse_article(Path::new("x.md"), &published, &Default::default())
            .unwrap_err();
        assert_eq!(e[0].code, Some("placeholder"), "{e:?}");
        assert_eq!(e[0].line, Some(11), "{e:?}");
        let e = new_article(dir.path(), "Navy \"tests\" new drone", d).unwrap_err();
        assert!(e.to_string().contains("already exists"));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), text);
    }

    #[test]
    fn init_writes_a_site_without_copies_of_the_built_in_files() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        assert_eq!(init(&site, jiff::civil::date(2023, 1, 1)).unwrap(), 3);
        assert!(!site.join("templates").exists() && !site.join("static").exists());
        let ignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
        assert!(ignore.contains("/public/\n") && ignore.contains("/.milbrief/\n"));
    }

    #[test]
    fn init_refuses_non_empty_dirs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
        assert!(init(dir.path(), jiff::civil::date(2023, 1, 1)).is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
            "mine"
        );
    }
}

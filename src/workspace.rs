//! A site kept in memory between builds, rebuilt incrementally: only the
//! articles whose files changed are read, parsed and tagged again, and only
//! the pages whose inputs changed are rendered again. `serve` holds one.
//!
//! A rebuild either succeeds and replaces the state, or fails and leaves
//! the last good state as it was.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::index::{self, Site};
use crate::model::Article;
use crate::render::{self, Renderer};
use crate::tag::Tagger;
use crate::{BuildOptions, load, write};

/// A file's identity for change detection: length and modification time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: m.len(),
            modified: m.modified().ok(),
        })
    }
}

/// One content file as last read: the article, or its problems.
#[derive(Clone)]
struct Entry {
    stamp: Stamp,
    result: Result<Arc<Article>, Vec<Diagnostic>>,
}

/// One content file after a rebuild's read, and whether it was read again.
type Loaded = (PathBuf, Entry, bool);

/// What a rebuild did.
#[derive(Clone, Debug, Default)]
pub struct Rebuild {
    /// Articles read and parsed again.
    pub reread: usize,
    /// Pages rendered again / kept because their inputs were unchanged.
    pub rendered: usize,
    pub reused: usize,
    /// Outputs added or whose bytes changed, and outputs removed.
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub articles: usize,
    pub elapsed: Duration,
    /// Time spent in each phase, for `MILBRIEF_TIMINGS=1`.
    pub phases: Vec<(&'static str, Duration)>,
}

impl Rebuild {
    /// Only stylesheets changed: a page can swap them without reloading.
    pub fn css_only(&self) -> bool {
        self.removed.is_empty()
            && !self.changed.is_empty()
            && self.changed.iter().all(|p| p.ends_with(".css"))
    }
}

pub struct Workspace {
    opts: BuildOptions,
    /// The configuration (by hash of its text) and the tagger built from it.
    config: Option<(u64, Config, Arc<Tagger>)>,
    cache: HashMap<PathBuf, Entry>,
    fingerprints: HashMap<String, u64>,
    /// What the last render pass can lend the next one.
    render_cache: render::RenderCache,
    /// The last good site, whose groupings an edit of text can reuse.
    site: Option<Site>,
    outputs: Outputs,
}

/// Output path → bytes; cheap to clone (reference-counted keys and values).
pub type Outputs = BTreeMap<Arc<str>, Arc<Vec<u8>>>;

impl Workspace {
    /// An empty workspace; the first [`rebuild`](Self::rebuild) builds all.
    pub fn new(opts: BuildOptions) -> Workspace {
        Workspace {
            opts,
            config: None,
            cache: HashMap::new(),
            fingerprints: HashMap::new(),
            render_cache: render::RenderCache::default(),
            site: None,
            outputs: BTreeMap::new(),
        }
    }

    /// The current outputs: path → bytes.
    pub fn outputs(&self) -> &Outputs {
        &self.outputs
    }

    pub fn get(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        self.outputs.get(path).cloned()
    }

    /// Brings the site up to date with the files on disk.
    pub fn rebuild(&mut self) -> anyhow::Result<Rebuild> {
        self.rebuild_paths(None)
    }

    /// Like [`rebuild`](Self::rebuild), told which paths changed (absolute,
    /// or relative to the site root). When they are all articles, only those
    /// are looked at instead of the whole `content/` tree.
    pub fn rebuild_paths(&mut self, changed: Option<&[PathBuf]>) -> anyhow::Result<Rebuild> {
        let start = Instant::now();
        let mut phases = Vec::new();
        let mut lap = Instant::now();
        let mut mark = |name: &'static str| {
            phases.push((name, lap.elapsed()));
            lap = Instant::now();
        };
        let root = self.opts.root.clone();

        // Configuration: a change invalidates every article and page.
        let config_text = match std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => anyhow::bail!("{}: cannot read: {e}", crate::config::CONFIG_FILE),
        };
        let config_hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::hash::DefaultHasher::new();
            config_text.hash(&mut h);
            self.opts.base_url.hash(&mut h);
            self.opts.drafts.hash(&mut h);
            h.finish()
        };
        let (config, tagger, config_changed) = match &self.config {
            Some((h, c, t)) if *h == config_hash => (c.clone(), t.clone(), false),
            _ => {
                let c = crate::load_config(&self.opts)?;
                let t = Arc::new(Tagger::new(&c)?);
                (c, t, true)
            }
        };

        // Templates are compiled before the content is read, so a site with
        // broken templates and broken articles reports both.
        let templates = render::load_templates(&root);

        mark("config and templates");
        // Content: reuse every article whose file is unchanged.
        let articles_only = changed.and_then(|paths| {
            let abs_root = std::fs::canonicalize(&root).ok()?;
            paths
                .iter()
                .map(|p| {
                    let rel = p
                        .strip_prefix(&abs_root)
                        .or_else(|_| p.strip_prefix(&root))
                        .unwrap_or(p);
                    load::is_article_path(rel).then(|| rel.to_path_buf())
                })
                .collect::<Option<Vec<PathBuf>>>()
        });
        let cache = &self.cache;
        let load_one = |rel: PathBuf, stamp: Stamp| -> Loaded {
            if !config_changed
                && let Some(e) = cache.get(&rel)
                && e.stamp == stamp
            {
                return (rel, e.clone(), false);
            }
            let result = load::load_file(&root, &rel, &config).and_then(|mut a| {
                let errs = tagger.tag(&mut a);
                if errs.is_empty() {
                    Ok(Arc::new(a))
                } else {
                    Err(errs)
                }
            });
            (rel, Entry { stamp, result }, true)
        };
        let mut reread = 0;
        let new_cache: HashMap<PathBuf, Entry> = match articles_only {
            Some(rels) if !config_changed && !self.cache.is_empty() => {
                let mut next = self.cache.clone();
                for rel in rels {
                    match Stamp::of(&root.join(&rel)).filter(|_| load::is_plain_file(&root, &rel)) {
                        Some(stamp) => {
                            let (rel, entry, fresh) = load_one(rel, stamp);
                            reread += usize::from(fresh);
                            next.insert(rel, entry);
                        }
                        None => {
                            next.remove(&rel);
                        }
                    }
                }
                next
            }
            _ => {
                let files = load::content_files(&root)?;
                let results: Vec<Loaded> = files
                    .into_par_iter()
                    .filter_map(|rel| {
                        let stamp = Stamp::of(&root.join(&rel))?;
                        Some(load_one(rel, stamp))
                    })
                    .collect();
                results
                    .into_iter()
                    .map(|(rel, entry, fresh)| {
                        reread += usize::from(fresh);
                        (rel, entry)
                    })
                    .collect()
            }
        };
        mark("read and tag");
        let mut errs = Diagnostics::default();
        let mut articles: Vec<Arc<Article>> = Vec::with_capacity(new_cache.len());
        for e in new_cache.values() {
            match &e.result {
                Ok(a) if self.opts.drafts || !a.draft => articles.push(a.clone()),
                Ok(_) => {}
                Err(ds) => errs.0.extend(ds.iter().cloned()),
            }
        }
        load::check_unique_slugs(&articles, &mut errs);
        let mut templates = match templates {
            Ok(t) => Some(t),
            Err(e) => {
                match e.downcast::<Diagnostics>() {
                    Ok(d) => errs.0.extend(d.0),
                    Err(e) => return Err(e),
                }
                None
            }
        };
        errs.into_result()?;
        let Some(templates) = templates.as_mut() else {
            anyhow::bail!("templates failed to load");
        };

        let count = articles.len();
        mark("check");
        let previous_site = if config_changed {
            None
        } else {
            self.site.as_ref()
        };
        let site: Site =
            index::index_reusing(config.clone(), tagger.clone(), articles, previous_site);
        mark("index");
        let none = HashMap::new();
        let previous = if config_changed {
            &none
        } else {
            &self.fingerprints
        };
        if config_changed {
            self.render_cache = render::RenderCache::default();
        }
        // The cache only gains entries that belong to this configuration,
        // so a failed rebuild leaves it usable.
        let renderer = Renderer::with_cache(&site, templates, &root, &mut self.render_cache);
        mark("views");
        let pass = renderer.render_changed(previous)?;
        mark("render");
        let statics = write::static_outputs(&root)?;

        // The new output set: pages (rendered now or kept) and static files.
        write::check_static_clash(&statics, |p| pass.fingerprints.contains_key(p))?;
        let mut keep: HashSet<&str> = pass.fingerprints.keys().map(String::as_str).collect();
        keep.extend(statics.iter().map(|s| s.path.as_str()));
        // Nothing can fail from here on: update the outputs in place.
        let mut changed = Vec::new();
        for o in pass.outputs.iter().chain(statics.iter()) {
            if self
                .outputs
                .get(o.path.as_str())
                .is_none_or(|old| **old != o.bytes)
            {
                changed.push(o.path.clone());
                self.outputs
                    .insert(Arc::from(o.path.as_str()), Arc::new(o.bytes.clone()));
            }
        }
        let removed: Vec<String> = self
            .outputs
            .keys()
            .filter(|p| !keep.contains(&***p))
            .map(|p| p.to_string())
            .collect();
        for p in &removed {
            self.outputs.remove(p.as_str());
        }
        changed.sort();
        renderer.remember(&mut self.render_cache);
        drop(renderer);
        mark("outputs");
        self.config = Some((config_hash, config, tagger));
        self.cache = new_cache;
        self.fingerprints = pass.fingerprints;
        self.site = Some(site);
        Ok(Rebuild {
            reread,
            rendered: pass.outputs.len(),
            reused: pass.reused,
            changed,
            removed,
            articles: count,
            elapsed: start.elapsed(),
            phases,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        for (name, title, country) in [
            ("2023-10-01-a.md", "Alpha", "PK"),
            ("2023-10-02-b.md", "Bravo", "RU"),
            ("2023-10-03-c.md", "Charlie", "PK"),
        ] {
            std::fs::write(
                content.join(name),
                format!(
                    "+++\ntitle = \"{title}\"\ncountries = [\"{country}\"]\ntopics = [\"diplomacy\"]\n+++\n{title} text.\n"
                ),
            )
            .unwrap();
        }
        dir
    }

    fn touch(path: &Path, text: &str) {
        // Make sure the stamp changes even on coarse clocks.
        let before = Stamp::of(path);
        std::fs::write(path, text).unwrap();
        if Stamp::of(path) == before {
            std::fs::write(path, format!("{text}\n")).unwrap();
        }
    }

    #[test]
    fn an_edit_rereads_one_article_and_renders_what_shows_it() {
        let dir = site();
        let mut ws = Workspace::new(BuildOptions::new(dir.path()));
        let first = ws.rebuild().unwrap();
        assert_eq!(first.reread, 3);
        assert_eq!(first.reused, 0);
        let total = first.rendered;

        let again = ws.rebuild().unwrap();
        assert_eq!((again.reread, again.rendered), (0, 0));
        assert!(again.changed.is_empty() && again.removed.is_empty());

        touch(
            &dir.path().join("content/2023-10-02-b.md"),
            "+++\ntitle = \"Bravo edited\"\ncountries = [\"RU\"]\ntopics = [\"diplomacy\"]\n+++\nBravo text.\n",
        );
        let edit = ws.rebuild().unwrap();
        assert_eq!(edit.reread, 1);
        assert!(edit.rendered < total, "{} of {total}", edit.rendered);
        assert!(edit.changed.contains(&"articles/b/index.html".to_string()));
        assert!(
            edit.changed
                .contains(&"countries/ru/index.html".to_string())
        );
        assert!(edit.changed.contains(&"index.html".to_string()));
        assert!(
            !edit
                .changed
                .contains(&"countries/pk/index.html".to_string())
        );
        let page = ws.get("articles/b/index.html").unwrap();
        assert!(String::from_utf8_lossy(&page).contains("Bravo edited"));
    }

    #[test]
    fn removed_articles_disappear_and_errors_keep_the_last_good_site() {
        let dir = site();
        let mut ws = Workspace::new(BuildOptions::new(dir.path()));
        ws.rebuild().unwrap();
        std::fs::remove_file(dir.path().join("content/2023-10-02-b.md")).unwrap();
        let r = ws.rebuild().unwrap();
        assert!(r.removed.contains(&"articles/b/index.html".to_string()));
        assert!(r.removed.contains(&"countries/ru/index.html".to_string()));
        assert!(ws.get("articles/b/index.html").is_none());

        let bad = dir.path().join("content/2023-10-01-a.md");
        touch(&bad, "+++\ntitle = \"A\"\ncountrys = [\"PK\"]\n+++\nx\n");
        let e = ws.rebuild().unwrap_err();
        assert!(e.to_string().contains("content/2023-10-01-a.md:3:1"), "{e}");
        assert!(
            ws.get("articles/a/index.html").is_some(),
            "last good site kept"
        );
        touch(&bad, "+++\ntitle = \"A again\"\n+++\nx\n");
        ws.rebuild().unwrap();
        let page = ws.get("articles/a/index.html").unwrap();
        assert!(String::from_utf8_lossy(&page).contains("A again"));
    }

    #[test]
    fn template_and_config_changes_rerender_without_stale_pages() {
        let dir = site();
        let mut ws = Workspace::new(BuildOptions::new(dir.path()));
        let first = ws.rebuild().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/404.html"),
            "{% extends \"base.html\" %}{% block content %}Lost{% endblock content %}",
        )
        .unwrap();
        let t = ws.rebuild().unwrap();
        assert_eq!(t.reread, 0, "a template change does not re-parse Markdown");
        assert_eq!(t.rendered, first.rendered);
        assert_eq!(t.changed, ["404.html"]);

        std::fs::write(dir.path().join("config.toml"), "title = \"Renamed\"\n").unwrap();
        let c = ws.rebuild().unwrap();
        assert_eq!(c.reread, 3, "a config change rebuilds everything");
        assert!(String::from_utf8_lossy(&ws.get("index.html").unwrap()).contains("Renamed"));
    }

    /// After every step, the incremental outputs equal a fresh full build.
    #[test]
    fn incremental_outputs_equal_a_fresh_build() {
        let dir = site();
        let opts = BuildOptions::new(dir.path());
        let mut ws = Workspace::new(opts.clone());
        ws.rebuild().unwrap();
        let check = |ws: &Workspace, step: &str| {
            let mut fresh = Workspace::new(opts.clone());
            fresh.rebuild().unwrap();
            assert_eq!(ws.outputs().len(), fresh.outputs().len(), "{step}");
            for (k, v) in fresh.outputs() {
                assert!(ws.get(k).is_some_and(|b| b == *v), "{step}: {k} differs");
            }
        };
        let b = dir.path().join("content/2023-10-02-b.md");
        let c = dir.path().join("content/2023-10-03-c.md");
        let abs = |p: &Path| std::fs::canonicalize(p).unwrap();
        // A text-only edit, reported by path (the structure is unchanged).
        touch(
            &b,
            "+++\ntitle = \"Bravo\"\ncountries = [\"RU\"]\ntopics = [\"diplomacy\"]\n+++\nNew text for Bravo.\n",
        );
        let r = ws.rebuild_paths(Some(&[abs(&b)])).unwrap();
        assert_eq!(r.reread, 1);
        check(&ws, "text edit");
        // A tag change moves the article between country pages.
        touch(
            &b,
            "+++\ntitle = \"Bravo\"\ncountries = [\"PK\"]\ntopics = [\"diplomacy\"]\n+++\nNew text.\n",
        );
        ws.rebuild_paths(Some(&[abs(&b)])).unwrap();
        check(&ws, "tag change");
        // A failed pass, then a fix of a different file's text.
        touch(&c, "+++\ntitel = \"x\"\n+++\n");
        assert!(ws.rebuild_paths(Some(&[abs(&c)])).is_err());
        touch(
            &c,
            "+++\ntitle = \"Charlie\"\ncountries = [\"PK\"]\ntopics = [\"diplomacy\"]\n+++\nCharlie, fixed.\n",
        );
        ws.rebuild_paths(Some(&[abs(&c)])).unwrap();
        check(&ws, "failure then fix");
        // A rename and a removal.
        std::fs::rename(&b, dir.path().join("content/2023-10-04-b2.md")).unwrap();
        ws.rebuild().unwrap();
        check(&ws, "rename");
        std::fs::remove_file(&c).unwrap();
        ws.rebuild_paths(Some(&[abs(dir.path()).join("content/2023-10-03-c.md")]))
            .unwrap();
        check(&ws, "removal");
    }

    #[test]
    fn css_only_changes_are_flagged() {
        let dir = site();
        let mut ws = Workspace::new(BuildOptions::new(dir.path()));
        ws.rebuild().unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("static/style.css"), "body{}").unwrap();
        let r = ws.rebuild().unwrap();
        assert!(r.css_only(), "{r:?}");
    }
}

//! Incremental rebuilds: what an edit reads and renders again, and that
//! the outputs always equal a fresh build's.

use super::*;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    // Alpha and Delta share a pair page (PK–RU); the dates span two editions.
    for (name, title, countries) in [
        ("2023-10-01-a.md", "Alpha", "\"PK\", \"RU\""),
        ("2023-10-02-b.md", "Bravo", "\"RU\""),
        ("2023-10-03-c.md", "Charlie", "\"PK\""),
        ("2023-10-05-d.md", "Delta", "\"RU\", \"PK\""),
    ] {
        std::fs::write(
            content.join(name),
            format!(
                "+++\ntitle = \"{title}\"\ncountries = [{countries}]\ntopics = [\"diplomacy\"]\n+++\n{title} text.\n"
            ),
        )
        .unwrap();
    }
    dir
}

fn touch(path: &Path, text: &str) {
    // Make sure the stamp changes even on coarse clocks.
    let before = FileStamp::of(path);
    std::fs::write(path, text).unwrap();
    if FileStamp::of(path) == before {
        std::fs::write(path, format!("{text}\n")).unwrap();
    }
}

#[test]
fn an_edit_rereads_one_article_and_renders_what_shows_it() {
    let dir = site();
    let mut ws = Workspace::new(BuildOptions::new(dir.path()));
    let first = ws.rebuild().unwrap();
    assert_eq!(first.reread, 4);
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
fn a_body_edit_renders_the_article_page_and_its_feeds_only() {
    let dir = site();
    let b = dir.path().join("content/2023-10-02-b.md");
    let text = |more: &str| {
        format!(
            "+++\ntitle = \"Bravo\"\ncountries = [\"RU\"]\ntopics = [\"diplomacy\"]\n+++\nBravo leads.\n\n{more}\n"
        )
    };
    touch(&b, &text("First take."));
    let mut ws = Workspace::new(BuildOptions::new(dir.path()));
    ws.rebuild().unwrap();
    // The lead, and so the summary and every card, stay as they were.
    touch(&b, &text("Second take."));
    let r = ws.rebuild().unwrap();
    assert_eq!(
        r.changed,
        [
            "articles/b/index.html",
            "atom.xml",
            "countries/ru/atom.xml",
            "topics/diplomacy/atom.xml"
        ]
    );
    assert_eq!(r.rendered, r.changed.len(), "nothing rendered for naught");
    let page = ws.get("articles/b/index.html").unwrap();
    assert!(String::from_utf8_lossy(&page).contains("Second take."));
}

#[test]
fn removed_articles_disappear_and_errors_keep_the_last_good_site() {
    let dir = site();
    let mut ws = Workspace::new(BuildOptions::new(dir.path()));
    ws.rebuild().unwrap();
    std::fs::remove_file(dir.path().join("content/2023-10-02-b.md")).unwrap();
    std::fs::remove_file(dir.path().join("content/2023-10-05-d.md")).unwrap();
    let r = ws.rebuild().unwrap();
    assert!(r.removed.contains(&"articles/b/index.html".to_string()));
    // PK and RU now share one article: no pair page, no pair feed.
    assert!(
        r.removed
            .contains(&"relations/pk-ru/index.html".to_string())
    );
    assert!(r.removed.contains(&"relations/pk-ru/atom.xml".to_string()));
    assert!(!r.removed.contains(&"countries/ru/index.html".to_string()));
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
    assert_eq!(c.reread, 4, "a config change rebuilds everything");
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
    // A text-only edit of an article on a pair page, in an edition and feeds.
    let a = dir.path().join("content/2023-10-01-a.md");
    touch(
        &a,
        "+++\ntitle = \"Alpha, retitled\"\ncountries = [\"PK\", \"RU\"]\ntopics = [\"diplomacy\"]\n+++\nAlpha's new text.\n",
    );
    let r = ws.rebuild_paths(Some(&[abs(&a)])).unwrap();
    assert!(
        r.changed
            .contains(&"relations/pk-ru/index.html".to_string())
    );
    assert!(r.changed.contains(&"relations/pk-ru/atom.xml".to_string()));
    assert!(r.changed.contains(&"search/index.json".to_string()));
    check(&ws, "text edit on a pair page");
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

/// A page made from what an article's card does not show, its time of
/// day (the editions feed's `updated`), is rendered again when only that
/// changes.
#[test]
fn a_change_of_time_alone_reaches_the_editions_feed() {
    let dir = site();
    let d = dir.path().join("content/2023-10-05-d.md");
    let text = |time: &str| {
        format!(
            "+++\ntitle = \"Delta\"\ndate = 2023-10-05T{time}Z\ncountries = [\"RU\", \"PK\"]\ntopics = [\"diplomacy\"]\n+++\nDelta text.\n"
        )
    };
    touch(&d, &text("08:00:00"));
    let opts = BuildOptions::new(dir.path());
    let mut ws = Workspace::new(opts.clone());
    ws.rebuild().unwrap();
    touch(&d, &text("09:30:00"));
    let r = ws.rebuild().unwrap();
    assert!(
        r.changed.contains(&"editions/atom.xml".to_string()),
        "{r:?}"
    );
    let mut fresh = Workspace::new(opts);
    fresh.rebuild().unwrap();
    assert_eq!(ws.get("editions/atom.xml"), fresh.get("editions/atom.xml"));
}

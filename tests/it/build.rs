//! Builds fixture sites and the sample digest, and checks the outputs.

use std::collections::BTreeSet;

use crate::common::*;
use milbrief::BuildOptions;

#[test]
fn every_article_has_a_page_and_drafts_are_left_out() {
    let (site, out) = build_in_memory(&BuildOptions::new(fixture("basic")));
    let slugs: BTreeSet<&str> = site.articles.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(
        slugs,
        BTreeSet::from([
            "navy-drill",
            "tank-deal",
            "cyber",
            "budget",
            "no-front-matter"
        ]),
        "nested files are found; `_` and dotfiles and drafts are skipped"
    );
    for a in &site.articles {
        let page = format!("articles/{}/index.html", a.slug);
        let html = text(&out[&page]);
        assert!(html.contains(&format!("<h1>{}</h1>", a.title)), "{page}");
    }
    let (site, out) = build_in_memory(&BuildOptions {
        drafts: true,
        ..BuildOptions::new(fixture("basic"))
    });
    assert_eq!(site.articles.len(), 6);
    assert!(out.contains_key("articles/draft/index.html"));
}

#[test]
fn country_and_topic_pages_list_exactly_their_articles() {
    let (site, out) = build_in_memory(&BuildOptions::new(fixture("basic")));
    let per_page = site.config.per_page;
    let check = |dir: String, expected: BTreeSet<String>| {
        let mut found = Vec::new();
        let pages = expected.len().div_ceil(per_page).max(1);
        for p in 1..=pages {
            let path = if p == 1 {
                format!("{dir}index.html")
            } else {
                format!("{dir}page/{p}/index.html")
            };
            let html = text(out.get(&path).unwrap_or_else(|| panic!("{path} missing")));
            for l in card_links(html) {
                let (target, _) = resolve(&path, &l, "/").unwrap();
                found.push(target);
            }
        }
        let extra = format!("{dir}page/{}/index.html", pages + 1);
        assert!(!out.contains_key(&extra), "no page past the last: {extra}");
        let found_set: BTreeSet<String> = found.iter().cloned().collect();
        assert_eq!(
            found.len(),
            found_set.len(),
            "{dir}: an article listed twice"
        );
        assert_eq!(found_set, expected, "{dir}");
    };
    for (code, list) in site.by_country.iter() {
        let expected = list
            .iter()
            .map(|&i| format!("articles/{}/index.html", site.articles[i].slug))
            .collect();
        check(format!("countries/{}/", code.lower()), expected);
    }
    for (slug, list) in site.by_topic.iter() {
        let expected = list
            .iter()
            .map(|&i| format!("articles/{}/index.html", site.articles[i].slug))
            .collect();
        check(format!("topics/{slug}/"), expected);
    }
    // Every article's tags agree with the index.
    for (i, a) in site.articles.iter().enumerate() {
        for c in &a.countries {
            assert!(site.by_country[c].contains(&i));
        }
    }
    // Explicit tags were normalised: "Japan"/"ph" → JP/PH; "Maritime-Security" → slug.
    let drill = site
        .articles
        .iter()
        .find(|a| a.slug == "navy-drill")
        .unwrap();
    let codes: Vec<String> = drill.countries.iter().map(|c| c.to_string()).collect();
    assert_eq!(codes, ["JP", "PH"]);
    assert_eq!(drill.topics, ["military-exercises", "maritime-security"]);
}

#[test]
fn every_internal_link_resolves() {
    // The basic fixture once more, its links without `index.html`: a copy
    // with that setting.
    let plain = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), plain.path());
    let config = plain.path().join("config.toml");
    let mut settings = std::fs::read_to_string(&config).unwrap();
    settings.push_str("index_links = false\n");
    std::fs::write(&config, settings).unwrap();
    for (root, index_links) in [
        (fixture("basic"), None),
        (repo_root(), None),
        (plain.path().to_path_buf(), Some(false)),
    ] {
        let (_, outputs) = milbrief::build_outputs(&BuildOptions::new(&root)).unwrap();
        let map = outputs.into_iter().map(|o| (o.path, o.bytes)).collect();
        let problems = broken_links(&map, "/");
        assert!(
            problems.is_empty(),
            "{} (index_links {index_links:?}):\n{}",
            root.display(),
            problems.join("\n")
        );
        // The link checker itself sees links: the front page links to articles.
        let front = text(&map["index.html"]);
        assert!(card_links(front).len() >= 2);
    }
}

#[test]
fn builds_are_byte_identical() {
    let a = build_in_memory(&BuildOptions::new(repo_root())).1;
    let b = build_in_memory(&BuildOptions::new(repo_root())).1;
    assert_eq!(a.len(), b.len());
    for (k, v) in &a {
        assert!(b[k] == *v, "{k} differs between two builds");
    }

    // And on disk: two builds into two directories hold the same files.
    let dir = tempfile::tempdir().unwrap();
    for out in ["one", "two"] {
        milbrief::build(&BuildOptions {
            output: Some(dir.path().join(out)),
            ..BuildOptions::new(fixture("basic"))
        })
        .unwrap();
    }
    let files = |d: &str| -> Vec<(String, Vec<u8>)> {
        let root = dir.path().join(d);
        walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    };
    assert_eq!(files("one"), files("two"));
}

#[test]
fn seed_article_is_tagged_pakistan_and_russia() {
    let (site, _) = build_in_memory(&BuildOptions::new(repo_root()));
    let seed = site
        .articles
        .iter()
        .find(|a| a.slug == "pakistan-russia-druzhba-vii")
        .expect("the seed article is in the sample digest");
    assert!(
        seed.raw_countries.is_none(),
        "the seed article is tagged automatically"
    );
    let codes: Vec<String> = seed.countries.iter().map(|c| c.to_string()).collect();
    assert_eq!(codes, ["PK", "RU"]);
    assert!(
        seed.topics.iter().any(|t| t == "military-exercises"),
        "{:?}",
        seed.topics
    );
}

#[test]
fn pages_show_what_readers_need() {
    let (_, out) = build_in_memory(&BuildOptions::new(fixture("basic")));
    let drill = text(&out["articles/navy-drill/index.html"]);
    assert!(
        drill.contains("href=\"https://example.org/a\""),
        "source link"
    );
    assert!(drill.contains("Fixture Wire"));
    assert!(
        drill.contains("href=\"../../countries/jp/index.html\""),
        "country chip"
    );
    assert!(drill.contains("href=\"../../topics/maritime-security/index.html\""));
    assert!(drill.contains("<h2 id=\"details\">Details</h2>"));
    assert!(drill.contains("id=\"fn-1\""), "footnote");
    assert!(
        drill.contains(
            "<link rel=\"canonical\" href=\"https://digest.example/articles/navy-drill/\">"
        )
    );
    // The front page is grouped by day, newest first, and paginated by 2.
    let front = text(&out["index.html"]);
    let first = front.find("2023-11-21").unwrap();
    let later = front.find("2023-11-20").unwrap();
    assert!(first < later);
    assert!(out.contains_key("page/3/index.html"));
    assert!(!out.contains_key("page/4/index.html"));
    // Summaries (front matter, more marker, first paragraph), as the
    // editions' top stories show them.
    let editions: String = out
        .iter()
        .filter(|(k, _)| k.starts_with("editions/20"))
        .map(|(_, v)| text(v))
        .collect();
    assert!(editions.contains("Government portals were <em>briefly</em> offline."));
    assert!(editions.contains("WARSAW: Poland signed a contract"));
    assert!(!editions.contains("Deliveries start next year."));
    // Raw HTML is sanitised.
    let budget = text(&out["articles/budget/index.html"]);
    assert!(budget.contains("<b>raw</b>"));
    assert!(!budget.contains("<script>alert"));
    // Month archive and indexes.
    assert!(text(&out["archive/2023/10/index.html"]).contains("Poland signs tank deal"));
    assert!(text(&out["countries/index.html"]).contains("src=\"../flags/pl.svg\""));
    assert!(out.contains_key("flags/pl.svg"));
    assert!(text(&out["topics/index.html"]).contains("Arms sales, transfers &amp; military aid"));
    assert!(out.contains_key("404.html") && out.contains_key("style.css"));
}

#[test]
fn site_templates_override_builtin_ones_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Custom lost page</p>{% endblock content %}",
    )
    .unwrap();
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    assert!(text(&out["404.html"]).contains("Custom lost page"));
    assert!(
        text(&out["index.html"]).contains("class=\"line\""),
        "others stay built-in"
    );
}

#[test]
fn a_site_base_template_with_only_a_content_block_serves_every_page() {
    // Built-in page templates may rely on nothing but `content` in a
    // site's own base.html: the benchmark's minimal base is such a file.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/base.html"),
        "<!doctype html><title>{{ page.title }}</title><main>{% block content %}{% endblock content %}</main>",
    )
    .unwrap();
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    let search = text(&out["search/index.html"]);
    assert!(
        search.starts_with("<!doctype html><title>Search"),
        "{search}"
    );
    assert!(
        search.contains("search.js\" defer></script>"),
        "the search page still loads its script"
    );
}

#[test]
fn the_benchmark_minimal_site_builds() {
    // bench/minimal/ overrides most templates; it must follow the values
    // pages get, or the benchmark measures an error.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    std::fs::remove_file(dir.path().join("config.toml")).unwrap();
    copy_dir(&repo_root().join("bench/minimal"), dir.path());
    let (site, out) = build_in_memory(&BuildOptions::new(dir.path()));
    let countries = text(&out["countries/index.html"]);
    for c in site.by_country.keys() {
        let link = format!("countries/{}/", c.lower());
        assert!(countries.contains(&link), "{link} listed: {countries}");
    }
    assert!(text(&out["topics/index.html"]).contains("topics/"));
    assert!(
        !out.keys().any(|p| p.starts_with("editions/")),
        "the minimal site builds no editions"
    );
}

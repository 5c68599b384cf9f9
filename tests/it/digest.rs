//! The digest's own pages: editions, relations, regions, feeds, the
//! sitemap and the search index, checked on the sample site and on small
//! sites written by the tests.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::*;
use milbrief::BuildOptions;

type Outputs = BTreeMap<String, Vec<u8>>;

fn sample() -> (milbrief::Site, Outputs) {
    build_in_memory(&BuildOptions::new(repo_root()))
}

/// A site of the given articles (file name, text) and config, in a temp dir.
fn site_with(config: &str, articles: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    for (name, body) in articles {
        std::fs::write(content.join(name), body).unwrap();
    }
    dir
}

fn article(title: &str, date: &str, countries: &[&str], topics: &[&str]) -> String {
    let list = |v: &[&str]| {
        v.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "+++\ntitle = {title:?}\ndate = {date}\nsource = \"Desk\"\ncountries = [{}]\ntopics = [{}]\n+++\n\nA short report about {title}.\n",
        list(countries),
        list(topics)
    )
}

/// The page a directory link such as "editions/2023-w42/" names.
fn page_of(dir: &str) -> String {
    format!("{dir}index.html")
}

/// Resolves every link of `page` that points inside the site and returns
/// the output paths.
fn targets(out: &Outputs, page: &str) -> Vec<String> {
    links(text(&out[page]))
        .iter()
        .filter_map(|l| resolve(page, l, "/").map(|(t, _)| t))
        .collect()
}

#[test]
fn editions_group_the_week_and_link_to_each_other() {
    let (site, out) = sample();
    let editions: Vec<&String> = out
        .keys()
        .filter(|k| k.starts_with("editions/20") && k.ends_with("/index.html"))
        .collect();
    assert!(editions.len() >= 10, "{editions:?}");
    // ISO weeks: "editions/2023-w42/".
    for e in &editions {
        let slug = e.split('/').nth(1).unwrap();
        let (year, week) = slug.split_once("-w").expect("ISO week slug");
        assert!(year.parse::<u16>().is_ok() && (1..=53).contains(&week.parse::<u8>().unwrap()));
    }
    // Every dated story is in exactly one edition, under one heading (in
    // the sample, every article is a story of its own).
    assert_eq!(site.stories.len(), site.articles.len());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for e in &editions {
        for t in card_links(text(&out[*e])) {
            let (target, _) = resolve(e, &t, "/").unwrap();
            *seen.entry(target).or_default() += 1;
        }
    }
    // Off-topic articles (the site hides them, the default) are in none.
    let dated = site
        .articles
        .iter()
        .filter(|a| {
            a.date.is_some() && !a.is_off_topic(site.config.min_relevance, site.config.auto_tag)
        })
        .count();
    assert_eq!(seen.len(), dated);
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");

    // The Druzhba-VII exercise (17 Oct 2023) is in week 42: a week of
    // fewer stories than the top ten is all top stories.
    let w42 = text(&out["editions/2023-w42/index.html"]);
    assert!(w42.contains("<h1>Week 42, 2023</h1>"));
    assert!(w42.contains("16–22 October 2023"));
    let top = w42.find(">Top stories</h2>").expect("top stories");
    let story = w42.find("Druzhba-VII").expect("the story");
    assert!(top < story);
    assert!(!w42.contains("</h2>\n  <section class=\"edition-country\">"));
    // At a glance: counts and topics ("Most covered" only when a country
    // has more than one story).
    assert!(w42.contains("class=\"glance\""));
    // Previous and next editions resolve.
    let t = targets(&out, "editions/2023-w42/index.html");
    assert!(t.contains(&"editions/2023-w41/index.html".to_string()));
    assert!(t.contains(&"editions/2023-w43/index.html".to_string()));

    // The editions index lists every edition; the front page leads with the latest.
    let index = targets(&out, "editions/index.html");
    for e in &editions {
        assert!(index.contains(e), "{e} not on the editions index");
    }
    let latest = editions.iter().max().unwrap();
    let front = text(&out["index.html"]);
    let top = front
        .find("class=\"top-stories\"")
        .expect("front top stories");
    let first_day = front.find("class=\"day compact\"").unwrap();
    assert!(
        top < first_day,
        "the latest edition's top stories lead the front page"
    );
    assert!(targets(&out, "index.html").contains(latest));
    // An article links to its edition.
    let a = text(&out["articles/pakistan-russia-druzhba-vii/index.html"]);
    assert!(a.contains("editions/2023-w42/"));
}

#[test]
fn relations_pages_exist_for_pairs_seen_together_twice() {
    let (site, out) = sample();
    let pk_ru = "relations/pk-ru/index.html";
    assert!(out.contains_key(pk_ru));
    for (pair, list) in site.by_pair.iter() {
        assert!(list.len() >= site.config.min_pair_articles);
        assert!(pair.0 < pair.1, "codes sorted");
        let page = format!("relations/{}-{}/index.html", pair.0.lower(), pair.1.lower());
        let html = text(&out[&page]);
        // Exactly the shared articles.
        let shown: BTreeSet<String> = card_links(html)
            .iter()
            .map(|l| resolve(&page, l, "/").unwrap().0)
            .collect();
        let expected: BTreeSet<String> = list
            .iter()
            .take(site.config.per_page)
            .map(|&i| format!("articles/{}/index.html", site.articles[i].slug))
            .collect();
        assert_eq!(shown, expected, "{page}");
        for &i in list {
            let a = &site.articles[i];
            assert!(a.countries.contains(&pair.0) && a.countries.contains(&pair.1));
        }
    }
    // The index lists every pair page; the country page links to its pair.
    let index = targets(&out, "relations/index.html");
    assert!(index.contains(&pk_ru.to_string()));
    assert_eq!(
        index
            .iter()
            .filter(|t| t.starts_with("relations/") && *t != "relations/index.html")
            .count(),
        site.by_pair.len()
    );
    assert!(targets(&out, "countries/pk/index.html").contains(&pk_ru.to_string()));
    // A pair page has its topics and a timeline.
    let html = text(&out[pk_ru]);
    assert!(html.contains("Pakistan") && html.contains("Russia"));
    assert!(html.contains("<svg"), "timeline");
    assert!(html.contains("relations/pk-ru/atom.xml"));
}

/// Every page of a paged listing offers its listing's feed, whichever page
/// it is.
#[test]
fn later_pages_of_a_listing_link_to_its_feed() {
    // Five stories, not one: distinct events.
    let titles = [
        "",
        "Navy drill ends",
        "Budget vote passes",
        "Tank order signed",
        "Cyber attack traced",
        "Border talks resume",
    ];
    let articles: Vec<(String, String)> = (1..=5)
        .map(|i| {
            (
                format!("2023-10-0{i}-s{i}.md"),
                article(
                    titles[i],
                    &format!("2023-10-0{i}"),
                    &["PK", "RU"],
                    &["diplomacy"],
                ),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = articles
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let dir = site_with("per_page = 2\n[sections]\ntag_feeds = true\n", &refs);
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    for (page, feed) in [
        (
            "relations/pk-ru/page/2/index.html",
            "relations/pk-ru/atom.xml",
        ),
        ("countries/pk/page/3/index.html", "countries/pk/atom.xml"),
        (
            "topics/diplomacy/page/2/index.html",
            "topics/diplomacy/atom.xml",
        ),
    ] {
        assert!(targets(&out, page).contains(&feed.to_string()), "{page}");
    }
    let problems = broken_links(&out, "/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn min_pair_articles_and_week_start_are_honoured() {
    let arts = [
        article("One", "2023-10-18", &["PK", "CN"], &["arms-trade"]),
        article("Two", "2023-10-21", &["PK", "IN"], &["arms-trade"]),
        article("Three", "2023-10-25", &["PK", "CN"], &["maritime-security"]),
    ];
    let files: Vec<(String, &str)> = arts
        .iter()
        .enumerate()
        .map(|(i, a)| (format!("a{i}.md"), a.as_str()))
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, a)| (n.as_str(), *a)).collect();
    let dir = site_with("title = \"T\"\n", &files);
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    assert!(out.contains_key("relations/cn-pk/index.html"));
    assert!(
        !out.contains_key("relations/in-pk/index.html"),
        "one article is not enough"
    );
    assert!(out.contains_key("editions/2023-w42/index.html"));
    assert!(out.contains_key("editions/2023-w43/index.html"));

    let dir = site_with(
        "title = \"T\"\n[relations]\nmin_pair_articles = 1\n[editions]\nweek_start = \"saturday\"\n",
        &files,
    );
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    assert!(out.contains_key("relations/in-pk/index.html"));
    // Saturday editions: 14–20 Oct and 21–27 Oct, named by their first day.
    assert!(out.contains_key("editions/2023-10-14/index.html"));
    assert!(out.contains_key("editions/2023-10-21/index.html"));
    let e = text(&out["editions/2023-10-21/index.html"]);
    assert!(e.contains("21–27 October 2023"));
    assert_eq!(card_links(e).len(), 2);

    // Sections can be turned off; nothing links to what is not built.
    let dir = site_with(
        "title = \"T\"\n[sections]\neditions = false\nrelations = false\nsearch = false\nregions = false\narchive = false\ntag_feeds = false\ncharts = false\n",
        &files,
    );
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    for gone in ["editions/", "relations/", "search/", "regions/", "archive/"] {
        assert!(!out.keys().any(|k| k.starts_with(gone)), "{gone}");
    }
    assert!(!out.contains_key("countries/pk/atom.xml"));
    assert!(out.contains_key("atom.xml"));
    // No charts on the pages (the flags are SVG files of their own).
    assert!(
        !out.iter()
            .filter(|(k, _)| k.ends_with(".html"))
            .any(|(_, b)| String::from_utf8_lossy(b).contains("<svg"))
    );
    let problems = broken_links(&out, "/");
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn regions_group_the_countries() {
    let (site, out) = sample();
    let countries = text(&out["countries/index.html"]);
    for region in ["Asia", "Europe"] {
        assert!(
            countries.contains(&format!(">{region}</a></h2>")),
            "{region}"
        );
    }
    let asia = text(&out["regions/asia/index.html"]);
    assert!(asia.contains("<h1>Asia</h1>"));
    assert!(asia.contains("Southern Asia"));
    assert!(
        targets(&out, "regions/asia/index.html").contains(&"countries/pk/index.html".to_string())
    );
    // Every country of the site is listed on the countries index once.
    let listed: Vec<String> = targets(&out, "countries/index.html")
        .into_iter()
        .filter(|t| t.starts_with("countries/") && t != "countries/index.html")
        .collect();
    for c in site.by_country.keys() {
        let page = format!("countries/{}/index.html", c.lower());
        // Listed in its region group, and linked from the map.
        assert!(listed.iter().filter(|t| **t == page).count() >= 2, "{page}");
    }
    // A country page names its region and sub-region.
    let pk = text(&out["countries/pk/index.html"]);
    assert!(pk.contains("Southern Asia"));
    assert!(pk.contains("By topic") && pk.contains("Most often with"));
}

#[test]
fn feeds_parse_and_carry_the_newest_articles() {
    let (site, out) = sample();
    let feeds: Vec<&String> = out.keys().filter(|k| k.ends_with("atom.xml")).collect();
    // Site, editions, and one per country, topic, pair and source.
    assert_eq!(
        feeds.len(),
        2 + site.by_country.len()
            + site.by_topic.len()
            + site.by_pair.len()
            + site.outlets.list.len()
    );
    for f in &feeds {
        let feed = atom_syndication::Feed::read_from(&out[*f][..])
            .unwrap_or_else(|e| panic!("{f} does not parse: {e}"));
        assert!(!feed.title().is_empty(), "{f}");
        assert!(feed.entries().len() <= site.config.feed_entries, "{f}");
        assert!(!feed.entries().is_empty(), "{f}");
        for e in feed.entries() {
            assert!(
                e.links()
                    .iter()
                    .any(|l| l.href().starts_with(&site.config.base_url))
            );
        }
        // Entries newest first.
        let dates: Vec<_> = feed.entries().iter().map(|e| *e.updated()).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{f}");
    }
    let main = atom_syndication::Feed::read_from(&out["atom.xml"][..]).unwrap();
    let newest = &site.articles[0];
    let e = &main.entries()[0];
    assert_eq!(e.title().as_str(), newest.title);
    assert!(e.summary().is_some());
    let body = e.content().and_then(|c| c.value()).unwrap();
    assert!(body.contains("<p>"), "full content as HTML");
    assert_eq!(
        main.entries().len(),
        site.config.feed_entries.min(site.articles.len())
    );

    // A country feed holds only that country's articles.
    let pk = atom_syndication::Feed::read_from(&out["countries/pk/atom.xml"][..]).unwrap();
    for e in pk.entries() {
        assert!(
            e.categories().iter().any(|c| c.term() == "PK"),
            "{}",
            e.title().as_str()
        );
    }
    // One editions-feed entry per edition, up to the limit.
    let ed = atom_syndication::Feed::read_from(&out["editions/atom.xml"][..]).unwrap();
    let editions = out
        .keys()
        .filter(|k| k.starts_with("editions/20") && k.ends_with("index.html"))
        .count();
    assert_eq!(ed.entries().len(), editions.min(site.config.feed_entries));

    // Pages announce their feeds.
    let country = text(&out["countries/pk/index.html"]);
    assert!(country.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Pakistan · milbrief sample digest\" href=\"../../countries/pk/atom.xml\">"
    ));
    assert!(
        text(&out["topics/arms-trade/index.html"])
            .contains("href=\"../../topics/arms-trade/atom.xml\"")
    );
    assert!(text(&out["index.html"]).contains("href=\"./atom.xml\""));
}

#[test]
fn sitemap_robots_and_page_metadata() {
    let (site, out) = sample();
    let base = &site.config.base_url;
    let xml = text(&out["sitemap.xml"]);
    let doc = roxmltree::Document::parse(xml).expect("sitemap is XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    let pages = out
        .keys()
        .filter(|k| k.ends_with("index.html") && !k.starts_with("search/"))
        .count();
    assert_eq!(locs.len(), pages);
    for loc in &locs {
        let dir = loc
            .strip_prefix(base.as_str())
            .expect("absolute URL under base_url");
        assert!(out.contains_key(&page_of(dir)), "{loc}");
    }
    assert!(xml.contains("<lastmod>2023-10-17</lastmod>"));
    let robots = text(&out["robots.txt"]);
    assert!(robots.contains(&format!("Sitemap: {base}sitemap.xml")));
    assert!(out.contains_key("404.html"));

    // Canonical URLs and OpenGraph tags.
    let a = text(&out["articles/pakistan-russia-druzhba-vii/index.html"]);
    let url = format!("{base}articles/pakistan-russia-druzhba-vii/");
    assert!(a.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")));
    assert!(a.contains(&format!("<meta property=\"og:url\" content=\"{url}\">")));
    assert!(a.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(a.contains("<meta property=\"og:title\" content=\"Pakistani, Russian armies"));
    assert!(a.contains("<meta property=\"article:published_time\" content=\"2023-10-17\">"));
    assert!(
        text(&out["countries/pk/index.html"])
            .contains("<meta property=\"og:type\" content=\"website\">")
    );
}

#[test]
fn search_index_covers_every_article() {
    let (site, out) = sample();
    let index: serde_json::Value = serde_json::from_slice(&out["search/index.json"]).unwrap();
    assert_eq!(index["v"], 1);
    let countries = index["countries"].as_array().unwrap();
    let topics = index["topics"].as_array().unwrap();
    assert_eq!(countries.len(), site.by_country.len());
    assert_eq!(topics.len(), site.by_topic.len());
    let articles = index["articles"].as_array().unwrap();
    assert_eq!(articles.len(), site.articles.len());
    for (entry, a) in articles.iter().zip(&site.articles) {
        assert_eq!(entry[0], a.title.as_str());
        assert_eq!(entry[1], a.date.map(|d| d.to_string()).unwrap_or_default());
        let codes: BTreeSet<String> = entry[2]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                countries[k.as_u64().unwrap() as usize][0]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        let expected: BTreeSet<String> = a.countries.iter().map(|c| c.to_string()).collect();
        assert_eq!(codes, expected, "{}", a.slug);
        let path = entry[4].as_str().unwrap();
        assert!(out.contains_key(path), "{path}");
    }
    // Summaries come in shards, aligned with the articles.
    let shards = index["summaries"]["shards"].as_array().unwrap();
    let size = index["summaries"]["size"].as_u64().unwrap() as usize;
    let mut n = 0;
    for (k, s) in shards.iter().enumerate() {
        let list: Vec<String> = serde_json::from_slice(&out[s.as_str().unwrap()]).unwrap();
        for (j, summary) in list.iter().enumerate() {
            let a = &site.articles[k * size + j];
            assert!(summary.chars().count() <= 241);
            let head: String = a.summary_text.chars().take(20).collect();
            assert!(summary.starts_with(&head), "{}", a.slug);
        }
        n += list.len();
    }
    assert_eq!(n, site.articles.len());
    // The page points its script at the index it was built with.
    let page = text(&out["search/index.html"]);
    assert!(page.contains("data-index=\"../search/index.json\""));
    assert!(page.contains("<script src=\"../search.js\" defer></script>"));
    assert!(out.contains_key("search.js"));
}

#[test]
fn titles_and_tags_are_escaped_in_feeds_the_search_index_and_pages() {
    let nasty = "Tanks & <script>alert(\"x\")</script> 'deal'";
    let body = format!(
        "+++\ntitle = {nasty:?}\ndate = 2023-10-18\nsource = \"<b>Desk</b>\"\ncountries = [\"PK\", \"RU\"]\ntopics = [\"arms-trade\"]\nsummary = \"Summary with <img src=x onerror=alert(1)> & more\"\n+++\n\nBody text.\n"
    );
    let other = article("Other", "2023-10-19", &["PK", "RU"], &["arms-trade"]);
    let dir = site_with(
        "title = \"T <i>&</i>\"\n",
        &[("nasty.md", &body), ("other.md", &other)],
    );
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    for (path, bytes) in &out {
        let s = String::from_utf8_lossy(bytes);
        assert!(!s.contains("<script>alert"), "{path} carries the raw title");
        assert!(!s.contains("<img src=x"), "{path} carries the raw summary");
    }
    for f in [
        "atom.xml",
        "countries/pk/atom.xml",
        "relations/pk-ru/atom.xml",
        "editions/atom.xml",
    ] {
        let feed =
            atom_syndication::Feed::read_from(&out[f][..]).unwrap_or_else(|e| panic!("{f}: {e}"));
        if f != "editions/atom.xml" {
            assert!(
                feed.entries().iter().any(|e| e.title().as_str() == nasty),
                "{f}"
            );
        }
        assert!(feed.title().as_str().contains("T <i>&</i>"), "{f}");
    }
    let index: serde_json::Value = serde_json::from_slice(&out["search/index.json"]).unwrap();
    assert!(
        index["articles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a[0] == nasty)
    );
    assert!(
        index["articles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a[5] == "<b>Desk</b>")
    );
    let xml = text(&out["sitemap.xml"]);
    roxmltree::Document::parse(xml).unwrap();
}

#[test]
fn the_sample_site_builds_every_family_without_broken_links() {
    let (_, out) = sample();
    for must in [
        "editions/index.html",
        "relations/index.html",
        "regions/europe/index.html",
        "search/index.html",
        "search/index.json",
        "search/summaries-0.json",
        "atom.xml",
        "editions/atom.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
    ] {
        assert!(out.contains_key(must), "{must}");
    }
    let problems = broken_links(&out, "/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn off_topic_articles_stay_out_of_editions_and_the_front_page_unless_shown() {
    let navy = "+++\ntitle = \"Navy warships escort tankers through the strait\"\ndate = 2023-10-17\n+++\n\nBAHRAIN: Navy warships escorted three tankers after missile attacks on shipping, officials said.\n";
    let bank = "+++\ntitle = \"Regional bank raises quarterly dividend\"\ndate = 2023-10-18\n+++\n\nSTAMFORD, Conn., Oct 18 - The bank raised its quarterly dividend and said profit rose.\n";
    let chosen = "+++\ntitle = \"Brewer opens a plant\"\ndate = 2023-10-19\ntopics = [\"trade-economy\"]\n+++\n\nThe brewer opened a plant, it said.\n";
    let files = [("navy.md", navy), ("bank.md", bank), ("brewer.md", chosen)];
    // The front page leads with the edition's top stories, then lists
    // every story again under "Latest": what it lists is the distinct links.
    let listed = |out: &Outputs, page: &str| -> Vec<String> {
        let mut l: Vec<String> = card_links(text(&out[page]))
            .iter()
            .map(|l| resolve(page, l, "/").unwrap().0)
            .collect();
        l.sort();
        l.dedup();
        l
    };
    let dir = site_with("title = \"T\"\n", &files);
    let (site, out) = build_in_memory(&BuildOptions::new(dir.path()));
    let bank_article = site
        .articles
        .iter()
        .find(|a| a.slug.contains("bank"))
        .unwrap();
    assert!(bank_article.is_off_topic(0.3, true) && bank_article.relevance < 0.3);
    let bank_page = &format!("articles/{}/index.html", bank_article.slug);
    // Hidden from the front page and the edition, but it keeps its page
    // and its country page, and says why on it.
    let front = listed(&out, "index.html");
    let edition = listed(&out, "editions/2023-w42/index.html");
    for list in [&front, &edition] {
        assert_eq!(list.len(), 2, "{list:?}");
        assert!(!list.contains(bank_page), "{list:?}");
    }
    let page = text(&out[bank_page]);
    assert!(page.contains("below this digest's threshold"), "{page}");
    assert!(
        !page.contains("editions/2023-w42/"),
        "no link to an edition that omits it"
    );
    assert!(listed(&out, "countries/us/index.html").contains(bank_page));

    let dir = site_with("title = \"T\"\n[tagging]\noff_topic = \"show\"\n", &files);
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    assert_eq!(listed(&out, "index.html").len(), 3);
    assert_eq!(listed(&out, "editions/2023-w42/index.html").len(), 3);
}

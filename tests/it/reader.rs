//! What a reader sees on the sample site: flags as images, navigation
//! wording, charts and the map, and regions (the site's own or M49).

use std::collections::{BTreeMap, BTreeSet};

use crate::common::*;
use milbrief::BuildOptions;

type Outputs = BTreeMap<String, Vec<u8>>;

fn sample() -> (milbrief::Site, Outputs) {
    build_in_memory(&BuildOptions::new(repo_root()))
}

fn html_pages(out: &Outputs) -> impl Iterator<Item = (&String, &str)> {
    out.iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| (k, text(v)))
}

/// Whether a text holds a regional indicator symbol (half an emoji flag).
fn has_emoji_flag(s: &str) -> bool {
    s.chars().any(|c| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c))
}

#[test]
fn flags_are_svg_images_written_only_for_countries_shown() {
    let (site, out) = sample();
    let written: BTreeSet<&str> = out
        .keys()
        .filter_map(|k| k.strip_prefix("flags/"))
        .collect();
    let shown: BTreeSet<String> = site
        .articles
        .iter()
        .flat_map(|a| a.countries.iter().map(|c| format!("{}.svg", c.lower())))
        .collect();
    let shown: BTreeSet<&str> = shown.iter().map(String::as_str).collect();
    assert_eq!(written, shown, "one flag per country shown, no more");
    for f in &written {
        let svg = text(&out[&format!("flags/{f}")]);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{f}");
    }
    let mut images = 0;
    for (page, html) in html_pages(&out) {
        assert!(!has_emoji_flag(html), "{page} still has an emoji flag");
        for img in html.split("<img class=\"flag\"").skip(1) {
            let tag = &img[..img.find('>').unwrap()];
            assert!(tag.contains(" alt=\"\""), "{page}: {tag}");
            assert!(
                tag.contains(" width=\"") && tag.contains(" height=\""),
                "{page}: {tag}"
            );
            images += 1;
        }
        for t in links(html).iter().filter(|l| l.contains("flags/")) {
            let (target, _) = resolve(page, t, "/").unwrap();
            assert!(out.contains_key(&target), "{page}: {t} is not written");
        }
    }
    assert!(images > 100, "flags on the pages: {images}");
    let article = text(&out["articles/poland-abrams-deliveries/index.html"]);
    assert!(article.contains("<img class=\"flag\" src=\"../../flags/pl.svg\""));
}

/// The text of every breadcrumb trail of a page: its items, in order.
fn crumbs(html: &str) -> Vec<Vec<String>> {
    html.split("<nav class=\"kicker crumbs\" aria-label=\"Breadcrumb\"><ol>")
        .skip(1)
        .map(|rest| {
            let ol = &rest[..rest.find("</ol>").unwrap()];
            ol.split("<li>")
                .skip(1)
                .map(|li| strip_tags(&li[..li.find("</li>").unwrap()]))
                .collect()
        })
        .collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in s.chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[test]
fn breadcrumbs_never_end_in_a_bare_separator() {
    let (_, out) = sample();
    let mut seen = 0;
    for (page, html) in html_pages(&out) {
        assert!(!html.contains(" ›</"), "{page}: a separator in the markup");
        for trail in crumbs(html) {
            assert!(!trail.is_empty(), "{page}");
            assert!(
                trail.iter().all(|t| !t.is_empty() && !t.contains('›')),
                "{page}: {trail:?}"
            );
            seen += 1;
        }
    }
    assert!(seen > 20, "{seen}");
    let pl = text(&out["countries/pl/index.html"]);
    assert_eq!(crumbs(pl), [["Countries", "Europe", "Eastern Europe"]]);
    let topic = text(&out["topics/arms-trade/index.html"]);
    assert_eq!(crumbs(topic), [["Topics"]]);
}

#[test]
fn newer_is_left_and_older_right_on_every_page() {
    let (_, out) = sample();
    let mut checked = 0;
    for (page, html) in html_pages(&out) {
        let (Some(n), Some(o)) = (html.find("← Newer"), html.find("Older →")) else {
            continue;
        };
        assert!(n < o, "{page}: Older before Newer");
        assert!(
            !html.contains("← Older") && !html.contains("Newer →"),
            "{page}"
        );
        checked += 1;
    }
    assert!(checked > 30, "{checked}");
    // The newer article is linked from the "← Newer" side.
    let a = text(&out["articles/poland-abrams-deliveries/index.html"]);
    let newer = &a[a.find("class=\"newer\"").unwrap()..];
    assert!(newer.find("← Newer").unwrap() < newer.find("</a>").unwrap());
}

#[test]
fn edition_pages_print_their_range_once_and_their_sources() {
    let (_, out) = sample();
    let page = text(&out["editions/2023-w38/index.html"]);
    let body = &page[page.find("<body>").unwrap()..];
    assert_eq!(body.matches("18–24 September 2023").count(), 1, "{body}");
    // Each brief with an original names it, for print.
    let briefs = page.matches("<article class=\"brief\">").count();
    let sources = page
        .matches("<p class=\"original-link\">Source: <a href=\"http")
        .count();
    assert!(
        briefs > 0 && sources == briefs,
        "{briefs} briefs, {sources} sources"
    );
    let css = text(&out["style.css"]);
    let print = &css[css.rfind("@media print").unwrap()..];
    assert!(print.contains(".brief .original-link { display: block;"));
    // Hidden on screens only, not by a later rule for every medium.
    assert!(css.contains("@media screen { .brief .original-link { display: none; } }"));
    assert!(!css.contains("\n.brief .original-link { display: none; }"));
}

/// A site of one article per country given, in a temp dir.
fn site_of(config: &str, countries: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    for (i, c) in countries.iter().enumerate() {
        let text = format!(
            "+++\ntitle = \"Report {i} on {c}\"\ndate = 2023-10-{:02}\nsource = \"Desk\"\nurl = \"https://news.example/{i}\"\ncountries = [\"{c}\"]\ntopics = [\"arms-trade\"]\n+++\n\nA short report.\n",
            i + 1
        );
        std::fs::write(content.join(format!("r{i}.md")), text).unwrap();
    }
    dir
}

#[test]
fn defense_desk_regions_put_turkey_in_the_middle_east_with_a_map() {
    let dir = site_of(
        "title = \"T\"\nregions = \"defense-desk\"\n",
        &["TR", "SA", "PL", "JP", "TR"],
    );
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    let mena = text(&out["regions/middle-east-north-africa/index.html"]);
    assert!(
        mena.contains("<h1>Middle East &amp; North Africa</h1>"),
        "{mena}"
    );
    assert!(mena.contains("Turkey &amp; Iran") && mena.contains("Gulf &amp; Arabian Peninsula"));
    // Its map shades its countries only, linked to their pages.
    assert!(
        mena.contains("class=\"chart chart-map\""),
        "a map on the region page"
    );
    assert!(mena.contains("href=\"../../countries/tr/index.html\""));
    assert!(!mena.contains("countries/pl/index.html\"><title>"));
    let tr = text(&out["countries/tr/index.html"]);
    assert_eq!(
        crumbs(tr),
        [[
            "Countries",
            "Middle East &amp; North Africa",
            "Turkey &amp; Iran"
        ]]
    );
    let index = text(&out["countries/index.html"]);
    let (me, eu, ip) = (
        index.find("Middle East &amp; North Africa").unwrap(),
        index.find(">Europe<").unwrap(),
        index.find("Indo-Pacific").unwrap(),
    );
    assert!(me < eu && eu < ip, "the preset's order");
    assert!(!out.keys().any(|k| k.starts_with("regions/asia/")));
    // M49 stays the default.
    let dir = site_of("title = \"T\"\n", &["TR"]);
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    assert!(out.contains_key("regions/asia/index.html"));
    assert_eq!(
        crumbs(text(&out["countries/tr/index.html"])),
        [["Countries", "Asia", "Western Asia"]]
    );
}

#[test]
fn a_site_defines_its_own_nested_regions() {
    let config = "title = \"T\"\n\n[[region]]\nname = \"Home front\"\ncountries = [\"PL\"]\n\n[[region]]\nname = \"Neighbours\"\nparent = \"Home front\"\ncountries = [\"DE\", \"UA\"]\n";
    let dir = site_of(config, &["PL", "UA", "JP"]);
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    let home = text(&out["regions/home-front/index.html"]);
    assert!(home.contains("Neighbours"));
    assert_eq!(
        crumbs(text(&out["countries/ua/index.html"])),
        [["Countries", "Home front", "Neighbours"]]
    );
    // A region's own countries: no sub-region repeated in the trail.
    assert_eq!(
        crumbs(text(&out["countries/pl/index.html"])),
        [["Countries", "Home front"]]
    );
    // Japan is in no region: listed under Other.
    let index = text(&out["countries/index.html"]);
    let other = &index[index.find(">Other</h2>").expect("an Other group")..];
    assert!(other.contains("countries/jp/index.html"), "{other}");
}

#[test]
fn init_can_choose_the_defense_desk_regions() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("desk");
    assert_cmd::Command::cargo_bin("milbrief")
        .unwrap()
        .args(["init", "--regions", "defense-desk"])
        .arg(&site)
        .assert()
        .success();
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    assert!(
        config.contains("\nregions = \"defense-desk\"\n"),
        "{config}"
    );
    let (_, out) = build_in_memory(&BuildOptions::new(&site));
    assert!(
        out.keys().any(|k| k.starts_with("regions/europe/")),
        "the welcome article's Poland is in the preset's Europe"
    );
    let bad = assert_cmd::Command::cargo_bin("milbrief")
        .unwrap()
        .args(["init", "--regions", "narnia"])
        .arg(dir.path().join("x"))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&bad.get_output().stderr).to_string();
    assert!(err.contains("defense-desk"), "{err}");
}

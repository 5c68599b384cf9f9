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

//! The page kinds together: every page has a path of its own, and an edit
//! of an article's text changes the fingerprint of no page but those its
//! kind says can show the article, so an incremental pass misses none.

use std::collections::HashSet;
use std::sync::Arc;

use super::kinds::Changed;
use super::page::Page;
use super::*;
use crate::config::Config;
use crate::model::{Article, CountryCode, NoParts};
use crate::tag::Tagger;

/// A site of `n` articles a day apart, tagged so that they share
/// countries, pairs, topics and editions, each article's text from
/// `text(i)`.
fn site(n: usize, text: impl Fn(usize) -> String) -> Site {
    let mut config = Config {
        per_page: 3,
        feed_entries: 4,
        ..Config::default()
    };
    config.sections.tag_feeds = true;
    let tagger = Arc::new(Tagger::new(&config).unwrap());
    let codes = ["PK", "RU", "FR", "JP"];
    let topics = ["arms-trade", "diplomacy", "procurement"];
    let articles = (0..n)
        .map(|i| {
            let mut a = Article::blank(&format!("a{i}"));
            a.date = Some(
                jiff::civil::date(2023, 9, 1) + jiff::SignedDuration::from_hours(24 * i as i64),
            );
            a.countries = vec![
                CountryCode::new(codes[i % 4]).unwrap(),
                CountryCode::new(codes[(i + 1) % 4]).unwrap(),
            ];
            a.topics = vec![topics[i % 3].to_string()];
            a.relevance = 1.0;
            // Known outlets, one by its URL alone, an unknown one.
            match i % 4 {
                0 => a.source = Some("Reuters".into()),
                1 => a.source = Some("Desk".into()),
                2 => a.url = Some(format!("https://english.news.cn/a{i}.html")),
                _ => a.source = Some("AFP".into()),
            }
            let t = text(i);
            a.summary_text = t.clone();
            a.summary_html = format!("<p>{t}</p>");
            a.body_html = format!("<p>{t}</p><p>More.</p>").into();
            a.fingerprint = {
                use std::hash::{Hash, Hasher};
                let mut h = std::hash::DefaultHasher::new();
                (i, &t).hash(&mut h);
                h.finish()
            };
            a.placement = a.placement_key();
            Arc::new(a)
        })
        .collect();
    crate::index::index(config, tagger, articles)
}

/// Every page's path and fingerprint.
fn fingerprints(r: &Renderer<'_>) -> Vec<(Page, String, u64)> {
    Page::all(r)
        .into_iter()
        .map(|p| (p, p.path(r), p.fingerprint(r)))
        .collect()
}

#[test]
fn every_page_has_a_path_of_its_own() {
    let s = site(20, |i| format!("Text {i}."));
    let mut templates = Templates::builtin().unwrap();
    let r = Renderer::new(
        &s,
        &mut templates,
        &NoParts,
        false,
        &mut RenderCache::default(),
    );
    let pages = fingerprints(&r);
    let paths: HashSet<&str> = pages.iter().map(|(_, p, _)| p.as_str()).collect();
    assert_eq!(paths.len(), pages.len());
    assert!(paths.contains("relations/pk-ru/atom.xml"));
    assert!(paths.contains("page/7/index.html"));
    for p in [
        "sources/index.html",
        "sources/reuters/index.html",
        "sources/reuters/page/2/index.html",
        "sources/desk/atom.xml",
        "sources/xinhua-news-agency/index.html",
        "sources/agence-france-presse/index.html",
    ] {
        assert!(paths.contains(p), "{p}");
    }
}

#[test]
fn a_change_of_source_is_a_change_of_structure() {
    let before = site(8, |i| format!("Text {i}."));
    let mut articles = before.articles.clone();
    let mut a = (*articles[3]).clone();
    a.source = Some("Another Desk".into());
    a.placement = a.placement_key();
    articles[3] = Arc::new(a);
    let after = crate::index::index(before.config.clone(), before.tagger.clone(), articles);
    assert_ne!(after.structure, before.structure);
    assert!(after.outlets.position("another-desk").is_some());
}

#[test]
fn an_edit_changes_only_the_pages_that_can_show_it() {
    let n = 20;
    let before = site(n, |i| format!("Text {i}."));
    let mut templates = Templates::builtin().unwrap();
    let r = Renderer::new(
        &before,
        &mut templates,
        &NoParts,
        false,
        &mut RenderCache::default(),
    );
    let old = fingerprints(&r);
    drop(r);
    for k in 0..n {
        let after = site(n, |i| {
            if i == k {
                format!("Text {i}, edited.")
            } else {
                format!("Text {i}.")
            }
        });
        assert_eq!(after.structure, before.structure);
        let mut templates = Templates::builtin().unwrap();
        let r = Renderer::new(
            &after,
            &mut templates,
            &NoParts,
            false,
            &mut RenderCache::default(),
        );
        let new = fingerprints(&r);
        assert_eq!(new.len(), old.len());
        let pos = after
            .articles
            .iter()
            .position(|a| a.slug == format!("a{k}"))
            .unwrap();
        let showing: HashSet<Page> = Page::showing(&r, &Changed::new(&r, vec![pos]))
            .unwrap()
            .into_iter()
            .collect();
        let mut changed = 0;
        for ((p, path, a), (_, _, b)) in old.iter().zip(&new) {
            if a != b {
                changed += 1;
                assert!(showing.contains(p), "an edit of article {k} changes {path}");
            }
        }
        assert!(changed > 0 && changed <= showing.len(), "{k}: {changed}");
    }
}

#[test]
fn equal_sites_have_equal_fingerprints() {
    // The salt hashes the configuration's Debug text: nothing in it (such
    // as the regions' lookup table) may vary from one run to the next.
    let fp = || {
        let s = site(20, |i| format!("Text {i}."));
        let mut templates = Templates::builtin().unwrap();
        let r = Renderer::new(
            &s,
            &mut templates,
            &NoParts,
            false,
            &mut RenderCache::default(),
        );
        fingerprints(&r)
    };
    assert_eq!(fp(), fp());
}

use super::near::edit_distance;
use super::*;
use std::collections::HashSet;

#[test]
fn the_builtin_list_is_valid_and_documented() {
    let s = Sources::new(&[]).unwrap();
    assert!(s.all().len() >= 200, "{} sources", s.all().len());
    let mut domains = HashSet::new();
    for src in s.all() {
        assert!(src.builtin);
        assert!(
            src.country.is_some() || src.kind == Kind::Official,
            "{}: no country",
            src.name
        );
        for d in &src.domains {
            assert!(domains.insert(d.clone()), "domain {d} twice");
        }
        if src.kind.needs_provenance() {
            let p = src.provenance.as_deref().unwrap_or("");
            assert!(p.len() > 15, "{}: provenance {p:?}", src.name);
        }
    }
}

#[test]
fn names_aliases_and_domains_are_recognised() {
    let s = Sources::builtin();
    assert_eq!(s.by_name("reuters").unwrap().slug, "reuters");
    assert_eq!(
        s.by_name("The Associated Press").unwrap().slug,
        "associated-press"
    );
    assert_eq!(s.by_name("AP").unwrap().slug, "associated-press");
    assert_eq!(s.by_name("Reuters.com").unwrap().slug, "reuters");
    assert_eq!(
        s.by_url("https://www.reuters.com/world/x?y=1")
            .unwrap()
            .slug,
        "reuters"
    );
    assert_eq!(
        s.by_url("https://english.news.cn/20231017/x.html")
            .unwrap()
            .kind,
        Kind::StateAffiliated
    );
    assert!(s.by_url("https://unknown.example/a").is_none());
    let (a, via) = s
        .recognise(Some("Unknown Desk"), Some("https://www.defensenews.com/a"))
        .unwrap();
    assert_eq!((a.slug.as_str(), via), ("defense-news", Via::Domain));
}

#[test]
fn misspellings_get_the_nearest_name() {
    let s = Sources::builtin();
    assert_eq!(s.nearest("Reuter").unwrap().name, "Reuters");
    assert_eq!(s.nearest("Defence News").unwrap().name, "Defense News");
    assert!(s.nearest("Pacific Security Review").is_none());
    assert_eq!(s.nearest("Reutres").unwrap().name, "Reuters");
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("ab", "ba"), 1);
}

#[test]
fn a_site_adds_and_overrides() {
    let site = [
        SourceEntry {
            name: "Baltic Briefing".into(),
            domains: vec!["www.baltic-briefing.example".into()],
            country: Some("lt".into()),
            kind: Some(Kind::Regional),
            ..SourceEntry::default()
        },
        SourceEntry {
            name: "reuters".into(),
            aliases: vec!["Reuters Wire".into()],
            kind: Some(Kind::National),
            ..SourceEntry::default()
        },
    ];
    let s = Sources::new(&site).unwrap();
    let b = s.by_url("https://baltic-briefing.example/x").unwrap();
    assert_eq!(
        (b.slug.as_str(), b.country.unwrap().as_str()),
        ("baltic-briefing", "LT")
    );
    assert!(!b.builtin);
    let r = s.by_name("Reuters wire").unwrap();
    assert_eq!((r.slug.as_str(), r.kind), ("reuters", Kind::National));
    let bad = [SourceEntry {
        name: "New".into(),
        country: Some("XX".into()),
        kind: Some(Kind::Other),
        ..SourceEntry::default()
    }];
    let e = Sources::new(&bad).unwrap_err();
    assert!(e[0].contains("XX"), "{e:?}");
    let nokind = [SourceEntry {
        name: "New".into(),
        ..SourceEntry::default()
    }];
    assert!(Sources::new(&nokind).unwrap_err()[0].contains("kind"));
}

#[test]
fn attribution_prefers_the_editor_then_the_page_then_the_url() {
    let s = Sources::builtin();
    let (n, note) = attribute(&s, Some("AFP"), Some("Reuters"), None);
    assert_eq!(n.as_deref(), Some("Agence France-Presse"));
    assert!(note.contains("wire"), "{note}");
    let (n, _) = attribute(&s, Some("Our Desk"), None, Some("https://reuters.com/a"));
    assert_eq!(n.as_deref(), Some("Our Desk"));
    let (n, note) = attribute(&s, None, Some("DN"), Some("https://www.defensenews.com/a"));
    assert_eq!(n.as_deref(), Some("Defense News"));
    assert!(note.contains("domain"), "{note}");
    let (n, note) = attribute(&s, None, Some("Some Blog"), None);
    assert_eq!(n.as_deref(), Some("Some Blog"));
    assert!(note.contains("not a known"), "{note}");
}

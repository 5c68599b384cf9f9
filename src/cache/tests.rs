//! The cache's round trips, and what it does with damage.

use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use super::frame::{checksum, header_len, read_framed, read_header, write_framed};
use super::shard::{encode_shard, load_shard, shard_name};
use super::stored::CachedArticle;
use super::*;
use crate::model::{Body, CountryCode, Explanations, NoParts};

/// A parsed and tagged article.
fn tagged() -> Article {
    let config = crate::config::Config::default();
    let tagger = crate::tag::Tagger::new(&config).unwrap();
    let text = "+++\ntitle = \"Pakistan and Russia open joint exercise\"\ndate = 2023-10-17T09:30:00Z\nsource = \"Wire\"\nnot_topics = [\"diplomacy\"]\n+++\n\nISLAMABAD: The armies of Pakistan and Russia began a joint counter-terror exercise.\n\n- one\n- two\n";
    let mut a =
        crate::load::parse_article(Path::new("content/2023-10-17-x.md"), text, &config).unwrap();
    a.fingerprint = 42;
    assert!(tagger.tag(&mut a).is_empty());
    a.placement = a.placement_key();
    assert!(!a.explanations.own().unwrap().is_empty());
    a
}

/// Writes `articles` as shard `path` (tag 9), their kept parts read
/// through `parts`.
fn write_shard_from(path: &Path, articles: &[&Article], parts: &dyn Parts) {
    let [meta, explanations, bodies] = encode_shard(articles, parts).unwrap();
    write_framed(path, 9, &[&meta, &explanations, &bodies]).unwrap();
}

/// Writes `articles` (parsed, holding their own parts) as shard `path`.
fn write_shard(path: &Path, articles: &[&Article]) {
    write_shard_from(path, articles, &NoParts);
}

/// Loads shard `path` (tag 9) as the only shard of a store.
fn load_one(path: &Path) -> Result<(Vec<Arc<Article>>, Store), Error> {
    let (list, shard) = load_shard(path, 9, 0)?;
    Ok((list, Store::of(vec![shard])))
}

/// Writes `articles` as shard `path` and loads it back.
fn through_shard(
    path: &Path,
    articles: &[&Article],
    parts: &dyn Parts,
) -> (Vec<Arc<Article>>, Store) {
    write_shard_from(path, articles, parts);
    load_one(path).unwrap()
}

/// An article with its kept parts read through `parts`: as it was parsed.
fn resolved(a: &Article, parts: &dyn Parts) -> Article {
    let mut a = a.clone();
    a.body_html = Body::Own(a.body_html.read(parts).unwrap().to_string());
    a.explanations = Explanations::Own(a.explanations.read(parts).unwrap().to_vec());
    a
}

#[test]
fn the_memo_round_trips_and_must_match_the_state() {
    let config = crate::config::Config::default();
    let tagger = Arc::new(crate::tag::Tagger::new(&config).unwrap());
    let code = |c: &str| CountryCode::new(c).unwrap();
    let articles = [
        ("a", 2, ["PK", "RU"]),
        ("b", 9, ["RU", "PK"]),
        ("c", 20, ["FR", "PK"]),
    ]
    .into_iter()
    .map(|(slug, day, cs)| {
        let mut a = Article::blank(slug);
        a.date = Some(jiff::civil::date(2023, 10, day));
        a.countries = cs.iter().map(|c| code(c)).collect();
        a.topics = vec!["arms-trade".into()];
        a.fingerprint = u64::from(slug.as_bytes()[0]);
        Arc::new(a)
    })
    .collect();
    let site = crate::index::index(config, tagger, articles);
    let memo = Memo {
        last: crate::render::LastPass {
            salt: 7,
            structure: site.structure,
            fps: Arc::new(site.articles.iter().map(|a| a.fingerprint).collect()),
        },
        groups: site.groupings(),
    };
    let dir = tempfile::tempdir().unwrap();
    let tag = save_memo(dir.path(), &memo, 42).unwrap();
    let state = State {
        memo: tag,
        ..State::default()
    };
    let back = load_memo(dir.path(), &state).unwrap();
    assert_eq!(back.last, memo.last);
    let (g, h) = (&back.groups, &memo.groups);
    assert_eq!(g.structure, h.structure);
    assert_eq!(g.by_country, h.by_country);
    assert_eq!(g.by_topic, h.by_topic);
    assert_eq!(g.by_month, h.by_month);
    assert_eq!(g.by_edition, h.by_edition);
    assert_eq!(g.by_pair, h.by_pair);
    assert_eq!(g.related, h.related);
    assert_eq!(g.by_pair.len(), 1, "PK and RU share two articles");
    // Another state's tag, or none: not this memo.
    let other = State {
        memo: tag ^ 2,
        ..State::default()
    };
    assert!(load_memo(dir.path(), &other).is_err());
    assert!(load_memo(dir.path(), &State::default()).is_err());
}

#[test]
fn articles_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = tagged();
    let mut odd = Vec::new();
    for body in [
        String::new(),
        "<p>Łódź, Zürich, 東京, القاهرة 🇵🇰🇷🇺 — “quoted”</p>\n".to_string(),
        "<p>é</p>".repeat(200_000),
        "🇵🇰".to_string(),
    ] {
        let mut b = a.clone();
        b.slug = format!("odd-{}", odd.len());
        b.body_html = body.into();
        odd.push(b);
    }
    let mut list = vec![&a];
    list.extend(&odd);
    let path = dir.path().join("articles-00");
    let (back, store) = through_shard(&path, &list, &NoParts);
    assert_eq!(back.len(), list.len());
    assert!(
        back[0].body_text.is_empty(),
        "the tagger's input is not kept"
    );
    assert!(
        back.iter().all(|a| a.body_html.own().is_none()),
        "bodies are kept apart"
    );
    a.body_text.clear();
    for b in &mut odd {
        b.body_text.clear();
    }
    list = vec![&a];
    list.extend(&odd);
    for (want, got) in list.iter().zip(&back) {
        assert_eq!(
            want.body_html.read(&NoParts).unwrap(),
            got.body_html.read(&store).unwrap()
        );
        assert_eq!(format!("{want:?}"), format!("{:?}", resolved(got, &store)));
    }
    // An article loaded from the cache saves as it was loaded, even
    // over its own shard (the bodies are read before it is replaced).
    let refs: Vec<&Article> = back.iter().map(|a| &**a).collect();
    let resolved_back: Vec<Article> = back.iter().map(|a| resolved(a, &store)).collect();
    let (again, again_store) = through_shard(&path, &refs, &store);
    let resolved_again: Vec<Article> = again.iter().map(|a| resolved(a, &again_store)).collect();
    assert_eq!(format!("{resolved_back:?}"), format!("{resolved_again:?}"));
    assert!(
        through_shard(&dir.path().join("articles-01"), &[], &NoParts)
            .0
            .is_empty()
    );
}

/// A change of span: (index of the article, (start, end)) → (start, end).
type Respan = dyn Fn(usize, (u64, u64)) -> (u64, u64);

/// Rewrites shard `path` (tagged `tag`) with each article's range of
/// `part` (0: body, 1: explanations) changed by `f` (its index, its
/// start and end); a body gets a checksum that matches its new range.
fn respan(path: &Path, tag: u64, part: usize, f: impl Fn(usize, (u64, u64)) -> (u64, u64)) {
    let sections = read_framed(path, tag, 3).unwrap();
    let mut list: Vec<CachedArticle<'_>> = postcard::from_bytes(&sections[0]).unwrap();
    for (i, c) in list.iter_mut().enumerate() {
        if part == 0 {
            let (start, end) = f(i, (c.body.0, c.body.1));
            let sum = sections[2]
                .get(start as usize..end as usize)
                .map_or(0, checksum);
            c.body = (start, end, sum);
        } else {
            c.explanations = f(i, c.explanations);
        }
    }
    let meta = postcard::to_stdvec(&list).unwrap();
    write_framed(path, tag, &[&meta, &sections[1], &sections[2]]).unwrap();
}

/// Flips the first byte of each body of shard `path` (tagged `tag`).
fn flip_bodies(path: &Path, tag: u64) {
    let mut bytes = std::fs::read(path).unwrap();
    let header = read_header(&mut &bytes[..], bytes.len() as u64, tag, 3).unwrap();
    let (meta_len, explanations_len) = (header.sections[0].0, header.sections[1].0);
    let meta = bytes[header_len(3)..header_len(3) + meta_len as usize].to_vec();
    let offset = header_len(3) + (meta_len + explanations_len) as usize;
    let list: Vec<CachedArticle<'_>> = postcard::from_bytes(&meta).unwrap();
    for c in list.iter().filter(|c| c.body.1 > c.body.0) {
        bytes[offset + c.body.0 as usize] ^= 0x01;
    }
    std::fs::write(path, bytes).unwrap();
}

/// Loads shard `path` (tag 9) and reads its bodies and explanations:
/// why they cannot be had, if they cannot (the first reason).
fn damage_of(path: &Path) -> Result<Option<String>, String> {
    let (list, store) = load_one(path).map_err(|e| e.to_string())?;
    let mut first = None;
    for a in &list {
        if let Err(e) = a.body_html.read(&store) {
            first.get_or_insert(e.to_string());
        }
        if let Err(e) = a.explanations.read(&store) {
            first.get_or_insert(e.to_string());
        }
    }
    Ok(first)
}

#[test]
fn damaged_parts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("articles-00");
    let mut a = tagged();
    a.body_html = "<p>é</p>".into();
    let mut b = a.clone();
    b.body_html = "<p>🇵🇰</p>".into();
    let good = || write_shard(&path, &[&a, &b]);
    good();
    assert_eq!(damage_of(&path), Ok(None));
    let bytes = std::fs::read(&path).unwrap();

    // Seen when the shard is loaded: a truncated file, damaged
    // explanations, a range past the end of its section, or reversed.
    std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
    assert!(damage_of(&path).unwrap_err().contains("truncated"));
    let sections = read_header(&mut &bytes[..], bytes.len() as u64, 9, 3)
        .unwrap()
        .sections;
    let mut flipped = bytes.clone();
    flipped[header_len(3) + sections[0].0 as usize] ^= 0x01;
    std::fs::write(&path, &flipped).unwrap();
    assert!(damage_of(&path).unwrap_err().contains("checksum"));
    let end = bytes.len() as u64;
    let cases: [(&str, usize, &Respan); 4] = [
        ("past the end", 0, &move |_, (s, _)| (s, end + 1)),
        ("wholly past the end", 0, &move |_, _| (end + 10, end + 20)),
        ("reversed", 0, &|_, (s, e)| (e, s)),
        ("explanations past the end", 1, &|_, (s, _)| (s, u64::MAX)),
    ];
    for (what, part, f) in cases {
        good();
        respan(&path, 9, part, f);
        let err = damage_of(&path).expect_err(what);
        assert!(err.contains("range outside"), "{what}: {err}");
    }

    // Seen when a part is asked for: a flipped byte in a body, a body
    // range inside a character (with a checksum that matches it),
    // explanations cut short, a shard replaced or removed since it was
    // loaded (its explanations were read with it).
    let mut flipped = bytes.clone();
    let last = flipped.len() - 2;
    flipped[last] ^= 0x01;
    std::fs::write(&path, &flipped).unwrap();
    assert!(damage_of(&path).unwrap().unwrap().contains("checksum"));
    good();
    flip_bodies(&path, 9);
    assert!(damage_of(&path).unwrap().unwrap().contains("checksum"));
    good();
    respan(
        &path,
        9,
        0,
        |i, (s, e)| if i == 1 { (s + 4, e) } else { (s, e) },
    );
    assert!(damage_of(&path).unwrap().unwrap().contains("UTF-8"));
    good();
    respan(&path, 9, 0, |_, (s, _)| (s, s + 4));
    assert!(damage_of(&path).unwrap().unwrap().contains("UTF-8"));
    good();
    respan(&path, 9, 1, |_, (s, e)| (s, e - 1));
    assert!(damage_of(&path).unwrap().unwrap().contains("decode"));
    for replace in [true, false] {
        good();
        let (list, store) = load_one(&path).unwrap();
        if replace {
            write_shard(&path, &[&b, &a]);
        } else {
            std::fs::remove_file(&path).unwrap();
        }
        let why = list[0].body_html.read(&store).unwrap_err().to_string();
        assert_eq!(
            list[1].explanations.read(&store).unwrap(),
            b.explanations.own().unwrap()
        );
        assert!(
            why.contains(if replace { "changed" } else { "cannot read" }),
            "{why}"
        );
    }
    // Rewriting the spans as they are keeps a good shard good.
    good();
    respan(&path, 9, 0, |_, r| r);
    respan(&path, 9, 1, |_, r| r);
    assert_eq!(damage_of(&path), Ok(None));
}

/// Every file under `dir`: relative path → bytes.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_damaged_part_means_a_full_build() {
    use crate::builder::CacheUse;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let content = root.join("content");
    std::fs::create_dir_all(&content).unwrap();
    let names: Vec<String> = (0..12)
        .map(|i| format!("2023-10-{:02}-a{i}.md", i + 1))
        .collect();
    for (i, name) in names.iter().enumerate() {
        std::fs::write(
            content.join(name),
            format!("+++\ntitle = \"Poland report {i}\"\n+++\n\nŁódź 🇵🇱 — Polish troops trained in Warsaw, Poland, for item {i}.\n"),
        )
        .unwrap();
    }
    let opts = |out: &str| crate::BuildOptions {
        output: Some(dir.path().join(out)),
        ..crate::BuildOptions::new(&root)
    };
    let hidden = crate::progress::Progress::hidden();
    let build = || crate::builder::run(&opts("public"), true, &hidden).unwrap();
    let same_as_clean = |n: usize| {
        let out = format!("clean-{n}");
        let clean = crate::builder::run(&opts(&out), false, &hidden).unwrap();
        assert_eq!(clean.cache, CacheUse::Off);
        assert!(tree(&dir.path().join("public")) == tree(&dir.path().join(out)));
    };
    let edit = |n: u64| {
        let p = content.join(&names[11]);
        std::fs::write(
            &p,
            format!("+++\ntitle = \"Edit {n}\"\n+++\n\nŁódź and Warsaw {n}.\n"),
        )
        .unwrap();
        let later = SystemTime::now() + std::time::Duration::from_secs(3 * n);
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(later).unwrap();
    };
    assert_eq!(build().cache, CacheUse::Full);
    edit(1);
    assert_eq!(build().cache, CacheUse::Incremental);
    same_as_clean(1);
    let state = load_state(&root).unwrap().unwrap();
    let (articles, store) = load_articles(&root, &state).unwrap();
    assert!(
        articles
            .iter()
            .all(|a| a.body_html.read(&store).unwrap().starts_with("<p>Ł"))
    );
    assert!(
        articles
            .iter()
            .any(|a| !a.explanations.read(&store).unwrap().is_empty())
    );

    // Damage to every shard. The edited article is the newest: the
    // feed shows it with the others, and reads their bodies; the page
    // of the article before it links to it, and shows its explanations.
    // Damage done to a shard, given its path and tag.
    type Damage = dyn Fn(&Path, u64);
    let kinds: [(&str, &Damage); 5] = [
        ("truncated", &|path, _| {
            let b = std::fs::read(path).unwrap();
            std::fs::write(path, &b[..b.len() - 1]).unwrap();
        }),
        ("checksum", &flip_bodies),
        // Spans that start inside the "Ł" of "<p>Łódź", or end past the
        // section, or explanations cut short, with checksums that match.
        ("UTF-8", &|path, tag| {
            respan(path, tag, 0, |_, (s, e)| (s + 4, e))
        }),
        ("range outside", &|path, tag| {
            respan(path, tag, 0, |_, (s, _)| (s, u64::MAX))
        }),
        ("decode explanations", &|path, tag| {
            respan(path, tag, 1, |_, (s, e)| (s, e.saturating_sub(1).max(s)))
        }),
    ];
    for (n, (why, damage)) in kinds.into_iter().enumerate() {
        let state = load_state(&root).unwrap().unwrap();
        for (i, tag) in state.shards.iter().enumerate() {
            let path = crate::layout::cache_dir(&root).join(shard_name(i));
            if !load_shard(&path, *tag, i as u32).unwrap().0.is_empty() {
                damage(&path, *tag);
            }
        }
        edit(2 + n as u64);
        let r = build();
        assert_eq!(r.cache, CacheUse::Full, "{why}");
        assert!(
            r.notices.iter().any(|n| n.contains(why)),
            "{why}: {:?}",
            r.notices
        );
        same_as_clean(2 + n);
    }
    // That build's cache is good.
    edit(10);
    let r = build();
    assert_eq!(r.cache, CacheUse::Incremental, "{:?}", r.notices);
    assert!(r.notices.is_empty(), "{:?}", r.notices);
    same_as_clean(10);
}

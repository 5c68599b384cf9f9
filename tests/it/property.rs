//! Property tests: a build never panics on generated articles — random
//! front matter fields (valid, of the wrong type, unknown), random
//! Markdown with nesting, raw HTML and Unicode, awkward file names. It
//! builds, with every output inside the output directory and no script,
//! or it reports problems that name the files.

use std::path::Path;

use milbrief::BuildOptions;
use milbrief::Config;
use milbrief::Diagnostics;
use proptest::prelude::*;

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// One front matter line.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>().prop_map(|s| format!("title = {}", toml_string(&s))),
        "[ -~]{0,40}".prop_map(|s| format!("title = {}", toml_string(&s))),
        (1900i32..2100, 1u8..13, 1u8..29)
            .prop_map(|(y, m, d)| format!("date = {y:04}-{m:02}-{d:02}")),
        "[0-9/ -]{0,12}".prop_map(|s| format!("date = {}", toml_string(&s))),
        Just("date = 2023-02-30".to_string()),
        Just("date = 3".to_string()),
        prop::collection::vec(
            prop_oneof![
                Just("PK"),
                Just("ru"),
                Just("Poland"),
                Just("Narnia"),
                Just(""),
                Just("U.S."),
                Just("Korea"),
                Just("🇵🇱")
            ],
            0..4
        )
        .prop_map(|v| format!(
            "countries = [{}]",
            v.iter()
                .map(|c| toml_string(c))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        prop::collection::vec(
            prop_oneof![
                Just("arms-trade"),
                Just("Diplomacy"),
                Just("no-such-topic"),
                Just("cyber-space")
            ],
            0..3
        )
        .prop_map(|v| format!(
            "topics = [{}]",
            v.iter()
                .map(|c| toml_string(c))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        any::<String>().prop_map(|s| format!("slug = {}", toml_string(&s))),
        prop_oneof![
            Just("../../x"),
            Just("CON"),
            Just("/abs"),
            Just("a\\b"),
            Just("ok-slug")
        ]
        .prop_map(|s| format!("slug = {}", toml_string(s))),
        any::<bool>().prop_map(|b| format!("draft = {b}")),
        any::<bool>().prop_map(|b| format!("auto_tag = {b}")),
        prop_oneof![
            Just("https://e.org/a"),
            Just("javascript:alert(1)"),
            Just("e.org")
        ]
        .prop_map(|u| format!("url = {}", toml_string(u))),
        any::<String>().prop_map(|s| format!("summary = {}", toml_string(&s))),
        any::<String>().prop_map(|s| format!("source = {}", toml_string(&s))),
        "[a-z_]{1,12} = [\\[\\]{}\"0-9a-z=,]{0,12}",
        Just("title = 3".to_string()),
        Just("countries = \"PK\"".to_string()),
    ]
}

/// One block of Markdown.
fn block() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        any::<String>(),
        "[a-zA-Z ,.]{0,80}",
        Just("Pakistan and Russia held a joint exercise near Islamabad.".to_string()),
        prop_oneof![
            Just("<script>alert(1)</script>"),
            Just("<img src=x onerror=alert(1)>"),
            Just("<a href=\"javascript:alert(1)\">x</a>"),
            Just("<iframe src=x></iframe>"),
            Just("<div><table><tr><td>x</td></tr></table>"),
            Just("<!-- more -->"),
            Just("<figure><figcaption>c</figcaption></figure>"),
            Just("</div></div>"),
        ]
        .prop_map(str::to_string),
        "[*_`~\\[\\]()<>#!|-]{1,30}",
        "\\[[a-z]{1,5}\\]\\([a-z:/.#]{0,20}\\)",
        "[a-z]{1,5}\\[\\^[a-z0-9]{1,3}\\]",
        "\\[\\^[a-z0-9]{1,3}\\]: [a-z ]{0,20}",
        "#{1,7} [a-zA-Z ]{0,20}( \\{[#.a-z= ]{0,15}\\})?",
        "```[a-z\"' ]{0,10}\n[ -~\n]{0,40}\n```",
        "\\|[a-z ]{0,5}\\|[a-z ]{0,5}\\|\n\\|---\\|---\\|\n\\|[a-z]{0,3}\\|[a-z]{0,3}\\|",
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v
                .iter()
                .map(|b| format!("- {}\n", b.replace('\n', "\n  ")))
                .collect()),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v
                .iter()
                .map(|b| format!("> {}\n", b.replace('\n', "\n> ")))
                .collect()),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("*{a}* **{b}**")),
            inner.prop_map(|b| format!("1. {}", b.replace('\n', "\n   "))),
        ]
    })
}

/// A whole article file: maybe front matter, then blocks.
fn article() -> impl Strategy<Value = String> {
    (
        prop::option::weighted(0.85, prop::collection::vec(field(), 0..8)),
        prop::collection::vec(block(), 0..8),
        any::<bool>(),
    )
        .prop_map(|(fm, blocks, crlf)| {
            let mut s = String::new();
            if let Some(lines) = fm {
                s.push_str("+++\n");
                for l in lines {
                    s.push_str(&l);
                    s.push('\n');
                }
                s.push_str("+++\n");
            }
            s.push_str(&blocks.join("\n\n"));
            if crlf { s.replace('\n', "\r\n") } else { s }
        })
}

fn file_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "2023-(0[1-9]|1[0-2])-(0[1-9]|1[0-9])-[a-z-]{1,12}\\.md",
        "[a-zA-Z0-9 ._-]{1,20}\\.md",
        "[a-z]{1,6}/[a-z]{1,6}\\.md",
        Just("con.md".to_string()),
        Just("日本語.md".to_string()),
    ]
}

fn check_outputs(outputs: &[milbrief::Output]) {
    for o in outputs {
        let p = Path::new(&o.path);
        assert!(
            !o.path.is_empty()
                && !o.path.contains('\\')
                && p.components()
                    .all(|c| matches!(c, std::path::Component::Normal(_))),
            "output path {:?} leaves the output directory",
            o.path
        );
        if o.path.ends_with(".html") {
            let html = String::from_utf8_lossy(&o.bytes);
            // The search page loads the site's own script, and only it.
            let own = "<script src=\"../search.js\" defer></script>";
            let rest = if o.path == "search/index.html" {
                html.replacen(own, "", 1)
            } else {
                html.to_string()
            };
            assert!(
                !rest.to_ascii_lowercase().contains("<script"),
                "{} has a script",
                o.path
            );
            // Text may read "javascript:"; no link or source may be one.
            for l in milbrief::scan_links(&html).links {
                let v: String = l
                    .value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                assert!(
                    !v.starts_with("javascript:") && !v.starts_with("data:"),
                    "{} links to {:?}",
                    o.path,
                    l.value
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn build_never_panics_on_generated_sites(
        files in prop::collection::vec((file_name(), article()), 1..6)
    ) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in &files {
            let p = dir.path().join("content").join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let built = milbrief::build_outputs(&BuildOptions::new(dir.path()));
        match &built {
            Ok((_, outputs)) => check_outputs(outputs),
            Err(e) => {
                let d: Option<&Diagnostics> = e.problems();
                prop_assert!(d.is_some(), "not a list of problems: {e:#}");
                for d in &d.unwrap().0 {
                    prop_assert!(d.path.starts_with("content"), "{d}");
                }
            }
        }
        // `check` never panics either, and finds errors exactly when the
        // build refuses the site.
        let r = milbrief::check(&milbrief::CheckOptions::new(dir.path())).unwrap();
        prop_assert_eq!(built.is_err(), r.errors > 0, "{}", r.to_text());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The article parser alone, on many more inputs: an article with a
    /// safe slug and a title, or problems naming the file.
    #[test]
    fn parsing_never_panics(text in article()) {
        let rel = Path::new("content/2023-10-17-x.md");
        match milbrief::load_bytes(rel, text.into_bytes(), &Config::default()) {
            Ok(a) => {
                prop_assert!(!a.title.is_empty());
                prop_assert!(!a.slug.is_empty() && a.slug.len() <= milbrief::SLUG_MAX);
                prop_assert!(a.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
                prop_assert!(
                    !a.body_html
                        .own()
                        .unwrap_or_default()
                        .to_ascii_lowercase()
                        .contains("<script")
                );
            }
            Err(ds) => {
                prop_assert!(!ds.is_empty());
                for d in ds {
                    prop_assert_eq!(d.path.as_path(), rel);
                }
            }
        }
    }
}

//! Input an editor or a scraper can throw at a build: awkward files,
//! pathological Markdown, hostile HTML, slugs and paths that try to leave
//! the output, and failures that must leave the last site alone. Each is
//! built or reported with its path, never a panic.

use std::path::{Path, PathBuf};

use crate::common::*;
use milbrief::BuildOptions;
use milbrief::Diagnostics;

/// A site in a temporary directory with the given articles.
fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    for (name, bytes) in files {
        let p = dir.path().join("content").join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

/// The problems of a build that must fail, as printed.
fn problems(root: &Path) -> Vec<String> {
    let e = milbrief::build_outputs(&BuildOptions::new(root))
        .err()
        .expect("the build fails");
    let d: &Diagnostics = e
        .problems()
        .unwrap_or_else(|| panic!("a list of problems, not {e:#}"));
    d.0.iter().map(|d| d.to_string()).collect()
}

fn one_problem(root: &Path) -> String {
    let p = problems(root);
    assert_eq!(p.len(), 1, "{p:?}");
    p.into_iter().next().unwrap()
}

const GOOD: &[u8] =
    b"+++\ntitle = \"Good\"\ncountries = [\"PL\"]\ntopics = [\"diplomacy\"]\n+++\nFine.\n";

// ---- Awkward files -------------------------------------------------------

#[test]
fn invalid_utf8_is_reported_with_its_position() {
    let dir = site(&[
        ("2023-10-01-good.md", GOOD),
        (
            "2023-10-02-latin1.md",
            b"+++\ntitle = \"Caf\xe9\"\n+++\nx\n",
        ),
    ]);
    assert_eq!(
        one_problem(dir.path()),
        "content/2023-10-02-latin1.md:2:13: file is not valid UTF-8 text"
    );
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_read_as_usual() {
    let text = "\u{feff}+++\r\ntitle = \"Windows article\"\r\ncountries = [\"PL\"]\r\ntopics = [\"diplomacy\"]\r\n+++\r\n\r\nFirst paragraph.\r\n\r\nSecond paragraph.\r\n";
    let dir = site(&[("2023-10-01-crlf.md", text.as_bytes())]);
    let (site, out) = build_in_memory(&BuildOptions::new(dir.path()));
    let a = &site.articles[0];
    assert_eq!(a.title, "Windows article");
    assert_eq!(a.summary_text, "First paragraph.");
    assert!(text_of(&out, "articles/crlf/index.html").contains("Second paragraph."));

    // Positions in errors count CRLF lines as lines, after the mark.
    let bad = "\u{feff}+++\r\ntitle = \"x\"\r\ncountrys = [\"PL\"]\r\n+++\r\nx\r\n";
    let dir = self::site(&[("2023-10-01-crlf.md", bad.as_bytes())]);
    assert!(
        one_problem(dir.path()).starts_with("content/2023-10-01-crlf.md:3:1: "),
        "{:?}",
        problems(dir.path())
    );
}

fn text_of<'a>(out: &'a std::collections::BTreeMap<String, Vec<u8>>, path: &str) -> &'a str {
    text(out.get(path).unwrap_or_else(|| panic!("{path} missing")))
}

#[test]
fn empty_files_are_reported() {
    for empty in [&b""[..], b"\n\n  \n", b"\xef\xbb\xbf"] {
        let dir = site(&[("2023-10-01-good.md", GOOD), ("2023-10-02-empty.md", empty)]);
        assert_eq!(
            one_problem(dir.path()),
            "content/2023-10-02-empty.md: file is empty: an article needs at least a title"
        );
    }
}

#[test]
fn a_file_of_only_front_matter_builds() {
    let dir = site(&[(
        "2023-10-01-bare.md",
        b"+++\ntitle = \"Headline only\"\ncountries = [\"PL\"]\ntopics = [\"diplomacy\"]\n+++\n",
    )]);
    let (site, out) = build_in_memory(&BuildOptions::new(dir.path()));
    assert_eq!(site.articles[0].title, "Headline only");
    assert!(text_of(&out, "articles/bare/index.html").contains("Headline only"));
    // Unclosed front matter is an error at its first line.
    let dir = self::site(&[("2023-10-01-open.md", b"+++\ntitle = \"Open\"\n")]);
    assert_eq!(
        one_problem(dir.path()),
        "content/2023-10-01-open.md:1:1: front matter opened with +++ is never closed"
    );
}

#[test]
fn binary_junk_with_a_markdown_name_is_reported() {
    let mut junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    junk[0] = b'P';
    let dir = site(&[
        ("2023-10-01-good.md", GOOD),
        ("2023-10-02-photo.md", &junk),
        ("2023-10-03-nul.md", b"+++\ntitle = \"x\"\n+++\nab\0cd"),
    ]);
    let p = problems(dir.path());
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p[0].starts_with("content/2023-10-02-photo.md:")
            && (p[0].contains("binary") || p[0].contains("UTF-8")),
        "{p:?}"
    );
    assert_eq!(
        p[1],
        "content/2023-10-03-nul.md:4:3: file looks binary (it contains a NUL byte), not like Markdown text"
    );
}

/// 50 MB of ordinary paragraphs: over the size limit, so it is refused
/// with its name before it is read, and the rest of the site is checked.
#[test]
fn a_fifty_megabyte_file_is_refused_by_name() {
    let dir = site(&[("2023-10-01-good.md", GOOD)]);
    let big = dir.path().join("content/2023-10-02-huge.md");
    {
        use std::io::Write as _;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        f.write_all(b"+++\ntitle = \"Huge\"\n+++\n").unwrap();
        let para = "The ministry said the exercise would continue through the week, with ships and aircraft from both navies taking part in drills off the coast.\n\n";
        while f.get_ref().metadata().unwrap().len() < 50 * 1024 * 1024 {
            for _ in 0..1000 {
                f.write_all(para.as_bytes()).unwrap();
            }
            f.flush().unwrap();
        }
    }
    let p = one_problem(dir.path());
    assert!(
        p.starts_with("content/2023-10-02-huge.md: file is 50.")
            && p.contains("MiB (")
            && p.contains("bytes), more than the 4 MiB")
            && p.contains("max_article_kb"),
        "{p}"
    );
    // `check` reports it the same way, with its code.
    let r = milbrief::check(&milbrief::CheckOptions::new(dir.path())).unwrap();
    assert!(
        r.problems
            .iter()
            .any(|p| p.code == "too-large" && p.path == "content/2023-10-02-huge.md"),
        "{}",
        r.to_text()
    );
}

/// A large article within the limit builds, and the limit is the site's.
#[test]
fn a_large_article_builds_and_the_limit_is_configurable() {
    let para = "Officials said the frigates would patrol the strait, escort convoys and train with allied navies, and that the programme was on budget.\n\n";
    let mut text = String::from(
        "+++\ntitle = \"Long read\"\ncountries = [\"PL\"]\ntopics = [\"diplomacy\"]\n+++\n",
    );
    while text.len() < 1024 * 1024 {
        text.push_str(para);
    }
    let dir = site(&[("2023-10-01-long.md", text.as_bytes())]);
    let (site, out) = build_in_memory(&BuildOptions::new(dir.path()));
    assert!(site.articles[0].word_count > 150_000);
    assert!(out["articles/long/index.html"].len() > 1024 * 1024);

    std::fs::write(
        dir.path().join("config.toml"),
        "[markdown]\nmax_article_kb = 512\n",
    )
    .unwrap();
    let p = one_problem(dir.path());
    assert!(p.contains("more than the 512 KiB"), "{p}");
}

/// Inputs known to be slow or deep for Markdown parsers and HTML
/// sanitisers: each builds (in bounded time: no quadratic blow-up at
/// these sizes) or is reported, without overflowing the stack.
#[test]
fn pathological_markdown_builds() {
    let n = 20_000;
    let cases: Vec<(&str, String)> = vec![
        (
            "nested-lists",
            (0..200)
                .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
                .collect(),
        ),
        ("nested-quotes", format!("{} deep\n", ">".repeat(n))),
        (
            "nested-emphasis",
            format!("{}x{}", "*a ".repeat(n), " a*".repeat(n)),
        ),
        ("strong-runs", "**a".repeat(n)),
        ("brackets", format!("{}x{}", "[".repeat(n), "]".repeat(n))),
        ("links", "[a](b ".repeat(n)),
        (
            "backticks",
            (1..300).map(|i| "`".repeat(i) + " x ").collect(),
        ),
        (
            "nested-html",
            format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n)),
        ),
        ("unclosed-html", "<span><b><i>".repeat(n)),
        ("list-markers", "- ".repeat(n)),
        (
            "table-columns",
            format!("{}\n{}\n", "|a".repeat(n), "|-".repeat(n)),
        ),
        (
            "footnotes",
            (0..2000)
                .map(|i| format!("x[^{i}]\n\n[^{i}]: note {i}\n\n"))
                .collect(),
        ),
        ("headings", "# h {#a .b c=d}\n".repeat(n)),
        ("entities", "&#x10FFFF;&amp;&#0;&bogus;".repeat(n)),
    ];
    for (name, body) in cases {
        let text = format!(
            "+++\ntitle = \"{name}\"\ncountries = [\"PL\"]\ntopics = [\"diplomacy\"]\n+++\n\nLead paragraph.\n\n{body}\n"
        );
        let dir = site(&[(&format!("2023-10-01-{name}.md"), text.as_bytes())]);
        let r = milbrief::build_outputs(&BuildOptions::new(dir.path()));
        assert!(r.is_ok(), "{name}: {:#}", r.err().unwrap());
    }
}

#[test]
fn pathological_front_matter_is_reported() {
    let deep = format!(
        "+++\ntitle = \"x\"\ncountries = {}\"PL\"{}\n+++\nx\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let inline = format!(
        "+++\ntitle = \"x\"\nx = {}{}\n+++\nx\n",
        "{a=".repeat(5_000),
        "}".repeat(5_000)
    );
    for (name, text) in [("deep", deep), ("inline", inline)] {
        let dir = site(&[(&format!("2023-10-01-{name}.md"), text.as_bytes())]);
        let p = one_problem(dir.path());
        assert!(
            p.starts_with(&format!("content/2023-10-01-{name}.md:3:"))
                && p.contains("nest more than"),
            "{p}"
        );
    }
}

// ---- Untrusted HTML ------------------------------------------------------

const HOSTILE: &str = r#"Lead paragraph with <b>bold</b> and <script>alert('s1')</script> text.

<img src="x.png" onerror="alert('s2')"> <a href="javascript:alert('s3')">a</a>
<a href="JaVaScRiPt:alert('s4')">b</a> <a href="java&#x09;script:alert('s5')">c</a>
<iframe src="https://evil.example/"></iframe><object data="x.swf"></object><embed src="x.swf">
<svg onload="alert('s6')"><circle r="1"/></svg><math><mi>x</mi></math>
<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="> <form action="javascript:alert('s7')"><input></form>
<meta http-equiv="refresh" content="0;url=javascript:alert('s8')"><style>body{display:none}</style>
<div style="background:url(javascript:alert('s9'))" onclick="alert('s10')">styled</div>
<base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/x.css">

[md link](javascript:alert('s11')) [md link 2](  JAVASCRIPT:alert('s12')) <javascript:alert('s13')>
![md image](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox)

## Heading {onclick=alert('s14') .ok}

```" onmouseover="alert('s15')
code
```

<table><thead><tr><th>Kept</th></tr></thead><tbody><tr><td>cell</td></tr></tbody></table>

<figure><img src="photo.jpg" alt="Photo"><figcaption>A kept caption</figcaption></figure>

A claim[^1] and <a href="https://example.org/ok" title="t">a kept link</a>.

[^1]: The footnote.
"#;

/// A page without the markup milbrief itself writes and may: its SVG charts
/// (labels escaped by `svg.rs`), and the search page's form and own script.
fn without_site_markup(lower: &str) -> String {
    let mut s = lower.replacen("<script src=\"../search.js\" defer></script>", "", 1);
    s = s.replacen("<form role=\"search\" id=\"search-form\"", "<div", 1);
    while let Some(i) = s.find("<figure class=\"chart") {
        let end = s[i..].find("</figure>").map_or(s.len(), |e| i + e + 9);
        s.replace_range(i..end, "");
    }
    s
}

/// Whether an output still carries anything that could run script or
/// pull in foreign content: such elements, event-handler or style
/// attributes, or script, data or foreign URLs in attributes. Text that
/// merely reads "alert(" or "javascript:" is harmless and allowed.
fn dangers(html: &str) -> Vec<String> {
    let lower = without_site_markup(&html.to_ascii_lowercase());
    let html = lower.as_str();
    let mut found = Vec::new();
    for bad in [
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<svg",
        "<math",
        "<form",
        "<meta http-equiv",
        "<base",
        "<style",
        "<link rel=\"stylesheet\" href=\"https://evil",
    ] {
        if lower.contains(bad) {
            found.push(bad.to_string());
        }
    }
    for l in milbrief::scan_links(html).links {
        let v: String = l
            .value
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect::<String>()
            .to_ascii_lowercase();
        if v.starts_with("javascript:")
            || v.starts_with("vbscript:")
            || v.starts_with("data:")
            || v.contains("evil.example")
        {
            found.push(format!("URL {:?}", l.value));
        }
    }
    // Attributes inside tags: ` on…=` and ` style=` (quoted values skipped).
    let mut in_tag = false;
    let mut quote = None;
    let b = lower.as_bytes();
    for i in 0..b.len() {
        if let Some(q) = quote {
            if b[i] == q {
                quote = None;
            }
            continue;
        }
        match b[i] {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            q @ (b'"' | b'\'') if in_tag => quote = Some(q),
            c if in_tag && c.is_ascii_whitespace() => {
                let rest = &lower[i + 1..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                if (name.starts_with("on") || name == "style")
                    && rest[name.len()..].trim_start().starts_with('=')
                {
                    found.push(format!("{name}="));
                }
            }
            _ => {}
        }
    }
    found
}

#[test]
fn raw_html_is_sanitised_on_every_page() {
    let src = format!(
        "+++\ntitle = \"Hostile\"\ncountries = [\"PL\"]\ntopics = [\"diplomacy\"]\n+++\n{HOSTILE}"
    );
    let dir = site(&[("2023-10-01-hostile.md", src.as_bytes())]);
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    for (path, bytes) in &out {
        if path.ends_with(".html") || path.ends_with(".xml") || path.ends_with(".json") {
            let d = dangers(text(bytes));
            assert!(d.is_empty(), "{path}: {d:?}");
        }
    }
    let page = text_of(&out, "articles/hostile/index.html");
    for kept in [
        "<b>bold</b>",
        "<th>Kept</th>",
        "<td>cell</td>",
        "<figure>",
        "<figcaption>A kept caption</figcaption>",
        "id=\"fnref-1\"",
        "id=\"fn-1\"",
        "href=\"#fn-1\"",
        "href=\"https://example.org/ok\"",
        "class=\"ok\"",
        "styled",
    ] {
        assert!(page.contains(kept), "{kept} was removed");
    }
}

#[test]
fn unsafe_html_passes_raw_html_through_on_trusted_sites() {
    let text = "+++\ntitle = \"Trusted\"\ncountries = [\"PL\"]\ntopics = [\"diplomacy\"]\n+++\nLead.\n\n<iframe src=\"https://video.example/embed\"></iframe>\n\n## Chart {data-chart=bar}\n";
    let dir = site(&[("2023-10-01-trusted.md", text.as_bytes())]);
    std::fs::write(
        dir.path().join("config.toml"),
        "[markdown]\nunsafe_html = true\n",
    )
    .unwrap();
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    let page = text_of(&out, "articles/trusted/index.html");
    assert!(page.contains("<iframe src=\"https://video.example/embed\">"));
    assert!(page.contains("data-chart=\"bar\""));
}

#[test]
fn titles_summaries_and_tags_are_escaped_everywhere() {
    let payload = "<script>alert('t')</script> & \"q\" <img src=x onerror=alert('u')>";
    let src = format!(
        "+++\ntitle = {payload:?}\nsummary = {payload:?}\nsource = {payload:?}\nauthor = {payload:?}\ndateline = {payload:?}\ncountries = [\"PL\"]\ntopics = [\"diplomacy\"]\n+++\nBody.\n"
    );
    let dir = site(&[("2023-10-01-escape.md", src.as_bytes())]);
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    for (path, bytes) in &out {
        if path.ends_with(".html") || path.ends_with(".xml") {
            let d = dangers(text(bytes));
            assert!(d.is_empty(), "{path}: {d:?}");
        }
    }
    assert!(text_of(&out, "articles/escape/index.html").contains("&lt;script&gt;"));
}

// ---- Paths -----------------------------------------------------------------

#[test]
fn slugs_never_leave_the_output_directory() {
    let cases: &[(&str, Option<&str>)] = &[
        ("../../etc/passwd", Some("etc-passwd")),
        ("/etc/passwd", Some("etc-passwd")),
        ("..\\..\\windows\\system32", Some("windows-system32")),
        ("C:\\evil", Some("c-evil")),
        ("a/../../b", Some("a-b")),
        ("./.", None),
        ("..", None),
        ("CON", None),
        ("nul.txt", Some("nul-txt")),
        ("lpt1", None),
        ("café déjà vu", Some("cafe-deja-vu")),
    ];
    for (slug, expected) in cases {
        let text = format!(
            "+++\ntitle = \"x\"\nslug = {slug:?}\ncountries = [\"PL\"]\ntopics = [\"diplomacy\"]\n+++\nx\n"
        );
        let dir = site(&[("2023-10-01-x.md", text.as_bytes())]);
        match expected {
            Some(want) => {
                let (site, out) = build_in_memory(&BuildOptions::new(dir.path()));
                assert_eq!(site.articles[0].slug, *want, "{slug}");
                assert!(out.contains_key(&format!("articles/{want}/index.html")));
            }
            None => {
                let p = one_problem(dir.path());
                assert!(
                    p.starts_with("content/2023-10-01-x.md:3:8: slug "),
                    "{slug}: {p}"
                );
            }
        }
    }
    // Slugs from file names and titles are cut to a safe length.
    let long = "word-".repeat(45);
    let dir = site(&[(&format!("{long}x.md"), GOOD)]);
    let (site, _) = build_in_memory(&BuildOptions::new(dir.path()));
    assert!(site.articles[0].slug.len() <= milbrief::SLUG_MAX);
    // A file named like a device is refused, with the way out.
    let dir = self::site(&[("aux.md", GOOD)]);
    let p = one_problem(dir.path());
    assert!(
        p.starts_with("content/aux.md: slug \"aux\" is a reserved"),
        "{p}"
    );
    assert!(p.contains("set `slug`"));
}

#[test]
fn two_articles_at_one_path_both_publish_the_newer_with_a_suffix() {
    let dir = site(&[
        ("2023-10-01-drill.md", GOOD),
        ("2023/10/drill.md", GOOD),
        ("2023-10-02-other.md", b"+++\ntitle = \"Other\"\nslug = \"Drill\"\ncountries = [\"PL\"]\ntopics = [\"diplomacy\"]\n+++\nx\n"),
    ]);
    let (_, out) = build_in_memory(&BuildOptions::new(dir.path()));
    for p in [
        "articles/drill/index.html",
        "articles/drill-2/index.html",
        "articles/drill-3/index.html",
    ] {
        assert!(out.contains_key(p), "{p}");
    }
}

#[cfg(unix)]
#[test]
fn symlinks_under_content_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), GOOD).unwrap();
    std::fs::create_dir(outside.path().join("dir")).unwrap();
    std::fs::write(outside.path().join("dir/2023-10-05-inner.md"), GOOD).unwrap();
    let dir = site(&[("2023-10-01-good.md", GOOD)]);
    let content = dir.path().join("content");
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        content.join("2023-10-02-secret.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path().join("dir"), content.join("linked")).unwrap();

    let (site, _) = build_in_memory(&BuildOptions::new(dir.path()));
    let slugs: Vec<&str> = site.articles.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(slugs, ["good"]);

    // Loading a linked path directly (as the preview server does when told
    // a file changed) is refused too.
    let config = milbrief::Config::default();
    for rel in [
        "content/2023-10-02-secret.md",
        "content/linked/2023-10-05-inner.md",
    ] {
        let e = milbrief::load_file(dir.path(), Path::new(rel), &config).unwrap_err();
        assert!(e[0].message.contains("is a symbolic link"), "{rel}: {e:?}");
        assert!(!milbrief::is_plain_file(dir.path(), Path::new(rel)));
    }
    assert!(milbrief::is_plain_file(
        dir.path(),
        Path::new("content/2023-10-01-good.md")
    ));

    // `check` says what it skipped.
    let r = milbrief::check(&milbrief::CheckOptions::new(dir.path())).unwrap();
    let skipped: Vec<&str> = r
        .problems
        .iter()
        .filter(|p| p.code == "symlink-skipped")
        .map(|p| p.path.as_str())
        .collect();
    assert_eq!(skipped, ["content/2023-10-02-secret.md", "content/linked"]);
}

// ---- No half-written site -------------------------------------------------

/// Every file under a directory with its bytes and modification time.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().unwrap();
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
                m.modified().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_build_failing_at_any_stage_leaves_the_output_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    let opts = BuildOptions::new(dir.path());
    milbrief::build(&opts).unwrap();
    let public = dir.path().join("public");
    let before = snapshot(&public);
    assert!(before.len() > 10);

    type Breaker = fn(&Path);
    let breakers: [(&str, Breaker); 5] = [
        ("config", |r| {
            std::fs::write(r.join("config.toml"), "per_page = \"many\"\n").unwrap()
        }),
        ("front matter", |r| {
            std::fs::write(
                r.join("content/2023-12-01-broken.md"),
                "+++\ntitle = 3\n+++\n",
            )
            .unwrap()
        }),
        ("template syntax", |r| {
            std::fs::create_dir_all(r.join("templates")).unwrap();
            std::fs::write(r.join("templates/article.html"), "{% if %}").unwrap()
        }),
        ("template rendering", |r| {
            std::fs::create_dir_all(r.join("templates")).unwrap();
            std::fs::write(
                r.join("templates/country.html"),
                "{% extends \"base.html\" %}{% block content %}{{ page.title | no_such_filter }}{% endblock content %}",
            )
            .unwrap()
        }),
        ("static clash", |r| {
            std::fs::create_dir_all(r.join("static/articles/cyber")).unwrap();
            std::fs::write(r.join("static/articles/cyber/index.html"), "mine").unwrap()
        }),
    ];
    for (what, breaker) in breakers {
        let work = tempfile::tempdir().unwrap();
        copy_dir(dir.path(), work.path());
        let public = work.path().join("public");
        // copy_dir gives new times: take this copy's own snapshot.
        let before = snapshot(&public);
        breaker(work.path());
        let e = milbrief::build(&BuildOptions::new(work.path()));
        assert!(e.is_err(), "{what}: the build must fail");
        assert_eq!(snapshot(&public), before, "{what}: public/ changed");
    }
}

#[test]
fn unchanged_files_are_not_rewritten_and_stale_ones_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    let opts = BuildOptions::new(dir.path());
    milbrief::build(&opts).unwrap();
    let public = dir.path().join("public");
    let before = snapshot(&public);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let r = milbrief::build(&opts).unwrap();
    assert_eq!(r.stats.written, 0);
    assert_eq!(
        snapshot(&public),
        before,
        "same bytes, same times: not rewritten"
    );

    std::fs::remove_file(dir.path().join("content/2023-10-03-cyber.md")).unwrap();
    let r = milbrief::build(&opts).unwrap();
    assert!(r.stats.removed >= 1);
    assert!(!public.join("articles/cyber/index.html").exists());
    assert!(
        !public.join("articles/cyber").exists(),
        "empty directory removed"
    );
    // No temporary files are left behind.
    for (p, _, _) in snapshot(&public) {
        assert!(!p.to_string_lossy().ends_with(".tmp"), "{}", p.display());
    }
}

#[test]
fn the_output_may_not_be_the_site_or_its_sources() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    let root = dir.path();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    for out in [
        root.to_path_buf(),
        root.join("."),
        root.join("content"),
        root.join("content/2023"),
        root.join("templates"),
        root.join("static"),
        root.join("public/.."),
    ] {
        let e = milbrief::build(&BuildOptions {
            output: Some(out.clone()),
            ..BuildOptions::new(root)
        })
        .unwrap_err();
        assert!(
            e.to_string().contains("output directory may not"),
            "{}: {e}",
            out.display()
        );
    }
    // A symbolic link to content/ is content/.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("content"), root.join("out-link")).unwrap();
        let e = milbrief::build(&BuildOptions {
            output: Some(root.join("out-link")),
            ..BuildOptions::new(root)
        })
        .unwrap_err();
        assert!(e.to_string().contains("content/"), "{e}");
    }
    // Nothing under the sources was touched.
    assert!(!root.join("content/index.html").exists());
    assert!(!root.join("index.html").exists());
}

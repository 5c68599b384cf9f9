//! Parsing articles: front matter, titles, dates, slugs and paths.

use std::path::Path;

use super::*;
use crate::diag::Diagnostic;

fn parse(text: &str) -> Result<Article, Vec<Diagnostic>> {
    parse_article(
        Path::new("content/2023-10-17-x.md"),
        text,
        &Config::default(),
    )
}

fn err(text: &str) -> String {
    parse(text).unwrap_err()[0].to_string()
}

#[test]
fn full_front_matter() {
    let a = parse(
        "+++\ntitle = \"T\"\ndate = 2023-10-17T09:30:00Z\nsource = \"Wire\"\nurl = \"https://e.org/a\"\nauthor = \"A\"\ncountries = [\"Pakistan\", \"ru\"]\ntopics = [\"arms-trade\"]\nslug = \"My Slug\"\n+++\nBody text.\n",
    )
    .unwrap();
    assert_eq!(a.title, "T");
    assert_eq!(a.date, Some(jiff::civil::date(2023, 10, 17)));
    assert_eq!(a.time, Some(jiff::civil::time(9, 30, 0, 0)));
    assert_eq!(a.slug, "my-slug");
    assert_eq!(a.source.as_deref(), Some("Wire"));
    let c = a.raw_countries.unwrap();
    assert_eq!(c[0].value, "Pakistan");
    assert_eq!((c[0].line, c[0].col), (7, 14));
    assert_eq!(a.summary_text, "Body text.");
}

#[test]
fn date_forms() {
    for d in [
        "2023-10-17",
        "\"2023-10-17\"",
        "2023-10-17T08:00:00",
        "\"2023-10-17T08:00:00+05:00\"",
    ] {
        let a = parse(&format!("+++\ntitle = \"T\"\ndate = {d}\n+++\nx")).unwrap();
        assert_eq!(a.date, Some(jiff::civil::date(2023, 10, 17)), "{d}");
    }
    let e = err("+++\ntitle = \"T\"\ndate = \"17/10/2023\"\n+++\nx");
    assert_eq!(
        e,
        "content/2023-10-17-x.md:3:8: date \"17/10/2023\" is not a date: write YYYY-MM-DD"
    );
}

/// The offset is kept, in both forms, and the civil date and time are
/// the article's own: a string once was converted to UTC (and so to
/// another day), a TOML datetime lost its offset.
#[test]
fn offsets_are_kept_and_dates_are_civil() {
    let half_past = Some(jiff::civil::time(0, 30, 0, 0));
    let plus14 = Some(jiff::tz::Offset::from_seconds(14 * 3600).unwrap());
    for d in ["2025-01-01T00:30:00+14:00", "\"2025-01-01T00:30:00+14:00\""] {
        let a = parse(&format!("+++\ntitle = \"T\"\ndate = {d}\n+++\nx")).unwrap();
        assert_eq!(a.date, Some(jiff::civil::date(2025, 1, 1)), "{d}");
        assert_eq!(a.time, half_past, "{d}");
        assert_eq!(a.offset, plus14, "{d}");
        assert_eq!(a.when().unwrap().rfc3339_utc(), "2024-12-31T10:30:00Z");
    }
    for d in ["2025-01-01T00:30:00Z", "\"2025-01-01T00:30:00z\""] {
        let a = parse(&format!("+++\ntitle = \"T\"\ndate = {d}\n+++\nx")).unwrap();
        assert_eq!(a.offset, Some(jiff::tz::Offset::UTC), "{d}");
    }
    let a = parse("+++\ntitle = \"T\"\ndate = 2025-01-01T00:30:00\n+++\nx").unwrap();
    assert_eq!((a.time, a.offset), (half_past, None));
    let e = err("+++\ntitle = \"T\"\ndate = \"2025-01-01T00:30:00[Europe/Paris]\"\n+++\nx");
    assert!(e.contains("no offset"), "{e}");
}

#[test]
fn unknown_key_names_the_key_and_position() {
    let e = err("+++\ntitle = \"T\"\ncountrys = [\"PK\"]\n+++\nx");
    assert!(e.starts_with("content/2023-10-17-x.md:3:1:"), "{e}");
    assert!(e.contains("unknown front matter key `countrys`"), "{e}");
}

#[test]
fn syntax_error_position() {
    let e = err("+++\ntitle = \"T\"\ndate = 2023-13-45\n+++\nx");
    assert!(e.starts_with("content/2023-10-17-x.md:3:"), "{e}");
    let e = err("+++\ntitle = \"T\nx");
    assert!(e.contains("never closed"), "{e}");
}

#[test]
fn no_front_matter_title_from_heading_or_first_line() {
    let a = parse("# Heading Title\n\nThe lead.\n").unwrap();
    assert_eq!(a.title, "Heading Title");
    assert_eq!(a.date, Some(jiff::civil::date(2023, 10, 17)));
    assert_eq!(a.slug, "x");
    assert_eq!(a.summary_text, "The lead.");
    let a = parse("\nA plain first line\nThe lead.\n\nMore.").unwrap();
    assert_eq!(a.title, "A plain first line");
    assert!(!a.body_html.own().unwrap().contains("A plain first line"));
}

#[test]
fn summary_precedence() {
    let a = parse("+++\ntitle = \"T\"\nsummary = \"Given *here*.\"\n+++\nFirst.\n").unwrap();
    assert_eq!(a.summary_text, "Given *here*.");
    assert!(a.summary_html.contains("<em>here</em>"));
    let a = parse("+++\ntitle = \"T\"\n+++\nA.\n\nB.\n\n<!-- more -->\n\nC.").unwrap();
    assert_eq!(a.summary_text, "A. B.");
}

#[test]
fn bad_url_and_empty_slug() {
    let e = err("+++\ntitle = \"T\"\nurl = \"example.org\"\n+++\nx");
    assert!(e.contains(":3:7: url must be"), "{e}");
    let e = err("+++\ntitle = \"T\"\nslug = \"../..\"\n+++\nx");
    assert!(e.contains("has no letters"), "{e}");
}

#[test]
fn crlf_and_front_matter_split() {
    let a = parse("+++\r\ntitle = \"T\"\r\n+++\r\nBody.\r\n").unwrap();
    assert_eq!(a.title, "T");
    assert_eq!(a.summary_text, "Body.");
}

#[test]
fn article_paths() {
    for ok in ["content/a.md", "content/2023/10/b.md"] {
        assert!(is_article_path(Path::new(ok)), "{ok}");
    }
    for no in [
        "content/.a.md",
        "content/_draft.md",
        "content/_x/a.md",
        "content/a.txt",
        "templates/a.md",
        "a.md",
        "content/../a.md",
    ] {
        assert!(!is_article_path(Path::new(no)), "{no}");
    }
}

#[test]
fn date_prefixes() {
    assert_eq!(
        date_prefix("2023-10-17-abc"),
        Some((jiff::civil::date(2023, 10, 17), "abc"))
    );
    assert_eq!(date_prefix("2023-10-17abc"), None);
    assert_eq!(date_prefix("abc"), None);
}

/// A file with problems still yields what could be read of it, so that its
/// tags are checked in the same run; a syntax error leaves nothing.
#[test]
fn problems_come_with_the_article_as_far_as_it_was_read() {
    let rel = Path::new("content/2023-10-17-x.md");
    let text = "+++\ntitle = \"T\"\ncountrys = [\"PL\"]\ndraft = \"no\"\ncountries = [\"Narnia\"]\n+++\nBody.\n";
    let u = load_bytes_partial(rel, text.as_bytes().to_vec(), &Config::default()).unwrap_err();
    let codes: Vec<_> = u.problems.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Some("unknown-key"), Some("front-matter-type")]);
    let partial = u.partial.expect("the rest was read");
    assert_eq!(partial.title, "T");
    let raw: Vec<&str> = partial
        .raw_countries
        .iter()
        .flatten()
        .map(|t| t.value.as_str())
        .collect();
    assert_eq!(raw, ["Narnia"]);

    let broken = "+++\ntitle = \n+++\nBody.\n";
    let u = load_bytes_partial(rel, broken.as_bytes().to_vec(), &Config::default()).unwrap_err();
    assert!(u.partial.is_none());
    assert!(!u.problems.is_empty());
}

//! Dates with a time and a UTC offset: listed by the article's own civil
//! date, printed for machines (feeds, the sitemap, OpenGraph) as the
//! instant in UTC.

use super::{build, site_with, stderr};

/// `+14:00` once was dropped: `00:30+14:00` was printed as `00:30Z`,
/// fourteen hours off.
#[test]
fn offsets_reach_feeds_sitemap_and_opengraph_in_utc() {
    for date in ["2025-01-01T00:30:00+14:00", "\"2025-01-01T00:30:00+14:00\""] {
        let s = site_with(
            "base_url = \"https://example.org/\"\n",
            &[(
                "kiribati.md",
                &format!(
                    "+++\ntitle = \"Patrol boat handed over\"\ndate = {date}\n+++\n\nTARAWA: A patrol boat was handed over at dawn.\n"
                ),
            )],
        );
        let o = build(s.path());
        assert!(o.status.success(), "{}", stderr(&o));
        let public = s.path().join("public");
        let read = |p: &str| std::fs::read_to_string(public.join(p)).unwrap();
        let feed = read("atom.xml");
        assert!(
            feed.contains("<updated>2024-12-31T10:30:00Z</updated>"),
            "{date}: {feed}"
        );
        assert!(!feed.contains("2025-01-01T00:30:00Z"), "{date}: {feed}");
        let sitemap = read("sitemap.xml");
        assert!(
            sitemap.contains("<lastmod>2024-12-31T10:30:00Z</lastmod>"),
            "{date}: {sitemap}"
        );
        let page = read("articles/kiribati/index.html");
        assert!(
            page.contains(
                "<meta property=\"article:published_time\" content=\"2024-12-31T10:30:00Z\">"
            ),
            "{date}"
        );
        // Listed by its own date: the first of January 2025, not the
        // last day of 2024 that UTC gives.
        assert!(
            public.join("archive/2025/01/index.html").is_file(),
            "{date}"
        );
        assert!(!public.join("archive/2024/12").exists(), "{date}");
        assert!(page.contains("datetime=\"2025-01-01\""), "{date}");
    }
}

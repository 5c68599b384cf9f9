//! The charts: well-formed, escaped, deterministic, and drawn as their
//! numbers say.

use super::bars::*;
use super::map::{WORLD, map_class, map_steps};
use super::timeline::*;
use super::*;

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"))
}

fn count_tag(doc: &roxmltree::Document, tag: &str) -> usize {
    doc.descendants()
        .filter(|n| n.tag_name().name() == tag)
        .count()
}

fn links(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.tag_name().name() == "a")
        .map(|n| n.attribute("href").unwrap_or_default().to_owned())
        .collect()
}

fn country<'a>(code: &'a str, name: &'a str, count: usize, href: &'a str) -> MapCountry<'a> {
    MapCountry {
        code,
        name,
        count,
        href,
    }
}

#[test]
fn escaping() {
    assert_eq!(esc("plain"), "plain");
    assert!(matches!(esc("plain"), Cow::Borrowed(_)));
    assert_eq!(
        esc(r#"<script>"x" & 'y'</script>"#),
        "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
    );
}

#[test]
fn numbers() {
    assert_eq!(num(3.0), "3");
    assert_eq!(num(3.04), "3");
    assert_eq!(num(3.06), "3.1");
    assert_eq!(num(-0.25), "-0.3");
    assert_eq!(num(-12.5), "-12.5");
    assert_eq!(num(0.0), "0");
}

#[test]
fn world_data_is_sound() {
    let w = &*WORLD;
    assert_eq!(w.width, 1000.0);
    assert!(w.height > 300.0 && w.height < 600.0, "{}", w.height);
    assert!(w.shapes.len() > 230, "{}", w.shapes.len());
    for s in &w.shapes {
        assert!(
            crate::regions::region_of(s.code).is_some(),
            "{} is not in regions.tsv",
            s.code
        );
        assert!(s.d.is_some() || s.marker.is_some(), "{}", s.code);
        if let Some(d) = s.d {
            assert!(d.starts_with('M') && d.ends_with('z'), "{}", s.code);
            assert!(
                d.bytes().all(|b| b"Mlz0123456789.- ".contains(&b)),
                "{}",
                s.code
            );
        }
        if let Some((x, y)) = s.marker {
            let x: f64 = x.parse().unwrap();
            let y: f64 = y.parse().unwrap();
            assert!((0.0..=w.width).contains(&x), "{}", s.code);
            assert!((0.0..=w.height).contains(&y), "{}", s.code);
        }
    }
    let has = |c: &str| w.shapes.iter().find(|s| s.code == c).unwrap();
    // Big countries are shapes; small ones at least dots.
    for c in [
        "US", "RU", "CN", "PK", "IN", "BR", "AU", "XK", "TW", "SO", "CY",
    ] {
        assert!(has(c).d.is_some(), "{c}");
    }
    for c in ["SG", "BH", "MT", "MV", "LU", "VA", "MC", "HK"] {
        assert!(has(c).marker.is_some(), "{c}");
    }
}

#[test]
fn map_is_oriented_north_up_west_left() {
    let w = &*WORLD;
    // The first point of each country's main outline, roughly.
    let start = |c: &str| {
        let d = w.shapes.iter().find(|s| s.code == c).unwrap().d.unwrap();
        let mut it = d[1..].split(['l', ' ']);
        let x: f64 = it.next().unwrap().parse().unwrap();
        let y: f64 = it.next().unwrap().parse().unwrap();
        (x, y)
    };
    let (us_x, us_y) = start("US");
    let (cn_x, _) = start("CN");
    let (au_x, au_y) = start("AU");
    let (no_x, no_y) = start("NO");
    let (za_x, za_y) = start("ZA");
    assert!(us_x < cn_x && us_x < au_x);
    assert!(no_y < za_y && us_y < au_y);
    assert!((no_x - za_x).abs() < 150.0);
}

#[test]
fn steps_follow_a_log_scale() {
    assert_eq!(map_steps(1), [1, 1, 1, 1, 1]);
    assert_eq!(map_steps(32), [1, 2, 4, 8, 16]);
    assert_eq!(map_steps(100_000), [1, 10, 100, 1000, 10000]);
    let lows = map_steps(32);
    assert_eq!(map_class(0, &lows), 0);
    assert_eq!(map_class(1, &lows), 1);
    assert_eq!(map_class(3, &lows), 2);
    assert_eq!(map_class(16, &lows), 5);
    assert_eq!(map_class(32, &lows), 5);
    // With a single article anywhere, it gets the darkest step.
    assert_eq!(map_class(1, &map_steps(1)), 5);
    // Huge counts neither overflow nor panic.
    let lows = map_steps(usize::MAX);
    assert_eq!(map_class(usize::MAX, &lows), 5);
}

#[test]
fn map_links_countries_with_articles() {
    let svg = world_map(
        &[
            country("PK", "Pakistan", 32, "/countries/pk/"),
            country("ru", "Russia", 1, "/countries/ru/"),
            country("IN", "India", 0, "/countries/in/"),
            country("SG", "Singapore", 4, "/countries/sg/"),
        ],
        "Coverage",
    );
    let doc = parse(&svg);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("100%"));
    assert_eq!(root.attribute("aria-labelledby"), Some("map-coverage"));
    assert!(root.attribute("viewBox").unwrap().starts_with("0 0 1000 "));
    assert!(root.attribute("role").is_none());
    let title = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("map-coverage"))
        .unwrap();
    assert_eq!(title.text(), Some("Coverage"));

    // Pakistan: linked, darkest step, titled.
    let pk = doc
        .descendants()
        .find(|n| n.attribute("href") == Some("/countries/pk/"))
        .unwrap();
    let pk_title = pk.children().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(pk_title.text(), Some("Pakistan: 32 articles"));
    let pk_path = pk.children().find(|n| n.has_tag_name("path")).unwrap();
    assert_eq!(pk_path.attribute("class"), Some("m5"));
    // Russia: one article, the lightest step, singular.
    let ru = doc
        .descendants()
        .find(|n| n.attribute("href") == Some("/countries/ru/"))
        .unwrap();
    assert!(svg.contains("Russia: 1 article<"));
    let ru_path = ru.children().find(|n| n.has_tag_name("path")).unwrap();
    assert_eq!(ru_path.attribute("class"), Some("m1"));
    // India: no articles, drawn but not linked.
    assert!(!links(&doc).contains(&"/countries/in/".to_owned()));
    assert!(svg.contains("<title>India: no articles</title>"));
    // Singapore: a dot, its only link, focusable.
    let sg: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("href") == Some("/countries/sg/"))
        .collect();
    assert_eq!(sg.len(), 1);
    assert!(sg[0].attribute("tabindex").is_none());
    let dot = sg[0]
        .children()
        .find(|n| n.attribute("class").is_some_and(|c| c.starts_with("dot")))
        .unwrap();
    assert_eq!(dot.attribute("class"), Some("dot m3"));
    // Tab order follows names: India is unlinked, so Pakistan, Russia,
    // Singapore.
    let mut seen = links(&doc);
    seen.dedup();
    assert_eq!(seen, ["/countries/pk/", "/countries/ru/", "/countries/sg/"]);
    // Every shape of the map is drawn, and no colour is written in.
    assert_eq!(
        count_tag(&doc, "path"),
        WORLD.shapes.iter().filter(|s| s.d.is_some()).count()
    );
    assert!(!svg.contains("fill=\"#"));
    assert!(!svg.contains("style="));
}

#[test]
fn map_legend_lists_the_steps_in_use() {
    let legend = |countries: &[MapCountry]| -> Vec<String> {
        let svg = world_map(countries, "m");
        let doc = parse(&svg);
        let g = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("legend"))
            .unwrap();
        g.children()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap().to_owned())
            .collect()
    };
    assert_eq!(legend(&[]), ["Articles:", "none"]);
    assert_eq!(
        legend(&[country("FR", "France", 1, "/f/")]),
        ["Articles:", "none", "1"]
    );
    assert_eq!(
        legend(&[country("FR", "France", 40, "/f/")]),
        ["Articles:", "none", "1–2", "3–4", "5–9", "10–19", "20–40"]
    );
    assert_eq!(
        legend(&[country("FR", "France", 3, "/f/")]),
        ["Articles:", "none", "1", "2", "3"]
    );
}

#[test]
fn few_counts_get_distinct_shades() {
    // 1, 2, 3 articles: the lightest, middle and darkest steps.
    let lows = map_steps(3);
    let classes: Vec<usize> = (1..=3).map(|c| map_class(c, &lows)).collect();
    assert_eq!(classes, [1, 3, 5]);
    assert_eq!(map_class(2, &map_steps(2)), 5);
    let four: Vec<usize> = (1..=4).map(|c| map_class(c, &map_steps(4))).collect();
    assert_eq!(four, [1, 2, 4, 5]);
    let five: Vec<usize> = (1..=5).map(|c| map_class(c, &map_steps(5))).collect();
    assert_eq!(five, [1, 2, 3, 4, 5]);
}

#[test]
fn french_guiana_is_not_part_of_france() {
    let shape = |code: &str| WORLD.shapes.iter().find(|s| s.code == code).unwrap();
    assert!(shape("GF").d.is_some(), "French Guiana has its own shape");
    // Every ring of France starts in Europe (x > 450 of 1000), none in
    // South America.
    let fr = shape("FR").d.unwrap();
    for ring in fr.split('M').skip(1) {
        let x: f64 = ring.split(' ').next().unwrap().parse().unwrap();
        assert!(x > 450.0, "a ring of France at x = {x}");
    }
    let svg = world_map(&[country("FR", "France", 2, "/fr/")], "m");
    let doc = parse(&svg);
    let shaded = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("class").is_some_and(|c| c != "m0"))
        .count();
    assert_eq!(shaded, 1, "France alone is shaded");
}

#[test]
fn map_dot_of_a_small_shaped_country_is_not_a_second_tab_stop() {
    let svg = world_map(&[country("LU", "Luxembourg", 2, "/lu/")], "m");
    let doc = parse(&svg);
    let lu: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("href") == Some("/lu/"))
        .collect();
    assert_eq!(lu.len(), 2);
    assert_eq!(lu[0].attribute("tabindex"), None);
    assert_eq!(lu[1].attribute("tabindex"), Some("-1"));
    assert_eq!(lu[1].attribute("aria-hidden"), Some("true"));
}

#[test]
fn map_escapes_and_ignores_unknown_codes() {
    let svg = world_map(
        &[
            country("PK", "<script>alert(\"x\")</script>", 3, "/p?a=1&b=\"2\""),
            country("ZZ", "Nowhere", 9, "/zz/"),
            country("", "", 1, "/empty/"),
            country("PAK", "Too long", 1, "/pak/"),
            country("PK", "Pakistan again", 5, "/again/"),
        ],
        "Map <of> \"things\"",
    );
    let doc = parse(&svg);
    assert!(!svg.contains("<script>"));
    assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;: 3 articles"));
    assert_eq!(links(&doc), ["/p?a=1&b=\"2\""]);
    // The unknown code does not raise the scale: Pakistan is the top.
    let pk = doc.descendants().find(|n| n.has_tag_name("a")).unwrap();
    let path = pk.children().find(|n| n.has_tag_name("path")).unwrap();
    assert_eq!(path.attribute("class"), Some("m5"));
    assert_eq!(
        doc.root_element()
            .children()
            .find(|n| n.has_tag_name("title"))
            .unwrap()
            .text(),
        Some("Map <of> \"things\"")
    );
}

#[test]
fn empty_map_is_the_whole_grey_map() {
    let svg = world_map(&[], "Nothing yet");
    let doc = parse(&svg);
    assert!(links(&doc).is_empty());
    assert!(count_tag(&doc, "path") > 150);
    assert!(
        doc.descendants()
            .filter(|n| n.has_tag_name("path"))
            .all(|n| n.attribute("class") == Some("m0"))
    );
    assert_eq!(count_tag(&doc, "circle"), 0);
}

#[test]
fn output_is_deterministic() {
    let cs: Vec<MapCountry> = crate::regions::countries()
        .enumerate()
        .map(|(i, (code, _))| country(code, code, i % 7, "/c/"))
        .collect();
    assert_eq!(world_map(&cs, "a"), world_map(&cs, "a"));
    let pts: Vec<TimePoint> = (0..50)
        .map(|i| TimePoint {
            label: "2024-W01",
            href: None,
            count: i % 5,
        })
        .collect();
    assert_eq!(timeline(&pts, "t"), timeline(&pts, "t"));
}

fn week_points(n: usize, count: impl Fn(usize) -> usize) -> (Vec<String>, Vec<usize>) {
    let labels = (0..n)
        .map(|i| format!("{}-W{:02}", 2020 + i / 52, i % 52 + 1))
        .collect();
    (labels, (0..n).map(count).collect())
}

#[test]
fn timeline_single_point() {
    let svg = timeline(
        &[TimePoint {
            label: "2023-W42",
            href: Some("/editions/2023-w42/"),
            count: 5,
        }],
        "Weekly articles",
    );
    let doc = parse(&svg);
    assert_eq!(
        doc.root_element().attribute("aria-labelledby"),
        Some("timeline-weekly-articles")
    );
    assert_eq!(links(&doc), ["/editions/2023-w42/"]);
    assert!(svg.contains("<title>2023-W42: 5 articles</title>"));
    let col = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("col"))
        .unwrap();
    // The scale runs to 6 in steps of 2: the column is 5/6 of the plot.
    let h: f64 = col.attribute("height").unwrap().parse().unwrap();
    assert!((h - (TL_BASE - TL_TOP) * 5.0 / 6.0).abs() < 0.1, "{h}");
    let texts: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(texts, [TL_AXIS, "0", "2", "4", "6", "2023-W42"]);
}

#[test]
fn timeline_many_points_thins_labels() {
    let (labels, counts) = week_points(300, |i| (i * 7) % 11);
    let pts: Vec<TimePoint> = labels
        .iter()
        .zip(&counts)
        .map(|(l, &c)| TimePoint {
            label: l,
            href: Some("/e/"),
            count: c,
        })
        .collect();
    let svg = timeline(&pts, "Weeks");
    let doc = parse(&svg);
    let nonzero = counts.iter().filter(|&&c| c > 0).count();
    let cols: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("col"))
        .collect();
    assert_eq!(cols.len(), nonzero);
    assert_eq!(count_tag(&doc, "a"), nonzero);
    // Columns stay inside the plot, left to right.
    let mut last = 0.0;
    for c in &cols {
        let x: f64 = c.attribute("x").unwrap().parse().unwrap();
        let w: f64 = c.attribute("width").unwrap().parse().unwrap();
        assert!(x >= last && x + w <= TL_W - TL_RIGHT + 0.1, "{x} {w}");
        assert!(w > 0.0);
        last = x;
    }
    // A handful of labels, the first and last weeks among them.
    let axis: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.text().unwrap().contains("-W"))
        .map(|n| n.text().unwrap())
        .collect();
    assert!((3..=8).contains(&axis.len()), "{axis:?}");
    assert_eq!(axis[0], labels[0]);
    assert_eq!(*axis.last().unwrap(), labels[299]);
    // The top of the scale is the largest count, here a round number.
    assert!(svg.contains(">10</text>") && svg.contains(">5</text>"));
}

#[test]
fn timeline_scale_has_round_ticks_and_room_for_one_article() {
    // A single article is a third of the scale, not a full column.
    assert_eq!(scale(0), (3, 1));
    assert_eq!(scale(1), (3, 1));
    assert_eq!(scale(4), (4, 1));
    assert_eq!(scale(5), (6, 2));
    assert_eq!(scale(9), (10, 5));
    assert_eq!(scale(37), (40, 10));
    assert_eq!(scale(1234), (1500, 500));
    for max in (0..300).chain([usize::MAX / 2, usize::MAX]) {
        let (top, step) = scale(max);
        assert!(
            top >= max && step >= 1 && top / step <= 4,
            "{max}: {top} {step}"
        );
    }
    let svg = timeline(
        &[TimePoint {
            label: "Week 1, 2024",
            href: None,
            count: 1,
        }],
        "One",
    );
    for v in ["0", "1", "2", "3"] {
        assert!(svg.contains(&format!(">{v}</text>")), "{v}: {svg}");
    }
    assert!(svg.contains(&format!(
        "class=\"axis-title\" x=\"0\" y=\"22\">{TL_AXIS}</text>"
    )));
}

#[test]
fn timeline_labels_never_overlap() {
    for n in (1..=60).chain([99, 100, 157, 300, 520]) {
        let (labels, _) = week_points(n, |_| 1);
        let pts: Vec<TimePoint> = labels
            .iter()
            .map(|l| TimePoint {
                label: l,
                href: None,
                count: 1,
            })
            .collect();
        let svg = timeline(&pts, "t");
        let doc = parse(&svg);
        let xs: Vec<(f64, &str)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.text().unwrap().contains("-W"))
            .map(|n| {
                (
                    n.attribute("x").unwrap().parse().unwrap(),
                    n.text().unwrap(),
                )
            })
            .collect();
        assert_eq!(xs[0].1, labels[0], "n={n}");
        if n > 1 {
            assert_eq!(xs.last().unwrap().1, labels[n - 1], "n={n}");
        }
        let width = 8.0 * TL_CHAR;
        for pair in xs.windows(2) {
            assert!(pair[1].0 - pair[0].0 >= width + 12.0, "n={n}: {xs:?}");
        }
        for (x, _) in &xs {
            assert!(*x - width / 2.0 >= 0.0 && *x + width / 2.0 <= TL_W, "n={n}");
        }
    }
}

#[test]
fn timeline_all_zero_and_empty() {
    let pts = [
        TimePoint {
            label: "2024-W01",
            href: Some("/a/"),
            count: 0,
        },
        TimePoint {
            label: "2024-W02",
            href: None,
            count: 0,
        },
    ];
    let svg = timeline(&pts, "Quiet");
    let doc = parse(&svg);
    assert!(links(&doc).is_empty());
    assert!(!svg.contains("class=\"col\""));
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    assert_eq!(timeline(&[], "Nothing"), "");
}

#[test]
fn timeline_escapes() {
    let svg = timeline(
        &[TimePoint {
            label: "<b>'w'</b>",
            href: Some("/x?a&b"),
            count: 2,
        }],
        "\"T\" & <t>",
    );
    parse(&svg);
    assert!(!svg.contains("<b>"));
    assert!(svg.contains("href=\"/x?a&amp;b\""));
    assert!(svg.contains("&lt;b&gt;&#39;w&#39;&lt;/b&gt;: 2 articles"));
}

#[test]
fn bar_chart_links_every_bar() {
    let bars = [
        Bar {
            label: "Air defence",
            href: "/topics/air-defence/",
            count: 12,
        },
        Bar {
            label: "Naval <ship> & \"sub\"",
            href: "/topics/naval/",
            count: 3,
        },
        Bar {
            label: "A label far too long to fit over its bar, even at the chart's full width",
            href: "/topics/long/",
            count: 0,
        },
    ];
    let svg = bar_chart(&bars, "Topics");
    let doc = parse(&svg);
    assert_eq!(
        links(&doc),
        ["/topics/air-defence/", "/topics/naval/", "/topics/long/"]
    );
    let widths: Vec<f64> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("bar"))
        .map(|n| n.attribute("width").unwrap().parse().unwrap())
        .collect();
    // The zero bar has no rect; the others are in proportion.
    assert_eq!(widths.len(), 2);
    assert_eq!(widths[0], BAR_MAX);
    assert!((widths[1] - BAR_MAX / 4.0).abs() < 0.1);
    let labels: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("label"))
        .map(|n| n.text().unwrap().to_owned())
        .collect();
    assert_eq!(labels[1], "Naval <ship> & \"sub\"");
    assert_eq!(labels[2].chars().count(), BAR_CHARS);
    assert!(labels[2].ends_with('…'));
    // The full label stays in the title.
    assert!(
        svg.contains(
            "<title>A label far too long to fit over its bar, even at the chart&#39;s full width: 0 articles</title>"
        )
    );
    let counts: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("count"))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(counts, ["12", "3", "0"]);
    assert_eq!(bar_chart(&[], "None"), "");
    // A long country name is drawn whole.
    let uae = bar_chart(
        &[Bar {
            label: "United Arab Emirates",
            href: "/countries/ae/",
            count: 2,
        }],
        "Countries",
    );
    assert!(uae.contains(">United Arab Emirates</text>"), "{uae}");
}

#[test]
fn region_map_is_framed_on_its_countries() {
    let view = |svg: &str| -> Vec<f64> {
        let doc = parse(svg);
        doc.root_element()
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect()
    };
    let europe = [
        country("FR", "France", 2, "/fr/"),
        country("PL", "Poland", 3, "/pl/"),
        country("DE", "Germany", 1, "/de/"),
    ];
    let v = view(&region_map(&europe, "Europe"));
    // Western and central Europe: right of the Atlantic, left of Asia, in
    // the northern half, and the box holds France and Poland.
    assert!(v[0] > 400.0 && v[0] + v[2] < 700.0, "{v:?}");
    assert!(v[1] < 80.0 && v[1] + v[3] < 260.0, "{v:?}");
    assert!(v[2] / (v[3]) >= 4.0 / 3.0 - 0.01, "{v:?}");
    // A lone small country still gets a sensible frame, inside the world.
    let v = view(&region_map(&[country("SG", "Singapore", 1, "/sg/")], "SG"));
    assert!(
        v[2] >= 1000.0 / 7.0 - 0.1 && v[0] >= 0.0 && v[0] + v[2] <= 1000.0,
        "{v:?}"
    );
    // With no articles, the whole world; the world map is unframed.
    assert_eq!(view(&region_map(&[], "None"))[..3], [0.0, 0.0, 1000.0]);
    assert_eq!(view(&world_map(&europe, "W"))[..3], [0.0, 0.0, 1000.0]);
    assert_eq!(region_map(&europe, "E"), region_map(&europe, "E"));
}

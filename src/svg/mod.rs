//! Charts as inline SVG, drawn at build time: a world coverage map, a weekly
//! timeline and a horizontal bar chart.
//!
//! Every function is pure: the same input gives the same bytes. Colours are
//! never written into the SVG; shapes carry classes (`m0`…`m5`, `col`,
//! `bar`, `axis`, …) that `static/charts.css` colours for light and dark
//! themes. Every text and attribute value is escaped. Each chart's `<svg>`
//! is labelled by its `<title>`, whose id is made from the chart's kind and
//! title (so two charts on one page need different titles).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

/// A country on the world map.
#[derive(Clone, Copy, Debug)]
pub struct MapCountry<'a> {
    /// ISO 3166-1 alpha-2 code, any case.
    pub code: &'a str,
    pub name: &'a str,
    /// Articles about the country; 0 draws it unshaded and unlinked.
    pub count: usize,
    /// Its page.
    pub href: &'a str,
}

/// One column of a timeline.
#[derive(Clone, Copy, Debug)]
pub struct TimePoint<'a> {
    /// E.g. "2023-W42".
    pub label: &'a str,
    /// The edition page, if the column links somewhere.
    pub href: Option<&'a str>,
    pub count: usize,
}

/// One bar of a bar chart.
#[derive(Clone, Copy, Debug)]
pub struct Bar<'a> {
    pub label: &'a str,
    pub href: &'a str,
    pub count: usize,
}

/// Escapes `& < > " '` for text and attribute values.
pub fn esc(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A coordinate rounded to tenths, without a trailing ".0".
fn num(v: f64) -> String {
    let t = (v * 10.0).round() as i64;
    if t % 10 == 0 {
        format!("{}", t / 10)
    } else {
        format!(
            "{}{}.{}",
            if t < 0 { "-" } else { "" },
            t.abs() / 10,
            t.abs() % 10
        )
    }
}

fn articles(n: usize) -> String {
    if n == 1 {
        "1 article".to_owned()
    } else {
        format!("{n} articles")
    }
}

/// The id of a chart's `<title>`: its kind and a slug of its title.
fn title_id(kind: &str, title: &str) -> String {
    let s = slug::slugify(title);
    if s.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}-{s}")
    }
}

/// The opening `<svg>` tag and its `<title>`.
fn open(out: &mut String, class: &str, w: f64, h: f64, kind: &str, title: &str) {
    let id = title_id(kind, title);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {class}\" \
         viewBox=\"0 0 {} {}\" width=\"100%\" aria-labelledby=\"{}\">\
         <title id=\"{}\">{}</title>",
        num(w),
        num(h),
        esc(&id),
        esc(&id),
        esc(title)
    );
}

/// Shortens a label to `max` characters, ending it with "…".
fn clip(s: &str, max: usize) -> Cow<'_, str> {
    if s.chars().count() <= max {
        Cow::Borrowed(s)
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        Cow::Owned(t)
    }
}

// ---------------------------------------------------------------------------
// World map

struct Shape {
    code: &'static str,
    /// Where a dot is drawn for a country too small to see or click.
    marker: Option<(&'static str, &'static str)>,
    d: Option<&'static str>,
}

struct World {
    width: f64,
    height: f64,
    shapes: Vec<Shape>,
}

const WORLD_DATA: &str = include_str!("../data/world.tsv");

static WORLD: LazyLock<World> = LazyLock::new(|| parse_world(WORLD_DATA));

/// Parses the checked-in map; a malformed line is a bug, caught by the
/// tests, so it panics.
fn parse_world(data: &'static str) -> World {
    let mut world = World {
        width: 0.0,
        height: 0.0,
        shapes: Vec::new(),
    };
    for (n, line) in data.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&'static str> = line.split('\t').collect();
        if f[0] == "viewBox" {
            let v: Vec<f64> = f[1]
                .split(' ')
                .map(|x| x.parse().unwrap_or_else(|_| bad(n)))
                .collect();
            world.width = v[2];
            world.height = v[3];
            continue;
        }
        let [code, marker, d] = f[..] else { bad(n) };
        let marker = (marker != "-").then(|| marker.split_once(' ').unwrap_or_else(|| bad(n)));
        let d = (d != "-").then_some(d);
        world.shapes.push(Shape { code, marker, d });
    }
    world
}

fn bad(line: usize) -> ! {
    panic!("data/world.tsv:{}: malformed line", line + 1)
}

/// Lower bounds of the shading steps 1–5 for counts up to `max`: step k
/// starts at ⌈max^((k-1)/5)⌉, a log scale; equal bounds leave a step empty.
/// Counts beyond 2^30 are scaled as if they were 2^30.
fn map_steps(max: usize) -> [usize; 5] {
    // max^4 then fits in a u128 with room for the fifth powers below.
    let max = max.min(1 << 30);
    let mut lows = [1usize; 5];
    for (k, low) in lows.iter_mut().enumerate().skip(1) {
        // The least n with n^5 >= max^k, computed exactly.
        let target = (max as u128).pow(k as u32);
        let mut n = ((max as f64).powf(k as f64 / 5.0).floor() as u128).max(1);
        while n.pow(5) < target {
            n += 1;
        }
        while n > 1 && (n - 1).pow(5) >= target {
            n -= 1;
        }
        *low = n as usize;
    }
    lows
}

/// The shading step of a count: 0 for none, else 1–5.
fn map_class(count: usize, lows: &[usize; 5]) -> usize {
    if count == 0 {
        0
    } else {
        lows.iter().rposition(|&l| l <= count).map_or(1, |k| k + 1)
    }
}

/// The legend's text size, in map units (about pixels on a wide screen).
const LEGEND_FONT: f64 = 16.0;
/// Estimated width of a legend character, in ems.
const LEGEND_CHAR: f64 = 0.62;
/// How much charts.css enlarges the legend on narrow screens.
const LEGEND_ZOOM: f64 = 1.7;
/// The legend's widest extent, so that it still fits when enlarged.
const LEGEND_MAX_W: f64 = 980.0 / LEGEND_ZOOM;
/// Room under the map for the enlarged legend.
const LEGEND_H: f64 = 6.0 + LEGEND_FONT * LEGEND_ZOOM + 6.0;

/// A world map: every country drawn, the ones with articles shaded in five
/// steps (classes `m1`…`m5`, a log scale of their counts) and linked to
/// their page, the others in `m0`; a legend below. Countries too small to
/// see get a dot when they have articles. Codes the map does not know are
/// ignored; a code listed twice counts once, the first time. With no
/// countries at all it is still the whole (grey) map.
pub fn world_map(countries: &[MapCountry], title: &str) -> String {
    let world = &*WORLD;
    let mut by_code: HashMap<String, &MapCountry> = HashMap::new();
    for c in countries {
        by_code.entry(c.code.to_ascii_uppercase()).or_insert(c);
    }
    let max = world
        .shapes
        .iter()
        .filter_map(|s| by_code.get(s.code))
        .map(|c| c.count)
        .max()
        .unwrap_or(0);
    let lows = map_steps(max);

    let mut out = String::with_capacity(WORLD_DATA.len() + 4096);
    open(
        &mut out,
        "chart-map",
        world.width,
        world.height + LEGEND_H,
        "map",
        title,
    );

    // Unshaded countries first, so that the outline of a shaded one, on
    // hover or focus, is drawn over its neighbours.
    out.push_str("<g class=\"land\" fill-rule=\"evenodd\">");
    let mut linked: Vec<(&Shape, &MapCountry, usize)> = Vec::new();
    for s in &world.shapes {
        let c = by_code.get(s.code).copied();
        match c {
            Some(c) if c.count > 0 => linked.push((s, c, map_class(c.count, &lows))),
            _ => {
                if let Some(d) = s.d {
                    out.push_str("<path class=\"m0\" d=\"");
                    out.push_str(&esc(d));
                    out.push('"');
                    match c {
                        Some(c) => {
                            let _ =
                                write!(out, "><title>{}: no articles</title></path>", esc(c.name));
                        }
                        None => out.push_str("/>"),
                    }
                }
            }
        }
    }
    // Then the linked ones, in the order of their names: the tab order.
    linked.sort_by(|a, b| a.1.name.cmp(b.1.name).then(a.0.code.cmp(b.0.code)));
    let link = |out: &mut String, c: &MapCountry, focusable: bool| {
        let _ = write!(out, "<a href=\"{}\"", esc(c.href));
        if !focusable {
            out.push_str(" tabindex=\"-1\" aria-hidden=\"true\"");
        }
        let _ = write!(
            out,
            "><title>{}: {}</title>",
            esc(c.name),
            articles(c.count)
        );
    };
    for (s, c, class) in &linked {
        if let Some(d) = s.d {
            link(&mut out, c, true);
            let _ = write!(out, "<path class=\"m{class}\" d=\"{}\"/></a>", esc(d));
        }
    }
    out.push_str("</g>");

    // Dots for small countries with articles, on top of everything; a
    // country that also has a shape is linked there already, so its dot is
    // for the mouse only.
    let dots: Vec<_> = linked.iter().filter(|l| l.0.marker.is_some()).collect();
    if !dots.is_empty() {
        out.push_str("<g class=\"dots\">");
        for (s, c, class) in dots {
            let (x, y) = s.marker.unwrap_or_default();
            link(&mut out, c, s.d.is_none());
            let _ = write!(
                out,
                "<circle class=\"hit\" cx=\"{x}\" cy=\"{y}\" r=\"8\" fill=\"none\" \
                 pointer-events=\"all\"/><circle class=\"dot m{class}\" cx=\"{x}\" \
                 cy=\"{y}\" r=\"4\"/></a>",
                x = esc(x),
                y = esc(y)
            );
        }
        out.push_str("</g>");
    }

    // Legend: a swatch and the range of counts of every step in use.
    let mut items: Vec<(usize, String)> = vec![(0, "none".to_owned())];
    for k in 0..5 {
        let low = lows[k];
        if low > max {
            break;
        }
        if k < 4 && lows[k + 1] == low {
            continue; // the next step starts at the same count: this one is empty
        }
        let high = if k < 4 {
            (lows[k + 1] - 1).min(max)
        } else {
            max
        };
        let text = if high == low {
            format!("{low}")
        } else {
            format!("{low}–{high}")
        };
        items.push((k + 1, text));
    }
    // Laid out in ems, then sized to fit LEGEND_MAX_W; charts.css enlarges
    // it on narrow screens (by LEGEND_ZOOM at most, around its top left).
    let text_em = |t: &str| t.chars().count() as f64 * LEGEND_CHAR;
    let width_em = text_em("Articles:")
        + 0.6
        + items
            .iter()
            .map(|(_, t)| 1.0 + 0.35 + text_em(t) + 0.9)
            .sum::<f64>();
    let font = LEGEND_FONT.min(LEGEND_MAX_W / width_em);
    let _ = write!(
        out,
        "<g transform=\"translate(8 {})\"><g class=\"legend\" font-size=\"{}\" \
         aria-hidden=\"true\"><text x=\"0\" y=\"{}\">Articles:</text>",
        num(world.height + 6.0),
        num(font),
        num(font * 0.85)
    );
    let mut x = (text_em("Articles:") + 0.6) * font;
    for (class, text) in items {
        let _ = write!(
            out,
            "<rect class=\"m{class}\" x=\"{}\" y=\"0\" width=\"{w}\" height=\"{w}\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            num(x),
            num(x + 1.35 * font),
            num(font * 0.85),
            esc(&text),
            w = num(font),
        );
        x += (1.0 + 0.35 + text_em(&text) + 0.9) * font;
    }
    out.push_str("</g></g>");
    out.push_str("</svg>");
    out
}

// ---------------------------------------------------------------------------
// Timeline

const TL_W: f64 = 480.0;
const TL_H: f64 = 170.0;
const TL_LEFT: f64 = 36.0;
const TL_RIGHT: f64 = 8.0;
const TL_TOP: f64 = 12.0;
const TL_BASE: f64 = 140.0;
/// Estimated width of one character of an axis label (font size 13).
const TL_CHAR: f64 = 8.2;

/// A weekly column chart: one column per point (linked when it has an
/// href), the count scale from 0 to the largest count, and a few of the
/// labels under the axis, spread evenly. Columns with no articles are left
/// out. Empty input gives an empty string.
pub fn timeline(points: &[TimePoint], title: &str) -> String {
    if points.is_empty() {
        return String::new();
    }
    let n = points.len();
    let max = points.iter().map(|p| p.count).max().unwrap_or(0);
    let plot_w = TL_W - TL_LEFT - TL_RIGHT;
    let plot_h = TL_BASE - TL_TOP;
    let step = plot_w / n as f64;
    let gap = (step * 0.2).min(2.0);
    let w = step - gap;

    let mut out = String::with_capacity(200 + n * 260);
    open(&mut out, "chart-timeline", TL_W, TL_H, "timeline", title);

    // Axis: a line at the top count and at zero, with their values.
    let _ = write!(
        out,
        "<g class=\"axis\" font-size=\"13\"><line class=\"grid\" x1=\"{l}\" y1=\"{t}\" \
         x2=\"{r}\" y2=\"{t}\"/><line x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\"/>\
         <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{max}</text>\
         <text x=\"{lx}\" y=\"{by}\" text-anchor=\"end\">0</text>",
        l = num(TL_LEFT),
        r = num(TL_W - TL_RIGHT),
        t = num(TL_TOP),
        b = num(TL_BASE),
        lx = num(TL_LEFT - 6.0),
        ty = num(TL_TOP + 4.0),
        by = num(TL_BASE + 4.0),
    );
    // Labels: the first and last columns' and evenly spaced ones between,
    // as many as fit; a label sits under its column, pulled inside the plot,
    // and one that would still touch the label before it is left out (the
    // last column's label wins over its neighbour's).
    let label_w = |p: &TimePoint| p.label.chars().count() as f64 * TL_CHAR;
    let widest = points.iter().map(label_w).fold(0.0, f64::max);
    let room = widest + 12.0;
    // The end labels are pulled in by up to this much.
    let pull = (widest / 2.0 - step / 2.0).max(0.0);
    let intervals = ((n - 1) as f64 * step / (room + pull)).floor() as usize;
    let ticks: Vec<usize> = if intervals == 0 {
        vec![0]
    } else {
        (0..=intervals)
            .map(|j| (j * (n - 1) + intervals / 2) / intervals)
            .collect()
    };
    let label_x = |i: usize| {
        let half = label_w(&points[i]) / 2.0;
        let cx = TL_LEFT + step * (i as f64 + 0.5);
        cx.clamp(TL_LEFT + half, (TL_W - TL_RIGHT - half).max(TL_LEFT + half))
    };
    let mut picks: Vec<(usize, f64)> = Vec::new();
    for i in ticks {
        let x = label_x(i);
        if i == n - 1 && n > 1 {
            while picks.len() > 1 && picks.last().is_some_and(|p| x - p.1 < room) {
                picks.pop();
            }
        }
        if picks.last().is_none_or(|p| p.0 != i && x - p.1 >= room) {
            picks.push((i, x));
        }
    }
    for (i, x) in picks {
        let cx = TL_LEFT + step * (i as f64 + 0.5);
        let _ = write!(
            out,
            "<line x1=\"{c}\" y1=\"{b}\" x2=\"{c}\" y2=\"{b2}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(x),
            num(TL_BASE + 21.0),
            esc(points[i].label),
            c = num(cx),
            b = num(TL_BASE),
            b2 = num(TL_BASE + 4.0),
        );
    }
    out.push_str("</g><g class=\"cols\">");

    for (i, p) in points.iter().enumerate() {
        if p.count == 0 {
            continue;
        }
        let h = (p.count as f64 / max as f64 * plot_h).max(1.0);
        let x = TL_LEFT + step * i as f64 + gap / 2.0;
        let tip = format!("{}: {}", p.label, articles(p.count));
        match p.href {
            Some(href) => {
                let _ = write!(
                    out,
                    "<a href=\"{}\"><title>{}</title><rect class=\"hit\" x=\"{}\" y=\"{}\" \
                     width=\"{}\" height=\"{}\" fill=\"none\" pointer-events=\"all\"/>",
                    esc(href),
                    esc(&tip),
                    num(TL_LEFT + step * i as f64),
                    num(TL_TOP),
                    num(step),
                    num(plot_h),
                );
            }
            None => {
                let _ = write!(out, "<g><title>{}</title>", esc(&tip));
            }
        }
        let _ = write!(
            out,
            "<rect class=\"col\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>{}",
            num(x),
            num(TL_BASE - h),
            num(w),
            num(h),
            if p.href.is_some() { "</a>" } else { "</g>" }
        );
    }
    out.push_str("</g></svg>");
    out
}

// ---------------------------------------------------------------------------
// Bar chart

const BAR_W: f64 = 480.0;
const BAR_ROW: f64 = 26.0;
const BAR_H: f64 = 18.0;
const BAR_LABEL: f64 = 150.0;
const BAR_MAX: f64 = BAR_W - BAR_LABEL - 8.0 - 44.0;
/// Longest label drawn in full (font size 13); longer ones end in "…".
const BAR_CHARS: usize = 20;

/// Horizontal bars in the given order, each row (label, bar, count) a link;
/// lengths are proportional to the counts. Empty input gives an empty
/// string.
pub fn bar_chart(bars: &[Bar], title: &str) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0);
    let height = bars.len() as f64 * BAR_ROW + 4.0;
    let mut out = String::with_capacity(200 + bars.len() * 400);
    open(&mut out, "chart-bars", BAR_W, height, "bars", title);
    out.push_str("<g font-size=\"13\">");
    for (i, b) in bars.iter().enumerate() {
        let top = 2.0 + i as f64 * BAR_ROW;
        let mid = top + BAR_ROW / 2.0;
        let len = if max == 0 {
            0.0
        } else {
            b.count as f64 / max as f64 * BAR_MAX
        };
        let len = if b.count > 0 { len.max(1.0) } else { 0.0 };
        let bar_x = BAR_LABEL + 8.0;
        let _ = write!(
            out,
            "<a href=\"{}\"><title>{}: {}</title><rect class=\"hit\" x=\"0\" y=\"{}\" \
             width=\"{}\" height=\"{}\" fill=\"none\" pointer-events=\"all\"/>\
             <text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            esc(b.href),
            esc(b.label),
            articles(b.count),
            num(top),
            num(BAR_W),
            num(BAR_ROW),
            num(BAR_LABEL),
            num(mid + 4.5),
            esc(&clip(b.label, BAR_CHARS)),
        );
        if len > 0.0 {
            let _ = write!(
                out,
                "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                num(bar_x),
                num(mid - BAR_H / 2.0),
                num(len),
                num(BAR_H),
            );
        }
        let _ = write!(
            out,
            "<text class=\"count\" x=\"{}\" y=\"{}\">{}</text></a>",
            num(bar_x + len + 5.0),
            num(mid + 4.5),
            b.count
        );
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
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
        // The only column is full height.
        let h: f64 = col.attribute("height").unwrap().parse().unwrap();
        assert_eq!(h, TL_BASE - TL_TOP);
        let texts: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap())
            .collect();
        assert_eq!(texts, ["5", "0", "2023-W42"]);
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
        // The top of the scale is the largest count.
        assert!(svg.contains(">10</text>"));
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
                label: "A label far too long to fit in the label column",
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
        assert!(svg.contains(
            "<title>A label far too long to fit in the label column: 0 articles</title>"
        ));
        let counts: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("count"))
            .map(|n| n.text().unwrap())
            .collect();
        assert_eq!(counts, ["12", "3", "0"]);
        assert_eq!(bar_chart(&[], "None"), "");
    }
}

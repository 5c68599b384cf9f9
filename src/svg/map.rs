//! The world coverage map, drawn from `data/world.tsv` (derived from
//! Natural Earth; see the README).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use super::{MapCountry, articles, esc, num, open_view};

pub(super) struct Shape {
    pub(super) code: &'static str,
    /// Where a dot is drawn for a country too small to see or click.
    pub(super) marker: Option<(&'static str, &'static str)>,
    pub(super) d: Option<&'static str>,
}

pub(super) struct World {
    pub(super) width: f64,
    pub(super) height: f64,
    pub(super) shapes: Vec<Shape>,
}

const WORLD_DATA: &str = include_str!("../../data/world.tsv");

pub(super) static WORLD: LazyLock<World> = LazyLock::new(|| parse_world(WORLD_DATA));

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
/// Up to five, counts are spread over the steps instead (1, 2, 3 shade as
/// steps 1, 3, 5), so that neighbouring counts never get neighbouring
/// shades. Counts beyond 2^30 are scaled as if they were 2^30.
pub(super) fn map_steps(max: usize) -> [usize; 5] {
    if (2..=5).contains(&max) {
        // Count c gets step 1 + round(4(c-1)/(max-1)).
        let mut lows = [max + 1; 5];
        for c in (1..=max).rev() {
            let step = (4 * (c - 1) + (max - 1) / 2) / (max - 1);
            lows[step] = c;
        }
        for k in (0..4).rev() {
            lows[k] = lows[k].min(lows[k + 1]);
        }
        return lows;
    }
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
pub(super) fn map_class(count: usize, lows: &[usize; 5]) -> usize {
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
const LEGEND_ZOOM: f64 = 2.2;
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
    map(countries, title, false)
}

/// The world map of [`world_map`], framed on the countries with articles
/// (a region's): every country is still drawn, the view box is the box
/// around the shaded ones, with a margin, at least a seventh of the world
/// wide and between 4:3 and 3:1; the legend and dots are scaled with it.
pub fn region_map(countries: &[MapCountry], title: &str) -> String {
    map(countries, title, true)
}

fn map(countries: &[MapCountry], title: &str, framed: bool) -> String {
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

    let whole = [0.0, 0.0, world.width, world.height];
    let view = if framed {
        frame(world, &by_code).unwrap_or(whole)
    } else {
        whole
    };
    let scale = view[2] / world.width;
    let mut out = String::with_capacity(WORLD_DATA.len() + 4096);
    let [x, y, w, h] = view;
    open_view(
        &mut out,
        "chart-map",
        [x, y, w, h + LEGEND_H * scale],
        "map",
        title,
    );
    let linked = land(&mut out, world, &by_code, &lows);
    dots(&mut out, &linked, scale);
    legend(&mut out, view, scale, max, &lows);
    out.push_str("</svg>");
    out
}

/// A shaded country: its shape, its entry and its shading step.
type Linked<'w, 'c> = (&'w Shape, &'c MapCountry<'c>, usize);

/// Draws every country: unshaded ones first, so that the outline of a
/// shaded one, on hover or focus, is drawn over its neighbours; then the
/// linked ones, in the order of their names (the tab order). Returns the
/// linked ones.
fn land<'w, 'c>(
    out: &mut String,
    world: &'w World,
    by_code: &HashMap<String, &'c MapCountry<'c>>,
    lows: &[usize; 5],
) -> Vec<Linked<'w, 'c>> {
    out.push_str("<g class=\"land\" fill-rule=\"evenodd\">");
    let mut linked: Vec<Linked<'w, 'c>> = Vec::new();
    for s in &world.shapes {
        let c = by_code.get(s.code).copied();
        match c {
            Some(c) if c.count > 0 => linked.push((s, c, map_class(c.count, lows))),
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
    linked.sort_by(|a, b| a.1.name.cmp(b.1.name).then(a.0.code.cmp(b.0.code)));
    for (s, c, class) in &linked {
        if let Some(d) = s.d {
            link(out, c, true);
            let _ = write!(out, "<path class=\"m{class}\" d=\"{}\"/></a>", esc(d));
        }
    }
    out.push_str("</g>");
    linked
}

/// Opens the link of a country to its page; one that is not `focusable`
/// is for the mouse only.
fn link(out: &mut String, c: &MapCountry, focusable: bool) {
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
}

/// Dots for small countries with articles, on top of everything; a
/// country that also has a shape is linked there already, so its dot is
/// for the mouse only.
fn dots(out: &mut String, linked: &[Linked<'_, '_>], scale: f64) {
    let dots: Vec<_> = linked.iter().filter(|l| l.0.marker.is_some()).collect();
    if dots.is_empty() {
        return;
    }
    out.push_str("<g class=\"dots\">");
    for (s, c, class) in dots {
        let (x, y) = s.marker.unwrap_or_default();
        link(out, c, s.d.is_none());
        let _ = write!(
            out,
            "<circle class=\"hit\" cx=\"{x}\" cy=\"{y}\" r=\"{hit}\" fill=\"none\" \
             pointer-events=\"all\"/><circle class=\"dot m{class}\" cx=\"{x}\" \
             cy=\"{y}\" r=\"{r}\"/></a>",
            x = esc(x),
            y = esc(y),
            hit = num(8.0 * scale),
            r = num(4.0 * scale),
        );
    }
    out.push_str("</g>");
}

/// The legend under a map showing the box `view` (drawn at `scale`, the
/// view's width over the world's): a swatch and the range of counts of
/// every step in use, for counts up to `max`.
fn legend(out: &mut String, view: [f64; 4], scale: f64, max: usize, lows: &[usize; 5]) {
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
    let [x, y, _, h] = view;
    let place = if scale == 1.0 {
        format!("translate({} {})", num(x + 8.0), num(y + h + 6.0))
    } else {
        format!(
            "translate({} {}) scale({})",
            num(x + 8.0 * scale),
            num(y + h + 6.0 * scale),
            (scale * 1000.0).round() / 1000.0
        )
    };
    // A framed map's land runs on under its legend: a ground hides it.
    let ground = if scale == 1.0 {
        String::new()
    } else {
        format!(
            "<rect class=\"ground\" x=\"-8\" y=\"-6\" width=\"{}\" height=\"{}\"/>",
            num(WORLD.width),
            num(LEGEND_H)
        )
    };
    let _ = write!(
        out,
        "<g transform=\"{place}\">{ground}<g class=\"legend\" font-size=\"{}\" \
         aria-hidden=\"true\"><text x=\"0\" y=\"{}\">Articles:</text>",
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
}

/// The box `[x, y, w, h]` around the countries with articles, with a
/// margin, at least a seventh of the world wide and between 4:3 and 3:1,
/// inside the world where it fits; `None` when no country has articles.
fn frame(world: &World, by_code: &HashMap<String, &MapCountry>) -> Option<[f64; 4]> {
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    let mut grow = |(x, y): (f64, f64)| {
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    };
    for s in &world.shapes {
        if by_code.get(s.code).is_none_or(|c| c.count == 0) {
            continue;
        }
        if let Some(d) = s.d {
            // Its largest ring only: Russia's tail across the antimeridian,
            // or Alaska, would stretch the frame over the whole world.
            let rings = path_rings(d);
            let area = |r: &Vec<(f64, f64)>| {
                let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
                for &(x, y) in r {
                    (lo, hi) = ((lo.0.min(x), lo.1.min(y)), (hi.0.max(x), hi.1.max(y)));
                }
                (hi.0 - lo.0) * (hi.1 - lo.1)
            };
            let largest = rings.iter().max_by(|a, b| area(a).total_cmp(&area(b)));
            largest.into_iter().flatten().copied().for_each(&mut grow);
        } else if let Some((x, y)) = s.marker
            && let (Ok(x), Ok(y)) = (x.parse(), y.parse())
        {
            grow((x, y));
        }
    }
    if b[0] > b[2] {
        return None;
    }
    let pad = 0.06 * (b[2] - b[0]).max(b[3] - b[1]) + 10.0;
    let (mut w, mut h) = (b[2] - b[0] + 2.0 * pad, b[3] - b[1] + 2.0 * pad);
    w = w.max(world.width / 7.0).max(h * 4.0 / 3.0);
    h = h.max(w / 3.0);
    let fit = |lo: f64, len: f64, max: f64| {
        if len >= max {
            0.0
        } else {
            lo.clamp(0.0, max - len)
        }
    };
    let cx = (b[0] + b[2]) / 2.0;
    let cy = (b[1] + b[3]) / 2.0;
    let (w, h) = (w.min(world.width), h.min(world.height));
    Some([
        fit(cx - w / 2.0, w, world.width),
        fit(cy - h / 2.0, h, world.height),
        w,
        h,
    ])
}

/// The rings of SVG path data as data/world.tsv writes it, each `M x y`,
/// then `l` and relative pairs, `z`; numbers apart by a space or a minus
/// sign.
fn path_rings(d: &str) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut nums: Vec<f64> = Vec::new();
    let (mut x, mut y) = (0.0, 0.0);
    let mut cmd = 'M';
    let mut flush = |cmd: char, nums: &mut Vec<f64>| {
        for (k, p) in nums.chunks_exact(2).enumerate() {
            if cmd == 'M' && k == 0 {
                (x, y) = (p[0], p[1]);
                out.push(Vec::new());
            } else {
                (x, y) = (x + p[0], y + p[1]);
            }
            if let Some(ring) = out.last_mut() {
                ring.push((x, y));
            }
        }
        nums.clear();
    };
    let mut token = String::new();
    for c in d.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || c == '.' || (c == '-' && token.is_empty()) {
            token.push(c);
            continue;
        }
        if !token.is_empty() {
            nums.push(token.parse().unwrap_or(0.0));
            token.clear();
        }
        if c == '-' {
            token.push(c);
        } else if c.is_ascii_alphabetic() {
            flush(cmd, &mut nums);
            cmd = c;
        }
    }
    flush(cmd, &mut nums);
    out
}

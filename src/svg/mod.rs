//! Charts as inline SVG, drawn at build time: a world coverage map, a weekly
//! timeline and a horizontal bar chart.
//!
//! Every function is pure: the same input gives the same bytes. Colours are
//! never written into the SVG; shapes carry classes (`m0`…`m5`, `col`,
//! `bar`, `axis`, …) that `static/charts.css` colours for light and dark
//! themes. Every text and attribute value is escaped. Each chart's `<svg>`
//! is labelled by its `<title>`, whose id is made from the chart's kind and
//! title (so two charts on one page need different titles).

mod bars;
mod map;
#[cfg(test)]
mod tests;
mod timeline;

use std::borrow::Cow;
use std::fmt::Write as _;

pub use bars::bar_chart;
pub use map::{region_map, world_map};
pub use timeline::timeline;

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
    open_view(out, class, [0.0, 0.0, w, h], kind, title);
}

/// The opening `<svg>` tag of a chart showing the box `[x, y, w, h]` of
/// its coordinates, and its `<title>`.
fn open_view(out: &mut String, class: &str, view: [f64; 4], kind: &str, title: &str) {
    let id = title_id(kind, title);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {class}\" \
         viewBox=\"{} {} {} {}\" width=\"100%\" aria-labelledby=\"{}\">\
         <title id=\"{}\">{}</title>",
        num(view[0]),
        num(view[1]),
        num(view[2]),
        num(view[3]),
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

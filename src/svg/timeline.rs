//! The weekly timeline: a column chart of articles per edition.

use std::fmt::Write as _;

use super::{TimePoint, articles, esc, num, open};

pub(super) const TL_W: f64 = 480.0;
pub(super) const TL_H: f64 = 170.0;
pub(super) const TL_LEFT: f64 = 36.0;
pub(super) const TL_RIGHT: f64 = 8.0;
pub(super) const TL_TOP: f64 = 12.0;
pub(super) const TL_BASE: f64 = 140.0;
/// Estimated width of one character of an axis label (font size 13).
pub(super) const TL_CHAR: f64 = 8.2;

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

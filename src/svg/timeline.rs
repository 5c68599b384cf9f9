//! The weekly timeline: a column chart of articles per edition.

use std::fmt::Write as _;

use super::{TimePoint, articles, esc, num, open};

pub(super) const TL_W: f64 = 720.0;
pub(super) const TL_H: f64 = 226.0;
pub(super) const TL_LEFT: f64 = 46.0;
pub(super) const TL_RIGHT: f64 = 10.0;
/// Room above the plot for the axis title.
pub(super) const TL_TOP: f64 = 36.0;
pub(super) const TL_BASE: f64 = 190.0;
/// The text size, in chart units (pixels on a wide screen).
const TL_FONT: f64 = 14.0;
/// How much style.css enlarges the text on narrow screens, where the chart
/// is drawn at about half its width; the layout leaves room for that.
const TL_ZOOM: f64 = 1.75;
/// Estimated width of one character of an axis label, enlarged.
pub(super) const TL_CHAR: f64 = 0.6 * TL_FONT * TL_ZOOM;
/// The axis title, over the count scale.
pub(super) const TL_AXIS: &str = "Articles";

/// The top of the count scale and the step between its ticks, for counts
/// up to `max`: steps of 1, 2 or 5 times a power of ten, at most four of
/// them, and a scale of at least 0–3, so that one article is not a full
/// column.
pub(super) fn scale(max: usize) -> (usize, usize) {
    let mut pow = 1usize;
    loop {
        for m in [1, 2, 5] {
            let step = pow.saturating_mul(m);
            if max.div_ceil(step) <= 4 {
                let top = max.div_ceil(step).saturating_mul(step);
                return (top.max(if step == 1 { 3 } else { step }), step);
            }
        }
        pow = pow.saturating_mul(10);
    }
}

/// A weekly column chart: one column per point (linked when it has an
/// href), a count scale from 0 with its ticks and title, and a few of the
/// labels under the axis, spread evenly. Columns with no articles are left
/// out. Empty input gives an empty string.
pub fn timeline(points: &[TimePoint], title: &str) -> String {
    if points.is_empty() {
        return String::new();
    }
    let n = points.len();
    let max = points.iter().map(|p| p.count).max().unwrap_or(0);
    let (top, tick) = scale(max);
    let plot_w = TL_W - TL_LEFT - TL_RIGHT;
    let plot_h = TL_BASE - TL_TOP;
    let step = plot_w / n as f64;
    let gap = (step * 0.2).min(2.0);
    let w = step - gap;

    let mut out = String::with_capacity(200 + n * 260);
    open(&mut out, "chart-timeline", TL_W, TL_H, "timeline", title);

    count_axis(&mut out, top, tick);
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
            num(TL_BASE + 6.0 + TL_FONT * TL_ZOOM * 0.8),
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
        let h = (p.count as f64 / top as f64 * plot_h).max(1.0);
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

/// The count axis: its title, a grid line and value at each tick, the base
/// line at zero. Opens the axis group, which the labels under the plot
/// close.
fn count_axis(out: &mut String, top: usize, tick: usize) {
    let plot_h = TL_BASE - TL_TOP;
    let _ = write!(
        out,
        "<g class=\"axis\" font-size=\"{}\"><text class=\"axis-title\" x=\"0\" y=\"{}\">{}</text>",
        num(TL_FONT),
        num(TL_TOP - 14.0),
        TL_AXIS
    );
    for v in (0..=top).step_by(tick.max(1)) {
        let y = TL_BASE - v as f64 / top as f64 * plot_h;
        let _ = write!(
            out,
            "<line{} x1=\"{l}\" y1=\"{y}\" x2=\"{r}\" y2=\"{y}\"/>\
             <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{v}</text>",
            if v == 0 { "" } else { " class=\"grid\"" },
            l = num(TL_LEFT),
            r = num(TL_W - TL_RIGHT),
            y = num(y),
            lx = num(TL_LEFT - 6.0),
            ty = num(y + TL_FONT * 0.35),
        );
    }
}

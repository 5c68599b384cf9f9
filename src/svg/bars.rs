//! The horizontal bar chart: the most-covered countries or topics.

use std::fmt::Write as _;

use super::{Bar, articles, clip, esc, num, open};

pub(super) const BAR_W: f64 = 480.0;
pub(super) const BAR_ROW: f64 = 26.0;
pub(super) const BAR_H: f64 = 18.0;
pub(super) const BAR_LABEL: f64 = 150.0;
pub(super) const BAR_MAX: f64 = BAR_W - BAR_LABEL - 8.0 - 44.0;
/// Longest label drawn in full (font size 13); longer ones end in "…".
pub(super) const BAR_CHARS: usize = 20;

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

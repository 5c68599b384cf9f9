//! The horizontal bar chart: the most-covered countries or topics.

use std::fmt::Write as _;

use super::{Bar, articles, clip, esc, num, open};

pub(super) const BAR_W: f64 = 480.0;
/// A row: the label on a line of its own, the bar under it.
pub(super) const BAR_ROW: f64 = 44.0;
pub(super) const BAR_H: f64 = 14.0;
/// The text size, in chart units (pixels where the chart is drawn 1:1;
/// 12 px at its narrowest, on a phone).
const BAR_FONT: f64 = 16.0;
/// Room right of the longest bar for its count.
pub(super) const BAR_MAX: f64 = BAR_W - 2.0 - 48.0;
/// Longest label drawn in full; longer ones end in "…".
pub(super) const BAR_CHARS: usize = 48;

/// Horizontal bars in the given order, each row (label, bar, count) a link;
/// lengths are proportional to the counts. Labels sit over their bars, so
/// that names as long as "United Arab Emirates" are not cut. Empty input
/// gives an empty string.
pub fn bar_chart(bars: &[Bar], title: &str) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0);
    let height = bars.len() as f64 * BAR_ROW + 4.0;
    let mut out = String::with_capacity(200 + bars.len() * 400);
    open(&mut out, "chart-bars", BAR_W, height, "bars", title);
    let _ = write!(out, "<g font-size=\"{}\">", num(BAR_FONT));
    for (i, b) in bars.iter().enumerate() {
        let top = 2.0 + i as f64 * BAR_ROW;
        let bar_y = top + BAR_FONT + 8.0;
        let len = if max == 0 {
            0.0
        } else {
            b.count as f64 / max as f64 * BAR_MAX
        };
        let len = if b.count > 0 { len.max(1.0) } else { 0.0 };
        let bar_x = 2.0;
        let _ = write!(
            out,
            "<a href=\"{}\"><title>{}: {}</title><rect class=\"hit\" x=\"0\" y=\"{}\" \
             width=\"{}\" height=\"{}\" fill=\"none\" pointer-events=\"all\"/>\
             <text class=\"label\" x=\"{}\" y=\"{}\">{}</text>",
            esc(b.href),
            esc(b.label),
            articles(b.count),
            num(top),
            num(BAR_W),
            num(BAR_ROW),
            num(bar_x),
            num(top + BAR_FONT),
            esc(&clip(b.label, BAR_CHARS)),
        );
        if len > 0.0 {
            let _ = write!(
                out,
                "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                num(bar_x),
                num(bar_y),
                num(len),
                num(BAR_H),
            );
        }
        let _ = write!(
            out,
            "<text class=\"count\" x=\"{}\" y=\"{}\">{}</text></a>",
            num(bar_x + len + 6.0),
            num(bar_y + BAR_H / 2.0 + BAR_FONT * 0.35),
            b.count
        );
    }
    out.push_str("</g></svg>");
    out
}

//! The charts the digest pages show: a timeline of articles per edition,
//! bars of the most-covered countries or topics.

use jiff::civil::Date;
use tera::Value;

use crate::index::edition_start;
use crate::render::Renderer;
use crate::svg;
use crate::urls::edition_name;

/// The edition weeks a timeline spans.
pub(in crate::render) struct Weeks {
    dates: Vec<Date>,
    labels: Vec<String>,
    /// Edition page links (from the site root), where the week has one.
    hrefs: Vec<Option<String>>,
}

impl Renderer<'_> {
    /// Every edition start from the first to the last, gaps included, with
    /// their names and edition links, made once for every timeline.
    pub(super) fn all_weeks(&self) -> Weeks {
        let s = self.site;
        let c = &s.config;
        let dates = self.week_dates();
        Weeks {
            labels: dates.iter().map(|d| edition_name(*d, c)).collect(),
            hrefs: dates
                .iter()
                .map(|d| {
                    (c.sections.editions && s.by_edition.contains_key(d))
                        .then(|| self.edition_path(*d))
                })
                .collect(),
            dates,
        }
    }

    pub(super) fn week_dates(&self) -> Vec<Date> {
        let s = self.site;
        let (Some(first), Some(last)) = (s.by_edition.keys().next(), s.by_edition.keys().last())
        else {
            return Vec::new();
        };
        let step = jiff::SignedDuration::from_hours(24 * i64::from(s.config.edition_days));
        let mut weeks = vec![*first];
        let mut d = *first;
        while d < *last {
            d = match d.checked_add(step) {
                Ok(n) => n,
                Err(_) => break,
            };
            weeks.push(d);
        }
        weeks
    }

    /// An SVG column chart of `list` per edition over `weeks`; columns of
    /// weeks with an edition link to it, relative to a page `root`.
    pub(super) fn timeline(&self, list: &[usize], weeks: &Weeks, root: &str, title: &str) -> Value {
        if !self.site.config.sections.charts || weeks.dates.is_empty() {
            return Value::from("");
        }
        let c = &self.site.config;
        let mut counts = vec![0usize; weeks.dates.len()];
        for &i in list {
            if let Some(d) = self.site.articles[i].date
                && let Ok(k) = weeks.dates.binary_search(&edition_start(d, c))
            {
                counts[k] += 1;
            }
        }
        // Links only where a column is drawn.
        let hrefs: Vec<Option<String>> = (0..counts.len())
            .map(|k| {
                weeks.hrefs[k]
                    .as_ref()
                    .filter(|_| counts[k] > 0)
                    .map(|h| format!("{root}{h}"))
            })
            .collect();
        let points: Vec<svg::TimePoint> = (0..counts.len())
            .map(|k| svg::TimePoint {
                label: &weeks.labels[k],
                href: hrefs[k].as_deref(),
                count: counts[k],
            })
            .collect();
        Value::from(svg::timeline(&points, title))
    }

    pub(super) fn bars(&self, items: &[(String, String, usize)], title: &str) -> Value {
        if !self.site.config.sections.charts || items.is_empty() {
            return Value::from("");
        }
        let bars: Vec<svg::Bar> = items
            .iter()
            .map(|(label, href, count)| svg::Bar {
                label,
                href,
                count: *count,
            })
            .collect();
        Value::from(svg::bar_chart(&bars, title))
    }
}

//! The data templates see, and the small formatting helpers behind it.

use serde::Serialize;
use tera::Value;

use crate::sources::{Kind, Outlet};

/// Builds an object value from fields.
pub(super) fn obj<const N: usize>(fields: [(&'static str, Value); N]) -> Value {
    let mut m = tera::Map::with_capacity(N);
    for (k, v) in fields {
        m.insert(k.into(), v);
    }
    Value::from(m)
}

#[derive(Serialize)]
pub(super) struct CountryRef {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) flag: String,
    pub(super) path: String,
}

#[derive(Serialize)]
pub(super) struct TopicRef {
    pub(super) slug: String,
    pub(super) name: String,
    pub(super) path: String,
}

/// The badge of a source of a kind readers should know of: its kind
/// (`state-affiliated`, `official`), the words shown, and the provenance
/// note behind the call (its tooltip).
#[derive(Serialize)]
pub(super) struct Badge<'a> {
    pub(super) kind: &'static str,
    pub(super) label: &'static str,
    pub(super) note: &'a str,
}

impl<'a> Badge<'a> {
    /// The badge of `outlet`, if its kind has one. Public-service media
    /// have none: their independence is set in law or charter, and a mark
    /// on them would read as the same caution.
    pub(super) fn of(outlet: &'a Outlet) -> Option<Badge<'a>> {
        let label = match outlet.kind? {
            Kind::StateAffiliated => "State-affiliated",
            Kind::Official => "Official",
            _ => return None,
        };
        Some(Badge {
            kind: outlet.kind?.as_str(),
            label,
            note: outlet.provenance.as_deref().unwrap_or_default(),
        })
    }
}

/// A source as pages link to it.
#[derive(Serialize)]
pub(super) struct SourceRef<'a> {
    pub(super) slug: &'a str,
    pub(super) name: &'a str,
    pub(super) path: String,
    /// `None` for a source that is not a known outlet.
    pub(super) kind: Option<&'static str>,
    pub(super) kind_label: Option<&'static str>,
    /// Where it is based (its `path` leads to a page only when the site
    /// has articles about the country).
    pub(super) country: Option<CountryRef>,
    pub(super) provenance: Option<&'a str>,
    pub(super) badge: Option<Badge<'a>>,
}

#[derive(Serialize)]
pub(super) struct Card<'a> {
    pub(super) title: &'a str,
    pub(super) path: String,
    pub(super) date: Option<String>,
    pub(super) date_human: Option<String>,
    /// The source's name: the outlet's, else as the article writes it.
    pub(super) source: Option<&'a str>,
    /// The source's page.
    pub(super) source_path: Option<String>,
    /// Shown beside the source (see `partials/source_badge.html`).
    pub(super) badge: Option<Badge<'a>>,
    pub(super) url: Option<&'a str>,
    pub(super) summary_html: &'a str,
    pub(super) summary_text: &'a str,
    pub(super) countries: Vec<CountryRef>,
    pub(super) topics: Vec<TopicRef>,
    /// A compact line's tags: the first three, countries first.
    pub(super) chips: Vec<Chip>,
    /// How many tags the compact line leaves out ("+n").
    pub(super) more_tags: usize,
    /// How much the article is about defence and security, 0 to 1.
    pub(super) relevance: f64,
}

/// A tag as a compact line shows it.
#[derive(Serialize)]
pub(super) struct Chip {
    /// "country" or "topic".
    pub(super) kind: &'static str,
    pub(super) name: String,
    pub(super) flag: String,
    pub(super) path: String,
}

/// How many tags a compact line shows.
pub(super) const LINE_CHIPS: usize = 3;

#[derive(Serialize)]
pub(super) struct ArticleView<'a> {
    pub(super) title: &'a str,
    pub(super) path: String,
    pub(super) date: Option<String>,
    pub(super) date_human: Option<String>,
    /// When it was published, for machines: the date, or with a time the
    /// instant in UTC (`article:published_time`).
    pub(super) published: Option<String>,
    pub(super) source: Option<&'a str>,
    pub(super) source_path: Option<String>,
    pub(super) badge: Option<Badge<'a>>,
    pub(super) url: Option<&'a str>,
    pub(super) author: Option<&'a str>,
    pub(super) draft: bool,
    pub(super) body_html: &'a str,
    pub(super) summary_text: &'a str,
    pub(super) word_count: usize,
    pub(super) reading_minutes: usize,
    pub(super) countries: Vec<CountryRef>,
    pub(super) topics: Vec<TopicRef>,
    pub(super) countries_auto: bool,
    pub(super) topics_auto: bool,
    /// How much the article is about defence and security, 0 to 1.
    pub(super) relevance: f64,
    /// Below the site's `min_relevance` (its topics left to the tagger).
    pub(super) off_topic: bool,
    /// Why each automatic tag was given.
    pub(super) why: Vec<WhyView>,
}

#[derive(Serialize)]
pub(super) struct WhyView {
    pub(super) kind: crate::model::TagKind,
    pub(super) name: String,
    pub(super) score: f64,
    /// "“Pakistani” (headline), “Islamabad” ×3 (body)"
    pub(super) evidence: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct PageLink {
    pub(super) number: usize,
    pub(super) path: String,
    pub(super) current: bool,
    /// Stands for skipped pages ("…").
    pub(super) gap: bool,
}

/// The page numbers a pager shows: the first, the last, and two either side
/// of the current one; `None` marks a gap. A site of 500 pages thus links
/// about nine, not 500, from each.
pub(super) fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    let mut last = 0;
    for p in 1..=total {
        let near = p + 2 >= current && p <= current + 2;
        if p == 1 || p == total || near {
            if p > last + 1 {
                out.push(None);
            }
            out.push(Some(p));
            last = p;
        } else if p < current {
            continue;
        } else {
            // Jump straight to the last page.
            if total > last + 1 {
                out.push(None);
            }
            out.push(Some(total));
            break;
        }
    }
    out
}

#[derive(Serialize)]
pub(super) struct Pagination {
    pub(super) current: usize,
    pub(super) total: usize,
    pub(super) prev: Option<String>,
    pub(super) next: Option<String>,
    pub(super) pages: Vec<PageLink>,
}

/// Evidence as short phrases, strongest first, merged by text and place.
pub(super) fn why_phrases(evidence: &[crate::model::Evidence]) -> Vec<String> {
    let mut merged: Vec<(&str, crate::model::Part, usize, f64)> = Vec::new();
    for e in evidence.iter().filter(|e| e.weight > 0.0) {
        match merged.iter_mut().find(|m| m.0 == e.text && m.1 == e.part) {
            Some(m) => {
                m.2 += e.count;
                m.3 += e.weight;
            }
            None => merged.push((&e.text, e.part, e.count, e.weight)),
        }
    }
    merged.sort_by(|a, b| b.3.total_cmp(&a.3).then_with(|| a.0.cmp(b.0)));
    merged
        .into_iter()
        .take(6)
        .map(|(text, part, count, _)| {
            let times = if count > 1 {
                format!(" ×{count}")
            } else {
                String::new()
            };
            format!("“{text}”{times} ({})", part.label())
        })
        .collect()
}

pub(super) fn month_name(m: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(m.clamp(1, 12) - 1) as usize]
}

/// "17 Oct 2023"
pub(super) fn human_date(d: jiff::civil::Date) -> String {
    format!("{} {} {}", d.day(), &month_name(d.month())[..3], d.year())
}

/// "Tuesday, 17 October 2023"
pub(super) fn long_date(d: jiff::civil::Date) -> String {
    d.strftime("%A, %-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_well() {
        let d = jiff::civil::date(2023, 10, 17);
        assert_eq!(human_date(d), "17 Oct 2023");
        assert_eq!(long_date(d), "Tuesday, 17 October 2023");
    }

    #[test]
    fn pagers_show_a_window() {
        let w = |c, t| {
            page_window(c, t)
                .into_iter()
                .map(|p| p.map_or("…".to_string(), |n| n.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(w(1, 1), "1");
        assert_eq!(w(2, 5), "1 2 3 4 5");
        assert_eq!(w(1, 500), "1 2 3 … 500");
        assert_eq!(w(250, 500), "1 … 248 249 250 251 252 … 500");
        assert_eq!(w(500, 500), "1 … 498 499 500");
        assert_eq!(w(4, 8), "1 2 3 4 5 6 … 8");
        assert_eq!(w(5, 8), "1 … 3 4 5 6 7 8");
    }
}

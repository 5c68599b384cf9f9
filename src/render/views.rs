//! The data templates see, and the small formatting helpers behind it.

use serde::Serialize;
use tera::Value;

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

#[derive(Serialize)]
pub(super) struct Card<'a> {
    pub(super) title: &'a str,
    pub(super) path: String,
    pub(super) date: Option<String>,
    pub(super) date_human: Option<String>,
    pub(super) source: Option<&'a str>,
    pub(super) summary_html: &'a str,
    pub(super) summary_text: &'a str,
    pub(super) countries: Vec<CountryRef>,
    pub(super) topics: Vec<TopicRef>,
}

#[derive(Serialize)]
pub(super) struct ArticleView<'a> {
    pub(super) title: &'a str,
    pub(super) path: String,
    pub(super) date: Option<String>,
    pub(super) date_human: Option<String>,
    pub(super) source: Option<&'a str>,
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
    /// Why each automatic tag was given.
    pub(super) why: Vec<WhyView>,
}

#[derive(Serialize)]
pub(super) struct WhyView {
    pub(super) kind: &'static str,
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
pub(super) fn why_phrases(evidence: &[crate::tag::Evidence]) -> Vec<String> {
    let mut merged: Vec<(&str, crate::tag::Part, usize, f64)> = Vec::new();
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

/// The path part of a base URL: "https://a.org/digest/" → "/digest/".
pub(super) fn url_path(base: &str) -> String {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".to_string(),
    }
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
    fn url_paths() {
        assert_eq!(url_path("https://a.org/"), "/");
        assert_eq!(url_path("https://a.org/digest/"), "/digest/");
    }
}

//! Sources: each one's coverage (the countries and topics of its
//! articles, its first and last dates), and the sources index (every
//! source by kind, with counts).

use tera::Value;

use super::Aggregate;
use crate::render::Renderer;
use crate::render::views::{human_date, obj};
use crate::sources::Kind;

/// How many countries and topics a source's page lists.
const COVERS: usize = 12;

impl Renderer<'_> {
    /// A source page's coverage: countries and topics, most frequent
    /// first, and the dates of its first and last articles.
    pub(super) fn source_aggregate(&self, k: usize) -> Aggregate {
        let list = &self.site.outlets.articles[k];
        let dates = list.iter().filter_map(|&i| self.site.articles[i].date);
        let (first, last) = (dates.clone().min(), dates.max());
        let date = |d: Option<jiff::civil::Date>| d.map_or(Value::none(), |d| human_date(d).into());
        Aggregate::new(vec![
            (
                "top_countries",
                self.country_chips(&self.country_tally(list, None), COVERS),
            ),
            (
                "top_topics",
                self.topic_chips(&self.topic_tally(list), COVERS),
            ),
            ("first_date", date(first)),
            ("last_date", date(last)),
        ])
    }

    /// The sources index: the site's sources grouped by kind (in the
    /// order of [`Kind::ALL`], sources not listed last), each with its
    /// count, most articles first.
    pub(super) fn sources_index_aggregate(&self) -> Aggregate {
        let outlets = &self.site.outlets;
        let kinds = Kind::ALL.iter().map(|k| Some(*k)).chain([None]);
        let groups: Vec<Value> = kinds
            .filter_map(|kind| {
                let mut members: Vec<(usize, &str, usize)> = outlets
                    .list
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.kind == kind)
                    .map(|(k, o)| (outlets.articles[k].len(), o.name.as_str(), k))
                    .collect();
                if members.is_empty() {
                    return None;
                }
                members.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
                let sources: Vec<Value> = members
                    .into_iter()
                    .map(|(n, _, k)| {
                        obj([
                            (
                                "source",
                                Value::from_serializable(&self.fixed.source_ref(&outlets.list[k])),
                            ),
                            ("count", Value::from(n)),
                        ])
                    })
                    .collect();
                let (slug, label) = match kind {
                    Some(k) => (k.as_str(), k.label()),
                    None => ("unlisted", "Sources not in the list"),
                };
                Some(obj([
                    ("kind", Value::from(slug)),
                    ("label", Value::from(label)),
                    ("sources", Value::from(sources)),
                ]))
            })
            .collect();
        Aggregate::new(vec![
            ("groups", Value::from(groups)),
            ("source_count", Value::from(outlets.list.len())),
        ])
    }

    /// How many distinct sources the articles of `list` come from.
    pub(super) fn source_count(&self, list: &[usize]) -> usize {
        let mut seen: Vec<u32> = list
            .iter()
            .filter_map(|&i| self.site.outlets.of.get(i).copied().flatten())
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }
}

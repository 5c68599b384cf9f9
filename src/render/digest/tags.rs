//! Countries, topics and pairs: each one's counts, chart and partners,
//! and the topics and relations indexes.

use tera::Value;

use super::{Aggregate, Pair, Weeks};
use crate::model::CountryCode;
use crate::render::Renderer;
use crate::render::views::obj;
use crate::urls;

impl Renderer<'_> {
    /// The link to the search page filtered by facets, or `fallback` when
    /// the site has no search.
    pub(super) fn facet_link(
        &self,
        country: Option<CountryCode>,
        topic: Option<&str>,
        fallback: String,
    ) -> String {
        if !self.site.config.sections.search {
            return fallback;
        }
        let mut q = Vec::new();
        if let Some(c) = country {
            q.push(format!("country={c}"));
        }
        if let Some(t) = topic {
            q.push(format!("topic={t}"));
        }
        format!("{}?{}", self.fixed.link(urls::SEARCH), q.join("&"))
    }

    pub(super) fn country_aggregate(
        &self,
        c: CountryCode,
        list: &[usize],
        weeks: &Weeks,
    ) -> Aggregate {
        let name = self.site.tagger.gazetteer.name(c);
        let by_topic: Vec<Value> = self
            .topic_tally(list)
            .into_iter()
            .map(|(t, n)| {
                obj([
                    ("topic", Value::from_serializable(&self.fixed.topic_ref(t))),
                    ("count", Value::from(n)),
                    (
                        "path",
                        Value::from(self.facet_link(
                            Some(c),
                            Some(t),
                            self.fixed.link(&urls::topic(t)),
                        )),
                    ),
                ])
            })
            .collect();
        let partners: Vec<Value> = self
            .country_tally(list, Some(c))
            .into_iter()
            .take(12)
            .map(|(p, n)| {
                let key = if c < p { (c, p) } else { (p, c) };
                let pair = (self.site.config.sections.relations
                    && self.site.by_pair.contains_key(&key))
                .then(|| self.pair_path(key));
                obj([
                    (
                        "country",
                        Value::from_serializable(&self.fixed.country_ref(p)),
                    ),
                    ("count", Value::from(n)),
                    ("pair_path", pair.map_or(Value::none(), Value::from)),
                ])
            })
            .collect();
        let top: Vec<Value> = by_topic.iter().take(6).cloned().collect();
        Aggregate::new(vec![
            ("top_topics", Value::from(top)),
            ("by_topic", Value::from(by_topic)),
            ("partners", Value::from(partners)),
            (
                "timeline",
                self.timeline(
                    list,
                    weeks,
                    &urls::up(&urls::country(c)),
                    &format!("Articles about {name} per week"),
                ),
            ),
        ])
    }

    pub(super) fn topic_aggregate(&self, t: &str, list: &[usize], weeks: &Weeks) -> Aggregate {
        let by_country: Vec<Value> = self
            .country_tally(list, None)
            .into_iter()
            .take(24)
            .map(|(c, n)| {
                obj([
                    (
                        "country",
                        Value::from_serializable(&self.fixed.country_ref(c)),
                    ),
                    ("count", Value::from(n)),
                    (
                        "path",
                        Value::from(self.facet_link(
                            Some(c),
                            None,
                            self.fixed.link(&urls::country(c)),
                        )),
                    ),
                ])
            })
            .collect();
        let top: Vec<Value> = by_country.iter().take(10).cloned().collect();
        Aggregate::new(vec![
            ("top_countries", Value::from(top)),
            ("by_country", Value::from(by_country)),
            (
                "timeline",
                self.timeline(list, weeks, &urls::up(&urls::topic(t)), "Articles per week"),
            ),
        ])
    }

    pub(super) fn pair_aggregate(&self, p: Pair, list: &[usize], weeks: &Weeks) -> Aggregate {
        let topics: Vec<Value> = self
            .topic_tally(list)
            .into_iter()
            .map(|(t, n)| {
                obj([
                    ("topic", Value::from_serializable(&self.fixed.topic_ref(t))),
                    ("count", Value::from(n)),
                ])
            })
            .collect();
        Aggregate::new(vec![
            ("topics", Value::from(topics)),
            (
                "timeline",
                self.timeline(
                    list,
                    weeks,
                    &urls::up(&urls::pair(p)),
                    "Shared articles per week",
                ),
            ),
        ])
    }

    pub(super) fn topics_index(&self) -> Aggregate {
        let s = self.site;
        let mut items: Vec<(String, String, usize)> = s
            .by_topic
            .iter()
            .map(|(t, l)| {
                let r = self.fixed.topic_ref(t);
                (
                    r.name,
                    format!("{}{}", urls::up(urls::TOPICS), r.path),
                    l.len(),
                )
            })
            .collect();
        items.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        Aggregate::new(vec![("chart", self.bars(&items, "Articles per topic"))])
    }

    pub(super) fn relations_index(&self) -> Aggregate {
        let s = self.site;
        let mut pairs: Vec<(usize, String, Value)> = s
            .by_pair
            .iter()
            .map(|(p, l)| {
                let (a, b) = (self.fixed.country_ref(p.0), self.fixed.country_ref(p.1));
                let label = format!("{} – {}", a.name, b.name);
                (
                    l.len(),
                    label,
                    obj([
                        ("a", Value::from_serializable(&a)),
                        ("b", Value::from_serializable(&b)),
                        ("path", Value::from(self.pair_path(*p))),
                        ("count", Value::from(l.len())),
                    ]),
                )
            })
            .collect();
        pairs.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(&y.1)));
        Aggregate::new(vec![(
            "pairs",
            Value::from(pairs.into_iter().map(|x| x.2).collect::<Vec<_>>()),
        )])
    }
}

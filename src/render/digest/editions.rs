//! Editions: each one's glance and articles by region and country, and
//! the editions index.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use jiff::civil::Date;
use rayon::prelude::*;
use tera::Value;

use super::{Aggregate, Edition, RegionGroup, Weeks, date_range};
use crate::index::edition_end;
use crate::model::CountryCode;
use crate::render::Renderer;
use crate::render::views::obj;
use crate::urls::{self, edition_name, edition_slug};

impl Renderer<'_> {
    pub(super) fn edition(&self, start: Date, list: &[usize], prev: &[usize]) -> Edition {
        let s = self.site;
        let c = &s.config;
        let countries = self.country_tally(list, None);
        let topics = self.topic_tally(list);
        // What rose: tags with more articles than in the edition before.
        let before_c: HashMap<CountryCode, usize> =
            self.country_tally(prev, None).into_iter().collect();
        let before_t: HashMap<&str, usize> = self.topic_tally(prev).into_iter().collect();
        let mut rising: Vec<(usize, String, Value)> = Vec::new();
        for (code, n) in &countries {
            let was = before_c.get(code).copied().unwrap_or(0);
            if *n > was && *n >= 2 {
                let r = self.fixed.country_ref(*code);
                rising.push((
                    n - was,
                    r.name.clone(),
                    obj([
                        ("name", Value::from(r.name.as_str())),
                        ("flag", Value::from(r.flag.as_str())),
                        ("path", Value::from(r.path)),
                        ("count", Value::from(*n)),
                        ("was", Value::from(was)),
                    ]),
                ));
            }
        }
        for (t, n) in &topics {
            let was = before_t.get(t).copied().unwrap_or(0);
            if *n > was && *n >= 2 {
                let r = self.fixed.topic_ref(t);
                rising.push((
                    n - was,
                    r.name.clone(),
                    obj([
                        ("name", Value::from(r.name)),
                        ("flag", Value::from("")),
                        ("path", Value::from(r.path)),
                        ("count", Value::from(*n)),
                        ("was", Value::from(was)),
                    ]),
                ));
            }
        }
        rising.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let end = edition_end(start, c);
        let glance = obj([
            ("name", Value::from(edition_name(start, c))),
            ("slug", Value::from(edition_slug(start, c))),
            ("path", Value::from(self.edition_path(start))),
            ("start", Value::from(start.to_string())),
            ("end", Value::from(end.to_string())),
            ("range", Value::from(date_range(start, end))),
            ("count", Value::from(list.len())),
            ("country_count", Value::from(countries.len())),
            ("source_count", Value::from(self.source_count(list))),
            ("top_countries", self.country_chips(&countries, 6)),
            ("top_topics", self.topic_chips(&topics, 5)),
            (
                "rising",
                Value::from(
                    rising
                        .into_iter()
                        .take(5)
                        .map(|(_, _, v)| v)
                        .collect::<Vec<_>>(),
                ),
            ),
        ]);
        // Group by the region of each article's most salient country.
        let mut by_region: BTreeMap<usize, BTreeMap<CountryCode, Vec<usize>>> = BTreeMap::new();
        let mut other = Vec::new();
        for &i in list {
            let a = &s.articles[i];
            let placed = a
                .countries
                .first()
                .and_then(|code| Some((s.config.regions.place(*code)?.index, *code)));
            match placed {
                Some((k, code)) => by_region
                    .entry(k)
                    .or_default()
                    .entry(code)
                    .or_default()
                    .push(i),
                None => other.push(i),
            }
        }
        let groups: Vec<RegionGroup> = by_region
            .into_iter()
            .map(|(k, m)| {
                let mut cs: Vec<(CountryCode, Vec<usize>)> = m.into_iter().collect();
                cs.sort_by(|a, b| {
                    b.1.len()
                        .cmp(&a.1.len())
                        .then_with(|| self.name(a.0).cmp(&self.name(b.0)))
                });
                let name = s.config.regions.names().nth(k).unwrap_or_default();
                (name.to_string(), cs)
            })
            .collect();
        let mut aggr = Aggregate::new(vec![("glance", glance.clone())]);
        let mut h = std::hash::DefaultHasher::new();
        aggr.hash.hash(&mut h);
        for (r, cs) in &groups {
            r.hash(&mut h);
            cs.hash(&mut h);
        }
        other.hash(&mut h);
        aggr.hash = h.finish();
        Edition {
            glance,
            aggr,
            groups,
            other,
        }
    }

    pub(super) fn editions_index(&self, weeks: &Weeks) -> Aggregate {
        let all: Vec<usize> = (0..self.site.articles.len()).collect();
        let list: Vec<Value> = self
            .derived
            .edition_keys
            .par_iter()
            .rev()
            .filter_map(|e| self.edition_of(*e).map(|x| x.glance.clone()))
            .collect();
        Aggregate::new(vec![
            ("editions", Value::from(list)),
            (
                "timeline",
                self.timeline(
                    &all,
                    weeks,
                    &urls::up(urls::EDITIONS),
                    "Articles per edition",
                ),
            ),
        ])
    }
}

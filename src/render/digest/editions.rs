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
use crate::stories::rank;
use crate::urls::{self, edition_name, edition_slug};

impl Renderer<'_> {
    pub(super) fn edition(&self, start: Date, list: &[usize], prev: &[usize]) -> Edition {
        let s = self.site;
        let c = &s.config;
        let list: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&i| rank::shown(&s.articles[i], c))
            .collect();
        let countries = self.country_tally(&list, None);
        let topics = self.topic_tally(&list);
        let rising = self.rising(&countries, &topics, prev);
        // The outlets of every report of the edition's stories.
        let reports: Vec<usize> = list
            .iter()
            .flat_map(|&i| s.stories.members(s.stories.of(i)))
            .map(|&j| j as usize)
            .collect();
        let end = edition_end(start, c);
        let before = start
            .checked_sub(jiff::SignedDuration::from_hours(
                24 * i64::from(c.edition_days),
            ))
            .unwrap_or(start);
        // "Most covered" says nothing when every tag has one story.
        let covered = |n: Option<usize>| n.is_some_and(|n| n > 1);
        let top_countries = if covered(countries.first().map(|x| x.1)) {
            self.country_chips(&countries, 6)
        } else {
            Value::from(Vec::<Value>::new())
        };
        let top_topics = if covered(topics.first().map(|x| x.1)) {
            self.topic_chips(&topics, 5)
        } else {
            Value::from(Vec::<Value>::new())
        };
        let glance = obj([
            ("name", Value::from(edition_name(start, c))),
            ("slug", Value::from(edition_slug(start, c))),
            ("path", Value::from(self.edition_path(start))),
            ("start", Value::from(start.to_string())),
            ("end", Value::from(end.to_string())),
            ("range", Value::from(date_range(start, end))),
            ("count", Value::from(list.len())),
            ("country_count", Value::from(countries.len())),
            ("source_count", Value::from(self.source_count(&reports))),
            ("top_countries", top_countries),
            ("top_topics", top_topics),
            (
                "against",
                Value::from(date_range(before, edition_end(before, c))),
            ),
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
        // The top stories lead; the rest go by region and country, each
        // country's stories by rank.
        let day = crate::stories::day_of(end);
        let ranked = rank::by_rank(&s.stories, &s.articles, &list, day);
        let top: Vec<usize> = ranked.iter().take(c.top_stories).map(|x| x.1).collect();
        let mut by_region: BTreeMap<usize, BTreeMap<CountryCode, Vec<usize>>> = BTreeMap::new();
        let mut other = Vec::new();
        for &(_, i) in ranked.iter().skip(c.top_stories) {
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
        top.hash(&mut h);
        for (r, cs) in &groups {
            r.hash(&mut h);
            cs.hash(&mut h);
        }
        other.hash(&mut h);
        aggr.hash = h.finish();
        Edition {
            glance,
            aggr,
            top,
            groups,
            other,
        }
    }

    /// Tags with more stories than in the calendar week before (`prev`),
    /// by how much, largest rise first. A rise of one says nothing, so a
    /// tag must rise by at least two.
    fn rising(
        &self,
        countries: &[(CountryCode, usize)],
        topics: &[(&str, usize)],
        prev: &[usize],
    ) -> Vec<(usize, String, Value)> {
        let before_c: HashMap<CountryCode, usize> =
            self.country_tally(prev, None).into_iter().collect();
        let before_t: HashMap<&str, usize> = self.topic_tally(prev).into_iter().collect();
        let mut rising: Vec<(usize, String, Value)> = Vec::new();
        let mut push = |n: usize, was: usize, name: String, flag: String, path: String| {
            if n >= was + 2 {
                rising.push((
                    n - was,
                    name.clone(),
                    obj([
                        ("name", Value::from(name)),
                        ("flag", Value::from(flag)),
                        ("path", Value::from(path)),
                        ("count", Value::from(n)),
                        ("was", Value::from(was)),
                    ]),
                ));
            }
        };
        for (code, n) in countries {
            let r = self.fixed.country_ref(*code);
            let was = before_c.get(code).copied().unwrap_or(0);
            push(*n, was, r.name, r.flag, r.path);
        }
        for (t, n) in topics {
            let r = self.fixed.topic_ref(t);
            let was = before_t.get(t).copied().unwrap_or(0);
            push(*n, was, r.name, String::new(), r.path);
        }
        rising.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        rising
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

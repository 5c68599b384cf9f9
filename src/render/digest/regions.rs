//! Regions: each one's countries by sub-region, chart and latest
//! articles, and the countries index with its world map.

use std::collections::BTreeMap;

use tera::Value;

use super::{Aggregate, REGION_LATEST, REGIONS, Region, SubregionCountries};
use crate::model::CountryCode;
use crate::regions;
use crate::render::Renderer;
use crate::render::views::obj;
use crate::svg;
use crate::urls;

impl Renderer<'_> {
    /// Regions with the countries of the site, grouped by sub-region.
    pub(super) fn regions(&self) -> Vec<Region> {
        let s = self.site;
        let mut grouped: BTreeMap<usize, BTreeMap<&'static str, SubregionCountries>> =
            BTreeMap::new();
        for (c, list) in s.by_country.iter() {
            if let Some(r) = regions::region_of(&c.to_string())
                && let Some(k) = REGIONS.iter().position(|x| *x == r.region)
            {
                grouped
                    .entry(k)
                    .or_default()
                    .entry(r.subregion)
                    .or_default()
                    .push((self.name(*c), *c, list.len()));
            }
        }
        grouped
            .into_iter()
            .map(|(k, subs)| {
                let name = REGIONS[k];
                let mut all: Vec<usize> = Vec::new();
                let mut tally: Vec<(String, String, usize)> = Vec::new();
                let subregions: Value = subs
                    .into_iter()
                    .map(|(sub, mut cs)| {
                        cs.sort();
                        let n: usize = cs.iter().map(|x| x.2).sum();
                        let countries: Vec<Value> = cs
                            .iter()
                            .map(|(_, c, n)| {
                                all.extend(&s.by_country[c]);
                                let r = self.fixed.country_ref(*c);
                                tally.push((r.name.clone(), r.path.clone(), *n));
                                obj([
                                    ("country", Value::from_serializable(&r)),
                                    ("count", Value::from(*n)),
                                ])
                            })
                            .collect();
                        obj([
                            ("name", Value::from(sub)),
                            ("mentions", Value::from(n)),
                            ("countries", Value::from(countries)),
                        ])
                    })
                    .collect::<Vec<Value>>()
                    .into();
                all.sort_unstable();
                all.dedup();
                tally.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
                tally.truncate(15);
                let slug = regions::slug(name);
                let up = urls::up(&urls::region(&slug));
                let rooted: Vec<(String, String, usize)> = tally
                    .into_iter()
                    .map(|(l, p, n)| (l, format!("{up}{p}"), n))
                    .collect();
                let aggr = Aggregate::new(vec![
                    (
                        "region",
                        obj([
                            ("name", Value::from(name)),
                            ("path", Value::from(self.fixed.link(&urls::region(&slug)))),
                        ]),
                    ),
                    ("subregions", subregions.clone()),
                    ("count", Value::from(all.len())),
                    (
                        "chart",
                        self.bars(&rooted, &format!("Most-covered countries of {name}")),
                    ),
                ]);
                all.truncate(REGION_LATEST);
                Region {
                    name,
                    slug,
                    subregions,
                    aggr,
                    latest: all,
                }
            })
            .collect()
    }

    pub(super) fn countries_index(&self, regions: &[Region]) -> Aggregate {
        let s = self.site;
        let sec = &s.config.sections;
        let names: BTreeMap<CountryCode, String> =
            s.by_country.keys().map(|c| (*c, self.name(*c))).collect();
        let map = if sec.charts {
            let codes: Vec<String> = s.by_country.keys().map(|c| c.to_string()).collect();
            let up = urls::up(urls::COUNTRIES);
            let hrefs: Vec<String> = s
                .by_country
                .keys()
                .map(|c| format!("{up}{}", self.fixed.link(&urls::country(*c))))
                .collect();
            let items: Vec<svg::MapCountry> = s
                .by_country
                .iter()
                .enumerate()
                .map(|(k, (c, list))| svg::MapCountry {
                    code: &codes[k],
                    name: &names[c],
                    count: list.len(),
                    href: &hrefs[k],
                })
                .collect();
            svg::world_map(&items, "Articles per country")
        } else {
            String::new()
        };
        let mut tally: Vec<(String, String, usize)> = s
            .by_country
            .iter()
            .map(|(c, l)| {
                let r = self.fixed.country_ref(*c);
                (
                    r.name.clone(),
                    format!("{}{}", urls::up(urls::COUNTRIES), r.path),
                    l.len(),
                )
            })
            .collect();
        tally.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        tally.truncate(15);
        let chart = self.bars(&tally, "Most-covered countries");
        // Grouped by region; countries without one come last.
        let mut groups: Vec<Value> = regions
            .iter()
            .map(|r| {
                obj([
                    ("name", Value::from(r.name)),
                    (
                        "path",
                        if sec.regions {
                            Value::from(self.fixed.link(&urls::region(&r.slug)))
                        } else {
                            Value::none()
                        },
                    ),
                    ("subregions", r.subregions.clone()),
                ])
            })
            .collect();
        let rest: Vec<Value> = s
            .by_country
            .iter()
            .filter(|(c, _)| {
                regions::region_of(&c.to_string()).is_none_or(|r| !REGIONS.contains(&r.region))
            })
            .map(|(c, l)| {
                obj([
                    (
                        "country",
                        Value::from_serializable(&self.fixed.country_ref(*c)),
                    ),
                    ("count", Value::from(l.len())),
                ])
            })
            .collect();
        if !rest.is_empty() {
            groups.push(obj([
                ("name", Value::from("Other")),
                ("path", Value::none()),
                (
                    "subregions",
                    Value::from(vec![obj([
                        ("name", Value::from("")),
                        ("countries", Value::from(rest)),
                    ])]),
                ),
            ]));
        }
        // Every country, by name, for templates that want a flat list.
        let mut flat: Vec<(&String, CountryCode, usize)> = s
            .by_country
            .iter()
            .map(|(c, l)| (&names[c], *c, l.len()))
            .collect();
        flat.sort();
        let flat: Vec<Value> = flat
            .into_iter()
            .map(|(_, c, n)| {
                obj([
                    (
                        "country",
                        Value::from_serializable(&self.fixed.country_ref(c)),
                    ),
                    ("count", Value::from(n)),
                ])
            })
            .collect();
        Aggregate::new(vec![
            ("map", Value::from(map)),
            ("chart", chart),
            ("regions", Value::from(groups)),
            ("countries", Value::from(flat)),
            ("country_count", Value::from(s.by_country.len())),
        ])
    }
}

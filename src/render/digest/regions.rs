//! Regions: each one's countries by sub-region, chart and latest
//! articles, and the countries index with its world map.

use std::collections::BTreeMap;

use tera::Value;

use super::{Aggregate, REGION_LATEST, Region, SubregionCountries};
use crate::model::CountryCode;
use crate::regions;
use crate::render::Renderer;
use crate::render::views::obj;
use crate::svg;
use crate::urls;

/// A sub-region's name and its countries.
type Subregion<'a> = (&'a str, SubregionCountries);

impl Renderer<'_> {
    /// The site's regions that have countries of the site, grouped by
    /// sub-region, in the regions' order.
    pub(super) fn regions(&self) -> Vec<Region> {
        let s = self.site;
        let set = &s.config.regions;
        // Region position -> (sub-region name, its countries), in order.
        let mut grouped: BTreeMap<usize, (&str, Vec<Subregion<'_>>)> = BTreeMap::new();
        for (c, list) in s.by_country.iter() {
            if let Some(p) = set.place(*c) {
                let subs = &mut grouped.entry(p.index).or_insert((p.region, Vec::new())).1;
                let at = match subs.iter().position(|x| x.0 == p.subregion) {
                    Some(j) => j,
                    None => {
                        subs.push((p.subregion, Vec::new()));
                        subs.len() - 1
                    }
                };
                subs[at].1.push((self.name(*c), *c, list.len()));
            }
        }
        grouped
            .into_values()
            .map(|(name, mut subs)| {
                // M49's sub-regions by name; a site's own in its order.
                subs.sort_by_key(|(sub, _)| set.subregion_position(name, sub));
                let mut all: Vec<usize> = Vec::new();
                let mut tally: Vec<(String, String, usize)> = Vec::new();
                let mut members: Vec<(CountryCode, usize)> = Vec::new();
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
                                members.push((*c, *n));
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
                let map = self.region_map(&members, &up, name);
                let aggr = Aggregate::new(vec![
                    ("map", map),
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
                    name: name.to_string(),
                    slug,
                    subregions,
                    aggr,
                    latest: all,
                }
            })
            .collect()
    }

    /// The world map with the countries of a region shaded, linked from a
    /// page `up` from the site root.
    fn region_map(&self, members: &[(CountryCode, usize)], up: &str, name: &str) -> Value {
        if !self.site.config.sections.charts {
            return Value::from("");
        }
        let rows: Vec<(String, String, String, usize)> = members
            .iter()
            .map(|(c, n)| {
                let href = format!("{up}{}", self.fixed.link(&urls::country(*c)));
                (c.to_string(), self.name(*c), href, *n)
            })
            .collect();
        let items: Vec<svg::MapCountry> = rows
            .iter()
            .map(|(code, name, href, count)| svg::MapCountry {
                code,
                name,
                count: *count,
                href,
            })
            .collect();
        Value::from(svg::region_map(
            &items,
            &format!("Articles per country of {name}"),
        ))
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
                    ("name", Value::from(r.name.as_str())),
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
            .filter(|(c, _)| s.config.regions.place(**c).is_none())
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

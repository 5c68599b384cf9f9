//! The regions a site groups its countries by, on the countries index,
//! region pages and editions: UN M49 (the default), a preset such as the
//! "defense desk" (`regions = "defense-desk"`), or the site's own
//! `[[region]]` tables in `config.toml`.
//!
//! Regions have two levels: a region and its sub-regions, each sub-region
//! a `[[region]]` with `parent`. A country is in one sub-region at most;
//! countries in none are shown under "Other".

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;

use crate::model::CountryCode;

/// The preset regions, by the name `regions =` gives them.
pub const PRESETS: &[&str] = &["m49", "defense-desk"];

const DEFENSE_DESK: &str = include_str!("../../data/regions-defense-desk.toml");

/// The M49 regions shown as regions (Antarctica's few areas go to "Other").
const M49_REGIONS: [&str; 5] = ["Africa", "Americas", "Asia", "Europe", "Oceania"];

/// A `[[region]]` table.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RawRegion {
    pub name: String,
    /// The region this one is a sub-region of.
    pub parent: Option<String>,
    /// ISO 3166-1 alpha-2 codes of the countries in it.
    pub countries: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PresetFile {
    region: Vec<RawRegion>,
}

/// Regions, each with its sub-regions, in display order.
#[derive(Debug)]
pub struct Regions {
    regions: Vec<(String, Vec<String>)>,
    /// A country's (region, sub-region) positions. Ordered: the build's
    /// salt hashes the configuration's `Debug` text, so it must not vary.
    by_code: BTreeMap<CountryCode, (usize, usize)>,
}

/// Where a country is, in a set of regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place<'a> {
    /// The region's position in display order.
    pub index: usize,
    pub region: &'a str,
    pub subregion: &'a str,
}

impl Regions {
    /// The UN M49 regions, sub-regions in alphabetical order.
    pub fn m49() -> Regions {
        let mut regions: Vec<(String, Vec<String>)> = M49_REGIONS
            .iter()
            .map(|r| (r.to_string(), Vec::new()))
            .collect();
        let mut places = Vec::new();
        for (code, r) in super::all() {
            let Some(k) = M49_REGIONS.iter().position(|x| *x == r.region) else {
                continue;
            };
            if !regions[k].1.iter().any(|s| s == r.subregion) {
                regions[k].1.push(r.subregion.to_string());
            }
            places.push((code, k, r.subregion));
        }
        for (_, subs) in &mut regions {
            subs.sort();
        }
        let by_code = places
            .into_iter()
            .filter_map(|(code, k, sub)| {
                let j = regions[k].1.iter().position(|s| s == sub)?;
                Some((CountryCode::new(code)?, (k, j)))
            })
            .collect();
        Regions { regions, by_code }
    }

    /// A preset by name (see [`PRESETS`]); `None` for an unknown name.
    pub fn preset(name: &str) -> Option<Regions> {
        match name {
            "m49" => Some(Regions::m49()),
            "defense-desk" => {
                let file: PresetFile = toml::from_str(DEFENSE_DESK).ok()?;
                Regions::from_tables(&file.region).ok()
            }
            _ => None,
        }
    }

    /// The site's own regions from its `[[region]]` tables, in their order;
    /// every problem found is reported.
    /// Each problem comes with the name of the table it is in.
    pub fn from_tables(tables: &[RawRegion]) -> Result<Regions, Vec<(String, String)>> {
        let mut errs: Vec<(String, String)> = Vec::new();
        let mut regions: Vec<(String, Vec<String>)> = Vec::new();
        let mut members: Vec<Vec<Vec<&str>>> = Vec::new();
        let mut names = HashSet::new();
        let mut slugs: HashMap<String, &str> = HashMap::new();
        for t in tables {
            let name = t.name.trim();
            if name.is_empty() {
                errs.push((String::new(), "[[region]] needs a name".to_string()));
                continue;
            }
            if !names.insert(name) {
                errs.push((
                    name.to_string(),
                    format!("[[region]] {name:?} is defined twice"),
                ));
                continue;
            }
            let slug = super::slug(name);
            if let Some(other) = slugs.insert(slug.clone(), name) {
                errs.push((
                    name.to_string(),
                    format!(
                        "[[region]] names {other:?} and {name:?} give the same page ({slug:?}): rename one"
                    ),
                ));
            }
            if t.parent.is_none() {
                regions.push((name.to_string(), Vec::new()));
                members.push(Vec::new());
            }
        }
        for t in tables {
            let name = t.name.trim();
            let Some(k) = (match &t.parent {
                None => regions.iter().position(|r| r.0 == name),
                Some(p) => match regions.iter().position(|r| r.0 == p.trim()) {
                    Some(k) => Some(k),
                    None => {
                        let nested = tables.iter().any(|x| x.name.trim() == p.trim());
                        let msg = if nested {
                            format!(
                                "[[region]] {name:?}: parent {p:?} is itself a sub-region; regions have two levels, a region and its sub-regions"
                            )
                        } else {
                            format!(
                                "[[region]] {name:?}: parent {p:?} is not a region defined here"
                            )
                        };
                        errs.push((name.to_string(), msg));
                        None
                    }
                },
            }) else {
                continue;
            };
            if t.countries.is_empty() {
                continue;
            }
            // A region's own countries form a sub-region of its name.
            let sub = if t.parent.is_some() {
                name
            } else {
                regions[k].0.as_str()
            };
            let sub = sub.to_string();
            regions[k].1.push(sub);
            members[k].push(t.countries.iter().map(String::as_str).collect());
        }
        let mut by_code: BTreeMap<CountryCode, (usize, usize)> = BTreeMap::new();
        for (k, subs) in members.iter().enumerate() {
            for (j, codes) in subs.iter().enumerate() {
                for code in codes {
                    let place = (k, j);
                    match CountryCode::new(code).filter(|c| super::region_of(c.as_str()).is_some()) {
                        None => errs.push((
                            regions[k].1[j].clone(),
                            format!(
                                "[[region]] {:?}: {code:?} is not an ISO 3166-1 alpha-2 country code (such as \"PK\")",
                                regions[k].1[j]
                            ),
                        )),
                        Some(c) => {
                            if let Some(&(k0, j0)) = by_code.get(&c) {
                                if (k0, j0) != place {
                                    errs.push((
                                        regions[k].1[j].clone(),
                                        format!(
                                            "[[region]] {:?}: {} is already in {:?}; a country is in one region",
                                            regions[k].1[j], c, regions[k0].1[j0]
                                        ),
                                    ));
                                }
                            } else {
                                by_code.insert(c, place);
                            }
                        }
                    }
                }
            }
        }
        for (name, subs) in &regions {
            if subs.is_empty() {
                errs.push((
                    name.clone(),
                    format!(
                        "[[region]] {name:?} has no countries, and no sub-region names it as parent"
                    ),
                ));
            }
        }
        if errs.is_empty() {
            Ok(Regions { regions, by_code })
        } else {
            Err(errs)
        }
    }

    /// Where a country is; `None` for one in no region.
    pub fn place(&self, c: CountryCode) -> Option<Place<'_>> {
        let &(k, j) = self.by_code.get(&c)?;
        let (region, subs) = &self.regions[k];
        Some(Place {
            index: k,
            region,
            subregion: &subs[j],
        })
    }

    /// The position of a sub-region among its region's (display order);
    /// past the end for a name the region does not have.
    pub fn subregion_position(&self, region: &str, subregion: &str) -> usize {
        self.regions
            .iter()
            .find(|r| r.0 == region)
            .and_then(|r| r.1.iter().position(|s| s == subregion))
            .unwrap_or(usize::MAX)
    }

    /// The regions' names, in display order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.regions.iter().map(|r| r.0.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> CountryCode {
        CountryCode::new(s).unwrap()
    }

    fn place(set: &Regions, c: &str) -> Option<(String, String)> {
        set.place(code(c))
            .map(|p| (p.region.to_string(), p.subregion.to_string()))
    }

    fn pair(r: &str, s: &str) -> Option<(String, String)> {
        Some((r.to_string(), s.to_string()))
    }

    fn table(name: &str, parent: Option<&str>, countries: &[&str]) -> RawRegion {
        RawRegion {
            name: name.into(),
            parent: parent.map(Into::into),
            countries: countries.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn m49_is_the_un_grouping() {
        let m49 = Regions::m49();
        assert_eq!(place(&m49, "TR"), pair("Asia", "Western Asia"));
        assert_eq!(place(&m49, "PL"), pair("Europe", "Eastern Europe"));
        assert_eq!(place(&m49, "AQ"), None, "Antarctica is under Other");
        let names: Vec<&str> = m49.names().collect();
        assert_eq!(names, ["Africa", "Americas", "Asia", "Europe", "Oceania"]);
        // Sub-regions by name.
        assert!(
            m49.subregion_position("Africa", "Eastern Africa")
                < m49.subregion_position("Africa", "Western Africa")
        );
    }

    #[test]
    fn defense_desk_puts_turkey_and_the_gulf_in_the_middle_east() {
        let desk = Regions::preset("defense-desk").expect("the preset loads");
        let mena = "Middle East & North Africa";
        assert_eq!(place(&desk, "TR"), pair(mena, "Turkey & Iran"));
        assert_eq!(place(&desk, "SA"), pair(mena, "Gulf & Arabian Peninsula"));
        assert_eq!(place(&desk, "AE"), pair(mena, "Gulf & Arabian Peninsula"));
        assert_eq!(place(&desk, "LB"), pair(mena, "Levant & Iraq"));
        assert_eq!(place(&desk, "EG"), pair(mena, "North Africa"));
        assert_eq!(
            place(&desk, "RU"),
            pair("Russia & Eurasia", "Russia & Belarus")
        );
        assert_eq!(place(&desk, "JP"), pair("Indo-Pacific", "Northeast Asia"));
        assert_eq!(
            place(&desk, "NG"),
            pair("Sub-Saharan Africa", "West Africa & Sahel")
        );
        let names: Vec<&str> = desk.names().collect();
        assert_eq!(
            names,
            [
                mena,
                "Europe",
                "Russia & Eurasia",
                "Indo-Pacific",
                "Americas",
                "Sub-Saharan Africa"
            ]
        );
        // Every country but four uninhabited or polar areas has a region.
        let unplaced: Vec<&str> = super::super::all()
            .map(|(c, _)| c)
            .filter(|c| desk.place(code(c)).is_none())
            .collect();
        assert_eq!(unplaced, ["AQ", "BV", "HM", "TF"]);
        for p in PRESETS {
            assert!(Regions::preset(p).is_some(), "{p}");
        }
        assert!(Regions::preset("narnia").is_none());
    }

    #[test]
    fn a_site_defines_its_own_regions_with_nesting() {
        let set = Regions::from_tables(&[
            table("Home", None, &["PL"]),
            table("Neighbours", Some("Home"), &["DE", "cz"]),
            table("Far", None, &[]),
            table("Pacific", Some("Far"), &["JP", "AU"]),
        ])
        .unwrap();
        assert_eq!(place(&set, "PL"), pair("Home", "Home"));
        assert_eq!(place(&set, "CZ"), pair("Home", "Neighbours"));
        assert_eq!(place(&set, "AU"), pair("Far", "Pacific"));
        assert_eq!(place(&set, "RU"), None);
        assert_eq!(set.names().collect::<Vec<_>>(), ["Home", "Far"]);
        assert!(
            set.subregion_position("Home", "Home") < set.subregion_position("Home", "Neighbours")
        );
    }

    #[test]
    fn every_problem_of_the_tables_is_reported_at_once() {
        let errs = Regions::from_tables(&[
            table("A", None, &["PL", "Narnia"]),
            table("B", Some("A"), &["PL"]),
            table("C", Some("B"), &["FR"]),
            table("D", Some("Atlantis"), &["DE"]),
            table("E", None, &[]),
            table("A", None, &["IT"]),
            table("", None, &["ES"]),
            table("a", None, &["PT"]),
        ])
        .unwrap_err();
        let all: Vec<String> = errs.into_iter().map(|e| e.1).collect();
        let all = all.join("\n");
        for needle in [
            "\"Narnia\" is not an ISO 3166-1 alpha-2 country code",
            "PL is already in \"A\"",
            "parent \"B\" is itself a sub-region",
            "parent \"Atlantis\" is not a region defined here",
            "\"E\" has no countries",
            "\"A\" is defined twice",
            "needs a name",
            "give the same page",
        ] {
            assert!(all.contains(needle), "{needle}: {all}");
        }
    }
}

//! Regions: the UN M49 regions and sub-regions of countries, from
//! `data/regions.tsv`, and the sets of regions a site groups its countries
//! by ([`sets`]: M49, a preset, or the site's own).
//!
//! The region is the M49 region (Africa, Americas, Asia, Europe, Oceania,
//! and Antarctica of milbrief's own); the sub-region is the M49 sub-region,
//! or the intermediate region inside Sub-Saharan Africa and Latin America
//! and the Caribbean ("Eastern Africa", "South America"). The data file's
//! header says where the figures come from.

mod sets;

use std::collections::HashMap;
use std::sync::LazyLock;

pub use sets::{PRESETS, RawRegion, Regions};

const DATA: &str = include_str!("../../data/regions.tsv");

/// The regions and their sub-regions, in display order.
#[cfg(test)]
const ORDER: &[(&str, &[&str])] = &[
    (
        "Africa",
        &[
            "Northern Africa",
            "Western Africa",
            "Middle Africa",
            "Eastern Africa",
            "Southern Africa",
        ],
    ),
    (
        "Americas",
        &[
            "Northern America",
            "Central America",
            "Caribbean",
            "South America",
        ],
    ),
    (
        "Asia",
        &[
            "Central Asia",
            "Eastern Asia",
            "South-eastern Asia",
            "Southern Asia",
            "Western Asia",
        ],
    ),
    (
        "Europe",
        &[
            "Eastern Europe",
            "Northern Europe",
            "Southern Europe",
            "Western Europe",
        ],
    ),
    (
        "Oceania",
        &[
            "Australia and New Zealand",
            "Melanesia",
            "Micronesia",
            "Polynesia",
        ],
    ),
    ("Antarctica", &["Antarctica"]),
];

/// Where a country is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Region {
    /// M49 region, e.g. "Asia".
    pub region: &'static str,
    /// M49 sub-region (or intermediate region), e.g. "Southern Asia".
    pub subregion: &'static str,
}

struct Table {
    /// (alpha-2, M49 number if any, region), sorted by alpha-2.
    rows: Vec<(&'static str, Option<&'static str>, Region)>,
    by_code: HashMap<&'static str, usize>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| parse(DATA));

/// Parses the data file. It is checked in and its tests run on every
/// build, so a malformed line is a bug: it panics, naming the line.
fn parse(data: &'static str) -> Table {
    let mut rows = Vec::new();
    for (n, line) in data.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&'static str> = line.split('\t').collect();
        let [code, m49, region, subregion] = f[..] else {
            panic!("data/regions.tsv:{}: expected 4 fields", n + 1);
        };
        assert!(
            code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()),
            "data/regions.tsv:{}: bad code {code:?}",
            n + 1
        );
        let m49 = (m49 != "-").then_some(m49);
        rows.push((code, m49, Region { region, subregion }));
    }
    rows.sort_by_key(|r| r.0);
    let by_code = rows.iter().enumerate().map(|(i, r)| (r.0, i)).collect();
    Table { rows, by_code }
}

fn row(alpha2: &str) -> Option<&'static (&'static str, Option<&'static str>, Region)> {
    if alpha2.len() != 2 {
        return None;
    }
    let key = alpha2.to_ascii_uppercase();
    TABLE.by_code.get(key.as_str()).map(|&i| &TABLE.rows[i])
}

/// The region of an ISO 3166-1 alpha-2 code (any case); `None` for a code
/// the file does not list.
pub fn region_of(alpha2: &str) -> Option<Region> {
    row(alpha2).map(|r| r.2)
}

#[cfg(test)]
/// The UN M49 numeric code of a country, e.g. "586" for "PK"; `None` for
/// an unknown code and for Kosovo, which M49 does not list.
pub fn m49_of(alpha2: &str) -> Option<&'static str> {
    row(alpha2).and_then(|r| r.1)
}

/// Every listed alpha-2 code with its M49 region, sorted by code.
fn all() -> impl Iterator<Item = (&'static str, Region)> {
    TABLE.rows.iter().map(|r| (r.0, r.2))
}

#[cfg(test)]
/// Every listed alpha-2 code with its region, sorted by code.
pub fn countries() -> impl Iterator<Item = (&'static str, Region)> {
    all()
}

#[cfg(test)]
/// The alpha-2 codes of a sub-region, sorted; empty for an unknown name.
pub fn members(subregion: &str) -> Vec<&'static str> {
    countries()
        .filter(|(_, r)| r.subregion == subregion)
        .map(|(c, _)| c)
        .collect()
}

#[cfg(test)]
/// Regions with their sub-regions, both in display order.
pub fn regions() -> &'static [(&'static str, &'static [&'static str])] {
    ORDER
}

/// The URL slug of a region or sub-region name: "Southern Asia" →
/// "southern-asia", "South-eastern Asia" → "south-eastern-asia".
pub fn slug(name: &str) -> String {
    slug::slugify(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn r(region: &'static str, subregion: &'static str) -> Option<Region> {
        Some(Region { region, subregion })
    }

    #[test]
    fn known_countries() {
        assert_eq!(region_of("PK"), r("Asia", "Southern Asia"));
        assert_eq!(region_of("RU"), r("Europe", "Eastern Europe"));
        assert_eq!(region_of("US"), r("Americas", "Northern America"));
        assert_eq!(region_of("TW"), r("Asia", "Eastern Asia"));
        assert_eq!(region_of("XK"), r("Europe", "Southern Europe"));
        assert_eq!(region_of("SS"), r("Africa", "Eastern Africa"));
        assert_eq!(region_of("NG"), r("Africa", "Western Africa"));
        assert_eq!(region_of("MX"), r("Americas", "Central America"));
        assert_eq!(region_of("BR"), r("Americas", "South America"));
        assert_eq!(region_of("CU"), r("Americas", "Caribbean"));
        assert_eq!(region_of("TR"), r("Asia", "Western Asia"));
        assert_eq!(region_of("VN"), r("Asia", "South-eastern Asia"));
        assert_eq!(region_of("AU"), r("Oceania", "Australia and New Zealand"));
        assert_eq!(m49_of("PK"), Some("586"));
        assert_eq!(m49_of("AF"), Some("004"));
        assert_eq!(m49_of("XK"), None);
    }

    #[test]
    fn lookup_ignores_case() {
        assert_eq!(region_of("pk"), region_of("PK"));
        assert_eq!(region_of("Ru"), region_of("RU"));
        assert!(region_of("gb").is_some());
    }

    #[test]
    fn unknown_codes_have_no_region() {
        for code in ["", "P", "PAK", "ZZ", "QQ", "p1", "ÅÅ", "  "] {
            assert_eq!(region_of(code), None, "{code:?}");
        }
        assert_eq!(m49_of("ZZ"), None);
    }

    #[test]
    fn every_keshvar_country_has_a_region() {
        let mut n = 0;
        for c in keshvar::CountryIterator::new() {
            let code = c.alpha2().to_string();
            assert!(region_of(&code).is_some(), "{code} has no region");
            assert_eq!(m49_of(&code), Some(c.number()), "{code}");
            n += 1;
        }
        assert!(n >= 249, "{n}");
        // Every line is a keshvar country, or Kosovo.
        let known: HashSet<String> = keshvar::CountryIterator::new()
            .map(|c| c.alpha2().to_string())
            .collect();
        for (code, _) in countries() {
            assert!(known.contains(code) || code == "XK", "{code}");
        }
    }

    #[test]
    fn file_and_display_order_agree() {
        let listed: HashSet<(&str, &str)> = ORDER
            .iter()
            .flat_map(|(r, subs)| subs.iter().map(move |s| (*r, *s)))
            .collect();
        let used: HashSet<(&str, &str)> =
            countries().map(|(_, r)| (r.region, r.subregion)).collect();
        assert_eq!(listed, used);
        // No sub-region name is used under two regions.
        let subs: HashSet<&str> = listed.iter().map(|p| p.1).collect();
        assert_eq!(subs.len(), listed.len());
        assert_eq!(regions()[0].0, "Africa");
    }

    #[test]
    fn codes_are_unique_and_sorted() {
        let codes: Vec<&str> = countries().map(|c| c.0).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn members_of_a_subregion() {
        let south = members("Southern Asia");
        for c in ["AF", "BD", "BT", "IN", "IR", "LK", "MV", "NP", "PK"] {
            assert!(south.contains(&c), "{c}");
        }
        assert_eq!(south.len(), 9);
        assert!(members("Atlantis").is_empty());
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Southern Asia"), "southern-asia");
        assert_eq!(slug("South-eastern Asia"), "south-eastern-asia");
        assert_eq!(
            slug("Australia and New Zealand"),
            "australia-and-new-zealand"
        );
        assert_eq!(slug("Americas"), "americas");
        // Slugs tell every region and sub-region apart.
        let mut all: Vec<String> = ORDER
            .iter()
            .flat_map(|(r, subs)| std::iter::once(r).chain(subs.iter()))
            .map(|n| slug(n))
            .collect();
        all.sort();
        let n = all.len();
        all.dedup();
        // "Antarctica" is both a region and its only sub-region.
        assert_eq!(all.len(), n - 1);
    }
}

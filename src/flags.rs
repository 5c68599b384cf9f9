//! Country flags as small SVG files, from `data/flags.tsv` (made by
//! `scripts/make-flags.py` from a pinned, checksummed release of the
//! `country-flag-icons` package; the file's header carries its licence).
//!
//! The flags are embedded in the binary; a build writes only those of the
//! countries its site shows (see the `Flag` page kind), and pages show
//! them as `<img>` elements, so they do not depend on an emoji font.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::model::CountryCode;

const DATA: &str = include_str!("../data/flags.tsv");

static FLAGS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    DATA.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .collect()
});

/// The SVG of a country's flag, if milbrief has one.
pub fn svg(c: CountryCode) -> Option<&'static str> {
    FLAGS.get(c.as_str()).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_with_a_region_has_a_flag() {
        let data = include_str!("../data/regions.tsv");
        for line in data
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let code = line.split('\t').next().unwrap();
            let c = CountryCode::new(code).unwrap();
            assert!(svg(c).is_some(), "no flag for {code}");
        }
    }

    #[test]
    fn flags_are_single_svg_documents() {
        for (code, s) in FLAGS.iter() {
            assert!(CountryCode::new(code).is_some(), "{code}");
            assert!(s.starts_with("<svg "), "{code}");
            assert!(
                s.contains(" xmlns=\"http://www.w3.org/2000/svg\""),
                "{code}"
            );
            assert!(s.ends_with("</svg>"), "{code}");
            assert!((aspect(s) - 1.5).abs() < 0.01, "{code}: not 3:2");
            assert!(!s.to_ascii_lowercase().contains("<script"), "{code}");
        }
        assert_eq!(svg(CountryCode::new("zz").unwrap()), None);
    }

    /// Width over height of an SVG's `viewBox`.
    fn aspect(s: &str) -> f64 {
        let v = s
            .split("viewBox=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let n: Vec<f64> = v.split(' ').map(|x| x.parse().unwrap()).collect();
        n[2] / n[3]
    }
}

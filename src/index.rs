//! The index stage: articles sorted newest first, grouped by country, topic
//! and month, with related articles.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::model::{Article, CountryCode};
use crate::tag::Tagger;

/// How many neighbours in each tag list are considered for "related".
const RELATED_WINDOW: usize = 150;

pub struct Site {
    pub config: Config,
    pub tagger: Tagger,
    /// Newest first; undated articles last.
    pub articles: Vec<Arc<Article>>,
    pub by_country: BTreeMap<CountryCode, Vec<usize>>,
    pub by_topic: BTreeMap<String, Vec<usize>>,
    /// (year, month) → articles, keys ascending.
    pub by_month: BTreeMap<(i16, i8), Vec<usize>>,
    /// Related articles of each article, best first.
    pub related: Vec<Vec<usize>>,
}

/// Sorts and indexes tagged articles.
pub fn index(config: Config, tagger: Tagger, mut articles: Vec<Arc<Article>>) -> Site {
    articles.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut by_country: BTreeMap<CountryCode, Vec<usize>> = BTreeMap::new();
    let mut by_topic: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut by_month: BTreeMap<(i16, i8), Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        for c in &a.countries {
            by_country.entry(*c).or_default().push(i);
        }
        for t in &a.topics {
            by_topic.entry(t.clone()).or_default().push(i);
        }
        if let Some(d) = a.date {
            by_month.entry((d.year(), d.month())).or_default().push(i);
        }
    }
    let related = related_all(&articles, &by_country, &by_topic, config.related);
    Site {
        config,
        tagger,
        articles,
        by_country,
        by_topic,
        by_month,
        related,
    }
}

/// For each article, the articles sharing most tags with it (a shared
/// country counts 2, a shared topic 1, a shared country pair 2 more),
/// nearer in time first on ties. Only neighbours within a window of each
/// tag list are scored, which keeps this linear in the number of articles.
fn related_all(
    articles: &[Arc<Article>],
    by_country: &BTreeMap<CountryCode, Vec<usize>>,
    by_topic: &BTreeMap<String, Vec<usize>>,
    n: usize,
) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new(); articles.len()];
    }
    (0..articles.len())
        .into_par_iter()
        .map(|i| {
            let a = &articles[i];
            let mut score: HashMap<usize, u32> = HashMap::new();
            let mut add = |list: &Vec<usize>, w: u32| {
                let pos = list.binary_search(&i).unwrap_or_else(|p| p);
                let lo = pos.saturating_sub(RELATED_WINDOW);
                let hi = (pos + RELATED_WINDOW + 1).min(list.len());
                for &j in &list[lo..hi] {
                    if j != i {
                        *score.entry(j).or_default() += w;
                    }
                }
            };
            for c in &a.countries {
                add(&by_country[c], 2);
            }
            for t in &a.topics {
                add(&by_topic[t], 1);
            }
            let mut v: Vec<(usize, u32)> = score.into_iter().collect();
            v.sort_by(|x, y| {
                y.1.cmp(&x.1)
                    .then_with(|| x.0.abs_diff(i).cmp(&y.0.abs_diff(i)))
                    .then_with(|| x.0.cmp(&y.0))
            });
            v.into_iter()
                .filter(|(_, s)| *s >= 2)
                .take(n)
                .map(|(j, _)| j)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(slug: &str, day: i8, countries: &[&str], topics: &[&str]) -> Article {
        let mut a = Article::blank(slug);
        a.date = Some(jiff::civil::date(2023, 10, day));
        a.countries = countries
            .iter()
            .map(|c| CountryCode::new(c).unwrap())
            .collect();
        a.topics = topics.iter().map(|t| t.to_string()).collect();
        a
    }

    #[test]
    fn sorts_groups_and_relates() {
        let config = Config::default();
        let tagger = Tagger::new(&config).unwrap();
        let site = index(
            config,
            tagger,
            vec![
                art("old", 1, &["PK", "RU"], &["arms-trade"]),
                art("new", 20, &["PK", "RU"], &["military-exercises"]),
                art("mid", 10, &["FR"], &["arms-trade"]),
                art("other", 11, &["PK"], &["arms-trade"]),
            ]
            .into_iter()
            .map(Arc::new)
            .collect(),
        );
        let slugs: Vec<_> = site.articles.iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(slugs, ["new", "other", "mid", "old"]);
        let pk = CountryCode::new("PK").unwrap();
        assert_eq!(site.by_country[&pk], vec![0, 1, 3]);
        assert_eq!(site.by_topic["arms-trade"], vec![1, 2, 3]);
        assert_eq!(site.by_month[&(2023, 10)].len(), 4);
        // "old" shares PK+RU with "new" (4) and PK+arms-trade with "other" (3).
        assert_eq!(site.related[3], vec![0, 1]);
    }
}

//! The clustering's own evaluation: a fixture of written stories (copies,
//! re-sends, updates, several outlets on one event, different events on
//! one day in one country, one event again a week later), scored by the
//! precision and recall of the pairs of articles put together.

use std::sync::Arc;

use super::*;
use crate::model::CountryCode;

/// (gold story, slug, day of October 2023, countries, headline, lead)
type Row = (
    &'static str,
    &'static str,
    i8,
    &'static [&'static str],
    &'static str,
    &'static str,
);

const FRIGATES: &str = "The Pakistan Navy commissioned two new frigates at Karachi on Monday, officials said, adding that the ships would patrol the Arabian Sea and escort merchant convoys through the busy sea lanes near the Strait of Hormuz.";

const FIXTURE: &[Row] = &[
    (
        "frigates",
        "frigates",
        2,
        &["PK"],
        "Pakistan Navy commissions two frigates at Karachi",
        FRIGATES,
    ),
    // The wire sends it again, word for word, under a new file.
    (
        "frigates",
        "frigates-resend",
        2,
        &["PK"],
        "Pakistan Navy commissions two frigates at Karachi",
        FRIGATES,
    ),
    // An update: the lead reworded in places, a detail added.
    (
        "frigates",
        "frigates-update",
        3,
        &["PK", "CN"],
        "UPDATE 1-Pakistan Navy commissions two Chinese-built frigates at Karachi",
        "The Pakistan Navy commissioned two new Chinese-built frigates at Karachi on Monday, officials said, adding that the ships would patrol the Arabian Sea and escort merchant convoys through the busy sea lanes near the Strait of Hormuz.",
    ),
    // Another outlet on the same event, in its own words.
    (
        "frigates",
        "karachi-warships",
        3,
        &["PK"],
        "Two frigates join Pakistan Navy fleet at Karachi ceremony",
        "Two frigates built in China joined the Pakistan Navy fleet at a ceremony in Karachi, where the navy chief said the ships would patrol the Arabian Sea.",
    ),
    // Same day, same country, another event.
    (
        "missile",
        "missile-test",
        2,
        &["PK"],
        "Pakistan test-fires nuclear-capable ballistic missile",
        "Pakistan carried out a training launch of a surface-to-surface ballistic missile able to carry nuclear warheads, the military's media wing said on Monday.",
    ),
    (
        "missile",
        "missile-test-2",
        2,
        &["PK"],
        "Pakistan test fires ballistic missile capable of carrying nuclear warheads",
        "Pakistan's military said on Monday it had carried out a training launch of a nuclear-capable surface-to-surface ballistic missile into the Arabian Sea.",
    ),
    (
        "budget",
        "budget-vote",
        4,
        &["FR"],
        "French parliament approves defence budget increase",
        "France's National Assembly approved next year's defence budget on Wednesday, raising spending on air defence, ammunition stocks and the training of reservists.",
    ),
    (
        "budget",
        "budget-vote-2",
        5,
        &["FR"],
        "French lawmakers approve larger defence budget",
        "Lawmakers in France's National Assembly approved a larger defence budget, with more spending on air defence and ammunition, after a long debate.",
    ),
    // Same country, same week, a different story.
    (
        "rafale",
        "rafale-export",
        5,
        &["FR", "IN"],
        "India signs deal for 26 Rafale Marine fighters",
        "India signed a contract with France's Dassault Aviation for 26 Rafale Marine carrier-based fighters to fly from its aircraft carrier Vikrant.",
    ),
    (
        "drones",
        "drone-attack",
        6,
        &["UA", "RU"],
        "Russia launches overnight drone attack on Odesa port",
        "Russian forces launched dozens of attack drones at the port of Odesa overnight, damaging grain silos and a warehouse, Ukraine's air force said.",
    ),
    (
        "drones",
        "drone-attack-update",
        7,
        &["UA", "RU"],
        "UPDATE 2-Russia's overnight drone attack on Odesa port damages grain silos",
        "Russian forces launched dozens of attack drones at the port of Odesa overnight, damaging grain silos, a warehouse and a port crane, Ukraine's air force said on Saturday.",
    ),
    (
        "drones-air",
        "air-defence",
        6,
        &["UA"],
        "Ukraine receives new air defence systems from Germany",
        "Ukraine received a further IRIS-T air defence system from Germany, the defence minister said, thanking Berlin for its continued support.",
    ),
    (
        "subs",
        "aukus-subs",
        8,
        &["AU", "US", "GB"],
        "Australia to buy US Virginia-class submarines under AUKUS",
        "Australia will buy at least three US Virginia-class nuclear-powered submarines in the 2030s under the AUKUS pact, the three leaders announced.",
    ),
    (
        "subs",
        "aukus-subs-2",
        9,
        &["AU", "US"],
        "AUKUS leaders unveil plan for Australia's nuclear-powered submarines",
        "The leaders of Australia, Britain and the United States unveiled a plan for Australia to buy Virginia-class nuclear-powered submarines from the United States.",
    ),
    (
        "tanks",
        "arjun-order",
        9,
        &["IN"],
        "Indian army orders 118 Arjun tanks",
        "India's defence ministry placed an order for 118 Arjun main battle tanks with the state-owned Heavy Vehicles Factory.",
    ),
    // The frigates again, a week and more later: another event.
    (
        "frigates-2",
        "frigates-second-batch",
        16,
        &["PK"],
        "Pakistan Navy commissions two more frigates at Karachi",
        "The Pakistan Navy commissioned two more frigates at Karachi on Monday, completing the order of four ships, officials said.",
    ),
    // Formula results of two companies, about no country: alike in form,
    // not one event.
    (
        "earn-a",
        "acme-results",
        10,
        &[],
        "Acme Widgets Inc 4th qtr loss",
        "Shr loss 40 cts vs loss 10 cts, net loss 2,136,000 vs loss 467,000, revs 21.9 mln vs 12.9 mln.",
    ),
    (
        "earn-b",
        "birch-results",
        10,
        &[],
        "Birch Timber Corp 4th qtr loss",
        "Shr loss 35 cts vs loss 25 cts, net loss 4,100,000 vs loss 2,900,000, revs 61.2 mln vs 50.4 mln.",
    ),
    (
        "exercise",
        "exercise-norway",
        16,
        &["NO"],
        "NATO allies begin Arctic exercise in northern Norway",
        "Some 20,000 troops from NATO allies began a cold-weather exercise in northern Norway, training to defend the alliance's northern flank.",
    ),
];

fn articles(rows: &[Row]) -> Vec<Arc<Article>> {
    rows.iter()
        .map(|&(_, slug, day, cs, title, lead)| {
            let mut a = Article::blank(slug);
            a.date = Some(jiff::civil::date(2023, 10, day));
            a.title = title.to_string();
            a.summary_text = lead.to_string();
            a.countries = cs.iter().filter_map(|c| CountryCode::new(c)).collect();
            Arc::new(a)
        })
        .collect()
}

/// Precision and recall of the pairs of articles put in one story.
fn pair_scores(rows: &[Row], s: &Stories) -> (f64, f64) {
    let (mut both, mut found, mut gold) = (0usize, 0usize, 0usize);
    for i in 0..rows.len() {
        for j in i + 1..rows.len() {
            let same_gold = rows[i].0 == rows[j].0;
            let same_found = s.of(i) == s.of(j);
            gold += usize::from(same_gold);
            found += usize::from(same_found);
            both += usize::from(same_gold && same_found);
        }
    }
    (
        both as f64 / found.max(1) as f64,
        both as f64 / gold.max(1) as f64,
    )
}

#[test]
fn the_fixture_clusters_into_its_stories() {
    let list = articles(FIXTURE);
    let s = Stories::cluster(&list, 3);
    let (precision, recall) = pair_scores(FIXTURE, &s);
    println!(
        "stories fixture: {} articles, {} stories, pair precision {precision:.2}, recall {recall:.2}",
        FIXTURE.len(),
        s.len()
    );
    for st in 0..s.len() {
        let slugs: Vec<&str> = s
            .members(st)
            .iter()
            .map(|&i| FIXTURE[i as usize].1)
            .collect();
        println!("  {slugs:?}");
    }
    assert!(precision >= 0.99, "precision {precision}");
    assert!(recall >= 0.8, "recall {recall}");
    // The lead is the earliest report (on one day without times, the
    // first by file name: `frigates-resend.md` sorts before
    // `frigates.md`); the other is explained as its copy.
    let f = s.of(0);
    assert_eq!(s.lead(f), 1);
    assert!(matches!(s.link(0).unwrap().why, Why::Copy { text } if text > 0.99));
    assert!(s.link(1).is_none());
    assert_eq!(s.members(f).len(), 4);
}

#[test]
#[allow(clippy::needless_range_loop)]
fn clustering_depends_on_neither_file_order_nor_runs() {
    let list = articles(FIXTURE);
    let a = Stories::cluster(&list, 3);
    let mut rev = FIXTURE.to_vec();
    rev.reverse();
    let b = Stories::cluster(&articles(&rev), 3);
    let n = FIXTURE.len();
    for i in 0..n {
        for j in 0..n {
            let same_a = a.of(i) == a.of(j);
            let same_b = b.of(n - 1 - i) == b.of(n - 1 - j);
            assert_eq!(same_a, same_b, "{} / {}", FIXTURE[i].1, FIXTURE[j].1);
        }
    }
    assert_eq!(Stories::cluster(&list, 3), a);
}

#[test]
fn a_newer_article_joins_or_starts_a_story_and_moves_nothing_else() {
    let all = articles(FIXTURE);
    // Every article but the newest, then all: the others keep their stories.
    let newest = all
        .iter()
        .enumerate()
        .max_by_key(|(_, a)| (a.date, a.slug.clone()))
        .unwrap()
        .0;
    let rest: Vec<Arc<Article>> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != newest)
        .map(|(_, a)| a.clone())
        .collect();
    let before = Stories::cluster(&rest, 3);
    let after = Stories::cluster(&all, 3);
    let pos = |k: usize| if k < newest { k } else { k + 1 };
    for i in 0..rest.len() {
        for j in 0..rest.len() {
            assert_eq!(
                before.of(i) == before.of(j),
                after.of(pos(i)) == after.of(pos(j))
            );
        }
    }
    assert_eq!(
        after.len(),
        before.len() + usize::from(after.is_lead(newest))
    );
}

#[test]
fn undated_articles_are_stories_of_their_own() {
    let mut rows = FIXTURE[..2].to_vec();
    rows.push(("x", "undated", 1, &["PK"], FIXTURE[0].4, FRIGATES));
    let mut list = articles(&rows);
    Arc::make_mut(&mut list[2]).date = None;
    let s = Stories::cluster(&list, 3);
    assert_eq!(s.len(), 2);
    assert!(s.is_lead(2));
    assert!(s.fits(3));
}

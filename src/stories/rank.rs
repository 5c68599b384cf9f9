//! How much a story matters to a defense editor: its relevance, how many
//! outlets and reports carry it, how many countries and topics it
//! touches, and how recent it is. Editions lead with the stories ranked
//! highest.
//!
//! Relevance enters through one function, [`relevance`]: the tagger's
//! score of the article; [`shown`] is where off-topic stories are kept
//! out of editions when the site hides them (the rule of
//! [`crate::index::hidden`]).

use std::collections::BTreeSet;
use std::sync::Arc;

use super::Stories;
use crate::config::Config;
use crate::model::Article;

/// The relevance (0..1) of an article to defense news: the tagger's.
pub fn relevance(a: &Article) -> f32 {
    a.relevance.clamp(0.0, 1.0) as f32
}

/// Whether the story led by `lead` may be shown in editions and on the
/// front page (an off-topic story is not, when the site hides them).
pub fn shown(lead: &Article, config: &Config) -> bool {
    !crate::index::hidden(lead, config)
}

/// The rank of story `s`, from `day` (the last day of the period it is
/// ranked in, as days since 1970): higher first. Deterministic, and cheap:
/// a pass over the story's articles.
pub fn rank(stories: &Stories, articles: &[Arc<Article>], s: usize, day: i32) -> f32 {
    let members = stories.members(s);
    let mut outlets: BTreeSet<&str> = BTreeSet::new();
    let mut countries = BTreeSet::new();
    let mut topics: BTreeSet<&str> = BTreeSet::new();
    let mut rel: f32 = 0.0;
    let mut newest = i32::MIN;
    for &i in members {
        let a = &articles[i as usize];
        outlets.insert(a.source.as_deref().unwrap_or(""));
        countries.extend(a.countries.iter().copied());
        topics.extend(a.topics.iter().map(String::as_str));
        rel = rel.max(relevance(a));
        if let Some(d) = a.date {
            newest = newest.max(super::features::day_of(d));
        }
    }
    let ln = |n: usize| (1.0 + n as f32).ln();
    let weight = 1.0
        + ln(members.len())
        + 0.8 * ln(outlets.len().saturating_sub(1))
        + 0.25 * countries.len().min(4) as f32
        + 0.15 * topics.len().min(3) as f32;
    // A story of the period's last days counts a little more.
    let age = day.saturating_sub(newest).clamp(0, 14) as f32;
    let recency = 1.0 / (1.0 + 0.05 * age);
    // A story about no country is hard to place and rarely the lead.
    let placed = if countries.is_empty() { 0.6 } else { 1.0 };
    rel * weight * recency * placed
}

/// The stories led by `leads`, highest rank first (ties: the newer lead).
pub fn by_rank(
    stories: &Stories,
    articles: &[Arc<Article>],
    leads: &[usize],
    day: i32,
) -> Vec<(f32, usize)> {
    let mut ranked: Vec<(f32, usize)> = leads
        .iter()
        .map(|&i| (rank(stories, articles, stories.of(i), day), i))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked
}

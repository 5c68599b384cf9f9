//! `unknown-source`: an article whose `source` names no known outlet
//! (neither `data/sources.toml` nor a `[[source]]` of config.toml), with
//! the nearest known name as a suggestion.

use std::path::PathBuf;

use crate::model::Article;
use crate::sources::Sources;

/// `(article, message)` for each article whose `source` is not known.
pub fn unknown<'a>(
    articles: impl IntoIterator<Item = &'a Article>,
    sources: &Sources,
) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for a in articles {
        let Some(name) = a.source.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
            continue;
        };
        if sources.by_name(name).is_some() {
            continue;
        }
        let hint = match (
            a.url.as_deref().and_then(|u| sources.by_url(u)),
            sources.nearest(name),
        ) {
            (Some(s), _) => format!(
                "; its URL is on {}'s site: did you mean {:?}?",
                s.name, s.name
            ),
            (None, Some(s)) => format!("; did you mean {:?}?", s.name),
            (None, None) => String::new(),
        };
        out.push((
            a.source_path.clone(),
            format!(
                "source {name:?} is not a known outlet{hint} (add it as a [[source]] in config.toml to make it known)"
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_get_a_suggestion() {
        let s = Sources::builtin();
        let mut a = Article::blank("a");
        a.source = Some("Reuter".into());
        let mut b = Article::blank("b");
        b.source = Some("reuters".into());
        let mut c = Article::blank("c");
        c.source = Some("Our Desk".into());
        c.url = Some("https://www.defensenews.com/x".into());
        let found = unknown(&[a, b, c], &s);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].1.contains("did you mean \"Reuters\""),
            "{}",
            found[0].1
        );
        assert!(found[1].1.contains("Defense News"), "{}", found[1].1);
    }
}

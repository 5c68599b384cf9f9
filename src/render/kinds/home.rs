//! The front page, articles' pages, the search page and the 404 page.

use super::{Changed, page_range, pages, position};
use crate::index::edition_start;
use crate::model::Unreadable;
use crate::render::Renderer;
use crate::render::cards::{Card, Cards, Ids, Whole};
use crate::render::digest::Edition;
use crate::render::fixed::{Document, Fixed};
use crate::render::page::{Kind, Made};
use crate::render::views::obj;
use crate::urls;
use tera::Value;

/// The front page and its further pages: every article, newest first.
pub(in crate::render) struct Front;

#[derive(Hash)]
pub(in crate::render) struct FrontInputs<'r> {
    page: usize,
    articles: usize,
    countries: usize,
    topics: usize,
    /// The latest edition, whose glance the first page shows.
    glance: Option<&'r Edition>,
    /// The latest edition's top stories, which the first page leads with.
    top: Cards<'r>,
    cards: Cards<'r>,
}

impl Kind for Front {
    type Key = usize;
    type Inputs<'r> = FrontInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<usize>) {
        out.extend(1..=pages(r, r.site.leads.len()));
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<usize>) -> Option<()> {
        let leads = &r.site.leads;
        out.extend(
            changed
                .ids()
                .filter_map(|i| position(leads, i))
                .map(|k| changed.page_of(k)),
        );
        // The first page shows the latest edition's top stories.
        out.push(1);
        Some(())
    }

    fn path(_: &Renderer<'_>, page: usize) -> String {
        urls::page_file(&urls::paged("", page))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, page: usize) -> FrontInputs<'r> {
        let s = r.site;
        let range = page_range(r, s.leads.len(), page);
        let glance = if page == 1 { r.latest_edition() } else { None };
        FrontInputs {
            page,
            articles: s.leads.len(),
            countries: s.by_country.len(),
            topics: s.by_topic.len(),
            glance,
            top: Cards::of(r, glance.map_or(&[][..], |e| &e.top[..])),
            cards: Cards::of(r, &s.leads[range]),
        }
    }

    fn make(f: &Fixed<'_>, i: FrontInputs<'_>) -> Result<Made, Unreadable> {
        let c = f.config;
        let title = if i.page > 1 {
            format!("{} — page {}", c.title, i.page)
        } else {
            c.title.clone()
        };
        let mut doc = Document::new("index.html", title, c.description.clone());
        let ctx = &mut doc.ctx;
        ctx.insert_value("days", i.cards.days());
        ctx.insert("pagination", &f.pagination("", i.page, i.articles));
        ctx.insert("article_count", &i.articles);
        ctx.insert("country_count", &i.countries);
        ctx.insert("topic_count", &i.topics);
        if let Some(e) = i.glance {
            ctx.insert_value("glance", e.glance.clone());
            ctx.insert_value("top", i.top.values());
        }
        Ok(Made::Page(doc))
    }
}

/// An article's page: the article whole, its neighbours and related
/// articles as cards.
pub(in crate::render) struct Article;

#[derive(Hash)]
pub(in crate::render) struct ArticleInputs<'r> {
    article: Whole<'r>,
    newer: Option<Card<'r>>,
    older: Option<Card<'r>>,
    related: Cards<'r>,
    /// The article's story: every report, and its lead when that is
    /// another article.
    story: Cards<'r>,
    lead: Option<Card<'r>>,
    /// The day of the story's lead: the story is in that day's edition.
    story_date: Option<jiff::civil::Date>,
}

impl Kind for Article {
    type Key = usize;
    type Inputs<'r> = ArticleInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<usize>) {
        out.extend(0..r.site.articles.len());
    }

    /// An article's page, its neighbours' (which link to it), and the
    /// pages that list it as related.
    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<usize>) -> Option<()> {
        let Some(last) = r.site.articles.len().checked_sub(1) else {
            return Some(());
        };
        if changed.is_empty() {
            return Some(());
        }
        for i in changed.ids() {
            out.extend([i.saturating_sub(1), i, (i + 1).min(last)]);
        }
        for (j, rel) in r.site.related.iter().enumerate() {
            if rel.iter().any(|&k| changed.contains(k)) {
                out.push(j);
            }
        }
        Some(())
    }

    fn path(r: &Renderer<'_>, i: usize) -> String {
        urls::page_file(&urls::article(&r.site.articles[i].slug))
    }

    fn lastmod(r: &Renderer<'_>, i: usize) -> Option<jiff::civil::Date> {
        r.site.articles[i].date
    }

    fn inputs<'r>(r: &'r Renderer<'_>, i: usize) -> ArticleInputs<'r> {
        let n = r.site.articles.len();
        let st = &r.site.stories;
        let s = st.of(i);
        ArticleInputs {
            article: Whole::new(r, i),
            newer: (i > 0).then(|| Card::new(r, i - 1)),
            older: (i + 1 < n).then(|| Card::new(r, i + 1)),
            related: Cards::of(r, &r.site.related[i]),
            story: Cards::new(r, Ids::Story(st.members(s))),
            lead: (st.lead(s) != i).then(|| Card::new(r, st.lead(s))),
            story_date: r.site.articles[st.lead(s)].date,
        }
    }

    fn make(f: &Fixed<'_>, i: ArticleInputs<'_>) -> Result<Made, Unreadable> {
        let a = i.article.get();
        let mut doc = Document::new("article.html", a.title.clone(), a.summary_text.clone());
        doc.og_type = "article";
        let ctx = &mut doc.ctx;
        ctx.insert("article", &f.article_view(a)?);
        if let Some(c) = i.newer {
            ctx.insert_value("newer", c.value());
        }
        if let Some(c) = i.older {
            ctx.insert_value("older", c.value());
        }
        ctx.insert_value("related", i.related.values());
        if i.story.len() > 1 {
            ctx.insert_value("story", i.story.values());
        }
        if let Some(c) = i.lead {
            ctx.insert_value("story_lead", c.value());
        }
        if let Some(d) = i.story_date.filter(|_| f.config.sections.editions) {
            let start = edition_start(d, f.config);
            ctx.insert_value(
                "edition",
                obj([
                    ("name", Value::from(urls::edition_name(start, f.config))),
                    ("path", Value::from(f.link(&urls::edition(start, f.config)))),
                ]),
            );
        }
        Ok(Made::Page(doc))
    }
}

/// The search page (its index is [`super::SearchIndex`]).
pub(in crate::render) struct Search;

impl Kind for Search {
    type Key = ();
    type Inputs<'r> = ();
    const IN_SITEMAP: bool = false;

    fn each(r: &Renderer<'_>, out: &mut Vec<()>) {
        if r.site.config.sections.search {
            out.push(());
        }
    }

    fn showing(_: &Renderer<'_>, _: &Changed, _: &mut Vec<()>) -> Option<()> {
        Some(())
    }

    fn path(_: &Renderer<'_>, _: ()) -> String {
        urls::page_file(urls::SEARCH)
    }

    fn inputs(_: &Renderer<'_>, _: ()) {}

    fn make(f: &Fixed<'_>, _: ()) -> Result<Made, Unreadable> {
        Ok(Made::Page(Document::new(
            "search.html",
            "Search".into(),
            format!("Search every article of {}", f.config.title),
        )))
    }
}

/// The page served for any path the site does not have.
pub(in crate::render) struct NotFound;

impl Kind for NotFound {
    type Key = ();
    type Inputs<'r> = ();
    const IN_SITEMAP: bool = false;

    fn each(_: &Renderer<'_>, out: &mut Vec<()>) {
        out.push(());
    }

    fn showing(_: &Renderer<'_>, _: &Changed, _: &mut Vec<()>) -> Option<()> {
        Some(())
    }

    fn path(_: &Renderer<'_>, _: ()) -> String {
        urls::NOT_FOUND.to_string()
    }

    fn inputs(_: &Renderer<'_>, _: ()) {}

    fn make(_: &Fixed<'_>, _: ()) -> Result<Made, Unreadable> {
        let mut doc = Document::new("404.html", "Page not found".into(), String::new());
        doc.anywhere = true;
        Ok(Made::Page(doc))
    }
}

//! The front page, articles' pages, the search page and the 404 page.

use super::{Changed, page_slice, pages, position};
use crate::index::{edition_start, hidden};
use crate::model::Unreadable;
use crate::render::Renderer;
use crate::render::cards::{Card, Cards, Ids, Whole};
use crate::render::digest::Edition;
use crate::render::fixed::{Document, Fixed};
use crate::render::page::{Kind, Made};
use crate::render::views::obj;
use crate::urls;
use tera::Value;

/// The front page and its further pages: every story by its lead, newest
/// first, but the off-topic ones when the site hides them (`Site::front`);
/// the first page leads with the latest edition's top stories.
pub(in crate::render) struct Front;

#[derive(Hash)]
pub(in crate::render) struct FrontInputs<'r> {
    page: usize,
    /// How many stories the front pages list, and the site has.
    listed: usize,
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
        out.extend(1..=pages(r, r.site.front.len()));
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<usize>) -> Option<()> {
        // A hidden story is on no front page (were it newly hidden, the
        // site's structure would have changed and every page be made).
        out.extend(
            changed
                .ids()
                .filter_map(|i| position(&r.site.front, i))
                .map(|pos| changed.page_of(pos)),
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
        let glance = if page == 1 { r.latest_edition() } else { None };
        FrontInputs {
            page,
            listed: s.front.len(),
            articles: s.leads.len(),
            countries: s.by_country.len(),
            topics: s.by_topic.len(),
            glance,
            top: Cards::of(r, glance.map_or(&[][..], |e| &e.top[..])),
            cards: Cards::new(r, Ids::List(page_slice(r, &s.front, page))),
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
        ctx.insert("pagination", &f.pagination("", i.page, i.listed));
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
    /// The day of the story's lead: the story is in that day's edition
    /// (none when the site keeps the story out of editions).
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

    fn lastmod(r: &Renderer<'_>, i: usize) -> Option<crate::model::When> {
        r.site.articles[i].when()
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
            story_date: Some(&r.site.articles[st.lead(s)])
                .filter(|l| !hidden(l, &r.site.config))
                .and_then(|l| l.date),
        }
    }

    fn make(f: &Fixed<'_>, i: ArticleInputs<'_>) -> Result<Made, Unreadable> {
        let a = i.article.get();
        let mut doc = Document::new("article.html", a.title.clone(), a.summary_text.clone());
        doc.og_type = "article";
        let ctx = &mut doc.ctx;
        ctx.insert("article", &f.article_view(a, i.article.outlet())?);
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
        // An article of a story the site keeps out of editions links to none.
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
        let about = "There is nothing at this address: the front page, the countries and the topics lead to every article.";
        let mut doc = Document::new("404.html", "Page not found".into(), about.into());
        doc.anywhere = true;
        Ok(Made::Page(doc))
    }
}

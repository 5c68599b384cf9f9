//! Sources: the index of the outlets the site's articles come from, by
//! kind, and each one's paged listing with what it covers.

use super::{Changed, SourceId, page_slice, paged, position};
use crate::model::Unreadable;
use crate::render::Renderer;
use crate::render::cards::Cards;
use crate::render::digest::Aggregate;
use crate::render::fixed::{Document, Fixed};
use crate::render::page::{Kind, Made};
use crate::sources::Outlet;
use crate::urls;

/// The sources index: every source with articles, grouped by kind.
pub(in crate::render) struct Sources;

#[derive(Hash)]
pub(in crate::render) struct SourcesInputs<'r> {
    aggr: &'r Aggregate,
}

impl Kind for Sources {
    type Key = ();
    type Inputs<'r> = SourcesInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<()>) {
        if r.site.config.sections.sources {
            out.push(());
        }
    }

    /// It shows names, kinds and counts: what the site's structure holds,
    /// so no edit of text changes it.
    fn showing(_: &Renderer<'_>, _: &Changed, _: &mut Vec<()>) -> Option<()> {
        Some(())
    }

    fn path(_: &Renderer<'_>, _: ()) -> String {
        urls::page_file(urls::SOURCES)
    }

    fn inputs<'r>(r: &'r Renderer<'_>, _: ()) -> SourcesInputs<'r> {
        SourcesInputs {
            aggr: r.sources_index_aggr(),
        }
    }

    fn make(f: &Fixed<'_>, i: SourcesInputs<'_>) -> Result<Made, Unreadable> {
        let mut doc = Document::new(
            "sources.html",
            "Sources".into(),
            format!(
                "The outlets {} draws on: wires, papers, broadcasters, trade press, governments",
                f.config.title
            ),
        );
        i.aggr.insert_into(&mut doc.ctx);
        Ok(Made::Page(doc))
    }
}

/// A source's listing, page by page.
pub(in crate::render) struct Source;

#[derive(Hash)]
pub(in crate::render) struct SourceInputs<'r> {
    outlet: &'r Outlet,
    page: usize,
    count: usize,
    aggr: Option<&'r Aggregate>,
    cards: Cards<'r>,
}

impl Kind for Source {
    type Key = (SourceId, usize);
    type Inputs<'r> = SourceInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<(SourceId, usize)>) {
        if r.site.config.sections.sources {
            let lists = r.site.outlets.articles.iter().enumerate();
            paged(r, lists.map(|(k, l)| (SourceId(k as u32), l.len())), out);
        }
    }

    fn showing(
        r: &Renderer<'_>,
        changed: &Changed,
        out: &mut Vec<(SourceId, usize)>,
    ) -> Option<()> {
        if !r.site.config.sections.sources {
            return Some(());
        }
        let outlets = &r.site.outlets;
        for i in changed.ids() {
            if let Some(k) = outlets.of.get(i)? {
                let pos = position(&outlets.articles[*k as usize], i)?;
                out.push((SourceId(*k), changed.page_of(pos)));
            }
        }
        Some(())
    }

    fn path(r: &Renderer<'_>, (id, page): (SourceId, usize)) -> String {
        let slug = r
            .site
            .outlets
            .list
            .get(id.0 as usize)
            .map(|o| o.slug.as_str());
        urls::page_file(&urls::paged(&urls::source(slug.unwrap_or_default()), page))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, (id, page): (SourceId, usize)) -> SourceInputs<'r> {
        let k = id.0 as usize;
        let list = &r.site.outlets.articles[k];
        SourceInputs {
            outlet: &r.site.outlets.list[k],
            page,
            count: list.len(),
            aggr: r.source_aggr(k),
            cards: Cards::of(r, page_slice(r, list, page)),
        }
    }

    fn make(f: &Fixed<'_>, i: SourceInputs<'_>) -> Result<Made, Unreadable> {
        let sref = f.source_ref(i.outlet);
        let base = urls::source(&i.outlet.slug);
        let description = match i.outlet.kind {
            Some(k) => format!("Defense news from {} ({})", sref.name, k.label()),
            None => format!("Defense news from {}", sref.name),
        };
        let mut doc = Document::new("source.html", i.outlet.name.clone(), description);
        doc.feed = f.tag_feed(f.feed_title(&i.outlet.name), &base);
        let ctx = &mut doc.ctx;
        ctx.insert("source", &sref);
        ctx.insert("count", &i.count);
        ctx.insert_value("days", i.cards.days());
        ctx.insert("pagination", &f.pagination(&base, i.page, i.count));
        if let Some(a) = i.aggr {
            a.insert_into(ctx);
        }
        Ok(Made::Page(doc))
    }
}

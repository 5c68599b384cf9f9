//! Countries together and by region: the relations index, each pair of
//! countries, each region.

use super::{Changed, CountryPair, page_slice, paged, position};
use crate::model::Unreadable;
use crate::render::Renderer;
use crate::render::cards::Cards;
use crate::render::digest::{Aggregate, Region as RegionView};
use crate::render::fixed::{Document, Fixed};
use crate::render::page::{Kind, Made};
use crate::urls;

/// The relations index: pairs of countries in the news together.
pub(in crate::render) struct Relations;

#[derive(Hash)]
pub(in crate::render) struct RelationsInputs<'r> {
    aggr: &'r Aggregate,
}

impl Kind for Relations {
    type Key = ();
    type Inputs<'r> = RelationsInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<()>) {
        if r.site.config.sections.relations {
            out.push(());
        }
    }

    fn showing(_: &Renderer<'_>, _: &Changed, _: &mut Vec<()>) -> Option<()> {
        Some(())
    }

    fn path(_: &Renderer<'_>, _: ()) -> String {
        urls::page_file(urls::RELATIONS)
    }

    fn inputs<'r>(r: &'r Renderer<'_>, _: ()) -> RelationsInputs<'r> {
        RelationsInputs {
            aggr: r.relations_index_aggr(),
        }
    }

    fn make(f: &Fixed<'_>, i: RelationsInputs<'_>) -> Result<Made, Unreadable> {
        let mut doc = Document::new(
            "relations.html",
            "Relations".into(),
            format!(
                "Pairs of countries in the news together in {}",
                f.config.title
            ),
        );
        i.aggr.insert_into(&mut doc.ctx);
        doc.ctx
            .insert("min_pair_articles", &f.config.min_pair_articles);
        Ok(Made::Page(doc))
    }
}

/// The articles about both countries of a pair, page by page.
pub(in crate::render) struct Pair;

#[derive(Hash)]
pub(in crate::render) struct PairInputs<'r> {
    pair: CountryPair,
    page: usize,
    count: usize,
    aggr: Option<&'r Aggregate>,
    cards: Cards<'r>,
}

/// The pairs of an article's countries, codes ascending.
pub(super) fn pairs_of(a: &crate::model::Article) -> impl Iterator<Item = CountryPair> + '_ {
    let cs = &a.countries;
    cs.iter().enumerate().flat_map(move |(k, x)| {
        cs[k + 1..]
            .iter()
            .map(move |y| if x < y { (*x, *y) } else { (*y, *x) })
    })
}

impl Kind for Pair {
    type Key = (CountryPair, usize);
    type Inputs<'r> = PairInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<(CountryPair, usize)>) {
        if r.site.config.sections.relations {
            paged(r, r.site.by_pair.iter().map(|(p, l)| (*p, l.len())), out);
        }
    }

    fn showing(
        r: &Renderer<'_>,
        changed: &Changed,
        out: &mut Vec<(CountryPair, usize)>,
    ) -> Option<()> {
        if !r.site.config.sections.relations {
            return Some(());
        }
        for (i, a) in changed.articles(r) {
            for key in pairs_of(a) {
                if let Some(list) = r.site.by_pair.get(&key) {
                    out.push((key, changed.page_of(position(list, i)?)));
                }
            }
        }
        Some(())
    }

    fn path(_: &Renderer<'_>, (pair, page): (CountryPair, usize)) -> String {
        urls::page_file(&urls::paged(&urls::pair(pair), page))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, (pair, page): (CountryPair, usize)) -> PairInputs<'r> {
        let list = r.site.by_pair.get(&pair).map_or(&[][..], Vec::as_slice);
        PairInputs {
            pair,
            page,
            count: list.len(),
            aggr: r.pair_aggr(pair),
            cards: Cards::of(r, page_slice(r, list, page)),
        }
    }

    fn make(f: &Fixed<'_>, i: PairInputs<'_>) -> Result<Made, Unreadable> {
        let (a, b) = (f.country_ref(i.pair.0), f.country_ref(i.pair.1));
        let base = urls::pair(i.pair);
        let mut doc = Document::new(
            "pair.html",
            format!("{} – {}", a.name, b.name),
            format!("Defense news about both {} and {}", a.name, b.name),
        );
        doc.feed = f.tag_feed(f.feed_title(&format!("{} – {}", a.name, b.name)), &base);
        let ctx = &mut doc.ctx;
        ctx.insert("a", &a);
        ctx.insert("b", &b);
        ctx.insert("count", &i.count);
        ctx.insert_value("days", i.cards.days());
        ctx.insert("pagination", &f.pagination(&base, i.page, i.count));
        if let Some(x) = i.aggr {
            x.insert_into(ctx);
        }
        Ok(Made::Page(doc))
    }
}

/// A region: its countries by sub-region, a chart, its latest articles.
pub(in crate::render) struct Region;

#[derive(Hash)]
pub(in crate::render) struct RegionInputs<'r> {
    region: &'r RegionView,
    latest: Cards<'r>,
}

impl Kind for Region {
    /// The region's position in the site's list of regions.
    type Key = usize;
    type Inputs<'r> = RegionInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<usize>) {
        if r.site.config.sections.regions {
            out.extend(0..r.regions_list().len());
        }
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<usize>) -> Option<()> {
        if r.site.config.sections.regions {
            for i in changed.ids() {
                for (k, region) in r.regions_list().iter().enumerate() {
                    if region.latest.contains(&i) {
                        out.push(k);
                    }
                }
            }
        }
        Some(())
    }

    fn path(r: &Renderer<'_>, k: usize) -> String {
        urls::page_file(&urls::region(&r.regions_list()[k].slug))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, k: usize) -> RegionInputs<'r> {
        let region = &r.regions_list()[k];
        RegionInputs {
            region,
            latest: Cards::of(r, &region.latest),
        }
    }

    fn make(_: &Fixed<'_>, i: RegionInputs<'_>) -> Result<Made, Unreadable> {
        let name = &i.region.name;
        let mut doc = Document::new(
            "region.html",
            name.to_string(),
            format!("Defense news from {name}, by country"),
        );
        i.region.aggr.insert_into(&mut doc.ctx);
        doc.ctx.insert_value("latest", i.latest.values());
        Ok(Made::Page(doc))
    }
}

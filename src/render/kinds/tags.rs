//! Countries and topics: their indexes, and each one's paged listing.

use tera::Value;

use super::{Changed, TopicId, page_slice, paged, position};
use crate::model::{CountryCode, Unreadable};
use crate::regions;
use crate::render::Renderer;
use crate::render::cards::Cards;
use crate::render::digest::Aggregate;
use crate::render::fixed::{Document, Fixed};
use crate::render::page::{Kind, Made};
use crate::render::views::obj;
use crate::urls;

/// The countries index: a map, a chart, the countries by region.
pub(in crate::render) struct Countries;

#[derive(Hash)]
pub(in crate::render) struct IndexInputs<'r> {
    aggr: &'r Aggregate,
}

impl Kind for Countries {
    type Key = ();
    type Inputs<'r> = IndexInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(_: &Renderer<'_>, out: &mut Vec<()>) {
        out.push(());
    }

    fn showing(_: &Renderer<'_>, _: &Changed, _: &mut Vec<()>) -> Option<()> {
        Some(())
    }

    fn path(_: &Renderer<'_>, _: ()) -> String {
        urls::page_file(urls::COUNTRIES)
    }

    fn inputs<'r>(r: &'r Renderer<'_>, _: ()) -> IndexInputs<'r> {
        IndexInputs {
            aggr: r.countries_index_aggr(),
        }
    }

    fn make(f: &Fixed<'_>, i: IndexInputs<'_>) -> Result<Made, Unreadable> {
        let mut doc = Document::new(
            "countries.html",
            "Countries".into(),
            format!("Coverage by country and region in {}", f.config.title),
        );
        i.aggr.insert_into(&mut doc.ctx);
        Ok(Made::Page(doc))
    }
}

/// A country's listing, page by page.
pub(in crate::render) struct Country;

#[derive(Hash)]
pub(in crate::render) struct CountryInputs<'r> {
    code: CountryCode,
    page: usize,
    count: usize,
    aggr: Option<&'r Aggregate>,
    cards: Cards<'r>,
}

impl Kind for Country {
    type Key = (CountryCode, usize);
    type Inputs<'r> = CountryInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<(CountryCode, usize)>) {
        paged(r, r.site.by_country.iter().map(|(c, l)| (*c, l.len())), out);
    }

    fn showing(
        r: &Renderer<'_>,
        changed: &Changed,
        out: &mut Vec<(CountryCode, usize)>,
    ) -> Option<()> {
        for (i, a) in changed.articles(r) {
            for c in &a.countries {
                let pos = position(r.site.by_country.get(c)?, i)?;
                out.push((*c, changed.page_of(pos)));
            }
        }
        Some(())
    }

    fn path(_: &Renderer<'_>, (c, page): (CountryCode, usize)) -> String {
        urls::page_file(&urls::paged(&urls::country(c), page))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, (code, page): (CountryCode, usize)) -> CountryInputs<'r> {
        let list = r.site.by_country.get(&code).map_or(&[][..], Vec::as_slice);
        CountryInputs {
            code,
            page,
            count: list.len(),
            aggr: r.country_aggr(code),
            cards: Cards::of(r, page_slice(r, list, page)),
        }
    }

    fn make(f: &Fixed<'_>, i: CountryInputs<'_>) -> Result<Made, Unreadable> {
        let cref = f.country_ref(i.code);
        let base = urls::country(i.code);
        let mut doc = Document::new(
            "country.html",
            cref.name.clone(),
            format!("Defense news about {}", cref.name),
        );
        doc.feed = f.tag_feed(f.feed_title(&cref.name), &base);
        let ctx = &mut doc.ctx;
        ctx.insert("country", &cref);
        ctx.insert("count", &i.count);
        ctx.insert_value("days", i.cards.days());
        ctx.insert("pagination", &f.pagination(&base, i.page, i.count));
        if let Some(a) = i.aggr {
            a.insert_into(ctx);
        }
        if let Some(r) = f.config.regions.place(i.code) {
            let path = if f.config.sections.regions {
                Value::from(f.link(&urls::region(&regions::slug(r.region))))
            } else {
                Value::none()
            };
            // A region's own countries are in a sub-region of its name.
            let sub = if r.subregion == r.region {
                Value::none()
            } else {
                Value::from(r.subregion)
            };
            ctx.insert_value(
                "region",
                obj([
                    ("name", Value::from(r.region)),
                    ("subregion", sub),
                    ("path", path),
                ]),
            );
        }
        Ok(Made::Page(doc))
    }
}

/// The topics index: every topic with articles, and a chart.
pub(in crate::render) struct Topics;

#[derive(Hash)]
pub(in crate::render) struct TopicsInputs<'r> {
    /// Each topic with articles, ascending, and how many it has.
    counts: Vec<(&'r str, usize)>,
    aggr: &'r Aggregate,
}

impl Kind for Topics {
    type Key = ();
    type Inputs<'r> = TopicsInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(_: &Renderer<'_>, out: &mut Vec<()>) {
        out.push(());
    }

    fn showing(_: &Renderer<'_>, _: &Changed, _: &mut Vec<()>) -> Option<()> {
        Some(())
    }

    fn path(_: &Renderer<'_>, _: ()) -> String {
        urls::page_file(urls::TOPICS)
    }

    fn inputs<'r>(r: &'r Renderer<'_>, _: ()) -> TopicsInputs<'r> {
        TopicsInputs {
            counts: r
                .site
                .by_topic
                .iter()
                .map(|(t, l)| (t.as_str(), l.len()))
                .collect(),
            aggr: r.topics_index_aggr(),
        }
    }

    fn make(f: &Fixed<'_>, i: TopicsInputs<'_>) -> Result<Made, Unreadable> {
        let count = |slug: &str| {
            i.counts
                .binary_search_by(|(t, _)| (*t).cmp(slug))
                .map_or(0, |k| i.counts[k].1)
        };
        let v: Vec<Value> = f
            .all_topics()
            .iter()
            .filter_map(|t| {
                let n = count(&t.slug);
                (n > 0).then(|| {
                    obj([
                        ("topic", Value::from_serializable(&f.topic_ref(&t.slug))),
                        ("description", Value::from(t.description.as_str())),
                        ("count", Value::from(n)),
                    ])
                })
            })
            .collect();
        let mut doc = Document::new(
            "topics.html",
            "Topics".into(),
            format!("Coverage by topic in {}", f.config.title),
        );
        doc.ctx.insert_value("topics", Value::from(v));
        i.aggr.insert_into(&mut doc.ctx);
        Ok(Made::Page(doc))
    }
}

/// A topic's listing, page by page.
pub(in crate::render) struct Topic;

#[derive(Hash)]
pub(in crate::render) struct TopicInputs<'r> {
    slug: &'r str,
    page: usize,
    count: usize,
    aggr: Option<&'r Aggregate>,
    cards: Cards<'r>,
}

impl Kind for Topic {
    type Key = (TopicId, usize);
    type Inputs<'r> = TopicInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<(TopicId, usize)>) {
        let ids = r.site.by_topic.values().enumerate();
        paged(r, ids.map(|(k, l)| (TopicId(k as u32), l.len())), out);
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<(TopicId, usize)>) -> Option<()> {
        for (i, a) in changed.articles(r) {
            for t in &a.topics {
                let pos = position(r.site.by_topic.get(t)?, i)?;
                out.push((r.topic_id(t)?, changed.page_of(pos)));
            }
        }
        Some(())
    }

    fn path(r: &Renderer<'_>, (id, page): (TopicId, usize)) -> String {
        urls::page_file(&urls::paged(&urls::topic(r.topic(id)), page))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, (id, page): (TopicId, usize)) -> TopicInputs<'r> {
        let slug = r.topic(id);
        let list = r.site.by_topic.get(slug).map_or(&[][..], Vec::as_slice);
        TopicInputs {
            slug,
            page,
            count: list.len(),
            aggr: r.topic_aggr(slug),
            cards: Cards::of(r, page_slice(r, list, page)),
        }
    }

    fn make(f: &Fixed<'_>, i: TopicInputs<'_>) -> Result<Made, Unreadable> {
        let tref = f.topic_ref(i.slug);
        let desc = f.topic_description(i.slug);
        let base = urls::topic(i.slug);
        let mut doc = Document::new("topic.html", tref.name.clone(), desc.clone());
        doc.feed = f.tag_feed(f.feed_title(&tref.name), &base);
        let ctx = &mut doc.ctx;
        ctx.insert("topic", &tref);
        ctx.insert("description", &desc);
        ctx.insert("count", &i.count);
        ctx.insert_value("days", i.cards.days());
        ctx.insert("pagination", &f.pagination(&base, i.page, i.count));
        if let Some(a) = i.aggr {
            a.insert_into(ctx);
        }
        Ok(Made::Page(doc))
    }
}

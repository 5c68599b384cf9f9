//! Articles by time: the archive and its months, the editions and each
//! edition.

use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Unbounded};

use jiff::civil::Date;
use tera::Value;

use super::Changed;
use crate::index::{edition_end, edition_start};
use crate::model::Unreadable;
use crate::render::Renderer;
use crate::render::cards::Cards;
use crate::render::digest::{Aggregate, Edition as EditionView, date_range};
use crate::render::fixed::{Document, FeedLink, Fixed};
use crate::render::page::{Kind, Made};
use crate::render::views::{month_name, obj};
use crate::urls;

/// The archive: every month, by year.
pub(in crate::render) struct Archive;

#[derive(Hash)]
pub(in crate::render) struct ArchiveInputs {
    /// Each month, ascending, and how many articles it has.
    months: Vec<((i16, i8), usize)>,
}

impl Kind for Archive {
    type Key = ();
    type Inputs<'r> = ArchiveInputs;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<()>) {
        if r.site.config.sections.archive {
            out.push(());
        }
    }

    fn showing(_: &Renderer<'_>, _: &Changed, _: &mut Vec<()>) -> Option<()> {
        Some(())
    }

    fn path(_: &Renderer<'_>, _: ()) -> String {
        urls::page_file(urls::ARCHIVE)
    }

    fn inputs(r: &Renderer<'_>, _: ()) -> ArchiveInputs {
        ArchiveInputs {
            months: r.site.by_month.iter().map(|(k, l)| (*k, l.len())).collect(),
        }
    }

    fn make(f: &Fixed<'_>, i: ArchiveInputs) -> Result<Made, Unreadable> {
        let mut by_year: BTreeMap<i16, Vec<Value>> = BTreeMap::new();
        for &((y, m), n) in i.months.iter().rev() {
            by_year.entry(y).or_default().push(obj([
                ("label", Value::from(month_name(m))),
                ("path", Value::from(f.link(&urls::month((y, m))))),
                ("count", Value::from(n)),
            ]));
        }
        let years: Vec<Value> = by_year
            .into_iter()
            .rev()
            .map(|(y, months)| {
                obj([
                    ("year", Value::from(i64::from(y))),
                    ("months", Value::from(months)),
                ])
            })
            .collect();
        let mut doc = Document::new(
            "archive.html",
            "Archive".into(),
            format!("Every month of {}", f.config.title),
        );
        doc.ctx.insert_value("years", Value::from(years));
        Ok(Made::Page(doc))
    }
}

/// A month of the archive: all its articles, on one page.
pub(in crate::render) struct Month;

#[derive(Hash)]
pub(in crate::render) struct MonthInputs<'r> {
    month: (i16, i8),
    prev: Option<(i16, i8)>,
    next: Option<(i16, i8)>,
    cards: Cards<'r>,
}

impl Kind for Month {
    type Key = (i16, i8);
    type Inputs<'r> = MonthInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<(i16, i8)>) {
        if r.site.config.sections.archive {
            out.extend(r.site.by_month.keys().copied());
        }
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<(i16, i8)>) -> Option<()> {
        if r.site.config.sections.archive {
            let dates = changed.articles(r).filter_map(|(_, a)| a.date);
            out.extend(dates.map(|d| (d.year(), d.month())));
        }
        Some(())
    }

    fn path(_: &Renderer<'_>, month: (i16, i8)) -> String {
        urls::page_file(&urls::month(month))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, month: (i16, i8)) -> MonthInputs<'r> {
        let by_month = &r.site.by_month;
        let list = by_month.get(&month).map_or(&[][..], Vec::as_slice);
        MonthInputs {
            month,
            prev: by_month.range(..month).next_back().map(|(k, _)| *k),
            next: by_month
                .range((Excluded(month), Unbounded))
                .next()
                .map(|(k, _)| *k),
            cards: Cards::of(r, list),
        }
    }

    fn make(f: &Fixed<'_>, i: MonthInputs<'_>) -> Result<Made, Unreadable> {
        let (y, m) = i.month;
        let label = format!("{} {y}", month_name(m));
        let link = |k: (i16, i8)| {
            obj([
                ("label", Value::from(format!("{} {}", month_name(k.1), k.0))),
                ("path", Value::from(f.link(&urls::month(k)))),
            ])
        };
        let mut doc = Document::new(
            "month.html",
            label.clone(),
            format!("Defense news of {label}"),
        );
        let ctx = &mut doc.ctx;
        ctx.insert("month", &label);
        ctx.insert("count", &i.cards.len());
        ctx.insert_value("days", i.cards.days());
        if let Some(k) = i.prev {
            ctx.insert_value("prev_month", link(k));
        }
        if let Some(k) = i.next {
            ctx.insert_value("next_month", link(k));
        }
        Ok(Made::Page(doc))
    }
}

/// The feed every edition page offers.
fn editions_feed(f: &Fixed<'_>) -> FeedLink {
    FeedLink {
        title: f.feed_title("Editions"),
        path: urls::feed(urls::EDITIONS),
    }
}

/// The editions index: every edition's glance, and a timeline.
pub(in crate::render) struct Editions;

#[derive(Hash)]
pub(in crate::render) struct EditionsInputs<'r> {
    aggr: &'r Aggregate,
}

impl Kind for Editions {
    type Key = ();
    type Inputs<'r> = EditionsInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<()>) {
        if r.site.config.sections.editions {
            out.push(());
        }
    }

    fn showing(_: &Renderer<'_>, _: &Changed, _: &mut Vec<()>) -> Option<()> {
        Some(())
    }

    fn path(_: &Renderer<'_>, _: ()) -> String {
        urls::page_file(urls::EDITIONS)
    }

    fn inputs<'r>(r: &'r Renderer<'_>, _: ()) -> EditionsInputs<'r> {
        EditionsInputs {
            aggr: r.editions_index_aggr(),
        }
    }

    fn make(f: &Fixed<'_>, i: EditionsInputs<'_>) -> Result<Made, Unreadable> {
        let mut doc = Document::new(
            "editions.html",
            "Editions".into(),
            format!("Every weekly edition of {}", f.config.title),
        );
        doc.feed = Some(editions_feed(f));
        i.aggr.insert_into(&mut doc.ctx);
        Ok(Made::Page(doc))
    }
}

/// An edition: its glance, and its articles by region and country.
pub(in crate::render) struct Edition;

#[derive(Hash)]
pub(in crate::render) struct EditionInputs<'r> {
    start: Date,
    prev: Option<Date>,
    next: Option<Date>,
    edition: Option<&'r EditionView>,
    /// Every article of the edition: the groups show them all.
    cards: Cards<'r>,
}

impl Kind for Edition {
    type Key = Date;
    type Inputs<'r> = EditionInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<Date>) {
        if r.site.config.sections.editions {
            out.extend(r.site.by_edition.keys().copied());
        }
    }

    fn showing(r: &Renderer<'_>, changed: &Changed, out: &mut Vec<Date>) -> Option<()> {
        if r.site.config.sections.editions {
            let dates = changed.articles(r).filter_map(|(_, a)| a.date);
            out.extend(dates.map(|d| edition_start(d, &r.site.config)));
        }
        Some(())
    }

    fn path(r: &Renderer<'_>, start: Date) -> String {
        urls::page_file(&urls::edition(start, &r.site.config))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, start: Date) -> EditionInputs<'r> {
        let keys = &r.derived.edition_keys;
        let pos = keys.binary_search(&start).unwrap_or(0);
        let list = r.site.by_edition.get(&start).map_or(&[][..], Vec::as_slice);
        EditionInputs {
            start,
            prev: pos.checked_sub(1).map(|p| keys[p]),
            next: keys.get(pos + 1).copied(),
            edition: r.edition_of(start),
            cards: Cards::of(r, list),
        }
    }

    fn make(f: &Fixed<'_>, i: EditionInputs<'_>) -> Result<Made, Unreadable> {
        let c = f.config;
        let range = date_range(i.start, edition_end(i.start, c));
        let mut doc = Document::new(
            "edition.html",
            urls::edition_name(i.start, c),
            format!("Defense news of {range}: {} articles", i.cards.len()),
        );
        doc.feed = Some(editions_feed(f));
        let ctx = &mut doc.ctx;
        let (groups, other) = match i.edition {
            Some(ed) => {
                ed.aggr.insert_into(ctx);
                (&ed.groups[..], &ed.other[..])
            }
            None => (&[][..], &[][..]),
        };
        let groups: Vec<Value> = groups
            .iter()
            .map(|(region, cs)| {
                let countries: Vec<Value> = cs
                    .iter()
                    .map(|(code, list)| {
                        obj([
                            ("country", Value::from_serializable(&f.country_ref(*code))),
                            ("articles", i.cards.subset(list)),
                        ])
                    })
                    .collect();
                obj([
                    ("name", Value::from(region.as_str())),
                    ("countries", Value::from(countries)),
                ])
            })
            .collect();
        ctx.insert_value("groups", Value::from(groups));
        ctx.insert_value("other", i.cards.subset(other));
        let link = |k: Date| {
            obj([
                ("name", Value::from(urls::edition_name(k, c))),
                ("path", Value::from(f.link(&urls::edition(k, c)))),
            ])
        };
        if let Some(k) = i.prev {
            ctx.insert_value("prev_edition", link(k));
        }
        if let Some(k) = i.next {
            ctx.insert_value("next_edition", link(k));
        }
        Ok(Made::Page(doc))
    }
}

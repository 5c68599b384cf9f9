//! Articles by time: the archive and its months, the editions and each
//! edition.

use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Unbounded};

use jiff::civil::Date;
use tera::Value;

use super::{Changed, page_slice, paged, position};
use crate::index::{edition_end, edition_start};
use crate::model::{CountryCode, Unreadable};
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

/// A month of the archive: its stories, newest first, a page at a time.
pub(in crate::render) struct Month;

#[derive(Hash)]
pub(in crate::render) struct MonthInputs<'r> {
    month: (i16, i8),
    page: usize,
    /// How many stories the month has.
    total: usize,
    prev: Option<(i16, i8)>,
    next: Option<(i16, i8)>,
    cards: Cards<'r>,
}

impl Kind for Month {
    type Key = ((i16, i8), usize);
    type Inputs<'r> = MonthInputs<'r>;
    const IN_SITEMAP: bool = true;

    fn each(r: &Renderer<'_>, out: &mut Vec<((i16, i8), usize)>) {
        if r.site.config.sections.archive {
            paged(r, r.site.by_month.iter().map(|(k, l)| (*k, l.len())), out);
        }
    }

    fn showing(
        r: &Renderer<'_>,
        changed: &Changed,
        out: &mut Vec<((i16, i8), usize)>,
    ) -> Option<()> {
        if r.site.config.sections.archive {
            for (i, a) in changed.articles(r) {
                let Some(d) = a.date else { continue };
                let key = (d.year(), d.month());
                let list = r.site.by_month.get(&key).map_or(&[][..], Vec::as_slice);
                if let Some(k) = position(list, i) {
                    out.push((key, changed.page_of(k)));
                }
            }
        }
        Some(())
    }

    fn path(_: &Renderer<'_>, (month, page): ((i16, i8), usize)) -> String {
        urls::page_file(&urls::paged(&urls::month(month), page))
    }

    fn inputs<'r>(r: &'r Renderer<'_>, (month, page): ((i16, i8), usize)) -> MonthInputs<'r> {
        let by_month = &r.site.by_month;
        let list = by_month.get(&month).map_or(&[][..], Vec::as_slice);
        MonthInputs {
            month,
            page,
            total: list.len(),
            prev: by_month.range(..month).next_back().map(|(k, _)| *k),
            next: by_month
                .range((Excluded(month), Unbounded))
                .next()
                .map(|(k, _)| *k),
            cards: Cards::of(r, page_slice(r, list, page)),
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
        let title = if i.page > 1 {
            format!("{label} — page {}", i.page)
        } else {
            label.clone()
        };
        let mut doc = Document::new("month.html", title, format!("Defense news of {label}"));
        let ctx = &mut doc.ctx;
        ctx.insert("month", &label);
        ctx.insert("count", &i.total);
        ctx.insert_value("days", i.cards.days());
        ctx.insert(
            "pagination",
            &f.pagination(&urls::month(i.month), i.page, i.total),
        );
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
        let (top, groups, other) = match i.edition {
            Some(ed) => {
                ed.aggr.insert_into(ctx);
                (&ed.top[..], &ed.groups[..], &ed.other[..])
            }
            None => (&[][..], &[][..], &[][..]),
        };
        let end = edition_end(i.start, c);
        // Each section shows its top stories, and links to the rest: the
        // search page with the country and the edition's dates set.
        let section = |code: Option<CountryCode>, list: &[usize]| {
            let cap = c.per_country.min(list.len());
            let mut more = f.link(urls::SEARCH);
            more.push_str(&format!("?from={}&to={end}", i.start));
            if let Some(code) = code {
                more.push_str(&format!("&country={code}"));
            }
            (
                i.cards.subset(&list[..cap]),
                Value::from(list.len() - cap),
                Value::from(more),
            )
        };
        let groups: Vec<Value> = groups
            .iter()
            .map(|(region, cs)| {
                let countries: Vec<Value> = cs
                    .iter()
                    .map(|(code, list)| {
                        let (shown, more, more_path) = section(Some(*code), list);
                        obj([
                            ("country", Value::from_serializable(&f.country_ref(*code))),
                            ("articles", shown),
                            ("count", Value::from(list.len())),
                            ("more", more),
                            ("more_path", more_path),
                        ])
                    })
                    .collect();
                obj([
                    ("name", Value::from(region.as_str())),
                    ("countries", Value::from(countries)),
                ])
            })
            .collect();
        ctx.insert_value("top", i.cards.subset(top));
        ctx.insert_value("groups", Value::from(groups));
        let (shown, more, more_path) = section(None, other);
        ctx.insert_value("other", shown);
        ctx.insert_value("other_more", more);
        ctx.insert_value("other_more_path", more_path);
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

//! The render stage: Tera templates (the site's own over the built-in set)
//! turn the indexed [`Site`] into output files in memory.
//!
//! Each article's card (title, date, link, summary, chips) is converted to a
//! template value once and shared by every listing that shows it: template
//! values are reference-counted, so a page never copies the site.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::diag::{Diagnostic, Diagnostics};
use crate::index::Site;
use crate::model::{Article, CountryCode, Output};

pub const TEMPLATES_DIR: &str = "templates";

/// The built-in templates, also the files of the default site.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("article.html", include_str!("../templates/article.html")),
    (
        "countries.html",
        include_str!("../templates/countries.html"),
    ),
    ("country.html", include_str!("../templates/country.html")),
    ("topics.html", include_str!("../templates/topics.html")),
    ("topic.html", include_str!("../templates/topic.html")),
    ("archive.html", include_str!("../templates/archive.html")),
    ("month.html", include_str!("../templates/month.html")),
    ("404.html", include_str!("../templates/404.html")),
    (
        "partials/card.html",
        include_str!("../templates/partials/card.html"),
    ),
    (
        "partials/days.html",
        include_str!("../templates/partials/days.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../templates/partials/pagination.html"),
    ),
];

/// Loads the built-in templates, then the site's `templates/**/*.html`
/// over them, name by name.
pub fn load_templates(root: &Path) -> anyhow::Result<Tera> {
    let mut set: BTreeMap<String, String> = BUILTIN_TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let dir = root.join(TEMPLATES_DIR);
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&dir) else {
                continue;
            };
            let name = rel.to_string_lossy().replace('\\', "/");
            if name.split('/').any(|p| p.starts_with('.')) {
                continue;
            }
            let text = std::fs::read_to_string(entry.path())
                .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", entry.path().display()))?;
            set.insert(name, text);
        }
    }
    let mut tera = Tera::new();
    tera.add_raw_templates(set.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| template_error(root, &e))?;
    Ok(tera)
}

/// A Tera error as `templates/name.html:line:col: message`.
pub fn template_error(root: &Path, e: &tera::Error) -> Diagnostics {
    use tera::ErrorKind;
    let shown = |name: &str| {
        let site = Path::new(TEMPLATES_DIR).join(name);
        if root.join(&site).is_file() {
            site
        } else {
            Path::new("(built-in templates)").join(name)
        }
    };
    let d = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let s = r.span();
            Diagnostic::new(shown(r.filename()), r.message().to_string())
                .at(s.start_line, s.start_col + 1)
        }
        other => {
            let mut msg = other.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            Diagnostic::new(TEMPLATES_DIR, msg)
        }
    };
    Diagnostics::from(d)
}

/// Builds an object value from fields.
fn obj<const N: usize>(fields: [(&'static str, Value); N]) -> Value {
    let mut m = tera::Map::with_capacity(N);
    for (k, v) in fields {
        m.insert(k.into(), v);
    }
    Value::from(m)
}

#[derive(Serialize)]
struct CountryRef {
    code: String,
    name: String,
    flag: String,
    path: String,
}

#[derive(Serialize)]
struct TopicRef {
    slug: String,
    name: String,
    path: String,
}

#[derive(Serialize)]
struct Card<'a> {
    title: &'a str,
    path: String,
    date: Option<String>,
    date_human: Option<String>,
    source: Option<&'a str>,
    summary_html: &'a str,
    summary_text: &'a str,
    countries: Vec<CountryRef>,
    topics: Vec<TopicRef>,
}

#[derive(Serialize)]
struct ArticleView<'a> {
    title: &'a str,
    path: String,
    date: Option<String>,
    date_human: Option<String>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    author: Option<&'a str>,
    draft: bool,
    body_html: &'a str,
    summary_text: &'a str,
    word_count: usize,
    reading_minutes: usize,
    countries: Vec<CountryRef>,
    topics: Vec<TopicRef>,
    countries_auto: bool,
    topics_auto: bool,
    /// Why each automatic tag was given.
    why: Vec<WhyView>,
}

#[derive(Serialize)]
struct WhyView {
    kind: &'static str,
    name: String,
    score: f64,
    /// "“Pakistani” (headline), “Islamabad” ×3 (body)"
    evidence: Vec<String>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    path: String,
    current: bool,
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

/// One output to render.
enum Job<'s> {
    Front(usize),
    Article(usize),
    Countries,
    Country(CountryCode, usize),
    Topics,
    Topic(&'s str, usize),
    Archive,
    Month((i16, i8)),
    NotFound,
}

pub struct Renderer<'s> {
    site: &'s Site,
    tera: &'s Tera,
    root: &'s Path,
    cards: Vec<Value>,
}

impl<'s> Renderer<'s> {
    pub fn new(site: &'s Site, tera: &'s mut Tera, root: &'s Path) -> Self {
        let c = &site.config;
        tera.global_context().insert(
            "site",
            &serde_json::json!({
                "title": c.title,
                "description": c.description,
                "base_url": c.base_url,
                "language": c.language,
                "generator": concat!("milbrief ", env!("CARGO_PKG_VERSION")),
            }),
        );
        let index = c.index_links;
        let link = |d: &str| {
            if index {
                format!("{d}index.html")
            } else {
                d.to_string()
            }
        };
        tera.global_context().insert(
            "links",
            &serde_json::json!({
                "home": link(""),
                "countries": link("countries/"),
                "topics": link("topics/"),
                "archive": link("archive/"),
            }),
        );
        let tera: &'s Tera = tera;
        let mut r = Renderer {
            site,
            tera,
            root,
            cards: Vec::new(),
        };
        r.cards = site
            .articles
            .par_iter()
            .map(|a| Value::from_serializable(&r.card(a)))
            .collect();
        r
    }

    /// Renders every page of the site.
    pub fn render_all(&self) -> Result<Vec<Output>, Diagnostics> {
        let s = self.site;
        let per = s.config.per_page;
        let pages = |n: usize| n.div_ceil(per).max(1);
        let mut jobs = Vec::new();
        jobs.extend((1..=pages(s.articles.len())).map(Job::Front));
        jobs.extend((0..s.articles.len()).map(Job::Article));
        jobs.push(Job::Countries);
        for (c, list) in &s.by_country {
            jobs.extend((1..=pages(list.len())).map(|p| Job::Country(*c, p)));
        }
        jobs.push(Job::Topics);
        for (t, list) in &s.by_topic {
            jobs.extend((1..=pages(list.len())).map(|p| Job::Topic(t.as_str(), p)));
        }
        jobs.push(Job::Archive);
        jobs.extend(s.by_month.keys().map(|k| Job::Month(*k)));
        jobs.push(Job::NotFound);

        let results: Vec<Result<Output, Diagnostics>> =
            jobs.par_iter().map(|j| self.render_job(j)).collect();
        let mut errs = Diagnostics::default();
        let mut out = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(o) => out.push(o),
                Err(e) => errs.0.extend(e.0),
            }
        }
        errs.into_result()?;
        Ok(out)
    }

    // ---- links -------------------------------------------------------

    /// A directory URL as linked from pages ("countries/pk/" or
    /// "countries/pk/index.html"), relative to the site root.
    fn link(&self, dir: &str) -> String {
        if self.site.config.index_links {
            format!("{dir}index.html")
        } else {
            dir.to_string()
        }
    }

    fn article_dir(a: &Article) -> String {
        format!("articles/{}/", a.slug)
    }

    fn paged_dir(base: &str, page: usize) -> String {
        if page <= 1 {
            base.to_string()
        } else {
            format!("{base}page/{page}/")
        }
    }

    fn country_ref(&self, c: CountryCode) -> CountryRef {
        CountryRef {
            code: c.to_string(),
            name: self.site.tagger.gazetteer.name(c),
            flag: c.flag(),
            path: self.link(&format!("countries/{}/", c.lower())),
        }
    }

    fn topic_ref(&self, slug: &str) -> TopicRef {
        let name = self
            .site
            .tagger
            .topics
            .get(slug)
            .map_or_else(|| slug.to_string(), |t| t.name.clone());
        TopicRef {
            slug: slug.to_string(),
            name,
            path: self.link(&format!("topics/{slug}/")),
        }
    }

    fn card<'a>(&self, a: &'a Article) -> Card<'a> {
        Card {
            title: &a.title,
            path: self.link(&Self::article_dir(a)),
            date: a.date.map(|d| d.to_string()),
            date_human: a.date.map(human_date),
            source: a.source.as_deref(),
            summary_html: &a.summary_html,
            summary_text: &a.summary_text,
            countries: a.countries.iter().map(|c| self.country_ref(*c)).collect(),
            topics: a.topics.iter().map(|t| self.topic_ref(t)).collect(),
        }
    }

    fn cards_of(&self, idx: &[usize]) -> Value {
        Value::from(
            idx.iter()
                .map(|&i| self.cards[i].clone())
                .collect::<Vec<_>>(),
        )
    }

    /// Articles grouped by day, newest first; undated ones last.
    fn days(&self, idx: &[usize]) -> Value {
        let mut groups: Vec<Value> = Vec::new();
        let mut i = 0;
        while i < idx.len() {
            let date = self.site.articles[idx[i]].date;
            let mut j = i;
            while j < idx.len() && self.site.articles[idx[j]].date == date {
                j += 1;
            }
            let label = date.map_or_else(|| "Undated".to_string(), long_date);
            groups.push(obj([
                ("label", Value::from(label)),
                (
                    "date",
                    Value::from(date.map(|d| d.to_string()).unwrap_or_default()),
                ),
                ("articles", self.cards_of(&idx[i..j])),
            ]));
            i = j;
        }
        Value::from(groups)
    }

    fn pagination(&self, base: &str, page: usize, total_items: usize) -> Pagination {
        let total = total_items.div_ceil(self.site.config.per_page).max(1);
        let link = |p: usize| self.link(&Self::paged_dir(base, p));
        Pagination {
            current: page,
            total,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < total).then(|| link(page + 1)),
            pages: (1..=total)
                .map(|p| PageLink {
                    number: p,
                    path: link(p),
                    current: p == page,
                })
                .collect(),
        }
    }

    fn page_slice<'a>(&self, list: &'a [usize], page: usize) -> &'a [usize] {
        let per = self.site.config.per_page;
        let start = ((page - 1) * per).min(list.len());
        let end = (start + per).min(list.len());
        &list[start..end]
    }

    // ---- pages -------------------------------------------------------

    fn render_job(&self, job: &Job<'_>) -> Result<Output, Diagnostics> {
        let s = self.site;
        let mut ctx = Context::new();
        let (dir, template, title, description): (String, &str, String, String) = match *job {
            Job::Front(page) => {
                let all: Vec<usize> = (0..s.articles.len()).collect();
                ctx.insert_value("days", self.days(self.page_slice(&all, page)));
                ctx.insert("pagination", &self.pagination("", page, all.len()));
                ctx.insert("article_count", &all.len());
                ctx.insert("country_count", &s.by_country.len());
                ctx.insert("topic_count", &s.by_topic.len());
                let title = if page > 1 {
                    format!("{} — page {page}", s.config.title)
                } else {
                    s.config.title.clone()
                };
                (
                    Self::paged_dir("", page),
                    "index.html",
                    title,
                    s.config.description.clone(),
                )
            }
            Job::Article(i) => {
                let a = &s.articles[i];
                ctx.insert("article", &self.article_view(a));
                if i > 0 {
                    ctx.insert_value("newer", self.cards[i - 1].clone());
                }
                if i + 1 < s.articles.len() {
                    ctx.insert_value("older", self.cards[i + 1].clone());
                }
                ctx.insert_value("related", self.cards_of(&s.related[i]));
                (
                    Self::article_dir(a),
                    "article.html",
                    a.title.clone(),
                    a.summary_text.clone(),
                )
            }
            Job::Countries => {
                let mut list: Vec<(String, CountryCode, usize)> = s
                    .by_country
                    .iter()
                    .map(|(c, l)| (s.tagger.gazetteer.name(*c), *c, l.len()))
                    .collect();
                list.sort();
                let v: Vec<Value> = list
                    .into_iter()
                    .map(|(_, c, n)| {
                        obj([
                            ("country", Value::from_serializable(&self.country_ref(c))),
                            ("count", Value::from(n)),
                        ])
                    })
                    .collect();
                ctx.insert_value("countries", Value::from(v));
                (
                    "countries/".into(),
                    "countries.html",
                    "Countries".into(),
                    format!("Coverage by country in {}", s.config.title),
                )
            }
            Job::Country(c, page) => {
                let list = &s.by_country[&c];
                let cref = self.country_ref(c);
                let title = format!("{} {}", cref.flag, cref.name);
                ctx.insert("country", &cref);
                ctx.insert("count", &list.len());
                ctx.insert_value("days", self.days(self.page_slice(list, page)));
                let base = format!("countries/{}/", c.lower());
                ctx.insert("pagination", &self.pagination(&base, page, list.len()));
                ctx.insert_value("top_topics", self.topic_counts(list, 6));
                ctx.insert_value("partners", self.partner_counts(list, c, 8));
                (
                    Self::paged_dir(&base, page),
                    "country.html",
                    title,
                    format!("Defense news about {}", cref.name),
                )
            }
            Job::Topics => {
                let v: Vec<Value> = s
                    .tagger
                    .topics
                    .all()
                    .iter()
                    .filter_map(|t| {
                        let n = s.by_topic.get(&t.slug).map_or(0, Vec::len);
                        (n > 0).then(|| {
                            obj([
                                ("topic", Value::from_serializable(&self.topic_ref(&t.slug))),
                                ("description", Value::from(t.description.as_str())),
                                ("count", Value::from(n)),
                            ])
                        })
                    })
                    .collect();
                ctx.insert_value("topics", Value::from(v));
                (
                    "topics/".into(),
                    "topics.html",
                    "Topics".into(),
                    format!("Coverage by topic in {}", s.config.title),
                )
            }
            Job::Topic(slug, page) => {
                let list = &s.by_topic[slug];
                let tref = self.topic_ref(slug);
                let desc = s
                    .tagger
                    .topics
                    .get(slug)
                    .map(|t| t.description.clone())
                    .unwrap_or_default();
                let title = tref.name.clone();
                ctx.insert("topic", &tref);
                ctx.insert("description", &desc);
                ctx.insert("count", &list.len());
                ctx.insert_value("days", self.days(self.page_slice(list, page)));
                let base = format!("topics/{slug}/");
                ctx.insert("pagination", &self.pagination(&base, page, list.len()));
                ctx.insert_value("top_countries", self.country_counts(list, 10));
                (Self::paged_dir(&base, page), "topic.html", title, desc)
            }
            Job::Archive => {
                let mut years: Vec<Value> = Vec::new();
                let mut by_year: BTreeMap<i16, Vec<Value>> = BTreeMap::new();
                for (&(y, m), list) in s.by_month.iter().rev() {
                    by_year.entry(y).or_default().push(obj([
                        ("label", Value::from(month_name(m))),
                        (
                            "path",
                            Value::from(self.link(&format!("archive/{y}/{m:02}/"))),
                        ),
                        ("count", Value::from(list.len())),
                    ]));
                }
                for (y, months) in by_year.into_iter().rev() {
                    years.push(obj([
                        ("year", Value::from(i64::from(y))),
                        ("months", Value::from(months)),
                    ]));
                }
                ctx.insert_value("years", Value::from(years));
                (
                    "archive/".into(),
                    "archive.html",
                    "Archive".into(),
                    format!("Every month of {}", s.config.title),
                )
            }
            Job::Month((y, m)) => {
                let list = &s.by_month[&(y, m)];
                let label = format!("{} {y}", month_name(m));
                ctx.insert("month", &label);
                ctx.insert("count", &list.len());
                ctx.insert_value("days", self.days(list));
                let keys: Vec<_> = s.by_month.keys().copied().collect();
                let pos = keys.iter().position(|k| *k == (y, m)).unwrap_or(0);
                let month_link = |k: (i16, i8)| {
                    obj([
                        ("label", Value::from(format!("{} {}", month_name(k.1), k.0))),
                        (
                            "path",
                            Value::from(self.link(&format!("archive/{}/{:02}/", k.0, k.1))),
                        ),
                    ])
                };
                if pos > 0 {
                    ctx.insert_value("prev_month", month_link(keys[pos - 1]));
                }
                if let Some(k) = keys.get(pos + 1) {
                    ctx.insert_value("next_month", month_link(*k));
                }
                (
                    format!("archive/{y}/{m:02}/"),
                    "month.html",
                    label.clone(),
                    format!("Defense news of {label}"),
                )
            }
            Job::NotFound => (
                String::new(),
                "404.html",
                "Page not found".into(),
                String::new(),
            ),
        };
        let out_path = if matches!(job, Job::NotFound) {
            "404.html".to_string()
        } else {
            format!("{dir}index.html")
        };
        let depth = out_path.matches('/').count();
        let root = if matches!(job, Job::NotFound) {
            // Served at any depth: link from the site root.
            url_path(&s.config.base_url)
        } else if depth == 0 {
            "./".to_string()
        } else {
            "../".repeat(depth)
        };
        ctx.insert("root", &root);
        ctx.insert(
            "page",
            &serde_json::json!({
                "title": title,
                "description": description,
                "canonical": format!("{}{dir}", s.config.base_url),
                "path": out_path,
            }),
        );
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| template_error(self.root, &e))?;
        Ok(Output::new(out_path, html))
    }

    fn article_view<'a>(&self, a: &'a Article) -> ArticleView<'a> {
        ArticleView {
            title: &a.title,
            path: self.link(&Self::article_dir(a)),
            date: a.date.map(|d| d.to_string()),
            date_human: a.date.map(long_date),
            source: a.source.as_deref(),
            url: a.url.as_deref(),
            author: a.author.as_deref(),
            draft: a.draft,
            body_html: &a.body_html,
            summary_text: &a.summary_text,
            word_count: a.word_count,
            reading_minutes: a.word_count.div_ceil(220).max(1),
            countries: a.countries.iter().map(|c| self.country_ref(*c)).collect(),
            topics: a.topics.iter().map(|t| self.topic_ref(t)).collect(),
            countries_auto: a.countries_origin == crate::model::TagOrigin::Auto,
            topics_auto: a.topics_origin == crate::model::TagOrigin::Auto,
            why: a
                .explanations
                .iter()
                .map(|x| WhyView {
                    kind: x.kind,
                    name: match x.kind {
                        "country" => CountryCode::new(&x.tag)
                            .map_or_else(|| x.tag.clone(), |c| self.site.tagger.gazetteer.name(c)),
                        _ => self.topic_ref(&x.tag).name,
                    },
                    score: x.score,
                    evidence: why_phrases(&x.evidence),
                })
                .collect(),
        }
    }

    fn topic_counts(&self, list: &[usize], n: usize) -> Value {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in list {
            for t in &self.site.articles[i].topics {
                *counts.entry(t).or_default() += 1;
            }
        }
        let mut v: Vec<_> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        Value::from(
            v.into_iter()
                .take(n)
                .map(|(t, c)| {
                    obj([
                        ("topic", Value::from_serializable(&self.topic_ref(t))),
                        ("count", Value::from(c)),
                    ])
                })
                .collect::<Vec<_>>(),
        )
    }

    fn country_counts_except(
        &self,
        list: &[usize],
        except: Option<CountryCode>,
        n: usize,
    ) -> Value {
        let mut counts: BTreeMap<CountryCode, usize> = BTreeMap::new();
        for &i in list {
            for c in &self.site.articles[i].countries {
                if Some(*c) != except {
                    *counts.entry(*c).or_default() += 1;
                }
            }
        }
        let mut v: Vec<_> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Value::from(
            v.into_iter()
                .take(n)
                .map(|(c, k)| {
                    obj([
                        ("country", Value::from_serializable(&self.country_ref(c))),
                        ("count", Value::from(k)),
                    ])
                })
                .collect::<Vec<_>>(),
        )
    }

    fn country_counts(&self, list: &[usize], n: usize) -> Value {
        self.country_counts_except(list, None, n)
    }

    fn partner_counts(&self, list: &[usize], c: CountryCode, n: usize) -> Value {
        self.country_counts_except(list, Some(c), n)
    }
}

/// Evidence as short phrases, strongest first, merged by text and place.
fn why_phrases(evidence: &[crate::tag::Evidence]) -> Vec<String> {
    let mut merged: Vec<(&str, crate::tag::Part, usize, f64)> = Vec::new();
    for e in evidence.iter().filter(|e| e.weight > 0.0) {
        match merged.iter_mut().find(|m| m.0 == e.text && m.1 == e.part) {
            Some(m) => {
                m.2 += e.count;
                m.3 += e.weight;
            }
            None => merged.push((&e.text, e.part, e.count, e.weight)),
        }
    }
    merged.sort_by(|a, b| b.3.total_cmp(&a.3).then_with(|| a.0.cmp(b.0)));
    merged
        .into_iter()
        .take(6)
        .map(|(text, part, count, _)| {
            let times = if count > 1 {
                format!(" ×{count}")
            } else {
                String::new()
            };
            format!("“{text}”{times} ({})", part.label())
        })
        .collect()
}

/// The path part of a base URL: "https://a.org/digest/" → "/digest/".
fn url_path(base: &str) -> String {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".to_string(),
    }
}

fn month_name(m: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(m.clamp(1, 12) - 1) as usize]
}

/// "17 Oct 2023"
fn human_date(d: jiff::civil::Date) -> String {
    format!("{} {} {}", d.day(), &month_name(d.month())[..3], d.year())
}

/// "Tuesday, 17 October 2023"
fn long_date(d: jiff::civil::Date) -> String {
    d.strftime("%A, %-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_well() {
        let d = jiff::civil::date(2023, 10, 17);
        assert_eq!(human_date(d), "17 Oct 2023");
        assert_eq!(long_date(d), "Tuesday, 17 October 2023");
    }

    #[test]
    fn url_paths() {
        assert_eq!(url_path("https://a.org/"), "/");
        assert_eq!(url_path("https://a.org/digest/"), "/digest/");
    }

    #[test]
    fn builtin_templates_compile() {
        let dir = tempfile::tempdir().unwrap();
        load_templates(dir.path()).unwrap();
    }

    #[test]
    fn template_errors_name_file_line_col() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/404.html"), "<p>\n{% if %}\n</p>").unwrap();
        let e = load_templates(dir.path()).unwrap_err();
        let d = e.downcast_ref::<Diagnostics>().unwrap().to_string();
        assert!(d.starts_with("templates/404.html:2:"), "{d}");
    }
}

//! What every page of a pass shares and takes as given: the configuration,
//! the names of countries and topics, the URL scheme, the templates' global
//! values, and where the parts of articles kept apart are read. A change
//! of any of it changes the pass's salt, so a page's fingerprint needs to
//! hash only what is its own (its inputs). Pages are made from their
//! inputs and this alone: it gives no access to the site's articles.

use serde_json::json;
use tera::{Context, Tera};

use super::cards::CardInputs;
use super::views::{
    ArticleView, Badge, Card, Chip, CountryRef, LINE_CHIPS, PageLink, Pagination, SourceRef,
    TopicRef, WhyView, human_date, long_date, page_window, why_phrases,
};
use super::{RenderError, Templates};
use crate::config::Config;
use crate::index::Site;
use crate::model::{Article, CountryCode, Output, Parts, TagKind, TagOrigin, Unreadable};
use crate::sources::{Kind, Outlet};
use crate::tag::Tagger;
use crate::urls::{self, Urls};

pub(super) struct Fixed<'s> {
    pub(super) config: &'s Config,
    tagger: &'s Tagger,
    pub(super) urls: Urls,
    parts: &'s dyn Parts,
}

/// An HTML page made from its inputs, before the parts every page has are
/// added and its template renders it.
pub(super) struct Document {
    pub(super) template: &'static str,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) og_type: &'static str,
    /// The feed the page offers besides the site's own.
    pub(super) feed: Option<FeedLink>,
    /// The page is served at any depth (404): its links start at the
    /// site's root path, not relative to the page.
    pub(super) anywhere: bool,
    pub(super) ctx: Context,
}

impl Document {
    pub(super) fn new(template: &'static str, title: String, description: String) -> Document {
        Document {
            template,
            title,
            description,
            og_type: "website",
            feed: None,
            anywhere: false,
            ctx: Context::new(),
        }
    }
}

/// A feed a page offers: its title and path.
pub(super) struct FeedLink {
    pub(super) title: String,
    pub(super) path: String,
}

impl<'s> Fixed<'s> {
    pub(super) fn new(site: &'s Site, parts: &'s dyn Parts) -> Fixed<'s> {
        Fixed {
            config: &site.config,
            tagger: &site.tagger,
            urls: Urls::new(&site.config),
            parts,
        }
    }

    /// The values every template sees: the site, the links of the menu,
    /// the sections on.
    pub(super) fn globals(&self, tera: &mut Tera) {
        let c = self.config;
        tera.global_context().insert(
            "site",
            &json!({
                "title": c.title,
                "description": c.description,
                "base_url": c.base_url,
                "language": c.language,
                "generator": concat!("milbrief ", env!("CARGO_PKG_VERSION")),
            }),
        );
        let link = |d: &str| self.urls.link(d);
        tera.global_context().insert(
            "links",
            &json!({
                "home": link(""),
                "countries": link(urls::COUNTRIES),
                "topics": link(urls::TOPICS),
                "archive": link(urls::ARCHIVE),
                "editions": link(urls::EDITIONS),
                "relations": link(urls::RELATIONS),
                "search": link(urls::SEARCH),
                "sources": link(urls::SOURCES),
                "feed": urls::feed(""),
                "search_index": urls::SEARCH_INDEX,
            }),
        );
        tera.global_context().insert("sections", &c.sections);
    }

    /// A directory URL as linked from pages, relative to the site root.
    pub(super) fn link(&self, dir: &str) -> String {
        self.urls.link(dir)
    }

    pub(super) fn name(&self, c: CountryCode) -> String {
        self.tagger.gazetteer.name(c)
    }

    pub(super) fn country_ref(&self, c: CountryCode) -> CountryRef {
        CountryRef {
            code: c.to_string(),
            name: self.name(c),
            flag: crate::flags::svg(c)
                .map(|_| urls::flag(c))
                .unwrap_or_default(),
            path: self.link(&urls::country(c)),
        }
    }

    pub(super) fn topic_ref(&self, slug: &str) -> TopicRef {
        let name = self
            .tagger
            .topics
            .get(slug)
            .map_or_else(|| slug.to_string(), |t| t.name.clone());
        TopicRef {
            slug: slug.to_string(),
            name,
            path: self.link(&urls::topic(slug)),
        }
    }

    /// The description of topic `slug`.
    pub(super) fn topic_description(&self, slug: &str) -> String {
        self.tagger
            .topics
            .get(slug)
            .map(|t| t.description.clone())
            .unwrap_or_default()
    }

    /// The site's topics, as configured, in order.
    pub(super) fn all_topics(&self) -> &[crate::tag::topics::Topic] {
        self.tagger.topics.all()
    }

    /// An article's card: made from [`CardInputs`] alone, so that a card's
    /// fingerprint covers all it shows.
    pub(super) fn card<'a>(&self, inputs: CardInputs<'a>) -> Card<'a> {
        let CardInputs {
            title,
            slug,
            date,
            source,
            outlet,
            summary_html,
            summary_text,
            countries,
            topics,
            url,
            relevance,
        } = inputs;
        let countries: Vec<_> = countries.iter().map(|c| self.country_ref(*c)).collect();
        let topics: Vec<_> = topics.iter().map(|t| self.topic_ref(t)).collect();
        let chips = chips_of(&countries, &topics);
        Card {
            title,
            path: self.link(&urls::article(slug)),
            date: date.map(|d| d.to_string()),
            date_human: date.map(human_date),
            source: outlet.map(|o| o.name.as_str()).or(source),
            source_path: self.source_path(outlet),
            badge: outlet.and_then(Badge::of),
            url,
            summary_html,
            summary_text,
            more_tags: (countries.len() + topics.len()).saturating_sub(chips.len()),
            chips,
            countries,
            topics,
            relevance: f64::from_bits(relevance),
        }
    }

    /// The page of `outlet`, when the site has source pages.
    pub(super) fn source_path(&self, outlet: Option<&Outlet>) -> Option<String> {
        let o = outlet.filter(|_| self.config.sections.sources)?;
        Some(self.link(&urls::source(&o.slug)))
    }

    /// How pages show and link to `o`.
    pub(super) fn source_ref<'a>(&self, o: &'a Outlet) -> SourceRef<'a> {
        SourceRef {
            slug: &o.slug,
            name: &o.name,
            path: self.link(&urls::source(&o.slug)),
            kind: o.kind.map(Kind::as_str),
            kind_label: o.kind.map(Kind::label),
            country: o.country.map(|c| self.country_ref(c)),
            provenance: o.provenance.as_deref(),
            badge: Badge::of(o),
        }
    }

    /// The pager of page `page` of a listing of `total_items` at `base`.
    pub(super) fn pagination(&self, base: &str, page: usize, total_items: usize) -> Pagination {
        let total = total_items.div_ceil(self.config.per_page).max(1);
        let link = |p: usize| self.link(&urls::paged(base, p));
        Pagination {
            current: page,
            total,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < total).then(|| link(page + 1)),
            pages: page_window(page, total)
                .into_iter()
                .map(|p| match p {
                    Some(p) => PageLink {
                        number: p,
                        path: link(p),
                        current: p == page,
                        gap: false,
                    },
                    None => PageLink {
                        number: 0,
                        path: String::new(),
                        current: false,
                        gap: true,
                    },
                })
                .collect(),
        }
    }

    /// The feed of a page about a tag (a country, a topic, a pair), when
    /// the site has tag feeds: `title` as its feed's title, at `dir`.
    pub(super) fn tag_feed(&self, title: String, dir: &str) -> Option<FeedLink> {
        self.config.sections.tag_feeds.then(|| FeedLink {
            title,
            path: urls::feed(dir),
        })
    }

    /// "Name · Site title", the title of a tag's feed.
    pub(super) fn feed_title(&self, name: &str) -> String {
        format!("{name} · {}", self.config.title)
    }

    /// An article page's view of its article; its body and explanations
    /// are read when kept apart.
    pub(super) fn article_view<'a>(
        &self,
        a: &'a Article,
        outlet: Option<&'a Outlet>,
    ) -> Result<ArticleView<'a>, Unreadable>
    where
        's: 'a,
    {
        let why = a
            .explanations
            .read(self.parts)?
            .iter()
            .map(|x| WhyView {
                kind: x.kind,
                name: match x.kind {
                    TagKind::Country => {
                        CountryCode::new(&x.tag).map_or_else(|| x.tag.clone(), |c| self.name(c))
                    }
                    TagKind::Topic => self.topic_ref(&x.tag).name,
                },
                score: x.score,
                evidence: why_phrases(&x.evidence),
            })
            .collect();
        Ok(ArticleView {
            title: &a.title,
            path: self.link(&urls::article(&a.slug)),
            date: a.date.map(|d| d.to_string()),
            date_human: a.date.map(long_date),
            published: a.when().map(|w| w.w3c()),
            source: outlet.map(|o| o.name.as_str()).or(a.source.as_deref()),
            source_path: self.source_path(outlet),
            badge: outlet.and_then(Badge::of),
            url: a.url.as_deref(),
            author: a.author.as_deref(),
            draft: a.draft,
            body_html: a.body_html.read(self.parts)?,
            summary_text: &a.summary_text,
            word_count: a.word_count,
            reading_minutes: a.word_count.div_ceil(220).max(1),
            countries: a.countries.iter().map(|c| self.country_ref(*c)).collect(),
            topics: a.topics.iter().map(|t| self.topic_ref(t)).collect(),
            countries_auto: a.countries_origin == TagOrigin::Auto,
            topics_auto: a.topics_origin == TagOrigin::Auto,
            relevance: a.relevance,
            off_topic: a.is_off_topic(self.config.min_relevance, self.config.auto_tag),
            why,
        })
    }

    /// The body of an article, read when kept apart.
    pub(super) fn body<'a>(&self, a: &'a Article) -> Result<&'a str, Unreadable>
    where
        's: 'a,
    {
        a.body_html.read(self.parts)
    }

    /// Renders a document as the page at `path`: adds the page's root,
    /// its feeds and its metadata to its values, and renders its template.
    pub(super) fn html(
        &self,
        doc: Document,
        path: String,
        tera: &Tera,
        templates: &Templates,
    ) -> Result<Output, RenderError> {
        let Document {
            template,
            title,
            description,
            og_type,
            feed,
            anywhere,
            mut ctx,
        } = doc;
        let dir = path.strip_suffix(urls::INDEX_FILE).unwrap_or("");
        let root = if anywhere {
            self.urls.base_path()
        } else if path.contains('/') {
            urls::up(&path)
        } else {
            "./".to_string()
        };
        ctx.insert("root", &root);
        let mut feeds = vec![json!({
            "title": self.config.title,
            "path": urls::feed(""),
        })];
        let own_feed = feed.as_ref().map(|f| f.path.clone());
        if let Some(f) = feed {
            feeds.push(json!({ "title": f.title, "path": f.path }));
        }
        ctx.insert("feeds", &feeds);
        ctx.insert(
            "page",
            &json!({
                "title": title,
                "description": meta_description(&description),
                "canonical": self.urls.absolute(dir),
                "path": path,
                "og_type": og_type,
                "feed": own_feed,
            }),
        );
        let html = tera
            .render(template, &ctx)
            .map_err(|e| RenderError::Template(templates.error(&e)))?;
        Ok(Output::new(path, html))
    }
}

/// A compact line's tags: the first [`LINE_CHIPS`], countries first.
fn chips_of(countries: &[CountryRef], topics: &[TopicRef]) -> Vec<Chip> {
    countries
        .iter()
        .map(|c| Chip {
            kind: "country",
            name: c.name.clone(),
            flag: c.flag.clone(),
            path: c.path.clone(),
        })
        .chain(topics.iter().map(|t| Chip {
            kind: "topic",
            name: t.name.clone(),
            flag: String::new(),
            path: t.path.clone(),
        }))
        .take(LINE_CHIPS)
        .collect()
}

/// Search engines show about 160 characters of a meta description: a
/// longer one is shortened at a word, with "…".
const DESCRIPTION_MAX: usize = 160;

/// A page's description as its meta tags give it: whitespace collapsed, at
/// most [`DESCRIPTION_MAX`] characters.
fn meta_description(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= DESCRIPTION_MAX {
        return text;
    }
    let cut = text
        .char_indices()
        .nth(DESCRIPTION_MAX - 1)
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..cut];
    let head = match head.rfind(' ') {
        Some(i) if i > cut / 2 => &head[..i],
        _ => head,
    };
    let head = head.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c));
    format!("{head}…")
}

#[cfg(test)]
mod description_tests {
    use super::*;

    #[test]
    fn long_descriptions_are_cut_at_a_word() {
        assert_eq!(meta_description("  Short   text. "), "Short text.");
        let long = "word ".repeat(60);
        let d = meta_description(&long);
        assert!(d.chars().count() <= DESCRIPTION_MAX, "{d}");
        assert!(d.ends_with("word…"), "{d}");
        let one = "x".repeat(400);
        assert_eq!(meta_description(&one).chars().count(), DESCRIPTION_MAX);
    }
}

//! The tagger on arbitrary text: the first line is the headline, the rest
//! Markdown. Also the resolution of front-matter tag values.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use milbrief::Config;
use milbrief::{MarkdownOptions, render_markdown as render};
use milbrief::{TagText, Tagger};

static TAGGER: LazyLock<Tagger> =
    LazyLock::new(|| Tagger::new(&Config::default()).expect("built-in tagger"));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (title, body) = text.split_once('\n').unwrap_or((text, ""));
    let r = render(body, &MarkdownOptions::default(), Some(title));
    let t = TagText {
        title,
        body: &r.body_text,
        lead: r.lead.clone(),
    };
    for c in TAGGER.countries_for(&t) {
        assert!(c.score.is_finite());
    }
    let topics = TAGGER.topics_for(&t);
    assert!(topics.len() <= 4);
    let _ = TAGGER.gazetteer.resolve(title);
    let _ = TAGGER.topics.resolve(title);
});

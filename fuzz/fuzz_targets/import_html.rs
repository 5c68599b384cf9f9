//! The importer's HTML path on arbitrary markup: it imports the page or
//! says why not (never panics, never takes time beyond its size), and what
//! it writes loads as an article.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use milbrief::Config;
use milbrief::Debris;
use milbrief::{ImportOptions as Options, prepare_import as prepare};

static CONFIG: LazyLock<Config> = LazyLock::new(Config::default);
static DEBRIS: LazyLock<Debris> = LazyLock::new(|| Debris::new(&[]));

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let opts = Options {
        date: Some(jiff::civil::date(2023, 10, 18)),
        ..Options::default()
    };
    // No tagger: the tagger has a target of its own.
    let Ok(p) = prepare("input.html", &text, &opts, &CONFIG, None, &DEBRIS) else {
        return;
    };
    let md = p.to_markdown(None).expect("front matter serialises");
    let rel = Path::new("content/2023-10-18-imported.md");
    if let Err(e) = milbrief::load_bytes(rel, md.clone().into_bytes(), &CONFIG) {
        panic!("the importer wrote an article that does not load: {e:?}\n{md}");
    }
});

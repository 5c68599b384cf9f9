//! The importer's plain-text path on arbitrary text: it imports or says
//! why not, and what it writes loads as an article.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use milbrief::Config;
use milbrief::Debris;
use milbrief::{ImportOptions as Options, prepare_import as prepare};
use milbrief::Tagger;

static CONFIG: LazyLock<Config> = LazyLock::new(Config::default);
static TAGGER: LazyLock<Tagger> = LazyLock::new(|| Tagger::new(&CONFIG).expect("built-in tagger"));
static DEBRIS: LazyLock<Debris> = LazyLock::new(|| Debris::new(&[]));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opts = Options {
        date: Some(jiff::civil::date(2023, 10, 18)),
        ..Options::default()
    };
    let Ok(p) = prepare("input.txt", text, &opts, &CONFIG, Some(&*TAGGER), &DEBRIS) else {
        return;
    };
    let md = p.to_markdown(None).expect("front matter serialises");
    let rel = Path::new("content/2023-10-18-imported.md");
    if let Err(e) = milbrief::load_bytes(rel, md.clone().into_bytes(), &CONFIG) {
        panic!("the importer wrote an article that does not load: {e:?}\n{md}");
    }
});

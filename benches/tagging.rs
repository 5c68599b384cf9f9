//! Tagging throughput: `cargo bench --bench tagging -- DIR` tags every
//! Markdown file under DIR (front matter skipped) on one core and on all
//! cores, and prints MB/s of plain text tagged. Markdown rendering is done
//! before the clock starts. `bench/tagging.sh` runs it on the synthetic
//! corpus.

use std::path::PathBuf;
use std::time::Instant;

use milbrief::Config;
use milbrief::render_markdown;
use milbrief::split_front_matter;
use milbrief::{TagText, Tagger};
use rayon::prelude::*;

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("content"));
    let config = Config::default();
    let tagger = Tagger::new(&config).expect("tagger");
    let mut docs = Vec::new();
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let e = e.expect("readable directory");
        if !e.file_type().is_file() || e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).expect("utf-8 file");
        let body = match split_front_matter(&text) {
            Ok((_, body)) => body,
            Err(_) => &text,
        };
        let r = render_markdown(body, &config.markdown, None);
        let title = r.title.clone().unwrap_or_default();
        docs.push((title, r.body_text, r.lead));
    }
    let bytes: usize = docs.iter().map(|(t, b, _)| t.len() + b.len()).sum();
    let mb = bytes as f64 / 1e6;
    let tag = |(title, body, lead): &(String, String, std::ops::Range<usize>)| {
        let t = TagText {
            title,
            body,
            lead: lead.clone(),
        };
        tagger.countries_for(&t).len() + tagger.topics_for(&t).len()
    };
    // The best of four runs on one core (the machine is shared).
    let mut best = f64::MAX;
    let mut tags = 0;
    for _ in 0..4 {
        let start = Instant::now();
        tags = docs.iter().map(tag).sum::<usize>();
        best = best.min(start.elapsed().as_secs_f64());
    }
    let start = Instant::now();
    let par: usize = docs.par_iter().map(tag).sum();
    let par_t = start.elapsed().as_secs_f64();
    assert_eq!(tags, par);
    println!(
        "tagging {} articles, {mb:.1} MB of text ({} tags): one core {:.3} s = {:.0} MB/s; {} threads {:.3} s = {:.0} MB/s",
        docs.len(),
        tags,
        best,
        mb / best,
        rayon::current_num_threads(),
        par_t,
        mb / par_t
    );
}

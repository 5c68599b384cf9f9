//! The checks of the fuzz targets in `fuzz/`, run over their committed
//! seeds and over every input fuzzing found to crash (kept here inline, so
//! they run with the tests on stable Rust without cargo-fuzz).

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use milbrief::Config;
use milbrief::Debris;
use milbrief::{ImportOptions as Options, prepare_import as prepare};
use milbrief::{MarkdownOptions, render_markdown as render};
use milbrief::{TagText, Tagger};

static CONFIG: LazyLock<Config> = LazyLock::new(Config::default);
static TAGGER: LazyLock<Tagger> = LazyLock::new(|| Tagger::new(&CONFIG).expect("built-in tagger"));

/// `fuzz/fuzz_targets/front_matter.rs`.
fn front_matter(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok((Some((fm, off)), body)) = milbrief::split_front_matter(text)
    {
        assert_eq!(&text[off..off + fm.len()], fm);
        assert!(text.ends_with(body));
    }
    let rel = Path::new("content/2023-10-17-fuzz.md");
    match milbrief::load_bytes(rel, data.to_vec(), &CONFIG) {
        Ok(a) => {
            assert!(!a.title.is_empty());
            assert!(!a.slug.is_empty());
            assert!(
                a.slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in problems {
                assert_eq!(p.path, rel);
            }
        }
    }
}

/// `fuzz/fuzz_targets/tagger.rs`.
fn tagger(data: &[u8]) {
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
    assert!(TAGGER.topics_for(&t).len() <= 4);
    let _ = TAGGER.gazetteer.resolve(title);
    let _ = TAGGER.topics.resolve(title);
}

/// `fuzz/fuzz_targets/import_text.rs`.
fn import_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opts = Options {
        date: Some(jiff::civil::date(2023, 10, 18)),
        ..Options::default()
    };
    let debris = Debris::new(&[]);
    let Ok(p) = prepare("input.txt", text, &opts, &CONFIG, Some(&*TAGGER), &debris) else {
        return;
    };
    let md = p.to_markdown(None).expect("front matter serialises");
    let rel = Path::new("content/2023-10-18-imported.md");
    if let Err(e) = milbrief::load_bytes(rel, md.clone().into_bytes(), &CONFIG) {
        panic!("the importer wrote an article that does not load: {e:?}\n{md}");
    }
}

/// `fuzz/fuzz_targets/import_html.rs`.
fn import_html(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let opts = Options {
        date: Some(jiff::civil::date(2023, 10, 18)),
        ..Options::default()
    };
    let debris = Debris::new(&[]);
    let Ok(p) = prepare("input.html", &text, &opts, &CONFIG, None, &debris) else {
        return;
    };
    let md = p.to_markdown(None).expect("front matter serialises");
    let rel = Path::new("content/2023-10-18-imported.md");
    if let Err(e) = milbrief::load_bytes(rel, md.clone().into_bytes(), &CONFIG) {
        panic!("the importer wrote an article that does not load: {e:?}\n{md}");
    }
}

/// A shard's three sections, split at the two lengths that open `b`.
fn three(b: &[u8]) -> [&[u8]; 3] {
    let len = |i: usize| {
        b.get(i..i + 2)
            .map_or(0, |w| usize::from(u16::from_le_bytes([w[0], w[1]])))
    };
    let rest = b.get(4..).unwrap_or_default();
    let (first, rest) = rest.split_at(len(0).min(rest.len()));
    let (second, third) = rest.split_at(len(2).min(rest.len()));
    [first, second, third]
}

/// `fuzz/fuzz_targets/cache_loader.rs`: the first byte chooses a state
/// (bit 0 clear) or a shard (set), the file as it is (bit 1 clear) or
/// framed here from its sections (set). Returns whether it loaded.
fn cache_loader(data: &[u8]) -> Option<bool> {
    let (&which, bytes) = data.split_first()?;
    let shard = which & 1 == 1;
    let framed;
    let bytes = if which & 2 == 0 {
        bytes
    } else {
        framed = if shard {
            milbrief::frame_for_probe(7, &three(bytes))
        } else {
            milbrief::frame_for_probe(0, &[bytes])
        };
        &framed[..]
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cache-file");
    std::fs::write(&file, bytes).unwrap();
    Some(milbrief::probe_cache(&file, shard).is_ok())
}

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds for {target}");
    out
}

#[test]
fn front_matter_seeds_and_regressions() {
    for (p, bytes) in seeds("front_matter") {
        eprintln!("{}", p.display());
        front_matter(&bytes);
    }
    for input in FRONT_MATTER_REGRESSIONS {
        front_matter(input);
    }
}

#[test]
fn tagger_seeds_and_regressions() {
    for (p, bytes) in seeds("tagger") {
        eprintln!("{}", p.display());
        tagger(&bytes);
    }
    for input in TAGGER_REGRESSIONS {
        tagger(input);
    }
}

#[test]
fn import_text_seeds_and_regressions() {
    for (p, bytes) in seeds("import_text") {
        eprintln!("{}", p.display());
        import_text(&bytes);
    }
    for input in IMPORT_TEXT_REGRESSIONS {
        import_text(input);
    }
}

#[test]
fn import_html_seeds_and_regressions() {
    for (p, bytes) in seeds("import_html") {
        eprintln!("{}", p.display());
        import_html(&bytes);
    }
}

/// The seeds are a real cache's files: they load (the state lists two
/// articles; a shard holds its articles with their bodies). Their forged
/// variants are errors, not aborts.
#[test]
fn cache_loader_seeds_and_forgeries() {
    for (p, bytes) in seeds("cache_loader") {
        eprintln!("{}", p.display());
        assert_eq!(cache_loader(&bytes), Some(true), "{}", p.display());
        if bytes[0] & 2 != 0 {
            continue;
        }
        let shard = bytes[0] % 2 == 1;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        // Each section length 4 GiB, then every length word all ones.
        for at in (20..bytes.len().min(21 + 16 * 3)).step_by(16) {
            for forged in [4u64 << 30, u64::MAX] {
                let mut f = bytes[1..].to_vec();
                if at + 8 <= f.len() {
                    f[at..at + 8].copy_from_slice(&forged.to_le_bytes());
                    std::fs::write(&file, &f).unwrap();
                    assert!(milbrief::probe_cache(&file, shard).is_err());
                }
            }
        }
    }
}

/// Inputs that crashed `front_matter`, minimised. (Found by
/// `import_text`: brackets in strings of every kind are not nesting.)
const FRONT_MATTER_REGRESSIONS: &[&[u8]] = &[
    b"+++\ntitle = \"[\"\nsummary = \"\"\"a \" b [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ c\"\"\"\"\nsource = '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['\nauthor = '''x ' [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ '''\n# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\ndateline = \"a \\\" [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ b\"\n+++\nBody.\n",
];

#[test]
fn brackets_in_strings_are_not_nesting() {
    let rel = Path::new("content/2023-10-17-fuzz.md");
    let a = milbrief::load_bytes(rel, FRONT_MATTER_REGRESSIONS[0].to_vec(), &CONFIG)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(a.title, "[");
    assert!(a.summary_text.contains("[[[["), "{}", a.summary_text);
    assert!(a.dateline.as_deref().is_some_and(|d| d.ends_with(" b")));
}

/// Inputs that crashed `tagger`, minimised.
const TAGGER_REGRESSIONS: &[&[u8]] = &[];

/// Inputs that crashed `import_text`, minimised.
const IMPORT_TEXT_REGRESSIONS: &[&[u8]] = &[
    // NUL and other control bytes in copied text were imported as they
    // were, and the article written refused to build ("file looks binary").
    b"Russia, Ukraine trade strikes on energy sites\nShare\nFollow us\n\nBy Jane Doe\n\n\xe2\x80\xa2 Drones hit a refinery\n\xe2\x80\xa2 Kyiv says air defence intercepted most\n\nKYIV, Oct 3 (Reuters) - Ukraine said on Monday it downed 3\x01\x00\x00\x00\x00\x00\x00\x000 drones.\n\nAdvertisement\n\nRead more\n",
    b"Head\x00line\n\nBody \x00 with \x07 controls.\n",
    // A summary with a quote and many `[` was written as a multi-line
    // string, which the front matter nesting guard misread as arrays.
    b"[ence intercepted kra. Drones hisign up for \n\xe2\x80\xa2 K&&&&&&&'&&Pakistani, Russian armies kick off \xe2\x80\x98Druzhba-&&&\"=&&&&[[[[[[[-z&&&&&&&&&&&&&&&[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[&&&&V[[[[[[[[[[d Forces said oow uread more II\xe2\x80\x99 jab",
];

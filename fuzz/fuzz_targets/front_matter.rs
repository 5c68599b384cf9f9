//! Front matter splitting and parsing, and the whole article loader, on
//! arbitrary bytes: every input is an article or a list of problems,
//! never a panic.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use milbrief::Config;

static CONFIG: LazyLock<Config> = LazyLock::new(Config::default);

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok((Some((fm, off)), body)) = milbrief::split_front_matter(text)
    {
        // The pieces are where the splitter says they are.
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
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "slug {:?} is not one safe path segment",
                a.slug
            );
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in problems {
                assert_eq!(p.path, rel);
            }
        }
    }
});

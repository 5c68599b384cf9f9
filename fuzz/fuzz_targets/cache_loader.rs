//! The build cache's loader on arbitrary bytes. The first byte chooses: a
//! `state` file (bit 0 clear) or an article shard (set); the rest is the
//! file as it is (bit 1 clear), or the sections of a file framed here
//! with a valid header and checksums (set), so that the decoding behind
//! the framing is reached too (a shard's three sections are split at two
//! 16-bit lengths that open the rest). A damaged or forged file is an
//! error value: never a panic, and never an allocation the file's size
//! does not back (`-malloc_limit_mb` catches one).
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static DIR: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a temporary directory"));
static FILE: LazyLock<PathBuf> = LazyLock::new(|| DIR.path().join("cache-file"));

/// A shard's three sections, split at the two lengths that open `b`.
fn three(b: &[u8]) -> [&[u8]; 3] {
    let len = |i: usize| b.get(i..i + 2).map_or(0, |w| usize::from(u16::from_le_bytes([w[0], w[1]])));
    let rest = b.get(4..).unwrap_or_default();
    let a = len(0).min(rest.len());
    let (first, rest) = rest.split_at(a);
    let c = len(2).min(rest.len());
    let (second, third) = rest.split_at(c);
    [first, second, third]
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let shard = which & 1 == 1;
    let file;
    let bytes = if which & 2 == 0 {
        bytes
    } else {
        file = if shard {
            milbrief::frame_for_probe(7, &three(bytes))
        } else {
            milbrief::frame_for_probe(0, &[bytes])
        };
        &file[..]
    };
    std::fs::write(&*FILE, bytes).expect("the file is written");
    let _ = milbrief::probe_cache(&FILE, shard);
});

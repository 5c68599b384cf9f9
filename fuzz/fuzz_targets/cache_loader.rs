//! The build cache's loader on arbitrary bytes: the first byte chooses a
//! `state` file (even) or an article shard (odd), the rest is the file.
//! A damaged or forged file is an error value: never a panic, and never an
//! allocation the file's size does not back (libFuzzer's `-rss_limit_mb`
//! and `-malloc_limit_mb` catch one).
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static DIR: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a temporary directory"));
static FILE: LazyLock<PathBuf> = LazyLock::new(|| DIR.path().join("cache-file"));

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    std::fs::write(&*FILE, bytes).expect("the file is written");
    let _ = milbrief::probe_cache(&FILE, which % 2 == 1);
});

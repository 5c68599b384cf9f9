//! milbrief's integration tests, in one binary so that the crate is linked
//! once. Each module builds fixture sites, drives the CLI, the preview
//! server or a real browser; `common` holds what they share.

mod common;

mod adversarial;
mod browser;
mod build;
mod check;
mod cli;
mod digest;
mod digest_browser;
mod editor;
mod feeds;
mod from_disk;
mod fuzz_regressions;
mod golden;
mod import;
mod incremental;
mod property;
mod reader;
mod robustness;
mod search;
mod serve;
mod serve_load;
mod source_pages;
mod stories;

//! milbrief: a static site generator for defense-news digests.
//!
//! One pipeline (the `pipeline` module) serves every verb, each stage a
//! function over values, I/O at the edges:
//!
//! ```text
//! content/*.md ─read─▶ Article ─tag─▶ tagged Article ─select─▶ articles ─index─▶ Site ─render─▶ pages ─write─▶ public/
//! ```
//!
//! The modules are private; this facade is what the binary, the tests, the
//! benchmarks and the fuzz targets use. [`build`] builds a site into its
//! output directory (with the build cache: [`build_with`]); [`build_outputs`]
//! builds it in memory, through the same workspace `serve` keeps; [`check()`]
//! reports every problem of a site; [`Server`] previews it.

mod builder;
mod cache;
mod check;
mod cli;
mod config;
mod diag;
mod disk;
mod error;
mod flags;
mod html_scan;
mod import;
mod index;
mod layout;
mod load;
mod markdown;
mod model;
mod output;
mod pipeline;
mod progress;
mod regions;
mod render;
mod scaffold;
mod serve;
mod sources;
mod stories;
mod suggest;
mod svg;
mod tag;
mod urls;
mod weburl;
mod workspace;

pub use builder::{BuildReport, CacheUse, build, build_with};
#[doc(hidden)]
pub use cache::{frame_for_probe, probe as probe_cache};
pub use check::dups::near_duplicates;
pub use check::links::scan as scan_links;
pub use check::{CheckOptions, Problem, Report, Severity, check};
pub use cli::{Cli, Command};
pub use config::Config;
pub use diag::{Diagnostic, Diagnostics};
pub use error::Error;
pub use import::debris::Debris;
pub use import::{Options as ImportOptions, prepare as prepare_import};
pub use index::Site;
pub use load::{SLUG_MAX, is_plain_file, load_bytes, load_file, split_front_matter};
pub use markdown::{MarkdownOptions, render as render_markdown};
pub use model::{Article, CountryCode, Output};
pub use output::WriteStats;
pub use pipeline::BuildOptions;
pub use progress::Progress;
pub use serve::{Limits as ServeLimits, Server};
pub use sources::{Kind as SourceKind, Source, Sources, Via as SourceVia};
pub use tag::{TagText, Tagger};
pub use urls::edition_slug;
pub use workspace::{Outputs, Rebuild, Workspace, build_outputs};

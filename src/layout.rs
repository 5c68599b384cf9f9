//! The layout of a site's root: where milbrief finds its inputs and keeps
//! its own state. Every stage names these directories through here.
//!
//! ```text
//! config.toml    the configuration (optional)
//! content/       Markdown articles
//! templates/     Tera templates over the built-in set
//! static/        files copied into the output as they are
//! data/          the site's own data files
//! .milbrief/     milbrief's own state (the build cache), never published
//! public/        the output, unless `--output` says otherwise
//! ```

use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "config.toml";
pub const CONTENT_DIR: &str = "content";
pub const TEMPLATES_DIR: &str = "templates";
pub const STATIC_DIR: &str = "static";
pub const DATA_DIR: &str = "data";
/// The directory that holds milbrief's own state.
pub const STATE_DIR: &str = ".milbrief";
/// The default output directory.
pub const OUTPUT_DIR: &str = "public";

/// The directories a site is built from: a change in any of them (or in
/// [`CONFIG_FILE`]) can change the output.
pub const INPUT_DIRS: [&str; 4] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, DATA_DIR];

/// The directories of the site's own files, which the output may never be
/// in or hold.
pub const SITE_DIRS: [&str; 5] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, DATA_DIR, STATE_DIR];

/// The build cache's directory.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(STATE_DIR).join("cache")
}

/// Whether the site has its own `static/robots.txt`, which takes the place
/// of the generated one.
pub fn has_own_robots(root: &Path) -> bool {
    root.join(STATIC_DIR).join("robots.txt").is_file()
}

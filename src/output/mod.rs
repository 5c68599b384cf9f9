//! The output directory: the only part of milbrief that writes there.
//! Every output is rendered in memory before the writer runs, so a failed
//! build never leaves a half-written site. Each file is written atomically
//! (temporary file + rename) and only when its bytes changed; files the
//! site no longer produces are removed.
//!
//! - `guard`: what the output directory may be, and what may be written;
//! - `scan`: what the output holds now, found by walking it;
//! - `record`: the cache's record of the output, which spares the next
//!   build the walk;
//! - `write`: writing and removing.

mod guard;
mod record;
mod scan;
#[cfg(test)]
mod tests;
mod write;

pub use guard::check_output_dir;
pub use record::{OutputRec, PageRec, listing, scan_cached};
pub use scan::{Scan, scan};
#[cfg(test)]
pub use write::write;
pub use write::{Touched, WriteStats, remove_stale, write_files};

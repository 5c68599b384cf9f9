//! The output directory: the only part of milbrief that writes there.
//! The writer is a transaction: every file whose bytes changed is staged
//! under a temporary name first, and moved into place only when all are
//! written, so a failed build leaves the output as it was. Files the site
//! no longer produces are removed when milbrief wrote them; anything else
//! is kept and reported.
//!
//! - `guard`: what the output directory may be, and what may be written;
//! - `owned`: what milbrief wrote there (the marker's list);
//! - `stage`: the writer, which stages, then commits (`stage/way`: what
//!   is in its way);
//! - `scan`: what the output holds now, found by walking it;
//! - `record`: the cache's record of the output, which spares the next
//!   build the walk;
//! - `write`: removing what the site no longer has.

mod guard;
mod owned;
mod record;
mod scan;
mod stage;
#[cfg(test)]
mod tests;
mod write;

pub use guard::check_output_dir;
pub use owned::{foreign, kept_notice};
pub use record::{OutputRec, PageRec, listing, scan_cached};
pub use scan::{Scan, scan};
pub use stage::{BATCH, OutputSink, Writer, recover};
#[cfg(test)]
pub use write::write;
pub use write::{Touched, WriteStats};

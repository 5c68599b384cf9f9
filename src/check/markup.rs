//! What `check` says about inputs a build copes with silently: a raw-text
//! element (`<style>`, `<script>`, `<textarea>` …) or comment opened in an
//! article and never closed (the page shows it as text), a FIFO or other
//! special file named `*.md` under `content/` (the build skips it), and
//! files in the output directory that milbrief did not write (kept).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Problems;
use crate::layout;
use crate::load;
use crate::markdown::MarkdownOptions;

/// Warns about each article whose Markdown opens a raw-text element or a
/// comment and never closes it. Only files holding a `<` are rendered
/// again.
pub(super) fn unclosed_html(
    root: &Path,
    files: &[PathBuf],
    options: &MarkdownOptions,
    p: &mut Problems,
) {
    let found: Vec<(PathBuf, Vec<String>)> = files
        .par_iter()
        .filter_map(|rel| {
            let text = std::fs::read_to_string(root.join(rel)).ok()?;
            if !text.contains('<') {
                return None;
            }
            let (_, rendered) = load::lenient_text(&text, options).ok()?;
            (!rendered.unclosed_html.is_empty()).then(|| (rel.clone(), rendered.unclosed_html))
        })
        .collect();
    for (rel, tags) in found {
        for tag in tags {
            p.warn(
                &rel,
                None,
                "unclosed-html",
                format!("{tag} is opened and never closed: the page shows it as text; close it, or write it as `{}` to show it", tag.replace('<', "&lt;")),
            );
        }
    }
}

/// Warns about each FIFO, socket or device named `*.md` under `content/`:
/// the build skips it.
pub(super) fn special_files(root: &Path, p: &mut Problems) {
    let dir = root.join(layout::CONTENT_DIR);
    for entry in load::content_walker(&dir) {
        let Ok(entry) = entry else { continue };
        let ft = entry.file_type();
        let md = entry.path().extension().is_some_and(|e| e == "md");
        if entry.depth() > 0 && md && !ft.is_file() && !ft.is_dir() && !ft.is_symlink() {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            p.warn(
                rel,
                None,
                "special-file-skipped",
                "not a regular file (a FIFO, socket or device): the build skips it".into(),
            );
        }
    }
}

/// Notes what the output directory holds that milbrief did not write: a
/// build keeps it (and `build --clean` removes it).
pub(super) fn foreign_output(root: &Path, p: &mut Problems) {
    let out = root.join(layout::OUTPUT_DIR);
    if let Ok(names) = crate::output::foreign(&out)
        && !names.is_empty()
    {
        p.warn(
            Path::new(layout::OUTPUT_DIR),
            None,
            "not-written",
            crate::output::kept_notice(&names),
        );
    }
}

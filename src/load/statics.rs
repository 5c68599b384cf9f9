//! The site's static files: `static/` copied as it is, and the built-in
//! files it does not override. They are read with the other inputs, and a
//! static file that would overwrite a generated page is a problem.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context as _;

use crate::diag::{Diagnostic, Diagnostics};
use crate::layout::STATIC_DIR;
use crate::model::Output;

/// The built-in static files, written unless the site has its own.
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("search.js", include_bytes!("../../static/search.js")),
];

/// The site's `static/` files and the built-in ones it does not override.
pub fn static_outputs(root: &Path) -> anyhow::Result<Vec<Output>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let dir = root.join(STATIC_DIR);
    if dir.is_dir() {
        let walker = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(entry.path())
                .with_context(|| format!("cannot read {}", entry.path().display()))?;
            seen.insert(rel.clone());
            out.push(Output::new(rel, bytes));
        }
    }
    for (name, bytes) in BUILTIN_STATIC {
        if !seen.contains(*name) {
            out.push(Output::new(*name, bytes.to_vec()));
        }
    }
    Ok(out)
}

/// Static files that would overwrite a page the site generates, each as an
/// error naming the static file.
pub fn static_clashes(statics: &[Output], is_page: impl Fn(&str) -> bool) -> Diagnostics {
    let mut clash = Diagnostics::default();
    for s in statics.iter().filter(|s| is_page(&s.path)) {
        clash.0.push(
            Diagnostic::new(
                Path::new(STATIC_DIR).join(&s.path),
                format!("would overwrite the generated page {}", s.path),
            )
            .code("output-clash"),
        );
    }
    clash
}

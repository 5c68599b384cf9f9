//! The inputs of an import: files, the files of a directory, standard
//! input; their bytes decoded, their kind told.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::report::Outcome;
use crate::diag::display_path;

/// Decodes an input's bytes: UTF-8 text, not binary.
pub fn decode(bytes: Vec<u8>) -> anyhow::Result<String> {
    if bytes.contains(&0) {
        anyhow::bail!("a binary file, not text or an HTML page");
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
            let (l, c) = crate::diag::line_col(valid, at);
            anyhow::bail!("not UTF-8 text (line {l}, column {c}); save it as UTF-8")
        }
    }
}

/// An HTML page by its name or its first bytes.
pub fn is_html(name: &str, text: &str) -> bool {
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    if matches!(ext.as_deref(), Some("html" | "htm" | "xhtml" | "shtml")) {
        return true;
    }
    let head: String = text.trim_start().chars().take(1024).collect::<String>();
    let head = head.to_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with('<') && (head.contains("<html") || head.contains("<head")))
}

/// One input: a file, or standard input.
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) => display_path(p),
        }
    }

    pub fn read(&self) -> anyhow::Result<String> {
        let bytes = match self {
            Input::Stdin => {
                let mut b = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut b)
                    .context("cannot read standard input")?;
                b
            }
            Input::File(p) => std::fs::read(p).map_err(|e| anyhow::anyhow!("cannot read: {e}"))?,
        };
        decode(bytes)
    }
}

/// The inputs named on the command line; directories give the files in
/// them (not sub-directories, which are reported).
pub fn collect(paths: &[PathBuf], outcomes: &mut Vec<Outcome>) -> Vec<Input> {
    let mut inputs = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let entries = match std::fs::read_dir(p) {
                Ok(rd) => rd
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .collect::<Vec<_>>(),
                Err(e) => {
                    outcomes.push(Outcome::failed(
                        &display_path(p),
                        &anyhow::anyhow!("cannot read the directory: {e}"),
                    ));
                    continue;
                }
            };
            let mut entries = entries;
            entries.sort();
            for e in &entries {
                let name = e
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if name.starts_with('.') {
                    continue;
                }
                let Ok(meta) = std::fs::metadata(e) else {
                    outcomes.push(Outcome::Skipped {
                        input: display_path(e),
                        reason: "cannot be read (a broken link?)".to_string(),
                    });
                    continue;
                };
                if meta.is_dir() {
                    // "Page_files/" next to a saved "Page.html" holds its assets.
                    let page = name.strip_suffix("_files").is_some_and(|stem| {
                        ["html", "htm"]
                            .iter()
                            .any(|x| p.join(format!("{stem}.{x}")).is_file())
                    });
                    if !page {
                        outcomes.push(Outcome::Skipped {
                            input: display_path(e),
                            reason: "a sub-directory (name it to import it)".to_string(),
                        });
                    }
                } else if meta.is_file() {
                    inputs.push(Input::File(e.clone()));
                } else {
                    // A FIFO or device would block or never end; named on
                    // the command line (`<(curl …)`), one is read.
                    outcomes.push(Outcome::Skipped {
                        input: display_path(e),
                        reason: "not a regular file (a FIFO, socket or device)".to_string(),
                    });
                }
            }
        } else if p.exists() {
            inputs.push(Input::File(p.clone()));
        } else {
            outcomes.push(Outcome::failed(
                &display_path(p),
                &anyhow::anyhow!("no such file or directory"),
            ));
        }
    }
    inputs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_input() {
        assert!(is_html("page.HTM", "anything"));
        assert!(is_html("-", "\n  <!DOCTYPE html><html>"));
        assert!(!is_html("a.txt", "Headline\n\n<b>not a page</b>"));
        assert!(decode(b"ok".to_vec()).is_ok());
        let e = decode(b"PNG\0\x01".to_vec()).unwrap_err().to_string();
        assert!(e.contains("binary"), "{e}");
        // A NUL far into a file is as binary as one at the start.
        let mut late = b"text ".repeat(4000);
        late.push(0);
        assert!(decode(late).unwrap_err().to_string().contains("binary"));
        let e = decode(b"a\nb\xff".to_vec()).unwrap_err().to_string();
        assert!(e.contains("line 2, column 2"), "{e}");
    }
}

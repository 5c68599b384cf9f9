//! User-facing diagnostics: `path:line:col: message`.
//!
//! The pipeline gathers every problem it can find in one pass (a site with
//! three broken files reports three errors, not the first one only) and
//! returns them as [`Diagnostics`], which `main` prints one per line.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub col: Option<usize>,
    pub message: String,
    /// A stable identifier of the kind of problem ("unknown-key"), for
    /// `milbrief check --format json`; `None` where no stage set one.
    pub code: Option<&'static str>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line: None,
            col: None,
            message: message.into(),
            code: None,
        }
    }

    /// Sets the stable code of the kind of problem.
    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = Some(line);
        self.col = Some(col);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", display_path(&self.path))?;
        match (self.line, self.col) {
            (Some(l), Some(c)) => write!(f, ":{l}:{c}")?,
            (Some(l), None) => write!(f, ":{l}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found by one pipeline stage: the list
/// [`Error::Site`](crate::Error::Site) carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when empty, else `Err(self)` [sorted](Self::sorted).
    pub fn into_result(self) -> Result<(), Diagnostics> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.sorted())
        }
    }

    /// The problems sorted by path and position, each once.
    pub fn sorted(mut self) -> Diagnostics {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
        });
        self.0.dedup();
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// A path as printed to users: forward slashes, no leading "./".
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// 1-based line and character column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let t = "ab\ncdé\nf";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 7), (2, 4));
        assert_eq!(line_col(t, 8), (3, 1));
        assert_eq!(line_col(t, 100), (3, 2));
    }

    #[test]
    fn diagnostics_print_path_line_col() {
        let d = Diagnostic::new("content/a.md", "unknown key `titel`").at(2, 1);
        assert_eq!(d.to_string(), "content/a.md:2:1: unknown key `titel`");
        let d = Diagnostic::new("./content/a.md", "empty");
        assert_eq!(d.to_string(), "content/a.md: empty");
    }
}

/// A size in bytes as people read it: "812 bytes", "37.5 KiB", "4 MiB"
/// (tenths rounded down; exact multiples without a decimal).
pub fn size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    let (unit, name) = match bytes {
        b if b < KIB => return format!("{b} bytes"),
        b if b < KIB * KIB => (KIB, "KiB"),
        b if b < KIB * KIB * KIB => (KIB * KIB, "MiB"),
        _ => (KIB * KIB * KIB, "GiB"),
    };
    if bytes.is_multiple_of(unit) {
        return format!("{} {name}", bytes / unit);
    }
    let tenths = bytes * 10 / unit;
    format!("{}.{} {name}", tenths / 10, tenths % 10)
}

/// A TOML parser's message, naming the key of a "duplicate key" error
/// (the parser points at it but does not say it).
pub fn toml_message(message: &str, text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let message = message.trim();
    if message.starts_with("duplicate key")
        && let Some(key) = span.and_then(|s| text.get(s))
    {
        let key = key.trim();
        if !key.is_empty() && !message.contains(key) && key.len() <= 100 {
            return format!("duplicate key `{key}`");
        }
    }
    message.to_string()
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_read_them() {
        assert_eq!(size(812), "812 bytes");
        assert_eq!(size(4 * 1024 * 1024), "4 MiB");
        assert_eq!(size(4 * 1024 * 1024 + 1), "4.0 MiB");
        assert_eq!(size(4 * 1024 * 1024 + 300 * 1024), "4.2 MiB");
        assert_eq!(size(20 * 1024 + 512), "20.5 KiB");
        assert_eq!(size(1024), "1 KiB");
    }
}

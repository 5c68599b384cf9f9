//! What milbrief knows of files on disk without reading them, and how it
//! replaces one: file stamps (length and modification time) and the atomic
//! writer, shared by the build cache and the output writer.

use std::io::Write as _;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// A file's identity as the file system reports it: length, modification
/// time and, where the system keeps one, status-change time (nanoseconds
/// since 1970). The status-change time cannot be set back: a file edited
/// and given its old modification time again (`touch -r`) still gets
/// another stamp, as git's index sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileStamp {
    pub len: u64,
    pub mtime: Option<i128>,
    pub ctime: Option<i128>,
}

impl FileStamp {
    pub fn from_meta(m: &std::fs::Metadata) -> FileStamp {
        FileStamp {
            len: m.len(),
            mtime: m.modified().ok().map(nanos),
            ctime: ctime(m),
        }
    }

    /// The stamp of a regular file; `None` when there is none.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let m = std::fs::metadata(path).ok()?;
        m.is_file().then(|| FileStamp::from_meta(&m))
    }
}

/// The status-change time of a file (Unix), in nanoseconds since 1970.
#[cfg(unix)]
fn ctime(m: &std::fs::Metadata) -> Option<i128> {
    use std::os::unix::fs::MetadataExt as _;
    Some(i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec()))
}

/// Other systems keep no status-change time that milbrief reads.
#[cfg(not(unix))]
fn ctime(_: &std::fs::Metadata) -> Option<i128> {
    None
}

/// Nanoseconds since 1970 (negative before).
pub fn nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// Replaces the file at `path` with `bytes` atomically: they are written to
/// a temporary file beside it (`.name.PID.tmp`), which is then renamed over
/// it, so that a reader sees the old file or the new one, never a part.
/// The directory must exist. Returns the new file's stamp.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<FileStamp> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let res = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.flush()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        // Taken after the rename, which changes the status-change time.
        Ok(FileStamp::from_meta(&std::fs::symlink_metadata(path)?))
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_replace_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        let s = write_atomic(&p, b"one").unwrap();
        assert_eq!(s.len, 3);
        assert_eq!(FileStamp::of(&p), Some(s));
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        assert!(write_atomic(&dir.path().join("no/such/dir"), b"x").is_err());
        assert_eq!(FileStamp::of(dir.path()), None, "a directory has no stamp");
    }

    #[test]
    fn times_before_1970_are_negative() {
        let t = UNIX_EPOCH - std::time::Duration::from_secs(1);
        assert_eq!(nanos(t), -1_000_000_000);
    }
}

//! Why the build cache cannot be used: a file of it and what is wrong with
//! it. Any such error makes the build a full one; the reason is told as a
//! notice.

use std::fmt;
use std::path::PathBuf;

/// A file of the cache that cannot be used, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub file: PathBuf,
    pub damage: Damage,
}

impl Error {
    pub fn new(file: impl Into<PathBuf>, damage: Damage) -> Error {
        Error {
            file: file.into(),
            damage,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.damage)
    }
}

impl std::error::Error for Error {}

/// What is wrong with a file of the cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Damage {
    /// There is no such file.
    Missing,
    /// It cannot be read: the system's reason.
    Io(String),
    /// It does not start as a cache file does.
    NotCache,
    /// It was written in another format.
    Format(u32),
    /// It belongs to another state than the one read.
    Stale,
    /// It ends too soon (or too late).
    Truncated,
    /// A section does not match its checksum.
    Checksum,
    /// A section does not decode: the decoder's reason.
    Decode(String),
    /// The state lists another number of shards.
    ShardCount,
    /// An article's body or explanations lie outside their section.
    RangeOutside,
    /// A part was asked for an article the shard does not hold.
    NoSuchArticle,
    /// The shard was replaced since it was loaded.
    Changed,
    /// A body does not match its checksum.
    BodyChecksum,
    /// A body is too large to read on this machine.
    BodyTooLarge,
    /// A body is not UTF-8.
    NotUtf8,
    /// Explanations do not decode: the decoder's reason.
    Explanations(String),
    /// The state names no memo.
    NoMemo,
}

impl Damage {
    /// The reason for a failed read: a file that ends too soon is truncated.
    pub fn of_io(e: &std::io::Error) -> Damage {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            Damage::Truncated
        } else {
            Damage::Io(e.to_string())
        }
    }
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Damage::Missing => f.write_str("missing"),
            Damage::Io(e) => write!(f, "cannot read: {e}"),
            Damage::NotCache => f.write_str("not a milbrief cache file"),
            Damage::Format(n) => write!(f, "cache format {n}, expected {}", super::frame::FORMAT),
            Damage::Stale => f.write_str("does not match the cache state"),
            Damage::Truncated => f.write_str("truncated"),
            Damage::Checksum => f.write_str("checksum mismatch"),
            Damage::Decode(e) => write!(f, "cannot decode: {e}"),
            Damage::ShardCount => f.write_str("unexpected shard count"),
            Damage::RangeOutside => f.write_str("a body or explanations range outside its section"),
            Damage::NoSuchArticle => f.write_str("no such article"),
            Damage::Changed => f.write_str("changed since it was loaded"),
            Damage::BodyChecksum => f.write_str("a body does not match its checksum"),
            Damage::BodyTooLarge => f.write_str("a body too large"),
            Damage::NotUtf8 => f.write_str("a body is not UTF-8"),
            Damage::Explanations(e) => write!(f, "cannot decode explanations: {e}"),
            Damage::NoMemo => f.write_str("no memo"),
        }
    }
}

//! milbrief's one error type. A caller matches on what it can act on: the
//! site's own problems ([`Error::Site`], every one found, printed
//! `path:line:col: message`), a damaged build cache ([`Error::Cache`],
//! which the build handles by building everything), and anything else
//! ([`Error::Other`], an `anyhow` chain: a file that cannot be read or
//! written, an output directory refused).

use std::fmt;

use crate::diag::Diagnostics;
use crate::model::Unreadable;

#[derive(Debug)]
pub enum Error {
    /// Problems of the site's files: every one found.
    Site(Diagnostics),
    /// A part of an article kept in the build cache cannot be read: what
    /// was made with the cache cannot be trusted.
    Cache(Unreadable),
    /// Anything else that stops the work.
    Other(anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The site's problems, if that is what this is.
    pub fn problems(&self) -> Option<&Diagnostics> {
        match self {
            Error::Site(d) => Some(d),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Site(d) => fmt::Display::fmt(d, f),
            Error::Cache(e) => write!(f, "the build cache is damaged: {e}"),
            Error::Other(e) => {
                if f.alternate() {
                    write!(f, "{e:#}")
                } else {
                    fmt::Display::fmt(e, f)
                }
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Site(_) => None,
            Error::Cache(e) => Some(e),
            Error::Other(e) => e.source(),
        }
    }
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Error {
        Error::Site(d)
    }
}

impl From<Unreadable> for Error {
    fn from(e: Unreadable) -> Error {
        Error::Cache(e)
    }
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Error {
        Error::Other(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::Other(e.into())
    }
}

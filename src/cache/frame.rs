//! The framing of every cache file: `MAGIC`, the format, a tag (a shard's
//! digest, the memo's tag, 0 for the state), then each section's length and
//! checksum, then the sections one after the other. The reader knows how
//! many sections a file has. Files are replaced atomically.

use std::io::Read;
use std::path::Path;

use super::error::{Damage, Error};

const MAGIC: &[u8; 8] = b"MBCACHE\x01";
/// Bumped whenever the encoding of any cache file changes.
pub const FORMAT: u32 = 9;

/// The length of the header of a file of `sections` sections.
pub fn header_len(sections: usize) -> usize {
    8 + 4 + 8 + 16 * sections
}

/// Writes a framed file of `sections`, tagged `tag`.
pub fn write_framed(path: &Path, tag: u64, sections: &[&[u8]]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    crate::disk::write_atomic(path, &framed(tag, sections))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The bytes of a framed file of `sections`, tagged `tag`.
pub fn framed(tag: u64, sections: &[&[u8]]) -> Vec<u8> {
    let total: usize = sections.iter().map(|s| s.len()).sum();
    let mut bytes = Vec::with_capacity(header_len(sections.len()) + total);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&tag.to_le_bytes());
    for s in sections {
        bytes.extend_from_slice(&(s.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&checksum(s).to_le_bytes());
    }
    for s in sections {
        bytes.extend_from_slice(s);
    }
    bytes
}

/// The `sections` sections of a framed file, each checked against its
/// checksum; the file's tag must be `tag`.
pub fn read_framed(path: &Path, tag: u64, sections: usize) -> Result<Vec<Vec<u8>>, Error> {
    let (mut f, size) = open(path)?;
    unframe(&mut f, size, tag, sections).map_err(|d| Error::new(path, d))
}

/// A file and its length.
pub fn open(path: &Path) -> Result<(std::fs::File, u64), Error> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::new(path, Damage::Missing));
        }
        Err(e) => return Err(Error::new(path, Damage::Io(e.to_string()))),
    };
    let size = f
        .metadata()
        .map_err(|e| Error::new(path, Damage::Io(e.to_string())))?
        .len();
    Ok((f, size))
}

/// Reads the `sections` sections of a framed file of `size` bytes from
/// `r`.
pub fn unframe(
    r: &mut impl Read,
    size: u64,
    tag: u64,
    sections: usize,
) -> Result<Vec<Vec<u8>>, Damage> {
    let header = read_header(r, size, tag, sections)?;
    header
        .sections
        .into_iter()
        .map(|s| read_section(r, s))
        .collect()
}

/// The header of a framed file.
pub struct Header {
    pub bytes: Vec<u8>,
    /// Each section's length and checksum.
    pub sections: Vec<(u64, u64)>,
}

/// Reads and checks the header of a framed file of `size` bytes and
/// `sections` sections. The lengths of the sections add up to `size`:
/// what they say can be allocated.
pub fn read_header(
    r: &mut impl Read,
    size: u64,
    tag: u64,
    sections: usize,
) -> Result<Header, Damage> {
    let mut head = vec![0; header_len(sections)];
    if size < head.len() as u64 {
        return Err(Damage::NotCache);
    }
    r.read_exact(&mut head).map_err(|e| Damage::of_io(&e))?;
    if &head[..8] != MAGIC {
        return Err(Damage::NotCache);
    }
    let word = |at: usize| {
        head.get(at..at + 8)
            .and_then(|w| w.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    let format = u32::from_le_bytes(head[8..12].try_into().unwrap_or([0; 4]));
    if format != FORMAT {
        return Err(Damage::Format(format));
    }
    if word(12) != tag {
        return Err(Damage::Stale);
    }
    let list: Vec<(u64, u64)> = (0..sections)
        .map(|i| (word(20 + 16 * i), word(28 + 16 * i)))
        .collect();
    let total = list
        .iter()
        .try_fold(head.len() as u64, |n, s| n.checked_add(s.0));
    if total != Some(size) {
        return Err(Damage::Truncated);
    }
    Ok(Header {
        bytes: head,
        sections: list,
    })
}

/// Reads the next section, of the length and checksum given.
pub fn read_section(r: &mut impl Read, (len, sum): (u64, u64)) -> Result<Vec<u8>, Damage> {
    let len = usize::try_from(len).map_err(|_| Damage::Truncated)?;
    let mut bytes = vec![0; len];
    r.read_exact(&mut bytes).map_err(|e| Damage::of_io(&e))?;
    if checksum(&bytes) != sum {
        return Err(Damage::Checksum);
    }
    Ok(bytes)
}

/// A fast checksum, eight bytes at a time: it detects damage, it is not a
/// defence against tampering.
pub fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut lanes = [K, K.rotate_left(17), K.rotate_left(31), K.rotate_left(47)];
    let mut blocks = bytes.chunks_exact(32);
    for b in &mut blocks {
        for (l, w) in lanes.iter_mut().zip(b.chunks_exact(8)) {
            let w = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
            *l = (*l ^ w).wrapping_mul(0x0000_0100_0000_01B3).rotate_left(29);
        }
    }
    let mut h = Fnv::new();
    for l in lanes {
        h.u64(l);
    }
    h.bytes(blocks.remainder());
    h.u64(bytes.len() as u64);
    h.finish()
}

/// FNV-1a, stable across builds and platforms (unlike the standard hasher).
pub struct Fnv(u64);

impl Fnv {
    pub fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub fn bytes(&mut self, b: &[u8]) {
        for &x in b {
            self.0 = (self.0 ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01B3);
        }
        // Separates consecutive fields.
        self.0 = (self.0 ^ 0xff).wrapping_mul(0x0000_0100_0000_01B3);
    }

    pub fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames `bytes` as a file of one section and reads it back.
    fn round(bytes: &[u8], tag: u64) -> Result<Vec<Vec<u8>>, Damage> {
        unframe(&mut &bytes[..], bytes.len() as u64, tag, 1)
    }

    #[test]
    fn framing_detects_damage() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        write_framed(&p, 7, &[b"hello, cache"]).unwrap();
        let bytes = std::fs::read(&p).unwrap();
        assert_eq!(round(&bytes, 7).unwrap(), [b"hello, cache"]);
        assert!(round(&bytes, 8).is_err(), "another tag");
        assert!(round(&bytes[..bytes.len() - 1], 7).is_err(), "truncated");
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(round(&longer, 7).is_err(), "trailing bytes");
        let mut flipped = bytes.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 1;
        assert!(round(&flipped, 7).is_err(), "a flipped bit");
        assert!(round(b"garbage", 7).is_err());
        // A length far past the file's end is refused before anything is
        // allocated for it.
        let mut huge = bytes.clone();
        huge[20..28].copy_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(round(&huge, 7).unwrap_err().to_string(), "truncated");
        assert!(matches!(
            read_framed(&dir.path().join("none"), 7, 1),
            Err(Error {
                damage: Damage::Missing,
                ..
            })
        ));
    }

    #[test]
    fn framing_checks_every_section() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        write_framed(&p, 7, &[b"meta", b"", b"bodies"]).unwrap();
        let sections = read_framed(&p, 7, 3).unwrap();
        assert_eq!(sections, [&b"meta"[..], b"", b"bodies"]);
        assert!(read_framed(&p, 7, 2).is_err(), "another section count");
        let bytes = std::fs::read(&p).unwrap();
        for at in header_len(3)..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x80;
            std::fs::write(&p, &flipped).unwrap();
            assert!(read_framed(&p, 7, 3).is_err(), "a flipped bit at {at}");
        }
    }
}

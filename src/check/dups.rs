//! Likely duplicate articles: the same original URL, or nearly the same
//! text. Near-duplicates are found with MinHash signatures over word
//! shingles, bucketed by locality-sensitive hashing bands so that only
//! articles sharing a band are compared: close to linear in the number of
//! articles. Each candidate pair is confirmed with the exact Jaccard
//! similarity of its shingle sets.

use std::collections::{BTreeMap, HashMap, HashSet};

/// Words per shingle.
const SHINGLE: usize = 3;
/// Texts with fewer shingles are too short to judge.
pub const MIN_SHINGLES: usize = 20;
/// Hash functions in a signature, as bands × rows.
pub const BANDS: usize = 16;
const ROWS: usize = 4;
pub const HASHES: usize = BANDS * ROWS;
/// Jaccard similarity of shingle sets from which two texts are reported.
pub const THRESHOLD: f64 = 0.8;

/// 64-bit FNV-1a, then a finaliser: stable across runs and platforms.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

/// SplitMix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The sorted, distinct hashes of a text's word shingles. Words are runs
/// of letters and digits, lower-cased.
pub fn shingles(text: &str) -> Vec<u64> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut out: Vec<u64> = words
        .windows(SHINGLE)
        .map(|w| hash_bytes(w.join(" ").as_bytes()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The MinHash signature of a text's shingles.
pub fn signature(shingles: &[u64]) -> [u64; HASHES] {
    let mut sig = [u64::MAX; HASHES];
    for &s in shingles {
        for (i, slot) in sig.iter_mut().enumerate() {
            let h = mix(s ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            if h < *slot {
                *slot = h;
            }
        }
    }
    sig
}

/// Jaccard similarity of two sorted, distinct lists.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

/// The locality-sensitive hashing buckets of a signature, one per band:
/// texts sharing a bucket are candidates for comparison.
pub fn band_keys(sig: &[u64; HASHES]) -> [(usize, u64); BANDS] {
    std::array::from_fn(|band| {
        let rows = &sig[band * ROWS..(band + 1) * ROWS];
        let key = rows
            .iter()
            .fold(band as u64, |h, r| mix(h ^ r.rotate_left(17)));
        (band, key)
    })
}

/// Pairs `(i, j, similarity)` with `i < j` of texts at least
/// `THRESHOLD` alike, ordered by `i` then `j`.
pub fn near_duplicates(texts: &[&str]) -> Vec<(usize, usize, f64)> {
    use rayon::prelude::*;
    let sets: Vec<Vec<u64>> = texts.par_iter().map(|t| shingles(t)).collect();
    near_duplicates_of(&sets)
}

/// [`near_duplicates`] of texts given by their [`shingles`].
pub fn near_duplicates_of<S: AsRef<[u64]> + Sync>(sets: &[S]) -> Vec<(usize, usize, f64)> {
    use rayon::prelude::*;
    let sigs: Vec<Option<[u64; HASHES]>> = sets
        .par_iter()
        .map(|s| (s.as_ref().len() >= MIN_SHINGLES).then(|| signature(s.as_ref())))
        .collect();
    let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
    for (i, sig) in sigs.iter().enumerate() {
        let Some(sig) = sig else { continue };
        for key in band_keys(sig) {
            buckets.entry(key).or_default().push(i);
        }
    }
    let mut candidates: HashSet<(usize, usize)> = HashSet::new();
    for members in buckets.values().filter(|m| m.len() > 1) {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                candidates.insert((i.min(j), i.max(j)));
            }
        }
    }
    let mut found: Vec<(usize, usize, f64)> = candidates
        .into_par_iter()
        .filter_map(|(i, j)| {
            let s = jaccard(sets[i].as_ref(), sets[j].as_ref());
            (s >= THRESHOLD).then_some((i, j, s))
        })
        .collect();
    found.sort_by_key(|a| (a.0, a.1));
    found
}

/// Groups of near-duplicates: each text that is like an earlier one is
/// reported once, against the earliest text of its group. Returns
/// `later → (earliest, similarity)`: the similarity to the earliest text
/// when that pair was found, else the highest of the later text's pairs.
pub fn groups(pairs: &[(usize, usize, f64)]) -> BTreeMap<usize, (usize, f64)> {
    let mut parent: BTreeMap<usize, usize> = BTreeMap::new();
    fn root(parent: &BTreeMap<usize, usize>, mut x: usize) -> usize {
        while let Some(&p) = parent.get(&x) {
            if p == x {
                break;
            }
            x = p;
        }
        x
    }
    for &(i, j, _) in pairs {
        let (a, b) = (root(&parent, i), root(&parent, j));
        // The smaller index is the root: the earliest text of the group.
        parent.insert(a.max(b), a.min(b));
        parent.entry(a.min(b)).or_insert(a.min(b));
    }
    let found: HashSet<(usize, usize)> = pairs.iter().map(|p| (p.0, p.1)).collect();
    let mut out: BTreeMap<usize, (usize, f64)> = BTreeMap::new();
    for &(i, j, s) in pairs {
        for x in [i, j] {
            let r = root(&parent, x);
            if r == x {
                continue;
            }
            let direct = i.min(j) == r && i.max(j) == x;
            let e = out.entry(x).or_insert((r, s));
            if direct {
                *e = (r, s);
            } else if !found.contains(&(r, x)) && s > e.1 {
                e.1 = s;
            }
        }
    }
    out
}

/// A URL as compared for duplicates: no fragment, no tracking parameters,
/// scheme and host in lower case, no trailing slash.
pub fn normalise_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (url, None),
    };
    let head = match head.find("://") {
        Some(i) => {
            let after = &head[i + 3..];
            let host_end = after.find('/').unwrap_or(after.len());
            let host = after[..host_end].to_ascii_lowercase();
            let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
            // http and https name the same story.
            format!("{host}{}", &after[host_end..])
        }
        None => head.to_string(),
    };
    let head = head.trim_end_matches('/');
    let kept: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| {
            let k = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            !p.is_empty()
                && !k.starts_with("utm_")
                && !matches!(k.as_str(), "fbclid" | "gclid" | "ref" | "cmpid")
        })
        .collect();
    if kept.is_empty() {
        head.to_string()
    } else {
        format!("{head}?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The navy of the republic commissioned two new frigates on Monday at the northern naval base, \
        officials said, adding that the ships would patrol the strait and escort merchant convoys through \
        the busy sea lanes. The frigates carry anti-ship missiles, a medium-calibre gun and a helicopter, \
        and were built at the national shipyard under a contract signed five years ago.";

    #[test]
    fn near_identical_texts_are_found_and_different_ones_are_not() {
        let edited = STORY
            .replace("Monday", "Tuesday")
            .replace("five years", "six years");
        let other = "Parliament approved the defence budget for next year after a long debate on procurement, \
            with extra money for air defence, ammunition and the training of reservists, while the opposition \
            demanded an audit of the helicopter programme and more spending on housing for soldiers' families.";
        let pairs = near_duplicates(&[STORY, other, &edited, "too short to judge"]);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].0, pairs[0].1), (0, 2));
        assert!(pairs[0].2 >= THRESHOLD && pairs[0].2 < 1.0);
    }

    #[test]
    fn groups_report_each_later_text_once_against_the_first() {
        let g = groups(&[(0, 2, 0.9), (2, 5, 0.95), (0, 5, 0.85), (3, 4, 1.0)]);
        let v: Vec<(usize, usize)> = g.iter().map(|(k, (r, _))| (*k, *r)).collect();
        assert_eq!(v, [(2, 0), (4, 3), (5, 0)]);
        assert_eq!(g[&5].1, 0.85);
    }

    #[test]
    fn urls_compare_without_noise() {
        assert_eq!(
            normalise_url("https://www.Example.org/a/story/?utm_source=x&id=3#top"),
            normalise_url("http://example.org/a/story?id=3")
        );
        assert_ne!(
            normalise_url("https://example.org/a?id=3"),
            normalise_url("https://example.org/a?id=4")
        );
    }
}

//! Finding the known name nearest to a misspelt one.

use super::{Source, Sources, name_key};

impl Sources {
    /// The known source whose name or alias is nearest to `name`, if any is
    /// near enough to be a likely misspelling.
    pub fn nearest(&self, name: &str) -> Option<&Source> {
        let key = name_key(name);
        if key.is_empty() {
            return None;
        }
        let mut best: Option<(usize, &str, usize)> = None;
        for (k, &i) in &self.by_name {
            let d = edit_distance(&key, k);
            let limit = (key.chars().count().max(k.chars().count()) / 4).max(1);
            if d <= limit && best.is_none_or(|(bd, bk, _)| (d, k.as_str()) < (bd, bk)) {
                best = Some((d, k, i));
            }
        }
        best.map(|(_, _, i)| &self.list[i])
    }
}

/// Edit distance by characters, a swap of neighbours counting as one edit
/// (optimal string alignment).
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

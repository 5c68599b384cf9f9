//! "Did you mean …?": the known name nearest to a misspelt one, for the
//! errors on unknown countries and topics.

/// Edit distance by characters, a swap of neighbours counting as one edit
/// (optimal string alignment). Only the first 64 characters of `a` count:
/// the inputs are names.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = best;
        }
    }
    d[a.len() * w + b.len()]
}

/// The words of a name, lower-cased, without punctuation, sorted: "Korea,
/// South" and "South Korea" are one name written two ways.
fn words(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut w: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    w.sort_unstable();
    w.join(" ")
}

/// The candidate nearest to `name`, when it is near enough to be a likely
/// misspelling (about one edit in four characters; none in a name of two)
/// or the same words in another order. Ties go to the first candidate, so
/// callers give them in a fixed order.
pub fn nearest<'a, T>(name: &str, candidates: impl IntoIterator<Item = (&'a str, T)>) -> Option<T> {
    let key = words(name);
    if key.is_empty() {
        return None;
    }
    let mut best: Option<(usize, T)> = None;
    for (c, t) in candidates {
        let other = words(c);
        let d = edit_distance(&key, &other);
        // A code of two letters is one edit away from dozens of others: it
        // is only matched in full.
        let limit = if key.chars().count() <= 2 {
            0
        } else {
            (key.chars().count().max(other.chars().count()) / 4).max(1)
        };
        if d <= limit && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
            best = Some((d, t));
        }
    }
    best.map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("procurment", "procurement"), 1);
        assert_eq!(edit_distance("pakstan", "pakistan"), 1);
        assert_eq!(edit_distance("navl", "nval"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn nearest_names() {
        let names = [("Pakistan", 1), ("South Korea", 2), ("Iran", 3)];
        assert_eq!(nearest("Pakstan", names), Some(1));
        assert_eq!(nearest("Korea South", names), Some(2));
        assert_eq!(nearest("korea, south", names), Some(2));
        assert_eq!(nearest("Narnia", names), None);
        assert_eq!(nearest("", names), None);
        let codes = [("PK", 1), ("PL", 2)];
        assert_eq!(nearest("PX", codes), None, "two letters: no guess");
        assert_eq!(nearest("pk", codes), Some(1));
    }
}

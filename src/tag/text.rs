//! The shape of a text as the tagger reads it: its sentences, the words
//! next to a phrase, and the spans that are names of organisations rather
//! than words: wire tickers and company names in angle brackets
//! (`<NPT>`, `<Gibraltar Financial Corp>`) and capitalised names ending in
//! a corporate word ("Security Pacific Corp", "Hong Kong Land").

use std::ops::Range;

/// Sentence boundaries of a text: a paragraph break, or `.`, `!` or `?`
/// followed by a space and a capital, a digit or a quote, unless the word
/// before the stop is an abbreviation ("U.S.", "Gen.", "Corp.").
pub struct Sentences {
    /// Start offsets, ascending; the first is 0.
    starts: Vec<usize>,
}

/// Words whose stop does not end a sentence.
const ABBREVIATIONS: [&str; 40] = [
    "Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Adm", "Sgt", "Capt", "Maj", "Cmdr", "Sen", "Rep",
    "Gov", "St", "Ft", "Mt", "No", "Nos", "Inc", "Corp", "Co", "Ltd", "Bros", "Jan", "Feb", "Aug",
    "Sept", "Sep", "Oct", "Nov", "Dec", "vs", "Jr", "Sr", "Prof", "Rev", "Messrs", "approx",
];

impl Sentences {
    pub fn of(text: &str) -> Sentences {
        let b = text.as_bytes();
        let mut starts = Vec::with_capacity(b.len() / 100 + 1);
        starts.push(0);
        let mut i = 0;
        while i < b.len() {
            // Letters and most bytes end nothing: one comparison for them.
            if b[i] > b'?' {
                i += 1;
                continue;
            }
            match b[i] {
                b'\n' => {
                    let mut j = i + 1;
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    push(&mut starts, j);
                    i = j;
                    continue;
                }
                b'.' | b'!' | b'?' => {
                    let mut j = i + 1;
                    while j < b.len() && matches!(b[j], b'"' | b'\'' | b')') {
                        j += 1;
                    }
                    if j < b.len()
                        && b[j] == b' '
                        && b.get(j + 1).is_some_and(|&c| {
                            c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'"' || c >= 0x80
                        })
                        && !(b[i] == b'.' && is_abbreviation(&text[..i]))
                    {
                        push(&mut starts, j + 1);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Sentences { starts }
    }

    /// The number of the sentence holding byte `pos`.
    pub fn index(&self, pos: usize) -> usize {
        self.starts.partition_point(|&s| s <= pos).saturating_sub(1)
    }

    /// Where sentence `i` starts.
    pub fn start(&self, i: usize) -> usize {
        self.starts.get(i).copied().unwrap_or(usize::MAX)
    }

    /// The number of sentences (at least one, even for an empty text).
    pub fn count(&self) -> usize {
        self.starts.len()
    }
}

fn push(starts: &mut Vec<usize>, at: usize) {
    if starts.last().is_none_or(|&l| at > l) {
        starts.push(at);
    }
}

/// Whether the text ends with an abbreviation whose stop was just cut off:
/// a single letter ("U.S", "J"), a dotted form, or a listed word.
fn is_abbreviation(before: &str) -> bool {
    let b = before.as_bytes();
    let mut start = b.len();
    while start > 0 && !matches!(b[start - 1], b' ' | b'\n' | b'\t' | b'(' | b'"') {
        start -= 1;
        if b.len() - start > 12 {
            return false;
        }
    }
    let word = &before[start..];
    let letters = word.bytes().filter(u8::is_ascii_alphabetic).count();
    letters == 1 || word.contains('.') || ABBREVIATIONS.contains(&word)
}

/// Whether `b` is part of a word.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// The word just before byte `at` (skipping one run of spaces or one
/// hyphen), with its start.
pub fn word_before(text: &str, at: usize) -> Option<(usize, &str)> {
    let b = text.as_bytes();
    let mut end = at.min(b.len());
    let gap = end;
    while end > 0 && (b[end - 1] == b' ' || b[end - 1] == b'-') {
        end -= 1;
        if gap - end > 2 {
            return None;
        }
    }
    let mut start = end;
    while start > 0 && (is_word_byte(b[start - 1]) || b[start - 1] == b'\'') {
        start -= 1;
    }
    (start < end && text.is_char_boundary(start) && text.is_char_boundary(end))
        .then(|| (start, &text[start..end]))
}

/// The word just after byte `at` (skipping one run of spaces or one
/// hyphen), with its start.
pub fn word_after(text: &str, at: usize) -> Option<(usize, &str)> {
    let b = text.as_bytes();
    let mut start = at.min(b.len());
    let gap = start;
    while start < b.len() && (b[start] == b' ' || b[start] == b'-') {
        start += 1;
        if start - gap > 2 {
            return None;
        }
    }
    let mut end = start;
    while end < b.len() && is_word_byte(b[end]) {
        end += 1;
    }
    (start < end && text.is_char_boundary(start) && text.is_char_boundary(end))
        .then(|| (start, &text[start..end]))
}

/// Capitalised words that end a company's name ("Gibraltar Financial
/// Corp", "Hong Kong Land"). The first group is never an ordinary word in
/// a headline; the second also is, so it counts only in running text.
const CORPORATE: &[&str] = &[
    "Corp",
    "Corporation",
    "Inc",
    "Incorporated",
    "Co",
    "Cos",
    "Ltd",
    "Limited",
    "Plc",
    "PLC",
    "AG",
    "SA",
    "NV",
    "BV",
    "SpA",
    "GmbH",
    "AB",
    "ASA",
    "Oy",
    "Bhd",
    "Pty",
    "LLC",
    "Bancorp",
    "Bancshares",
    "Bancorporation",
    "Holdings",
    "Cie",
    "KK",
    "Ltda",
    "Berhad",
];
const CORPORATE_WORDS: &[&str] = &[
    "Group",
    "Industries",
    "Financial",
    "Finance",
    "Petroleum",
    "Airlines",
    "Airways",
    "Airline",
    "Railway",
    "Railways",
    "Railroad",
    "Bank",
    "Banks",
    "Savings",
    "Trust",
    "Securities",
    "Insurance",
    "Assurance",
    "Enterprises",
    "Resources",
    "Mines",
    "Mining",
    "Motors",
    "Steel",
    "Telephone",
    "Telecom",
    "Communications",
    "Chemicals",
    "Investments",
    "Capital",
    "Land",
    "Properties",
    "Realty",
    "Shipping",
    "Brewing",
    "Breweries",
    "Foods",
    "Partners",
    "Associates",
    "Laboratories",
];

/// Lower-case nouns that follow a capitalised name to make it a company's
/// ("the Canadian Pacific railway").
const CORPORATE_NOUNS: &[&str] = &[
    "railway",
    "railroad",
    "airline",
    "bank",
    "group",
    "company",
    "brewer",
    "conglomerate",
    "insurer",
    "utility",
];

/// Whether `word` ends a company name; `strict` keeps to forms that are
/// never ordinary words (for headlines, where every word is capitalised).
pub fn is_corporate(word: &str, strict: bool) -> bool {
    let w = word.trim_end_matches('.');
    (2..=14).contains(&w.len())
        && w.as_bytes()[0].is_ascii_uppercase()
        && (CORPORATE.contains(&w) || (!strict && CORPORATE_WORDS.contains(&w)))
}

/// Whether a lower-case word is a corporate noun ("railway", "bank").
fn is_corporate_noun(word: &str) -> bool {
    word.as_bytes()
        .first()
        .is_some_and(|&c| matches!(c, b'a' | b'b' | b'c' | b'g' | b'i' | b'r' | b'u'))
        && CORPORATE_NOUNS.contains(&word)
}

/// Spans of `text` in angle brackets on one line, at most 80 bytes long:
/// wire tickers and company names (`<NPT>`, `<Gibraltar Financial Corp>`).
pub fn bracket_spans(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let s = i + off;
        let limit = (s + 80).min(b.len());
        match b[s + 1..limit]
            .iter()
            .position(|&c| c == b'>' || c == b'<' || c == b'\n')
        {
            Some(k) if b[s + 1 + k] == b'>' && k > 0 => {
                out.push(s..s + k + 2);
                i = s + k + 2;
            }
            _ => i = s + 1,
        }
    }
    out
}

/// Words that start a sentence or a phrase without being part of a name.
pub const FUNCTION_WORDS: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "For",
    "Of",
    "And",
    "But",
    "Or",
    "By",
    "To",
    "From",
    "With",
    "As",
    "That",
    "This",
    "These",
    "Those",
    "Its",
    "His",
    "Her",
    "Their",
    "Our",
    "Both",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "Under",
    "Over",
    "Some",
    "All",
    "No",
    "Any",
    "Most",
    "Many",
    "Such",
    "Other",
    "New",
    "He",
    "She",
    "It",
    "They",
    "We",
    "There",
    "Last",
    "Next",
    "Earlier",
    "Later",
    "Meanwhile",
    "However",
    "Also",
];

/// Whether the separator `c` joins two words of one name.
fn in_run_gap(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'-' | b'/')
}

/// The word right after `at` in the same run (at most three spacing bytes
/// between, no punctuation): its start and text.
fn next_in_run(text: &str, at: usize) -> Option<(usize, &str)> {
    let b = text.as_bytes();
    let mut start = at;
    while start < b.len() && in_run_gap(b[start]) {
        start += 1;
    }
    if start == at || start - at > 3 {
        return None;
    }
    let mut end = start;
    while end < b.len() && (is_word_byte(b[end]) || b[end] == b'.' || b[end] == b'&') {
        end += 1;
    }
    let word = text.get(start..end)?;
    let word = word
        .strip_suffix('.')
        .filter(|w| !w.contains('.'))
        .unwrap_or(word);
    (!word.is_empty()).then_some((start, word))
}

/// Whether the word at `start..end` is part of an organisation's name, read
/// around it: inside angle brackets (`brackets`, from [`bracket_spans`]),
/// or in a run of capitalised words that ends in a corporate word, is
/// followed by a ticker, or (two words or more) by a corporate noun.
pub fn in_name_at(
    text: &str,
    brackets: &[Range<usize>],
    start: usize,
    end: usize,
    headline: bool,
) -> bool {
    let b = text.as_bytes();
    if inside(brackets, start) {
        return true;
    }
    let capital = |w: &str| w.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
    let mut capitals = 1;
    let mut pos = end;
    for _ in 0..4 {
        let Some((s, w)) = next_in_run(text, pos) else {
            break;
        };
        if capital(w) {
            if is_corporate(w, headline) {
                // It ends the name unless a capitalised non-corporate word follows.
                let e = s + w.len();
                let ends = next_in_run(text, e).is_none_or(|(ns, nw)| {
                    ns != e + 1 || !capital(nw) || is_corporate(nw, headline)
                });
                if ends {
                    return true;
                }
            }
            capitals += 1;
        } else if is_corporate_noun(w) {
            return !headline && capitals >= 2;
        } else if !matches!(w, "of" | "de" | "and" | "&") {
            return false;
        }
        pos = s + w.len();
        if b.get(pos) == Some(&b' ') && b.get(pos + 1) == Some(&b'<') {
            return true;
        }
    }
    b.get(end) == Some(&b' ') && b.get(end + 1) == Some(&b'<')
}

/// Whether byte `pos` is inside one of `spans` (sorted by start).
pub fn inside(spans: &[Range<usize>], pos: usize) -> bool {
    let i = spans.partition_point(|r| r.start <= pos);
    spans[..i].iter().rev().take(4).any(|r| r.contains(&pos))
}

/// Whether `pos` is inside a span that is in angle brackets.
pub fn in_brackets(text: &str, spans: &[Range<usize>], pos: usize) -> bool {
    let i = spans.partition_point(|r| r.start <= pos);
    spans[..i]
        .iter()
        .rev()
        .take(4)
        .any(|r| r.contains(&pos) && text.as_bytes().get(r.start) == Some(&b'<'))
}

/// Whether the title is written in title case or capitals (most of its
/// longer words start with a capital), so capitals there say nothing.
pub fn is_title_case(title: &str) -> bool {
    let words: Vec<&str> = title
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() > 3)
        .collect();
    let caps = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    !words.is_empty() && caps * 10 >= words.len() * 7
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        let s = Sentences::of(text);
        (0..s.count())
            .map(|i| {
                let end = if i + 1 < s.count() {
                    s.start(i + 1)
                } else {
                    text.len()
                };
                text[s.start(i)..end].trim()
            })
            .collect()
    }

    #[test]
    fn sentences_end_at_stops_and_paragraphs_not_abbreviations() {
        assert_eq!(
            sentences("The U.S. Navy sailed. Gen. Smith said so.\n\nA new paragraph"),
            [
                "The U.S. Navy sailed.",
                "Gen. Smith said so.",
                "A new paragraph"
            ]
        );
        let s = Sentences::of("One. Two.");
        assert_eq!(s.index(0), 0);
        assert_eq!(s.index(6), 1);
    }

    #[test]
    fn neighbour_words() {
        let t = "a price war, a well-drilling rig";
        assert_eq!(word_before(t, 8).map(|w| w.1), Some("price"));
        assert_eq!(word_after(t, 19).map(|w| w.1), Some("drilling"));
        assert_eq!(word_before(t, 0), None);
    }

    #[test]
    fn tickers_and_bracketed_names() {
        let t = "Shares of <NPT> rose; <Royal Dutch Petroleum Co> fell; 3 < 4 > 2.";
        let spans: Vec<&str> = bracket_spans(t).iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(spans, ["<NPT>", "<Royal Dutch Petroleum Co>", "< 4 >"]);
        assert!(in_brackets(t, &bracket_spans(t), t.find("NPT").unwrap()));
    }

    #[test]
    fn names_read_around_a_word() {
        let t = "Later Gibraltar Financial Corp. said <Royal Dutch Petroleum> and the Canadian Pacific railway and Hong Kong Land and Kenya Ports gained; Security Pacific <SPC> and Japan said.";
        let brackets = bracket_spans(t);
        let at = |w: &str| {
            let s = t.find(w).unwrap();
            in_name_at(t, &brackets, s, s + w.len(), false)
        };
        assert!(at("Gibraltar"));
        assert!(at("Dutch"));
        assert!(at("Canadian"));
        assert!(at("Hong Kong"));
        assert!(at("Security"));
        assert!(!at("Kenya"));
        assert!(!at("Japan"));
    }

    #[test]
    fn title_case_is_recognised() {
        assert!(is_title_case("Iran Announces End Of Major Offensive"));
        assert!(!is_title_case(
            "Iran announces the end of its major offensive"
        ));
    }
}

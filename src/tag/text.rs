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
        let mut starts = vec![0];
        let mut i = 0;
        while i < b.len() {
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
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
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
    CORPORATE.contains(&w) || (!strict && CORPORATE_WORDS.contains(&w))
}

/// Spans of `text` that are names of organisations: angle-bracketed wire
/// names and tickers, and runs of capitalised words that end in a corporate
/// word. `headline` keeps to the strict corporate words.
pub fn name_spans(text: &str, headline: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    angle_brackets(text, &mut out);
    let tickers = out.len();
    for i in 0..tickers {
        if let Some(run) = run_before(text, out[i].start) {
            out.push(run);
        }
    }
    corporate_runs(text, headline, &mut out);
    out.sort_by_key(|r| r.start);
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

/// The capitalised words right before a ticker (`Security Pacific <SPC>`):
/// the company's name, at most four words.
fn run_before(text: &str, at: usize) -> Option<Range<usize>> {
    let mut first = None;
    let mut pos = at;
    for _ in 0..4 {
        let (s, w) = word_before(text, pos)?;
        if !w.as_bytes()[0].is_ascii_uppercase() || FUNCTION_WORDS.contains(&w) {
            break;
        }
        if text[s + w.len()..pos].contains('\n') {
            break;
        }
        first = Some(s);
        pos = s;
    }
    first.map(|s| s..at)
}

/// `<...>` on one line, at most 80 bytes long.
fn angle_brackets(text: &str, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
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
}

/// Runs of capitalised words (joined by spaces, "of", "de", "and", "&")
/// that end in a corporate word or are followed by a corporate noun.
fn corporate_runs(text: &str, headline: bool, out: &mut Vec<Range<usize>>) {
    let mut words: Vec<(usize, usize)> = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if is_word_byte(b[i]) {
            let s = i;
            while i < b.len() && (is_word_byte(b[i]) || b[i] == b'.' || b[i] == b'&') {
                i += 1;
            }
            words.push((s, i));
        } else {
            i += 1;
        }
    }
    let capital = |w: &(usize, usize)| b[w.0].is_ascii_uppercase();
    let joiner = |w: &(usize, usize)| matches!(&text[w.0..w.1], "of" | "de" | "and" | "&");
    for k in 0..words.len() {
        let (ws, we) = words[k];
        let word = &text[ws..we];
        // A corporate word ends the name unless a capitalised word that is
        // not one follows ("Finance Ministry").
        let next_ends = words.get(k + 1).is_none_or(|n| {
            !capital(n) || text[we..n.0].len() > 1 || is_corporate(&text[n.0..n.1], headline)
        });
        let corporate_end = capital(&words[k]) && is_corporate(word, headline) && next_ends;
        let noun_after = !headline && CORPORATE_NOUNS.contains(&word) && k > 0;
        if !corporate_end && !noun_after {
            continue;
        }
        // Walk back over the name's capitalised words on the same line.
        let mut first = if noun_after { k } else { k + 1 };
        let mut j = k;
        while j > 0 {
            let prev = words[j - 1];
            let gap = &text[prev.1..words[j].0];
            if gap.len() > 3 || gap.contains(['\n', ',', ';', ':', '(', ')', '"']) {
                break;
            }
            if capital(&prev) {
                first = j - 1;
            } else if !joiner(&prev) {
                break;
            }
            j -= 1;
        }
        // A lower-case noun needs a name of two words before it ("the
        // Canadian Pacific railway", not "the Dutch brewer").
        let enough = if noun_after {
            first + 2 <= k
        } else {
            first < k
        };
        if enough {
            out.push(words[first].0..if noun_after { words[k].1 } else { we });
        }
    }
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
    fn names_of_organisations() {
        let t = "Shares of <NPT> rose. Later Security Pacific Corp said the Canadian Pacific railway and Hong Kong Land gained; the Army said.";
        let spans: Vec<&str> = name_spans(t, false).iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(
            spans,
            [
                "<NPT>",
                "Later Security Pacific Corp",
                "Canadian Pacific railway",
                "Hong Kong Land"
            ]
        );
        // In a headline only the strict corporate words count.
        let spans = name_spans("Rebel Group Seizes Town", true);
        assert!(spans.is_empty(), "{spans:?}");
    }

    #[test]
    fn title_case_is_recognised() {
        assert!(is_title_case("Iran Announces End Of Major Offensive"));
        assert!(!is_title_case(
            "Iran announces the end of its major offensive"
        ));
    }
}

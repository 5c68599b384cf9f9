//! Senses: whether a word that has a security sense and an everyday one
//! ("exercise", "strike", "war", "bid", "security") is used in its security
//! sense, decided from its context: the words next to it ("price war",
//! "takeover bid", "exercise price"), whether it is part of a name
//! ("Security Pacific Corp", a ticker `<NPT>`), and the actors and objects
//! in its sentence (troops, warships, a defence ministry; a government for
//! trade words; a defence firm for business words).

use std::ops::Range;

use super::lexicon::{Anchor, Domain, SenseWords};
use super::text::{self, Sentences};
use super::topics::{Cue, Hit, Need};

/// One part of an article (its headline or its body) read for senses.
pub struct Reading<'t> {
    text: &'t str,
    sentences: Sentences,
    /// Spans in angle brackets (tickers, wire names of companies).
    brackets: Vec<Range<usize>>,
    /// Capitals say nothing here (a title-case headline).
    title_case: bool,
    /// Whether the text is a headline (whose case says little).
    headline: bool,
    /// Accepted anchors, by start: (range, kind, weight, phrase).
    pub anchors: Vec<Accepted<'t>>,
    /// The words of everyday senses.
    senses: &'t SenseWords,
    /// Anchors turned down, with why (for explanations).
    pub refused: Vec<(Range<usize>, &'t str, &'static str)>,
    /// Words of everyday senses per sentence, counted when first asked.
    everyday: Vec<std::cell::Cell<Option<u16>>>,
}

/// An anchor that counts.
#[derive(Clone, Debug)]
pub struct Accepted<'t> {
    pub range: Range<usize>,
    pub kind: Anchor,
    pub weight: i32,
    pub phrase: &'t str,
}

/// What the story as a whole says, for cues whose sentence says nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Story {
    /// The story is clearly about defence and security.
    pub clearly_security: bool,
    /// The story is about a defence company.
    pub defense_company: bool,
}

/// Why a cue counts in its security sense.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// Its neighbour is a security word ("defense policy").
    Neighbour,
    /// Its sentence names the actors it needs.
    Sentence,
    /// The story as a whole: clearly about security, and nothing in the
    /// sentence gives the word another sense.
    Story,
}

/// The items of `list` (ordered by the start of `range_of`) that overlap
/// `span`; phrases are short, so only those starting shortly before it are
/// looked at.
fn near<'a, T>(
    list: &'a [T],
    range_of: impl Fn(&T) -> &Range<usize> + Copy + 'a,
    span: Range<usize>,
) -> impl Iterator<Item = &'a T> + 'a {
    let from = list.partition_point(|x| range_of(x).start + 80 < span.start);
    list[from..]
        .iter()
        .take_while(move |x| range_of(x).start < span.end)
        .filter(move |x| range_of(x).end > span.start)
}

/// "NATO", "U.S.": an acronym after a word is not the rest of its name.
fn is_all_caps(w: &str) -> bool {
    w.len() > 1 && w.bytes().all(|b| !b.is_ascii_lowercase())
}

/// Which way a neighbouring word pulls.
enum Pull {
    Security,
    /// An everyday word; `modifier` when it stands right before a noun it
    /// makes a compound with ("price war", "seamen's strike").
    Other {
        domain: Domain,
        modifier: bool,
    },
}

impl<'t> Reading<'t> {
    /// Reads `text` (whose phrases are `hits`); `headline` for a title.
    pub fn new(
        text: &'t str,
        hits: &[Hit<'t>],
        senses: &'t SenseWords,
        headline: bool,
    ) -> Reading<'t> {
        let title_case = headline && text::is_title_case(text);
        let mut r = Reading {
            headline,
            text,
            sentences: if headline {
                Sentences::of("")
            } else {
                Sentences::of(text)
            },
            brackets: text::bracket_spans(text),
            title_case,
            anchors: Vec::new(),
            senses,
            refused: Vec::new(),
            everyday: Vec::new(),
        };
        r.everyday = vec![std::cell::Cell::new(None); r.sentences.count()];
        r.accept_anchors(hits);
        r
    }

    /// Anchors that count: not in angle brackets (but firms' names), the
    /// checked ones only in their security sense, the longest of those
    /// that overlap.
    fn accept_anchors(&mut self, hits: &[Hit<'t>]) {
        let mut list: Vec<Accepted<'t>> = Vec::new();
        for h in hits {
            let Cue::Anchor { kind, weight } = h.cue else {
                continue;
            };
            let range = h.start..h.end;
            if kind != Anchor::Firm && text::in_brackets(self.text, &self.brackets, h.start) {
                self.refused
                    .push((range, h.phrase, "inside a name or ticker"));
                continue;
            }
            // A firm's name is a proper name: in running text it is written
            // as the firm writes it, or in capitals ("BAe", "BAE"; not the
            // surname "Bae").
            if kind == Anchor::Firm
                && !self.headline
                && !self.text.get(range.clone()).is_some_and(|t| {
                    t == h.phrase || (t.bytes().all(|b| !b.is_ascii_lowercase()) && t.len() > 1)
                })
            {
                self.refused
                    .push((range, h.phrase, "not written as a name"));
                continue;
            }
            if kind == Anchor::SecurityChecked {
                if self.in_name(h.start, h.end) {
                    self.refused.push((range, h.phrase, "part of a name"));
                    continue;
                }
                if self.after_prefix(h.start) {
                    self.refused.push((range, h.phrase, "part of a compound"));
                    continue;
                }
                // Only the everyday words next to it count against it here:
                // an anchor next to it is read with it below.
                if let Some(Pull::Other { domain, .. }) = self.pull(h.start, h.end, false) {
                    self.refused.push((range, h.phrase, domain.note()));
                    continue;
                }
            }
            list.push(Accepted {
                range,
                kind,
                weight,
                phrase: h.phrase,
            });
        }
        // Of overlapping anchors keep the longest ("National Security
        // Council" over "Security Council" and "security").
        list.sort_by(|a, b| {
            a.range
                .start
                .cmp(&b.range.start)
                .then(b.range.end.cmp(&a.range.end))
        });
        let mut kept: Vec<Accepted<'t>> = Vec::with_capacity(list.len());
        for a in list {
            match kept.last_mut() {
                Some(last) if a.range.start < last.range.end => {
                    let (la, lb) = (last.range.len(), a.range.len());
                    // Same span: a firm or security reading wins over a
                    // company or government one.
                    if lb > la || (lb == la && a.kind.is_security() && !last.kind.is_security()) {
                        *last = a;
                    }
                }
                _ => kept.push(a),
            }
        }
        // A checked anchor alone in a sentence of everyday words is read in
        // their sense ("its second raid on the sector", after a takeover).
        let plain: Vec<usize> = kept
            .iter()
            .filter(|a| matches!(a.kind, Anchor::Security | Anchor::Firm))
            .map(|a| a.range.start)
            .collect();
        let mut out = Vec::with_capacity(kept.len());
        for a in kept {
            if a.kind == Anchor::SecurityChecked {
                let sentence = self.sentence_of(a.range.start);
                let backed = plain.iter().any(|p| sentence.contains(p));
                if !backed && self.everyday_in(&sentence, a.range.start, a.range.end) > 0 {
                    self.refused
                        .push((a.range.clone(), a.phrase, "everyday words around it"));
                    continue;
                }
            }
            out.push(a);
        }
        self.anchors = out;
    }

    /// Whether a plain rule at `start` counts: anywhere but inside a ticker
    /// or a bracketed name (`<NPT>`).
    pub fn judge_plain(&self, start: usize) -> bool {
        !text::in_brackets(self.text, &self.brackets, start)
    }

    /// Whether a cue at `start..end` counts in its security sense, needing
    /// `need` around it; `Err` holds why not. In order: a ticker or a
    /// company's name holds no cue; a security word right next to it reads
    /// it in the security sense, an everyday word that makes a compound
    /// with it ("price war", "seamen's strike") in that word's; then a
    /// security actor or object in its sentence reads it in the security
    /// sense; failing that, a capitalised name ("Strike Force") or an
    /// everyday word after it ("exercise price") reads it otherwise;
    /// failing all, a story clearly about security reads it in its sense.
    pub fn judge(
        &self,
        start: usize,
        end: usize,
        need: Need,
        story: Story,
    ) -> Result<Basis, &'static str> {
        if text::in_brackets(self.text, &self.brackets, start) {
            return Err("inside a name or ticker");
        }
        let firm = near(&self.anchors, |a| &a.range, start..end).any(|a| a.kind == Anchor::Firm);
        if firm || text::in_name_at(self.text, &self.brackets, start, end, self.title_case) {
            return Err("part of a name");
        }
        let sentence = self.sentence_of(start);
        let from = self
            .anchors
            .partition_point(|a| a.range.start < sentence.start);
        let in_sentence = self.anchors[from..]
            .iter()
            .take_while(|a| a.range.start < sentence.end);
        let others = |kinds: &[Anchor]| {
            in_sentence
                .clone()
                .any(|a| kinds.contains(&a.kind) && (a.range.end <= start || a.range.start >= end))
        };
        // Plain anchors only: an ambiguous anchor does not vouch for another
        // ambiguous word.
        const SECURITY: [Anchor; 2] = [Anchor::Security, Anchor::Firm];
        match need {
            Need::Security => {
                let pull = self.pull(start, end, true);
                match pull {
                    Some(Pull::Security) => return Ok(Basis::Neighbour),
                    Some(Pull::Other {
                        domain,
                        modifier: true,
                    }) => return Err(domain.note()),
                    _ => {}
                }
                if others(&SECURITY) {
                    Ok(Basis::Sentence)
                } else if self.in_name(start, end) {
                    Err("part of a name")
                } else if let Some(Pull::Other { domain, .. }) = pull {
                    Err(domain.note())
                } else if story.clearly_security && self.everyday_in(&sentence, start, end) <= 1 {
                    Ok(Basis::Story)
                } else {
                    Err("no military or security context")
                }
            }
            // Trade and money words, business words: their everyday sense
            // is the one wanted; who the actors are decides.
            Need::Government => {
                if others(&[Anchor::Government, Anchor::Diplomatic]) || others(&SECURITY) {
                    Ok(Basis::Sentence)
                } else {
                    Err("no government actor")
                }
            }
            Need::DefenseCompany => {
                if story.defense_company {
                    Ok(Basis::Story)
                } else if others(&[Anchor::Firm, Anchor::DefenseCompany]) {
                    Ok(Basis::Sentence)
                } else {
                    Err("not a defence company")
                }
            }
        }
    }

    /// Whether `pos` stands before its sentence's reporting verb ("said",
    /// "says"), where a wire lead names its subject: "Safran and HAL have
    /// agreed…, the companies said", not "Geodome said… a study by a
    /// Raytheon unit".
    pub fn before_reporting_verb(&self, pos: usize) -> bool {
        let sentence = self.sentence_of(pos);
        let before = self.text.get(sentence.start..pos).unwrap_or("");
        !before
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w == "said" || w == "says")
    }

    /// The byte range of the sentence holding `pos`.
    fn sentence_of(&self, pos: usize) -> Range<usize> {
        if self.sentences.count() <= 1 {
            return 0..self.text.len();
        }
        let i = self.sentences.index(pos);
        let end = if i + 1 < self.sentences.count() {
            self.sentences.start(i + 1)
        } else {
            self.text.len()
        };
        self.sentences.start(i)..end
    }

    /// How many words of an everyday sense the sentence holds, besides
    /// the cue at `start..end` itself.
    fn everyday_in(&self, sentence: &Range<usize>, start: usize, end: usize) -> usize {
        let i = if self.sentences.count() <= 1 {
            0
        } else {
            self.sentences.index(sentence.start)
        };
        let all = match self.everyday.get(i).and_then(std::cell::Cell::get) {
            Some(n) => usize::from(n),
            None => {
                let n = self.count_everyday(sentence);
                if let Some(c) = self.everyday.get(i) {
                    c.set(Some(u16::try_from(n).unwrap_or(u16::MAX)));
                }
                n
            }
        };
        let own = self
            .text
            .get(start..end)
            .is_some_and(|w| self.senses.of(w).is_some());
        all - usize::from(own && all > 0)
    }

    /// The words of everyday senses in `range`.
    fn count_everyday(&self, range: &Range<usize>) -> usize {
        let b = self.text.as_bytes();
        let mut n = 0;
        let mut i = range.start;
        let end = range.end.min(b.len());
        while i < end {
            if !text::is_word_byte(b[i]) {
                i += 1;
                continue;
            }
            let s = i;
            while i < b.len() && (text::is_word_byte(b[i]) || b[i] == b'\'') {
                i += 1;
            }
            if self.text.is_char_boundary(s) && self.text.is_char_boundary(i) {
                n += usize::from(self.senses.of(&self.text[s..i]).is_some());
            }
        }
        n
    }

    /// What the words right before and after `start..end` make of it: a
    /// security anchor there (if `anchors`) reads it in the security sense,
    /// failing that a word of an everyday sense in that one.
    fn pull(&self, start: usize, end: usize, anchors: bool) -> Option<Pull> {
        let word_before = text::word_before(self.text, start);
        let word_after = text::word_after(self.text, end);
        let before = word_before.map(|(s, w)| s..s + w.len());
        let after = word_after.map(|(s, w)| s..s + w.len());
        let touches = |r: &Range<usize>, w: &Option<Range<usize>>| {
            w.as_ref().is_some_and(|w| {
                r.start < w.end && w.start < r.end && !(r.start < end && start < r.end)
            })
        };
        // Only phrases near the cue can touch its neighbours.
        let around =
            before.as_ref().map_or(start, |r| r.start)..after.as_ref().map_or(end, |r| r.end);
        if anchors
            && near(&self.anchors, |a| &a.range, around).any(|a| {
                a.kind.is_security() && (touches(&a.range, &before) || touches(&a.range, &after))
            })
        {
            return Some(Pull::Security);
        }
        // A participle after an everyday word is its verb, not a compound
        // ("the option procured missiles").
        let cue = &self.text[start..end];
        let verb = cue.ends_with("ed") || cue.ends_with("ing");
        // The word before, or the two ("real estate", "interest rate").
        let two_before = word_before.and_then(|(s, w)| {
            text::word_before(self.text, s)
                .filter(|(_, w2)| self.senses.heads(w2))
                .map(|(s2, _)| &self.text[s2..s + w.len()])
        });
        let before_domain = word_before
            .and_then(|(_, w)| self.senses.of(w))
            .or_else(|| two_before.and_then(|w| self.senses.of(w)));
        if let Some(domain) = before_domain {
            return Some(Pull::Other {
                domain,
                modifier: !verb,
            });
        }
        let two_after = word_after
            .filter(|(_, w)| self.senses.heads(w))
            .and_then(|(s, w)| {
                text::word_after(self.text, s + w.len())
                    .map(|(s2, w2)| &self.text[s..s2 + w2.len()])
            });
        word_after
            .and_then(|(_, w)| self.senses.of(w))
            .or_else(|| two_after.and_then(|w| self.senses.of(w)))
            .map(|domain| Pull::Other {
                domain,
                modifier: false,
            })
    }

    /// "post-war", "pre-war", "anti-war": the word is the end of a compound
    /// adjective whose first part is a short prefix.
    fn after_prefix(&self, start: usize) -> bool {
        let b = self.text.as_bytes();
        if start == 0 || b[start - 1] != b'-' {
            return false;
        }
        let mut s = start - 1;
        while s > 0 && b[s - 1].is_ascii_lowercase() {
            s -= 1;
        }
        let prefix = start - 1 - s;
        (2..=5).contains(&prefix) && (s == 0 || !text::is_word_byte(b[s - 1]))
    }

    /// A capitalised word next to another capitalised word is part of a
    /// name ("Strike Force", "Security Pacific said", "United Security
    /// said"), unless the other word only starts the sentence ("The
    /// Security Council" is read by its own anchor); so is anything inside
    /// a company name or ticker.
    fn in_name(&self, start: usize, end: usize) -> bool {
        if text::in_name_at(self.text, &self.brackets, start, end, self.title_case) {
            return true;
        }
        let b = self.text.as_bytes();
        if self.title_case || !b.get(start).is_some_and(u8::is_ascii_uppercase) {
            return false;
        }
        let capital = |w: &str| w.as_bytes()[0].is_ascii_uppercase();
        let after = text::word_after(self.text, end)
            .is_some_and(|(s, w)| capital(w) && self.text[end..s].trim() != "-" && !is_all_caps(w));
        let before = text::word_before(self.text, start).is_some_and(|(s, w)| {
            capital(w)
                && self.text[s + w.len()..start] == *" "
                && (!self.sentence_initial(s) || !text::FUNCTION_WORDS.contains(&w))
        });
        after || before
    }

    /// Whether only punctuation stands between the sentence's start and `pos`.
    fn sentence_initial(&self, pos: usize) -> bool {
        let s = self.sentence_of(pos);
        self.text[s.start..pos.min(self.text.len())]
            .bytes()
            .all(|b| !text::is_word_byte(b))
    }
}

//! The built-in vocabulary of defence and security (`data/security.toml`):
//! anchors that put a sentence in the security domain and make a story
//! relevant, government actors, what makes a company a defence company,
//! and the vocabularies of the everyday senses of ambiguous words.

use anyhow::Context as _;
use serde::Deserialize;

const BUILTIN: &str = include_str!("../../data/security.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    anchors: RawAnchors,
    senses: std::collections::BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnchors {
    security: Vec<(String, i32)>,
    security_checked: Vec<(String, i32)>,
    diplomatic: Vec<(String, i32)>,
    harm: Vec<(String, i32)>,
    government: Vec<(String, i32)>,
    defense_company: Vec<(String, i32)>,
    defense_firms: Vec<String>,
}

/// What an anchor says about its sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// A military, security or geopolitical actor, object or event.
    Security,
    /// The same, when its neighbours leave it that sense ("war", not
    /// "price war").
    SecurityChecked,
    /// A diplomatic actor: relevant, and a government actor, but not
    /// security context for an ambiguous word.
    Diplomatic,
    /// Harm done to people ("killed", "wounded", "refugees"): war does it,
    /// and so do earthquakes and accidents. Relevant, a little, but not
    /// security context for an ambiguous word.
    Harm,
    /// A government actor (for trade and money words).
    Government,
    /// A phrase that makes a company a defence company.
    DefenseCompany,
    /// The name of a defence firm: a defence company and a security anchor.
    Firm,
}

impl Anchor {
    /// Whether it puts its sentence in the security domain.
    pub fn is_security(self) -> bool {
        matches!(
            self,
            Anchor::Security | Anchor::SecurityChecked | Anchor::Firm
        )
    }

    /// Whether it adds to a story's relevance.
    pub fn is_relevant(self) -> bool {
        self.is_security() || matches!(self, Anchor::Diplomatic | Anchor::Harm)
    }
}

/// The vocabulary, as phrases with what each means.
pub struct Lexicon {
    /// (phrase as written, weight, kind).
    pub anchors: Vec<(String, i32, Anchor)>,
    /// The words of everyday senses.
    pub senses: SenseWords,
}

/// The words of everyday senses, looked up one word (or two) at a time
/// next to an ambiguous cue, in any case; a trailing `*` in the data makes
/// a prefix ("shareholder*").
pub struct SenseWords {
    /// Whole words and prefixes, lower-case.
    words: std::collections::HashMap<Box<[u8]>, Domain, Fnv>,
    prefixes: std::collections::HashMap<Box<[u8]>, Domain, Fnv>,
    /// By first byte: the word lengths some whole word has (bit n), and the
    /// prefix lengths (bit n): most words are turned away without a lookup.
    word_lengths: [u64; 256],
    prefix_lengths: [u64; 256],
    /// Whole words by first and last letter (a–z each; 26 × 26 bits of
    /// "some word"): most words are turned away here.
    ends: [u32; 26],
    /// The first words of two-word entries ("interest", "power").
    heads: Vec<String>,
}

/// FNV-1a: the words are short and not chosen by an adversary.
#[derive(Clone, Copy, Default)]
pub struct Fnv;

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

pub struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The first and last bytes of a word as letters 0–25, when both are
/// letters.
fn letters(w: &[u8]) -> Option<(usize, usize)> {
    let idx = |c: &u8| {
        let c = c.to_ascii_lowercase();
        c.is_ascii_lowercase().then(|| usize::from(c - b'a'))
    };
    Some((idx(w.first()?)?, idx(w.last()?)?))
}

/// The longest word or phrase looked up.
const MAX_WORD: usize = 40;

impl Default for SenseWords {
    fn default() -> Self {
        SenseWords {
            words: std::collections::HashMap::with_hasher(Fnv),
            prefixes: std::collections::HashMap::with_hasher(Fnv),
            word_lengths: [0; 256],
            prefix_lengths: [0; 256],
            ends: [0; 26],
            heads: Vec::new(),
        }
    }
}

impl SenseWords {
    fn add(&mut self, phrase: &str, d: Domain) {
        let p = phrase.trim().to_lowercase();
        let (p, prefix) = match p.strip_suffix('*') {
            Some(p) => (p, true),
            None => (p.as_str(), false),
        };
        let (Some(&first), true) = (p.as_bytes().first(), p.len() < MAX_WORD) else {
            return;
        };
        if let Some((head, _)) = p.split_once(' ')
            && !self.heads.iter().any(|h| h == head)
        {
            self.heads.push(head.to_string());
        }
        let bit = 1u64 << p.len();
        if prefix {
            self.prefix_lengths[usize::from(first)] |= bit;
            self.prefixes.insert(p.as_bytes().into(), d);
        } else {
            self.word_lengths[usize::from(first)] |= bit;
            if let Some((a, z)) = letters(p.as_bytes()) {
                self.ends[a] |= 1 << z;
            }
            self.words.insert(p.as_bytes().into(), d);
        }
    }

    /// Whether some two-word entry starts with `word` ("interest" for
    /// "interest rate*").
    pub fn heads(&self, word: &str) -> bool {
        self.heads.iter().any(|h| h.eq_ignore_ascii_case(word))
    }

    /// The domain of a word or a two-word phrase ("price", "interest
    /// rates", "seamen's"), if it has one.
    pub fn of(&self, words: &str) -> Option<Domain> {
        let w = words
            .strip_suffix("'s")
            .or_else(|| words.strip_suffix("’s"))
            .unwrap_or(words)
            .trim_end_matches(['\'', '’']);
        let first = usize::from(w.as_bytes().first()?.to_ascii_lowercase());
        let n = w.len();
        let has_word = n < MAX_WORD
            && self.word_lengths[first] & (1 << n) != 0
            && letters(w.as_bytes()).is_none_or(|(a, z)| self.ends[a] & (1 << z) != 0);
        let prefixes = self.prefix_lengths[first]
            & ((1u64 << n.min(MAX_WORD)) | ((1u64 << n.min(MAX_WORD)) - 1));
        if !has_word && prefixes == 0 {
            return None;
        }
        let mut buf = [0u8; MAX_WORD];
        let lower = &mut buf[..n.min(MAX_WORD)];
        lower.copy_from_slice(&w.as_bytes()[..lower.len()]);
        lower.make_ascii_lowercase();
        if has_word && let Some(d) = self.words.get(&*lower) {
            return Some(*d);
        }
        (1..=lower.len())
            .filter(|k| prefixes & (1 << k) != 0)
            .find_map(|k| self.prefixes.get(&lower[..k]).copied())
    }
}

/// A domain of everyday senses ("business": "price war", "takeover bid").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Domain(&'static str);

impl Domain {
    /// The note shown when a cue is read in this domain's sense.
    pub fn note(self) -> &'static str {
        self.0
    }
}

/// The notes of the known domains; any other domain gets a generic one.
fn domain(name: &str) -> Domain {
    Domain(match name {
        "business" => "business sense",
        "energy" => "oil, gas or mining sense",
        "medical" => "medical sense",
        "sport" => "sports sense",
        "politics" => "domestic politics sense",
        "labour" => "labour sense",
        "law" => "legal sense",
        _ => "everyday sense",
    })
}

impl Lexicon {
    /// The built-in vocabulary.
    pub fn builtin() -> anyhow::Result<Lexicon> {
        Self::parse(BUILTIN).context("data/security.toml (built in) is invalid")
    }

    fn parse(text: &str) -> anyhow::Result<Lexicon> {
        let raw: RawLexicon = toml::from_str(text)?;
        let a = raw.anchors;
        let mut anchors = Vec::new();
        let groups = [
            (a.security, Anchor::Security),
            (a.security_checked, Anchor::SecurityChecked),
            (a.diplomatic, Anchor::Diplomatic),
            (a.harm, Anchor::Harm),
            (a.government, Anchor::Government),
            (a.defense_company, Anchor::DefenseCompany),
        ];
        for (list, kind) in groups {
            for (phrase, weight) in list {
                anyhow::ensure!(
                    (1..=3).contains(&weight),
                    "anchor {phrase:?}: weight must be 1 to 3"
                );
                anchors.push((phrase, weight, kind));
            }
        }
        for firm in a.defense_firms {
            anchors.push((firm, 2, Anchor::Firm));
        }
        let mut senses = SenseWords::default();
        for (name, words) in &raw.senses {
            let d = domain(name);
            for w in words {
                senses.add(w, d);
            }
        }
        Ok(Lexicon { anchors, senses })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_with_every_kind() {
        let l = Lexicon::builtin().unwrap();
        for kind in [
            Anchor::Security,
            Anchor::SecurityChecked,
            Anchor::Diplomatic,
            Anchor::Harm,
            Anchor::Government,
            Anchor::DefenseCompany,
            Anchor::Firm,
        ] {
            assert!(l.anchors.iter().any(|a| a.2 == kind), "{kind:?}");
        }
        assert_eq!(
            l.senses.of("Price").map(Domain::note),
            Some("business sense")
        );
        assert_eq!(
            l.senses.of("shareholders").map(Domain::note),
            Some("business sense")
        );
        assert_eq!(
            l.senses.of("seamen's").map(Domain::note),
            Some("labour sense")
        );
        assert_eq!(
            l.senses.of("interest rates").map(Domain::note),
            Some("business sense")
        );
        assert_eq!(l.senses.of("troops"), None);
    }

    #[test]
    fn weights_are_checked() {
        let bad = "[anchors]\nsecurity = [[\"x\", 7]]\nsecurity_checked = []\ndiplomatic = []\ngovernment = []\ndefense_company = []\ndefense_firms = []\n[senses]\n";
        assert!(Lexicon::parse(bad).is_err());
    }
}

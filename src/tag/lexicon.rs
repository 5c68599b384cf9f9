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
        self.is_security() || self == Anchor::Diplomatic
    }
}

/// The vocabulary, as phrases with what each means.
pub struct Lexicon {
    /// (phrase as written, weight, kind).
    pub anchors: Vec<(String, i32, Anchor)>,
    /// (phrase as written, domain).
    pub senses: Vec<(String, Domain)>,
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
        let senses = raw
            .senses
            .iter()
            .flat_map(|(name, words)| {
                let d = domain(name);
                words.iter().map(move |w| (w.clone(), d))
            })
            .collect();
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
            Anchor::Government,
            Anchor::DefenseCompany,
            Anchor::Firm,
        ] {
            assert!(l.anchors.iter().any(|a| a.2 == kind), "{kind:?}");
        }
        assert!(
            l.senses
                .iter()
                .any(|(w, d)| w == "price" && d.note() == "business sense")
        );
    }

    #[test]
    fn weights_are_checked() {
        let bad = "[anchors]\nsecurity = [[\"x\", 7]]\nsecurity_checked = []\ndiplomatic = []\ngovernment = []\ndefense_company = []\ndefense_firms = []\n[senses]\n";
        assert!(Lexicon::parse(bad).is_err());
    }
}

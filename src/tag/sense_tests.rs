//! Senses and relevance: each ambiguous cue in its security sense and in
//! its everyday one, in sentences written for these tests; short business
//! stories stay off-topic; defence business needs a defence company.

use std::sync::OnceLock;

use super::senses::{Basis, Reading, Story};
use super::topics::{Cue, TopicSet};
use super::*;

fn set() -> &'static TopicSet {
    static SET: OnceLock<TopicSet> = OnceLock::new();
    SET.get_or_init(|| TopicSet::new(true, &[]).unwrap())
}

fn tagger() -> &'static Tagger {
    static T: OnceLock<Tagger> = OnceLock::new();
    T.get_or_init(|| Tagger::new(&Config::default()).unwrap())
}

/// How the first context cue spelt `word` (any case) in `text` is read,
/// in a story that is (`clear`) or is not clearly about security.
fn judge(text: &str, word: &str, clear: bool) -> Result<Basis, &'static str> {
    let hits = set().scan(text);
    let reading = Reading::new(text, &hits, &set().senses, false);
    let hit = hits
        .iter()
        .find(|h| {
            matches!(
                h.cue,
                Cue::Rule {
                    in_context: true,
                    ..
                }
            ) && text[h.start..h.end].eq_ignore_ascii_case(word)
        })
        .unwrap_or_else(|| panic!("no context cue {word:?} in {text:?}"));
    let Cue::Rule { topic, .. } = hit.cue else {
        unreachable!("filtered above")
    };
    let story = Story {
        clearly_security: clear,
        defense_company: false,
    };
    reading.judge(hit.start, hit.end, set().all()[topic].need, story)
}

fn security(text: &str, word: &str) {
    assert!(judge(text, word, false).is_ok(), "{word:?} in {text:?}");
}

fn everyday(text: &str, word: &str) {
    // Not even a story clearly about security reads these in that sense.
    let got = judge(text, word, true);
    assert!(got.is_err(), "{word:?} in {text:?}: {got:?}");
}

/// Everyday only when the story says nothing about security.
fn everyday_here(text: &str, word: &str) {
    let got = judge(text, word, false);
    assert!(got.is_err(), "{word:?} in {text:?}: {got:?}");
}

fn text(title: &'static str, body: &'static str) -> TagText<'static> {
    TagText {
        title,
        body,
        lead: 0..body.find("\n\n").unwrap_or(body.len()),
    }
}

fn relevance(body: &'static str) -> f64 {
    tagger().relevance_for(&text("", body)).score
}

fn topics(title: &'static str, body: &'static str) -> Vec<String> {
    tagger()
        .topics_for(&text(title, body))
        .into_iter()
        .map(|s| s.tag)
        .collect()
}

#[test]
fn drill() {
    security("Marines held a landing drill on the coast.", "drill");
    everyday(
        "The miner said the drill hole cut gold ore at depth.",
        "drill",
    );
    everyday_here(
        "The company will drill a second well near the lake.",
        "drill",
    );
}

#[test]
fn exercise() {
    security(
        "Troops began a week-long exercise with allied navies.",
        "exercise",
    );
    everyday(
        "The exercise price of the warrants is ten dollars.",
        "exercise",
    );
    everyday_here("Holders may exercise the warrants until June.", "exercise");
}

#[test]
fn strike() {
    security("Warplanes carried out a strike on the depot.", "strike");
    everyday_here("Dock workers went on strike over pay and jobs.", "strike");
}

#[test]
fn attack() {
    security("Gunboats launched an attack on a tanker.", "attack");
    everyday("The chairman died of a heart attack.", "attack");
}

#[test]
fn casualty() {
    security("The army reported heavy casualties.", "casualties");
    everyday(
        "The property-casualty insurer raised its rates.",
        "casualty",
    );
}

#[test]
fn target() {
    security("Missiles hit targets near the port.", "targets");
    everyday("The retailer met its sales target.", "target");
}

#[test]
fn operations() {
    security(
        "Navy minesweepers began operations in the strait.",
        "operations",
    );
    everyday_here("The grocer sold its European operations.", "operations");
}

#[test]
fn forces() {
    assert!(relevance("Government forces shelled the town.") > 0.3);
    assert_eq!(relevance("Market forces pushed prices down."), 0.0);
    assert_eq!(relevance("The sales force grew by a third."), 0.0);
}

#[test]
fn freeze() {
    security("Both sides agreed a freeze on new missile sites.", "freeze");
    everyday("The carmaker announced a hiring freeze.", "freeze");
}

#[test]
fn inspection() {
    security(
        "Inspection of the missile sites begins next month.",
        "inspection",
    );
    everyday_here("The plant passed a safety inspection.", "inspection");
}

#[test]
fn partnership() {
    security(
        "The two navies signed a partnership on patrols.",
        "partnership",
    );
    everyday_here(
        "The firm formed a limited partnership to own hotels.",
        "partnership",
    );
}

#[test]
fn policy() {
    security(
        "The defence ministry set out a new policy on reservists.",
        "policy",
    );
    everyday("The central bank eased monetary policy.", "policy");
}

#[test]
fn reform() {
    security("The army will reform its reserve brigades.", "reform");
    everyday("Parliament passed a tax reform.", "reform");
}

#[test]
fn resign() {
    security(
        "The defence minister will resign over the arms affair.",
        "resign",
    );
    everyday_here("The company's chairman will resign next month.", "resign");
}

#[test]
fn retaliation() {
    security(
        "Iran threatened retaliation for the missile attack.",
        "retaliation",
    );
    everyday(
        "Tokyo warned of trade retaliation over chips.",
        "retaliation",
    );
}

#[test]
fn security_the_word() {
    assert!(relevance("The ministers talked about regional security and troops.") > 0.3);
    assert_eq!(
        relevance(
            "Security Pacific Corp raised its dividend.\n\nSecurity Pacific said profit rose."
        ),
        0.0
    );
    assert_eq!(relevance("Social security payments rose."), 0.0);
}

#[test]
fn atomic() {
    security(
        "The atomic tests were carried out underground, the army said.",
        "atomic",
    );
    everyday("The atomic power plant was shut.", "atomic");
    everyday(
        "Shares of Atomic Energy of Canada Ltd were steady.",
        "atomic",
    );
}

#[test]
fn to_buy() {
    security("The air force plans to buy 40 fighter jets.", "to buy");
    everyday_here("The company plans to buy back two mln shares.", "to buy");
}

#[test]
fn defend() {
    security("Troops dug in to defend the border town.", "defend");
    everyday_here("The brewer will defend its market share.", "defend");
}

#[test]
fn war() {
    assert!(relevance("The war between the two states entered its third year.") > 0.3);
    assert_eq!(relevance("A fare war hit airline profits."), 0.0);
    assert_eq!(relevance("Growers feared a trade war over wheat."), 0.0);
    assert_eq!(relevance("The yen hit a post-war high."), 0.0);
}

#[test]
fn campaign() {
    security(
        "The army's campaign against the rebels went on.",
        "campaign",
    );
    everyday("The brewer launched an advertising campaign.", "campaign");
}

#[test]
fn offensive() {
    security(
        "The army launched a new offensive near the river.",
        "offensive",
    );
    everyday(
        "The carmaker began a sales offensive in Europe.",
        "offensive",
    );
}

#[test]
fn raid() {
    security("The raid killed ten soldiers at the base.", "raid");
    everyday("Shareholders feared a takeover raid.", "raid");
}

#[test]
fn bid() {
    security("The shipyard's bid to build four frigates won.", "bid");
    everyday("The group made a takeover bid for the brewer.", "bid");
}

#[test]
fn arms() {
    assert!(relevance("Smugglers said the arms reached the rebels by sea.") > 0.2);
    assert_eq!(relevance("The retailer's firearms sales rose."), 0.0);
    assert_eq!(relevance("The bank sold its two leasing arms."), 0.0);
}

#[test]
fn tickers_and_names_hold_no_cues() {
    everyday(
        "Shares of Northern Power Trust <NPT> rose, the exchange said.",
        "NPT",
    );
    security(
        "The NPT review opened as envoys warned of missile spread.",
        "NPT",
    );
    everyday("Target Corp raised its dividend.", "target");
    everyday(
        "Shares of Strike Force Industries Inc fell, traders said.",
        "strike",
    );
}

#[test]
fn short_business_stories_are_off_topic() {
    let min = tagger().min_relevance();
    for (title, body) in [
        (
            "Toolmaker posts higher quarterly profit",
            "STAMFORD, Conn., Feb 26 - The toolmaker said quarterly net profit rose to 4.1 mln dlrs, or 31 cts a share, on sales of 52 mln dlrs.\n\nIt said it would exercise its option to buy a plant in Ohio.",
        ),
        (
            "Utility raises dividend",
            "CHICAGO, March 2 - The utility raised its quarterly dividend to 45 cts a share, payable April 1. It said its security holders would vote on a share split.",
        ),
        (
            "Brewer launches takeover bid for rival",
            "LONDON, March 3 - The brewer launched a hostile takeover bid for a rival, its second raid on the sector this year. The target's board called the offer inadequate and vowed to defend its independence.",
        ),
        (
            "Driller strikes oil in second well",
            "CALGARY, Alta., May 4 - The explorer said its second exploration well struck oil, and it would drill two more wells this year as part of a campaign in the basin.",
        ),
    ] {
        let t = text(title, body);
        let r = tagger().relevance_for(&t);
        assert!(r.is_off_topic(min), "{title}: {r:?}");
        let got: Vec<String> = tagger().topics_for(&t).into_iter().map(|s| s.tag).collect();
        assert!(
            got.iter()
                .all(|t| t == "trade-economy" || t == "energy-security"),
            "{title}: {got:?}"
        );
    }
}

#[test]
fn a_defence_story_is_relevant_and_says_why() {
    let t = text(
        "Navy warships escort tankers through the strait",
        "BAHRAIN, June 3 - Navy warships escorted three tankers through the strait after missile attacks on shipping, officials said.",
    );
    let r = tagger().relevance_for(&t);
    assert!(r.score > 0.9, "{r:?}");
    assert!(r.summary(0.3).starts_with("relevant"));
    assert!(r.evidence.iter().any(|e| e.text == "warships"), "{r:?}");
    let off = tagger().relevance_for(&text("Bank sets dividend", "The bank set its dividend."));
    assert!(off.summary(0.3).starts_with("off-topic"));
}

#[test]
fn defence_business_needs_a_defence_company() {
    let got = topics(
        "Lockheed quarterly profit rises",
        "BETHESDA, Md., Oct 20 - Lockheed Corp said quarterly profit rose 12 pct on higher sales of fighter aircraft and missiles, and raised its dividend.",
    );
    assert!(got.contains(&"defense-industry".to_string()), "{got:?}");
    let got = topics(
        "Food maker quarterly profit rises",
        "OMAHA, Neb., Oct 20 - The food maker said quarterly profit rose 12 pct on higher sales, and raised its dividend.",
    );
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn a_defence_firm_named_in_passing_is_not_the_story() {
    let min = tagger().min_relevance();
    // The mining company is the subject; the defence firm's unit wrote a
    // study for it.
    let t = text(
        "Miner to build gold mine",
        "RENO, Nev., May 2 - Silverpeak Mining Ltd said that after a feasibility study by a Raytheon Co unit it would build its gold mine this year.\n\nThe company said the mine would produce 40,000 ounces of gold a year and lift its profit from 1989.",
    );
    assert!(tagger().relevance_for(&t).is_off_topic(min));
    assert!(tagger().topics_for(&t).is_empty());
    // The surname is not the firm.
    let t = text(
        "Trade surplus widens",
        "SEOUL, May 2 - The trade surplus widened in April, Finance Minister Bae Jin-ho said.",
    );
    let r = tagger().relevance_for(&t);
    assert!(r.evidence.iter().all(|e| e.text != "Bae"), "{r:?}");
    // The subject of the lead, it is the story.
    let got = topics(
        "Engine makers agree to co-develop helicopter engine",
        "PARIS, May 2 - Safran and Hindustan Aeronautics have agreed to develop a helicopter engine together, the companies said.\n\nA joint venture will run the programme; the company expects export sales.",
    );
    assert!(got.contains(&"defense-industry".to_string()), "{got:?}");
    // Named in the headline, the firm is the story.
    let got = topics(
        "Raytheon quarterly profit rises",
        "LEXINGTON, Mass., May 2 - Raytheon Co said quarterly profit rose 9 pct and it raised its dividend.",
    );
    assert!(got.contains(&"defense-industry".to_string()), "{got:?}");
}

#[test]
fn harm_alone_is_not_security() {
    let min = tagger().min_relevance();
    let quake = text(
        "Earthquake kills two in mountain towns",
        "LIMA, May 2 - An earthquake killed two people and wounded 30 in mountain towns, and the Red Cross sent tents.",
    );
    assert!(tagger().relevance_for(&quake).is_off_topic(min));
    assert!(tagger().topics_for(&quake).is_empty());
    let raid = text(
        "Rebels attack army post",
        "LIMA, May 2 - Rebels attacked an army post, and two soldiers were killed and 30 wounded, the army said.",
    );
    assert!(!tagger().relevance_for(&raid).is_off_topic(min));
}

#[test]
fn the_seed_article_keeps_its_tags() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("content/2023-10-17-pakistan-russia-druzhba-vii.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let config = Config::default();
    let rel = std::path::Path::new("content/2023-10-17-pakistan-russia-druzhba-vii.md");
    let mut a = crate::load::parse_article(rel, &text, &config).unwrap();
    assert!(tagger().tag(&mut a).is_empty());
    let codes: Vec<String> = a.countries.iter().map(|c| c.to_string()).collect();
    assert_eq!(codes, ["PK", "RU"]);
    for t in ["military-exercises", "terrorism-insurgency"] {
        assert!(a.topics.iter().any(|x| x == t), "{:?}", a.topics);
    }
}

#[test]
fn off_topic_articles_are_marked_unless_the_editor_chose() {
    let mut a = crate::model::Article::blank("a");
    a.title = "Brewer raises dividend".into();
    a.body_text = "LONDON, March 3 - The brewer raised its dividend.".into();
    a.lead = 0..a.body_text.len();
    let mut given = a.clone();
    let mut manual = a.clone();
    assert!(tagger().tag(&mut a).is_empty());
    let off = |a: &crate::model::Article| a.is_off_topic(0.3, true);
    assert!(off(&a) && a.relevance < 0.3, "{a:?}");
    assert!(a.topics.is_empty());
    // Topics in front matter: the editor decided.
    given.raw_topics = Some(vec![crate::model::RawTag {
        value: "trade-economy".into(),
        line: 3,
        col: 10,
    }]);
    assert!(tagger().tag(&mut given).is_empty());
    assert!(!off(&given) && given.relevance < 0.3);
    // auto_tag = false: nothing is inferred, nothing hidden.
    manual.auto_tag = Some(false);
    assert!(tagger().tag(&mut manual).is_empty());
    assert!(!off(&manual));

    let mut b = crate::model::Article::blank("b");
    b.title = "Warships escort tankers".into();
    b.body_text = "BAHRAIN, June 3 - Navy warships escorted tankers.".into();
    b.lead = 0..b.body_text.len();
    assert!(tagger().tag(&mut b).is_empty());
    assert!(!off(&b) && b.relevance > 0.9);
    assert_ne!(a.placement_key(), {
        let mut c = a.clone();
        c.relevance = b.relevance;
        c.placement_key()
    });
}

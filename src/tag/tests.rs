//! Tagging rules, one test per case the gazetteer and salience must get right.

use super::*;
use crate::model::RawTag;

fn tagger() -> Tagger {
    Tagger::new(&Config::default()).unwrap()
}

/// Countries of a story with a headline and paragraphs (the first is the lead).
fn countries(t: &Tagger, title: &str, paras: &[&str]) -> Vec<String> {
    let body = paras.join("\n\n");
    let lead = 0..paras.first().map_or(0, |p| p.len());
    let text = TagText {
        title,
        body: &body,
        lead,
    };
    t.countries_for(&text)
        .into_iter()
        .map(|s| s.tag.to_string())
        .collect()
}

fn topics(t: &Tagger, title: &str, paras: &[&str]) -> Vec<String> {
    let body = paras.join("\n\n");
    let lead = 0..paras.first().map_or(0, |p| p.len());
    let text = TagText {
        title,
        body: &body,
        lead,
    };
    t.topics_for(&text).into_iter().map(|s| s.tag).collect()
}

fn raw(v: &[&str]) -> Vec<RawTag> {
    v.iter()
        .map(|s| RawTag {
            value: s.to_string(),
            line: 3,
            col: 14,
        })
        .collect()
}

#[test]
fn explicit_tags_are_normalised() {
    let t = tagger();
    let mut a = Article::blank("a");
    a.raw_countries = Some(raw(&["Pakistan", "pakistan", "pk", "RU"]));
    a.raw_topics = Some(raw(&["Arms-Trade"]));
    assert!(t.tag(&mut a).is_empty());
    let codes: Vec<String> = a.countries.iter().map(|c| c.to_string()).collect();
    assert_eq!(codes, ["PK", "RU"]);
    assert_eq!(a.topics, ["arms-trade"]);
    assert_eq!(a.countries_origin, TagOrigin::Explicit);
    assert!(
        a.explanations.own().is_some_and(<[_]>::is_empty),
        "explicit tags need no explanation"
    );

    a.raw_countries = Some(raw(&["Narnia"]));
    a.raw_topics = Some(raw(&["gossip"]));
    let errs = t.tag(&mut a);
    assert_eq!(errs.len(), 2);
    assert!(
        errs[0]
            .to_string()
            .starts_with("content/a.md:3:14: unknown country \"Narnia\"")
    );
    assert!(errs[1].to_string().contains("unknown topic \"gossip\""));
}

#[test]
fn editors_can_veto_and_turn_off_automatic_tags() {
    let t = tagger();
    let mut a = Article::blank("a");
    a.title = "Pakistan and Russia hold joint military exercise".into();
    a.body_text = "ISLAMABAD: Pakistani and Russian troops began a joint exercise in Pakistan, the Pakistani army said. Russia sent special forces.".into();
    a.lead = 0..a.body_text.len();
    assert!(t.tag(&mut a).is_empty());
    let codes: Vec<String> = a.countries.iter().map(|c| c.to_string()).collect();
    assert_eq!(codes, ["PK", "RU"]);
    assert!(
        a.explanations
            .own()
            .unwrap()
            .iter()
            .any(|x| x.kind == "country" && x.tag == "PK")
    );

    a.not_countries = raw(&["russia"]);
    a.not_topics = raw(&["military-exercises"]);
    t.tag(&mut a);
    let codes: Vec<String> = a.countries.iter().map(|c| c.to_string()).collect();
    assert_eq!(codes, ["PK"]);
    assert!(!a.topics.iter().any(|x| x == "military-exercises"));

    a.auto_tag = Some(false);
    t.tag(&mut a);
    assert!(a.countries.is_empty() && a.topics.is_empty());

    let config = Config {
        auto_tag: false,
        ..Config::default()
    };
    let off = Tagger::new(&config).unwrap();
    a.auto_tag = None;
    off.tag(&mut a);
    assert!(a.countries.is_empty());
    a.auto_tag = Some(true);
    off.tag(&mut a);
    assert_eq!(a.countries.len(), 1, "the article's own setting wins");
}

#[test]
fn turkey_the_country_not_the_bird() {
    let t = tagger();
    assert_eq!(
        countries(
            &t,
            "Turkey buys drones",
            &["Turkey signed a deal for drones."]
        ),
        ["TR"]
    );
    assert!(
        countries(
            &t,
            "Holiday turkey prices",
            &["A turkey costs more this year."]
        )
        .is_empty()
    );
}

#[test]
fn chad_and_jordan_the_people() {
    let t = tagger();
    assert!(
        countries(
            &t,
            "Analyst warns on drones",
            &["Chad Smith, an analyst, said drones are cheap. Chad Smith added more."]
        )
        .is_empty()
    );
    assert!(
        countries(
            &t,
            "Jordan Peterson speaks",
            &["Jordan Peterson gave a talk on defence spending."]
        )
        .is_empty()
    );
    assert_eq!(
        countries(
            &t,
            "Jordan receives F-16 jets",
            &["AMMAN: Jordan received two F-16 jets, the Jordanian air force said."]
        ),
        ["JO"]
    );
}

#[test]
fn georgia_the_us_state_is_not_the_country() {
    let t = tagger();
    let got = countries(
        &t,
        "Army base in Georgia expands",
        &["The U.S. Army will expand Fort Stewart in Georgia, the Pentagon said."],
    );
    assert_eq!(got, ["US"]);
    let got = countries(
        &t,
        "Georgia holds drills",
        &["TBILISI: Georgian troops began drills near Tbilisi, Georgia's defence ministry said."],
    );
    assert_eq!(got, ["GE"]);
}

#[test]
fn niger_is_not_nigeria() {
    let t = tagger();
    assert_eq!(
        countries(
            &t,
            "Niger junta expels troops",
            &["Niger's junta ordered the troops out."]
        ),
        ["NE"]
    );
    assert_eq!(
        countries(
            &t,
            "Nigeria buys jets",
            &["Nigeria ordered jets; the Nigerian air force said."]
        ),
        ["NG"]
    );
}

#[test]
fn guineas_sudans_and_congos_are_told_apart() {
    let t = tagger();
    assert_eq!(
        countries(
            &t,
            "Papua New Guinea signs pact",
            &["Papua New Guinea signed."]
        ),
        ["PG"]
    );
    assert_eq!(
        countries(&t, "Guinea-Bissau coup attempt", &["Guinea-Bissau said."]),
        ["GW"]
    );
    assert_eq!(
        countries(
            &t,
            "Equatorial Guinea buys ships",
            &["Equatorial Guinea said."]
        ),
        ["GQ"]
    );
    assert_eq!(
        countries(&t, "Guinea holds vote", &["Guinea said."]),
        ["GN"]
    );
    assert_eq!(
        countries(&t, "South Sudan clashes", &["South Sudan said."]),
        ["SS"]
    );
    assert_eq!(countries(&t, "Sudan clashes", &["Sudan said."]), ["SD"]);
    assert_eq!(
        countries(
            &t,
            "DR Congo army advances",
            &["DR Congo troops advanced near Goma."]
        ),
        ["CD"]
    );
    assert_eq!(
        countries(
            &t,
            "Congo signs deal",
            &["BRAZZAVILLE: Congo signed a deal, officials in Brazzaville said."]
        ),
        ["CG"]
    );
}

#[test]
fn korea_is_decided_from_context() {
    let t = tagger();
    assert_eq!(
        countries(
            &t,
            "Korea tests missile",
            &["Pyongyang fired a missile, North Korean state media said. Korea's leader watched."]
        ),
        ["KP"]
    );
    assert_eq!(
        countries(
            &t,
            "Korea buys tanks",
            &["Seoul approved the purchase, the South Korean ministry said. Korea will pay."]
        ),
        ["KR"]
    );
}

#[test]
fn us_inside_usaf_is_not_a_match() {
    let t = tagger();
    let g = &t.gazetteer;
    assert!(g.mentions("BUS USAFE MUSK").is_empty());
    let got = countries(&t, "U.S. jets land", &["The U.S. jets landed."]);
    assert_eq!(got, ["US"]);
}

#[test]
fn seas_gulfs_and_weapon_origins_are_not_mentions() {
    let t = tagger();
    let g = &t.gazetteer;
    for text in [
        "Ships sailed through the South China Sea.",
        "A patrol in the Sea of Japan.",
        "Tankers in the Gulf of Oman.",
        "Chinese-made drones and Russian-built tanks and Soviet-era jets.",
        "The Indian Ocean.",
    ] {
        assert!(g.mentions(text).is_empty(), "{text}");
    }
    assert!(
        countries(
            &t,
            "Navy patrols the South China Sea",
            &["A destroyer sailed the South China Sea with Chinese-made drones overhead."]
        )
        .is_empty()
    );
}

#[test]
fn regions_and_organisations_are_not_countries() {
    let t = tagger();
    assert!(
        countries(
            &t,
            "NATO and EU ministers meet",
            &["NATO, the EU and the UN discussed Central Asia and the Gulf."]
        )
        .is_empty()
    );
}

#[test]
fn historical_states_map_to_successors() {
    let t = tagger();
    assert_eq!(
        countries(
            &t,
            "Soviet Union stages nuclear test",
            &["The Soviet Union tested a device."]
        ),
        ["RU"]
    );
    assert_eq!(
        countries(
            &t,
            "West Germany buys tanks",
            &["West Germany ordered tanks."]
        ),
        ["DE"]
    );
}

#[test]
fn datelines_venues_sources_and_lists_do_not_make_a_story_about_a_country() {
    let t = tagger();
    let mut got = countries(
        &t,
        "Pakistan and Russia deepen ties",
        &[
            "LONDON: Pakistan and Russia signed a defence pact, the British newspaper reported.",
            "Pakistani officials met in Brussels. Russia said the pact would last.",
            "Observers from Japan, South Korea, Australia and India attended.",
        ],
    );
    got.sort();
    assert_eq!(got, ["PK", "RU"]);
}

#[test]
fn a_story_with_no_other_country_happens_at_its_dateline() {
    let t = tagger();
    let got = countries(
        &t,
        "Steelmaker files for share offering",
        &["CHICAGO, March 3 - Inland Steel said it registered a share offering."],
    );
    assert_eq!(got, ["US"]);
}

#[test]
fn every_tag_keeps_its_evidence() {
    let t = tagger();
    let body = "ISLAMABAD: Pakistani troops began a joint exercise.";
    let text = TagText {
        title: "Pakistan drills",
        body,
        lead: 0..body.len(),
    };
    let got = t.countries_for(&text);
    assert_eq!(got[0].tag.to_string(), "PK");
    let ev = &got[0].evidence;
    assert!(
        ev.iter()
            .any(|e| e.text == "Pakistan" && e.part == Part::Title)
    );
    // The story names Pakistan too, so its dateline counts a little.
    assert!(ev.iter().any(|e| e.text == "ISLAMABAD"
        && e.part == Part::Dateline
        && e.note.as_deref() == Some("dateline, and named in the story")));
    let topics = t.topics_for(&text);
    assert!(topics[0].evidence.iter().any(|e| e.weight > 0.0));
}

#[test]
fn topics_are_inferred_one_to_four() {
    let t = tagger();
    let got = topics(
        &t,
        "Armies begin joint military exercise",
        &[
            "The armies began a joint exercise. The drills include live-fire training and war games over two weeks.",
        ],
    );
    assert_eq!(got[0], "military-exercises", "{got:?}");
    assert!(got.len() <= 4);
}

#[test]
fn all_caps_headlines_are_read() {
    use super::salience::uncap;
    assert_eq!(
        uncap("MOSCOW STAGES NUCLEAR TEST"),
        "Moscow Stages Nuclear Test"
    );
    assert_eq!(
        uncap("U.S. NAVY SAID INCREASING PRESENCE"),
        "U.S. Navy Said Increasing Presence"
    );
    assert_eq!(uncap("NEW YORK TALKS"), "New York Talks");
    assert_eq!(uncap("Normal Title Here"), "Normal Title Here");
}

#[test]
fn a_tagger_built_for_few_articles_tags_as_one_built_for_many() {
    let config = Config::default();
    let many = Tagger::for_workload(&config, Workload::Many).unwrap();
    let few = Tagger::for_workload(&config, Workload::Few).unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let rel = std::path::Path::new("content").join(path.file_name().unwrap());
        let Ok(mut a) = crate::load::parse_article(&rel, &text, &config) else {
            continue;
        };
        // Leave every tag to the tagger, so both automata do all the work.
        a.raw_countries = None;
        a.raw_topics = None;
        let mut b = a.clone();
        assert!(many.tag(&mut a).is_empty());
        assert!(few.tag(&mut b).is_empty());
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", rel.display());
        seen += 1;
    }
    assert!(seen >= 20, "the sample digest has articles: {seen}");
}

#[test]
fn wire_datelines_place_a_story_with_no_other_country() {
    let t = tagger();
    let cases = [
        (
            "STAMFORD, Conn., Feb 26 - The toolmaker posted a loss.",
            "US",
        ),
        ("Toronto, Feb 26 - The lender raised its prime rate.", "CA"),
        (
            "LONDON, March 3 (Reuters) - The brewer lifted its payout.",
            "GB",
        ),
        ("WASHINGTON (AP) — The agency cut its forecast.", "US"),
        ("NEW DELHI: The carmaker opened a plant.", "IN"),
        ("Miami, March 11 - The cruise line ordered a ship.", "US"),
    ];
    for (lead, code) in cases {
        assert_eq!(countries(&t, "Results", &[lead]), [code], "{lead}");
    }
}

#[test]
fn a_state_or_province_makes_any_town_american_or_canadian() {
    let t = tagger();
    let cases = [
        (
            "HEBRON, Ill., March 2 - The grain cooperative expanded.",
            "US",
        ),
        ("ALEXANDRIA, Va., May 4 - The software firm was sold.", "US"),
        (
            "Birmingham, Ala., June 1 - The bank raised its dividend.",
            "US",
        ),
        ("LONDON, Ont., March 9 - The parts maker cut jobs.", "CA"),
        ("PARIS, Texas, Jan 5 - The mill reopened.", "US"),
    ];
    for (lead, code) in cases {
        assert_eq!(countries(&t, "Company news", &[lead]), [code], "{lead}");
    }
    // In running text too: the town is no mention of Palestine or Egypt.
    let got = countries(
        &t,
        "Farm cooperative merges",
        &[
            "A cooperative in Hebron, Ill., agreed to merge with one in Alexandria, Va., the two said.",
        ],
    );
    assert!(!got.iter().any(|c| c == "PS" || c == "EG"), "{got:?}");
}

#[test]
fn company_names_are_organisations_not_countries() {
    let t = tagger();
    // Tickers and bracketed names, corporate words, a name before a ticker.
    for (title, lead) in [
        (
            "Savings bank posts profit",
            "LOS ANGELES, March 3 - Gibraltar Financial Corp said its quarterly profit rose.",
        ),
        (
            "Oil major raises dividend",
            "HOUSTON, March 3 - Shell Oil Co, a unit of <Royal Dutch Petroleum Co>, raised its dividend.",
        ),
        (
            "Property group sells tower",
            "DALLAS, May 2 - Hong Kong Land said it sold an office tower to a pension fund.",
        ),
        (
            "Railway raises freight rates",
            "CHICAGO, May 2 - The Canadian Pacific railway said it would raise freight rates.",
        ),
    ] {
        assert_eq!(countries(&t, title, &[lead]), ["US"], "{lead}");
    }
    // "Royal Dutch": a demonym after a capitalised word is part of a name.
    let got = countries(
        &t,
        "Refiner buys stake",
        &["BOSTON, May 2 - The refiner said Royal Dutch had sold it a stake in a terminal."],
    );
    assert_eq!(got, ["US"]);
    // A country the story also names as an actor still counts.
    let got = countries(
        &t,
        "Mexico reschedules debt",
        &["MEXICO CITY, May 2 - Mexico agreed new terms with its creditors, Banco de Mexico said."],
    );
    assert_eq!(got, ["MX"]);
}

#[test]
fn historical_states_and_their_demonyms() {
    let t = tagger();
    for (text, code) in [
        ("Yugoslavia devalued its currency.", "RS"),
        ("Yugoslav officials met bankers.", "RS"),
        ("Czechoslovakia signed a trade pact.", "CZ"),
        ("Czechoslovak officials agreed.", "CZ"),
        ("Burma closed its border.", "MM"),
        ("Burmese troops crossed the river.", "MM"),
        ("Zaire cut copper output.", "CD"),
        ("Zairean officials agreed.", "CD"),
        ("Rhodesia declared independence.", "ZW"),
        ("East Germany bought grain.", "DE"),
        ("West German banks lent more.", "DE"),
        ("The Soviet Union tested a rocket.", "RU"),
    ] {
        assert_eq!(countries(&t, "News", &[text, text]), [code], "{text}");
    }
}

#[test]
fn place_names_and_headlines_in_capitals_hide_countries() {
    let t = tagger();
    // "Turkey Point" is a power station in Florida.
    let got = countries(
        &t,
        "Reactor shut for repairs",
        &["MIAMI, March 11 - The Turkey Point reactor was shut for a day, the utility said."],
    );
    assert_eq!(got, ["US"]);
    // A stop-phrase in a headline in capitals is still a stop-phrase.
    let got = countries(
        &t,
        "SHIPS GATHER IN THE SEA OF JAPAN",
        &["Warships from several navies sailed, officials said."],
    );
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn a_country_named_once_for_its_armed_action_is_a_party() {
    let t = tagger();
    let got = countries(
        &t,
        "Allies pledge more air defence",
        &[
            "Ukraine and the United States agreed on more air defence for Ukraine, the United States said.",
            "Kyiv said the systems would protect cities against Russia's invasion.",
        ],
    );
    assert!(got.contains(&"RU".to_string()), "{got:?}");
}

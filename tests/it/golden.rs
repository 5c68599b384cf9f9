//! Golden output: the sample digest and a generated 300-article site must
//! build byte for byte as recorded in `tests/golden/`, in a full build and
//! after every kind of incremental rebuild. A change that alters output on
//! purpose (new tagging rules, a template change) records the new digests
//! with `MILBRIEF_BLESS=1 cargo test --test golden` and says why in its
//! commit; any other difference is a regression.
//!
//! The test drives the `milbrief` binary, as a user does, so it holds
//! across any reshaping of the library behind it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

fn milbrief() -> Command {
    Command::new(env!("CARGO_BIN_EXE_milbrief"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn golden(name: &str) -> PathBuf {
    repo().join("tests/golden").join(name)
}

fn blessing() -> bool {
    std::env::var_os("MILBRIEF_BLESS").is_some_and(|v| v != "0")
}

/// Every file under `dir`: relative path → SHA-256 (hex) of its bytes.
fn manifest(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk output");
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e.path().strip_prefix(dir).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(e.path()).expect("read output");
        out.insert(rel, hex(&Sha256::digest(&bytes)));
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn render_manifest(m: &BTreeMap<String, String>) -> String {
    m.iter().map(|(p, h)| format!("{h}  {p}\n")).collect()
}

fn digest_of(m: &BTreeMap<String, String>) -> String {
    hex(&Sha256::digest(render_manifest(m).as_bytes()))
}

/// Compares a manifest with the recorded one (or records it when blessing),
/// naming the files that differ.
fn assert_manifest(name: &str, m: &BTreeMap<String, String>) {
    let path = golden(name);
    let text = render_manifest(m);
    if blessing() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (record it with MILBRIEF_BLESS=1)", path.display()));
    let want: BTreeMap<String, String> = recorded
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(h, p)| (p.to_string(), h.to_string()))
        .collect();
    let mut diffs = Vec::new();
    for (p, h) in &want {
        match m.get(p) {
            None => diffs.push(format!("missing: {p}")),
            Some(g) if g != h => diffs.push(format!("changed: {p}")),
            _ => {}
        }
    }
    for p in m.keys().filter(|p| !want.contains_key(*p)) {
        diffs.push(format!("new: {p}"));
    }
    assert!(
        diffs.is_empty(),
        "{name}: output differs from the recorded golden output ({} files):\n{}",
        diffs.len(),
        diffs
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn build(root: &Path, out: &Path, extra: &[&str]) {
    let o = milbrief()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .arg("--quiet")
        .args(extra)
        .output()
        .expect("run milbrief");
    assert!(
        o.status.success(),
        "build of {} failed:\n{}",
        root.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

#[test]
fn sample_digest_builds_as_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    for d in ["content", "templates", "static"] {
        copy_tree(&repo().join(d), &site.join(d));
    }
    std::fs::copy(repo().join("config.toml"), site.join("config.toml")).unwrap();
    let out = tmp.path().join("public");
    build(&site, &out, &["--no-cache"]);
    assert_manifest("sample.txt", &manifest(&out));
}

/// A small deterministic generator (xorshift), so the site is the same on
/// every machine and needs nothing beyond the test itself.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// (name, capital, demonym)
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("Poland", "Warsaw", "Polish"),
    ("Japan", "Tokyo", "Japanese"),
    ("India", "New Delhi", "Indian"),
    ("Pakistan", "Islamabad", "Pakistani"),
    ("Turkey", "Ankara", "Turkish"),
    ("Greece", "Athens", "Greek"),
    ("Norway", "Oslo", "Norwegian"),
    ("Brazil", "Brasilia", "Brazilian"),
    ("Nigeria", "Abuja", "Nigerian"),
    ("Australia", "Canberra", "Australian"),
    ("Indonesia", "Jakarta", "Indonesian"),
    ("Estonia", "Tallinn", "Estonian"),
    ("Egypt", "Cairo", "Egyptian"),
    ("Chile", "Santiago", "Chilean"),
    ("Kenya", "Nairobi", "Kenyan"),
    ("Vietnam", "Hanoi", "Vietnamese"),
];

/// (topic slug, headline verb phrase, lead sentence fragment)
const THEMES: &[(&str, &str, &str)] = &[
    (
        "military-exercises",
        "begin joint naval exercise",
        "warships and maritime patrol aircraft began a two-week joint exercise rehearsing anti-submarine warfare",
    ),
    (
        "procurement",
        "sign contract for new air defence systems",
        "the defence ministry signed a contract for medium-range air defence batteries after a two-year competition",
    ),
    (
        "arms-trade",
        "agree on export of armoured vehicles",
        "officials agreed the export of wheeled armoured vehicles, with deliveries of the first batch due next year",
    ),
    (
        "cyber-space",
        "report cyber attack on defence networks",
        "the national cyber security centre said hackers had tried to break into military logistics networks",
    ),
    (
        "budget-legislation",
        "parliament debates defence budget increase",
        "lawmakers debated a bill raising military spending, with most of the increase going to ammunition stocks",
    ),
    (
        "diplomacy",
        "foreign ministers hold security talks",
        "the foreign ministers met to discuss regional security and agreed to hold regular consultations",
    ),
    (
        "terrorism-insurgency",
        "troops pursue insurgents after ambush",
        "security forces launched an operation against insurgents who had ambushed a military convoy",
    ),
    (
        "maritime-security",
        "coast guard shadows vessels near disputed reef",
        "coast guard cutters shadowed a group of vessels that had anchored near a disputed reef",
    ),
];

const SOURCES: &[&str] = &[
    "Northern Defence Wire",
    "Harbour Security Review",
    "Continental Desk",
    "Gazette of Strategy",
];

const FILLER: &[&str] = &[
    "Analysts said the step reflected a wider change in how the armed forces plan for a long confrontation.",
    "A spokesperson declined to give a timetable but said further details would follow within weeks.",
    "The programme has faced delays because of supply problems with electronic components.",
    "Opposition politicians questioned the cost and asked for a parliamentary hearing.",
    "Officers described the preparations as routine and said they were not aimed at any neighbour.",
    "Industry representatives welcomed the decision and promised to hire more engineers.",
    "Observers from several embassies attended the final day of the event.",
    "The ministry said the equipment would be assigned to units on the eastern border first.",
];

/// One generated article file: (file name, text).
fn article(i: usize, rng: &mut Rng) -> (String, String) {
    let ia = rng.below(COUNTRIES.len());
    let ib = (ia + 1 + rng.below(COUNTRIES.len() - 1)) % COUNTRIES.len();
    let (a, b) = (COUNTRIES[ia], COUNTRIES[ib]);
    let theme = THEMES[rng.below(THEMES.len())];
    // Dates over about twenty weeks from 2024-01-01.
    let day = (i * 140 / 300) as i64 + rng.below(3) as i64;
    let date = jiff::civil::date(2024, 1, 1)
        .checked_add(jiff::Span::new().days(day))
        .unwrap();
    let title = format!("{} and {} {} (report {i})", a.0, b.0, theme.1);
    let slug = format!("{}-{}-{}-{i}", a.0, b.0, theme.0).to_lowercase();
    let mut fm = format!(
        "title = \"{title}\"\nsource = \"{}\"\nurl = \"https://example.net/{slug}\"\n",
        rng.pick(SOURCES)
    );
    match i % 7 {
        0 => {
            let _ = writeln!(
                fm,
                "countries = [\"{}\", \"{}\"]\ntopics = [\"{}\"]",
                a.0, b.0, theme.0
            );
        }
        1 => {
            let _ = writeln!(fm, "date = {date}T{:02}:15:00Z", 6 + rng.below(12));
        }
        2 => {
            let _ = writeln!(
                fm,
                "summary = \"A short summary of report {i}: {}.\"",
                theme.1
            );
        }
        3 => {
            let _ = writeln!(fm, "not_topics = [\"diplomacy\"]");
        }
        _ => {}
    }
    if i % 61 == 5 {
        fm.push_str("draft = true\n");
    }
    let mut body = format!(
        "{}: {} and {} {}, officials in {} said on {}.\n\n",
        a.1.to_uppercase(),
        a.2,
        b.2,
        theme.2,
        b.1,
        date.strftime("%A")
    );
    if i.is_multiple_of(5) {
        body.push_str("<!-- more -->\n\n");
    }
    body.push_str("## Background\n\n");
    for _ in 0..2 + rng.below(3) {
        let _ = writeln!(body, "{}\n", rng.pick(FILLER));
    }
    if i.is_multiple_of(4) {
        let _ = writeln!(
            body,
            "- Units involved: {}\n- Duration: {} days\n- Observers: [briefing](https://example.net/brief/{i})\n",
            2 + rng.below(5),
            3 + rng.below(10)
        );
    }
    let _ = writeln!(
        body,
        "The {} embassy in {} said the two governments would keep in close contact.",
        b.2, a.1
    );
    (
        format!("{date}-{slug}.md"),
        format!("+++\n{fm}+++\n\n{body}"),
    )
}

fn write_site(root: &Path, n: usize) {
    let content = root.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        root.join("config.toml"),
        "title = \"Golden digest\"\nbase_url = \"https://golden.example/\"\nper_page = 12\n",
    )
    .unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..n {
        let (name, text) = article(i, &mut rng);
        std::fs::write(content.join(name), text).unwrap();
    }
}

fn only_md(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    v.sort();
    v
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

/// The steps of an editor's day, each built through the build cache and
/// checked against a clean build of the same files and the recorded digest.
#[test]
fn generated_site_builds_and_rebuilds_as_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write_site(&site, 300);
    let out = tmp.path().join("public");
    let clean = tmp.path().join("clean");
    let content = site.join("content");

    type Step = (&'static str, Box<dyn Fn(&Path)>);
    let steps: Vec<Step> = vec![
        ("full", Box::new(|_| {})),
        ("no-change", Box::new(|_| {})),
        (
            "body-edit",
            Box::new(|c| {
                let f = &only_md(c)[40];
                edit(f, |t| t + "\nA late paragraph added after publication.\n");
            }),
        ),
        (
            "title-edit",
            Box::new(|c| {
                let f = &only_md(c)[41];
                edit(f, |t| t.replacen("title = \"", "title = \"Updated: ", 1));
            }),
        ),
        (
            "add",
            Box::new(|c| {
                std::fs::write(
                    c.join("2024-03-05-late-arrival.md"),
                    "+++\ntitle = \"Estonia and Poland agree on joint ammunition purchase\"\nsource = \"Continental Desk\"\n+++\n\nTALLINN: Estonian and Polish defence officials agreed to buy artillery ammunition together.\n",
                )
                .unwrap();
            }),
        ),
        (
            "delete",
            Box::new(|c| {
                std::fs::remove_file(&only_md(c)[100]).unwrap();
            }),
        ),
        (
            "retag",
            Box::new(|c| {
                let f = &only_md(c)[7];
                edit(f, |t| {
                    t.replacen("+++\n", "+++\ncountries = [\"Kenya\"]\n", 1)
                });
            }),
        ),
        (
            "template",
            Box::new(|c| {
                let site = c.parent().unwrap();
                let t = site.join("templates");
                std::fs::create_dir_all(&t).unwrap();
                std::fs::write(
                    t.join("404.html"),
                    "{% extends \"base.html\" %}{% block content %}<h1>Not here</h1>{% endblock %}",
                )
                .unwrap();
            }),
        ),
        (
            "config",
            Box::new(|c| {
                let cfg = c.parent().unwrap().join("config.toml");
                edit(&cfg, |t| t.replace("per_page = 12", "per_page = 9"));
            }),
        ),
    ];

    let mut record = String::new();
    for (name, change) in &steps {
        change(&content);
        build(&site, &out, &[]);
        let got = manifest(&out);
        let _ = std::fs::remove_dir_all(&clean);
        build(&site, &clean, &["--no-cache"]);
        let want = manifest(&clean);
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{name}: the rebuild's files differ from a clean build's"
        );
        for (p, h) in &want {
            assert_eq!(&got[p], h, "{name}: {p} differs from a clean build");
        }
        if *name == "full" {
            assert_manifest("generated-300.txt", &got);
        }
        let _ = writeln!(record, "{name} {} {}", got.len(), digest_of(&got));
    }
    let path = golden("generated-300-steps.txt");
    if blessing() {
        std::fs::write(&path, &record).unwrap();
    } else {
        let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("{}: {e} (record it with MILBRIEF_BLESS=1)", path.display())
        });
        for (w, g) in want.lines().zip(record.lines()) {
            assert_eq!(
                g, w,
                "a rebuild step's output differs from the recorded one"
            );
        }
        assert_eq!(want.lines().count(), record.lines().count());
    }
}

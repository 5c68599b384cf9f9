#!/usr/bin/env python3
"""Synthetic defense-news articles for milbrief benchmarks.

    bench/gen_corpus.py N OUTDIR [--seed 7]

Writes N articles to OUTDIR/content/ as `YYYY-MM-DD-slug.md`, each with TOML
front matter (title, date, source, url) and a Markdown body of 500-800 words:
a dateline lead, sub-headings, a bullet list of key facts, quotes and links.
Countries and topics are not in the front matter: they are left to milbrief's
tagger, as in a digest whose editors do not tag by hand, so a build from this
corpus also measures automatic tagging.

The same N and seed always give byte-identical files: only a seeded
random.Random is consulted, never the clock or the environment. Python 3
standard library only.
"""

import argparse
import datetime as dt
import os
import random
import re
import shutil
import sys

# (name, capital, demonym)
NATIONS = [
    ("Poland", "Warsaw", "Polish"), ("Germany", "Berlin", "German"),
    ("France", "Paris", "French"), ("Italy", "Rome", "Italian"),
    ("Norway", "Oslo", "Norwegian"), ("Finland", "Helsinki", "Finnish"),
    ("Sweden", "Stockholm", "Swedish"), ("Romania", "Bucharest", "Romanian"),
    ("Greece", "Athens", "Greek"), ("Turkey", "Ankara", "Turkish"),
    ("Ukraine", "Kyiv", "Ukrainian"), ("Russia", "Moscow", "Russian"),
    ("Japan", "Tokyo", "Japanese"), ("South Korea", "Seoul", "South Korean"),
    ("India", "New Delhi", "Indian"), ("Pakistan", "Islamabad", "Pakistani"),
    ("Australia", "Canberra", "Australian"), ("Indonesia", "Jakarta", "Indonesian"),
    ("Philippines", "Manila", "Philippine"), ("Vietnam", "Hanoi", "Vietnamese"),
    ("Brazil", "Brasilia", "Brazilian"), ("Chile", "Santiago", "Chilean"),
    ("Canada", "Ottawa", "Canadian"), ("Egypt", "Cairo", "Egyptian"),
    ("Nigeria", "Abuja", "Nigerian"), ("Kenya", "Nairobi", "Kenyan"),
    ("Israel", "Jerusalem", "Israeli"), ("Saudi Arabia", "Riyadh", "Saudi"),
    ("Spain", "Madrid", "Spanish"), ("Netherlands", "The Hague", "Dutch"),
    ("Estonia", "Tallinn", "Estonian"), ("Lithuania", "Vilnius", "Lithuanian"),
]

OUTLETS = [
    ("Harbour Wire", "harbourwire.example"), ("The Ridge Ledger", "ridgeledger.example"),
    ("Northline Defence", "northline.example"), ("Meridian Post", "meridianpost.example"),
    ("Sentinel Weekly", "sentinelweekly.example"), ("Bastion Review", "bastion.example"),
    ("Outpost Daily", "outpostdaily.example"), ("Citadel Dispatch", "citadel.example"),
]

# Each theme: headline patterns, sentences and facts that carry its vocabulary.
THEMES = {
    "procurement": {
        "heads": ["{A} orders {n} {kit} in {money} deal",
                  "{A} picks {maker} for {kit} contract",
                  "{A} signs contract for {kit}"],
        "lines": [
            "The defence ministry in {capA} signed a contract with {maker} for {n} {kit}, worth {money}.",
            "Deliveries of the {kit} are due to start in {year}, with the last units handed over by {year2}.",
            "The procurement agency said the tender drew three bids before {maker} was selected.",
            "Parliament approved the purchase after a debate over cost and local industrial work share.",
            "The deal includes training, spare parts and a support contract running for {k} years.",
        ],
        "facts": ["Value: {money}", "Quantity: {n} {kit}", "Prime contractor: {maker}",
                  "First delivery: {year}"],
    },
    "exercise": {
        "heads": ["{A} and {B} troops open joint exercise {ex}",
                  "{ex} drills bring {A} and {B} forces together",
                  "{A} hosts {ex} military exercise"],
        "lines": [
            "Troops from {A} and {B} began the joint exercise {ex} near {capA} on {weekday}.",
            "Some {troops} soldiers, {k} warships and dozens of aircraft are taking part in the drills.",
            "The exercise rehearses the defence of critical infrastructure and a combined amphibious landing.",
            "Commanders said the drills test how the two armies share targeting data in real time.",
            "Observers from {C} were invited to watch the live-fire phase of the exercise.",
        ],
        "facts": ["Exercise: {ex}", "Troops: {troops}", "Duration: {k} days",
                  "Participants: {A}, {B}"],
    },
    "conflict": {
        "heads": ["Shelling hits border towns as {A} and {B} trade fire",
                  "{A} says drone strike killed {k} in border clash with {B}",
                  "Fighting flares along the {A}-{B} frontier"],
        "lines": [
            "Artillery shelling hit villages near the border between {A} and {B} overnight, officials said.",
            "The army of {A} said it shot down {k} attack drones launched from {B}'s territory.",
            "At least {k} soldiers were killed and {n} wounded in the clashes, according to the ministry in {capA}.",
            "Residents of frontline towns were evacuated as the ceasefire collapsed.",
            "{B}'s government in {capB} accused {A} of violating the truce and launching an offensive.",
        ],
        "facts": ["Casualties: {k} killed, {n} wounded", "Drones downed: {k}",
                  "Front: {A}-{B} border"],
    },
    "diplomacy": {
        "heads": ["{A} and {B} agree closer defence cooperation",
                  "Foreign ministers of {A} and {B} meet in {capB}",
                  "{A} president visits {B} for security talks"],
        "lines": [
            "The foreign ministers of {A} and {B} met in {capB} to discuss regional security.",
            "The two governments signed a memorandum on defence cooperation and intelligence sharing.",
            "Diplomats said the talks covered arms control and a hotline between the two militaries.",
            "A joint statement pledged a strategic partnership and regular summits.",
            "The visit is the first by a leader of {A} to {B} in {k} years.",
        ],
        "facts": ["Venue: {capB}", "Agreement: defence cooperation memorandum",
                  "Next summit: {year}"],
    },
    "budget": {
        "heads": ["{A} raises defence budget to {pct}% of GDP",
                  "{A} parliament passes record military budget",
                  "{A} unveils {money} defence spending plan"],
        "lines": [
            "The government of {A} proposed raising defence spending to {pct} percent of GDP next year.",
            "The budget bill sets aside {money} for new equipment and ammunition stockpiles.",
            "Lawmakers in {capA} approved the defence budget by a wide margin.",
            "Finance officials warned that the spending plan would widen the deficit.",
            "The budget also funds pay rises for soldiers and the recruitment of {troops} reservists.",
        ],
        "facts": ["Defence budget: {money}", "Share of GDP: {pct}%",
                  "Vote: passed in {capA}"],
    },
    "missiles": {
        "heads": ["{A} test-fires new ballistic missile",
                  "{A} reports missile launch over the sea",
                  "{A} tests hypersonic missile, {B} condemns launch"],
        "lines": [
            "{A} test-fired a ballistic missile that flew {range} kilometres before landing at sea.",
            "The missile test drew condemnation from {B}, whose defence ministry called it a provocation.",
            "Analysts said the launch showed progress in {A}'s nuclear and missile programmes.",
            "The air defence forces of {B} tracked the missile from launch to splashdown.",
            "The launch came days after talks on non-proliferation stalled.",
        ],
        "facts": ["Range: {range} km", "Type: ballistic missile", "Reaction: {B} protest"],
    },
    "maritime": {
        "heads": ["{A} navy shadows {B} ships near disputed waters",
                  "{A} coast guard and {B} vessels in maritime standoff",
                  "{A} deploys frigate to patrol shipping lanes"],
        "lines": [
            "A navy frigate from {A} shadowed {k} warships from {B} near disputed waters.",
            "The coast guard said a patrol vessel was blocked by ships from {B}.",
            "Maritime security officials said shipping lanes remained open despite the standoff.",
            "The naval patrol is part of a freedom of navigation operation, the ministry in {capA} said.",
            "Fishing boats from {A} were told to stay clear of the area.",
        ],
        "facts": ["Ships involved: {k}", "Area: disputed waters", "Operator: {A} navy"],
    },
    "cyber": {
        "heads": ["{A} blames {B} hackers for cyberattack on ministry",
                  "Cyberattack disrupts {A} defence networks",
                  "{A} sets up military cyber command"],
        "lines": [
            "A cyberattack disrupted networks at the defence ministry in {capA}, officials said.",
            "Investigators linked the hacking campaign to a group working for {B}'s intelligence service.",
            "The new cyber command will defend military networks and satellites from attack.",
            "Ransomware hit a defence contractor, leaking documents on the {kit} programme.",
            "Officials said no classified systems were breached.",
        ],
        "facts": ["Target: defence ministry networks", "Attribution: {B}",
                  "Systems restored: {k} days later"],
    },
}

KIT = ["K9 self-propelled howitzers", "air defence batteries", "attack helicopters",
       "armoured personnel carriers", "frigates", "patrol drones", "transport aircraft",
       "main battle tanks", "coastal radars", "anti-ship missile launchers"]
MAKERS = ["Halvard Systems", "Orrin Aerospace", "Kestrel Dynamics", "Veyron Marine",
          "Tessaly Arms", "Northgate Defence", "Arkwright Industries", "Lumen Avionics"]
EXERCISES = ["Iron Meridian", "Northern Shield", "Sea Lantern", "Granite Gate",
             "Silver Anchor", "Steppe Falcon", "Coral Bastion", "Winter Torch"]
HEADINGS = ["Background", "What was agreed", "Reactions", "Numbers", "What comes next",
            "Regional context", "Cost and schedule", "On the ground", "Analysis"]
FILLER = [
    "The announcement was made at a press conference on {weekday}.",
    "A spokesperson declined to give further details, citing operational security.",
    "Opposition politicians questioned the timing and asked for a full briefing.",
    "Independent analysts said the move had been expected for several months.",
    "The ministry published a short statement and a photograph on its website.",
    "Local media reported the news first, quoting unnamed officials.",
    "Details of the timetable are expected to be published later this year.",
    "The decision reflects a wider shift in priorities since last year's review.",
    "Officials stressed that the plan would be reviewed again in {year}.",
    "The story was updated with comments from the ministry.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def slugify(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Writer:
    def __init__(self, rng):
        self.rng = rng

    def fill(self, pattern, v):
        return pattern.format(**v)

    def values(self, date):
        r = self.rng
        a, b, c = r.sample(NATIONS, 3)
        return {
            "A": a[0], "capA": a[1], "adjA": a[2],
            "B": b[0], "capB": b[1], "adjB": b[2], "C": c[0],
            "n": r.randint(4, 240), "k": r.randint(2, 12),
            "kit": r.choice(KIT), "maker": r.choice(MAKERS), "ex": r.choice(EXERCISES),
            "money": "${:.1f} billion".format(r.uniform(0.2, 14.0)),
            "pct": "{:.1f}".format(r.uniform(1.2, 4.5)),
            "troops": "{:,}".format(r.randint(8, 90) * 100),
            "range": r.randint(300, 4500),
            "year": date.year + r.randint(1, 3), "year2": date.year + r.randint(4, 8),
            "weekday": r.choice(WEEKDAYS),
        }

    def paragraph(self, theme, v, lines, lead=False):
        r = self.rng
        out = []
        for j in range(lines):
            pool = theme["lines"] if (lead and j < 2) or r.random() < 0.6 else FILLER
            line = self.fill(r.choice(pool), v)
            if line not in out:
                out.append(line)
        return " ".join(out)

    def article(self, i, when):
        r = self.rng
        name = sorted(THEMES)[r.randrange(len(THEMES))]
        theme = THEMES[name]
        v = self.values(when)
        title = self.fill(r.choice(theme["heads"]), v)
        outlet, domain = r.choice(OUTLETS)
        slug = "{}-{}".format(slugify(title)[:60].strip("-"), i)
        url = "https://{}/{}/{}".format(domain, when.strftime("%Y/%m"), slug)
        target = r.randint(500, 800)
        parts = ["{}: {}".format(v["capA"].upper(), self.paragraph(theme, v, 3, lead=True))]
        words = len(parts[0].split())
        headings = r.sample(HEADINGS, len(HEADINGS))
        h = 0
        while words < target:
            step = r.random()
            if step < 0.2 and h < len(headings) and not parts[-1].startswith("#"):
                parts.append("## " + headings[h])
                h += 1
            elif step < 0.3:
                facts = r.sample(theme["facts"], min(3, len(theme["facts"])))
                parts.append("\n".join("- " + self.fill(f, v) for f in facts))
            elif step < 0.4:
                parts.append('"{}," said a senior official in {}.'.format(
                    self.fill(r.choice(theme["lines"]), v).rstrip("."), v["capA"]))
            elif step < 0.5:
                parts.append("More on this in [{}'s earlier report](https://{}/{}/) and the "
                             "[ministry statement](https://gov.example/{}/{}).".format(
                                 outlet, domain, r.randint(1000, 9999),
                                 slugify(v["A"]), r.randint(100, 999)))
            else:
                parts.append(self.paragraph(theme, v, r.randint(3, 5)))
            words += len(parts[-1].split())
        body = "\n\n".join(parts) + "\n"
        fm = ("+++\ntitle = {}\ndate = {}\nsource = {}\nurl = {}\n+++\n\n").format(
            toml_str(title), when.strftime("%Y-%m-%dT%H:%M:%SZ"), toml_str(outlet),
            toml_str(url))
        return "{}-{}.md".format(when.strftime("%Y-%m-%d"), slug), fm + body, words


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("out", help="output directory (its content/ is replaced)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    content = os.path.join(os.path.abspath(args.out), "content")
    if os.path.exists(content):
        shutil.rmtree(content)
    os.makedirs(content)
    rng = random.Random(args.seed)
    w = Writer(rng)
    # A desk filing ~30 stories a day: N articles spread back from 2025-06-30.
    end = dt.datetime(2025, 6, 30, 20, 0, 0)
    minutes = 48 * max(args.n, 1)
    total = 0
    for i in range(1, args.n + 1):
        when = end - dt.timedelta(minutes=rng.randrange(minutes))
        name, text, words = w.article(i, when)
        total += words
        with open(os.path.join(content, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    print("generated {} articles, {} words (mean {:.0f}) into {}".format(
        args.n, total, total / max(args.n, 1), content), file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""What milbrief's tagger does to a whole feed: how many stories get a
security topic, how many are off-topic, and the phrases that fire most for
each topic.

    bench/tag-report.py DIR [--milbrief PATH] [--top 20] [--json OUT]
    bench/tag-report.py --from-json TAGS.json     (output of
                                                   `milbrief tags --json --explain`)

Runs `milbrief tags --json --explain DIR` (the release build by default)
and prints a Markdown report on standard output. A security topic is any
topic but trade-economy and energy-security (as the evaluation's scorer
counts them). Standard library only.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

NOT_SECURITY = {"trade-economy", "energy-security"}
HERE = os.path.dirname(os.path.abspath(__file__))


def load(args):
    if args.from_json:
        with open(args.from_json, encoding="utf-8") as fh:
            return json.load(fh)
    exe = args.milbrief or os.path.join(HERE, "..", "target", "release", "milbrief")
    out = subprocess.run([exe, "tags", "--json", "--explain", args.dir],
                         check=True, capture_output=True)
    return json.loads(out.stdout)


def report(tags, top):
    n = len(tags)
    if n == 0:
        return "no stories\n"
    security = sum(1 for v in tags.values() if set(v.get("topics", [])) - NOT_SECURITY)
    any_topic = sum(1 for v in tags.values() if v.get("topics"))
    off = sum(1 for v in tags.values()
              if v.get("explain", {}).get("off_topic", False))
    lines = [
        f"stories: {n}",
        f"with any security topic: {security} ({security / n:.1%})",
        f"with any topic: {any_topic} ({any_topic / n:.1%})",
        f"off-topic (relevance below the threshold): {off} ({off / n:.1%})",
        "",
        "| topic | stories | share |",
        "|---|---:|---:|",
    ]
    per_topic = collections.Counter(t for v in tags.values() for t in v.get("topics", []))
    for t, k in per_topic.most_common():
        lines.append(f"| {t} | {k} | {k / n:.1%} |")
    phrases = collections.defaultdict(collections.Counter)
    for v in tags.values():
        for s in v.get("explain", {}).get("topics", []):
            for e in s.get("evidence", []):
                if e.get("weight", 0) > 0:
                    phrases[s["tag"]][e["text"]] += e.get("count", 1)
    rel = collections.Counter()
    for v in tags.values():
        r = v.get("explain", {}).get("relevance", {})
        if not v.get("explain", {}).get("off_topic", True):
            for e in r.get("evidence", []):
                rel[e["text"].lower()] += e.get("count", 1)
    lines += ["", f"## Phrases that fire most (top {top}, occurrences in tagged stories)", ""]
    for t, _ in per_topic.most_common():
        common = ", ".join(f"{p} ({k})" for p, k in phrases[t].most_common(top))
        lines.append(f"- **{t}**: {common}")
    lines += ["", f"## What makes stories relevant (top {top})", "",
              ", ".join(f"{p} ({k})" for p, k in rel.most_common(top))]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", nargs="?", help="directory of Markdown stories")
    ap.add_argument("--milbrief", help="milbrief binary [target/release/milbrief]")
    ap.add_argument("--from-json", help="read tags from this file instead of running milbrief")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--json", help="also write the tags to this file")
    args = ap.parse_args()
    if not args.dir and not args.from_json:
        ap.error("give a directory or --from-json")
    tags = load(args)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(tags, fh)
    sys.stdout.write(report(tags, args.top))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Prints the results of bench/run.sh (JSON lines) as Markdown tables."""

import json
import sys


def main(path):
    rows = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    runs = [r for r in rows if r.get("scenario") != "tagging"]
    hugo = {(r["articles"], r["output"]): r for r in runs
            if r["tool"] == "hugo" and r["scenario"] == "full"}
    print("| articles | output | scenario | tool | wall (s) | CPU (s) | peak RSS (MB) | wall ÷ Hugo full | RSS ÷ Hugo full |")
    print("|---:|---|---|---|---:|---:|---:|---:|---:|")
    for r in runs:
        h = hugo.get((r["articles"], r["output"]))
        ratio = lambda k: "{:.2f}".format(r[k] / h[k]) if h and r["tool"] != "hugo" else ""
        print("| {:,} | {} | {} | {} | {:.3f} | {:.3f} | {:.0f} | {} | {} |".format(
            r["articles"], r["output"], r["scenario"], r["tool"], r["wall"], r["cpu"],
            r["rss"], ratio("wall"), ratio("rss")))
    tags = [r for r in rows if r.get("scenario") == "tagging"]
    if tags:
        print()
        print("| articles | tagging, one core (MB/s) | tagging, all cores (MB/s) |")
        print("|---:|---:|---:|")
        for r in tags:
            print("| {:,} | {:.0f} | {:.0f} ({} threads) |".format(
                r["articles"], r["one_core"], r["all_cores"], r["threads"]))
    # Linearity: cost per 1,000 articles of each full build.
    full = [r for r in runs if r["scenario"] == "full"]
    keys = sorted({(r["output"], r["tool"]) for r in full})
    sizes = sorted({r["articles"] for r in full})
    if len(sizes) > 1:
        print()
        print("Full build, wall time per 1,000 articles (s): " + ", ".join(
            "{:,}".format(n) for n in sizes))
        print()
        print("| output | tool | " + " | ".join("{:,}".format(n) for n in sizes) + " |")
        print("|---|---|" + "---:|" * len(sizes))
        for out, tool in keys:
            cells = []
            for n in sizes:
                r = next((x for x in full if (x["output"], x["tool"], x["articles"]) == (out, tool, n)), None)
                cells.append("{:.3f}".format(r["wall"] / n * 1000) if r else "")
            print("| {} | {} | {} |".format(out, tool, " | ".join(cells)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/bench-results.jsonl")

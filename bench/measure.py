#!/usr/bin/env python3
"""Runs the benchmark scenarios of one corpus size; bench/run.sh calls it.

    bench/measure.py --bin BIN --corpus DIR --out DIR --label NAME
                     [--runs 5] [--hugo] [--results FILE]
                     [--against BIN [--against-name NAME]]

The corpus directory (made by bench/site.sh) holds `minimal/` (the bench's
minimal templates), `digest/` (the full default digest), both over one
`content/`, and `hugo/` (the same articles as a Hugo site) when Hugo runs.

Scenarios, each measured RUNS times:
  full       build into an empty output directory, with no build cache
             yet (the first build of a fresh clone, which writes the cache):
             milbrief minimal, milbrief digest, Hugo
  no-change  build again with nothing changed
  one-edit   build after editing the text of one article

With --against, a second milbrief binary (another version, named NAME,
"before" by default) builds a copy of the corpus (each binary keeps its own
build cache) side by side in every scenario.

The runs of the tools compared alternate round by round (minimal, digest,
Hugo, minimal, ...), so that load from other processes on a shared machine
falls on all of them alike. Each run goes through `/usr/bin/time -v`, which
reports its CPU time and peak resident memory; wall time is measured around
it. Medians are appended as JSON lines to --results.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

TIME = "/usr/bin/time"


def run_timed(cmd):
    """Runs cmd (a list) under /usr/bin/time -v: wall s, cpu s, rss MB."""
    report = "{}.time".format(os.environ.get("TMPDIR", "/tmp").rstrip("/") + "/milbrief-bench-" + str(os.getpid()))
    t0 = time.perf_counter()
    p = subprocess.run([TIME, "-v", "-o", report] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    with open(report, encoding="utf-8") as f:
        text = f.read()
    os.remove(report)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        raise SystemExit("failed: " + " ".join(cmd))

    def field(name):
        m = re.search(r"^\s*" + re.escape(name) + r":\s*([0-9.]+)", text, re.M)
        return float(m.group(1)) if m else float("nan")

    cpu = field("User time (seconds)") + field("System time (seconds)")
    rss = field("Maximum resident set size (kbytes)") / 1024.0
    return wall, cpu, rss


def rm(path):
    shutil.rmtree(path, ignore_errors=True)


class Build:
    """One milbrief binary over its own copy of the corpus."""

    def __init__(self, bench, name, binary, corpus):
        self.bench = bench
        self.name = name
        self.bin = binary
        self.corpus = corpus
        self.edits = 0
        files = sorted(f for f in os.listdir(os.path.join(corpus, "content"))
                       if f.endswith(".md"))
        self.edit_file = os.path.join(corpus, "content", files[len(files) // 2])

    def tool(self, kind):
        return "milbrief " + kind + ("" if self.name is None else " (" + self.name + ")")

    def site(self, kind):
        return self.corpus if kind == "digest" else os.path.join(self.corpus, kind)

    def output(self, kind):
        return os.path.join(self.bench.out, kind + ("" if self.name is None else "-" + self.name))

    def milbrief(self, kind, cache=True):
        cmd = [self.bin, "build", "--quiet", "--root", self.site(kind),
               "--output", self.output(kind)]
        return cmd if cache else cmd + ["--no-cache"]

    def fresh(self, kind):
        def prepare():
            rm(self.output(kind))
            rm(os.path.join(self.site(kind), ".milbrief"))
        return prepare

    def edit(self):
        """Changes one sentence of one article's text (never its tags)."""
        self.edits += 1
        with open(self.edit_file, encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r"\n\nRevised text, revision [0-9]+\.\n$", "\n", text)
        text = text.rstrip("\n") + "\n\nRevised text, revision {}.\n".format(self.edits)
        with open(self.edit_file, "w", encoding="utf-8") as f:
            f.write(text)


class Bench:
    def __init__(self, args):
        self.args = args
        self.corpus = os.path.abspath(args.corpus)
        self.n = sum(1 for f in os.listdir(os.path.join(self.corpus, "content"))
                     if f.endswith(".md"))
        self.out = os.path.abspath(args.out)
        os.makedirs(self.out, exist_ok=True)
        self.builds = [Build(self, None, args.bin, self.corpus)]
        if args.against:
            copy = os.path.join(self.out, "corpus-" + args.against_name)
            rm(copy)
            shutil.copytree(self.corpus, copy, symlinks=True,
                            ignore=shutil.ignore_patterns("hugo", ".milbrief"))
            self.builds.append(Build(self, args.against_name, args.against, copy))

    def site(self, kind):
        return self.corpus if kind == "digest" else os.path.join(self.corpus, kind)

    def hugo(self):
        return ["hugo", "--quiet", "--source", self.site("hugo"),
                "--destination", os.path.join(self.out, "hugo")]

    def measure(self, scenario, entries):
        """entries: (tool, prepare(), cmd); rounds alternate between them."""
        got = {tool: [] for tool, _, _ in entries}
        for _ in range(self.args.runs):
            for tool, prepare, cmd in entries:
                prepare()
                got[tool].append(run_timed(cmd))
        for tool, _, _ in entries:
            runs = got[tool]
            row = {
                "articles": self.n, "output": self.args.label, "scenario": scenario,
                "tool": tool, "runs": len(runs),
                "wall": statistics.median(r[0] for r in runs),
                "cpu": statistics.median(r[1] for r in runs),
                "rss": statistics.median(r[2] for r in runs),
            }
            print("  {:>6} {:<9} {:<16} wall {:7.3f} s  cpu {:7.3f} s  rss {:7.1f} MB".format(
                self.n, scenario, tool, row["wall"], row["cpu"], row["rss"]),
                file=sys.stderr, flush=True)
            with open(self.args.results, "a", encoding="utf-8") as f:
                f.write(json.dumps(row) + "\n")

    def run(self):
        def nothing():
            pass

        kinds = ["minimal", "digest"]
        full = [(b.tool(k), b.fresh(k), b.milbrief(k)) for k in kinds for b in self.builds]
        if self.args.hugo:
            full.append(("hugo", lambda: rm(os.path.join(self.out, "hugo")), self.hugo()))
        self.measure("full", full)
        # The last full builds left outputs and caches: rebuild from them.
        self.measure("no-change",
                     [(b.tool(k), nothing, b.milbrief(k)) for k in kinds for b in self.builds])
        self.measure("one-edit",
                     [(b.tool(k), b.edit, b.milbrief(k)) for k in kinds for b in self.builds])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--hugo", action="store_true")
    ap.add_argument("--results", required=True)
    ap.add_argument("--against", help="another milbrief binary, measured side by side")
    ap.add_argument("--against-name", default="before")
    Bench(ap.parse_args()).run()


if __name__ == "__main__":
    main()

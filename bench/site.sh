#!/usr/bin/env bash
# Makes a milbrief site of N synthetic articles for benchmarks:
#   bench/site.sh N   → target/bench-corpus/N/ (content/ and config.toml)
# The corpus comes from ../shared/bench/gen_corpus.py (or GEN_CORPUS=path);
# its 25 free-form topic labels become the site's topics, as in the
# equivalent Hugo and Zola sites the generator writes.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:?usage: bench/site.sh N}"
gen="${GEN_CORPUS:-../shared/bench/gen_corpus.py}"
out="target/bench-corpus/$n"
if [ ! -d "$out/content" ]; then
  python3 "$gen" "$n" "$out" --trees "${TREES:-plain}" >/dev/null
fi
if [ ! -f "$out/config.toml" ]; then
  python3 - "$out" <<'PY'
import glob, re, sys
out = sys.argv[1]
labels = set()
for f in glob.glob(f"{out}/content/*.md"):
    with open(f, encoding="utf-8") as fh:
        m = re.search(r'(?m)^topics = \[(.*)\]', fh.read())
    if m:
        labels.update(re.findall(r'"([^"]+)"', m.group(1)))
def slug(s):
    return re.sub(r'[^a-z0-9]+', '-', s.lower()).strip('-')
with open(f"{out}/config.toml", "w", encoding="utf-8") as fh:
    fh.write('title = "Benchmark digest"\nbase_url = "https://bench.example/"\nper_page = 50\n\n')
    fh.write('[tagging]\nbuiltin_topics = false\n\n')
    for l in sorted(labels):
        fh.write(f'[[topic]]\nslug = "{slug(l)}"\nname = "{l}"\n\n')
PY
fi
echo "$out"

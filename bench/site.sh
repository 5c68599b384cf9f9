#!/usr/bin/env bash
# Makes the benchmark sites of N synthetic articles:
#   bench/site.sh N   → prints target/bench-corpus/N, which holds
#     content/          the articles
#     config.toml       the full default digest over them (built-in templates)
#     minimal/          the bench's minimal templates and config over the
#                       same content/ (a symbolic link)
#     hugo/             the same articles as a Hugo site (shared corpus only)
#
# The corpus comes from ../shared/bench/gen_corpus.py (or GEN_CORPUS=path),
# which writes the milbrief and the Hugo trees from one run, so both tools
# build the same articles; its 25 free-form topic labels become the sites'
# topics. Without it (or with CORPUS=own) it comes from bench/gen_corpus.py,
# whose articles leave countries and topics to milbrief's tagger.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:?usage: bench/site.sh N}"
gen="${GEN_CORPUS:-../shared/bench/gen_corpus.py}"
out="target/bench-corpus/$n"
if [ "${CORPUS:-shared}" != own ] && [ -f "$gen" ]; then
  kind=shared
else
  kind=own
fi
if [ "$(cat "$out/.corpus" 2>/dev/null)" != "$kind" ] || [ ! -d "$out/content" ] \
   || { [ "$kind" = shared ] && [ ! -d "$out/hugo" ]; }; then
  rm -rf "$out"
  mkdir -p "$out"
  if [ "$kind" = shared ]; then
    python3 "$gen" "$n" "$out" --trees hugo,plain >&2
  else
    [ -f "$gen" ] || echo "note: $gen not found: using bench/gen_corpus.py, no Hugo site" >&2
    python3 bench/gen_corpus.py "$n" "$out" >&2
  fi
  echo "$kind" > "$out/.corpus"
fi
if [ ! -f "$out/config.toml" ] || [ ! -d "$out/minimal" ]; then
  python3 - "$out" "$kind" <<'PY'
import glob, os, re, shutil, sys
out, kind = sys.argv[1], sys.argv[2]
labels = set()
for f in glob.glob(f"{out}/content/*.md"):
    with open(f, encoding="utf-8") as fh:
        m = re.search(r'(?m)^topics = \[(.*)\]', fh.read())
    if m:
        labels.update(re.findall(r'"([^"]+)"', m.group(1)))
def slug(s):
    return re.sub(r'[^a-z0-9]+', '-', s.lower()).strip('-')
topics = ""
if labels:
    topics = '\n[tagging]\nbuiltin_topics = false\n\n' + "".join(
        f'[[topic]]\nslug = "{slug(l)}"\nname = "{l}"\n\n' for l in sorted(labels))
with open(f"{out}/config.toml", "w", encoding="utf-8") as fh:
    fh.write('title = "Benchmark digest"\nbase_url = "https://bench.example/"\nper_page = 50\n')
    fh.write(topics)
mini = f"{out}/minimal"
shutil.rmtree(mini, ignore_errors=True)
os.makedirs(mini)
shutil.copytree("bench/minimal/templates", f"{mini}/templates")
with open("bench/minimal/config.toml", encoding="utf-8") as fh:
    base = fh.read()
with open(f"{mini}/config.toml", "w", encoding="utf-8") as fh:
    fh.write(base + topics)
os.symlink("../content", f"{mini}/content")
PY
fi
echo "$out"

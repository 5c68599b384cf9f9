#!/usr/bin/env bash
# The milbrief benchmark, from a fresh clone:
#
#   bench/run.sh                 # 1,000, 10,000 and 30,000 articles
#   bench/run.sh 1000 10000      # chosen sizes
#
# For each size: a full build into an empty output directory (the bench's
# minimal templates, and the full default digest), a rebuild with nothing
# changed, a rebuild after editing one article, and tagging throughput;
# Hugo's full build of the same articles side by side where Hugo is
# installed. Prints a Markdown table. Settings, from the environment:
#
#   RUNS=5        runs per figure (medians)
#   OUT=/dev/shm/milbrief-bench   output directories (tmpfs: the reference)
#   DISK=1        also measure with the output on the ordinary disk
#                 (target/bench-out/)
#   HUGO=0        leave Hugo out even when it is installed
#   TAGGING=0     skip the tagging throughput
#   CORPUS=own    use bench/gen_corpus.py even when ../shared is there
#   AGAINST=BIN   also measure another milbrief binary (an older build),
#                 side by side on a copy of each corpus, runs alternating;
#                 AGAINST_NAME names it in the table ("before")
#
# As root on Debian it installs what it misses (time, hugo) with apt-get.
# See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 30000)
runs="${RUNS:-5}"
out="${OUT:-/dev/shm/milbrief-bench}"
label=tmpfs
if [ ! -d "$(dirname "$out")" ]; then
  echo "note: $(dirname "$out") does not exist: outputs go to the disk" >&2
  out="$PWD/target/bench-out/default"
  label=disk
fi

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing $* with apt-get" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >&2 || true
  fi
}
[ -x /usr/bin/time ] || apt_install time
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is needed (Debian package time)" >&2; exit 1; }
shared="${GEN_CORPUS:-../shared/bench/gen_corpus.py}"
hugo=0
if [ "${HUGO:-1}" != 0 ] && [ "${CORPUS:-shared}" != own ] && [ -f "$shared" ]; then
  command -v hugo >/dev/null || apt_install hugo
  if command -v hugo >/dev/null; then hugo=1; else echo "note: hugo is not installed: milbrief only" >&2; fi
else
  echo "note: no Hugo side by side (needs $shared and hugo)" >&2
fi

cargo build --release --locked --quiet
bin="$PWD/target/release/milbrief"
results="target/bench-results.jsonl"
: > "$results"
targets=("$label:$out")
[ "${DISK:-0}" = 0 ] || targets+=("disk:$PWD/target/bench-out")

for n in "${sizes[@]}"; do
  corpus=$(bench/site.sh "$n")
  echo "== $n articles ($corpus)" >&2
  for t in "${targets[@]}"; do
    label="${t%%:*}"; dir="${t#*:}/$n"
    rm -rf "$dir"
    args=(--bin "$bin" --corpus "$corpus" --out "$dir" --label "$label" --runs "$runs" --results "$results")
    [ "$hugo" = 1 ] && args+=(--hugo)
    [ -n "${AGAINST:-}" ] && args+=(--against "$AGAINST" --against-name "${AGAINST_NAME:-before}")
    python3 bench/measure.py "${args[@]}"
    rm -rf "$dir"
  done
  if [ "${TAGGING:-1}" != 0 ]; then
    line=$(cargo bench --quiet --bench tagging -- "$corpus/content" 2>/dev/null | grep '^tagging' || true)
    echo "  $line" >&2
    python3 - "$n" "$line" "$results" <<'PY'
import json, re, sys
n, line, results = int(sys.argv[1]), sys.argv[2], sys.argv[3]
m = re.search(r"one core .*?= ([0-9.]+) MB/s; (\d+) threads .*?= ([0-9.]+) MB/s", line)
if m:
    with open(results, "a") as f:
        f.write(json.dumps({"articles": n, "scenario": "tagging", "one_core": float(m.group(1)),
                            "threads": int(m.group(2)), "all_cores": float(m.group(3))}) + "\n")
PY
  fi
done
python3 bench/report.py "$results"

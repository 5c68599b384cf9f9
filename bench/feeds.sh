#!/usr/bin/env bash
# `milbrief import --feeds` against a loopback server: FEEDS feeds of ITEMS
# items each (default 20 × 50), every article's page fetched and extracted.
# Prints, for a first run into an empty site and a second run right after,
# the wall time, peak memory (/usr/bin/time -v) and the requests the server
# counted. The second run must make only conditional requests and write
# nothing.
#   bench/feeds.sh [FEEDS] [ITEMS]
# MILBRIEF=path/to/milbrief uses that binary instead of a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
feeds=${1:-20}
items=${2:-50}
bin=${MILBRIEF:-target/release/milbrief}
if [ -z "${MILBRIEF:-}" ]; then
    cargo build --release --locked --quiet
fi

work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

python3 bench/feeds_server.py "$feeds" "$items" "$work/port" &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
base="http://127.0.0.1:$port"

site="$work/site"
mkdir -p "$site/content"
{
    echo 'title = "Feeds benchmark"'
    echo
    echo '[fetch]'
    echo 'per_host_per_second = 10000'
    echo 'concurrency = 4'
    for f in $(seq 0 $((feeds - 1))); do
        printf '\n[[feed]]\nurl = "%s/feed/%d.xml"\nfetch_articles = true\n' "$base" "$f"
    done
} > "$site/config.toml"

stats() { python3 -c "import json,urllib.request;print(json.dumps(json.load(urllib.request.urlopen('$base/_stats'))))"; }

printf '%-6s %8s %10s %8s %12s %13s %9s %8s\n' run wall_s peak_MiB requests conditional not_modified articles written
for run in first second; do
    before=$(stats)
    touch "$work/mark"
    sleep 0.01
    /usr/bin/time -v "$bin" import --root "$site" --feeds > "$work/$run.log" 2> "$work/$run.err" || {
        echo "milbrief failed on the $run run:"; tail -20 "$work/$run.err"; exit 1; }
    after=$(stats)
    written=$(find "$site" -type f -newer "$work/mark" | wc -l)
    wall=$(grep 'Elapsed (wall clock)' "$work/$run.err" | awk '{print $NF}' |
        awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    rss=$(grep 'Maximum resident set size' "$work/$run.err" | awk '{printf "%.0f", $NF / 1024}')
    python3 - "$before" "$after" "$run" "$wall" "$rss" "$written" <<'PY'
import json, sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
d = {k: a[k] - b[k] for k in a}
print(f"{sys.argv[3]:<6} {float(sys.argv[4]):8.2f} {int(sys.argv[5]):10d} {d['all']:8d} {d['conditional']:12d} {d['not_modified']:13d} {d['articles']:9d} {int(sys.argv[6]):8d}")
PY
done
echo
echo "articles in content/: $(find "$site/content" -name '*.md' | wc -l)"
tail -1 "$work/first.log"
grep '^feeds:' "$work/first.log" || true
grep '^feeds:' "$work/second.log" || true

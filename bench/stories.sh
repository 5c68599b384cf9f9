#!/usr/bin/env bash
# Stories at wire volume: builds sites of the first N articles of a corpus
# directory (default sizes 5000, 10000 and all) and reports, per size, the
# full build's time and peak memory, the clustering's own time, stories vs
# articles and the largest page; and, for the whole corpus, the same build
# by an older binary (OLD=path) for "before", in a site that binary's own
# `init` made.
#
#   bench/stories.sh CORPUS_DIR [N ...]
#
# Load from other processes falls on every run alike only roughly: read the
# ratios of one run, with `uptime` printed first.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:?usage: bench/stories.sh CORPUS_DIR [N ...]}"
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000 10000 all)
new="${NEW:-target/release/milbrief}"
old="${OLD:-}"
work="target/bench-stories"
[ -x "$new" ] || cargo build --release --locked >&2
uptime
measure() { # BIN SITE → "seconds max_rss_kb"
  rm -rf "$2/public" "$2/.milbrief"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$1" build --root "$2" --no-cache --quiet >/dev/null
  cat "$work/time.txt"
}
largest() { # SITE → "bytes path"
  find "$1/public" -name '*.html' -printf '%s %P\n' | sort -n | tail -1
}
mkdir -p "$work"
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  if [ ! -d "$site/content" ]; then
    rm -rf "$site"
    "$new" init "$site" >/dev/null
    rm -rf "$site/content"/*
    if [ "$n" = all ]; then
      find "$corpus" -maxdepth 1 -name '*.md' -print0 | xargs -0 cp -t "$site/content"
    else
      find "$corpus" -maxdepth 1 -name '*.md' | sort | sed -n "1,${n}p" | xargs cp -t "$site/content"
    fi
  fi
  articles=$(find "$site/content" -name '*.md' | wc -l)
  read -r secs rss < <(measure "$new" "$site")
  big=$(largest "$site")
  cl=$("$new" stories --timings --root "$site" 2>&1 >/dev/null | grep -o 'in [0-9.]* ms' | grep -o '[0-9.]*')
  stories=$("$new" stories --min 1000000000 --root "$site")
  echo "size=$n articles=$articles build_s=$secs peak_rss_kb=$rss cluster_ms=$cl largest=[$big] $stories"
  if [ -n "$old" ] && [ "$n" = all ]; then
    # The older binary builds a site its own `init` made (its configuration
    # keys and templates; a newer init's config may name keys it does not
    # know), with the same articles, hard-linked.
    osite="$work/site-$n-before"
    rm -rf "$osite"
    "$old" init "$osite" >/dev/null
    rm -rf "$osite/content"/*
    cp -l "$site/content"/*.md "$osite/content/" 2>/dev/null || cp "$site/content"/*.md "$osite/content/"
    read -r osecs orss < <(measure "$old" "$osite")
    obig=$(largest "$osite")
    echo "before: size=$n build_s=$osecs peak_rss_kb=$orss largest=[$obig]"
  fi
done

#!/usr/bin/env bash
# Tagging throughput on the synthetic benchmark corpus.
#   bench/tagging.sh [N]     (default N = 1000 articles)
# Needs python3 and the corpus generator in ../shared/bench/ (or set
# GEN_CORPUS to its path).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
gen="${GEN_CORPUS:-../shared/bench/gen_corpus.py}"
out="target/bench-corpus/$n"
if [ ! -d "$out/content" ]; then
  python3 "$gen" "$n" "$out" --trees plain >/dev/null
fi
cargo bench --bench tagging -- "$out/content"

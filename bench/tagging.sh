#!/usr/bin/env bash
# Tagging throughput on the synthetic benchmark corpus.
#   bench/tagging.sh [N]     (default N = 1000 articles)
# Needs python3 and the corpus generator in ../shared/bench/ (or set
# GEN_CORPUS to its path); bench/site.sh makes the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
site=$(bench/site.sh "${1:-1000}")
cargo bench --bench tagging -- "$site/content"

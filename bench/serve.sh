#!/usr/bin/env bash
# Preview latency on a synthetic site of N articles (default 10000): time
# from saving one article to the reload event, and server memory.
set -euo pipefail
cd "$(dirname "$0")/.."
site=$(bench/site.sh "${1:-10000}")
cargo bench --bench serve_latency -- "$site" "${2:-7}"

#!/usr/bin/env bash
# Engagement benchmark (release build, embedded mode): a company of 10,000 in 40 teams answers a
# pulse through the API, then GetResults of the round is timed (p50/p99).
# Usage: scripts/bench-engagement.sh [answers] [teams]   (default 10000 40)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo bench --locked -p hrmesh-integration-tests --bench engagement -- "${1:-10000}" "${2:-40}"

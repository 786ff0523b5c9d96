#!/usr/bin/env bash
# Worst-case text input benchmark (release build, embedded mode): ExtractSkills latency on the
# largest hostile inputs it accepts, and an unrelated call's p50/p99 alone and while 4 worst-case
# extractions run. Also the extractor alone: cargo bench -p hrmesh-skills --bench extract_worst_case.
# Usage: scripts/bench-worst-case.sh [calls]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo bench --locked -p hrmesh-integration-tests --bench worst_case -- "${1:-200}"

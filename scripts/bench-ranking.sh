#!/usr/bin/env bash
# Ranked skill recognition benchmark (release build) with the full ESCO set loaded: ranked answers
# per second on one-sentence and two-page inputs, and resident memory with ESCO loaded.
# Usage: scripts/bench-ranking.sh [export dir]   (default: $HRMESH_ESCO_DIR or the shared ESCO data)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
if [ -n "${1:-}" ]; then
  HRMESH_ESCO_DIR="$(cd "$1" && pwd)"
  export HRMESH_ESCO_DIR
fi
cargo bench --locked -p hrmesh-skills --bench ranking

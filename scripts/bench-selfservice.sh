#!/usr/bin/env bash
# Self-service assistant benchmark (release build, embedded mode): employees ask for leave in
# Dutch, German and English and confirm it, each confirmation running the leave request through
# the people service. Prints replies per second and p50/p95/p99 latency per kind of message.
# Usage: scripts/bench-selfservice.sh [employees] [concurrency]   (defaults 200 and 8)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo bench --locked -p hrmesh-integration-tests --bench selfservice -- "${1:-200}" "${2:-8}"

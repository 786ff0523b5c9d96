#!/usr/bin/env bash
# Recruiting benchmark (release build, embedded mode): CVs parsed per second (parser alone and
# through the intake API) and shortlist latency for one job with N applicants.
# Usage: scripts/bench-recruiting.sh [candidates]   (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo bench --locked -p hrmesh-integration-tests --bench recruiting -- "${1:-1000}"

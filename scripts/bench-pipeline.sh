#!/usr/bin/env bash
# Pipeline benchmark (outbox → bus → governance → audit) in embedded and Kafka mode.
# Usage: scripts/bench-pipeline.sh [events]   (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
EVENTS="${1:-20000}"

ensure_postgres
start_tansu
trap stop_tansu EXIT
export HRMESH_BENCH_KAFKA="$HRMESH_TEST_KAFKA"

cargo bench --locked -p hrmesh-integration-tests --bench pipeline -- embedded "$EVENTS"
cargo bench --locked -p hrmesh-integration-tests --bench pipeline -- platform "$EVENTS"

#!/usr/bin/env bash
# People benchmark (release build, embedded mode): import of a company with contracts, five years
# of leave and sickness through the API, and every employee's leave balance.
# Usage: scripts/bench-people.sh [employees]   (default 250)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo bench --locked -p hrmesh-integration-tests --bench people -- "${1:-250}"
